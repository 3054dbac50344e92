"""End to end with the official Python server SDK: workflows served by `upstash-workflow` 2.0.0 under
FastAPI/uvicorn (in their own virtual environment and process) run against LocalQStash(deliver=True),
triggered and inspected with this project's Client. Sleeps and retry backoffs are fast-forwarded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.e2e.serve import python_app
from tests.support.e2e.venv import SDKUnavailable, ensure_sdk_python
from upstash_workflow.rest import Client
from upstash_workflow.rest.testing import LocalQStash

SIGNING_KEY = "sig_e2e-current-key"


@pytest.fixture(scope="session")
def sdk_python() -> Path:
    try:
        return ensure_sdk_python()
    except SDKUnavailable as exc:
        pytest.skip(f"the official SDK is not installable here: {exc}")


@pytest.fixture(scope="module")
def qstash() -> Iterator[LocalQStash]:
    with LocalQStash(deliver=True, signing_key=SIGNING_KEY) as server:
        yield server


@pytest.fixture(scope="module")
def app(sdk_python: Path, qstash: LocalQStash, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("e2e") / "python_app.log"
    with python_app(sdk_python, qstash.url, qstash.token, SIGNING_KEY, log) as base:
        yield base


@pytest.fixture
def client(qstash: LocalQStash) -> Iterator[Client]:
    with Client(token=qstash.token, base_url=qstash.url) as c:
        yield c


def journal(app: str, workflow: str, run_id: str | None = None) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = httpx.get(f"{app}/journal", timeout=10).json()
    return [e for e in entries if e["workflow"] == workflow and (run_id is None or e.get("run") == run_id)]


def step_names(client: Client, run_id: str) -> list[str]:
    """The run's finished steps, oldest first (the logs list the newest first)."""
    (run,) = client.logs(workflow_run_id=run_id).runs
    return [step.step_name or "" for group in reversed(run.steps) for step in group.steps]


def state(client: Client, run_id: str) -> str | None:
    (run,) = client.logs(workflow_run_id=run_id).runs
    return run.workflow_state


def test_steps_run_in_order_a_sleep_is_fast_forwarded_and_a_call_answers(
    app: str, qstash: LocalQStash, client: Client
) -> None:
    run = client.trigger(url=f"{app}/order", body={"items": 3})
    assert qstash.settle()
    # The first step ran; the run now sleeps for a day on LocalQStash's clock.
    assert [e["step"] for e in journal(app, "order", run.workflow_run_id)] == ["reserve"]
    assert state(client, run.workflow_run_id) == "RUN_STARTED"
    assert step_names(client, run.workflow_run_id) == ["init", "reserve", "cool-off"]

    assert qstash.fast_forward()
    assert state(client, run.workflow_run_id) == "RUN_SUCCESS"
    assert step_names(client, run.workflow_run_id) == ["init", "reserve", "cool-off", "get-quote", "confirm"]
    # context.call reached the loopback API (with its header) and its answer reached the next step.
    quote = [e for e in journal(app, "quote") if e["order"] == {"items": 3}]
    assert quote and quote[0]["tenant"] == "acme"
    confirms = [e for e in journal(app, "order") if e["step"] == "confirm" and e["price"] == 21]
    assert confirms and confirms[0]["status"] == 200
    (log,) = client.logs(workflow_run_id=run.workflow_run_id).runs
    call_step = next(s for g in log.steps for s in g.steps if s.step_name == "get-quote")
    assert call_step.step_type == "Call" and call_step.call_response_status == 200
    assert call_step.call_url == f"{app}/quote" and call_step.call_method == "POST"
    # Every delivery was signed and the SDK (which verifies with QSTASH_CURRENT_SIGNING_KEY) took it.
    mine = [d for d in qstash.deliveries if d.workflow_run_id == run.workflow_run_id]
    assert {d.kind for d in mine} == {"step", "call", "callback"}
    assert all(d.status == 200 and d.headers.get("Upstash-Signature") for d in mine)


