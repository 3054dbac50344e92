"""`wait` and `wait_all`, sync and async, against LocalQStash: plain (runs ended by cancel, logs
requests counted) and delivering to workflows served by the official Python SDK (steps, sleeps,
``context.call``, a failing run, a canceled run)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from typer.testing import CliRunner, Result

from tests.support.e2e.serve import python_app
from tests.test_e2e_python import SIGNING_KEY, sdk_python  # noqa: F401  (a session fixture)
from upstash_workflow.rest import (
    AsyncClient,
    AuthenticationError,
    Client,
    TriggerRequest,
    TriggerResult,
    WaitTimeoutError,
    WorkflowError,
    cli,
)
from upstash_workflow.rest._polling import MAX_RUNS_PER_REQUEST
from upstash_workflow.rest.testing import LocalQStash

URL = "https://example.com/api/workflow"


def logs_polls(qstash: LocalQStash) -> list[list[str]]:
    """The runs each ``workflowRuns`` logs request asked for, in order."""
    polls = []
    for method, path in qstash.requests:
        parts = urlsplit(path)
        if method == "GET" and parts.path == "/v2/workflows/logs":
            (value,) = parse_qs(parts.query)["workflowRuns"]
            polls.append(value.split(","))
    return polls


def cancel_later(qstash: LocalQStash, ids: list[str], after: float) -> threading.Thread:
    """Cancel ``ids`` after ``after`` seconds, from another thread (what ends the runs being awaited)."""

    def run() -> None:
        time.sleep(after)
        with Client(token=qstash.token, base_url=qstash.url) as other:
            other.cancel(ids)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def plain() -> Iterator[LocalQStash]:
    with LocalQStash() as server:
        yield server


def test_trigger_answers_carry_workflow_created_at_and_the_logs_filter_finds_exactly_those_runs(
    plain: LocalQStash,
) -> None:
    with Client(token=plain.token, base_url=plain.url) as client:
        a = client.trigger(URL, workflow_run_id="a")
        b, c = client.trigger_many([TriggerRequest(url=URL), TriggerRequest(url=URL, workflow_run_id="c@x")])
        assert all(isinstance(r.workflow_created_at, int) for r in (a, b, c))
        assert a.workflow_created_at == plain.run("wfr_a").created_at
        page = client.logs(workflow_runs=[a, (c.workflow_run_id, c.workflow_created_at or 0)])
        assert {r.workflow_run_id for r in page.runs} == {"wfr_a", "wfr_c@x"}
        other_time = (b.workflow_run_id, (b.workflow_created_at or 0) + 1)  # the pair names one run
        assert client.logs(workflow_runs=[other_time]).runs == []
        assert [r.workflow_run_id for r in client.iter_logs(workflow_runs=[b])] == [b.workflow_run_id]


def test_wait_all_returns_in_input_order_with_one_logs_request_per_poll_for_100_runs(plain: LocalQStash) -> None:
    with Client(token=plain.token, base_url=plain.url) as client:
        runs = client.trigger_many([TriggerRequest(url=URL) for _ in range(100)])
        ids = [r.workflow_run_id for r in runs]
        cancel_later(plain, ids, 1.0)
        logs = client.wait_all(list(reversed(runs)), timeout=20)
    assert [log.workflow_run_id for log in logs] == list(reversed(ids))
    assert {log.workflow_state for log in logs} == {"RUN_CANCELED"}
    polls = logs_polls(plain)
    assert len(polls) >= 2  # it polled before and after the cancel
    # Every poll was one request asking for all 100 pending runs, each once, by (id, created at).
    expected = sorted(f"{r.workflow_run_id}@{r.workflow_created_at}" for r in runs)
    assert all(sorted(poll) == expected for poll in polls)
    assert not [p for m, p in plain.requests if "/v2/workflows/events" in p]  # no lookup per run


def test_a_long_wait_all_asks_in_chunks_and_a_run_leaves_the_poll_when_it_ends(plain: LocalQStash) -> None:
    with Client(token=plain.token, base_url=plain.url) as client:
        runs = client.trigger_many([TriggerRequest(url=URL) for _ in range(MAX_RUNS_PER_REQUEST + 20)])
        ids = [r.workflow_run_id for r in runs]
        client.cancel(ids[:10])  # over before the first poll
        cancel_later(plain, ids[10:], 1.0)
        logs = client.wait_all(runs, timeout=20)
    assert [log.workflow_run_id for log in logs] == ids
    polls = logs_polls(plain)
    assert len(polls) >= 4 and len(polls) % 2 == 0
    assert sorted(len(p) for p in polls[:2]) == [20, MAX_RUNS_PER_REQUEST]  # 120 pending: two requests
    later = polls[2:]  # the 10 canceled first have left the poll: 110 pending
    assert all(sorted(len(p) for p in later[i : i + 2]) == [10, MAX_RUNS_PER_REQUEST] for i in range(0, len(later), 2))
    asked_later = {pair.split("@")[0] for poll in later for pair in poll}
    assert not asked_later & set(ids[:10])


def test_wait_times_out_within_a_second_and_carries_the_last_log(plain: LocalQStash) -> None:
    with Client(token=plain.token, base_url=plain.url) as client:
        run = client.trigger(URL)
        started = time.monotonic()
        with pytest.raises(WaitTimeoutError) as info:
            client.wait(run, timeout=1.5)
        took = time.monotonic() - started
    assert 1.5 <= took < 2.5
    assert isinstance(info.value, WorkflowError) and isinstance(info.value, TimeoutError)
    assert info.value.log is not None and info.value.log.workflow_state == "RUN_STARTED"
    assert info.value.logs == [info.value.log]


def test_wait_by_run_id_alone_looks_the_newest_run_up(plain: LocalQStash) -> None:
    with Client(token=plain.token, base_url=plain.url) as client:
        run = client.trigger(URL, workflow_run_id="by-id")
        cancel_later(plain, [run.workflow_run_id], 0.5)
        log = client.wait("wfr_by-id", timeout=20, poll_interval=0.1)
        # A run id the logs never show ends in a timeout, not a hang.
        with pytest.raises(WaitTimeoutError) as info:
            client.wait_all(["wfr_by-id", "wfr_missing"], timeout=0.5)
    assert log.workflow_state == "RUN_CANCELED"
    assert [None if x is None else x.workflow_state for x in info.value.logs] == ["RUN_CANCELED", None]


def test_polling_errors_are_the_clients_typed_errors(plain: LocalQStash) -> None:
    with Client(token="wrong", base_url=plain.url) as client, pytest.raises(AuthenticationError):
        client.wait(TriggerResult("wfr_a", workflow_created_at=1), timeout=5)


def test_a_rate_limited_poll_is_retried_by_the_policy(plain: LocalQStash) -> None:
    with Client(token=plain.token, base_url=plain.url) as client:
        run = client.trigger(URL)
        client.cancel([run.workflow_run_id])
        plain.rate_limit(times=1, reset_in=0.2)
        assert client.wait(run, timeout=10).workflow_state == "RUN_CANCELED"


def test_async_concurrent_waits_share_their_polls(plain: LocalQStash) -> None:
    async def main() -> tuple[list[str | None], list[str | None], float]:
        async with AsyncClient(token=plain.token, base_url=plain.url) as client:
            a, b, c = await client.trigger_many([TriggerRequest(url=URL) for _ in range(3)])
            cancel_later(plain, [a.workflow_run_id, b.workflow_run_id, c.workflow_run_id], 1.0)
            one, many = await asyncio.gather(client.wait(a, timeout=20), client.wait_all([c, b], timeout=20))
            started = time.monotonic()
            late = await client.trigger(URL)
            with pytest.raises(WaitTimeoutError):
                await client.wait(late, timeout=1)
            took = time.monotonic() - started
            return [one.workflow_run_id], [log.workflow_run_id for log in many], took

    one, many, took = asyncio.run(main())
    polls = logs_polls(plain)
    assert len(many) == 2 and len(one) == 1
    assert 1 <= took < 2.5
    # While all three were pending, each poll was one request for the runs of both waits.
    shared = [poll for poll in polls if len(poll) == 3]
    assert len(shared) >= 2
    assert all(len(poll) <= 3 for poll in polls)


# ---------------------------------------------------------------------- with the official SDK


@pytest.fixture(scope="module")
def qstash() -> Iterator[LocalQStash]:
    with LocalQStash(deliver=True, signing_key=SIGNING_KEY) as server:
        yield server


@pytest.fixture(scope="module")
def app(sdk_python: Path, qstash: LocalQStash, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:  # noqa: F811
    log = tmp_path_factory.mktemp("e2e") / "python_app.log"
    with python_app(sdk_python, qstash.url, qstash.token, SIGNING_KEY, log) as base:
        yield base


def fast_forward_later(qstash: LocalQStash, after: float) -> threading.Thread:
    """Jump LocalQStash's clock over every sleep and backoff, ``after`` seconds from now."""

    def run() -> None:
        time.sleep(after)
        qstash.fast_forward()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_wait_all_on_sdk_workflows_a_success_a_failure_and_a_cancel(app: str, qstash: LocalQStash) -> None:
    with Client(token=qstash.token, base_url=qstash.url) as client:
        order = client.trigger(f"{app}/order", {"items": 2})  # steps, a one-day sleep, context.call
        charge = client.trigger(f"{app}/charge", {})  # fails after its retries
        reminder = client.trigger(f"{app}/reminder", {})  # sleeps a week: canceled
        assert qstash.settle()
        client.cancel([reminder.workflow_run_id])
        forward = fast_forward_later(qstash, 0.5)
        logs = client.wait_all([reminder, order, charge], timeout=60)
        forward.join(timeout=30)
    assert [log.workflow_state for log in logs] == ["RUN_CANCELED", "RUN_SUCCESS", "RUN_FAILED"]
    steps = [step.step_name for group in logs[1].steps for step in group.steps]
    assert {"reserve", "cool-off", "get-quote", "confirm"} <= set(steps)


