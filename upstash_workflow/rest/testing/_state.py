"""The state and semantics of LocalQStash, without any HTTP: runs, waiters, lookback events and the
DLQ, with QStash's filters and cursor pagination. Thread-safe; every method takes the lock."""

from __future__ import annotations

import base64
import itertools
import json
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import urlsplit

import attrs
from upstash_workflow_api.spec_rules import MESSAGE_HEADER_PATTERNS

from .._calls import DEFAULT_BULK_COUNT
from ._flow_control import FlowControlState, SigningKeyState
from ._index import Key, Newest, RunIndex

DEFAULT_LOG_PAGE = 10
FORWARD = "upstash-forward-"
# What a DLQ resume/restart may change for the runs it starts again (Upstash's spec).
RERUN_HEADERS = (
    "upstash-retries",
    "upstash-flow-control-key",
    "upstash-flow-control-value",
    "upstash-delay",
    "upstash-retry-delay",
    "upstash-label",
    "upstash-failure-callback",
)


class NotFound(Exception):
    """Maps to HTTP 404."""


class BadRequest(Exception):
    """Maps to HTTP 400."""


def _base64_text(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return base64.b64encode(text.encode()).decode()


def sparse(payload: Any) -> Any:
    """``payload`` without its empty values ("", 0, false, null, [] and {}) at every level, as a
    server that omits empty fields answers (`LocalQStash(sparse=True)`). Upstash's spec requires no
    response field, so this is a valid answer too; clients must read both."""
    if isinstance(payload, list):
        return [sparse(item) for item in payload]
    if isinstance(payload, dict):
        kept = {key: sparse(value) for key, value in payload.items()}
        return {key: value for key, value in kept.items() if value not in ("", 0, None, [], {})}
    return payload


def _random_id(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(16).replace("-", "x").replace("_", "y")


@attrs.define
class FailingStep:
    """The step of a run whose deliveries fail (the ``next`` group of its logs, as QStash shows it)."""

    message_id: str
    step_name: str | None  # when the SDK named it (``Upstash-Error-Step-Name``)
    retries: int  # the retries allowed
    next_delivery_time: int | None  # unix ms of the next attempt; None once retries are exhausted
    attempt: int = 0  # the engine's count of the failed delivery (a delivery started later clears it)


@attrs.define
class Run:
    """One stored workflow run, as `LocalQStash.run` returns it (live: it changes as the run goes on).

    Attributes:
        workflow_run_id: the run id.
        url: the workflow URL.
        created_at: when the run was created, in unix milliseconds.
        message_id: the id of the run's first message.
        body: the run's initial payload.
        headers: the message headers, lower-cased.
        labels: the run's labels.
        flow_control_key: its flow-control key, or None.
        caller_ip: the address it was triggered from.
        state: ``RUN_STARTED``, ``RUN_SUCCESS``, ``RUN_FAILED`` or ``RUN_CANCELED``.
        completed_at: when it ended, in unix milliseconds (None while it runs).
        dlq_id: its DLQ message id, once it failed into the DLQ.
        events: the events it was notified of.
        seq: the creation order.
        steps: its finished steps, in log form.
        errors: the failed deliveries of its next step.
        failing_step: the step those deliveries ran (None while no delivery fails).
    """

    workflow_run_id: str
    url: str
    created_at: int
    message_id: str
    body: str | None
    headers: dict[str, str]
    labels: list[str]
    flow_control_key: str | None
    caller_ip: str
    state: str = "RUN_STARTED"
    completed_at: int | None = None
    dlq_id: str | None = None
    events: list[dict[str, Any]] = attrs.field(factory=list)
    seq: int = 0  # creation order: runs made in the same millisecond still sort newest first
    steps: list[dict[str, Any]] = attrs.field(factory=list)  # finished steps in log form (the engine's)
    errors: list[dict[str, Any]] = attrs.field(factory=list)  # failed deliveries of its next step (StepError)
    failing_step: FailingStep | None = None

    def forwarded_headers(self) -> dict[str, list[str]]:
        """The headers forwarded to the workflow endpoint (``Upstash-Forward-*``, prefix removed).

        Returns:
            Header name -> its values.
        """
        return {k[len(FORWARD) :]: [v] for k, v in self.headers.items() if k.startswith(FORWARD)}

    def to_log(self, waiting: Sequence[WaiterEntry] = ()) -> dict[str, Any]:
        """The run as the logs show it.

        Args:
            waiting: its waits in progress (shown as a ``next`` group of steps).

        Returns:
            The run's entry of a ``GET /v2/workflows/logs`` answer, as JSON.
        """
        initial = {
            "stepId": 0,
            "stepName": "init",
            "stepType": "Initial",
            "callType": "step",
            "messageId": self.message_id,
            "out": self.body or "",
            "retries": int(self.headers.get("upstash-retries", "3")),
            "concurrent": 1,
            "state": "STEP_SUCCESS",
            "createdAt": self.created_at,
            "headers": self.forwarded_headers(),
        }
        groups: list[dict[str, Any]] = [{"type": "sequential", "steps": [initial]}]
        for step in self.steps:
            groups.insert(0, {"type": "sequential", "steps": [step]})
        for index, event in enumerate(self.events, start=1):
            step = {
                "stepId": index,
                "stepName": f"wait-{event['eventId']}",
                "stepType": "Wait",
                "callType": "step",
                "messageId": event["messageId"],
                "out": event["data"],
                "retries": 0,
                "concurrent": 1,
                "state": "STEP_SUCCESS",
                "createdAt": event["time"],
                "headers": {},
                "waitEventId": event["eventId"],
                "waitTimeout": False,
            }
            groups.insert(0, {"type": "sequential", "steps": [step]})
        pending = [w.to_step() for w in waiting]
        if self.errors:  # the step being retried, or the one that failed the run (QStash's shape)
            pending.append(self._failing_log())
        if pending:
            groups.insert(0, {"type": "next", "steps": pending})
        log: dict[str, Any] = {
            "workflowRunId": self.workflow_run_id,
            "workflowUrl": self.url,
            "workflowState": self.state,
            "workflowRunCreatedAt": self.created_at,
            "workflowRunCallerIp": self.caller_ip,
            "steps": groups,
        }
        if self.flow_control_key is not None:
            log["flowControlKey"] = self.flow_control_key
        if self.completed_at is not None:
            log["workflowRunCompletedAt"] = self.completed_at
        if self.dlq_id is not None:
            log["dlqId"] = self.dlq_id
        if self.labels:
            log["label"] = self.labels[0]
            log["labels"] = list(self.labels)
        return log

    def _failing_log(self) -> dict[str, Any]:
        failing = self.failing_step
        step: dict[str, Any] = {
            "messageId": failing.message_id if failing else self.message_id,
            "stepType": "Run",
            "callType": "step",
            "state": "STEP_FAILED" if self.state == "RUN_FAILED" else "STEP_RETRY",
            "retries": failing.retries if failing else int(self.headers.get("upstash-retries", "3")),
            "errors": [dict(error) for error in self.errors],
            "createdAt": self.errors[0]["time"],
            "headers": {},
        }
        if failing is not None and failing.step_name:
            step["stepName"] = failing.step_name
        if failing is not None and failing.next_delivery_time is not None and self.state == "RUN_STARTED":
            step["nextDeliveryTime"] = failing.next_delivery_time
        return step


@attrs.define
class WaiterEntry:
    event_id: str
    workflow_run_id: str
    url: str
    deadline: int  # unix seconds
    headers: dict[str, list[str]]
    timeout_url: str | None = None
    timeout_body: Any = None

    def to_step(self) -> dict[str, Any]:
        """This wait as an in-progress step of its run's logs."""
        return {
            "stepType": "Wait",
            "callType": "step",
            "state": "STEP_PROGRESS",
            "waitEventId": self.event_id,
            "waitTimeoutDeadline": self.deadline,
            "headers": {},
        }

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"url": self.url, "deadline": self.deadline, "headers": self.headers}
        if self.timeout_url is not None:
            data["timeoutUrl"] = self.timeout_url
            data["timeoutBody"] = _base64_text(self.timeout_body)  # format: byte in Upstash's spec
            data["timeoutHeaders"] = self.headers
        return data


@attrs.define
class DLQEntry:
    dlq_id: str
    run: Run
    created_at: int
    response_status: int
    response_body: str
    failure_callback_state: str | None = None
    seq: int = 0  # creation order, as Run.seq

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "dlqId": self.dlq_id,
            "messageId": self.run.message_id,
            "url": self.run.url,
            "method": "POST",
            "header": {k: [v] for k, v in self.run.headers.items()},
            "body": self.run.body or "",
            "bodyBase64": "",  # set only for bodies that are not UTF-8, which a str body never is
            "maxRetries": int(self.run.headers.get("upstash-retries", "3")),
            "notBefore": 0,
            "createdAt": self.created_at,
            "callerIP": self.run.caller_ip,
            "workflowRunId": self.run.workflow_run_id,
            "workflowCreatedAt": self.run.created_at,
            "workflowUrl": self.run.url,
            "responseStatus": self.response_status,
            "responseHeader": {"Content-Type": ["text/plain"]},
            "responseBody": self.response_body,
            "responseBodyBase64": "",
        }
        if self.run.headers.get("upstash-failure-callback"):
            data["failureCallback"] = self.run.headers["upstash-failure-callback"]
        if self.failure_callback_state is not None:
            data["failureCallbackInfo"] = {"state": self.failure_callback_state}
            data["failureFunctionState"] = self.failure_callback_state
        if self.run.flow_control_key is not None:
            data["flowControlKey"] = self.run.flow_control_key
        if self.run.labels:
            data["label"] = self.run.labels[0]
            data["labels"] = list(self.run.labels)
        return data


