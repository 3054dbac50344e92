"""Sans-I/O waiting for runs to end: which runs to ask the logs for, what the answers say, how long
to sleep, which waits are over. The sync and async loops in `_client` only send what this plans.

Every wait joins a `PollSet`; each poll asks for all pending runs of all its waits at once, with the
official ``workflowRuns=ID@TS,...`` filter of ``GET /v2/workflows/logs`` (a run id can be reused, the
pair names one run), in chunks of `MAX_RUNS_PER_REQUEST` runs (and `MAX_FILTER_CHARS` characters of
query), following the cursor when the server pages the answer. A run known only by its id is first
looked up alone (newest run with that id) to learn its ``workflowCreatedAt``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

import attrs

from . import _validate as v
from ._errors import InvalidArgumentError, InvalidArgumentTypeError, WorkflowError
from ._results import StepLogGroup, TriggerResult, WorkflowRunLog, WorkflowRunLogs

FINAL_STATES = frozenset({"RUN_SUCCESS", "RUN_FAILED", "RUN_CANCELED"})
MAX_RUNS_PER_REQUEST = 100  # the official page size goes to 1,000; 100 keeps a URL near 5 kB
MAX_FILTER_CHARS = 6000  # long run ids: fewer runs per request, so the URL stays under ~8 kB
MAX_PAGES_PER_REQUEST = 1000  # a bound on following one chunk's cursor
FIRST_INTERVAL = 0.25  # seconds after the first poll
BACKOFF = 1.5
MAX_INTERVAL = 5.0

T = TypeVar("T")

RunSpec = TriggerResult | str | tuple[str, Any]
"""What names a run to wait for or to filter logs by: a `TriggerResult`, a run id, ``(run_id, created_at)``."""


class WaitTimeoutError(WorkflowError, TimeoutError):
    """``wait``/``wait_all`` ran out of time. ``logs`` holds the last log seen of each run, in input
    order (None for a run the logs have not shown yet); ``log`` is the first of them (``wait``'s run).

    Attributes:
        logs: the last log seen of each run, in input order (None: not seen yet).
    """

    def __init__(self, message: str, logs: Sequence[WorkflowRunLog | None]) -> None:
        """The client raises it; you rarely build one yourself.

        Args:
            message: the summary ``str(error)`` shows.
            logs: the last log seen of each run, in input order (None: not seen yet).
        """
        super().__init__(message)
        self.logs: list[WorkflowRunLog | None] = list(logs)

    @property
    def log(self) -> WorkflowRunLog | None:
        """The last log seen of the first run (``wait``'s run), or None."""
        return self.logs[0] if self.logs else None


# --------------------------------------------------------------------------------- naming runs


def _run_id(value: object, name: str) -> str:
    run_id = v.require_id(value, name)
    if "," in run_id:  # the filter's separator: such an id cannot be asked for
        raise InvalidArgumentError(f"{name} {run_id!r} contains ',', which the workflowRuns filter cannot carry")
    return run_id


def exact_run(run: object, name: str = "workflow_runs") -> tuple[str, int]:
    """``(run_id, created_at)`` from a `TriggerResult` (with ``workflow_created_at``) or a pair."""
    if isinstance(run, TriggerResult):
        if run.workflow_created_at is None:
            raise InvalidArgumentError(
                f"{name}: the TriggerResult of {run.workflow_run_id!r} has no workflow_created_at "
                "(the server did not report it); pass (run_id, created_at) or filter by workflow_run_id"
            )
        return _run_id(run.workflow_run_id, "Workflow run id"), v.non_negative_int(
            run.workflow_created_at, "workflow_created_at"
        )
    if isinstance(run, tuple) and len(run) == 2:
        created = v.unix_millis(run[1], "workflow_created_at")
        if created is None:
            raise InvalidArgumentError(f"{name}: the run {run[0]!r} has no created_at")
        return _run_id(run[0], "Workflow run id"), created
    raise InvalidArgumentTypeError(
        f"{name} takes TriggerResult objects or (run_id, created_at) pairs, got {type(run).__name__}"
    )


def encode_runs(runs: Iterable[tuple[str, int]]) -> str:
    """The ``workflowRuns`` query value: ``ID1@TS1,ID2@TS2``."""
    return ",".join(f"{run_id}@{created}" for run_id, created in runs)


def exact_runs(runs: object) -> list[tuple[str, int]]:
    """``logs(workflow_runs=...)``: each run checked, as ``(run_id, created_at)``, duplicates once
    (typed errors before any request)."""
    if isinstance(runs, str | bytes | TriggerResult | tuple) or not isinstance(runs, Iterable):
        raise InvalidArgumentTypeError(
            f"workflow_runs must be a list of TriggerResult or (run_id, created_at), got {type(runs).__name__}"
        )
    pairs = [exact_run(run) for run in runs]
    if not pairs:
        raise InvalidArgumentError("workflow_runs is empty (an empty filter would match every run)")
    return list(dict.fromkeys(pairs))


def run_to_wait(run: object, name: str = "run") -> tuple[str, int | None]:
    """``(run_id, created_at or None)``: what ``wait`` accepts."""
    if isinstance(run, str):
        return _run_id(run, "Workflow run id"), None
    if isinstance(run, TriggerResult) and run.workflow_created_at is None:
        return _run_id(run.workflow_run_id, "Workflow run id"), None
    if isinstance(run, tuple) and len(run) == 2 and run[1] is None:
        return _run_id(run[0], "Workflow run id"), None
    if isinstance(run, TriggerResult | tuple):
        return exact_run(run, name)
    raise InvalidArgumentTypeError(
        f"{name} must be a TriggerResult, a run id or (run_id, created_at), got {type(run).__name__}"
    )


def runs_to_wait(runs: object) -> list[tuple[str, int | None]]:
    if isinstance(runs, str | bytes | TriggerResult) or not isinstance(runs, Iterable):
        raise InvalidArgumentTypeError(f"runs must be a list of runs, got {type(runs).__name__}")
    return [run_to_wait(run, f"runs[{index}]") for index, run in enumerate(runs)]


def wait_timeout(timeout: object) -> float | None:
    return None if timeout is None else v.seconds(timeout, "timeout", allow_zero=True, allow_inf=True)


def check_poll_interval(interval: object) -> float | None:
    return None if interval is None else v.seconds(interval, "poll_interval", allow_zero=False)


# ------------------------------------------------------------------------------------ the plan


@attrs.frozen
class WaitPlan(Generic[T]):
    """What ``wait``/``wait_all`` were asked (checked): the runs, the bounds, how logs become the result."""

    runs: tuple[tuple[str, int | None], ...]
    timeout: float | None
    interval: float | None
    finish: Callable[[list[WorkflowRunLog]], T]


def first(logs: list[WorkflowRunLog]) -> WorkflowRunLog:
    return logs[0]


def every(logs: list[WorkflowRunLog]) -> list[WorkflowRunLog]:
    return logs


def progress(log: WorkflowRunLog | None) -> tuple[Any, ...]:
    """What changes when a run moves on: its state and, per step group, its steps' states."""
    if log is None:
        return ()
    return (log.workflow_state, tuple(_group_progress(group) for group in log.steps))


def _group_progress(group: StepLogGroup) -> tuple[Any, ...]:
    return (group.type, tuple((step.step_id, step.state) for step in group.steps))


@attrs.define(eq=False)
class Tracked:
    """One run being waited for (shared by every wait of it)."""

    run_id: str
    created_at: int | None
    log: WorkflowRunLog | None = None

    @property
    def final(self) -> bool:
        return self.log is not None and self.log.workflow_state in FINAL_STATES


@attrs.frozen
class PollRequest:
    """One logs request (`_calls.poll_logs` builds it): a chunk of exact runs (``workflowRuns``), or
    one run id to look up."""

    runs: tuple[tuple[str, int], ...] = ()
    run_id: str | None = None
    cursor: str | None = None
    page: int = 0


@attrs.define(eq=False)
class Wait:
    """One ``wait``/``wait_all`` call: its runs in input order, its deadline (monotonic seconds)."""

    runs: list[Tracked]
    deadline: float | None
    interval: float | None  # a fixed poll interval, or None: adaptive
    keys: list[tuple[str, int | None]] = attrs.field(factory=list)  # the PollSet's keys of ``runs``

    @property
    def done(self) -> bool:
        return all(run.final for run in self.runs)

    def results(self) -> list[WorkflowRunLog]:
        return [run.log for run in self.runs if run.log is not None]

    def timeout_error(self, timeout: float | None) -> WaitTimeoutError:
        pending = [run.run_id for run in self.runs if not run.final]
        shown = ", ".join(pending[:5]) + (f" and {len(pending) - 5} more" if len(pending) > 5 else "")
        return WaitTimeoutError(
            f"{len(pending)} of {len(self.runs)} run(s) not finished after {timeout:g} s: {shown}"
            if timeout is not None
            else f"{len(pending)} run(s) not finished: {shown}",
            [run.log for run in self.runs],
        )


class PollSet:
    """The runs of every current wait, polled together; one adaptive interval for all of them."""

    def __init__(self) -> None:
        self._runs: dict[tuple[str, int | None], Tracked] = {}
        self._users: dict[tuple[str, int | None], int] = {}  # how many current waits hold each run
        self._waits: dict[int, Wait] = {}  # by id: removing one of 1,000 concurrent waits stays O(its runs)
        self._interval = FIRST_INTERVAL

    def add(
        self, runs: Sequence[tuple[str, int | None]], *, now: float, timeout: float | None, interval: float | None
    ) -> Wait:
        tracked = [self._runs.setdefault(key, Tracked(*key)) for key in runs]
        for key in runs:
            self._users[key] = self._users.get(key, 0) + 1
        deadline = None if timeout is None or math.isinf(timeout) else now + timeout
        wait = Wait(tracked, deadline, interval, keys=list(runs))
        self._waits[id(wait)] = wait
        self._interval = FIRST_INTERVAL  # a new wait: look soon
        return wait

    def remove(self, wait: Wait) -> None:
        """Forget ``wait`` and the runs no other wait holds (a second call does nothing)."""
        if self._waits.pop(id(wait), None) is None:
            return
        for key in wait.keys:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._runs[key]

    @property
    def waits(self) -> list[Wait]:
        return list(self._waits.values())

    def _pending(self) -> list[Tracked]:
        return [run for run in self._runs.values() if not run.final]

    def requests(self) -> list[PollRequest]:
        """This poll's requests: a lookup per run known by id alone, then chunks of exact runs."""
        pending = self._pending()
        lookups = dict.fromkeys(run.run_id for run in pending if run.created_at is None)
        exact = dict.fromkeys((run.run_id, run.created_at) for run in pending if run.created_at is not None)
        requests = [PollRequest(run_id=run_id) for run_id in lookups]
        chunk: list[tuple[str, int]] = []
        size = 0
        for run_id, created in exact:
            assert created is not None
            cost = len(run_id) + 21  # "@" + 13-19 digits + ","
            if chunk and (len(chunk) >= MAX_RUNS_PER_REQUEST or size + cost > MAX_FILTER_CHARS):
                requests.append(PollRequest(runs=tuple(chunk)))
                chunk, size = [], 0
            chunk.append((run_id, created))
            size += cost
        if chunk:
            requests.append(PollRequest(runs=tuple(chunk)))
        return requests

    def receive(self, request: PollRequest, page: WorkflowRunLogs) -> PollRequest | None:
        """Read one answer; the request for its next page, if the server paged it."""
        changed = False
        if request.run_id is not None:
            newest = next((log for log in page.runs if log.workflow_run_id == request.run_id), None)
            if newest is None:
                return None  # not in the logs yet: asked again next poll
            for run in self._runs.values():
                if run.run_id == request.run_id and run.created_at is None:
                    run.created_at = newest.workflow_run_created_at
                    changed |= self._update(run, newest)
            self._changed(changed)
            return None
        by_pair = {(log.workflow_run_id, log.workflow_run_created_at): log for log in page.runs}
        for run in self._runs.values():
            log = by_pair.get((run.run_id, run.created_at))
            if log is not None:
                changed |= self._update(run, log)
        self._changed(changed)
        asked = set(request.runs)
        still_missing = any((run.run_id, run.created_at) in asked and run.log is None for run in self._runs.values())
        if page.cursor and still_missing and request.page + 1 < MAX_PAGES_PER_REQUEST:
            return attrs.evolve(request, cursor=page.cursor, page=request.page + 1)
        return None

    def _update(self, run: Tracked, log: WorkflowRunLog) -> bool:
        changed = progress(run.log) != progress(log)
        run.log = log
        return changed

    def _changed(self, changed: bool) -> None:
        if changed:
            self._interval = FIRST_INTERVAL

    def finished(self) -> list[Wait]:
        """The waits whose runs have all ended (they leave the set)."""
        done = [wait for wait in self._waits.values() if wait.done]
        for wait in done:
            self.remove(wait)
        return done

    def expired(self, now: float) -> list[Wait]:
        """The waits past their deadline (they leave the set)."""
        late = [w for w in self._waits.values() if w.deadline is not None and now >= w.deadline]
        for wait in late:
            self.remove(wait)
        return late

    def next_delay(self, now: float) -> float:
        """Seconds until the next poll: the adaptive interval (or the smallest fixed one), never past
        the nearest deadline; then the interval backs off (up to `MAX_INTERVAL`)."""
        fixed = [w.interval for w in self._waits.values() if w.interval is not None]
        delay = min(fixed) if fixed else self._interval
        self._interval = min(self._interval * BACKOFF, MAX_INTERVAL)
        deadlines = [w.deadline for w in self._waits.values() if w.deadline is not None]
        if deadlines:
            delay = min(delay, max(0.0, min(deadlines) - now))
        return delay

    def time_left(self, now: float) -> float | None:
        """Seconds until the nearest deadline (None: no deadline): the most one request may take."""
        deadlines = [w.deadline for w in self._waits.values() if w.deadline is not None]
        return max(0.0, min(deadlines) - now) if deadlines else None
