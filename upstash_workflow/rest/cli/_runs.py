"""The commands on runs: ``trigger`` (one run, or a runs file streamed with progress), ``cancel``,
``notify``, ``waiters`` and ``logs``."""

from __future__ import annotations

import enum
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from .. import CancelFilter, Client, TriggerOutcome
from .._batching import STREAM_BATCH_SIZE
from ._bulk import (
    LOGS_PAGE,
    AllPagesOpt,
    BulkTotal,
    CursorOpt,
    LimitOpt,
    Step,
    bulk_message,
    follow_pages,
    next_page_hint,
    run_bulk,
)
from ._input import MAX_BAD_LINES, Planned, read_runs
from ._output import EXIT_API, emit, fail, make_table, print_json, progress, row, say, state, usage, when
from ._runner import YesOpt, call, confirm, run_error
from ._wait import TimeoutOpt, follow, prefix_hint


def _headers(values: list[str]) -> dict[str, str]:
    headers = {}
    for item in values:
        name, sep, value = item.partition(":")
        if not sep:
            usage(f"--header must look like 'Name: value', got {item!r}")
        headers[name.strip()] = value.strip()
    return headers


def _outcome_line(run: Planned, outcome: TriggerOutcome) -> dict[str, Any]:
    """One JSON line of ``trigger --file --json``."""
    line: dict[str, Any] = {"index": outcome.index, "line": run.line, "status": outcome.status}
    line["workflow_run_id"] = outcome.workflow_run_id
    if outcome.result is not None:
        line |= {"message_id": outcome.result.message_id, "deduplicated": outcome.result.deduplicated}
    if outcome.error is not None:
        line["error"] = f"{type(outcome.error).__name__}: {outcome.error}"
    return line


def _trigger_file(file: Path, batch_size: int, resume_from: int) -> None:
    """Stream the file's runs through ``trigger_stream``: outcomes arrive in order as batches are
    answered; a failed run does not stop the others; the summary says how to resume."""
    planned = read_runs(file)
    if resume_from and resume_from >= len(planned):  # it would start nothing
        has = f"{len(planned)} run(s), numbered 0 to {len(planned) - 1}" if planned else "no runs"
        usage(f"--resume-from {resume_from} is past the end of {file}: it has {has}")
    runs = planned[resume_from:]
    counts = {"started": 0, "deduplicated": 0, "failed": 0}
    failures: list[tuple[Planned, TriggerOutcome]] = []
    contiguous = resume_from  # every run before this index exists on the server
    began = time.monotonic()

    def send(client: Client) -> None:
        nonlocal contiguous
        requests = (run.request for run in runs)
        try:
            with progress("Triggering runs", len(runs)) as bar:
                stream = client.trigger_stream(requests, batch_size=batch_size, start_index=resume_from)
                for outcome in stream:
                    run = planned[outcome.index]
                    counts[outcome.status] += 1
                    if outcome.ok and contiguous == outcome.index:
                        contiguous += 1
                    elif not outcome.ok:
                        failures.append((run, outcome))
                    bar.advance(bar.task_ids[0], 1)
                    if state.json:
                        print_json(_outcome_line(run, outcome), indent=None)
        except KeyboardInterrupt:
            say(f"interrupted; to continue: --resume-from {contiguous}", to_err=True)
            raise

    call(send)
    seconds = max(time.monotonic() - began, 1e-6)
    summary = (
        f"started {counts['started']} run(s), {counts['deduplicated']} deduplicated (already existed), "
        f"{counts['failed']} failed in {seconds:.1f} s, {len(runs) / seconds:.0f} runs/s"
    )
    say(summary, to_err=state.json)
    if failures:
        for run, outcome in failures[:MAX_BAD_LINES]:
            say(f"{file}:{run.line}: {run_error(outcome.error)}", to_err=True)
        fail(
            EXIT_API,
            "error:",
            f"{len(failures)} run(s) did not start; to retry from the first: --resume-from {contiguous} "
            "(runs with a workflow_run_id that already started are deduplicated, not started twice)",
        )


