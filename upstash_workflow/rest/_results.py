"""The attrs classes users get back, converted from the generated models by `from_api`: same
snake_case names, nested models converted recursively, unset fields as None, and unknown server
fields kept in ``extra``.

Imported on first use, not by ``import upstash_workflow.rest``: creating these ~20 attrs classes was the
largest part of the package's own import time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

import attrs

T = TypeVar("T")
Headers = dict[str, list[str]]


def _nested(cls: type[Any]) -> Any:
    return attrs.field(default=None, metadata={"of": cls})


def _aware(epoch: int | None, per_second: int = 1000) -> dt.datetime | None:
    """An aware UTC datetime view of a raw epoch value (``*_datetime`` properties; None stays None)."""
    return None if epoch is None else dt.datetime.fromtimestamp(epoch / per_second, dt.timezone.utc)


@attrs.frozen
class TriggerResult:
    """A started run. ``deduplicated`` is True when the server already had a run with this id (it did
    not start another; after a retried request that run may be the one this call started)."""

    workflow_run_id: str
    message_id: str | None = None
    deduplicated: bool = False


@attrs.frozen
class CancelResult:
    """How many runs a cancel call cancelled."""

    cancelled: int


@attrs.frozen
class Waiter:
    """A run waiting for an event; ``deadline`` is in unix seconds."""

    url: str
    deadline: int
    headers: Headers = attrs.field(factory=dict)
    timeout_url: str | None = None
    timeout_body: Any = None
    timeout_headers: Headers | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)

    @property
    def deadline_datetime(self) -> dt.datetime | None:
        return _aware(self.deadline, per_second=1)


@attrs.frozen
class NotifyResponse:
    """One notified waiter: the ``message_id`` that resumes its run, and ``error`` (empty on success)."""

    waiter: Waiter = _nested(Waiter)
    message_id: str = ""
    error: str = ""
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class StepError:
    """One failed delivery of a step: the ``status``, ``body`` and ``headers`` it got, at ``time`` (ms)."""

    error: str | None = None
    body: str | None = None
    headers: Headers | None = None
    status: int | None = None
    time: int | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class StepLog:
    """One step. The call/invoke/sleep/wait fields are None unless the step is of that kind."""

    message_id: str
    step_id: int | None = None
    step_name: str | None = None
    step_type: str | None = None
    call_type: str | None = None
    out: Any = None
    retries: int | None = None
    retry_delay: str | None = None
    concurrent: int | None = None
    state: str | None = None
    created_at: int | None = None
    headers: Headers | None = None
    errors: list[StepError] | None = _nested(StepError)
    call_url: str | None = None
    call_method: str | None = None
    call_headers: Headers | None = None
    call_body: Any = None
    call_response_status: int | None = None
    call_response_body: Any = None
    call_response_headers: Headers | None = None
    invoked_workflow_run_id: str | None = None
    invoked_workflow_url: str | None = None
    invoked_workflow_created_at: int | None = None
    invoked_workflow_run_body: Any = None
    invoked_workflow_run_headers: Headers | None = None
    sleep_for: int | None = None
    sleep_until: int | None = None
    wait_event_id: str | None = None
    wait_timeout_duration: str | None = None
    wait_timeout_deadline: int | None = None
    wait_timeout: bool | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)

    @property
    def created_at_datetime(self) -> dt.datetime | None:
        return _aware(self.created_at)


@attrs.frozen
class StepLogGroup:
    """``type`` is ``sequential`` (one step), ``parallel`` or ``next`` (steps in progress)."""

    type: str
    steps: list[StepLog] = _nested(StepLog)
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class FailureFunctionLog:
    """The failure callback of a failed run and how it went (``state``: CALLBACK_*)."""

    message_id: str | None = None
    url: str | None = None
    state: str | None = None
    fail_headers: Headers | None = None
    fail_status: int | None = None
    fail_response: str | None = None
    dlq_id: str | None = None
    errors: list[StepError] | None = _nested(StepError)
    response_body: str | None = None
    response_headers: Headers | None = None
    response_status: int | None = None
    next_delivery_time: int | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class Invoker:
    """The run that invoked this run (``context.invoke``)."""

    workflow_run_id: str
    workflow_url: str | None = None
    workflow_run_created_at: int | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class WorkflowRunLog:
    """One run with its step groups. Times are unix milliseconds; ``workflow_state`` is RUN_STARTED,
    RUN_SUCCESS, RUN_FAILED or RUN_CANCELED."""

    workflow_run_id: str
    workflow_url: str
    workflow_state: str
    workflow_run_created_at: int
    steps: list[StepLogGroup] = _nested(StepLogGroup)
    workflow_run_completed_at: int | None = None
    failure_function: FailureFunctionLog | None = _nested(FailureFunctionLog)
    workflow_run_response: str | None = None
    invoker: Invoker | None = _nested(Invoker)
    dlq_id: str | None = None
    label: str | None = None
    labels: list[str] | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)

    @property
    def workflow_run_created_at_datetime(self) -> dt.datetime | None:
        return _aware(self.workflow_run_created_at)

    @property
    def workflow_run_completed_at_datetime(self) -> dt.datetime | None:
        return _aware(self.workflow_run_completed_at)


@attrs.frozen
class WorkflowRunLogs:
    """One page of run logs; ``cursor`` is None on the last page."""

    runs: list[WorkflowRunLog] = _nested(WorkflowRunLog)
    cursor: str | None = None


@attrs.frozen
class FailureCallbackInfo:
    """The state of a DLQ message's failure callback."""

    state: str | None = None
    response_status: int | None = None
    response_body: str | None = None
    response_headers: Headers | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class DLQMessage:
    """A failed workflow run in the DLQ: its request, the last failed response, and its failure callback."""

    dlq_id: str
    message_id: str | None = None
    url: str | None = None
    method: str | None = None
    header: Headers | None = None
    body: str | None = None
    max_retries: int | None = None
    not_before: int | None = None
    created_at: int | None = None
    caller_ip: str | None = None
    workflow_run_id: str | None = None
    workflow_created_at: int | None = None
    workflow_url: str | None = None
    response_status: int | None = None
    response_header: Headers | None = None
    response_body: str | None = None
    failure_callback: str | None = None
    failure_callback_info: FailureCallbackInfo | None = _nested(FailureCallbackInfo)
    label: str | None = None
    labels: list[str] | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)

    @property
    def created_at_datetime(self) -> dt.datetime | None:
        return _aware(self.created_at)


