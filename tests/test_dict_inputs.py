"""Dict inputs (issue 27, item 3): every options class is also taken as a dict of its fields, as
Upstash's Python SDK teaches; the dict sends byte for byte the request of the class form, and a bad
dict raises a typed error naming the key before any request."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.recorder import Recorder
from upstash_workflow.rest import (
    CancelFilter,
    Client,
    DLQFilter,
    FlowControl,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    Redact,
    TriggerRequest,
    TriggerResult,
)
from upstash_workflow.rest._inputs import camel_case, snake_case
from upstash_workflow.rest.testing import LocalQStash

ROOT = Path(__file__).resolve().parents[1]
URL = "https://my-app.com/api/workflow"
MODELS = (FlowControl, Redact, TriggerRequest, CancelFilter, DLQFilter)


@pytest.fixture(scope="module")
def recorder() -> Iterator[Recorder]:
    with Recorder().running() as running:
        yield running


@pytest.fixture(scope="module")
def recording(recorder: Recorder) -> Iterator[Client]:
    with Client(token="token", base_url=recorder.url) as client:
        yield client


def sent(recorder: Recorder, client: Client, call: Callable[[Client], object]) -> tuple[object, ...]:
    """The requests one call makes, as the server saw them (bytes and all), or the error it raised."""
    before = sum(len(entries) for entries in recorder.scenarios.values())
    try:
        call(client)
    except InvalidArgumentError as exc:
        assert sum(len(entries) for entries in recorder.scenarios.values()) == before, "sent before raising"
        return (type(exc), str(exc))
    entries = [entry for entries in recorder.scenarios.values() for entry in entries][before:]
    assert entries
    return tuple((e.method, e.target, sorted(e.headers.items()), e.body) for e in entries)


def as_dict(draw: st.DrawFn, value: Any) -> Any:
    """A class instance as the dict a user would write: each key snake_case or camelCase, nested
    classes as dicts, fields at their default left out or given (at random)."""
    if not isinstance(value, MODELS):
        return value
    result = {}
    for field in attrs.fields(type(value)):
        item = getattr(value, field.name)
        if item == field.default and draw(st.booleans()):
            continue
        result[camel_case(field.name) if draw(st.booleans()) else field.name] = as_dict(draw, item)
    return result


ints = st.none() | st.integers(0, 4)
labels = st.none() | st.sampled_from(["nightly", "a,b"]) | st.lists(st.sampled_from(["a", "b"]), max_size=2)
dates = st.none() | st.integers(0, 2**41) | st.just(dt.datetime(2026, 1, 2, tzinfo=dt.timezone.utc))
flow_controls = st.builds(
    FlowControl,
    key=st.text("abcXY-_.0", min_size=0, max_size=5),
    parallelism=ints,
    rate=ints,
    period=st.none() | st.integers(0, 120) | st.sampled_from(["1m", "30s", "soon"]),
    rate_per_second=ints,
)
redacts = st.builds(
    Redact,
    body=st.booleans(),
    header=st.booleans() | st.lists(st.sampled_from(["Authorization", "X-Key", "bad name"]), max_size=2),
)
trigger_requests = st.builds(
    TriggerRequest,
    url=st.sampled_from([URL, "https://my-app.com/b", "not a url"]),
    body=st.none() | st.sampled_from(["text", {"order": 42}, [1, 2]]),
    headers=st.none() | st.just({"X-Tenant": "a"}),
    workflow_run_id=st.text("abc-_1", min_size=1, max_size=6),
    retries=ints,
    retry_delay=st.none() | st.just("1000 * retried"),
    flow_control=st.none() | flow_controls,
    delay=st.none() | st.sampled_from(["10s", 5]),
    not_before=st.none() | st.just(1_900_000_000),
    label=labels,
    disable_telemetry=st.booleans(),
    failure_url=st.none() | st.just("https://my-app.com/failed"),
    redact=st.none() | redacts,
)
cancel_filters = st.builds(
    CancelFilter,
    from_date=dates,
    to_date=dates,
    caller_ip=st.none() | st.just(["1.2.3.4", "5.6.7.8"]),
    label=labels,
    flow_control_key=st.none() | st.just("tenant-a"),
    host=st.none() | st.just("my-app.com"),
    path=st.none() | st.just("/api/workflow"),
    workflow_url=st.none() | st.just(URL),
    workflow_url_starting_with=st.none() | st.just("https://my-app.com"),
)
dlq_filters = st.builds(
    DLQFilter,
    from_date=dates,
    label=labels,
    workflow_url=st.none() | st.just(URL),
    workflow_run_id=st.none() | st.just("wfr_x"),
    workflow_created_at=st.none() | st.just(1_700_000_000_000),
    failure_function_state=st.none() | st.just("CALLBACK_FAIL"),
    url=st.none() | st.just(URL),
    response_status=st.none() | st.just(500),
)

# Each operation: a strategy for the class form and how to call it with a value (class or dict).
OPERATIONS: dict[str, tuple[st.SearchStrategy[Any], Callable[[Client, Any], object]]] = {
    "trigger(flow_control=)": (
        flow_controls,
        lambda c, fc: c.trigger(URL, workflow_run_id="a", flow_control=fc),
    ),
    "trigger(redact=)": (redacts, lambda c, r: c.trigger(URL, workflow_run_id="a", redact=r)),
    "trigger_many([...])": (
        st.lists(trigger_requests, min_size=1, max_size=3),
        lambda c, requests: c.trigger_many(requests),
    ),
    "cancel(filter=)": (cancel_filters, lambda c, f: c.cancel(filter=f)),
    "dlq.list(filter=)": (dlq_filters, lambda c, f: c.dlq.list(filter=f)),
    "dlq.delete(filter=)": (dlq_filters, lambda c, f: c.dlq.delete(filter=f)),
    "dlq.resume(filter=, flow_control=)": (
        st.tuples(dlq_filters, flow_controls),
        lambda c, both: c.dlq.resume(filter=both[0], flow_control=both[1]),
    ),
}


@pytest.mark.parametrize("operation", OPERATIONS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_dict_sends_the_request_of_its_class(
    operation: str, data: st.DataObject, recorder: Recorder, recording: Client
) -> None:
    values, call = OPERATIONS[operation]
    value = data.draw(values)
    as_dicts = data.draw(st.composite(lambda draw: as_dict_deep(draw, value))())
    assert sent(recorder, recording, lambda c: call(c, as_dicts)) == sent(recorder, recording, lambda c: call(c, value))


def as_dict_deep(draw: st.DrawFn, value: Any) -> Any:
    if isinstance(value, list | tuple):
        return type(value)(as_dict_deep(draw, item) for item in value)
    return as_dict(draw, value)


@given(
    settings_=st.fixed_dictionaries({}, optional={"parallelism": st.integers(0, 5), "rate": ints, "period": ints}),
    unpin=st.fixed_dictionaries({}, optional={"parallelism": st.booleans(), "rate": st.booleans()}),
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_pin_and_unpin_settings_as_a_positional_dict(
    settings_: dict[str, Any], unpin: dict[str, Any], recorder: Recorder, recording: Client
) -> None:
    """``qstash``'s ``pin("KEY", {...})`` sends what the keyword form sends."""
    keywords = {k: v for k, v in settings_.items() if v is not None}
    fc = recording.flow_control
    assert sent(recorder, recording, lambda c: c.flow_control.pin("k", settings_)) == sent(  # type: ignore[arg-type]
        recorder, recording, lambda c: fc.pin("k", **keywords)
    )
    assert sent(recorder, recording, lambda c: c.flow_control.unpin("k", unpin)) == sent(  # type: ignore[arg-type]
        recorder, recording, lambda c: fc.unpin("k", **unpin)
    )


