"""Hostile servers on 127.0.0.1 (tests/support/fault_server.py), sync and async: every call ends in
a documented WorkflowError or a result, within its deadline, within bounded memory, token-free."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
import logging
import os
import socket
import time
import traceback
import tracemalloc
import warnings
import zlib
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import URL
from tests.support import fault_server as fs
from tests.support.hostile import MODES, TOKEN, run
from tests.support.waits import RecordingPolicy
from upstash_workflow.rest import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncClient,
    AuthenticationError,
    BadRequestError,
    Client,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseShapeWarning,
    ResponseTooLargeError,
    RetryPolicy,
    ServerError,
    TriggerUnconfirmedError,
    WorkflowError,
    WorkflowRunLogs,
)

# Slack over a deadline: the time between two of a dripping server's bytes, scheduling on a busy
# 2-core machine, and connection teardown. Documented in the README's reliability table.
SLACK = 1.5
LOGS_PAGE = {"runs": [], "cursor": ""}

OPERATIONS: dict[str, Callable[[Any], Any]] = {
    "trigger": lambda c: c.trigger(url=URL),
    "logs": lambda c: c.logs(),
    "notify": lambda c: c.notify("evt", "data"),
    "get_waiters": lambda c: c.get_waiters("evt"),
    "cancel": lambda c: c.cancel(ids=["a"]),
    "dlq.list": lambda c: c.dlq.list(),
}


def outcome(mode: str, behave: fs.Behaviour, op: Callable[[Any], Any], **kw: Any) -> tuple[Any, float, fs.FaultServer]:
    """(result or raised exception, seconds taken, the server) for one call against ``behave``."""
    with fs.FaultServer(behave) as server:
        start = time.monotonic()
        try:
            result: Any = run(mode, server.url, op, **kw)
        except Exception as exc:
            result = exc
        return result, time.monotonic() - start, server


# --------------------------------------------------------------------------------------- deadline


# A sync call bounds dripped headers per read only (README, "Timeouts"): tested further below.
@pytest.mark.parametrize(("mode", "part"), [("sync", "body"), ("async", "headers"), ("async", "body")])
@pytest.mark.parametrize("name", list(OPERATIONS))
def test_a_dripping_server_ends_in_a_timeout_at_the_deadline(mode: str, part: str, name: str) -> None:
    result, took, _ = outcome(mode, fs.drip(part, interval=0.05), OPERATIONS[name], timeout=0.6)
    assert isinstance(result, APITimeoutError), result
    assert "deadline of 0.6 s passed" in str(result)
    assert took < 0.6 + SLACK


@pytest.mark.parametrize("mode", MODES)
def test_the_deadline_covers_all_retries_of_a_silent_server(mode: str) -> None:
    # Each attempt may read for 30 s; the whole call may take 1 s.
    timeout = httpx.Timeout(30.0)
    result, took, server = outcome(mode, fs.silent(10), lambda c: c.logs(), timeout=timeout, deadline=1.0)
    assert isinstance(result, APITimeoutError)
    assert took < 1.0 + SLACK
    assert len(server.requests) == 1


@pytest.mark.parametrize("mode", MODES)
def test_retry_waits_never_go_past_the_deadline(mode: str) -> None:
    policy = RetryPolicy(max_retries=10, initial_delay=0.4, max_delay=0.4, random=lambda: 1.0)
    behave = fs.json_answer(503, {"error": "busy"})
    result, took, server = outcome(mode, behave, lambda c: c.logs(), retry_policy=policy, timeout=1.0)
    assert isinstance(result, ServerError)
    assert took < 1.0 + SLACK
    assert 2 <= len(server.requests) <= 3  # 0 s, 0.4 s, 0.8 s: the next wait would end after 1 s


@pytest.mark.parametrize("mode", MODES)
def test_a_rate_limit_reset_after_the_deadline_raises_at_once(mode: str) -> None:
    behave = fs.answer(429, b'{"error":"slow down"}', {"Retry-After": "5", "Content-Type": "application/json"})
    result, took, server = outcome(mode, behave, lambda c: c.logs(), timeout=1.0)
    assert isinstance(result, RateLimitError)
    assert took < 1.0
    assert len(server.requests) == 1


@pytest.mark.parametrize("mode", MODES)
def test_a_number_timeout_bounds_each_phase_too(mode: str) -> None:
    result, took, server = outcome(mode, fs.silent(10), lambda c: c.logs(), timeout=0.5)
    assert isinstance(result, APITimeoutError)
    assert took < 0.5 + SLACK
    assert len(server.requests) == 1  # no retry could start before the deadline


@pytest.mark.parametrize("mode", MODES)
def test_calls_after_a_timed_out_call_get_their_own_deadline(mode: str) -> None:
    def two_calls(client: Any) -> Any:
        async def both() -> Any:
            for _ in range(2):
                with contextlib.suppress(APITimeoutError):
                    await client.logs()
            return "done"

        if mode == "async":
            return both()
        for _ in range(2):
            with pytest.raises(APITimeoutError):
                client.logs()
        return "done"

    result, took, server = outcome(mode, fs.silent(10), two_calls, timeout=0.5)
    assert result == "done"
    assert len(server.requests) == 2
    assert took < 2 * 0.5 + SLACK


# ------------------------------------------------------------------------------------------ bodies


@pytest.fixture(scope="module")
def bomb_200mb() -> fs.Behaviour:
    return fs.gzip_bomb(200 * 1024 * 1024)


def _traced(fn: Callable[[], Any]) -> tuple[Any, int]:
    tracemalloc.start()
    try:
        try:
            result = fn()
        except Exception as exc:
            result = exc
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("mode", MODES)
def test_a_gzip_bomb_is_refused_while_it_streams_in(mode: str, bomb_200mb: fs.Behaviour) -> None:
    with fs.FaultServer(bomb_200mb) as server:
        result, peak = _traced(lambda: run(mode, server.url, lambda c: c.logs(), max_response_bytes=1024 * 1024))
    assert isinstance(result, ResponseTooLargeError)
    assert "max_response_bytes (1,048,576 bytes)" in str(result)
    assert peak < 16 * 1024 * 1024


@pytest.mark.parametrize("mode", MODES)
def test_the_default_cap_refuses_a_200_mb_answer(mode: str, bomb_200mb: fs.Behaviour) -> None:
    with fs.FaultServer(bomb_200mb) as server:
        result, peak = _traced(lambda: run(mode, server.url, lambda c: c.logs()))
    assert isinstance(result, ResponseTooLargeError)
    assert peak < 80 * 1024 * 1024  # the 32 MiB default, collected once, plus decoding buffers


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_bombs_in_error_answers_keep_an_excerpt(mode: str, encoding: str) -> None:
    behave = fs.gzip_bomb(20 * 1024 * 1024, status=500, encoding=encoding)
    result, _, _ = outcome(mode, behave, lambda c: c.logs())
    assert isinstance(result, ServerError)
    assert len(result.body) == 64 * 1024
    assert len(str(result)) < 2200


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("extra", [0, 1])
def test_the_cap_is_exact(mode: str, extra: int) -> None:
    limit = 4096
    page = json.dumps(LOGS_PAGE).encode()
    body = page + b" " * (limit - len(page) + extra)
    result, _, _ = outcome(mode, fs.answer(200, body), lambda c: c.logs(), max_response_bytes=limit)
    if extra:
        assert isinstance(result, ResponseTooLargeError)
    else:
        assert result.runs == [] and result.cursor is None


COMPRESSED = {
    "gzip": gzip.compress(json.dumps(LOGS_PAGE).encode()),
    "x-gzip": gzip.compress(json.dumps(LOGS_PAGE).encode()),
    "deflate": zlib.compress(json.dumps(LOGS_PAGE).encode()),
    "deflate (raw)": zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS).compress(json.dumps(LOGS_PAGE).encode()) + b"",
    "identity": json.dumps(LOGS_PAGE).encode(),
}
_raw = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
COMPRESSED["deflate (raw)"] = _raw.compress(json.dumps(LOGS_PAGE).encode()) + _raw.flush()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("encoding", list(COMPRESSED))
def test_encoded_answers_are_decoded(mode: str, encoding: str) -> None:
    headers = {"Content-Type": "application/json", "Content-Encoding": encoding.split(" ", maxsplit=1)[0]}
    result, _, _ = outcome(mode, fs.answer(200, COMPRESSED[encoding], headers), lambda c: c.logs())
    assert not isinstance(result, Exception), result
    assert result.runs == []


BAD_ENCODINGS = [
    ("gzip", b"this is not gzip"),
    ("deflate", b"\x00\x01 not deflate at all"),
    ("br", b"\x0b\x02\x80{}\x03"),
    ("zstd", b"(\xb5/\xfd"),
    ("compress", b"x"),
    ("gzip, gzip", gzip.compress(gzip.compress(b"{}"))),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("encoding", "body"), BAD_ENCODINGS, ids=[b[0] for b in BAD_ENCODINGS])
@pytest.mark.parametrize("status", [200, 500])
def test_bodies_that_do_not_decode_raise_typed_errors(mode: str, encoding: str, body: bytes, status: int) -> None:
    headers = {"Content-Type": "application/json", "Content-Encoding": encoding}
    result, _, server = outcome(mode, fs.answer(status, body, headers), lambda c: c.logs(), max_retries=0)
    if status == 200:
        assert type(result) is APIResponseValidationError, result
        assert "Content-Encoding" in str(result)
    else:
        assert type(result) is ServerError  # the status still says what failed
    assert len(server.requests) == 1


def deep(depth: int, opener: str = "[") -> bytes:
    closer = {"[": "]", "{": "}"}[opener]
    inner = '{"a":' * depth if opener == "{" else "[" * depth
    tail = "}" * depth if opener == "{" else closer * depth
    return (inner + ("1" if opener == "{" else "") + tail).encode()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("opener", ["[", "{"])
@pytest.mark.parametrize("name", ["logs", "get_waiters", "trigger", "notify"])
def test_deeply_nested_answers_are_validation_errors(mode: str, opener: str, name: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result, _, _ = outcome(mode, fs.answer(200, deep(200_000, opener)), OPERATIONS[name])
    if name == "trigger":  # a 2xx that confirms nothing: the run is unconfirmed, never assumed started
        assert type(result) is TriggerUnconfirmedError, result
    elif name == "notify":  # it changed something on the server: never raised, warned about
        assert result == [], result
        (warning,) = [w.message for w in caught if isinstance(w.message, ResponseShapeWarning)]
        result = warning
    else:
        assert type(result) is APIResponseValidationError, result
    assert "nested too deeply" in str(result)
    assert len(str(result)) < 1000


@pytest.mark.parametrize("mode", MODES)
def test_deeply_nested_error_bodies_keep_their_status(mode: str) -> None:
    result, _, _ = outcome(mode, fs.answer(400, deep(200_000)), lambda c: c.logs())
    assert type(result) is BadRequestError


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("size", [5 * 1024 * 1024, 200 * 1024])
def test_huge_error_pages_become_short_messages(mode: str, size: int) -> None:
    page = b"<html>" + b"x" * size + b"</html>"
    behave = fs.answer(500, page, {"Content-Type": "text/html"})
    result, _, _ = outcome(mode, behave, lambda c: c.logs())
    assert type(result) is ServerError
    assert len(str(result)) < 2200 and "more characters" in str(result)
    assert len(result.body) == 64 * 1024


ODD_SUCCESSES = [
    b'"text"',
    b"42",
    b"\xff\xfe not utf-8",
    b"{",
    b"[1, 2",
    b"NaN",
    b'{"runs": "not a list"}',
    b'{"runs": [{"workflowRunId": 5.5}]}',  # an integer would be read as its decimal text
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("body", ODD_SUCCESSES)
def test_odd_2xx_bodies_are_validation_errors(mode: str, body: bytes) -> None:
    result, _, _ = outcome(mode, fs.answer(200, body), lambda c: c.logs())
    assert type(result) is APIResponseValidationError, result
    assert result.status == 200


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("body", [b"null", b"", b"{}"])
def test_null_and_empty_2xx_bodies_read_as_absent(mode: str, body: bytes) -> None:
    result, _, _ = outcome(mode, fs.answer(200, body), lambda c: c.logs())
    assert result == WorkflowRunLogs(), result


BROKEN_FRAMING = [
    ("garbage status line", b"NOT HTTP AT ALL\r\n\r\n"),
    ("short body then close", b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{}"),
    ("bad content-length", b"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n{}"),
    ("two content-lengths", b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}"),
    ("bad chunking", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"),
    ("header without colon", b"HTTP/1.1 200 OK\r\nno colon here\r\nContent-Length: 2\r\n\r\n{}"),
    ("nothing", b""),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("case", "data"), BROKEN_FRAMING, ids=[b[0] for b in BROKEN_FRAMING])
def test_broken_http_is_a_connection_error(mode: str, case: str, data: bytes) -> None:
    sleeps: list[float] = []
    result, _, server = outcome(mode, fs.raw(data), lambda c: c.logs(), max_retries=2, sleeps=sleeps)
    assert type(result) is APIConnectionError, result
    assert isinstance(result.__cause__, httpx.HTTPError)
    assert len(server.requests) == 3 and len(sleeps) == 2  # idempotent: retried


@pytest.mark.parametrize("mode", MODES)
def test_an_http_1_0_answer_without_length_is_read_to_the_end(mode: str) -> None:
    data = b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + json.dumps(LOGS_PAGE).encode()
    result, _, _ = outcome(mode, fs.raw(data), lambda c: c.logs())
    assert result.runs == []


@pytest.mark.parametrize("mode", MODES)
def test_a_huge_response_header_is_a_connection_error(mode: str) -> None:
    data = b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 200_000 + b"\r\nContent-Length: 2\r\n\r\n{}"
    result, _, _ = outcome(mode, fs.raw(data), lambda c: c.logs(), max_retries=0)
    assert type(result) is APIConnectionError


# ------------------------------------------------------------------------------------------ tokens


def _everything_about(error: BaseException) -> str:
    parts = [str(error), repr(error), "".join(traceback.format_exception(error))]
    for name in ("body", "message", "headers", "url"):
        parts.append(repr(getattr(error, name, "")))
    return "\n".join(parts)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, BadRequestError),
        (500, ServerError),
        (501, ServerError),
    ],
)
def test_a_server_echoing_the_token_does_not_leak_it(mode: str, status: int, cls: type[APIStatusError]) -> None:
    result, _, _ = outcome(mode, fs.echo_authorization(status), lambda c: c.logs())
    assert type(result) is cls
    text = _everything_about(result)
    assert TOKEN not in text
    assert "[REDACTED]" in result.body and "[REDACTED]" in result.headers["x-echo"]
    assert "[REDACTED]" in str(result)


@pytest.mark.parametrize("mode", MODES)
def test_a_2xx_echoing_the_token_in_an_unreadable_body_does_not_leak_it(mode: str) -> None:
    def behave(conn: socket.socket, request: fs.Request, server: fs.FaultServer) -> None:
        body = f"oops {request.headers['authorization']}".encode()
        conn.sendall(fs.head(200, None, len(body)) + body)

    result, _, _ = outcome(mode, behave, lambda c: c.logs())
    assert type(result) is APIResponseValidationError
    assert TOKEN not in _everything_about(result)


@pytest.mark.parametrize("mode", MODES)
def test_a_rate_limit_echoing_the_token_does_not_leak_it(mode: str) -> None:
    def behave(conn: socket.socket, request: fs.Request, server: fs.FaultServer) -> None:
        body = json.dumps({"error": request.headers["authorization"]}).encode()
        conn.sendall(fs.head(429, {"Retry-After": "3600", "Content-Type": "application/json"}, len(body)) + body)

    result, _, _ = outcome(mode, behave, lambda c: c.logs())
    assert isinstance(result, RateLimitError)
    assert TOKEN not in _everything_about(result)


# ------------------------------------------------------------------------------------------ notify


def _lost_response(conn: socket.socket, request: fs.Request, server: fs.FaultServer) -> None:
    conn.shutdown(socket.SHUT_RDWR)  # the request arrived; its answer never leaves


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("run_id", [None, "wfr_1"])
def test_notify_is_not_repeated_after_a_lost_response(mode: str, run_id: str | None) -> None:
    sleeps: list[float] = []
    op = lambda c: c.notify("evt", "data", workflow_run_id=run_id)  # noqa: E731
    result, _, server = outcome(mode, _lost_response, op, sleeps=sleeps)
    assert type(result) is APIConnectionError and result.request_sent is True
    assert len(server.requests) == 1 and sleeps == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("status", [502, 503, 504])
def test_notify_is_not_repeated_after_a_gateway_error(mode: str, status: int) -> None:
    result, _, server = outcome(mode, fs.json_answer(status, {"error": "gw"}), lambda c: c.notify("e", "d"), sleeps=[])
    assert type(result) is ServerError
    assert len(server.requests) == 1


@pytest.mark.parametrize("mode", MODES)
def test_notify_is_retried_when_it_never_left(mode: str) -> None:
    with socket.create_server(("127.0.0.1", 0)) as sock:
        port = sock.getsockname()[1]
    sleeps: list[float] = []
    with pytest.raises(APIConnectionError) as info:
        run(mode, f"http://127.0.0.1:{port}", lambda c: c.notify("e", "d"), sleeps=sleeps, max_retries=2)
    assert info.value.request_sent is False
    assert len(sleeps) == 2


@pytest.mark.parametrize("mode", MODES)
def test_notify_is_retried_after_a_rate_limit(mode: str) -> None:
    calls: list[int] = []

    def behave(conn: socket.socket, request: fs.Request, server: fs.FaultServer) -> None:
        calls.append(1)
        if len(calls) == 1:
            conn.sendall(fs.head(429, {"Retry-After": "0", "Content-Type": "application/json"}, 2) + b"{}")
        else:
            conn.sendall(fs.head(200, None, 2) + b"[]")

    result, _, server = outcome(mode, behave, lambda c: c.notify("e", "d"), sleeps=[])
    assert result == []
    assert len(server.requests) == 2


@pytest.mark.parametrize("mode", MODES)
def test_trigger_is_still_retried_after_a_lost_response(mode: str) -> None:
    sleeps: list[float] = []
    result, _, server = outcome(mode, _lost_response, lambda c: c.trigger(url=URL), sleeps=sleeps, max_retries=2)
    assert type(result) is APIConnectionError
    assert len(server.requests) == 3
    run_ids = {json.loads(r.body)[0]["headers"]["upstash-workflow-runid"] for r in server.requests}
    assert len(run_ids) == 1  # the same run id every time: the server deduplicates


def test_every_error_here_is_a_workflow_error() -> None:
    for cls in (APIConnectionError, APIResponseValidationError, APITimeoutError, ResponseTooLargeError):
        assert issubclass(cls, WorkflowError)


# ----------------------------------------------------------------------------------- no leftovers


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else 0


@pytest.mark.parametrize("mode", MODES)
def test_hostile_answers_leave_no_open_connections(mode: str) -> None:
    behaviours = [
        fs.drip("body", interval=0.05),
        fs.gzip_bomb(8 * 1024 * 1024),
        fs.answer(200, b"not gzip", {"Content-Encoding": "gzip"}),
        fs.answer(500, b"x" * 300_000, {"Content-Type": "text/html"}),
        _lost_response,
    ]
    outcome(mode, fs.json_answer(200, LOGS_PAGE), lambda c: c.logs())  # warm up lazy imports
    before = _open_descriptors()
    for behave in behaviours * 2:
        result, _, _ = outcome(mode, behave, lambda c: c.logs(), timeout=0.5, max_response_bytes=1024 * 1024)
        assert isinstance(result, WorkflowError)
    assert _open_descriptors() <= before + 2


@pytest.mark.parametrize("mode", MODES)
def test_retry_logs_never_show_the_token(mode: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="upstash_workflow.rest")
    result, _, server = outcome(mode, fs.echo_authorization(503), lambda c: c.logs(), max_retries=2, sleeps=[])
    assert isinstance(result, ServerError)
    assert len(server.requests) == 3
    assert "retry" in caplog.text and "[REDACTED]" in caplog.text
    assert TOKEN not in caplog.text


class _Delegating(httpx.AsyncBaseTransport):
    """A custom transport (as a user may write): the AsyncClient cancels the call at the deadline
    whatever sends it."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


