"""``wait``: wait for runs to end with a live view (state, steps done, the current step); and
``logs RUN_ID --follow``: print each new step of a run until it ends. Both poll through the client's
own wait loop (one logs request per poll for every pending run; see `_polling`)."""

from __future__ import annotations

import collections
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from ._output import EXIT_API, EXIT_OK, EXIT_TIMEOUT, consoles, fail, make_table, print_json, row, say, state
from ._runner import call

if TYPE_CHECKING:
    from .. import Client, WorkflowRunLog
    from .._polling import Wait

TimeoutOpt = Annotated[float | None, typer.Option(help="Give up after this many seconds (exit 3).", min=0)]


def _steps(log: WorkflowRunLog | None) -> list[Any]:
    """The run's steps, oldest first (the logs list the newest group first)."""
    if log is None:
        return []
    return [step for group in reversed(log.steps) for step in group.steps]


def _current(log: WorkflowRunLog | None) -> str | None:
    steps = _steps(log)
    return None if not steps else f"{steps[-1].step_name or '-'} ({steps[-1].state or '-'})"


def _table(wait: Wait) -> Table:
    table = make_table("run id", "state", "steps", "current step", whole=("run id", "state"))
    for run in wait.runs:
        log = run.log
        row(table, run.run_id, log.workflow_state if log else "not in the logs yet", len(_steps(log)), _current(log))
    return table


def prefix_hint(run_ids: list[str]) -> None:
    """On stderr, for each run id without ``wfr_`` (which matches no run; the library's
    `RunIdPrefixWarning` is silenced in the CLI, `_runner.call`): the id it probably meant."""
    from .._validate import RUN_ID_PREFIX, unprefixed

    for run_id in unprefixed(run_ids):
        say(f"no run {run_id}? run ids start with {RUN_ID_PREFIX}: did you mean {RUN_ID_PREFIX}{run_id}?", to_err=True)


def _watch(client: Client, runs: list[str], timeout: float | None) -> Iterator[Wait]:
    from .. import _calls

    return client._watch(_calls.wait_all(client._options, runs, timeout=timeout))


def wait(
    run_ids: Annotated[list[str], typer.Argument(help="Run ids (the newest run of each id).")],
    timeout: TimeoutOpt = None,
) -> None:
    """Wait until the runs end, with a live view. Exit 0: all succeeded; 1: any failed or was
    canceled; 3: --timeout passed first."""
    from rich.live import Live

    from .. import WaitTimeoutError

    prefix_hint(run_ids)

    def run(client: Client) -> list[WorkflowRunLog | None]:
        last: Wait | None = None
        try:
            if state.json:
                last = collections.deque(_watch(client, run_ids, timeout), maxlen=1)[0]
            else:
                with Live(console=consoles.err, transient=False, auto_refresh=False) as live:
                    for last in _watch(client, run_ids, timeout):
                        live.update(_table(last), refresh=True)
        except WaitTimeoutError as exc:
            if state.json:
                print_json({"timeout": True, "runs": exc.logs})
            fail(EXIT_TIMEOUT, "timeout:", str(exc))
        return [] if last is None else [r.log for r in last.runs]

    logs = call(run)
    if state.json:
        print_json({"timeout": False, "runs": logs})
    failed = [log for log in logs if log is None or log.workflow_state != "RUN_SUCCESS"]
    if failed:
        for log in failed:
            say(f"{log.workflow_run_id if log else '?'}: {log.workflow_state if log else '?'}", to_err=True)
        raise typer.Exit(EXIT_API)
    raise typer.Exit(EXIT_OK)


def follow(run_id: str, timeout: float | None) -> None:
    """``logs RUN_ID --follow``: each new step as it happens, then the run's final state."""
    from .. import WaitTimeoutError

    prefix_hint([run_id])

    def run(client: Client) -> WorkflowRunLog | None:
        printed: set[tuple[Any, ...]] = set()
        last: Wait | None = None
        try:
            for last in _watch(client, [run_id], timeout):
                log = last.runs[0].log
                for index, step in enumerate(_steps(log)):
                    key = (index, step.step_id, step.step_name, step.state)
                    if key not in printed:
                        printed.add(key)
                        if state.json:
                            print_json({"step": step}, indent=None)
                        else:
                            say(f"{step.step_name or '-'}  {step.step_type or '-'}  {step.state or '-'}")
        except WaitTimeoutError as exc:
            fail(EXIT_TIMEOUT, "timeout:", str(exc))
        return None if last is None else last.runs[0].log

    log = call(run)
    final = log.workflow_state if log else None
    if state.json:
        print_json({"run": log}, indent=None)
    else:
        say(f"{run_id}: {final}")
    raise typer.Exit(EXIT_OK if final == "RUN_SUCCESS" else EXIT_API)


def register(app: typer.Typer) -> None:
    app.command()(wait)
