"""LocalQStash's modules import only downward (TYPE_CHECKING imports count too): state and the
delivery engine at the bottom, routes and handlers above them, the HTTP server on top."""

from __future__ import annotations

import ast
from pathlib import Path

import upstash_workflow.rest.testing as testing

# Bottom to top; a module may import only from modules in earlier layers (or its own).
LAYERS: list[set[str]] = [
    {"_signing", "_sender", "_flow_control", "_ui", "_index"},
    {"_state"},
    {"_protocol", "_seed"},
    {"_workflow"},
    {"_routing"},
    {"_handlers"},
    {"_routes"},
    {"_server"},
    {"__init__"},
    {"pytest_plugin"},
]


def _imports(path: Path) -> set[str]:
    """The sibling modules a module imports, anywhere in it (TYPE_CHECKING blocks included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                found.add(node.module)
            elif node.level == 1:
                found.update(alias.name for alias in node.names)
            elif node.module == "upstash_workflow.rest.testing":
                found.add("__init__")
    return found


def test_every_module_has_a_layer() -> None:
    modules = {p.stem for p in Path(testing.__file__).parent.glob("*.py")}
    assert modules == set().union(*LAYERS)


def test_imports_only_go_down() -> None:
    folder = Path(testing.__file__).parent
    level = {name: i for i, layer in enumerate(LAYERS) for name in layer}
    upward = [
        f"{module} (layer {level[module]}) imports {target} (layer {level[target]})"
        for module in level
        for target in _imports(folder / f"{module}.py")
        if target in level and target != module and level[target] >= level[module]
    ]
    assert upward == []
