"""Starting many runs: batches bounded by what QStash accepts, per-run outcomes, and the send loops.

The pure part (no I/O) is shared by both clients: `Batcher` turns requests into `Batch`es (each one
``POST /v2/batch``, its run ids chosen up front), a `Batch` maps the server's answer (or the error
of its request) to one `TriggerOutcome` per run, and `collect` turns outcomes into ``trigger_many``'s
list or its `PartialTriggerError`. The I/O loops at the end (`send_batches`, `asend_batches`) keep
several batches in flight and yield outcomes in input order; `TriggerCoalescer` merges concurrent
``AsyncClient.trigger`` calls into one request.

Limits: QStash documents no maximum message count per batch request, and a maximum message size of
1 MB on its smallest plan (10 MB and more on paid plans). A batch holds at most ``batch_size`` runs
(``trigger_many``: 1,000; ``trigger_stream``: 500, which keeps its memory small) and at most
`MAX_BATCH_BYTES` of JSON; a single message larger than that goes alone, and the server decides.
"""

from __future__ import annotations

import functools
import json
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import attrs

from . import _trigger
from . import _validate as v
from ._calls import Call, KnownResult, Mergeable, Options, SendRequest
from ._errors import (
    InvalidArgumentError,
    InvalidArgumentTypeError,
    PartialTriggerError,
    TriggerRejectedError,
    WorkflowError,
)
from ._models import TriggerRequest

if TYPE_CHECKING:
    import asyncio

    from ._results import TriggerResult

STREAM_BATCH_SIZE = 500  # 16 batches of 500 in flight: a million-run stream grew RSS by ~4 MB
MERGED_TRIGGERS = 100  # the most concurrent trigger calls AsyncClient sends as one request
MAX_BATCH_BYTES = 1_000_000  # QStash's smallest documented maximum message size (free plan: 1 MB)
BATCHES_IN_FLIGHT = 16  # enough to hide a 25-50 ms round trip behind building the next batches

T = TypeVar("T")

Execute = Callable[["Call[list[TriggerOutcome]]"], "list[TriggerOutcome]"]
AsyncExecute = Callable[["Call[list[TriggerOutcome]]"], "Awaitable[list[TriggerOutcome]]"]


@attrs.frozen
class TriggerOutcome:
    """What became of one run of ``trigger_stream`` / ``trigger_many``.

    ``index`` is the run's position in the input (plus ``start_index``). ``status`` is ``"started"``,
    ``"deduplicated"`` (a run with this id already existed; nothing new started) or ``"failed"``
    (``error`` says why: QStash rejected the message, its request failed, or the request was invalid
    and was not sent). ``workflow_run_id`` is set whenever the run was sent: after a connection
    error the run may have started; triggering the same id again is safe (ids deduplicate).
    """

    index: int
    request: TriggerRequest
    workflow_run_id: str | None
    result: TriggerResult | None = None
    error: WorkflowError | None = None

    @property
    def status(self) -> Literal["started", "deduplicated", "failed"]:
        if self.result is None:
            return "failed"
        return "deduplicated" if self.result.deduplicated else "started"

    @property
    def ok(self) -> bool:
        """True when the run exists on the server (started now or before)."""
        return self.result is not None


@attrs.frozen
class _Entry:
    """One run of a batch: its message as JSON bytes, or why it could not be made."""

    index: int
    request: TriggerRequest
    run_id: str | None
    message: bytes | None
    error: WorkflowError | None = None


# The encoding httpx uses for ``json=``, so a batch we serialise is byte for byte what it would send.
# One encoder: json.dumps with these options builds a new one per call, which cost more than encoding.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def _json(value: Any) -> bytes:
    return _encode(value).encode("utf-8")


