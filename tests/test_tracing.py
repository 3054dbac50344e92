"""OpenTelemetry: one span per public call, the parent of httpx's spans, and its trace context
forwarded into the triggered runs (docs/tracing.md). Real opentelemetry-sdk with its in-memory
exporter, real httpx instrumentation, against LocalQStash over loopback."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from opentelemetry.util.types import Attributes

from upstash_workflow.rest import AsyncClient, AuthenticationError, Client, TriggerRequest
from upstash_workflow.rest.testing import LocalQStash

URL = "https://example.com/api/workflow"
TRACE_HEADERS = ("upstash-forward-traceparent", "upstash-forward-tracestate")


class _Switch(trace.TracerProvider):
    """The process-wide provider (OpenTelemetry lets it be set once): the SDK's while a test of this
    module runs, the API's no-op one otherwise, so no other test sees a span."""

    def __init__(self) -> None:
        self.active: trace.TracerProvider = trace.NoOpTracerProvider()

    def get_tracer(
        self,
        instrumenting_module_name: str,
        instrumenting_library_version: str | None = None,
        schema_url: str | None = None,
        attributes: Attributes | None = None,
    ) -> trace.Tracer:
        return _SwitchTracer(self, instrumenting_module_name, instrumenting_library_version)


class _SwitchTracer(trace.Tracer):
    def __init__(self, switch: _Switch, name: str, version: str | None) -> None:
        self._switch, self._name, self._version = switch, name, version

    def _current(self) -> trace.Tracer:
        return self._switch.active.get_tracer(self._name, self._version)

    def start_span(self, *args: Any, **kwargs: Any) -> trace.Span:
        return self._current().start_span(*args, **kwargs)

    def start_as_current_span(self, *args: Any, **kwargs: Any) -> Any:
        return self._current().start_as_current_span(*args, **kwargs)


SWITCH = _Switch()


@contextlib.contextmanager
def traced(instrument_httpx: bool = True) -> Iterator[InMemorySpanExporter]:
    """An SDK provider with an in-memory exporter, global while it is open; httpx instrumented with
    it (not for LocalQStash(deliver=True): the instrumentation would put its own ``traceparent`` on
    LocalQStash's deliveries, which real QStash makes without it)."""
    if trace.get_tracer_provider() is not SWITCH:
        trace.set_tracer_provider(SWITCH)
    assert trace.get_tracer_provider() is SWITCH, "another test set the global tracer provider"
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    instrumentor = HTTPXClientInstrumentor()
    if instrument_httpx:
        instrumentor.instrument(tracer_provider=provider)
    SWITCH.active = provider
    try:
        yield exporter
    finally:
        SWITCH.active = trace.NoOpTracerProvider()
        if instrument_httpx:
            instrumentor.uninstrument()
        provider.shutdown()


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    with traced() as exporter:
        yield exporter


@pytest.fixture
def qstash() -> Iterator[LocalQStash]:
    with LocalQStash() as server:
        yield server


def ours(exporter: InMemorySpanExporter) -> list[ReadableSpan]:
    return [s for s in exporter.get_finished_spans() if s.name.startswith("upstash_workflow.")]


def http_spans(exporter: InMemorySpanExporter) -> list[ReadableSpan]:
    return [s for s in exporter.get_finished_spans() if not s.name.startswith(("upstash_workflow.", "test"))]


def traceparent_of(span: ReadableSpan | trace.Span) -> str:
    """The W3C header for ``span``'s context (version 00, trace id, span id, flags)."""
    context = span.get_span_context()
    assert context is not None
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{int(context.trace_flags):02x}"


def test_a_sync_trigger_is_one_span_parent_of_its_request_and_forwards_its_context(
    qstash: LocalQStash, spans: InMemorySpanExporter
) -> None:
    with Client(token=qstash.token, base_url=qstash.url) as client:
        run = client.trigger(URL, {"n": 1})
    (span,) = ours(spans)
    assert span.name == "upstash_workflow.trigger" and span.kind is SpanKind.PRODUCER
    assert dict(span.attributes or {}) == {
        "upstash_workflow.operation": "trigger",
        "upstash_workflow.runs": 1,
        "upstash_workflow.retries": 0,
        "http.response.status_code": 200,
    }
    assert span.status.status_code is StatusCode.UNSET
    (request,) = http_spans(spans)
    assert request.parent is not None and request.parent.span_id == span.get_span_context().span_id  # type: ignore[union-attr]
    # The run's message forwards the span's context to the workflow endpoint.
    headers = qstash.run(run.workflow_run_id).headers
    assert headers["upstash-forward-traceparent"] == traceparent_of(span)


def test_an_async_trigger_is_one_span_and_each_coalesced_caller_forwards_its_own_context(
    qstash: LocalQStash, spans: InMemorySpanExporter
) -> None:
    async def main() -> list[str]:
        async with AsyncClient(token=qstash.token, base_url=qstash.url) as client:
            runs = await asyncio.gather(*(client.trigger(URL, {"n": n}) for n in range(3)))
        return [r.workflow_run_id for r in runs]

    run_ids = asyncio.run(main())
    triggers = ours(spans)
    assert len(triggers) == 3 and {s.name for s in triggers} == {"upstash_workflow.trigger"}
    assert all((s.attributes or {})["upstash_workflow.runs"] == 1 for s in triggers)
    # Three calls, one merged request; each run carries the context of the call that started it.
    forwarded = {qstash.run(run_id).headers["upstash-forward-traceparent"] for run_id in run_ids}
    assert forwarded == {traceparent_of(s) for s in triggers}
    assert len(http_spans(spans)) == 1


