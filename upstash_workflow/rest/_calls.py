"""Sans-I/O: one pure function per operation, from user arguments to a `Call` (usually one request,
built by the generated package, plus how to read its response). The sync and async clients only send it.

Every function takes the client's `Options` first (only the trigger builders use it);
scripts/generate_methods.py writes the rest of its signature and its docstring into the public methods
(`_api.py`), so each is written exactly once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterable, Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import attrs

# The generated endpoint modules and models are imported inside the builders that use them: importing
# all of them costs ~30 ms, and a serverless function that only triggers runs should not pay it.
from upstash_workflow_api.types import UNSET, File, Unset

from . import _validate as v
from ._batching import (
    LONE_TRIGGERS,
    MANY_BATCH_SIZE,
    STREAM_BATCH_SIZE,
    Batch,
    Batcher,
    TriggerStream,
    check_several,
    make_entry,
    plan,
)
from ._call import Call, KnownResult, SendBatches, SendRequest, batch_call
from ._errors import InvalidArgumentError, InvalidArgumentTypeError
from ._models import CancelFilter, DLQFilter, FlowControl, Redact, TriggerRequest
from ._outcomes import collect, single
from ._results import (
    CancelResult,
    DLQActionResult,
    DLQDeleteResult,
    DLQListResult,
    NotifyResponse,
    ResponseShapeError,
    RetryFailureFunctionResult,
    TriggerResult,
    Waiter,
    WorkflowRunLogs,
    convert,
)
from ._trigger import Options
from ._validate import WorkflowState

T = TypeVar("T")
DEFAULT_BULK_COUNT = 100


def _list_of(model: Any, result_cls: type[T], *, single_ok: bool = False) -> Callable[[Any], list[T]]:
    """A JSON array of ``model`` objects; with ``single_ok``, one object alone is read as a list of one."""

    def parse(data: Any) -> list[T]:
        if data is None:  # an empty body: null reads as absent
            return []
        if single_ok and isinstance(data, dict):
            data = [data]
        if not isinstance(data, list):
            raise ResponseShapeError("", f"must be a JSON array, got {type(data).__name__}")
        return [convert(model, item, f"[{index}]", result_cls) for index, item in enumerate(data)]

    return parse


def _one(model: Any, result_cls: type[T]) -> Callable[[Any], T]:

    def parse(data: Any) -> T:
        # A null (or empty) body reads as an object without fields: null reads as absent.
        return convert(model, {} if data is None else data, "", result_cls)  # type: ignore[no-any-return]

    return parse


def _paged(model: Any, result_cls: type[T]) -> Callable[[Any], T]:
    """Like _one, with the TS client's normalizeCursor: an empty cursor means "no more pages"."""
    parse_one = _one(model, result_cls)

    def parse(data: Any) -> T:
        result = parse_one(data)
        return attrs.evolve(result, cursor=getattr(result, "cursor", None) or None)  # type: ignore[misc]

    return parse


# --------------------------------------------------------------------------------------------- trigger


def trigger(
    options: Options,
    url: str,
    body: Any = None,
    *,
    headers: Mapping[str, str] | None = None,
    workflow_run_id: str | None = None,
    retries: int | None = None,
    retry_delay: str | None = None,
    flow_control: FlowControl | None = None,
    delay: str | int | float | dt.timedelta | None = None,
    not_before: int | float | dt.datetime | None = None,
    label: str | Sequence[str] | None = None,
    disable_telemetry: bool = False,
    failure_url: str | None = None,
    redact: Redact | None = None,
) -> SendRequest[TriggerResult]:
    """Start one workflow run at ``url`` and return its run id.

    ``workflow_run_id`` is prefixed ``wfr_`` (random when None). ``body``: str as-is, bytes as UTF-8,
    anything else as JSON. ``headers`` are forwarded to the workflow endpoint. ``retries`` (server
    default 3), ``retry_delay`` (an expression such as ``"1000 * (1 + retried)"``), ``flow_control``,
    ``delay`` (``"10s"`` or seconds), ``not_before`` (unix seconds or aware datetime), ``label`` (str
    or list), ``failure_url`` (default: ``url``) and ``redact`` configure the run as in the TS client.

    Sent as a one-message ``POST /v2/batch``, like the TS client. ``AsyncClient`` merges the
    ``trigger`` calls made at the same moment (one event-loop iteration) into one request, unless
    created with ``coalesce_triggers=False``. A message QStash refuses raises `TriggerRejectedError`;
    a 2xx answer that does not confirm the run (an empty body, no entry for it) raises
    `TriggerUnconfirmedError` (triggering the same ``workflow_run_id`` again is safe).
    """
    if isinstance(url, Sequence | TriggerRequest) and not isinstance(url, str):
        raise v.InvalidArgumentTypeError(
            f"trigger starts one run and takes its url (a str), got {type(url).__name__}; "
            "use trigger_many([TriggerRequest(...), ...]) to start several runs"
        )
    request = TriggerRequest(
        url=url,
        body=body,
        headers=headers,
        workflow_run_id=workflow_run_id,
        retries=retries,
        retry_delay=retry_delay,
        flow_control=flow_control,
        delay=delay,
        not_before=not_before,
        label=label,
        disable_telemetry=disable_telemetry,
        failure_url=failure_url,
        redact=redact,
    )
    return batch_call(Batch((make_entry(options, 0, request, LONE_TRIGGERS),)), single, mergeable=True)


