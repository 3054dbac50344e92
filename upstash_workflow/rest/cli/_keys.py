"""The ``keys`` command: the signing keys (and their rotation)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ._output import Whole, emit, make_table, row
from ._runner import YesOpt, call, confirm


def keys(
    rotate: Annotated[bool, typer.Option("--rotate", help="Rotate first (next becomes current).")] = False,
    yes: YesOpt = False,
) -> None:
    """Show the signing keys (and rotate them with --rotate, which asks first; --yes: do not ask)."""
    if rotate:
        confirm("rotate the signing keys (the current key is dropped)", yes)
    signing = call(lambda c: c.signing_keys.rotate() if rotate else c.signing_keys.get())

    def table() -> Table:
        t = make_table("key", "value")
        row(t, "current", Whole(signing.current))
        row(t, "next", Whole(signing.next))
        return t

    emit(signing, table)


def register(app: typer.Typer) -> None:
    app.command()(keys)
