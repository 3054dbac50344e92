# mypy: disable-error-code="misc, arg-type"
# (this file passes wrong types on purpose)
"""Hostile arguments, sync and async: every one is refused with a WorkflowError before anything is
sent (a recording loopback server counts the requests), and no header, query or path can be
injected into. Then a hypothesis sweep over the public surface with values of every type."""

from __future__ import annotations

import asyncio
import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import URL
from tests.support import fault_server as fs
from tests.support.hostile import MODES, TOKEN, run
from upstash_workflow.rest import (
    AsyncClient,
    CancelFilter,
    Client,
    ClientClosedError,
    ClientStateError,
    ConfigurationError,
    DLQFilter,
    FlowControl,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    Redact,
    RetryPolicy,
    TriggerRequest,
    WorkflowError,
)

INJECTIONS = ["x\r\nX-Evil: 1", "x\n", "x\r", "x\x00", "x\x1b[31m", "x\x7f", "x\x85", "\ud800", "x\x0b", "x\x0c"]

BAD_CALLS: list[tuple[str, Callable[[Any], Any]]] = []


def bad(name: str) -> Callable[[Callable[[Any], Any]], Callable[[Any], Any]]:
    def add(op: Callable[[Any], Any]) -> Callable[[Any], Any]:
        BAD_CALLS.append((name, op))
        return op

    return add


for value in INJECTIONS:
    for field in ("workflow_run_id", "retry_delay"):
        BAD_CALLS.append((f"trigger {field} {value!r}", lambda c, f=field, v=value: c.trigger(url=URL, **{f: v})))
    BAD_CALLS += [
        (f"trigger delay {value!r}", lambda c, v=value: c.trigger(url=URL, delay="10s" + v)),
        (f"trigger label {value!r}", lambda c, v=value: c.trigger(url=URL, label=v)),
        (f"flow control key {value!r}", lambda c, v=value: c.trigger(url=URL, flow_control=FlowControl(v, rate=1))),
        (
            f"flow control period {value!r}",
            lambda c, v=value: c.trigger(url=URL, flow_control=FlowControl("k", rate=1, period="1m" + v)),
        ),
        (f"redact header {value!r}", lambda c, v=value: c.trigger(url=URL, redact=Redact(header=["A" + v]))),
        (f"header name {value!r}", lambda c, v=value: c.trigger(url=URL, headers={"X" + v: "1"})),
        (f"url {value!r}", lambda c, v=value: c.trigger(url=URL + v)),
        (f"failure_url {value!r}", lambda c, v=value: c.trigger(url=URL, failure_url=URL + v)),
        (f"event id {value!r}", lambda c, v=value: c.notify("evt" + v, "data")),
        (f"waiters event id {value!r}", lambda c, v=value: c.get_waiters("evt" + v)),
        (f"notify run id {value!r}", lambda c, v=value: c.notify("evt", "d", workflow_run_id="wfr" + v)),
        (f"cancel id {value!r}", lambda c, v=value: c.cancel(ids=["a" + v])),
        (f"dlq id {value!r}", lambda c, v=value: c.dlq.retry_failure_function("d" + v)),
        (f"dlq delete id {value!r}", lambda c, v=value: c.dlq.delete(["d" + v])),
        (f"logs run id {value!r}", lambda c, v=value: c.logs(workflow_run_id="wfr" + v)),
        (f"logs cursor {value!r}", lambda c, v=value: c.logs(cursor="1" + v)),
        (f"cancel filter host {value!r}", lambda c, v=value: c.cancel(filter=CancelFilter(host="h" + v))),
        (f"dlq filter run id {value!r}", lambda c, v=value: c.dlq.list(filter=DLQFilter(workflow_run_id="w" + v))),
        (f"dlq filter label {value!r}", lambda c, v=value: c.dlq.delete(filter=DLQFilter(label=["l" + v]))),
    ]
    if value != "x\x85":  # legal in a header value (obs-text)
        BAD_CALLS.append((f"header value {value!r}", lambda c, v=value: c.trigger(url=URL, headers={"X-A": v})))
    if value == "\ud800":
        BAD_CALLS += [
            ("body lone surrogate", lambda c: c.trigger(url=URL, body="\ud800")),
            ("json body lone surrogate", lambda c: c.trigger(url=URL, body={"a": "\udfff"})),
            ("event data lone surrogate", lambda c: c.notify("e", "\ud800")),
        ]

