"""The ``upstash-workflow`` command line (also ``python -m upstash_workflow.rest``).

Credentials come from --token/--url or QSTASH_TOKEN/QSTASH_URL, as for ``Client()``. The global
options (--json, --token, --url, --max-retries) work before or after the command. Exit codes:
0 success, 1 the API answered with an error, 2 bad arguments or configuration, 3 the API could
not be reached, 4 an unexpected error inside this program (one line on stderr; please report it).
Everything a server sends is printed as plain text, never interpreted as markup.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import attrs

try:
    import typer
    import typer.core
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.table import Table
    from rich.text import Text
except ImportError:  # pragma: no cover - depends on the install
    from ._extras import missing_extra_message

    sys.exit(missing_extra_message("cli", "The command line"))

from . import (
    APIConnectionError,
    APIStatusError,
    CancelFilter,
    Client,
    ConfigurationError,
    DLQFilter,
    InvalidArgumentError,
    TriggerRequest,
    WorkflowError,
    __version__,
    _calls,
)
from ._cli_input import BadLine, trigger_request
from ._fanout import STREAM_BATCH_SIZE, TriggerOutcome

T = TypeVar("T")
EXIT_API, EXIT_USAGE, EXIT_UNREACHABLE, EXIT_UNEXPECTED = 1, 2, 3, 4
BULK_PAGE = _calls.DEFAULT_BULK_COUNT  # items a bulk command asks the server to act on per request
MAX_REQUESTS = 1_000_000  # a bound on every request loop, far above any real use
MAX_BAD_LINES = 10  # bad lines of a runs file reported before giving up


# Options of the top-level group that may also be given after the command (see _CommandLine).
GLOBAL_FLAGS = frozenset({"--json"})
GLOBAL_OPTIONS = frozenset({"--token", "--url", "--max-retries"})


def _globals_first(args: list[str], group: Any = None, ctx: Any = None) -> list[str]:
    """``args`` with the global options moved in front of the command, where the group parses them,
    so ``upstash-workflow logs --json`` works as well as ``upstash-workflow --json logs``. Nothing
    after ``--`` moves, nor the value of a command's own option (``trigger URL --body --json`` sends
    the body ``--json``); an option given after the command wins over the same one given before it."""
    # ``group`` and ``ctx``: the click group and context (typer 0.27+ vendors click, so they are
    # used by their public attributes only); without them only the global options are recognised.
    command = group
    front: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        name = arg.split("=", 1)[0]
        if arg == "--":
            rest += args[index:]
            break
        if arg in GLOBAL_FLAGS or (name in GLOBAL_OPTIONS and "=" in arg):
            front.append(arg)
        elif name in GLOBAL_OPTIONS and index + 1 < len(args):
            front += args[index : index + 2]
            index += 1
        elif arg in _value_options(command) and index + 1 < len(args):
            rest += args[index : index + 2]  # the next word is this option's value, whatever it looks like
            index += 1
        else:
            if hasattr(command, "get_command") and ctx is not None and not arg.startswith("-"):
                command = command.get_command(ctx, arg) or command  # into the (sub)command named
            rest.append(arg)
        index += 1
    return front + rest


def _value_options(command: Any) -> set[str]:
    """The option names of a click ``command`` that take a value (``--body``, not ``--all``)."""
    options = [
        p
        for p in getattr(command, "params", ())
        if p.param_type_name == "option" and not p.is_flag and not getattr(p, "count", False)
    ]
    return {name for option in options for name in option.opts + option.secondary_opts}


class _CommandLine(typer.core.TyperGroup):
    """The top-level group. It reorders the command line before parsing (only public click API, so
    it holds across typer releases) so the global options work anywhere on the line."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, _globals_first(args, self, ctx))


