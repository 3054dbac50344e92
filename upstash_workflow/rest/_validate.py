"""Pure argument checks and conversions. Each raises InvalidArgumentError (a ValueError) or
InvalidArgumentTypeError (a TypeError) with a message that says what to pass instead."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import sys
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, TypeVar, get_args
from urllib.parse import urlsplit

from ._errors import InvalidArgumentError, InvalidArgumentTypeError, RunIdPrefixWarning

T = TypeVar("T")

_LABEL = re.compile(r"[a-zA-Z0-9\-_.]+")
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_DURATION = re.compile(r"[0-9]+[smhd]")  # not \d: it also matches other scripts' digits
_WHITESPACE = re.compile(r"[\r\n\t ]")
# One rule for every string that becomes a header, a query value or a path: no C0/C1 control
# characters (CR, LF, NUL, ESC, DEL, ...) and no lone surrogates (they cannot be sent as UTF-8).
# TAB is the one control character allowed: HTTP allows it in header values, the TS client sends it,
# and query values and paths carry it percent-encoded. Header values may also hold bytes 0x80-0x9f
# (HTTP's obs-text, which fetch sends too). Stricter patterns (labels, keys, durations, URLs) refuse
# it anyway. Checks use fullmatch/search, never ``$``, which also matches before a trailing newline.
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")
_UNSAFE_IN_HEADER_VALUE = re.compile("[\x00-\x08\x0a-\x1f\x7f\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")

RUN_ID_PREFIX = "wfr_"  # every run id Upstash gives starts with it (trigger adds it to the ids it is given)
_PACKAGE = __name__.rpartition(".")[0]

WorkflowState = Literal["RUN_STARTED", "RUN_SUCCESS", "RUN_FAILED", "RUN_CANCELED"]
WorkflowState.__doc__ = "The run states QStash reports and the logs ``state`` filter accepts."
WORKFLOW_STATES: tuple[str, ...] = get_args(WorkflowState)


def _refuse_unsafe(text: str, name: str, pattern: re.Pattern[str] = _UNSAFE) -> str:
    if (found := pattern.search(text)) is not None:
        what = "a lone surrogate" if _SURROGATE.match(found.group()) else "a control character"
        raise InvalidArgumentError(f"{name} must not contain {what} ({found.group()!r} at position {found.start()})")
    return text


def _require_type_str(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise InvalidArgumentTypeError(f"{name} must be a str, got {type(value).__name__}")
    return value


def _shown(text: str) -> str:
    """``text`` for a message: as it is when printable, else with its escapes (no raw newlines)."""
    return text if text.isprintable() else repr(text)[1:-1]


def require_str(value: object, name: str) -> str:
    """A str that is safe in a header, query or path (see `_UNSAFE`)."""
    return _refuse_unsafe(_require_type_str(value, name), name)


def optional_str(value: object, name: str) -> str | None:
    return None if value is None else require_str(value, name)


def _items(value: object, name: str) -> list[object]:
    """A str or a sequence of them, as a list (wrong types refused, never sent as their repr)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence | set | frozenset) and not isinstance(value, bytes | bytearray):
        return list(value)
    raise InvalidArgumentTypeError(f"{name} must be a str or a list of str, got {type(value).__name__}")


def require_id(value: object, label: str) -> str:
    """A non-empty id (the TS client's assertNonEmptyId, with the same labels)."""
    text = require_str(value, label)
    if not text:
        raise InvalidArgumentError(f"{label} cannot be empty")
    return text


def id_list(value: object, label: str) -> list[str]:
    """A str or a sequence of str -> a list of non-empty ids (may be empty)."""
    return [require_id(item, label) for item in _items(value, f"{label}s")]


def str_list(value: str | Sequence[str] | None, name: str) -> list[str] | None:
    """Filter values: a str or a non-empty list of str, as repeated query keys."""
    if value is None:
        return None
    items = _items(value, name)
    if not items:
        raise InvalidArgumentError(
            f"Empty array provided for filter field '{name}'. If you intend to target all records, "
            "use all=True explicitly."
        )
    return [require_str(item, name) for item in items]


def require_url(value: object, name: str) -> str:
    url = require_str(value, name)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise InvalidArgumentError(f"{name} is not a valid URL ({exc}): {url!r}") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidArgumentError(
            f"{name} must be an absolute http(s) URL like 'https://my-app.com/api/wf', got {url!r}"
        )
    if _WHITESPACE.search(url):
        raise InvalidArgumentError(f"{name} must not contain whitespace, got {url!r}")
    return url


def check_label(value: object) -> str:
    value = _require_type_str(value, "label")
    if not _LABEL.fullmatch(value):
        raise InvalidArgumentError(
            f'Invalid label "{_shown(value)}": must be alphanumeric, hyphen, underscore, or period.'
        )
    return value


def serialize_labels(label: str | Sequence[str] | None) -> str | None:
    if label is None:
        return None
    labels = _items(label, "label")
    if not labels:
        raise InvalidArgumentError("Invalid label: label array must not be empty.")
    return ",".join(check_label(item) for item in labels)


def check_flow_control_key(key: object) -> str:
    text = _require_type_str(key, "flow control key")
    if not _LABEL.fullmatch(text):
        raise InvalidArgumentError(
            f'Invalid flow control key "{_shown(text)}": must be alphanumeric, hyphen, underscore, or period.'
        )
    return text