def test_a_trigger_result_stands_for_its_run_id(recorder: Recorder, recording: Client) -> None:
    run = recording.trigger(URL, workflow_run_id="r1")
    assert isinstance(run, TriggerResult)
    other = TriggerResult(workflow_run_id="wfr_r2")
    pairs: list[tuple[Callable[[Client], object], Callable[[Client], object]]] = [
        (lambda c: c.cancel(run), lambda c: c.cancel("wfr_r1")),
        (lambda c: c.cancel([run, other]), lambda c: c.cancel(["wfr_r1", "wfr_r2"])),
        (lambda c: c.logs(workflow_run_id=run), lambda c: c.logs(workflow_run_id="wfr_r1")),
        (lambda c: c.notify("e", 1, workflow_run_id=run), lambda c: c.notify("e", 1, workflow_run_id="wfr_r1")),
        (
            lambda c: c.dlq.list(filter={"workflow_run_id": run}),
            lambda c: c.dlq.list(filter=DLQFilter(workflow_run_id="wfr_r1")),
        ),
        (
            lambda c: c.dlq.list(filter=DLQFilter(workflow_run_id=run)),
            lambda c: c.dlq.list(filter=DLQFilter(workflow_run_id="wfr_r1")),
        ),
    ]
    for with_result, with_id in pairs:
        assert sent(recorder, recording, with_result) == sent(recorder, recording, with_id)