def _message(options: Options, request: TriggerRequest, run_id: str, body: str | None) -> bytes:
    from upstash_workflow_api.models import BatchMessage, BatchMessageHeaders
    from upstash_workflow_api.types import UNSET

    headers = _trigger.message_headers(
        request,
        run_id,
        global_headers=options.global_headers,
        message_telemetry=options.message_telemetry,
        client_telemetry=options.client_telemetry,
    )
    header_model = BatchMessageHeaders()
    header_model.additional_properties = headers
    # No body leaves the key out (UNSET), as JSON.stringify drops an undefined body.
    message = BatchMessage(destination=request.url, headers=header_model, body=UNSET if body is None else body)
    return _json(message.to_dict())


def _shape(r: TriggerRequest) -> tuple[Any, ...] | None:
    """What decides a message besides its run id and body, as a hashable key (None when a value is
    not hashable). Each value comes with its type: ``retries=True`` or ``disable_telemetry=0`` must
    not pass for an equal value of the right type, which was checked when the shape was built."""
    try:
        key = tuple(
            (
                type(value),
                tuple(value.items()) if isinstance(value, dict) else tuple(value) if isinstance(value, list) else value,
            )
            for value in (
                r.url,
                r.headers,
                r.retries,
                r.retry_delay,
                r.flow_control,
                r.delay,
                r.not_before,
                r.label,
                r.disable_telemetry,
                r.failure_url,
                r.redact,
            )
        )
        hash(key)
    except (TypeError, AttributeError):
        return None
    return key


class _Template:
    """The JSON of the last message shape seen (for the same client options), with a placeholder
    where the run id goes. The runs of a fan-out, and a program's repeated ``trigger`` calls, usually
    differ only in id and body; building and encoding their ~30 headers once instead of once per run
    made batching several times faster. Thread-safe: the cache is one tuple, replaced whole."""

    def __init__(self) -> None:
        self._cached: tuple[Options | None, tuple[Any, ...] | None, bytes] = (None, None, b"")
        self._placeholder = _trigger.random_run_id()
        self._encoded_placeholder = self._placeholder.encode()

    def message(self, options: Options, request: TriggerRequest, run_id: str, body: str | None) -> bytes:
        key = _shape(request)
        if key is None:
            return _message(options, request, run_id, body)
        cached_options, cached_key, head = self._cached
        if cached_options is not options or cached_key != key:
            # The message without its body, and without the closing brace. Holding ``options``
            # keeps it alive, so ``is`` can never match another client's options.
            head = _message(options, request, self._placeholder, None)[:-1]
            self._cached = (options, key, head)
        head = head.replace(self._encoded_placeholder, _json(run_id)[1:-1])
        return head + (b',"body":' + _json(body) + b"}" if body is not None else b"}")


LONE_TRIGGERS = _Template()  # shared by every client's ``trigger`` calls


def make_entry(options: Options, index: int, request: TriggerRequest, template: _Template) -> _Entry:
    """The message of one run (raises InvalidArgumentError for bad input)."""
    if not isinstance(request, TriggerRequest):
        raise v.InvalidArgumentTypeError(f"expected TriggerRequest, got {type(request).__name__}")
    # Chosen once, here: a retried request carries the same ids, so it cannot start a second run.
    run_id = _trigger.run_id_for(request.workflow_run_id)
    body = v.body_text(request.body)
    return _Entry(index, request, run_id, template.message(options, request, run_id, body))


def _entry_or_failure(options: Options, index: int, request: Any, template: _Template) -> _Entry:
    try:
        return make_entry(options, index, request, template)
    except InvalidArgumentError as exc:
        return _Entry(index, request, None, None, exc)


def _answer_items(data: Any, count: int) -> list[Any]:
    """One answer item per sent message (QStash answers a one-message batch with a list too; an
    object is accepted for it). Missing items mean "started": a trigger needs nothing back."""
    from ._results import ResponseShapeError

    items = data if isinstance(data, list) else [] if data is None else [data]
    if len(items) > count:
        raise ResponseShapeError("", f"has {len(items)} answers for {count} messages")
    return items + [None] * (count - len(items))


