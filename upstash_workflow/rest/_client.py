"""The I/O cores of `Client` and `AsyncClient`.

Everything that does not touch the network lives in `_BaseClient` and in the pure builders of
`_calls*`; the two cores differ only in `_execute` (dispatch a call), `_send` (one request with
retries), `_pages` and closing; a fan-out's batches and coalesced triggers go out through
`_sending`, which is given `_send`. The
public classes, with one method per operation, are generated from the builders into `_api`
(scripts/generate_methods.py), so every signature and docstring is written once, on its builder.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import math
import os
import platform
import sys
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Coroutine, Iterable, Iterator, Mapping
from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from . import _calls, _http, _polling, _sending, _tracing
from ._call import Call, KnownResult, Rounds, SendBatches, SendRepeated, SendRequest, read_body, runs_started
from ._config import resolve_credentials, warn_if_insecure
from ._deadline import Deadline
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
    redact,
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
from ._trigger import Options, forwardable_global_headers
from ._validate import boolean, non_negative_int, positive_int, seconds
from ._version import __version__

if TYPE_CHECKING:
    from typing_extensions import Self
    from upstash_workflow_api import AuthenticatedClient

    from ._batching import TriggerStream
    from ._outcomes import TriggerOutcome
    from ._polling import WaitPlan
    from ._results import WorkflowRunLog

logger = logging.getLogger("upstash_workflow.rest")

T = TypeVar("T")
HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
DEFAULT_DEADLINE = 120.0  # the whole call, retries included, when `timeout` is not a number
MAX_PAGES = 1_000_000  # a bound on every page loop, far above any real history
MAX_IN_FLIGHT = 100  # httpx's default pool size (max_connections)
MAX_POLLS = 10_000_000  # a bound on every wait's poll loop (at least 0.25 s apart: years)


def _next_cursor(cursor: str | None, seen: set[str]) -> str | None:
    """The cursor to ask for next, or None when paging is over (also if the server repeats one)."""
    if not cursor or cursor in seen:
        return None
    seen.add(cursor)
    return cursor


@contextlib.asynccontextmanager
async def _anyio_fail_after(seconds: float | None) -> AsyncIterator[None]:
    import anyio  # httpx's own dependency

    with anyio.fail_after(seconds):
        yield


class _Runner:
    """What the generated methods of both flavours use besides ``_execute`` and ``_pages``."""

    _options: Options

    def _traced(self, operation: str) -> contextlib.AbstractContextManager[Options]:
        """The call's span (with OpenTelemetry); it gives the options to plan the call with."""
        return _tracing.span(operation, self._options)

    def _stream_options(self) -> Options:
        return _tracing.forwarding(self._options)


class _SyncRunner(_Runner):
    """What the generated methods of a sync class use: its options, ``_execute`` and ``_pages``."""

    def _execute(self, call: Call[T]) -> T:
        raise NotImplementedError

    def _pages(self, build: Callable[..., Call[Any]], kwargs: dict[str, Any], items: str) -> Iterator[Any]:
        """Every item (``page.<items>``) of every page ``build`` plans, following the cursor."""
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            with self._traced(build.__name__) as options:  # one span per page, not across a yield
                page = self._execute(build(options, **kwargs))
            yield from getattr(page, items)
            if (cursor := _next_cursor(getattr(page, "cursor", None), seen)) is None:
                return
            kwargs["cursor"] = cursor


class _AsyncRunner(_Runner):
    """What the generated methods of an async class use: its options, ``_execute`` and ``_pages``."""

    async def _execute(self, call: Call[T]) -> T:
        raise NotImplementedError

    async def _pages(
        self, build: Callable[..., Call[Any]], kwargs: dict[str, Any], items: str
    ) -> AsyncGenerator[Any, None]:
        """``async for`` over every item (``page.<items>``) of every page ``build`` plans."""
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            with self._traced(build.__name__) as options:  # one span per page, not across a yield
                page = await self._execute(build(options, **kwargs))
            for item in getattr(page, items):
                yield item
            if (cursor := _next_cursor(getattr(page, "cursor", None), seen)) is None:
                return
            kwargs["cursor"] = cursor


