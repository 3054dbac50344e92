"""One export list: ``__all__`` names exactly what the package imports, and every public class of the
result, error, input and generated-method modules is exported."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

import upstash_workflow.rest as package
from upstash_workflow.rest import _api, _errors, _models, _outcomes, _results

# Internal: raised while reading a body and always reported as APIResponseValidationError.
NOT_EXPORTED = {"ResponseShapeError"}


def test_all_is_exactly_what_the_package_defines() -> None:
    for name in package.__all__:  # each name imported on first use (the package's __getattr__)
        getattr(package, name)
    # Submodules (``testing``, ``cli``) become attributes once imported; they are not exports.
    public = {
        name
        for name, value in vars(package).items()
        if name.isidentifier() and not name.startswith("_") and not inspect.ismodule(value)
    } | {"__version__"}
    assert sorted(package.__all__) == sorted(public)
    assert len(package.__all__) == len(set(package.__all__))
    assert set(package.__all__) <= set(dir(package))


def test_lazy_table_matches_the_type_checking_imports() -> None:
    """The runtime table (`_EXPORTS`, module -> names) says what the ``TYPE_CHECKING`` imports say
    (which type checkers, editors and the docs read), and a star-imported module's whole ``__all__``."""
    tree = ast.parse(Path(package.__file__).read_text())
    block = next(node for node in tree.body if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test))
    static: dict[str, set[str]] = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.module is not None
        module = importlib.import_module(f"upstash_workflow.rest.{node.module}")
        for alias in node.names:
            names = module.__all__ if alias.name == "*" else [alias.name]
            assert alias.name == "*" or alias.asname == alias.name  # ``X as X``: an explicit re-export
            static.setdefault(f"_{node.module.lstrip('_')}", set()).update(names)
    assert {module: set(names) for module, names in package._EXPORTS.items()} == static
    for name in package.__all__:
        value = getattr(package, name)
        if name != "__version__" and hasattr(value, "__module__") and value.__module__ != "typing":
            assert value.__module__ == f"upstash_workflow.rest.{package._MODULE_OF[name]}", name


@pytest.mark.parametrize("module", [_api, _errors, _models, _outcomes, _results], ids=lambda m: m.__name__)
def test_every_public_class_is_exported(module: object) -> None:
    classes = {
        name
        for name, value in vars(module).items()
        if inspect.isclass(value) and not name.startswith("_") and value.__module__ == getattr(module, "__name__", "")
    }
    assert classes - set(package.__all__) - NOT_EXPORTED == set()
