"""What LocalQStash does for each endpoint: one handler per row of `_routes.ROUTES`, given the
`Incoming` and returning the JSON answer (None: no content). With ``deliver=True`` the workflow engine
takes the calls that start, move or end runs; otherwise they only change `QStashState`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ._protocol import parse_json
from ._routing import Incoming
from ._seed import apply_seed
from ._state import BadRequest, NotFound, last_value

if TYPE_CHECKING:
    from ._workflow import WorkflowEngine


def _non_negative(query: Mapping[str, list[str]], name: str) -> int | None:
    text = last_value(query, name)
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
    text = last_value(query, name)
    if text not in (None, "true", "false"):
        raise BadRequest(f"{name} must be true or false")
    return text == "true"


def _engine(c: Incoming) -> WorkflowEngine:
    """The engine, for the routes only it answers (a plain server has no such endpoint)."""
    if c.engine is None:
        raise NotFound(f"no such endpoint: {c.method} {c.path}")
    return c.engine


def _start_runs(c: Incoming, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """New runs from the official trigger routes (delivered, with ``deliver=True``, as /v2/batch's are)."""
    results = c.state.publish(messages, c.client_ip)
    out = []
    for result in results:
        if c.engine is not None:
            c.engine.start_published(result)
        run_id = result["workflowRunId"]
        item = {"workflowRunId": run_id, "workflowCreatedAt": c.state.runs[run_id].created_at}
        if result.get("deduplicated"):
            item["deduplicated"] = True
        out.append(item)
    return out


# ---------------------------------------------------------------------------------------- runs


def trigger_batch(c: Incoming) -> Any:
    messages = parse_json(c.body)
    if c.engine is not None:
        return c.engine.publish(messages, c.client_ip)
    return c.state.publish(messages, c.client_ip)


def trigger_run(c: Incoming) -> Any:
    # The URL may come raw, as Upstash's clients (and the generated trigger_run) send it, or
    # percent-encoded as one segment: the path is decoded once, so both read the same.
    url = c.param("workflowUrl")
    if not url.startswith(("http://", "https://")):
        raise BadRequest(f"invalid workflow URL {url!r}")
    upstash = {k: v for k, v in c.headers.items() if k.startswith("upstash-")}
    if "content-type" in c.headers:
        upstash["content-type"] = c.headers["content-type"]
    message = {"destination": url, "headers": upstash, "body": c.body.decode("utf-8", "replace")}
    return _start_runs(c, [message])[0]


def trigger_runs(c: Incoming) -> Any:
    items = parse_json(c.body)
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
        raise BadRequest("the body must be a non-empty JSON array of objects")
    messages = [{**item, "headers": item.get("headers") or {}} for item in items]
    return _start_runs(c, messages)


def cancel_runs(c: Incoming) -> Any:
    return {"cancelled": c.state.cancel(c.query)}


def cancel_run(c: Incoming) -> Any:
    run_id = c.param("workflowRunId")
    if c.engine is not None:  # also how the SDK ends its run (cancel=false)
        return c.engine.finish(run_id, cancel=last_value(c.query, "cancel") == "true")
    if run_id not in c.state.runs:
        raise NotFound(f"workflow run {run_id} not found")
    c.state.cancel({"workflowRunIds": [run_id]})  # a run that already ended stays as it is
    return None


def publish(c: Incoming) -> Any:
    """A workflow SDK publishes its run's next step (or a ``context.call``) to QStash."""
    message = {"destination": c.raw_params["destination"], "headers": dict(c.headers), "body": c.body.decode()}
    return _engine(c).publish([message], c.client_ip)[0]


# -------------------------------------------------------------------------------------- events


def notify(c: Incoming) -> Any:
    run_id = c.param("workflowRunId") if "workflowRunId" in c.raw_params else None
    event_id, data = c.param("eventId"), c.body.decode("utf-8", "replace")
    if c.engine is not None:
        return c.engine.notify(event_id, data, run_id)
    return c.state.notify(event_id, data, run_id)


def get_waiters(c: Incoming) -> Any:
    return [w.to_json() for w in c.state.active_waiters(c.param("eventId"))]


def wait(c: Incoming) -> Any:
    """A workflow SDK's ``context.waitForEvent``."""
    return _engine(c).wait(c.param("eventId"), parse_json(c.body), c.headers)


# ---------------------------------------------------------------------------------------- logs


def logs(c: Incoming) -> Any:
    return c.state.logs(c.query)


# ----------------------------------------------------------------------------------------- dlq


def list_dlq(c: Incoming) -> Any:
    return c.state.dlq_list(c.query)


def list_workflow_dlq(c: Incoming) -> Any:
    return c.state.dlq_list({**c.query, "source": ["workflow"]})


def delete_dlq(c: Incoming) -> Any:
    return c.state.dlq_delete(c.query)


def _rerun(c: Incoming, query: Mapping[str, list[str]], restart: bool) -> dict[str, Any]:
    if c.engine is not None:
        return c.engine.rerun(query, restart=restart, headers=c.headers)
    return c.state.dlq_rerun(query, restart=restart, headers=c.headers)


def resume_dlq(c: Incoming) -> Any:
    return _rerun(c, c.query, restart=False)


def restart_dlq(c: Incoming) -> Any:
    return _rerun(c, c.query, restart=True)


def _rerun_one(c: Incoming, restart: bool) -> Any:
    return _rerun(c, {"dlqIds": [c.param("dlqId")]}, restart)["workflowRuns"][0]


def resume_dlq_message(c: Incoming) -> Any:
    return _rerun_one(c, restart=False)


def restart_dlq_message(c: Incoming) -> Any:
    return _rerun_one(c, restart=True)


def get_dlq_message(c: Incoming) -> Any:
    dlq_id = c.param("dlqId")
    entry = c.state.dlq.get(dlq_id)
    if entry is None:
        raise NotFound(f"DLQ message {dlq_id} not found")
    return entry.to_json()


def delete_dlq_message(c: Incoming) -> Any:
    c.state.dlq_delete({"dlqIds": [c.param("dlqId")]})
    return None


def retry_failure_function(c: Incoming) -> Any:
    return c.state.dlq_retry_failure(c.param("dlqId"))


def cancel_failure_function(c: Incoming) -> Any:
    return c.state.dlq_cancel_failure(c.param("dlqId"))


# -------------------------------------------------------------------------------- flow control


def list_flow_control_keys(c: Incoming) -> Any:
    return c.state.flow_control.list_keys(last_value(c.query, "search"))


def get_flow_control_key(c: Incoming) -> Any:
    key = c.param("flowControlKey")
    info = c.state.flow_control.get(key)
    if info is None:
        raise NotFound(f"flow control key {key} not found")
    return info


def pause_flow_control_key(c: Incoming) -> Any:
    c.state.flow_control.pause(c.param("flowControlKey"))


def resume_flow_control_key(c: Incoming) -> Any:
    c.state.flow_control.resume(c.param("flowControlKey"))


def pin_flow_control_key(c: Incoming) -> Any:
    limits = (_non_negative(c.query, n) for n in ("parallelism", "rate", "period"))
    c.state.flow_control.pin(c.param("flowControlKey"), *limits)


def unpin_flow_control_key(c: Incoming) -> Any:
    c.state.flow_control.unpin(c.param("flowControlKey"), _flag(c.query, "parallelism"), _flag(c.query, "rate"))


def reset_flow_control_rate(c: Incoming) -> Any:
    c.state.flow_control.reset_rate(c.param("flowControlKey"))


def get_global_parallelism(c: Incoming) -> Any:
    return c.state.flow_control.global_parallelism()


# ---------------------------------------------------------------------------------------- keys


def get_signing_keys(c: Incoming) -> Any:
    return c.state.signing_keys.to_json()


def rotate_signing_keys(c: Incoming) -> Any:
    return c.state.signing_keys.rotate()


# --------------------------------------------------------------------------------------- local


def seed(c: Incoming) -> Any:
    data = parse_json(c.body)
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object")
    return attrs.asdict(apply_seed(c.state, data))
