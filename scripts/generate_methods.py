"""Write ``upstash_workflow/rest/_api.py``: the public classes (`Client`, `AsyncClient` and their
namespaces such as ``client.dlq``), one real method per operation, made from the pure builders.

Why generated: each operation's signature and docstring are written once, on its builder in
``_calls*.py`` (sans-I/O, tested as a function). The sync and async methods that send its `Call` differ
in two words (``async``/``await``). Writing them out by hand would mean keeping three copies of every
signature in step; building them at import time (wrappers) hid them from editors, debuggers and
``typing.get_type_hints``. So this script writes them out, the way httpcore writes its sync code
from its async code, and ``scripts/test`` fails when ``_api.py`` is not what this script writes
(``--check``).

Adding an operation: write its builder, add one line to ``API`` below, run ``scripts/generate-methods``.

Usage: generate_methods.py [--check]
"""

from __future__ import annotations

import ast
import builtins
import difflib
import functools
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "upstash_workflow" / "rest" / "_api.py"
CALL_KINDS = {"Call", "SendRequest", "KnownResult", "SendBatches", "SendRepeated"}  # _call: what a builder may return
PLAN_KINDS = {"WaitPlan"}  # _polling: a plan the core carries out over several calls


@dataclass(frozen=True)
class Method:
    """A method that builds its `Call` with ``builder`` (``module.function``) and executes it."""

    name: str
    builder: str


@dataclass(frozen=True)
class Pages:
    """A method that walks every page of ``builder``'s results, yielding ``page.<items>``."""

    name: str
    builder: str
    items: str
    item_type: str
    doc: str


@dataclass(frozen=True)
class Stream:
    """A method that yields the items of a planned stream (the builder returns the plan)."""

    name: str
    builder: str
    item_type: str


@dataclass(frozen=True)
class Wait:
    """A method that waits for runs to end: the builder checks the arguments and returns a
    `WaitPlan`; the core polls the logs (``_wait``) until the plan's runs are over."""

    name: str
    builder: str


@dataclass(frozen=True)
class Namespace:
    """An attribute such as ``client.dlq``: an instance of another generated class."""

    name: str
    sync_class: str
    async_class: str
    doc: str


@dataclass(frozen=True)
class Class:
    sync_name: str
    async_name: str
    sync_doc: str
    async_doc: str
    members: list[Method | Pages | Stream | Wait | Namespace] = field(default_factory=list)
    namespace: bool = False  # True: built from a client (``DLQ(client)``), not configured by the user


