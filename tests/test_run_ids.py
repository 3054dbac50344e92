"""Run ids: ``wfr_`` + 21 characters of nanoid's alphabet from the OS CSPRNG; unique across threads
and across a fork (a guard for any future buffering of random bytes, which a fork would duplicate)."""

from __future__ import annotations

import os
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from upstash_workflow.rest._trigger import random_run_id

RUN_ID = re.compile(r"wfr_[A-Za-z0-9_-]{21}")


def test_ids_have_the_ts_shape_and_use_the_whole_alphabet_evenly() -> None:
    ids = [random_run_id() for _ in range(1_280)]
    assert all(RUN_ID.fullmatch(i) for i in ids)
    assert len(set(ids)) == len(ids)
    counts = Counter("".join(i[4:] for i in ids))
    assert len(counts) == 64
    expected = len(ids) * 21 / 64  # ~420 per character
    assert all(0.6 * expected < n < 1.4 * expected for n in counts.values()), counts


def test_ids_drawn_from_many_threads_never_repeat() -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        batches = list(pool.map(lambda _: [random_run_id() for _ in range(2_000)], range(8)))
    ids = [i for batch in batches for i in batch]
    assert len(set(ids)) == len(ids) == 16_000


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the platform has no fork")
def test_a_forked_child_never_hands_out_its_parents_ids() -> None:
    random_run_id()  # the parent holds a block with ids still unused
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            os.write(write, "".join(random_run_id() for _ in range(8)).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        child_ids = pipe.read()
    os.waitpid(child, 0)
    parent_ids = "".join(random_run_id() for _ in range(8))
    assert len(child_ids) == len(parent_ids) == 8 * 25
    assert child_ids != parent_ids
