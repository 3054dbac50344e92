"""The I/O cores of `Client` and `AsyncClient`.

Everything that does not touch the network lives in `_BaseClient` and in the pure builders of
`_calls`; the two cores differ only in `_execute` (send with retries), `_pages` and closing. The public
classes, with one method per operation, are generated from the builders into `_api`
(scripts/generate_methods.py), so every signature and docstring is written once, on its builder.
"""

from __future__ import annotations

import logging
import os
import platform
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from ._calls import Call, Options, read_response
from ._config import resolve_credentials, warn_if_insecure
from ._errors import APIConnectionError, APIStatusError, APITimeoutError, WorkflowError
from ._retry import RetryPolicy
from ._trigger import forwardable_global_headers
from ._validate import non_negative_int
from ._version import __version__

if TYPE_CHECKING:
    from typing_extensions import Self
    from upstash_workflow_api import AuthenticatedClient

logger = logging.getLogger("upstash_workflow.rest")

T = TypeVar("T")
HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
MAX_PAGES = 1_000_000  # a bound on every page loop, far above any real history
MAX_IN_FLIGHT = 100  # httpx's default pool size (max_connections)
MAX_PARALLEL_PARTS = 4  # batches of one large trigger_many in flight at once (async)


def _next_cursor(cursor: str | None, seen: set[str]) -> str | None:
    """The cursor to ask for next, or None when paging is over (also if the server repeats one)."""
    if not cursor or cursor in seen:
        return None
    seen.add(cursor)
    return cursor


class _SyncRunner:
    """What the generated methods of a sync class use: its options, ``_execute`` and ``_pages``."""

    _options: Options

    def _execute(self, call: Call[T]) -> T:
        raise NotImplementedError

    def _pages(self, build: Callable[..., Call[Any]], kwargs: dict[str, Any], items: str) -> Iterator[Any]:
        """Every item (``page.<items>``) of every page ``build`` plans, following the cursor."""
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            page = self._execute(build(self._options, **kwargs))
            yield from getattr(page, items)
            if (cursor := _next_cursor(getattr(page, "cursor", None), seen)) is None:
                return
            kwargs["cursor"] = cursor


class _AsyncRunner:
    """What the generated methods of an async class use: its options, ``_execute`` and ``_pages``."""

    _options: Options

    async def _execute(self, call: Call[T]) -> T:
        raise NotImplementedError

    async def _pages(self, build: Callable[..., Call[Any]], kwargs: dict[str, Any], items: str) -> AsyncIterator[Any]:
        """``async for`` over every item (``page.<items>``) of every page ``build`` plans."""
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            page = await self._execute(build(self._options, **kwargs))
            for item in getattr(page, items):
                yield item
            if (cursor := _next_cursor(getattr(page, "cursor", None), seen)) is None:
                return
            kwargs["cursor"] = cursor


def _with_started_runs(error: WorkflowError, call: Call[Any], done: list[Any]) -> None:
    """Tell the caller of a multi-batch trigger which runs did start before ``error``."""
    error.started_runs = call.combine(done) if call.combine else done  # type: ignore[attr-defined]


class _NoCookies(httpx.Cookies):
    """A cookie jar that keeps nothing. The QStash API authenticates with a bearer token and sets no
    cookies, and an API client should not replay cookies that some proxy set. httpx parses every
    response's cookies through urllib adapters, which cost about 30 µs a request: more than all of
    this client's own work."""

    def extract_cookies(self, response: httpx.Response) -> None:
        pass

    def set_cookie_header(self, request: httpx.Request) -> None:
        pass


def _without_cookies(client: HttpT) -> HttpT:
    """Give a client we own a `_NoCookies` jar. httpx has no public switch for this (its ``cookies=``
    argument still runs the adapters), so the private attribute is set, only where it exists."""
    if isinstance(getattr(client, "_cookies", None), httpx.Cookies):
        client._cookies = _NoCookies()
    return client