# A sync Client and dripped headers: the documented gap, tested below.
@pytest.mark.parametrize(("mode", "part"), [("sync", "body"), ("async", "headers"), ("async", "body")])
def test_an_http_client_of_your_own_is_bounded_by_the_deadline_too(mode: str, part: str) -> None:
    def sync(url: str) -> None:
        with httpx.Client(timeout=30) as http:
            with pytest.raises(APITimeoutError, match="deadline"):
                Client(token=TOKEN, base_url=url, http_client=http, timeout=0.6).logs()
            assert not http.is_closed  # the user's client stays theirs, and usable

    async def main(url: str) -> None:
        async with httpx.AsyncClient(timeout=30) as http:
            with pytest.raises(APITimeoutError, match="deadline"):
                await AsyncClient(token=TOKEN, base_url=url, http_client=http, timeout=0.6).logs()
            assert not http.is_closed

    with fs.FaultServer(fs.drip(part, interval=0.05)) as server:
        start = time.monotonic()
        sync(server.url) if mode == "sync" else asyncio.run(main(server.url))
        assert time.monotonic() - start < 0.6 + SLACK


@pytest.mark.parametrize("own", [False, True], ids=["default", "your-own"])
@pytest.mark.parametrize("interval", [1.0, 0.05])
def test_a_sync_client_bounds_dripped_headers_per_read_only(interval: float, own: bool) -> None:
    """A sync call cannot be interrupted while httpx reads the status line and headers: each read is
    bounded by the timeout, capped to the time left when the attempt started. A drip slower than that
    ends at the deadline; a faster one runs until the server stops (README, "Timeouts"), and no retry
    starts after the deadline. The body is checked between chunks, so only the headers have this gap."""
    with fs.FaultServer(fs.drip("headers", interval=interval, total=1.5)) as server, httpx.Client(timeout=30) as http:
        mine = {"http_client": http} if own else {}
        client = Client(token=TOKEN, base_url=server.url, timeout=0.6, **mine)  # type: ignore[arg-type]
        start = time.monotonic()
        with pytest.raises(APIConnectionError) as info:
            client.logs()
        took = time.monotonic() - start
        assert len(server.requests) == 1  # the server stopped after the deadline: no retry
    if interval > 0.6:
        assert isinstance(info.value, APITimeoutError) and "deadline" in str(info.value)
        assert took < 0.6 + SLACK
    else:
        assert not isinstance(info.value, APITimeoutError)  # the server gave up first
        assert took >= 1.4