def _item_result(item: Any, run_id: str, position: int) -> TriggerResult | TriggerRejectedError:
    from upstash_workflow_api.models import BatchResult

    from ._results import TriggerResult, convert

    if item is None:
        return TriggerResult(workflow_run_id=run_id)
    # The response contract: an object whose present fields have BatchResult's types (else a
    # ResponseShapeError, which the client reports as APIResponseValidationError); no field required.
    item = convert(BatchResult, item, f"[{position}]")
    if item.get("error"):  # a null or empty error is no error (as in notify answers)
        # QStash did not accept this message; the others of the batch are unaffected.
        return TriggerRejectedError(str(item["error"]), workflow_run_id=run_id, answer=item)
    message_id, deduplicated = item.get("messageId"), item.get("deduplicated")
    return TriggerResult(workflow_run_id=run_id, message_id=message_id, deduplicated=deduplicated is True)


def _outcomes(entries: tuple[_Entry, ...], data: Any) -> list[TriggerOutcome]:
    sent = [e for e in entries if e.message is not None]
    items = iter(enumerate(_answer_items(data, len(sent)) if sent else []))
    out = []
    for entry in entries:
        if entry.message is None:
            out.append(TriggerOutcome(entry.index, entry.request, entry.run_id, error=entry.error))
            continue
        assert entry.run_id is not None
        position, item = next(items)
        result = _item_result(item, entry.run_id, position)
        if isinstance(result, TriggerRejectedError):
            out.append(TriggerOutcome(entry.index, entry.request, entry.run_id, error=result))
        else:
            out.append(TriggerOutcome(entry.index, entry.request, entry.run_id, result=result))
    return out


@attrs.frozen
class Batch:
    """The runs of one ``POST /v2/batch`` (entries that failed validation ride along, unsent, so
    outcomes keep input order). ``call`` sends it and answers one outcome per run."""

    entries: tuple[_Entry, ...]
    call: SendRequest[list[TriggerOutcome]] | KnownResult[list[TriggerOutcome]] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        messages = [e.message for e in self.entries if e.message is not None]
        # parse must not refer back to this Batch: a reference cycle would leave every batch of a
        # stream to the cyclic garbage collector, and memory would grow with the input.
        parse = functools.partial(_outcomes, self.entries)
        call: SendRequest[list[TriggerOutcome]] | KnownResult[list[TriggerOutcome]]
        if not messages:
            call = KnownResult(parse(None))
        else:
            from upstash_workflow_api.api.runs import trigger_batch

            request = trigger_batch._get_kwargs(body=[])
            del request["json"]
            request["content"] = b"[" + b",".join(messages) + b"]"
            call = SendRequest(request=request, parse=parse)
        object.__setattr__(self, "call", call)

    def send(self, result: Callable[[list[TriggerOutcome]], T], *, mergeable: bool = False) -> SendRequest[T]:
        """This batch as a call answering ``result(outcomes)``. ``mergeable``: a lone ``trigger``,
        which AsyncClient may send in one request with the other triggers of the moment."""
        # trigger and trigger_many raise for an invalid request, so their batches have messages.
        call = self.call
        assert isinstance(call, SendRequest), "a batch with nothing to send"
        return SendRequest(
            request=call.request,
            parse=lambda data: result(call.parse(data)),
            mergeable=Mergeable(self, result) if mergeable else None,
        )

    @property
    def size(self) -> int:
        """Bytes of the request body: ``[``, then each message and a comma or the closing ``]``."""
        return 1 + sum(len(e.message) + 1 for e in self.entries if e.message is not None)

    def fail(self, error: WorkflowError) -> list[TriggerOutcome]:
        """Every run of the batch failed with its request's ``error`` (invalid entries keep theirs)."""
        return [TriggerOutcome(e.index, e.request, e.run_id, error=e.error or error) for e in self.entries]


def merge(batches: list[Batch]) -> Batch:
    return Batch(tuple(entry for batch in batches for entry in batch.entries))


