"""MkDocs hooks for the documentation site (mkdocs.yml `hooks:`).

The command-line reference is generated, never retyped: the page's `<!-- cli-reference -->` marker is
replaced by what `upstash_workflow.rest.cli.app` says about itself through the click-style API that
typer's commands keep (typer 0.27 vendors its own click, so its groups are not `click.Group`s:
groups are told apart by `list_commands`): every command's usage, help and options.
"""

from __future__ import annotations

import html
from typing import Any

MARKER = "<!-- cli-reference -->"


def _cell(text: str) -> str:
    return html.escape(" ".join(text.split())).replace("|", "\\|")


def _section(command: Any, ctx: Any, depth: int) -> list[str]:
    lines = [f"{'#' * depth} `{ctx.command_path}`", ""]
    if command.help:
        lines += [html.escape(command.help), ""]
    usage = " ".join([ctx.command_path, *command.collect_usage_pieces(ctx)])
    lines += ["```text", usage, "```", ""]
    records = [param.get_help_record(ctx) for param in command.get_params(ctx)]
    rows = [record for record in records if record is not None]
    if rows:
        lines += ["| argument / option | description |", "|---|---|"]
        lines += [f"| `{name}` | {_cell(help_text)} |" for name, help_text in rows]
        lines.append("")
    if hasattr(command, "list_commands"):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                lines += _section(sub, type(ctx)(sub, info_name=name, parent=ctx), min(depth + 1, 5))
    return lines


def cli_reference() -> str:
    """The Markdown reference of the `upstash-workflow` command line."""
    import typer

    from upstash_workflow.rest.cli import app

    command = typer.main.get_command(app)
    return "\n".join(_section(command, typer.Context(command, info_name="upstash-workflow"), 3))


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    return markdown.replace(MARKER, cli_reference()) if MARKER in markdown else markdown