def test_trigger_many_counts_its_runs_and_its_batch_requests_nest_under_it(
    qstash: LocalQStash, spans: InMemorySpanExporter
) -> None:
    requests = [TriggerRequest(URL, body={"n": n}) for n in range(5)]
    with Client(token=qstash.token, base_url=qstash.url) as client:
        results = client.trigger_many(requests, batch_size=2)  # 3 requests, sent from a thread pool
    (span,) = ours(spans)
    assert span.name == "upstash_workflow.trigger_many"
    assert (span.attributes or {})["upstash_workflow.runs"] == 5
    batches = http_spans(spans)
    assert len(batches) == 3
    assert {b.parent.span_id for b in batches if b.parent} == {span.get_span_context().span_id}  # type: ignore[union-attr]
    assert {qstash.run(r.workflow_run_id).headers["upstash-forward-traceparent"] for r in results} == {
        traceparent_of(span)
    }


def test_a_retried_call_counts_its_retries(qstash: LocalQStash, spans: InMemorySpanExporter) -> None:
    qstash.inject("status", status=503, times=2)
    with Client(token=qstash.token, base_url=qstash.url, max_retries=3) as client:
        client.logs()
    (span,) = ours(spans)
    assert span.name == "upstash_workflow.logs"
    attributes = dict(span.attributes or {})
    assert attributes["upstash_workflow.retries"] == 2
    assert attributes["http.response.status_code"] == 200
    assert "upstash_workflow.runs" not in attributes
    assert len(http_spans(spans)) == 3


def test_an_error_sets_the_status_and_its_type(qstash: LocalQStash, spans: InMemorySpanExporter) -> None:
    with Client(token="wrong-token", base_url=qstash.url) as client, pytest.raises(AuthenticationError):
        client.trigger(URL)
    (span,) = ours(spans)
    assert span.status.status_code is StatusCode.ERROR
    attributes = dict(span.attributes or {})
    assert attributes["error.type"] == "AuthenticationError"
    assert attributes["http.response.status_code"] == 401
    assert "wrong-token" not in str(span.to_json())


def test_a_bad_argument_fails_its_span_before_any_request(qstash: LocalQStash, spans: InMemorySpanExporter) -> None:
    with Client(token=qstash.token, base_url=qstash.url) as client, pytest.raises(Exception, match="url"):
        client.trigger("not a url")
    (span,) = ours(spans)
    assert (span.attributes or {})["error.type"] == "InvalidArgumentError"
    assert http_spans(spans) == []


def test_the_users_span_is_the_parent_and_its_trace_reaches_the_run(
    qstash: LocalQStash, spans: InMemorySpanExporter
) -> None:
    tracer = trace.get_tracer("test")
    with (
        Client(token=qstash.token, base_url=qstash.url) as client,
        tracer.start_as_current_span("test.handler") as outer,
    ):
        run = client.trigger(URL)
    (span,) = ours(spans)
    assert span.parent is not None and span.parent.span_id == outer.get_span_context().span_id
    forwarded = qstash.run(run.workflow_run_id).headers["upstash-forward-traceparent"]
    assert forwarded.split("-")[1] == f"{outer.get_span_context().trace_id:032x}"


def test_a_traceparent_the_user_forwards_wins(qstash: LocalQStash, spans: InMemorySpanExporter) -> None:
    mine = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    with Client(token=qstash.token, base_url=qstash.url, headers={"traceparent": mine}) as client:
        by_client = client.trigger(URL)
        by_request = client.trigger(URL, headers={"traceparent": mine})
    for run in (by_client, by_request):
        assert qstash.run(run.workflow_run_id).headers["upstash-forward-traceparent"] == mine


def test_pages_and_streams(qstash: LocalQStash, spans: InMemorySpanExporter) -> None:
    tracer = trace.get_tracer("test")
    with Client(token=qstash.token, base_url=qstash.url) as client, tracer.start_as_current_span("test.job") as job:
        outcomes = list(client.trigger_stream(TriggerRequest(URL, body={"n": n}) for n in range(3)))
        logs = list(client.iter_logs(count=2))
    assert len(logs) == 3
    pages = [s for s in ours(spans) if s.name == "upstash_workflow.logs"]
    assert len(pages) == 2  # one span per page, none open across a yield
    # A stream has no span of its own (it lives as long as the caller iterates): its runs continue
    # the caller's trace, and its requests nest under the caller's span.
    for outcome in outcomes:
        assert outcome.workflow_run_id is not None
        forwarded = qstash.run(outcome.workflow_run_id).headers["upstash-forward-traceparent"]
        assert forwarded == traceparent_of(job)


def test_without_an_sdk_there_is_no_span_and_no_extra_header(qstash: LocalQStash) -> None:
    # The API alone (SWITCH's no-op provider, or none set): the requests of a client without the extra.
    with Client(token=qstash.token, base_url=qstash.url) as client:
        run = client.trigger(URL)
        (many,) = client.trigger_many([TriggerRequest(URL)])
    for run_id in (run.workflow_run_id, many.workflow_run_id):
        headers = qstash.run(run_id).headers
        assert not any(name in headers for name in TRACE_HEADERS)


def test_without_the_extra_nothing_is_imported_and_calls_work(qstash: LocalQStash) -> None:
    """OpenTelemetry is never imported at import time, and a client without it installed works."""
    script = f"""
import sys
import upstash_workflow.rest
assert not [m for m in sys.modules if m.startswith("opentelemetry")], "imported at import time"
sys.modules["opentelemetry"] = None  # as if not installed: `import opentelemetry` raises ImportError
from upstash_workflow.rest import Client
with Client(token={qstash.token!r}, base_url={qstash.url!r}) as client:
    print(client.trigger({URL!r}).workflow_run_id)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    headers = qstash.run(done.stdout.strip()).headers
    assert not any(name in headers for name in TRACE_HEADERS)