API = [
    Class(
        "DLQ",
        "AsyncDLQ",
        "``client.dlq``: the workflow dead-letter queue.",
        "``async_client.dlq``: the workflow dead-letter queue, as coroutines.",
        [
            Method("list", "_calls.dlq_list"),
            Pages(
                "iter",
                "_calls.dlq_list",
                "messages",
                "DLQMessage",
                "Every message of every page of ``list`` (same filters), pages fetched lazily.",
            ),
            Method("resume", "_calls.dlq_resume"),
            Method("restart", "_calls.dlq_restart"),
            Method("retry_failure_function", "_calls.dlq_retry_failure_function"),
            Method("delete", "_calls.dlq_delete"),
            Method("get", "_calls_admin.dlq_get"),
            Method("cancel_failure_callback", "_calls_admin.dlq_cancel_failure_callback"),
        ],
        namespace=True,
    ),
    Class(
        "FlowControlManager",
        "AsyncFlowControlManager",
        """``client.flow_control``: flow-control keys (wait lists, pause, pinned limits) and global
parallelism, as ``@upstash/qstash``'s ``client.flowControl``.""",
        "``async_client.flow_control``: the methods of `FlowControlManager` as coroutines.",
        [
            Method("list", "_calls_admin.flow_control_list"),
            Method("get", "_calls_admin.flow_control_get"),
            Method("pause", "_calls_admin.flow_control_pause"),
            Method("resume", "_calls_admin.flow_control_resume"),
            Method("pin", "_calls_admin.flow_control_pin"),
            Method("unpin", "_calls_admin.flow_control_unpin"),
            Method("reset_rate", "_calls_admin.flow_control_reset_rate"),
            Method("global_parallelism", "_calls_admin.global_parallelism"),
        ],
        namespace=True,
    ),
    Class(
        "SigningKeyManager",
        "AsyncSigningKeyManager",
        "``client.signing_keys``: the keys QStash signs deliveries with.",
        "``async_client.signing_keys``: the methods of `SigningKeyManager` as coroutines.",
        [
            Method("get", "_calls_admin.signing_keys_get"),
            Method("rotate", "_calls_admin.signing_keys_rotate"),
        ],
        namespace=True,
    ),
    Class(
        "Client",
        "AsyncClient",
        """Synchronous Upstash Workflow client.

``Client()`` reads QSTASH_TOKEN / QSTASH_URL (and QSTASH_REGION with ``<REGION>_QSTASH_URL`` /
``_TOKEN``) like the TS client; arguments win. ``headers`` are forwarded to every triggered run
(as in TS, they are not sent on other calls). ``http_client`` lets you bring your own
``httpx.Client`` (proxies, transports); it is not closed by us. Use as a context manager or call
``close()``.""",
        """Asynchronous Upstash Workflow client: the methods of `Client` as coroutines, ``async for`` over
``iter_logs`` / ``dlq.iter``. Use ``async with`` or ``await client.aclose()``.""",
        [
            Namespace("dlq", "DLQ", "AsyncDLQ", "The workflow dead-letter queue."),
            Namespace(
                "flow_control",
                "FlowControlManager",
                "AsyncFlowControlManager",
                "Flow-control keys and global parallelism.",
            ),
            Namespace("signing_keys", "SigningKeyManager", "AsyncSigningKeyManager", "The signing keys."),
            Method("trigger", "_calls.trigger"),
            Method("trigger_many", "_calls.trigger_many"),
            Stream("trigger_stream", "_calls.trigger_stream", "TriggerOutcome"),
            Method("cancel", "_calls.cancel"),
            Method("notify", "_calls.notify"),
            Method("get_waiters", "_calls.get_waiters"),
            Method("logs", "_calls.logs"),
            Pages(
                "iter_logs",
                "_calls.logs",
                "runs",
                "WorkflowRunLog",
                "Every run of every page of ``logs`` (same filters), pages fetched lazily.",
            ),
            Wait("wait", "_calls.wait"),
            Wait("wait_all", "_calls.wait_all"),
        ],
    ),
]

HEADER = '''"""Generated by scripts/generate_methods.py from the builders in _calls*.py: do not edit.

The public classes, one method per operation: each builds its request with a pure builder (the
signature and docstring are the builder's) and sends it with ``_execute`` of the I/O core in
``_client.py``. To change a method, change its builder (or the table in the script) and run
``scripts/generate-methods``; ``scripts/test`` checks this file is current.
"""
'''


@dataclass
class Signature:
    """A builder's signature as source text, without its leading ``options`` parameter."""

    params: str  # "url: str, body: Any = None, *, headers: ... = None"
    call_args: str  # "url, body, headers=headers"
    kwargs_dict: str  # "{'url': url, ...}" for keyword-only page builders
    returns: str  # "TriggerResult" from "Call[TriggerResult]"
    names: set[str]  # every name the annotations and defaults use
    doc: str


def _module_file(module_name: str) -> Path:
    return ROOT / "upstash_workflow" / "rest" / f"{module_name}.py"


@functools.cache
def _tree(module_name: str) -> ast.Module:
    return ast.parse(_module_file(module_name).read_text())


