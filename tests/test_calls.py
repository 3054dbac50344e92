"""The pure request builders (sans-I/O), tested as functions: user arguments in, a planned `Call` out.
No client, no server, no socket. What goes over the wire for the same inputs is also compared with the
TS client in test_ts_parity.py; here each builder's own contract is pinned down: method, path, query,
headers, body, whether it may be repeated, and the answer known without asking."""

from __future__ import annotations

import importlib.util
import inspect
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from upstash_workflow.rest import _calls, _calls_admin
from upstash_workflow.rest._call import KnownResult, SendBatches, SendRequest
from upstash_workflow.rest._errors import InvalidArgumentError, InvalidArgumentTypeError
from upstash_workflow.rest._models import CancelFilter, DLQFilter, FlowControl, TriggerRequest
from upstash_workflow.rest._results import TriggerResult
from upstash_workflow.rest._trigger import Options

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = Options()
URL = "https://my-app.com/api/workflow"

# (builder, args, kwargs, method, path, query, idempotent); query is the whole `params` dict.
# tests/test_contract.py calls every operation of these rows through the public clients.
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
    ("notify", ("ev", "data"), {}, "post", "/v2/notify/ev", None, False),
    ("notify", ("ev", "data"), {"workflow_run_id": "wfr_a"}, "post", "/v2/notify/wfr_a/ev", None, False),
    (
        "logs",
        (),
        {"state": "RUN_SUCCESS", "count": 2},
        "get",
        "/v2/workflows/events",
        {"groupBy": "workflowRunId", "state": "RUN_SUCCESS", "count": 2},
        True,
    ),
    (
        "logs",
        (),
        {"workflow_runs": [TriggerResult("wfr_a", workflow_created_at=1), ("wfr_b@x", 2)], "count": 2},
        "get",
        "/v2/workflows/logs",
        {"workflowRuns": "wfr_a@1,wfr_b@x@2", "count": 2},  # the official path, where the filter is
        True,
    ),
    ("dlq_list", (), {"count": 3}, "get", "/v2/dlq", {"count": 3, "source": "workflow"}, True),
    ("dlq_resume", (["d1"],), {}, "post", "/v2/workflows/dlq/resume", {"dlqIds": ["d1"]}, False),
    ("dlq_restart", (), {"all": True}, "post", "/v2/workflows/dlq/restart", {"count": 100}, False),
    ("dlq_retry_failure_function", ("d1",), {}, "post", "/v2/workflows/dlq/callback/d1", None, False),
    ("dlq_delete", (["d1"],), {}, "delete", "/v2/workflows/dlq", {"dlqIds": ["d1"]}, True),
    ("dlq_delete", (), {"all": True}, "delete", "/v2/workflows/dlq", {"count": 100}, False),
    # _calls_admin
    ("flow_control_list", (), {}, "get", "/v2/flowControl", {}, True),
    ("flow_control_list", (), {"search": "a b"}, "get", "/v2/flowControl", {"search": "a b"}, True),
    ("flow_control_get", ("a/b",), {}, "get", "/v2/flowControl/a%2Fb", None, True),
    ("flow_control_pause", ("k",), {}, "post", "/v2/flowControl/k/pause", None, True),
    ("flow_control_resume", ("k",), {}, "post", "/v2/flowControl/k/resume", None, True),
    ("flow_control_pin", ("k",), {"period": 0}, "post", "/v2/flowControl/k/pin", {"period": 0}, True),
    ("flow_control_unpin", ("k",), {"rate": True}, "post", "/v2/flowControl/k/unpin", {"rate": True}, True),
    ("flow_control_reset_rate", ("k",), {}, "post", "/v2/flowControl/k/resetRate", None, True),
    ("global_parallelism", (), {}, "get", "/v2/globalParallelism", None, True),
    ("dlq_get", ("d1",), {}, "get", "/v2/workflows/dlq/d1", None, True),
    ("dlq_cancel_failure_callback", ("d1",), {}, "delete", "/v2/workflows/dlq/callback/d1", None, True),
    ("signing_keys_get", (), {}, "get", "/v2/keys", None, True),
    ("signing_keys_rotate", (), {}, "post", "/v2/keys/rotate", None, False),  # a repeat drops a key
]

# Builders whose answer is known without a request.
IMMEDIATE: list[tuple[str, tuple[Any, ...], dict[str, Any], Callable[[Any], bool]]] = [
    ("cancel", ([],), {}, lambda r: r.cancelled == 0),
    ("dlq_delete", ([],), {}, lambda r: r.deleted == 0),
    ("dlq_resume", ([],), {}, lambda r: r.workflow_runs == []),
    ("dlq_restart", ([],), {}, lambda r: r.workflow_runs == []),
]


