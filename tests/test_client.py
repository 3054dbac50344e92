"""Every operation, sync and async, over real loopback sockets against LocalQStash."""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect
import re

import httpx
import pytest

from tests.conftest import URL
from upstash_workflow.rest import (
    AsyncClient,
    CancelFilter,
    Client,
    DLQFilter,
    FlowControl,
    NotFoundError,
    TriggerRequest,
    WorkflowRunLog,
)
from upstash_workflow.rest.testing import LocalQStash

RUN_ID = re.compile(r"^wfr_[A-Za-z0-9_-]{21}$")


def test_trigger_prefixes_and_stores_the_run(client: Client, qstash: LocalQStash) -> None:
    run = client.trigger(url=URL, body="hello there!", headers={"x": "1"}, workflow_run_id="my-workflow", retries=3)
    assert run.workflow_run_id == "wfr_my-workflow"
    stored = qstash.run("wfr_my-workflow")
    assert stored.url == URL
    assert stored.body == "hello there!"
    assert stored.headers["upstash-forward-x"] == "1"
    assert stored.state == "RUN_STARTED"


def test_trigger_random_ids_are_unique_and_well_formed(client: Client) -> None:
    ids = {client.trigger(url=URL).workflow_run_id for _ in range(20)}
    assert len(ids) == 20
    assert all(RUN_ID.match(i) for i in ids)


def test_trigger_same_id_twice_is_deduplicated(client: Client, qstash: LocalQStash) -> None:
    first = client.trigger(url=URL, workflow_run_id="dup")
    second = client.trigger(url=URL, workflow_run_id="dup")
    assert not first.deduplicated
    assert second.deduplicated
    assert len(qstash.state.runs) == 1


def test_trigger_json_body_and_options(client: Client, qstash: LocalQStash) -> None:
    run = client.trigger(
        url=URL,
        body={"order": 42},
        label=["a", "b"],
        flow_control=FlowControl(key="k", parallelism=2, rate=10, period="1m"),
        delay=dt.timedelta(seconds=90),
        not_before=dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc),
        retry_delay="1000",
    )
    stored = qstash.run(run.workflow_run_id)
    assert stored.body == '{"order":42}'
    assert stored.labels == ["a", "b"]
    assert stored.headers["upstash-flow-control-value"] == "parallelism=2, rate=10, period=1m"
    assert stored.headers["upstash-delay"] == "90s"
    assert stored.headers["upstash-not-before"] == "1893456000"


def test_trigger_many_keeps_order(client: Client, qstash: LocalQStash) -> None:
    requests = [TriggerRequest(url=f"{URL}/{i}", workflow_run_id=f"r{i}") for i in range(5)]
    results = client.trigger_many(requests)
    assert [r.workflow_run_id for r in results] == [f"wfr_r{i}" for i in range(5)]
    assert [qstash.run(r.workflow_run_id).url for r in results] == [f"{URL}/{i}" for i in range(5)]


def test_cancel_forms(client: Client, qstash: LocalQStash) -> None:
    for i in range(3):
        client.trigger(url=f"https://a.com/{i}", workflow_run_id=f"a{i}", label="x" if i == 0 else None)
    for i in range(2):
        client.trigger(url=f"https://b.com/{i}", workflow_run_id=f"b{i}")
    assert client.cancel("wfr_a0").cancelled == 1
    assert client.cancel(ids=[]).cancelled == 0
    assert client.cancel(ids=["wfr_a1"]).cancelled == 1
    assert client.cancel(url_starting_with="https://b.com").cancelled == 2
    assert client.cancel(filter=CancelFilter(workflow_url="https://a.com/2")).cancelled == 1
    assert client.cancel(all=True).cancelled == 0
    assert {r.state for r in qstash.state.runs.values()} == {"RUN_CANCELED"}


def test_cancel_all_with_count(client: Client) -> None:
    for _ in range(5):
        client.trigger(url=URL)
    assert client.cancel(all=True, count=3).cancelled == 3
    assert client.cancel(all=True).cancelled == 2


