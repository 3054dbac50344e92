"""The workflow engine of LocalQStash (``deliver=True``): the part of QStash that workflow endpoints
served by the official SDKs talk to.

Protocol facts (from upstash/workflow-py ``workflow_requests.py``, ``workflow_parser.py``,
``context/auto_executor.py`` and upstash/workflow-js ``src/workflow-parser.ts``,
``src/context/steps.ts``):

- A run's URL gets POSTs whose body is a JSON array: the initial request, then every finished step,
  each as ``{"messageId", "body": base64(...), "callType": "step"}`` (a step's body is the step JSON
  the SDK published). ``Upstash-Forward-X`` headers arrive as ``X`` (so ``Upstash-Workflow-Sdk-Version``
  tells the SDK this is not a first invocation).
- The SDK publishes each finished step (``POST /v2/batch`` or ``/v2/publish/{url}``) with
  ``Upstash-Workflow-RunId``/``-Init: false``, optionally ``Upstash-Delay``/``Upstash-Not-Before``
  (sleeps), and ends the run with ``DELETE /v2/workflows/runs/{id}?cancel=false``.
- ``context.call``: a message to the called URL with ``Upstash-Method`` and ``Upstash-Callback``; the
  answer goes to the callback URL as ``{"status", "header", "body": base64}`` with the
  ``Upstash-Callback-Forward-*``/``Upstash-Callback-Workflow-*`` headers, and the SDK publishes it as
  the step's result.
- ``context.waitForEvent`` (TS SDK): ``POST /v2/wait/{eventId}`` with ``{url, timeout, timeoutUrl,
  timeoutHeaders, step}``; a notify (or the timeout) resumes the run with a ``Wait`` step whose
  ``out`` is base64(event data) (or ``waitTimeout: true``).
- A delivery that keeps failing is retried ``Upstash-Retries`` times (3 when absent), then the run
  goes to the DLQ and the ``Upstash-Failure-Callback`` URL gets ``{"status", "header", "body",
  "url", "sourceBody", "workflowRunId", ...}`` with the ``Upstash-Failure-Callback-*`` headers.

Time is a `WorkflowClock` that tests move (``advance``/``fast_forward``), so a one-day sleep or a
retry backoff takes no wall time. Every loop is bounded in count and time.
"""

from __future__ import annotations

import base64
import heapq
import itertools
import json
import logging
import math
import re
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

import attrs
import httpx

from .._config import is_loopback_host
from ._signing import sign
from ._state import FEATURE_SET, BadRequest, NotFound, QStashState, Run, WaiterEntry, _random_id

DEFAULT_RETRIES = 3
MAX_BACKOFF = 86_400.0
MAX_RESPONSE_BODY = 1024 * 1024
MAX_DELIVERIES = 10_000  # per engine lifetime: a workflow that loops forever stops here
# Headers of the endpoint's own incoming request that the SDKs forward back; resending them would
# corrupt the next request (hop-by-hop, framing) or the delivery's own identity.
_NOT_FORWARDED = {
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "te",
    "trailer",
    "upgrade",
    "accept-encoding",
    "upstash-signature",
    "upstash-message-id",
    "upstash-retried",
}
_DURATION = re.compile(r"(\d+)(ms|s|m|h|d)")
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}

Kind = Literal["step", "call", "callback", "failure", "timeout"]


def parse_duration(value: str | int | float) -> float:
    """Seconds in a QStash duration: ``30``, ``"30s"``, ``"1h30m"``, ``"1d"``."""
    if isinstance(value, int | float):
        return float(value)
    text = value.strip()
    if text.isdigit():
        return float(text)
    parts = _DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise BadRequest(f"invalid duration {value!r}")
    return sum(int(n) * _UNIT_SECONDS[u] for n, u in parts)


def backoff(retried: int) -> float:
    """QStash's documented retry delay: min(1 day, e^(2.5 n)) seconds after the n-th failure."""
    return min(MAX_BACKOFF, math.exp(2.5 * retried))


def _b64(text: str | bytes) -> str:
    return base64.b64encode(text.encode() if isinstance(text, str) else text).decode()


def _with_prefix(headers: Mapping[str, str], prefix: str) -> dict[str, str]:
    return {k[len(prefix) :]: v for k, v in headers.items() if k.startswith(prefix)}


