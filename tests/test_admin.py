"""Flow control, global parallelism, signing keys and single DLQ messages: every ergonomic call, sync
and async, over loopback sockets against LocalQStash; LocalQStash's flow-control semantics; and the
official operations that only the raw client (`client.api`) exposes."""

from __future__ import annotations

import asyncio
import functools
import time
from collections import Counter
from typing import Any

import httpx
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.conftest import URL
from upstash_workflow.rest import (
    APIResponseValidationError,
    APIStatusError,
    AsyncClient,
    BadRequestError,
    Client,
    FlowControl,
    FlowControlInfo,
    GlobalParallelism,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    NotFoundError,
    SigningKeys,
    _calls_admin,
)
from upstash_workflow.rest._calls_admin import global_parallelism
from upstash_workflow.rest._trigger import Options
from upstash_workflow.rest.testing import LocalQStash
from upstash_workflow.rest.testing._flow_control import parse_value


class Api:
    """Calls ``client.<name>`` on a sync `Client` or, awaited, on an `AsyncClient`: one test body
    covers both."""

    def __init__(self, qstash: LocalQStash, mode: str) -> None:
        self.qstash = qstash
        self.mode = mode

    def __call__(self, name: str, *args: Any, **kwargs: Any) -> Any:
        def method(client: Any) -> Any:
            for part in name.split("."):
                client = getattr(client, part)
            return client

        token, base_url = self.qstash.token, self.qstash.url
        if self.mode == "sync":
            with Client(token=token, base_url=base_url, max_retries=0) as client:
                return method(client)(*args, **kwargs)

        async def run() -> Any:
            async with AsyncClient(token=token, base_url=base_url, max_retries=0) as client:
                return await method(client)(*args, **kwargs)

        return asyncio.run(run())

    def trigger(self, key: str, **limits: Any) -> str:
        return str(self("trigger", url=URL, flow_control=FlowControl(key=key, **limits)).workflow_run_id)


@pytest.fixture(params=["sync", "async"])
def api(request: pytest.FixtureRequest, qstash: LocalQStash) -> Api:
    return Api(qstash, request.param)


# ------------------------------------------------------------------------------------ flow control


def test_runs_with_flow_control_create_a_key_with_a_wait_list(api: Api) -> None:
    for _ in range(3):
        api.trigger("orders", parallelism=1)
    info = api("flow_control.get", "orders")
    assert isinstance(info, FlowControlInfo)
    assert (info.flow_control_key, info.wait_list_size, info.parallelism_max, info.parallelism_count) == (
        "orders",
        2,
        1,
        1,
    )
    assert (info.is_paused, info.is_pinned_parallelism, info.is_pinned_rate) == (False, False, False)
    assert [k.flow_control_key for k in api("flow_control.list")] == ["orders"]
    assert api("flow_control.list", search="ord")[0] == info
    assert api("flow_control.list", search="nope") == []


def test_unknown_key_is_not_found(api: Api) -> None:
    with pytest.raises(NotFoundError):
        api("flow_control.get", "missing")


def test_pause_puts_new_runs_on_the_wait_list_until_resume(api: Api) -> None:
    api.trigger("k", parallelism=10)
    assert api("flow_control.pause", "k") is None
    api.trigger("k", parallelism=10)
    api.trigger("k", parallelism=10)
    paused = api("flow_control.get", "k")
    assert (paused.is_paused, paused.wait_list_size, paused.parallelism_count) == (True, 2, 1)
    assert api("flow_control.resume", "k") is None
    resumed = api("flow_control.get", "k")
    assert (resumed.is_paused, resumed.wait_list_size, resumed.parallelism_count) == (False, 0, 3)


