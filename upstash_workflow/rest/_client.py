"""`Client` and `AsyncClient`.

Everything that does not touch the network lives in `_BaseClient` and in the pure builders of
`_calls`; the two clients differ only in `_execute` (send with retries) and in the page iterators.
Public methods are made from the builders by `_sync_method` / `_async_method`, so every signature
and docstring is written once, in `_calls`.
"""

from __future__ import annotations

import functools
import inspect
import logging
import os
import platform
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, Protocol, TypeVar

import httpx

from . import _calls, _calls_admin
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

    from ._results import DLQListResult, DLQMessage, WorkflowRunLog, WorkflowRunLogs

logger = logging.getLogger("upstash_workflow.rest")

P = ParamSpec("P")
T = TypeVar("T")
PageT = TypeVar("PageT")
ItemT = TypeVar("ItemT")
HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
MAX_PAGES = 1_000_000  # a bound on every page loop, far above any real history
MAX_IN_FLIGHT = 100  # httpx's default pool size (max_connections)
MAX_PARALLEL_PARTS = 4  # batches of one large trigger_many in flight at once (async)


class _SyncRunner(Protocol):
    _options: Options

    def _execute(self, call: Call[T]) -> T: ...


class _AsyncRunner(Protocol):
    _options: Options

    async def _execute(self, call: Call[T]) -> T: ...


def _as_method(method: Any, builder: Callable[..., Any], returns: str | None = None) -> None:
    """Give ``method`` the builder's name, docstring and signature as a user sees them: ``self``
    instead of the options, and the result type instead of ``Call[...]``."""
    functools.update_wrapper(method, builder)
    del method.__wrapped__  # inspect.signature must use __signature__, not follow the builder
    signature = inspect.signature(builder)
    params = list(signature.parameters.values())
    result = str(signature.return_annotation)
    result = result[len("Call[") : -1] if result.startswith("Call[") else result
    method.__signature__ = signature.replace(
        parameters=[inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY), *params[1:]],
        return_annotation=returns or result,
    )


def _item_type(items: Callable[..., Any]) -> str:
    """``WorkflowRunLog`` from an items function annotated ``-> list[WorkflowRunLog]``."""
    return str(inspect.signature(items).return_annotation).removeprefix("list[").removesuffix("]")