WRONG_TYPES: list[tuple[str, Callable[[Any], Any]]] = [
    ("label=123", lambda c: c.trigger(url=URL, label=123)),
    ("label=[1]", lambda c: c.trigger(url=URL, label=[1])),
    ("flow_control dict rate str", lambda c: c.trigger(url=URL, flow_control={"key": "k", "rate": "1"})),
    ("flow_control dict unknown key", lambda c: c.trigger(url=URL, flow_control={"key": "k", "rat": 1})),
    ("flow_control str", lambda c: c.trigger(url=URL, flow_control="k")),
    ("flow_control period float", lambda c: c.trigger(url=URL, flow_control=FlowControl("k", rate=1, period=1.5))),
    ("flow_control rate str", lambda c: c.trigger(url=URL, flow_control=FlowControl("k", rate="1"))),
    ("redact str", lambda c: c.trigger(url=URL, redact="body")),
    ("redact header str", lambda c: c.trigger(url=URL, redact=Redact(header="Authorization"))),
    ("redact header int", lambda c: c.trigger(url=URL, redact=Redact(header=5))),
    ("redact body str", lambda c: c.trigger(url=URL, redact=Redact(body="yes"))),
    ("retries str", lambda c: c.trigger(url=URL, retries="3")),
    ("retries float", lambda c: c.trigger(url=URL, retries=1.5)),
    ("retry_delay int", lambda c: c.trigger(url=URL, retry_delay=5)),
    ("workflow_run_id int", lambda c: c.trigger(url=URL, workflow_run_id=5)),
    ("delay list", lambda c: c.trigger(url=URL, delay=[1])),
    ("delay inf", lambda c: c.trigger(url=URL, delay=math.inf)),
    ("delay arabic digits", lambda c: c.trigger(url=URL, delay="\u0661\u0660s")),
    ("not_before str", lambda c: c.trigger(url=URL, not_before="tomorrow")),
    ("not_before nan", lambda c: c.trigger(url=URL, not_before=math.nan)),
    ("headers list", lambda c: c.trigger(url=URL, headers=[("a", "b")])),
    ("header value int", lambda c: c.trigger(url=URL, headers={"a": 1})),
    ("url bytes", lambda c: c.trigger(url=b"https://x.com")),
    ("url bad port", lambda c: c.trigger(url="https://x.com:port/")),
    ("url bad ipv6", lambda c: c.trigger(url="http://[::1/")),
    ("disable_telemetry str", lambda c: c.trigger(url=URL, disable_telemetry="no")),
    ("body set", lambda c: c.trigger(url=URL, body={1, 2})),
    ("body deep", lambda c: c.trigger(url=URL, body=_deep_list(100_000))),
    ("event data deep", lambda c: c.notify("e", _deep_dict(100_000))),
    ("trigger_many int", lambda c: c.trigger_many(5)),
    ("trigger_many one request", lambda c: c.trigger_many(TriggerRequest(url=URL))),
    ("trigger_many dict without url", lambda c: c.trigger_many([{"body": 1}])),
    ("trigger_many one dict", lambda c: c.trigger_many({"url": URL})),
    ("trigger_many batch_size 0", lambda c: c.trigger_many([TriggerRequest(url=URL)], batch_size=0)),
    ("cancel ids int", lambda c: c.cancel(ids=5)),
    ("cancel ids [None]", lambda c: c.cancel(ids=[None])),
    ("cancel filter dict unknown key", lambda c: c.cancel(filter={"hots": "h"})),
    ("cancel all str", lambda c: c.cancel(all="yes")),
    ("cancel count -1", lambda c: c.cancel(all=True, count=-1)),
    ("cancel filter host object", lambda c: c.cancel(filter=CancelFilter(host=object()))),
    ("cancel filter label int", lambda c: c.cancel(filter=CancelFilter(label=5))),
    ("cancel filter from_date str", lambda c: c.cancel(filter=CancelFilter(from_date="yesterday"))),
    ("cancel filter naive date", lambda c: c.cancel(filter=CancelFilter(from_date=dt.datetime(2024, 1, 1)))),
    ("dlq filter run id object", lambda c: c.dlq.list(filter=DLQFilter(workflow_run_id=object()))),
    ("dlq filter state int", lambda c: c.dlq.delete(filter=DLQFilter(failure_function_state=3))),
    ("dlq filter url object", lambda c: c.dlq.list(filter=DLQFilter(url=object()))),
    ("dlq filter status str", lambda c: c.dlq.list(filter=DLQFilter(response_status="500"))),
    ("dlq resume flow_control dict without limits", lambda c: c.dlq.resume(["d"], flow_control={"key": "k"})),
    ("dlq resume retries -1", lambda c: c.dlq.resume(["d"], retries=-1)),
    ("dlq list count 0", lambda c: c.dlq.list(count=0)),
    ("dlq id int", lambda c: c.dlq.retry_failure_function(5)),
    ("logs count str", lambda c: c.logs(count="5")),
    ("logs label object", lambda c: c.logs(label=object())),
    ("logs caller_ip int list", lambda c: c.logs(caller_ip=[1])),
    ("logs from_date float", lambda c: c.logs(from_date=1.5)),
    ("notify event id None", lambda c: c.notify(None)),
    ("notify data object", lambda c: c.notify("e", object())),
    ("get_waiters empty", lambda c: c.get_waiters("")),
]


