"""The attrs classes users get back, and how a JSON response body becomes one (`convert`).

The response contract (docs/responses.md):

- no field is required (Upstash's own spec marks none): an absent field is None (a list field:
  empty); a result class could still require one by giving it no default;
- every present field is type-checked against the generated model, after the lossless coercions
  (`_CHECKS`: a numeric string or an integral float for an integer, an integer for a string); a
  result attribute annotated ``Any`` takes any JSON value (TS declares those ``unknown``); a value
  that still does not fit raises `ResponseShapeError` naming the field (`read_body` turns it into
  `APIResponseValidationError`), unless the call is read leniently (`reading`): a call that changed
  something on the server never raises for its 2xx answer, so the field reads as None, its raw
  value stays in ``extra``, and the problem is recorded for one `ResponseShapeWarning`;
- ``null`` is read as "absent", and so is a ``null`` body (an empty one);
- nothing is dropped: every property of the generated model that the result class does not declare,
  and every key the spec does not know, is kept in ``extra`` under its JSON name, at every level.

Nothing here names a field by hand: the generated model says which properties exist (its attrs
fields and ``wire_names``, emitted by templates/model.py.jinja), of which type, and under which JSON
name; a result class declares the ones it shows as attributes (``type_`` is shown as ``type``).
`RESULTS` maps each schema to its result class; a nested model without one stays JSON. So a
property added to openapi.yaml reaches users after ``scripts/generate``, in ``extra`` at least.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
import sys
import types
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Literal, TypeVar, Union

import attrs
from upstash_workflow_api.types import Unset

# The public result classes: `upstash_workflow.rest` exports exactly these.
__all__ = [
    "CancelResult",
    "DLQActionResult",
    "DLQDeleteResult",
    "DLQListResult",
    "DLQMessage",
    "DLQResumeRestartResponse",
    "FailureCallbackInfo",
    "FailureFunctionLog",
    "FlowControlInfo",
    "GlobalParallelism",
    "Invoker",
    "NotifyResponse",
    "RetryFailureFunctionResult",
    "SigningKeys",
    "StepError",
    "StepLog",
    "StepLogGroup",
    "TriggerResult",
    "Waiter",
    "WorkflowRunLog",
    "WorkflowRunLogs",
]

T = TypeVar("T")
Headers = dict[str, list[str]]
# The metadata key of a result attribute the client fills in itself (not read from the answer).
CLIENT_SIDE = "upstash_workflow.client_side"

# ------------------------------------------------------------------------------------------- results


def _aware(epoch: int | None, per_second: int = 1000) -> dt.datetime | None:
    """An aware UTC datetime view of a raw epoch value (``*_datetime`` properties). None when there
    is none, and when the value is outside what a datetime can hold (years 1 to 9999): a view over
    server data never raises."""
    if epoch is None:
        return None
    try:
        return dt.datetime.fromtimestamp(epoch / per_second, dt.timezone.utc)
    except (OverflowError, ValueError, OSError):
        return None


@attrs.frozen
class TriggerResult:
    """A started run. ``deduplicated`` is True when the server already had a run with this id (it did
    not start another; after a retried request that run may be the one this call started).

    Attributes:
        workflow_run_id: the run's id.
        message_id: the QStash message id of the run's first delivery (None when the answer has none).
        deduplicated: True when the server already had a run with this id.
        workflow_created_at: the run's creation time, unix milliseconds (None when the answer has none).
    """

    workflow_run_id: str
    message_id: str | None = None
    deduplicated: bool = False
    workflow_created_at: int | None = None
    """Unix milliseconds, when the answer says (Upstash's trigger answers do; a plain QStash batch
    answer may not). A run id can be reused; ``(workflow_run_id, workflow_created_at)`` names one run,
    as ``logs(workflow_runs=[...])`` and ``wait`` use it."""

    @property
    def workflow_created_at_datetime(self) -> dt.datetime | None:
        return _aware(self.workflow_created_at)


@attrs.frozen
class CancelResult:
    """How many runs a cancel call cancelled (None if the server did not say).

    Attributes:
        cancelled: how many runs were cancelled (with ``until_done``: by all its requests).
        extra: the response's other fields, under their JSON names (see the response contract).
        more_may_remain: by filter or ``all``: a request cancelled as many runs as its ``count``
            (Upstash's bound per request), or ``until_done`` stopped at its bounds, so more runs
            may match; call again (or pass ``until_done=True``). Told by the client, not the server.
        requests: how many requests the call sent (0 for an empty id list). Told by the client.
    """

    cancelled: int | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)
    more_may_remain: bool = attrs.field(default=False, metadata={CLIENT_SIDE: True})
    requests: int = attrs.field(default=1, metadata={CLIENT_SIDE: True})


@attrs.frozen
class Waiter:
    """A run waiting for an event; ``deadline`` is in unix seconds, ``timeout_body`` base64 text.

    Attributes:
        url: the workflow URL called when the event arrives.
        deadline: when the wait times out, unix seconds.
        headers: the headers the run is resumed with.
        timeout_url: the URL called when the wait times out.
        timeout_body: the body sent when the wait times out (base64 text).
        timeout_headers: the headers sent when the wait times out.
        extra: the response's other fields, under their JSON names (see the response contract).
    """

    url: str | None = None
    deadline: int | None = None
    headers: Headers = attrs.field(factory=dict)
    timeout_url: str | None = None
    timeout_body: Any = None  # base64 text as sent; TS declares it unknown: other JSON kept as parsed
    timeout_headers: Headers | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)

    @property
    def deadline_datetime(self) -> dt.datetime | None:
        return _aware(self.deadline, per_second=1)


@attrs.frozen
class NotifyResponse:
    """One notified waiter: the ``message_id`` that resumes its run, and ``error`` (empty on success).
    A single-run notify whose event was saved for later (lookback) may have no ``waiter``.

    Attributes:
        waiter: the `Waiter` notified (None for a lookback event saved for later).
        message_id: the QStash message id that resumes the run.
        deduplicated: True when this notification had already been delivered.
        error: the error text (empty on success).
        workflow_run_id: the notified run's id.
        workflow_created_at: the notified run's creation time, unix milliseconds.
        extra: the response's other fields, under their JSON names (see the response contract).
    """

    waiter: Waiter | None = None
    message_id: str | None = None
    deduplicated: bool | None = None
    error: str | None = None
    workflow_run_id: str | None = None
    workflow_created_at: int | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class StepError:
    """One failed delivery of a step: the ``status``, ``body`` and ``headers`` it got, at ``time`` (ms).

    Attributes:
        error: the error text.
        body: the body of the failed response.
        headers: the headers of the failed response.
        status: the HTTP status of the failed response.
        time: when the delivery failed, unix milliseconds.
        extra: the response's other fields, under their JSON names (see the response contract).
    """

    error: str | None = None
    body: str | None = None
    headers: Headers | None = None
    status: int | None = None
    time: int | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class StepLog:
    """One step. The call/invoke/sleep/wait fields are None unless the step is of that kind;
    ``call_type`` is step, toCallback, fromCallback, parallelPlan or parallelResult.

    Attributes:
        message_id: the QStash message id of the step's delivery.
        step_id: the step's position in the run.
        step_name: the name the workflow gave the step.
        step_type: ``Initial``, ``Run``, ``SleepFor``, ``SleepUntil``, ``Call``, ``Wait``, ``Notify``, ``Invoke``,
            ``CreateWebhook`` or ``WaitForWebhook``.
        call_type: ``step``, ``toCallback``, ``fromCallback``, ``parallelPlan`` or ``parallelResult``.
        out: the step's output, as text.
        retries: the retries allowed.
        retry_delay: the retry delay expression of the step.
        concurrent: the number of parallel steps in its group.
        state: the step's state (``STEP_SUCCESS``, ``STEP_RETRY``, ``STEP_FAILED``, ...).
        created_at: when the step was created, unix milliseconds.
        headers: the headers of the step's delivery.
        errors: the failed deliveries of the step (`StepError`).
        next_delivery_time: when the step is delivered next, unix milliseconds.
        call_url: the URL a ``context.call`` step called.
        call_method: the HTTP method of the call.
        call_headers: the headers of the call.
        call_body: the body of the call.
        call_response_status: the HTTP status the call got.
        call_response_body: the response body the call got.
        call_response_headers: the response headers the call got.
        invoked_workflow_run_id: the run a ``context.invoke`` step started.
        invoked_workflow_url: the URL of the invoked workflow.
        invoked_workflow_created_at: the invoked run's creation time, unix milliseconds.
        invoked_workflow_run_body: the body the invoked run was started with.
        invoked_workflow_run_headers: the headers the invoked run was started with.
        sleep_for: the seconds a ``context.sleep`` step slept.
        sleep_until: the time a ``context.sleep_until`` step slept until, unix seconds.
        wait_event_id: the event a ``context.wait_for_event`` step waits for.
        wait_timeout_duration: how long the step waits for its event.
        wait_timeout_deadline: when the step's wait times out, unix seconds.
        wait_timeout: True when the wait ended by its timeout, not by the event.
        extra: the response's other fields, under their JSON names (see the response contract).
    """

    message_id: str | None = None
    step_id: int | None = None
    step_name: str | None = None
    step_type: str | None = None
    call_type: str | None = None
    out: Any = None  # a string as sent; TS declares it unknown, so another JSON value is kept as parsed
    retries: int | None = None
    retry_delay: str | None = None
    concurrent: int | None = None
    state: str | None = None
    created_at: int | None = None
    headers: Headers | None = None
    errors: list[StepError] | None = None
    next_delivery_time: int | None = None
    call_url: str | None = None
    call_method: str | None = None
    call_headers: Headers | None = None
    call_body: Any = None  # like out
    call_response_status: int | None = None
    call_response_body: Any = None  # like out
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
    """``type`` is ``sequential`` (one step), ``parallel`` or ``next`` (steps in progress).

    Attributes:
        type: ``sequential``, ``parallel`` or ``next``.
        steps: the group's steps (`StepLog`).
        extra: the response's other fields, under their JSON names (see the response contract).
    """

    type: str | None = None
    steps: list[StepLog] = attrs.field(factory=list)
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class FailureFunctionLog:
    """The failure callback of a failed run and how it went (``state``: CALLBACK_*).

    Attributes:
        message_id: the QStash message id of the failure callback's delivery.
        url: the URL of the failure callback.
        state: ``CALLBACK_INPROGRESS``, ``CALLBACK_SUCCESS``, ``CALLBACK_FAIL`` or ``CALLBACK_CANCELED``.
        fail_headers: the headers of the failed step's response.
        fail_status: the HTTP status of the failed step's response.
        fail_response: the body of the failed step's response.
        dlq_id: the failed run's DLQ id.
        errors: the failed deliveries of the callback (`StepError`).
        response_body: the body the callback answered.
        response_headers: the headers the callback answered.
        response_status: the HTTP status the callback answered.
        max_retries: the retries allowed for the callback.
        next_delivery_time: when the callback is delivered next, unix milliseconds.
        extra: the response's other fields, under their JSON names (see the response contract).
    """

    message_id: str | None = None
    url: str | None = None
    state: str | None = None
    fail_headers: Headers | None = None
    fail_status: int | None = None
    fail_response: str | None = None
    dlq_id: str | None = None
    errors: list[StepError] | None = None
    response_body: str | None = None
    response_headers: Headers | None = None
    response_status: int | None = None
    max_retries: int | None = None
    next_delivery_time: int | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class Invoker:
    """The run that invoked this run (``context.invoke``).

    Attributes:
        workflow_run_id: the invoking run's id.
        workflow_url: the invoking run's workflow URL.
        workflow_run_created_at: the invoking run's creation time, unix milliseconds.
        extra: the response's other fields, under their JSON names (see the response contract).
    """

    workflow_run_id: str | None = None
    workflow_url: str | None = None
    workflow_run_created_at: int | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class WorkflowRunLog:
    """One run with its step groups. Times are unix milliseconds; ``workflow_state`` is RUN_STARTED,
    RUN_SUCCESS, RUN_FAILED or RUN_CANCELED.

    Attributes:
        workflow_run_id: the run's id.
        workflow_url: the run's workflow URL.
        workflow_state: ``RUN_STARTED``, ``RUN_SUCCESS``, ``RUN_FAILED`` or ``RUN_CANCELED``.
        workflow_run_created_at: when the run was created, unix milliseconds.
        steps: the run's step groups (`StepLogGroup`), in order.
        workflow_run_completed_at: when the run ended, unix milliseconds (None while it runs).
        workflow_run_caller_ip: the IP address the run was triggered from.
        failure_function: the run's failure callback and how it went (`FailureFunctionLog`).
        workflow_run_response: the run's final result.
        invoker: the run that invoked this one (`Invoker`), if any.
        dlq_id: the run's DLQ id, when it failed into the DLQ.
        label: the run's label.
        labels: the run's labels.
        flow_control_key: the run's flow-control key.
        extra: the response's other fields, under their JSON names (see the response contract).
    """

    workflow_run_id: str | None = None
    workflow_url: str | None = None
    workflow_state: str | None = None
    workflow_run_created_at: int | None = None
    steps: list[StepLogGroup] = attrs.field(factory=list)
    workflow_run_completed_at: int | None = None
    workflow_run_caller_ip: str | None = None
    failure_function: FailureFunctionLog | None = None
    workflow_run_response: str | None = None
    invoker: Invoker | None = None
    dlq_id: str | None = None
    label: str | None = None
    labels: list[str] | None = None
    flow_control_key: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)

    @property
    def workflow_run_created_at_datetime(self) -> dt.datetime | None:
        return _aware(self.workflow_run_created_at)

    @property
    def workflow_run_completed_at_datetime(self) -> dt.datetime | None:
        return _aware(self.workflow_run_completed_at)


@attrs.frozen
class WorkflowRunLogs:
    """One page of run logs; ``cursor`` is None on the last page.

    Attributes:
        runs: the page's runs (`WorkflowRunLog`), newest first.
        cursor: the cursor of the next page (None on the last page).
        extra: the response's other fields, under their JSON names (see the response contract).
    """

    runs: list[WorkflowRunLog] = attrs.field(factory=list)
    cursor: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class FailureCallbackInfo:
    """The state of a DLQ message's failure callback.

    Attributes:
        state: the callback's state.
        response_status: the HTTP status the callback answered.
        response_body: the body the callback answered.
        response_headers: the headers the callback answered.
        extra: the response's other fields, under their JSON names (see the response contract).
    """

    state: str | None = None
    response_status: int | None = None
    response_body: str | None = None
    response_headers: Headers | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class DLQMessage:
    """A failed workflow run in the DLQ: its request, the last failed response, and its failure callback.
    ``body_base_64`` / ``response_body_base_64`` are set (and the text fields empty) for non-UTF-8 bodies.

    Attributes:
        dlq_id: the message's DLQ id (what ``resume``, ``restart``, ``delete`` and ``get`` take).
        message_id: the QStash message id.
        url: the URL the message was delivered to.
        method: the HTTP method of the delivery.
        header: the headers of the delivery.
        body: the body of the delivery (UTF-8 text).
        body_base_64: the body of the delivery, base64, when it is not UTF-8.
        max_retries: the retries allowed.
        not_before: the earliest delivery time the message had, unix milliseconds.
        created_at: when the message was created, unix milliseconds.
        caller_ip: the IP address the run was triggered from.
        workflow_run_id: the failed run's id.
        workflow_created_at: the failed run's creation time, unix milliseconds.
        workflow_url: the failed run's workflow URL.
        response_status: the HTTP status of the last failed response.
        response_header: the headers of the last failed response.
        response_body: the body of the last failed response (UTF-8 text).
        response_body_base_64: the body of the last failed response, base64, when it is not UTF-8.
        failure_callback: the URL of the run's failure callback.
        failure_callback_info: the state of the failure callback (`FailureCallbackInfo`).
        failure_function_state: the failure callback's state (``CALLBACK_*``), if it has one.
        flow_control_key: the run's flow-control key.
        label: the run's label.
        labels: the run's labels.
        extra: the response's other fields, under their JSON names (see the response contract).
    """

    dlq_id: str | None = None
    message_id: str | None = None
    url: str | None = None
    method: str | None = None
    header: Headers | None = None
    body: str | None = None
    body_base_64: str | None = None
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
    response_body_base_64: str | None = None
    failure_callback: str | None = None
    failure_callback_info: FailureCallbackInfo | None = None
    failure_function_state: str | None = None
    flow_control_key: str | None = None
    label: str | None = None
    labels: list[str] | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)

    @property
    def created_at_datetime(self) -> dt.datetime | None:
        return _aware(self.created_at)


@attrs.frozen
class DLQListResult:
    """One page of DLQ messages; ``cursor`` is None on the last page.

    Attributes:
        messages: the page's messages (`DLQMessage`).
        cursor: the cursor of the next page (None on the last page).
        extra: the response's other fields, under their JSON names (see the response contract).
    """

    messages: list[DLQMessage] = attrs.field(factory=list)
    cursor: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class DLQResumeRestartResponse:
    """A run started again from the DLQ (``workflow_created_at`` in unix ms).

    Attributes:
        workflow_run_id: the run's id.
        workflow_created_at: the run's creation time, unix milliseconds.
        extra: the response's other fields, under their JSON names (see the response contract).
    """

    workflow_run_id: str | None = None
    workflow_created_at: int | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class DLQActionResult:
    """Runs resumed or restarted; call again with ``cursor`` while it is not None.

    Attributes:
        workflow_runs: the runs resumed or restarted (`DLQResumeRestartResponse`).
        cursor: pass it to the next call to go on (None when done).
        extra: the response's other fields, under their JSON names (see the response contract).
    """

    workflow_runs: list[DLQResumeRestartResponse] = attrs.field(factory=list)
    cursor: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class DLQDeleteResult:
    """How many DLQ messages were deleted (None if the server did not say); call again with
    ``cursor`` while it is not None.

    Attributes:
        deleted: how many messages were deleted.
        cursor: pass it to the next call to go on (None when done).
        extra: the response's other fields, under their JSON names (see the response contract).
    """

    deleted: int | None = None
    cursor: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class RetryFailureFunctionResult:
    """The run whose failure callback was retried; ``error`` is set when it could not be scheduled.

    Attributes:
        workflow_run_id: the run whose failure callback was retried.
        workflow_created_at: the run's creation time, unix milliseconds.
        error: why the callback could not be scheduled (None when it was).
        extra: the response's other fields, under their JSON names (see the response contract).
    """

    workflow_run_id: str | None = None
    workflow_created_at: int | None = None
    error: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)


# ------------------------------------------------------------------------------------------ conversion


class ResponseShapeError(Exception):
    """A response body that breaks the contract: ``field`` (a JSON path such as
    ``runs[0].steps``, empty for the whole body) has the wrong type."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field or 'the body'} {problem}")
        self.field = field
        self.problem = problem