@pytest.mark.parametrize("part", ["headers", "body"])
def test_an_async_client_with_a_custom_transport_is_cancelled_at_the_deadline(part: str) -> None:
    async def main(url: str) -> None:
        async with httpx.AsyncClient(transport=_Delegating()) as http:
            client = AsyncClient(token=TOKEN, base_url=url, http_client=http, timeout=0.6)
            with pytest.raises(APITimeoutError, match="deadline"):
                await client.logs()

    with fs.FaultServer(fs.drip(part, interval=0.05)) as server:
        start = time.monotonic()
        asyncio.run(main(server.url))
        assert time.monotonic() - start < 0.6 + SLACK


@pytest.mark.parametrize("part", ["headers", "body"])
def test_the_python_3_10_cancel_scope_ends_the_call_at_the_deadline_too(part: str) -> None:
    """Python 3.10 has no ``asyncio.timeout``; AsyncClient then cancels the call with anyio's scope."""
    from upstash_workflow.rest._client import _anyio_fail_after

    async def main(url: str) -> None:
        async with AsyncClient(token=TOKEN, base_url=url, timeout=0.6) as client:
            client._cancel_after = _anyio_fail_after
            with pytest.raises(APITimeoutError, match=r"deadline of 0\.6 s passed") as info:
                await client.logs()
            assert isinstance(info.value.__cause__, httpx.TimeoutException)

    with fs.FaultServer(fs.drip(part, interval=0.05)) as server:
        start = time.monotonic()
        asyncio.run(main(server.url))
        assert time.monotonic() - start < 0.6 + SLACK


