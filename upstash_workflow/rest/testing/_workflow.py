"""The workflow engine of LocalQStash (``deliver=True``): it delivers workflow messages to their
endpoints on a `WorkflowClock` and answers the SDKs' follow-up calls (the wire format is in
`_protocol.py`). Tests move the clock (``advance``/``fast_forward``), so a one-day sleep or a retry
backoff takes no wall time. Every loop is bounded in count and time."""

from __future__ import annotations

import heapq
import itertools
import json
import logging
import math
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

import attrs

from .._config import is_loopback_host
from .._trigger import FEATURE_SET
from ._protocol import (
    RESPONSE_EXCERPT,
    Delivery,
    Kind,
    Message,
    b64,
    backoff,
    callback_message,
    canonical,
    delivered_headers,
    failure_message,
    log_step,
    parse_duration,
    step_of,
    step_payload,
    with_prefix,
)
from ._sender import Answer, Sender
from ._signing import sign
from ._state import BadRequest, FailingStep, NotFound, QStashState, Run, WaiterEntry

MAX_DELIVERIES = 10_000  # per engine lifetime: a workflow that loops forever stops here
# What the logs keep of a step's failed deliveries: the latest errors, each body cut here (an
# endpoint may answer 1 MB, and Upstash-Retries may allow thousands of attempts).
MAX_STEP_ERRORS = 100
MAX_ERROR_BODY = 64 * 1024


class WorkflowClock:
    """Wall time plus an offset that only grows. ``advance`` moves it forward (sleeps, delays,
    retry backoffs and wait timeouts fall due) without waiting."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        """The current time of the workflows: wall time plus every `advance` so far.

        Returns:
            Unix seconds.
        """
        with self._lock:
            return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds``, without waiting.

        Args:
            seconds: how far to move, a finite number >= 0.

        Raises:
            ValueError: ``seconds`` is negative or not finite (inf would put every timer due at once
                and every later time at inf; NaN would compare false with every due time).
        """
        if not math.isfinite(seconds):
            raise ValueError(f"the clock moves by a finite number of seconds, not {seconds!r}")
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += seconds


@attrs.define
class _Trace:
    """What the engine knows about one run beyond QStashState: the finished steps' bodies in order
    and the waits it registered (event id -> the message that resumes it)."""

    step_bodies: list[tuple[str, str]] = attrs.field(factory=list)  # (message id, step JSON)
    calls: dict[str, Message] = attrs.field(factory=dict)  # step id -> its context.call request
    waits: dict[str, tuple[Message, dict[str, Any]]] = attrs.field(factory=dict)


