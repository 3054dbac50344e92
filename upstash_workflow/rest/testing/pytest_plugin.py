"""pytest plugin (registered through the ``pytest11`` entry point): the ``local_qstash`` fixture.

def test_my_workflow(local_qstash):
    client = Client(token=local_qstash.token, base_url=local_qstash.url)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from upstash_workflow.rest.testing import LocalQStash


@pytest.fixture
def local_qstash() -> Iterator[LocalQStash]:
    """A fresh LocalQStash on 127.0.0.1 and a free port, stopped after the test."""
    from upstash_workflow.rest.testing import LocalQStash

    with LocalQStash() as server:
        yield server
