"""Helpers shared by tests/test_hostile_*.py: run one operation on a sync or async client."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

from upstash_workflow.rest import AsyncClient, Client

MODES = ["sync", "async"]
TOKEN = "hostile-test-token-Zq8x"


def run(mode: str, url: str, op: Callable[[Any], Any], sleeps: list[float] | None = None, **kw: Any) -> Any:
    """``op(client)`` on a fresh Client or AsyncClient for ``url``; with ``sleeps``, retry waits are
    recorded there instead of slept."""
    kw.setdefault("token", TOKEN)
    kw.setdefault("base_url", url)
    if mode == "sync":
        with Client(**kw) as client:
            if sleeps is not None:
                client._sleep = sleeps.append
            return op(client)

    async def main() -> Any:
        async with AsyncClient(**kw) as client:
            if sleeps is not None:

                async def record(seconds: float) -> None:
                    sleeps.append(seconds)

                client._sleep = record
            result = op(client)
            return await result if inspect.isawaitable(result) else result

    return asyncio.run(main())