def test_dicts_run_against_local_qstash_sync_and_async() -> None:
    import asyncio

    from upstash_workflow.rest import AsyncClient

    with LocalQStash() as qstash, Client(token=qstash.token, base_url=qstash.url) as client:
        run = client.trigger(URL, flow_control={"key": "tenant-a", "parallelism": 2}, redact={"body": True})
        many = client.trigger_many([{"url": URL, "flow_control": {"key": "tenant-a", "rate": 5}}, {"url": URL}])
        assert client.cancel(many[0]).cancelled == 1
        client.flow_control.pin("tenant-a", {"parallelism": 3, "rate": 20, "period": 120})
        info = client.flow_control.get("tenant-a")
        assert (info.parallelism_max, info.is_pinned_parallelism) == (3, True)
        client.flow_control.unpin("tenant-a", {"parallelism": True, "rate": True})
        assert client.cancel(filter={"workflow_url": URL}).cancelled == 2
        assert client.logs(workflow_run_id=run).runs[0].workflow_state == "RUN_CANCELED"

        async def main() -> None:
            async with AsyncClient(token=qstash.token, base_url=qstash.url) as aio:
                started = await aio.trigger_many([{"url": URL, "redact": {"header": ["Authorization"]}}])
                assert (await aio.cancel(started)).cancelled == 1
                assert (await aio.dlq.list(filter={"workflow_url": URL})).messages == []

        asyncio.run(main())


# The client is typed Any here: mypy rejects these dicts already (test_mypy_checks_dict_literals).
BAD: list[tuple[Callable[[Any], object], type[Exception], str]] = [
    (lambda c: c.trigger(URL, flow_control={"key": "k", "paralelism": 2}), InvalidArgumentError, "'paralelism'"),
    (lambda c: c.trigger(URL, flow_control={"parallelism": 2}), InvalidArgumentError, "'key'"),
    (lambda c: c.trigger(URL, flow_control={"key": "k", "rate": "5"}), InvalidArgumentTypeError, "rate"),
    (lambda c: c.trigger(URL, flow_control={"key": "k", "period": 1.5}), InvalidArgumentTypeError, "period"),
    (lambda c: c.trigger(URL, flow_control={1: 2}), InvalidArgumentTypeError, "keys must be str"),
    (lambda c: c.trigger(URL, flow_control="k"), InvalidArgumentTypeError, "flow_control must be a FlowControl"),
    (lambda c: c.trigger(URL, redact={"headers": True}), InvalidArgumentError, "'headers'"),
    (lambda c: c.trigger(URL, redact={"body": "yes"}), InvalidArgumentTypeError, "redact.body"),
    (lambda c: c.trigger(URL, redact={"header": "Authorization"}), InvalidArgumentTypeError, "redact.header"),
    (lambda c: c.trigger_many([{"url": URL, "retry": 2}]), InvalidArgumentError, "'retry'"),
    (lambda c: c.trigger_many([{"body": 1}]), InvalidArgumentError, "'url'"),
    (lambda c: c.trigger_many([{"url": URL, "retries": "3"}]), InvalidArgumentTypeError, "retries"),
    (
        lambda c: c.trigger_many([{"url": URL, "workflowRunId": "a", "workflow_run_id": "b"}]),
        InvalidArgumentError,
        "'workflow_run_id'",
    ),
    (lambda c: c.trigger_many([{"url": URL, "WorkflowRunId": "a"}]), InvalidArgumentError, "'WorkflowRunId'"),
    (lambda c: c.trigger_many({"url": URL}), InvalidArgumentTypeError, "takes a list"),
    (lambda c: c.trigger({"url": URL}), InvalidArgumentTypeError, "trigger starts one run"),
    (lambda c: c.cancel(filter={"lable": "x"}), InvalidArgumentError, "'lable'"),
    (lambda c: c.cancel(filter={"from_date": "yesterday"}), InvalidArgumentTypeError, "from_date"),
    (lambda c: c.cancel(filter={}), InvalidArgumentError, "No filter provided"),
    (lambda c: c.dlq.list(filter={"workflowRunID": "x"}), InvalidArgumentError, "'workflowRunID'"),
    (lambda c: c.dlq.delete(filter={"response_status": 500}), InvalidArgumentError, "only apply to dlq.list"),
    (lambda c: c.dlq.resume(all=True, flow_control={"key": "k", "rate": -1}), InvalidArgumentError, "rate"),
    (lambda c: c.flow_control.pin("k", {"parallelism": 3, "burst": 2}), InvalidArgumentError, "'burst'"),
    (lambda c: c.flow_control.pin("k", {"rate": "20"}), InvalidArgumentTypeError, "rate"),
    (lambda c: c.flow_control.pin("k", {"rate": 2}, parallelism=1), InvalidArgumentError, "not both"),
    (lambda c: c.flow_control.pin("k", [("rate", 2)]), InvalidArgumentTypeError, "must be a dict"),
    (lambda c: c.flow_control.unpin("k", {"rate": "yes"}), InvalidArgumentTypeError, "rate"),
    (lambda c: c.flow_control.unpin("k", {}), InvalidArgumentError, "unpin needs"),
]