def test_outside_a_call_your_http_client_is_not_bounded_by_any_deadline() -> None:
    # The wrapper only acts inside this package's calls: a plain request through the same httpx
    # client keeps httpx's own (per-read) timeouts.
    with fs.FaultServer(fs.drip("body", interval=0.05, total=1.2)) as server, httpx.Client(timeout=5) as http:
        Client(token=TOKEN, base_url=server.url, http_client=http, timeout=0.3)
        start = time.monotonic()
        with pytest.raises(httpx.RemoteProtocolError):  # the server gives up after 1.2 s
            http.get(server.url + "/plain")
        assert time.monotonic() - start > 1.0


@pytest.mark.parametrize("mode", MODES)
def test_a_server_that_never_reads_ends_in_a_timeout_at_the_deadline(mode: str) -> None:
    # The listening socket never accepts: the connection completes in the kernel's backlog, and a
    # 20 MB body fills the socket buffers, so the send blocks until the deadline.
    with socket.create_server(("127.0.0.1", 0), backlog=4) as sock:
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        start = time.monotonic()
        with pytest.raises(APITimeoutError, match="deadline"):
            run(mode, url, lambda c: c.trigger(url=URL, body="x" * 20_000_000), timeout=1.0)
        assert time.monotonic() - start < 1.0 + SLACK


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirects_are_not_followed(mode: str, status: int) -> None:
    behave = fs.answer(status, b"", {"Location": "http://127.0.0.2:9/steal", "Content-Type": "text/plain"})
    result, _, server = outcome(mode, behave, lambda c: c.logs())
    assert isinstance(result, APIStatusError) and result.status == status
    assert len(server.requests) == 1  # the token never went to the other host


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
@pytest.mark.parametrize("size", [256 * 1024, 512 * 1024, 512 * 1024 + 1])
def test_compressed_answers_at_decoder_step_boundaries_are_whole(mode: str, encoding: str, size: int) -> None:
    page = json.dumps(LOGS_PAGE).encode()
    plain = page + b" " * (size - len(page))
    body = gzip.compress(plain) if encoding == "gzip" else zlib.compress(plain)
    headers = {"Content-Type": "application/json", "Content-Encoding": encoding}
    result, _, _ = outcome(mode, fs.answer(200, body, headers), lambda c: c.logs(), max_response_bytes=size)
    assert not isinstance(result, Exception), result
    result, _, _ = outcome(mode, fs.answer(200, body, headers), lambda c: c.logs(), max_response_bytes=size - 1)
    assert isinstance(result, ResponseTooLargeError)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("value", ["abc", "-5", ""])