class Batcher:
    """Groups requests into batches of at most ``batch_size`` runs and `MAX_BATCH_BYTES` bytes.

    ``add`` returns the batches that adding one request completed (usually none), ``flush`` the
    last one. ``batches`` / ``abatches`` drive it over an iterable lazily.
    """

    def __init__(self, options: Options, batch_size: int, start_index: int = 0, max_bytes: int = MAX_BATCH_BYTES):
        self._options = options
        self._batch_size = batch_size
        self._max_bytes = max_bytes
        self._index = start_index
        self._entries: list[_Entry] = []
        self._sent_count = 0
        self._bytes = 1  # counted as in Batch.size
        self._template = _Template()

    def add(self, request: TriggerRequest) -> list[Batch]:
        entry = _entry_or_failure(self._options, self._index, request, self._template)
        self._index += 1
        done: list[Batch] = []
        if entry.message is not None:
            size = len(entry.message) + 1
            if self._sent_count and self._bytes + size > self._max_bytes:
                done += self.flush()
            self._sent_count += 1
            self._bytes += size
        self._entries.append(entry)
        if self._sent_count >= self._batch_size:
            done += self.flush()
        return done

    def flush(self) -> list[Batch]:
        if not self._entries:
            return []
        batch = Batch(tuple(self._entries))
        self._entries, self._sent_count, self._bytes = [], 0, 1
        return [batch]

    def batches(self, requests: Iterable[TriggerRequest]) -> Iterator[Batch]:
        """Lazily. When ``requests`` raises, the runs read before are still sent (their batch is
        yielded), then the error propagates."""
        try:
            for request in requests:
                yield from self.add(request)
        except Exception:
            yield from self.flush()
            raise
        yield from self.flush()

    async def abatches(
        self, requests: Iterable[TriggerRequest] | AsyncIterable[TriggerRequest]
    ) -> AsyncIterator[Batch]:
        """`batches` over a sync or an async iterable."""
        if not isinstance(requests, AsyncIterable):
            for batch in self.batches(requests):
                yield batch
            return
        try:
            async for request in requests:
                for batch in self.add(request):
                    yield batch
        except Exception:
            for batch in self.flush():
                yield batch
            raise
        for batch in self.flush():
            yield batch


# ------------------------------------------------------------------------------------ results of runs


def collect(outcomes: list[TriggerOutcome]) -> list[TriggerResult]:
    """``trigger_many``'s answer: every result, or the error that says which runs did not start."""
    failed = [o for o in outcomes if o.error is not None]
    if not failed:
        return [o.result for o in outcomes if o.result is not None]
    errors = [o.error for o in failed if o.error is not None]
    started = [o.result for o in outcomes if o.result is not None]
    if not started and all(e is errors[0] for e in errors):
        raise errors[0]  # one request failed and it held every run: its own typed error
    raise PartialTriggerError(
        f"{len(started)} of {len(outcomes)} runs started, {len(failed)} did not (first error: {errors[0]})",
        started=started,
        failed=[(o.request, e) for o, e in zip(failed, errors, strict=True)],
        outcomes=outcomes,
    ) from errors[0]


def single(outcomes: list[TriggerOutcome]) -> TriggerResult:
    """``trigger``'s answer: its result, or the error QStash gave for its message."""
    (outcome,) = outcomes
    if outcome.error is not None:
        raise outcome.error
    assert outcome.result is not None
    return outcome.result


def plan(options: Options, requests: Iterable[TriggerRequest], batch_size: int) -> list[Batch]:
    """Every batch of a ``trigger_many``, built before anything is sent: bad input raises here."""
    batcher = Batcher(options, batch_size)
    batches = [batch for request in requests for batch in batcher.add(request)] + batcher.flush()
    for batch in batches:
        for entry in batch.entries:
            if entry.error is not None:
                raise entry.error
    if not batches:
        raise InvalidArgumentError("trigger_many needs at least one TriggerRequest")
    return batches