def _telemetry(disable: bool, environ: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """(per-message, client-level) telemetry headers, mirroring the TS client's two layers."""
    if disable or environ.get("UPSTASH_DISABLE_TELEMETRY"):
        return {}, {}
    message = {
        "upstash-telemetry-sdk": f"upstash-workflow-client@{__version__}",
        "upstash-telemetry-framework": "unknown",
        "upstash-telemetry-runtime": "unknown",
    }
    client = {
        "upstash-telemetry-sdk": f"httpx@{httpx.__version__}",
        "upstash-telemetry-runtime": f"python@{platform.python_version()}",
    }
    platform_name = "vercel" if environ.get("VERCEL") else "aws" if environ.get("AWS_REGION") else ""
    if platform_name:
        client["upstash-telemetry-platform"] = platform_name
    return message, client


class _BaseClient(Generic[HttpT]):
    """Configuration, request preparation and the retry decision, shared by both clients, which
    differ only in their httpx client type (``HttpT``), `_setup_io` and the I/O methods."""

    def __init__(
        self,
        token: str | None = None,
        base_url: str | None = None,
        *,
        max_retries: int = 5,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
        disable_telemetry: bool = False,
        http_client: HttpT | None = None,
        retry_policy: RetryPolicy | None = None,
    ) -> None:
        """Configure a client; nothing is sent until a method is called.

        Args:
            token: the QStash token (default: ``QSTASH_TOKEN``; ``ConfigurationError`` when none).
            base_url: the QStash URL (default: ``QSTASH_URL``, else ``https://qstash.upstash.io``).
                ``QSTASH_REGION`` selects ``<REGION>_QSTASH_URL``/``_TOKEN`` unless both are given.
            max_retries: retries after the first attempt for connection errors, 429 and 502-504
                (0 disables them).
            timeout: seconds or an ``httpx.Timeout`` (default: 30 s, 10 s to connect).
            headers: forwarded to every triggered run, as the TS client's ``headers``.
            disable_telemetry: send no ``upstash-telemetry-*`` headers.
            http_client: your own ``httpx.Client`` / ``httpx.AsyncClient``; you close it.
            retry_policy: full control of retries (overrides ``max_retries``).
        """
        credentials = resolve_credentials(token, base_url)
        self._base_url = credentials.base_url
        self._token = credentials.token
        warn_if_insecure(self._base_url)
        if retry_policy is None:
            retry_policy = RetryPolicy(max_retries=non_negative_int(max_retries, "max_retries"))
        self._policy = retry_policy
        self._timeout: httpx.Timeout = DEFAULT_TIMEOUT if timeout is None else httpx.Timeout(timeout)
        message_telemetry, client_telemetry = _telemetry(disable_telemetry, os.environ)
        self._options = Options(
            global_headers=forwardable_global_headers(headers or {}),
            message_telemetry=message_telemetry,
            client_telemetry=client_telemetry,
        )
        self._api: AuthenticatedClient | None = None
        self._owns_http = http_client is None
        self._http: HttpT = http_client if http_client is not None else self._new_http_client()
        self._setup_io()

    def _new_http_client(self) -> HttpT:
        raise NotImplementedError

    def _setup_io(self) -> None:
        raise NotImplementedError

    def _setup_namespaces(self) -> None:
        """Create the namespaces (``self.dlq`` ...); the generated public classes override this."""

    @property
    def base_url(self) -> str:
        """The QStash URL requests go to."""
        return self._base_url

    @property
    def api(self) -> AuthenticatedClient:
        """The generated low-level client (`upstash_workflow_api`), configured with the same base URL,
        token and timeout, for raw calls such as ``get_waiters.sync_detailed(..., client=client.api)``."""
        if self._api is None:
            from upstash_workflow_api import AuthenticatedClient

            self._api = AuthenticatedClient(base_url=self._base_url, token=self._token, timeout=self._timeout)
        return self._api

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._base_url!r}, max_retries={self._policy.max_retries})"

    def _prepare(self, call: Call[Any]) -> dict[str, Any]:
        """httpx request arguments: the generated ones, made absolute, plus the bearer token."""
        assert call.request is not None
        kwargs = dict(call.request)
        kwargs["url"] = self._base_url + kwargs["url"]
        kwargs["headers"] = {**kwargs.get("headers", {}), "Authorization": f"Bearer {self._token}"}
        return kwargs

    @staticmethod
    def _connection_error(exc: httpx.TransportError, request: httpx.Request) -> APIConnectionError:
        target = f"{request.method} {request.url.copy_with(query=None)}"
        sent = not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
        cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
        error = cls(
            f"{target} failed: {type(exc).__name__}: {exc or 'no details'}",
            method=request.method,
            url=str(request.url),
            request_sent=sent,
        )
        error.__cause__ = exc
        return error

    def _delay_or_raise(
        self, call: Call[Any], failure: httpx.TransportError | APIStatusError, retries_done: int, request: httpx.Request
    ) -> float:
        """Seconds to wait before the next attempt; raises the typed error when ``failure`` is final.
        (The retry loops in Client and AsyncClient are the only I/O-specific part around this.)"""
        error = self._connection_error(failure, request) if isinstance(failure, httpx.TransportError) else failure
        if not self._policy.should_retry(error, retries_done, idempotent=call.idempotent):
            raise error from error.__cause__
        delay = self._policy.delay(error, retries_done)
        logger.debug(
            "%s %s failed (%s); retry %d/%d in %.2f s",
            request.method,
            request.url.copy_with(query=None),
            error,
            retries_done + 1,
            self._policy.max_retries,
            delay,
        )
        return delay


