"""Typed errors, retries and faults over real sockets (LocalQStash fault injection), sync and async."""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
import time
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import URL
from tests.support import tls
from tests.support.waits import RecordingPolicy
from upstash_workflow.rest import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncClient,
    AuthenticationError,
    BadRequestError,
    BurstRateLimitError,
    ChatRateLimitError,
    Client,
    ConfigurationError,
    DailyRateLimitError,
    InsecureTransportWarning,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    WorkflowError,
)
from upstash_workflow.rest._errors import error_from_response
from upstash_workflow.rest.testing import LocalQStash

Mode = str  # "sync" | "async"
MODES = ["sync", "async"]


def call(
    mode: Mode, qstash: LocalQStash, op: Callable[[Any], Any], sleeps: list[float] | None = None, **kw: Any
) -> Any:
    """Run ``op(client)`` on a fresh sync or async client; retry waits are recorded (in ``sleeps``)
    instead of slept, by a RetryPolicy subclass with the default rules."""
    kw.setdefault("token", qstash.token)
    kw.setdefault("base_url", qstash.url)
    waits = sleeps if sleeps is not None else []
    kw["retry_policy"] = RecordingPolicy(max_retries=kw.pop("max_retries", RetryPolicy().max_retries), waits=waits)
    if mode == "sync":
        with Client(**kw) as client:
            return op(client)

    async def run() -> Any:
        async with AsyncClient(**kw) as client:
            return await op(client)

    return asyncio.run(run())


# ----------------------------------------------------------------------------- pure error mapping


@pytest.mark.parametrize(
    ("status", "headers", "body", "cls", "message"),
    [
        (400, {}, '{"error":"bad"}', BadRequestError, "bad"),
        (401, {}, '{"error":"Unauthorized"}', AuthenticationError, "Unauthorized"),
        (403, {}, "nope", PermissionDeniedError, "nope"),
        (404, {}, '{"error":"not found"}', NotFoundError, "not found"),
        (409, {}, "", BadRequestError, "HTTP 409"),
        (500, {}, "<html><body>Bad gateway</body></html>", ServerError, "<html><body>Bad gateway</body></html>"),
        (503, {}, '{"other":"shape"}', ServerError, '{"other":"shape"}'),
        (429, {"Burst-RateLimit-Limit": "100", "Burst-RateLimit-Remaining": "0"}, "", BurstRateLimitError, "HTTP 429"),
        (429, {"RateLimit-Limit": "500", "RateLimit-Remaining": "0"}, "", DailyRateLimitError, "HTTP 429"),
        (429, {"x-ratelimit-limit-requests": "10"}, "", ChatRateLimitError, "HTTP 429"),
        (429, {}, "", BurstRateLimitError, "HTTP 429"),
    ],
)
def test_error_from_response(status: int, headers: dict[str, str], body: str, cls: type, message: str) -> None:
    error = error_from_response(status, headers, body)
    assert type(error) is cls
    assert isinstance(error, APIStatusError) and isinstance(error, WorkflowError)
    assert error.status == status
    assert error.message == message
    assert error.body == body


def test_rate_limit_fields_and_message() -> None:
    reset = int(time.time()) + 30
    error = error_from_response(
        429, {"RateLimit-Limit": "500", "RateLimit-Remaining": "0", "RateLimit-Reset": str(reset)}, ""
    )
    assert isinstance(error, DailyRateLimitError)
    assert (error.limit, error.remaining, error.reset) == (500, 0, reset)
    assert error.retry_after is not None and 28 <= error.retry_after <= 30
    assert "resets in" in str(error) and "daily" in str(error)


