"""End to end with the official TS server SDK (@upstash/workflow 1.3.3 under node): the Python SDK
2.0.0 has no wait-for-event, so waiters and notify are proven with a TS-served workflow. Skipped when
node/npm are missing or the package cannot be installed."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support import tsref
from tests.support.e2e.serve import ts_app
from upstash_workflow.rest import Client
from upstash_workflow.rest.testing import LocalQStash

SIGNING_KEY = "sig_e2e-ts-key"


@pytest.fixture(scope="module")
def install_dir() -> Path:
    try:
        return tsref.ensure_installed()
    except (tsref.NodeMissing, subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"the TS SDK cannot run here: {exc}")


@pytest.fixture(scope="module")
def qstash() -> Iterator[LocalQStash]:
    with LocalQStash(deliver=True, signing_key=SIGNING_KEY) as server:
        yield server


@pytest.fixture(scope="module")
def app(install_dir: Path, qstash: LocalQStash, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("e2e") / "ts_app.log"
    with ts_app(install_dir, qstash.url, qstash.token, SIGNING_KEY, log) as base:
        yield base


def journal(app: str, run_id: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = httpx.get(f"{app}/journal", timeout=10).json()
    return [e for e in entries if e["run"] == run_id]


def state(client: Client, run_id: str) -> str | None:
    (run,) = client.logs(workflow_run_id=run_id).runs
    return run.workflow_state


def test_a_waiting_run_is_listed_and_notify_resumes_it(app: str, qstash: LocalQStash) -> None:
    with Client(token=qstash.token, base_url=qstash.url) as client:
        run = client.trigger(url=f"{app}/", body={"order": 17})
        assert qstash.settle()
        assert [e["step"] for e in journal(app, run.workflow_run_id)] == ["place"]
        (waiter,) = client.get_waiters("approval-17")
        assert waiter.url == f"{app}/"
        assert state(client, run.workflow_run_id) == "RUN_STARTED"

        (notified,) = client.notify("approval-17", {"approved": True})
        assert notified.waiter is not None and notified.waiter.url == f"{app}/"
        assert qstash.settle()
        assert state(client, run.workflow_run_id) == "RUN_SUCCESS"
        assert client.get_waiters("approval-17") == []
        (log,) = client.logs(workflow_run_id=run.workflow_run_id).runs
        steps = [s for g in reversed(log.steps) for s in g.steps]
        assert [s.step_name for s in steps] == ["init", "place", "await-approval", "ship"]
        assert steps[2].wait_event_id == "approval-17" and steps[2].wait_timeout is False
        assert steps[2].out == '{"approved":true}'
        ship = journal(app, run.workflow_run_id)[-1]
        assert ship == {"step": "ship", "run": run.workflow_run_id, "eventData": {"approved": True}, "timeout": False}


def test_a_wait_times_out_when_the_clock_passes_its_deadline(app: str, qstash: LocalQStash) -> None:
    with Client(token=qstash.token, base_url=qstash.url) as client:
        run = client.trigger(url=f"{app}/", body={"order": 18})
        assert qstash.settle()
        assert len(client.get_waiters("approval-18")) == 1
        assert qstash.fast_forward()  # a day passes in no time
        assert state(client, run.workflow_run_id) == "RUN_SUCCESS"
        assert journal(app, run.workflow_run_id)[-1]["timeout"] is True
        (log,) = client.logs(workflow_run_id=run.workflow_run_id).runs
        wait = next(s for g in log.steps for s in g.steps if s.step_name == "await-approval")
        assert wait.wait_timeout is True
        assert client.get_waiters("approval-18") == []
