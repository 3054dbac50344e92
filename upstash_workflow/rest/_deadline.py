"""The whole-call deadline: one bound on connect, send, every read, all retries and their sleeps.

httpx's timeouts are per operation, so a server that sends its answer one byte a second never trips
them. Every call therefore sets a deadline (monotonic seconds) in a context variable, and:

- each attempt's httpx timeouts are capped to the time left (`attempt_timeouts`);
- the network streams of the httpx clients we create consult it on every connect, read and write
  (the backends below, on which `_http` builds their httpcore pools), so a dripping server ends in a
  timeout at the deadline, sync and async alike;
- the body-reading loop checks it between chunks (`check`), which bounds a body dripped through an
  ``http_client`` of your own;
- the retry loop never sleeps past it (`Deadline.allows_sleep`).

A context variable reaches httpcore's streams without threading an argument through httpx, is
per-thread for `Client` and per-task for `AsyncClient`, and costs well under a microsecond a read.
Outside this package's calls it is unset, and the streams behave as httpcore's own.
"""

from __future__ import annotations

import contextvars
import math
import time
from typing import Any

import attrs
import httpcore
import httpx

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("upstash_workflow_deadline", default=None)


@attrs.frozen
class Deadline:
    """``at``: the monotonic time the call must be over by (``math.inf``: no bound)."""

    at: float
    seconds: float

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def allows_sleep(self, seconds: float) -> bool:
        return time.monotonic() + seconds < self.at


def start(seconds: float) -> tuple[Deadline, contextvars.Token[float | None]]:
    """Begin a call bounded by ``seconds``; a call made inside another one (the batches of a large
    ``trigger_many``) keeps the outer, earlier deadline."""
    at = time.monotonic() + seconds
    outer = _deadline.get()
    if outer is not None and outer < at:
        at = outer
    return Deadline(at, seconds), _deadline.set(at)


def end(token: contextvars.Token[float | None]) -> None:
    _deadline.reset(token)


def attempt_timeouts(configured: dict[str, float | None], deadline: Deadline) -> dict[str, float | None]:
    """httpx's per-phase timeouts for one attempt, none longer than the time left (at least 1 ms,
    so that an expired deadline still fails as a timeout inside httpx rather than hanging)."""
    left = max(deadline.remaining(), 0.001)
    if math.isinf(left):
        return configured
    return {phase: left if value is None else min(value, left) for phase, value in configured.items()}


def check() -> None:
    """Raise ``httpx.ReadTimeout`` once the current call's deadline has passed."""
    _left(None, httpx.ReadTimeout)


def _left(timeout: float | None, exc: type[Exception]) -> float | None:
    """``timeout`` capped to the current call's deadline; raises ``exc`` once it has passed."""
    at = _deadline.get()
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise exc("the call's deadline passed")
    return left if timeout is None or timeout > left else timeout


class _SyncStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> Any:
        return _SyncStream(self._inner.start_tls(ssl_context, server_hostname, _left(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _AsyncStream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, _left(timeout, httpcore.WriteTimeout))

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> Any:
        stream = await self._inner.start_tls(ssl_context, server_hostname, _left(timeout, httpcore.ConnectTimeout))
        return _AsyncStream(stream)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class SyncBackend(httpcore.NetworkBackend):
    """``inner`` (httpcore's own backend), its connects and streams bounded by the call's deadline."""

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        limit = _left(timeout, httpcore.ConnectTimeout)
        return _SyncStream(self._inner.connect_tcp(host, port, limit, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        limit = _left(timeout, httpcore.ConnectTimeout)
        return _SyncStream(self._inner.connect_unix_socket(path, limit, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class AsyncBackend(httpcore.AsyncNetworkBackend):
    """``inner``, its connects and streams bounded by the call's deadline (for `AsyncClient`)."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        limit = _left(timeout, httpcore.ConnectTimeout)
        return _AsyncStream(await self._inner.connect_tcp(host, port, limit, local_address, socket_options))

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.AsyncNetworkStream:
        limit = _left(timeout, httpcore.ConnectTimeout)
        return _AsyncStream(await self._inner.connect_unix_socket(path, limit, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
