"""What users install and touch: the wheel's contents, docstrings on every public name, the pytest
fixture, delivery to a user's endpoint, and the demo (the README's main command)."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import upstash_workflow.rest
from upstash_workflow.rest import Client
from upstash_workflow.rest.testing import LocalQStash

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_ships_both_packages_and_their_markers(built_wheel: Path) -> None:
    names = set(zipfile.ZipFile(built_wheel).namelist())
    for required in (
        "upstash_workflow/rest/__init__.py",
        "upstash_workflow/rest/py.typed",
        "upstash_workflow/rest/testing/__init__.py",
        "upstash_workflow_api/__init__.py",
        "upstash_workflow_api/py.typed",
        "upstash_workflow_api/api/runs/trigger_batch.py",
    ):
        assert required in names, required
    assert not any(n.startswith(("tests/", "generated/", "benchmarks/")) for n in names)
    metadata = next(n for n in names if n.endswith("METADATA"))
    text = zipfile.ZipFile(built_wheel).read(metadata).decode()
    assert "Name: upstash-workflow-client" in text
    assert "Requires-Python: >=3.10" in text
    assert "Provides-Extra: cli" in text


def test_every_public_name_has_a_docstring() -> None:
    missing = []
    for name in upstash_workflow.rest.__all__:
        obj = getattr(upstash_workflow.rest, name)
        if name != "__version__" and not (inspect.getdoc(obj) or "").strip():
            missing.append(name)
        if inspect.isclass(obj):
            missing += [
                f"{name}.{attr}"
                for attr, value in vars(obj).items()
                if not attr.startswith("_") and callable(value) and not (inspect.getdoc(value) or "").strip()
            ]
    assert missing == []


def test_the_pytest_fixture_is_registered(local_qstash: LocalQStash) -> None:
    with Client(token=local_qstash.token, base_url=local_qstash.url) as client:
        assert client.trigger(url="https://x.com", workflow_run_id="fx").workflow_run_id == "wfr_fx"
    assert "wfr_fx" in local_qstash.state.runs


@pytest.fixture
def endpoint() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A user's workflow endpoint on loopback that records what it receives."""
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            received.append({"path": self.path, "headers": dict(self.headers), "body": body.decode()})
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/workflow", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_delivery_reaches_the_users_endpoint(endpoint: tuple[str, list[dict[str, Any]]]) -> None:
    url, received = endpoint
    with LocalQStash(deliver=True) as qstash, Client(token=qstash.token, base_url=qstash.url) as client:
        run = client.trigger(url=url, body={"order": 7}, headers={"X-Tenant": "acme"}, workflow_run_id="d1")
        client.trigger(url="https://not-loopback.example.com/wf", workflow_run_id="d2")
        deadline = time.monotonic() + 10
        while len(qstash.deliveries) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
    assert len(received) == 1
    request = received[0]
    assert request["path"] == "/api/workflow"
    assert json.loads(request["body"]) == {"order": 7}
    assert request["headers"]["Upstash-Workflow-Runid"] == run.workflow_run_id
    assert request["headers"]["Upstash-Workflow-Init"] == "true"
    assert request["headers"]["x-tenant"] == "acme"
    remote = next(d for d in qstash.deliveries if d.workflow_run_id == "wfr_d2")
    assert remote.status is None
    assert "loopback" in (remote.error or "")


def run_demo(**env_vars: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QSTASH_", "UPSTASH_"))}
    env.update({"NO_COLOR": "1", "COLUMNS": "160", **env_vars})
    script = [sys.executable, str(ROOT / "scripts" / "demo.py")]
    result = subprocess.run(script, capture_output=True, text=True, timeout=120, env=env, check=False)
    assert result.returncode == 0, result.stderr
    return result


def test_the_demo_runs_against_the_embedded_server() -> None:
    result = run_demo()
    for text in (
        "embedded local QStash",
        "wfr_demo-order-42",
        "1 waiter(s)",
        "1 run(s) notified",
        "cancelled",
        "RUN_CANCELED",
    ):
        assert text in result.stdout, text


def test_the_demo_uses_qstash_from_the_environment() -> None:
    """With QSTASH_TOKEN/QSTASH_URL set (real QStash, or its dev server) the demo talks to that."""
    with LocalQStash() as qstash:
        result = run_demo(QSTASH_TOKEN=qstash.token, QSTASH_URL=qstash.url)
        assert f"Using QStash at {qstash.url}" in result.stdout
        assert "wfr_demo-order-42" in qstash.state.runs
        assert qstash.run("wfr_demo-order-42").state == "RUN_CANCELED"
        assert qstash.token not in result.stdout + result.stderr
