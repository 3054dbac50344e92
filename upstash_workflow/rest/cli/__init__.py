"""The ``upstash-workflow`` command line (also ``python -m upstash_workflow.rest``).

Credentials come from --token/--url or QSTASH_TOKEN/QSTASH_URL, as for ``Client()``. The global
options (--json, --token, --url, --max-retries) work before or after the command. Exit codes are
listed in ``--help`` (`_output.EXIT_CODES_HELP`). Everything a server sends is printed through one
path (`_output.safe`): plain text, never markup, its control characters shown escaped.

Modules, each importing only those listed before it: ``_output`` (printing, exit codes, the global
options' values); ``_runner`` (the client, its error mapping, warnings as lines,
confirmations); ``_bulk`` (repeat and page loops);
``_input`` (runs files); ``_app`` (the top-level app and global options); the command groups
``_wait`` (before ``_runs``, which uses it for ``logs --follow``), ``_runs``, ``_dlq``,
``_flow_control``, ``_keys`` and ``_dev``, each with a ``register(app)``; and
this module, which calls every ``register``. No command module imports ``_app`` or this one.
"""

from __future__ import annotations

import sys

try:
    import rich  # noqa: F401
    import typer  # noqa: F401
except ImportError:  # pragma: no cover - depends on the install
    from .._extras import missing_extra_message

    print(missing_extra_message("cli", "The command line"), file=sys.stderr)  # noqa: T201
    sys.exit(2)  # `_output.EXIT_USAGE` (a set-up error, nothing sent); `_output` itself needs rich

from . import _dev, _dlq, _flow_control, _keys, _runs, _wait
from ._app import app
from ._output import EXIT_UNEXPECTED, say

__all__ = ["app", "main"]

for _group in (_runs, _wait, _dlq, _dev, _flow_control, _keys):
    _group.register(app)


def main() -> None:
    """The console script: unexpected exceptions end as one line and exit code 4, not a traceback."""
    try:
        app()
    except Exception as exc:  # the last line of defence
        say(f"unexpected error: {type(exc).__name__}: {exc}", to_err=True)
        sys.exit(EXIT_UNEXPECTED)
