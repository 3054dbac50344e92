"""Every error the command line prints is in its own terms (flags, arguments, files and lines), one
line, never Python's (parameter names, warnings with file paths, validation text, raw JSON); and the
commands that may act on more than the items named ask first. Against LocalQStash over real sockets,
in-process through typer's runner and, where the terminal or the entry point matters, as the real
console script (on a pseudo-terminal for the questions)."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli import URL, ok_json, run_cli, seed_runs
from upstash_workflow.rest.testing import LocalQStash

CONSOLE_SCRIPT = str(Path(sys.executable).with_name("upstash-workflow"))
# Python's words, which a CLI user did not type and cannot act on.
PYTHON_TEXT = ("Traceback", "Warning:", "warnings.warn", ".py:", "=True", "=False", "Value error", '{"error"', "None")


def assert_cli_terms(text: str) -> None:
    for word in PYTHON_TEXT:
        assert word not in text, (word, text)


def error_line(result: object, code: int = 2) -> str:
    """The one line a failed command printed on stderr (after checking its exit code)."""
    assert getattr(result, "exit_code") == code, getattr(result, "output")  # noqa: B009
    lines = getattr(result, "stderr").strip().splitlines()  # noqa: B009
    assert len(lines) == 1, lines
    assert_cli_terms(lines[0])
    return str(lines[0])


def console(
    qstash: LocalQStash | None,
    *args: str,
    url: str | None = None,
    stdin: int = subprocess.DEVNULL,
    **extra_env: str,
) -> subprocess.CompletedProcess[str]:
    """The installed ``upstash-workflow`` script, as a shell runs it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QSTASH_", "UPSTASH_", "PYTHONWARNINGS"))}
    env |= {"NO_COLOR": "1", "COLUMNS": "200"}
    if qstash is not None:
        env |= {"QSTASH_URL": url or qstash.url, "QSTASH_TOKEN": qstash.token}
    env |= extra_env
    return subprocess.run(
        [CONSOLE_SCRIPT, *args], stdin=stdin, capture_output=True, text=True, env=env, timeout=60, check=False
    )


# ------------------------------------------------------------------------------- flow-control


def test_flow_control_errors_name_the_flags(qstash: LocalQStash) -> None:
    unpin = error_line(run_cli(qstash, "flow-control", "unpin", "billing"))
    assert unpin == "error: give --parallelism, --rate or both (what to unpin)"
    pin = error_line(run_cli(qstash, "flow-control", "pin", "billing"))
    assert pin == "error: give at least one of --parallelism N, --rate N or --period SECONDS"
    for flag in ("--parallelism", "--rate", "--period"):
        negative = run_cli(qstash, "flow-control", "pin", "billing", flag, "-1")
        assert negative.exit_code == 2
        assert f"Invalid value for '{flag}': -1 is not in the range x>=0" in negative.stderr
    assert qstash.requests == []


# ---------------------------------------------------------------------------------------- runs


def test_run_command_errors_name_the_flags(qstash: LocalQStash) -> None:
    state = run_cli(qstash, "logs", "--state", "FAILED")
    assert state.exit_code == 2
    assert "Invalid value for '--state': 'FAILED' is not one of 'RUN_STARTED', 'RUN_SUCCESS'," in state.stderr
    assert_cli_terms(state.stderr)
    bad_url = error_line(run_cli(qstash, "trigger", "not a url"))
    assert bad_url.startswith("error: URL must be an absolute http(s) URL")
    delay = error_line(run_cli(qstash, "trigger", URL, "--delay", "soon"))
    assert delay == "error: --delay must look like '30s', '5m', '2h' or '1d', got 'soon'"
    header = error_line(run_cli(qstash, "trigger", URL, "-H", "no colon"))
    assert header.startswith("error: --header must look like 'Name: value'")
    retries = run_cli(qstash, "trigger", URL, "--retries", "-1")
    assert retries.exit_code == 2
    assert "Invalid value for '--retries'" in retries.stderr
    assert qstash.requests == []


def test_a_runs_file_line_that_is_not_json_is_named_by_file_and_line(qstash: LocalQStash, tmp_path: Path) -> None:
    file = tmp_path / "runs.jsonl"
    file.write_bytes(b'{"url": "%s"}\nnot json\n\xff\xfe\n{"url": "%s"\n' % (URL.encode(), URL.encode()))
    result = run_cli(qstash, "trigger", "--file", str(file))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{file}:2: not valid JSON (Expecting value at column 1)",
        f"{file}:3: not UTF-8 text (byte 1)",
        f"{file}:4: not valid JSON (Expecting ',' delimiter at column {len(URL) + 11})",
        f"error: {file} has bad lines (first 3 shown); nothing was sent",
    ]
    assert qstash.requests == []


