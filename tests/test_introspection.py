"""Every public method is a real function a reader, a debugger and an editor can follow: its own name,
qualified name and module, annotations that resolve, a signature and docstring that an editor reading
the source statically (jedi: IPython, many editor set-ups) shows, and source code to step into."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Iterator
from pathlib import Path

import jedi  # type: ignore[import-untyped]  # jedi ships no type information
import pytest

from upstash_workflow.rest import AsyncClient, Client

ROOT = Path(__file__).resolve().parents[1]


def _public_methods() -> Iterator[tuple[str, type, str]]:
    """(dotted path as a user types it, the class that defines it, method name), namespaces included."""
    for client_cls, var in ((Client, "client"), (AsyncClient, "aclient")):
        hints = typing.get_type_hints(client_cls)
        classes = [(var, client_cls)] + [
            (f"{var}.{name}", hint)
            for name, hint in hints.items()
            if not name.startswith("_") and inspect.isclass(hint)
        ]
        for path, cls in classes:
            for name, value in vars(cls).items():
                if not name.startswith("_") and inspect.isfunction(value):
                    yield f"{path}.{name}", cls, name


METHODS = list(_public_methods())


def test_the_surface_is_walked() -> None:
    paths = {p for p, _, _ in METHODS}
    assert {"client.trigger", "client.iter_logs", "client.dlq.resume", "aclient.dlq.iter"} <= paths


@pytest.mark.parametrize(("path", "cls", "name"), METHODS, ids=[m[0] for m in METHODS])
def test_a_method_tells_the_truth_about_itself(path: str, cls: type, name: str) -> None:
    method = vars(cls)[name]
    assert method.__name__ == name
    assert method.__qualname__ == f"{cls.__name__}.{name}"
    assert method.__module__ == cls.__module__ == "upstash_workflow.rest._api"
    hints = typing.get_type_hints(method)  # every annotation resolves at run time
    signature = inspect.signature(method)
    assert next(iter(signature.parameters)) == "self"
    assert set(hints) == {p for p in signature.parameters if p != "self"} | {"return"}
    assert "Call[" not in str(hints["return"])
    assert f"def {name}(" in inspect.getsource(method)
    assert (inspect.getdoc(method) or "").strip()


JEDI_PRELUDE = """\
from upstash_workflow.rest import AsyncClient, Client
client = Client()
aclient = AsyncClient()
"""


@pytest.fixture(scope="module")
def jedi_project() -> jedi.Project:
    return jedi.Project(str(ROOT), added_sys_path=[str(ROOT), str(ROOT / "generated")])


@pytest.mark.parametrize(("path", "cls", "name"), METHODS, ids=[m[0] for m in METHODS])
def test_an_editor_shows_signature_and_docstring(jedi_project: jedi.Project, path: str, cls: type, name: str) -> None:
    source = JEDI_PRELUDE + f"{path}("
    line = source.count("\n") + 1
    signatures = jedi.Script(source, project=jedi_project).get_signatures(line, len(source.splitlines()[-1]))
    assert signatures, f"jedi shows no signature for {path}("
    expected = [p for p in inspect.signature(vars(cls)[name]).parameters if p != "self"]
    assert [p.name for p in signatures[0].params] == expected
    doc = signatures[0].docstring(raw=True)
    assert doc.strip() and doc.strip().splitlines()[0] == (inspect.getdoc(vars(cls)[name]) or "").splitlines()[0]
