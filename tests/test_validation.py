"""Input normalisation as properties (hypothesis) and explicit bad-input cases: every bad input gets
a typed error before any request; every good one is sent correctly encoded. The transport is
respx's mock, which records exactly what would go on the wire."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx
import pytest
import respx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from upstash_workflow.rest import (
    CancelFilter,
    Client,
    FlowControl,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    WorkflowError,
)

BASE = "http://127.0.0.1:9"
URL = "https://my-app.com/wf"
# Arbitrary ids, most without wfr_ on purpose: the prefix warning is tested in test_run_id_prefix.py.
pytestmark = pytest.mark.filterwarnings("ignore::upstash_workflow.rest.RunIdPrefixWarning")
PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def wire() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.post("/v2/batch").mock(
            side_effect=lambda req: httpx.Response(200, json=[{"messageId": "m"}] * len(json.loads(req.content)))
        )
        router.delete("/v2/workflows/runs").mock(return_value=httpx.Response(200, json={"cancelled": 1}))
        router.post(path__startswith="/v2/notify/").mock(return_value=httpx.Response(200, json=[]))
        router.get(path__startswith="/v2/waiters/").mock(return_value=httpx.Response(200, json=[]))
        yield router


@pytest.fixture
def client() -> Iterator[Client]:
    with Client(token="t", base_url=BASE, max_retries=0) as c:
        yield c


def last(router: respx.MockRouter) -> httpx.Request:
    return router.calls.last.request


def batch_headers(router: respx.MockRouter) -> dict[str, str]:
    return dict(json.loads(last(router).content)[0]["headers"])


# Control characters and lone surrogates are refused (tests/test_hostile_inputs.py); the rest round-trips.
sendable = st.characters(exclude_categories=("Cc", "Cs"))
non_empty_ids = st.sampled_from([".", "..", "../..", "a/../b", "?x=1", "#f", "%2F"]) | st.text(
    alphabet=sendable, min_size=1, max_size=40
)


@PROPS
@given(ids=st.lists(non_empty_ids, min_size=1, max_size=8))
def test_cancel_ids_round_trip_through_the_query(ids: list[str], wire: respx.MockRouter, client: Client) -> None:
    client.cancel(ids=ids)
    query = parse_qsl(urlsplit(str(last(wire).url)).query, keep_blank_values=True)
    assert query == [("workflowRunIds", i) for i in ids]


@PROPS
@given(event_id=non_empty_ids, run_id=st.none() | non_empty_ids)
def test_event_ids_stay_one_path_segment(
    event_id: str, run_id: str | None, wire: respx.MockRouter, client: Client
) -> None:
    client.notify(event_id=event_id, event_data="x", workflow_run_id=run_id)
    raw_path = last(wire).url.raw_path.decode()
    segments = raw_path.split("/")
    expected = [run_id, event_id] if run_id is not None else [event_id]
    assert segments[:3] == ["", "v2", "notify"]
    assert [unquote(s) for s in segments[3:]] == expected
    assert all(s not in ("..", ".") for s in segments)


@pytest.mark.parametrize("event_id", [".", "..", "%2E%2E"])
def test_dot_segments_cannot_escape_the_endpoint(event_id: str, wire: respx.MockRouter, client: Client) -> None:
    client.get_waiters(event_id=event_id)
    raw = last(wire).url.raw_path.decode()
    assert raw.startswith("/v2/waiters/")
    assert unquote(raw.removeprefix("/v2/waiters/")) == event_id


@PROPS
@given(ids=st.lists(non_empty_ids, max_size=3).map(lambda ids: [*ids, ""]))
def test_an_empty_id_anywhere_is_rejected_before_sending(
    ids: list[str], wire: respx.MockRouter, client: Client
) -> None:
    with pytest.raises(InvalidArgumentError, match="cannot be empty"):
        client.cancel(ids=ids)
    assert not wire.calls


@PROPS
@given(
    headers=st.dictionaries(
        st.from_regex(r"\AX-[A-Za-z0-9-]{1,20}\Z"),
        st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=30),
        max_size=5,
    )
)
def test_valid_headers_are_forwarded_exactly(headers: dict[str, str], wire: respx.MockRouter, client: Client) -> None:
    client.trigger(url=URL, headers=headers)
    sent = batch_headers(wire)
    lowered = {k.lower(): v for k, v in headers.items()}
    for name, value in lowered.items():
        assert sent[f"upstash-forward-{name}"] == value.strip(" \t")  # as fetch's Headers does
        assert sent[f"upstash-failure-callback-forward-{name}"] == value.strip(" \t")


@PROPS
@given(
    body=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
        max_leaves=10,
    )
)
def test_json_bodies_round_trip(body: Any, wire: respx.MockRouter, client: Client) -> None:
    client.trigger(url=URL, body=body)
    message = json.loads(last(wire).content)[0]
    if body is None:
        assert "body" not in message
    elif isinstance(body, str):
        assert message["body"] == body
    else:
        assert json.loads(message["body"]) == body


@PROPS
@given(seconds=st.floats(min_value=0, max_value=10**9, allow_nan=False) | st.integers(min_value=0, max_value=10**9))
def test_numeric_delays_are_whole_seconds(seconds: float, wire: respx.MockRouter, client: Client) -> None:
    client.trigger(url=URL, delay=seconds)
    assert batch_headers(wire)["upstash-delay"] == f"{round(seconds)}s"


@PROPS
@given(label=st.text(min_size=1, max_size=20))
def test_labels_follow_the_ts_pattern(label: str, wire: respx.MockRouter, client: Client) -> None:
    import re

    if re.fullmatch(r"[a-zA-Z0-9\-_.]+", label):
        client.trigger(url=URL, label=label)
        assert batch_headers(wire)["upstash-label"] == label
    else:
        with pytest.raises(InvalidArgumentError, match="Invalid label"):
            client.trigger(url=URL, label=label)


BAD_INPUTS: list[tuple[str, dict[str, Any], type[Exception], str]] = [
    ("empty url", {"url": ""}, InvalidArgumentError, "absolute http"),
    ("ftp url", {"url": "ftp://x.com/a"}, InvalidArgumentError, "absolute http"),
    ("relative url", {"url": "/api/wf"}, InvalidArgumentError, "absolute http"),
    ("url with space", {"url": "https://x.com/a b"}, InvalidArgumentError, "whitespace"),
    ("url not str", {"url": 42}, InvalidArgumentTypeError, "must be a str"),
    ("header CRLF", {"headers": {"X-A": "a\r\nInjected: 1"}}, InvalidArgumentError, "control character"),
    ("header name space", {"headers": {"X A": "1"}}, InvalidArgumentError, "not a valid HTTP header name"),
    ("header non-latin1", {"headers": {"X-A": "日本"}}, InvalidArgumentError, "percent-encode"),
    ("header value int", {"headers": {"X-A": 1}}, InvalidArgumentTypeError, "must be a str"),
    ("negative retries", {"retries": -1}, InvalidArgumentError, ">= 0"),
    ("bool retries", {"retries": True}, InvalidArgumentTypeError, "must be an int"),
    ("negative delay", {"delay": -5}, InvalidArgumentError, ">= 0"),
    ("bad delay string", {"delay": "soon"}, InvalidArgumentError, "'30s'"),
    ("nan delay", {"delay": math.nan}, InvalidArgumentError, ">= 0"),
    ("naive not_before", {"not_before": dt.datetime(2030, 1, 1)}, InvalidArgumentError, "naive"),
    ("negative not_before", {"not_before": -1}, InvalidArgumentError, ">= 0"),
    ("set body", {"body": {1, 2}}, InvalidArgumentTypeError, "JSON-serialisable"),
    ("nan body", {"body": {"x": math.nan}}, InvalidArgumentTypeError, "JSON-serialisable"),
    ("binary body", {"body": b"\xff\xfe"}, InvalidArgumentError, "UTF-8"),
    ("empty run id", {"workflow_run_id": ""}, InvalidArgumentError, "cannot be empty"),
    ("empty label list", {"label": []}, InvalidArgumentError, "must not be empty"),
    ("flow control no limit", {"flow_control": FlowControl(key="k")}, InvalidArgumentError, "parallelism or rate"),
    (
        "flow control bad key",
        {"flow_control": FlowControl(key="a b", parallelism=1)},
        InvalidArgumentError,
        "flow control key",
    ),
    ("failure url", {"failure_url": "nope"}, InvalidArgumentError, "failure_url"),
]


@pytest.mark.parametrize(("case", "kwargs", "error", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_trigger_input(
    case: str, kwargs: dict[str, Any], error: type[Exception], message: str, wire: respx.MockRouter, client: Client
) -> None:
    kwargs = {"url": URL, **kwargs}
    with pytest.raises(error, match=message) as info:
        client.trigger(**kwargs)
    assert isinstance(info.value, WorkflowError)
    assert isinstance(info.value, ValueError | TypeError)
    assert not wire.calls


BAD_CANCELS: list[tuple[str, dict[str, Any], str]] = [
    ("no selector", {}, "got none"),
    ("two selectors", {"ids": "wfr_a", "all": True}, "ids and all"),
    (
        "three selectors",
        {"ids": "wfr_a", "url_starting_with": "https://x", "filter": CancelFilter(label="x")},
        "ids and url_starting_with and filter",
    ),
    ("count with ids", {"ids": "wfr_a", "count": 5}, "count applies"),
    ("zero count", {"all": True, "count": 0}, ">= 1"),
    ("empty filter", {"filter": CancelFilter()}, "No filter provided"),
    ("both urls", {"filter": CancelFilter(workflow_url="a", workflow_url_starting_with="b")}, "mutually exclusive"),
    ("empty filter list", {"filter": CancelFilter(label=[])}, "Empty array"),
    ("naive date", {"filter": CancelFilter(from_date=dt.datetime(2030, 1, 1))}, "naive"),
]


@pytest.mark.parametrize(("case", "kwargs", "message"), BAD_CANCELS, ids=[b[0] for b in BAD_CANCELS])
def test_bad_cancel_input(
    case: str, kwargs: dict[str, Any], message: str, wire: respx.MockRouter, client: Client
) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        client.cancel(**kwargs)
    assert not wire.calls


def test_bytes_and_str_bodies(wire: respx.MockRouter, client: Client) -> None:
    client.trigger(url=URL, body="héllo")
    assert json.loads(last(wire).content)[0]["body"] == "héllo"
    client.trigger(url=URL, body="héllo".encode())
    assert json.loads(last(wire).content)[0]["body"] == "héllo"
    client.notify(event_id="e", event_data=b"raw")
    assert last(wire).content == b"raw"
    assert last(wire).headers["content-length"] == "3"


def test_huge_body_is_sent_whole(wire: respx.MockRouter, client: Client) -> None:
    big = "x" * 5_000_000
    client.trigger(url=URL, body=big)
    assert json.loads(last(wire).content)[0]["body"] == big


def test_aware_datetimes_convert_exactly(wire: respx.MockRouter, client: Client) -> None:
    tz = dt.timezone(dt.timedelta(hours=5, minutes=30))
    when = dt.datetime(2030, 1, 1, 5, 30, tzinfo=tz)
    client.trigger(url=URL, not_before=when)
    assert batch_headers(wire)["upstash-not-before"] == str(int(when.timestamp()))
    client.cancel(filter=CancelFilter(from_date=when))
    assert dict(parse_qsl(urlsplit(str(last(wire).url)).query))["fromDate"] == str(int(when.timestamp() * 1000))


def test_the_client_keeps_no_cookies(client: Client) -> None:
    """An API client authenticated by a bearer token must not replay cookies a response (or a proxy)
    set; not parsing them also saves ~30 µs a request."""
    with respx.mock(base_url=BASE) as router:
        route = router.get(path__startswith="/v2/waiters/").mock(
            return_value=httpx.Response(200, json=[], headers={"Set-Cookie": "session=abc; Path=/"})
        )
        client.get_waiters(event_id="a")
        client.get_waiters(event_id="b")
    assert "cookie" not in route.calls.last.request.headers
    assert len(route.calls) == 2