@attrs.frozen
class DLQListResult:
    """One page of DLQ messages; ``cursor`` is None on the last page."""

    messages: list[DLQMessage] = _nested(DLQMessage)
    cursor: str | None = None


@attrs.frozen
class DLQResumeRestartResponse:
    """A run started again from the DLQ (``workflow_created_at`` in unix ms)."""

    workflow_run_id: str
    workflow_created_at: int
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class DLQActionResult:
    """Runs resumed or restarted; call again with ``cursor`` while it is not None."""

    workflow_runs: list[DLQResumeRestartResponse] = _nested(DLQResumeRestartResponse)
    cursor: str | None = None


@attrs.frozen
class DLQDeleteResult:
    """How many DLQ messages were deleted; call again with ``cursor`` while it is not None."""

    deleted: int
    cursor: str | None = None


@attrs.frozen
class RetryFailureFunctionResult:
    """The run whose failure callback was retried; ``error`` is set when it could not be scheduled."""

    workflow_run_id: str
    workflow_created_at: int
    error: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)


# ------------------------------------------------------------------------------------------ conversion


def _plain(value: Any, of: type[Any] | None) -> Any:
    if value is None or type(value).__name__ == "Unset":
        return None
    if isinstance(value, list):
        return [_plain(item, of) for item in value]
    if of is not None:
        return from_api(of, value)
    if hasattr(value, "additional_properties") and hasattr(value, "to_dict"):
        # A generated map model (HeaderMultiMap and the like): its entries are its data.
        return value.to_dict()
    return value


def from_api(cls: type[T], model: Any) -> T:
    """Convert a generated model instance into the result class ``cls`` (see the module docstring)."""
    kwargs: dict[str, Any] = {}
    for field in attrs.fields(cls):  # type: ignore[arg-type]
        if field.name == "extra":
            kwargs["extra"] = dict(getattr(model, "additional_properties", {}))
        else:
            kwargs[field.name] = _plain(getattr(model, field.name, None), field.metadata.get("of"))
    return cls(**kwargs)


# ------------------------------------------------------------- flow control, global parallelism, keys


def _zero_if_none(value: int | None) -> int:
    return 0 if value is None else value


@attrs.frozen
class FlowControlInfo:
    """A flow-control key: ``wait_list_size`` messages waiting, its configured limits (``*_max``,
    ``rate_period`` in seconds), what is in use now (``*_count``, ``rate_period_start`` in unix
    seconds) and whether it is paused or has a pinned parallelism / rate."""

    flow_control_key: str
    wait_list_size: int = attrs.field(default=0, converter=_zero_if_none)
    parallelism_max: int | None = None
    parallelism_count: int | None = None
    rate_max: int | None = None
    rate_count: int | None = None
    rate_period: int | None = None
    rate_period_start: int | None = None
    is_paused: bool | None = None
    is_pinned_parallelism: bool | None = None
    is_pinned_rate: bool | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class GlobalParallelism:
    """The account-wide parallelism limit and how many messages run now (0 when the server omits
    one, as in the TS client)."""

    parallelism_max: int = attrs.field(default=0, converter=_zero_if_none)
    parallelism_count: int = attrs.field(default=0, converter=_zero_if_none)
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class SigningKeys:
    """The keys QStash signs deliveries with; verify with both while a rotation is under way."""

    current: str
    next: str
    extra: dict[str, Any] = attrs.field(factory=dict)