def _retarget(headers: Mapping[str, str], prefix: str) -> dict[str, str]:
    """The headers of a derived message: ``Upstash-Callback-X`` (or ``Upstash-Failure-Callback-X``)
    becomes ``Upstash-X``, so ``...-Forward-Y`` reaches the endpoint as ``Y`` and ``...-Workflow-RunId``
    as the workflow header."""
    return {"upstash-" + k: v for k, v in _with_prefix(headers, prefix).items()}


class WorkflowClock:
    """Wall time plus an offset that only grows. ``advance`` moves it forward (sleeps, delays,
    retry backoffs and wait timeouts fall due) without waiting."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        if not seconds >= 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += seconds


@attrs.frozen
class Delivery:
    """One HTTP request LocalQStash made to an endpoint: a workflow step, a ``context.call``, its
    callback or a failure callback. ``status`` is None when it failed with ``error``."""

    workflow_run_id: str
    url: str
    headers: dict[str, str]
    body: str | None
    status: int | None
    error: str | None
    kind: str = "step"
    method: str = "POST"


@attrs.define
class Message:
    """A message waiting for (another) delivery. ``headers`` have lower-case names."""

    kind: Kind
    run_id: str
    destination: str
    headers: dict[str, str]
    body: str
    message_id: str = attrs.field(factory=lambda: _random_id("msg_"))
    method: str = "POST"
    retried: int = 0
    dlq_id: str | None = None  # failure callbacks: the DLQ entry whose callback state they report

    @property
    def max_retries(self) -> int:
        value = self.headers.get("upstash-retries", "")
        return int(value) if value.isdigit() else DEFAULT_RETRIES


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
        signing_key: str | None = None,
        delivery_timeout: float = 30.0,
        max_workers: int = 8,
    ) -> None:
        self.state = state
        self.clock = clock
        self._record = record
        self._signing_key = signing_key
        self._queue: list[tuple[float, int, Message]] = []
        self._order = itertools.count()
        self._busy = 0
        self._deliveries = 0
        self._cond = threading.Condition()
        self._stopped = False
        self._traces: dict[str, _Trace] = {}
        self._http = httpx.Client(timeout=delivery_timeout, follow_redirects=False)
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
        self._http.close()

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
        """Run everything scheduled, jumping the clock to each next due time, until nothing is left
        (runs end, or wait for events that have no timeout due). True when it got there in time."""
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

    # --------------------------------------------------------------------------- protocol entry

    def route(
        self, method: str, path: str, query: Mapping[str, list[str]], body: bytes, headers: Mapping[str, str], ip: str
    ) -> Any:
        """Answer the endpoints this engine owns; None for the rest (the plain LocalQStash routes)."""
        segments = [unquote(s) for s in path.strip("/").split("/")]
        if method == "POST" and path == "/v2/batch":
            return self.publish(_json(body), ip)
        if method == "POST" and path.startswith("/v2/publish/"):
            message = {"destination": path[len("/v2/publish/") :], "headers": dict(headers), "body": body.decode()}
            return self.publish([message], ip)[0]
        if method == "POST" and segments[:2] == ["v2", "wait"] and len(segments) == 3:
            return self.wait(segments[2], _json(body), headers)
        if method == "DELETE" and segments[:3] == ["v2", "workflows", "runs"] and len(segments) == 4:
            return self.finish(segments[3], cancel=query.get("cancel", ["false"])[-1] == "true")
        if method == "POST" and segments[:2] == ["v2", "notify"] and len(segments) in (3, 4) and all(segments):
            run_id = segments[2] if len(segments) == 4 else None
            return self.notify(segments[-1], body.decode("utf-8", "replace"), run_id)
        if method == "POST" and path in ("/v2/workflows/dlq/resume", "/v2/workflows/dlq/restart"):
            return self.rerun(query, restart=path.endswith("restart"), headers=headers)
        return None

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
            step = _step_of(message.get("body") or "") if of_a_run and kind == "step" else None
            planned.append((message, headers, self._due(headers), of_a_run, kind, step))
        results = []
        for message, headers, due, of_a_run, kind, step in planned:
            if not of_a_run:  # a new run (the run id deduplicates)
                result = self.state.publish([message], caller_ip)[0]
                if not result.get("deduplicated"):
                    self.start_run(self.state.runs[result["workflowRunId"]])
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

    def notify(self, event_id: str, data: str, run_id: str | None) -> list[dict[str, Any]]:
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
            log = _log_step(step, message, self.state.now_ms())
            call = self._trace(message.run_id).calls.pop(str(step.get("stepId")), None)
            if call is not None and step.get("stepType") == "Call":
                log.update(callUrl=call.destination, callMethod=call.method, callBody=call.body)
                log["callHeaders"] = {k: [v] for k, v in _with_prefix(call.headers, "upstash-forward-").items()}
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
                wait_step["out"] = _b64(data)
            run = self.state.runs[run_id]
            # The plain server logs a notified wait as an event; here the step itself is known.
            run.events = [e for e in run.events if e["eventId"] != event_id]
            run.steps.append(_log_step({**wait_step, "out": data}, resume, self.state.now_ms()))
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
        status, text, response_headers, error = self._send(message, url, headers, body)
        self._record(Delivery(message.run_id, url, headers, body.decode(), status, error, message.kind, message.method))
        if error is not None and error.startswith("not delivered"):
            return
        ok = status is not None and 200 <= status < 300
        if message.kind == "failure":
            self._report_failure_callback(message, ok)
            return
        if not ok and message.retried < message.max_retries:
            message.retried += 1
            self._schedule(message, self.clock.now() + backoff(message.retried))
            return
        if message.kind == "call":
            self._schedule(self._callback(message, status or 0, text, response_headers), self.clock.now())
        elif not ok and run is not None:
            self._fail(run, message, status or 0, text or (error or ""))

    def _request(self, message: Message) -> tuple[str, dict[str, str], bytes]:
        """URL, headers and body of one delivery, as QStash sends them."""
        forwarded = _with_prefix(message.headers, "upstash-forward-")
        headers = {k: v for k, v in forwarded.items() if k not in _NOT_FORWARDED}
        if message.kind != "call":  # the workflow's own control headers reach its endpoint
            control = ("upstash-workflow-", "upstash-feature-set")
            headers.update({k: v for k, v in message.headers.items() if k.startswith(control)})
        if message.kind == "step":
            run = self.state.runs[message.run_id]
            headers.update(
                {
                    "upstash-workflow-runid": message.run_id,
                    "upstash-workflow-url": message.headers.get("upstash-workflow-url", run.url),
                    "upstash-workflow-init": message.headers.get("upstash-workflow-init", "false"),
                    "upstash-feature-set": message.headers.get("upstash-feature-set", FEATURE_SET),
                    "content-type": message.headers.get("content-type", "application/json"),
                }
            )
            body = json.dumps(self._step_payload(run, message)).encode()
        else:
            headers["content-type"] = message.headers.get("content-type", "application/json")
            body = message.body.encode()
        headers.update({"upstash-message-id": message.message_id, "upstash-retried": str(message.retried)})
        if self._signing_key:
            headers["upstash-signature"] = sign(self._signing_key, url=message.destination, body=body)
        return message.destination, {_canonical(k): v for k, v in headers.items()}, body

    def _step_payload(self, run: Run, message: Message) -> list[dict[str, Any]]:
        with self.state._lock:
            bodies = list(self._trace(run.workflow_run_id).step_bodies)
        payload = [{"messageId": run.message_id, "body": _b64(run.body or ""), "callType": "step"}]
        payload += [{"messageId": mid, "body": _b64(text), "callType": "step"} for mid, text in bodies]
        if message.body and message.message_id not in {mid for mid, _ in bodies}:
            payload.append({"messageId": message.message_id, "body": _b64(message.body), "callType": "step"})
        return payload

    def _send(
        self, message: Message, url: str, headers: dict[str, str], body: bytes
    ) -> tuple[int | None, str, dict[str, list[str]], str | None]:
        if not is_loopback_host(urlsplit(url).hostname or ""):
            return None, "", {}, "not delivered: LocalQStash only delivers to loopback URLs"
        try:
            with self._http.stream(message.method, url, content=body, headers=headers) as response:
                raw = b""
                for chunk in response.iter_bytes():
                    raw += chunk
                    if len(raw) > MAX_RESPONSE_BODY:
                        break
                answer_headers: dict[str, list[str]] = {}
                for key, value in response.headers.multi_items():
                    answer_headers.setdefault(key, []).append(value)
                return response.status_code, raw[:MAX_RESPONSE_BODY].decode("utf-8", "replace"), answer_headers, None
        except httpx.HTTPError as exc:
            return None, "", {}, f"{type(exc).__name__}: {exc}"

    def _callback(self, call: Message, status: int, text: str, answer_headers: dict[str, list[str]]) -> Message:
        """The ``context.call`` result, addressed to the workflow as ``Upstash-Callback`` asks."""
        headers = _retarget(call.headers, "upstash-callback-")
        body = {
            "status": status,
            "header": answer_headers,
            "body": _b64(text),
            "retried": call.retried,
            "maxRetries": call.max_retries,
            "sourceMessageId": call.message_id,
            "url": call.destination,
            "method": call.method,
            "sourceBody": _b64(call.body),
            "sourceHeader": {k: [v] for k, v in call.headers.items()},
        }
        return Message("callback", call.run_id, call.headers["upstash-callback"], headers, json.dumps(body))

    def _fail(self, run: Run, message: Message, status: int, text: str) -> None:
        """Retries are exhausted: the run fails into the DLQ and its failure callback is called."""
        entry = self.state.add_dlq(run, status, text)
        callback_url = message.headers.get("upstash-failure-callback")
        if not callback_url:
            entry.failure_callback_state = None
            return
        entry.failure_callback_state = "CALLBACK_INPROGRESS"
        headers = _retarget(message.headers, "upstash-failure-callback-")
        body = {
            "status": status,
            "header": {"Content-Type": ["application/json"]},
            "body": _b64(text),
            "retried": message.retried,
            "maxRetries": message.max_retries,
            "dlqId": entry.dlq_id,
            "sourceMessageId": message.message_id,
            "url": message.destination,
            "method": message.method,
            "sourceHeader": {k: [v] for k, v in message.headers.items()},
            "sourceBody": _b64(run.body or ""),
            "workflowRunId": run.workflow_run_id,
        }
        failure = Message("failure", run.workflow_run_id, callback_url, headers, json.dumps(body))
        failure.dlq_id = entry.dlq_id
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


def _step_of(body: str) -> dict[str, Any]:
    try:
        step = json.loads(body)
    except ValueError:
        raise BadRequest("a workflow step body must be JSON") from None
    if not isinstance(step, dict):
        raise BadRequest("a workflow step body must be a JSON object")
    return step


def _canonical(name: str) -> str:
    """Header names as QStash (Go's net/http) writes them: ``Upstash-Workflow-Runid``."""
    return "-".join(part.capitalize() for part in name.split("-"))


def _json(body: bytes) -> Any:
    try:
        return json.loads(body or b"null")
    except ValueError:
        raise BadRequest("the body is not JSON") from None


def _log_step(step: Mapping[str, Any], message: Message, created_at: int) -> dict[str, Any]:
    """A finished step as the logs endpoint shows it."""
    out = step.get("out")
    log: dict[str, Any] = {
        "stepId": step.get("stepId"),
        "stepName": step.get("stepName"),
        "stepType": step.get("stepType"),
        "callType": "step",
        "messageId": message.message_id,
        "out": out if isinstance(out, str) or out is None else json.dumps(out),
        "retries": message.max_retries,
        "concurrent": step.get("concurrent", 1),
        "state": "STEP_SUCCESS",
        "createdAt": created_at,
        "headers": {},
    }
    for key in ("sleepFor", "sleepUntil"):
        if isinstance(step.get(key), int):
            log[key] = step[key]
    if step.get("waitEventId"):
        log["waitEventId"] = step["waitEventId"]
        log["waitTimeout"] = bool(step.get("waitTimeout"))
    if step.get("stepType") == "Call" and isinstance(out, str):
        try:
            answer = json.loads(out)
            log["callResponseStatus"] = answer.get("status")
            log["callResponseBody"] = answer.get("body")
        except (ValueError, AttributeError):
            pass
    return log
