"""Pure retry policy: which outcomes are retried and how long to wait before the next attempt.

Better than the TS client (which retries only network errors, without jitter): we also retry 429
(waiting for the reset the headers announce, within a cap) and 502/503/504, with capped
exponential backoff and full jitter.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import attrs

from ._errors import APIConnectionError, APIStatusError, InvalidArgumentTypeError, RateLimitError
from ._validate import non_negative_int, seconds

RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})


def _max_retries(value: object) -> int:
    return non_negative_int(value, "max_retries")


def _initial_delay(value: object) -> float:
    return seconds(value, "initial_delay")


def _max_delay(value: object) -> float:
    return seconds(value, "max_delay")


def _max_rate_limit_wait(value: object) -> float:
    return seconds(value, "max_rate_limit_wait")


@attrs.frozen
class RetryPolicy:
    """``max_retries`` retries after the first attempt (0 disables retrying).

    The n-th retry (n = 0, 1, ...) waits ``min(max_delay, initial_delay * 2**n)`` scaled by a random
    factor in [0.5, 1.0] (jitter), except after a 429 that says when its limit resets: then the wait
    is that time (at most ``max_rate_limit_wait``; a longer wait raises the RateLimitError at once).

    To change the rules, subclass it and override `should_retry` and/or `delay` (decorate the
    subclass with ``@attrs.frozen`` if it adds fields). The client asks ``should_retry`` after each
    failed attempt, then ``delay``, and waits that long unless the wait would end after the call's
    deadline: then it raises the last error instead. Neither method should block or do I/O.

    Attributes:
        max_retries: retries after the first attempt (default 5; 0 disables retrying).
        initial_delay: seconds before the first retry, before jitter (default 0.25).
        max_delay: the longest backoff wait in seconds (default 8).
        max_rate_limit_wait: the longest wait for a 429's reset, in seconds (default 60).
        random: a function returning a float in [0, 1), the jitter source (default
            `random.random`; pass a fixed one for reproducible waits).

    Raises:
        InvalidArgumentError: a negative ``max_retries`` or a negative or non-finite delay.
        InvalidArgumentTypeError: an argument of the wrong type, or a ``random`` that is not callable.
    """

    max_retries: int = attrs.field(default=5, converter=_max_retries)
    initial_delay: float = attrs.field(default=0.25, converter=_initial_delay)
    max_delay: float = attrs.field(default=8.0, converter=_max_delay)
    max_rate_limit_wait: float = attrs.field(default=60.0, converter=_max_rate_limit_wait)
    random: Callable[[], float] = attrs.field(default=random.random, repr=False)

    @random.validator
    def _callable(self, attribute: object, value: object) -> None:
        if not callable(value):
            raise InvalidArgumentTypeError(f"random must be a function returning a float in [0, 1), got {value!r}")

    def should_retry(self, error: Exception, retries_done: int, *, idempotent: bool = True) -> bool:
        """Whether to retry after a failed attempt.

        Retries connection failures, 429 and 502/503/504, up to ``max_retries``. A call that is not
        idempotent is retried only when the server certainly did not act on it (no connection, or a
        429). A 429 whose limit resets later than ``max_rate_limit_wait`` is not retried.

        Args:
            error: the typed error the attempt ended with (a `WorkflowError`, usually an
                `APIConnectionError` or an `APIStatusError`).
            retries_done: how many retries this call has made already (0 after the first attempt).
            idempotent: whether repeating the request is safe (False for a signing-key rotation,
                for example).

        Returns:
            True to try again (after `delay`), False to raise ``error``.
        """
        if retries_done >= self.max_retries:
            return False
        if isinstance(error, RateLimitError):
            return error.retry_after is None or error.retry_after <= self.max_rate_limit_wait
        if isinstance(error, APIConnectionError):
            return idempotent or not error.request_sent
        return idempotent and isinstance(error, APIStatusError) and error.status in RETRYABLE_STATUSES

    def delay(self, error: Exception, retries_done: int) -> float:
        """Seconds to wait before retry number ``retries_done + 1``.

        Args:
            error: the typed error the last attempt ended with; a `RateLimitError` that says when
                its limit resets sets the wait (at most ``max_rate_limit_wait``).
            retries_done: how many retries this call has made already.

        Returns:
            The wait in seconds: ``min(max_delay, initial_delay * 2**retries_done)`` scaled by a
            jitter factor in [0.5, 1.0], or the rate limit's reset time.
        """
        if isinstance(error, RateLimitError) and error.retry_after is not None:
            return min(error.retry_after, self.max_rate_limit_wait)
        backoff = min(self.max_delay, self.initial_delay * 2.0**retries_done)
        jitter: float = self.random()
        return backoff * (0.5 + 0.5 * jitter)
