"""OpenTelemetry spans for the public calls, and the trace context forwarded into triggered runs.

Optional: with ``opentelemetry-api`` installed (the ``[otel]`` extra) every public call is one span,
``upstash_workflow.<operation>`` (the httpx instrumentation's spans nest under it), and while a valid
span context is current, what the configured propagator injects (W3C ``traceparent`` and
``tracestate`` by default) is forwarded to each run the call starts, as ``Upstash-Forward-*``
headers of its message, so an instrumented workflow endpoint continues the trace. Without an SDK
configured the API's tracer is a no-op and no span context is valid: nothing is forwarded, and the
requests are exactly those of a client without the extra.

OpenTelemetry is imported on the first call, never at import time (it costs ~30 ms); without it
installed, `span` is a shared null context and the ``note_*`` hooks return at once.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from opentelemetry.trace import Tracer

    from ._trigger import Options


PREFIX = "upstash_workflow."
FORWARD = "upstash-forward-"
_NOTHING: Mapping[str, str] = {}


class _Record:
    """What the I/O core learns during one call: runs started, retries made, the last HTTP status.
    Shared (not copied) by the threads and tasks the call fans out to; list appends are atomic."""

    __slots__ = ("retries", "runs", "statuses")

    def __init__(self) -> None:
        self.runs: int | None = None
        self.retries: list[None] = []
        self.statuses: list[int] = []


_RECORD: ContextVar[_Record | None] = ContextVar("upstash_workflow_span_record", default=None)


@functools.cache
def _load() -> Tracer | None:
    """The package's tracer (the global provider's, a proxy until an SDK sets one); None without
    ``opentelemetry-api``. Looked up once."""
    try:
        from opentelemetry import trace
    except ImportError:
        return None
    return trace.get_tracer("upstash_workflow.rest", __version__)


def enabled() -> bool:
    """Whether the OpenTelemetry API is installed (tracing is on whenever it is)."""
    return _load() is not None


def span(operation: str, options: Options) -> contextlib.AbstractContextManager[Options]:
    """One public call's span, current while the call is planned and sent. It gives the options to
    plan the call with: ``options`` forwarding the span's trace context to the runs the call starts
    (``options`` themselves when no valid span context is current, or without OpenTelemetry)."""
    tracer = _load()
    if tracer is None or _idle():
        return contextlib.nullcontext(options)
    return _span(tracer, operation, options)


def _idle() -> bool:
    """No SDK configured and no trace to continue: nothing would be recorded or forwarded, so skip
    the no-op span (it cost ~5 µs a call)."""
    trace = _api()
    return isinstance(trace.get_tracer_provider(), _NO_SDK) and not trace.get_current_span().get_span_context().is_valid


@functools.cache
def _api() -> Any:
    from opentelemetry import trace

    global _NO_SDK  # noqa: PLW0603  (set once, with the module it comes from)
    _NO_SDK = (trace.ProxyTracerProvider, trace.NoOpTracerProvider)
    return trace


_NO_SDK: tuple[type, ...] = ()


def forwarding(options: Options) -> Options:
    """``options`` forwarding the current trace context (for ``trigger_stream``, which has no span
    of its own: its batches are sent while the caller iterates)."""
    headers = forwarded()
    return options.forwarding(headers) if headers else options


@contextlib.contextmanager
def _span(tracer: Tracer, operation: str, options: Options) -> Iterator[Options]:
    from opentelemetry.trace import SpanKind, Status, StatusCode

    record = _Record()
    token = _RECORD.set(record)
    try:
        # PRODUCER: the call starts work that runs elsewhere (the workflow runs continue this trace).
        with tracer.start_as_current_span(
            PREFIX + operation, kind=SpanKind.PRODUCER, record_exception=False, set_status_on_exception=False
        ) as current:
            try:
                yield forwarding(options)
            except BaseException as exc:
                if current.is_recording():
                    _finish(current, operation, record)
                    current.set_attribute("error.type", type(exc).__qualname__)
                    current.set_status(Status(StatusCode.ERROR, type(exc).__qualname__))
                raise
            if current.is_recording():
                _finish(current, operation, record)
    finally:
        _RECORD.reset(token)


def _finish(current: Any, operation: str, record: _Record) -> None:
    current.set_attribute("upstash_workflow.operation", operation)
    current.set_attribute("upstash_workflow.retries", len(record.retries))
    if record.runs is not None:
        current.set_attribute("upstash_workflow.runs", record.runs)
    if record.statuses:
        current.set_attribute("http.response.status_code", record.statuses[-1])


def forwarded() -> Mapping[str, str]:
    """The current trace context as headers forwarded to a run (``upstash-forward-traceparent``...),
    written by the configured propagator; empty when no valid span context is current."""
    if _load() is None:
        return _NOTHING
    from opentelemetry.propagate import inject

    carrier: dict[str, str] = {}
    inject(carrier)
    return {FORWARD + name.lower(): value for name, value in carrier.items()} if carrier else _NOTHING


def note_runs(count: int | None) -> None:
    """The current call starts ``count`` runs (None: it starts none)."""
    if count is not None and (record := _RECORD.get()) is not None:
        record.runs = count


def note_retry() -> None:
    """The current call sends its request again."""
    if (record := _RECORD.get()) is not None:
        record.retries.append(None)


def note_status(status: int) -> None:
    """The current call got an HTTP answer with ``status``."""
    if (record := _RECORD.get()) is not None:
        record.statuses.append(status)
