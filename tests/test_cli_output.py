"""What the command line prints, as a user sees it (against LocalQStash over real sockets): ids whole
on one line on an 80-column terminal, tab-separated tables when stdout is not a terminal, capital
metavars in ``--help``, one time format, page sizes within Upstash's limits, exit 2 without the
``[cli]`` extra."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator.readers import read_from_filename

from tests.support.terminal import run_on_a_terminal
from tests.test_cli import URL, ok_json, paths, run_cli, runner
from upstash_workflow.rest import cli
from upstash_workflow.rest.cli._bulk import DLQ_PAGE, LOGS_PAGE, RESTART_PAGE
from upstash_workflow.rest.cli._output import EXIT_USAGE
from upstash_workflow.rest.testing import LocalQStash

SPEC = Path(__file__).parent / "data" / "upstash-workflow-openapi.yaml"
# A run id as Upstash makes them (wfr_ + 21 characters), and one longer than an 80-column line.
RUN_ID = "wfr_o1i6VNyOFPg_cSyjrTA2U"
LONG_RUN_ID = "wfr_" + "order-2026-11-25-tenant-europe-west-" * 3
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # rich's bold headers (NO_COLOR keeps styles, drops colours)
LONG_URL = "https://my-app.example.com/api/workflows/orders/fulfilment/with/a/long/path?tenant=europe-west"


def terminal(qstash: LocalQStash | None, *args: str, columns: int = 80) -> str:
    """The command's stdout as an ``columns``-wide terminal shows it (rich's TTY_COMPATIBLE=1 makes
    its console a terminal although the runner captures the output)."""
    result = run_cli(qstash, *args, COLUMNS=str(columns), TTY_COMPATIBLE="1")
    assert result.exit_code == 0, result.stderr
    assert "┃" in result.stdout or "│" in result.stdout, result.stdout  # drawn, not tab-separated
    return result.stdout


def piped(qstash: LocalQStash, *args: str) -> list[list[str]]:
    """The command's stdout when it is not a terminal, split into tab-separated cells."""
    result = run_cli(qstash, *args, COLUMNS="80")
    assert result.exit_code == 0, result.stderr
    return [line.split("\t") for line in result.stdout.splitlines()]


def seeded(qstash: LocalQStash) -> str:
    """Two runs (an Upstash-like id and a very long one, both of a long URL, labelled), each failed
    into the DLQ 3 hours ago, one waiting for an event, and a flow-control key; returns the first
    DLQ id."""
    created = int(time.time() * 1000) - 3 * 3600 * 1000
    runs = [
        {"url": LONG_URL, "workflow_run_id": r, "labels": ["orders"], "created_at": created}
        for r in (RUN_ID, LONG_RUN_ID)
    ]
    qstash.seed({"runs": runs, "waiters": [{"event_id": "paid", "workflow_run_id": RUN_ID}]})
    qstash.seed({"dlq": [{"workflow_run_id": RUN_ID, "dlq_id": "dlq_" + "x" * 40}, {"workflow_run_id": LONG_RUN_ID}]})
    for entry in qstash.state.dlq.values():
        entry.created_at = created  # a fixed age, so two commands a second apart print the same text
    return "dlq_" + "x" * 40


def one_line_holding(text: str, value: str) -> str:
    lines = [line for line in text.splitlines() if value in line]
    assert lines, f"{value!r} is not whole on one line of:\n{text}"
    return lines[0]


@pytest.mark.parametrize(
    ("args", "ids"),
    [
        (["logs"], [RUN_ID, LONG_RUN_ID]),
        (["dlq", "list"], [RUN_ID, LONG_RUN_ID, "dlq_" + "x" * 40]),
        (["waiters", "paid"], [RUN_ID]),
        (["dlq", "get", "dlq_" + "x" * 40], [RUN_ID, "dlq_" + "x" * 40]),
    ],
)
def test_an_80_column_terminal_keeps_every_id_on_one_line(qstash: LocalQStash, args: list[str], ids: list[str]) -> None:
    seeded(qstash)
    shown = terminal(qstash, *args)
    for run_id in ids:
        one_line_holding(shown, run_id)
    if LONG_RUN_ID not in ids:  # the table fits the terminal: the URL folds, the ids do not
        assert max(len(ANSI.sub("", line)) for line in shown.splitlines()) <= 80
        assert LONG_URL not in shown
    if args == ["logs"]:
        assert "RUN_FAILED" in one_line_holding(shown, RUN_ID)  # a state is not folded either