def test_retry_policy_backoff_is_capped_exponential_with_jitter() -> None:
    low = RetryPolicy(random=lambda: 0.0)
    high = RetryPolicy(random=lambda: 1.0)
    error = APIConnectionError("x", method="GET", url="u")
    assert [high.delay(error, n) for n in range(7)] == [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert [low.delay(error, n) for n in range(3)] == [0.125, 0.25, 0.5]


# --------------------------------------------------------------------------- faults over sockets


@pytest.mark.parametrize("mode", MODES)
def test_burst_429_is_retried_after_reset(mode: Mode, qstash: LocalQStash) -> None:
    qstash.rate_limit("burst", times=2, reset_in=1)
    sleeps: list[float] = []
    run = call(mode, qstash, lambda c: c.trigger(url=URL, workflow_run_id="rl"), sleeps)
    assert run.workflow_run_id == "wfr_rl"
    assert len(sleeps) == 2 and all(0 <= s <= 1.0 for s in sleeps)
    assert len(qstash.state.runs) == 1


@pytest.mark.parametrize("mode", MODES)
def test_daily_limit_past_the_cap_raises_at_once(mode: Mode, qstash: LocalQStash) -> None:
    qstash.rate_limit("daily", times=1, reset_in=3600)
    sleeps: list[float] = []
    with pytest.raises(DailyRateLimitError) as info:
        call(mode, qstash, lambda c: c.logs(), sleeps)
    assert sleeps == []
    assert info.value.limit == 500 and info.value.remaining == 0
    assert "resets in" in str(info.value)


@pytest.mark.parametrize("mode", MODES)
def test_rate_limit_retries_are_bounded(mode: Mode, qstash: LocalQStash) -> None:
    qstash.rate_limit("chat", times=10, reset_in=0)
    sleeps: list[float] = []
    with pytest.raises(ChatRateLimitError):
        call(mode, qstash, lambda c: c.logs(), sleeps, max_retries=3)
    assert len(sleeps) == 3
    assert len(qstash.requests) == 4


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_are_retried(mode: Mode, status: int, qstash: LocalQStash) -> None:
    qstash.inject("status", status=status, times=2)
    sleeps: list[float] = []
    page = call(mode, qstash, lambda c: c.logs(), sleeps)
    assert page.runs == []
    assert len(sleeps) == 2
    assert sleeps[0] <= 0.25 and sleeps[1] <= 0.5  # exponential backoff with jitter


@pytest.mark.parametrize("mode", MODES)
def test_500_is_not_retried(mode: Mode, qstash: LocalQStash) -> None:
    qstash.inject("status", status=500, body='{"error":"boom"}')
    sleeps: list[float] = []
    with pytest.raises(ServerError) as info:
        call(mode, qstash, lambda c: c.logs(), sleeps)
    assert info.value.message == "boom"
    assert sleeps == []


@pytest.mark.parametrize("mode", MODES)
def test_html_error_page(mode: Mode, qstash: LocalQStash) -> None:
    qstash.inject("body", status=502, body="<html>Bad Gateway</html>", content_type="text/html", times=10)
    with pytest.raises(ServerError) as info:
        call(mode, qstash, lambda c: c.logs(), max_retries=1)
    assert info.value.status == 502
    assert info.value.message == "<html>Bad Gateway</html>"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"runs": [', "application/json"),
        ("not json", "text/plain"),
        ('{"runs": "nope"}', "application/json"),
        ('{"runs": [{"workflowRunId": true}]}', "application/json"),
        ("[]", "application/json"),
    ],
)
def test_bad_success_bodies(mode: Mode, body: str, content_type: str, qstash: LocalQStash) -> None:
    qstash.inject("body", status=200, body=body, content_type=content_type)
    with pytest.raises(APIResponseValidationError) as info:
        call(mode, qstash, lambda c: c.logs())
    assert info.value.status == 200
    assert info.value.body == body


@pytest.mark.parametrize("mode", MODES)
def test_unknown_fields_do_not_break_parsing(mode: Mode, qstash: LocalQStash) -> None:
    body = '{"runs": [], "cursor": "", "brandNew": {"x": 1}}'
    qstash.inject("body", status=200, body=body)
    assert call(mode, qstash, lambda c: c.logs()).runs == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind", ["drop", "drop_mid"])
def test_dropped_connections_are_retried(mode: Mode, kind: str, qstash: LocalQStash) -> None:
    qstash.inject(kind, times=2)  # type: ignore[arg-type]
    sleeps: list[float] = []
    assert call(mode, qstash, lambda c: c.logs(), sleeps).runs == []
    assert len(sleeps) == 2