def load_method_table() -> Any:
    """scripts/generate_methods.py, which lists the builder behind every generated public method."""
    spec = importlib.util.spec_from_file_location("generate_methods", ROOT / "scripts" / "generate_methods.py")
    assert spec is not None and spec.loader is not None
    table = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate_methods", table)  # dataclasses look their module up by name
    spec.loader.exec_module(table)
    return table


def builders() -> dict[str, Callable[..., Any]]:
    """The builder behind every public method, by name (``_calls.trigger`` -> ``trigger``)."""
    modules = {"_calls": _calls, "_calls_admin": _calls_admin}
    found: dict[str, Callable[..., Any]] = {}
    for cls in load_method_table().API:
        for member in cls.members:
            if hasattr(member, "builder"):
                module, _, name = member.builder.rpartition(".")
                found[name] = getattr(modules[module], name)
    return found


def options_first_functions(*modules: Any) -> set[str]:
    """Public functions of the builder modules whose first parameter is the client's Options."""
    return {
        name
        for module in modules
        for name, fn in vars(module).items()
        if not name.startswith("_")
        and inspect.isfunction(fn)
        and fn.__module__ == module.__name__
        and list(inspect.signature(fn).parameters)[:1] == ["options"]
    }


# Builders with their own pure tests below (a body or a lazy plan to check), not a REQUESTS row.
TESTED_BELOW = {"notify", "trigger_stream", "wait", "wait_all"}


def test_every_builder_is_tested_as_a_pure_function() -> None:
    found = set(builders())
    # Every builder module function is behind a public method.
    assert options_first_functions(_calls, _calls_admin) <= found
    assert found == {row[0] for row in REQUESTS} | TESTED_BELOW
    tests = [name for name in globals() if name.startswith("test_")]
    assert all(any(name in test for test in tests) for name in TESTED_BELOW)


def builder(name: str) -> Callable[..., Any]:
    return builders()[name]


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
    call = builder(name)(OPTIONS, *args, **kwargs)
    assert isinstance(call, SendRequest)
    request = call.request
    assert (request["method"], request["url"]) == (method, path)
    assert request.get("params") == query
    assert call.idempotent is idempotent
    assert "Authorization" not in request.get("headers", {})  # the token is added by the client only


@pytest.mark.parametrize(("name", "args", "kwargs", "check"), IMMEDIATE)
def test_empty_selections_are_answered_without_a_request(
    name: str, args: tuple[Any, ...], kwargs: dict[str, Any], check: Callable[[Any], bool]
) -> None:
    call = builder(name)(OPTIONS, *args, **kwargs)
    assert isinstance(call, KnownResult)
    assert check(call.result)


def test_trigger_body_carries_the_run_id_chosen_once() -> None:
    call = _calls.trigger(OPTIONS, URL, {"n": 1}, workflow_run_id="order-1", retries=2)
    assert isinstance(call, SendRequest)
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
    assert isinstance(call, SendBatches)  # several requests: the client sends each batch
    bodies = [json.loads(request["content"]) for batch in call.batches if (request := batch.request())]
    assert [len(body) for body in bodies] == [100, 100, 50]
    ids = [m["headers"]["upstash-workflow-runid"] for body in bodies for m in body]
    assert ids == [f"wfr_r{i}" for i in range(250)]


def test_notify_sends_the_data_as_the_body_of_one_encoded_segment() -> None:
    call = _calls.notify(OPTIONS, "order/42 paid", {"paid": True})
    assert isinstance(call, SendRequest)
    assert call.request["method"] == "post"
    assert call.request["url"] == "/v2/notify/order%2F42%20paid"
    assert json.loads(call.request["content"]) == {"paid": True}
    lookback = _calls.notify(OPTIONS, "ev", workflow_run_id="wfr_1")
    assert isinstance(lookback, SendRequest)
    assert lookback.request["url"] == "/v2/notify/wfr_1/ev"
    assert "content" not in lookback.request and "Content-Type" not in lookback.request.get("headers", {})


def test_filters_become_query_values() -> None:
    call = _calls.cancel(OPTIONS, filter=CancelFilter(label=["a", "b"], from_date=1_700_000_000_000))
    assert isinstance(call, SendRequest)
    assert call.request["params"] == {"fromDate": 1_700_000_000_000, "label": ["a", "b"], "count": 100}
    dlq = _calls.dlq_resume(
        OPTIONS, filter=DLQFilter(workflow_run_id="wfr_x"), flow_control=FlowControl(key="k", parallelism=2)
    )
    assert isinstance(dlq, SendRequest)
    assert dlq.request["params"]["workflowRunId"] == "wfr_x"
    assert dlq.request["headers"]["Upstash-Flow-Control-Key"] == "k"


