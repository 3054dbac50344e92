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

from . import _calls, _calls_admin, _deadline, _fanout
from ._calls import Call, Options, read_body
from ._config import resolve_credentials, warn_if_insecure
from ._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    ClientClosedError,
    ClientStateError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    ResponseTooLargeError,
)
from ._limits import (
    ACCEPT_ENCODING,
    DEFAULT_MAX_RESPONSE_BYTES,
    ERROR_BODY_LIMIT,
    BodyError,
    BodyReader,
    read_async,
    read_sync,
)
from ._retry import RetryPolicy
from ._trigger import forwardable_global_headers
from ._validate import boolean, non_negative_int, positive_int, seconds
from ._version import __version__

if TYPE_CHECKING:
    from typing_extensions import Self
    from upstash_workflow_api import AuthenticatedClient

    from ._fanout import TriggerOutcome, TriggerStream
    from ._results import DLQListResult, DLQMessage, WorkflowRunLog, WorkflowRunLogs

logger = logging.getLogger("upstash_workflow.rest")

P = ParamSpec("P")
T = TypeVar("T")
PageT = TypeVar("PageT")
ItemT = TypeVar("ItemT")
HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
DEFAULT_DEADLINE = 120.0  # the whole call, retries included, when `timeout` is not a number
MAX_PAGES = 1_000_000  # a bound on every page loop, far above any real history
MAX_IN_FLIGHT = 100  # httpx's default pool size (max_connections)


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


def _sync_stream(
    builder: Callable[Concatenate[Options, P], TriggerStream],
) -> Callable[Concatenate[Client, P], Iterator[TriggerOutcome]]:
    def method(self: Client, /, *args: P.args, **kwargs: P.kwargs) -> Iterator[TriggerOutcome]:
        plan = builder(self._options, *args, **kwargs)  # like iter_logs: checked at the first next()
        yield from _fanout.send_batches(self._execute, plan.batcher.batches(plan.requests))  # type: ignore[arg-type]

    _as_method(method, builder, "Iterator[TriggerOutcome]")
    return method


def _async_stream(
    builder: Callable[Concatenate[Options, P], TriggerStream],
) -> Callable[Concatenate[AsyncClient, P], AsyncIterator[TriggerOutcome]]:
    async def method(self: AsyncClient, /, *args: P.args, **kwargs: P.kwargs) -> AsyncIterator[TriggerOutcome]:
        plan = builder(self._options, *args, **kwargs)
        outcomes = _fanout.asend_batches(self._execute, plan.batcher.abatches(plan.requests))
        try:
            async for outcome in outcomes:
                yield outcome
        finally:
            await outcomes.aclose()  # type: ignore[attr-defined]

    _as_method(method, builder, "AsyncIterator[TriggerOutcome]")
    return method


def _unlinked(response: httpx.Response) -> httpx.Response:
    """A read response, no longer linked both ways with its stream. httpx's Response.stream refers
    back to the response, so every finished response, with the request and the request body it
    holds, waited for a full run of the cyclic garbage collector; a million-run trigger_stream kept
    tens of MB of sent bodies that way. Called once the body has been read and the response closed."""
    response.stream = httpx.ByteStream(b"")
    return response


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