def check_several(requests: object, method: str) -> None:
    """One TriggerRequest or a URL where an iterable of requests belongs: say which method fits."""
    if isinstance(requests, TriggerRequest | str):
        raise InvalidArgumentTypeError(
            f"{method} takes a list of TriggerRequest, got one {type(requests).__name__}; "
            "pass [TriggerRequest(...)], or use trigger(url, ...) for one run"
        )
    if not isinstance(requests, Iterable | AsyncIterable):
        raise InvalidArgumentTypeError(f"requests must be a list of TriggerRequest, got {type(requests).__name__}")


@attrs.frozen
class TriggerStream:
    """A planned ``trigger_stream``: the requests (not read yet) and how to batch them."""

    requests: Iterable[TriggerRequest] | AsyncIterable[TriggerRequest]
    batcher: Batcher


# ------------------------------------------------------------------------------------------ send loops


def _settle(execute: Execute, batch: Batch) -> list[TriggerOutcome]:
    try:
        return execute(batch.call)
    except WorkflowError as exc:
        return batch.fail(exc)


def send_batches(
    execute: Execute, batches: Iterator[Batch], in_flight: int = BATCHES_IN_FLIGHT
) -> Iterator[TriggerOutcome]:
    """Send ``batches`` from a small thread pool (httpx.Client is thread-safe), at most ``in_flight``
    at once, reading the next batch only when one is free; yield outcomes in input order as soon as
    each batch answers. An error of the input propagates after the outcomes of every run read before
    it. Closing the iterator early waits for the batches in flight (their runs may have started)."""
    from concurrent.futures import Future, ThreadPoolExecutor

    window: deque[Future[list[TriggerOutcome]]] = deque()
    input_error: Exception | None = None
    pool = ThreadPoolExecutor(max_workers=in_flight, thread_name_prefix="upstash-workflow-batch")
    try:
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                break
            except Exception as exc:
                input_error = exc
                break
            window.append(pool.submit(_settle, execute, batch))
            if len(window) >= in_flight:
                yield from window.popleft().result()
            while window and window[0].done():
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    if input_error is not None:
        raise input_error


async def _asettle(execute: AsyncExecute, batch: Batch) -> list[TriggerOutcome]:
    try:
        return await execute(batch.call)
    except WorkflowError as exc:
        return batch.fail(exc)


async def asend_batches(
    execute: AsyncExecute, batches: AsyncIterator[Batch], in_flight: int = BATCHES_IN_FLIGHT
) -> AsyncGenerator[TriggerOutcome, None]:
    """`send_batches` for AsyncClient: tasks instead of threads, the same order and bounds."""
    import asyncio

    window: deque[asyncio.Task[list[TriggerOutcome]]] = deque()
    input_error: Exception | None = None
    try:
        while True:
            try:
                batch = await batches.__anext__()
            except StopAsyncIteration:
                break
            except Exception as exc:
                input_error = exc
                break
            window.append(asyncio.ensure_future(_asettle(execute, batch)))
            if len(window) >= in_flight:
                for outcome in await window.popleft():
                    yield outcome
            while window and window[0].done():
                for outcome in window.popleft().result():
                    yield outcome
        while window:
            for outcome in await window.popleft():
                yield outcome
    finally:
        if window:  # closed early: let the requests in flight finish (their runs may have started)
            await asyncio.gather(*window, return_exceptions=True)
    if input_error is not None:
        raise input_error


# ------------------------------------------------------------------------------------------ coalescing


_Waiting = tuple["Batch", "asyncio.Future[list[TriggerOutcome] | None]"]  # a trigger's batch, its caller