def trigger_many(
    options: Options, requests: Iterable[TriggerRequest], *, batch_size: int = MANY_BATCH_SIZE
) -> Call[list[TriggerResult]]:
    """Start several runs; results come back in the order given.

    Up to ``batch_size`` runs (default 1,000) and at most 1 MB of JSON go in one ``POST /v2/batch``;
    more are split into batches, up to 16 in flight at once. Every request is checked and every run
    id chosen before the first request is sent. When some runs do not start (QStash refuses their
    message, or their batch's request fails after retries), every batch is still sent, and
    `PartialTriggerError` says which runs started (``started``), which did not (``failed``, with
    each run's error) and which the 2xx answer does not confirm (``unconfirmed``); when no run
    started and every request failed with the same kind of error, that error is raised (for
    example `AuthenticationError`). For millions of runs, use ``trigger_stream``.
    """
    check_several(requests, "trigger_many")
    batches = plan(options, requests, v.positive_int(batch_size, "batch_size"))
    if len(batches) == 1:  # one request: sent like any other call, no batch machinery
        return batch_call(batches[0], collect)
    return SendBatches(tuple(batches), combine=collect)


def trigger_stream(
    options: Options,
    requests: Iterable[TriggerRequest] | AsyncIterable[TriggerRequest],
    *,
    batch_size: int = STREAM_BATCH_SIZE,
    start_index: int = 0,
) -> TriggerStream:
    """Start a run for every request of ``requests`` (any iterable, read lazily; ``AsyncClient``
    also takes an async iterable) and yield one `TriggerOutcome` per run, in input order, as soon
    as its batch is answered. Memory does not grow with the input: at most 16 batches of up to
    ``batch_size`` runs (default 500; and 1 MB) are in flight, and the input is read only as
    batches free up.

    Each outcome has ``index`` (the run's input position, counted from ``start_index``: pass the
    number of requests you skipped when resuming), ``status`` (``"started"``, ``"deduplicated"``,
    ``"failed"``, or ``"unknown"`` when the 2xx answer does not confirm the run: its ``error``, a
    `TriggerUnconfirmedError`, says why), ``workflow_run_id``, ``result`` and ``error``. Nothing
    is raised for a run:
    a message QStash refuses (`TriggerRejectedError`), a batch whose request failed after retries
    (that error, for each of its runs) and an invalid request (`InvalidArgumentError`, not sent)
    are ``"failed"`` outcomes, and the stream goes on.

    If ``requests`` raises, the runs read before it are still sent and their outcomes yielded,
    then its error propagates. Leaving the loop early (``break``, ``close()``) waits for the
    batches already in flight: their runs may have started, but their outcomes are not yielded.
    """
    check_several(requests, "trigger_stream")
    size = v.positive_int(batch_size, "batch_size")
    first = v.non_negative_int(start_index, "start_index")
    return TriggerStream(requests=requests, batcher=Batcher(options, size, first))


# ---------------------------------------------------------------------------------------------- cancel


def _one_selector(**selectors: bool) -> None:
    chosen = [name for name, present in selectors.items() if present]
    if len(chosen) != 1:
        which = "none" if not chosen else " and ".join(chosen)
        options = ", ".join(f"{name}=True" if name == "all" else name for name in selectors)
        raise InvalidArgumentError(f"Choose exactly one of {options} (got {which}).")


def _present(params: dict[str, Any]) -> dict[str, Any]:
    """The parameters that were given (the generated functions take UNSET, not None, for absent)."""
    return {k: val for k, val in params.items() if val is not None}


