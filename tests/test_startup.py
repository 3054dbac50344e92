"""What start-up imports (structure, not time: the timings are in benchmarks/, `scripts/bench --only
startup`). ``upstash-workflow --help`` registers every command without the client stack, and the
package imports a public name's module only when the name is first used (docs/architecture.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from upstash_workflow.rest import _batching
from upstash_workflow.rest.cli import _runs

ROOT = Path(__file__).resolve().parents[1]

# Runs the CLI in a fresh interpreter as the console script does, then prints what it imported.
CLI = """
import json, sys
sys.argv = ["upstash-workflow", *sys.argv[1:]]
from upstash_workflow.rest.cli import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)))
"""

# Nothing of the client stack, the generated package, LocalQStash, tracing or rich's progress bars.
NOT_FOR_HELP = (
    "httpx",
    "httpcore",
    "upstash_workflow_api",
    "upstash_workflow.rest._api",
    "upstash_workflow.rest._client",
    "upstash_workflow.rest._calls",
    "upstash_workflow.rest._errors",
    "upstash_workflow.rest._results",
    "upstash_workflow.rest.testing",
    "upstash_workflow.rest._tracing",
    "opentelemetry",
    "rich.progress",
    "rich.live",
)


def imported(code: str, *args: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60, check=False, cwd=ROOT
    )
    assert "MODULES " in result.stderr, result.stdout + result.stderr
    return set(json.loads(result.stderr.rsplit("MODULES ", 1)[1]))


def loaded(modules: set[str], prefixes: tuple[str, ...]) -> set[str]:
    return {m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes)}


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["trigger", "--help"],
        ["dlq", "--help"],
        ["dlq", "delete", "--help"],
        ["dev", "--help"],
    ],
    ids=" ".join,
)
def test_help_imports_no_client_stack(args: list[str]) -> None:
    modules = imported(CLI, *args)
    assert "upstash_workflow.rest.cli._runs" in modules  # the commands were registered
    assert loaded(modules, NOT_FOR_HELP) == set()


def test_a_command_imports_what_it_needs_when_it_runs() -> None:
    # The same script, for a command that reaches the client (no server: it fails to connect, exit 3).
    modules = imported(CLI, "--url", "http://127.0.0.1:9", "--token", "t", "--max-retries", "0", "logs")
    assert {"httpx", "upstash_workflow.rest._api", "upstash_workflow.rest._errors"} <= modules


def test_importing_the_package_imports_nothing_heavy() -> None:
    modules = imported(
        "import json, sys, upstash_workflow.rest; sys.stderr.write('MODULES ' + json.dumps(sorted(sys.modules)))"
    )
    assert loaded(modules, ("httpx", "attrs", "attr", "upstash_workflow_api")) == set()
    assert {m for m in modules if m.startswith("upstash_workflow.rest.")} == {"upstash_workflow.rest._version"}


def test_the_client_imports_neither_tracing_nor_the_cli_nor_local_qstash() -> None:
    modules = imported(
        "import json, sys\nfrom upstash_workflow.rest import Client\nsys.stderr.write('MODULES ' + json.dumps(sorted(sys.modules)))"
    )
    assert "upstash_workflow.rest._api" in modules
    # (not rich: where click and rich are installed, as here, `import httpx` imports them for its own CLI)
    unwanted = (
        "opentelemetry",  # on the first call, with the [otel] extra
        "upstash_workflow_api.api",  # each endpoint module on its first call
        "upstash_workflow_api.models",
        "upstash_workflow.rest.cli",
        "upstash_workflow.rest.testing",
        "typer",
    )
    assert loaded(modules, unwanted) == set()


def test_the_cli_stream_batch_default_is_the_librarys() -> None:
    # The CLI keeps its own copy so that registering `trigger` does not import the batching code.
    assert _runs.STREAM_BATCH_SIZE == _batching.STREAM_BATCH_SIZE


def test_the_cli_bulk_page_is_the_librarys_default() -> None:
    from upstash_workflow.rest import _calls
    from upstash_workflow.rest.cli import _bulk

    assert _bulk.BULK_PAGE == _calls.DEFAULT_BULK_COUNT
