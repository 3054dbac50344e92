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

from . import _inputs
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
from ._call import Call, KnownResult, SendBatches, SendRepeated, SendRequest, batch_call
from ._errors import InvalidArgumentError
from ._models import (
    CancelFilter,
    CancelFilterDict,
    DLQFilter,
    DLQFilterDict,
    FlowControl,
    FlowControlDict,
    Redact,
    RedactDict,
    TriggerRequest,
    TriggerRequestDict,
)
from ._outcomes import collect, single
from ._polling import (
    PollRequest,
    WaitPlan,
    check_poll_interval,
    encode_runs,
    every,
    exact_runs,
    first,
    run_to_wait,
    runs_to_wait,
    wait_timeout,
)
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
    WorkflowRunLog,
    WorkflowRunLogs,
    convert,
)
from ._trigger import Options
from ._validate import WorkflowState

T = TypeVar("T")
DEFAULT_BULK_COUNT = 100  # Upstash's default count of a bulk action (its spec states no other cap per request)
MAX_CANCEL_ROUNDS = 1_000  # cancel(until_done=True): requests at most (100,000 runs at the default count)


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
    flow_control: FlowControl | FlowControlDict | None = None,
    delay: str | int | float | dt.timedelta | None = None,
    not_before: int | float | dt.datetime | None = None,
    label: str | Sequence[str] | None = None,
    disable_telemetry: bool = False,
    failure_url: str | None = None,
    redact: Redact | RedactDict | None = None,
) -> SendRequest[TriggerResult]:
    """Start one workflow run at ``url`` and return its run id.

    Sent as a one-message ``POST /v2/batch``, like the TS client. ``AsyncClient`` merges the
    ``trigger`` calls made at the same moment (one event-loop iteration) into one request, unless
    created with ``coalesce_triggers=False``. The options configure the run as in the TS client.

    Args:
        url: the workflow endpoint to call.
        body: the run's payload: a str as-is, bytes as UTF-8, anything else as JSON (None: no body).
        headers: headers forwarded to the workflow endpoint, besides the client's ``headers``.
        workflow_run_id: the run id, prefixed ``wfr_`` when it is not (None: a random one).
        retries: how many times QStash retries a failed step (server default 3).
        retry_delay: the delay between retries, an expression such as ``"1000 * (1 + retried)"``
            (milliseconds).
        flow_control: a `FlowControl` or a dict of its fields (``FlowControlDict``): the key and
            its parallelism / rate / period limits.
        delay: how long to wait before the run starts: ``"10s"``-style text, seconds, or a
            ``timedelta``.
        not_before: start the run no earlier than this: unix seconds or an aware ``datetime``.
        label: one label or a list of labels, to filter logs and the DLQ by.
        disable_telemetry: leave out the SDK telemetry headers (SDK, framework, runtime).
        failure_url: the endpoint called when the run fails (default: ``url``).
        redact: a `Redact` or a dict of its fields (``RedactDict``): what the logs hide.

    Returns:
        The run's `TriggerResult` (``workflow_run_id``, ``message_id``, ``workflow_created_at``,
        ``deduplicated``).

    Raises:
        InvalidArgumentTypeError: an argument of the wrong type (a list of requests given as ``url``:
            use ``trigger_many``), before any request.
        InvalidArgumentError: an invalid argument (a bad URL, header, duration, label, ...),
            before any request.
        TriggerRejectedError: QStash accepted the request but refused this run's message.
        TriggerUnconfirmedError: the 2xx answer does not confirm the run (an empty body, no entry
            for it); it may have started, and triggering the same ``workflow_run_id`` again is safe.
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `AuthenticationError`, `NotFoundError`, `RateLimitError` or `ServerError`.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        ClientClosedError: the client is closed, or was closed during the call.

    Warns:
        ResponseShapeWarning: a 2xx answer with a field that cannot be read. The server has acted,
            so the call does not raise: the field is None and its raw value is kept in ``extra``.
    """
    if isinstance(url, Sequence | TriggerRequest | Mapping) and not isinstance(url, str):
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
    options: Options, requests: Iterable[TriggerRequest | TriggerRequestDict], *, batch_size: int = MANY_BATCH_SIZE
) -> Call[list[TriggerResult]]:
    """Start several runs; their results in the order given.

    Each run is a `TriggerRequest` or a dict of its fields (``TriggerRequestDict``). Up to
    ``batch_size`` runs and at most 1 MB of JSON go in one ``POST /v2/batch``; more are split into
    batches, up to 16 in flight at once. Every request is checked and every run id chosen before the
    first request is sent. When some runs do not start (QStash refuses their message, or their
    batch's request fails after retries), every batch is still sent, and `PartialTriggerError` says
    which runs started (``started``), which did not (``failed``, with each run's error) and which
    the 2xx answer does not confirm (``unconfirmed``). For millions of runs, use ``trigger_stream``.

    Args:
        requests: the runs to start (any iterable, read once before sending).
        batch_size: the most runs in one request (default 1,000).

    Returns:
        One `TriggerResult` per run, in input order.

    Raises:
        InvalidArgumentTypeError: ``requests`` is not an iterable of requests, or a request has a
            field of the wrong type, before any request.
        InvalidArgumentError: an invalid request or ``batch_size``, before any request.
        PartialTriggerError: some runs did not start or are unconfirmed (the others did). When none
            started and every request failed with the same kind of error, that error (below) is
            raised instead.
        TriggerRejectedError: QStash refused the message of the only run, or of every run of the one
            request that held them all (raised as is, not as a `PartialTriggerError`).
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `AuthenticationError`, `NotFoundError`, `RateLimitError` or `ServerError`.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        ClientClosedError: the client is closed, or was closed during the call.

    Warns:
        ResponseShapeWarning: a 2xx answer with a field that cannot be read. The server has acted,
            so the call does not raise: the field is None and its raw value is kept in ``extra``.
    """
    check_several(requests, "trigger_many")
    batches = plan(options, requests, v.positive_int(batch_size, "batch_size"))
    if len(batches) == 1:  # one request: sent like any other call, no batch machinery
        return batch_call(batches[0], collect)
    return SendBatches(tuple(batches), combine=collect)