def _common_filter(
    from_date: dt.datetime | int | None,
    to_date: dt.datetime | int | None,
    caller_ip: str | Sequence[str] | None,
    label: str | Sequence[str] | None,
    flow_control_key: str | Sequence[str] | None,
) -> dict[str, Any]:
    """The filter fields runs, logs and the DLQ share, converted to query values (None: not given)."""
    return {
        "from_date": v.unix_millis(from_date, "from_date"),
        "to_date": v.unix_millis(to_date, "to_date"),
        "caller_ip": v.str_list(caller_ip, "caller_ip"),
        "label": v.str_list(label, "label"),
        "flow_control_key": v.str_list(flow_control_key, "flow_control_key"),
    }


def _count(count: int | None) -> int:
    return DEFAULT_BULK_COUNT if count is None else v.positive_int(count, "count")


def _cancel_filter_params(flt: CancelFilter) -> dict[str, Any]:
    if flt.workflow_url is not None and flt.workflow_url_starting_with is not None:
        raise InvalidArgumentError(
            "workflow_url and workflow_url_starting_with are mutually exclusive. Use workflow_url for "
            "exact match or workflow_url_starting_with for prefix match."
        )
    params = _common_filter(flt.from_date, flt.to_date, flt.caller_ip, flt.label, flt.flow_control_key)
    params |= {"host": v.str_list(flt.host, "host"), "path": v.str_list(flt.path, "path")}
    if flt.workflow_url_starting_with is not None:
        params["workflow_url"] = [v.require_str(flt.workflow_url_starting_with, "workflow_url_starting_with")]
    elif flt.workflow_url is not None:
        # One URL or several, each a repeated workflowUrl key (as TS sends a string or an array).
        params["workflow_url"] = v.str_list(flt.workflow_url, "workflow_url")
        params["workflow_url_exact_match"] = True
    params = _present(params)
    if not params:
        raise InvalidArgumentError(
            "No filter provided. Use filter=CancelFilter(...) with at least one field, or all=True."
        )
    return params


def cancel(
    options: Options,
    ids: str | Sequence[str] | None = None,
    *,
    url_starting_with: str | None = None,
    filter: CancelFilter | None = None,
    all: bool = False,
    count: int | None = None,
) -> Call[CancelResult]:
    """Cancel workflow runs: by ``ids`` (one id or a list), by ``url_starting_with``, by ``filter``
    or ``all=True``. Exactly one selector. An empty id list cancels nothing and sends nothing.
    With a filter or ``all``, at most ``count`` runs (default 100) are cancelled per call.
    """
    from upstash_workflow_api.api.runs import cancel_runs
    from upstash_workflow_api.models import CancelResult as ApiCancelResult

    _one_selector(
        ids=ids is not None,
        url_starting_with=url_starting_with is not None,
        filter=filter is not None,
        all=v.boolean(all, "all"),
    )
    parse = _one(ApiCancelResult, CancelResult)
    if ids is not None:
        if count is not None:
            raise InvalidArgumentError("count applies to url_starting_with, filter and all=True, not to ids")
        id_list = v.id_list(ids, "Workflow run id")
        if not id_list:
            return KnownResult(CancelResult(cancelled=0))
        return SendRequest(request=cancel_runs._get_kwargs(workflow_run_ids=id_list), parse=parse)
    if url_starting_with is not None:
        filter = CancelFilter(workflow_url_starting_with=v.require_str(url_starting_with, "url_starting_with"))
    if filter is not None:
        if not isinstance(filter, CancelFilter):
            raise InvalidArgumentTypeError(f"filter must be a CancelFilter, got {type(filter).__name__}")
        params = _cancel_filter_params(filter)
        return SendRequest(
            request=cancel_runs._get_kwargs(**params, count=_count(count)), parse=parse, idempotent=False
        )
    # Not idempotent: a repeated "cancel up to count" after a lost response would cancel more runs.
    return SendRequest(request=cancel_runs._get_kwargs(count=_count(count)), parse=parse, idempotent=False)


# ---------------------------------------------------------------------------------------------- events