def test_pin_overrides_incoming_configuration_until_unpinned(api: Api) -> None:
    api.trigger("p", parallelism=1)
    assert api("flow_control.pin", "p", parallelism=4, rate=100, period=60) is None
    api.trigger("p", parallelism=1, rate=1, period="1s")  # ignored while pinned
    pinned = api("flow_control.get", "p")
    assert (pinned.parallelism_max, pinned.rate_max, pinned.rate_period) == (4, 100, 60)
    assert (pinned.is_pinned_parallelism, pinned.is_pinned_rate, pinned.parallelism_count) == (True, True, 2)
    api("flow_control.unpin", "p", parallelism=True)
    half = api("flow_control.get", "p")
    assert (half.is_pinned_parallelism, half.is_pinned_rate, half.parallelism_max) == (False, True, 4)
    api.trigger("p", parallelism=2, rate=1)
    after = api("flow_control.get", "p")
    assert (after.parallelism_max, after.rate_max) == (2, 100)  # only the unpinned part follows messages
    api("flow_control.unpin", "p", rate=True, parallelism=True)
    assert api("flow_control.get", "p").is_pinned_rate is False


def test_reset_rate_starts_a_new_period(api: Api) -> None:
    api.trigger("r", rate=1, period="1h")
    api.trigger("r", rate=1, period="1h")
    limited = api("flow_control.get", "r")
    assert (limited.rate_max, limited.rate_count, limited.wait_list_size, limited.rate_period) == (1, 1, 1, 3600)
    assert api("flow_control.reset_rate", "r") is None
    reset = api("flow_control.get", "r")
    assert (reset.rate_count, reset.wait_list_size) == (1, 0)  # the waiting run went in the new period
    assert reset.rate_period_start >= limited.rate_period_start


def test_global_parallelism_counts_running_flow_controlled_runs(api: Api) -> None:
    assert api("flow_control.global_parallelism") == GlobalParallelism(parallelism_max=1000, parallelism_count=0)
    api.trigger("g", parallelism=1)
    api.trigger("g", parallelism=1)
    assert api("flow_control.global_parallelism").parallelism_count == 1


def test_cancelled_runs_free_their_slot(client: Client) -> None:
    first = client.trigger(url=URL, flow_control=FlowControl(key="c", parallelism=1)).workflow_run_id
    client.trigger(url=URL, flow_control=FlowControl(key="c", parallelism=1))
    assert client.flow_control.get("c").wait_list_size == 1
    client.cancel(first)
    info = client.flow_control.get("c")
    assert (info.wait_list_size, info.parallelism_count) == (0, 1)


def test_held_runs_are_delivered_only_once_admitted() -> None:
    with LocalQStash(deliver=True) as qstash, Client(token=qstash.token, base_url=qstash.url) as client:
        client.flow_control.pause("d")
        run = client.trigger(url="http://127.0.0.1:9/wf", flow_control=FlowControl(key="d", parallelism=1))
        time.sleep(0.2)
        assert qstash.deliveries == []
        client.flow_control.resume("d")
        deadline = time.monotonic() + 10
        while not qstash.deliveries and time.monotonic() < deadline:
            time.sleep(0.02)
        assert [d.workflow_run_id for d in qstash.deliveries] == [run.workflow_run_id]


def test_runs_from_the_official_trigger_and_dlq_message_routes_are_delivered() -> None:
    with LocalQStash(deliver=True) as qstash:
        post = functools.partial(httpx.post, headers={"Authorization": f"Bearer {qstash.token}"})
        one = post(f"{qstash.url}/v2/trigger/http://127.0.0.1:9/one").json()["workflowRunId"]
        batch = post(f"{qstash.url}/v2/batch/trigger", json=[{"destination": "http://127.0.0.1:9/two"}])
        two = batch.json()[0]["workflowRunId"]
        assert qstash.fast_forward()  # port 9 refuses: each run is tried, retried, then fails into the DLQ
        tried = Counter(d.workflow_run_id for d in qstash.deliveries)
        assert tried[one] == tried[two] > 0
        dlq = {entry.run.workflow_run_id: dlq_id for dlq_id, entry in qstash.state.dlq.items()}
        post(f"{qstash.url}/v2/workflows/dlq/resume/{dlq[one]}").raise_for_status()
        restarted = post(f"{qstash.url}/v2/workflows/dlq/restart/{dlq[two]}").json()["workflowRunId"]
        assert qstash.settle()
        again = Counter(d.workflow_run_id for d in qstash.deliveries)
        assert (again[one], again[two], again[restarted]) == (tried[one] + 1, tried[two], 1)