def test_garbage_rate_limit_headers_fall_back_to_backoff(mode: str, value: str) -> None:
    headers = {"Retry-After": value, "Burst-RateLimit-Reset": value, "Content-Type": "application/json"}
    sleeps: list[float] = []
    behave = fs.answer(429, b'{"error":"slow"}', headers)
    result, _, server = outcome(mode, behave, lambda c: c.logs(), max_retries=2, sleeps=sleeps)
    assert isinstance(result, RateLimitError)
    assert "nan" not in str(result) and "inf" not in str(result)
    assert len(server.requests) == len(sleeps) + 1
    assert all(0 <= s <= 60 for s in sleeps)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("header", ["Retry-After", "Burst-RateLimit-Reset"])
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e400", "1e999", "9" * 400, "3600"])
def test_an_endless_rate_limit_wait_raises_at_once(mode: str, header: str, value: str) -> None:
    # Issue 23.5: a wait that is infinite or NaN says no usable time; like 3600 it raises at once
    # (it was retried with backoff: 3 requests for Retry-After: 1e400).
    headers = {header: value, "Content-Type": "application/json"}
    sleeps: list[float] = []
    behave = fs.answer(429, b'{"error":"slow"}', headers)
    result, _, server = outcome(mode, behave, lambda c: c.logs(), max_retries=2, sleeps=sleeps)
    assert isinstance(result, RateLimitError), result
    assert len(server.requests) == 1 and sleeps == []
    assert "nan" not in str(result) and "inf" not in str(result)


