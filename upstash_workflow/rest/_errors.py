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

Starting runs adds two direct subclasses of WorkflowError: TriggerRejectedError (QStash refused one
message of a batch; the others were sent; at the end of this module) and PartialTriggerError
(trigger_many: some runs started, some did not; in `_outcomes`, next to the outcomes it carries).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Mapping

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
    "ResponseTooLargeError",
    "ServerError",
    "TriggerRejectedError",
    "WorkflowError",
]


class WorkflowError(Exception):
    """Base class of every error raised by upstash_workflow.rest."""


class InvalidArgumentError(WorkflowError, ValueError):
    """An argument is invalid; raised before any request is sent."""


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
        super().__init__(message)
        #: True when the call was in flight: a request may have reached the server (a trigger's runs
        #: may have started; check with ``logs``). False: nothing was sent.
        self.request_sent = request_sent


class APIConnectionError(WorkflowError):
    """The request did not get an HTTP response (connection refused or reset, DNS, TLS, ...).

    The httpx exception is chained as ``__cause__``.
    """

    def __init__(self, message: str, *, method: str, url: str, request_sent: bool = True) -> None:
        super().__init__(message)
        self.method = method
        self.url = url
        #: False when the request certainly never reached the server (the connection failed).
        self.request_sent = request_sent


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool timeout)."""


class APIResponseValidationError(WorkflowError):
    """The server answered 2xx, but the body is not what the API documents."""

    def __init__(self, message: str, *, status: int, body: str) -> None:
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
    ``reset`` is in unix seconds. ``retry_after`` is the number of seconds to wait, when known.
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
            details.append(f"resets in {retry_after:.0f} s")
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


def seconds_until_reset(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """How long a 429 asks us to wait: Retry-After, else the reset time of the limit that was hit."""
    retry_after = _float_or_none(headers.get("retry-after"))
    if retry_after is not None:
        return max(retry_after, 0.0)
    reset = _float_or_none(
        headers.get("burst-ratelimit-reset")
        or headers.get("ratelimit-reset")
        or headers.get("x-ratelimit-reset-requests")
    )
    if reset is None:
        return None
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


class TriggerRejectedError(WorkflowError):
    """QStash accepted the batch request but not this run's message: its answer entry for the
    message was ``{"error": ...}`` (the other messages of the batch were still sent).

    Attributes:
        message: the server's error text.
        workflow_run_id: the run that did not start.
        answer: the answer entry, as decoded JSON.
    """

    def __init__(self, message: str, *, workflow_run_id: str, answer: Mapping[str, object]) -> None:
        super().__init__(f"QStash did not start run {workflow_run_id}: {message}")
        self.message = message
        self.workflow_run_id = workflow_run_id
        self.answer = dict(answer)
