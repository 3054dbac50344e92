"""The ``trigger --file`` format: JSON lines, one run per line, parsed into `TriggerRequest`s.

Each line is a JSON object with the fields of `TriggerRequest`, in snake_case or in the TS client's
camelCase (``workflowRunId``, ``retryDelay``, ``flowControl``, ``notBefore``, ``disableTelemetry``,
``failureUrl``, ``ratePerSecond``); ``flow_control`` and ``redact`` are nested objects. Only
``url`` is required. Blank lines and lines starting with ``#`` are skipped::

    {"url": "https://my-app.com/api/workflow", "body": {"order": 42}, "workflow_run_id": "order-42"}
    {"url": "https://my-app.com/api/workflow", "headers": {"X-Tenant": "a"}, "label": ["orders", "eu"],
     "flowControl": {"key": "tenant-a", "parallelism": 2, "rate": 10, "period": "1m"},
     "redact": {"body": true, "header": ["Authorization"]}, "retries": 5, "delay": "10s"}

A line that is not such an object raises `BadLine` with a message that names the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ._models import FlowControl, Redact, TriggerRequest

_CAMEL = {
    "workflowRunId": "workflow_run_id",
    "retryDelay": "retry_delay",
    "flowControl": "flow_control",
    "notBefore": "not_before",
    "disableTelemetry": "disable_telemetry",
    "failureUrl": "failure_url",
    "ratePerSecond": "rate_per_second",
}
RUN_FIELDS = tuple(field.name for field in attrs.fields(TriggerRequest))
FLOW_CONTROL_FIELDS = tuple(field.name for field in attrs.fields(FlowControl))
REDACT_FIELDS = tuple(field.name for field in attrs.fields(Redact))


class BadLine(ValueError):
    """A line of a runs file that does not describe a run."""


def _snake(data: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> dict[str, Any]:
    """The object's keys in snake_case; unknown or doubly given keys are errors."""
    fields: dict[str, Any] = {}
    for key, value in data.items():
        name = _CAMEL.get(key, key)
        if name not in allowed:
            raise BadLine(f"unknown field {where}{key!r}; allowed: {', '.join(allowed)} (or their camelCase)")
        if name in fields:
            raise BadLine(f"{where}{name!r} is given twice (snake_case and camelCase)")
        fields[name] = value
    return fields


def _nested(value: Any, cls: type[Any], allowed: tuple[str, ...], name: str) -> Any:
    if value is None or isinstance(value, cls):
        return value
    if not isinstance(value, Mapping):
        raise BadLine(f"{name} must be an object with {', '.join(allowed)}, got {type(value).__name__}")
    try:
        return cls(**_snake(value, allowed, f"{name}."))
    except TypeError as exc:  # a missing required field, such as flow_control.key
        raise BadLine(f"{name}: {exc}") from None


def trigger_request(data: Any) -> TriggerRequest:
    """One decoded line -> a `TriggerRequest` (its values are checked when the run is built)."""
    if not isinstance(data, Mapping):
        raise BadLine(f"expected a JSON object with at least a url, got {type(data).__name__}")
    fields = _snake(data, RUN_FIELDS, "")
    if "url" not in fields:
        raise BadLine("the url field is required")
    fields["flow_control"] = _nested(fields.get("flow_control"), FlowControl, FLOW_CONTROL_FIELDS, "flow_control")
    fields["redact"] = _nested(fields.get("redact"), Redact, REDACT_FIELDS, "redact")
    return TriggerRequest(**fields)