class TriggerCoalescer:
    """Merges the ``AsyncClient.trigger`` calls made in one event-loop iteration into one
    ``/v2/batch`` request (chunked by the batch limits). The first call of an iteration schedules a
    flush with ``loop.call_soon``: no timer, so a lone call waits one loop iteration, then its
    caller sends it exactly as it would without coalescing (`submit` answers None). Each caller
    gets its own runs' outcomes; a merged request is retried like any other, with the same run
    ids. One coalescer per client."""

    def __init__(self, execute: AsyncExecute) -> None:
        self._execute = execute
        self._pending: list[_Waiting] = []
        self._tasks: set[asyncio.Task[None]] = set()

    async def submit(self, batch: Batch) -> list[TriggerOutcome] | None:
        """The outcomes of the batch's runs when it was sent merged with others; None when it had no
        company (send it yourself)."""
        import asyncio

        loop = asyncio.get_running_loop()
        future: asyncio.Future[list[TriggerOutcome] | None] = loop.create_future()
        if not self._pending:
            loop.call_soon(self._flush, loop)
        self._pending.append((batch, future))
        return await future

    def _flush(self, loop: asyncio.AbstractEventLoop) -> None:
        pending, self._pending = self._pending, []
        pending = [item for item in pending if not item[1].done()]  # a caller cancelled already: not sent
        group: list[_Waiting] = []
        size = 1  # counted as in Batch.size
        for item in pending:
            if group and (len(group) >= MERGED_TRIGGERS or size + item[0].size - 1 > MAX_BATCH_BYTES):
                self._start(loop, group)
                group, size = [], 1
            group.append(item)
            size += item[0].size - 1
        if group:
            self._start(loop, group)

    def _start(self, loop: asyncio.AbstractEventLoop, group: list[_Waiting]) -> None:
        if len(group) == 1:
            future = group[0][1]
            if not future.done():
                future.set_result(None)
            return
        task = loop.create_task(self._send(group))
        self._tasks.add(task)  # a reference, so the task is not collected mid-flight
        task.add_done_callback(self._tasks.discard)

    async def _send(self, group: list[_Waiting]) -> None:
        merged = merge([batch for batch, _ in group])
        try:
            outcomes = await self._execute(merged.call)
        except WorkflowError as exc:
            outcomes = merged.fail(exc)
        except BaseException as exc:  # cancelled or a bug: every caller sees it
            for _, future in group:
                if not future.done():
                    future.set_exception(exc)
            raise
        position = 0
        for batch, future in group:
            mine = outcomes[position : position + len(batch.entries)]
            position += len(batch.entries)
            if not future.done():
                future.set_result(mine)


# ------------------------------------------------------------------------------------------- builders


def trigger_stream(
    options: Options,
    requests: Iterable[TriggerRequest] | AsyncIterable[TriggerRequest],
    *,
    batch_size: int = STREAM_BATCH_SIZE,
    start_index: int = 0,
) -> TriggerStream:
    """Start a run for every request of ``requests`` (any iterable, read lazily; ``AsyncClient``
    also takes an async iterable) and yield one `TriggerOutcome` per run, in input order, as soon
    as its batch is answered. Memory does not grow with the input: at most 16 batches of up to
    ``batch_size`` runs (default 500; and 1 MB) are in flight, and the input is read only as
    batches free up.

    Each outcome has ``index`` (the run's input position, counted from ``start_index``: pass the
    number of requests you skipped when resuming), ``status`` (``"started"``, ``"deduplicated"``
    or ``"failed"``), ``workflow_run_id``, ``result`` and ``error``. Nothing is raised for a run:
    a message QStash refuses (`TriggerRejectedError`), a batch whose request failed after retries
    (that error, for each of its runs) and an invalid request (`InvalidArgumentError`, not sent)
    are ``"failed"`` outcomes, and the stream goes on.

    If ``requests`` raises, the runs read before it are still sent and their outcomes yielded,
    then its error propagates. Leaving the loop early (``break``, ``close()``) waits for the
    batches already in flight: their runs may have started, but their outcomes are not yielded.
    """
    check_several(requests, "trigger_stream")
    size = v.positive_int(batch_size, "batch_size")
    first = v.non_negative_int(start_index, "start_index")
    return TriggerStream(requests=requests, batcher=Batcher(options, size, first))


async def aiterate(items: Iterable[Batch]) -> AsyncIterator[Batch]:
    for item in items:
        yield item
