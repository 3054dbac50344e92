"""Starting many runs: per-run batch outcomes, batch bounds, trigger_stream and AsyncClient trigger
coalescing, over real loopback sockets (LocalQStash and its fault injection), sync and async alike."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, AsyncIterator, Iterable, Iterator
from typing import Any

import httpx
import pytest
import respx

from tests.conftest import URL
from tests.support.waits import RecordingPolicy
from upstash_workflow.rest import (
    AsyncClient,
    Client,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    PartialTriggerError,
    ServerError,
    TriggerOutcome,
    TriggerRejectedError,
    TriggerRequest,
    TriggerResult,
)
from upstash_workflow.rest._batching import MAX_BATCH_BYTES, Batcher
from upstash_workflow.rest._trigger import Options
from upstash_workflow.rest.testing import LocalQStash

MODES = ["sync", "async"]


def batch_requests(qstash: LocalQStash) -> int:
    return len([r for r in qstash.requests if r[1] == "/v2/batch"])


def answer(*items: dict[str, Any]) -> str:
    return json.dumps(list(items))


def on(mode: str, qstash: LocalQStash, op: Any, **kw: Any) -> Any:
    """``op(client)`` (awaited for the async client) on a fresh client of the fixture server."""
    kw = {"token": qstash.token, "base_url": qstash.url, **kw}
    if mode == "sync":
        with Client(**kw) as client:
            return op(client)

    async def run() -> Any:
        async with AsyncClient(**kw) as client:
            return await op(client)

    return asyncio.run(asyncio.wait_for(run(), timeout=60))


def stream(
    mode: str, qstash: LocalQStash, requests: Any, **kw: Any
) -> tuple[list[TriggerOutcome], BaseException | None]:
    """Every outcome of ``trigger_stream``, and the error it ended with (None when it ended cleanly)."""
    seen: list[TriggerOutcome] = []
    base: dict[str, Any] = {"token": qstash.token, "base_url": qstash.url}
    try:
        if mode == "sync":
            with Client(**base) as client:
                seen.extend(client.trigger_stream(requests, **kw))
        else:

            async def run() -> None:
                async with AsyncClient(**base) as client:
                    async for outcome in client.trigger_stream(requests, **kw):
                        seen.append(outcome)

            asyncio.run(asyncio.wait_for(run(), timeout=60))
    except Exception as exc:
        return seen, exc
    return seen, None


# ------------------------------------------------------------------------------- per-run outcomes


@pytest.mark.parametrize("mode", MODES)
def test_trigger_many_reports_which_runs_qstash_refused(mode: str, qstash: LocalQStash) -> None:
    requests = [TriggerRequest(url=URL, workflow_run_id=f"p{i}") for i in range(3)]
    qstash.inject(
        "body",
        status=200,
        path_prefix="/v2/batch",
        body=answer(
            {"messageId": "m0", "error": None},
            {"error": "invalid destination"},
            {"messageId": "m2", "deduplicated": True},
        ),
    )

    def op(client: Any) -> Any:
        return client.trigger_many(requests)

    with pytest.raises(PartialTriggerError) as info:
        on(mode, qstash, op)
    error = info.value
    assert [r.workflow_run_id for r in error.started] == ["wfr_p0", "wfr_p2"]
    assert error.started[1].deduplicated
    assert error.started_runs == error.started
    ((request, rejected),) = error.failed
    assert request is requests[1]
    assert isinstance(rejected, TriggerRejectedError)
    assert rejected.message == "invalid destination"
    assert rejected.workflow_run_id == "wfr_p1"
    assert [(o.index, o.status) for o in error.outcomes] == [(0, "started"), (1, "failed"), (2, "deduplicated")]
    assert error.__cause__ is rejected


@pytest.mark.parametrize("mode", MODES)
def test_trigger_raises_the_error_qstash_gave_for_its_message(mode: str, qstash: LocalQStash) -> None:
    qstash.inject("body", status=200, path_prefix="/v2/batch", body=answer({"error": "destination not allowed"}))

    def op(client: Any) -> Any:
        return client.trigger(url=URL, workflow_run_id="one")

    with pytest.raises(TriggerRejectedError, match="destination not allowed") as info:
        on(mode, qstash, op)
    assert info.value.workflow_run_id == "wfr_one"
    assert info.value.answer == {"error": "destination not allowed"}


@pytest.mark.parametrize("mode", MODES)
def test_a_failed_batch_does_not_stop_the_others(mode: str, qstash: LocalQStash) -> None:
    """Sync and async alike send every batch; the runs of the failed one are reported with its error."""
    requests = [TriggerRequest(url=URL, workflow_run_id=f"b{i}") for i in range(300)]
    qstash.inject("status", status=500, path_prefix="/v2/batch", after=1)

    def op(client: Any) -> Any:
        return client.trigger_many(requests, batch_size=100)

    with pytest.raises(PartialTriggerError) as info:
        on(mode, qstash, op)
    assert batch_requests(qstash) == 3
    assert len(info.value.started) == 200
    assert len(info.value.failed) == 100
    assert all(isinstance(e, ServerError) for _, e in info.value.failed)
    assert {r.workflow_run_id for r in info.value.started} == set(qstash.state.runs)
    assert [o.index for o in info.value.outcomes] == list(range(300))


@pytest.mark.parametrize("mode", MODES)
def test_one_failed_request_holding_every_run_raises_its_own_error(mode: str, qstash: LocalQStash) -> None:
    qstash.inject("status", status=500, path_prefix="/v2/batch")

    def op(client: Any) -> Any:
        return client.trigger_many([TriggerRequest(url=URL), TriggerRequest(url=URL)])

    with pytest.raises(ServerError):
        on(mode, qstash, op)


@pytest.mark.parametrize("mode", MODES)
def test_trigger_many_checks_every_request_before_sending_any(mode: str, qstash: LocalQStash) -> None:
    requests = [TriggerRequest(url=URL) for _ in range(150)] + [TriggerRequest(url="not a url")]

    def op(client: Any) -> Any:
        return client.trigger_many(requests)

    with pytest.raises(InvalidArgumentError):
        on(mode, qstash, op)
    assert batch_requests(qstash) == 0


# ------------------------------------------------------------------------------------- batch bounds


def test_batches_are_bounded_by_bytes_as_well_as_count() -> None:
    batcher = Batcher(Options(), batch_size=100, max_bytes=5_000)
    batches = list(batcher.batches(TriggerRequest(url=URL, body="x" * 900) for _ in range(40)))
    assert sum(len(b.entries) for b in batches) == 40
    for batch in batches:
        request = batch.request()
        assert request is not None
        content = request["content"]
        assert batch.size == len(content) <= 5_000
        assert len(json.loads(content)) == len(batch.entries)
    assert len(batches) > 1


def test_reused_headers_give_the_very_message_built_from_scratch() -> None:
    """Runs that differ only in id and body reuse the encoded headers of the previous run."""
    from upstash_workflow.rest import FlowControl, Redact
    from upstash_workflow.rest._batching import _message
    from upstash_workflow.rest._validate import body_text

    options = Options(global_headers={"upstash-forward-g": "1"}, message_telemetry={"upstash-telemetry-sdk": "x"})
    shapes = [
        TriggerRequest(url=URL, body="plain"),
        TriggerRequest(url=URL, body={"é": "ü", "q": 'a"b'}, workflow_run_id='q"uote\\'),
        TriggerRequest(url=URL, retries=1, label=["a", "b"], headers={"X-A": "1"}),
        TriggerRequest(url=URL, retries=2, flow_control=FlowControl(key="k", rate=3)),
        TriggerRequest(url=URL, redact=Redact(body=True, header=["Authorization"]), delay=10),
        TriggerRequest(url=URL, delay=10.0, failure_url=URL + "/f", not_before=1_900_000_000),
    ]
    requests = [shape for shape in shapes for _ in range(2)]  # each shape twice: the second reuses the first
    (batch,) = list(Batcher(options, batch_size=100).batches(requests))
    for entry in batch.entries:
        assert entry.run_id is not None
        assert entry.message == _message(options, entry.request, entry.run_id, body_text(entry.request.body))


def test_reused_headers_never_skip_a_check() -> None:
    """``retries=True`` equals 1, but only an int is a retry count: a shape is reused only for values
    of the same type."""
    from upstash_workflow.rest._batching import plan

    valid = TriggerRequest(url=URL, retries=1)
    assert len(plan(Options(), [valid, valid], 10)) == 1
    with pytest.raises(InvalidArgumentError, match="retries"):
        plan(Options(), [valid, TriggerRequest(url=URL, retries=True)], 10)


def test_a_message_larger_than_the_bound_goes_alone(client: Client, qstash: LocalQStash) -> None:
    big = "y" * (MAX_BATCH_BYTES + 10)
    requests = [TriggerRequest(url=URL, body="a"), TriggerRequest(url=URL, body=big), TriggerRequest(url=URL, body="b")]
    results = client.trigger_many(requests)
    assert batch_requests(qstash) == 3
    assert [qstash.run(r.workflow_run_id).body for r in results] == ["a", big, "b"]


# ------------------------------------------------------------------------------------ trigger_stream


def failing_after(count: int, error: Exception) -> Iterator[TriggerRequest]:
    for i in range(count):
        yield TriggerRequest(url=URL, workflow_run_id=f"s{i}")
    raise error


@pytest.mark.parametrize("mode", MODES)
def test_stream_sends_exactly_the_runs_read_before_the_input_failed(mode: str, qstash: LocalQStash) -> None:
    outcomes, error = stream(mode, qstash, failing_after(250, RuntimeError("disk gone")), batch_size=100)
    assert isinstance(error, RuntimeError) and str(error) == "disk gone"
    assert [o.index for o in outcomes] == list(range(250))
    assert all(o.status == "started" for o in outcomes)
    assert set(qstash.state.runs) == {f"wfr_s{i}" for i in range(250)}
    assert batch_requests(qstash) == 3


@pytest.mark.parametrize("mode", MODES)
def test_stream_reads_its_input_lazily(mode: str, qstash: LocalQStash) -> None:
    pulled = 0

    def requests() -> Iterator[TriggerRequest]:
        nonlocal pulled
        for i in range(100_000):
            pulled += 1
            yield TriggerRequest(url=URL, workflow_run_id=f"l{i}")

    async def first_async(client: AsyncClient) -> TriggerOutcome:
        outcomes = client.trigger_stream(requests(), batch_size=10)
        first = await outcomes.__anext__()
        await outcomes.aclose()  # type: ignore[attr-defined]
        return first

    def first_sync(client: Client) -> TriggerOutcome:
        outcomes = client.trigger_stream(requests(), batch_size=10)
        first = next(outcomes)
        outcomes.close()  # type: ignore[attr-defined]
        return first

    first = on(mode, qstash, first_sync if mode == "sync" else first_async)
    assert first.index == 0 and first.workflow_run_id == "wfr_l0"
    assert pulled <= 17 * 10 + 1  # the batches in flight and the one being filled, not the input
    # Closing waited for the batches in flight: every batch sent was answered, none sent after.
    assert len(qstash.state.runs) <= pulled
    assert len(qstash.state.runs) == 10 * batch_requests(qstash)


@pytest.mark.parametrize("mode", MODES)
def test_stream_outcomes_keep_input_order_under_partial_failures(mode: str, qstash: LocalQStash) -> None:
    requests = [TriggerRequest(url=URL, workflow_run_id=f"o{i}") for i in range(400)]
    rejected = [{"messageId": f"m{i}"} for i in range(100)]
    rejected[5] = {"error": "quota"}
    qstash.inject("body", status=200, path_prefix="/v2/batch", body=answer(*rejected))  # first to arrive
    qstash.inject("status", status=500, path_prefix="/v2/batch", after=1)  # third to arrive
    outcomes, error = stream(mode, qstash, requests, batch_size=100)
    assert error is None
    assert [o.index for o in outcomes] == list(range(400))
    assert [o.workflow_run_id for o in outcomes] == [f"wfr_o{i}" for i in range(400)]  # sent: ids known
    blocks = [outcomes[i : i + 100] for i in range(0, 400, 100)]
    server_failed = [b for b in blocks if all(isinstance(o.error, ServerError) for o in b)]
    refused = [b for b in blocks if isinstance(b[5].error, TriggerRejectedError)]
    assert len(server_failed) == 1 and len(refused) == 1
    assert [o.status for o in refused[0]].count("failed") == 1
    others = [o for b in blocks if b is not server_failed[0] and b is not refused[0] for o in b]
    assert len(others) == 200 and all(o.status == "started" for o in others)
    assert {o.workflow_run_id for o in others} <= set(qstash.state.runs)


@pytest.mark.parametrize("mode", MODES)
def test_stream_reports_an_invalid_request_and_goes_on(mode: str, qstash: LocalQStash) -> None:
    requests: list[Any] = [TriggerRequest(url=URL, workflow_run_id=f"v{i}") for i in range(5)]
    requests[2] = TriggerRequest(url="ftp://nope")
    outcomes, error = stream(mode, qstash, requests, batch_size=2)
    assert error is None
    assert [(o.index, o.status) for o in outcomes] == [(i, "failed" if i == 2 else "started") for i in range(5)]
    assert isinstance(outcomes[2].error, InvalidArgumentError) and outcomes[2].workflow_run_id is None
    assert set(qstash.state.runs) == {f"wfr_v{i}" for i in (0, 1, 3, 4)}


def test_async_stream_takes_an_async_iterable(qstash: LocalQStash, make_async: type[AsyncClient]) -> None:
    async def requests() -> AsyncIterator[TriggerRequest]:
        for i in range(25):
            await asyncio.sleep(0)
            yield TriggerRequest(url=URL, workflow_run_id=f"a{i}")

    async def main() -> list[str | None]:
        async with make_async() as client:
            return [o.workflow_run_id async for o in client.trigger_stream(requests(), batch_size=10, start_index=7)]

    ids = asyncio.run(main())
    assert ids == [f"wfr_a{i}" for i in range(25)]
    assert batch_requests(qstash) == 3


def test_sync_stream_refuses_an_async_iterable_with_a_typed_error(client: Client, qstash: LocalQStash) -> None:
    async def requests() -> AsyncGenerator[TriggerRequest, None]:
        yield TriggerRequest(url=URL)

    source = requests()
    with pytest.raises(InvalidArgumentTypeError, match=r"AsyncClient\.trigger_stream"):
        next(client.trigger_stream(source))  # type: ignore[arg-type]  # the types forbid it; untyped code may not
    asyncio.run(source.aclose())
    assert batch_requests(qstash) == 0


def test_stream_indexes_start_where_told(client: Client) -> None:
    outcomes = list(client.trigger_stream([TriggerRequest(url=URL)] * 3, start_index=1_000))
    assert [o.index for o in outcomes] == [1_000, 1_001, 1_002]


@pytest.mark.parametrize("bad", [{"batch_size": 0}, {"start_index": -1}])
def test_stream_arguments_are_checked_before_anything_is_sent(
    client: Client, qstash: LocalQStash, bad: dict[str, int]
) -> None:
    with pytest.raises(InvalidArgumentError):
        next(client.trigger_stream([TriggerRequest(url=URL)], **bad))
    assert batch_requests(qstash) == 0


# -------------------------------------------------------------------------------------- coalescing


def gather_triggers(client: AsyncClient, ids: Iterable[str]) -> Any:
    return asyncio.gather(*(client.trigger(url=URL, workflow_run_id=i) for i in ids), return_exceptions=True)


def test_concurrent_async_triggers_share_one_request(qstash: LocalQStash, make_async: type[AsyncClient]) -> None:
    async def main() -> list[Any]:
        async with make_async() as client:
            return await gather_triggers(client, [f"c{i}" for i in range(30)])  # type: ignore[no-any-return]

    results = asyncio.run(main())
    assert [r.workflow_run_id for r in results] == [f"wfr_c{i}" for i in range(30)]
    assert batch_requests(qstash) == 1
    assert set(qstash.state.runs) == {f"wfr_c{i}" for i in range(30)}


def test_each_coalesced_caller_gets_its_own_result_or_error(qstash: LocalQStash, make_async: type[AsyncClient]) -> None:
    items = [{"messageId": f"m{i}"} for i in range(5)]
    items[3] = {"error": "rejected three"}
    qstash.inject("body", status=200, path_prefix="/v2/batch", body=answer(*items))

    async def main() -> list[Any]:
        async with make_async() as client:
            return await gather_triggers(client, [f"e{i}" for i in range(5)])  # type: ignore[no-any-return]

    results = asyncio.run(main())
    assert isinstance(results[3], TriggerRejectedError) and results[3].workflow_run_id == "wfr_e3"
    assert [(r.workflow_run_id, r.message_id) for r in results if isinstance(r, TriggerResult)] == [
        (f"wfr_e{i}", f"m{i}") for i in (0, 1, 2, 4)
    ]


def test_a_failed_coalesced_request_fails_every_caller(qstash: LocalQStash, make_async: type[AsyncClient]) -> None:
    qstash.inject("status", status=500, path_prefix="/v2/batch")

    async def main() -> list[Any]:
        async with make_async() as client:
            return await gather_triggers(client, [f"f{i}" for i in range(4)])  # type: ignore[no-any-return]

    assert all(isinstance(r, ServerError) for r in asyncio.run(main()))


def test_a_retried_coalesced_request_never_starts_a_run_twice(
    qstash: LocalQStash, make_async: type[AsyncClient]
) -> None:
    qstash.inject("lose_response", path_prefix="/v2/batch")  # processed, answer lost: retried

    async def main() -> list[TriggerResult]:
        async with make_async(retry_policy=RecordingPolicy()) as client:  # retried at once
            return list(await asyncio.gather(*(client.trigger(url=URL, body=str(i)) for i in range(20))))

    results = asyncio.run(main())
    assert batch_requests(qstash) == 2
    assert len(qstash.state.runs) == 20
    assert {r.workflow_run_id for r in results} == set(qstash.state.runs)
    assert all(r.deduplicated for r in results)
    assert sorted(str(qstash.run(r.workflow_run_id).body) for r in results) == sorted(str(i) for i in range(20))


def test_calls_of_two_clients_are_never_merged(qstash: LocalQStash, make_async: type[AsyncClient]) -> None:
    async def main() -> None:
        async with make_async(headers={"x-client": "a"}) as a, make_async(headers={"x-client": "b"}) as b:
            await asyncio.gather(gather_triggers(a, [f"a{i}" for i in range(5)]), gather_triggers(b, ["b0", "b1"]))

    asyncio.run(main())
    assert batch_requests(qstash) == 2
    for run_id, run in qstash.state.runs.items():
        assert run.headers["upstash-forward-x-client"] == run_id[4]


def test_many_concurrent_triggers_are_split_by_the_batch_bound(
    qstash: LocalQStash, make_async: type[AsyncClient]
) -> None:
    async def main() -> list[Any]:
        async with make_async() as client:
            return await gather_triggers(client, [f"n{i}" for i in range(250)])  # type: ignore[no-any-return]

    assert len({r.workflow_run_id for r in asyncio.run(main())}) == 250
    assert batch_requests(qstash) == 3


def test_a_caller_cancelled_before_the_flush_sends_nothing(qstash: LocalQStash, make_async: type[AsyncClient]) -> None:
    async def main() -> list[Any]:
        async with make_async() as client:
            calls = [asyncio.ensure_future(client.trigger(url=URL, workflow_run_id=f"x{i}")) for i in range(3)]
            await asyncio.sleep(0)  # every call is waiting for the flush
            calls[1].cancel()
            return await asyncio.gather(*calls, return_exceptions=True)

    results = asyncio.run(main())
    assert isinstance(results[1], asyncio.CancelledError)
    assert set(qstash.state.runs) == {"wfr_x0", "wfr_x2"}
    assert batch_requests(qstash) == 1


def test_coalescing_can_be_switched_off(qstash: LocalQStash, make_async: type[AsyncClient]) -> None:
    async def main() -> None:
        async with make_async(coalesce_triggers=False) as client:
            await gather_triggers(client, [f"o{i}" for i in range(5)])

    asyncio.run(main())
    assert batch_requests(qstash) == 5


def test_a_lone_coalesced_call_sends_the_request_it_always_did() -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=[{"messageId": "m"}])

    async def one(coalesce: bool) -> None:
        async with AsyncClient(token="t", base_url="https://qstash.example", coalesce_triggers=coalesce) as client:
            await client.trigger(url=URL, body={"a": 1}, workflow_run_id="same", disable_telemetry=True)

    with respx.mock(assert_all_called=False) as router:
        router.post("https://qstash.example/v2/batch").mock(side_effect=record)
        asyncio.run(one(True))
        asyncio.run(one(False))
    merged, alone = sent
    assert merged.content == alone.content
    assert merged.headers.items() == alone.headers.items()


def test_batches_are_freed_without_the_cyclic_garbage_collector(client: Client) -> None:
    """A batch that referred to itself waited for a full collection; a million-run stream grew by
    ~100 MB that way."""
    import gc

    list(client.trigger_stream([TriggerRequest(url=URL)] * 5, batch_size=2))  # imports, connections
    gc.collect()
    gc.disable()
    try:
        batches = list(Batcher(Options(), batch_size=2).batches([TriggerRequest(url=URL)] * 5))
        assert len(batches) == 3
        del batches
        assert gc.collect() == 0
    finally:
        gc.enable()


@pytest.mark.parametrize("mode", MODES)
def test_sent_bodies_are_freed_without_the_cyclic_garbage_collector(mode: str, qstash: LocalQStash) -> None:
    """httpx links a response and its stream both ways; a read response is unlinked, so the request
    and its body go as soon as the call returns (a stream would otherwise hold tens of MB)."""
    import gc

    def op(client: Any) -> Any:
        return client.trigger_many([TriggerRequest(url=URL)] * 30, batch_size=10)

    on(mode, qstash, op)  # imports, connections
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        on(mode, qstash, op)
        gc.collect()
        leftovers = [o for o in gc.garbage if isinstance(o, httpx.Request | httpx.Response)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert leftovers == []