def test_resume_from_past_the_end_of_the_file_says_so(qstash: LocalQStash, tmp_path: Path) -> None:
    file = tmp_path / "runs.jsonl"
    file.write_text("".join(json.dumps({"url": URL, "workflow_run_id": f"r{i}"}) + "\n" for i in range(3)))
    for past in ("3", "10"):
        refused = error_line(run_cli(qstash, "trigger", "--file", str(file), "--resume-from", past))
        assert refused == f"error: --resume-from {past} is past the end of {file}: it has 3 run(s), numbered 0 to 2"
    assert qstash.requests == []
    empty = tmp_path / "empty.jsonl"
    empty.write_text("# nothing yet\n")
    assert "has no runs" in error_line(run_cli(qstash, "trigger", "--file", str(empty), "--resume-from", "1"))
    last = run_cli(qstash, "trigger", "--file", str(file), "--resume-from", "2")
    assert "started 1 run(s)" in last.stdout, last.stderr
    assert list(qstash.state.runs) == ["wfr_r2"]


# ---------------------------------------------------------------------------------- dev, seed


def test_seed_file_errors_name_the_file_and_the_problem(qstash: LocalQStash, tmp_path: Path) -> None:
    def seed_file(text: str) -> str:
        path = tmp_path / "seed.json"
        path.write_text(text)
        return str(path)

    path = seed_file('{"run": [{"url": "https://my-app.com"}]}')
    assert error_line(run_cli(qstash, "seed", path)) == (
        f"error: unknown key 'run' in {path} (expected: runs, waiters, dlq)"
    )
    wrong = error_line(run_cli(qstash, "seed", seed_file('{"runs": [{"url": 5}]}')), code=1)
    assert wrong == f"dev server error 400: {path}: runs[0].url has the wrong type (int)"
    missing = error_line(run_cli(qstash, "seed", seed_file('{"dlq": [{"workflow_run_id": "nope"}]}')), code=1)
    assert (
        missing == f"dev server error 400: {path}: dlq[0].workflow_run_id: no run wfr_nope (seed it under runs first)"
    )
    not_json = error_line(run_cli(qstash, "seed", seed_file("{runs: []}")))
    assert not_json.startswith(f"error: seed file {path} is not JSON: ")
    empty = error_line(run_cli(qstash, "seed", seed_file('{"runs": []}')))
    assert empty.startswith(f"error: nothing to add: {path} has no runs, waiters or dlq entries")
    assert not qstash.state.runs
    assert (
        "added 1 run(s)" in run_cli(qstash, "seed", seed_file("\ufeff" + json.dumps({"runs": [{"url": URL}]}))).stdout
    )


def test_dev_checks_its_port_and_names_the_seed_file(tmp_path: Path) -> None:
    for port in ("65536", "-1"):
        refused = run_cli(None, "dev", "--port", port)
        assert refused.exit_code == 2
        assert f"Invalid value for '--port': {port} is not in the range 0<=x<=65535" in refused.stderr
    bad_seed = tmp_path / "bad.json"
    bad_seed.write_text('{"runs": [{"state": "RUN_SUCCESS"}]}')
    assert error_line(run_cli(None, "dev", "--port", "0", "--seed", str(bad_seed))) == (
        f"error: --seed: {bad_seed}: runs[0].url is required"
    )
    bad_seed.write_text('{"run": []}')
    assert error_line(run_cli(None, "dev", "--port", "0", "--seed", str(bad_seed))) == (
        f"error: --seed: unknown key 'run' in {bad_seed} (expected: runs, waiters, dlq)"
    )


# ------------------------------------------------------------------------- Python's warnings


def test_an_insecure_url_warns_in_one_cli_line(qstash: LocalQStash) -> None:
    # An empty run id fails before any request: nothing is sent to the (non-loopback) address.
    result = console(qstash, "cancel", "", url="http://qstash.example.test")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "warning: Sending the QStash token over plain http to qstash.example.test; use https.",
        "error: Workflow run id cannot be empty",
    ]
    assert qstash.requests == []


def test_a_response_shape_warning_is_one_escaped_line(qstash: LocalQStash) -> None:
    qstash.inject("status", status=200, body='{"cancelled": "many\\u001b[2J"}')
    result = console(qstash, "cancel", "wfr_a")
    assert result.returncode == 0
    assert result.stdout == "cancelled an unknown number of run(s)\n"
    assert result.stderr.splitlines() == [
        "warning: DELETE /v2/workflows/runs: the server answered 2xx and acted, but cancelled must be an integer, "
        "got string 'many\\x1b[2J'; it reads as None and its raw value is kept (extra)"
    ]  # once: not also as the library's log record, and escaped


def test_a_warning_the_library_logs_is_one_cli_line(qstash: LocalQStash) -> None:
    # No URL: the region is read (and ignored); the empty run id fails before any request is sent.
    result = console(None, "cancel", "", QSTASH_TOKEN=qstash.token, QSTASH_REGION="mars")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "warning: QSTASH_REGION='mars' is not one of EU_CENTRAL_1, US_EAST_1; ignoring it",
        "error: Workflow run id cannot be empty",
    ]