class WorkflowEngine:
    """Schedules deliveries on a `WorkflowClock` and answers the SDKs' follow-up calls."""

    def __init__(
        self,
        state: QStashState,
        clock: WorkflowClock,
        *,
        record: Callable[[Delivery], None],
        delivery_timeout: float = 30.0,
        max_workers: int = 8,
    ) -> None:
        self.state = state
        self.clock = clock
        self._record = record
        self._queue: list[tuple[float, int, Message]] = []
        self._order = itertools.count()
        self._attempts = itertools.count(1)  # deliveries in the order they start
        self._busy = 0
        self._deliveries = 0
        self._cond = threading.Condition()
        self._stopped = False
        self._traces: dict[str, _Trace] = {}
        self._sender = Sender(delivery_timeout)  # bounds each delivery as a whole
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="LocalQStash-deliver")
        self._thread = threading.Thread(target=self._schedule_loop, name="LocalQStash-scheduler", daemon=True)

    # ---------------------------------------------------------------------------------- lifecycle

    def start(self) -> None:
        if not self._thread.is_alive():
            self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._sender.close()

    # ------------------------------------------------------------------------------------- time

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)
        with self._cond:
            self._cond.notify_all()

    def settle(self, timeout: float = 30.0) -> bool:
        """Wait until no delivery is due or in flight (future ones may remain); True when so."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._busy or (self._queue and self._queue[0][0] <= self.clock.now()):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.05))
        return True

    def fast_forward(self, timeout: float = 30.0, max_jumps: int = 1000) -> bool:
        """Run everything scheduled, jumping the clock to each next due time, until nothing is left.
        Waits for events time out on the way (use `settle`/`advance` to keep them waiting). True when
        it got there within ``timeout`` seconds and ``max_jumps`` clock jumps."""
        deadline = time.monotonic() + timeout
        for _ in range(max_jumps):
            if not self.settle(max(deadline - time.monotonic(), 0.0)):
                return False
            with self._cond:
                if not self._queue:
                    return True
                jump = self._queue[0][0] - self.clock.now()
            self.advance(max(jump, 0.0))
        return False

    def pending(self) -> int:
        """Deliveries scheduled or in flight."""
        with self._cond:
            return len(self._queue) + self._busy

    # --------------------------------------------------------------------- what the routes call

    def publish(self, messages: Any, caller_ip: str) -> list[dict[str, Any]]:
        """A batch: new runs (``Upstash-Workflow-Init: true`` or an unknown run id) start; messages of
        a started run are its next step, a ``context.call`` or the call's result."""
        if not isinstance(messages, list) or not messages:
            raise BadRequest("the body must be a non-empty JSON array of messages")
        # Check every message before acting on any, so a bad batch changes nothing.
        planned = []
        for message in messages:
            if not isinstance(message, dict) or not isinstance(message.get("destination"), str):
                raise BadRequest("every message needs a destination")
            raw_headers = message.get("headers") or {}
            if not isinstance(raw_headers, dict) or not all(isinstance(v, str) for v in raw_headers.values()):
                raise BadRequest("message headers must be an object of strings")
            if "body" in message and not isinstance(message["body"], str | None):
                raise BadRequest("message body must be a string")
            headers = {k.lower(): v for k, v in raw_headers.items()}
            run_id = headers.get("upstash-workflow-runid", "")
            of_a_run = headers.get("upstash-workflow-init", "true") == "false" and run_id in self.state.runs
            kind: Kind = "call" if "upstash-callback" in headers else "step"
            step = step_of(message.get("body") or "") if of_a_run and kind == "step" else None
            planned.append((message, headers, self._due(headers), of_a_run, kind, step))
        results = []
        for message, headers, due, of_a_run, kind, step in planned:
            if not of_a_run:  # a new run (the run id deduplicates)
                result = self.state.publish([message], caller_ip)[0]
                self.start_published(result)
                results.append(result)
                continue
            run_id = headers["upstash-workflow-runid"]
            queued = Message(kind, run_id, message["destination"], headers, message.get("body") or "")
            queued.method = headers.get("upstash-method", "POST").upper()
            if step is not None:
                self._add_step(queued, step)
            else:
                step_id = headers.get("upstash-callback-forward-upstash-workflow-stepid", "")
                self._trace(run_id).calls[step_id] = queued
            self._schedule(queued, due)
            results.append({"messageId": queued.message_id, "url": queued.destination})
        return results

    def start_published(self, result: Mapping[str, Any]) -> None:
        """Deliver a run `QStashState.publish` just stored (a deduplicated one is no new run; a held
        one starts when its flow-control key admits it)."""
        run_id = result["workflowRunId"]
        if not result.get("deduplicated") and not self.state.flow_control.is_held(run_id):
            self.start_run(self.state.runs[run_id])

    def start_run(self, run: Run) -> None:
        """Deliver a run from where it stands (its first step, or the next after those recorded)."""
        headers = dict(run.headers)
        headers.setdefault("upstash-workflow-runid", run.workflow_run_id)
        message = Message("step", run.workflow_run_id, run.url, headers, "", message_id=run.message_id)
        self._schedule(message, self._due(headers))

    def finish(self, run_id: str, *, cancel: bool) -> dict[str, Any]:
        """``DELETE /v2/workflows/runs/{id}``: the SDK ends its run (or a client cancels it)."""
        with self.state._lock:
            run = self.state.runs.get(run_id)
            if run is None:
                raise NotFound(f"workflow run {run_id} not found")
            if run.state == "RUN_STARTED":
                with self.state.changing(run):
                    run.state = "RUN_CANCELED" if cancel else "RUN_SUCCESS"
                    run.completed_at = self.state.now_ms()
                self.state.waiters = [w for w in self.state.waiters if w.workflow_run_id != run_id]
        return {}

    def wait(self, event_id: str, body: Any, headers: Mapping[str, str]) -> dict[str, Any]:
        """``POST /v2/wait/{eventId}`` (TS SDK ``context.waitForEvent``)."""
        if not isinstance(body, dict) or not isinstance(body.get("step"), dict) or not isinstance(body.get("url"), str):
            raise BadRequest("a wait needs url and step")
        lower = {k.lower(): v for k, v in headers.items()}
        run_id = lower.get("upstash-workflow-runid", "")
        if run_id not in self.state.runs:
            raise NotFound(f"workflow run {run_id} not found")
        timeout = parse_duration(body.get("timeout") or "7d")
        resume = Message("step", run_id, body["url"], lower, "")
        self._trace(run_id).waits[event_id] = (resume, body["step"])
        timeout_headers = body.get("timeoutHeaders")
        waiter = WaiterEntry(
            event_id=event_id,
            workflow_run_id=run_id,
            url=body["url"],
            deadline=int(self.clock.now() + timeout),
            headers=timeout_headers if isinstance(timeout_headers, dict) else {"Upstash-Workflow-Runid": [run_id]},
            timeout_url=body.get("timeoutUrl"),
            timeout_body=body.get("timeoutBody"),
        )
        self.state.add_waiter(waiter)
        with self.state._lock:
            resolved = waiter not in self.state.waiters
            run = self.state.runs[run_id]
            data = run.events[-1]["data"] if resolved and run.events else None
        if resolved:  # a notify for this run arrived first (lookback)
            self._resume(run_id, event_id, data)
        else:
            timer = Message("timeout", run_id, body["url"], {}, event_id)  # body: the event id
            self._schedule(timer, self.clock.now() + timeout)
        return {}

    def notify(self, event_id: str, data: str, run_id: str | None) -> Any:
        """The state's answer (see `QStashState.notify`), and every notified waiting run resumed."""
        waiting = [w for w in self.state.active_waiters(event_id) if run_id is None or w.workflow_run_id == run_id]
        result = self.state.notify(event_id, data, run_id)
        for waiter in waiting:
            self._resume(waiter.workflow_run_id, event_id, data)
        return result

    def rerun(self, query: Mapping[str, list[str]], *, restart: bool, headers: Mapping[str, str]) -> dict[str, Any]:
        """DLQ resume (from the failed step) or restart (a new run from the beginning)."""
        result = self.state.dlq_rerun(query, restart=restart, headers=headers)
        for entry in result["workflowRuns"]:
            run = self.state.runs[entry["workflowRunId"]]
            if restart:
                run.steps = []  # the copy shares the failed run's list
            self.start_run(run)
        return result

    # ---------------------------------------------------------------------------------- internals

    def _trace(self, run_id: str) -> _Trace:
        with self.state._lock:
            return self._traces.setdefault(run_id, _Trace())

    def _due(self, headers: Mapping[str, str]) -> float:
        now = self.clock.now()
        due = now
        if delay := headers.get("upstash-delay"):
            due = now + parse_duration(delay)
        if not_before := headers.get("upstash-not-before"):
            try:
                due = max(due, float(not_before))
            except ValueError:
                raise BadRequest(f"invalid Upstash-Not-Before {not_before!r}") from None
        return due

    def _schedule(self, message: Message, due: float) -> None:
        with self._cond:
            heapq.heappush(self._queue, (due, next(self._order), message))
            self._cond.notify_all()

    def _add_step(self, message: Message, step: Mapping[str, Any]) -> None:
        """Record a finished step a run published (plan steps, ``stepId`` 0, are only delivered)."""
        if step.get("stepId") == 0:
            return
        with self.state._lock:
            self._trace(message.run_id).step_bodies.append((message.message_id, message.body))
            run = self.state.runs[message.run_id]
            log = log_step(step, message, self.state.now_ms())
            call = self._trace(message.run_id).calls.pop(str(step.get("stepId")), None)
            if call is not None and step.get("stepType") == "Call":
                log.update(callUrl=call.destination, callMethod=call.method, callBody=call.body)
                log["callHeaders"] = {k: [v] for k, v in with_prefix(call.headers, "upstash-forward-").items()}
            run.steps.append(log)

    def _resume(self, run_id: str, event_id: str, data: str | None) -> None:
        """A notified (or timed-out, ``data`` None) wait: deliver the run with its Wait step."""
        with self.state._lock:
            trace = self._trace(run_id)
            if event_id not in trace.waits:
                return
            resume, step = trace.waits.pop(event_id)
            wait_step = {**step, "waitEventId": event_id, "waitTimeout": data is None}
            if data is not None:
                wait_step["out"] = b64(data)
            run = self.state.runs[run_id]
            # The plain server logs a notified wait as an event; here the step itself is known.
            run.events = [e for e in run.events if e["eventId"] != event_id]
            run.steps.append(log_step({**wait_step, "out": data}, resume, self.state.now_ms()))
            trace.step_bodies.append((resume.message_id, json.dumps(wait_step)))
        self._schedule(resume, self.clock.now())

    def _schedule_loop(self) -> None:
        with self._cond:
            while not self._stopped:
                now = self.clock.now()
                if self._queue and self._queue[0][0] <= now:
                    message = heapq.heappop(self._queue)[2]
                    self._busy += 1
                    self._pool.submit(self._run_one, message)
                    continue
                wait = 0.5 if not self._queue else min(0.5, self._queue[0][0] - now)
                self._cond.wait(max(wait, 0.001))

    def _run_one(self, message: Message) -> None:
        try:
            self._execute(message)
        except Exception:  # a bug here must not wedge `settle`; a stopping server closes its client
            if not self._stopped:
                logging.getLogger("upstash_workflow.rest.testing").exception("LocalQStash delivery failed")
        finally:
            with self._cond:
                self._busy -= 1
                self._cond.notify_all()

    def _execute(self, message: Message) -> None:
        run = self.state.runs.get(message.run_id)
        if message.kind == "timeout":
            self._expire_wait(message.run_id, message.body)
            return
        if message.kind != "failure" and (run is None or run.state != "RUN_STARTED"):
            return  # cancelled or finished while this waited: QStash drops it
        with self._cond:
            self._deliveries += 1
            if self._stopped or self._deliveries > MAX_DELIVERIES:
                return
        url, headers, body = self._request(message)
        with self.state._lock:  # the step this delivery runs comes after the finished ones it carries
            finished = len(self._trace(message.run_id).step_bodies)
        attempt = next(self._attempts)
        started = time.monotonic()
        answer = self._send(message, url, headers, body)
        took = time.monotonic() - started
        status, text, error = answer.status, answer.text, answer.error
        delivered = not (error is not None and error.startswith("not delivered"))
        retry_in = None if answer.ok or message.retried >= message.max_retries else backoff(message.retried + 1)
        if message.kind == "step" and run is not None and delivered:  # the logs show a step's failures
            self._note_step(run, message, answer, retry_in, attempt)
        self._record(
            Delivery(
                message.run_id,
                url,
                headers,
                body.decode(),
                status,
                error,
                message.kind,
                message.method,
                step=self._step_label(run, message, answer, finished + 1),
                seconds=took,
                retried=message.retried,
                max_retries=message.max_retries,
                retry_in=retry_in if delivered else None,
                response=text[:RESPONSE_EXCERPT],
            )
        )
        if not delivered:
            return
        if message.kind == "failure":
            self._report_failure_callback(message, answer.ok)
            return
        if retry_in is not None:
            message.retried += 1
            self._schedule(message, self.clock.now() + retry_in)
            return
        if message.kind == "call":
            self._schedule(callback_message(message, status or 0, text, answer.headers), self.clock.now())
        elif not answer.ok and run is not None:
            self._fail(run, message, status or 0, text or (error or ""))

    def _note_step(self, run: Run, message: Message, answer: Answer, retry_in: float | None, attempt: int) -> None:
        """A step delivery's outcome in its run's log: a failure is an error of the step being
        retried (QStash's ``next`` group: state, retries, next delivery, errors); a success of a
        delivery that started after the failure ends it. (Deliveries overlap: the SDK publishes the
        next step before it answers, so an earlier delivery may answer 200 after a later one failed.)"""
        with self.state._lock:
            failing = run.failing_step
            if answer.ok:
                if failing is None or attempt > failing.attempt:
                    run.errors.clear()
                    run.failing_step = None
                return
            if failing is not None and failing.message_id != message.message_id:
                run.errors.clear()  # another step fails now
            run.failing_step = FailingStep(
                message_id=message.message_id,
                step_name=answer.error_step_name,
                retries=message.max_retries,
                next_delivery_time=None if retry_in is None else int((self.clock.now() + retry_in) * 1000),
                attempt=attempt,
            )
            run.errors.append(
                {
                    "error": answer.error or f"endpoint answered {answer.status}",
                    "body": answer.text[:MAX_ERROR_BODY],
                    "headers": dict(answer.headers),
                    "status": answer.status or 0,
                    "time": self.state.now_ms(),
                }
            )
            del run.errors[:-MAX_STEP_ERRORS]

    def _step_label(self, run: Run | None, message: Message, answer: Answer, number: int) -> str:
        """What a delivery ran, for people: ``step 2 charge`` (the step after those it carried, named
        as the SDK recorded it or as a failing SDK reported it), ``end: RUN_SUCCESS`` (the SDK ended
        the run), ``context.call``, ``call answer`` or ``failure callback``."""
        if message.kind != "step":
            return {"call": "context.call", "callback": "call answer", "failure": "failure callback"}.get(
                message.kind, message.kind
            )
        name, ended = None, None
        if run is not None:
            with self.state._lock:
                names = (step.get("stepName") for step in run.steps if step.get("stepId") == number)
                name = next((str(n) for n in names if n), None)
                ended = run.state if run.state != "RUN_STARTED" else None
        name = name or answer.error_step_name
        if name:
            return f"step {number} {name}"
        if ended is not None and answer.ok:
            return f"end: {ended}"
        return f"step {number}"

    def _request(self, message: Message) -> tuple[str, dict[str, str], bytes]:
        """URL, headers and body of one delivery, as QStash sends them."""
        run = self.state.runs[message.run_id]
        headers = delivered_headers(message, run.url, FEATURE_SET)
        if message.kind == "step":
            with self.state._lock:
                bodies = list(self._trace(run.workflow_run_id).step_bodies)
            body = json.dumps(step_payload(run, bodies, message)).encode()
        else:
            body = message.body.encode()
        # Every delivery is signed, as QStash signs them; endpoints verify only when given the keys.
        headers["upstash-signature"] = sign(self.state.signing_keys.signing_key(), url=message.destination, body=body)
        return message.destination, {canonical(k): v for k, v in headers.items()}, body

    def _send(self, message: Message, url: str, headers: dict[str, str], body: bytes) -> Answer:
        if not is_loopback_host(urlsplit(url).hostname or ""):
            return Answer(None, error="not delivered: LocalQStash only delivers to loopback URLs")
        return self._sender.send(message.method, url, headers, body)

    def _fail(self, run: Run, message: Message, status: int, text: str) -> None:
        """Retries are exhausted: the run fails into the DLQ and its failure callback is called."""
        entry = self.state.add_dlq(run, status, text)
        failure = failure_message(run, message, entry.dlq_id, status, text)
        entry.failure_callback_state = None if failure is None else "CALLBACK_INPROGRESS"
        if failure is not None:
            self._schedule(failure, self.clock.now())

    def _report_failure_callback(self, message: Message, ok: bool) -> None:
        with self.state._lock:
            entry = self.state.dlq.get(message.dlq_id or "")
            if entry is not None:
                entry.failure_callback_state = "CALLBACK_SUCCESS" if ok else "CALLBACK_FAIL"
        if not ok and message.retried < message.max_retries:
            message.retried += 1
            self._schedule(message, self.clock.now() + backoff(message.retried))

    def _expire_wait(self, run_id: str, event_id: str) -> None:
        with self.state._lock:
            before = len(self.state.waiters)
            self.state.waiters = [
                w for w in self.state.waiters if not (w.workflow_run_id == run_id and w.event_id == event_id)
            ]
            expired = len(self.state.waiters) < before
        if expired:
            self._resume(run_id, event_id, None)