def _deep_list(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


def _deep_dict(depth: int) -> Any:
    value: Any = {}
    for _ in range(depth):
        value = {"a": value}
    return value


@pytest.fixture(scope="module")
def recorder() -> Any:
    with fs.FaultServer(fs.json_answer(200, []), lifetime=600) as server:
        yield server


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("case", "op"), BAD_CALLS + WRONG_TYPES, ids=[b[0] for b in BAD_CALLS + WRONG_TYPES])
def test_bad_arguments_are_refused_before_sending(
    mode: str, case: str, op: Callable[[Any], Any], recorder: Any
) -> None:
    before = len(recorder.requests)
    with pytest.raises(InvalidArgumentError) as info:
        run(mode, recorder.url, op)
    assert len(recorder.requests) == before, f"{case}: a request was sent"
    assert "\n" not in str(info.value) and "\r" not in str(info.value)  # messages show values escaped


@pytest.mark.parametrize("mode", MODES)
def test_a_tab_in_a_filter_value_is_sent_percent_encoded(mode: str, recorder: Any) -> None:
    before = len(recorder.requests)
    run(mode, recorder.url, lambda c: c.get_waiters("a\tb"))
    assert recorder.requests[before].target == "/v2/waiters/a%09b"


# ------------------------------------------------------------------------------- configuration