def test_empty_id_list_sends_nothing(client: Client, qstash: LocalQStash) -> None:
    assert client.cancel(ids=[]).cancelled == 0
    assert client.dlq.delete([]).deleted == 0
    assert client.dlq.resume([]).workflow_runs == []
    assert qstash.requests == []


def test_notify_and_waiters(client: Client, qstash: LocalQStash) -> None:
    run = client.trigger(url=URL)
    qstash.add_waiter("order-paid", run.workflow_run_id)
    waiters = client.get_waiters(event_id="order-paid")
    assert [w.url for w in waiters] == [URL]
    responses = client.notify(event_id="order-paid", event_data={"paid": True})
    assert len(responses) == 1
    waiter, message_id = responses[0].waiter, responses[0].message_id
    assert waiter is not None and waiter.url == URL
    assert message_id is not None and message_id.startswith("msg_")
    assert client.get_waiters(event_id="order-paid") == []
    assert qstash.run(run.workflow_run_id).events[0]["data"] == '{"paid":true}'


def test_notify_lookback_for_one_run(client: Client, qstash: LocalQStash) -> None:
    run = client.trigger(url=URL)
    (kept,) = client.notify(event_id="later", event_data="x", workflow_run_id=run.workflow_run_id)
    assert kept.workflow_run_id == run.workflow_run_id and kept.waiter is None and kept.message_id is None
    qstash.add_waiter("later", run.workflow_run_id)  # the event was kept: the wait ends at once
    assert client.get_waiters(event_id="later") == []
    assert qstash.run(run.workflow_run_id).events[0]["data"] == "x"


def test_notify_unknown_run_is_not_found(client: Client) -> None:
    with pytest.raises(NotFoundError) as info:
        client.notify(event_id="e", workflow_run_id="wfr_nope")
    assert info.value.status == 404
    assert "wfr_nope" in info.value.message


def test_waiters_past_deadline_are_gone(client: Client, qstash: LocalQStash) -> None:
    run = client.trigger(url=URL)
    qstash.add_waiter("soon", run.workflow_run_id, timeout=-1)
    assert client.get_waiters(event_id="soon") == []


def test_event_ids_are_one_path_segment(client: Client, qstash: LocalQStash) -> None:
    run = client.trigger(url=URL)
    odd = "a/b ?c#d/../é"
    qstash.add_waiter(odd, run.workflow_run_id)
    assert len(client.get_waiters(event_id=odd)) == 1
    assert len(client.notify(event_id=odd, event_data="x")) == 1


def test_logs_pages_and_filters(client: Client) -> None:
    for i in range(7):
        client.trigger(url=URL if i % 2 else "https://other.com/wf", label="even" if i % 2 == 0 else None)
    page = client.logs(count=3)
    assert len(page.runs) == 3
    assert page.cursor
    everything = list(client.iter_logs(count=3))
    assert len(everything) == 7
    assert len({r.workflow_run_id for r in everything}) == 7
    created = [r.workflow_run_created_at or 0 for r in everything]
    assert created == sorted(created, reverse=True)
    assert all(isinstance(r, WorkflowRunLog) and r.steps[0].steps[0].step_type == "Initial" for r in everything)
    assert len(list(client.iter_logs(label="even"))) == 4
    assert len(client.logs(workflow_url=URL).runs) == 3
    last = client.logs(count=100)
    assert last.cursor is None


