"""Dict inputs: a mapping where an options class is taken becomes that class, checked key by key.

Upstash's Python SDK (``qstash``) declares its options as ``TypedDict``s, so its users write dict
literals; `_models` declares the same for ours (``FlowControlDict``, ...). Here a mapping's keys are
matched to the class's fields, in snake_case or in camelCase (``workflowRunId``, as the CLI's runs
files and the TS client spell them): an unknown key raises `InvalidArgumentError` naming it, before
any request. The values are then checked where the class's are, so a dict and its class send the
same request and a wrong-typed value raises the same `InvalidArgumentTypeError`, naming the field.
The CLI's runs files go through the same functions.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any, TypeVar

import attrs

from ._errors import InvalidArgumentError, InvalidArgumentTypeError
from ._models import CancelFilter, DLQFilter, FlowControl, Redact, TriggerRequest
from ._results import TriggerResult

M = TypeVar("M", FlowControl, Redact, TriggerRequest, CancelFilter, DLQFilter)

_UPPER = re.compile(r"(?<=[a-z0-9])([A-Z])")


def snake_case(key: str) -> str:
    """``workflowRunId`` -> ``workflow_run_id`` (a snake_case name is returned as it is)."""
    return _UPPER.sub(r"_\1", key).lower()


def camel_case(name: str) -> str:
    """``workflow_run_id`` -> ``workflowRunId``."""
    first, *rest = name.split("_")
    return first + "".join(part.capitalize() for part in rest)


def fields_of(
    value: Mapping[Any, Any], allowed: Collection[str], name: str, *, required: Collection[str] = ()
) -> dict[str, Any]:
    """The mapping's entries keyed by field name (camelCase keys renamed). An unknown key, a key
    given in both spellings or a missing required one raises `InvalidArgumentError` naming it."""
    fields: dict[str, Any] = {}
    for key, item in value.items():
        if not isinstance(key, str):
            raise InvalidArgumentTypeError(f"{name} keys must be str, got {type(key).__name__} ({key!r})")
        field = snake_case(key)
        if field not in allowed or (field != key and key != camel_case(field)):
            raise InvalidArgumentError(
                f"{name} has an unknown key {key!r}; it takes {', '.join(allowed)} (or their camelCase)"
            )
        if field in fields:
            raise InvalidArgumentError(f"{name}[{field!r}] is given twice (snake_case and camelCase)")
        fields[field] = item
    missing = [field for field in required if field not in fields]
    if missing:
        raise InvalidArgumentError(f"{name} needs the key {missing[0]!r}")
    return fields


def _model(value: object, cls: type[M], name: str) -> M:
    if isinstance(value, cls):
        return value
    if not isinstance(value, Mapping):
        raise InvalidArgumentTypeError(
            f"{name} must be a {cls.__name__} or a dict of its fields, got {type(value).__name__}"
        )
    fields = attrs.fields(cls)
    required = [f.name for f in fields if f.default is attrs.NOTHING]
    return cls(**fields_of(value, [f.name for f in fields], name, required=required))


def flow_control(value: object, name: str = "flow_control") -> FlowControl:
    """A `FlowControl`, or a mapping of its fields (``FlowControlDict``), as a `FlowControl`."""
    return _model(value, FlowControl, name)


def redact(value: object, name: str = "redact") -> Redact:
    """A `Redact`, or a mapping of its fields (``RedactDict``), as a `Redact`."""
    return _model(value, Redact, name)


def cancel_filter(value: object, name: str = "filter") -> CancelFilter:
    """A `CancelFilter`, or a mapping of its fields (``CancelFilterDict``), as a `CancelFilter`."""
    return _model(value, CancelFilter, name)


def dlq_filter(value: object, name: str = "filter") -> DLQFilter:
    """A `DLQFilter`, or a mapping of its fields (``DLQFilterDict``), as a `DLQFilter`."""
    flt = _model(value, DLQFilter, name)
    if isinstance(flt.workflow_run_id, TriggerResult):
        return attrs.evolve(flt, workflow_run_id=flt.workflow_run_id.workflow_run_id)
    return flt


def trigger_request(value: object, name: str = "request") -> TriggerRequest:
    """A `TriggerRequest`, or a mapping of its fields (``TriggerRequestDict``), with its
    ``flow_control`` and ``redact`` as classes too."""
    request = _model(value, TriggerRequest, name)
    nested: dict[str, Any] = {}
    if request.flow_control is not None and not isinstance(request.flow_control, FlowControl):
        nested["flow_control"] = flow_control(request.flow_control)
    if request.redact is not None and not isinstance(request.redact, Redact):
        nested["redact"] = redact(request.redact)
    return attrs.evolve(request, **nested) if nested else request


def run_id(value: object) -> object:
    """A run id given as the `TriggerResult` that started the run -> its id (anything else as is,
    for the validators to check)."""
    return value.workflow_run_id if isinstance(value, TriggerResult) else value


def run_ids(value: object) -> object:
    """`run_id` for one id or for each of a list of them."""
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [run_id(item) for item in value]
    return run_id(value)