def notify(
    options: Options, event_id: str, event_data: Any = None, *, workflow_run_id: str | None = None
) -> SendRequest[list[NotifyResponse]]:
    """Notify the runs waiting for ``event_id``; with ``workflow_run_id``, only that run (lookback).

    ``event_data``: str as-is, bytes as UTF-8, anything else as JSON; None sends no body. The ids are
    percent-encoded as single path segments (the TS client splits at ``/`` and cuts at ``?``).
    """
    from upstash_workflow_api.api.events import notify as notify_api
    from upstash_workflow_api.api.events import notify_run
    from upstash_workflow_api.models import NotifyResponse as ApiNotifyResponse

    event = v.require_id(event_id, "Event id")
    text = v.body_text(event_data, "event_data")
    # The generated code hands File.payload to httpx as `content`. A file object would be streamed
    # (chunked, no Content-Length, not repeatable on retry); bytes give the request TS sends.
    body: File | Unset = UNSET if text is None else File(payload=text.encode("utf-8"))  # type: ignore[arg-type]
    if workflow_run_id is None:
        kwargs = notify_api._get_kwargs(event, body=body)
    else:
        kwargs = notify_run._get_kwargs(v.require_id(workflow_run_id, "Workflow run id"), event, body=body)
    if text is None:
        # No data means no body, and (as with fetch) no Content-Type for it.
        kwargs["headers"].pop("Content-Type", None)
    # Upstash's spec answers a single-run notify with one object, the TS types with a list: both are read.
    # Not idempotent: after a lost response the runs may have got the event (and a lookback event
    # for ``workflow_run_id`` would be stored twice), so only a request that never left is retried.
    return SendRequest(
        request=kwargs, parse=_list_of(ApiNotifyResponse, NotifyResponse, single_ok=True), idempotent=False
    )


def get_waiters(options: Options, event_id: str) -> SendRequest[list[Waiter]]:
    """The runs waiting for ``event_id``."""
    from upstash_workflow_api.api.events import get_waiters as get_waiters_api
    from upstash_workflow_api.models import Waiter as ApiWaiter

    return SendRequest(
        request=get_waiters_api._get_kwargs(v.require_id(event_id, "Event id")),
        parse=_list_of(ApiWaiter, Waiter),
    )


# ------------------------------------------------------------------------------------------------ logs


def logs(
    options: Options,
    *,
    workflow_run_id: str | None = None,
    state: WorkflowState | None = None,
    workflow_url: str | Sequence[str] | None = None,
    workflow_created_at: dt.datetime | int | None = None,
    label: str | Sequence[str] | None = None,
    cursor: str | None = None,
    count: int | None = None,
    from_date: dt.datetime | int | None = None,
    to_date: dt.datetime | int | None = None,
    caller_ip: str | Sequence[str] | None = None,
    flow_control_key: str | Sequence[str] | None = None,
    host: str | None = None,
    path: str | None = None,
    message_id: str | None = None,
) -> SendRequest[WorkflowRunLogs]:
    """One page of run logs (newest first), filtered by any of the keyword arguments.

    ``state`` is RUN_STARTED, RUN_SUCCESS, RUN_FAILED or RUN_CANCELED (anything else raises
    InvalidArgumentError); dates are aware datetimes or unix milliseconds; ``workflow_url`` is one
    URL or a list (exact matches). Upstash documents ``count`` as at most 10 runs a page (also its
    default); larger values are sent as given. Pass the returned ``cursor`` for the next page (None
    on the last page), or use ``iter_logs`` to walk every page.
    """
    from upstash_workflow_api.api.logs import get_run_logs
    from upstash_workflow_api.models import WorkflowRunLogs as ApiWorkflowRunLogs

    optional_str = {"workflow_run_id": workflow_run_id}
    optional_str |= {"cursor": cursor, "host": host, "path": path, "message_id": message_id}
    params: dict[str, Any] = {k: v.require_str(val, k) for k, val in optional_str.items() if val is not None}
    params |= _common_filter(from_date, to_date, caller_ip, label, flow_control_key)
    params |= {
        "workflow_url": v.str_list(workflow_url, "workflow_url"),
        "state": None if state is None else v.workflow_state(state),
        "workflow_created_at": v.unix_millis(workflow_created_at, "workflow_created_at"),
        "count": None if count is None else v.positive_int(count, "count"),
    }
    return SendRequest(
        request=get_run_logs._get_kwargs(group_by="workflowRunId", **_present(params)),
        parse=_paged(ApiWorkflowRunLogs, WorkflowRunLogs),
    )


# ------------------------------------------------------------------------------------------------- dlq


