"""What became of each run a trigger started: `TriggerOutcome`, and how outcomes become the answer
of ``trigger`` (`single`) and of ``trigger_many`` (`collect`, or its `PartialTriggerError`)."""

from __future__ import annotations

from typing import Literal

import attrs

from ._errors import (
    InvalidArgumentError,
    TriggerRejectedError,
    TriggerUnconfirmedError,
    WorkflowError,
)
from ._models import TriggerRequest
from ._results import TriggerResult


@attrs.frozen
class TriggerOutcome:
    """What became of one run of ``trigger_stream`` / ``trigger_many``.

    ``index`` is the run's position in the input (plus ``start_index``). ``status`` is ``"started"``,
    ``"deduplicated"`` (a run with this id already existed; nothing new started), ``"failed"``
    (``error`` says why: QStash rejected the message, its request failed, or the request was invalid
    and was not sent) or ``"unknown"`` (the server answered 2xx, but its answer does not confirm
    this run; ``error`` is a `TriggerUnconfirmedError` whose ``reason`` says why).
    ``workflow_run_id`` is set whenever the run was sent: after a connection error or an unknown
    outcome the run may have started; triggering the same id again is safe (ids deduplicate).

    Attributes:
        index: the run's position in the input (plus ``start_index``).
        request: the `TriggerRequest` the run came from.
        workflow_run_id: the run id, whenever the run was sent (None: never sent).
        result: the run's `TriggerResult` (None when it failed or is unconfirmed).
        error: why the run did not start, or why it is unconfirmed (None when it started).
    """

    index: int
    request: TriggerRequest
    workflow_run_id: str | None
    result: TriggerResult | None = None
    error: WorkflowError | None = None

    @property
    def status(self) -> Literal["started", "deduplicated", "failed", "unknown"]:
        """``"started"``, ``"deduplicated"`` (the run existed already), ``"failed"``, or ``"unknown"``
        (the 2xx answer does not confirm the run)."""
        if self.result is None:
            return "unknown" if isinstance(self.error, TriggerUnconfirmedError) else "failed"
        return "deduplicated" if self.result.deduplicated else "started"

    @property
    def ok(self) -> bool:
        """True when the run exists on the server (started now or before)."""
        return self.result is not None


class PartialTriggerError(WorkflowError):
    """Some runs of a ``trigger_many`` started and some did not (or are not confirmed).

    Attributes:
        started: the `TriggerResult` of every run that exists on the server, in input order.
        failed: ``(TriggerRequest, error)`` for every run that did not start, in input order. The
            error is a `TriggerRejectedError` (QStash refused the message) or the error of the
            request that carried the run (for example `ServerError` or `APIConnectionError`: after a
            lost connection the run may exist; triggering the same run id again is safe).
        unconfirmed: ``(TriggerRequest, TriggerUnconfirmedError)`` for every run the 2xx answer does
            not confirm (status ``"unknown"``: it may or may not have started), in input order.
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
        unconfirmed: list[tuple[TriggerRequest, TriggerUnconfirmedError]] | None = None,
    ) -> None:
        """The client raises it; you rarely build one yourself.

        Args:
            message: the summary ``str(error)`` shows.
            started: the result of every run that exists on the server, in input order.
            failed: ``(TriggerRequest, error)`` for every run that did not start, in input order.
            outcomes: every run's `TriggerOutcome`, in input order.
            unconfirmed: ``(TriggerRequest, TriggerUnconfirmedError)`` for every run the 2xx answer
                does not confirm, in input order (None: none).
        """
        super().__init__(message)
        self.started = started
        self.failed = failed
        self.outcomes = outcomes
        self.unconfirmed = [] if unconfirmed is None else unconfirmed

    @property
    def started_runs(self) -> list[TriggerResult]:
        """The same list as ``started`` (the name earlier versions used)."""
        return self.started


def _whole_request(error: WorkflowError) -> bool:
    """An error of the request that carried a run, not of the run's own message."""
    return not isinstance(error, TriggerRejectedError | TriggerUnconfirmedError | InvalidArgumentError)


def collect(outcomes: list[TriggerOutcome]) -> list[TriggerResult]:
    """``trigger_many``'s answer: every result, or the error that says which runs did not start.

    When no run is confirmed and every request failed with the same kind of error (every batch got
    401, say), that error itself is raised (`AuthenticationError` is what a user catches), not a
    `PartialTriggerError`."""
    failed = [o for o in outcomes if o.error is not None]
    if not failed:
        return [o.result for o in outcomes if o.result is not None]
    errors = [o.error for o in failed if o.error is not None]
    started = [o.result for o in outcomes if o.result is not None]
    if not started and all(_whole_request(e) and type(e) is type(errors[0]) for e in errors):
        raise errors[0]  # the requests failed and held every run: their own typed error
    pairs = [(o.request, e) for o, e in zip(failed, errors, strict=True)]
    unconfirmed = [(r, e) for r, e in pairs if isinstance(e, TriggerUnconfirmedError)]
    refused = [(r, e) for r, e in pairs if not isinstance(e, TriggerUnconfirmedError)]
    unknown = f", {len(unconfirmed)} unconfirmed (the answer does not say)" if unconfirmed else ""
    raise PartialTriggerError(
        f"{len(started)} of {len(outcomes)} runs started, {len(refused)} did not{unknown} (first error: {errors[0]})",
        started=started,
        failed=refused,
        outcomes=outcomes,
        unconfirmed=unconfirmed,
    ) from errors[0]


def single(outcomes: list[TriggerOutcome]) -> TriggerResult:
    """``trigger``'s answer: its result, or the error QStash gave for its message
    (`TriggerUnconfirmedError` when the 2xx answer does not confirm the run)."""
    (outcome,) = outcomes
    if outcome.error is not None:
        raise outcome.error
    assert outcome.result is not None
    return outcome.result