_INT_PARAMS = {"count": 1, "fromDate": None, "toDate": None, "workflowCreatedAt": None, "responseStatus": None}
_REQUIRED_VALUES = {"/v2/workflows/events": ("groupBy", "workflowRunId"), "/v2/dlq": ("source", "workflow")}


_INT64_PARAMS = {"fromDate", "toDate", "workflowCreatedAt"}


def check_query(path: str, query: Mapping[str, list[str]], headers: Mapping[str, str]) -> None:
    """Reject what openapi.yaml does not allow, as QStash does (400 with an error message)."""
    for name, minimum in _INT_PARAMS.items():
        for value in query.get(name, []):
            if not re.fullmatch(r"-?[0-9]+", value):  # int() would also take "1_000" and "١٢"
                raise BadRequest(f"{name} must be an integer, got {value[:40]!r}")
            number = int(value[:40])  # more digits than any bound below: refused by the checks anyway
            if minimum is not None and number < minimum:
                raise BadRequest(f"{name} must be >= {minimum}")
            if name in _INT64_PARAMS and not -(2**63) <= number < 2**63:
                raise BadRequest(f"{name} must fit in 64 bits")
    for value in query.get("workflowUrlExactMatch", []):
        if value not in ("true", "false"):
            raise BadRequest("workflowUrlExactMatch must be true or false")
    for name in ("workflowRunIds", "dlqIds"):
        if any(not value for value in query.get(name, [])):
            raise BadRequest(f"{name} must not be empty")
    if path in _REQUIRED_VALUES:
        name, expected = _REQUIRED_VALUES[path]
        if query.get(name) != [expected]:
            raise BadRequest(f"{name}={expected} is required")
    retries = headers.get("upstash-retries")
    if retries is not None and not re.fullmatch(r"[0-9]{1,4000}", retries):  # int() refuses > 4300 digits
        raise BadRequest("Upstash-Retries must be a non-negative integer")


