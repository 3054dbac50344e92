"""Hostile round 3 (issue 28), on real loopback servers: a client closed while a call is in flight,
a retry policy with a negative delay, trigger fields past the spec's bounds, and trigger_stream's
outcomes while its input is paused or its consumer cancelled."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
from collections.abc import AsyncIterator, Generator, Iterator
from typing import Any

import attrs
import pytest

from tests.conftest import URL
from tests.support import fault_server as fs
from tests.support.hostile import MODES, TOKEN, run
from upstash_workflow.rest import (
    AsyncClient,
    Client,
    ClientClosedError,
    FlowControl,
    InvalidArgumentError,
    RetryPolicy,
    ServerError,
    TriggerRequest,
    WorkflowError,
)
from upstash_workflow.rest.testing import LocalQStash

WAIT = 10.0  # a bound on every wait for the other side; never reached when the code is right

# --------------------------------------------------------------------------- closing mid-call


@attrs.define
class _ClosingServer:
    """A server whose first request makes the test close the client; once it is closed, the server
    answers ``status`` (or drops the connection when None). Later requests get the same."""

    status: int | None
    arrived: threading.Event = attrs.field(factory=threading.Event)
    closed: threading.Event = attrs.field(factory=threading.Event)

    def behave(self, conn: socket.socket, request: fs.Request, server: fs.FaultServer) -> None:
        self.arrived.set()
        self.closed.wait(WAIT)
        if self.status is not None:
            body = b'{"error":"busy"}'
            conn.sendall(fs.head(self.status, None, len(body)) + body)


def _close_mid_call_sync(status: int | None, max_retries: int) -> BaseException:
    plan = _ClosingServer(status)
    with fs.FaultServer(plan.behave) as server:
        client = Client(token=TOKEN, base_url=server.url, max_retries=max_retries)

        def closer() -> None:  # close() from another thread, while the call waits for its answer
            if plan.arrived.wait(WAIT):
                client.close()
            plan.closed.set()

        thread = threading.Thread(target=closer)
        thread.start()
        try:
            with pytest.raises(WorkflowError) as caught:
                client.trigger(url=URL)
        finally:
            plan.closed.set()
            thread.join(WAIT)
        assert len(server.requests) == 1  # no retry on a closed client
        return caught.value


def _close_mid_call_async(status: int | None, max_retries: int, coalesce: bool, calls: int) -> list[Any]:
    plan = _ClosingServer(status)
    unretrieved: list[dict[str, Any]] = []

    async def main(url: str) -> list[Any]:
        asyncio.get_running_loop().set_exception_handler(lambda loop, context: unretrieved.append(context))
        client = AsyncClient(token=TOKEN, base_url=url, max_retries=max_retries, coalesce_triggers=coalesce)
        triggers = asyncio.gather(*(client.trigger(url=URL) for _ in range(calls)), return_exceptions=True)
        try:
            assert await asyncio.to_thread(plan.arrived.wait, WAIT)
            await client.aclose()
        finally:
            plan.closed.set()
        return list(await triggers)

    with fs.FaultServer(plan.behave) as server:
        results = asyncio.run(main(server.url))
    assert unretrieved == []  # no "Task exception was never retrieved"
    return results


def _check_sent(error: object) -> None:
    assert isinstance(error, ClientClosedError), repr(error)
    assert error.request_sent is True
    assert "may have reached the server" in str(error)
    assert TOKEN not in str(error)


@pytest.mark.parametrize("max_retries", [0, 3])
@pytest.mark.parametrize("status", [503, None], ids=["then-503", "then-dropped"])
def test_sync_close_from_another_thread_ends_the_call_with_client_closed(status: int | None, max_retries: int) -> None:
    _check_sent(_close_mid_call_sync(status, max_retries))


@pytest.mark.parametrize("coalesce", [True, False], ids=["coalesced", "alone"])
@pytest.mark.parametrize("max_retries", [0, 3])
@pytest.mark.parametrize("status", [503, None], ids=["then-503", "then-dropped"])
def test_async_close_mid_call_ends_every_call_with_client_closed(
    status: int | None, max_retries: int, coalesce: bool
) -> None:
    for result in _close_mid_call_async(status, max_retries, coalesce, calls=3):
        _check_sent(result)


def test_a_call_after_close_says_nothing_was_sent() -> None:
    client = Client(token=TOKEN, base_url="http://127.0.0.1:9")
    client.close()
    with pytest.raises(ClientClosedError) as caught:
        client.trigger(url=URL)
    assert caught.value.request_sent is False


# ------------------------------------------------------------------------ a negative retry delay


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("value", [-1.0, float("nan"), float("inf")])
def test_a_policy_delay_that_is_not_a_wait_ends_in_the_last_error(mode: str, value: float) -> None:
    @attrs.frozen
    class Policy(RetryPolicy):
        def delay(self, error: Exception, retries_done: int) -> float:
            return value

    with fs.FaultServer(fs.json_answer(503, {"error": "busy"})) as server:
        with pytest.raises(ServerError):
            run(mode, server.url, lambda c: c.logs(), retry_policy=Policy())
        assert len(server.requests) == 1


# ----------------------------------------------------------------------- the spec's bounds, per field

OUT_OF_BOUNDS: dict[str, dict[str, Any]] = {
    "retries": {"retries": 10**19},
    "delay": {"delay": 1e20},
    "not_before": {"not_before": 1e19},
    "flow_control": {"flow_control": FlowControl(key="k", parallelism=10**19)},
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("field", list(OUT_OF_BOUNDS))
def test_a_value_past_the_spec_bounds_is_refused_before_sending(qstash: LocalQStash, mode: str, field: str) -> None:
    with pytest.raises(InvalidArgumentError, match=f"^{field} is out of the range"):
        run(mode, qstash.url, lambda c: c.trigger(url=URL, **OUT_OF_BOUNDS[field]), token=qstash.token)
    assert not any(path.startswith("/v2/batch") for _, path in qstash.requests)


@pytest.mark.parametrize("field", list(OUT_OF_BOUNDS))
def test_a_coalesced_caller_with_a_bad_value_fails_alone(make_async: type[AsyncClient], field: str) -> None:
    async def main() -> list[Any]:
        async with make_async() as client:
            calls = [client.trigger(url=URL, workflow_run_id=f"ok-{i}") for i in range(9)]
            calls.insert(4, client.trigger(url=URL, **OUT_OF_BOUNDS[field]))
            return list(await asyncio.gather(*calls, return_exceptions=True))

    results = asyncio.run(main())
    assert isinstance(results.pop(4), InvalidArgumentError)
    assert [r.workflow_run_id for r in results] == [f"wfr_ok-{i}" for i in range(9)]


@pytest.mark.parametrize("field", list(OUT_OF_BOUNDS))
def test_a_stream_fails_only_the_run_with_a_bad_value(client: Client, field: str) -> None:
    requests = [TriggerRequest(url=URL, workflow_run_id=f"ok-{i}") for i in range(5)]
    requests[2] = TriggerRequest(url=URL, **OUT_OF_BOUNDS[field])
    outcomes = list(client.trigger_stream(requests))
    assert [o.status for o in outcomes] == ["started", "started", "failed", "started", "started"]
    assert isinstance(outcomes[2].error, InvalidArgumentError)


# ------------------------------------------------------------- trigger_stream and a paused input

PAUSE = 5.0  # how long a paused input waits to be released; only reached when outcomes are held back


def _paused_input(gate: threading.Event, first: int, rest: int) -> Iterator[TriggerRequest]:
    """``first`` requests, then a pause until the test has seen their outcomes, then ``rest``."""
    for i in range(first + rest):
        if i == first and not gate.wait(PAUSE):
            raise RuntimeError("the stream held finished outcomes back while its input was paused")
        yield TriggerRequest(url=URL, workflow_run_id=f"run-{i}")


def test_sync_stream_yields_a_batch_answered_while_the_input_is_paused(client: Client) -> None:
    gate = threading.Event()
    stream = client.trigger_stream(_paused_input(gate, 3, 2), batch_size=3)
    first = [next(stream) for _ in range(3)]
    assert not gate.is_set()
    gate.set()
    rest = list(stream)
    assert [o.index for o in first + rest] == [0, 1, 2, 3, 4]
    assert all(o.status == "started" for o in first + rest)


async def _apaused_input(gate: asyncio.Event, first: int, rest: int) -> AsyncIterator[TriggerRequest]:
    for i in range(first + rest):
        if i == first:
            try:
                await asyncio.wait_for(gate.wait(), PAUSE)
            except TimeoutError:
                raise RuntimeError("the stream held finished outcomes back while its input was paused") from None
        yield TriggerRequest(url=URL, workflow_run_id=f"run-{i}")


def test_async_stream_yields_a_batch_answered_while_the_input_is_paused(make_async: type[AsyncClient]) -> None:
    async def main() -> list[int]:
        gate = asyncio.Event()
        async with make_async() as client:
            indexes = []
            async for outcome in client.trigger_stream(_apaused_input(gate, 3, 2), batch_size=3):
                assert outcome.status == "started"
                indexes.append(outcome.index)
                if len(indexes) == 3:
                    gate.set()
            return indexes

    assert asyncio.run(main()) == [0, 1, 2, 3, 4]


def test_leaving_a_sync_stream_while_its_input_is_paused_does_not_wait_for_the_input(client: Client) -> None:
    gate = threading.Event()
    stream = client.trigger_stream(_paused_input(gate, 2, 1), batch_size=2)
    assert isinstance(stream, Generator)  # annotated as an Iterator; a generator, so it can be closed
    assert next(stream).index == 0
    stream.close()  # returns with the input still paused
    assert not gate.is_set()
    gate.set()


# ------------------------------------------------------------ a cancelled consumer of a stream


@attrs.define
class _HeldBatch:
    """Answers every batch request with one started run per message, once ``release`` is set."""

    arrived: threading.Event = attrs.field(factory=threading.Event)
    release: threading.Event = attrs.field(factory=threading.Event)
    answered: list[int] = attrs.field(factory=list)

    def behave(self, conn: socket.socket, request: fs.Request, server: fs.FaultServer) -> None:
        self.arrived.set()
        self.release.wait(WAIT)
        messages = json.loads(request.body)
        body = json.dumps([{"messageId": f"msg_{i}"} for i in range(len(messages))]).encode()
        conn.sendall(fs.head(200, None, len(body)) + body)
        self.answered.append(len(messages))


def test_cancelling_the_consumer_of_a_stream_reports_the_batch_it_awaited(caplog: pytest.LogCaptureFixture) -> None:
    plan = _HeldBatch()

    async def main(url: str) -> None:
        async with AsyncClient(token=TOKEN, base_url=url) as client:
            requests = [TriggerRequest(url=URL, workflow_run_id=f"run-{i}") for i in range(2)]

            async def consume() -> None:
                async for _ in client.trigger_stream(requests):
                    raise AssertionError("no outcome is yielded before the cancel")

            consumer = asyncio.ensure_future(consume())
            assert await asyncio.to_thread(plan.arrived.wait, WAIT)
            consumer.cancel()
            plan.release.set()
            with pytest.raises(asyncio.CancelledError):
                await consumer

    with caplog.at_level(logging.WARNING, logger="upstash_workflow.rest"), fs.FaultServer(plan.behave) as server:
        asyncio.run(main(server.url))
    assert plan.answered == [2]  # the batch was not cut off: its answer was sent, and read
    (record,) = [r for r in caplog.records if "trigger_stream" in r.getMessage()]
    assert "2 runs" in record.getMessage()
    assert "indexes 0 to 1" in record.getMessage()
    assert "2 started, 0 failed" in record.getMessage()


# ------------------------------------------------- a destination URL in a path (issue 23, item 7)

# destination -> the path it is sent to: unencoded, as @upstash/qstash puts a destination in a path,
# but for what would change the request ("%", "?", "#", dot segments).
DESTINATIONS = {
    "https://x.example/api/workflow": "/v2/trigger/https://x.example/api/workflow",
    "https://x.example/a?b=1&c=2#frag": "/v2/trigger/https://x.example/a%3Fb=1&c=2%23frag",
    "https://x.example/../admin": "/v2/trigger/https://x.example/%2E%2E/admin",
    "https://x.example/./a/..": "/v2/trigger/https://x.example/%2E/a/%2E%2E",
    "http://127.0.0.1:8080/a%2Fb": "/v2/trigger/http://127.0.0.1:8080/a%252Fb",
}


@pytest.mark.parametrize("destination", list(DESTINATIONS))
def test_the_raw_trigger_puts_the_destination_in_the_path_as_upstash_clients_do(
    qstash: LocalQStash, client: Client, destination: str
) -> None:
    from upstash_workflow_api.api.runs import trigger_run

    assert trigger_run._get_kwargs(destination)["url"] == DESTINATIONS[destination]
    answer = trigger_run.sync_detailed(destination, client=client.api, upstash_workflow_run_id="wfr_raw")
    assert answer.status_code == 200, answer.content
    assert qstash.run("wfr_raw").url == destination
    (sent,) = [p for method, p in qstash.requests if p.startswith("/v2/trigger/")]
    assert sent == DESTINATIONS[destination]  # on the wire as planned: httpx resolved no dot segment


@pytest.mark.parametrize("destination", list(DESTINATIONS))
def test_local_qstash_also_takes_the_destination_as_one_encoded_segment(qstash: LocalQStash, destination: str) -> None:
    from urllib.parse import quote

    import httpx

    segment = quote(destination, safe="").replace(".", "%2E")
    answer = httpx.post(
        f"{qstash.url}/v2/trigger/{segment}",
        headers={"Authorization": f"Bearer {qstash.token}", "Upstash-Workflow-RunId": "wfr_encoded"},
    )
    assert answer.status_code == 200, answer.text
    assert qstash.run("wfr_encoded").url == destination
