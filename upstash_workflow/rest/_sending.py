"""Sending the batches of a fan-out, for the I/O cores of `_client`: the loops that keep several
batches in flight and yield outcomes in input order (`send_batches`, `asend_batches`), and
`TriggerCoalescer`, which merges concurrent ``AsyncClient.trigger`` calls into one request.

Each takes ``send``, the core's sender of one request (retries and deadline included), and never
calls back into the client's dispatch: what to send is decided here, how to send it there.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterable, Iterator
from contextvars import copy_context
from typing import TYPE_CHECKING

import attrs

from ._batching import MAX_BATCH_BYTES, Batch
from ._call import SendRequest
from ._errors import WorkflowError, own_copy
from ._outcomes import TriggerOutcome

if TYPE_CHECKING:
    import asyncio
    from concurrent.futures import Future

logger = logging.getLogger("upstash_workflow.rest")

MERGED_TRIGGERS = 100  # the most concurrent trigger calls AsyncClient sends as one request
BATCHES_IN_FLIGHT = 16  # enough to hide a 25-50 ms round trip behind building the next batches

Outcomes = list[TriggerOutcome]
Send = Callable[[SendRequest[list[TriggerOutcome]]], list[TriggerOutcome]]
AsyncSend = Callable[[SendRequest[list[TriggerOutcome]]], Awaitable[list[TriggerOutcome]]]


def _call(batch: Batch) -> SendRequest[list[TriggerOutcome]] | None:
    """The request of ``batch`` answering its outcomes; None when none of its runs has a message."""
    request = batch.request()
    return None if request is None else SendRequest(request=request, parse=batch.outcomes)


def _settle(send: Send, batch: Batch) -> list[TriggerOutcome]:
    if (call := _call(batch)) is None:
        return batch.outcomes(None)
    try:
        return send(call)
    except WorkflowError as exc:
        return batch.fail(exc)


def _report_unyielded(outcomes: list[TriggerOutcome]) -> None:
    """A stream left early (``break``, ``close()``, a cancelled consumer) waits for its batches in
    flight, whose runs may have started, but cannot yield their outcomes: say what became of them,
    so that a resumed stream knows where to start (``start_index``)."""
    if not outcomes:
        return
    started = sum(outcome.ok for outcome in outcomes)
    logger.warning(
        "trigger_stream ended before yielding the outcomes of %d runs it had sent (indexes %d to %d): "
        "%d started, %d failed; the first not yielded is index %d",
        len(outcomes),
        min(o.index for o in outcomes),
        max(o.index for o in outcomes),
        started,
        len(outcomes) - started,
        outcomes[0].index,
    )


def send_batches(send: Send, batches: Iterator[Batch], in_flight: int = BATCHES_IN_FLIGHT) -> Iterator[TriggerOutcome]:
    """Send ``batches`` from a small thread pool (httpx.Client is thread-safe), at most ``in_flight``
    at once; yield outcomes in input order as soon as each batch answers, whatever the input is
    doing: ``batches`` (and so the user's input) is read on a thread of its own, which waits for a
    free slot before reading on. An error of the input propagates after the outcomes of every run
    read before it. Closing the iterator early stops reading the input (a read under way finishes on
    that thread, unsent), waits for the batches in flight and logs what became of their runs."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    window: deque[Future[list[TriggerOutcome]]] = deque()  # sent, not yet yielded, in input order
    changed = threading.Condition()  # guards window, reading, input_error, stopped
    slots = threading.Semaphore(in_flight)
    reading, stopped = True, False
    input_error: Exception | None = None
    pool = ThreadPoolExecutor(max_workers=in_flight, thread_name_prefix="upstash-workflow-batch")
    caller = copy_context()  # the generator's first step runs in the caller's context

    def read() -> None:
        nonlocal reading, input_error
        try:
            for batch in batches:
                slots.acquire()
                with changed:
                    if stopped:
                        return
                    # In a copy of the caller's context: the call's span is the parent of each request's spans.
                    window.append(pool.submit(caller.copy().run, _settle, send, batch))
                    changed.notify()
        except Exception as exc:
            input_error = exc
        finally:
            with changed:
                reading = False
                changed.notify()

    reader = threading.Thread(target=read, name="upstash-workflow-stream-input", daemon=True)
    reader.start()
    try:
        while True:
            with changed:
                changed.wait_for(lambda: bool(window) or not reading)
                if not window:
                    break
                head = window[0]
            outcomes = head.result()
            with changed:
                window.popleft()
            slots.release()
            yield from outcomes
    finally:
        with changed:
            stopped = True
            unyielded = list(window)
        slots.release(in_flight)  # a reader waiting for a slot wakes, sees `stopped` and ends
        _report_unyielded([o for future in unyielded for o in _result_or_nothing(future)])
        pool.shutdown(wait=True)
    if input_error is not None:
        raise input_error


def _result_or_nothing(future: Future[Outcomes] | asyncio.Task[Outcomes]) -> Outcomes:
    try:
        return future.result()
    except Exception:  # a bug, raised where the outcomes are read; nothing to report here
        return []


async def _asettle(send: AsyncSend, batch: Batch) -> list[TriggerOutcome]:
    if (call := _call(batch)) is None:
        return batch.outcomes(None)
    try:
        return await send(call)
    except WorkflowError as exc:
        return batch.fail(exc)


async def asend_batches(
    send: AsyncSend, batches: AsyncIterator[Batch], in_flight: int = BATCHES_IN_FLIGHT
) -> AsyncGenerator[TriggerOutcome, None]:
    """`send_batches` for AsyncClient: the input read in a task of its own, batches sent in tasks,
    the same order and bounds. A consumer cancelled while it waits for a batch does not cancel that
    batch (its runs may have started): like every batch in flight, it is awaited and reported."""
    import asyncio

    window: deque[asyncio.Task[list[TriggerOutcome]]] = deque()
    slots = asyncio.Semaphore(in_flight)
    changed = asyncio.Event()
    input_error: list[Exception] = []

    async def read() -> None:
        try:
            async for batch in batches:
                await slots.acquire()
                window.append(asyncio.ensure_future(_asettle(send, batch)))
                changed.set()
        except Exception as exc:
            input_error.append(exc)
        finally:
            changed.set()

    reader = asyncio.ensure_future(read())
    try:
        while True:
            if window:
                outcomes = await asyncio.shield(window[0])
                window.popleft()
                slots.release()
                for outcome in outcomes:
                    yield outcome
            elif reader.done():
                break
            else:
                changed.clear()
                await changed.wait()
    finally:
        reader.cancel()
        await asyncio.wait([reader])
        if window:  # left early: the requests in flight finish (their runs may have started)
            await asyncio.wait(window)
            _report_unyielded([o for task in window if not task.cancelled() for o in _result_or_nothing(task)])
    if input_error:
        raise input_error[0]


# ------------------------------------------------------------------------------------------ coalescing


_Waiting = tuple["Batch", "asyncio.Future[list[TriggerOutcome] | None]"]  # a trigger's batch, its caller


class TriggerCoalescer:
    """Merges the ``AsyncClient.trigger`` calls made in one event-loop iteration into one
    ``/v2/batch`` request (chunked by the batch limits). The first call of an iteration schedules a
    flush with ``loop.call_soon``: no timer, so a lone call waits one loop iteration, then is sent
    from its caller's task exactly as it would be without coalescing. Each caller gets its own
    runs' outcomes; a merged request is retried like any other, with the same run ids. One
    coalescer per client."""

    def __init__(self, send: AsyncSend) -> None:
        self._send = send
        self._pending: list[_Waiting] = []
        self._tasks: set[asyncio.Task[None]] = set()

    async def submit(self, batch: Batch) -> list[TriggerOutcome]:
        """The outcomes of the batch's runs, sent merged with the triggers of the moment if any."""
        import asyncio

        loop = asyncio.get_running_loop()
        future: asyncio.Future[list[TriggerOutcome] | None] = loop.create_future()
        if not self._pending:
            loop.call_soon(self._flush, loop)
        self._pending.append((batch, future))
        outcomes = await future  # None: it had no company
        return outcomes if outcomes is not None else await _asettle(self._send, batch)

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
            group[0][1].set_result(None)  # not done: _flush skipped those, and nothing ran since
            return
        task = loop.create_task(self._send_merged(group))
        self._tasks.add(task)  # a reference, so the task is not collected mid-flight
        task.add_done_callback(self._tasks.discard)

    async def _send_merged(self, group: list[_Waiting]) -> None:
        try:
            merged = Batch(tuple(entry for batch, _ in group for entry in batch.entries))
            outcomes = await _asettle(self._send, merged)
        except BaseException as exc:  # cancelled or a bug: every caller sees it
            for _, future in group:
                if not future.done():
                    future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return  # the callers have it: re-raised here, it would be logged as never retrieved
        position = 0
        for batch, future in group:
            mine = outcomes[position : position + len(batch.entries)]
            position += len(batch.entries)
            if not future.done():
                future.set_result([_own(outcome) for outcome in mine])


def _own(outcome: TriggerOutcome) -> TriggerOutcome:
    """The outcome with its own copy of a shared error: the merged request's error (a 500, say) is
    every caller's, and one instance raised by many callers would grow a traceback with each."""
    if outcome.error is None:
        return outcome
    return attrs.evolve(outcome, error=own_copy(outcome.error))


async def aiterate(items: Iterable[Batch]) -> AsyncIterator[Batch]:
    for item in items:
        yield item
