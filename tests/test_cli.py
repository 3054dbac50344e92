"""The command line as a user runs it, against LocalQStash over real sockets: in-process through
typer's runner (fast), and as a subprocess where the entry point, exit codes or the dev server matter."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from upstash_workflow.rest import (
    Client,
    DLQFilter,
    FlowControl,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    TriggerRequest,
    WorkflowState,
    __version__,
    cli,
)
from upstash_workflow.rest._inputs import camel_case
from upstash_workflow.rest.cli._app import _globals_first
from upstash_workflow.rest.cli._bulk import Step, run_bulk
from upstash_workflow.rest.cli._input import trigger_request
from upstash_workflow.rest.cli._output import EXIT_UNEXPECTED, age, when
from upstash_workflow.rest.cli._runner import cli_words
from upstash_workflow.rest.cli._runs import RunState
from upstash_workflow.rest.testing import LocalQStash, QStashState, SeedError

URL = "https://my-app.com/api/workflow"
runner = CliRunner()


def run_cli(qstash: LocalQStash | None, *args: str, **env: str | None) -> Result:
    """The CLI in-process, configured through the environment as a user's shell would."""
    base: dict[str, str | None] = {"QSTASH_URL": None, "QSTASH_TOKEN": None, "QSTASH_REGION": None}
    if qstash is not None:
        base |= {"QSTASH_URL": qstash.url, "QSTASH_TOKEN": qstash.token}
    return runner.invoke(cli.app, list(args), env={**base, "COLUMNS": "250", "NO_COLOR": "1", **env})