def _dlq_filter_params(flt: DLQFilter, *, for_list: bool) -> dict[str, Any]:
    if not isinstance(flt, DLQFilter):
        raise InvalidArgumentTypeError(f"filter must be a DLQFilter, got {type(flt).__name__}")
    if not for_list and (flt.url is not None or flt.response_status is not None):
        raise InvalidArgumentError("DLQFilter.url and .response_status only apply to dlq.list")
    params = _common_filter(flt.from_date, flt.to_date, flt.caller_ip, flt.label, flt.flow_control_key)
    params |= {
        "workflow_url": v.str_list(flt.workflow_url, "workflow_url"),
        "workflow_run_id": v.optional_str(flt.workflow_run_id, "workflow_run_id"),
        "workflow_created_at": v.unix_millis(flt.workflow_created_at, "workflow_created_at"),
        "failure_function_state": v.optional_str(flt.failure_function_state, "failure_function_state"),
        "url_query": v.optional_str(flt.url, "url"),
        "response_status": None
        if flt.response_status is None
        else v.non_negative_int(flt.response_status, "response_status"),
    }
    return _present(params)


def dlq_list(
    options: Options, *, cursor: str | None = None, count: int | None = None, filter: DLQFilter | None = None
) -> SendRequest[DLQListResult]:
    """One page of failed workflow runs in the DLQ (Upstash documents ``count`` as at most 100, also
    its default); ``cursor`` is None on the last page."""
    from upstash_workflow_api.api.dlq import list_dlq
    from upstash_workflow_api.models import DLQListResult as ApiDLQListResult

    params = _dlq_filter_params(filter, for_list=True) if filter is not None else {}
    if cursor is not None:
        params["cursor"] = v.require_str(cursor, "cursor")
    if count is not None:
        params["count"] = v.positive_int(count, "count")
    return SendRequest(
        request=list_dlq._get_kwargs(source="workflow", **params),
        parse=_paged(ApiDLQListResult, DLQListResult),
    )


def _dlq_action_params(
    ids: str | Sequence[str] | None,
    filter: DLQFilter | None,
    all: bool,
    count: int | None,
    cursor: str | None,
) -> dict[str, Any] | None:
    """Query for resume/restart/delete; None when an empty id list means "nothing to do"."""
    _one_selector(ids=ids is not None, filter=filter is not None, all=v.boolean(all, "all"))
    tail: dict[str, Any] = {} if cursor is None else {"cursor": v.require_str(cursor, "cursor")}
    if ids is not None:
        if count is not None:
            raise InvalidArgumentError("count applies to filter and all=True, not to ids")
        id_list = v.id_list(ids, "DLQ id")
        return {"dlq_ids": id_list, **tail} if id_list else None
    flt = _dlq_filter_params(filter, for_list=False) if filter is not None else {}
    if filter is not None and not flt:
        raise InvalidArgumentError(
            "No filter provided. Use filter=DLQFilter(...) with at least one field, or all=True."
        )
    return {**flt, "count": _count(count), **tail}


