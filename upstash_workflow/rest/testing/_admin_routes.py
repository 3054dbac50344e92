"""LocalQStash's answers to the operations of Upstash's own spec that the TS workflow client does
not call: flow control, global parallelism, signing keys, one run / one DLQ message, the official
trigger and list paths. `_server` asks `route` first for the paths in `ROUTES`."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from ._state import BadRequest, NotFound, QStashState

# (path pattern, method) pairs, added to the server's table of allowed methods.
ROUTES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"/v2/trigger/.+"), "POST"),
    (re.compile(r"/v2/batch/trigger"), "POST"),
    (re.compile(r"/v2/workflows/runs/[^/]+"), "DELETE"),
    (re.compile(r"/v2/workflows/logs"), "GET"),
    (re.compile(r"/v2/workflows/dlq"), "GET"),
    (re.compile(r"/v2/workflows/dlq/[^/]+"), "GET"),
    (re.compile(r"/v2/workflows/dlq/[^/]+"), "DELETE"),
    (re.compile(r"/v2/workflows/dlq/(resume|restart)/[^/]+"), "POST"),
    (re.compile(r"/v2/workflows/dlq/callback/[^/]+"), "DELETE"),
    (re.compile(r"/v2/flowControl"), "GET"),
    (re.compile(r"/v2/flowControl/[^/]+"), "GET"),
    (re.compile(r"/v2/flowControl/[^/]+/(pause|resume|pin|unpin|resetRate)"), "POST"),
    (re.compile(r"/v2/globalParallelism"), "GET"),
    (re.compile(r"/v2/keys"), "GET"),
    (re.compile(r"/v2/keys/rotate"), "POST"),
]

Publish = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]


def _one(query: Mapping[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[-1] if values else None


def _non_negative(query: Mapping[str, list[str]], name: str) -> int | None:
    text = _one(query, name)
    if text is None:
        return None
    try:
        number = int(text)
    except ValueError:
        raise BadRequest(f"{name} must be an integer, got {text!r}") from None
    if number < 0:
        raise BadRequest(f"{name} must be >= 0")
    return number


def _flag(query: Mapping[str, list[str]], name: str) -> bool:
    text = _one(query, name)
    if text not in (None, "true", "false"):
        raise BadRequest(f"{name} must be true or false")
    return text == "true"


def _flow_control(state: QStashState, method: str, rest: list[str], query: Mapping[str, list[str]]) -> Any:
    fc = state.flow_control
    if method == "GET" and not rest:
        return fc.list_keys(_one(query, "search"))
    key = rest[0]
    if method == "GET" and len(rest) == 1:
        info = fc.get(key)
        if info is None:
            raise NotFound(f"flow control key {key} not found")
        return info
    action = rest[1]
    if action == "pin":
        fc.pin(key, *(_non_negative(query, n) for n in ("parallelism", "rate", "period")))
    elif action == "unpin":
        fc.unpin(key, _flag(query, "parallelism"), _flag(query, "rate"))
    else:
        {"pause": fc.pause, "resume": fc.resume, "resetRate": fc.reset_rate}[action](key)
    return None


def _cancel_run(state: QStashState, run_id: str) -> None:
    run = state.runs.get(run_id)
    if run is None:
        raise NotFound(f"workflow run {run_id} not found")
    state.cancel({"workflowRunIds": [run_id]})  # a run that already ended stays as it is


def _dlq_one(state: QStashState, method: str, rest: list[str], headers: Mapping[str, str]) -> Any:
    """GET/DELETE dlq/{id}, POST dlq/resume|restart/{id}, DELETE dlq/callback/{id}."""
    if len(rest) == 1:
        if method == "DELETE":
            state.dlq_delete({"dlqIds": rest})
            return None
        entry = state.dlq.get(rest[0])
        if entry is None:
            raise NotFound(f"DLQ message {rest[0]} not found")
        return entry.to_json()
    action, dlq_id = rest
    if action == "callback":
        return state.dlq_cancel_failure(dlq_id)
    result = state.dlq_rerun({"dlqIds": [dlq_id]}, restart=action == "restart", headers=headers)
    return result["workflowRuns"][0]


def _triggered(state: QStashState, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for result in results:
        run_id = result["workflowRunId"]
        item = {"workflowRunId": run_id, "workflowCreatedAt": state.runs[run_id].created_at}
        if result.get("deduplicated"):
            item["deduplicated"] = True
        out.append(item)
    return out


def _trigger(segments: list[str], headers: Mapping[str, str], body: bytes, publish: Publish) -> dict[str, Any]:
    # The URL may come percent-encoded as one segment or, as QStash also accepts, raw.
    url = "/".join(segments[2:])
    if not url.startswith(("http://", "https://")):
        raise BadRequest(f"invalid workflow URL {url!r}")
    upstash = {k: v for k, v in headers.items() if k.startswith("upstash-")}
    if "content-type" in headers:
        upstash["content-type"] = headers["content-type"]
    message = {"destination": url, "headers": upstash, "body": body.decode("utf-8", "replace")}
    return publish([message])[0]


def _trigger_many(body: bytes, publish: Publish) -> list[dict[str, Any]]:
    try:
        items = json.loads(body or b"null")
    except ValueError:
        raise BadRequest("the body is not JSON") from None
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
        raise BadRequest("the body must be a non-empty JSON array of objects")
    messages = [{**item, "headers": item.get("headers") or {}} for item in items]
    return publish(messages)


def route(
    state: QStashState,
    method: str,
    segments: list[str],
    query: Mapping[str, list[str]],
    headers: Mapping[str, str],
    body: bytes,
    publish: Publish,
) -> tuple[int, Any] | None:
    """(status, JSON payload; None for "no content") for one of `ROUTES`, else None."""
    head, rest = segments[:3], segments[3:]
    if segments[:2] == ["v2", "flowControl"]:
        return 200, _flow_control(state, method, segments[2:], query)
    if segments == ["v2", "globalParallelism"]:
        return 200, state.flow_control.global_parallelism()
    if segments == ["v2", "keys"]:
        return 200, state.signing_keys.to_json()
    if segments == ["v2", "keys", "rotate"]:
        return 200, state.signing_keys.rotate()
    if segments[:2] == ["v2", "trigger"]:
        return 200, _triggered(state, [_trigger(segments, headers, body, publish)])[0]
    if segments == ["v2", "batch", "trigger"]:
        return 201, _triggered(state, _trigger_many(body, publish))
    if head == ["v2", "workflows", "runs"] and len(rest) == 1:
        _cancel_run(state, rest[0])
        return 200, None
    if segments == ["v2", "workflows", "logs"]:
        return 200, state.logs(query)
    if segments == ["v2", "workflows", "dlq"] and method == "GET":
        return 200, state.dlq_list({**query, "source": ["workflow"]})
    if head == ["v2", "workflows", "dlq"] and len(rest) == (2 if method == "POST" or rest[0] == "callback" else 1):
        return 200, _dlq_one(state, method, rest, headers)
    return None