def _timeouts(timeout: object, deadline: object) -> tuple[httpx.Timeout, float]:
    """(per-phase httpx timeouts, whole-call deadline in seconds). A number is both: every phase and
    the whole call; an ``httpx.Timeout`` sets the phases, ``deadline`` (default 120 s) the call."""
    if deadline is not None:
        deadline = seconds(deadline, "deadline", allow_zero=False, allow_inf=True)
    if timeout is None:
        return DEFAULT_TIMEOUT, DEFAULT_DEADLINE if deadline is None else deadline
    if isinstance(timeout, httpx.Timeout):
        for phase, value in timeout.as_dict().items():
            if value is not None:
                seconds(value, f"timeout.{phase}", allow_zero=False)
        return timeout, DEFAULT_DEADLINE if deadline is None else deadline
    if not isinstance(timeout, int | float) or isinstance(timeout, bool):
        raise InvalidArgumentTypeError(f"timeout must be seconds or an httpx.Timeout, got {type(timeout).__name__}")
    number = seconds(timeout, "timeout", allow_zero=False)
    return httpx.Timeout(number), number if deadline is None else deadline


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
        deadline: float | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        coalesce_triggers: bool = True,
    ) -> None:
        """Configure a client; nothing is sent until a method is called.

        Args:
            token: the QStash token (default: ``QSTASH_TOKEN``; ``ConfigurationError`` when none).
            base_url: the QStash URL (default: ``QSTASH_URL``, else ``https://qstash.upstash.io``).
                ``QSTASH_REGION`` selects ``<REGION>_QSTASH_URL``/``_TOKEN`` unless both are given.
            max_retries: retries after the first attempt for connection errors, 429 and 502-504
                (0 disables them).
            timeout: seconds: the most a whole call may take (connect, send, every read, all
                retries and their waits), and the limit of each phase; or an ``httpx.Timeout`` for
                per-phase limits, the whole call then bounded by ``deadline`` (default: 30 s per
                phase, 10 s to connect, 120 s per call).
            headers: forwarded to every triggered run, as the TS client's ``headers``.
            disable_telemetry: send no ``upstash-telemetry-*`` headers.
            http_client: your own ``httpx.Client`` / ``httpx.AsyncClient``; you close it.
            retry_policy: full control of retries (overrides ``max_retries``).
            deadline: seconds a whole call may take, overriding the default given by ``timeout``
                (``float("inf")``: no bound beyond the per-phase timeouts).
            max_response_bytes: the largest decoded response body accepted (default 32 MiB); a
                larger one raises ``ResponseTooLargeError`` while it streams in.
            coalesce_triggers: (``AsyncClient``) send the ``trigger`` calls made in the same
                event-loop iteration as one batch request; False sends each on its own.
        """
        credentials = resolve_credentials(token, base_url)
        self._base_url = credentials.base_url
        self._token = credentials.token
        warn_if_insecure(self._base_url)
        if retry_policy is None:
            retry_policy = RetryPolicy(max_retries=non_negative_int(max_retries, "max_retries"))
        elif not isinstance(retry_policy, RetryPolicy):
            raise InvalidArgumentTypeError(f"retry_policy must be a RetryPolicy, got {type(retry_policy).__name__}")
        self._policy = retry_policy
        self._timeout, self._deadline = _timeouts(timeout, deadline)
        self._phase_timeouts = self._timeout.as_dict()
        self._max_response_bytes = positive_int(max_response_bytes, "max_response_bytes")
        message_telemetry, client_telemetry = _telemetry(boolean(disable_telemetry, "disable_telemetry"), os.environ)
        self._options = Options(
            global_headers=forwardable_global_headers(headers or {}),
            message_telemetry=message_telemetry,
            client_telemetry=client_telemetry,
        )
        self._api: AuthenticatedClient | None = None
        self._owns_http = http_client is None
        if http_client is not None and not isinstance(http_client, self._http_type()):
            raise InvalidArgumentTypeError(
                f"http_client must be an httpx.{self._http_type().__name__}, got {type(http_client).__name__}"
            )
        self._coalesce_triggers = bool(coalesce_triggers)
        self._http: HttpT = http_client if http_client is not None else self._new_http_client()
        # The connections check each call's deadline at every read (see `_deadline`), yours too.
        self._streams_check_deadline = _deadline.install_on(self._http)
        self._setup_io()

    def _new_http_client(self) -> HttpT:
        return _without_cookies(self._http_type()(timeout=self._timeout))

    @classmethod
    def _http_type(cls) -> type[HttpT]:
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
        kwargs["headers"] = {
            **kwargs.get("headers", {}),
            "Authorization": f"Bearer {self._token}",
            "Accept-Encoding": ACCEPT_ENCODING,  # only what `_limits` decodes under its size cap
        }
        return kwargs

    def _start(self, call: Call[Any]) -> tuple[httpx.Request, _deadline.Deadline, Any]:
        """The request to send (refused if the client is closed), and the call's deadline."""
        if self._http.is_closed:
            raise ClientClosedError(f"This {type(self).__name__} is closed; create a new one to send requests.")
        try:
            request = self._http.build_request(**self._prepare(call))
        except (httpx.HTTPError, ValueError, TypeError) as exc:  # a safety net: validation should catch it first
            reason = str(exc).replace(self._token, _calls.REDACTED)
            raise InvalidArgumentError(f"The request cannot be built: {type(exc).__name__}: {reason}") from None
        deadline, token = _deadline.start(self._deadline)
        return request, deadline, token

    def _attempt_timeouts(self, request: httpx.Request, deadline: _deadline.Deadline) -> None:
        request.extensions["timeout"] = _deadline.attempt_timeouts(self._phase_timeouts, deadline)

    def _body_reader(self, response: httpx.Response) -> tuple[BodyReader, list[bytes] | None]:
        """A reader for a 2xx body up to max_response_bytes, for an error body up to its excerpt;
        and the body when a transport handed it over already read and decoded (httpx.MockTransport)."""
        ok = 200 <= response.status_code < 300
        limit = self._max_response_bytes if ok else min(self._max_response_bytes, ERROR_BODY_LIMIT)
        try:
            preread: list[bytes] | None = [response.content]
        except httpx.ResponseNotRead:
            return BodyReader(response.headers.get("content-encoding", ""), limit, truncate=not ok), None
        return BodyReader("", limit, truncate=not ok), preread

    def _finish(self, call: Call[T], response: httpx.Response, content: bytes | BodyError) -> T:
        """The result, or the typed error, from a response and its body (or why it could not be read)."""
        status = response.status_code
        if isinstance(content, BodyError):
            if 200 <= status < 300:
                cls = ResponseTooLargeError if content.too_large else APIResponseValidationError
                raise cls(f"The server answered {status}, but {content}", status=status, body="")
            content = b""  # an error status whose body cannot be read: the status still says what failed
        return read_body(call, status, response.headers, content, self._token)

    def _connection_error(
        self, exc: httpx.HTTPError, request: httpx.Request, deadline: _deadline.Deadline
    ) -> APIConnectionError:
        target = f"{request.method} {request.url.copy_with(query=None)}"
        sent = not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
        cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
        late = cls is APITimeoutError and deadline.remaining() <= 0.001
        why = f" (the call's deadline of {deadline.seconds:g} s passed)" if late else ""
        error = cls(
            f"{target} failed: {type(exc).__name__}: {exc or 'no details'}{why}",
            method=request.method,
            url=str(request.url),
            request_sent=sent,
        )
        error.__cause__ = exc
        return error

    def _delay_or_raise(
        self,
        call: Call[Any],
        failure: httpx.HTTPError | APIStatusError,
        retries_done: int,
        request: httpx.Request,
        deadline: _deadline.Deadline,
    ) -> float:
        """Seconds to wait before the next attempt; raises the typed error when ``failure`` is final
        (also when the wait would end after the call's deadline).
        (The retry loops in Client and AsyncClient are the only I/O-specific part around this.)"""
        error = failure if isinstance(failure, APIStatusError) else self._connection_error(failure, request, deadline)
        retryable = isinstance(failure, APIStatusError | httpx.TransportError)
        if not retryable or not self._policy.should_retry(error, retries_done, idempotent=call.idempotent):
            raise error from error.__cause__
        delay = self._policy.delay(error, retries_done)
        if not deadline.allows_sleep(delay):
            raise error from error.__cause__
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

    @classmethod
    def _http_type(cls) -> type[httpx.Client]:
        return httpx.Client

    def _setup_io(self) -> None:
        self._sleep: Callable[[float], None] = time.sleep
        self.dlq = DLQ(self)
        self.flow_control = FlowControlManager(self)
        self.signing_keys = SigningKeyManager(self)

    def _execute(self, call: Call[T]) -> T:
        if call.request is None and call.combine is not None:  # several batches of runs
            return call.combine(list(_fanout.send_batches(self._execute, iter(call.batches))))
        if call.request is None:
            return call.immediate  # type: ignore[return-value]
        request, deadline, token = self._start(call)
        try:
            for retries_done in range(self._policy.max_retries + 1):
                self._attempt_timeouts(request, deadline)
                try:
                    return self._attempt(call, request)
                except (httpx.HTTPError, APIStatusError) as exc:
                    delay = self._delay_or_raise(call, exc, retries_done, request, deadline)
                self._sleep(delay)
        finally:
            _deadline.end(token)
        raise AssertionError("unreachable: the last attempt always raises or returns")

    def _attempt(self, call: Call[T], request: httpx.Request) -> T:
        response = self._http.send(request, stream=True)
        try:
            try:
                reader, preread = self._body_reader(response)
                content: bytes | BodyError = read_sync(preread or response.iter_raw(), reader)
            except BodyError as exc:
                content = exc
        finally:
            response.close()
            _unlinked(response)
        return self._finish(call, response, content)

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
    trigger_stream = _sync_stream(_fanout.trigger_stream)
    cancel = _sync_method(_calls.cancel)
    notify = _sync_method(_calls.notify)
    get_waiters = _sync_method(_calls.get_waiters)
    logs = _sync_method(_calls.logs)
    iter_logs = _sync_pages(_calls.logs, _runs)


