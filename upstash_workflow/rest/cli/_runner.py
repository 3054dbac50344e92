"""Running a command's calls: a client configured from the global options, and every error mapped
to one line on stderr and its exit code (`_output.EXIT_CODES_HELP`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import typer

from ._output import EXIT_API, EXIT_UNREACHABLE, EXIT_USAGE, fail, state, unexpected

if TYPE_CHECKING:
    from .. import Client

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


def cli_words(message: str) -> str:
    for python, flag in _CLI_WORDS:
        message = message.replace(python, flag)
    return message


def call(action: Callable[[Client], T]) -> T:
    """Run ``action`` with a configured client; map every error to one line and an exit code."""
    from .. import APIConnectionError, APIStatusError, Client, ConfigurationError, InvalidArgumentError, WorkflowError

    try:
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
