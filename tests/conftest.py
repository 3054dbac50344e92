from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from upstash_workflow.rest import AsyncClient, Client
from upstash_workflow.rest.testing import LocalQStash

URL = "https://my-app.com/api/workflow"
ROOT = Path(__file__).resolve().parents[1]


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


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This project's wheel, built once per session with the environment's hatchling (no download)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = out.glob("upstash_workflow_client-*.whl")
    return wheel


# CI runs the property and conformance tests with fixed examples, so a run cannot fail by luck;
# locally, hypothesis keeps exploring new examples.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
