"""Load: many triggers, many concurrent async calls, long log histories; no lost or duplicated
runs, no leaked file descriptors or connections, flat memory while paging."""

from __future__ import annotations

import asyncio
import gc
import os
import time
import tracemalloc
from pathlib import Path

import pytest

from tests.conftest import URL
from upstash_workflow.rest import AsyncClient, Client, TriggerRequest
from upstash_workflow.rest.testing import LocalQStash

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc to count descriptors")


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def settled_fds(limit: int, seconds: float = 3.0) -> int:
    """Descriptors once the in-process server's threads have closed their side of the closed
    connections (they see EOF a moment after the client closes); a real leak never settles."""
    deadline = time.monotonic() + seconds
    while (count := open_fds()) > limit and time.monotonic() < deadline:
        gc.collect()
        time.sleep(0.05)
    return count


def test_ten_thousand_triggers_each_start_exactly_one_run(qstash: LocalQStash) -> None:
    before = open_fds()
    requests = [TriggerRequest(url=f"{URL}/{i % 7}", body=str(i)) for i in range(10_000)]
    with Client(token=qstash.token, base_url=qstash.url) as client:
        results = client.trigger_many(requests, batch_size=100)
    ids = [r.workflow_run_id for r in results]
    assert len(ids) == 10_000
    assert len(set(ids)) == 10_000
    assert set(ids) == set(qstash.state.runs)
    assert [qstash.run(r).body for r in ids[:5]] == ["0", "1", "2", "3", "4"]  # order kept
    assert len([r for r in qstash.requests if r[1] == "/v2/batch"]) == 100
    assert settled_fds(before) <= before


def test_a_thousand_concurrent_async_calls(qstash: LocalQStash) -> None:
    before = open_fds()

    async def main() -> list[str]:
        async with AsyncClient(token=qstash.token, base_url=qstash.url) as client:
            triggers = [client.trigger(url=URL, body=str(i)) for i in range(800)]
            reads = [client.get_waiters(event_id=f"e{i}") for i in range(200)]
            results = await asyncio.gather(*triggers, *reads)
            return [r.workflow_run_id for r in results[:800]]

    ids = asyncio.run(asyncio.wait_for(main(), timeout=120))
    assert len(set(ids)) == 800
    assert set(ids) == set(qstash.state.runs)
    assert settled_fds(before) <= before


def test_async_trigger_many_runs_batches_in_parallel_and_keeps_order(qstash: LocalQStash) -> None:
    requests = [TriggerRequest(url=URL, workflow_run_id=f"r{i}") for i in range(1_050)]

    async def main() -> list[str]:
        async with AsyncClient(token=qstash.token, base_url=qstash.url) as client:
            return [r.workflow_run_id for r in await client.trigger_many(requests, batch_size=100)]

    assert asyncio.run(main()) == [f"wfr_r{i}" for i in range(1_050)]
    assert len(qstash.state.runs) == 1_050


def test_a_failed_batch_reports_the_runs_that_started(qstash: LocalQStash) -> None:
    from upstash_workflow.rest import PartialTriggerError, ServerError

    requests = [TriggerRequest(url=URL) for _ in range(250)]
    qstash.inject("status", status=500, path_prefix="/v2/batch", after=2)  # the third batch to arrive fails
    with Client(token=qstash.token, base_url=qstash.url) as client, pytest.raises(PartialTriggerError) as info:
        client.trigger_many(requests, batch_size=100)
    started, failed = info.value.started, info.value.failed
    assert len(started) + len(failed) == 250
    assert len(failed) in (50, 100)  # a whole batch: the last one holds 50 runs
    assert all(isinstance(error, ServerError) for _, error in failed)
    assert {r.workflow_run_id for r in started} == set(qstash.state.runs)
    assert info.value.started_runs == started


def test_memory_stays_flat_while_iterating_a_long_history(qstash: LocalQStash) -> None:
    messages = [{"destination": URL, "headers": {}, "body": "x" * 200} for _ in range(20_000)]
    qstash.state.publish(messages, "127.0.0.1")
    with Client(token=qstash.token, base_url=qstash.url) as client:
        runs = client.iter_logs(count=500)
        tracemalloc.start()
        try:
            seen = sum(1 for _ in zip(range(2_000), runs, strict=False))
            gc.collect()
            early = tracemalloc.get_traced_memory()[0]
            seen += sum(1 for _ in zip(range(17_500), runs, strict=False))
            gc.collect()
            late = tracemalloc.get_traced_memory()[0]
            seen += sum(1 for _ in runs)
        finally:
            tracemalloc.stop()
    assert seen == 20_000
    # Holding the runs seen so far would add ~17,500 runs (tens of MB) between the two readings;
    # paging holds one page at a time.
    assert late - early < 2_000_000, (early, late)