# From openapi.yaml (BatchMessage and TriggerItem headers), its one source. Matched as JSON Schema
# validators do (`re.search`), so a message the spec allows is one LocalQStash accepts.
_MESSAGE_HEADER_FORMATS = {
    name: (re.compile(pattern), what) for name, (pattern, what) in MESSAGE_HEADER_PATTERNS.items()
}


def check_message_headers(headers: Mapping[str, str]) -> None:
    """Refuse a batch message whose headers later calls would have to parse (400 now, rather than
    a stored run that makes every later ``logs`` fail)."""
    lower = {k.lower(): v for k, v in headers.items()}
    for name, (pattern, what) in _MESSAGE_HEADER_FORMATS.items():
        value = lower.get(name)
        if value is not None and not pattern.search(value):
            raise BadRequest(f"message header {name} must match {pattern.pattern} ({what}), got {value[:40]!r}")


T = TypeVar("T")


PAST_THE_END = (-1, -1)  # `_below`'s answer for a number that names no item: an empty last page


def _below(cursor: str | None, key_of: Callable[[int], Key | None]) -> Key | None:
    """Where a page starts: below the key of the item its cursor names (None: from the newest).

    A cursor is the ``seq`` of the last item of the page before (numeric, as QStash's are): a position
    that inserts and state changes never move, found in O(log n) however deep the page. Another number
    (the spec allows any digits) is past the end, as an offset beyond the last item was."""
    if not cursor:
        return None
    if not (cursor.isascii() and cursor.isdigit()):
        raise BadRequest(f"invalid cursor {cursor!r}")
    key = key_of(int(cursor)) if len(cursor) < 20 else None
    return PAST_THE_END if key is None else key


def _take(items: Iterable[T], keep: Callable[[T], bool], count: int) -> tuple[list[T], bool]:
    """The first ``count`` items ``keep`` accepts, and whether another follows them."""
    page: list[T] = []
    for item in items:
        if keep(item):
            if len(page) >= count:
                return page, True
            page.append(item)
    return page, False


def last_value(query: Mapping[str, list[str]], key: str) -> str | None:
    """A query parameter's value (its last, when repeated); None when it is absent."""
    values = query.get(key)
    return values[-1] if values else None


def _range(query: Mapping[str, list[str]], below: Key | None) -> tuple[Key | None, Key | None]:
    """The keys ``[low, below)`` the date filters leave (a key is ``(created_at, seq)``, seq >= 0)."""
    low = None
    if (frm := last_value(query, "fromDate")) is not None:
        low = (int(frm), -1)
    if (created := last_value(query, "workflowCreatedAt")) is not None:
        low = max(low or (int(created), -1), (int(created), -1))
        below = min(below or (int(created) + 1, -1), (int(created) + 1, -1))
    if (to := last_value(query, "toDate")) is not None:
        below = min(below or (int(to) + 1, -1), (int(to) + 1, -1))
    return low, below