def test_sleep_until_waits_for_the_clock(app: str, qstash: LocalQStash, client: Client) -> None:
    # An absolute time on LocalQStash's clock (which earlier tests may have moved past the wall clock).
    run = client.trigger(url=f"{app}/deadline", body={"wake_at": qstash.clock.now() + 2 * 86400})
    assert qstash.settle()
    qstash.advance(86400)  # one of the two days
    assert qstash.settle()
    assert journal(app, "deadline", run.workflow_run_id) == []
    assert qstash.fast_forward()
    assert [e["step"] for e in journal(app, "deadline", run.workflow_run_id)] == ["remind"]
    assert step_names(client, run.workflow_run_id) == ["init", "plan", "until-deadline", "remind"]
    assert state(client, run.workflow_run_id) == "RUN_SUCCESS"


def test_cancel_stops_a_sleeping_run(app: str, qstash: LocalQStash, client: Client) -> None:
    run = client.trigger(url=f"{app}/reminder", body={"to": "ada"})
    assert qstash.settle()
    assert step_names(client, run.workflow_run_id) == ["init", "schedule", "wait-a-week"]

    assert client.cancel(run.workflow_run_id).cancelled == 1
    assert qstash.fast_forward()  # the week passes; the wake-up of a cancelled run is dropped
    assert state(client, run.workflow_run_id) == "RUN_CANCELED"
    assert [e["step"] for e in journal(app, "reminder", run.workflow_run_id)] == ["schedule"]


def test_a_step_that_always_fails_ends_in_the_dlq_and_restart_runs_it_again(
    app: str, qstash: LocalQStash, client: Client
) -> None:
    run = client.trigger(url=f"{app}/charge", body={"amount": 5}, retries=2)
    assert qstash.fast_forward()  # three attempts, with QStash's backoff between them
    assert state(client, run.workflow_run_id) == "RUN_FAILED"
    steps = journal(app, "charge", run.workflow_run_id)
    assert [e["step"] for e in steps] == ["attempt"] * 3 + ["failure-function"]
    assert steps[-1]["status"] == 500 and "card declined" in steps[-1]["message"]

    (entry,) = [m for m in client.dlq.list().messages if m.workflow_run_id == run.workflow_run_id]
    assert entry.response_status == 500
    assert entry.failure_callback_info is not None and entry.failure_callback_info.state == "CALLBACK_SUCCESS"

    httpx.post(f"{app}/repair", timeout=10)
    (restarted,) = client.dlq.restart(entry.dlq_id).workflow_runs
    assert restarted.workflow_run_id is not None and restarted.workflow_run_id != run.workflow_run_id
    assert qstash.fast_forward()
    assert state(client, restarted.workflow_run_id) == "RUN_SUCCESS"
    assert [e["step"] for e in journal(app, "charge", restarted.workflow_run_id)] == ["attempt"]
    assert step_names(client, restarted.workflow_run_id) == ["init", "charge-card"]


def test_the_trigger_span_continues_into_the_run(app: str, qstash: LocalQStash, client: Client) -> None:
    """With an OpenTelemetry SDK configured, the run's deliveries carry the trigger span's W3C
    context (forwarded by QStash, then by the official SDK to each step): the same trace."""
    from tests.test_tracing import traced

    with traced(instrument_httpx=False) as spans:
        run = client.trigger(url=f"{app}/traced", body={})
    (span,) = [s for s in spans.get_finished_spans() if s.name == "upstash_workflow.trigger"]
    assert qstash.settle()
    deliveries = journal(app, "traced", run.workflow_run_id)
    assert len(deliveries) >= 3  # the first delivery, then one per step
    context = span.get_span_context()
    assert context is not None
    for delivery in deliveries:
        version, trace_id, parent_id, _flags = delivery["traceparent"].split("-")
        assert (version, trace_id, parent_id) == ("00", f"{context.trace_id:032x}", f"{context.span_id:016x}")
