"""LocalQStash answers in Upstash's response shapes, and with ``sparse=True`` with every empty field
left out; the clients read both, keeping every key (each raw answer is captured with respx
pass-through and compared with the result)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.test_contract import assert_kept
from upstash_workflow.rest import AsyncClient, Client, DLQFilter, FlowControl
from upstash_workflow.rest.testing import LocalQStash

URL = "https://my-app.com/api/workflow"
Step = Callable[[Any], Any]


def session(qstash: LocalQStash) -> Iterator[tuple[str, Step]]:
    """Every operation once, in an order where each has something to act on."""
    yield "trigger", lambda c: c.trigger(url=URL, workflow_run_id="a", label="l", flow_control=FlowControl("k", 1))
    yield "trigger", lambda c: c.trigger(url=URL, workflow_run_id="b")
    qstash.add_waiter("paid", "wfr_a", timeout_url=URL, timeout_body="late")
    yield "get_waiters", lambda c: c.get_waiters("paid")
    yield "notify", lambda c: c.notify("paid", {"ok": True})
    yield "notify lookback", lambda c: c.notify("shipped", "x", workflow_run_id="wfr_a")
    qstash.add_waiter("again", "wfr_a")
    yield "notify one run", lambda c: c.notify("again", "y", workflow_run_id="wfr_a")
    yield "logs", lambda c: c.logs(workflow_url=[URL, "https://other.com"])
    qstash.add_dlq_message("wfr_a", dlq_id="dlq_a")
    qstash.add_dlq_message("wfr_b", dlq_id="dlq_b")
    yield "dlq.list", lambda c: c.dlq.list(filter=DLQFilter(label="l"))
    yield "dlq.retry_failure_function", lambda c: c.dlq.retry_failure_function("dlq_a")
    yield "dlq.resume", lambda c: c.dlq.resume("dlq_a", delay="10s", label=["x", "y"])
    yield "dlq.restart", lambda c: c.dlq.restart(all=True, failure_url="https://my-app.com/failed")
    yield "logs", lambda c: c.logs(count=5)
    yield "dlq.delete", lambda c: c.dlq.delete(all=True)
    yield "cancel", lambda c: c.cancel(all=True)
    yield "cancel nothing left", lambda c: c.cancel(all=True)


def _run(mode_sparse: bool, use_async: bool) -> list[tuple[str, Any, Any]]:
    """(operation, raw JSON answer, result) for every step of `session`; the raw answers are captured
    by an httpx response hook on the client's own connection pool."""
    seen: list[tuple[str, Any, Any]] = []
    answers: list[bytes] = []

    def keep(response: httpx.Response) -> None:
        answers.append(response.read())

    async def keep_async(response: httpx.Response) -> None:
        answers.append(await response.aread())

    with LocalQStash(sparse=mode_sparse) as qstash:
        if use_async:

            async def main() -> None:
                http = httpx.AsyncClient(event_hooks={"response": [keep_async]})
                async with http, AsyncClient(token=qstash.token, base_url=qstash.url, http_client=http) as client:
                    for name, step in session(qstash):
                        result = await step(client)
                        seen.append((name, json.loads(answers[-1]), result))

            asyncio.run(main())
        else:
            http = httpx.Client(event_hooks={"response": [keep]})
            with http, Client(token=qstash.token, base_url=qstash.url, http_client=http) as client:
                for name, step in session(qstash):
                    result = step(client)
                    seen.append((name, json.loads(answers[-1]), result))
    return seen


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("mode_sparse", [False, True], ids=["official", "sparse"])
def test_local_answers_parse_and_keep_every_key(mode_sparse: bool, use_async: bool) -> None:
    seen = _run(mode_sparse, use_async)
    assert len(seen) == 15
    for name, raw, result in seen:
        if name == "trigger":
            assert result.message_id == raw[0]["messageId"]
        elif name.startswith("notify") and isinstance(raw, dict):
            assert_kept([raw], result)
        else:
            assert_kept(raw, result)


