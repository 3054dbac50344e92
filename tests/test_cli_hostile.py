"""The command line against a hostile server (a real one on loopback): whatever a server says, in a
table, an error message, a 404 text body, a rejected trigger, a cursor hint, a runs file's failure
lines or stderr under --json, reaches the terminal with its control characters shown escaped, never
acted on. Also: exit codes stay within their documented meaning, and runs files may start with a BOM."""

from __future__ import annotations

import codecs
import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from tests.support.fault_server import FaultServer, Request, head
from tests.support.terminal import run_on_a_terminal
from upstash_workflow.rest import cli
from upstash_workflow.rest.cli._output import safe
from upstash_workflow.rest.testing import LocalQStash

TOKEN = "hostile-cli-token-Qw7e"
# Retitles the terminal (OSC ... BEL), clears it (CSI 2J), recolours it (CSI 31m), reverses the
# text that follows (bidi override), and a C1 CSI, DEL and a backspace.
EVIL = "\x1b]0;PWNED-TITLE\x07\x1b[2J\x1b[31mred\u202eevil\x9b31m\x7f\x08end"
SHOWN = "\\x1b]0;PWNED-TITLE\\x07\\x1b[2J\\x1b[31mred\\u202eevil\\x9b31m\\x7f\\x08end"
URL = "https://my-app.com/api/workflow"
runner = CliRunner()


def _message(**extra: Any) -> dict[str, Any]:
    return {"dlqId": EVIL, "workflowRunId": EVIL, "workflowUrl": EVIL, "responseStatus": 500, "createdAt": 1,
            "responseBody": EVIL, "labels": [EVIL], **extra}  # fmt: skip


def _answer(request: Request) -> tuple[int, Any]:
    """What the hostile server says to each request: EVIL in every text field the CLI shows."""
    path = request.target.split("?", 1)[0]
    waiter = {"url": EVIL, "deadline": 1, "headers": {"Upstash-Workflow-RunId": [EVIL]}}
    if path in ("/v2/workflows/logs", "/v2/workflows/events"):
        run = {"workflowRunId": EVIL, "workflowUrl": EVIL, "workflowState": EVIL, "workflowRunCreatedAt": 1}
        return 200, {"runs": [run], "cursor": EVIL}
    if path.startswith("/v2/waiters/"):
        return 200, [waiter]
    if path.startswith("/v2/notify/"):
        return 200, [{"waiter": waiter, "messageId": EVIL, "error": EVIL}]
    if path == "/v2/flowControl":
        return 200, [{"flowControlKey": EVIL, "waitListSize": 1}]
    if path.startswith("/v2/flowControl/"):
        return 200, {"flowControlKey": EVIL, "waitListSize": 2}
    if path == "/v2/keys":
        return 200, {"current": EVIL, "next": EVIL}
    if path in ("/v2/workflows/dlq", "/v2/dlq"):
        return 200, {"messages": [_message()], "cursor": EVIL}
    if path.startswith("/v2/workflows/dlq/callback/"):
        return 404, EVIL  # a text body, as a proxy would send
    if path.startswith("/v2/workflows/dlq/"):
        return 200, _message()
    if path == "/v2/batch":
        return 200, [{"error": EVIL} for _ in json.loads(request.body)]  # every run rejected
    if path == "/_local/seed":
        return 200, EVIL  # not JSON
    return 400, {"error": EVIL}


def _behave(conn: socket.socket, request: Request, server: FaultServer) -> None:
    status, payload = _answer(request)
    is_text = isinstance(payload, str)
    body = (payload if is_text else json.dumps(payload)).encode()
    kind = "text/plain; charset=utf-8" if is_text else "application/json"
    conn.sendall(head(status, {"Content-Type": kind}, len(body)) + body)


@pytest.fixture
def evil() -> Any:
    with FaultServer(_behave) as server:
        yield server


def run_cli(server: FaultServer, *args: str) -> Result:
    env = {"QSTASH_URL": server.url, "QSTASH_TOKEN": TOKEN, "QSTASH_REGION": None, "COLUMNS": "2000", "NO_COLOR": "1"}
    return runner.invoke(cli.app, ["--max-retries", "0", *args], env=env)


def assert_inert(output: bytes) -> None:
    """No byte a terminal acts on (newlines, spaces and the tabs of a tab-separated table apart), and
    the server's text shown escaped."""
    text = output.decode("utf-8")
    acted_on = sorted({hex(ord(c)) for c in text if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F})
    assert not acted_on
    # Every tab is a column separator: the lines of a table all have as many (a server's are escaped).
    assert len({line.count("\t") for line in text.splitlines() if "\t" in line}) <= 1
    assert "\u202e" not in text
    assert SHOWN in text


def write_runs(tmp_path: Path, count: int) -> Path:
    file = tmp_path / "runs.jsonl"
    file.write_text("".join(json.dumps({"url": URL, "workflow_run_id": f"r{i}"}) + "\n" for i in range(count)))
    return file