class AsyncClient(_BaseClient[httpx.AsyncClient]):
    """Asynchronous Upstash Workflow client: the methods of `Client` as coroutines, ``async for`` over
    ``iter_logs`` / ``dlq.iter``. Use ``async with`` or ``await client.aclose()``."""

    @classmethod
    def _http_type(cls) -> type[httpx.AsyncClient]:
        return httpx.AsyncClient

    def _setup_io(self) -> None:
        import asyncio  # here, not at module level: it costs ~40 ms to import and sync users never need it

        self._sleep: Callable[[float], Coroutine[Any, Any, None]] = asyncio.sleep
        self._running_loop = asyncio.get_running_loop
        self._loop: object = None  # the event loop of the first call: its connections belong to it
        # httpcore's pool does work per queued request for every state change, so thousands of
        # requests queued at once cost O(n^2) (1,000 concurrent calls took 25 s). Queueing them
        # here instead, at most as many in flight as the pool has connections, keeps it linear.
        self._in_flight = asyncio.Semaphore(MAX_IN_FLIGHT)
        # Concurrent trigger calls of this client (never another's) share one batch request.
        self._coalescer = _fanout.TriggerCoalescer(self._execute) if self._coalesce_triggers else None
        self.dlq = AsyncDLQ(self)
        self.flow_control = AsyncFlowControlManager(self)
        self.signing_keys = AsyncSigningKeyManager(self)

    async def _execute(self, call: Call[T]) -> T:
        if call.batches and call.batches[0].mergeable and self._coalescer is not None:
            merged = await self._coalescer.submit(call, call.batches[0])
            if merged is not _fanout.ALONE:
                return merged  # type: ignore[no-any-return]
        if call.request is None and call.combine is not None:  # several batches of runs
            batches = _fanout.asend_batches(self._execute, _fanout.aiterate(call.batches))
            return call.combine([outcome async for outcome in batches])
        if call.request is None:
            return call.immediate  # type: ignore[return-value]
        self._check_loop()
        request, deadline, token = self._start(call)
        try:
            for retries_done in range(self._policy.max_retries + 1):
                self._attempt_timeouts(request, deadline)
                try:
                    async with self._in_flight:
                        if self._streams_check_deadline:
                            return await self._attempt(call, request)
                        return await self._cancelled_at(deadline, self._attempt(call, request), request)
                except (httpx.HTTPError, APIStatusError) as exc:
                    delay = self._delay_or_raise(call, exc, retries_done, request, deadline)
                await self._sleep(delay)
        finally:
            _deadline.end(token)
        raise AssertionError("unreachable: the last attempt always raises or returns")

    async def _attempt(self, call: Call[T], request: httpx.Request) -> T:
        response = await self._http.send(request, stream=True)
        try:
            try:
                reader, preread = self._body_reader(response)
                if preread is not None:
                    content: bytes | BodyError = read_sync(preread, reader)
                else:
                    content = await read_async(response.aiter_raw(), reader)
            except BodyError as exc:
                content = exc
        finally:
            await response.aclose()
            _unlinked(response)
        return self._finish(call, response, content)

    async def _cancelled_at(self, deadline: _deadline.Deadline, attempt: Coroutine[Any, Any, T], request: Any) -> T:
        """``attempt``, cancelled when the deadline passes: the bound for an ``http_client`` with a
        custom transport, whose connections do not check the deadline themselves."""
        import asyncio

        try:
            return await asyncio.wait_for(attempt, max(deadline.remaining(), 0.001))
        except asyncio.TimeoutError:
            raise httpx.ReadTimeout("the call's deadline passed", request=request) from None

    def _check_loop(self) -> None:
        """Pooled connections (and the in-flight semaphore) belong to the loop they were made in;
        another loop cannot use them, so say so rather than fail deep inside httpx/anyio."""
        loop = self._running_loop()
        if loop is not self._loop:
            if self._loop is not None:
                raise ClientStateError(
                    "This AsyncClient was first used in another event loop; create one AsyncClient per "
                    "event loop (for example inside the coroutine you pass to asyncio.run)."
                )
            self._loop = loop

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
    trigger_stream = _async_stream(_fanout.trigger_stream)
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
