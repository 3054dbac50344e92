"""The attrs classes users pass in (FlowControl, TriggerRequest, filters) and get back (results).

Results are converted from the generated models by `from_api`: same snake_case names, nested models
converted recursively, unset fields as None, and unknown server fields kept in ``extra``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import attrs

from . import _validate as v
from ._errors import InvalidArgumentError

T = TypeVar("T")
Headers = dict[str, list[str]]

# ---------------------------------------------------------------------------------------------- inputs


@attrs.frozen
class FlowControl:
    """Limits how fast runs with the same ``key`` are delivered.

    Give ``parallelism`` (concurrent runs), ``rate`` (runs per ``period``) or both; ``period`` is a
    duration like ``"1m"`` or seconds (default: one second). ``rate_per_second`` is the TS alias of rate.
    """

    key: str
    parallelism: int | None = None
    rate: int | None = None
    period: str | int | None = None
    rate_per_second: int | None = None

    def header_value(self) -> str:
        """``parallelism=3, rate=10, period=1m`` (parts that are unset or 0 are left out, as in TS)."""
        v.check_flow_control_key(self.key)
        rate = self.rate if self.rate is not None else self.rate_per_second
        for name, number in (("parallelism", self.parallelism), ("rate", rate)):
            if number is not None:
                v.non_negative_int(number, f"flow_control.{name}")
        period = None if self.period is None else v.duration(self.period, "flow_control.period")
        parts = [
            f"parallelism={self.parallelism}" if self.parallelism else None,
            f"rate={rate}" if rate else None,
            f"period={period}" if period else None,
        ]
        if not self.parallelism and not rate:
            raise InvalidArgumentError("Provide at least one of parallelism or rate for flow_control")
        return ", ".join(p for p in parts if p)


@attrs.frozen
class Redact:
    """Fields QStash must not show in logs: the body, all headers (``header=True``) or some."""

    body: bool = False
    header: bool | Sequence[str] = False

    def header_value(self) -> str | None:
        parts = ["body"] if self.body else []
        if self.header is True:
            parts.append("header")
        elif not isinstance(self.header, bool):
            parts.extend(f"header[{v.require_str(name, 'redact.header')}]" for name in self.header)
        return ",".join(parts) or None


@attrs.frozen
class TriggerRequest:
    """One workflow run to start; the fields of the TS client's TriggerOptions, snake_cased.

    ``workflow_run_id`` gets the ``wfr_`` prefix (a random 21-character id when None). ``body`` is sent
    as-is when str, as UTF-8 text when bytes and as JSON otherwise. ``delay`` is ``"10s"``-style or
    seconds; ``not_before`` is unix seconds or an aware datetime; ``retries`` defaults to 3 on the server.
    """

    url: str
    body: Any = None
    headers: Mapping[str, str] | None = None
    workflow_run_id: str | None = None
    retries: int | None = None
    retry_delay: str | None = None
    flow_control: FlowControl | None = None
    delay: str | int | float | dt.timedelta | None = None
    not_before: int | float | dt.datetime | None = None
    label: str | Sequence[str] | None = None
    disable_telemetry: bool = False
    failure_url: str | None = None
    redact: Redact | None = None


@attrs.frozen
class CancelFilter:
    """Which runs ``cancel(filter=...)`` targets. Give at least one field; ``workflow_url`` (exact) and
    ``workflow_url_starting_with`` (prefix) exclude each other. Dates: aware datetime or unix ms."""

    from_date: dt.datetime | int | None = None
    to_date: dt.datetime | int | None = None
    caller_ip: str | Sequence[str] | None = None
    label: str | Sequence[str] | None = None
    flow_control_key: str | Sequence[str] | None = None
    host: str | Sequence[str] | None = None
    path: str | Sequence[str] | None = None
    workflow_url: str | None = None
    workflow_url_starting_with: str | None = None


@attrs.frozen
class DLQFilter:
    """Which DLQ messages an action (or ``dlq.list``) targets. Dates: aware datetime or unix ms.
    ``url`` and ``response_status`` are deprecated and only used by ``dlq.list``."""

    from_date: dt.datetime | int | None = None
    to_date: dt.datetime | int | None = None
    caller_ip: str | Sequence[str] | None = None
    label: str | Sequence[str] | None = None
    flow_control_key: str | Sequence[str] | None = None
    workflow_url: str | Sequence[str] | None = None
    workflow_run_id: str | None = None
    workflow_created_at: dt.datetime | int | None = None
    failure_function_state: str | None = None
    url: str | None = None
    response_status: int | None = None


# --------------------------------------------------------------------------------------------- results


def _nested(cls: type[Any]) -> Any:
    return attrs.field(default=None, metadata={"of": cls})


@attrs.frozen
class TriggerResult:
    """A started run. ``deduplicated`` is True when the server already had a run with this id (it did
    not start another; after a retried request that run may be the one this call started)."""

    workflow_run_id: str
    message_id: str | None = None
    deduplicated: bool = False


@attrs.frozen
class CancelResult:
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


@attrs.frozen
class NotifyResponse:
    waiter: Waiter = _nested(Waiter)
    message_id: str = ""
    error: str = ""
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class StepError:
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


@attrs.frozen
class StepLogGroup:
    """``type`` is ``sequential`` (one step), ``parallel`` or ``next`` (steps in progress)."""

    type: str
    steps: list[StepLog] = _nested(StepLog)
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class FailureFunctionLog:
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


@attrs.frozen
class WorkflowRunLogs:
    """One page of run logs; ``cursor`` is None on the last page."""

    runs: list[WorkflowRunLog] = _nested(WorkflowRunLog)
    cursor: str | None = None


@attrs.frozen
class FailureCallbackInfo:
    state: str | None = None
    response_status: int | None = None
    response_body: str | None = None
    response_headers: Headers | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class DLQMessage:
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


@attrs.frozen
class DLQListResult:
    messages: list[DLQMessage] = _nested(DLQMessage)
    cursor: str | None = None


@attrs.frozen
class DLQResumeRestartResponse:
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
    deleted: int
    cursor: str | None = None


@attrs.frozen
class RetryFailureFunctionResult:
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
