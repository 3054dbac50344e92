"""Command-line management commands: ``flow-control ...``, ``dlq get`` and ``keys``.

Registered by `cli` (`register`); they use its client runner, output helpers (server text goes into
tables through ``_row``, never as markup) and --json switch, so they behave like every other
command (tables, --json, exit codes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from types import ModuleType

    from rich.table import Table

    from ._results import DLQMessage, FlowControlInfo


def _cli() -> ModuleType:
    """`cli`, imported at call time: it imports this module while it starts."""
    from . import cli

    return cli


flow_control_app = typer.Typer(
    help="Flow-control keys: wait lists, pause, pinned limits, global parallelism.", no_args_is_help=True
)
KeyArg = Annotated[str, typer.Argument(help="The flow-control key.", show_default=False)]


def _limit(count: int | None, maximum: int | None) -> str:
    return f"{count or 0}/{maximum}" if maximum else f"{count or 0}"


def _keys_table(keys: list[FlowControlInfo]) -> Table:
    table: Table = _cli()._table("key", "waiting", "parallelism", "rate", "period", "paused", "pinned")
    for k in keys:
        pinned = [name for name, on in (("parallelism", k.is_pinned_parallelism), ("rate", k.is_pinned_rate)) if on]
        _cli()._row(
            table,
            k.flow_control_key,
            str(k.wait_list_size),
            _limit(k.parallelism_count, k.parallelism_max),
            _limit(k.rate_count, k.rate_max),
            f"{k.rate_period}s" if k.rate_max else "",
            "yes" if k.is_paused else "",
            ", ".join(pinned),
        )
    return table


@flow_control_app.command("list")
def list_keys(search: Annotated[str | None, typer.Option(help="Only keys containing this.")] = None) -> None:
    """List flow-control keys."""
    keys = _cli()._call(lambda c: c.flow_control.list(search=search))
    _cli()._emit(keys, (lambda: _keys_table(keys)) if keys else None, message="no flow-control keys")


@flow_control_app.command()
def get(key: KeyArg) -> None:
    """Show one flow-control key."""
    info = _cli()._call(lambda c: c.flow_control.get(key))
    _cli()._emit(info, lambda: _keys_table([info]))


def _done(key: str, what: str) -> None:
    _cli()._emit({"flow_control_key": key, "done": what}, message=f"{what} {key}")


@flow_control_app.command()
def pause(key: KeyArg) -> None:
    """Hold the deliveries of a key (new messages wait) until resume."""
    _cli()._call(lambda c: c.flow_control.pause(key))
    _done(key, "paused")


@flow_control_app.command()
def resume(key: KeyArg) -> None:
    """Deliver the messages of a paused key again."""
    _cli()._call(lambda c: c.flow_control.resume(key))
    _done(key, "resumed")


@flow_control_app.command()
def pin(
    key: KeyArg,
    parallelism: Annotated[int | None, typer.Option(help="Messages allowed to run at once.")] = None,
    rate: Annotated[int | None, typer.Option(help="Messages allowed per period.")] = None,
    period: Annotated[int | None, typer.Option(help="The rate period in seconds.")] = None,
) -> None:
    """Pin a key's configuration (incoming messages no longer change it)."""
    _cli()._call(lambda c: c.flow_control.pin(key, parallelism=parallelism, rate=rate, period=period))
    _done(key, "pinned")


@flow_control_app.command()
def unpin(
    key: KeyArg,
    parallelism: Annotated[bool, typer.Option("--parallelism", help="Unpin the parallelism.")] = False,
    rate: Annotated[bool, typer.Option("--rate", help="Unpin the rate.")] = False,
) -> None:
    """Unpin a key's parallelism and/or rate."""
    _cli()._call(lambda c: c.flow_control.unpin(key, parallelism=parallelism, rate=rate))
    _done(key, "unpinned")


@flow_control_app.command("reset-rate")
def reset_rate(key: KeyArg) -> None:
    """Start a new rate period for a key now."""
    _cli()._call(lambda c: c.flow_control.reset_rate(key))
    _done(key, "reset the rate of")


@flow_control_app.command()
def parallelism() -> None:
    """Show the global parallelism: messages running now and the limit."""
    info = _cli()._call(lambda c: c.flow_control.global_parallelism())
    _cli()._emit(info, message=f"{info.parallelism_count} running of {info.parallelism_max} allowed")


def _message_table(message: DLQMessage) -> Table:
    table: Table = _cli()._table("field", "value")
    callback = message.failure_callback_info.state if message.failure_callback_info else None
    for name, value in (
        ("dlq id", message.dlq_id),
        ("run id", message.workflow_run_id),
        ("workflow url", message.workflow_url),
        ("created at (ms)", message.workflow_created_at),
        ("response status", message.response_status),
        ("response body", message.response_body),
        ("labels", ", ".join(message.labels or [])),
        ("failure callback", message.failure_callback),
        ("failure callback state", callback),
    ):
        _cli()._row(table, name, value)
    return table


def dlq_get(dlq_id: Annotated[str, typer.Argument(help="DLQ id.")]) -> None:
    """Show one failed run."""
    message = _cli()._call(lambda c: c.dlq.get(dlq_id))
    _cli()._emit(message, lambda: _message_table(message))


def keys(
    rotate: Annotated[bool, typer.Option("--rotate", help="Rotate first (next becomes current).")] = False,
) -> None:
    """Show the signing keys (and rotate them with --rotate)."""
    signing = _cli()._call(lambda c: c.signing_keys.rotate() if rotate else c.signing_keys.get())

    def table() -> Table:
        t: Table = _cli()._table("key", "value")
        _cli()._row(t, "current", signing.current)
        _cli()._row(t, "next", signing.next)
        return t

    _cli()._emit(signing, table)


def register(app: typer.Typer, dlq_app: typer.Typer) -> None:
    app.add_typer(flow_control_app, name="flow-control")
    app.command()(keys)
    dlq_app.command("get")(dlq_get)