def _builder(dotted: str) -> tuple[str, ast.FunctionDef]:
    """The builder's module name (``_calls``) and its definition, read as source: the package cannot be
    imported before this script has written ``_api.py``."""
    module_name, function = dotted.rsplit(".", 1)
    for node in _tree(module_name).body:
        if isinstance(node, ast.FunctionDef) and node.name == function:
            return module_name, node
    raise SystemExit(f"generate_methods: no function {function} in {module_name}")


@functools.cache
def _origins(module_name: str) -> dict[str, str]:
    """For every top-level name of a builder module, the import line that gives it to ``_api.py``:
    its own imports (those under ``if TYPE_CHECKING:`` too, so that the annotations of the generated
    methods resolve at run time) and the names it defines."""
    tree = _tree(module_name)
    statements = list(tree.body)
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            statements += node.body
    origins: dict[str, str] = {}
    for node in statements:
        if isinstance(node, ast.ImportFrom):
            source = "." * node.level + (node.module or "")
            for alias in node.names:
                as_part = f" as {alias.asname}" if alias.asname else ""
                origins[alias.asname or alias.name] = f"from {source} import {alias.name}{as_part}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                as_part = f" as {alias.asname}" if alias.asname else ""
                origins[alias.asname or alias.name.split(".")[0]] = f"import {alias.name}{as_part}"
        elif isinstance(node, ast.ClassDef | ast.FunctionDef):
            origins[node.name] = f"from .{module_name} import {node.name}"
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    origins[target.id] = f"from .{module_name} import {target.id}"
    return origins


def _names(node: ast.AST | None) -> set[str]:
    if node is None:
        return set()
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _unparse(node: ast.expr, shadowed: frozenset[str]) -> str:
    """Source text of ``node``; a builtin whose name a method of the class takes (a method ``list``
    inside the class body hides ``list``) is written ``builtins.list``."""
    if not shadowed:
        return ast.unparse(node)

    class Qualify(ast.NodeTransformer):
        def visit_Name(self, name: ast.Name) -> ast.expr:
            if name.id in shadowed and name.id in vars(builtins):
                return ast.copy_location(ast.Attribute(ast.Name("builtins", ast.Load()), name.id, ast.Load()), name)
            return name

    return ast.unparse(Qualify().visit(ast.parse(ast.unparse(node), mode="eval")).body)


def _sync_only(annotation: ast.expr | None) -> ast.expr | None:
    """A union annotation without its ``AsyncIterable[...]`` members: what a sync method can take (the
    builders of streams accept both, as ``AsyncClient`` reads either)."""
    if not isinstance(annotation, ast.BinOp) or not isinstance(annotation.op, ast.BitOr):
        return annotation
    members: list[ast.expr] = []

    def collect(node: ast.expr) -> None:
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            collect(node.left)
            collect(node.right)
        elif not (isinstance(node, ast.Subscript) and ast.unparse(node.value) == "AsyncIterable"):
            members.append(node)

    collect(annotation)
    union = members[0]
    for member in members[1:]:
        union = ast.BinOp(union, ast.BitOr(), member)
    return union


def _signature(dotted: str, shadowed: frozenset[str] = frozenset(), is_async: bool = True) -> Signature:
    _, node = _builder(dotted)
    args = node.args
    if args.vararg or args.kwarg or not args.args or args.args[0].arg != "options":
        raise SystemExit(f"generate_methods: {dotted} must take (options, ...) and no *args/**kwargs")
    names: set[str] = set()
    positional = [*args.posonlyargs, *args.args][1:]
    pos_defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    parts: list[str] = []
    call: list[str] = []

    def render(arg: ast.arg, default: ast.expr | None) -> str:
        annotation = arg.annotation if is_async else _sync_only(arg.annotation)
        names.update(_names(annotation) | _names(default))
        text = arg.arg if annotation is None else f"{arg.arg}: {_unparse(annotation, shadowed)}"
        return text if default is None else f"{text} = {_unparse(default, shadowed)}"

    for arg, default in zip(positional, pos_defaults, strict=True):
        parts.append(render(arg, default))
        call.append(arg.arg)
    if args.kwonlyargs:
        parts.append("*")
        for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
            parts.append(render(arg, kw_default))
            call.append(f"{arg.arg}={arg.arg}")
    returns = node.returns
    if returns is None:
        raise SystemExit(f"generate_methods: {dotted} has no return annotation")
    # A builder returns Call[X] (or one of its kinds, such as SendRequest[X]); the method returns X.
    if (
        isinstance(returns, ast.Subscript)
        and isinstance(returns.value, ast.Name)
        and returns.value.id in CALL_KINDS | PLAN_KINDS
    ):
        returns = returns.slice
    names |= _names(returns)
    kwargs = ", ".join(f'"{a.arg}": {a.arg}' for a in [*positional, *args.kwonlyargs])
    return Signature(
        params=", ".join(["self", *parts]),
        call_args=", ".join(["self._options", *call]),
        kwargs_dict="{" + kwargs + "}",
        returns=_unparse(returns, shadowed),
        names=names,
        doc=ast.get_docstring(node) or "",
    )