Converter = Callable[[Any, str], Any]


def _got(value: Any) -> str:
    text = repr(value)
    return f"got {_json_type(value)} {text[:40]}{'...' if len(text) > 40 else ''}"


def _json_type(value: Any) -> str:
    names = {bool: "boolean", str: "string", int: "integer", float: "number", list: "array", dict: "object"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _child(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _scalar(accepts: Callable[[Any], bool], expected: str) -> Converter:
    def check(value: Any, path: str) -> Any:
        if not accepts(value):
            raise ResponseShapeError(path, f"must be {expected}, {_got(value)}")
        return value

    return check


_INTEGER_TEXT = re.compile(r"-?[0-9]{1,30}")


def _integer(value: Any, path: str) -> int:
    """An integer; also, losslessly, an integral float (``1714000000000.0``) or a numeric string
    (``"1714000000000"``): Upstash's sources disagree on the type of timestamps and counts."""
    if isinstance(value, bool):
        raise ResponseShapeError(path, f"must be an integer, {_got(value)}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER_TEXT.fullmatch(value.strip()):
        return int(value)
    raise ResponseShapeError(path, f"must be an integer, {_got(value)}")


def _string(value: Any, path: str) -> str:
    """A string; also an integer, as its decimal text (a numeric id sent as a number)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise ResponseShapeError(path, f"must be a string, {_got(value)}")


_CHECKS: dict[Any, Converter] = {
    str: _string,
    bool: _scalar(lambda v: isinstance(v, bool), "a boolean"),
    int: _integer,
    float: _scalar(lambda v: isinstance(v, int | float) and not isinstance(v, bool), "a number"),
    Any: lambda value, path: value,  # any JSON value (json.loads already refused NaN and Infinity)
}


# ------------------------------------------------------------------------------------ lenient reading


@attrs.define
class _Reading:
    """How the answer being read is read: ``lenient`` for a call that changed something on the server
    (a field that cannot be read is recorded in ``problems`` as (path, raw value, problem) instead of
    raised), and the client's token (``secret``), for the texts a 2xx answer carries into errors."""

    lenient: bool
    secret: str | None = None
    problems: list[tuple[str, Any, str]] = attrs.field(factory=list)


_READING: ContextVar[_Reading | None] = ContextVar("upstash_workflow_reading", default=None)


@contextmanager
def reading(lenient: bool, secret: str | None = None) -> Iterator[_Reading]:
    """Read the answers parsed inside the ``with`` block this way (`read_body` sets it)."""
    state = _Reading(lenient, secret)
    token = _READING.set(state)
    try:
        yield state
    finally:
        _READING.reset(token)


def current_reading() -> _Reading | None:
    """The `_Reading` of the answer being parsed (None outside `read_body`: strict, no token)."""
    return _READING.get()


def _is_unset(tp: Any) -> bool:
    return tp is Unset


def _converter(tp: Any) -> Converter:
    """How to check (and, for nested models, convert) a JSON value declared as ``tp`` in a generated
    model. Absent and null never get here: both mean "not given"."""
    if tp in _CHECKS:
        return _CHECKS[tp]
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (Union, types.UnionType):
        members = [_converter(a) for a in args if a is not type(None) and not _is_unset(a)]
        return members[0] if len(members) == 1 else _first_of(members)
    if origin is Literal:  # a closed list of values in the spec; unknown values are tolerated
        return _scalar(lambda v: isinstance(v, tuple({type(a) for a in args})), "a " + type(args[0]).__name__)
    if origin is list:
        return _list_of(_converter(args[0]))
    if origin is dict:
        return _map_of(_converter(args[1]))
    if isinstance(tp, type) and hasattr(tp, "wire_names"):
        return lambda value, path: convert(tp, value, path)
    raise TypeError(f"the response contract cannot read a generated {tp!r}")


def _first_of(members: list[Converter]) -> Converter:
    def check(value: Any, path: str) -> Any:
        for member in members[:-1]:
            try:
                return member(value, path)
            except ResponseShapeError:
                pass
        return members[-1](value, path)

    return check


def _list_of(item: Converter) -> Converter:
    def check(value: Any, path: str) -> Any:
        if not isinstance(value, list):
            raise ResponseShapeError(path, f"must be an array, {_got(value)}")
        return [item(entry, _child(path, index)) for index, entry in enumerate(value)]

    return check


def _map_of(item: Converter) -> Converter:
    def check(value: Any, path: str) -> Any:
        if not isinstance(value, dict):
            raise ResponseShapeError(path, f"must be an object, {_got(value)}")
        return {key: item(entry, _child(path, key)) for key, entry in value.items()}

    return check


@attrs.frozen
class _Plan:
    """How to read one generated model: JSON name -> (where it goes in the result, its converter);
    a target of None means "keep it in extra"."""

    fields: dict[str, tuple[str | None, Converter]]
    additional: Converter
    result: type[Any] | None
    # Result attributes without a default (JSON name -> attribute): the fields the client cannot do
    # its job without. A result class declares one by giving it no default (SigningKeys does).
    required: dict[str, str]


def result_field(attribute: str) -> str:
    """The result attribute that shows a generated attribute: the same name, without the ``_`` the
    generator appends to Python reserved words (``type_`` -> ``type``)."""
    return attribute[:-1] if attribute.endswith("_") else attribute


def result_class_for(model: type[Any]) -> type[Any] | None:
    """The result class of the generated ``model`` (`RESULTS`), if there is one."""
    return RESULTS.get(model.__name__)


def _type_hints(model: type[Any]) -> dict[str, Any]:
    # The generated modules import sibling models only for type checking, so the annotations are
    # resolved against the whole models package.
    package = model.__module__.rsplit(".models.", 1)[0]
    models = importlib.import_module(package + ".models")
    return typing.get_type_hints(model, globalns=vars(sys.modules[model.__module__]), localns=vars(models))


_PLANS: dict[tuple[type[Any], type[Any] | None], _Plan] = {}


def _plan(model: type[Any], result: type[Any] | None) -> _Plan:
    """The reading plan of ``model`` into ``result``, made once per pair."""
    plan = _PLANS.get((model, result))
    if plan is None:
        plan = _PLANS[(model, result)] = _make_plan(model, result)
    return plan


def _make_plan(model: type[Any], result: type[Any] | None) -> _Plan:
    hints = _type_hints(model)
    shown = {field.name for field in attrs.fields(result)} - {"extra"} if result is not None else set()
    # A result attribute annotated Any takes any JSON value (TS types it unknown, the spec a string).
    anything = {name for name, tp in typing.get_type_hints(result).items() if tp is Any} if result else set()
    fields: dict[str, tuple[str | None, Converter]] = {}
    for attribute in attrs.fields(model):
        if attribute.name == "additional_properties":
            continue
        target = result_field(attribute.name)
        fields[model.wire_names[attribute.name]] = (
            target if target in shown else None,
            _CHECKS[Any] if target in anything else _converter(hints[attribute.name]),
        )
    additional = hints.get("additional_properties", dict[str, Any])
    mandatory = {f.name for f in attrs.fields(result) if f.default is attrs.NOTHING} if result is not None else set()
    required = {wire: target for wire, (target, _) in fields.items() if target is not None and target in mandatory}
    return _Plan(fields=fields, additional=_converter(typing.get_args(additional)[1]), result=result, required=required)


def convert(model: type[Any], data: Any, path: str = "", result: type[T] | None = None) -> Any:
    """Check the JSON ``data`` against the generated ``model`` and build its result class (``result``,
    else the one `RESULTS` gives), or, when there is none, return the checked JSON object.

    Raises `ResponseShapeError` for a value of the wrong type, at any depth (when the answer is read
    leniently, `reading`, such a field reads as None and its raw value stays in ``extra``).
    """
    if not isinstance(data, dict):
        raise ResponseShapeError(path, f"must be an object, {_got(data)}")
    plan = _plan(model, result if result is not None else result_class_for(model))
    shown: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in data.items():
        target, check = plan.fields.get(key, (None, plan.additional))
        try:
            converted = None if value is None else check(value, _child(path, key))
        except ResponseShapeError as exc:
            state = _READING.get()
            if state is None or not state.lenient:
                raise
            state.problems.append((exc.field, value, exc.problem))
            extra[key] = value  # the raw value, as sent; the attribute stays None
            continue
        if target is None:
            # Kept as the server sent it (checked above); a model without a result class returns
            # its checked JSON, with the lossless coercions applied.
            keep_converted = plan.result is None and converted is not None and not attrs.has(type(converted))
            extra[key] = converted if keep_converted else value
        elif converted is not None:  # null reads as absent: the result's default
            shown[target] = converted
    if plan.result is None:
        return extra
    for wire, target in plan.required.items():
        if target not in shown:
            raise ResponseShapeError(_child(path, wire), "is missing (or null); the client cannot do without it")
    return plan.result(**shown, extra=extra)


# ------------------------------------------------------------- flow control, global parallelism, keys


def _zero_if_none(value: int | None) -> int:
    return 0 if value is None else value


@attrs.frozen
class FlowControlInfo:
    """A flow-control key: ``wait_list_size`` messages waiting, its configured limits (``*_max``,
    ``rate_period`` in seconds), what is in use now (``*_count``, ``rate_period_start`` in unix
    seconds) and whether it is paused or has a pinned parallelism / rate.

    Attributes:
        flow_control_key: the key.
        wait_list_size: how many messages wait for the key (0 when the server omits it).
        parallelism_max: the most deliveries in flight at once.
        parallelism_count: the deliveries in flight now.
        rate_max: the most deliveries per rate period.
        rate_count: the deliveries of the current rate period.
        rate_period: the rate period, in seconds.
        rate_period_start: when the current rate period started, unix seconds.
        is_paused: True when the key is paused.
        is_pinned_parallelism: True when its parallelism is pinned.
        is_pinned_rate: True when its rate is pinned.
        extra: the response's other fields, under their JSON names (see the response contract).
    """

    flow_control_key: str | None = None
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
    one, as in the TS client).

    Attributes:
        parallelism_max: the account-wide limit.
        parallelism_count: how many messages run now.
        extra: the response's other fields, under their JSON names (see the response contract).
    """

    parallelism_max: int = attrs.field(default=0, converter=_zero_if_none)
    parallelism_count: int = attrs.field(default=0, converter=_zero_if_none)
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class SigningKeys:
    """The keys QStash signs deliveries with; verify with both while a rotation is under way.

    Attributes:
        current: the key deliveries are signed with now (None when the answer lacks it: Upstash's
            spec marks neither key required).
        next: the key that becomes current at the next rotation (None when the answer lacks it).
        extra: the response's other fields, under their JSON names (see the response contract).
    """

    current: str | None = None
    next: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)


# The result class of each schema of openapi.yaml (the generated model's name) that has one. A schema
# added to the spec gets its class here; a nested schema without one is returned as checked JSON.
RESULTS: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        CancelResult,
        Waiter,
        NotifyResponse,
        StepError,
        StepLog,
        StepLogGroup,
        FailureFunctionLog,
        Invoker,
        WorkflowRunLog,
        WorkflowRunLogs,
        FailureCallbackInfo,
        DLQMessage,
        DLQListResult,
        DLQResumeRestartResponse,
        DLQActionResult,
        DLQDeleteResult,
        RetryFailureFunctionResult,
        FlowControlInfo,
        GlobalParallelism,
        SigningKeys,
    )
}