def _run_ids(query: Mapping[str, list[str]]) -> list[str] | None:
    """The run ids a query names (None: it names none, so every run may match)."""
    if ids := query.get("workflowRunIds"):
        return list(dict.fromkeys(ids))
    if (run_id := last_value(query, "workflowRunId")) is not None:
        return [run_id]
    return None


def _order(run: Run) -> Key:
    return (run.created_at, run.seq)


def run_filter(query: Mapping[str, list[str]], *, url_prefix: bool) -> Callable[[Run], bool]:
    """Whether a run matches the run filters of a query (logs: ``url_prefix`` False; cancel: True).

    Args:
        query: the request's query parameters (name -> values).
        url_prefix: ``workflowUrl`` is a prefix unless ``workflowUrlExactMatch=true``.

    Returns:
        The test, with the query read once.
    """
    ids = query.get("workflowRunIds")
    run_id = last_value(query, "workflowRunId")
    frm, to, created = (last_value(query, k) for k in ("fromDate", "toDate", "workflowCreatedAt"))
    low, high, exactly = (None if v is None else int(v) for v in (frm, to, created))
    ips, labels, keys = query.get("callerIp"), query.get("label"), query.get("flowControlKey")
    wanted_labels = set(labels or ())
    state = last_value(query, "state")
    hosts, paths = query.get("host"), query.get("path")
    message_id = last_value(query, "messageId")
    urls = query.get("workflowUrl")
    exact = not url_prefix or last_value(query, "workflowUrlExactMatch") == "true"

    def matches(run: Run) -> bool:
        if ids and run.workflow_run_id not in ids:
            return False
        if run_id is not None and run.workflow_run_id != run_id:
            return False
        if low is not None and run.created_at < low:
            return False
        if high is not None and run.created_at > high:
            return False
        if exactly is not None and run.created_at != exactly:
            return False
        if ips and run.caller_ip not in ips:
            return False
        if labels and not wanted_labels & set(run.labels):
            return False
        if keys and run.flow_control_key not in keys:
            return False
        if state is not None and run.state != state:
            return False
        if hosts or paths:
            try:
                parts = urlsplit(run.url)
            except ValueError:  # a destination such as "http://[" matches no host or path filter
                parts = urlsplit("")
            if hosts and parts.hostname not in hosts:
                return False
            if paths and parts.path not in paths:
                return False
        if message_id is not None and run.message_id != message_id:
            return False
        if urls:
            return any(run.url == u if exact else run.url.startswith(u) for u in urls)
        return True

    return matches