def on_a_pseudo_terminal(qstash: LocalQStash, *args: str, columns: int = 80) -> str:
    """The entry point's output on a real (pseudo-)terminal ``columns`` wide (rich reads COLUMNS)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QSTASH_", "UPSTASH_", "FORCE_COLOR", "TTY_"))}
    env |= {"QSTASH_URL": qstash.url, "QSTASH_TOKEN": qstash.token, "TERM": "xterm", "COLUMNS": str(columns)}
    command = [sys.executable, "-m", "upstash_workflow.rest", *args]
    code, output = run_on_a_terminal(command, env)
    assert code == 0, output
    return ANSI.sub("", output.decode()).replace("\r\n", "\n")


def test_a_real_80_column_terminal_shows_the_run_id_whole(qstash: LocalQStash) -> None:
    seeded(qstash)
    shown = on_a_pseudo_terminal(qstash, "logs", "--label", "orders")
    one_line_holding(shown, RUN_ID)
    one_line_holding(shown, LONG_RUN_ID)
    assert "│" in shown  # drawn: a terminal


def test_a_table_too_wide_for_the_terminal_is_drawn_wider_not_cut(qstash: LocalQStash) -> None:
    seeded(qstash)
    shown = terminal(qstash, "logs", "--label", "orders")
    line = one_line_holding(shown, LONG_RUN_ID)
    assert len(ANSI.sub("", line)) > 80
    assert "RUN_FAILED" in line  # the other columns keep a readable width


def test_flow_control_keys_and_signing_keys_stay_whole(qstash: LocalQStash) -> None:
    key = "tenant-" + "europe-west-" * 6
    assert run_cli(qstash, "flow-control", "pause", key).exit_code == 0  # LocalQStash makes the key
    one_line_holding(terminal(qstash, "flow-control", "list"), key)
    keys = terminal(qstash, "keys", columns=40)
    one_line_holding(keys, qstash.state.signing_keys.current)
    one_line_holding(keys, qstash.state.signing_keys.next)


def test_piped_tables_are_tab_separated_with_whole_values(qstash: LocalQStash) -> None:
    dlq_id = seeded(qstash)
    header, *rows = piped(qstash, "logs")
    assert header == ["run id", "state", "url", "created", "steps"]
    assert sorted(r[0] for r in rows) == sorted([RUN_ID, LONG_RUN_ID])
    assert {r[2] for r in rows} == {LONG_URL}
    assert all(len(r) == len(header) for r in rows)
    header, *rows = piped(qstash, "dlq", "list")
    assert header == ["dlq id", "run id", "url", "status", "failed"]
    assert dlq_id in [r[0] for r in rows]
    fields = dict(piped(qstash, "dlq", "get", dlq_id)[1:])
    assert (fields["dlq id"], fields["run id"], fields["labels"]) == (dlq_id, RUN_ID, "orders")


def test_piped_through_the_entry_point_is_tab_separated(qstash: LocalQStash) -> None:
    seeded(qstash)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QSTASH_", "UPSTASH_", "FORCE_COLOR", "TTY_"))}
    env |= {"QSTASH_URL": qstash.url, "QSTASH_TOKEN": qstash.token, "COLUMNS": "80"}
    done = subprocess.run(
        [sys.executable, "-m", "upstash_workflow.rest", "logs"],
        capture_output=True,  # a pipe, as `upstash-workflow logs | cut -f1`
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    header, *rows = done.stdout.splitlines()
    assert header == "run id\tstate\turl\tcreated\tsteps"
    assert {row.split("\t")[0] for row in rows} == {RUN_ID, LONG_RUN_ID}
    assert "\x1b" not in done.stdout


def test_a_server_tab_or_newline_cannot_add_a_column_or_a_row(qstash: LocalQStash) -> None:
    qstash.seed({"runs": [{"url": "https://my-app.com/a\tb\nc", "workflow_run_id": "t\tab"}]})
    header, *rows = piped(qstash, "logs")
    assert len(rows) == 1 and len(rows[0]) == len(header)
    assert rows[0][:3] == ["wfr_t\\x09ab", "RUN_STARTED", "https://my-app.com/a\\x09b\\x0ac"]


@pytest.mark.parametrize(
    ("args", "header", "empty"),
    [
        (["logs"], "run id\tstate\turl\tcreated\tsteps", "no runs"),
        (["dlq", "list"], "dlq id\trun id\turl\tstatus\tfailed", "the DLQ is empty"),
        (["waiters", "ev"], "run id\turl\tdeadline", "nobody is waiting"),
        (["flow-control", "list"], "key\twaiting\tparallelism\trate\tperiod\tpaused\tpinned", "no flow-control keys"),
    ],
)
def test_an_empty_listing_is_a_sentence_on_a_terminal_and_a_header_in_a_pipe(
    qstash: LocalQStash, args: list[str], header: str, empty: str
) -> None:
    in_pipe = run_cli(qstash, *args)
    assert in_pipe.exit_code == 0, in_pipe.stderr
    assert (in_pipe.stdout, in_pipe.stderr.strip()) == (header + "\n", empty)  # `| cut -f1` reads no row
    on_terminal = run_cli(qstash, *args, TTY_COMPATIBLE="1")
    assert (on_terminal.stdout.strip(), on_terminal.stderr) == (empty, "")


# -------------------------------------------------------------------------------------- --help


def _every_command(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = [(path, command)]
    for name, sub in getattr(command, "commands", {}).items():
        found += _every_command(sub, (*path, name))
    return found


def test_help_names_values_in_capitals_and_flags_with_none() -> None:
    import typer.main

    commands = _every_command(typer.main.get_command(cli.app))
    assert len(commands) > 20
    python_types = re.compile(r"<(str|int|float|bool|file|path|list|text)|\[str\]|list\[", re.IGNORECASE)
    for path, command in commands:
        ctx = command.context_class(command)
        for param in command.params:
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "option" and param.is_flag:
                assert not re.search("[A-Z<]", record[0]), (path, record)  # `--all`, no metavar
            elif param.param_type_name == "option":
                metavar = record[0].rsplit(" ", 1)[1]
                assert metavar == metavar.upper() and not python_types.search(metavar), (path, record)
        for columns in ("80", "250"):  # the rich help
            shown = runner.invoke(cli.app, [*path, "--help"], env={"COLUMNS": columns})
            assert shown.exit_code == 0, (path, shown.output)
            assert not python_types.search(shown.stdout), (path, shown.stdout)
    trigger = runner.invoke(cli.app, ["trigger", "--help"], env={"COLUMNS": "120"}).stdout
    assert re.search(r"--label\s+LABEL\b", trigger)
    assert "[URL]" in trigger
    logs = runner.invoke(cli.app, ["logs", "--help"], env={"COLUMNS": "120"}).stdout
    assert "[RUN_ID]" in logs and "RUN_STARTED|RUN_SUCCESS" in logs
    cancel = runner.invoke(cli.app, ["cancel", "--help"], env={"COLUMNS": "120"}).stdout
    assert "[RUN_ID...]" in cancel or "[RUN_ID]..." in cancel  # where typer puts the dots, by release


# ----------------------------------------------------------------------------- one time format


def test_dlq_get_and_dlq_list_show_the_same_time_the_same_way(qstash: LocalQStash) -> None:
    dlq_id = seeded(qstash)
    listed = {r[0]: r[4] for r in piped(qstash, "dlq", "list")[1:]}
    got = dict(piped(qstash, "dlq", "get", dlq_id)[1:])
    assert got["failed"] == listed[dlq_id]
    assert got["failed"].endswith("(3h ago)") and re.match(r"\d{4}-\d\d-\d\dT", got["failed"])
    assert got["run created"].endswith("(3h ago)")
    shown = terminal(qstash, "dlq", "get", dlq_id, columns=200)
    assert got["failed"] in one_line_holding(shown, "│ failed ")
    assert not re.search(r"\b\d{13}\b", shown)  # no epoch milliseconds in human output
    raw = ok_json(run_cli(qstash, "--json", "dlq", "get", dlq_id))
    assert raw["created_at"] == qstash.state.dlq[dlq_id].created_at  # --json keeps the epoch


# ------------------------------------------------------------------ page sizes within the limits


def _spec() -> dict[str, Any]:
    return dict(read_from_filename(str(SPEC))[0])


def _spec_parameter(path: str, name: str) -> dict[str, Any]:
    (found,) = [p for p in _spec()["paths"][path]["get"]["parameters"] if p.get("name") == name]
    return dict(found)


def _number(pattern: str, text: str) -> int:
    found = re.search(pattern, text)
    assert found, pattern
    return int(found.group(1))


def test_listing_defaults_stay_within_upstashs_page_sizes(qstash: LocalQStash) -> None:
    runs_max = _number(
        r"Run mode \(groupBy=workflowRunId\): Max (\d+)", _spec_parameter("/v2/workflows/logs", "count")["description"]
    )
    assert LOGS_PAGE <= runs_max == 10
    assert DLQ_PAGE <= _spec_parameter("/v2/workflows/dlq", "count")["schema"]["maximum"] == 100
    restart = _spec()["paths"]["/v2/workflows/dlq/restart"]["post"]["description"]
    assert _number(r"A maximum of (\d+) workflow runs can be restarted", restart) >= RESTART_PAGE

    qstash.seed({"runs": [{"url": URL, "workflow_run_id": f"r{i}"} for i in range(15)]})
    page = ok_json(run_cli(qstash, "--json", "logs"))
    assert len(page["runs"]) == 10 and page["cursor"]
    assert [p.split("count=")[1].split("&")[0] for p in paths(qstash, "/v2/workflows/events")] == ["10"]
    assert "[default: 10]" in runner.invoke(cli.app, ["logs", "--help"], env={"COLUMNS": "200"}).stdout


# ---------------------------------------------------------------------------- the missing extra


def test_without_the_cli_extra_the_command_line_exits_2_and_says_what_to_install() -> None:
    # typer missing, as in an install without [cli]: a None in sys.modules makes its import fail.
    code = (
        "import runpy, sys; sys.modules['typer'] = None; runpy.run_module('upstash_workflow.rest', run_name='__main__')"
    )
    done = subprocess.run([sys.executable, "-c", code, "logs"], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == EXIT_USAGE == 2, done.stderr
    assert "The command line needs the [cli] extra. Install it with: pip install" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
