"""What a builder returns: a `Call` (one request, a known answer, or the batches of a
``trigger_many``), and how a response to one request becomes its result or typed error (`read_body`).
Pure: the I/O cores in `_client` carry calls out."""

from __future__ import annotations

import json
import logging
import time
import warnings
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeAlias, TypeVar

import attrs

from ._batching import Batch
from ._deadline import Deadline
from ._errors import (
    REDACTED,
    APIResponseValidationError,
    ResponseShapeWarning,
    error_from_response,
    redact,
    redact_json,
)
from ._limits import excerpt
from ._outcomes import TriggerOutcome
from ._results import ResponseShapeError, reading
from ._validate import caller_stacklevel

__all__ = [
    "REDACTED",
    "Call",
    "KnownResult",
    "SendBatches",
    "SendRepeated",
    "SendRequest",
    "ignore_body",
    "read_body",
]

logger = logging.getLogger("upstash_workflow.rest")

T = TypeVar("T")


@attrs.frozen
class SendRequest(Generic[T]):
    """A call made of one HTTP request.

    ``request`` holds httpx.request() keyword arguments from the generated ``_get_kwargs`` (method,
    relative url, params, headers, json/content); ``parse`` turns the decoded JSON body into the
    result. ``idempotent`` is False for calls that must not be repeated once the server may have
    acted on them. ``mergeable``: a lone ``trigger``, whose run `AsyncClient` may send in one batch
    request with the other triggers of the moment. ``also_success``: statuses outside 2xx that the
    operation's documentation gives for success (they are never followed as redirects).
    """

    request: dict[str, Any]
    parse: Callable[[Any], T]
    idempotent: bool = True
    mergeable: Mergeable[T] | None = None
    also_success: frozenset[int] = frozenset()


@attrs.frozen
class Mergeable(Generic[T]):
    """A trigger's batch, and how its runs' outcomes (however they were sent) become the result."""

    batch: Batch
    result: Callable[[list[TriggerOutcome]], T]


@attrs.frozen
class KnownResult(Generic[T]):
    """A call whose answer is known without asking the server (an empty id list cancels nothing)."""

    result: T


@attrs.frozen
class SendBatches(Generic[T]):
    """A call that starts runs in several ``POST /v2/batch`` requests (`_sending` sends them): the
    client sends every batch, then ``combine``s the runs' outcomes, in input order, into the result."""

    batches: tuple[Batch, ...]
    combine: Callable[[list[TriggerOutcome]], T]


@attrs.frozen
class SendRepeated(Generic[T]):
    """A call that sends the same request again while ``again(result)`` says so, at most ``rounds``
    times and within the client's deadline for the whole call (``cancel(..., until_done=True)``);
    ``combine`` turns the rounds' results, and whether the bounds stopped it early, into the result."""

    request: SendRequest[T]
    again: Callable[[T], bool]
    combine: Callable[[list[T], bool], T]
    rounds: int


class Rounds(Generic[T]):
    """The stopping rule of a `SendRepeated` call, shared by the sync and async clients' loops:
    ``while (limit := rounds.next_limit()) is not None`` send with that time limit and ``record`` the
    result; `combine` makes the call's result. A round is not started when the time left is shorter
    than the last round took: it would likely be cut short, and a result that says more may remain
    is better than a timeout error."""

    def __init__(self, call: SendRepeated[T], deadline: Deadline) -> None:
        self.call, self.deadline = call, deadline
        self.results: list[T] = []
        self.began = self.took = 0.0
        self.finished = False  # a round's result said there is nothing more to do

    def next_limit(self) -> float | None:
        """The time limit of the next round, or None: no round is to be sent."""
        if self.finished or len(self.results) >= self.call.rounds:
            return None
        if self.results and self.deadline.remaining() <= self.took:
            return None
        self.began = time.monotonic()
        return self.deadline.remaining()

    def record(self, result: T) -> None:
        self.took = time.monotonic() - self.began
        self.results.append(result)
        self.finished = not self.call.again(result)

    def combine(self) -> T:
        """The call's result; stopped early (more may remain) unless a round found nothing more."""
        return self.call.combine(self.results, not self.finished)


# One planned operation: what a builder returns and a client's ``_execute`` carries out.
Call: TypeAlias = SendRequest[T] | KnownResult[T] | SendBatches[T] | SendRepeated[T]


def ignore_body(data: Any) -> None:
    """The parse of an action whose answer carries nothing to read (flow-control actions, cancelling
    a failure callback): its body is not even decoded, as in TS."""
    return None


def is_mutation(call: SendRequest[Any]) -> bool:
    """Whether the call changes something on the server: every operation but a GET does."""
    return str(call.request.get("method", "GET")).upper() != "GET"


def runs_started(call: Call[Any]) -> int | None:
    """How many runs ``call`` starts (None: it starts none), for its span's attributes."""
    if isinstance(call, SendBatches):
        return sum(len(batch.entries) for batch in call.batches)
    if isinstance(call, SendRequest) and call.mergeable is not None:
        return len(call.mergeable.batch.entries)
    return None