@pytest.mark.parametrize("mode", MODES)
def test_dropped_connections_end_in_a_typed_error(mode: Mode, qstash: LocalQStash) -> None:
    qstash.inject("drop", times=100)
    with pytest.raises(APIConnectionError) as info:
        call(mode, qstash, lambda c: c.logs(), max_retries=2)
    assert isinstance(info.value.__cause__, httpx.TransportError)
    assert len(qstash.requests) == 3


@pytest.mark.parametrize("mode", MODES)
def test_read_timeout(mode: Mode, qstash: LocalQStash) -> None:
    qstash.inject("slow", delay=5, times=100)
    started = time.monotonic()
    with pytest.raises(APITimeoutError) as info:
        call(mode, qstash, lambda c: c.logs(), max_retries=1, timeout=0.2)
    assert time.monotonic() - started < 2.5
    assert isinstance(info.value.__cause__, httpx.TimeoutException)


@pytest.mark.parametrize("mode", MODES)
def test_connection_refused(mode: Mode) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    sleeps: list[float] = []
    fake = LocalQStash.__new__(LocalQStash)
    fake.token, fake.url = "t", f"http://127.0.0.1:{port}"
    with pytest.raises(APIConnectionError) as info:
        call(mode, fake, lambda c: c.logs(), sleeps, max_retries=3)
    assert len(sleeps) == 3
    assert not info.value.request_sent
    assert isinstance(info.value.__cause__, httpx.ConnectError)


@pytest.mark.parametrize("mode", MODES)
def test_lost_trigger_response_never_starts_a_second_run(mode: Mode, qstash: LocalQStash) -> None:
    """The first attempt reached the server, its response was lost; the retry reuses the run ids."""
    from upstash_workflow.rest import TriggerRequest

    qstash.inject("lose_response", path_prefix="/v2/batch")
    results = call(mode, qstash, lambda c: c.trigger_many([TriggerRequest(url=URL), TriggerRequest(url=URL)]))
    assert len(qstash.state.runs) == 2
    assert {r.workflow_run_id for r in results} == set(qstash.state.runs)
    assert all(r.deduplicated for r in results)  # the retry found the runs the first attempt made


@pytest.mark.parametrize("mode", MODES)
def test_non_idempotent_calls_are_not_repeated_after_the_server_may_have_acted(mode: Mode, qstash: LocalQStash) -> None:
    run = call(mode, qstash, lambda c: c.trigger(url=URL))
    dlq_id = qstash.add_dlq_message(run.workflow_run_id)
    qstash.inject("status", status=503, path_prefix="/v2/workflows/dlq/restart")
    sleeps: list[float] = []
    with pytest.raises(ServerError):
        call(mode, qstash, lambda c: c.dlq.restart(dlq_id), sleeps)
    assert sleeps == []


@pytest.mark.parametrize("mode", MODES)
def test_bulk_actions_bounded_by_count_are_not_repeated(mode: Mode, qstash: LocalQStash) -> None:
    """A retried "cancel up to count" after a lost response could cancel more runs than asked."""
    sleeps: list[float] = []
    qstash.inject("status", status=503, times=1)
    with pytest.raises(ServerError):
        call(mode, qstash, lambda c: c.cancel(all=True, count=5), sleeps)
    qstash.inject("status", status=503, times=1)
    with pytest.raises(ServerError):
        call(mode, qstash, lambda c: c.dlq.delete(all=True), sleeps)
    assert sleeps == []
    qstash.inject("status", status=503, times=1)
    assert call(mode, qstash, lambda c: c.cancel(ids=["wfr_x"]), sleeps).cancelled == 0  # by id: retried
    assert len(sleeps) == 1


@pytest.mark.parametrize("mode", MODES)
def test_wrong_token(mode: Mode, qstash: LocalQStash) -> None:
    with pytest.raises(AuthenticationError) as info:
        call(mode, qstash, lambda c: c.logs(), token="wrong-token")
    assert info.value.status == 401
    assert "wrong-token" not in str(info.value)


# ------------------------------------------------------------------------------------ security


