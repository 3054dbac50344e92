"""The attrs classes users pass in: FlowControl, Redact, TriggerRequest and the filters, and the
`TypedDict`s of the same fields that every method also takes (as Upstash's Python SDK teaches dict
literals; `_inputs` turns them into the classes). (What users get back is in `_results`.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

import attrs

from . import _validate as v
from ._errors import InvalidArgumentError, InvalidArgumentTypeError
from ._results import TriggerResult  # a run id may be given as the result that started the run

# ---------------------------------------------------------------------------------------------- inputs


@attrs.frozen
class FlowControl:
    """Limits how fast runs with the same ``key`` are delivered.

    Give ``parallelism`` (concurrent runs), ``rate`` (runs per ``period``) or both; ``period`` is a
    duration like ``"1m"`` or seconds (default: one second). ``rate_per_second`` is the TS alias of rate.

    Attributes:
        key: the flow-control key; runs with the same key share the limits.
        parallelism: at most this many runs of the key are delivered at once.
        rate: at most this many runs of the key start per ``period``.
        period: the window of ``rate``: a duration like ``"1m"`` or seconds (default one second).
        rate_per_second: the TS client's name for ``rate`` (used when ``rate`` is None).
    """

    key: str
    parallelism: int | None = None
    rate: int | None = None
    period: str | int | None = None
    rate_per_second: int | None = None

    def header_value(self) -> str:
        """The ``Upstash-Flow-Control-Value`` header this sends.

        Returns:
            For example ``parallelism=3, rate=10, period=1m`` (parts that are unset or 0 are left
            out, as in TS).

        Raises:
            InvalidArgumentError: a bad key, a negative number, a bad period, or neither
                ``parallelism`` nor ``rate``.
            InvalidArgumentTypeError: a field of the wrong type.
        """
        v.check_flow_control_key(self.key)
        if self.period is not None and not isinstance(self.period, str | int):
            raise InvalidArgumentTypeError("flow_control.period must be a str like '1m' or seconds (int)")
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
    """Fields QStash must not show in logs: the body, all headers (``header=True``) or some.

    Attributes:
        body: redact the request body.
        header: True to redact every header, or the names of the headers to redact.
    """

    body: bool = False
    header: bool | Sequence[str] = False

    def header_value(self) -> str | None:
        """The ``Upstash-Redact-Fields`` header this sends.

        Returns:
            For example ``body,header[Authorization]``; None when nothing is redacted.

        Raises:
            InvalidArgumentTypeError: ``header`` is a str (give a list) or not a list of names.
            InvalidArgumentError: a header name that is not a valid HTTP header name.
        """
        parts = ["body"] if v.boolean(self.body, "redact.body") else []
        if self.header is True:
            parts.append("header")
        elif isinstance(self.header, str):
            raise InvalidArgumentTypeError("redact.header must be True or a list of header names, not a str")
        elif not isinstance(self.header, bool):
            if not isinstance(self.header, Sequence | set | frozenset):
                raise InvalidArgumentTypeError(
                    f"redact.header must be True or a list of header names, got {type(self.header).__name__}"
                )
            parts.extend(f"header[{v.header_name(name, 'redact.header')}]" for name in self.header)
        return ",".join(parts) or None


@attrs.frozen
class TriggerRequest:
    """One workflow run to start; the fields of the TS client's TriggerOptions, snake_cased.

    ``workflow_run_id`` gets the ``wfr_`` prefix (a random 21-character id when None). ``body`` is sent
    as-is when str, as UTF-8 text when bytes and as JSON otherwise. ``delay`` is ``"10s"``-style or
    seconds; ``not_before`` is unix seconds or an aware datetime; ``retries`` defaults to 3 on the server.

    Attributes:
        url: the workflow endpoint to run.
        body: the run's initial payload (str as-is, bytes as UTF-8, anything else as JSON).
        headers: headers forwarded to the workflow endpoint.
        workflow_run_id: the run id (``wfr_`` is prepended; random when None).
        retries: retries of each step (server default 3).
        retry_delay: an expression for the wait between retries, such as ``"1000 * (1 + retried)"``.
        flow_control: limits the delivery of runs sharing a key.
        delay: wait before the first step: ``"10s"``-style, seconds or a timedelta.
        not_before: start no earlier than this: unix seconds or an aware datetime.
        label: a label (str) or labels to filter logs and DLQ messages by.
        disable_telemetry: send no ``upstash-telemetry-*`` headers for this run.
        failure_url: where QStash reports the run's failure (default: ``url``).
        redact: fields QStash must not show in logs.
    """

    url: str
    body: Any = None
    headers: Mapping[str, str] | None = None
    workflow_run_id: str | None = None
    retries: int | None = None
    retry_delay: str | None = None
    flow_control: FlowControl | FlowControlDict | None = None
    delay: str | int | float | dt.timedelta | None = None
    not_before: int | float | dt.datetime | None = None
    label: str | Sequence[str] | None = None
    disable_telemetry: bool = False
    failure_url: str | None = None
    redact: Redact | RedactDict | None = None


@attrs.frozen
class CancelFilter:
    """Which runs ``cancel(filter=...)`` targets. Give at least one field; ``workflow_url`` (exact; one
    URL or a list) and ``workflow_url_starting_with`` (prefix) exclude each other. Dates: aware
    datetime or unix ms.

    Attributes:
        from_date: runs created at or after this (aware datetime or unix ms).
        to_date: runs created at or before this (aware datetime or unix ms).
        caller_ip: the IP address(es) the runs were triggered from.
        label: the run label(s).
        flow_control_key: the flow-control key(s).
        host: the host(s) of the workflow URL.
        path: the path(s) of the workflow URL.
        workflow_url: the exact workflow URL(s).
        workflow_url_starting_with: a prefix of the workflow URL.
    """

    from_date: dt.datetime | int | None = None
    to_date: dt.datetime | int | None = None
    caller_ip: str | Sequence[str] | None = None
    label: str | Sequence[str] | None = None
    flow_control_key: str | Sequence[str] | None = None
    host: str | Sequence[str] | None = None
    path: str | Sequence[str] | None = None
    workflow_url: str | Sequence[str] | None = None
    workflow_url_starting_with: str | None = None


@attrs.frozen
class DLQFilter:
    """Which DLQ messages an action (or ``dlq.list``) targets. Dates: aware datetime or unix ms.
    ``url`` and ``response_status`` are deprecated and only used by ``dlq.list``.

    Attributes:
        from_date: messages of runs failed at or after this (aware datetime or unix ms).
        to_date: messages of runs failed at or before this (aware datetime or unix ms).
        caller_ip: the IP address(es) the runs were triggered from.
        label: the run label(s).
        flow_control_key: the flow-control key(s).
        workflow_url: the workflow URL(s).
        workflow_run_id: one run id.
        workflow_created_at: the run's creation time (aware datetime or unix ms).
        failure_function_state: the state of the run's failure callback.
        url: deprecated; the target URL (``dlq.list`` only).
        response_status: deprecated; the HTTP status of the failed delivery (``dlq.list`` only).
    """

    from_date: dt.datetime | int | None = None
    to_date: dt.datetime | int | None = None
    caller_ip: str | Sequence[str] | None = None
    label: str | Sequence[str] | None = None
    flow_control_key: str | Sequence[str] | None = None
    workflow_url: str | Sequence[str] | None = None
    workflow_run_id: str | TriggerResult | None = None
    workflow_created_at: dt.datetime | int | None = None
    failure_function_state: str | None = None
    url: str | None = None
    response_status: int | None = None


# ------------------------------------------------------------------------------------ the same as dicts
# Each class's fields as a TypedDict, so mypy and pyright check a dict literal such as
# ``flow_control={"key": "tenant-a", "parallelism": 2}``. At run time a dict is checked key by key
# (unknown keys and wrong types raise, naming the key) and becomes the class: it sends the same request.
# The camelCase spelling of a key (``workflowRunId``, as the CLI's runs files and the TS client write
# it) is accepted at run time too, but only snake_case is declared here.


class _FlowControlKey(TypedDict):
    key: str


class FlowControlDict(_FlowControlKey, total=False):
    """`FlowControl` as a dict (``key`` required): ``{"key": "tenant-a", "parallelism": 2, "rate": 10}``."""

    parallelism: int | None
    rate: int | None
    period: str | int | None
    rate_per_second: int | None


class RedactDict(TypedDict, total=False):
    """`Redact` as a dict: ``{"body": True, "header": ["Authorization"]}``."""

    body: bool
    header: bool | Sequence[str]


class _TriggerRequestUrl(TypedDict):
    url: str


class TriggerRequestDict(_TriggerRequestUrl, total=False):
    """`TriggerRequest` as a dict (``url`` required), for ``trigger_many`` and ``trigger_stream``."""

    body: Any
    headers: Mapping[str, str] | None
    workflow_run_id: str | None
    retries: int | None
    retry_delay: str | None
    flow_control: FlowControl | FlowControlDict | None
    delay: str | int | float | dt.timedelta | None
    not_before: int | float | dt.datetime | None
    label: str | Sequence[str] | None
    disable_telemetry: bool
    failure_url: str | None
    redact: Redact | RedactDict | None


class CancelFilterDict(TypedDict, total=False):
    """`CancelFilter` as a dict: ``{"label": "nightly", "from_date": 1735689600000}``."""

    from_date: dt.datetime | int | None
    to_date: dt.datetime | int | None
    caller_ip: str | Sequence[str] | None
    label: str | Sequence[str] | None
    flow_control_key: str | Sequence[str] | None
    host: str | Sequence[str] | None
    path: str | Sequence[str] | None
    workflow_url: str | Sequence[str] | None
    workflow_url_starting_with: str | None


class DLQFilterDict(TypedDict, total=False):
    """`DLQFilter` as a dict: ``{"workflow_url": "https://my-app.com/api/workflow"}``."""

    from_date: dt.datetime | int | None
    to_date: dt.datetime | int | None
    caller_ip: str | Sequence[str] | None
    label: str | Sequence[str] | None
    flow_control_key: str | Sequence[str] | None
    workflow_url: str | Sequence[str] | None
    workflow_run_id: str | TriggerResult | None
    workflow_created_at: dt.datetime | int | None
    failure_function_state: str | None
    url: str | None
    response_status: int | None


class PinFlowControlOptions(TypedDict, total=False):
    """``flow_control.pin(key, {...})``'s options, as Upstash's ``qstash`` SDK names them."""

    parallelism: int
    rate: int
    period: int


class UnpinFlowControlOptions(TypedDict, total=False):
    """``flow_control.unpin(key, {...})``'s options, as Upstash's ``qstash`` SDK names them."""

    parallelism: bool
    rate: bool
