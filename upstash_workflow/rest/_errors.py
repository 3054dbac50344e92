"""The error tree. Every error this package raises is a `WorkflowError`.

WorkflowError
├── InvalidArgumentError (also ValueError)      bad input, raised before any request
│   └── InvalidArgumentTypeError (also TypeError)
├── ConfigurationError (also ValueError)        e.g. no token, a token with whitespace, a bad base_url
├── ClientStateError (also RuntimeError)        the client cannot send now
│   └── ClientClosedError                       a call after, or cut short by, close() / aclose()
├── APIConnectionError                          the request did not get an HTTP response
│   └── APITimeoutError
├── APIResponseValidationError                  a 2xx whose body is not what the API documents
│   └── ResponseTooLargeError                   a body over max_response_bytes (decoded)
└── APIStatusError                              a non-2xx response (status, message, body, headers)
    ├── BadRequestError (400 and other 4xx)
    ├── AuthenticationError (401)
    ├── PermissionDeniedError (403, also an AuthenticationError)
    ├── NotFoundError (404)
    ├── RateLimitError (429): limit / remaining / reset
    │   ├── BurstRateLimitError   (Burst-RateLimit-* headers)
    │   ├── DailyRateLimitError   (RateLimit-* headers)
    │   └── ChatRateLimitError    (x-ratelimit-* headers)
    └── ServerError (5xx)

Starting runs adds three direct subclasses of WorkflowError: TriggerRejectedError (QStash refused one
message of a batch; the others were sent), TriggerUnconfirmedError (a 2xx answer that does not
confirm the run: it may or may not have started), both at the end of this module, and
PartialTriggerError (trigger_many: some runs started, some did not or are unconfirmed; in
`_outcomes`, next to the outcomes it carries).

`ResponseShapeWarning` (a UserWarning) is what a call that changed something on the server gives,
instead of an error, for a field of its 2xx answer it cannot read (docs/responses.md).
`RunIdPrefixWarning` (a UserWarning) says a run id given to a call lacks Upstash's ``wfr_`` prefix.

Every error pickles with its fields (`WorkflowError.__reduce__`): bulk triggering often runs in
`multiprocessing` or a `ProcessPoolExecutor`, which pickle what a worker raises.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Mapping
from typing import Any

from ._limits import excerpt

# The public error classes: `upstash_workflow.rest` exports exactly these.
__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BurstRateLimitError",
    "ChatRateLimitError",
    "ClientClosedError",
    "ClientStateError",
    "ConfigurationError",
    "DailyRateLimitError",
    "InvalidArgumentError",
    "InvalidArgumentTypeError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseShapeWarning",
    "ResponseTooLargeError",
    "RunIdPrefixWarning",
    "ServerError",
    "TriggerRejectedError",
    "TriggerUnconfirmedError",
    "WorkflowError",
]

REDACTED = "[REDACTED]"
# A token this short is replaced only where it stands as a whole word: "t" must not turn
# "must be an integer" into "mus[REDACTED] be an in[REDACTED]eger".
SHORT_TOKEN = 8


def redact(text: str, secret: str | None) -> str:
    """``text`` with the token ``secret`` replaced by ``[REDACTED]`` wherever a server echoed it (a
    token shorter than 8 characters only where it stands as a whole word)."""
    if not secret or secret not in text:
        return text
    if len(secret) >= SHORT_TOKEN:
        return text.replace(secret, REDACTED)
    return re.sub(rf"(?<![0-9A-Za-z_]){re.escape(secret)}(?![0-9A-Za-z_])", REDACTED, text)


def redact_json(value: Any, secret: str | None) -> Any:
    """`redact` applied to every string (keys included) of a decoded JSON value."""
    if not secret:
        return value
    if isinstance(value, str):
        return redact(value, secret)
    if isinstance(value, list):
        return [redact_json(item, secret) for item in value]
    if isinstance(value, dict):
        return {redact(str(key), secret): redact_json(item, secret) for key, item in value.items()}
    return value


def _rebuild(cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]) -> BaseException:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class WorkflowError(Exception):
    """Base class of every error raised by upstash_workflow.rest."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception's own pickling calls ``cls(*args)``, which fails for keyword-only fields; this
        # rebuilds the error with its message and every attribute instead.
        return _rebuild, (type(self), self.args, dict(self.__dict__))