def test_keys_are_sent_as_one_path_segment(client: Client, qstash: LocalQStash) -> None:
    client.flow_control.pause("a/b?c")
    client.flow_control.pin("..", parallelism=1, rate=2, period=3)
    client.flow_control.unpin("..", rate=True)
    assert qstash.requests == [
        ("POST", "/v2/flowControl/a%2Fb%3Fc/pause"),
        ("POST", "/v2/flowControl/%2E%2E/pin?parallelism=1&rate=2&period=3"),
        ("POST", "/v2/flowControl/%2E%2E/unpin?rate=true"),
    ]
    assert client.flow_control.get("a/b?c").is_paused is True


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "error"),
    [
        ("get", [""], {}, InvalidArgumentError),
        ("pause", [""], {}, InvalidArgumentError),
        ("resume", [""], {}, InvalidArgumentError),
        ("reset_rate", [""], {}, InvalidArgumentError),
        ("pause", [None], {}, InvalidArgumentTypeError),
        ("pin", ["k"], {}, InvalidArgumentError),
        ("pin", [""], {"parallelism": 1}, InvalidArgumentError),
        ("pin", ["k"], {"parallelism": -1}, InvalidArgumentError),
        ("pin", ["k"], {"rate": -5}, InvalidArgumentError),
        ("pin", ["k"], {"period": -1}, InvalidArgumentError),
        ("pin", ["k"], {"period": "1m"}, InvalidArgumentTypeError),
        ("pin", ["k"], {"rate": True}, InvalidArgumentTypeError),
        ("unpin", ["k"], {}, InvalidArgumentError),
        ("unpin", ["k"], {"parallelism": False, "rate": False}, InvalidArgumentError),
        ("unpin", ["k"], {"rate": "yes"}, InvalidArgumentTypeError),
        ("unpin", [""], {"rate": True}, InvalidArgumentError),
        ("list", [], {"search": 3}, InvalidArgumentTypeError),
    ],
)
def test_bad_input_is_refused_before_sending(
    api: Api, method: str, args: list[Any], kwargs: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        api(f"flow_control.{method}", *args, **kwargs)
    assert api.qstash.requests == []


@pytest.mark.parametrize(
    ("answer", "size"),
    [
        ({"flowControlKey": "k", "waitListSize": 3}, 3),
        ({"flowControlKey": "k", "waitlistSize": 4}, 4),  # the spelling of Upstash's Workflow spec
        ({"flowControlKey": "k"}, 0),
    ],
)
def test_wait_list_size_under_either_spelling(answer: dict[str, Any], size: int) -> None:
    assert _calls_admin.flow_control_get(Options(), "k").parse(answer).wait_list_size == size
    assert [i.wait_list_size for i in _calls_admin.flow_control_list(Options()).parse([answer])] == [size]


def test_flow_control_answers_of_the_wrong_shape_are_typed_errors(qstash: LocalQStash, client: Client) -> None:
    qstash.inject("body", status=200, body='{"flowControlKey": "k"}', path_prefix="/v2/flowControl")
    with pytest.raises(APIResponseValidationError):
        client.flow_control.list()
    qstash.inject("body", status=200, body="[]", path_prefix="/v2/flowControl/k")
    with pytest.raises(APIResponseValidationError):
        client.flow_control.get("k")


def test_global_parallelism_defaults_to_zero_like_ts() -> None:
    """@upstash/qstash reports 0 for a field the server leaves out."""
    assert global_parallelism(Options()).parse({}) == GlobalParallelism(0, 0)


# -------------------------------------------------------------------------------------------- dlq


@pytest.fixture
def failed(qstash: LocalQStash, client: Client) -> str:
    run = client.trigger(url=URL, failure_url=URL + "/failure", label="x")
    return qstash.add_dlq_message(run.workflow_run_id)


def test_dlq_get(api: Api, failed: str) -> None:
    message = api("dlq.get", failed)
    assert (message.dlq_id, message.workflow_url, message.response_status, message.labels) == (failed, URL, 500, ["x"])
    with pytest.raises(NotFoundError):
        api("dlq.get", "dlq_missing")
    with pytest.raises(InvalidArgumentError):
        api("dlq.get", "")


def test_dlq_cancel_failure_callback(api: Api, failed: str) -> None:
    with pytest.raises(BadRequestError):  # nothing in progress yet
        api("dlq.cancel_failure_callback", failed)
    api("dlq.retry_failure_function", failed)
    assert api("dlq.get", failed).failure_callback_info.state == "CALLBACK_INPROGRESS"
    assert api("dlq.cancel_failure_callback", failed) is None
    assert api("dlq.get", failed).failure_callback_info.state == "CALLBACK_CANCELED"
    with pytest.raises(NotFoundError):
        api("dlq.cancel_failure_callback", "dlq_missing")
    with pytest.raises(InvalidArgumentError):
        api("dlq.cancel_failure_callback", "")


# ----------------------------------------------------------------------------------- signing keys


def test_signing_keys_get_and_rotate(api: Api) -> None:
    keys = api("signing_keys.get")
    assert isinstance(keys, SigningKeys) and keys.current and keys.next and keys.current != keys.next
    assert api("signing_keys.get") == keys
    rotated = api("signing_keys.rotate")
    assert rotated.current == keys.next and rotated.next not in (keys.current, keys.next)
    assert api("signing_keys.get") == rotated


def test_rotate_is_never_retried(qstash: LocalQStash) -> None:
    qstash.inject("status", status=503, path_prefix="/v2/keys/rotate")
    with Client(token=qstash.token, base_url=qstash.url, max_retries=3) as client:
        before = client.signing_keys.get()
        with pytest.raises(Exception, match="503"):
            client.signing_keys.rotate()
        assert client.signing_keys.get() == before
    assert [r for r in qstash.requests if r[1] == "/v2/keys/rotate"] == [("POST", "/v2/keys/rotate")]


# ------------------------------------------------------------- official operations, raw client only


def test_official_operations_through_the_raw_client(client: Client, qstash: LocalQStash) -> None:
    from upstash_workflow_api.api.dlq import (
        delete_dlq_message,
        get_dlq_message,
        list_workflow_dlq,
        restart_dlq_message,
        resume_dlq_message,
    )
    from upstash_workflow_api.api.logs import list_workflow_logs
    from upstash_workflow_api.api.runs import cancel_run, trigger_run, trigger_runs
    from upstash_workflow_api.models import TriggerItem, TriggerItemHeaders
    from upstash_workflow_api.types import File

    raw = client.api
    one = trigger_run.sync(
        URL,
        client=raw,
        body=File(payload=b"hi"),  # type: ignore[arg-type]  # bytes: what _calls.notify sends too
        upstash_workflow_run_id="wfr_one",
        upstash_label="a,b",
    )
    assert one is not None and one.workflow_run_id == "wfr_one"  # type: ignore[union-attr]
    assert qstash.run("wfr_one").url == URL and qstash.run("wfr_one").labels == ["a", "b"]
    headers = TriggerItemHeaders.from_dict({"Upstash-Workflow-RunId": "wfr_two"})
    many = trigger_runs.sync_detailed(client=raw, body=[TriggerItem(destination=URL, headers=headers)])
    assert many.status_code == 201 and [r.workflow_run_id for r in many.parsed] == ["wfr_two"]  # type: ignore[union-attr]

    logs = list_workflow_logs.sync(client=raw, workflow_run_id="wfr_one")
    assert [r.workflow_run_id for r in logs.runs] == ["wfr_one"]  # type: ignore[union-attr]
    assert cancel_run.sync_detailed("wfr_one", client=raw).status_code == 200
    assert qstash.run("wfr_one").state == "RUN_CANCELED"
    assert cancel_run.sync_detailed("wfr_missing", client=raw).status_code == 404

    first = qstash.add_dlq_message("wfr_two")
    listed = list_workflow_dlq.sync(client=raw)
    assert [m.dlq_id for m in listed.messages] == [first]  # type: ignore[union-attr]
    assert get_dlq_message.sync(first, client=raw).workflow_run_id == "wfr_two"  # type: ignore[union-attr]
    resumed = resume_dlq_message.sync(first, client=raw, upstash_retries=2)
    assert resumed.workflow_run_id == "wfr_two"  # type: ignore[union-attr]
    second = qstash.add_dlq_message("wfr_two")
    restarted = restart_dlq_message.sync(second, client=raw)
    assert restarted.workflow_run_id != "wfr_two"  # type: ignore[union-attr]
    third = qstash.add_dlq_message("wfr_two")
    assert delete_dlq_message.sync_detailed(third, client=raw).status_code == 200
    assert get_dlq_message.sync_detailed(third, client=raw).status_code == 404


# --------------------------------------------------------- LocalQStash reads what the client sends

UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@given(
    parallelism=st.integers(0, 10**6),
    rate=st.integers(0, 10**6),
    period=st.one_of(st.integers(0, 10**6), st.tuples(st.integers(0, 999), st.sampled_from("smhd"))),
)
def test_local_server_reads_every_flow_control_header_value(
    parallelism: int, rate: int, period: int | tuple[int, str]
) -> None:
    assume(parallelism or rate)
    text = period if isinstance(period, int) else f"{period[0]}{period[1]}"
    seconds = period if isinstance(period, int) else period[0] * UNIT_SECONDS[period[1]]
    value = FlowControl(key="k", parallelism=parallelism, rate=rate, period=text).header_value()
    parsed = parse_value(value)
    assert parsed.get("parallelism", 0) == parallelism
    assert parsed.get("rate", 0) == rate
    assert parsed.get("period", 0) == seconds


def test_a_new_rate_period_admits_the_waiting_runs() -> None:
    """LocalQStash's rate periods, on a clock the test moves (no sleeping)."""
    import threading

    from upstash_workflow.rest.testing._flow_control import FlowControlState

    now = [1000.0]
    admitted: list[str] = []
    state = FlowControlState(lambda: now[0], threading.RLock())
    state.on_admit = admitted.append
    held = [state.publish(f"r{i}", "k", "rate=2, period=10s") for i in range(5)]
    assert held == [False, False, True, True, True]

    def counts() -> tuple[int, int, int]:
        info = state.get("k")
        assert info is not None
        return info["waitListSize"], info["rateCount"], info["ratePeriodStart"]

    now[0] += 9
    assert counts() == (3, 2, 1000)
    now[0] += 1  # the period is over: two more go in
    assert counts() == (1, 2, 1010)
    assert admitted == ["r2", "r3"]
    state.release("r4")  # a waiting run that is cancelled leaves the wait list
    assert counts() == (0, 2, 1010)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_302_is_success_only_where_upstash_documents_it_and_is_never_followed(mode: str) -> None:
    """Upstash's spec answers a cancelled failure callback with 302. The client reads that as success
    there, does not follow it (even with an http_client that follows redirects), and raises
    APIStatusError for a 302 anywhere else."""
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.host}{request.url.path}")
        return httpx.Response(302, headers={"Location": "https://elsewhere.test/stolen"})

    transport = httpx.MockTransport(answer)
    options: dict[str, Any] = {"token": "t", "base_url": "https://qstash.test", "max_retries": 0}

    def run_sync() -> Exception:
        with httpx.Client(transport=transport, follow_redirects=True) as http:
            client = Client(**options, http_client=http)
            client.dlq.cancel_failure_callback("d1")  # success: no error
            with pytest.raises(APIStatusError) as info:
                client.dlq.get("d1")
            return info.value

    async def run_async() -> Exception:
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer), follow_redirects=True) as http:
            client = AsyncClient(**options, http_client=http)
            await client.dlq.cancel_failure_callback("d1")  # success: no error
            with pytest.raises(APIStatusError) as info:
                await client.dlq.get("d1")
            return info.value

    error = run_sync() if mode == "sync" else asyncio.run(run_async())
    assert isinstance(error, APIStatusError) and error.status == 302
    assert seen == ["DELETE qstash.test/v2/workflows/dlq/callback/d1", "GET qstash.test/v2/workflows/dlq/d1"]
