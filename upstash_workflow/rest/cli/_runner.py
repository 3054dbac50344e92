"""Running a command's calls: a client configured from the global options, every error mapped to
one line on stderr and its exit code (`_output.EXIT_CODES_HELP`), the library's Python warnings
shown as ``warning:`` lines, and the confirmation a destructive command asks for first."""

from __future__ import annotations

import logging
import re
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

import typer

from .. import (
    APIConnectionError,
    APIStatusError,
    Client,
    ConfigurationError,
    InvalidArgumentError,
    RunIdPrefixWarning,
    WorkflowError,
)
from ._output import EXIT_API, EXIT_UNREACHABLE, EXIT_USAGE, fail, safe, say, state, unexpected, usage

T = TypeVar("T")

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
# A library check's message starts with the argument's Python name ("delay must look like ...");
# the CLI names the flag or argument that carried it.
_LEADING_NAMES = {
    "url": "URL",
    "body": "--body",
    "headers": "--header",
    "retries": "--retries",
    "delay": "--delay",
    "label": "--label",
    "data": "DATA",
    "search": "--search",
    "parallelism": "--parallelism",
    "rate": "--rate",
    "period": "--period",
    "count": "--limit",
    "cursor": "--cursor",
    "workflow_url": "--workflow-url",
    "key": "KEY",
    "timeout": "--timeout",
}
_LEADING = re.compile(r"^([a-z_]+)(?=[ \[:])")


def cli_words(message: str) -> str:
    for python, flag in _CLI_WORDS:
        message = message.replace(python, flag)
    return _LEADING.sub(lambda m: _LEADING_NAMES.get(m.group(1), m.group(1)), message)


class _WarningLines(logging.Handler):
    """Shows Python warnings and the library's log records (WARNING and up) as ``warning: ...``
    (``error: ...``) lines, each text once: the library both logs and warns about an unreadable
    answer field."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.shown: set[str] = set()

    def show(self, text: str, label: str = "warning") -> None:
        if text not in self.shown:
            self.shown.add(text)
            say(f"{label}: {text}", to_err=True)  # often server text: escaped by `say`, never reworded

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:  # one line, not the traceback
            text += f" ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
        self.show(text, "warning" if record.levelno < logging.ERROR else "error")

    def showwarning(self, message: Warning | str, *_: Any, **__: Any) -> None:
        self.show(str(message))


@contextmanager
def warnings_as_lines() -> Iterator[None]:
    """While a command runs, every Python warning (`ResponseShapeWarning`, `InsecureTransportWarning`,
    ...) and every warning the library logs is one ``warning: ...`` line on stderr: no file path,
    source line or class name, and not printed twice. ``catch_warnings`` restores the filters and
    `warnings.showwarning` afterwards; the handler leaves the library's logger as it was."""
    library_log = logging.getLogger("upstash_workflow.rest")
    lines = _WarningLines()
    library_log.addHandler(lines)  # also keeps Python's last-resort handler from printing the record raw
    try:
        with warnings.catch_warnings():  # the filters stay as they are (-W and PYTHONWARNINGS apply)
            warnings.showwarning = lines.showwarning
            yield
    finally:
        library_log.removeHandler(lines)


def run_error(exc: BaseException | None) -> str:
    """What went wrong with one run of a runs file, as `call` words it (the message of a check is the
    library's: it names the file's own fields)."""
    if exc is None:
        return "not started"
    if isinstance(exc, APIStatusError):
        return f"API error {exc.status}: {exc.message}"
    if isinstance(exc, APIConnectionError):
        return f"cannot reach QStash: {exc}"
    if isinstance(exc, WorkflowError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def call(action: Callable[[Client], T]) -> T:
    """Run ``action`` with a configured client; map every error to one line and an exit code."""
    try:
        with warnings.catch_warnings():
            # The commands say it in CLI terms (`_wait.prefix_hint`), not as Python warning text.
            warnings.simplefilter("ignore", RunIdPrefixWarning)
            with Client(token=state.token, base_url=state.url, max_retries=state.max_retries) as client:
                return action(client)
    except (InvalidArgumentError, ConfigurationError) as exc:
        fail(EXIT_USAGE, "error:", cli_words(str(exc)))
    except APIStatusError as exc:
        fail(EXIT_API, f"API error {exc.status}:", exc.message)
    except APIConnectionError as exc:
        fail(EXIT_UNREACHABLE, "cannot reach QStash:", str(exc))
    except WorkflowError as exc:
        fail(EXIT_API, "error:", cli_words(str(exc)))
    except typer.Exit:
        raise
    except Exception as exc:  # a bug here or in the library: one line, not a traceback
        unexpected(exc)


YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation (for scripts).")]


def confirm(action: str, yes: bool) -> None:
    """Ask before ``action`` (a destructive command that may act on more than the items named):
    on a terminal, a y/N question on stderr; without one, refuse (exit 2) unless ``--yes`` was given."""
    if yes:
        return
    if not sys.stdin.isatty():
        usage(f"{action}: not confirmed (no terminal to ask on); add --yes to go ahead")
    try:
        agreed = typer.confirm(f"{safe(action)}?", default=False, err=True)
    except typer.Abort:  # Ctrl-C or end of input at the question
        agreed = False
    if not agreed:
        usage(f"{action}: not confirmed; nothing was done")