BAD_CONFIG: list[tuple[str, dict[str, Any], type[WorkflowError]]] = [
    ("timeout -1", {"timeout": -1}, InvalidArgumentError),
    ("timeout 0", {"timeout": 0}, InvalidArgumentError),
    ("timeout nan", {"timeout": math.nan}, InvalidArgumentError),
    ("timeout inf", {"timeout": math.inf}, InvalidArgumentError),
    ("timeout str", {"timeout": "5"}, InvalidArgumentTypeError),
    ("timeout bool", {"timeout": True}, InvalidArgumentTypeError),
    ("timeout tuple", {"timeout": (1, 2)}, InvalidArgumentTypeError),
    ("httpx timeout -1", {"timeout": httpx.Timeout(-1)}, InvalidArgumentError),
    ("httpx timeout nan read", {"timeout": httpx.Timeout(5, read=math.nan)}, InvalidArgumentError),
    ("deadline -1", {"deadline": -1}, InvalidArgumentError),
    ("deadline 0", {"deadline": 0}, InvalidArgumentError),
    ("deadline nan", {"deadline": math.nan}, InvalidArgumentError),
    ("deadline str", {"deadline": "1"}, InvalidArgumentTypeError),
    ("max_response_bytes 0", {"max_response_bytes": 0}, InvalidArgumentError),
    ("max_response_bytes str", {"max_response_bytes": "1"}, InvalidArgumentTypeError),
    ("max_response_bytes float", {"max_response_bytes": 1e6}, InvalidArgumentTypeError),
    ("max_retries -1", {"max_retries": -1}, InvalidArgumentError),
    ("max_retries str", {"max_retries": "3"}, InvalidArgumentTypeError),
    ("max_retries bool", {"max_retries": True}, InvalidArgumentTypeError),
    ("retry_policy str", {"retry_policy": "fast"}, InvalidArgumentTypeError),
    ("http_client wrong", {"http_client": object()}, InvalidArgumentTypeError),
    ("disable_telemetry str", {"disable_telemetry": "yes"}, InvalidArgumentTypeError),
    ("coalesce_triggers str", {"coalesce_triggers": "no"}, InvalidArgumentTypeError),
    ("coalesce_triggers int", {"coalesce_triggers": 0}, InvalidArgumentTypeError),
    ("headers CRLF", {"headers": {"X-A": "a\r\nB: c"}}, InvalidArgumentError),
    ("headers name LF", {"headers": {"X-A\n": "a"}}, InvalidArgumentError),
    ("headers list", {"headers": ["a"]}, InvalidArgumentTypeError),
    ("base_url CRLF", {"base_url": "http://127.0.0.1:9\r\nX: 1"}, ConfigurationError),
    ("base_url trailing LF", {"base_url": "http://127.0.0.1:9\n"}, ConfigurationError),
    ("base_url space", {"base_url": "http://127.0.0.1:9/ a"}, ConfigurationError),
    ("base_url NUL", {"base_url": "http://127.0.0.1\x00:9"}, ConfigurationError),
    ("base_url bad port", {"base_url": "http://127.0.0.1:port"}, ConfigurationError),
    ("base_url bad ipv6", {"base_url": "http://[::1"}, ConfigurationError),
    ("base_url ftp", {"base_url": "ftp://127.0.0.1"}, ConfigurationError),
    ("base_url query", {"base_url": "http://127.0.0.1:9/?a=1"}, ConfigurationError),
    ("base_url int", {"base_url": 9}, ConfigurationError),
    ("base_url surrogate", {"base_url": "http://127.0.0.1/\udc80"}, ConfigurationError),
]

BAD_TOKENS = [
    ("trailing newline", TOKEN + "\n", "newline"),
    ("leading space", " " + TOKEN, "whitespace"),
    ("trailing CRLF", TOKEN + "\r\n", "whitespace"),
    ("inner space", "abc def", "printable ASCII"),
    ("inner newline", "abc\r\nX-Evil: 1", "printable ASCII"),
    ("NUL", "abc\x00", "printable ASCII"),
    ("non-ASCII", "tökén-secret", "printable ASCII"),
    ("surrogate", "abc\udc80", "printable ASCII"),
    ("ESC", "abc\x1b", "printable ASCII"),
    ("bytes", b"abc", "must be a str"),
    ("int", 12345, "must be a str"),
]


@pytest.mark.parametrize("cls", [Client, AsyncClient])
@pytest.mark.parametrize(("case", "kwargs", "error"), BAD_CONFIG, ids=[b[0] for b in BAD_CONFIG])
def test_bad_configuration_is_refused_at_construction(
    cls: type[Client], case: str, kwargs: dict[str, Any], error: type[WorkflowError]
) -> None:
    kwargs = {"token": TOKEN, "base_url": "http://127.0.0.1:9", **kwargs}
    with pytest.raises(error):
        cls(**kwargs)


