"""The command line as a user runs it: a subprocess talking to LocalQStash over real sockets."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from upstash_workflow.rest.testing import LocalQStash

URL = "https://my-app.com/api/workflow"


def cli(
    qstash: LocalQStash | None, *args: str, token: str | None = None, url: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QSTASH_", "UPSTASH_"))}
    env.update({"NO_COLOR": "1", "COLUMNS": "200"})
    if qstash is not None:
        env["QSTASH_URL"] = url or qstash.url
        env["QSTASH_TOKEN"] = token or qstash.token
    return subprocess.run(
        [sys.executable, "-m", "upstash_workflow.rest", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def as_json(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_trigger_and_logs(qstash: LocalQStash) -> None:
    run = as_json(
        cli(qstash, "--json", "trigger", URL, "--body", "hi", "--run-id", "cli", "-H", "X-A: 1", "--label", "l")
    )
    assert run["workflow_run_id"] == "wfr_cli"
    assert qstash.run("wfr_cli").headers["upstash-forward-x-a"] == "1"
    text = cli(qstash, "logs")
    assert text.returncode == 0
    assert "wfr_cli" in text.stdout
    assert "RUN_STARTED" in text.stdout
    runs = as_json(cli(qstash, "--json", "logs", "--label", "l"))
    assert [r["workflow_run_id"] for r in runs] == ["wfr_cli"]


def test_trigger_from_a_file_with_progress(qstash: LocalQStash, tmp_path: Path) -> None:
    lines = [json.dumps({"url": f"{URL}/{i}", "body": str(i)}) for i in range(25)]
    file = tmp_path / "runs.jsonl"
    file.write_text("\n".join(lines) + "\n")
    result = cli(qstash, "--json", "trigger", "--file", str(file), "--batch-size", "10")
    runs = as_json(result)
    assert len(runs) == 25
    assert len(qstash.state.runs) == 25
    assert len([r for r in qstash.requests if r[1] == "/v2/batch"]) == 3
    plain = cli(qstash, "trigger", "--file", str(file))
    assert "started 25 runs" in plain.stdout
    assert "Triggering runs" in plain.stderr


def test_cancel_notify_waiters(qstash: LocalQStash) -> None:
    ids = [as_json(cli(qstash, "--json", "trigger", URL))["workflow_run_id"] for _ in range(3)]
    qstash.add_waiter("ev", ids[0])
    assert "https://my-app.com/api/workflow" in cli(qstash, "waiters", "ev").stdout
    notified = as_json(cli(qstash, "--json", "notify", "ev", "data"))
    assert len(notified) == 1
    assert cli(qstash, "notify", "ev").stdout.strip() == "no run was waiting"
    assert "cancelled 1 run(s)" in cli(qstash, "cancel", ids[0]).stdout
    assert as_json(cli(qstash, "--json", "cancel", "--url-prefix", "https://my-app.com"))["cancelled"] == 2
    assert as_json(cli(qstash, "--json", "cancel", "--all"))["cancelled"] == 0


def test_dlq_commands(qstash: LocalQStash) -> None:
    ids = [as_json(cli(qstash, "--json", "trigger", URL))["workflow_run_id"] for _ in range(4)]
    dlq_ids = [qstash.add_dlq_message(i) for i in ids]
    listed = as_json(cli(qstash, "--json", "dlq", "list"))
    assert {m["dlq_id"] for m in listed} == set(dlq_ids)
    assert dlq_ids[0] in cli(qstash, "dlq", "list").stdout
    assert "resumed 1 run(s)" in cli(qstash, "dlq", "resume", dlq_ids[0]).stdout
    assert "restarted 1 run(s)" in cli(qstash, "dlq", "restart", "--run-id", ids[1]).stdout
    assert ids[2] in cli(qstash, "dlq", "retry-failure", dlq_ids[2]).stdout
    assert as_json(cli(qstash, "--json", "dlq", "delete", "--all"))["deleted"] == 2


def test_errors_have_exit_codes_and_never_print_the_token(qstash: LocalQStash) -> None:
    wrong = cli(qstash, "logs", token="wrong-secret-token")
    assert wrong.returncode == 1
    assert "API error 401" in wrong.stderr
    assert "wrong-secret-token" not in wrong.stdout + wrong.stderr
    bad = cli(qstash, "cancel")
    assert bad.returncode == 2
    assert "exactly one of" in bad.stderr
    missing = cli(None, "logs")
    assert missing.returncode == 2
    assert "QSTASH_TOKEN" in missing.stderr
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    unreachable = cli(qstash, "--max-retries", "0", "logs", url=f"http://127.0.0.1:{port}")
    assert unreachable.returncode == 3
    assert qstash.token not in unreachable.stdout + unreachable.stderr
    not_found = cli(qstash, "dlq", "retry-failure", "dlq_nope")
    assert not_found.returncode == 1
    assert "404" in not_found.stderr


def test_dev_server_runs_in_the_foreground() -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "upstash_workflow.rest", "--json", "dev", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        info = json.loads(proc.stdout.readline())
        response = httpx.get(
            f"{info['url']}/v2/dlq?source=workflow", headers={"Authorization": f"Bearer {info['token']}"}, timeout=5
        )
        assert response.status_code == 200
        assert response.json() == {"messages": [], "cursor": ""}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_help_lists_every_command() -> None:
    result = cli(None, "--help")
    for command in ("trigger", "cancel", "notify", "waiters", "logs", "dlq", "dev"):
        assert command in result.stdout
    assert "resume" in cli(None, "dlq", "--help").stdout
