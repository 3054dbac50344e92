"""The pure request builders (sans-I/O), tested as functions: user arguments in, a planned `Call` out.
No client, no server, no socket. What goes over the wire for the same inputs is also compared with the
TS client in test_ts_parity.py; here each builder's own contract is pinned down: method, path, query,
headers, body, whether it may be repeated, and the answer known without asking."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from typing import Any

import pytest

from upstash_workflow.rest import _calls
from upstash_workflow.rest._calls import Call, Options
from upstash_workflow.rest._models import CancelFilter, DLQFilter, FlowControl, TriggerRequest

OPTIONS = Options()
URL = "https://my-app.com/api/workflow"

# (builder, args, kwargs, method, path, query, idempotent); query is the whole `params` dict.
REQUESTS: list[tuple[str, tuple[Any, ...], dict[str, Any], str, str, dict[str, Any] | None, bool]] = [
    ("trigger", (URL,), {"workflow_run_id": "a"}, "post", "/v2/batch", None, True),
    ("trigger_many", ([TriggerRequest(url=URL)],), {}, "post", "/v2/batch", None, True),
    ("cancel", (["wfr_a", "wfr_b"],), {}, "delete", "/v2/workflows/runs", {"workflowRunIds": ["wfr_a", "wfr_b"]}, True),
    ("cancel", (), {"all": True, "count": 7}, "delete", "/v2/workflows/runs", {"count": 7}, False),
    (
        "cancel",
        (),
        {"url_starting_with": URL},
        "delete",
        "/v2/workflows/runs",
        {"workflowUrl": [URL], "count": 100},  # one repeated key, as for a list
        False,
    ),
    ("get_waiters", ("ev/1",), {}, "get", "/v2/waiters/ev%2F1", None, True),
    (
        "logs",
        (),
        {"state": "RUN_SUCCESS", "count": 2},
        "get",
        "/v2/workflows/events",
        {"groupBy": "workflowRunId", "state": "RUN_SUCCESS", "count": 2},
        True,
    ),
    ("dlq_list", (), {"count": 3}, "get", "/v2/dlq", {"count": 3, "source": "workflow"}, True),
    ("dlq_resume", (["d1"],), {}, "post", "/v2/workflows/dlq/resume", {"dlqIds": ["d1"]}, False),
    ("dlq_restart", (), {"all": True}, "post", "/v2/workflows/dlq/restart", {"count": 100}, False),
    ("dlq_retry_failure_function", ("d1",), {}, "post", "/v2/workflows/dlq/callback/d1", None, False),
    ("dlq_delete", (["d1"],), {}, "delete", "/v2/workflows/dlq", {"dlqIds": ["d1"]}, True),
    ("dlq_delete", (), {"all": True}, "delete", "/v2/workflows/dlq", {"count": 100}, False),
]

# Builders whose answer is known without a request.
IMMEDIATE: list[tuple[str, tuple[Any, ...], dict[str, Any], Callable[[Any], bool]]] = [
    ("cancel", ([],), {}, lambda r: r.cancelled == 0),
    ("dlq_delete", ([],), {}, lambda r: r.deleted == 0),
    ("dlq_resume", ([],), {}, lambda r: r.workflow_runs == []),
    ("dlq_restart", ([],), {}, lambda r: r.workflow_runs == []),
]


def builders() -> dict[str, Callable[..., Call[Any]]]:
    """Every public builder: a function of `_calls` whose first parameter is the client's Options."""
    found: dict[str, Callable[..., Call[Any]]] = {}
    for name, fn in vars(_calls).items():
        if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != _calls.__name__:
            continue
        params = list(inspect.signature(fn).parameters)
        if params and params[0] == "options":
            found[name] = fn
    return found


def test_every_builder_is_covered_here() -> None:
    covered = {row[0] for row in REQUESTS}
    assert set(builders()) - {"notify"} == covered  # notify has its own tests below


@pytest.mark.parametrize(("name", "args", "kwargs", "method", "path", "query", "idempotent"), REQUESTS)
def test_builder_plans_the_request(
    name: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    method: str,
    path: str,
    query: dict[str, Any] | None,
    idempotent: bool,
) -> None:
    call = builders()[name](OPTIONS, *args, **kwargs)
    request = call.request
    assert request is not None
    assert (request["method"], request["url"]) == (method, path)
    assert request.get("params") == query
    assert call.idempotent is idempotent
    assert "Authorization" not in request.get("headers", {})  # the token is added by the client only


@pytest.mark.parametrize(("name", "args", "kwargs", "check"), IMMEDIATE)
def test_empty_selections_are_answered_without_a_request(
    name: str, args: tuple[Any, ...], kwargs: dict[str, Any], check: Callable[[Any], bool]
) -> None:
    call = builders()[name](OPTIONS, *args, **kwargs)
    assert call.request is None
    assert check(call.immediate)


def test_trigger_body_carries_the_run_id_chosen_once() -> None:
    call = _calls.trigger(OPTIONS, URL, {"n": 1}, workflow_run_id="order-1", retries=2)
    assert call.request is not None
    (message,) = json.loads(call.request["content"])  # encoded once, as httpx would encode json=
    assert message["destination"] == URL
    assert json.loads(message["body"]) == {"n": 1}
    assert message["headers"]["upstash-workflow-runid"] == "wfr_order-1"
    assert message["headers"]["upstash-retries"] == "2"
    # The same Call parses any answer into the run id chosen when it was built.
    assert call.parse([{"messageId": "m1"}]).workflow_run_id == "wfr_order-1"


def test_trigger_many_splits_into_batches_with_every_id_chosen_up_front() -> None:
    requests = [TriggerRequest(url=URL, workflow_run_id=f"r{i}") for i in range(250)]
    call = _calls.trigger_many(OPTIONS, requests, batch_size=100)
    assert call.request is None  # several requests: the client sends each batch
    bodies = [json.loads(batch.call.request["content"]) for batch in call.batches if batch.call.request]
    assert [len(body) for body in bodies] == [100, 100, 50]
    ids = [m["headers"]["upstash-workflow-runid"] for body in bodies for m in body]
    assert ids == [f"wfr_r{i}" for i in range(250)]


def test_notify_sends_the_data_as_the_body_of_one_encoded_segment() -> None:
    call = _calls.notify(OPTIONS, "order/42 paid", {"paid": True})
    assert call.request is not None
    assert call.request["method"] == "post"
    assert call.request["url"] == "/v2/notify/order%2F42%20paid"
    assert json.loads(call.request["content"]) == {"paid": True}
    lookback = _calls.notify(OPTIONS, "ev", workflow_run_id="wfr_1")
    assert lookback.request is not None
    assert lookback.request["url"] == "/v2/notify/wfr_1/ev"
    assert "content" not in lookback.request and "Content-Type" not in lookback.request.get("headers", {})


def test_filters_become_query_values() -> None:
    call = _calls.cancel(OPTIONS, filter=CancelFilter(label=["a", "b"], from_date=1_700_000_000_000))
    assert call.request is not None
    assert call.request["params"] == {"fromDate": 1_700_000_000_000, "label": ["a", "b"], "count": 100}
    dlq = _calls.dlq_resume(
        OPTIONS, filter=DLQFilter(workflow_run_id="wfr_x"), flow_control=FlowControl(key="k", parallelism=2)
    )
    assert dlq.request is not None
    assert dlq.request["params"]["workflowRunId"] == "wfr_x"
    assert dlq.request["headers"]["Upstash-Flow-Control-Key"] == "k"