def test_token_never_leaks(qstash: LocalQStash, caplog: pytest.LogCaptureFixture) -> None:
    secret = qstash.token
    caplog.set_level(logging.DEBUG)
    qstash.inject("status", status=503, times=2)
    qstash.inject("drop", times=2)
    texts: list[str] = []
    with Client(token=secret, base_url=qstash.url, retry_policy=RecordingPolicy(max_retries=1)) as client:
        texts += [repr(client), str(client), repr(client.api), repr(client.dlq)]
        with pytest.raises(WorkflowError) as info:
            client.logs()
        texts += [str(info.value), repr(info.value), "".join(traceback.format_exception(info.value))]
        with pytest.raises(WorkflowError) as info2:
            client.logs()
        texts += [str(info2.value), "".join(traceback.format_exception(info2.value))]
    texts += [record.getMessage() for record in caplog.records]
    assert any("retry" in record.getMessage() for record in caplog.records)
    for text in texts:
        assert secret not in text


def test_missing_token_names_the_env_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QSTASH_TOKEN", raising=False)
    monkeypatch.delenv("QSTASH_REGION", raising=False)
    with pytest.raises(ConfigurationError, match="QSTASH_TOKEN"):
        Client()
    with pytest.raises(ValueError, match="QSTASH_TOKEN"):
        AsyncClient()


def test_environment_and_region_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QSTASH_TOKEN", "env-token")
    monkeypatch.setenv("QSTASH_URL", "http://127.0.0.1:9/")
    assert Client().base_url == "http://127.0.0.1:9"
    monkeypatch.setenv("QSTASH_REGION", "eu-central-1")
    monkeypatch.setenv("EU_CENTRAL_1_QSTASH_URL", "http://127.0.0.1:10")
    monkeypatch.setenv("EU_CENTRAL_1_QSTASH_TOKEN", "eu-token")
    client = Client()
    assert client.base_url == "http://127.0.0.1:10" and client._token == "eu-token"
    explicit = Client(token="t", base_url="http://127.0.0.1:11")
    assert explicit.base_url == "http://127.0.0.1:11"
    assert Client(token="t", base_url="https://qstash.upstash.io/v2/publish").base_url == "https://qstash.upstash.io"


def test_plain_http_to_a_remote_host_warns() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Client(token="t", base_url="http://qstash.example.com")
        AsyncClient(token="t", base_url="http://qstash.example.com")
    assert [w.category for w in caught] == [InsecureTransportWarning, InsecureTransportWarning]
    # The warning names the line that made the client, not a line inside this package.
    assert [(w.filename, w.lineno) for w in caught] == [(__file__, caught[0].lineno), (__file__, caught[0].lineno + 1)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Client(token="t", base_url="http://127.0.0.1:8080")
        Client(token="t", base_url="http://localhost:8080")
        Client(token="t", base_url="https://qstash.upstash.io")


@pytest.mark.parametrize("mode", MODES)
def test_tls_verification_is_on_by_default(mode: Mode, tmp_path: Path) -> None:
    """A certificate from an unknown CA fails the call with a bounded number of attempts; your own
    httpx client that trusts the CA gets through."""
    pytest.importorskip("cryptography", reason="the test's certificates are made with `cryptography`")
    ca, cert, key = tls.make_certificates(tmp_path)
    waits: list[float] = []
    with tls.TLSServer(cert, key) as server:
        fake = LocalQStash.__new__(LocalQStash)
        fake.token, fake.url = "t", server.url
        with pytest.raises(APIConnectionError) as info:
            call(mode, fake, lambda c: c.logs(), waits, max_retries=2)
        assert "certificate verify failed" in str(info.value).lower()
        assert isinstance(info.value.__cause__, httpx.ConnectError)
        assert not info.value.request_sent
        assert len(waits) == 2  # max_retries, then the error

        trusted = ssl.create_default_context(cafile=str(ca))
        if mode == "sync":
            with (
                httpx.Client(verify=trusted) as http,
                Client(token="t", base_url=server.url, http_client=http) as client,
            ):
                assert client.logs().runs == []

        async def main() -> None:
            async with httpx.AsyncClient(verify=trusted) as http:
                async with AsyncClient(token="t", base_url=server.url, http_client=http) as client:
                    assert (await client.logs()).runs == []

        if mode == "async":
            asyncio.run(main())


def test_rate_limit_error_is_a_status_error() -> None:
    assert issubclass(RateLimitError, APIStatusError)
    assert issubclass(APITimeoutError, APIConnectionError)
