"""Pure argument checks and conversions. Each raises InvalidArgumentError (a ValueError) or
InvalidArgumentTypeError (a TypeError) with a message that says what to pass instead."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Sequence
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

from ._errors import InvalidArgumentError, InvalidArgumentTypeError

_LABEL = re.compile(r"^[a-zA-Z0-9\-_.]+$")
_HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_DURATION = re.compile(r"^\d+[smhd]$")
_WHITESPACE = re.compile(r"[\r\n\t ]")

WorkflowState = Literal["RUN_STARTED", "RUN_SUCCESS", "RUN_FAILED", "RUN_CANCELED"]
WorkflowState.__doc__ = "The run states QStash reports and the logs ``state`` filter accepts."
WORKFLOW_STATES: tuple[str, ...] = get_args(WorkflowState)


def require_str(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise InvalidArgumentTypeError(f"{name} must be a str, got {type(value).__name__}")
    return value


def require_id(value: object, label: str) -> str:
    """A non-empty id (the TS client's assertNonEmptyId, with the same labels)."""
    text = require_str(value, label)
    if not text:
        raise InvalidArgumentError(f"{label} cannot be empty")
    return text


def id_list(value: object, label: str) -> list[str]:
    """A str or a sequence of str -> a list of non-empty ids (may be empty)."""
    if isinstance(value, str):
        return [require_id(value, label)]
    if isinstance(value, Sequence | set | frozenset) and not isinstance(value, bytes | bytearray):
        return [require_id(item, label) for item in value]
    raise InvalidArgumentTypeError(f"{label}s must be a str or a list of str, got {type(value).__name__}")


def str_list(value: str | Sequence[str] | None, name: str) -> list[str] | None:
    """Filter values: a str or a non-empty list of str, as repeated query keys."""
    if value is None:
        return None
    items = [value] if isinstance(value, str) else list(value)
    if not items:
        raise InvalidArgumentError(
            f"Empty array provided for filter field '{name}'. If you intend to target all records, "
            "use all=True explicitly."
        )
    return [require_str(item, name) for item in items]


def require_url(value: object, name: str) -> str:
    url = require_str(value, name)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidArgumentError(
            f"{name} must be an absolute http(s) URL like 'https://my-app.com/api/wf', got {url!r}"
        )
    if _WHITESPACE.search(url):
        raise InvalidArgumentError(f"{name} must not contain whitespace, got {url!r}")
    return url


def check_label(value: str) -> str:
    require_str(value, "label")
    if not _LABEL.match(value):
        raise InvalidArgumentError(f'Invalid label "{value}": must be alphanumeric, hyphen, underscore, or period.')
    return value


def serialize_labels(label: str | Sequence[str] | None) -> str | None:
    if label is None:
        return None
    labels = [label] if isinstance(label, str) else list(label)
    if not labels:
        raise InvalidArgumentError("Invalid label: label array must not be empty.")
    return ",".join(check_label(item) for item in labels)


def check_flow_control_key(key: object) -> str:
    text = require_str(key, "flow control key")
    if not _LABEL.match(text):
        raise InvalidArgumentError(
            f'Invalid flow control key "{text}": must be alphanumeric, hyphen, underscore, or period.'
        )
    return text


def header_map(headers: object, name: str = "headers") -> dict[str, str]:
    """User headers: names must be HTTP tokens, values single-line Latin-1 text (as fetch requires).
    Values lose leading and trailing spaces and tabs, as fetch's ``Headers`` (and so the TS client)
    strips them; HTTP gives them no meaning."""
    if headers is None:
        return {}
    if not hasattr(headers, "items"):
        raise InvalidArgumentTypeError(f"{name} must be a mapping of str to str, got {type(headers).__name__}")
    result: dict[str, str] = {}
    for key, value in headers.items():
        if not isinstance(key, str) or not _HEADER_NAME.match(key):
            raise InvalidArgumentError(f"{name}: {key!r} is not a valid HTTP header name")
        if not isinstance(value, str):
            raise InvalidArgumentTypeError(f"{name}[{key!r}] must be a str, got {type(value).__name__}")
        if any(ch in value for ch in "\r\n\0"):
            raise InvalidArgumentError(f"{name}[{key!r}] must not contain CR, LF or NUL characters")
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            raise InvalidArgumentError(
                f"{name}[{key!r}] has characters HTTP headers cannot carry; percent-encode or base64 it"
            ) from None
        result[key] = value.strip(" \t")
    return result


def non_negative_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgumentTypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < 0:
        raise InvalidArgumentError(f"{name} must be >= 0, got {value}")
    return value


def positive_int(value: object, name: str) -> int:
    number = non_negative_int(value, name)
    if number == 0:
        raise InvalidArgumentError(f"{name} must be >= 1, got 0")
    return number


def duration(value: object, name: str) -> str:
    """'10s' / '5m' / '2h' / '1d' as given; a number of seconds or a timedelta as '<n>s'."""
    if isinstance(value, str):
        if not _DURATION.match(value):
            raise InvalidArgumentError(f"{name} must look like '30s', '5m', '2h' or '1d', got {value!r}")
        return value
    if isinstance(value, dt.timedelta):
        value = value.total_seconds()
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidArgumentTypeError(f"{name} must be a str like '30s', a number of seconds or a timedelta")
    if not math.isfinite(value) or value < 0:
        raise InvalidArgumentError(f"{name} must be >= 0 seconds, got {value}")
    return f"{round(value)}s"


def unix_seconds(value: object, name: str) -> str:
    """An aware datetime or unix seconds -> whole unix seconds as text (the TS client's toFixed(0))."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidArgumentError(
                f"{name} is a naive datetime; pass an aware one (e.g. datetime.now(timezone.utc)) or unix seconds"
            )
        value = value.timestamp()
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidArgumentTypeError(f"{name} must be unix seconds or an aware datetime, got {type(value).__name__}")
    if not math.isfinite(value) or value < 0:
        raise InvalidArgumentError(f"{name} must be >= 0, got {value}")
    return f"{round(value)}"


def unix_millis(value: object, name: str) -> int | None:
    """An aware datetime or unix milliseconds -> unix milliseconds (the TS client's Date.getTime())."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidArgumentError(f"{name} is a naive datetime; pass an aware one or unix milliseconds")
        return round(value.timestamp() * 1000)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgumentTypeError(f"{name} must be unix milliseconds (int) or an aware datetime")
    return value


def body_text(body: Any, name: str = "body") -> str | None:
    """str as-is; bytes as UTF-8; anything else as compact JSON (the TS client's JSON.stringify)."""
    if body is None or isinstance(body, str):
        return body
    if isinstance(body, bytes | bytearray | memoryview):
        try:
            return bytes(body).decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidArgumentError(f"{name} bytes must be UTF-8 text; base64-encode binary data") from None
    try:
        return json.dumps(body, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidArgumentTypeError(f"{name} must be str, bytes or JSON-serialisable: {exc}") from exc


def workflow_state(value: object, name: str = "state") -> str:
    """One of the documented run states; a typo would otherwise silently match no run."""
    text = require_str(value, name)
    if text not in WORKFLOW_STATES:
        raise InvalidArgumentError(f"{name} must be one of {', '.join(WORKFLOW_STATES)}, got {text!r}")
    return text
