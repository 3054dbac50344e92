"""The attrs classes users pass in: FlowControl, Redact, TriggerRequest and the filters.
(What they get back is in `_results`.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from . import _validate as v
from ._errors import InvalidArgumentError, InvalidArgumentTypeError

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
    """Fields QStash must not show in logs: the body, all headers (``header=True``) or some."""

    body: bool = False
    header: bool | Sequence[str] = False

    def header_value(self) -> str | None:
        """``body,header[Authorization]``-style ``Upstash-Redact-Fields`` value (None: nothing)."""
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
    """Which runs ``cancel(filter=...)`` targets. Give at least one field; ``workflow_url`` (exact; one
    URL or a list) and ``workflow_url_starting_with`` (prefix) exclude each other. Dates: aware
    datetime or unix ms."""

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
