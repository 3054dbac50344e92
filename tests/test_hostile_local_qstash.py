"""LocalQStash against hostile requests: malformed framing, oversized and too-deep bodies, badly
typed message fields. Each gets a 4xx answer (never a dropped connection or a hang), and the
server stays healthy: the next caller's request succeeds and sees no poisoned state."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import URL
from upstash_workflow.rest import Client, ServerError
from upstash_workflow.rest.testing import LocalQStash
from upstash_workflow.rest.testing._server import HISTORY, MAX_BODY, MAX_RECORDED_PATH


@pytest.fixture(scope="module")
def server() -> Iterator[LocalQStash]:
    with LocalQStash() as qstash:
        yield qstash


def exchange(server: LocalQStash, data: bytes, *, timeout: float = 5.0) -> int | None:
    """Send raw bytes; the status of the answer (None when the server closed without one)."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR) if data.endswith(b"\r\n\r\n") and b"Content-Length: 5" in data else None
        answer = b""
        try:
            while b"\r\n" not in answer:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                answer += chunk
        except TimeoutError:
            return None
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else None


def request(server: LocalQStash, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Authorization: Bearer {server.token}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def still_healthy(server: LocalQStash) -> None:
    with Client(token=server.token, base_url=server.url, max_retries=0) as client:
        run = client.trigger(url=URL)
        assert any(r.workflow_run_id == run.workflow_run_id for r in client.iter_logs())


FRAMING = [
    ("content-length abc", {"Content-Length": "abc"}, b"", 400),
    ("content-length -1", {"Content-Length": "-1"}, b"", 400),
    ("content-length +5", {"Content-Length": "+5"}, b"hello", 400),
    ("content-length 1e3", {"Content-Length": "1e3"}, b"", 400),
    ("content-length huge", {"Content-Length": "9" * 30}, b"", 400),
    ("content-length over the limit", {"Content-Length": str(MAX_BODY + 1)}, b"", 413),
    ("conflicting content-lengths", {"Content-Length": "2", "content-length": "3"}, b"[]", 400),
    ("chunked", {"Transfer-Encoding": "chunked"}, b"2\r\n[]\r\n0\r\n\r\n", 411),
    ("a 70 kB header line", {"X-Big": "a" * 70_000}, b"", 431),
    ("200 headers", {f"X-H{i}": "1" for i in range(200)}, b"", 431),
]


@pytest.mark.parametrize(("case", "headers", "body", "status"), FRAMING, ids=[f[0] for f in FRAMING])
def test_malformed_framing_gets_an_answer_and_harms_nobody(
    server: LocalQStash, case: str, headers: dict[str, str], body: bytes, status: int
) -> None:
    assert exchange(server, request(server, "POST", "/v2/batch", headers, body)) == status
    still_healthy(server)


def _deep(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def _batch(**headers: object) -> bytes:
    return json.dumps([{"destination": URL, "headers": {"upstash-workflow-runid": "wfr_x", **headers}}]).encode()


BAD_BODIES = [
    ("deep batch", "/v2/batch", _deep(200_000)),
    ("deep object batch", "/v2/batch", b'{"a":' * 100_000 + b"1" + b"}" * 100_000),
    ("not json", "/v2/batch", b"{not json"),
    ("not a list", "/v2/batch", b'{"destination": "x"}'),
    ("empty list", "/v2/batch", b"[]"),
    ("message not an object", "/v2/batch", b"[1]"),
    ("no destination", "/v2/batch", b'[{"headers": {}}]'),
    ("headers not an object", "/v2/batch", json.dumps([{"destination": URL, "headers": []}]).encode()),
    ("header value a number", "/v2/batch", _batch(**{"upstash-retries": 3})),
    ("retries three", "/v2/batch", _batch(**{"upstash-retries": "three"})),
    ("retries negative", "/v2/batch", _batch(**{"upstash-retries": "-1"})),
    ("retries fraction", "/v2/batch", _batch(**{"upstash-retries": "1.5"})),
    ("retries unicode digit", "/v2/batch", _batch(**{"upstash-retries": "\u00b2"})),
    ("failure retries word", "/v2/batch", _batch(**{"upstash-failure-callback-retries": "many"})),
    ("delay word", "/v2/batch", _batch(**{"upstash-delay": "soon"})),
    ("delay unit", "/v2/batch", _batch(**{"upstash-delay": "10x"})),
    ("not-before word", "/v2/batch", _batch(**{"upstash-not-before": "tomorrow"})),
    ("retries beyond 64 bits", "/v2/batch", _batch(**{"upstash-retries": "9" * 5000})),
    ("body a number", "/v2/batch", json.dumps([{"destination": URL, "headers": {}, "body": 5}]).encode()),
]


@pytest.mark.parametrize(("case", "path", "body"), BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_bad_bodies_are_400_and_poison_nothing(server: LocalQStash, case: str, path: str, body: bytes) -> None:
    headers = {"Content-Type": "application/json", "Content-Length": str(len(body))}
    assert exchange(server, request(server, "POST", path, headers, body)) == 400
    assert "wfr_x" not in server.state.runs
    still_healthy(server)


@pytest.mark.parametrize("depth", [10, 200_000])
def test_notify_with_a_deep_body_is_stored_as_text(server: LocalQStash, depth: int) -> None:
    with Client(token=server.token, base_url=server.url) as client:
        assert client.notify("deep-event", _deep(depth).decode()) == []
    still_healthy(server)


@pytest.mark.parametrize(
    "query",
    [
        "count=abc",
        "count=-1",
        "toDate=99999999999999999999999",
        "count=1_000",
        "count=\u0661",
        "fromDate=x",
        "cursor=abc",
        "workflowUrlExactMatch=1",
    ],
)
def test_bad_query_values_are_400(server: LocalQStash, query: str) -> None:
    path = "/v2/workflows/events?groupBy=workflowRunId&" + query
    assert exchange(server, request(server, "GET", path, {})) == 400
    still_healthy(server)


def test_a_client_that_hangs_up_mid_body_harms_nobody(server: LocalQStash) -> None:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(request(server, "POST", "/v2/batch", {"Content-Length": "1000"}, b"[{"))
    still_healthy(server)


def test_a_failing_handler_answers_500_and_the_server_keeps_serving(
    server: LocalQStash, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(query: object) -> object:
        raise RuntimeError("a bug")

    monkeypatch.setattr(server.state, "logs", broken)
    with Client(token=server.token, base_url=server.url, max_retries=0) as client:
        with pytest.raises(ServerError):
            client.logs()
    monkeypatch.undo()
    still_healthy(server)


def test_the_request_history_is_bounded() -> None:
    """A long-running dev server keeps the latest HISTORY requests (rejected ones too), each path cut
    at MAX_RECORDED_PATH characters."""
    long_path = "/v2/workflows/logs?x=" + "a" * (MAX_RECORDED_PATH + 1000)
    with LocalQStash() as qstash, httpx.Client(base_url=qstash.url) as http:
        for index in range(HISTORY + 100):
            assert http.get(f"{long_path}&n={index}").status_code == 401
        assert len(qstash.requests) == HISTORY
        assert all(len(path) == MAX_RECORDED_PATH for _, path in qstash.requests)
        assert http.get("/v2/keys").status_code == 401
        assert qstash.requests[-1] == ("GET", "/v2/keys")  # the latest are the ones kept
