"""The ``trigger --file`` format: JSON lines, one run per line, parsed into `TriggerRequest`s.

Each line is a JSON object with the fields of `TriggerRequest`, in snake_case or in the TS client's
camelCase (``workflowRunId``, ``retryDelay``, ``flowControl``, ``notBefore``, ``disableTelemetry``,
``failureUrl``, ``ratePerSecond``); ``flow_control`` and ``redact`` are nested objects. Only
``url`` is required. Blank lines and lines starting with ``#`` are skipped::

    {"url": "https://my-app.com/api/workflow", "body": {"order": 42}, "workflow_run_id": "order-42"}
    {"url": "https://my-app.com/api/workflow", "headers": {"X-Tenant": "a"}, "label": ["orders", "eu"],
     "flowControl": {"key": "tenant-a", "parallelism": 2, "rate": 10, "period": "1m"},
     "redact": {"body": true, "header": ["Authorization"]}, "retries": 5, "delay": "10s"}

A line that is not such an object raises `BadLine` with a message that names the field. A file may
start with a UTF-8 byte order mark (as some Windows editors write it).
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from .. import FlowControl, Redact, TriggerRequest, _calls
from .._trigger import Options
from ._output import say, usage

MAX_BAD_LINES = 10  # bad lines of a runs file reported before giving up

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


@attrs.frozen
class Planned:
    """A run from a runs file: its position among the runs (``index``, 0-based) and its line."""

    index: int
    line: int
    request: TriggerRequest


def read_runs(path: Path) -> list[Planned]:
    """Every run of a JSON-lines file, each checked as the client would check it; bad lines are
    reported by number (nothing is sent when there is one)."""
    runs: list[Planned] = []
    bad: list[str] = []
    check = Options()
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            if number == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)  # noqa: PLW2901 - the mark is not part of the line
            if not raw.strip() or raw.lstrip().startswith(b"#"):
                continue
            try:
                request = trigger_request(json.loads(raw.decode("utf-8")))
                _calls.trigger_many(check, [request])  # pure: validates, sends nothing
                runs.append(Planned(len(runs), number, request))
            except (BadLine, ValueError, TypeError, RecursionError) as exc:
                bad.append(f"{path}:{number}: {exc}")  # the file's own field names, not the CLI's flags
                if len(bad) >= MAX_BAD_LINES:
                    break
    for message in bad:
        say(message, to_err=True)
    if bad:
        usage(f"{path} has bad lines (first {len(bad)} shown); nothing was sent")
    return runs