def test_wait_on_an_sdk_workflow_asleep_times_out_and_local_qstash_wait_runs_ends_it(
    app: str, qstash: LocalQStash
) -> None:
    async def main() -> None:
        async with AsyncClient(token=qstash.token, base_url=qstash.url) as client:
            run = await client.trigger(f"{app}/order", {"items": 1})
            started = time.monotonic()
            with pytest.raises(WaitTimeoutError) as info:
                await client.wait(run, timeout=1.5)
            assert 1.5 <= time.monotonic() - started < 2.5
            assert info.value.log is not None and info.value.log.workflow_state == "RUN_STARTED"
            # The pytest plugin's helper: the clock jumps over the day of sleep.
            (log,) = await asyncio.to_thread(qstash.wait_runs, [run], timeout=60)
            assert log.workflow_state == "RUN_SUCCESS"

    asyncio.run(main())


def test_100_sdk_runs_are_polled_in_one_request_per_poll(app: str, qstash: LocalQStash) -> None:
    with Client(token=qstash.token, base_url=qstash.url) as client:
        runs = client.trigger_many([TriggerRequest(url=f"{app}/reminder", body="{}") for _ in range(100)])
        assert qstash.settle(60)
        before = len(logs_polls(qstash))
        cancel_later(qstash, [r.workflow_run_id for r in runs], 1.0)
        logs = client.wait_all(runs, timeout=60)
    assert [log.workflow_run_id for log in logs] == [r.workflow_run_id for r in runs]
    assert {log.workflow_state for log in logs} == {"RUN_CANCELED"}
    polls = logs_polls(qstash)[before:]
    assert len(polls) >= 2 and all(len(poll) == 100 for poll in polls)


