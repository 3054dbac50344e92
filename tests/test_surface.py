"""Client and AsyncClient expose the same API, namespaces (``client.dlq`` and any other) included:
the same public names, the same parameters, the same docstrings; every async method is a coroutine
function or an async iterator."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from typing import Any

import pytest

from upstash_workflow.rest import AsyncClient, Client

# Names that exist on one side only, by design.
SYNC_ONLY = {"close"}
ASYNC_ONLY = {"aclose"}


def _namespaces(obj: object) -> dict[str, object]:
    """Instance attributes that are API namespaces (objects with public callables of their own)."""
    found = {}
    for name, value in vars(obj).items():
        if name.startswith("_") or callable(value):
            continue
        if any(not n.startswith("_") and callable(getattr(value, n)) for n in dir(value)):
            found[name] = value
    return found


def _methods(obj: object) -> dict[str, Any]:
    return {n: getattr(obj, n) for n in dir(obj) if not n.startswith("_") and callable(getattr(obj, n))}


def _pairs(sync: object, aio: object, path: str) -> Iterator[tuple[str, object, object]]:
    yield path, sync, aio
    sync_ns, async_ns = _namespaces(sync), _namespaces(aio)
    assert set(sync_ns) == set(async_ns), path
    for name in sorted(sync_ns):
        yield from _pairs(sync_ns[name], async_ns[name], f"{path}.{name}")


@pytest.fixture
def clients() -> Iterator[tuple[Client, AsyncClient]]:
    # Nothing is sent: construction only. The port is closed on purpose.
    sync = Client(token="surface-test", base_url="http://127.0.0.1:9")
    aio = AsyncClient(token="surface-test", base_url="http://127.0.0.1:9")
    try:
        yield sync, aio
    finally:
        sync.close()
        asyncio.run(aio.aclose())


def test_every_namespace_and_method_has_a_twin(clients: tuple[Client, AsyncClient]) -> None:
    sync, aio = clients
    pairs = list(_pairs(sync, aio, "client"))
    assert [p for p, _, _ in pairs][:2] == ["client", "client.dlq"]
    for path, sync_obj, async_obj in pairs:
        sync_api, async_api = _methods(sync_obj), _methods(async_obj)
        assert set(sync_api) - SYNC_ONLY == set(async_api) - ASYNC_ONLY, path
        for name in set(sync_api) - SYNC_ONLY:
            where = f"{path}.{name}"
            sync_fn, async_fn = sync_api[name], async_api[name]
            sync_params = inspect.signature(sync_fn).parameters
            async_params = inspect.signature(async_fn).parameters
            assert list(sync_params) == list(async_params), where
            for param, sync_param in sync_params.items():
                # A sync method takes what its async twin takes, except async iterables.
                expected = str(async_params[param]).replace(" | AsyncIterable[TriggerRequest | TriggerRequestDict]", "")
                assert str(sync_param) == expected, f"{where}({param})"
            assert (inspect.getdoc(sync_fn) or "").strip(), f"{where} has no docstring"
            if inspect.isasyncgenfunction(async_fn):
                assert inspect.isgeneratorfunction(sync_fn), where
            else:
                assert inspect.iscoroutinefunction(async_fn), where
                assert not inspect.iscoroutinefunction(sync_fn), where
                assert inspect.getdoc(sync_fn) == inspect.getdoc(async_fn), where