@pytest.mark.parametrize("cls", [Client, AsyncClient])
@pytest.mark.parametrize(("case", "token", "hint"), BAD_TOKENS, ids=[b[0] for b in BAD_TOKENS])
def test_bad_tokens_are_refused_without_being_repeated(cls: type[Client], case: str, token: Any, hint: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        cls(token=token, base_url="http://127.0.0.1:9")
    text = f"{info.value} {info.value!r}"
    assert hint in text
    secret = token.decode() if isinstance(token, bytes) else str(token)
    assert secret.strip() not in text


def test_a_token_from_the_environment_is_checked_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QSTASH_TOKEN", TOKEN + "\n")
    with pytest.raises(ConfigurationError, match="newline") as info:
        Client(base_url="http://127.0.0.1:9")
    assert TOKEN not in str(info.value)


BAD_POLICIES: list[tuple[str, dict[str, Any], type[WorkflowError]]] = [
    ("max_retries -1", {"max_retries": -1}, InvalidArgumentError),
    ("max_retries 1.5", {"max_retries": 1.5}, InvalidArgumentTypeError),
    ("initial_delay -1", {"initial_delay": -1}, InvalidArgumentError),
    ("initial_delay nan", {"initial_delay": math.nan}, InvalidArgumentError),
    ("max_delay inf", {"max_delay": math.inf}, InvalidArgumentError),
    ("max_delay str", {"max_delay": "1"}, InvalidArgumentTypeError),
    ("max_rate_limit_wait -5", {"max_rate_limit_wait": -5}, InvalidArgumentError),
    ("random not callable", {"random": 0.5}, InvalidArgumentTypeError),
]


@pytest.mark.parametrize(("case", "kwargs", "error"), BAD_POLICIES, ids=[b[0] for b in BAD_POLICIES])
def test_bad_retry_policies_are_refused_at_construction(
    case: str, kwargs: dict[str, Any], error: type[WorkflowError]
) -> None:
    with pytest.raises(error):
        RetryPolicy(**kwargs)


# --------------------------------------------------------------------------------- client state

STATE_OPERATIONS: dict[str, Callable[[Any], Any]] = {
    "trigger": lambda c: c.trigger(url=URL),
    "logs": lambda c: c.logs(),
    "notify": lambda c: c.notify("e"),
    "cancel": lambda c: c.cancel(ids="a"),
    "dlq.list": lambda c: c.dlq.list(),
}


@pytest.mark.parametrize("name", list(STATE_OPERATIONS))
def test_a_call_after_close_is_a_typed_error(name: str, recorder: Any) -> None:
    client = Client(token=TOKEN, base_url=recorder.url)
    client.close()
    with pytest.raises(ClientClosedError, match="closed"):
        STATE_OPERATIONS[name](client)


@pytest.mark.parametrize("name", list(STATE_OPERATIONS))
def test_an_async_call_after_aclose_is_a_typed_error(name: str, recorder: Any) -> None:
    async def main() -> None:
        client = AsyncClient(token=TOKEN, base_url=recorder.url)
        await client.aclose()
        with pytest.raises(ClientClosedError):
            await STATE_OPERATIONS[name](client)

    asyncio.run(main())


@pytest.mark.parametrize("mode", MODES)
def test_a_closed_http_client_of_your_own_is_a_typed_error(mode: str, recorder: Any) -> None:
    if mode == "sync":
        http = httpx.Client()
        http.close()
        with pytest.raises(ClientClosedError):
            Client(token=TOKEN, base_url=recorder.url, http_client=http).logs()
        return

    async def main() -> None:
        http = httpx.AsyncClient()
        await http.aclose()
        with pytest.raises(ClientClosedError):
            await AsyncClient(token=TOKEN, base_url=recorder.url, http_client=http).logs()

    asyncio.run(main())


def test_an_async_client_used_from_a_second_event_loop_is_a_typed_error(recorder: Any) -> None:
    client = AsyncClient(token=TOKEN, base_url=recorder.url)
    assert asyncio.run(client.get_waiters("e")) == []
    with pytest.raises(ClientStateError, match="another event loop") as info:
        asyncio.run(client.get_waiters("e"))
    assert isinstance(info.value, RuntimeError)


# ------------------------------------------------------------------------------ hypothesis sweep

ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.binary(max_size=8),
    st.lists(st.one_of(st.text(max_size=5), st.integers()), max_size=3),
    st.dictionaries(st.text(max_size=5), st.one_of(st.text(max_size=5), st.integers()), max_size=2),
    st.builds(object),
    st.just(dt.datetime(2024, 1, 1)),
)