@pytest.mark.parametrize("mode", MODES)
def test_a_rate_limit_wait_past_the_deadline_raises_at_once(mode: str) -> None:
    behave = fs.answer(429, b'{"error":"slow"}', {"Retry-After": "30", "Content-Type": "application/json"})
    result, took, server = outcome(mode, behave, lambda c: c.logs(), max_retries=2, deadline=5)
    assert isinstance(result, RateLimitError), result
    assert len(server.requests) == 1 and took < 5  # not slept: the wait would end after the deadline


# ------------------------------------------------------------------------------- fuzzed answers

FUZZ_OPERATIONS: list[Callable[[Any], Any]] = [
    *OPERATIONS.values(),
    lambda c: c.dlq.delete(["d"]),
    lambda c: c.cancel(all=True),
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    status=st.sampled_from([200, 201, 204, 299, 300, 400, 401, 403, 404, 418, 429, 500, 502, 503, 599]),
    body=st.one_of(
        st.binary(max_size=200),
        st.builds(
            lambda v: json.dumps(v).encode(),
            st.recursive(st.none() | st.integers() | st.text(), lambda c: st.lists(c) | st.dictionaries(st.text(), c)),
        ),
        st.sampled_from([b"[]", b"{}", b'{"runs": []}', b'[{"messageId": 1}]', b"[null]", b'{"error": 5}']),
    ),
    encoding=st.sampled_from(["", "gzip", "deflate", "identity", "br", "GZIP", " gzip "]),
    compress=st.booleans(),
    extra=st.dictionaries(
        st.sampled_from(["retry-after", "ratelimit-limit", "x-ratelimit-limit-requests", "burst-ratelimit-reset"]),
        st.text(alphabet="0123456789.-eainf", max_size=8),
    ),
    which=st.integers(min_value=0, max_value=len(FUZZ_OPERATIONS) - 1),
)
def test_any_answer_is_a_result_or_a_workflow_error(
    status: int, body: bytes, encoding: str, compress: bool, extra: dict[str, str], which: int
) -> None:
    if compress and encoding.strip().lower() == "gzip":
        body = gzip.compress(body)
    headers = {"content-type": "application/json", **extra}
    if encoding:
        headers["content-encoding"] = encoding

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers=headers, stream=httpx.ByteStream(body))

    http = httpx.Client(transport=httpx.MockTransport(answer))
    no_waits = RecordingPolicy(max_retries=1)
    with Client(token=TOKEN, base_url="http://127.0.0.1:9", http_client=http, retry_policy=no_waits) as client:
        error: WorkflowError | None = None
        try:
            FUZZ_OPERATIONS[which](client)
        except WorkflowError as exc:  # anything else fails the test
            error = exc
    http.close()
    if error is not None:
        assert TOKEN not in str(error)
    if isinstance(error, APIStatusError):
        assert error.status == status and len(str(error)) < 2200