def test_dlq_lifecycle(client: Client, qstash: LocalQStash) -> None:
    runs = [client.trigger(url=URL, workflow_run_id=f"d{i}") for i in range(4)]
    dlq_ids = [qstash.add_dlq_message(r.workflow_run_id) for r in runs]
    listed = client.dlq.list()
    assert {m.dlq_id for m in listed.messages} == set(dlq_ids)
    assert all(m.response_status == 500 for m in listed.messages)
    assert len(list(client.dlq.iter(count=1))) == 4
    resumed = client.dlq.resume(dlq_ids[0], retries=5, flow_control=FlowControl(key="k", parallelism=1))
    assert [r.workflow_run_id for r in resumed.workflow_runs] == ["wfr_d0"]
    assert qstash.run("wfr_d0").state == "RUN_STARTED"
    assert qstash.run("wfr_d0").headers["upstash-retries"] == "5"
    restarted = client.dlq.restart([dlq_ids[1]])
    assert restarted.workflow_runs[0].workflow_run_id != "wfr_d1"
    retried = client.dlq.retry_failure_function(dlq_ids[2])
    assert retried.workflow_run_id == "wfr_d2"
    assert client.dlq.delete(filter=DLQFilter(workflow_run_id="wfr_d3")).deleted == 1
    assert client.dlq.delete(all=True).deleted == 1
    with pytest.raises(NotFoundError):
        client.dlq.retry_failure_function("dlq_missing")


def test_async_client_does_everything(qstash: LocalQStash, make_async: type[AsyncClient]) -> None:
    async def scenario() -> None:
        async with make_async() as client:
            runs = await asyncio.gather(*(client.trigger(url=URL) for _ in range(10)))
            assert len({r.workflow_run_id for r in runs}) == 10
            many = await client.trigger_many([TriggerRequest(url=URL, workflow_run_id="m")])
            assert many[0].workflow_run_id == "wfr_m"
            qstash.add_waiter("ev", "wfr_m")
            assert len(await client.get_waiters(event_id="ev")) == 1
            assert len(await client.notify(event_id="ev", event_data="d")) == 1
            seen = [run.workflow_run_id async for run in client.iter_logs(count=4)]
            assert len(seen) == 11
            dlq_id = qstash.add_dlq_message("wfr_m")
            assert [m.dlq_id async for m in client.dlq.iter()] == [dlq_id]
            assert (await client.dlq.list()).messages[0].dlq_id == dlq_id
            assert (await client.dlq.resume(dlq_id)).workflow_runs[0].workflow_run_id == "wfr_m"
            assert (await client.cancel("wfr_m")).cancelled == 1
            assert (await client.cancel(all=True)).cancelled == 10
            assert (await client.dlq.delete([])).deleted == 0
            assert (await client.logs(count=1)).cursor

    asyncio.run(scenario())


def test_sync_and_async_expose_the_same_api() -> None:
    def public(cls: type) -> dict[str, inspect.Signature]:
        return {
            n: inspect.signature(getattr(cls, n))
            for n in dir(cls)
            if not n.startswith("_") and callable(getattr(cls, n))
        }

    sync_api, async_api = public(Client), public(AsyncClient)
    assert set(sync_api) - {"close", "__enter__"} == set(async_api) - {"aclose"}
    for name in ("trigger", "trigger_many", "cancel", "notify", "get_waiters", "logs"):
        assert sync_api[name].parameters == async_api[name].parameters
        assert inspect.iscoroutinefunction(getattr(AsyncClient, name))
        assert getattr(Client, name).__doc__ == getattr(AsyncClient, name).__doc__


def test_raw_generated_client_through_client_api(client: Client, qstash: LocalQStash) -> None:
    from upstash_workflow_api.api.events import get_waiters

    run = client.trigger(url=URL)
    qstash.add_waiter("raw", run.workflow_run_id)
    response = get_waiters.sync_detailed("raw", client=client.api)
    assert response.status_code == 200
    assert response.parsed is not None and not hasattr(response.parsed, "error")
    assert response.parsed[0].url == URL


def test_closing_closes_the_raw_clients_connections(qstash: LocalQStash, make_async: type[AsyncClient]) -> None:
    from upstash_workflow_api.api.events import get_waiters

    with Client(token=qstash.token, base_url=qstash.url) as client:
        assert get_waiters.sync_detailed("none", client=client.api).status_code == 200
        raw = client.api.get_httpx_client()
    assert raw.is_closed

    async def scenario() -> httpx.AsyncClient:
        async with make_async() as aclient:
            assert (await get_waiters.asyncio_detailed("none", client=aclient.api)).status_code == 200
            return aclient.api.get_async_httpx_client()

    assert asyncio.run(scenario()).is_closed