def _import_line(name: str, modules: list[str]) -> str | None:
    """The import that gives ``name`` to ``_api.py``: from the first builder module that has it, else
    from the result and outcome classes (the item types of page iterators and streams)."""
    if name in vars(builtins):
        return None
    for module_name in [*modules, "_results", "_outcomes"]:
        if line := _origins(module_name).get(name):
            return line
    raise SystemExit(f"generate_methods: cannot tell where {name!r} comes from")


def _docstring(text: str, indent: str) -> str:
    body = textwrap.indent(text, indent).strip()
    return f'{indent}"""{body}\n{indent}"""' if "\n" in text else f'{indent}"""{body}"""'


def _pages_doc(member: Pages, builder_doc: str) -> str:
    """The page walker's summary, then the builder's ``Args:`` and ``Raises:`` sections (the walker
    takes the same arguments and raises the same errors, page by page), with ``Yields:`` for
    ``Returns:``."""
    sections = builder_doc.split("\n\n")
    args = [part for part in sections if part.startswith(("Args:", "Raises:"))]
    if len(args) != 2:
        raise SystemExit(f"generate_methods: {member.builder} needs an Args: and a Raises: section")
    yields = f"Yields:\n    Every `{member.item_type}` of every page, in order; a page is fetched when needed."
    return "\n\n".join([member.doc, args[0], yields, args[1]])


def _method(
    member: Method | Pages | Stream | Wait, is_async: bool, shadowed: frozenset[str]
) -> tuple[str, set[str], set[str]]:
    """The method's source, the names its signature needs, and the builder modules it uses."""
    sig = _signature(member.builder, shadowed, is_async)
    module = member.builder.split(".")[0]
    builder = member.builder
    define = f"    {'async ' if is_async else ''}def {member.name}({sig.params})"
    iterator = "AsyncIterator" if is_async else "Iterator"
    extra: set[str] = set()
    if isinstance(member, Method | Wait):
        head = f"{define} -> {sig.returns}:"
        # The call's span (OpenTelemetry, when installed) covers planning and sending; the options it
        # gives forward its trace context to the runs the call starts.
        operation = builder.split(".")[-1]
        run, name = ("_wait", "plan") if isinstance(member, Wait) else ("_execute", "call")
        body = [
            f"        with self._traced({operation!r}) as options:",
            f"            {name} = {builder}({sig.call_args.replace('self._options', 'options', 1)})",
            f"            return {'await ' if is_async else ''}self.{run}({name})",
        ]
        doc = sig.doc
        needed = sig.names
    else:
        head = f"{define} -> {iterator}[{member.item_type}]:"
        # The builder's own return type (a page, a stream plan) is not the method's.
        needed = sig.names - _names(ast.parse(sig.returns, mode="eval"))
        if isinstance(member, Pages):
            source = f"self._pages({builder}, {sig.kwargs_dict}, {member.items!r})"
            doc = _pages_doc(member, sig.doc)
            body = []
        else:  # a stream: the builder checks the arguments and plans; the core sends as it reads
            body = [f"        plan = {builder}({sig.call_args.replace('self._options', 'self._stream_options()', 1)})"]
            source = "self._stream(plan)"
            doc = sig.doc
        # ``yield from`` closes the inner generator when the caller stops early; ``async for`` does not,
        # so the async flavour closes it itself (its finally blocks wait for the requests in flight).
        inner = [f"        async with aclosing({source}) as items:", "            async for item in items:"]
        body += [*inner, "                yield item"] if is_async else [f"        yield from {source}"]
        extra = {member.item_type}
    text = "\n".join([head, _docstring(doc, "        "), *body])
    return text, needed | extra, {module}