def read_body(
    call: SendRequest[T], status: int, headers: Mapping[str, str], content: bytes, secret: str | None = None
) -> T:
    """A 2xx body -> the result; anything else -> the matching APIStatusError (nothing retried here).
    ``secret`` (the token) is replaced by ``[REDACTED]`` in any body, header or 2xx error text an
    error carries.

    Only what the server sent is blamed on the server: for a read, a body that is not JSON, or JSON
    that breaks the response contract (`_results.ResponseShapeError`), becomes
    `APIResponseValidationError`. A call that changed something on the server (`is_mutation`) never
    raises for a 2xx body: what fits is read, the rest reads as None with its raw value kept, and
    each unreadable field gives one `ResponseShapeWarning` (retrying after an exception would act
    twice). Any other exception is a bug in this client and is not disguised as a server fault.
    """
    if not (200 <= status < 300 or status in call.also_success):
        body = _redact(_text(content), secret)
        clean = {k: _redact(val, secret) for k, val in headers.items()}
        raise error_from_response(status, clean, body)
    if call.parse is ignore_body:
        return call.parse(None)
    lenient = is_mutation(call)
    with reading(lenient, secret) as state:
        try:
            # Bytes straight to json.loads: httpx's Response.text looks the charset up header by
            # header, which cost more than the rest of the call's own work.
            data = json.loads(content, parse_constant=_no_constant) if content else None
        except RecursionError:
            if not lenient:
                raise _unreadable(call, status, content, secret, "it is nested too deeply to decode") from None
            state.problems.append(("(body)", _text(content), "is nested too deeply to decode"))
            data = None
        except ValueError as exc:  # also UnicodeDecodeError
            if not lenient:
                raise _unreadable(call, status, content, secret, f"it is not JSON ({exc})") from exc
            state.problems.append(("(body)", _text(content), "is not JSON"))
            data = None
        try:
            result = call.parse(data)
        except ResponseShapeError as exc:
            if not lenient:
                raise _unreadable(call, status, content, secret, str(exc)) from exc
            state.problems.append((exc.field or "(body)", data, exc.problem))
            result = _keep_raw(call.parse(None), data)  # null reads as absent: an empty result
        finally:  # also when the parse raised a trigger's own error (its run unconfirmed, say)
            for field, raw, problem in state.problems:
                _warn(call, redact(field, secret), redact_json(raw, secret), redact(problem, secret))
            state.problems.clear()
    if lenient and (error := _error_text(result)):
        # TS types an `error` on some 2xx answers (DLQ delete, retry failure function): kept, not raised.
        _warn(call, "error", redact(error, secret), f"says {excerpt(redact(error, secret), 200)!r}")
    return result


def _error_text(result: Any) -> str | None:
    """The non-empty ``error`` text a 2xx result carries (an attribute, or kept in ``extra``)."""
    error = getattr(result, "error", None)
    if error is None and isinstance(extra := getattr(result, "extra", None), dict):
        error = extra.get("error")
    return error if isinstance(error, str) and error else None


def _keep_raw(result: T, raw: Any) -> T:
    """An empty result that keeps the whole unreadable body in ``extra["(body)"]`` when it can."""
    if attrs.has(type(result)) and isinstance(getattr(result, "extra", None), dict):
        return attrs.evolve(result, extra={"(body)": raw})  # type: ignore[misc]
    return result


def _warn(call: SendRequest[Any], field: str, raw: Any, problem: str) -> None:
    operation = _operation(call)
    kept = "it is kept (extra)" if field == "error" else "it reads as None and its raw value is kept (extra)"
    message = f"{operation}: the server answered 2xx and acted, but {field} {excerpt(problem, 300)}; {kept}"
    logger.warning("%s", message)
    warning = ResponseShapeWarning(message, operation=operation, field=field, raw=raw)
    warnings.warn(warning, stacklevel=caller_stacklevel())


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _unreadable(
    call: SendRequest[Any], status: int, content: bytes, secret: str | None, reason: str
) -> APIResponseValidationError:
    body = _redact(_text(content), secret)
    return APIResponseValidationError(
        f"{_operation(call)}: the server answered {status} with a body this client cannot read "
        f"({_redact(excerpt(reason, 500), secret)}): {excerpt(body, 200)!r}",
        status=status,
        body=body,
    )


def _operation(call: SendRequest[Any]) -> str:
    """``DELETE /v2/workflows/runs``: the operation a call makes, from its planned request."""
    method, url = str(call.request.get("method", "")).upper(), str(call.request.get("url", "")).split("?")[0]
    return f"{method} {url}" if method and url else "the request"


def _redact(text: str, secret: str | None) -> str:
    return redact(text, secret)


def _text(content: bytes) -> str:
    return content.decode("utf-8", errors="replace")


def batch_call(batch: Batch, result: Callable[[list[TriggerOutcome]], T], *, mergeable: bool = False) -> SendRequest[T]:
    """``batch`` as a call answering ``result(outcomes)``. ``mergeable``: a lone ``trigger``, which
    AsyncClient may send in one request with the other triggers of the moment."""
    request = batch.request()
    assert request is not None, "a batch with nothing to send"  # its builder raised for invalid input
    return SendRequest(
        request=request,
        parse=lambda data: result(batch.outcomes(data)),
        mergeable=Mergeable(batch, result) if mergeable else None,
    )