def _unlinked(response: httpx.Response) -> httpx.Response:
    """A read response, no longer linked both ways with its stream. httpx's Response.stream refers
    back to the response, so every finished response, with the request and the request body it
    holds, waited for a full run of the cyclic garbage collector; a million-run trigger_stream kept
    tens of MB of sent bodies that way. Called once the body has been read and the response closed."""
    response.stream = httpx.ByteStream(b"")
    return response


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
        self._api_http: HttpT | None = None
        self._owns_http = http_client is None
        if http_client is not None and not isinstance(http_client, self._http_type()):
            raise InvalidArgumentTypeError(
                f"http_client must be an httpx.{self._http_type().__name__}, got {type(http_client).__name__}"
            )
        self._coalesce_triggers = boolean(coalesce_triggers, "coalesce_triggers")
        self._http: HttpT = http_client if http_client is not None else self._new_http_client()
        self._setup_io()

    def _new_http_client(self) -> HttpT:
        return _http.new_client(self._http_type(), self._base_url, self._timeout)

    @classmethod
    def _http_type(cls) -> type[HttpT]:
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

            api = AuthenticatedClient(base_url=self._base_url, token=self._token, timeout=self._timeout)
            # An httpx client of this flavour that we own, so closing this client closes exactly that
            # one (the generated client would otherwise make one on demand, even just to close it).
            http = self._http_type()(
                base_url=self._base_url, headers={"Authorization": f"Bearer {self._token}"}, timeout=self._timeout
            )
            if isinstance(http, httpx.Client):
                api.set_httpx_client(http)
            else:
                api.set_async_httpx_client(http)
            self._api, self._api_http = api, http
        return self._api

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._base_url!r}, max_retries={self._policy.max_retries})"

    def _prepare(self, call: SendRequest[Any]) -> dict[str, Any]:
        """httpx request arguments: the generated ones, made absolute, plus the bearer token."""
        kwargs = dict(call.request)
        kwargs["url"] = self._base_url + kwargs["url"]
        kwargs["headers"] = {
            **kwargs.get("headers", {}),
            "Authorization": f"Bearer {self._token}",
            "Accept-Encoding": ACCEPT_ENCODING,  # only what `_limits` decodes under its size cap
        }
        return kwargs

    def _start(self, call: SendRequest[Any], limit: float | None = None) -> tuple[httpx.Request, Deadline]:
        """The request to send (refused if the client is closed), and the call's deadline (no later
        than ``limit`` seconds from now, when given: a wait's own timeout)."""
        if self._http.is_closed:
            raise self._closed_error(request_sent=False)
        try:
            request = self._http.build_request(**self._prepare(call))
        except (httpx.HTTPError, ValueError, TypeError) as exc:  # a safety net: validation should catch it first
            reason = redact(str(exc), self._token)
            raise InvalidArgumentError(f"The request cannot be built: {type(exc).__name__}: {reason}") from None
        return request, Deadline.start(self._deadline if limit is None else min(self._deadline, limit))

    def _closed_error(self, *, request_sent: bool) -> ClientClosedError:
        name = type(self).__name__
        if not request_sent:
            return ClientClosedError(f"This {name} is closed; create a new one to send requests.")
        return ClientClosedError(
            f"This {name} was closed while the call was in flight; its request may have reached the server "
            "(for a trigger, the runs may have started).",
            request_sent=True,
        )

    def _closed_mid_call(self, failure: BaseException, sent_before: bool) -> ClientClosedError | None:
        """The error for an attempt that failed because the client was closed (None: it was not):
        httpx raises a RuntimeError for a send on a closed client, and whatever the transport raises
        for the request the closing cut short. ``sent_before``: an earlier attempt went out."""
        if not self._http.is_closed:
            return None
        never_left = isinstance(failure, RuntimeError | httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
        error = self._closed_error(request_sent=sent_before or not never_left)
        error.__cause__ = failure
        return error

    @staticmethod
    def _went_out(failure: BaseException) -> bool:
        """Whether a failed attempt's request may have reached the server."""
        return not isinstance(failure, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)

    def _attempt_timeouts(self, request: httpx.Request, deadline: Deadline) -> None:
        request.extensions["timeout"] = deadline.attempt_timeouts(self._phase_timeouts)

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

    def _finish(self, call: SendRequest[T], response: httpx.Response, content: bytes | BodyError) -> T:
        """The result, or the typed error, from a response and its body (or why it could not be read)."""
        status = response.status_code
        _tracing.note_status(status)
        if isinstance(content, BodyError):
            if 200 <= status < 300:
                cls = ResponseTooLargeError if content.too_large else APIResponseValidationError
                raise cls(f"The server answered {status}, but {content}", status=status, body="")
            content = b""  # an error status whose body cannot be read: the status still says what failed
        return read_body(call, status, response.headers, content, self._token)

    def _connection_error(self, exc: httpx.HTTPError, request: httpx.Request, deadline: Deadline) -> APIConnectionError:
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

    def _after_failure(
        self,
        call: SendRequest[Any],
        failure: Exception,
        sent: bool,
        retries_done: int,
        request: httpx.Request,
        deadline: Deadline,
    ) -> tuple[float, bool]:
        """A failed attempt of either retry loop: the wait before the next one, and whether a request
        may have reached the server by now. Raises `ClientClosedError` when the client was closed under
        the call, the typed error when the failure is final, and anything else as it is."""
        if (closed := self._closed_mid_call(failure, sent)) is not None:
            raise closed from failure
        if not isinstance(failure, httpx.HTTPError | APIStatusError):
            raise failure
        sent = sent or self._went_out(failure)
        return self._delay_or_raise(call, failure, retries_done, request, deadline), sent

    def _delay_or_raise(
        self,
        call: SendRequest[Any],
        failure: httpx.HTTPError | APIStatusError,
        retries_done: int,
        request: httpx.Request,
        deadline: Deadline,
    ) -> float:
        """Seconds to wait before the next attempt; raises the typed error when ``failure`` is final
        (also when the wait would end after the call's deadline).
        (The retry loops in Client and AsyncClient are the only I/O-specific part around this.)"""
        error = failure if isinstance(failure, APIStatusError) else self._connection_error(failure, request, deadline)
        retryable = isinstance(failure, APIStatusError | httpx.TransportError)
        if not retryable or not self._policy.should_retry(error, retries_done, idempotent=call.idempotent):
            raise error from error.__cause__
        delay = self._policy.delay(error, retries_done)
        # A policy's delay that is not a number of seconds >= 0 (NaN, inf, negative) ends the retries.
        if not (isinstance(delay, int | float) and delay >= 0) or not deadline.allows_sleep(delay):
            raise error from error.__cause__
        _tracing.note_retry()
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

    @classmethod
    def _http_type(cls) -> type[httpx.Client]:
        return httpx.Client

    def _setup_io(self) -> None:
        self._setup_namespaces()

    def _execute(self, call: Call[T]) -> T:
        _tracing.note_runs(runs_started(call))
        if isinstance(call, KnownResult):
            return call.result
        if isinstance(call, SendBatches):
            return call.combine(list(_sending.send_batches(self._send, iter(call.batches))))
        if isinstance(call, SendRepeated):
            return self._repeat(call)
        return self._send(call)

    def _repeat(self, call: SendRepeated[T]) -> T:
        """Send ``call.request`` round after round within one deadline (`Rounds` decides when to stop)."""
        rounds = Rounds(call, Deadline.start(self._deadline))
        while (limit := rounds.next_limit()) is not None:
            rounds.record(self._send(call.request, limit=limit))
        return rounds.combine()

    def _send(self, call: SendRequest[T], limit: float | None = None) -> T:
        # A blocking read cannot be interrupted: each phase's timeout is capped to the time left, the
        # body is checked between chunks, and no retry starts past the deadline (`_deadline`).
        request, deadline = self._start(call, limit)
        sent = False  # an attempt's request may have reached the server
        for retries_done in range(self._policy.max_retries + 1):
            self._attempt_timeouts(request, deadline)
            try:
                return self._attempt(call, request, deadline)
            except (httpx.HTTPError, APIStatusError, RuntimeError) as exc:
                delay, sent = self._after_failure(call, exc, sent, retries_done, request, deadline)
            time.sleep(delay)
        raise AssertionError("unreachable: the last attempt always raises or returns")

    def _attempt(self, call: SendRequest[T], request: httpx.Request, deadline: Deadline) -> T:
        response = self._http.send(request, stream=True, follow_redirects=False)  # see docs/index.md, redirects
        try:
            try:
                reader, preread = self._body_reader(response)
                content: bytes | BodyError = read_sync(preread or response.iter_raw(), reader, deadline)
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
        if self._api_http is not None:
            self._api_http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _wait(self, plan: WaitPlan[T]) -> T:
        """Poll the logs until every run of ``plan`` has ended (`_polling` plans; this only sends and sleeps)."""
        (wait,) = collections.deque(self._watch(plan), maxlen=1)  # the wait after its last poll
        return plan.finish(wait.results())

    def _watch(self, plan: WaitPlan[Any]) -> Iterator[_polling.Wait]:
        """The wait after each poll, until its runs have all ended (for the CLI's live view);
        `WaitTimeoutError` past the plan's timeout."""
        polls = _polling.PollSet()
        wait = polls.add(plan.runs, now=time.monotonic(), timeout=plan.timeout, interval=plan.interval)
        for _ in range(MAX_POLLS):
            for request in polls.requests():
                next_request: _polling.PollRequest | None = request
                while next_request is not None:
                    left = polls.time_left(time.monotonic())
                    if left is not None and left <= 0:
                        raise wait.timeout_error(plan.timeout)
                    call = _calls.poll_logs(next_request)
                    try:
                        page = self._send(call, limit=left)
                    except APITimeoutError:
                        if polls.expired(time.monotonic()):  # the wait's timeout cut the request short
                            raise wait.timeout_error(plan.timeout) from None
                        raise
                    next_request = polls.receive(next_request, page)
            yield wait
            if polls.finished():
                return
            if polls.expired(time.monotonic()):
                raise wait.timeout_error(plan.timeout)
            time.sleep(polls.next_delay(time.monotonic()))
        raise wait.timeout_error(plan.timeout)

    def _stream(self, plan: TriggerStream) -> Iterator[TriggerOutcome]:
        """The outcomes of a planned ``trigger_stream``, batches sent as the input is read."""
        if not isinstance(plan.requests, Iterable):
            raise InvalidArgumentTypeError(
                f"Client.trigger_stream reads a (sync) iterable, got {type(plan.requests).__name__}; "
                "use AsyncClient.trigger_stream for an async iterable"
            )
        yield from _sending.send_batches(self._send, plan.batcher.batches(plan.requests))


class _AsyncCore(_BaseClient[httpx.AsyncClient], _AsyncRunner):
    """The I/O of `AsyncClient` (its public methods are generated into `_api`): send with retries, close."""

    @classmethod
    def _http_type(cls) -> type[httpx.AsyncClient]:
        return httpx.AsyncClient

    def _setup_io(self) -> None:
        import asyncio  # here, not at module level: it costs ~40 ms to import and sync users never need it

        self._sleep: Callable[[float], Coroutine[Any, Any, None]] = asyncio.sleep
        # What cancels a whole call at its deadline (`_send`): asyncio's own scope where there is one
        # (5 µs a call; anyio's, the fallback on Python 3.10, takes 27 µs).
        self._cancel_after: Callable[[float | None], AbstractAsyncContextManager[Any]] = _anyio_fail_after
        if sys.version_info >= (3, 11):
            self._cancel_after = asyncio.timeout
        self._running_loop = asyncio.get_running_loop
        self._loop: object = None  # the event loop of the first call: its connections belong to it
        # httpcore's pool does work per queued request for every state change, so thousands of
        # requests queued at once cost O(n^2) (1,000 concurrent calls took 25 s). Queueing them
        # here instead, at most as many in flight as the pool has connections, keeps it linear.
        self._in_flight = asyncio.Semaphore(MAX_IN_FLIGHT)
        # Concurrent trigger calls of this client (never another's) share one batch request.
        self._coalescer = _sending.TriggerCoalescer(self._send) if self._coalesce_triggers else None
        # Concurrent waits of this client share their polls: one PollSet, one polling task.
        self._polls = _polling.PollSet()
        self._poller: asyncio.Task[None] | None = None
        self._poll_wakeup = asyncio.Event()
        self._poll_results: dict[int, asyncio.Future[list[WorkflowRunLog]]] = {}
        self._setup_namespaces()

    async def _execute(self, call: Call[T]) -> T:
        _tracing.note_runs(runs_started(call))
        if isinstance(call, KnownResult):
            return call.result
        if isinstance(call, SendBatches):
            batches = _sending.asend_batches(self._send, _sending.aiterate(call.batches))
            return call.combine([outcome async for outcome in batches])
        if isinstance(call, SendRepeated):
            return await self._repeat(call)
        if call.mergeable is not None and self._coalescer is not None:
            return call.mergeable.result(await self._coalescer.submit(call.mergeable.batch))
        return await self._send(call)

    async def _repeat(self, call: SendRepeated[T]) -> T:
        """Send ``call.request`` round after round within one deadline (`Rounds` decides when to stop)."""
        rounds = Rounds(call, Deadline.start(self._deadline))
        while (limit := rounds.next_limit()) is not None:
            rounds.record(await self._send(call.request, limit=limit))
        return rounds.combine()

    async def _send(self, call: SendRequest[T], limit: float | None = None) -> T:
        self._check_loop()
        request, deadline = self._start(call, limit)
        sent = False  # an attempt's request may have reached the server
        try:
            left = deadline.remaining()
            async with self._cancel_after(None if math.isinf(left) else left):  # retries and waits included
                for retries_done in range(self._policy.max_retries + 1):
                    self._attempt_timeouts(request, deadline)
                    try:
                        async with self._in_flight:
                            return await self._attempt(call, request)
                    except (httpx.HTTPError, APIStatusError, RuntimeError) as exc:
                        delay, sent = self._after_failure(call, exc, sent, retries_done, request, deadline)
                    await self._sleep(delay)
        except TimeoutError:
            late = httpx.ReadTimeout("the call's deadline passed", request=request)
            raise self._connection_error(late, request, deadline) from late
        raise AssertionError("unreachable: the last attempt always raises or returns")

    async def _attempt(self, call: SendRequest[T], request: httpx.Request) -> T:
        response = await self._http.send(request, stream=True, follow_redirects=False)
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

    async def _wait(self, plan: WaitPlan[T]) -> T:
        """Join this client's shared poll until every run of ``plan`` has ended, or its timeout."""
        import asyncio

        self._check_loop()
        wait = self._polls.add(plan.runs, now=time.monotonic(), timeout=plan.timeout, interval=plan.interval)
        future: asyncio.Future[list[WorkflowRunLog]] = asyncio.get_running_loop().create_future()
        self._poll_results[id(wait)] = future
        if self._poller is None or self._poller.done():
            self._poller = asyncio.get_running_loop().create_task(self._poll_loop())
        else:
            self._poll_wakeup.set()  # a new wait: poll now rather than after the current interval
        try:
            done, _ = await asyncio.wait({future}, timeout=plan.timeout)
            if not done:
                raise wait.timeout_error(plan.timeout)
            return plan.finish(future.result())
        finally:
            self._polls.remove(wait)
            self._poll_results.pop(id(wait), None)

    async def _poll_loop(self) -> None:
        """Poll the logs for every pending run of every current wait, until no wait is left."""
        import asyncio

        polls = self._polls
        try:
            for _ in range(MAX_POLLS):
                if not polls.waits:
                    return
                for request in polls.requests():
                    next_request: _polling.PollRequest | None = request
                    while next_request is not None:
                        page = await self._send(_calls.poll_logs(next_request))
                        next_request = polls.receive(next_request, page)
                for wait in polls.finished():
                    self._settle(wait, wait.results())
                if not polls.waits:
                    return
                self._poll_wakeup.clear()
                with contextlib.suppress(TimeoutError, asyncio.TimeoutError):
                    await asyncio.wait_for(self._poll_wakeup.wait(), polls.next_delay(time.monotonic()))
        except Exception as exc:  # the waits raise what polling raised (AuthenticationError, ...)
            for wait in polls.waits:
                self._settle(wait, exc)
                polls.remove(wait)

    def _settle(self, wait: _polling.Wait, outcome: list[WorkflowRunLog] | Exception) -> None:
        future = self._poll_results.get(id(wait))
        if future is None or future.done():
            return
        if isinstance(outcome, Exception):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)

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
        if self._api_http is not None:
            await self._api_http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def _stream(self, plan: TriggerStream) -> AsyncGenerator[TriggerOutcome, None]:
        """The outcomes of a planned ``trigger_stream``, batches sent as the input is read."""
        outcomes = _sending.asend_batches(self._send, plan.batcher.abatches(plan.requests))
        try:
            async for outcome in outcomes:
                yield outcome
        finally:
            await outcomes.aclose()


class _SyncNamespace(_SyncRunner):
    """A group of methods reached through a client attribute (``client.dlq``), sent by that client."""

    def __init__(self, client: _SyncCore) -> None:
        """Made by the client (``client.dlq`` ...); you do not create one yourself.

        Args:
            client: the client whose options and connection pool the methods use.
        """
        self._client = client
        self._options = client._options

    def _execute(self, call: Call[T]) -> T:
        return self._client._execute(call)


class _AsyncNamespace(_AsyncRunner):
    """A group of coroutine methods reached through an `AsyncClient` attribute (``client.dlq``)."""

    def __init__(self, client: _AsyncCore) -> None:
        """Made by the client (``client.dlq`` ...); you do not create one yourself.

        Args:
            client: the client whose options and connection pool the methods use.
        """
        self._client = client
        self._options = client._options

    async def _execute(self, call: Call[T]) -> T:
        return await self._client._execute(call)
