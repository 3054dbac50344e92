"""The ``upstash-workflow`` command line (also ``python -m upstash_workflow.rest``).

Credentials come from --token/--url or QSTASH_TOKEN/QSTASH_URL, as for ``Client()``. Every command
takes --json for machine-readable output. Exit codes: 0 success, 1 the API answered with an error,
2 bad arguments or configuration, 3 the API could not be reached.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, TypeVar

import attrs

try:
    import typer
    from rich.console import Console
    from rich.table import Table
except ImportError:  # pragma: no cover - depends on the install
    sys.exit("The command line needs its extra: pip install 'upstash-workflow-client[cli]'")

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
)

T = TypeVar("T")
app = typer.Typer(help="Start, cancel, notify and inspect Upstash Workflow runs.", no_args_is_help=True)
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
RetriesOpt = Annotated[int, typer.Option("--max-retries", help="Retries on connection errors, 429 and 502-504.")]


@app.callback()
def main_options(
    token: TokenOpt = None, url: UrlOpt = None, as_json: JsonOpt = False, max_retries: RetriesOpt = 5
) -> None:
    state.token, state.url, state.json, state.max_retries = token, url, as_json, max_retries


def _plain(value: Any) -> Any:
    if attrs.has(type(value)):
        return {k: _plain(v) for k, v in attrs.asdict(value, recurse=False).items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _emit(value: Any, table: Callable[[], Table] | None = None, message: str | None = None) -> None:
    if state.json:
        out.print_json(json.dumps(_plain(value)))
    elif table is not None:
        out.print(table())
    elif message is not None:
        out.print(message)


def _call(action: Callable[[Client], T]) -> T:
    """Run ``action`` with a configured client; map our errors to messages and exit codes."""
    try:
        with Client(token=state.token, base_url=state.url, max_retries=state.max_retries) as client:
            return action(client)
    except (InvalidArgumentError, ConfigurationError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    except APIStatusError as exc:
        err.print(f"[red]API error {exc.status}:[/red] {exc.message}")
        raise typer.Exit(1) from None
    except APIConnectionError as exc:
        err.print(f"[red]cannot reach QStash:[/red] {exc}")
        raise typer.Exit(3) from None
    except WorkflowError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None


def _table(*columns: str) -> Table:
    table = Table(*columns, show_lines=False, header_style="bold cyan")
    return table


def _headers(values: list[str]) -> dict[str, str]:
    headers = {}
    for item in values:
        name, sep, value = item.partition(":")
        if not sep:
            err.print(f"[red]error:[/red] --header must look like 'Name: value', got {item!r}")
            raise typer.Exit(2)
        headers[name.strip()] = value.strip()
    return headers


# ----------------------------------------------------------------------------------------- trigger


def _read_requests(path: Path) -> Iterator[TriggerRequest]:
    """JSON lines: one object per run with TriggerRequest's fields (url required)."""
    with path.open() as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                yield TriggerRequest(**data)
            except (ValueError, TypeError) as exc:
                err.print(f"[red]error:[/red] {path}:{number}: not a run description: {exc}")
                raise typer.Exit(2) from None