def test_warnings_leave_the_command_as_they_were(qstash: LocalQStash) -> None:
    import logging
    import warnings

    before, handlers = warnings.showwarning, list(logging.getLogger("upstash_workflow.rest").handlers)
    qstash.inject("status", status=200, body='{"cancelled": "x"}')
    result = run_cli(qstash, "cancel", "wfr_a")
    assert result.stderr.count("warning: DELETE /v2/workflows/runs") == 1
    assert warnings.showwarning is before
    assert logging.getLogger("upstash_workflow.rest").handlers == handlers


# ------------------------------------------------------------------------------ confirmations

BULK = [
    (["keys", "--rotate"], "rotate the signing keys (the current key is dropped)"),
    (["cancel", "--all"], "cancel every run"),
    (["cancel", "--label", "l", "--limit", "5"], "cancel up to 5 run(s) labelled 'l'"),
    (["cancel", "--url-prefix", URL], f"cancel every run whose URL starts with '{URL}'"),
    (["dlq", "delete", "--all"], "delete every DLQ message"),
    (["dlq", "delete", "--label", "l"], "delete every DLQ message with label 'l'"),
    (["dlq", "restart", "--all"], "restart the runs of every DLQ message"),
    (["dlq", "resume", "--run-id", "wfr_r0"], "resume the runs of every DLQ message with run 'wfr_r0'"),
]


@pytest.mark.parametrize(("args", "action"), BULK)
def test_bulk_and_destructive_commands_refuse_without_a_terminal_or_yes(
    qstash: LocalQStash, args: list[str], action: str
) -> None:
    refused = error_line(run_cli(qstash, *args))
    assert refused == f"error: {action}: not confirmed (no terminal to ask on); add --yes to go ahead"
    assert qstash.requests == []
    assert run_cli(qstash, *args, "--yes").exit_code == 0
    assert qstash.requests


@pytest.mark.parametrize(
    "args",
    [
        ["cancel", "--url-prefix", ""],
        ["cancel", "--label", ""],
        ["dlq", "delete", "--run-id", ""],
        ["dlq", "restart", "--label", ""],
        ["dlq", "resume", "--workflow-url", ""],
    ],
)
def test_an_empty_filter_is_not_taken_for_every_item(qstash: LocalQStash, args: list[str]) -> None:
    seed_runs(qstash, 1)
    refused = error_line(run_cli(qstash, *args, "--yes"))
    assert refused.startswith(f"error: {args[-2]} cannot be empty (--all ")
    assert qstash.requests == []


def test_confirmed_commands_do_what_they_said(qstash: LocalQStash) -> None:
    ids = seed_runs(qstash, 5, labels=["l"])
    qstash.seed({"dlq": [{"workflow_run_id": run_id} for run_id in ids[:2]]})
    assert ok_json(run_cli(qstash, "--json", "dlq", "delete", "--label", "l", "-y"))["deleted"] == 2
    named = run_cli(qstash, "cancel", ids[2])  # ids name what they act on: no question
    assert named.stdout == "cancelled 1 run(s)\n", named.stderr
    assert ok_json(run_cli(qstash, "--json", "cancel", "--all", "-y"))["cancelled"] == 2


def on_a_terminal(qstash: LocalQStash, answer: bytes, *args: str) -> subprocess.CompletedProcess[str]:
    """The console script with a pseudo-terminal as its stdin, answering its question."""
    leader, follower = pty.openpty()
    try:
        os.write(leader, answer)  # the terminal holds the line until the question reads it
        return console(qstash, *args, stdin=follower)
    finally:
        os.close(follower)
        os.close(leader)


def test_on_a_terminal_the_question_is_asked_and_the_answer_kept(qstash: LocalQStash) -> None:
    keys = qstash.state.signing_keys
    current, following = keys.current, keys.next
    declined = on_a_terminal(qstash, b"n\n", "keys", "--rotate")
    assert declined.returncode == 2
    assert "rotate the signing keys" in declined.stderr and "[y/N]" in declined.stderr
    assert "not confirmed; nothing was done" in declined.stderr
    assert qstash.state.signing_keys.current == current
    agreed = on_a_terminal(qstash, b"y\n", "--json", "keys", "--rotate")
    assert agreed.returncode == 0, agreed.stderr
    assert json.loads(agreed.stdout)["current"] == following == qstash.state.signing_keys.current


def test_a_logged_error_is_one_line_without_its_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    import logging

    from upstash_workflow.rest.cli._output import reset_consoles
    from upstash_workflow.rest.cli._runner import warnings_as_lines

    reset_consoles()  # consoles on this test's captured streams
    log = logging.getLogger("upstash_workflow.rest.testing")
    with warnings_as_lines():
        for _ in range(2):  # the same text twice: shown once
            try:
                raise ConnectionResetError("peer went away\x1b[2J")
            except ConnectionResetError:
                log.exception("LocalQStash delivery failed")
        log.warning("a %s warning", "logged")
    assert capsys.readouterr().err.splitlines() == [
        "error: LocalQStash delivery failed (ConnectionResetError: peer went away\\x1b[2J)",
        "warning: a logged warning",
    ]