def test_official_and_sparse_shapes() -> None:
    official = {name: (raw, result) for name, raw, result in _run(False, False)}
    sparse = {name: (raw, result) for name, raw, result in _run(True, False)}

    raw, page = official["logs"]
    run = page.runs[-1]
    assert run.workflow_run_caller_ip == "127.0.0.1" and run.flow_control_key == "k"
    assert [group.type for group in run.steps][-1] == "sequential"
    raw, (waiter,) = official["get_waiters"]
    assert waiter.timeout_body == "ImxhdGUi" or waiter.timeout_body == "bGF0ZQ=="  # base64 of the body
    raw, (one,) = official["notify one run"]
    assert isinstance(raw, dict) and one.waiter is not None and one.workflow_run_id == "wfr_a"
    raw, (kept,) = official["notify lookback"]
    assert kept.waiter is None and kept.workflow_run_id == "wfr_a"
    raw, page = official["dlq.list"]
    assert page.messages[0].failure_function_state == "CALLBACK_FAIL" and page.messages[0].body_base_64 == ""

    raw, page = sparse["dlq.list"]
    assert "bodyBase64" not in raw["messages"][0] and page.messages[0].body_base_64 is None
    raw, page = sparse["logs"]
    assert "cursor" not in raw and page.cursor is None
    raw, (response,) = sparse["notify"]
    assert "error" not in raw[0] and response.error is None and response.deduplicated is None
    assert official["cancel"][1].cancelled == sparse["cancel"][1].cancelled == 2
    raw, result = sparse["cancel nothing left"]
    assert raw == {} and result.cancelled is None  # 0 left out: the server did not say


def test_dlq_rerun_options_reach_the_runs() -> None:
    with LocalQStash() as qstash, Client(token=qstash.token, base_url=qstash.url) as client:
        for name in ("a", "b"):
            client.trigger(url=URL, workflow_run_id=name)
            qstash.add_dlq_message(f"wfr_{name}", dlq_id=f"dlq_{name}")
        client.dlq.resume(
            "dlq_a", delay=90, retry_delay="1000 * retried", label=["x", "y"], failure_url="https://my-app.com/f"
        )
        resumed = qstash.run("wfr_a")
        assert resumed.headers["upstash-delay"] == "90s"
        assert resumed.headers["upstash-retry-delay"] == "1000 * retried"
        assert resumed.headers["upstash-failure-callback"] == "https://my-app.com/f"
        assert resumed.labels == ["x", "y"]
        (restarted,) = client.dlq.restart("dlq_b", delay="5m").workflow_runs
        assert restarted.workflow_run_id is not None
        assert qstash.run(restarted.workflow_run_id).headers["upstash-delay"] == "5m"


@pytest.mark.parametrize(
    "bad",
    [{"delay": "soon"}, {"label": "no spaces"}, {"failure_url": "ftp://x"}, {"retry_delay": 5}, {"label": []}],
)
def test_dlq_rerun_options_are_checked_before_sending(bad: dict[str, Any]) -> None:
    from upstash_workflow.rest import InvalidArgumentError

    with LocalQStash() as qstash, Client(token=qstash.token, base_url=qstash.url) as client:
        for action in (client.dlq.resume, client.dlq.restart):
            with pytest.raises((InvalidArgumentError, TypeError)):
                action("dlq_a", **bad)
            with pytest.raises((InvalidArgumentError, TypeError)):
                action([], **bad)  # even when nothing would be sent
        assert qstash.requests == []


def test_workflow_url_lists_in_cancel_and_logs() -> None:
    from upstash_workflow.rest import CancelFilter

    urls = ["https://a.com/wf", "https://b.com/wf", "https://c.com/wf"]
    with LocalQStash() as qstash, Client(token=qstash.token, base_url=qstash.url) as client:
        for index, url in enumerate(urls):
            client.trigger(url=url, workflow_run_id=str(index))
        page = client.logs(workflow_url=urls[:2])
        assert sorted(run.workflow_url or "" for run in page.runs) == urls[:2]
        assert client.cancel(filter=CancelFilter(workflow_url=urls[1:])).cancelled == 2
        assert [run.workflow_state for run in client.logs(workflow_url=urls[0]).runs] == ["RUN_STARTED"]
        assert qstash.requests[-2][1].count("workflowUrl=") == 2