def ok_json(result: Result) -> Any:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def json_lines(result: Result) -> list[Any]:
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def subprocess_cli(
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


def seed_runs(qstash: LocalQStash, count: int, **fields: Any) -> list[str]:
    ids = [f"wfr_r{i}" for i in range(count)]
    qstash.seed({"runs": [{"url": URL, "workflow_run_id": run_id, **fields} for run_id in ids]})
    return ids


def paths(qstash: LocalQStash, prefix: str) -> list[str]:
    return [path for _, path in qstash.requests if path.startswith(prefix)]


# ------------------------------------------------------------------------------------- basics


def test_trigger_and_logs(qstash: LocalQStash) -> None:
    run = ok_json(
        run_cli(qstash, "--json", "trigger", URL, "--body", "hi", "--run-id", "cli", "-H", "X-A: 1", "--label", "l")
    )
    assert run == {
        "workflow_run_id": "wfr_cli",
        "message_id": run["message_id"],
        "deduplicated": False,
        "workflow_created_at": qstash.run("wfr_cli").created_at,
    }
    assert qstash.run("wfr_cli").headers["upstash-forward-x-a"] == "1"
    text = run_cli(qstash, "logs")
    assert text.exit_code == 0
    assert "wfr_cli" in text.stdout
    assert "RUN_STARTED" in text.stdout
    page = ok_json(run_cli(qstash, "--json", "logs", "--label", "l"))
    assert [r["workflow_run_id"] for r in page["runs"]] == ["wfr_cli"]
    assert page["cursor"] is None


def test_trigger_tells_started_from_deduplicated(qstash: LocalQStash) -> None:
    assert run_cli(qstash, "trigger", URL, "--run-id", "order-42").stdout.strip() == "started wfr_order-42"
    again = run_cli(qstash, "trigger", URL, "--run-id", "order-42")
    assert again.exit_code == 0
    assert "wfr_order-42 already exists: deduplicated, nothing started" in again.stdout
    assert ok_json(run_cli(qstash, "trigger", URL, "--run-id", "order-42", "--json"))["deduplicated"] is True
    assert len(qstash.state.runs) == 1


def test_cancel_notify_waiters(qstash: LocalQStash) -> None:
    ids = [ok_json(run_cli(qstash, "--json", "trigger", URL))["workflow_run_id"] for _ in range(3)]
    qstash.add_waiter("ev", ids[0])
    assert URL in run_cli(qstash, "waiters", "ev").stdout
    notified = ok_json(run_cli(qstash, "--json", "notify", "ev", "data"))
    assert len(notified) == 1
    assert run_cli(qstash, "notify", "ev").stderr.strip() == "no run was waiting"  # stdout: a pipe's header
    assert "cancelled 1 run(s)" in run_cli(qstash, "cancel", ids[0]).stdout
    assert ok_json(run_cli(qstash, "--json", "cancel", "--url-prefix", "https://my-app.com", "--yes"))["cancelled"] == 2
    assert ok_json(run_cli(qstash, "--json", "cancel", "--all", "-y"))["cancelled"] == 0


def test_dlq_commands(qstash: LocalQStash) -> None:
    ids = [ok_json(run_cli(qstash, "--json", "trigger", URL))["workflow_run_id"] for _ in range(4)]
    dlq_ids = [qstash.add_dlq_message(i) for i in ids]
    listed = ok_json(run_cli(qstash, "--json", "dlq", "list"))["messages"]
    assert {m["dlq_id"] for m in listed} == set(dlq_ids)
    assert dlq_ids[0] in run_cli(qstash, "dlq", "list").stdout
    assert "resumed 1 run(s)" in run_cli(qstash, "dlq", "resume", dlq_ids[0]).stdout
    assert "restarted 1 run(s)" in run_cli(qstash, "dlq", "restart", "--run-id", ids[1], "--yes").stdout
    assert ids[2] in run_cli(qstash, "dlq", "retry-failure", dlq_ids[2]).stdout
    assert ok_json(run_cli(qstash, "--json", "dlq", "delete", "--all", "--yes"))["deleted"] == 2


# ---------------------------------------------------------------------------------- bulk, paging


def test_cancel_all_repeats_until_none_are_left(qstash: LocalQStash) -> None:
    seed_runs(qstash, 250)
    result = run_cli(qstash, "cancel", "--all", "--yes")
    assert result.exit_code == 0, result.stderr
    assert "cancelled 250 run(s) in 4 request(s)" in result.stdout  # 100 + 100 + 50 + 0: none left
    assert "Cancelling runs" in result.stderr  # the progress bar
    assert {r.state for r in qstash.state.runs.values()} == {"RUN_CANCELED"}
    assert [p.split("count=")[1] for p in paths(qstash, "/v2/workflows/runs")] == ["100", "100", "100", "100"]


def test_cancel_limit_caps_the_total_and_says_so(qstash: LocalQStash) -> None:
    seed_runs(qstash, 150, labels=["bulk"])
    seed_runs_other = [f"wfr_o{i}" for i in range(5)]
    qstash.seed({"runs": [{"url": URL, "workflow_run_id": run_id} for run_id in seed_runs_other]})
    capped = ok_json(run_cli(qstash, "--json", "cancel", "--label", "bulk", "--limit", "120", "--yes"))
    assert capped == {"cancelled": 120, "requests": 2, "limit_reached": True}
    assert [p.split("count=")[1] for p in paths(qstash, "/v2/workflows/runs")] == ["100", "20"]
    rest = run_cli(qstash, "cancel", "--label", "bulk", "--yes")
    assert "cancelled 30 run(s)" in rest.stdout
    assert all(qstash.run(run_id).state == "RUN_STARTED" for run_id in seed_runs_other)
    assert "stopped at --limit" in run_cli(qstash, "cancel", "--all", "--count", "2", "--yes").stdout  # old spelling
    assert "--limit" in run_cli(None, "cancel", "--help").stdout


@pytest.mark.parametrize("command", ["resume", "restart", "delete"])
def test_dlq_bulk_actions_follow_the_cursor(qstash: LocalQStash, command: str) -> None:
    ids = seed_runs(qstash, 230)
    qstash.seed({"dlq": [{"workflow_run_id": run_id} for run_id in ids]})
    result = ok_json(run_cli(qstash, "dlq", command, "--all", "--json", "--yes"))
    page = 50 if command == "restart" else 100  # Upstash restarts at most 50 per request
    assert result["requests"] == -(-230 // page)
    done = result["deleted"] if command == "delete" else len(result["workflow_runs"])
    assert done == 230
    assert not qstash.state.dlq
    sent = paths(qstash, "/v2/workflows/dlq")
    assert "cursor" not in sent[0]
    assert all("cursor=more" in p for p in sent[1:])
    assert {p.split("count=")[1].split("&")[0] for p in sent} == {str(page)}


def test_dlq_bulk_limit_and_filters(qstash: LocalQStash) -> None:
    ids = seed_runs(qstash, 30, labels=["x"])
    qstash.seed({"dlq": [{"workflow_run_id": run_id} for run_id in ids]})
    assert "deleted 5 message(s) in 1 request(s); stopped at --limit" in (
        run_cli(qstash, "dlq", "delete", "--label", "x", "--limit", "5", "--yes").stdout
    )
    resumed = ok_json(run_cli(qstash, "dlq", "resume", "--workflow-url", URL, "--json", "--yes"))
    assert len(resumed["workflow_runs"]) == 25
    for args in (["--all", "--run-id", "wfr_r1"], [], ["dlq_a", "--limit", "3"]):
        refused = run_cli(qstash, "dlq", "delete", *args)
        assert refused.exit_code == 2
        assert "--" in refused.stderr


@pytest.mark.parametrize(("command", "key"), [(["logs"], "runs"), (["dlq", "list"], "messages")])
def test_listings_continue_with_a_cursor_or_follow_every_page(
    qstash: LocalQStash, command: list[str], key: str
) -> None:
    ids = seed_runs(qstash, 7)
    qstash.seed({"dlq": [{"workflow_run_id": run_id} for run_id in ids]})
    first = ok_json(run_cli(qstash, *command, "--limit", "3", "--json"))
    assert len(first[key]) == 3
    assert first["cursor"]
    second = ok_json(run_cli(qstash, *command, "--limit", "3", "--cursor", first["cursor"], "--json"))
    everything = ok_json(run_cli(qstash, *command, "--limit", "3", "--all-pages", "--json"))
    assert len(everything[key]) == 7
    assert everything["cursor"] is None
    assert everything[key][:6] == first[key] + second[key]
    text = run_cli(qstash, *command, "--limit", "3")
    assert f"--cursor {first['cursor']}" in text.stderr


# ------------------------------------------------------------------------------- trigger --file


def write_lines(tmp_path: Path, *lines: Any) -> Path:
    file = tmp_path / "runs.jsonl"
    file.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    return file


def test_trigger_from_a_file_counts_started_and_deduplicated(qstash: LocalQStash, tmp_path: Path) -> None:
    file = write_lines(
        tmp_path, *[{"url": f"{URL}/{i}", "body": str(i), "workflow_run_id": f"f{i}"} for i in range(25)]
    )
    outcomes = json_lines(run_cli(qstash, "--json", "trigger", "--file", str(file), "--batch-size", "10"))
    assert [o["index"] for o in outcomes] == list(range(25))
    assert [o["line"] for o in outcomes] == list(range(1, 26))
    assert not any(o["deduplicated"] for o in outcomes)
    assert len(qstash.state.runs) == 25
    assert len(paths(qstash, "/v2/batch")) == 3
    again = run_cli(qstash, "trigger", "--file", str(file))
    assert "started 0 run(s), 25 deduplicated" in again.stdout
    assert "runs/s" in again.stdout
    assert "Triggering runs" in again.stderr
    assert all(o["deduplicated"] for o in json_lines(run_cli(qstash, "trigger", "--file", str(file), "--json")))


def test_runs_file_takes_snake_and_camel_case_with_nested_objects(qstash: LocalQStash, tmp_path: Path) -> None:
    file = write_lines(
        tmp_path,
        "# comments and blank lines are skipped",
        "",
        {
            "url": URL,
            "workflowRunId": "camel",
            "flowControl": {"key": "tenant-a", "parallelism": 2, "ratePerSecond": 10, "period": "1m"},
            "redact": {"body": True, "header": ["Authorization"]},
            "retryDelay": "1000",
            "failureUrl": "https://my-app.com/failed",
            "label": ["a", "b"],
        },
        {"url": URL, "workflow_run_id": "snake", "flow_control": {"key": "k", "rate": 5}, "headers": {"X-A": "1"}},
    )
    outcomes = json_lines(run_cli(qstash, "trigger", "--file", str(file), "--json"))
    assert [(o["index"], o["line"]) for o in outcomes] == [(0, 3), (1, 4)]
    camel = qstash.run("wfr_camel").headers
    assert camel["upstash-flow-control-key"] == "tenant-a"
    assert camel["upstash-flow-control-value"] == "parallelism=2, rate=10, period=1m"
    assert camel["upstash-redact-fields"] == "body,header[Authorization]"
    assert camel["upstash-failure-callback"] == "https://my-app.com/failed"
    assert qstash.run("wfr_camel").labels == ["a", "b"]
    assert qstash.run("wfr_snake").headers["upstash-flow-control-value"] == "rate=5"


def test_runs_file_bad_lines_are_reported_by_number_and_nothing_is_sent(qstash: LocalQStash, tmp_path: Path) -> None:
    file = write_lines(
        tmp_path,
        {"url": URL},
        "not json",
        {"url": URL, "flow_control": {"parallelism": 1}},
        {"url": URL, "colour": "red"},
        {"body": "no url"},
        {"url": URL, "workflowRunId": "a", "workflow_run_id": "b"},
        {"url": URL, "label": "bad label!"},
        [1, 2],
        {"url": URL, "redact": "body"},
    )
    result = run_cli(qstash, "trigger", "--file", str(file))
    assert result.exit_code == 2
    for line in range(2, 10):
        assert f"runs.jsonl:{line}:" in result.stderr
    assert "runs.jsonl:1:" not in result.stderr
    assert "unknown key 'colour'" in result.stderr
    assert "nothing was sent" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not paths(qstash, "/v2/batch")
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b'{"url": "' + URL.encode() + b'"}\n{"url": "\xff"}\n')
    not_utf8 = run_cli(qstash, "trigger", "--file", str(binary))
    assert not_utf8.exit_code == 2
    assert "binary.jsonl:2:" in not_utf8.stderr


def test_trigger_refuses_url_with_file_and_resumes_from_an_index(qstash: LocalQStash, tmp_path: Path) -> None:
    file = write_lines(tmp_path, *[{"url": URL, "workflow_run_id": f"x{i}"} for i in range(6)])
    both = run_cli(qstash, "trigger", URL, "--file", str(file))
    assert both.exit_code == 2
    assert "not both" in both.stderr
    assert not paths(qstash, "/v2/batch")
    outcomes = json_lines(run_cli(qstash, "trigger", "--file", str(file), "--resume-from", "4", "--json"))
    assert [o["index"] for o in outcomes] == [4, 5]
    assert sorted(qstash.state.runs) == ["wfr_x4", "wfr_x5"]


def test_trigger_file_failures_are_reported_per_run_with_where_to_resume(qstash: LocalQStash, tmp_path: Path) -> None:
    file = write_lines(tmp_path, *[{"url": URL, "workflow_run_id": f"f{i}"} for i in range(5)])
    qstash.inject("status", status=400, path_prefix="/v2/batch", times=3)  # 3 batches of up to 2
    result = run_cli(qstash, "trigger", "--file", str(file), "--batch-size", "2", "--max-retries", "0")
    assert result.exit_code == 1
    assert "5 failed" in result.stdout
    assert "5 run(s) did not start" in result.stderr
    assert "--resume-from 0" in result.stderr
    assert all(f"runs.jsonl:{line}: API error 400: " in result.stderr for line in range(1, 6))
    assert "BadRequestError" not in result.stderr  # the class name stays in --json's "error"
    assert "Traceback" not in result.stderr
    assert not qstash.state.runs
    qstash.inject("status", status=400, path_prefix="/v2/batch", times=1)  # one batch of 5
    failed = run_cli(qstash, "trigger", "--file", str(file), "--json", "--max-retries", "0")
    assert failed.exit_code == 1
    lines = [json.loads(line) for line in failed.stdout.splitlines()]
    assert [(o["index"], o["status"]) for o in lines] == [(i, "failed") for i in range(5)]
    assert all(o["error"].startswith("BadRequestError") for o in lines)
    assert "started 5 run(s)" in run_cli(qstash, "trigger", "--file", str(file)).stdout


# --------------------------------------------------------------------- errors, options, version


def test_errors_speak_cli(qstash: LocalQStash) -> None:
    missing = run_cli(None, "logs")
    assert missing.exit_code == 2
    assert "--token" in missing.stderr
    assert "QSTASH_TOKEN" in missing.stderr
    assert "Client(" not in missing.stderr
    nothing = run_cli(qstash, "cancel")
    assert nothing.exit_code == 2
    assert "exactly one of" in nothing.stderr
    assert "--all" in nothing.stderr
    assert "all=True" not in nothing.stderr
    assert run_cli(qstash, "logs", "--limit", "0").exit_code == 2
    assert cli_words("Choose exactly one of ids, url_starting_with, all=True") == (
        "Choose exactly one of ids, --url-prefix, --all"
    )


def test_global_options_work_anywhere(qstash: LocalQStash) -> None:
    qstash.seed({"runs": [{"url": URL, "workflow_run_id": "g"}]})
    after = ok_json(run_cli(None, "logs", "--json", "--token", qstash.token, "--url", qstash.url))
    assert [r["workflow_run_id"] for r in after["runs"]] == ["wfr_g"]
    nested = ok_json(run_cli(qstash, "dlq", "list", "--json"))
    assert nested == {"messages": [], "cursor": None}
    wrong = run_cli(qstash, "logs", "--token", "wrong-token-value")
    assert wrong.exit_code == 1
    assert "wrong-token-value" not in wrong.stdout + wrong.stderr
    # A command's own URL argument is not the global --url.
    assert ok_json(run_cli(qstash, "trigger", URL, "--json"))["workflow_run_id"].startswith("wfr_")


def test_version() -> None:
    result = run_cli(None, "--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"upstash-workflow-client {__version__}"


def test_server_text_is_never_read_as_markup(qstash: LocalQStash) -> None:
    qstash.inject("status", status=400, body='{"error": "bad [/bold] thing [red]x"}')
    result = run_cli(qstash, "logs")
    assert result.exit_code == 1
    assert "bad [/bold] thing [red]x" in result.stderr
    qstash.seed({"runs": [{"url": "https://my-app.com/[/bold]", "workflow_run_id": "m[/i]"}]})
    table = run_cli(qstash, "logs")
    assert table.exit_code == 0, table.stderr
    assert "wfr_m[/i]" in table.stdout
    assert "https://my-app.com/[/bold]" in table.stdout


def test_unexpected_errors_print_one_line_and_exit_4(qstash: LocalQStash, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("surprise [/bold]")

    monkeypatch.setattr(Client, "logs", broken)
    result = run_cli(qstash, "logs")
    assert result.exit_code == EXIT_UNEXPECTED == 4
    assert result.stderr.strip().splitlines() == [
        "unexpected error: KeyError: 'surprise [/bold]' (a bug; please report it)"
    ]


def test_main_turns_anything_else_into_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def explode() -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "app", explode)
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 4
    assert capsys.readouterr().err.strip() == "unexpected error: RuntimeError: boom"


def test_exit_codes_through_the_entry_point(qstash: LocalQStash) -> None:
    wrong = subprocess_cli(qstash, "logs", token="wrong-secret-token")
    assert wrong.returncode == 1
    assert "API error 401" in wrong.stderr
    assert "wrong-secret-token" not in wrong.stdout + wrong.stderr
    missing = subprocess_cli(None, "logs")
    assert missing.returncode == 2
    assert "QSTASH_TOKEN" in missing.stderr
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    unreachable = subprocess_cli(qstash, "logs", "--max-retries", "0", url=f"http://127.0.0.1:{port}")
    assert unreachable.returncode == 3
    assert qstash.token not in unreachable.stdout + unreachable.stderr
    not_found = subprocess_cli(qstash, "dlq", "retry-failure", "dlq_nope")
    assert not_found.returncode == 1
    assert "404" in not_found.stderr


def test_help_lists_every_command() -> None:
    result = run_cli(None, "--help")
    for command in ("trigger", "cancel", "notify", "waiters", "logs", "dlq", "dev", "seed"):
        assert command in result.stdout
    dlq_help = run_cli(None, "dlq", "--help").stdout
    assert "resume" in dlq_help
    assert "until the DLQ has none left" in run_cli(None, "dlq", "restart", "--help").stdout


# --------------------------------------------------------------------------------------- times


def test_tables_show_local_iso_times_and_json_keeps_raw_values(qstash: LocalQStash) -> None:
    created = int(time.time() * 1000) - 3 * 3600 * 1000
    qstash.seed({"runs": [{"url": URL, "workflow_run_id": "old", "created_at": created}]})
    local = dt.datetime.fromtimestamp(created / 1000).astimezone().isoformat(timespec="seconds")
    table = run_cli(qstash, "logs").stdout
    assert f"{local} (3h ago)" in table
    assert "created (ms)" not in table
    assert ok_json(run_cli(qstash, "logs", "--json"))["runs"][0]["workflow_run_created_at"] == created


def test_age_and_when() -> None:
    assert [age(s) for s in (0.2, 5, 125, 7300, 3 * 86400, -90)] == [
        "just now",
        "5s ago",
        "2m ago",
        "2h ago",
        "3d ago",
        "in 1m",
    ]
    assert when(None) == "-"
    assert when(10**30) == str(10**30)  # out of range: the raw value
    assert when(1_000, per_second=1, now=1_060).endswith("(1m ago)")


def test_waiters_show_their_run(qstash: LocalQStash) -> None:
    seed_runs(qstash, 3)
    qstash.seed({"waiters": [{"event_id": "paid", "workflow_run_id": f"wfr_r{i}"} for i in range(3)]})
    table = run_cli(qstash, "waiters", "paid").stdout
    for i in range(3):
        assert f"wfr_r{i}" in table
    assert "(in 59m)" in table or "(in 1h)" in table
    assert "wfr_r1" in run_cli(qstash, "notify", "paid").stdout


def test_results_offer_aware_datetimes(client: Client, qstash: LocalQStash) -> None:
    run = client.trigger(URL)
    qstash.add_waiter("ev", run.workflow_run_id)
    dlq_id = qstash.add_dlq_message(run.workflow_run_id)
    log = client.logs().runs[0]
    created = log.workflow_run_created_at_datetime
    assert created is not None
    assert created.tzinfo is not None
    assert round(created.timestamp() * 1000) == log.workflow_run_created_at
    assert log.workflow_run_completed_at_datetime is not None
    initial = log.steps[-1].steps[0]  # groups are newest first; the wait in progress heads them now
    assert initial.step_type == "Initial"
    assert initial.created_at_datetime == created
    message = client.dlq.list().messages[0]
    assert message.dlq_id == dlq_id
    assert message.created_at_datetime is not None
    waiter_run = client.trigger(URL)
    qstash.add_waiter("ev2", waiter_run.workflow_run_id, timeout=60)
    deadline = client.get_waiters("ev2")[0].deadline_datetime
    assert deadline is not None
    assert abs(deadline - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(seconds=120)


# --------------------------------------------------------------------------------------- state


def test_state_filter_is_checked_in_the_api_and_the_cli(client: Client, qstash: LocalQStash) -> None:
    with pytest.raises(InvalidArgumentError, match="RUN_STARTED, RUN_SUCCESS, RUN_FAILED, RUN_CANCELED"):
        client.logs(state="SUCCESS")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError):
        next(client.iter_logs(state="run_success"))  # type: ignore[arg-type]
    assert not paths(qstash, "/v2/workflows/events")
    client.trigger(URL)
    assert len(client.logs(state="RUN_STARTED").runs) == 1
    typo = run_cli(qstash, "logs", "--state", "SUCCESS")
    assert typo.exit_code == 2
    assert "RUN_SUCCESS" in typo.stderr
    assert tuple(state.value for state in RunState) == get_args(WorkflowState)


def test_trigger_with_a_list_points_at_trigger_many(client: Client) -> None:
    for wrong in ([URL], (URL,), TriggerRequest(url=URL)):
        with pytest.raises(InvalidArgumentTypeError, match="use trigger_many"):
            client.trigger(wrong)  # type: ignore[arg-type]
    for single in (TriggerRequest(url=URL), URL):
        with pytest.raises(InvalidArgumentTypeError, match=r"use trigger\(url"):
            client.trigger_many(single)  # type: ignore[arg-type]


# ------------------------------------------------------------------------- LocalQStash clock


def test_timestamps_follow_the_wall_clock(client: Client, qstash: LocalQStash) -> None:
    before = int(time.time() * 1000)
    runs = client.trigger_many([TriggerRequest(url=URL) for _ in range(30)])
    for run in runs:
        qstash.add_dlq_message(run.workflow_run_id)
    now = int(time.time() * 1000)
    recent = client.dlq.list(count=100, filter=DLQFilter(from_date=now - 86_400_000, to_date=now)).messages
    assert len(recent) == 30
    assert all(before <= (m.created_at or 0) <= now for m in recent)


def test_one_millisecond_keeps_newest_first_by_sequence() -> None:
    frozen = QStashState(clock=lambda: 1_700_000_000.0)
    for i in range(5):
        frozen.publish([{"destination": URL, "headers": {"upstash-workflow-runid": f"wfr_{i}"}}], "127.0.0.1")
    page = frozen.logs({})
    assert [r["workflowRunId"] for r in page["runs"]] == ["wfr_4", "wfr_3", "wfr_2", "wfr_1", "wfr_0"]
    assert {r["workflowRunCreatedAt"] for r in page["runs"]} == {1_700_000_000_000}


# ------------------------------------------------------------------------------- dev and seeds


SEED = {
    "runs": [
        {"url": URL, "workflow_run_id": "wfr_waiting", "labels": "demo"},
        {"url": URL, "workflow_run_id": "failed", "failure_url": "https://my-app.com/failed"},
        {"url": URL, "workflow_run_id": "done", "state": "RUN_SUCCESS", "body": {"a": 1}},
    ],
    "waiters": [{"event_id": "paid", "workflow_run_id": "waiting"}],
    "dlq": [{"workflow_run_id": "failed", "dlq_id": "dlq_seeded", "response_status": 503}],
}


def test_seeded_local_qstash(client: Client) -> None:
    with LocalQStash(seed=SEED) as seeded, Client(token=seeded.token, base_url=seeded.url) as local:
        assert seeded.run("wfr_done").state == "RUN_SUCCESS"
        assert seeded.run("wfr_done").body == '{"a":1}'
        assert len(local.get_waiters("paid")) == 1
        (message,) = local.dlq.list().messages
        assert (message.dlq_id, message.response_status) == ("dlq_seeded", 503)
        assert local.dlq.retry_failure_function("dlq_seeded").workflow_run_id == "wfr_failed"
        assert [r.workflow_run_id for r in local.logs(label="demo").runs] == ["wfr_waiting"]


@pytest.mark.parametrize(
    ("bad", "where"),
    [
        ({"runs": [{"workflow_run_id": "x"}]}, "runs[0].url is required"),
        ({"runs": [{"url": URL, "state": "SUCCESS"}]}, "runs[0].state must be one of"),
        ({"runs": [{"url": URL}, {"url": URL, "created_at": "today"}]}, "runs[1].created_at"),
        ({"waiters": [{"workflow_run_id": "x"}]}, "waiters[0].event_id is required"),
        ({"dlq": [{"workflow_run_id": "nope"}]}, "no run wfr_nope"),
        ({"run": []}, "unknown key 'run' in the seed (expected: runs, waiters, dlq)"),
        ({"runs": [{"url": URL, "colour": 1}]}, "unknown field(s) colour"),
        ({"runs": {}}, "runs must be a list"),
    ],
)
def test_a_bad_seed_names_the_entry_and_stores_nothing(qstash: LocalQStash, bad: dict[str, Any], where: str) -> None:
    with pytest.raises(SeedError) as info:
        qstash.seed(bad)
    assert where in str(info.value)
    assert not qstash.state.runs


@pytest.fixture
def dev_server(tmp_path: Path) -> Iterator[dict[str, Any]]:
    seed_file = tmp_path / "seed.json"
    seed_file.write_text(json.dumps(SEED))
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "upstash_workflow.rest", "dev", "--port", "0", "--seed", str(seed_file), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        yield json.loads(proc.stdout.readline())
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_dev_server_runs_seeded_and_takes_more_while_running(dev_server: dict[str, Any], tmp_path: Path) -> None:
    assert dev_server["seeded"] == {"runs": 3, "waiters": 1, "dlq": 1}
    env = {"QSTASH_URL": dev_server["url"], "QSTASH_TOKEN": dev_server["token"]}
    assert "wfr_waiting" in run_cli(None, "waiters", "paid", **env).stdout
    assert "dlq_seeded" in run_cli(None, "dlq", "list", **env).stdout
    added = ok_json(run_cli(None, "seed", "--waiter", "shipped=done", "--dlq", "waiting", "--json", **env))
    assert added == {"runs": 0, "waiters": 1, "dlq": 1}
    file = tmp_path / "more.json"
    file.write_text(json.dumps({"runs": [{"url": URL, "workflow_run_id": "later"}]}))
    assert "added 1 run(s)" in run_cli(None, "seed", str(file), **env).stdout
    assert "wfr_later" in run_cli(None, "logs", **env).stdout
    assert len(ok_json(run_cli(None, "dlq", "list", "--json", **env))["messages"]) == 2
    only = ok_json(run_cli(None, "dlq", "list", "--run-id", "wfr_waiting", "--json", **env))["messages"]
    assert [m["workflow_run_id"] for m in only] == ["wfr_waiting"]
    bad = run_cli(None, "seed", "--dlq", "nope", **env)
    assert bad.exit_code == 1
    assert "no run wfr_nope" in bad.stderr
    response = httpx.post(f"{dev_server['url']}/_local/seed", json={}, timeout=5)
    assert response.status_code == 401


def test_seed_talks_only_to_a_local_server(tmp_path: Path) -> None:
    remote = run_cli(None, "seed", "--dlq", "x", QSTASH_URL="https://qstash.upstash.io", QSTASH_TOKEN="t0ken")
    assert remote.exit_code == 2
    assert "only talks to a local dev server" in remote.stderr
    empty = run_cli(None, "seed", QSTASH_URL="http://127.0.0.1:9", QSTASH_TOKEN="t0ken")
    assert empty.exit_code == 2
    assert "nothing to add" in empty.stderr
    bad_seed = tmp_path / "bad.json"
    bad_seed.write_text('{"runs": [{"state": "RUN_SUCCESS"}]}')
    refused = run_cli(None, "dev", "--port", "0", "--seed", str(bad_seed))
    assert refused.exit_code == 2
    assert "runs[0].url is required" in refused.stderr


def test_bulk_loop_stops_on_a_server_that_never_finishes() -> None:
    calls: list[tuple[int, str | None]] = []

    def stuck(count: int, cursor: str | None) -> Step:
        calls.append((count, cursor))
        return Step(0, [], "same")

    total = run_bulk(stuck, None, "testing")
    assert (total.done, total.requests, len(calls)) == (0, 2, 2)
    assert calls == [(100, None), (100, "same")]


def test_undecodable_server_text_does_not_break_the_output(qstash: LocalQStash) -> None:
    qstash.inject("status", status=400, body='{"error": "bad \\ud800 char"}')
    result = run_cli(qstash, "logs")
    assert result.exit_code == 1
    assert "bad \\ud800 char" in result.stderr  # shown escaped, like every control character
    qstash.seed({"runs": [{"url": URL, "workflow_run_id": "s\ud800"}]})
    assert "wfr_s\\ud800" in run_cli(qstash, "logs").stdout
    assert ok_json(run_cli(qstash, "logs", "--json"))["runs"][0]["workflow_run_id"] == "wfr_s\ud800"


run_values = st.fixed_dictionaries(
    {"url": st.just(URL)},
    optional={
        "workflow_run_id": st.text("abc-_1", min_size=1, max_size=8),
        "retries": st.integers(0, 10),
        "retry_delay": st.just("1000"),
        "not_before": st.integers(0, 2**31),
        "disable_telemetry": st.booleans(),
        "failure_url": st.just("https://my-app.com/failed"),
        "flow_control": st.fixed_dictionaries(
            {"key": st.just("k")}, optional={"parallelism": st.integers(1, 5), "rate_per_second": st.integers(1, 5)}
        ),
        "redact": st.fixed_dictionaries({}, optional={"body": st.booleans(), "header": st.booleans()}),
    },
)


@given(run_values)
def test_runs_file_snake_and_camel_case_mean_the_same(fields: dict[str, Any]) -> None:
    def camel(data: dict[str, Any]) -> dict[str, Any]:
        return {camel_case(k): camel(v) if isinstance(v, dict) else v for k, v in data.items()}

    snake_request = trigger_request(json.loads(json.dumps(fields)))
    assert snake_request == trigger_request(json.loads(json.dumps(camel(fields))))
    assert snake_request.url == URL
    if "flow_control" in fields:
        assert isinstance(snake_request.flow_control, FlowControl)


def test_global_options_move_in_front_of_the_command() -> None:

    assert _globals_first(["logs", "--json", "--count", "2"]) == ["--json", "logs", "--count", "2"]
    assert _globals_first(["dlq", "list", "--token", "t", "--url=http://x"]) == [
        "--token",
        "t",
        "--url=http://x",
        "dlq",
        "list",
    ]
    assert _globals_first(["--token", "a", "logs", "--token", "b"]) == ["--token", "a", "--token", "b", "logs"]
    assert _globals_first(["notify", "ev", "--", "--json"]) == ["notify", "ev", "--", "--json"]
    assert _globals_first(["logs", "--max-retries"]) == ["logs", "--max-retries"]  # the parser says what is missing


def test_a_commands_option_value_that_looks_global_stays_its_value(qstash: LocalQStash) -> None:
    result = run_cli(qstash, "trigger", URL, "--body", "--json", "--run-id", "literal")
    assert result.exit_code == 0, result.output
    assert "wfr_literal" in result.output and not result.output.lstrip().startswith("{")  # a table, not JSON
    (message,) = [m for m in qstash.state.runs.values() if m.workflow_run_id == "wfr_literal"]
    assert message.body == "--json"
    # A global option after the command still moves, also after a subcommand's value option.
    listed = run_cli(qstash, "dlq", "list", "--limit", "5", "--json")
    assert listed.exit_code == 0 and json.loads(listed.output) is not None


def _every_command(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _every_command(sub, (*path, name))


def test_help_shows_flags_as_flags() -> None:
    import typer.main

    commands = list(_every_command(typer.main.get_command(cli.app)))
    assert len(commands) > 20
    for path, command in commands:
        flags = [p for p in command.params if p.param_type_name == "option" and p.type.name == "boolean"]
        assert all(flag.is_flag for flag in flags), path
        ctx = command.context_class(command)  # the plain (non-rich) help: no metavar after a flag
        assert all("<" not in flag.get_help_record(ctx)[0] for flag in flags), path
        for columns in ("80", "250"):  # the rich help
            shown = runner.invoke(cli.app, [*path, "--help"], env={"COLUMNS": columns})
            assert shown.exit_code == 0, (path, shown.output)
            assert "bool" not in shown.stdout.lower(), (path, shown.stdout)
    help_text = run_cli(None, "--help").stdout
    assert "Exit codes: 0 success" in help_text


def test_the_cli_package_has_no_import_cycle_and_commands_do_not_import_upward() -> None:
    """Within ``cli/``: the command modules import only the layers below them (never ``_app``, the
    package or each other), and nothing but the package imports a command module."""
    import ast

    folder = Path(cli.__file__).parent
    commands = {"_runs", "_dlq", "_flow_control", "_keys", "_dev"}
    imports: dict[str, set[str]] = {}
    for file in folder.glob("*.py"):
        found: set[str] = set()
        for node in ast.walk(ast.parse(file.read_text())):  # TYPE_CHECKING imports count too
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                found |= {node.module} if node.module else {alias.name for alias in node.names}
            elif (
                isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("upstash_workflow.rest.cli")
            ):
                found.add(node.module.removeprefix("upstash_workflow.rest.cli").lstrip(".") or "__init__")
        imports[file.stem] = found
    assert commands < set(imports)
    for name, found in imports.items():
        if name != "__init__":
            assert not found & commands, (name, found)
            assert "__init__" not in found, name
        if name in commands:
            assert "_app" not in found, name

    def reaches(start: str, seen: frozenset[str]) -> None:
        for target in imports.get(start, set()):
            assert target not in seen, f"import cycle through {target}"
            reaches(target, seen | {target})

    for name in imports:
        reaches(name, frozenset({name}))
