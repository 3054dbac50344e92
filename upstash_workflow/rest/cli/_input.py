"""The ``trigger --file`` format: JSON lines, one run per line, parsed into `TriggerRequest`s.

Each line is a JSON object with the fields of `TriggerRequest`, in snake_case or in the TS client's
camelCase (``workflowRunId``, ``retryDelay``, ``flowControl``, ``notBefore``, ``disableTelemetry``,
``failureUrl``, ``ratePerSecond``); ``flow_control`` and ``redact`` are nested objects. Only
``url`` is required. Blank lines and lines starting with ``#`` are skipped::

    {"url": "https://my-app.com/api/workflow", "body": {"order": 42}, "workflow_run_id": "order-42"}
    {"url": "https://my-app.com/api/workflow", "headers": {"X-Tenant": "a"}, "label": ["orders", "eu"],
     "flowControl": {"key": "tenant-a", "parallelism": 2, "rate": 10, "period": "1m"},
     "redact": {"body": true, "header": ["Authorization"]}, "retries": 5, "delay": "10s"}

A line that is not such an object raises `BadLine` or `InvalidArgumentError` with a message that
names the field (the same check as a dict passed to ``trigger_many``). A file may
start with a UTF-8 byte order mark (as some Windows editors write it).
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from .. import TriggerRequest, _calls, _inputs
from .._trigger import Options
from ._output import say, usage

MAX_BAD_LINES = 10  # bad lines of a runs file reported before giving up


class BadLine(ValueError):
    """A line of a runs file that does not describe a run."""


def trigger_request(data: Any) -> TriggerRequest:
    """One decoded line -> a `TriggerRequest`: the keys the client takes in a dict
    (`_inputs.trigger_request`; its values are checked when the run is built)."""
    if not isinstance(data, Mapping):
        raise BadLine(f"expected a JSON object with at least a url, got {type(data).__name__}")
    return _inputs.trigger_request(data, "the run")


@attrs.frozen
class Planned:
    """A run from a runs file: its position among the runs (``index``, 0-based) and its line."""

    index: int
    line: int
    request: TriggerRequest


def _decode(raw: bytes) -> Any:
    """One line's JSON value; `BadLine` in the file's terms when it is not UTF-8 JSON."""
    try:
        return json.loads(raw.decode("utf-8").rstrip("\r\n"))  # a column past the end is not on the line
    except UnicodeDecodeError as exc:
        raise BadLine(f"not UTF-8 text (byte {exc.start + 1})") from None
    except json.JSONDecodeError as exc:
        raise BadLine(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise BadLine("not valid JSON (nested too deeply)") from None


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
                request = trigger_request(_decode(raw))
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