@attrs.frozen
class _RerunOptions:
    """What resumed/restarted runs may change, as the official spec's request headers."""

    flow_control: FlowControl | None
    retries: int | None
    delay: str | int | float | dt.timedelta | None
    retry_delay: str | None
    label: str | Sequence[str] | None
    failure_url: str | None

    def headers(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.flow_control is not None:
            flow_control = v.instance_of(self.flow_control, FlowControl, "flow_control")
            params["upstash_flow_control_key"] = v.check_flow_control_key(flow_control.key)
            params["upstash_flow_control_value"] = flow_control.header_value()
        if self.retries is not None:
            params["upstash_retries"] = v.non_negative_int(self.retries, "retries")
        if self.delay is not None:
            params["upstash_delay"] = v.duration(self.delay, "delay")
        if self.retry_delay is not None:
            params["upstash_retry_delay"] = v.require_str(self.retry_delay, "retry_delay")
        if self.label is not None:
            params["upstash_label"] = v.serialize_labels(self.label)
        if self.failure_url is not None:
            params["upstash_failure_callback"] = v.require_url(self.failure_url, "failure_url")
        return params


def _dlq_rerun(
    module: Any,
    ids: str | Sequence[str] | None,
    filter: DLQFilter | None,
    all: bool,
    count: int | None,
    cursor: str | None,
    options: _RerunOptions,
) -> Call[DLQActionResult]:
    from upstash_workflow_api.models import DLQActionResult as ApiDLQActionResult

    headers = options.headers()  # checked before anything else can short-cut the call
    params = _dlq_action_params(ids, filter, all, count, cursor)
    if params is None:
        return KnownResult(DLQActionResult(workflow_runs=[]))
    return SendRequest(
        request=module._get_kwargs(**params, **headers),
        parse=_unwrapped_runs(_paged(ApiDLQActionResult, DLQActionResult)),
        idempotent=False,
    )


def _unwrapped_runs(parse: Callable[[Any], DLQActionResult]) -> Callable[[Any], DLQActionResult]:
    """Upstash's spec answers a single-id resume/restart with one bare ``{workflowRunId,
    workflowCreatedAt}``, the bulk form (and TS) with ``{workflowRuns: [...], cursor}``: both read."""

    def read(data: Any) -> DLQActionResult:
        if isinstance(data, dict) and "workflowRuns" not in data and "workflowRunId" in data:
            data = {"workflowRuns": [data]}
        return parse(data)

    return read


def dlq_resume(
    options: Options,
    ids: str | Sequence[str] | None = None,
    *,
    filter: DLQFilter | None = None,
    all: bool = False,
    count: int | None = None,
    cursor: str | None = None,
    flow_control: FlowControl | None = None,
    retries: int | None = None,
    delay: str | int | float | dt.timedelta | None = None,
    retry_delay: str | None = None,
    label: str | Sequence[str] | None = None,
    failure_url: str | None = None,
) -> Call[DLQActionResult]:
    """Resume failed runs from the step that failed: by ``ids``, ``filter`` or ``all=True``.

    At most ``count`` (default 100) per call with a filter or all; call again with the returned
    ``cursor`` while it is not None. ``flow_control``, ``retries``, ``delay`` (``"10s"`` or
    seconds, before the next step), ``retry_delay``, ``label`` (str or list) and ``failure_url``
    apply to the resumed runs (the official spec's ``Upstash-*`` headers).
    """
    from upstash_workflow_api.api.dlq import resume_dlq

    rerun = _RerunOptions(flow_control, retries, delay, retry_delay, label, failure_url)
    return _dlq_rerun(resume_dlq, ids, filter, all, count, cursor, rerun)


def dlq_restart(
    options: Options,
    ids: str | Sequence[str] | None = None,
    *,
    filter: DLQFilter | None = None,
    all: bool = False,
    count: int | None = None,
    cursor: str | None = None,
    flow_control: FlowControl | None = None,
    retries: int | None = None,
    delay: str | int | float | dt.timedelta | None = None,
    retry_delay: str | None = None,
    label: str | Sequence[str] | None = None,
    failure_url: str | None = None,
) -> Call[DLQActionResult]:
    """Restart failed runs from the beginning; the same selectors, paging and options as ``resume``."""
    from upstash_workflow_api.api.dlq import restart_dlq

    rerun = _RerunOptions(flow_control, retries, delay, retry_delay, label, failure_url)
    return _dlq_rerun(restart_dlq, ids, filter, all, count, cursor, rerun)


def dlq_retry_failure_function(options: Options, dlq_id: str) -> SendRequest[RetryFailureFunctionResult]:
    """Run the failure callback of a failed run again."""
    from upstash_workflow_api.api.dlq import retry_failure_function as retry_failure_function_api
    from upstash_workflow_api.models import RetryFailureFunctionResult as ApiRetryFailureFunctionResult

    return SendRequest(
        request=retry_failure_function_api._get_kwargs(v.require_id(dlq_id, "DLQ id")),
        parse=_one(ApiRetryFailureFunctionResult, RetryFailureFunctionResult),
        idempotent=False,
    )


def dlq_delete(
    options: Options,
    ids: str | Sequence[str] | None = None,
    *,
    filter: DLQFilter | None = None,
    all: bool = False,
    count: int | None = None,
    cursor: str | None = None,
) -> Call[DLQDeleteResult]:
    """Delete DLQ messages by ``ids``, ``filter`` or ``all=True`` (at most ``count`` per call, default
    100; call again with the returned ``cursor`` while it is not None). An empty id list sends nothing."""
    from upstash_workflow_api.api.dlq import delete_dlq
    from upstash_workflow_api.models import DLQDeleteResult as ApiDLQDeleteResult

    params = _dlq_action_params(ids, filter, all, count, cursor)
    if params is None:
        return KnownResult(DLQDeleteResult(deleted=0))
    return SendRequest(
        request=delete_dlq._get_kwargs(**params),
        parse=_paged(ApiDLQDeleteResult, DLQDeleteResult),
        idempotent="dlq_ids" in params,  # repeating "delete up to count" could delete more
    )