def trigger(
    url: Annotated[str | None, typer.Argument(help="Workflow endpoint URL (not with --file).")] = None,
    body: Annotated[str | None, typer.Option(help="Request body, sent as-is.")] = None,
    header: Annotated[list[str], typer.Option("--header", "-H", help="'Name: value', repeatable.")] = [],  # noqa: B006
    run_id: Annotated[str | None, typer.Option(help="Run id (prefixed wfr_); an existing id starts nothing.")] = None,
    retries: Annotated[int | None, typer.Option(min=0, help="Delivery retries (server default 3).")] = None,
    delay: Annotated[str | None, typer.Option(help="Delay such as 10s or 5m.")] = None,
    label: Annotated[list[str], typer.Option(help="Label, repeatable.")] = [],  # noqa: B006
    file: Annotated[
        Path | None,
        typer.Option(
            help="JSON lines, one run per line (TriggerRequest fields, snake_case or camelCase; see docs/cli.md).",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    batch_size: Annotated[
        int, typer.Option(min=1, max=1000, help="Runs per request with --file (up to 16 requests in flight).")
    ] = STREAM_BATCH_SIZE,
    resume_from: Annotated[
        int, typer.Option(min=0, help="With --file: skip the first N runs (after an interrupted run).")
    ] = 0,
) -> None:
    """Start a workflow run, or one per line of --file (with progress; --json prints one JSON line per run).

    A run whose id already exists is reported as deduplicated: the server started nothing."""
    if file is not None:
        if url is not None:
            usage("give a URL or --file, not both (each line of the file has its own url)")
        _trigger_file(file, batch_size, resume_from)
        return
    if url is None:
        usage("give a URL or --file")
    headers = _headers(header)
    result = call(
        lambda c: c.trigger(
            url, body, headers=headers, workflow_run_id=run_id, retries=retries, delay=delay, label=label or None
        )
    )
    if result.deduplicated:
        message = f"{result.workflow_run_id} already exists: deduplicated, nothing started"
    else:
        message = f"started {result.workflow_run_id}"
    emit(result, message=message)


def cancel(
    ids: Annotated[list[str], typer.Argument(help="Run ids.", show_default=False, metavar="RUN_ID")] = [],  # noqa: B006
    url_prefix: Annotated[str | None, typer.Option(help="Runs whose URL starts with this.")] = None,
    label: Annotated[str | None, typer.Option(help="Runs with this label.")] = None,
    all_runs: Annotated[bool, typer.Option("--all", help="Every run.")] = False,
    limit: LimitOpt = None,
    yes: YesOpt = False,
) -> None:
    """Cancel runs by id, or every run matching --url-prefix/--label, or --all.

    With a filter or --all, runs are cancelled 100 per request until none are left (a progress bar
    counts them); --limit N stops after N. A filter or --all asks first (--yes: do not ask)."""
    has_filter = url_prefix is not None or label is not None
    for flag, value in (("--url-prefix", url_prefix), ("--label", label)):
        if value == "":  # an empty prefix matches every run: that is --all, said on purpose
            usage(f"{flag} cannot be empty (--all cancels every run)")
    if sum((bool(ids), has_filter, all_runs)) != 1:
        usage("choose exactly one of: run ids, a filter (--url-prefix, --label), or --all")
    if ids:
        if limit is not None:
            usage("--limit applies to --all and filters, not to run ids")
        result = call(lambda c: c.cancel(ids))
        count = "an unknown number of" if result.cancelled is None else result.cancelled  # unreadable answer
        emit(result, message=f"cancelled {count} run(s)")
        if result.cancelled == 0:
            prefix_hint(ids)
        return
    flt = CancelFilter(workflow_url_starting_with=url_prefix, label=label) if has_filter else None
    confirm(f"cancel {_which_runs(url_prefix, label, limit)}", yes)

    def cancel_some(client: Client) -> BulkTotal:
        def step(count: int, _cursor: str | None) -> Step:
            # Without --limit the library repeats the request until one cancels none (within its
            # deadline); the loop here goes on when it says more may remain.
            result = client.cancel(filter=flt, all=flt is None, count=count, until_done=limit is None)
            cancelled = result.cancelled or 0  # None: unsaid
            more = result.more_may_remain if limit is None else cancelled > 0  # with --limit: one request
            return Step(cancelled, [], "more" if more else None, result.requests)

        return run_bulk(step, limit, "Cancelling runs")

    total = call(cancel_some)
    payload = {"cancelled": total.done, "requests": total.requests, "limit_reached": total.limit_reached}
    emit(payload, message=bulk_message("cancelled", "run(s)", total))


def _which_runs(url_prefix: str | None, label: str | None, limit: int | None) -> str:
    """The runs a ``cancel`` with a filter or --all acts on, in words (for its confirmation)."""
    what = "every run" if limit is None else f"up to {limit} run(s)"
    if url_prefix is not None:
        what += f" whose URL starts with {url_prefix!r}"
    if label is not None:
        what += f"{' and' if url_prefix is not None else ''} labelled {label!r}"
    return what


def _waiting_run(headers: dict[str, list[str]] | None) -> str | None:
    for name, values in (headers or {}).items():
        if name.lower() == "upstash-workflow-runid" and values:
            return values[0]
    return None


def notify(
    event_id: Annotated[str, typer.Argument(help="Event id.")],
    data: Annotated[str | None, typer.Argument(help="Event data, sent as-is.")] = None,
    run_id: Annotated[str | None, typer.Option(help="Notify only this run (lookback).")] = None,
) -> None:
    """Notify the runs waiting for an event."""
    responses = call(lambda c: c.notify(event_id, data, workflow_run_id=run_id))

    def table() -> Table:
        t = make_table("run id", "message id", "waiter url", "error", whole=("run id", "message id"))
        for r in responses:
            waiter = r.waiter
            run = r.workflow_run_id or (_waiting_run(waiter.headers) if waiter else None)
            row(t, run, r.message_id, waiter.url if waiter else None, r.error or "-")
        return t

    emit(responses, table, empty="no run was waiting")


def waiters(event_id: Annotated[str, typer.Argument(help="Event id.")]) -> None:
    """List the runs waiting for an event."""
    result = call(lambda c: c.get_waiters(event_id))

    def table() -> Table:
        t = make_table("run id", "url", "deadline", whole=("run id",))
        for w in result:
            row(t, _waiting_run(w.headers), w.url, when(w.deadline, per_second=1))
        return t

    emit(result, table, empty="nobody is waiting")


class RunState(str, enum.Enum):
    """The run states ``logs --state`` accepts (`WorkflowState`'s values; a test keeps them equal)."""

    RUN_STARTED = "RUN_STARTED"
    RUN_SUCCESS = "RUN_SUCCESS"
    RUN_FAILED = "RUN_FAILED"
    RUN_CANCELED = "RUN_CANCELED"


def logs(
    run: Annotated[
        str | None, typer.Argument(help="Only this run (as --run-id).", show_default=False, metavar="RUN_ID")
    ] = None,
    run_id: Annotated[str | None, typer.Option(help="Only this run.")] = None,
    state_: Annotated[RunState | None, typer.Option("--state", help="Only runs in this state.")] = None,
    url: Annotated[str | None, typer.Option("--workflow-url", help="Only runs of this URL.")] = None,
    label: Annotated[str | None, typer.Option(help="Only runs with this label.")] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, help="At most this many runs per page (Upstash serves at most 10).")
    ] = LOGS_PAGE,
    cursor: CursorOpt = None,
    all_pages: AllPagesOpt = False,
    follow_run: Annotated[
        bool, typer.Option("--follow", "-f", help="Print each new step of RUN_ID until the run ends.")
    ] = False,
    timeout: TimeoutOpt = None,
) -> None:
    """Show run logs, newest first, a page at a time (--cursor continues, --all-pages follows all);
    with RUN_ID --follow, each new step as it happens (exit 0 when the run succeeded, 1 otherwise)."""
    if run is not None and run_id is not None and run != run_id:
        usage("give the run id once (RUN_ID or --run-id)")
    run_id = run_id or run
    if follow_run:
        if run_id is None:
            usage("--follow needs a RUN_ID")
        follow(run_id, timeout)

    def fetch(client: Client) -> tuple[list[Any], str | None]:
        def page(at: str | None) -> tuple[list[Any], str | None]:
            found = client.logs(
                workflow_run_id=run_id,
                state=state_.value if state_ else None,
                workflow_url=url,
                label=label,
                count=limit,
                cursor=at,
            )
            return found.runs, found.cursor

        return follow_pages(page, cursor, all_pages)

    runs, next_cursor = call(fetch)

    def table() -> Table:
        t = make_table("run id", "state", "url", "created", "steps", whole=("run id", "state"))
        for r in runs:
            row(t, r.workflow_run_id, r.workflow_state, r.workflow_url, when(r.workflow_run_created_at), len(r.steps))
        return t

    emit({"runs": runs, "cursor": next_cursor}, table, empty="no runs")
    if not runs and run_id is not None:
        prefix_hint([run_id])
    if not state.json:
        for line in failing_steps(runs):
            say(line)
    next_page_hint(next_cursor)


def failing_steps(runs: list[Any]) -> list[str]:
    """One line per step whose deliveries fail (the logs' ``next`` group, as QStash shows it): its
    state, attempts, next try and the endpoint's last answer (status and body)."""
    lines = []
    for run in runs:
        for group in run.steps:
            for step in group.steps if group.type == "next" else []:
                if step.state not in ("STEP_RETRY", "STEP_FAILED") or not step.errors:
                    continue
                last = step.errors[-1]
                name = f"step {step.step_name}" if step.step_name else "next step"
                retry = f", next try {when(step.next_delivery_time)}" if step.next_delivery_time else ""
                body = " ".join((last.body or "").split())[:300]
                attempts = f"{len(step.errors)} failed deliver{'y' if len(step.errors) == 1 else 'ies'}"
                lines.append(
                    f"{run.workflow_run_id}: {name} {step.state} ({attempts}{retry}): {last.status} {body}".rstrip()
                )
    return lines


def register(app: typer.Typer) -> None:
    app.command()(trigger)
    app.command()(cancel)
    app.command()(notify)
    app.command()(waiters)
    app.command()(logs)
