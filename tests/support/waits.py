"""Retry waits recorded instead of slept, through RetryPolicy's documented extension point."""

from __future__ import annotations

import attrs

from upstash_workflow.rest import RetryPolicy


@attrs.frozen
class RecordingPolicy(RetryPolicy):
    """The default rules; each wait the policy computes is appended to ``waits`` and 0 returned, so
    the client retries at once. The deadline check still runs (on the 0): a retry that would start
    after the deadline is refused, its computed wait then recorded all the same."""

    waits: list[float] = attrs.field(factory=list, repr=False)

    def delay(self, error: Exception, retries_done: int) -> float:
        self.waits.append(super().delay(error, retries_done))
        return 0.0