SURFACE: dict[str, tuple[Callable[..., Any], list[str]]] = {
    "trigger": (
        lambda c, **kw: c.trigger(url=URL, **kw),
        [
            "body",
            "headers",
            "workflow_run_id",
            "retries",
            "retry_delay",
            "flow_control",
            "delay",
            "not_before",
            "label",
            "disable_telemetry",
            "failure_url",
            "redact",
        ],
    ),
    "notify": (lambda c, **kw: c.notify(kw.pop("event_id", "e"), **kw), ["event_id", "event_data", "workflow_run_id"]),
    "get_waiters": (lambda c, **kw: c.get_waiters(**kw), ["event_id"]),
    "cancel": (lambda c, **kw: c.cancel(**kw), ["ids", "url_starting_with", "filter", "all", "count"]),
    "logs": (
        lambda c, **kw: c.logs(**kw),
        [
            "workflow_run_id",
            "state",
            "workflow_url",
            "workflow_created_at",
            "label",
            "cursor",
            "count",
            "from_date",
            "to_date",
            "caller_ip",
            "flow_control_key",
            "host",
            "path",
            "message_id",
        ],
    ),
    "dlq.list": (lambda c, **kw: c.dlq.list(**kw), ["cursor", "count", "filter"]),
    "dlq.resume": (lambda c, **kw: c.dlq.resume(**kw), ["ids", "filter", "all", "count", "cursor", "retries"]),
    "dlq.delete": (lambda c, **kw: c.dlq.delete(**kw), ["ids", "filter", "all", "count", "cursor"]),
    "dlq.retry_failure_function": (lambda c, **kw: c.dlq.retry_failure_function(**kw), ["dlq_id"]),
    "CancelFilter": (lambda c, **kw: c.cancel(filter=CancelFilter(**kw)), ["host", "path", "label", "caller_ip"]),
    "DLQFilter": (
        lambda c, **kw: c.dlq.list(filter=DLQFilter(**kw)),
        ["workflow_run_id", "workflow_url", "failure_function_state", "url", "response_status", "label"],
    ),
    "FlowControl": (
        lambda c, **kw: c.trigger(url=URL, flow_control=FlowControl(**{"key": "k", **kw})),
        ["key", "parallelism", "rate", "period", "rate_per_second"],
    ),
    "Redact": (lambda c, **kw: c.trigger(url=URL, redact=Redact(**kw)), ["body", "header"]),
}


class _Recorder:
    """A transport that records requests and answers 200 with a body no result can parse, so a
    call that is sent ends in APIResponseValidationError (a WorkflowError) without a server."""

    def __init__(self) -> None:
        self.sent: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        return httpx.Response(200, content=b'"unexpected"')


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(SURFACE)),
    data=st.data(),
)
def test_the_public_surface_raises_only_workflow_errors(name: str, data: st.DataObject) -> None:
    op, params = SURFACE[name]
    chosen = data.draw(st.lists(st.sampled_from(params), min_size=1, max_size=3, unique=True))
    kwargs = {param: data.draw(ANYTHING, label=param) for param in chosen}
    recorder = _Recorder()
    with Client(
        token=TOKEN,
        base_url="http://127.0.0.1:9",
        http_client=httpx.Client(transport=httpx.MockTransport(recorder)),
        max_retries=0,
    ) as client:
        try:
            op(client, **kwargs)
        except (InvalidArgumentError, ConfigurationError):
            assert recorder.sent == []  # refused arguments never reach the wire
        except WorkflowError:
            pass
    for request in recorder.sent:
        for key, value in request.headers.raw:
            assert not any(ch in key + value for ch in (b"\r", b"\n", b"\x00"))
        assert any(TOKEN.encode() in v for _, v in request.headers.raw)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(SURFACE)), data=st.data())
def test_the_async_surface_raises_only_workflow_errors(name: str, data: st.DataObject) -> None:
    op, params = SURFACE[name]
    chosen = data.draw(st.lists(st.sampled_from(params), min_size=1, max_size=3, unique=True))
    kwargs = {param: data.draw(ANYTHING, label=param) for param in chosen}
    recorder = _Recorder()

    async def main() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
        async with AsyncClient(token=TOKEN, base_url="http://127.0.0.1:9", http_client=http, max_retries=0) as client:
            try:
                await op(client, **kwargs)
            except (InvalidArgumentError, ConfigurationError):
                assert recorder.sent == []
            except WorkflowError:
                pass
        await http.aclose()

    asyncio.run(main())