def test_trigger_stream_plans_lazily_and_batches_with_ids_chosen_once() -> None:
    pulled: list[int] = []

    def requests() -> Iterator[TriggerRequest]:
        for i in range(7):
            pulled.append(i)
            yield TriggerRequest(url=URL, workflow_run_id=f"s{i}", body={"i": i})

    plan = _calls.trigger_stream(OPTIONS, requests(), batch_size=3, start_index=10)
    assert pulled == []  # planning reads nothing: the input may be endless
    assert isinstance(plan.requests, Iterator)
    batches = plan.batcher.batches(plan.requests)
    first = next(batches)
    assert pulled == [0, 1, 2]  # one batch's worth, no more
    request = first.request()
    assert request is not None and (request["method"], request["url"]) == ("post", "/v2/batch")
    rest = list(batches)
    assert [len(b.entries) for b in [first, *rest]] == [3, 3, 1]
    entries = [e for b in [first, *rest] for e in b.entries]
    assert [(e.index, e.run_id) for e in entries] == [(10 + i, f"wfr_s{i}") for i in range(7)]
    # The answer of a batch maps to one outcome per run, in order (by position: one entry each).
    outcomes = first.outcomes([{"messageId": "m0"}, {"error": "nope"}, {"deduplicated": True}])
    assert [o.status for o in outcomes] == ["started", "failed", "deduplicated"]
    # Fewer entries than messages, none naming its run: nothing is confirmed (never assumed started).
    outcomes = first.outcomes([{"messageId": "m0"}, {"error": "nope"}])
    assert [o.status for o in outcomes] == ["unknown"] * 3


def test_trigger_stream_reports_an_invalid_request_as_an_unsent_outcome() -> None:
    plan = _calls.trigger_stream(OPTIONS, [TriggerRequest(url=URL), TriggerRequest(url="not a url")])
    assert isinstance(plan.requests, list)
    (batch,) = plan.batcher.batches(plan.requests)
    request = batch.request()
    assert request is not None and len(json.loads(request["content"])) == 1  # only the valid run is sent
    first, second = batch.outcomes([{"messageId": "m"}])
    assert first.status == "started" and second.status == "failed" and second.workflow_run_id is None


def test_wait_and_wait_all_plan_without_sending() -> None:
    """The builders check their arguments and plan; the cores poll (tests/test_wait.py)."""
    plan = _calls.wait(OPTIONS, TriggerResult("wfr_a", workflow_created_at=5), timeout=3, poll_interval=0.5)
    assert (plan.runs, plan.timeout, plan.interval) == ((("wfr_a", 5),), 3.0, 0.5)
    assert _calls.wait(OPTIONS, "wfr_b").runs == (("wfr_b", None),)
    assert _calls.wait(OPTIONS, TriggerResult("wfr_c")).runs == (("wfr_c", None),)  # no created_at: newest
    runs: list[TriggerResult | str | tuple[str, int]] = [
        "wfr_a",
        ("wfr_b", 7),
        TriggerResult("wfr_c", workflow_created_at=8),
    ]
    many = _calls.wait_all(OPTIONS, iter(runs))
    assert many.runs == (("wfr_a", None), ("wfr_b", 7), ("wfr_c", 8)) and many.timeout is None


@pytest.mark.parametrize(
    ("builder_name", "args", "kwargs", "error"),
    [
        ("wait", (3,), {}, InvalidArgumentTypeError),
        ("wait", ("",), {}, InvalidArgumentError),
        ("wait", ("wfr_a,wfr_b",), {}, InvalidArgumentError),  # the filter's separator
        ("wait", ("wfr_a",), {"timeout": -1}, InvalidArgumentError),
        ("wait", ("wfr_a",), {"timeout": "5"}, InvalidArgumentTypeError),
        ("wait", ("wfr_a",), {"poll_interval": 0}, InvalidArgumentError),
        ("wait", (("wfr_a", 1.5),), {}, InvalidArgumentTypeError),
        ("wait_all", ("wfr_a",), {}, InvalidArgumentTypeError),  # a str is not a list of runs
        ("wait_all", ([None],), {}, InvalidArgumentTypeError),
        ("logs", (), {"workflow_runs": []}, InvalidArgumentError),  # would match every run
        ("logs", (), {"workflow_runs": ["wfr_a"]}, InvalidArgumentTypeError),  # needs created_at
        ("logs", (), {"workflow_runs": [TriggerResult("wfr_a")]}, InvalidArgumentError),
        ("logs", (), {"workflow_runs": [("wfr_a", 1)], "state": "RUN_SUCCESS"}, InvalidArgumentError),
    ],
)
def test_wait_arguments_are_checked_before_any_request(
    builder_name: str, args: tuple[Any, ...], kwargs: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        builder(builder_name)(OPTIONS, *args, **kwargs)