class _SyncCore(_BaseClient[httpx.Client], _SyncRunner):
    """The I/O of `Client` (its public methods are generated into `_api`): send with retries, close."""

    def _new_http_client(self) -> httpx.Client:
        return _without_cookies(httpx.Client(timeout=self._timeout))

    def _setup_io(self) -> None:
        self._sleep: Callable[[float], None] = time.sleep
        self._setup_namespaces()

    def _execute(self, call: Call[T]) -> T:
        if call.parts:
            done: list[Any] = []
            for part in call.parts:
                try:
                    done.append(self._execute(part))
                except WorkflowError as exc:
                    _with_started_runs(exc, call, done)
                    raise
            return call.combine(done)  # type: ignore[misc]
        if call.request is None:
            return call.immediate  # type: ignore[return-value]
        request = self._http.build_request(**self._prepare(call))
        for retries_done in range(self._policy.max_retries + 1):
            try:
                return read_response(call, self._http.send(request))
            except (httpx.TransportError, APIStatusError) as exc:
                delay = self._delay_or_raise(call, exc, retries_done, request)
            self._sleep(delay)
        raise AssertionError("unreachable: the last attempt always raises or returns")

    def close(self) -> None:
        """Close the connection pool (not a user-supplied ``http_client``)."""
        if self._owns_http:
            self._http.close()
        if self._api is not None:
            self._api.get_httpx_client().close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class _AsyncCore(_BaseClient[httpx.AsyncClient], _AsyncRunner):
    """The I/O of `AsyncClient` (its public methods are generated into `_api`): send with retries, close."""

    def _new_http_client(self) -> httpx.AsyncClient:
        return _without_cookies(httpx.AsyncClient(timeout=self._timeout))

    def _setup_io(self) -> None:
        import asyncio  # here, not at module level: it costs ~40 ms to import and sync users never need it

        self._sleep: Callable[[float], Coroutine[Any, Any, None]] = asyncio.sleep
        # httpcore's pool does work per queued request for every state change, so thousands of
        # requests queued at once cost O(n^2) (1,000 concurrent calls took 25 s). Queueing them
        # here instead, at most as many in flight as the pool has connections, keeps it linear.
        self._in_flight = asyncio.Semaphore(MAX_IN_FLIGHT)
        self._setup_namespaces()

    async def _execute(self, call: Call[T]) -> T:
        if call.parts:
            import asyncio

            limit = asyncio.Semaphore(MAX_PARALLEL_PARTS)

            async def one(part: Call[Any]) -> Any:
                async with limit:
                    return await self._execute(part)

            outcomes = await asyncio.gather(*(one(p) for p in call.parts), return_exceptions=True)
            failures = [o for o in outcomes if isinstance(o, BaseException)]
            if failures:
                done = [o for o in outcomes if not isinstance(o, BaseException)]
                first = failures[0]
                if isinstance(first, WorkflowError):
                    _with_started_runs(first, call, done)
                raise first
            return call.combine(list(outcomes))  # type: ignore[misc]
        if call.request is None:
            return call.immediate  # type: ignore[return-value]
        request = self._http.build_request(**self._prepare(call))
        for retries_done in range(self._policy.max_retries + 1):
            try:
                async with self._in_flight:
                    response = await self._http.send(request)
                return read_response(call, response)
            except (httpx.TransportError, APIStatusError) as exc:
                delay = self._delay_or_raise(call, exc, retries_done, request)
            await self._sleep(delay)
        raise AssertionError("unreachable: the last attempt always raises or returns")

    async def aclose(self) -> None:
        """Close the connection pool (not a user-supplied ``http_client``)."""
        if self._owns_http:
            await self._http.aclose()
        if self._api is not None:
            await self._api.get_async_httpx_client().aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()


class _SyncNamespace(_SyncRunner):
    """A group of methods reached through a client attribute (``client.dlq``), sent by that client."""

    def __init__(self, client: _SyncCore) -> None:
        self._client = client
        self._options = client._options

    def _execute(self, call: Call[T]) -> T:
        return self._client._execute(call)


class _AsyncNamespace(_AsyncRunner):
    """A group of coroutine methods reached through an `AsyncClient` attribute (``client.dlq``)."""

    def __init__(self, client: _AsyncCore) -> None:
        self._client = client
        self._options = client._options

    async def _execute(self, call: Call[T]) -> T:
        return await self._client._execute(call)
