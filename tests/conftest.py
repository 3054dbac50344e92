from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

from upstash_workflow.rest import AsyncClient, Client
from upstash_workflow.rest.testing import LocalQStash

URL = "https://my-app.com/api/workflow"


@pytest.fixture
def qstash() -> Iterator[LocalQStash]:
    with LocalQStash() as server:
        yield server


@pytest.fixture
def client(qstash: LocalQStash) -> Iterator[Client]:
    with Client(token=qstash.token, base_url=qstash.url) as c:
        yield c


@pytest.fixture
def make_async(qstash: LocalQStash) -> type[AsyncClient]:
    """AsyncClient bound to the fixture server: ``async with make_async() as client``."""

    class Bound(AsyncClient):
        def __init__(self, **kwargs: object) -> None:
            super().__init__(token=qstash.token, base_url=qstash.url, **kwargs)  # type: ignore[arg-type]

    return Bound


# CI runs the property and conformance tests with fixed examples, so a run cannot fail by luck;
# locally, hypothesis keeps exploring new examples.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
