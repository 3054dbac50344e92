"""The whole-call deadline: one bound on connect, send, every read, all retries and their sleeps.

httpx's timeouts are per operation, so a server that sends its answer one byte a second never trips
them. Each call therefore has a `Deadline`, enforced through public API only, so that it holds for the
httpx clients we create and for an ``http_client`` of your own alike:

- `AsyncClient` cancels the whole call (retries included) when it passes (``anyio.fail_after``);
- `Client`, which cannot interrupt a blocking read, caps each attempt's per-phase timeouts to the time
  left (`Deadline.attempt_timeouts`), checks it between the chunks of the body (`Deadline.check`) and
  never starts a retry, or a wait before one, that would end after it (`Deadline.allows_sleep`). A sync
  call whose server drips the status line and headers is therefore bounded per read only
  (docs/timeouts.md).
"""

from __future__ import annotations

import math
import time

import attrs
import httpx


@attrs.frozen
class Deadline:
    """``at``: the monotonic time the call must be over by (``math.inf``: no bound)."""

    at: float
    seconds: float

    @classmethod
    def start(cls, seconds: float) -> Deadline:
        return cls(time.monotonic() + seconds, seconds)

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def allows_sleep(self, seconds: float) -> bool:
        return time.monotonic() + seconds < self.at

    def attempt_timeouts(self, configured: dict[str, float | None]) -> dict[str, float | None]:
        """httpx's per-phase timeouts for one attempt, none longer than the time left (at least 1 ms,
        so that an expired deadline still fails as a timeout inside httpx rather than hanging)."""
        left = max(self.remaining(), 0.001)
        if math.isinf(left):
            return configured
        return {phase: left if value is None else min(value, left) for phase, value in configured.items()}

    def check(self) -> None:
        """Raise ``httpx.ReadTimeout`` once the deadline has passed."""
        if time.monotonic() >= self.at:
            raise httpx.ReadTimeout("the call's deadline passed")
