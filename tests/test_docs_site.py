"""The documentation site's generated parts stay complete: the API reference pages document every
public name (each module's ``__all__``, no more, each once), and the command-line reference, generated
from the typer app by scripts/mkdocs_hooks.py, shows every command and option. `scripts/docs build`
(strict, run by .ci/run) checks links, anchors, references and the nav."""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import typer

from upstash_workflow.rest.cli import app

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = {
    "upstash_workflow.rest": ROOT / "docs" / "reference" / "rest.md",
    "upstash_workflow.rest.testing": ROOT / "docs" / "reference" / "testing.md",
}


def load_hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mkdocs_hooks", ROOT / "scripts" / "mkdocs_hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("module_name", sorted(REFERENCE))
def test_reference_page_documents_every_public_name_once(module_name: str) -> None:
    module = importlib.import_module(module_name)
    text = REFERENCE[module_name].read_text()
    documented = Counter(re.findall(rf"^::: {re.escape(module_name)}\.(\w+)\s*$", text, flags=re.MULTILINE))
    # Any other mkdocstrings directive would document something outside this module's __all__.
    directives = re.findall(r"^::: (\S+)", text, flags=re.MULTILINE)
    assert len(directives) == sum(documented.values()), directives
    assert sorted(name for name, n in documented.items() if n > 1) == []
    assert set(documented) == set(module.__all__)


def walk(command: Any, ctx: typer.Context) -> list[tuple[str, Any, typer.Context]]:
    found = [(ctx.command_path, command, ctx)]
    if hasattr(command, "list_commands"):  # a group (typer's own click: not a click.Group)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None
            found += walk(sub, typer.Context(sub, info_name=name, parent=ctx))
    return found


def test_cli_reference_shows_every_command_and_option() -> None:
    page = load_hooks().cli_reference()
    root = typer.main.get_command(app)
    commands = walk(root, typer.Context(root, info_name="upstash-workflow"))
    assert len(commands) > 20  # trigger, cancel, ..., dlq list, flow-control pin, ...
    for path, command, ctx in commands:
        assert f"`{path}`" in page, path
        for param in command.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None:
                assert f"`{record[0]}`" in page, (path, record[0])


def test_the_cli_page_has_the_marker_the_hook_replaces() -> None:
    hooks = load_hooks()
    markdown = (ROOT / "docs" / "cli.md").read_text()
    assert hooks.MARKER in markdown
    rendered = hooks.on_page_markdown(markdown)
    assert hooks.MARKER not in rendered
    assert "`upstash-workflow dlq resume`" in rendered
