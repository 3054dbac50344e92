"""The tools Python users already run around httpx see every call of the DEFAULT clients (no
``http_client=`` passed): pytest-httpx, respx, vcrpy and OpenTelemetry's httpx instrumentation, each
the real package. Requests that a mock answers never leave: a real loopback server stands at the
base URL and counts what reaches it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
import vcr  # type: ignore[import-untyped]  # vcrpy ships no type information
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from pytest_httpx import HTTPXMock

from tests.conftest import URL
from tests.support import fault_server as fs
from tests.support.hostile import MODES, TOKEN, run
from upstash_workflow.rest import AsyncClient, Client, TriggerRequest
from upstash_workflow.rest.testing import LocalQStash

STARTED = [{"messageId": "msg_1", "url": URL, "workflowRunId": "wfr_mocked"}]
LOGS_PAGE = {"runs": [], "cursor": ""}


def trigger_then_logs(client: Any) -> Any:
    """A trigger (POST /v2/batch) and a logs page (GET /v2/workflows/events), sync or async."""
    if isinstance(client, AsyncClient):

        async def both() -> Any:
            return await client.trigger(url=URL, workflow_run_id="mocked"), await client.logs()

        return both()
    return client.trigger(url=URL, workflow_run_id="mocked"), client.logs()


@pytest.fixture
def counting_server() -> Iterator[fs.FaultServer]:
    """A real server at the base URL: whatever reaches it was not mocked."""
    with fs.FaultServer(fs.json_answer(500, {"error": "not mocked"})) as server:
        yield server


# ------------------------------------------------------------------------------------ pytest-httpx


@pytest.mark.parametrize("mode", MODES)
def test_pytest_httpx_answers_the_default_clients(
    mode: str, httpx_mock: HTTPXMock, counting_server: fs.FaultServer
) -> None:
    httpx_mock.add_response(method="POST", url=f"{counting_server.url}/v2/batch", json=STARTED)
    httpx_mock.add_response(method="GET", json=LOGS_PAGE)
    started, logs = run(mode, counting_server.url, trigger_then_logs)
    assert started.workflow_run_id == "wfr_mocked"
    assert logs.runs == []
    assert counting_server.requests == []  # no request left
    sent = httpx_mock.get_requests()
    assert [(r.method, r.url.path) for r in sent] == [("POST", "/v2/batch"), ("GET", "/v2/workflows/events")]
    assert sent[0].headers["Authorization"] == f"Bearer {TOKEN}"


# ------------------------------------------------------------------------------------------- respx


@pytest.mark.parametrize("mode", MODES)
def test_respx_answers_the_default_clients(mode: str, counting_server: fs.FaultServer) -> None:
    with respx.mock(base_url=counting_server.url, assert_all_called=True) as mock:
        batch = mock.post("/v2/batch").respond(json=STARTED)
        events = mock.get("/v2/workflows/events").respond(json=LOGS_PAGE)
        started, logs = run(mode, counting_server.url, trigger_then_logs)
    assert (started.workflow_run_id, logs.runs) == ("wfr_mocked", [])
    assert (batch.call_count, events.call_count) == (1, 1)
    assert counting_server.requests == []


# ------------------------------------------------------------------------------------------- vcrpy


@pytest.mark.parametrize("mode", MODES)
def test_vcrpy_records_then_replays_with_the_server_gone(mode: str, tmp_path: Path) -> None:
    cassette = tmp_path / "calls.yaml"
    recorder = vcr.VCR(record_mode="once", filter_headers=["authorization"])
    with LocalQStash() as qstash:
        url, token = qstash.url, qstash.token

        def calls(client: Any) -> Any:
            if isinstance(client, AsyncClient):

                async def both() -> Any:
                    return await client.trigger(url=URL, workflow_run_id="taped"), await client.logs()

                return both()
            return client.trigger(url=URL, workflow_run_id="taped"), client.logs()

        with recorder.use_cassette(str(cassette)) as tape:
            recorded = run(mode, url, calls, token=token)
            assert tape.play_count == 0 and len(tape) == 2
    assert recorded[0].workflow_run_id == "wfr_taped" and len(recorded[1].runs) == 1
    text = cassette.read_text()
    assert "/v2/batch" in text and "/v2/workflows/events" in text
    assert token not in text  # filtered out of the cassette

    # The server is gone: only the cassette can answer (a request reaching the network would fail).
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/v2/workflows/events")
    with recorder.use_cassette(str(cassette)) as tape:
        replayed = run(mode, url, calls, token=token, max_retries=0)
        assert tape.play_count == 2 and tape.all_played
    assert replayed == recorded


# ----------------------------------------------------------------------------------- OpenTelemetry


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    instrumentor = HTTPXClientInstrumentor()
    instrumentor.instrument(tracer_provider=provider)
    try:
        yield exporter
    finally:
        instrumentor.uninstrument()


@pytest.mark.parametrize("mode", MODES)
def test_opentelemetry_sees_one_span_per_http_request(mode: str, spans: InMemorySpanExporter) -> None:
    with LocalQStash() as qstash:
        # 2,500 runs go out as three batch requests (1,000 runs each at most), then one logs page.
        many = [TriggerRequest(url=URL, body={"n": n}) for n in range(2_500)]

        def calls(client: Any) -> Any:
            if isinstance(client, AsyncClient):

                async def both() -> Any:
                    return await client.trigger_many(many), await client.logs(count=1)

                return both()
            return client.trigger_many(many), client.logs(count=1)

        started, _ = run(mode, qstash.url, calls, token=qstash.token)
        batch_requests = sum(1 for _, path in qstash.requests if path.startswith("/v2/batch"))
    assert len(started) == 2_500 and batch_requests == 3
    finished = spans.get_finished_spans()
    requests = [
        (s.attributes or {}).get("http.request.method", (s.attributes or {}).get("http.method")) for s in finished
    ]
    assert sorted(str(m) for m in requests) == ["GET", "POST", "POST", "POST"]
    assert all(s.status.is_ok for s in finished)


@pytest.mark.parametrize("mode", MODES)
def test_opentelemetry_sees_each_retry(mode: str, spans: InMemorySpanExporter) -> None:
    with fs.FaultServer(fs.json_answer(503, {"error": "busy"})) as server:
        with pytest.raises(Exception, match="busy"):
            run(mode, server.url, lambda c: c.logs(), sleeps=[], max_retries=2)
        assert len(server.requests) == 3
    assert len(spans.get_finished_spans()) == 3


def test_the_tools_see_a_client_made_before_they_were_switched_on(counting_server: fs.FaultServer) -> None:
    """The tools patch httpx's transport classes, not the clients: a long-lived client made at import
    time (module level, as services do) is seen once a test switches a tool on."""
    client = Client(token=TOKEN, base_url=counting_server.url)

    async def in_a_loop() -> None:
        async with AsyncClient(token=TOKEN, base_url=counting_server.url) as aclient:
            with respx.mock(base_url=counting_server.url) as mock:
                route = mock.get("/v2/workflows/events").respond(json=LOGS_PAGE)
                await aclient.logs()
            assert route.call_count == 1

    with respx.mock(base_url=counting_server.url) as mock:
        route = mock.get("/v2/workflows/events").respond(json=LOGS_PAGE)
        client.logs()
    assert route.call_count == 1
    asyncio.run(in_a_loop())
    assert counting_server.requests == []
    client.close()
