"""Seed data for LocalQStash: runs, waiters and DLQ entries to start from, so every command of the CLI
and every client method has something to act on.

Used by ``LocalQStash(seed=...)``, ``qstash.seed(...)``, ``upstash-workflow dev --seed FILE`` and,
while a server runs, ``POST /_local/seed`` (same body; ``upstash-workflow seed``). The format is one
JSON object; every key and every field marked optional may be left out::

    {
      "runs": [
        {"url": "https://my-app.com/api/workflow",       # required
         "workflow_run_id": "wfr_order-1",               # optional (random); "wfr_" added if missing
         "body": "{\\"id\\": 1}",                          # optional: str, or any JSON (sent as JSON text)
         "headers": {"X-Tenant": "a"},                   # optional: forwarded headers
         "labels": ["orders"],                           # optional: str or list
         "flow_control_key": "tenant-a",                 # optional
         "failure_url": "https://my-app.com/api/failed", # optional: enables dlq retry-failure
         "state": "RUN_SUCCESS",                         # optional: RUN_STARTED (default), RUN_SUCCESS,
                                                         #   RUN_FAILED, RUN_CANCELED
         "created_at": 1714000000000}                    # optional: unix ms (default: now)
      ],
      "waiters": [
        {"event_id": "paid", "workflow_run_id": "wfr_order-1",  # required
         "timeout": 3600, "url": null}                          # optional: seconds; the run's URL
      ],
      "dlq": [
        {"workflow_run_id": "wfr_order-2",                      # required: a seeded or existing run
         "response_status": 500, "response_body": "boom",       # optional
         "dlq_id": "dlq_order-2"}                               # optional (random)
      ]
    }

A seed is checked completely before anything is stored: a bad one raises `SeedError` (a ValueError,
naming the entry, e.g. ``runs[2].url``) and changes nothing.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from ._state import FORWARD, QStashState, Run

RUN_STATES = ("RUN_STARTED", "RUN_SUCCESS", "RUN_FAILED", "RUN_CANCELED")
_FIELDS = {
    "runs": {
        "url",
        "workflow_run_id",
        "body",
        "headers",
        "labels",
        "flow_control_key",
        "failure_url",
        "state",
        "created_at",
    },
    "waiters": {"event_id", "workflow_run_id", "timeout", "url"},
    "dlq": {"workflow_run_id", "response_status", "response_body", "dlq_id"},
}


class SeedError(ValueError):
    """A seed that does not follow the documented format (the message names the entry)."""


@attrs.frozen
class SeedSummary:
    """How many of each were stored."""

    runs: int
    waiters: int
    dlq: int


def load_seed(source: Mapping[str, Any] | str | Path) -> Mapping[str, Any]:
    """The seed object from a mapping, or from a JSON file at a path."""
    if isinstance(source, Mapping):
        return source
    path = Path(source)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))  # a byte order mark is not JSON
    except OSError as exc:
        raise SeedError(f"cannot read seed file {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise SeedError(f"seed file {path} is not JSON: {exc}") from None
    if not isinstance(data, Mapping):
        raise SeedError(f"seed file {path} must hold a JSON object with runs, waiters and/or dlq")
    return data


def check_keys(data: Mapping[str, Any], where: str = "the seed") -> None:
    """Raise `SeedError` naming the first top-level key of ``data`` that is not a seed key
    (``where``: the file or object it came from)."""
    for key in data:
        if key not in _FIELDS:
            raise SeedError(f"unknown key {str(key)!r} in {where} (expected: {', '.join(_FIELDS)})")


def _entries(data: Mapping[str, Any], key: str) -> list[tuple[str, Mapping[str, Any]]]:
    items = data.get(key, [])
    if not isinstance(items, list):
        raise SeedError(f"{key} must be a list")
    entries = []
    for index, item in enumerate(items):
        where = f"{key}[{index}]"
        if not isinstance(item, Mapping):
            raise SeedError(f"{where} must be an object")
        unknown = sorted(set(item) - _FIELDS[key])
        if unknown:
            raise SeedError(
                f"{where}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_FIELDS[key]))}"
            )
        entries.append((where, item))
    return entries


def _field(
    item: Mapping[str, Any],
    where: str,
    name: str,
    kind: type | tuple[type, ...],
    default: Any = None,
    *,
    required: bool = False,
) -> Any:
    value = item.get(name, default)
    if value is None and required:
        raise SeedError(f"{where}.{name} is required")
    if value is not None and (isinstance(value, bool) is not (kind is bool) or not isinstance(value, kind)):
        raise SeedError(f"{where}.{name} has the wrong type ({type(value).__name__})")
    return value


def _run_id(value: str | None) -> str:
    if value is None:
        return "wfr_" + secrets.token_urlsafe(12).replace("-", "x").replace("_", "y")
    return value if value.startswith("wfr_") else "wfr_" + value


def _make_run(where: str, item: Mapping[str, Any], now_ms: int) -> Run:
    url = _field(item, where, "url", str, required=True)
    body = item.get("body")
    if body is not None and not isinstance(body, str):
        body = json.dumps(body, separators=(",", ":"))
    headers = {FORWARD + k.lower(): v for k, v in (_field(item, where, "headers", dict) or {}).items()}
    if not all(isinstance(v, str) for v in headers.values()):
        raise SeedError(f"{where}.headers must map names to strings")
    labels = _field(item, where, "labels", (str, list)) or []
    labels = [labels] if isinstance(labels, str) else labels
    if not all(isinstance(label, str) for label in labels):
        raise SeedError(f"{where}.labels must be strings")
    if labels:
        headers["upstash-label"] = ",".join(labels)
    if (failure_url := _field(item, where, "failure_url", str)) is not None:
        headers["upstash-failure-callback"] = failure_url
    flow_control_key = _field(item, where, "flow_control_key", str)
    state = _field(item, where, "state", str, "RUN_STARTED")
    if state not in RUN_STATES:
        raise SeedError(f"{where}.state must be one of {', '.join(RUN_STATES)}, got {state!r}")
    created_at = _field(item, where, "created_at", int, now_ms)
    run = Run(
        workflow_run_id=_run_id(_field(item, where, "workflow_run_id", str)),
        url=url,
        created_at=created_at,
        message_id="msg_" + secrets.token_urlsafe(12),
        body=body,
        headers=headers,
        labels=list(labels),
        flow_control_key=flow_control_key,
        caller_ip="127.0.0.1",
        state=state,
    )
    if state != "RUN_STARTED":
        run.completed_at = created_at
    return run


def apply_seed(state: QStashState, source: Mapping[str, Any] | str | Path) -> SeedSummary:
    """Check a seed completely, then store its runs, waiters and DLQ entries in ``state``."""
    data = load_seed(source)
    where = "the seed" if isinstance(source, Mapping) else str(source)
    check_keys(data, where)
    try:
        return _store(state, data)
    except SeedError as exc:
        if isinstance(source, Mapping):
            raise
        raise SeedError(f"{where}: {exc}") from None


def _store(state: QStashState, data: Mapping[str, Any]) -> SeedSummary:
    runs = [_make_run(where, item, state.now_ms()) for where, item in _entries(data, "runs")]
    known = {run.workflow_run_id for run in runs} | set(state.runs)
    waiters = []
    for where, item in _entries(data, "waiters"):
        waiters.append(
            {
                "event_id": _field(item, where, "event_id", str, required=True),
                "workflow_run_id": _run_id(_field(item, where, "workflow_run_id", str, required=True)),
                "url": _field(item, where, "url", str),
                "timeout": _field(item, where, "timeout", (int, float), 3600),
            }
        )
    failures = []
    for where, item in _entries(data, "dlq"):
        run_id = _run_id(_field(item, where, "workflow_run_id", str, required=True))
        if run_id not in known:
            raise SeedError(f"{where}.workflow_run_id: no run {run_id} (seed it under runs first)")
        failures.append(
            {
                "workflow_run_id": run_id,
                "response_status": _field(item, where, "response_status", int, 500),
                "response_body": _field(item, where, "response_body", str, "internal error"),
                "dlq_id": _field(item, where, "dlq_id", str),
            }
        )
    for run in runs:
        state.insert_run(run)
    for waiter in waiters:
        state.wait_for(**waiter)
    for failure in failures:
        state.add_dlq(state.runs[failure.pop("workflow_run_id")], **failure)
    return SeedSummary(runs=len(runs), waiters=len(waiters), dlq=len(failures))