def trigger_stream(
    options: Options,
    requests: Iterable[TriggerRequest | TriggerRequestDict] | AsyncIterable[TriggerRequest | TriggerRequestDict],
    *,
    batch_size: int = STREAM_BATCH_SIZE,
    start_index: int = 0,
) -> TriggerStream:
    """Start a run for every request of ``requests`` and yield one `TriggerOutcome` per run.

    The outcomes come in input order, each as soon as its batch (and the batches before it) is
    answered. Memory does not grow with the input: at most 16 batches of up to ``batch_size`` runs
    (and 1 MB) are in flight, and the input is read only as batches free up, on a thread of its own
    (``Client``) or in a task of its own (``AsyncClient``), so outcomes keep coming while the input is
    paused.

    Each outcome has ``index`` (the run's input position, counted from ``start_index``), ``status``
    (``"started"``, ``"deduplicated"``, ``"failed"``, or ``"unknown"`` when the 2xx answer does not
    confirm the run: its ``error``, a `TriggerUnconfirmedError`, says why), ``workflow_run_id``,
    ``result`` and ``error``. Nothing is raised for a run: a message QStash refuses
    (`TriggerRejectedError`), a batch whose request failed after retries (that error, for each of
    its runs) and an invalid request (`InvalidArgumentError`, not sent) are ``"failed"`` outcomes,
    and the stream goes on.

    If ``requests`` raises, the runs read before it are still sent and their outcomes yielded,
    then its error propagates. Leaving the loop early (``break``, ``close()``, a cancelled task)
    reads no more input and waits for the batches already in flight without cancelling them:
    their runs may have started; their outcomes are not yielded but logged as a warning (counts
    and indexes) on the ``upstash_workflow.rest`` logger.

    Args:
        requests: `TriggerRequest`s or dicts of their fields (``TriggerRequestDict``); any iterable,
            read lazily; ``AsyncClient`` also takes an async iterable.
        batch_size: the most runs in one request (default 500).
        start_index: the ``index`` of the first outcome: pass the number of requests you skipped
            when resuming an interrupted stream.

    Yields:
        One `TriggerOutcome` per run, in input order.

    Raises:
        InvalidArgumentTypeError: ``requests`` is not an iterable (or is a single request), before
            any request.
        InvalidArgumentError: a bad ``batch_size`` or ``start_index``, before any request.
        ClientClosedError: the client is closed, or was closed during the stream.
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
    ids: str | TriggerResult | Sequence[str | TriggerResult] | None = None,
    *,
    url_starting_with: str | None = None,
    filter: CancelFilter | CancelFilterDict | None = None,
    all: bool = False,
    count: int | None = None,
    until_done: bool = False,
) -> Call[CancelResult]:
    """Cancel workflow runs, chosen by exactly one selector.

    The selectors are ``ids``, ``url_starting_with``, ``filter`` and ``all=True``. An empty id list
    cancels nothing and sends nothing. Upstash cancels at most ``count`` runs per request with
    ``url_starting_with``, a filter or ``all``: the result's ``more_may_remain`` is True when that
    many were cancelled, and ``until_done=True`` sends the request again until one cancels none
    (at most 1,000 requests, all within the client's ``deadline``), summing ``cancelled``.

    Run ids are sent as given; one without Upstash's ``wfr_`` prefix matches no run, and the call
    warns (`RunIdPrefixWarning`).

    Args:
        ids: one run id or a list of them; a `TriggerResult` stands for its run.
        url_starting_with: cancel the runs whose workflow URL starts with this prefix.
        filter: a `CancelFilter` or a dict of its fields (``CancelFilterDict``), with at least one
            field.
        all: cancel every run (up to ``count``, or every one with ``until_done``).
        count: the most runs cancelled by one request without ``ids`` (default 100).
        until_done: with ``url_starting_with``, a filter or ``all``: repeat the request until one
            cancels nothing (or the bounds above stop it: then ``more_may_remain`` is True).

    Returns:
        A `CancelResult`: the number of runs cancelled (``cancelled``), whether more may match
        (``more_may_remain``) and how many requests were sent (``requests``).

    Raises:
        InvalidArgumentTypeError: an argument of the wrong type, before any request.
        InvalidArgumentError: no selector or more than one, an empty filter, ``count`` or
            ``until_done`` with ``ids``, both ``workflow_url`` and ``workflow_url_starting_with`` in
            the filter, or an empty id, before any request.
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `AuthenticationError`, `NotFoundError`, `RateLimitError` or `ServerError`.
            With ``until_done``, the runs cancelled by the earlier requests stay cancelled.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        ClientClosedError: the client is closed, or was closed during the call.

    Warns:
        RunIdPrefixWarning: a run id of ``ids`` does not start with ``wfr_`` (it is sent as given).
        ResponseShapeWarning: a 2xx answer with a field that cannot be read. The server has acted,
            so the call does not raise: the field is None and its raw value is kept in ``extra``.
    """
    from upstash_workflow_api.api.runs import cancel_runs
    from upstash_workflow_api.models import CancelResult as ApiCancelResult

    _one_selector(
        ids=ids is not None,
        url_starting_with=url_starting_with is not None,
        filter=filter is not None,
        all=v.boolean(all, "all"),
    )
    repeat = v.boolean(until_done, "until_done")
    if ids is not None:
        if count is not None or repeat:
            which = "count" if count is not None else "until_done"
            raise InvalidArgumentError(f"{which} applies to url_starting_with, filter and all=True, not to ids")
        id_list = v.id_list(_inputs.run_ids(ids), "Workflow run id")
        v.warn_unprefixed(id_list)
        if not id_list:
            return KnownResult(CancelResult(cancelled=0, requests=0))
        parse = _one(ApiCancelResult, CancelResult)
        return SendRequest(request=cancel_runs._get_kwargs(workflow_run_ids=id_list), parse=parse)
    if url_starting_with is not None:
        filter = CancelFilter(workflow_url_starting_with=v.require_str(url_starting_with, "url_starting_with"))
    params = {} if filter is None else _cancel_filter_params(_inputs.cancel_filter(filter))
    limit = _count(count)
    # Not idempotent: a repeated "cancel up to count" after a lost response would cancel more runs.
    request = SendRequest(
        request=cancel_runs._get_kwargs(**params, count=limit), parse=_capped(limit), idempotent=False
    )
    if not repeat:
        return request
    return SendRepeated(request, again=lambda r: bool(r.cancelled), combine=_summed, rounds=MAX_CANCEL_ROUNDS)


def _capped(count: int) -> Callable[[Any], CancelResult]:
    """The answer of one cancel by filter: more may match when it cancelled as many as ``count``."""
    from upstash_workflow_api.models import CancelResult as ApiCancelResult

    parse = _one(ApiCancelResult, CancelResult)

    def read(data: Any) -> CancelResult:
        result = parse(data)
        return attrs.evolve(result, more_may_remain=(result.cancelled or 0) >= count)

    return read


def _summed(rounds: list[CancelResult], stopped_early: bool) -> CancelResult:
    """The rounds of ``cancel(until_done=True)`` as one result (the last round's ``extra``)."""
    total = sum(r.cancelled or 0 for r in rounds)
    return attrs.evolve(rounds[-1], cancelled=total, more_may_remain=stopped_early, requests=len(rounds))


# ---------------------------------------------------------------------------------------------- events


def notify(
    options: Options, event_id: str, event_data: Any = None, *, workflow_run_id: str | TriggerResult | None = None
) -> SendRequest[list[NotifyResponse]]:
    """Notify the runs waiting for ``event_id``; with ``workflow_run_id``, only that run (lookback).

    The ids are percent-encoded as single path segments (the TS client splits at ``/`` and cuts at
    ``?``). Not retried once sent: the runs may have got the event.

    Args:
        event_id: the event the runs wait for (``context.wait_for_event``).
        event_data: the event's data: a str as-is, bytes as UTF-8, anything else as JSON; None sends
            no body.
        workflow_run_id: notify only this run (its id or its `TriggerResult`): Upstash's lookback
            notify.

    Returns:
        One `NotifyResponse` per run notified.

    Raises:
        InvalidArgumentTypeError: an argument of the wrong type, before any request.
        InvalidArgumentError: an empty id, or ``event_data`` that cannot be sent as UTF-8 text,
            before any request.
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `AuthenticationError`, `NotFoundError`, `RateLimitError` or `ServerError`.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        ClientClosedError: the client is closed, or was closed during the call.

    Warns:
        RunIdPrefixWarning: ``workflow_run_id`` lacks the ``wfr_`` prefix (it is
            sent as given, and matches no run).
        ResponseShapeWarning: a 2xx answer with a field that cannot be read. The server has acted,
            so the call does not raise: the field is None and its raw value is kept in ``extra``.
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
        run = v.require_id(_inputs.run_id(workflow_run_id), "Workflow run id")
        v.warn_unprefixed([run])
        kwargs = notify_run._get_kwargs(run, event, body=body)
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
    """The runs waiting for ``event_id``.

    Args:
        event_id: the event the runs wait for.

    Returns:
        One `Waiter` per waiting run.

    Raises:
        InvalidArgumentTypeError: ``event_id`` is not a str, before any request.
        InvalidArgumentError: ``event_id`` is empty, before any request.
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `AuthenticationError`, `NotFoundError`, `RateLimitError` or `ServerError`.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        APIResponseValidationError: a 2xx response whose body is not what the API documents.
        ClientClosedError: the client is closed, or was closed during the call.
    """
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
    workflow_run_id: str | TriggerResult | None = None,
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
    workflow_runs: Sequence[TriggerResult | tuple[str, dt.datetime | int]] | None = None,
) -> SendRequest[WorkflowRunLogs]:
    """One page of run logs (newest first), filtered by any of the keyword arguments.

    Pass the returned ``cursor`` for the next page (None on the last page), or use ``iter_logs`` to
    walk every page. Dates are aware datetimes or unix milliseconds.

    ``workflow_runs`` asks for exactly these runs, in one request: it is Upstash's ``workflowRuns``
    filter of ``GET /v2/workflows/logs``, which ignores every other filter, so only ``cursor`` and
    ``count`` (up to 1,000) may go with it.

    Args:
        workflow_run_id: one run's id, or its `TriggerResult`.
        state: ``RUN_STARTED``, ``RUN_SUCCESS``, ``RUN_FAILED`` or ``RUN_CANCELED``.
        workflow_url: one workflow URL or a list (exact matches).
        workflow_created_at: the run's creation time (a run id can be reused; this names one run).
        label: one label or a list.
        cursor: the ``cursor`` of the previous page.
        count: runs per page; Upstash documents at most 10 (also its default); larger values are sent
            as given.
        from_date: runs created at or after this time.
        to_date: runs created at or before this time.
        caller_ip: one IP address or a list: the runs triggered from them.
        flow_control_key: one flow-control key or a list.
        host: the workflow URL's host.
        path: the workflow URL's path.
        message_id: the QStash message id of one of the run's steps.
        workflow_runs: exactly these runs: `TriggerResult` objects (with ``workflow_created_at``) or
            ``(run_id, created_at)`` pairs.

    Returns:
        A `WorkflowRunLogs` page: ``runs`` and the ``cursor`` of the next page (None on the last).

    Raises:
        InvalidArgumentTypeError: an argument of the wrong type, before any request.
        InvalidArgumentError: an unknown ``state``, a bad count or date, ``workflow_runs`` with
            another filter, an empty ``workflow_runs`` or a run of it without its creation time,
            before any request.
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `AuthenticationError`, `NotFoundError`, `RateLimitError` or `ServerError`.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        APIResponseValidationError: a 2xx response whose body is not what the API documents.
        ClientClosedError: the client is closed, or was closed during the call.

    Warns:
        RunIdPrefixWarning: ``workflow_run_id`` or a run of ``workflow_runs`` lacks the ``wfr_`` prefix (it is
            sent as given, and matches no run).
    """
    if workflow_runs is not None:
        filters: dict[str, object] = {"workflow_run_id": workflow_run_id, "state": state, "workflow_url": workflow_url}
        filters |= {"workflow_created_at": workflow_created_at, "label": label, "from_date": from_date}
        filters |= {"to_date": to_date, "caller_ip": caller_ip, "flow_control_key": flow_control_key}
        filters |= {"host": host, "path": path, "message_id": message_id}
        others = [k for k, val in filters.items() if val is not None]
        if others:
            raise InvalidArgumentError(
                f"workflow_runs cannot be combined with {', '.join(others)} (the server ignores every other filter)"
            )
        runs = exact_runs(workflow_runs)
        call = _logs_of_runs(runs, cursor, count)
        v.warn_unprefixed(run_id for run_id, _ in runs)
        return call

    optional_str = {"workflow_run_id": _inputs.run_id(workflow_run_id)}
    optional_str |= {"cursor": cursor, "host": host, "path": path, "message_id": message_id}
    params: dict[str, Any] = {k: v.require_str(val, k) for k, val in optional_str.items() if val is not None}
    params |= _common_filter(from_date, to_date, caller_ip, label, flow_control_key)
    params |= {
        "workflow_url": v.str_list(workflow_url, "workflow_url"),
        "state": None if state is None else v.workflow_state(state),
        "workflow_created_at": v.unix_millis(workflow_created_at, "workflow_created_at"),
        "count": None if count is None else v.positive_int(count, "count"),
    }
    if "workflow_run_id" in params:
        v.warn_unprefixed([params["workflow_run_id"]])
    return _logs_request(params)


def _logs_request(params: dict[str, Any]) -> SendRequest[WorkflowRunLogs]:
    from upstash_workflow_api.api.logs import get_run_logs
    from upstash_workflow_api.models import WorkflowRunLogs as ApiWorkflowRunLogs

    return SendRequest(
        request=get_run_logs._get_kwargs(group_by="workflowRunId", **_present(params)),
        parse=_paged(ApiWorkflowRunLogs, WorkflowRunLogs),
    )


def poll_logs(request: PollRequest) -> SendRequest[WorkflowRunLogs]:
    """The logs request of one poll of ``wait``/``wait_all`` (`_polling` planned it from checked
    runs; the wait warned about run ids once, so the polls do not)."""
    if request.run_id is not None:  # newest first: the first run is the newest with this id
        params = {"workflow_run_id": request.run_id, "count": 1, "cursor": request.cursor}
        return _logs_request(params)
    return _logs_of_runs(list(request.runs), request.cursor, len(request.runs))


def _logs_of_runs(runs: list[tuple[str, int]], cursor: str | None, count: int | None) -> SendRequest[WorkflowRunLogs]:
    """``GET /v2/workflows/logs?workflowRuns=...``: the official path, where the filter is documented."""
    from upstash_workflow_api.api.logs import list_workflow_logs
    from upstash_workflow_api.models import WorkflowRunLogs as ApiWorkflowRunLogs

    params: dict[str, Any] = {"workflow_runs": encode_runs(dict.fromkeys(runs))}
    if cursor is not None:
        params["cursor"] = v.require_str(cursor, "cursor")
    if count is not None:
        params["count"] = v.positive_int(count, "count")
    return SendRequest(
        request=list_workflow_logs._get_kwargs(**params), parse=_paged(ApiWorkflowRunLogs, WorkflowRunLogs)
    )


# ------------------------------------------------------------------------------------------------ wait


def wait(
    options: Options,
    run: TriggerResult | str | tuple[str, dt.datetime | int],
    *,
    timeout: float | None = None,
    poll_interval: float | None = None,
) -> WaitPlan[WorkflowRunLog]:
    """Wait until the run ends (``RUN_SUCCESS``, ``RUN_FAILED`` or ``RUN_CANCELED``) and return its log.

    A run id can be reused: with ``workflow_created_at`` known (``trigger``'s result), the exact run
    is awaited, with an id alone the newest run with that id. The logs are polled, fast at first, then
    less often (up to every 5 s), fast again when a step changes. Rate limits (429) are waited out by
    the client's retry policy. A failed or canceled run is returned, not raised: read its
    ``workflow_state``.

    Args:
        run: what ``trigger`` returned (a `TriggerResult`), a run id, or ``(run_id, created_at)``.
        timeout: the most seconds to wait (None: no bound).
        poll_interval: a fixed number of seconds between polls, instead of the adaptive interval.

    Returns:
        The run's last `WorkflowRunLog`, once it has ended.

    Raises:
        InvalidArgumentTypeError: ``run`` is not a run, or a number of the wrong type, before any
            request.
        InvalidArgumentError: a negative or NaN ``timeout``, or a ``poll_interval`` that is not a
            positive finite number, before any request.
        WaitTimeoutError: the run had not ended after ``timeout`` seconds; it carries the last log
            seen (``log``).
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `AuthenticationError`, `NotFoundError`, `RateLimitError` or `ServerError`.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        APIResponseValidationError: a 2xx response whose body is not what the API documents.
        ClientClosedError: the client is closed, or was closed during the call.

    Warns:
        RunIdPrefixWarning: the run id lacks the ``wfr_`` prefix (it is
            sent as given, and matches no run).
    """
    plan = WaitPlan((run_to_wait(run),), wait_timeout(timeout), check_poll_interval(poll_interval), first)
    v.warn_unprefixed(run_id for run_id, _ in plan.runs)
    return plan


def wait_all(
    options: Options,
    runs: Iterable[TriggerResult | str | tuple[str, dt.datetime | int]],
    *,
    timeout: float | None = None,
) -> WaitPlan[list[WorkflowRunLog]]:
    """Wait until every run ends; their logs in input order.

    Each poll asks for all runs still pending in one logs request (Upstash's ``workflowRuns``
    filter; a request per 100 runs), never one request per run; a run leaves the poll once it ends.
    A run given by its id alone (no ``workflow_created_at``) costs one lookup request per poll until
    the logs show it. Polling and rate limits as in ``wait``.

    Args:
        runs: the runs, each what ``trigger`` returned (a `TriggerResult`), a run id, or
            ``(run_id, created_at)``.
        timeout: the most seconds to wait for all of them (None: no bound).

    Returns:
        The last `WorkflowRunLog` of each run, in input order, once every run has ended.

    Raises:
        InvalidArgumentTypeError: ``runs`` is not a list of runs, or ``timeout`` is of the wrong
            type, before any request.
        InvalidArgumentError: a negative or NaN ``timeout``, before any request.
        WaitTimeoutError: some run had not ended after ``timeout`` seconds; it carries the last log
            of each run (``logs``, None for a run not seen yet).
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `AuthenticationError`, `NotFoundError`, `RateLimitError` or `ServerError`.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        APIResponseValidationError: a 2xx response whose body is not what the API documents.
        ClientClosedError: the client is closed, or was closed during the call.

    Warns:
        RunIdPrefixWarning: a run id lacks the ``wfr_`` prefix (it is
            sent as given, and matches no run).
    """
    plan = WaitPlan(tuple(runs_to_wait(runs)), wait_timeout(timeout), None, every)
    v.warn_unprefixed(run_id for run_id, _ in plan.runs)
    return plan


# ------------------------------------------------------------------------------------------------- dlq


def _dlq_filter_params(given: DLQFilter | DLQFilterDict, *, for_list: bool) -> dict[str, Any]:
    flt = _inputs.dlq_filter(given)
    if not for_list and (flt.url is not None or flt.response_status is not None):
        raise InvalidArgumentError("DLQFilter.url and .response_status only apply to dlq.list")
    params = _common_filter(flt.from_date, flt.to_date, flt.caller_ip, flt.label, flt.flow_control_key)
    params |= {
        "workflow_url": v.str_list(flt.workflow_url, "workflow_url"),
        "workflow_run_id": v.optional_str(flt.workflow_run_id, "workflow_run_id"),  # warned about below
        "workflow_created_at": v.unix_millis(flt.workflow_created_at, "workflow_created_at"),
        "failure_function_state": v.optional_str(flt.failure_function_state, "failure_function_state"),
        "url_query": v.optional_str(flt.url, "url"),
        "response_status": None
        if flt.response_status is None
        else v.non_negative_int(flt.response_status, "response_status"),
    }
    if params["workflow_run_id"] is not None:
        v.warn_unprefixed([params["workflow_run_id"]])
    return _present(params)


def dlq_list(
    options: Options,
    *,
    cursor: str | None = None,
    count: int | None = None,
    filter: DLQFilter | DLQFilterDict | None = None,
) -> SendRequest[DLQListResult]:
    """One page of failed workflow runs in the DLQ.

    Args:
        cursor: the ``cursor`` of the previous page.
        count: messages per page; Upstash documents at most 100 (also its default).
        filter: a `DLQFilter` or a dict of its fields (``DLQFilterDict``).

    Returns:
        A `DLQListResult` page: ``messages`` and the ``cursor`` of the next page (None on the last).

    Raises:
        InvalidArgumentTypeError: an argument or filter field of the wrong type, before any request.
        InvalidArgumentError: a bad count, date or filter field, before any request.
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `AuthenticationError`, `NotFoundError`, `RateLimitError` or `ServerError`.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        APIResponseValidationError: a 2xx response whose body is not what the API documents.
        ClientClosedError: the client is closed, or was closed during the call.

    Warns:
        RunIdPrefixWarning: the filter's ``workflow_run_id`` lacks the ``wfr_`` prefix (it is
            sent as given, and matches no run).
    """
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
    filter: DLQFilter | DLQFilterDict | None,
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

    flow_control: FlowControl | FlowControlDict | None
    retries: int | None
    delay: str | int | float | dt.timedelta | None
    retry_delay: str | None
    label: str | Sequence[str] | None
    failure_url: str | None

    def headers(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.flow_control is not None:
            flow_control = _inputs.flow_control(self.flow_control)
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
    filter: DLQFilter | DLQFilterDict | None,
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
    filter: DLQFilter | DLQFilterDict | None = None,
    all: bool = False,
    count: int | None = None,
    cursor: str | None = None,
    flow_control: FlowControl | FlowControlDict | None = None,
    retries: int | None = None,
    delay: str | int | float | dt.timedelta | None = None,
    retry_delay: str | None = None,
    label: str | Sequence[str] | None = None,
    failure_url: str | None = None,
) -> Call[DLQActionResult]:
    """Resume failed runs from the step that failed: by ``ids``, ``filter`` or ``all=True``.

    At most ``count`` per call with a filter or all; call again with the returned ``cursor`` while it
    is not None. The options apply to the resumed runs (the official spec's ``Upstash-*`` headers).
    Not retried once sent.

    Args:
        ids: one DLQ id or a list of them (an empty list sends nothing).
        filter: a `DLQFilter` or a dict of its fields (``DLQFilterDict``), with at least one field
            (not ``url`` nor ``response_status``, which only ``list`` takes).
        all: every message of the DLQ (up to ``count``).
        count: the most runs per call with ``filter`` or ``all`` (default 100).
        cursor: the ``cursor`` of the previous call, to go on with the same ``filter`` or ``all``.
        flow_control: a `FlowControl` or a dict of its fields (``FlowControlDict``) for the runs.
        retries: how many times QStash retries a failed step of the runs.
        delay: how long to wait before the next step: ``"10s"``-style text, seconds, or a
            ``timedelta``.
        retry_delay: the delay between retries, an expression such as ``"1000 * (1 + retried)"``.
        label: one label or a list of labels for the runs.
        failure_url: the endpoint called when a run fails again.

    Returns:
        A `DLQActionResult`: ``workflow_runs`` (each run's id and creation time) and the ``cursor``
        to call again with (None when done).

    Raises:
        InvalidArgumentTypeError: an argument of the wrong type, before any request.
        InvalidArgumentError: no selector or more than one, an empty filter, ``count`` with ``ids``,
            an empty id, or a bad option, before any request.
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `AuthenticationError`, `NotFoundError`, `RateLimitError` or `ServerError`.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        ClientClosedError: the client is closed, or was closed during the call.

    Warns:
        RunIdPrefixWarning: the filter's ``workflow_run_id`` lacks the ``wfr_`` prefix (it is
            sent as given, and matches no run).
        ResponseShapeWarning: a 2xx answer with a field that cannot be read. The server has acted,
            so the call does not raise: the field is None and its raw value is kept in ``extra``.
    """
    from upstash_workflow_api.api.dlq import resume_dlq

    rerun = _RerunOptions(flow_control, retries, delay, retry_delay, label, failure_url)
    return _dlq_rerun(resume_dlq, ids, filter, all, count, cursor, rerun)


def dlq_restart(
    options: Options,
    ids: str | Sequence[str] | None = None,
    *,
    filter: DLQFilter | DLQFilterDict | None = None,
    all: bool = False,
    count: int | None = None,
    cursor: str | None = None,
    flow_control: FlowControl | FlowControlDict | None = None,
    retries: int | None = None,
    delay: str | int | float | dt.timedelta | None = None,
    retry_delay: str | None = None,
    label: str | Sequence[str] | None = None,
    failure_url: str | None = None,
) -> Call[DLQActionResult]:
    """Restart failed runs from the beginning; the same selectors, paging and options as ``resume``.

    Not retried once sent.

    Args:
        ids: one DLQ id or a list of them (an empty list sends nothing).
        filter: a `DLQFilter` or a dict of its fields (``DLQFilterDict``), with at least one field
            (not ``url`` nor ``response_status``, which only ``list`` takes).
        all: every message of the DLQ (up to ``count``).
        count: the most runs per call with ``filter`` or ``all`` (default 100).
        cursor: the ``cursor`` of the previous call, to go on with the same ``filter`` or ``all``.
        flow_control: a `FlowControl` or a dict of its fields (``FlowControlDict``) for the runs.
        retries: how many times QStash retries a failed step of the runs.
        delay: how long to wait before the next step: ``"10s"``-style text, seconds, or a
            ``timedelta``.
        retry_delay: the delay between retries, an expression such as ``"1000 * (1 + retried)"``.
        label: one label or a list of labels for the runs.
        failure_url: the endpoint called when a run fails again.

    Returns:
        A `DLQActionResult`: ``workflow_runs`` (each run's id and creation time) and the ``cursor``
        to call again with (None when done).

    Raises:
        InvalidArgumentTypeError: an argument of the wrong type, before any request.
        InvalidArgumentError: no selector or more than one, an empty filter, ``count`` with ``ids``,
            an empty id, or a bad option, before any request.
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `AuthenticationError`, `NotFoundError`, `RateLimitError` or `ServerError`.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        ClientClosedError: the client is closed, or was closed during the call.

    Warns:
        RunIdPrefixWarning: the filter's ``workflow_run_id`` lacks the ``wfr_`` prefix (it is
            sent as given, and matches no run).
        ResponseShapeWarning: a 2xx answer with a field that cannot be read. The server has acted,
            so the call does not raise: the field is None and its raw value is kept in ``extra``.
    """
    from upstash_workflow_api.api.dlq import restart_dlq

    rerun = _RerunOptions(flow_control, retries, delay, retry_delay, label, failure_url)
    return _dlq_rerun(restart_dlq, ids, filter, all, count, cursor, rerun)


def dlq_retry_failure_function(options: Options, dlq_id: str) -> SendRequest[RetryFailureFunctionResult]:
    """Run the failure callback of a failed run again.

    Not retried once sent.

    Args:
        dlq_id: the run's DLQ id (``dlq_id`` of its `DLQMessage`).

    Returns:
        A `RetryFailureFunctionResult` naming the run (``error`` is set when the callback could not
        be scheduled).

    Raises:
        InvalidArgumentTypeError: ``dlq_id`` is not a str, before any request.
        InvalidArgumentError: ``dlq_id`` is empty, before any request.
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `AuthenticationError`, `NotFoundError`, `RateLimitError` or `ServerError`.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        ClientClosedError: the client is closed, or was closed during the call.

    Warns:
        ResponseShapeWarning: a 2xx answer with a field that cannot be read. The server has acted,
            so the call does not raise: the field is None and its raw value is kept in ``extra``.
    """
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
    filter: DLQFilter | DLQFilterDict | None = None,
    all: bool = False,
    count: int | None = None,
    cursor: str | None = None,
) -> Call[DLQDeleteResult]:
    """Delete DLQ messages by ``ids``, ``filter`` or ``all=True``.

    At most ``count`` per call with a filter or all; call again with the returned ``cursor`` while it
    is not None. An empty id list sends nothing.

    Args:
        ids: one DLQ id or a list of them.
        filter: a `DLQFilter` or a dict of its fields (``DLQFilterDict``), with at least one field
            (not ``url`` nor ``response_status``, which only ``list`` takes).
        all: every message of the DLQ (up to ``count``).
        count: the most messages per call with ``filter`` or ``all`` (default 100).
        cursor: the ``cursor`` of the previous call, to go on with the same ``filter`` or ``all``.

    Returns:
        A `DLQDeleteResult`: the number ``deleted`` and the ``cursor`` to call again with (None when
        done).

    Raises:
        InvalidArgumentTypeError: an argument of the wrong type, before any request.
        InvalidArgumentError: no selector or more than one, an empty filter, ``count`` with ``ids``,
            or an empty id, before any request.
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `AuthenticationError`, `NotFoundError`, `RateLimitError` or `ServerError`.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        ClientClosedError: the client is closed, or was closed during the call.

    Warns:
        RunIdPrefixWarning: the filter's ``workflow_run_id`` lacks the ``wfr_`` prefix (it is
            sent as given, and matches no run).
        ResponseShapeWarning: a 2xx answer with a field that cannot be read. The server has acted,
            so the call does not raise: the field is None and its raw value is kept in ``extra``.
    """
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
