"""The top-level typer app and its global options (--json, --token, --url, --max-retries, --version),
which work before or after the command. The commands are added by `cli.__init__` (each command
module's ``register(app)``), so this module imports none of them."""

from __future__ import annotations

import copy
from typing import Annotated, Any

import typer
import typer.core

from .. import __version__
from ._output import EXIT_CODES_HELP, reset_consoles, state
from ._runner import warnings_as_lines

# Options of the top-level group that may also be given after the command (see _CommandLine).
GLOBAL_FLAGS = frozenset({"--json"})
GLOBAL_OPTIONS = frozenset({"--token", "--url", "--max-retries"})


def _globals_first(args: list[str], group: Any = None, ctx: Any = None) -> list[str]:
    """``args`` with the global options moved in front of the command, where the group parses them,
    so ``upstash-workflow logs --json`` works as well as ``upstash-workflow --json logs``. Nothing
    after ``--`` moves, nor the value of a command's own option (``trigger URL --body --json`` sends
    the body ``--json``); an option given after the command wins over the same one given before it."""
    # ``group`` and ``ctx``: the click group and context (typer 0.27+ vendors click, so they are
    # used by their public attributes only); without them only the global options are recognised.
    command = group
    front: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        name = arg.split("=", 1)[0]
        if arg == "--":
            rest += args[index:]
            break
        if arg in GLOBAL_FLAGS or (name in GLOBAL_OPTIONS and "=" in arg):
            front.append(arg)
        elif name in GLOBAL_OPTIONS and index + 1 < len(args):
            front += args[index : index + 2]
            index += 1
        elif arg in _value_options(command) and index + 1 < len(args):
            rest += args[index : index + 2]  # the next word is this option's value, whatever it looks like
            index += 1
        else:
            if hasattr(command, "get_command") and ctx is not None and not arg.startswith("-"):
                command = command.get_command(ctx, arg) or command  # into the (sub)command named
            rest.append(arg)
        index += 1
    return front + rest


def _value_options(command: Any) -> set[str]:
    """The option names of a click ``command`` that take a value (``--body``, not ``--all``)."""
    options = [
        p
        for p in getattr(command, "params", ())
        if p.param_type_name == "option" and not p.is_flag and not getattr(p, "count", False)
    ]
    return {name for option in options for name in option.opts + option.secondary_opts}


def _choices(param: Any) -> list[Any]:
    # typer up to 0.27 keeps a click type (``param.type.choices``); 0.28+ a type descriptor.
    for kind in ("type", "type_descriptor"):
        choices = getattr(getattr(param, kind, None), "choices", None)
        if choices:
            return list(choices)
    return []


def _metavar(param: Any) -> str:
    """What ``--help`` shows for a value: the option's or argument's name in capitals (``--label
    LABEL``, ``URL``), a choice's values (``[RUN_STARTED|...]``), nothing for a flag. typer's own
    (``<str>``, ``<int range>``, ``<list[str]>``, ``<bool>`` on a flag, by release) names Python types."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return ""
    if choices := _choices(param):
        return "[" + "|".join(str(getattr(choice, "value", choice)) for choice in choices) + "]"
    longs = [name for name in param.opts if name.startswith("--")]
    return (longs[0][2:] if longs else (param.name or "value")).replace("-", "_").upper()


def _no_type(*_args: Any, **_kwargs: Any) -> str:
    return ""  # shown as nothing by every typer release (None would mean "not set" to some)


def _plain_metavar(param: Any) -> None:
    """Give ``param`` its `_metavar` unless it has one; show no Python type beside an argument's
    name (typer shows ``URL <str>``; the name says it). Idempotent."""
    is_argument = param.param_type_name == "argument"
    if param.metavar is None:
        param.metavar = _metavar(param)
    # typer 0.28+ adds the "..." of a repeated argument itself; earlier releases do not.
    repeated = is_argument and param.nargs != 1 and not param.metavar.endswith("...")
    if repeated and not hasattr(param, "_usage_display_name"):
        param.metavar += "..."
    if is_argument and hasattr(param, "display_type_rich"):  # typer 0.28+
        param.display_type_rich = _no_type
    elif is_argument and param.type.get_metavar is not _no_type:  # earlier: on a copy, types are shared
        param.type = copy.copy(param.type)
        param.type.get_metavar = _no_type


def _plain_metavars(command: Any) -> None:
    """`_plain_metavar` for every parameter of ``command`` and its subcommands, --help included."""
    # typer 0.28+ makes --help on first use and keeps it: made now, it gets no metavar (not <bool>).
    made_help = command.get_help_option(command.context_class(command))
    for param in [*command.params, *([made_help] if made_help is not None else [])]:
        _plain_metavar(param)
    for sub in getattr(command, "commands", {}).values():
        _plain_metavars(sub)


class _CommandLine(typer.core.TyperGroup):
    """The top-level group. It reorders the command line before parsing (only public click API, so
    it holds across typer releases) so the global options work anywhere on the line, and it names
    every value in ``--help`` in capitals (`_metavar`), as click always did."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain_metavars(self)  # typer builds the subcommands first and hands them to this group

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)
        for param in params:  # typer adds the completion options after __init__
            _plain_metavar(param)
        return params

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, _globals_first(args, self, ctx))


app = typer.Typer(
    cls=_CommandLine,
    help="Start, cancel, notify and inspect Upstash Workflow runs.",
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

TokenOpt = Annotated[
    str | None,
    typer.Option("--token", envvar="QSTASH_TOKEN", help="QStash token.", show_default=False, show_envvar=True),
]
UrlOpt = Annotated[str | None, typer.Option("--url", envvar="QSTASH_URL", help="QStash base URL.", show_envvar=True)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
RetriesOpt = Annotated[int, typer.Option("--max-retries", min=0, help="Retries on connection errors, 429 and 502-504.")]


def _print_version(value: bool) -> None:
    if value:
        print(f"upstash-workflow-client {__version__}")  # noqa: T201
        raise typer.Exit()


VersionOpt = Annotated[
    bool,
    typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
]


@app.callback()
def main_options(
    ctx: typer.Context,
    token: TokenOpt = None,
    url: UrlOpt = None,
    as_json: JsonOpt = False,
    max_retries: RetriesOpt = 5,
    version: VersionOpt = False,
) -> None:
    reset_consoles()
    ctx.with_resource(warnings_as_lines())  # until the command ends
    state.token, state.url, state.json, state.max_retries = token, url, as_json, max_retries