@app.command()
def trigger(
    url: Annotated[str | None, typer.Argument(help="Workflow endpoint URL.")] = None,
    body: Annotated[str | None, typer.Option(help="Request body, sent as-is.")] = None,
    header: Annotated[list[str], typer.Option("--header", "-H", help="'Name: value', repeatable.")] = [],  # noqa: B006
    run_id: Annotated[str | None, typer.Option(help="Run id (prefixed wfr_).")] = None,
    retries: Annotated[int | None, typer.Option(help="Delivery retries (server default 3).")] = None,
    delay: Annotated[str | None, typer.Option(help="Delay such as 10s or 5m.")] = None,
    label: Annotated[list[str], typer.Option(help="Label, repeatable.")] = [],  # noqa: B006
    file: Annotated[Path | None, typer.Option(help="JSON lines file: one run per line.", exists=True)] = None,
    batch_size: Annotated[int, typer.Option(help="Runs per request with --file.")] = 100,
) -> None:
    """Start a workflow run (or one per line of --file, with a progress bar)."""
    if file is not None:
        requests = list(_read_requests(file))

        def start_all(client: Client) -> list[Any]:
            from rich.progress import Progress

            results: list[Any] = []
            with Progress(console=err, transient=state.json) as progress:
                task = progress.add_task("Triggering runs", total=len(requests))
                for start in range(0, len(requests), batch_size):
                    chunk = requests[start : start + batch_size]
                    results += client.trigger_many(chunk)
                    progress.advance(task, len(chunk))
            return results

        results = _call(start_all)
        _emit(results, message=f"started {len(results)} runs")
        return
    if url is None:
        err.print("[red]error:[/red] give a URL or --file")
        raise typer.Exit(2)
    result = _call(
        lambda c: c.trigger(
            url,
            body,
            headers=_headers(header),
            workflow_run_id=run_id,
            retries=retries,
            delay=delay,
            label=label or None,
        )
    )
    _emit(result, message=f"started [bold]{result.workflow_run_id}[/bold]")


# ------------------------------------------------------------------------------------ cancel/notify


@app.command()
def cancel(
    ids: Annotated[list[str], typer.Argument(help="Run ids.", show_default=False)] = [],  # noqa: B006
    url_prefix: Annotated[str | None, typer.Option(help="Cancel runs whose URL starts with this.")] = None,
    all_runs: Annotated[bool, typer.Option("--all", help="Cancel every run.")] = False,
    label: Annotated[str | None, typer.Option(help="Cancel runs with this label.")] = None,
    count: Annotated[int | None, typer.Option(help="At most this many (with --all/--label/--url-prefix).")] = None,
) -> None:
    """Cancel runs by id, URL prefix, label or all."""
    result = _call(
        lambda c: c.cancel(
            ids or None,
            url_starting_with=url_prefix,
            all=all_runs,
            filter=CancelFilter(label=label) if label else None,
            count=count,
        )
    )
    _emit(result, message=f"cancelled {result.cancelled} run(s)")


@app.command()
def notify(
    event_id: Annotated[str, typer.Argument(help="Event id.")],
    data: Annotated[str | None, typer.Argument(help="Event data, sent as-is.")] = None,
    run_id: Annotated[str | None, typer.Option(help="Notify only this run (lookback).")] = None,
) -> None:
    """Notify the runs waiting for an event."""
    responses = _call(lambda c: c.notify(event_id, data, workflow_run_id=run_id))

    def table() -> Table:
        t = _table("message id", "waiter url", "error")
        for r in responses:
            t.add_row(r.message_id or "-", r.waiter.url if r.waiter else "-", r.error or "-")
        return t

    _emit(responses, table if responses else None, message="no run was waiting")


@app.command()
def waiters(event_id: Annotated[str, typer.Argument(help="Event id.")]) -> None:
    """List the runs waiting for an event."""
    result = _call(lambda c: c.get_waiters(event_id))

    def table() -> Table:
        t = _table("url", "deadline")
        for w in result:
            t.add_row(w.url, str(w.deadline))
        return t

    _emit(result, table if result else None, message="nobody is waiting")


@app.command()
def logs(
    run_id: Annotated[str | None, typer.Option(help="Only this run.")] = None,
    state_: Annotated[
        str | None, typer.Option("--state", help="RUN_STARTED, RUN_SUCCESS, RUN_FAILED or RUN_CANCELED.")
    ] = None,
    url: Annotated[str | None, typer.Option("--workflow-url", help="Only runs of this URL.")] = None,
    label: Annotated[str | None, typer.Option(help="Only runs with this label.")] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many runs.")] = 20,
) -> None:
    """Show run logs, newest first."""

    def fetch(client: Client) -> list[Any]:
        runs = client.iter_logs(workflow_run_id=run_id, state=state_, workflow_url=url, label=label)
        return [run for _, run in zip(range(limit), runs, strict=False)]

    runs = _call(fetch)

    def table() -> Table:
        t = _table("run id", "state", "url", "created (ms)", "steps")
        for r in runs:
            t.add_row(
                r.workflow_run_id, r.workflow_state, r.workflow_url, str(r.workflow_run_created_at), str(len(r.steps))
            )
        return t

    _emit(runs, table if runs else None, message="no runs")


