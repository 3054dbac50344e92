"""LocalQStash's flow control and signing keys, without HTTP.

A run published with ``Upstash-Flow-Control-Key`` / ``-Value`` creates or updates its key. It is
admitted (counts toward the key's parallelism and rate) when the key is not paused and below both
limits, otherwise it waits in the key's wait list; deliveries of waiting runs are held until they are
admitted. A run leaves the key's parallelism when it stops running (cancelled, failed into the DLQ).
A pinned parallelism or rate wins over what incoming messages carry. The caller holds ``lock`` (the
QStashState lock) around every call that changes state; nothing here calls back into it.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable
from typing import Any

import attrs

GLOBAL_PARALLELISM_MAX = 1000
DEFAULT_RATE_PERIOD = 1  # seconds, QStash's default when a rate has no period
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_PERIOD = re.compile(r"(\d+)([smhd]?)")


def parse_period(text: str) -> int:
    """``"1m"`` -> 60, ``"30"`` -> 30 (seconds)."""
    match = _PERIOD.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"invalid period {text!r}")
    return int(match.group(1)) * _UNITS[match.group(2) or "s"]


def parse_value(value: str) -> dict[str, int]:
    """``"parallelism=3, rate=10, period=1m"`` -> {"parallelism": 3, "rate": 10, "period": 60};
    unknown or malformed parts are ignored, as the configuration is advisory here."""
    config: dict[str, int] = {}
    for part in value.split(","):
        name, _, text = part.strip().partition("=")
        try:
            if name == "period":
                config[name] = parse_period(text)
            elif name in ("parallelism", "rate"):
                config[name] = int(text)
        except ValueError:
            continue
    return config


@attrs.define
class FlowControlKey:
    key: str
    parallelism_max: int = 0  # 0: no limit
    rate_max: int = 0
    rate_period: int = DEFAULT_RATE_PERIOD
    rate_period_start: int = 0  # unix seconds
    rate_count: int = 0
    paused: bool = False
    pinned_parallelism: bool = False
    pinned_rate: bool = False
    running: list[str] = attrs.field(factory=list)  # admitted run ids still running
    waiting: list[str] = attrs.field(factory=list)  # the wait list, oldest first

    def to_json(self) -> dict[str, Any]:
        return {
            "flowControlKey": self.key,
            "waitListSize": len(self.waiting),
            "parallelismMax": self.parallelism_max,
            "parallelismCount": len(self.running),
            "rateMax": self.rate_max,
            "rateCount": self.rate_count,
            "ratePeriod": self.rate_period,
            "ratePeriodStart": self.rate_period_start,
            "isPaused": self.paused,
            "isPinnedParallelism": self.pinned_parallelism,
            "isPinnedRate": self.pinned_rate,
        }


class FlowControlState:
    def __init__(self, clock: Callable[[], float], lock: threading.RLock) -> None:
        self._clock = clock
        self._lock = lock
        self.keys: dict[str, FlowControlKey] = {}
        # Called with a run id when a waiting run is admitted (LocalQStash delivers it then).
        self.on_admit: Callable[[str], None] | None = None

    # ------------------------------------------------------------------------------------ runs

    def publish(self, run_id: str, key: str | None, value: str | None) -> bool:
        """Register a new (or re-run) run; True when it is held in its key's wait list."""
        if not key:
            return False
        with self._lock:
            entry = self._key(key)
            config = parse_value(value or "")
            if not entry.pinned_parallelism and "parallelism" in config:
                entry.parallelism_max = config["parallelism"]
            if not entry.pinned_rate and "rate" in config:
                entry.rate_max = config["rate"]
                entry.rate_period = config.get("period", DEFAULT_RATE_PERIOD)
            entry.waiting.append(run_id)
            self._drain(entry, notify=False)
            return run_id in entry.waiting

    def release(self, run_id: str) -> None:
        """The run stopped running (cancelled, failed): it frees its key's parallelism."""
        with self._lock:
            for entry in self.keys.values():
                if run_id in entry.running or run_id in entry.waiting:
                    entry.running = [r for r in entry.running if r != run_id]
                    entry.waiting = [r for r in entry.waiting if r != run_id]
                    self._drain(entry)

    def is_held(self, run_id: str) -> bool:
        with self._lock:
            return any(run_id in entry.waiting for entry in self.keys.values())

    def running_count(self) -> int:
        with self._lock:
            return sum(len(entry.running) for entry in self.keys.values())

    # ------------------------------------------------------------------------------ management

    def list_keys(self, search: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            for entry in self.keys.values():
                self._drain(entry)
            return [e.to_json() for k, e in sorted(self.keys.items()) if not search or search in k]

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            entry = self.keys.get(key)
            if entry is None:
                return None
            self._drain(entry)
            return entry.to_json()

    def pause(self, key: str) -> None:
        with self._lock:
            self._key(key).paused = True

    def resume(self, key: str) -> None:
        with self._lock:
            entry = self._key(key)
            entry.paused = False
            self._drain(entry)

    def pin(self, key: str, parallelism: int | None, rate: int | None, period: int | None) -> None:
        if parallelism is None and rate is None and period is None:
            return  # nothing to pin (the client refuses such a call before sending it)
        with self._lock:
            entry = self._key(key)
            if parallelism is not None:
                entry.parallelism_max, entry.pinned_parallelism = parallelism, True
            if rate is not None or period is not None:
                entry.rate_max = entry.rate_max if rate is None else rate
                entry.rate_period = entry.rate_period if period is None else period
                entry.pinned_rate = True
            self._reset_rate(entry)  # pinning resets the rate state, as QStash documents

    def unpin(self, key: str, parallelism: bool, rate: bool) -> None:
        if not parallelism and not rate:
            return  # nothing to unpin (the client refuses such a call before sending it)
        with self._lock:
            entry = self._key(key)
            # The pinned values stay in force until a message brings another configuration.
            entry.pinned_parallelism = entry.pinned_parallelism and not parallelism
            entry.pinned_rate = entry.pinned_rate and not rate

    def reset_rate(self, key: str) -> None:
        with self._lock:
            self._reset_rate(self._key(key))

    def global_parallelism(self) -> dict[str, int]:
        return {"parallelismMax": GLOBAL_PARALLELISM_MAX, "parallelismCount": self.running_count()}

    # -------------------------------------------------------------------------------- internals

    def _key(self, key: str) -> FlowControlKey:
        entry = self.keys.get(key)
        if entry is None:
            entry = self.keys[key] = FlowControlKey(key, rate_period_start=int(self._clock()))
        return entry

    def _reset_rate(self, entry: FlowControlKey) -> None:
        entry.rate_count, entry.rate_period_start = 0, int(self._clock())
        self._drain(entry)

    def _drain(self, entry: FlowControlKey, *, notify: bool = True) -> None:
        """Admit waiting runs while the key is open and below its limits (oldest first)."""
        now = int(self._clock())
        if entry.rate_max and now >= entry.rate_period_start + max(entry.rate_period, 1):
            entry.rate_count, entry.rate_period_start = 0, now
        while entry.waiting and not entry.paused:
            if entry.parallelism_max and len(entry.running) >= entry.parallelism_max:
                return
            if entry.rate_max and entry.rate_count >= entry.rate_max:
                return
            run_id = entry.waiting.pop(0)
            entry.running.append(run_id)
            entry.rate_count += 1 if entry.rate_max else 0  # only a rate has periods to count in
            if notify and self.on_admit is not None:
                self.on_admit(run_id)


class SigningKeyState:
    """The current and next signing keys (random ones where not given): deliveries are signed with
    ``current``, ``GET /v2/keys`` reports both, ``rotate`` moves next to current and makes a new next.

    Args:
        current: the current signing key (random when None).
        next: the next signing key (random when None).

    Raises:
        ValueError: a key given is empty or has surrounding spaces.
    """

    def __init__(self, current: str | None = None, next: str | None = None) -> None:
        for name, key in (("signing_key", current), ("next_signing_key", next)):
            if key is not None and (not isinstance(key, str) or not key.strip() or key != key.strip()):
                raise ValueError(f"{name} must be a non-empty string without surrounding spaces, got {key!r}")
        self._lock = threading.Lock()
        self.current = current or _new_key()
        self.next = next or _new_key()

    def signing_key(self) -> str:
        """The key deliveries are signed with now (QStash signs with the current key; endpoints try
        current, then next).

        Returns:
            The current key.
        """
        with self._lock:
            return self.current

    def to_json(self) -> dict[str, str]:
        """Both keys, as ``GET /v2/keys`` answers them.

        Returns:
            ``{"current": ..., "next": ...}``.
        """
        with self._lock:
            return {"current": self.current, "next": self.next}

    def rotate(self) -> dict[str, str]:
        """Make the next key current and a new random next (``POST /v2/keys/rotate``).

        Returns:
            The keys after the rotation, as `to_json`.
        """
        with self._lock:
            self.current, self.next = self.next, _new_key()
        return self.to_json()


def _new_key() -> str:
    return "sig_" + secrets.token_urlsafe(24)
