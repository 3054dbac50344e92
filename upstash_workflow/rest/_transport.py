"""httpcore connection pools as httpx transports, for the httpx clients this package creates.

httpx's own transports take no network backend, and the whole-call deadline needs one
(`_deadline.SyncBackend`), so `_http` builds the pools with public httpcore API and these adapters
put them behind httpx's public transport interface: an ``httpx.Request`` becomes an
``httpcore.Request``, the response streams through, and httpcore's exceptions become httpx's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import NoReturn

import httpcore
import httpx

# httpcore's exceptions and the httpx ones they stand for, looked up along the raised class's MRO.
_ERRORS: dict[type[Exception], type[httpx.TransportError]] = {
    httpcore.PoolTimeout: httpx.PoolTimeout,
    httpcore.ConnectTimeout: httpx.ConnectTimeout,
    httpcore.ReadTimeout: httpx.ReadTimeout,
    httpcore.WriteTimeout: httpx.WriteTimeout,
    httpcore.TimeoutException: httpx.TimeoutException,
    httpcore.ConnectError: httpx.ConnectError,
    httpcore.ReadError: httpx.ReadError,
    httpcore.WriteError: httpx.WriteError,
    httpcore.NetworkError: httpx.NetworkError,
    httpcore.ProxyError: httpx.ProxyError,
    httpcore.UnsupportedProtocol: httpx.UnsupportedProtocol,
    httpcore.RemoteProtocolError: httpx.RemoteProtocolError,
    httpcore.LocalProtocolError: httpx.LocalProtocolError,
    httpcore.ProtocolError: httpx.ProtocolError,
}
_CORE_ERRORS = tuple(_ERRORS)

SyncPool = httpcore.ConnectionPool | httpcore.HTTPProxy | httpcore.SOCKSProxy
AsyncPool = httpcore.AsyncConnectionPool | httpcore.AsyncHTTPProxy | httpcore.AsyncSOCKSProxy


def _raise_as_httpx(exc: Exception, request: httpx.Request | None) -> NoReturn:
    for cls in type(exc).__mro__:
        if cls in _ERRORS:
            raise _ERRORS[cls](str(exc), request=request) from exc
    raise exc  # not reached: only the classes in _ERRORS are caught


def _core_request(request: httpx.Request) -> httpcore.Request:
    url = request.url
    return httpcore.Request(
        method=request.method,
        url=httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path),
        headers=request.headers.raw,
        content=request.stream,
        extensions=request.extensions,
    )


def _httpx_response(response: httpcore.Response, body: httpx.SyncByteStream | httpx.AsyncByteStream) -> httpx.Response:
    return httpx.Response(response.status, headers=response.headers, stream=body, extensions=response.extensions)


class _SyncBody(httpx.SyncByteStream):
    def __init__(self, response: httpcore.Response, request: httpx.Request) -> None:
        self._response = response
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._response.iter_stream()
        except _CORE_ERRORS as exc:
            _raise_as_httpx(exc, self._request)

    def close(self) -> None:
        try:
            self._response.close()
        except _CORE_ERRORS as exc:
            _raise_as_httpx(exc, self._request)


class _AsyncBody(httpx.AsyncByteStream):
    def __init__(self, response: httpcore.Response, request: httpx.Request) -> None:
        self._response = response
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for part in self._response.aiter_stream():
                yield part
        except _CORE_ERRORS as exc:
            _raise_as_httpx(exc, self._request)

    async def aclose(self) -> None:
        try:
            await self._response.aclose()
        except _CORE_ERRORS as exc:
            _raise_as_httpx(exc, self._request)


class SyncTransport(httpx.BaseTransport):
    """An httpcore pool (direct or through a proxy) as the transport of an ``httpx.Client``."""

    def __init__(self, pool: SyncPool) -> None:
        self._core = pool

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = self._core.handle_request(_core_request(request))
        except _CORE_ERRORS as exc:
            _raise_as_httpx(exc, request)
        return _httpx_response(response, _SyncBody(response, request))

    def close(self) -> None:
        self._core.close()


class AsyncTransport(httpx.AsyncBaseTransport):
    """An httpcore async pool as the transport of an ``httpx.AsyncClient``."""

    def __init__(self, pool: AsyncPool) -> None:
        self._core = pool

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await self._core.handle_async_request(_core_request(request))
        except _CORE_ERRORS as exc:
            _raise_as_httpx(exc, request)
        return _httpx_response(response, _AsyncBody(response, request))

    async def aclose(self) -> None:
        await self._core.aclose()