# -------------------------------------------------------------------------------------------- dlq


def _dlq_selector(ids: list[str], all_: bool, run_id: str | None) -> dict[str, Any]:
    return {"ids": ids or None, "all": all_, "filter": DLQFilter(workflow_run_id=run_id) if run_id else None}


IdsArg = Annotated[list[str], typer.Argument(help="DLQ ids.", show_default=False)]
AllOpt = Annotated[bool, typer.Option("--all", help="Every DLQ message.")]
RunOpt = Annotated[str | None, typer.Option("--run-id", help="DLQ messages of this run.")]


@dlq_app.command("list")
def dlq_list(limit: Annotated[int, typer.Option(help="Show at most this many.")] = 20) -> None:
    """List failed runs."""
    messages = _call(lambda c: [m for _, m in zip(range(limit), c.dlq.iter(), strict=False)])

    def table() -> Table:
        t = _table("dlq id", "run id", "url", "status")
        for m in messages:
            t.add_row(m.dlq_id, m.workflow_run_id or "", m.workflow_url or "", str(m.response_status))
        return t

    _emit(messages, table if messages else None, message="the DLQ is empty")


@dlq_app.command()
def resume(ids: IdsArg = [], all_: AllOpt = False, run_id: RunOpt = None) -> None:  # noqa: B006
    """Resume failed runs from the step that failed."""
    result = _call(lambda c: c.dlq.resume(**_dlq_selector(ids, all_, run_id)))
    _emit(result, message=f"resumed {len(result.workflow_runs)} run(s)")


@dlq_app.command()
def restart(ids: IdsArg = [], all_: AllOpt = False, run_id: RunOpt = None) -> None:  # noqa: B006
    """Restart failed runs from the beginning."""
    result = _call(lambda c: c.dlq.restart(**_dlq_selector(ids, all_, run_id)))
    _emit(result, message=f"restarted {len(result.workflow_runs)} run(s)")


@dlq_app.command("retry-failure")
def retry_failure(dlq_id: Annotated[str, typer.Argument(help="DLQ id.")]) -> None:
    """Run a failed run's failure callback again."""
    result = _call(lambda c: c.dlq.retry_failure_function(dlq_id))
    _emit(result, message=f"retrying the failure callback of {result.workflow_run_id}")


@dlq_app.command()
def delete(ids: IdsArg = [], all_: AllOpt = False, run_id: RunOpt = None) -> None:  # noqa: B006
    """Delete DLQ messages."""
    result = _call(lambda c: c.dlq.delete(**_dlq_selector(ids, all_, run_id)))
    _emit(result, message=f"deleted {result.deleted} message(s)")


# -------------------------------------------------------------------------------------------- dev


@app.command()
def dev(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0: any free port).")] = 8080,
    token: Annotated[str | None, typer.Option("--dev-token", help="Token to accept (random by default).")] = None,
    deliver: Annotated[bool, typer.Option(help="POST new runs to their (loopback) URLs.")] = False,
) -> None:
    """Run a local QStash-compatible server in the foreground (Ctrl-C stops it)."""
    from .testing import LocalQStash

    try:
        server = LocalQStash(token=token, port=port, deliver=deliver)
    except OSError as exc:
        err.print(f"[red]error:[/red] cannot listen on 127.0.0.1:{port}: {exc.strerror}")
        raise typer.Exit(2) from None
    with server:
        if state.json:  # one line, so scripts can read it before the server stops
            print(json.dumps({"url": server.url, "token": server.token}), flush=True)  # noqa: T201
        else:
            out.print(f"Local QStash listening on [bold]{server.url}[/bold]")
            out.print(f"export QSTASH_URL={server.url}\nexport QSTASH_TOKEN={server.token}")
        sys.stdout.flush()
        try:
            server.wait()
        except KeyboardInterrupt:
            out.print("stopped")


def main() -> None:
    app()