class QStashState:
    """What a `LocalQStash` stores (``server.state``): runs, waiters, the DLQ, flow-control keys and
    signing keys, behind one lock. Its methods answer the REST API's routes; tests may call them too.

    Attributes:
        runs: every run by id.
        waiters: the runs waiting for an event.
        lookback: events notified for a run before it waited for them, kept for its next wait.
        dlq: the DLQ messages by id.
        flow_control: the flow-control keys' state.
        signing_keys: the signing keys' state.
    """

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        """An empty store.

        Args:
            clock: the current time in unix seconds (a `WorkflowClock`'s ``now`` moves it on demand).
        """
        self._lock = threading.RLock()
        self._clock = clock
        self._seq = itertools.count(1)
        self.runs: dict[str, Run] = {}
        self.waiters: list[WaiterEntry] = []
        self.lookback: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.dlq: dict[str, DLQEntry] = {}
        # The orders and filters of logs, cancel and the DLQ (see _index); `changing` keeps them true.
        self._index: RunIndex[Run] = RunIndex()
        self._dlq_index: Newest[DLQEntry] = Newest()
        self.flow_control = FlowControlState(self._clock, self._lock)
        self.signing_keys = SigningKeyState()

    def now_ms(self) -> int:
        """The wall clock in milliseconds. Timestamps are never pushed ahead of it (a date filter
        ending "now" must find what was just made); `next_seq` orders things made in one millisecond."""
        return int(self._clock() * 1000)

    def next_seq(self) -> int:
        """The next number of the creation order (orders things made in the same millisecond).

        Returns:
            A number larger than every one returned before.
        """
        with self._lock:
            return next(self._seq)

    @contextmanager
    def changing(self, run: Run) -> Iterator[Run]:
        """Change a stored run's state or labels inside this block: the one way they change, so the
        indexes behind logs and cancel follow (the block runs under the store's lock).

        Args:
            run: the run (one no longer stored, replaced by a seed, changes unindexed).

        Yields:
            The run, to change.
        """
        with self._lock:
            stored = self.runs.get(run.workflow_run_id) is run
            if stored:
                self._index.discard(run)
            try:
                yield run
            finally:
                if stored:
                    self._index.add(run)

    # ----------------------------------------------------------------------------------------- runs

    def publish(self, messages: Any, caller_ip: str) -> list[dict[str, Any]]:
        """Start a run per message of a ``POST /v2/batch`` body (checked whole first).

        Args:
            messages: the decoded JSON body: a list of ``{"destination", "headers", "body"}``.
            caller_ip: the address the request came from.

        Returns:
            One answer entry per message, in order (``deduplicated`` when the run id existed).

        Raises:
            BadRequest: a malformed message or header; no run was started.
        """
        if not isinstance(messages, list) or not messages:
            raise BadRequest("the body must be a non-empty JSON array of messages")
        results = []
        with self._lock:
            for message in messages:
                if not isinstance(message, dict) or not isinstance(message.get("destination"), str):
                    raise BadRequest("every message needs a destination")
                headers = message.get("headers")
                if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
                    raise BadRequest("message headers must be an object of strings")
                if "body" in message and not isinstance(message["body"], str):
                    raise BadRequest("message body must be a string")
                check_message_headers(headers)
            for message in messages:
                results.append(self._publish_one(message, caller_ip))
        return results

    def _publish_one(self, message: dict[str, Any], caller_ip: str) -> dict[str, Any]:
        headers = {k.lower(): v for k, v in (message.get("headers") or {}).items()}
        url = message["destination"]
        run_id = headers.get("upstash-workflow-runid") or _random_id("wfr_")
        message_id = _random_id("msg_")
        if run_id in self.runs:
            # The run id is the deduplication id: QStash accepts the message and starts nothing.
            return {
                "messageId": self.runs[run_id].message_id,
                "url": url,
                "deduplicated": True,
                "workflowRunId": run_id,
                "workflowCreatedAt": self.runs[run_id].created_at,
            }
        labels = [x for x in headers.get("upstash-label", "").split(",") if x]
        run = self.runs[run_id] = Run(
            workflow_run_id=run_id,
            url=url,
            created_at=self.now_ms(),
            seq=self.next_seq(),
            message_id=message_id,
            body=message.get("body"),
            headers=headers,
            labels=labels,
            flow_control_key=headers.get("upstash-flow-control-key"),
            caller_ip=caller_ip,
        )
        self._index.add(run)
        self._admit(run)
        # As Upstash's /v2/batch/trigger answers: the pair that names this run in the logs' workflowRuns filter.
        created_at = self.runs[run_id].created_at
        return {"messageId": message_id, "url": url, "workflowRunId": run_id, "workflowCreatedAt": created_at}

    def _admit(self, run: Run) -> None:
        """A run starts (or starts again): its flow-control key may hold it in the wait list."""
        headers = run.headers
        run_id, key = run.workflow_run_id, headers.get("upstash-flow-control-key")
        self.flow_control.publish(run_id, key, headers.get("upstash-flow-control-value"))

    def insert_run(self, run: Run) -> None:
        """Store a run made elsewhere (seeding), after every run stored so far.

        Args:
            run: the run to store (its ``seq`` is set here).
        """
        with self._lock:
            run.seq = self.next_seq()
            if (replaced := self.runs.get(run.workflow_run_id)) is not None:
                self._index.discard(replaced)  # the new run keeps the old one's place in the dict
            self.runs[run.workflow_run_id] = run
            self._index.add(run)
            if run.state == "RUN_STARTED":
                self._admit(run)

    def cancel(self, query: Mapping[str, list[str]]) -> int:
        """Cancel the started runs that match the filters of a ``DELETE /v2/workflows/runs``.

        Args:
            query: the request's query parameters (name -> values), as the REST API takes them.

        Returns:
            How many runs were canceled.
        """
        count = int(query.get("count", [str(DEFAULT_BULK_COUNT)])[-1])
        limit = None if query.get("workflowRunIds") else count
        matches = run_filter(query, url_prefix=True)
        with self._lock:
            # The runs a scan of `runs` (in its order) would meet: the named ones, or the index's.
            ids = _run_ids(query)
            candidates: Iterable[Run]
            if ids is not None:
                candidates = sorted(self._stored(ids), key=self._index.slot_of)
            else:
                candidates = self._index.started(
                    labels=query.get("label") or (),
                    urls=query.get("workflowUrl") or (),
                    prefix=last_value(query, "workflowUrlExactMatch") != "true",
                )
            targets: list[Run] = []
            for run in candidates:
                if run.state == "RUN_STARTED" and matches(run):
                    if limit is not None and len(targets) >= limit:
                        break
                    targets.append(run)
            now = self.now_ms()
            for run in targets:
                with self.changing(run):
                    run.state, run.completed_at = "RUN_CANCELED", now
                self.flow_control.release(run.workflow_run_id)
            gone = {r.workflow_run_id for r in targets}
            self.waiters = [w for w in self.waiters if w.workflow_run_id not in gone]
            return len(targets)

    def _stored(self, run_ids: Iterable[str]) -> list[Run]:
        """The stored runs of ``run_ids`` (ids that name none are left out)."""
        return [run for run_id in run_ids if (run := self.runs.get(run_id)) is not None]

    def logs(self, query: Mapping[str, list[str]]) -> dict[str, Any]:
        """One page of the runs that match the filters of a ``GET /v2/workflows/logs``, newest first.

        Args:
            query: the request's query parameters (name -> values), as the REST API takes them.

        Returns:
            ``{"runs": [...], "cursor": ...}``, as the REST API answers.
        """
        count = int(query.get("count", [str(DEFAULT_LOG_PAGE)])[-1])
        cursor = query.get("cursor", [None])[-1]
        pairs = _workflow_runs(query)
        with self._lock:
            below = _below(cursor, self._index.key_of)
            if below is PAST_THE_END:
                return {"runs": [], "cursor": ""}
            candidates: Iterable[Run]
            if pairs is not None:  # as Upstash documents it: every other filter is ignored
                named = [r for run_id, at in pairs if (r := self.runs.get(run_id)) is not None and r.created_at == at]
                candidates = sorted(named, key=_order, reverse=True)
                matches: Callable[[Run], bool] = lambda r: below is None or _order(r) < below  # noqa: E731
            elif (ids := _run_ids(query)) is not None:
                candidates = sorted(self._stored(ids), key=_order, reverse=True)
                test = run_filter(query, url_prefix=False)
                matches = lambda r: (below is None or _order(r) < below) and test(r)  # noqa: E731
            else:  # newest first from the cursor, through the smallest index that holds every match
                low, high = _range(query, below)
                candidates = self._index.newest(
                    state=last_value(query, "state"),
                    labels=query.get("label") or (),
                    urls=query.get("workflowUrl") or (),
                    low=low,
                    below=high,
                )
                matches = run_filter(query, url_prefix=False)
            page, more = _take(candidates, matches, count)
            next_cursor = str(page[-1].seq) if more and page else ""
            waiting: dict[str, list[WaiterEntry]] = {}
            for waiter in self.waiters:
                if waiter.deadline > self._clock():
                    waiting.setdefault(waiter.workflow_run_id, []).append(waiter)
            logs = [r.to_log(waiting.get(r.workflow_run_id, ())) for r in page]
            return {"runs": logs, "cursor": next_cursor}

    # -------------------------------------------------------------------------------------- waiters

    def add_waiter(self, waiter: WaiterEntry) -> None:
        """Store a waiter, or resolve it at once with an event notified for its run before.

        Args:
            waiter: the run waiting for an event.
        """
        with self._lock:
            pending = self.lookback.pop((waiter.workflow_run_id, waiter.event_id), None)
            if pending:
                self._resolve(waiter, pending[0])
            else:
                self.waiters.append(waiter)

    def wait_for(
        self,
        event_id: str,
        workflow_run_id: str,
        *,
        url: str | None = None,
        timeout: float = 3600,
        timeout_url: str | None = None,
        timeout_body: Any = None,
    ) -> None:
        """Register a run as waiting for ``event_id`` for ``timeout`` seconds (at the run's URL unless
        ``url`` is given), as ``context.waitForEvent`` does.

        Args:
            event_id: the event the run waits for.
            workflow_run_id: the waiting run.
            url: the workflow URL the waiter resumes (default: the run's URL).
            timeout: seconds until the wait times out.
            timeout_url: the URL called when the wait times out.
            timeout_body: the body sent to ``timeout_url`` when the wait times out.
        """
        run = self.runs.get(workflow_run_id)
        self.add_waiter(
            WaiterEntry(
                event_id=event_id,
                workflow_run_id=workflow_run_id,
                url=url or (run.url if run else "http://127.0.0.1/workflow"),
                deadline=int(self._clock() + timeout),
                headers={"Upstash-Workflow-Runid": [workflow_run_id]},
                timeout_url=timeout_url,
                timeout_body=timeout_body,
            )
        )

    def active_waiters(self, event_id: str) -> list[WaiterEntry]:
        """The waiters of ``event_id`` whose wait has not timed out (timed-out ones are dropped).

        Args:
            event_id: the event.

        Returns:
            The waiters, oldest first.
        """
        now = self._clock()
        with self._lock:
            self.waiters = [w for w in self.waiters if w.deadline > now]
            return [w for w in self.waiters if w.event_id == event_id]

    def _resolve(self, waiter: WaiterEntry, event: dict[str, Any]) -> dict[str, Any]:
        message_id = _random_id("msg_")
        run = self.runs.get(waiter.workflow_run_id)
        if run is not None:
            run.events.append({**event, "messageId": message_id, "time": self.now_ms()})
        return {
            "waiter": waiter.to_json(),
            "messageId": message_id,
            "deduplicated": False,
            "error": "",
            "workflowRunId": waiter.workflow_run_id,
            "workflowCreatedAt": run.created_at if run is not None else 0,
        }

    def notify(self, event_id: str, data: str, workflow_run_id: str | None = None) -> Any:
        """Notify the waiters of ``event_id`` (of every run, or of one).

        Args:
            event_id: the event.
            data: the event's data, passed to the waiting runs.
            workflow_run_id: notify only this run; when it is not waiting, the event is kept for
                its next wait (lookback).

        Returns:
            One entry per notified waiter; for one run (``workflow_run_id``), one object, as Upstash's
            spec answers: the notified waiter, or just the run when the event is kept for it.

        Raises:
            NotFound: ``workflow_run_id`` names no run.
        """
        event = {"eventId": event_id, "data": data}
        with self._lock:
            waiting = [
                w
                for w in self.active_waiters(event_id)
                if workflow_run_id is None or w.workflow_run_id == workflow_run_id
            ]
            if not waiting and workflow_run_id is not None:
                if workflow_run_id not in self.runs:
                    raise NotFound(f"workflow run {workflow_run_id} not found")
                self.lookback.setdefault((workflow_run_id, event_id), []).append(event)
                run = self.runs[workflow_run_id]
                return {"workflowRunId": run.workflow_run_id, "workflowCreatedAt": run.created_at, "error": ""}
            self.waiters = [w for w in self.waiters if w not in waiting]
            results = [self._resolve(w, event) for w in waiting]
            return results[0] if workflow_run_id is not None else results

    # ------------------------------------------------------------------------------------------ dlq

    def add_dlq(self, run: Run, response_status: int, response_body: str, dlq_id: str | None = None) -> DLQEntry:
        """Fail ``run`` into the DLQ (its state becomes ``RUN_FAILED``).

        Args:
            run: the run that failed.
            response_status: the HTTP status of its failed delivery.
            response_body: the body of its failed delivery.
            dlq_id: the DLQ message id (random when None).

        Returns:
            The new DLQ entry.
        """
        with self._lock:
            entry = DLQEntry(
                dlq_id=dlq_id or _random_id("dlq_"),
                run=run,
                created_at=self.now_ms(),
                response_status=response_status,
                response_body=response_body,
                seq=self.next_seq(),
                failure_callback_state="CALLBACK_FAIL" if run.headers.get("upstash-failure-callback") else None,
            )
            with self.changing(run):
                run.state, run.completed_at, run.dlq_id = "RUN_FAILED", entry.created_at, entry.dlq_id
            self.flow_control.release(run.workflow_run_id)
            if (replaced := self.dlq.get(entry.dlq_id)) is not None:
                self._dlq_index.discard(replaced)
            self.dlq[entry.dlq_id] = entry
            self._dlq_index.add(entry)
            return entry

    def _drop_dlq(self, entry: DLQEntry) -> None:
        del self.dlq[entry.dlq_id]
        self._dlq_index.discard(entry)

    def _dlq_filter(self, query: Mapping[str, list[str]]) -> Callable[[DLQEntry], bool]:
        ids, states, urls = query.get("dlqIds"), query.get("failureFunctionState"), query.get("url")
        statuses = query.get("responseStatus")
        bounds = [
            (int(value[-1]), bound) for key, bound in (("fromDate", 1), ("toDate", -1)) if (value := query.get(key))
        ]
        run_matches = run_filter({k: v for k, v in query.items() if k not in ("fromDate", "toDate")}, url_prefix=False)

        def matches(entry: DLQEntry) -> bool:
            if self.dlq.get(entry.dlq_id) is not entry:  # removed (or replaced) behind the index's back
                return False
            if ids and entry.dlq_id not in ids:
                return False
            if states and entry.failure_callback_state not in states:
                return False
            if urls and entry.run.url not in urls:
                return False
            if statuses and str(entry.response_status) not in statuses:
                return False
            if any((entry.created_at - date) * bound < 0 for date, bound in bounds):
                return False
            return run_matches(entry.run)

        return matches

    def _dlq_selected(self, query: Mapping[str, list[str]]) -> tuple[list[DLQEntry], str]:
        matches = self._dlq_filter(query)
        if ids := query.get("dlqIds"):
            named = [self.dlq[i] for i in dict.fromkeys(ids) if i in self.dlq]
            entries = sorted((e for e in named if matches(e)), key=_order_dlq, reverse=True)
            missing = sorted(set(ids) - {e.dlq_id for e in entries})
            if missing:
                raise NotFound(f"DLQ message not found: {', '.join(missing)}")
            return entries, ""
        count = int(query.get("count", [str(DEFAULT_BULK_COUNT)])[-1])
        page, more = _take(self._dlq_index.newest(), matches, count)
        return page, ("more" if more else "")

    def dlq_list(self, query: Mapping[str, list[str]]) -> dict[str, Any]:
        """One page of the DLQ messages that match the filters of a ``GET /v2/dlq``, newest first.

        Args:
            query: the request's query parameters (name -> values), as the REST API takes them.

        Returns:
            ``{"messages": [...], "cursor": ...}``, as the REST API answers.

        Raises:
            BadRequest: ``source=workflow`` is missing.
        """
        if query.get("source", [None])[-1] != "workflow":
            raise BadRequest("source=workflow is required")
        count = int(query.get("count", [str(DEFAULT_LOG_PAGE)])[-1])
        with self._lock:
            below = _below(query.get("cursor", [None])[-1], self._dlq_index.key_of)
            if below is PAST_THE_END:
                return {"messages": [], "cursor": ""}
            page, more = _take(self._dlq_index.newest(below), self._dlq_filter(query), count)
            return {"messages": [e.to_json() for e in page], "cursor": str(page[-1].seq) if more and page else ""}

    def dlq_rerun(self, query: Mapping[str, list[str]], *, restart: bool, headers: Mapping[str, str]) -> dict[str, Any]:
        """Resume (or restart) the selected DLQ messages' runs and remove the messages.

        Args:
            query: the request's query parameters (name -> values), as the REST API takes them.
            restart: start each run again under a new id, from the beginning; False resumes it.
            headers: the request's headers; the ``Upstash-*`` options among them apply to the runs.

        Returns:
            ``{"workflowRuns": [...]}`` (and a ``cursor`` when more messages match).

        Raises:
            NotFound: a requested DLQ id does not exist.
        """
        with self._lock:
            entries, more = self._dlq_selected(query)
            runs = []
            for entry in entries:
                self._drop_dlq(entry)
                old = entry.run
                if restart:
                    run = attrs.evolve(
                        old,
                        workflow_run_id=_random_id("wfr_"),
                        created_at=self.now_ms(),
                        seq=self.next_seq(),
                        events=[],
                        steps=[],
                        errors=[],
                    )
                    self.runs[run.workflow_run_id] = run
                    self._index.add(run)
                else:
                    run = old
                with self.changing(run):
                    run.state, run.completed_at, run.dlq_id = "RUN_STARTED", None, None
                    for name in RERUN_HEADERS:
                        if name in headers:
                            run.headers[name] = headers[name]
                    if "upstash-label" in headers:
                        run.labels = [x for x in headers["upstash-label"].split(",") if x]
                self._admit(run)
                runs.append({"workflowRunId": run.workflow_run_id, "workflowCreatedAt": run.created_at})
            result: dict[str, Any] = {"workflowRuns": runs}
            if more:
                result["cursor"] = more
            return result

    def dlq_delete(self, query: Mapping[str, list[str]]) -> dict[str, Any]:
        """Delete the selected DLQ messages.

        Args:
            query: the request's query parameters (name -> values), as the REST API takes them.

        Returns:
            ``{"deleted": n}`` (and a ``cursor`` when more messages match).

        Raises:
            NotFound: a requested DLQ id does not exist.
        """
        with self._lock:
            entries, more = self._dlq_selected(query)
            for entry in entries:
                self._drop_dlq(entry)
            result: dict[str, Any] = {"deleted": len(entries)}
            if more:
                result["cursor"] = more
            return result

    def dlq_retry_failure(self, dlq_id: str) -> dict[str, Any]:
        """Call a failed run's failure callback again.

        Args:
            dlq_id: the DLQ message of the run.

        Returns:
            The run's ``{"workflowRunId", "workflowCreatedAt"}``.

        Raises:
            NotFound: no DLQ message has that id.
            BadRequest: the run has no failure callback.
        """
        with self._lock:
            entry = self.dlq.get(dlq_id)
            if entry is None:
                raise NotFound(f"DLQ message {dlq_id} not found")
            if not entry.run.headers.get("upstash-failure-callback"):
                raise BadRequest(f"workflow run {entry.run.workflow_run_id} has no failure callback")
            entry.failure_callback_state = "CALLBACK_INPROGRESS"
            return {"workflowRunId": entry.run.workflow_run_id, "workflowCreatedAt": entry.run.created_at}

    def dlq_cancel_failure(self, dlq_id: str) -> None:
        """Cancel a failure callback that is in progress (after `dlq_retry_failure`).

        Args:
            dlq_id: the DLQ message of the run.

        Raises:
            NotFound: no DLQ message has that id.
            BadRequest: its failure callback is not in progress.
        """
        with self._lock:
            entry = self.dlq.get(dlq_id)
            if entry is None:
                raise NotFound(f"DLQ message {dlq_id} not found")
            if entry.failure_callback_state != "CALLBACK_INPROGRESS":
                raise BadRequest(f"the failure callback of {dlq_id} is not in progress")
            entry.failure_callback_state = "CALLBACK_CANCELED"


def _order_dlq(entry: DLQEntry) -> Key:
    return (entry.created_at, entry.seq)


def _workflow_runs(query: Mapping[str, list[str]]) -> set[tuple[str, int]] | None:
    """The logs' ``workflowRuns=ID1@TS1,ID2@TS2`` filter (None when absent); a run id may hold ``@``.
    A piece that is not ``ID@digits`` names no run (the spec types the value as any string)."""
    values = query.get("workflowRuns")
    if not values:
        return None
    pairs = set()
    for item in values[-1].split(","):
        run_id, _, created = item.rpartition("@")
        if run_id and created.isascii() and created.isdigit():
            pairs.add((run_id, int(created)))
    return pairs