def test_safe_escapes_every_control_character() -> None:
    assert safe(EVIL) == SHOWN
    assert safe("tab\there\nline\r\x00\x1f\u2028\u2066\u200f\ud800") == (
        "tab\\x09here\\x0aline\\x0d\\x00\\x1f\\u2028\\u2066\\u200f\\ud800"
    )
    assert safe("plain [bold]text[/] é 日本 🙂") == "plain [bold]text[/] é 日本 🙂"  # printable text is kept


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["logs"], 0),  # table + cursor hint on stderr
        (["waiters", "ev"], 0),
        (["notify", "ev"], 0),
        (["flow-control", "list"], 0),
        (["flow-control", "get", "k"], 0),
        (["keys"], 0),
        (["dlq", "list"], 0),
        (["dlq", "get", "dlq_1"], 0),
        (["dlq", "retry-failure", "dlq_1"], 1),  # a 404 text body
        (["cancel", "wfr_1"], 1),  # an API error message
        (["--json", "cancel", "wfr_1"], 1),  # stderr under --json
        (["trigger", URL], 1),  # a rejected trigger
        (["--json", "trigger", URL], 1),
    ],
)
def test_server_text_never_drives_the_terminal(evil: FaultServer, args: list[str], code: int) -> None:
    result = run_cli(evil, *args)
    assert result.exit_code == code, result.stderr
    assert_inert(result.stdout_bytes + result.stderr_bytes)


@pytest.mark.parametrize("as_json", [False, True])
def test_rejected_runs_of_a_file_are_reported_escaped(evil: FaultServer, tmp_path: Path, as_json: bool) -> None:
    result = run_cli(evil, *(["--json"] if as_json else []), "trigger", "--file", str(write_runs(tmp_path, 3)))
    assert result.exit_code == 1
    assert "3 run(s) did not start" in result.stderr
    assert_inert(result.stdout_bytes + result.stderr_bytes)
    if as_json:  # JSON lines keep the text exact (JSON escapes it)
        assert [json.loads(line)["error"].endswith(EVIL) for line in result.stdout.splitlines()] == [True] * 3


def test_seed_against_an_answer_that_is_not_json_exits_1(evil: FaultServer) -> None:
    result = run_cli(evil, "seed", "--dlq", "x")
    assert result.exit_code == 1  # the server's answer, not a bug of this program (4)
    assert "dev server error" in result.stderr
    assert_inert(result.stdout_bytes + result.stderr_bytes)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QSTASH_", "UPSTASH_"))}
    env |= {"QSTASH_URL": evil.url, "QSTASH_TOKEN": TOKEN}
    command = [sys.executable, "-m", "upstash_workflow.rest", "seed", "--dlq", "x"]
    entry_point = subprocess.run(command, capture_output=True, env=env, timeout=60, check=False)
    assert entry_point.returncode == 1, entry_point.stderr


def test_a_real_terminal_receives_no_escape_sequence_from_a_server(evil: FaultServer) -> None:
    """The entry point on a pseudo-terminal (rich then styles its own output): the server's
    sequences arrive escaped, in the table and in the error line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QSTASH_", "UPSTASH_"))}
    env |= {"QSTASH_URL": evil.url, "QSTASH_TOKEN": TOKEN, "TERM": "xterm-256color", "COLUMNS": "2000"}
    for args in (["logs"], ["cancel", "wfr_1"]):
        command = [sys.executable, "-m", "upstash_workflow.rest", "--max-retries", "0", *args]
        _, output = run_on_a_terminal(command, env)
        assert b"PWNED-TITLE" in output
        for sequence in (b"\x1b]0;", b"\x07", b"\x1b[2J", b"\xe2\x80\xae", b"\xc2\x9b", b"\x7f", b"\x08"):
            assert sequence not in output, (args, sequence)
        assert SHOWN.encode() in output.replace(b"\r\n", b"")


def test_a_runs_file_may_start_with_a_byte_order_mark(qstash: LocalQStash, tmp_path: Path) -> None:
    file = tmp_path / "bom.jsonl"
    file.write_bytes(codecs.BOM_UTF8 + b'{"url": "' + URL.encode() + b'", "workflow_run_id": "bom"}\n')
    env = {"QSTASH_URL": qstash.url, "QSTASH_TOKEN": qstash.token, "QSTASH_REGION": None}
    result = runner.invoke(cli.app, ["--json", "trigger", "--file", str(file)], env=env)
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["line"] for line in result.stdout.splitlines()] == [1]
    assert "wfr_bom" in qstash.state.runs
    seed = tmp_path / "seed.json"
    seed.write_bytes(codecs.BOM_UTF8 + json.dumps({"runs": [{"url": URL, "workflow_run_id": "s"}]}).encode())
    with LocalQStash() as dev:  # `seed` reads its file with the mark too
        env = {"QSTASH_URL": dev.url, "QSTASH_TOKEN": dev.token, "QSTASH_REGION": None}
        assert runner.invoke(cli.app, ["seed", str(seed)], env=env).exit_code == 0
        assert "wfr_s" in dev.state.runs
