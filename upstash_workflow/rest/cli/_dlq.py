"""The ``dlq`` commands: list, get, resume, restart, delete (by ids, a filter or --all, repeated
while the server has more) and retry-failure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import attrs
import typer
from rich.table import Table

from .. import Client, DLQFilter, DLQMessage
from ._bulk import (
    BULK_PAGE,
    DLQ_PAGE,
    RESTART_PAGE,
    AllPagesOpt,
    BulkTotal,
    CursorOpt,
    LimitOpt,
    PageSizeOpt,
    Step,
    bulk_message,
    follow_pages,
    next_page_hint,
    run_bulk,
)
from ._output import Whole, emit, make_table, row, usage, when
from ._runner import YesOpt, call, confirm

dlq_app = typer.Typer(help="The workflow dead-letter queue.", no_args_is_help=True)


IdsArg = Annotated[list[str], typer.Argument(help="DLQ ids.", show_default=False, metavar="DLQ_ID")]
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
    for flag, value in (("--run-id", run_id), ("--label", label), ("--workflow-url", url)):
        if value == "":  # a server may read an empty filter as none: that is --all, said on purpose
            usage(f"{flag} cannot be empty (--all acts on every DLQ message)")
    flt = _dlq_filter(run_id, label, url)
    if sum((bool(ids), flt is not None, all_)) != 1:
        usage("choose exactly one of: DLQ ids, a filter (--run-id, --label, --workflow-url), or --all")
    return DlqSelector(ids, flt, all_)


def _dlq_bulk(
    action: Callable[..., Any],
    selector: DlqSelector,
    limit: int | None,
    description: str,
    counted: Callable[[Any], Step],
    page: int,
) -> BulkTotal:
    """Apply a DLQ action to ids (one request) or to a filter/--all (repeated while the server
    returns a cursor)."""
    if selector.ids:
        if limit is not None:
            usage("--limit applies to --all and filters, not to DLQ ids")
        once = counted(call(lambda c: action(c)(selector.ids)))
        return BulkTotal(once.done, once.items, 1, False)

    def repeat(client: Client) -> BulkTotal:
        def step(count: int, cursor: str | None) -> Step:
            return counted(action(client)(filter=selector.filter, all=selector.all, count=count, cursor=cursor))

        return run_bulk(step, limit, description, page)

    return call(repeat)


def _reruns(result: Any) -> Step:
    return Step(len(result.workflow_runs), list(result.workflow_runs), result.cursor)


@dlq_app.command("list")
def dlq_list(
    run_id: RunOpt = None,
    label: DlqLabelOpt = None,
    workflow_url: DlqUrlOpt = None,
    limit: PageSizeOpt = DLQ_PAGE,
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

    messages, next_cursor = call(fetch)

    def table() -> Table:
        t = make_table("dlq id", "run id", "url", "status", "failed", whole=("dlq id", "run id"))
        for m in messages:
            row(t, m.dlq_id, m.workflow_run_id, m.workflow_url, m.response_status, when(m.created_at))
        return t

    emit({"messages": messages, "cursor": next_cursor}, table, empty="the DLQ is empty")
    next_page_hint(next_cursor)


def _which_messages(selector: DlqSelector, limit: int | None) -> str:
    """The DLQ messages a filter or --all selects, in words (for a confirmation)."""
    what = "every DLQ message" if limit is None else f"up to {limit} DLQ message(s)"
    flt = selector.filter
    if flt is not None:
        given = (("run", flt.workflow_run_id), ("label", flt.label), ("workflow URL", flt.workflow_url))
        what += " with " + " and ".join(f"{name} {value!r}" for name, value in given if value is not None)
    return what


_ASK = {"resumed": "resume the runs of", "restarted": "restart the runs of", "deleted": "delete"}


def _dlq_command(
    verb: str,
    noun: str,
    pick: Callable[[Client], Any],
    counted: Callable[[Any], Step],
    key: str,
    page: int = BULK_PAGE,
) -> Callable[..., None]:
    """A dlq resume/restart/delete command: one request for ids, repeated for a filter or --all
    (which may act on more than anyone named, so it is confirmed first; ``--yes`` skips the
    question); its JSON holds ``key`` (the runs started again, or how many were deleted)."""

    def command(
        ids: IdsArg = [],  # noqa: B006
        all_: AllOpt = False,
        run_id: RunOpt = None,
        label: DlqLabelOpt = None,
        workflow_url: DlqUrlOpt = None,
        limit: LimitOpt = None,
        yes: YesOpt = False,
    ) -> None:
        selector = _dlq_selector(ids, all_, run_id, label, workflow_url)
        if not selector.ids:
            confirm(f"{_ASK[verb]} {_which_messages(selector, limit)}", yes)
        total = _dlq_bulk(pick, selector, limit, f"{verb.capitalize()} {noun}", counted, page)
        shown = total.items if key == "workflow_runs" else total.done
        payload = {key: shown, "requests": total.requests, "limit_reached": total.limit_reached}
        emit(payload, message=bulk_message(verb, noun, total))

    return command


def _deleted(result: Any) -> Step:
    return Step(result.deleted or 0, [], result.cursor)


_BULK_HELP = (
    " With a filter or --all, {} per request until the DLQ has none left; --limit N stops after N."
    " A filter or --all asks first (--yes: do not ask)."
)
dlq_app.command("resume", help="Resume failed runs from the step that failed." + _BULK_HELP.format(BULK_PAGE))(
    _dlq_command("resumed", "run(s)", lambda c: c.dlq.resume, _reruns, "workflow_runs")
)
dlq_app.command("restart", help="Restart failed runs from the beginning." + _BULK_HELP.format(RESTART_PAGE))(
    _dlq_command("restarted", "run(s)", lambda c: c.dlq.restart, _reruns, "workflow_runs", RESTART_PAGE)
)
dlq_app.command("delete", help="Delete DLQ messages." + _BULK_HELP.format(BULK_PAGE))(
    _dlq_command("deleted", "message(s)", lambda c: c.dlq.delete, _deleted, "deleted")
)


@dlq_app.command("retry-failure")
def retry_failure(dlq_id: Annotated[str, typer.Argument(help="DLQ id.")]) -> None:
    """Run a failed run's failure callback again."""
    result = call(lambda c: c.dlq.retry_failure_function(dlq_id))
    emit(result, message=f"retrying the failure callback of {result.workflow_run_id}")


def _message_table(message: DLQMessage) -> Table:
    shown: Table = make_table("field", "value")
    callback = message.failure_callback_info.state if message.failure_callback_info else None
    for name, value in (
        ("dlq id", Whole(message.dlq_id)),
        ("run id", Whole(message.workflow_run_id)),
        ("workflow url", message.workflow_url),
        ("failed", when(message.created_at)),  # the time `dlq list` shows, in the same form
        ("run created", when(message.workflow_created_at)),
        ("response status", message.response_status),
        ("response body", message.response_body),
        ("labels", Whole(", ".join(message.labels or []))),
        ("failure callback", message.failure_callback),
        ("failure callback state", callback),
    ):
        row(shown, name, value)
    return shown


@dlq_app.command("get")
def dlq_get(dlq_id: Annotated[str, typer.Argument(help="DLQ id.")]) -> None:
    """Show one failed run."""
    message = call(lambda c: c.dlq.get(dlq_id))
    emit(message, lambda: _message_table(message))


def register(app: typer.Typer) -> None:
    app.add_typer(dlq_app, name="dlq")