class ResponseShapeWarning(UserWarning):
    """A call that changed something on the server got a 2xx answer with a field it cannot read.

    The call did not raise (the server has acted: an exception would invite a retry that acts
    twice); the field reads as None and its raw value is kept (in the result's ``extra``, and in
    ``raw`` here). Also logged on the ``upstash_workflow.rest`` logger.

    Attributes:
        operation: the request, such as ``POST /v2/workflows/dlq/resume``.
        field: the JSON path of the field (``(body)`` for the whole body).
        raw: the value as the server sent it.
    """

    def __init__(self, message: str, *, operation: str = "", field: str = "", raw: Any = None) -> None:
        """The client emits it; you rarely build one yourself.

        Args:
            message: what could not be read, and that the call did not raise.
            operation: the request, such as ``POST /v2/workflows/dlq/resume``.
            field: the JSON path of the field (``(body)`` for the whole body).
            raw: the value as the server sent it (the token redacted).
        """
        super().__init__(message)
        self.operation = operation
        self.field = field
        self.raw = raw

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (type(self), self.args, dict(self.__dict__))


class RunIdPrefixWarning(UserWarning):
    """A run id given to a call does not start with ``wfr_``, as every run id Upstash gives does.

    The id is sent as given (as the TS client sends it), so it matches no run: ``trigger`` prefixes
    the ids it is given (``pay-1`` starts the run ``wfr_pay-1``), the other calls do not. Given
    once per call, for its first such id.

    Attributes:
        run_id: the first run id of the call without the prefix.
        suggestion: that id with the prefix (``wfr_pay-1``).
        run_ids: every run id of the call without the prefix.
    """

    def __init__(self, message: str, *, run_id: str = "", suggestion: str = "", run_ids: tuple[str, ...] = ()) -> None:
        """The client emits it; you rarely build one yourself.

        Args:
            message: which id lacks the prefix, and the id it may have meant.
            run_id: the first run id of the call without the prefix.
            suggestion: that id with the prefix.
            run_ids: every run id of the call without the prefix.
        """
        super().__init__(message)
        self.run_id = run_id
        self.suggestion = suggestion
        self.run_ids = run_ids

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (type(self), self.args, dict(self.__dict__))


class InvalidArgumentError(WorkflowError, ValueError):
    """An argument is invalid; raised before any request is sent.

    Attributes:
        index: for one request of a ``trigger_many`` / ``trigger_stream`` input, its position in
            the input (0-based; the message starts ``requests[<index>]:``); None otherwise.
    """

    index: int | None = None


class InvalidArgumentTypeError(InvalidArgumentError, TypeError):
    """An argument has the wrong type; raised before any request is sent."""


class ConfigurationError(WorkflowError, ValueError):
    """The client is not configured well enough to send a request (for example, no token)."""


class ClientStateError(WorkflowError, RuntimeError):
    """The client cannot send this call (for example an AsyncClient used from another event loop)."""


class ClientClosedError(ClientStateError):
    """A call on a client after ``close()`` / ``aclose()`` (or whose ``http_client`` was closed), or
    one that the client's closing ended while it was in flight (retries included)."""

    def __init__(self, message: str, *, request_sent: bool = False) -> None:
        """The client raises it; you rarely build one yourself.

        Args:
            message: what happened.
            request_sent: whether the call was in flight when the client closed.
        """
        super().__init__(message)
        #: True when the call was in flight: a request may have reached the server (a trigger's runs
        #: may have started; check with ``logs``). False: nothing was sent.
        self.request_sent = request_sent