app = typer.Typer(
    cls=_CommandLine,
    help="Start, cancel, notify and inspect Upstash Workflow runs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
dlq_app = typer.Typer(help="The workflow dead-letter queue.", no_args_is_help=True)
app.add_typer(dlq_app, name="dlq")
out = Console()
err = Console(stderr=True)


@attrs.define
class State:
    token: str | None = None
    url: str | None = None
    json: bool = False
    max_retries: int = 5


state = State()

TokenOpt = Annotated[
    str | None,
    typer.Option("--token", envvar="QSTASH_TOKEN", help="QStash token.", show_default=False, show_envvar=True),
]
UrlOpt = Annotated[str | None, typer.Option("--url", envvar="QSTASH_URL", help="QStash base URL.", show_envvar=True)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
RetriesOpt = Annotated[int, typer.Option("--max-retries", min=0, help="Retries on connection errors, 429 and 502-504.")]


def _print_version(value: bool) -> None:
    if value:
        print(f"upstash-workflow-client {__version__}")  # noqa: T201
        raise typer.Exit()


VersionOpt = Annotated[
    bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
]


@app.callback()
def main_options(
    token: TokenOpt = None,
    url: UrlOpt = None,
    as_json: JsonOpt = False,
    max_retries: RetriesOpt = 5,
    version: VersionOpt = False,
) -> None:
    global out, err
    out, err = Console(), Console(stderr=True)  # fresh, so they see this run's terminal and streams
    state.token, state.url, state.json, state.max_retries = token, url, as_json, max_retries


# ------------------------------------------------------------------------------------------ output


def _plain(value: Any) -> Any:
    if attrs.has(type(value)):
        return {k: _plain(v) for k, v in attrs.asdict(value, recurse=False).items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _print_json(value: Any, *, indent: int | None = 2) -> None:
    sys.stdout.write(json.dumps(_plain(value), indent=indent) + "\n")  # ASCII: safe on any terminal
    sys.stdout.flush()


def _emit(value: Any, table: Callable[[], Table] | None = None, message: str | None = None) -> None:
    """JSON with --json; else the table, or the message (plain text: never read as markup)."""
    if state.json:
        _print_json(value)
    elif table is not None:
        out.print(table())
    elif message is not None:
        out.print(_printable(message), markup=False, highlight=False)


def _printable(text: str) -> str:
    """Text as a terminal can take it: without the token, and with undecodable characters (a
    server's lone surrogates) replaced rather than crashing the output stream."""
    token = state.token
    if token and len(token) >= 4:
        text = text.replace(token, "***")
    return text.encode("utf-8", "replace").decode("utf-8")


def _fail(code: int, label: str, text: str) -> NoReturn:
    """One line on stderr (``text`` is shown as-is, whatever brackets a server put in it), then exit."""
    err.print(Text.assemble((label, "red"), " ", _printable(text)), soft_wrap=True)
    raise typer.Exit(code)


# Library messages name Python arguments; the CLI's users know its flags.
_CLI_WORDS = (
    ("pass Client(token=...) or set the QSTASH_TOKEN environment variable", "pass --token or set QSTASH_TOKEN"),
    ("Client(token=...)", "--token"),
    ("base_url", "--url"),
    ("max_retries", "--max-retries"),
    ("url_starting_with", "--url-prefix"),
    ("all=True", "--all"),
    ("workflow_run_id", "--run-id"),
    ("batch_size", "--batch-size"),
)


def cli_words(message: str) -> str:
    for python, flag in _CLI_WORDS:
        message = message.replace(python, flag)
    return message


def _call(action: Callable[[Client], T]) -> T:
    """Run ``action`` with a configured client; map every error to one line and an exit code."""
    try:
        with Client(token=state.token, base_url=state.url, max_retries=state.max_retries) as client:
            return action(client)
    except (InvalidArgumentError, ConfigurationError) as exc:
        _fail(EXIT_USAGE, "error:", cli_words(str(exc)))
    except APIStatusError as exc:
        _fail(EXIT_API, f"API error {exc.status}:", exc.message)
    except APIConnectionError as exc:
        _fail(EXIT_UNREACHABLE, "cannot reach QStash:", str(exc))
    except WorkflowError as exc:
        _fail(EXIT_API, "error:", cli_words(str(exc)))
    except typer.Exit:
        raise
    except Exception as exc:  # a bug here or in the library: one line, not a traceback
        _unexpected(exc)


def _unexpected(exc: BaseException) -> NoReturn:
    _fail(EXIT_UNEXPECTED, "unexpected error:", f"{type(exc).__name__}: {exc} (a bug; please report it)")


def _usage(message: str) -> NoReturn:
    _fail(EXIT_USAGE, "error:", message)


def _table(*columns: str) -> Table:
    # Fold, never cut with an ellipsis: a shortened id or URL cannot be pasted into the next command.
    table = Table(show_lines=False, header_style="bold cyan")
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _row(table: Table, *cells: object) -> None:
    table.add_row(*(Text("-" if cell is None else _printable(str(cell))) for cell in cells))


def age(seconds: float) -> str:
    """``3m ago`` / ``in 2h`` / ``just now``: the largest whole unit."""
    span = abs(seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if span >= size:
            amount = f"{int(span // size)}{unit}"
            return f"in {amount}" if seconds < 0 else f"{amount} ago"
    return "just now"


def when(epoch: int | None, *, per_second: int = 1000, now: float | None = None) -> str:
    """An epoch value (ms by default) as ISO 8601 in the local zone plus its age; raw if out of range."""
    if epoch is None:
        return "-"
    try:
        moment = dt.datetime.fromtimestamp(epoch / per_second).astimezone()
    except (OverflowError, OSError, ValueError):
        return str(epoch)
    now = time.time() if now is None else now
    return f"{moment.isoformat(timespec='seconds')} ({age(now - epoch / per_second)})"


def _waiting_run(headers: dict[str, list[str]] | None) -> str | None:
    for name, values in (headers or {}).items():
        if name.lower() == "upstash-workflow-runid" and values:
            return values[0]
    return None


class _Rate(ProgressColumn):
    """Items per second since the start (rich's own speed is a short window that bursts distort)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed
        return Text(f"{task.completed / elapsed:.0f}/s" if elapsed and task.completed else "")


def _progress(description: str, total: int | None) -> Progress:
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), _Rate(), TimeElapsedColumn()]
    progress = Progress(*columns, console=err, transient=state.json)
    progress.add_task(description, total=total)
    return progress


# ------------------------------------------------------------------------------------------- paging


@attrs.frozen
class Step:
    """One request of a bulk command: how many items it acted on, what it returned for them, and
    the server's cursor (None: the server says nothing is left)."""

    done: int
    items: list[Any]
    cursor: str | None


@attrs.frozen
class BulkTotal:
    done: int
    items: list[Any]
    requests: int
    limit_reached: bool


def run_bulk(step: Callable[[int, str | None], Step], limit: int | None, description: str) -> BulkTotal:
    """Repeat ``step(count, cursor)`` until the server says done or ``limit`` items were acted on."""
    done, cursor, requests = 0, None, 0
    items: list[Any] = []
    seen: set[str] = set()
    with _progress(description, limit) as progress:
        for requests in range(1, MAX_REQUESTS + 1):  # noqa: B007 - the count is reported
            count = BULK_PAGE if limit is None else min(BULK_PAGE, limit - done)
            result = step(count, cursor)
            done += result.done
            items.extend(result.items)
            progress.advance(progress.task_ids[0], result.done)
            # Acting removes items, so a server may hand back the same cursor; only one that acted
            # on nothing and repeats itself means it would go on forever.
            stuck = result.done == 0 and result.cursor in seen
            if result.cursor is None or stuck or (limit is not None and done >= limit):
                break
            seen.add(cursor := result.cursor)
    return BulkTotal(done, items, requests, limit is not None and done >= limit)


def _bulk_message(verb: str, noun: str, total: BulkTotal) -> str:
    text = f"{verb} {total.done} {noun} in {total.requests} request(s)"
    return text + ("; stopped at --limit, more may remain" if total.limit_reached else "")


def follow_pages(
    page: Callable[[str | None], tuple[list[Any], str | None]], cursor: str | None, every: bool
) -> tuple[list[Any], str | None]:
    """One page from ``cursor``, or (``every``) every page from there; returns items and next cursor."""
    items: list[Any] = []
    seen: set[str] = set()
    for _ in range(MAX_REQUESTS):
        found, cursor = page(cursor)
        items += found
        if not every or cursor is None or cursor in seen:
            break
        seen.add(cursor)
    return items, cursor


def _next_page_hint(cursor: str | None) -> None:
    if cursor is not None and not state.json:
        err.print(Text(f"more: add --cursor {cursor} for the next page, or --all-pages"))


LimitOpt = Annotated[
    int | None,
    typer.Option(
        "--limit",
        "--count",
        min=1,
        help="Act on at most this many (default: all). Without it the command repeats until the server has none left.",
    ),
]
PageSizeOpt = Annotated[int, typer.Option("--limit", min=1, help="At most this many per page.")]
CursorOpt = Annotated[str | None, typer.Option("--cursor", help="Continue from this cursor (printed after a page).")]
AllPagesOpt = Annotated[bool, typer.Option("--all-pages", help="Follow every page, not just one.")]


# ------------------------------------------------------------------------------------------ trigger


def _headers(values: list[str]) -> dict[str, str]:
    headers = {}
    for item in values:
        name, sep, value = item.partition(":")
        if not sep:
            _usage(f"--header must look like 'Name: value', got {item!r}")
        headers[name.strip()] = value.strip()
    return headers


@attrs.frozen
class Planned:
    """A run from a runs file: its position among the runs (``index``, 0-based) and its line."""

    index: int
    line: int
    request: TriggerRequest


def read_runs(path: Path) -> list[Planned]:
    """Every run of a JSON-lines file, each checked as the client would check it; bad lines are
    reported by number (nothing is sent when there is one)."""
    runs: list[Planned] = []
    bad: list[str] = []
    check = _calls.Options()
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            if not raw.strip() or raw.lstrip().startswith(b"#"):
                continue
            try:
                request = trigger_request(json.loads(raw.decode("utf-8")))
                _calls.trigger_many(check, [request])  # pure: validates, sends nothing
                runs.append(Planned(len(runs), number, request))
            except (BadLine, ValueError, TypeError, RecursionError) as exc:
                bad.append(f"{path}:{number}: {exc}")  # the file's own field names, not the CLI's flags
                if len(bad) >= MAX_BAD_LINES:
                    break
    for message in bad:
        err.print(Text(message), soft_wrap=True)
    if bad:
        _usage(f"{path} has bad lines (first {len(bad)} shown); nothing was sent")
    return runs


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
    runs = planned[resume_from:]
    counts = {"started": 0, "deduplicated": 0, "failed": 0}
    failures: list[tuple[Planned, TriggerOutcome]] = []
    contiguous = resume_from  # every run before this index exists on the server
    began = time.monotonic()

    def send(client: Client) -> None:
        nonlocal contiguous
        requests = (run.request for run in runs)
        try:
            with _progress("Triggering runs", len(runs)) as progress:
                stream = client.trigger_stream(requests, batch_size=batch_size, start_index=resume_from)
                for outcome in stream:
                    run = planned[outcome.index]
                    counts[outcome.status] += 1
                    if outcome.ok and contiguous == outcome.index:
                        contiguous += 1
                    elif not outcome.ok:
                        failures.append((run, outcome))
                    progress.advance(progress.task_ids[0], 1)
                    if state.json:
                        _print_json(_outcome_line(run, outcome), indent=None)
        except KeyboardInterrupt:
            err.print(Text(f"interrupted; to continue: --resume-from {contiguous}"))
            raise

    _call(send)
    seconds = max(time.monotonic() - began, 1e-6)
    summary = (
        f"started {counts['started']} run(s), {counts['deduplicated']} deduplicated (already existed), "
        f"{counts['failed']} failed in {seconds:.1f} s, {len(runs) / seconds:.0f} runs/s"
    )
    (err if state.json else out).print(Text(summary), soft_wrap=True)
    if failures:
        for run, outcome in failures[:MAX_BAD_LINES]:
            err.print(Text(_printable(f"{file}:{run.line}: {type(outcome.error).__name__}: {outcome.error}")))
        _fail(
            EXIT_API,
            "error:",
            f"{len(failures)} run(s) did not start; to retry from the first: --resume-from {contiguous} "
            "(runs with a workflow_run_id that already started are deduplicated, not started twice)",
        )


@app.command()
def trigger(
    url: Annotated[str | None, typer.Argument(help="Workflow endpoint URL (not with --file).")] = None,
    body: Annotated[str | None, typer.Option(help="Request body, sent as-is.")] = None,
    header: Annotated[list[str], typer.Option("--header", "-H", help="'Name: value', repeatable.")] = [],  # noqa: B006
    run_id: Annotated[str | None, typer.Option(help="Run id (prefixed wfr_); an existing id starts nothing.")] = None,
    retries: Annotated[int | None, typer.Option(help="Delivery retries (server default 3).")] = None,
    delay: Annotated[str | None, typer.Option(help="Delay such as 10s or 5m.")] = None,
    label: Annotated[list[str], typer.Option(help="Label, repeatable.")] = [],  # noqa: B006
    file: Annotated[
        Path | None,
        typer.Option(
            help="JSON lines, one run per line (TriggerRequest fields, snake_case or camelCase; see the README).",
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
            _usage("give a URL or --file, not both (each line of the file has its own url)")
        _trigger_file(file, batch_size, resume_from)
        return
    if url is None:
        _usage("give a URL or --file")
    headers = _headers(header)
    result = _call(
        lambda c: c.trigger(
            url, body, headers=headers, workflow_run_id=run_id, retries=retries, delay=delay, label=label or None
        )
    )
    if result.deduplicated:
        message = f"{result.workflow_run_id} already exists: deduplicated, nothing started"
    else:
        message = f"started {result.workflow_run_id}"
    _emit(result, message=message)


# ------------------------------------------------------------------------------------- cancel/notify


@app.command()
def cancel(
    ids: Annotated[list[str], typer.Argument(help="Run ids.", show_default=False)] = [],  # noqa: B006
    url_prefix: Annotated[str | None, typer.Option(help="Runs whose URL starts with this.")] = None,
    label: Annotated[str | None, typer.Option(help="Runs with this label.")] = None,
    all_runs: Annotated[bool, typer.Option("--all", help="Every run.")] = False,
    limit: LimitOpt = None,
) -> None:
    """Cancel runs by id, or every run matching --url-prefix/--label, or --all.

    With a filter or --all, runs are cancelled 100 per request until none are left (a progress bar
    counts them); --limit N stops after N."""
    has_filter = url_prefix is not None or label is not None
    if sum((bool(ids), has_filter, all_runs)) != 1:
        _usage("choose exactly one of: run ids, a filter (--url-prefix, --label), or --all")
    if ids:
        if limit is not None:
            _usage("--limit applies to --all and filters, not to run ids")
        result = _call(lambda c: c.cancel(ids))
        _emit(result, message=f"cancelled {result.cancelled} run(s)")
        return
    flt = CancelFilter(workflow_url_starting_with=url_prefix, label=label) if has_filter else None

    def cancel_some(client: Client) -> BulkTotal:
        def step(count: int, _cursor: str | None) -> Step:
            cancelled = client.cancel(filter=flt, all=flt is None, count=count).cancelled or 0  # None: unsaid
            return Step(cancelled, [], "more" if cancelled else None)  # nothing cancelled: none left

        return run_bulk(step, limit, "Cancelling runs")

    total = _call(cancel_some)
    payload = {"cancelled": total.done, "requests": total.requests, "limit_reached": total.limit_reached}
    _emit(payload, message=_bulk_message("cancelled", "run(s)", total))


@app.command()
def notify(
    event_id: Annotated[str, typer.Argument(help="Event id.")],
    data: Annotated[str | None, typer.Argument(help="Event data, sent as-is.")] = None,
    run_id: Annotated[str | None, typer.Option(help="Notify only this run (lookback).")] = None,
) -> None:
    """Notify the runs waiting for an event."""
    responses = _call(lambda c: c.notify(event_id, data, workflow_run_id=run_id))

    def table() -> Table:
        t = _table("run id", "message id", "waiter url", "error")
        for r in responses:
            waiter = r.waiter
            run = r.workflow_run_id or (_waiting_run(waiter.headers) if waiter else None)
            _row(t, run, r.message_id, waiter.url if waiter else None, r.error or "-")
        return t

    _emit(responses, table if responses else None, message="no run was waiting")


@app.command()
def waiters(event_id: Annotated[str, typer.Argument(help="Event id.")]) -> None:
    """List the runs waiting for an event."""
    result = _call(lambda c: c.get_waiters(event_id))

    def table() -> Table:
        t = _table("run id", "url", "deadline")
        for w in result:
            _row(t, _waiting_run(w.headers), w.url, when(w.deadline, per_second=1))
        return t

    _emit(result, table if result else None, message="nobody is waiting")


class RunState(str, enum.Enum):
    """The run states ``logs --state`` accepts (`WorkflowState`'s values; a test keeps them equal)."""

    RUN_STARTED = "RUN_STARTED"
    RUN_SUCCESS = "RUN_SUCCESS"
    RUN_FAILED = "RUN_FAILED"
    RUN_CANCELED = "RUN_CANCELED"


@app.command()
def logs(
    run_id: Annotated[str | None, typer.Option(help="Only this run.")] = None,
    state_: Annotated[RunState | None, typer.Option("--state", help="Only runs in this state.")] = None,
    url: Annotated[str | None, typer.Option("--workflow-url", help="Only runs of this URL.")] = None,
    label: Annotated[str | None, typer.Option(help="Only runs with this label.")] = None,
    limit: PageSizeOpt = 20,
    cursor: CursorOpt = None,
    all_pages: AllPagesOpt = False,
) -> None:
    """Show run logs, newest first, a page at a time (--cursor continues, --all-pages follows all)."""

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

    runs, next_cursor = _call(fetch)

    def table() -> Table:
        t = _table("run id", "state", "url", "created", "steps")
        for r in runs:
            _row(t, r.workflow_run_id, r.workflow_state, r.workflow_url, when(r.workflow_run_created_at), len(r.steps))
        return t

    _emit({"runs": runs, "cursor": next_cursor}, table if runs else None, message="no runs")
    _next_page_hint(next_cursor)


# -------------------------------------------------------------------------------------------- dlq


IdsArg = Annotated[list[str], typer.Argument(help="DLQ ids.", show_default=False)]
AllOpt = Annotated[bool, typer.Option("--all", help="Every DLQ message.")]
RunOpt = Annotated[str | None, typer.Option("--run-id", help="DLQ messages of this run.")]
DlqLabelOpt = Annotated[str | None, typer.Option("--label", help="DLQ messages of runs with this label.")]
DlqUrlOpt = Annotated[str | None, typer.Option("--workflow-url", help="DLQ messages of runs of this URL.")]


@attrs.frozen
class DlqSelector:
    """The ids, filter or --all of a dlq action, checked once for resume, restart and delete."""

    ids: list[str]
    filter: DLQFilter | None
    all: bool


def _dlq_filter(run_id: str | None, label: str | None, url: str | None) -> DLQFilter | None:
    """The filter made of --run-id, --label and --workflow-url (None when none is given)."""
    if run_id is None and label is None and url is None:
        return None
    return DLQFilter(workflow_run_id=run_id, label=label, workflow_url=url)


def _dlq_selector(ids: list[str], all_: bool, run_id: str | None, label: str | None, url: str | None) -> DlqSelector:
    flt = _dlq_filter(run_id, label, url)
    if sum((bool(ids), flt is not None, all_)) != 1:
        _usage("choose exactly one of: DLQ ids, a filter (--run-id, --label, --workflow-url), or --all")
    return DlqSelector(ids, flt, all_)


def _dlq_bulk(
    action: Callable[..., Any],
    selector: DlqSelector,
    limit: int | None,
    description: str,
    counted: Callable[[Any], Step],
) -> BulkTotal:
    """Apply a DLQ action to ids (one request) or to a filter/--all (repeated while the server
    returns a cursor)."""
    if selector.ids:
        if limit is not None:
            _usage("--limit applies to --all and filters, not to DLQ ids")
        once = counted(_call(lambda c: action(c)(selector.ids)))
        return BulkTotal(once.done, once.items, 1, False)

    def repeat(client: Client) -> BulkTotal:
        def step(count: int, cursor: str | None) -> Step:
            return counted(action(client)(filter=selector.filter, all=selector.all, count=count, cursor=cursor))

        return run_bulk(step, limit, description)

    return _call(repeat)


def _reruns(result: Any) -> Step:
    return Step(len(result.workflow_runs), list(result.workflow_runs), result.cursor)


@dlq_app.command("list")
def dlq_list(
    run_id: RunOpt = None,
    label: DlqLabelOpt = None,
    workflow_url: DlqUrlOpt = None,
    limit: PageSizeOpt = 20,
    cursor: CursorOpt = None,
    all_pages: AllPagesOpt = False,
) -> None:
    """List failed runs, a page at a time (--cursor continues, --all-pages follows all)."""
    flt = _dlq_filter(run_id, label, workflow_url)

    def fetch(client: Client) -> tuple[list[Any], str | None]:
        def page(at: str | None) -> tuple[list[Any], str | None]:
            found = client.dlq.list(count=limit, cursor=at, filter=flt)
            return found.messages, found.cursor

        return follow_pages(page, cursor, all_pages)

    messages, next_cursor = _call(fetch)

    def table() -> Table:
        t = _table("dlq id", "run id", "url", "status", "failed")
        for m in messages:
            _row(t, m.dlq_id, m.workflow_run_id, m.workflow_url, m.response_status, when(m.created_at))
        return t

    _emit({"messages": messages, "cursor": next_cursor}, table if messages else None, message="the DLQ is empty")
    _next_page_hint(next_cursor)


def _dlq_command(
    verb: str, noun: str, pick: Callable[[Client], Any], counted: Callable[[Any], Step], key: str
) -> Callable[..., None]:
    """A dlq resume/restart/delete command: one request for ids, repeated for a filter or --all;
    its JSON holds ``key`` (the runs started again, or how many were deleted)."""

    def command(
        ids: IdsArg = [],  # noqa: B006
        all_: AllOpt = False,
        run_id: RunOpt = None,
        label: DlqLabelOpt = None,
        workflow_url: DlqUrlOpt = None,
        limit: LimitOpt = None,
    ) -> None:
        selector = _dlq_selector(ids, all_, run_id, label, workflow_url)
        total = _dlq_bulk(pick, selector, limit, f"{verb.capitalize()} {noun}", counted)
        shown = total.items if key == "workflow_runs" else total.done
        payload = {key: shown, "requests": total.requests, "limit_reached": total.limit_reached}
        _emit(payload, message=_bulk_message(verb, noun, total))

    return command


def _deleted(result: Any) -> Step:
    return Step(result.deleted or 0, [], result.cursor)


_BULK_HELP = " With a filter or --all, 100 per request until the DLQ has none left; --limit N stops after N."
dlq_app.command("resume", help="Resume failed runs from the step that failed." + _BULK_HELP)(
    _dlq_command("resumed", "run(s)", lambda c: c.dlq.resume, _reruns, "workflow_runs")
)
dlq_app.command("restart", help="Restart failed runs from the beginning." + _BULK_HELP)(
    _dlq_command("restarted", "run(s)", lambda c: c.dlq.restart, _reruns, "workflow_runs")
)
dlq_app.command("delete", help="Delete DLQ messages." + _BULK_HELP)(
    _dlq_command("deleted", "message(s)", lambda c: c.dlq.delete, _deleted, "deleted")
)


@dlq_app.command("retry-failure")
def retry_failure(dlq_id: Annotated[str, typer.Argument(help="DLQ id.")]) -> None:
    """Run a failed run's failure callback again."""
    result = _call(lambda c: c.dlq.retry_failure_function(dlq_id))
    _emit(result, message=f"retrying the failure callback of {result.workflow_run_id}")


# -------------------------------------------------------------------------------------------- dev


@app.command()
def dev(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0: any free port).")] = 8080,
    token: Annotated[str | None, typer.Option("--dev-token", help="Token to accept (random by default).")] = None,
    deliver: Annotated[
        bool,
        typer.Option(help="POST runs to their (loopback) URLs, as QStash would (LocalQStash's delivery engine)."),
    ] = False,
    seed: Annotated[
        Path | None,
        typer.Option(help="JSON file of runs, waiters and DLQ entries to start with (format: README).", dir_okay=False),
    ] = None,
    ui: Annotated[
        bool, typer.Option(help="Serve the dashboard at /ui/ (runs, timelines, DLQ, waiters, flow control).")
    ] = True,
) -> None:
    """Run a local QStash-compatible server in the foreground (Ctrl-C stops it).

    Add runs, waiters and DLQ entries while it runs with `upstash-workflow seed`."""
    from .testing import LocalQStash, SeedError

    try:
        server = LocalQStash(token=token, port=port, deliver=deliver, seed=seed, ui=ui)
    except OSError as exc:
        _usage(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}")
    except SeedError as exc:
        _usage(f"--seed: {exc}")
    with server:
        stored = {"runs": len(server.state.runs), "waiters": len(server.state.waiters), "dlq": len(server.state.dlq)}
        if state.json:  # one line, so scripts can read it before the server stops
            shown = {"url": server.url, "token": server.token, "seeded": stored}
            if ui:
                shown["ui"] = f"{server.url}/ui/"
            print(json.dumps(shown), flush=True)  # noqa: T201
        else:
            out.print(Text.assemble("Local QStash listening on ", (server.url, "bold")))
            out.print(Text(f"export QSTASH_URL={server.url}\nexport QSTASH_TOKEN={server.token}"))
            if ui:
                out.print(Text.assemble("Dashboard: ", (f"{server.url}/ui/", "bold")))
            if seed is not None:
                out.print(
                    Text(f"seeded {stored['runs']} run(s), {stored['waiters']} waiter(s), {stored['dlq']} DLQ entries")
                )
            out.print(
                Text("add more while it runs: upstash-workflow seed FILE | --waiter EVENT_ID=RUN_ID | --dlq RUN_ID")
            )
        sys.stdout.flush()
        try:
            server.wait()
        except KeyboardInterrupt:
            out.print("stopped")


def _seed_body(file: Path | None, waiter: list[str], dlq: list[str]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if file is not None:
        try:
            body = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            _usage(f"cannot read {file} as JSON: {exc}")
        if not isinstance(body, dict):
            _usage(f"{file} must hold a JSON object with runs, waiters and/or dlq")
    for item in waiter:
        event_id, sep, run_id = item.partition("=")
        if not sep or not event_id or not run_id:
            _usage(f"--waiter must look like EVENT_ID=RUN_ID, got {item!r}")
        body.setdefault("waiters", []).append({"event_id": event_id, "workflow_run_id": run_id})
    body.setdefault("dlq", []).extend({"workflow_run_id": run_id} for run_id in dlq)
    if not any(body.get(key) for key in ("runs", "waiters", "dlq")):
        _usage("nothing to add: give a seed FILE, --waiter EVENT_ID=RUN_ID or --dlq RUN_ID")
    return body


@app.command()
def seed(
    file: Annotated[Path | None, typer.Argument(help="Seed file (the format of dev --seed).", dir_okay=False)] = None,
    waiter: Annotated[list[str], typer.Option(help="EVENT_ID=RUN_ID: make a run wait for an event.")] = [],  # noqa: B006
    dlq: Annotated[list[str], typer.Option(help="RUN_ID: fail a run into the DLQ.")] = [],  # noqa: B006
) -> None:
    """Add runs, waiters and DLQ entries to a running `upstash-workflow dev` server (loopback only)."""
    import httpx

    from ._config import is_loopback_host, resolve_credentials

    body = _seed_body(file, waiter, dlq)
    try:
        credentials = resolve_credentials(state.token, state.url)
    except ConfigurationError as exc:
        _usage(cli_words(str(exc)))
    if not is_loopback_host(httpx.URL(credentials.base_url).host):
        _usage(f"seed only talks to a local dev server (127.0.0.1 / localhost), not {credentials.base_url}")
    try:
        response = httpx.post(
            f"{credentials.base_url}/_local/seed",
            json=body,
            headers={"Authorization": f"Bearer {credentials.token}"},
            timeout=10,
        )
    except httpx.HTTPError as exc:
        _fail(EXIT_UNREACHABLE, "cannot reach the dev server:", f"{type(exc).__name__}: {exc}")
    if response.status_code != 200:
        _fail(EXIT_API, f"dev server error {response.status_code}:", response.text[:2000])
    added = response.json()
    _emit(added, message=f"added {added['runs']} run(s), {added['waiters']} waiter(s), {added['dlq']} DLQ entries")


from ._cli_admin import register as _register_admin  # noqa: E402 (it uses the helpers above)

_register_admin(app, dlq_app)


def main() -> None:
    """The console script: unexpected exceptions end as one line and exit code 4, not a traceback."""
    try:
        app()
    except Exception as exc:  # the last line of defence
        err.print(Text(f"unexpected error: {type(exc).__name__}: {_printable(str(exc))}"), soft_wrap=True)
        sys.exit(EXIT_UNEXPECTED)
