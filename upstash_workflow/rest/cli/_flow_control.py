"""The ``flow-control`` commands: list and show keys, pause/resume, pin/unpin, reset a rate, and the
global parallelism."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from .. import FlowControlInfo
from ._output import emit, make_table, row, usage
from ._runner import call

flow_control_app = typer.Typer(
    help="Flow-control keys: wait lists, pause, pinned limits, global parallelism.", no_args_is_help=True
)
KeyArg = Annotated[str, typer.Argument(help="The flow-control key.", show_default=False)]


def _limit(count: int | None, maximum: int | None) -> str:
    return f"{count or 0}/{maximum}" if maximum else f"{count or 0}"


def _keys_table(keys: list[FlowControlInfo]) -> Table:
    shown: Table = make_table("key", "waiting", "parallelism", "rate", "period", "paused", "pinned", whole=("key",))
    for k in keys:
        pinned = [name for name, on in (("parallelism", k.is_pinned_parallelism), ("rate", k.is_pinned_rate)) if on]
        row(
            shown,
            k.flow_control_key,
            str(k.wait_list_size),
            _limit(k.parallelism_count, k.parallelism_max),
            _limit(k.rate_count, k.rate_max),
            f"{k.rate_period}s" if k.rate_max else "",
            "yes" if k.is_paused else "",
            ", ".join(pinned),
        )
    return shown


@flow_control_app.command("list")
def list_keys(search: Annotated[str | None, typer.Option(help="Only keys containing this.")] = None) -> None:
    """List flow-control keys."""
    keys = call(lambda c: c.flow_control.list(search=search))
    emit(keys, lambda: _keys_table(keys), empty="no flow-control keys")


@flow_control_app.command()
def get(key: KeyArg) -> None:
    """Show one flow-control key."""
    info = call(lambda c: c.flow_control.get(key))
    emit(info, lambda: _keys_table([info]))


def _done(key: str, what: str) -> None:
    emit({"flow_control_key": key, "done": what}, message=f"{what} {key}")


@flow_control_app.command()
def pause(key: KeyArg) -> None:
    """Hold the deliveries of a key (new messages wait) until resume."""
    call(lambda c: c.flow_control.pause(key))
    _done(key, "paused")


@flow_control_app.command()
def resume(key: KeyArg) -> None:
    """Deliver the messages of a paused key again."""
    call(lambda c: c.flow_control.resume(key))
    _done(key, "resumed")


@flow_control_app.command()
def pin(
    key: KeyArg,
    parallelism: Annotated[int | None, typer.Option(min=0, help="Messages allowed to run at once.")] = None,
    rate: Annotated[int | None, typer.Option(min=0, help="Messages allowed per period.")] = None,
    period: Annotated[int | None, typer.Option(min=0, help="The rate period in seconds.")] = None,
) -> None:
    """Pin a key's configuration (incoming messages no longer change it)."""
    if parallelism is None and rate is None and period is None:
        usage("give at least one of --parallelism N, --rate N or --period SECONDS")
    call(lambda c: c.flow_control.pin(key, parallelism=parallelism, rate=rate, period=period))
    _done(key, "pinned")


@flow_control_app.command()
def unpin(
    key: KeyArg,
    parallelism: Annotated[bool, typer.Option("--parallelism", help="Unpin the parallelism.")] = False,
    rate: Annotated[bool, typer.Option("--rate", help="Unpin the rate.")] = False,
) -> None:
    """Unpin a key's parallelism and/or rate."""
    if not (parallelism or rate):
        usage("give --parallelism, --rate or both (what to unpin)")
    call(lambda c: c.flow_control.unpin(key, parallelism=parallelism, rate=rate))
    _done(key, "unpinned")


@flow_control_app.command("reset-rate")
def reset_rate(key: KeyArg) -> None:
    """Start a new rate period for a key now."""
    call(lambda c: c.flow_control.reset_rate(key))
    _done(key, "reset the rate of")


@flow_control_app.command()
def parallelism() -> None:
    """Show the global parallelism: messages running now and the limit."""
    info = call(lambda c: c.flow_control.global_parallelism())
    emit(info, message=f"{info.parallelism_count} running of {info.parallelism_max} allowed")


def register(app: typer.Typer) -> None:
    app.add_typer(flow_control_app, name="flow-control")
