"""Everything the command line prints: the one path server text takes to the terminal, tables, JSON,
human times, progress, and the exit codes with their one-line messages.

Server text (ids, URLs, error messages, bodies, cursors) can hold escape sequences that would retitle
the terminal, clear it or recolour it. Every line printed here goes through `safe`, which shows
control characters escaped (``\\x1b``, ``\\u202e``) instead of letting the terminal act on them, and
through rich `Text` objects, so brackets are never read as markup. JSON output is ASCII (``json``
escapes every control and non-ASCII character), so it is safe as it is.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import time
from collections.abc import Callable, Collection
from typing import Any, NoReturn

import attrs
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

# Exit codes (also in the --help epilog, `EXIT_CODES_HELP`).
EXIT_OK, EXIT_API, EXIT_USAGE, EXIT_UNREACHABLE, EXIT_UNEXPECTED = 0, 1, 2, 3, 4
EXIT_TIMEOUT = EXIT_UNREACHABLE  # `wait`: no answer in time; `wait` exits 1 when a run failed or was canceled
EXIT_CODES_HELP = (
    "Exit codes: 0 success; 1 the server answered with an error or an answer this program cannot read; "
    "2 bad arguments, input file or configuration (nothing was sent); 3 the server could not be reached, "
    "or `wait`/`logs --follow` ran out of time (--timeout); "
    "4 an unexpected error inside this program (a bug: please report it)."
)


@attrs.define
class State:
    """The global options of this run (set by the top-level group's callback)."""

    token: str | None = None
    url: str | None = None
    json: bool = False
    max_retries: int = 5


state = State()


@attrs.define
class Consoles:
    out: Console = attrs.Factory(Console)
    err: Console = attrs.Factory(lambda: Console(stderr=True))


consoles = Consoles()


def reset_consoles() -> None:
    """Fresh consoles, so they see this run's terminal and streams (tests run many in one process)."""
    consoles.out, consoles.err = Console(), Console(stderr=True)


# C0 and C1 controls, DEL, lone surrogates, the line/paragraph separators and the bidi controls
# (which reorder what follows them on screen, the "Trojan source" trick).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: object, *, mask_token: bool = True) -> str:
    """``text`` as a terminal can show it without acting on it: control characters and escape
    sequences escaped (visible), the token masked (unless this program prints it on purpose)."""
    shown = str(text)
    token = state.token
    if mask_token and token and len(token) >= 4:
        shown = shown.replace(token, "***")
    return _UNSAFE.sub(_escape, shown)


def say(text: object, *, to_err: bool = False, style: str | None = None, mask_token: bool = True) -> None:
    """Print one line (plain text: never markup, never an escape sequence)."""
    shown = Text(safe(text, mask_token=mask_token), style=style or "")
    (consoles.err if to_err else consoles.out).print(shown, soft_wrap=True)


def print_json(value: Any, *, indent: int | None = 2) -> None:
    sys.stdout.write(json.dumps(plain(value), indent=indent) + "\n")  # ASCII: safe on any terminal
    sys.stdout.flush()


def plain(value: Any) -> Any:
    if attrs.has(type(value)):
        return {k: plain(v) for k, v in attrs.asdict(value, recurse=False).items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def emit(
    value: Any, table: Callable[[], Table] | None = None, message: str | None = None, *, empty: str | None = None
) -> None:
    """JSON with --json; else the table (tab-separated when stdout is not a terminal), or the message.
    A table without rows is ``empty`` on a terminal; in a pipe it is its header line, and ``empty``
    goes to stderr, so a script reading the rows never takes the sentence for one."""
    if state.json:
        print_json(value)
    elif table is not None:
        shown = table()
        if shown.row_count or empty is None:
            print_table(shown)
        elif consoles.out.is_terminal:
            say(empty)
        else:
            print_table(shown)
            say(empty, to_err=True)
    elif message is not None:
        say(message)


def print_table(table: Table) -> None:
    """A table on stdout: drawn on a terminal, tab-separated otherwise (`tsv`). On a terminal the
    whole columns (ids) keep their widest cell on one line and the other columns fold; when the
    terminal is too narrow even for that, the table is drawn wider and the terminal wraps its lines
    (an id is never cut: rich would otherwise squeeze every column, ids included)."""
    if not consoles.out.is_terminal:
        sys.stdout.write(tsv(table))
        sys.stdout.flush()
        return
    needed = _narrowest(table)
    if needed > consoles.out.width:
        table.width = needed
    consoles.out.print(table, crop=False)


_FOLDED = 12  # the narrowest a folding column gets when the whole columns leave too little room


def _narrowest(table: Table) -> int:
    """The width ``table`` needs with its whole columns whole and the others folded to `_FOLDED`."""
    width = len(table.columns) + 1  # the vertical borders
    for column in table.columns:
        widest = max([Text(str(column.header)).cell_len, *(Text(str(cell)).cell_len for cell in column.cells)])
        width += max(column.min_width or 0, min(widest, _FOLDED)) + 2  # + the cell's padding
    return width


def tsv(table: Table) -> str:
    """The table as tab-separated lines, the stable form for scripts (`cut -f1`, `awk -F'\t'`): a
    header line of the column names, then one line per row. Every cell went through `safe`, so no
    cell holds a tab or a line break; an empty value is ``-``."""
    columns = [[str(column.header), *(str(cell) for cell in column.cells)] for column in table.columns]
    return "".join("\t".join(line) + "\n" for line in zip(*columns, strict=True))


def fail(code: int, label: str, text: str) -> NoReturn:
    """One line on stderr, then exit with ``code``."""
    consoles.err.print(Text.assemble((label, "red"), " ", safe(text)), soft_wrap=True)
    raise typer.Exit(code)


def usage(message: str) -> NoReturn:
    fail(EXIT_USAGE, "error:", message)


def unexpected(exc: BaseException) -> NoReturn:
    fail(EXIT_UNEXPECTED, "unexpected error:", f"{type(exc).__name__}: {exc} (a bug; please report it)")


@attrs.frozen
class Whole:
    """A table cell that is an id (run, DLQ, message, key, label) in a column of other values: shown
    whole on one line, like the cells of a `make_table` ``whole`` column."""

    value: object


def make_table(*columns: str, whole: Collection[str] = ()) -> Table:
    """A table with ``columns``; those named in ``whole`` (ids, states) are shown whole on one line:
    a run id cut or folded over two lines cannot be copied into the next command. Other columns
    fold their long values (URLs, bodies, times) over several lines, never cutting them."""
    made = Table(show_lines=False, header_style="bold cyan")
    for column in columns:
        made.add_column(column, no_wrap=column in whole, overflow="fold")
    return made


def row(into: Table, *cells: object) -> None:
    """Add a row (every cell through `safe`). A cell of a whole column, or a `Whole` one, raises its
    column's minimum width to its length, so rich narrows the other columns instead."""
    shown: list[Text] = []
    for column, cell in zip(into.columns, cells, strict=True):
        value = cell.value if isinstance(cell, Whole) else cell
        text = Text("-" if value is None else safe(value))
        if column.no_wrap or isinstance(cell, Whole):
            text.no_wrap = True
            column.min_width = max(column.min_width or 0, text.cell_len)
        shown.append(text)
    into.add_row(*shown)


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
    except (OverflowError, OSError, ValueError, TypeError):
        return str(epoch)
    now = time.time() if now is None else now
    return f"{moment.isoformat(timespec='seconds')} ({age(now - epoch / per_second)})"


class _Rate(ProgressColumn):
    """Items per second since the start (rich's own speed is a short window that bursts distort)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed
        return Text(f"{task.completed / elapsed:.0f}/s" if elapsed and task.completed else "")


def progress(description: str, total: int | None) -> Progress:
    """A progress bar on stderr (gone when done under --json). Descriptions are this program's own."""
    columns = [TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(), _Rate()]
    bar = Progress(*columns, TimeElapsedColumn(), console=consoles.err, transient=state.json)
    bar.add_task(safe(description), total=total)
    return bar