# ---------------------------------------------------------------------------------------- CLI


def run_cli(qstash: LocalQStash, *args: str) -> Result:
    env = {"QSTASH_URL": qstash.url, "QSTASH_TOKEN": qstash.token, "QSTASH_REGION": None}
    return CliRunner().invoke(cli.app, list(args), env={**env, "COLUMNS": "200", "NO_COLOR": "1"})


def test_cli_wait_exit_codes_and_json(plain: LocalQStash) -> None:
    plain.seed(
        {
            "runs": [
                {"url": URL, "workflow_run_id": "wfr_ok", "state": "RUN_SUCCESS"},
                {"url": URL, "workflow_run_id": "wfr_bad", "state": "RUN_FAILED"},
                {"url": URL, "workflow_run_id": "wfr_on"},
            ]
        }
    )
    done = run_cli(plain, "wait", "wfr_ok", "--json")
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout)["runs"][0]["workflow_state"] == "RUN_SUCCESS"
    failed = run_cli(plain, "wait", "wfr_ok", "wfr_bad")
    assert failed.exit_code == 1 and "wfr_bad: RUN_FAILED" in failed.stderr
    late = run_cli(plain, "wait", "wfr_on", "--timeout", "0.5")
    assert late.exit_code == 3 and "timeout" in late.stderr
    assert run_cli(plain, "logs", "--follow").exit_code == 2  # needs a run id


def test_cli_logs_follow_prints_the_steps_and_the_final_state(plain: LocalQStash) -> None:
    with Client(token=plain.token, base_url=plain.url) as client:
        run = client.trigger(URL)
    cancel_later(plain, [run.workflow_run_id], 0.5)
    result = run_cli(plain, "logs", run.workflow_run_id, "--follow", "--timeout", "20")
    assert result.exit_code == 1  # canceled
    assert result.stdout.strip().splitlines()[-1] == f"{run.workflow_run_id}: RUN_CANCELED"
