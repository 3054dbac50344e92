"""Sending the batches of a fan-out, for the I/O cores of `_client`: the loops that keep several
batches in flight and yield outcomes in input order (`send_batches`, `asend_batches`), and
`TriggerCoalescer`, which merges concurrent ``AsyncClient.trigger`` calls into one request.

Each takes ``send``, the core's sender of one request (retries and deadline included), and never
calls back into the client's dispatch: what to send is decided here, how to send it there.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterable, Iterator
from typing import TYPE_CHECKING

import attrs

from ._batching import MAX_BATCH_BYTES, Batch
from ._call import SendRequest
from ._errors import WorkflowError, own_copy
from ._outcomes import TriggerOutcome

if TYPE_CHECKING:
    import asyncio

MERGED_TRIGGERS = 100  # the most concurrent trigger calls AsyncClient sends as one request
BATCHES_IN_FLIGHT = 16  # enough to hide a 25-50 ms round trip behind building the next batches

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


def send_batches(send: Send, batches: Iterator[Batch], in_flight: int = BATCHES_IN_FLIGHT) -> Iterator[TriggerOutcome]:
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
            window.append(pool.submit(_settle, send, batch))
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
            window.append(asyncio.ensure_future(_asettle(send, batch)))
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
            raise
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