def header_map(headers: object, name: str = "headers") -> dict[str, str]:
    """User headers: names must be HTTP tokens, values single-line Latin-1 text (as fetch requires).
    Values lose leading and trailing spaces and tabs, as fetch's ``Headers`` (and so the TS client)
    strips them; HTTP gives them no meaning."""
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise InvalidArgumentTypeError(f"{name} must be a mapping of str to str, got {type(headers).__name__}")
    result: dict[str, str] = {}
    for key, value in headers.items():
        if not isinstance(key, str) or not _HEADER_NAME.fullmatch(key):
            raise InvalidArgumentError(f"{name}: {key!r} is not a valid HTTP header name")
        if not isinstance(value, str):
            raise InvalidArgumentTypeError(f"{name}[{key!r}] must be a str, got {type(value).__name__}")
        _refuse_unsafe(value, f"{name}[{key!r}]", _UNSAFE_IN_HEADER_VALUE)
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            raise InvalidArgumentError(
                f"{name}[{key!r}] has characters HTTP headers cannot carry; percent-encode or base64 it"
            ) from None
        result[key] = value.strip(" \t")
    return result


def header_name(value: object, name: str) -> str:
    text = require_str(value, name)
    if not _HEADER_NAME.fullmatch(text):
        raise InvalidArgumentError(f"{name}: {text!r} is not a valid HTTP header name")
    return text


def instance_of(value: object, cls: type[T], name: str) -> T:
    """``value`` itself when it is a ``cls`` (say, FlowControl rather than a dict of its fields)."""
    if not isinstance(value, cls):
        raise InvalidArgumentTypeError(f"{name} must be a {cls.__name__}, got {type(value).__name__}")
    return value


def boolean(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgumentTypeError(f"{name} must be True or False, got {type(value).__name__}")
    return value


def seconds(value: object, name: str, *, allow_zero: bool = True, allow_inf: bool = False) -> float:
    """A number of seconds: finite (or inf when allowed), not negative, not NaN, not a bool."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidArgumentTypeError(f"{name} must be a number of seconds, got {type(value).__name__}")
    number = float(value)
    if math.isnan(number) or number < 0 or (number == 0 and not allow_zero) or (math.isinf(number) and not allow_inf):
        bound = ">= 0" if allow_zero else "> 0"
        raise InvalidArgumentError(f"{name} must be a {'' if allow_inf else 'finite '}number {bound}, got {value!r}")
    return number


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
        if not _DURATION.fullmatch(value):
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
    if body is None:
        return None
    if isinstance(body, str):
        if _SURROGATE.search(body):
            raise InvalidArgumentError(f"{name} has a lone surrogate, which cannot be sent as UTF-8 text")
        return body
    if isinstance(body, bytes | bytearray | memoryview):
        try:
            return bytes(body).decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidArgumentError(f"{name} bytes must be UTF-8 text; base64-encode binary data") from None
    try:
        text = json.dumps(body, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except RecursionError:
        raise InvalidArgumentError(f"{name} is nested too deeply to serialise as JSON") from None
    except (TypeError, ValueError) as exc:
        raise InvalidArgumentTypeError(f"{name} must be str, bytes or JSON-serialisable: {exc}") from exc
    return body_text(text, name)


def workflow_state(value: object, name: str = "state") -> str:
    """One of the documented run states; a typo would otherwise silently match no run."""
    text = require_str(value, name)
    if text not in WORKFLOW_STATES:
        raise InvalidArgumentError(f"{name} must be one of {', '.join(WORKFLOW_STATES)}, got {text!r}")
    return text


def caller_stacklevel() -> int:
    """The ``stacklevel`` that makes a warning raised by the caller of this function point at the
    first frame outside this package: the user's call (the generated method, the builder and the
    helpers between differ from call to call)."""
    level, frame = 2, sys._getframe(2)
    while frame.f_back is not None and frame.f_globals.get("__name__", "").startswith(_PACKAGE):
        level, frame = level + 1, frame.f_back
    return level


def unprefixed(run_ids: Iterable[str]) -> tuple[str, ...]:
    """The run ids without ``wfr_``, each once, in order (the library warns about them, the CLI hints)."""
    return tuple(dict.fromkeys(run_id for run_id in run_ids if not run_id.startswith(RUN_ID_PREFIX)))


def warn_unprefixed(run_ids: Iterable[str]) -> None:
    """One `RunIdPrefixWarning` for the call when any of its (checked) run ids lacks ``wfr_``.

    The ids are sent as given, as the TS client sends them (only trigger adds the prefix): such an
    id matches no run, and the warning says which id was probably meant."""
    missing = unprefixed(run_ids)
    if not missing:
        return
    first, suggestion = missing[0], RUN_ID_PREFIX + missing[0]
    message = (
        f"run id {first!r} does not start with {RUN_ID_PREFIX!r}: Upstash run ids do; did you mean {suggestion!r}?"
    )
    if len(missing) > 1:
        message += f" ({len(missing) - 1} more run id(s) of this call lack it too)"
    warning = RunIdPrefixWarning(message, run_id=first, suggestion=suggestion, run_ids=missing)
    warnings.warn(warning, stacklevel=caller_stacklevel())