def _class(cls: Class, is_async: bool) -> tuple[str, set[str], set[str]]:
    name = cls.async_name if is_async else cls.sync_name
    flavour = "Async" if is_async else "Sync"
    base = f"_{flavour}Namespace" if cls.namespace else f"_{flavour}Core"
    lines = [f"class {name}({base}):", _docstring(cls.async_doc if is_async else cls.sync_doc, "    "), ""]
    names: set[str] = set()
    modules: set[str] = set()
    namespaces = [m for m in cls.members if isinstance(m, Namespace)]
    for ns in namespaces:
        lines += [f"    {ns.name}: {ns.async_class if is_async else ns.sync_class}", f'    """{ns.doc}"""', ""]
    if namespaces:
        lines += ["    def _setup_namespaces(self) -> None:"]
        lines += [
            f"        self.{ns.name} = {ns.async_class if is_async else ns.sync_class}(self)" for ns in namespaces
        ]
        lines += [""]
    shadowed = frozenset(m.name for m in cls.members)
    for member in cls.members:
        if isinstance(member, Namespace):
            continue
        text, used, mods = _method(member, is_async, shadowed)
        lines += [text, ""]
        names |= used
        modules |= mods
    return "\n".join(lines).rstrip() + "\n", names, modules


def render() -> str:
    classes: list[str] = []
    names: set[str] = set()
    modules: set[str] = set()
    for cls in API:
        for is_async in (False, True):
            text, used, mods = _class(cls, is_async)
            classes.append(text)
            names |= used
            modules |= mods
    defined = {c.sync_name for c in API} | {c.async_name for c in API}
    imports = sorted(filter(None, {_import_line(n, sorted(modules)) for n in names - defined}))
    header = [
        HEADER,
        "from __future__ import annotations",
        "",
        "import builtins",
        "from contextlib import aclosing",
        "from collections.abc import AsyncIterator, Iterator",
        *imports,
        "",
        f"from . import {', '.join(sorted(modules))}",
        "from ._client import _AsyncCore, _AsyncNamespace, _SyncCore, _SyncNamespace",
        "",
        "",
    ]
    source = "\n".join(header) + "\n\n".join(classes)
    # The project's formatter decides the layout (line length, import order), as for generated/.
    ruff = [sys.executable, "-m", "ruff"]
    fixed = subprocess.run(
        [*ruff, "check", "--fix-only", "--quiet", "--stdin-filename", str(TARGET), "-"],
        input=source,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    return subprocess.run(
        [*ruff, "format", "--quiet", "--stdin-filename", str(TARGET), "-"],
        input=fixed,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout


def main() -> int:
    source = render()
    if "--check" in sys.argv[1:]:
        current = TARGET.read_text() if TARGET.exists() else ""
        if current != source:
            diff = difflib.unified_diff(current.splitlines(), source.splitlines(), "committed", "fresh", lineterm="")
            print("generate_methods: _api.py is out of date; run scripts/generate-methods", file=sys.stderr)
            print("\n".join(list(diff)[:80]), file=sys.stderr)
            return 1
        print("generate_methods: _api.py is current", file=sys.stderr)
        return 0
    TARGET.write_text(source)
    print(f"generate_methods: wrote {TARGET.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
