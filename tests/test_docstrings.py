"""Every public function and method has a docstring whose Google-style ``Args:`` section names each of
its parameters, read statically with griffe, the library mkdocstrings builds the API reference with
(so what is checked here is what docs/reference/*.md shows).

Checked: each name of ``__all__`` of `upstash_workflow.rest` and `upstash_workflow.rest.testing`; for a
class, its public methods (inherited ones included) and its constructor, whose parameters may be
documented in the ``__init__`` docstring or in the docstring of the class that defines ``__init__``;
and the classes of the namespaces of `Client` and `AsyncClient` (``dlq``, ``flow_control``,
``signing_keys``). The methods of those classes are generated into _api.py from the builders of
_calls.py / _calls_admin.py, so their builders' docstrings are what is checked there.
"""

from __future__ import annotations

import importlib
import typing
from pathlib import Path

import griffe
import pytest

from upstash_workflow.rest import AsyncClient, Client

ROOT = Path(__file__).resolve().parents[1]
MODULES = ("upstash_workflow.rest", "upstash_workflow.rest.testing")
NAMESPACES = ("dlq", "flow_control", "signing_keys")
PARAMETER_SECTIONS = {griffe.DocstringSectionKind.parameters, griffe.DocstringSectionKind.other_parameters}


def target(obj: griffe.Object | griffe.Alias) -> griffe.Object:
    final = obj.final_target if isinstance(obj, griffe.Alias) else obj
    assert isinstance(final, griffe.Object)
    return final


def documented_parameters(*objects: griffe.Object) -> set[str]:
    names: set[str] = set()
    for obj in objects:
        if obj.docstring is None:
            continue
        for section in griffe.parse_google(obj.docstring, warnings=False):
            if section.kind in PARAMETER_SECTIONS:
                names |= {parameter.name.lstrip("*") for parameter in section.value}
    return names


Found = list[tuple[str, griffe.Function, tuple[griffe.Object, ...]]]


def callables_of(label: str, obj: griffe.Object) -> Found:
    """(label, function, the objects whose docstrings may document its parameters) for `obj`'s public API."""
    if isinstance(obj, griffe.Function):
        return [(label, obj, (obj,))]
    if not isinstance(obj, griffe.Class):
        return []
    found: Found = []
    for name, member in sorted(obj.all_members.items()):
        if name.startswith("_") and name != "__init__":
            continue
        function = target(member)
        if not isinstance(function, griffe.Function):
            continue
        if name == "__init__":
            defining_class = function.parent
            assert isinstance(defining_class, griffe.Object)
            found.append((f"{label}.__init__", function, (function, defining_class)))
        else:
            found.append((f"{label}.{name}", function, (function,)))
    return found


def public_callables() -> Found:
    loader = griffe.GriffeLoader(search_paths=[str(ROOT), str(ROOT / "generated")])
    found: Found = []
    classes: dict[str, griffe.Object] = {}
    for module_name in MODULES:
        package = loader.load(module_name)
        loader.resolve_aliases(external=False, implicit=False)
        for name in importlib.import_module(module_name).__all__:
            obj = target(package[name])
            classes[obj.path] = obj
            found += callables_of(f"{module_name}.{name}", obj)
    # The namespaces' classes are in __all__ too; make sure they stay covered.
    for client in (Client, AsyncClient):
        hints = typing.get_type_hints(client)
        for namespace in NAMESPACES:
            cls = hints[namespace]
            assert f"{cls.__module__}.{cls.__qualname__}" in classes, (client, namespace)
    return found


CALLABLES = public_callables()


def test_the_walk_finds_the_public_api() -> None:
    labels = {label for label, _, _ in CALLABLES}
    for expected in (
        "upstash_workflow.rest.Client.__init__",
        "upstash_workflow.rest.Client.close",
        "upstash_workflow.rest.AsyncClient.aclose",
        "upstash_workflow.rest.DLQ.resume",
        "upstash_workflow.rest.SigningKeyManager.rotate",
        "upstash_workflow.rest.RetryPolicy.should_retry",
        "upstash_workflow.rest.testing.LocalQStash.start",
        "upstash_workflow.rest.testing.WorkflowClock.advance",
        "upstash_workflow.rest.testing.QStashState.publish",
    ):
        assert expected in labels


@pytest.mark.parametrize(("label", "function", "sources"), CALLABLES, ids=[label for label, _, _ in CALLABLES])
def test_public_callable_documents_every_parameter(
    label: str, function: griffe.Function, sources: tuple[griffe.Object, ...]
) -> None:
    assert any(source.docstring for source in sources), f"{label} has no docstring"
    documented = documented_parameters(*sources)
    parameters = [p.name for p in function.parameters if p.name not in ("self", "cls")]
    missing = [name for name in parameters if name not in documented]
    assert missing == [], f"{label}: parameters missing from the docstring's Args section: {missing}"
