"""LocalQStash's indexes: the stored runs (and DLQ entries) in the orders the REST API answers in, and
by the values its filters name, so a page costs about its own length, whatever the store holds.

Two orders. The logs' (and the DLQ's): newest first by ``(created_at, seq)`` — the *key*; a page
ends at a key and the next page starts below it, so a cursor is a position that no insert or state
change moves (``seq`` alone names it: `cursor_key`). Cancel's: the order runs were first stored in
(``slot``), the order a scan of the store's dict would meet them. A leaf: it knows runs only by the
attributes of `Indexed`, and never decides a match (the caller's filter does); an index only picks
which runs to look at, so every answer is the filter's over a smaller set."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Sequence
from typing import Generic, Protocol, TypeVar

from sortedcontainers import SortedList

Key = tuple[int, int]  # (created_at, seq) for the logs' order; (slot, seq) for cancel's
STARTED = "RUN_STARTED"
# Prefix filters expand to the stored URLs that start with the prefix; past this many, walking all
# started runs is cheaper than merging a list per URL.
MAX_PREFIX_URLS = 64


class Indexed(Protocol):
    """What the index reads of a run (`Run` has these)."""

    workflow_run_id: str
    url: str
    created_at: int
    seq: int
    state: str
    labels: list[str]


class Dated(Protocol):
    """What `Newest` reads of an item (`DLQEntry` has these)."""

    created_at: int
    seq: int


R = TypeVar("R", bound=Indexed)
D = TypeVar("D", bound=Dated)


class _Postings:
    """value -> the sorted keys of the runs that have it; the values themselves kept sorted (prefixes)."""

    def __init__(self) -> None:
        self.lists: dict[str, SortedList] = {}
        self.values = SortedList()

    def add(self, value: str, key: Key) -> None:
        keys = self.lists.get(value)
        if keys is None:
            keys = self.lists[value] = SortedList()
            self.values.add(value)
        keys.add(key)

    def discard(self, value: str, key: Key) -> None:
        keys = self.lists.get(value)
        if keys is not None:
            keys.discard(key)
            if not keys:
                del self.lists[value]
                self.values.discard(value)

    def get(self, values: Iterable[str]) -> list[SortedList]:
        return [self.lists[v] for v in dict.fromkeys(values) if v in self.lists]

    def with_prefix(self, prefix: str, limit: int) -> list[str] | None:
        """The stored values that start with ``prefix`` (None: more than ``limit``)."""
        found: list[str] = []
        for value in self.values.irange(minimum=prefix):
            if not value.startswith(prefix):
                break
            if len(found) == limit:
                return None
            found.append(value)
        return found


def _merged(sources: Sequence[Iterator[Key]], *, reverse: bool) -> Iterator[Key]:
    """The union of sorted key streams, in order, each key once (a run with two labels is in two)."""
    if len(sources) == 1:
        yield from sources[0]
        return
    last = None
    for key in heapq.merge(*sources, reverse=reverse):
        if key != last:
            yield key
            last = key


class RunIndex(Generic[R]):
    """The runs of a store, by key, state, label and URL (for the logs) and, while started, by slot,
    label and URL (for cancel). The store calls `add` when a run is stored, `discard` before one
    changes its state or labels (or is replaced) and `add` again after; the index remembers what it
    filed each run under, so a discard always undoes its add."""

    def __init__(self) -> None:
        self._runs: dict[int, R] = {}  # seq -> the stored run
        self._filed: dict[int, tuple[str, tuple[str, ...], str, int]] = {}  # seq -> (state, labels, url, slot)
        self._slots: dict[str, int] = {}  # run id -> where it first entered the store (kept when replaced)
        self._created: dict[int, int] = {}  # seq -> created_at of every key handed out (cursors)
        self._all = SortedList()
        self._state, self._label, self._url = _Postings(), _Postings(), _Postings()
        self._live = SortedList()  # started runs by (slot, seq)
        self._live_label, self._live_url = _Postings(), _Postings()

    def __len__(self) -> int:
        return len(self._runs)

    def add(self, run: R) -> None:
        """File a stored run (a new one, or one whose change is over).

        Args:
            run: the run, as stored now.
        """
        key = (run.created_at, run.seq)
        slot = self._slots.setdefault(run.workflow_run_id, len(self._slots))
        labels = tuple(dict.fromkeys(run.labels))
        self._runs[run.seq] = run
        self._filed[run.seq] = (run.state, labels, run.url, slot)
        self._created[run.seq] = run.created_at
        self._all.add(key)
        self._state.add(run.state, key)
        self._url.add(run.url, key)
        for label in labels:
            self._label.add(label, key)
        if run.state == STARTED:
            live = (slot, run.seq)
            self._live.add(live)
            self._live_url.add(run.url, live)
            for label in labels:
                self._live_label.add(label, live)

    def discard(self, run: R) -> None:
        """Unfile a run (before it changes, or when another takes its id); a run not filed is ignored.

        Args:
            run: the run.
        """
        if self._runs.get(run.seq) is not run:
            return
        del self._runs[run.seq]
        filed = self._filed.pop(run.seq)
        state, labels, url, slot = filed
        key = (run.created_at, run.seq)
        self._all.discard(key)
        self._state.discard(state, key)
        self._url.discard(url, key)
        for label in labels:
            self._label.discard(label, key)
        if state == STARTED:
            live = (slot, run.seq)
            self._live.discard(live)
            self._live_url.discard(url, live)
            for label in labels:
                self._live_label.discard(label, live)

    def key_of(self, seq: int) -> Key | None:
        """The logs' key of a ``seq`` handed out to a run, even one replaced since (None: unknown).

        Args:
            seq: the run's ``seq``.

        Returns:
            ``(created_at, seq)``, or None.
        """
        created = self._created.get(seq)
        return None if created is None else (created, seq)

    def slot_of(self, run: R) -> int:
        """Where the run's id first entered the store (cancel's order).

        Args:
            run: a filed run.

        Returns:
            Its slot.
        """
        return self._slots[run.workflow_run_id]

    def newest(
        self,
        *,
        state: str | None,
        labels: Sequence[str],
        urls: Sequence[str],
        low: Key | None,
        below: Key | None,
    ) -> Iterator[R]:
        """The runs that may match, newest first, with keys in ``[low, below)``: from the smallest of
        all runs, the runs in ``state``, with one of ``labels``, or at one of ``urls`` (exact).

        Args:
            state: the state filter, or None.
            labels: the label filter (any of them), or empty.
            urls: the URL filter (any of them, exact), or empty.
            low: the smallest key wanted, or None.
            below: every key wanted is smaller than this one, or None.

        Yields:
            Runs (a superset of the matches: the caller filters).
        """
        options = [[self._all]]
        if state is not None:
            options.append(self._state.get([state]))
        if labels:
            options.append(self._label.get(labels))
        if urls:
            options.append(self._url.get(urls))

        def size(lists: list[SortedList]) -> int:
            return sum(
                (keys.bisect_left(below) if below is not None else len(keys))
                - (keys.bisect_left(low) if low is not None else 0)
                for keys in lists
            )

        best = min(options, key=size)
        inclusive = (True, False)
        streams = [keys.irange(low, below, inclusive=inclusive, reverse=True) for keys in best]
        for _, seq in _merged(streams, reverse=True):
            yield self._runs[seq]

    def started(self, *, labels: Sequence[str], urls: Sequence[str], prefix: bool) -> Iterator[R]:
        """The started runs that may match, in the order they entered the store: from the smallest of
        all started runs, those with one of ``labels``, or those at one of ``urls``.

        Args:
            labels: the label filter (any of them), or empty.
            urls: the URL filter (any of them), or empty.
            prefix: ``urls`` are prefixes (else exact URLs).

        Yields:
            Runs (a superset of the matches: the caller filters). Stop iterating before changing a run.
        """
        options = [[self._live]]
        if labels:
            options.append(self._live_label.get(labels))
        if urls:
            expanded: list[str] | None = list(urls)
            if prefix:
                expanded = []
                for url in urls:
                    found = self._live_url.with_prefix(url, MAX_PREFIX_URLS)
                    if found is None:
                        expanded = None
                        break
                    expanded += found
            if expanded is not None:
                options.append(self._live_url.get(expanded))
        best = min(options, key=lambda lists: sum(len(keys) for keys in lists))
        for _, seq in _merged([iter(keys) for keys in best], reverse=False):
            yield self._runs[seq]


class Newest(Generic[D]):
    """Items (DLQ entries) newest first by ``(created_at, seq)``, with cursors as `RunIndex`'s."""

    def __init__(self) -> None:
        self._items: dict[int, D] = {}
        self._keys = SortedList()
        self._created: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self._items)

    def add(self, item: D) -> None:
        """Store an item.

        Args:
            item: the item (its ``created_at`` and ``seq`` never change).
        """
        self._items[item.seq] = item
        self._created[item.seq] = item.created_at
        self._keys.add((item.created_at, item.seq))

    def discard(self, item: D) -> None:
        """Remove an item (one not stored is ignored).

        Args:
            item: the item.
        """
        if self._items.get(item.seq) is item:
            del self._items[item.seq]
            self._keys.discard((item.created_at, item.seq))

    def key_of(self, seq: int) -> Key | None:
        """The key of a ``seq`` handed out to an item, even one removed since (None: unknown).

        Args:
            seq: the item's ``seq``.

        Returns:
            ``(created_at, seq)``, or None.
        """
        created = self._created.get(seq)
        return None if created is None else (created, seq)

    def newest(self, below: Key | None = None) -> Iterator[D]:
        """The items with keys below ``below`` (all when None), newest first.

        Args:
            below: every key wanted is smaller than this one, or None.

        Yields:
            Items.
        """
        for _, seq in self._keys.irange(None, below, inclusive=(True, False), reverse=True):
            yield self._items[seq]
