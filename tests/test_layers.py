"""The package's modules form layers with no import cycle (docs/architecture.md draws them).

The import graph is read from the syntax tree, so it counts every import a reader follows: at module
level, under ``if TYPE_CHECKING:`` and inside functions. A core module may import modules of its own
layer (without a cycle) and of the layers below, never one above, never one the layers do not name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = "upstash_workflow.rest"
ROOT = Path(__file__).resolve().parents[1] / "upstash_workflow" / "rest"

# Bottom to top. "__init__" is the package itself (`from upstash_workflow.rest import X`).
LAYERS: list[set[str]] = [
    {"_version", "_extras", "_deadline"},  # leaves: no import from the package
    {"_limits"},  # response bodies under a size cap (reads check the deadline)
    {"_errors"},  # the error tree
    {"_validate", "_config"},  # argument checks; credentials and base URL
    {"_models", "_results", "_retry"},  # what users pass in and get back; the retry policy
    # what became of each run; a run's message headers, Options; spans; dicts -> classes
    {"_outcomes", "_trigger", "_tracing", "_inputs"},
    {"_batching", "_polling"},  # pure planning: requests -> batches, answers -> outcomes; waiting for runs
    {"_call"},  # the Call union, and reading one response
    {"_calls", "_calls_admin"},  # the pure builders
    {"_sending", "_http"},  # I/O helpers: batch send loops, the coalescer; our httpx clients
    {"_client"},  # the I/O cores
    {"_api"},  # GENERATED public classes
    {"__init__"},
]
LAYER_OF = {module: index for index, layer in enumerate(LAYERS) for module in layer}
# Above the core, which never imports them (their own layers are not checked here yet).
ABOVE_THE_CORE = {"__main__", "cli", "testing"}


def _module_name(path: Path) -> str:
    """``_calls``, ``testing._server``; ``__init__`` for the package's own __init__.py."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def _exists(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _target(absolute: str) -> str | None:
    """The package module an absolute dotted name refers to (None: outside the package)."""
    if absolute == PACKAGE:
        return "__init__"
    if not absolute.startswith(PACKAGE + "."):
        return None
    return absolute[len(PACKAGE) + 1 :]


def imports(path: Path) -> set[str]:
    """The package modules ``path`` imports, wherever the import statement is."""
    name = _module_name(path)
    is_package = path.name == "__init__.py"
    here = [] if name == "__init__" else name.split(".")
    package = here if is_package else here[:-1]  # the package relative imports start from
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {t for alias in node.names if (t := _target(alias.name)) is not None}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                source = ".".join([*base, *(node.module or "").split(".")]).strip(".")
            else:
                target = _target(node.module or "")
                if target is None:
                    continue
                source = "" if target == "__init__" else target
            for alias in node.names:
                sub = f"{source}.{alias.name}" if source else alias.name
                if _exists(sub):  # `from . import _calls`: the module itself
                    found.add(sub)
                else:
                    found.add(source or "__init__")
    found.discard(name)
    return found


def graph() -> dict[str, set[str]]:
    return {_module_name(path): imports(path) for path in sorted(ROOT.rglob("*.py"))}


def _unit(module: str) -> str:
    """The layer entry a module belongs to: itself for a core module, its top package otherwise."""
    return module if module in LAYER_OF else module.split(".", maxsplit=1)[0]


def test_the_graph_sees_every_kind_of_import() -> None:
    edges = graph()
    assert "_sending" in edges["_client"]  # `from . import _sending`
    assert "_batching" in edges["_client"]  # under `if TYPE_CHECKING:`
    assert "_errors" in edges["_validate"]  # `from ._errors import ...`
    assert "upstash_workflow_api" not in str(edges)  # the generated package is not ours
    assert edges["__init__"] >= {"_api", "_results"}


def test_every_core_module_is_in_a_layer() -> None:
    top_level = {_unit(module) for module in graph()}
    undeclared = top_level - set(LAYER_OF) - ABOVE_THE_CORE
    assert not undeclared, f"declare {undeclared} in LAYERS (and in docs/architecture.md)"
    assert set(LAYER_OF) <= top_level, "LAYERS names a module that does not exist"


@pytest.mark.parametrize("module", sorted(LAYER_OF))
def test_no_core_import_goes_up_or_out(module: str) -> None:
    edges = graph()
    for target in edges[module]:
        unit = _unit(target)
        assert unit in LAYER_OF, f"{module} imports {target}, which is not in a core layer (cli, testing or undeclared)"
        assert LAYER_OF[unit] <= LAYER_OF[module], f"{module} imports {target}, a layer above it"


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(edges[module]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    return cycles


def test_the_core_has_no_import_cycle() -> None:
    edges = {m: {t for t in targets if t in LAYER_OF} for m, targets in graph().items() if m in LAYER_OF}
    cycles = _cycles(edges)
    assert not cycles, " ; ".join(" -> ".join(cycle) for cycle in cycles)


def test_the_whole_package_has_no_import_cycle() -> None:
    """cli/ and testing/ included (their inner layers: tests/test_cli.py, tests/test_local_qstash_layers.py)."""
    edges = graph()
    cycles = _cycles({m: {t for t in targets if t in edges} for m, targets in edges.items()})
    assert not cycles, " ; ".join(" -> ".join(cycle) for cycle in cycles)


def test_above_the_core_imports_go_one_way() -> None:
    """The CLI may start a LocalQStash (`dev`); LocalQStash never imports the CLI."""
    edges = graph()
    for module, targets in edges.items():
        if _unit(module) == "testing":
            assert not {t for t in targets if _unit(t) in {"cli", "__main__"}}, f"{module} imports the CLI"


def test_the_architecture_notes_name_every_core_module() -> None:
    notes = (ROOT.parents[1] / "docs" / "architecture.md").read_text()
    missing = {m for m in LAYER_OF if m != "__init__" and f"{m}.py" not in notes}
    assert not missing, f"docs/architecture.md does not show {missing}"
