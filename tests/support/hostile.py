"""Helpers shared by tests/test_hostile_*.py: run one operation on a sync or async client."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

from tests.support.waits import RecordingPolicy
from upstash_workflow.rest import AsyncClient, Client, RetryPolicy

MODES = ["sync", "async"]
TOKEN = "hostile-test-token-Zq8x"


def run(mode: str, url: str, op: Callable[[Any], Any], sleeps: list[float] | None = None, **kw: Any) -> Any:
    """``op(client)`` on a fresh Client or AsyncClient for ``url``; with ``sleeps``, the retry waits
    the policy computes are recorded there instead of slept (`RecordingPolicy`)."""
    kw.setdefault("token", TOKEN)
    kw.setdefault("base_url", url)
    if sleeps is not None:
        kw["retry_policy"] = RecordingPolicy(max_retries=kw.pop("max_retries", RetryPolicy().max_retries), waits=sleeps)
    if mode == "sync":
        with Client(**kw) as client:
            return op(client)

    async def main() -> Any:
        async with AsyncClient(**kw) as client:
            result = op(client)
            return await result if inspect.isawaitable(result) else result

    return asyncio.run(main())