class APIConnectionError(WorkflowError):
    """The request did not get an HTTP response (connection refused or reset, DNS, TLS, ...).

    The httpx exception is chained as ``__cause__``.

    Attributes:
        method: the request's HTTP method.
        url: the request's URL.
        request_sent: False when the request certainly never reached the server.
    """

    def __init__(self, message: str, *, method: str, url: str, request_sent: bool = True) -> None:
        """The client raises it; you rarely build one yourself.

        Args:
            message: what happened (the httpx error's text).
            method: the request's HTTP method.
            url: the request's URL.
            request_sent: False when the request certainly never reached the server (the
                connection failed); True when it may have.
        """
        super().__init__(message)
        self.method = method
        self.url = url
        #: False when the request certainly never reached the server (the connection failed).
        self.request_sent = request_sent


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool timeout)."""


class APIResponseValidationError(WorkflowError):
    """The server answered 2xx, but the body is not what the API documents.

    Attributes:
        status: the HTTP status code.
        body: the response body text (an excerpt).
    """

    def __init__(self, message: str, *, status: int, body: str) -> None:
        """The client raises it; you rarely build one yourself.

        Args:
            message: what is wrong with the body.
            status: the HTTP status code.
            body: the response body text (an excerpt).
        """
        super().__init__(message)
        self.status = status
        self.body = body


class ResponseTooLargeError(APIResponseValidationError):
    """The decoded response body is larger than the client's ``max_response_bytes``; reading
    stopped there (``body`` is empty)."""


class APIStatusError(WorkflowError):
    """The server answered with a non-2xx status.

    Attributes:
        status: the HTTP status code.
        message: the server's message: the ``error`` field of a JSON body, else the body text
            (``str(error)`` shows at most 2,000 characters of it).
        body: the response body text, at most its first 64 KiB; the client's token is replaced
            by ``[REDACTED]`` wherever the server echoed it (here, in ``message`` and ``headers``).
        headers: the response headers (lower-case names).
    """

    def __init__(
        self, message: str, *, status: int, body: str, headers: Mapping[str, str], summary: str | None = None
    ) -> None:
        """The client raises it; you rarely build one yourself.

        Args:
            message: the server's message.
            status: the HTTP status code.
            body: the response body text.
            headers: the response headers.
            summary: the text ``str(error)`` shows after the status (default: ``message``).
        """
        super().__init__(f"{status}: {excerpt(summary or message)}")
        self.status = status
        self.message = message
        self.body = body
        self.headers = dict(headers)


class BadRequestError(APIStatusError):
    """400, or another 4xx without a more specific class."""


class AuthenticationError(APIStatusError):
    """401: the token is missing or wrong. Check QSTASH_TOKEN."""


class PermissionDeniedError(AuthenticationError):
    """403: the token may not do this."""


class NotFoundError(APIStatusError):
    """404: nothing with that id exists."""


class ServerError(APIStatusError):
    """5xx: the server failed."""


class RateLimitError(APIStatusError):
    """429: a rate limit was hit.

    ``limit``, ``remaining`` and ``reset`` are parsed from the rate-limit headers (None when absent);
    ``reset`` is in unix seconds. ``retry_after`` is the number of seconds to wait, when known
    (``math.inf`` when the server sent an infinite or NaN wait: never retried).

    Attributes:
        limit: the number of requests the limit allows, or None.
        remaining: the requests left in the current window, or None.
        reset: when the limit resets, in unix seconds, or None.
        retry_after: the seconds to wait before trying again, None when unknown, ``math.inf`` when
            the server's wait is infinite or NaN.

    """

    kind = "rate"

    def __init__(
        self,
        message: str,
        *,
        status: int,
        body: str,
        headers: Mapping[str, str],
        limit: int | None = None,
        remaining: int | None = None,
        reset: float | None = None,
        retry_after: float | None = None,
    ) -> None:
        """The client raises it; you rarely build one yourself.

        Args:
            message: the server's message.
            status: the HTTP status code (429).
            body: the response body text.
            headers: the response headers.
            limit: the number of requests the limit allows, or None.
            remaining: the requests left in the current window, or None.
            reset: when the limit resets, in unix seconds, or None.
            retry_after: the seconds to wait before trying again, or None when unknown.
        """
        self.limit = limit
        self.remaining = remaining
        self.reset = reset
        self.retry_after = retry_after
        details = [f"Exceeded {self.kind} limit"]
        if limit is not None:
            details.append(f"limit {limit}")
        if remaining is not None:
            details.append(f"remaining {remaining}")
        if retry_after is not None:
            details.append(f"resets in {retry_after:.0f} s" if math.isfinite(retry_after) else "no usable reset time")
        super().__init__(
            message, status=status, body=body, headers=headers, summary=f"{', '.join(details)}. {message}".strip()
        )


class BurstRateLimitError(RateLimitError):
    """429 with ``Burst-RateLimit-*`` headers: too many requests per second."""

    kind = "burst rate"


class DailyRateLimitError(RateLimitError):
    """429 with ``RateLimit-*`` headers: the daily request quota is used up."""

    kind = "daily rate"


class ChatRateLimitError(RateLimitError):
    """429 with ``x-ratelimit-*`` headers: the LLM chat limit was hit."""

    kind = "chat rate"


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _float_or_none(value: str | None) -> float | None:
    """A finite number from a header, else None ("nan", "inf" and "1e999" say nothing usable)."""
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None


def server_message(body: str) -> str:
    """The ``error`` field of a JSON error body, else the body text itself."""
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        return body.strip()
    if isinstance(parsed, dict) and isinstance(parsed.get("error"), str):
        return str(parsed["error"])
    return body.strip()


def _wait_header(value: str | None) -> float | None:
    """A wait or reset header as a number: None when absent or not a number; infinity when it is a
    number that says no usable time (``inf``, ``nan``, ``1e400``): such a wait is never waited out."""
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    return number if number is None or math.isfinite(number) else math.inf


def seconds_until_reset(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """How long a 429 asks us to wait: Retry-After, else the reset time of the limit that was hit
    (``math.inf`` for an infinite or NaN value: the limit is raised at once, never retried)."""
    retry_after = _wait_header(headers.get("retry-after"))
    if retry_after is not None:
        return max(retry_after, 0.0)
    reset = _wait_header(
        headers.get("burst-ratelimit-reset")
        or headers.get("ratelimit-reset")
        or headers.get("x-ratelimit-reset-requests")
    )
    if reset is None:
        return None
    if math.isinf(reset):
        return math.inf
    now = time.time() if now is None else now
    # QStash sends unix seconds; a small number is already a delay in seconds.
    return max(reset - now, 0.0) if reset > 1_000_000_000 else max(reset, 0.0)


def error_from_response(status: int, headers: Mapping[str, str], body: str) -> APIStatusError:
    """Map one non-2xx response to the most specific error type (the same headers TS reads)."""
    lower = {k.lower(): v for k, v in headers.items()}
    message = server_message(body) or f"HTTP {status}"
    if status == 429:
        wait = seconds_until_reset(lower)
        if "x-ratelimit-limit-requests" in lower:
            return ChatRateLimitError(
                message,
                limit=_int_or_none(lower.get("x-ratelimit-limit-requests")),
                remaining=_int_or_none(lower.get("x-ratelimit-remaining-requests")),
                reset=_float_or_none(lower.get("x-ratelimit-reset-requests")),
                retry_after=wait,
                status=status,
                body=body,
                headers=lower,
            )
        prefix, cls = (
            ("ratelimit-", DailyRateLimitError)
            if "ratelimit-limit" in lower
            else (
                "burst-ratelimit-",
                BurstRateLimitError,
            )
        )
        return cls(
            message,
            limit=_int_or_none(lower.get(prefix + "limit")),
            remaining=_int_or_none(lower.get(prefix + "remaining")),
            reset=_float_or_none(lower.get(prefix + "reset")),
            retry_after=wait,
            status=status,
            body=body,
            headers=lower,
        )
    by_status: dict[int, type[APIStatusError]] = {
        400: BadRequestError,
        401: AuthenticationError,
        403: PermissionDeniedError,
        404: NotFoundError,
    }
    cls_for_status = by_status.get(status) or (ServerError if status >= 500 else BadRequestError)
    return cls_for_status(message, status=status, body=body, headers=lower)


# ------------------------------------------------------------------------------------ runs of a batch


def own_copy(error: WorkflowError) -> WorkflowError:
    """A fresh copy of ``error`` (its message, fields and cause) for one more caller: raising one
    instance for many callers would grow its traceback with each raise."""
    import copy

    mine = copy.copy(error)
    mine.__cause__, mine.__context__ = error.__cause__, error.__context__
    mine.__suppress_context__ = error.__suppress_context__
    return mine


def _server_text(text: str, secret: str | None) -> str:
    """A text a server sent inside a 2xx answer, as an error shows it: the token redacted, capped
    like every other server message."""
    return excerpt(redact(text, secret))


class TriggerRejectedError(WorkflowError):
    """QStash accepted the batch request but not this run's message: its answer entry for the
    message was ``{"error": ...}`` (the other messages of the batch were still sent).

    Attributes:
        message: the server's error text.
        workflow_run_id: the run that did not start.
        answer: the answer entry, as decoded JSON.
    """

    def __init__(
        self, message: str, *, workflow_run_id: str, answer: Mapping[str, object], secret: str | None = None
    ) -> None:
        """The client raises it; you rarely build one yourself.

        Args:
            message: the server's error text (capped at 2,000 characters).
            workflow_run_id: the run that did not start.
            answer: the answer entry, as decoded JSON.
            secret: the client's token, replaced by ``[REDACTED]`` in ``message`` and ``answer``.
        """
        message = _server_text(message, secret)
        super().__init__(f"QStash did not start run {workflow_run_id}: {message}")
        self.message = message
        self.workflow_run_id = workflow_run_id
        self.answer = redact_json(dict(answer), secret)


class TriggerUnconfirmedError(WorkflowError):
    """The server answered the batch request with a 2xx, but its answer does not confirm this run:
    no entry can be matched to the run's message (fewer or more entries than messages, an empty
    body, an object where a list belongs). The run may or may not have started; triggering it again
    with the same ``workflow_run_id`` is safe (ids deduplicate). Its outcome's status is
    ``"unknown"``.

    Attributes:
        reason: why the answer confirms nothing for this run.
        workflow_run_id: the run's id.
        answer: the whole decoded answer (None for an empty body), shared by the runs of the batch;
            the caller passes it with the token already redacted (`redact_json`), once per batch.
    """

    def __init__(self, reason: str, *, workflow_run_id: str, answer: object = None, secret: str | None = None) -> None:
        """The client raises it; you rarely build one yourself.

        Args:
            reason: why the answer confirms nothing for this run (capped at 2,000 characters).
            workflow_run_id: the run's id.
            answer: the whole decoded answer, its token already redacted (None: an empty body).
            secret: the client's token, replaced by ``[REDACTED]`` in ``reason``.
        """
        reason = _server_text(reason, secret)
        super().__init__(f"run {workflow_run_id} is unconfirmed: {reason}")
        self.reason = reason
        self.workflow_run_id = workflow_run_id
        self.answer = answer