@pytest.mark.parametrize(("call", "error", "named"), BAD)
def test_a_bad_dict_raises_naming_the_key_before_any_request(
    call: Callable[[Any], object], error: type[Exception], named: str
) -> None:
    with LocalQStash() as qstash, Client(token=qstash.token, base_url=qstash.url) as client:
        with pytest.raises(error) as raised:
            call(client)
        assert named in str(raised.value)
        assert qstash.requests == []


def test_camel_case_keys_are_the_ts_spelling() -> None:
    for name in ("workflow_run_id", "flow_control", "rate_per_second", "workflow_url_starting_with", "caller_ip"):
        assert snake_case(camel_case(name)) == name
    assert camel_case("failure_function_state") == "failureFunctionState"


TYPED = """
from upstash_workflow.rest import Client, FlowControlDict, TriggerRequestDict

client = Client(token="t")
client.trigger("https://a.b", flow_control={"key": "k", "parallelism": 2}, redact={"body": True})
client.trigger_many([{"url": "https://a.b", "retries": 2}])
client.cancel(filter={"label": "x"})
client.flow_control.pin("k", {"parallelism": 3, "rate": 20, "period": 120})
ok: FlowControlDict = {"key": "k", "rate": 1}
run: TriggerRequestDict = {"url": "https://a.b"}
"""
MISTYPED = """
from upstash_workflow.rest import Client

client = Client(token="t")
client.trigger("https://a.b", flow_control={"key": "k", "paralelism": 2})
client.trigger("https://a.b", redact={"body": "yes"})
client.trigger_many([{"retries": 2}])
client.cancel(filter={"lable": "x"})
client.flow_control.pin("k", {"burst": 3})
"""


def test_mypy_checks_dict_literals(tmp_path: Path) -> None:
    from mypy import api

    good, bad = tmp_path / "good.py", tmp_path / "bad.py"
    good.write_text(textwrap.dedent(TYPED))
    bad.write_text(textwrap.dedent(MISTYPED))
    common = ["--strict", "--no-error-summary", "--cache-dir", str(ROOT / ".mypy_cache")]
    out, err, status = api.run([*common, str(good)])
    assert status == 0, out + err
    out, err, status = api.run([*common, str(bad)])
    assert status == 1
    flagged = {int(line) for line in re.findall(r"bad\.py:(\d+): error", out)}
    assert flagged == {5, 6, 7, 8, 9}, out