def _sync_method(
    builder: Callable[Concatenate[Options, P], Call[T]],
) -> Callable[Concatenate[_SyncRunner, P], T]:
    def method(self: _SyncRunner, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return self._execute(builder(self._options, *args, **kwargs))

    _as_method(method, builder)
    return method


def _async_method(
    builder: Callable[Concatenate[Options, P], Call[T]],
) -> Callable[Concatenate[_AsyncRunner, P], Coroutine[Any, Any, T]]:
    async def method(self: _AsyncRunner, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return await self._execute(builder(self._options, *args, **kwargs))

    _as_method(method, builder)
    return method


def _next_cursor(cursor: str | None, seen: set[str]) -> str | None:
    """The cursor to ask for next, or None when paging is over (also if the server repeats one)."""
    if not cursor or cursor in seen:
        return None
    seen.add(cursor)
    return cursor


def _sync_pages(
    builder: Callable[Concatenate[Options, P], Call[PageT]], items: Callable[[PageT], list[ItemT]]
) -> Callable[Concatenate[_SyncRunner, P], Iterator[ItemT]]:
    def method(self: _SyncRunner, /, *args: P.args, **kwargs: P.kwargs) -> Iterator[ItemT]:
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            page = self._execute(builder(self._options, *args, **kwargs))
            yield from items(page)
            if (cursor := _next_cursor(getattr(page, "cursor", None), seen)) is None:
                return
            kwargs["cursor"] = cursor

    _as_method(method, builder, f"Iterator[{_item_type(items)}]")
    method.__doc__ = f"Every item of every page of ``{builder.__name__}`` (same filters), pages fetched lazily."
    return method


def _async_pages(
    builder: Callable[Concatenate[Options, P], Call[PageT]], items: Callable[[PageT], list[ItemT]]
) -> Callable[Concatenate[_AsyncRunner, P], AsyncIterator[ItemT]]:
    async def method(self: _AsyncRunner, /, *args: P.args, **kwargs: P.kwargs) -> AsyncIterator[ItemT]:
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            page = await self._execute(builder(self._options, *args, **kwargs))
            for item in items(page):
                yield item
            if (cursor := _next_cursor(getattr(page, "cursor", None), seen)) is None:
                return
            kwargs["cursor"] = cursor

    _as_method(method, builder, f"AsyncIterator[{_item_type(items)}]")
    method.__doc__ = f"``async for`` over every item of every page of ``{builder.__name__}`` (same filters)."
    return method


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


def _runs(page: WorkflowRunLogs) -> list[WorkflowRunLog]:
    return page.runs


def _messages(page: DLQListResult) -> list[DLQMessage]:
    return page.messages


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


class Client(_BaseClient[httpx.Client]):
    """Synchronous Upstash Workflow client.

    ``Client()`` reads QSTASH_TOKEN / QSTASH_URL (and QSTASH_REGION with ``<REGION>_QSTASH_URL`` /
    ``_TOKEN``) like the TS client; arguments win. ``headers`` are forwarded to every triggered run
    (as in TS, they are not sent on other calls). ``http_client`` lets you bring your own
    ``httpx.Client`` (proxies, transports); it is not closed by us. Use as a context manager or call
    ``close()``.
    """

    def _new_http_client(self) -> httpx.Client:
        return _without_cookies(httpx.Client(timeout=self._timeout))

    def _setup_io(self) -> None:
        self._sleep: Callable[[float], None] = time.sleep
        self.dlq = DLQ(self)
        self.flow_control = FlowControlManager(self)
        self.signing_keys = SigningKeyManager(self)

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

    trigger = _sync_method(_calls.trigger)
    trigger_many = _sync_method(_calls.trigger_many)
    cancel = _sync_method(_calls.cancel)
    notify = _sync_method(_calls.notify)
    get_waiters = _sync_method(_calls.get_waiters)
    logs = _sync_method(_calls.logs)
    iter_logs = _sync_pages(_calls.logs, _runs)


class AsyncClient(_BaseClient[httpx.AsyncClient]):
    """Asynchronous Upstash Workflow client: the methods of `Client` as coroutines, ``async for`` over
    ``iter_logs`` / ``dlq.iter``. Use ``async with`` or ``await client.aclose()``."""

    def _new_http_client(self) -> httpx.AsyncClient:
        return _without_cookies(httpx.AsyncClient(timeout=self._timeout))

    def _setup_io(self) -> None:
        import asyncio  # here, not at module level: it costs ~40 ms to import and sync users never need it

        self._sleep: Callable[[float], Coroutine[Any, Any, None]] = asyncio.sleep
        # httpcore's pool does work per queued request for every state change, so thousands of
        # requests queued at once cost O(n^2) (1,000 concurrent calls took 25 s). Queueing them
        # here instead, at most as many in flight as the pool has connections, keeps it linear.
        self._in_flight = asyncio.Semaphore(MAX_IN_FLIGHT)
        self.dlq = AsyncDLQ(self)
        self.flow_control = AsyncFlowControlManager(self)
        self.signing_keys = AsyncSigningKeyManager(self)

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

    trigger = _async_method(_calls.trigger)
    trigger_many = _async_method(_calls.trigger_many)
    cancel = _async_method(_calls.cancel)
    notify = _async_method(_calls.notify)
    get_waiters = _async_method(_calls.get_waiters)
    logs = _async_method(_calls.logs)
    iter_logs = _async_pages(_calls.logs, _runs)


class DLQ:
    """``client.dlq``: the workflow dead-letter queue."""

    def __init__(self, client: Client) -> None:
        self._client = client
        self._options = client._options

    def _execute(self, call: Call[T]) -> T:
        return self._client._execute(call)

    list = _sync_method(_calls.dlq_list)
    iter = _sync_pages(_calls.dlq_list, _messages)
    resume = _sync_method(_calls.dlq_resume)
    restart = _sync_method(_calls.dlq_restart)
    retry_failure_function = _sync_method(_calls.dlq_retry_failure_function)
    delete = _sync_method(_calls.dlq_delete)
    get = _sync_method(_calls_admin.dlq_get)
    cancel_failure_callback = _sync_method(_calls_admin.dlq_cancel_failure_callback)


class AsyncDLQ:
    """``async_client.dlq``: the workflow dead-letter queue, as coroutines."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client
        self._options = client._options

    async def _execute(self, call: Call[T]) -> T:
        return await self._client._execute(call)

    list = _async_method(_calls.dlq_list)
    iter = _async_pages(_calls.dlq_list, _messages)
    resume = _async_method(_calls.dlq_resume)
    restart = _async_method(_calls.dlq_restart)
    retry_failure_function = _async_method(_calls.dlq_retry_failure_function)
    delete = _async_method(_calls.dlq_delete)
    get = _async_method(_calls_admin.dlq_get)
    cancel_failure_callback = _async_method(_calls_admin.dlq_cancel_failure_callback)


class _SyncNamespace:
    """A group of methods on ``client.<name>``, sent through the client's own `_execute`."""

    def __init__(self, client: Client) -> None:
        self._client = client
        self._options = client._options

    def _execute(self, call: Call[T]) -> T:
        return self._client._execute(call)


class _AsyncNamespace:
    """A group of coroutine methods on ``async_client.<name>``."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client
        self._options = client._options

    async def _execute(self, call: Call[T]) -> T:
        return await self._client._execute(call)


class FlowControlManager(_SyncNamespace):
    """``client.flow_control``: flow-control keys (wait lists, pause, pinned limits) and global
    parallelism, as ``@upstash/qstash``'s ``client.flowControl``."""

    list = _sync_method(_calls_admin.flow_control_list)
    get = _sync_method(_calls_admin.flow_control_get)
    pause = _sync_method(_calls_admin.flow_control_pause)
    resume = _sync_method(_calls_admin.flow_control_resume)
    pin = _sync_method(_calls_admin.flow_control_pin)
    unpin = _sync_method(_calls_admin.flow_control_unpin)
    reset_rate = _sync_method(_calls_admin.flow_control_reset_rate)
    global_parallelism = _sync_method(_calls_admin.global_parallelism)


class AsyncFlowControlManager(_AsyncNamespace):
    """``async_client.flow_control``: the methods of `FlowControlManager` as coroutines."""

    list = _async_method(_calls_admin.flow_control_list)
    get = _async_method(_calls_admin.flow_control_get)
    pause = _async_method(_calls_admin.flow_control_pause)
    resume = _async_method(_calls_admin.flow_control_resume)
    pin = _async_method(_calls_admin.flow_control_pin)
    unpin = _async_method(_calls_admin.flow_control_unpin)
    reset_rate = _async_method(_calls_admin.flow_control_reset_rate)
    global_parallelism = _async_method(_calls_admin.global_parallelism)


class SigningKeyManager(_SyncNamespace):
    """``client.signing_keys``: the keys QStash signs deliveries with."""

    get = _sync_method(_calls_admin.signing_keys_get)
    rotate = _sync_method(_calls_admin.signing_keys_rotate)


class AsyncSigningKeyManager(_AsyncNamespace):
    """``async_client.signing_keys``: the methods of `SigningKeyManager` as coroutines."""

    get = _async_method(_calls_admin.signing_keys_get)
    rotate = _async_method(_calls_admin.signing_keys_rotate)
