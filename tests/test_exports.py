"""One export list: ``__all__`` names exactly what the package imports, and every public class of the
result, error, input and generated-method modules is exported."""

from __future__ import annotations

import inspect

import pytest

import upstash_workflow.rest as package
from upstash_workflow.rest import _api, _errors, _models, _outcomes, _results

# Internal: raised while reading a body and always reported as APIResponseValidationError.
NOT_EXPORTED = {"ResponseShapeError"}


def test_all_is_exactly_what_the_package_defines() -> None:
    # Submodules (``testing``, ``cli``) become attributes once imported; they are not exports.
    public = {
        name
        for name, value in vars(package).items()
        if name.isidentifier() and not name.startswith("_") and not inspect.ismodule(value)
    } | {"__version__"}
    assert sorted(package.__all__) == sorted(public)
    assert len(package.__all__) == len(set(package.__all__))


@pytest.mark.parametrize("module", [_api, _errors, _models, _outcomes, _results], ids=lambda m: m.__name__)
def test_every_public_class_is_exported(module: object) -> None:
    classes = {
        name
        for name, value in vars(module).items()
        if inspect.isclass(value) and not name.startswith("_") and value.__module__ == getattr(module, "__name__", "")
    }
    assert classes - set(package.__all__) - NOT_EXPORTED == set()
