"""What became of each run a trigger started: `TriggerOutcome`, and how outcomes become the answer
of ``trigger`` (`single`) and of ``trigger_many`` (`collect`, or its `PartialTriggerError`)."""

from __future__ import annotations

from typing import Literal

import attrs

from ._errors import WorkflowError
from ._models import TriggerRequest
from ._results import TriggerResult


@attrs.frozen
class TriggerOutcome:
    """What became of one run of ``trigger_stream`` / ``trigger_many``.

    ``index`` is the run's position in the input (plus ``start_index``). ``status`` is ``"started"``,
    ``"deduplicated"`` (a run with this id already existed; nothing new started) or ``"failed"``
    (``error`` says why: QStash rejected the message, its request failed, or the request was invalid
    and was not sent). ``workflow_run_id`` is set whenever the run was sent: after a connection
    error the run may have started; triggering the same id again is safe (ids deduplicate).

    Attributes:
        index: the run's position in the input (plus ``start_index``).
        request: the `TriggerRequest` the run came from.
        workflow_run_id: the run id, whenever the run was sent (None: never sent).
        result: the run's `TriggerResult` (None when it failed).
        error: why the run did not start (None when it did).
    """

    index: int
    request: TriggerRequest
    workflow_run_id: str | None
    result: TriggerResult | None = None
    error: WorkflowError | None = None

    @property
    def status(self) -> Literal["started", "deduplicated", "failed"]:
        """``"started"``, ``"deduplicated"`` (the run existed already) or ``"failed"``."""
        if self.result is None:
            return "failed"
        return "deduplicated" if self.result.deduplicated else "started"

    @property
    def ok(self) -> bool:
        """True when the run exists on the server (started now or before)."""
        return self.result is not None


class PartialTriggerError(WorkflowError):
    """Some runs of a ``trigger_many`` started and some did not.

    Attributes:
        started: the `TriggerResult` of every run that exists on the server, in input order.
        failed: ``(TriggerRequest, error)`` for every run that did not start, in input order. The
            error is a `TriggerRejectedError` (QStash refused the message) or the error of the
            request that carried the run (for example `ServerError` or `APIConnectionError`: after a
            lost connection the run may exist; triggering the same run id again is safe).
        outcomes: every run's `TriggerOutcome` (with its input position ``index``), in input order.
        started_runs: the same list as ``started`` (the name earlier versions used).
    """

    def __init__(
        self,
        message: str,
        *,
        started: list[TriggerResult],
        failed: list[tuple[TriggerRequest, WorkflowError]],
        outcomes: list[TriggerOutcome],
    ) -> None:
        """The client raises it; you rarely build one yourself.

        Args:
            message: the summary ``str(error)`` shows.
            started: the result of every run that exists on the server, in input order.
            failed: ``(TriggerRequest, error)`` for every run that did not start, in input order.
            outcomes: every run's `TriggerOutcome`, in input order.
        """
        super().__init__(message)
        self.started = started
        self.failed = failed
        self.outcomes = outcomes

    @property
    def started_runs(self) -> list[TriggerResult]:
        """The same list as ``started`` (the name earlier versions used)."""
        return self.started


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
