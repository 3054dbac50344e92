"""LocalQStash answers every request generated from openapi.yaml the way the spec says
(schemathesis: status codes, content types, response schemas and headers, auth, methods).

Valid requests are generated for every operation. Invalid ones only for the JSON batch body: for
query strings, a "negative" value such as the boolean true of an array-of-strings parameter is sent
as the text "true", which is valid, so negative query tests there would only report noise."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode

from upstash_workflow.rest.testing import LocalQStash

SPEC = Path(__file__).resolve().parents[1] / "openapi.yaml"
valid = schemathesis.openapi.from_path(SPEC)
valid.config.generation.update(
    modes=cast(Any, [GenerationMode.POSITIVE])
)  # its typing differs across schemathesis releases
invalid_bodies = schemathesis.openapi.from_path(SPEC).include(path="/v2/batch")
invalid_bodies.config.generation.update(modes=cast(Any, [GenerationMode.NEGATIVE]))
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def server() -> Iterator[LocalQStash]:
    with LocalQStash() as qstash:
        yield qstash


@valid.parametrize()
@SETTINGS
def test_valid_requests_get_documented_answers(case: Any, server: LocalQStash) -> None:
    case.call_and_validate(base_url=server.url, headers={"Authorization": f"Bearer {server.token}"}, timeout=10)


@invalid_bodies.parametrize()
@SETTINGS
def test_invalid_batch_bodies_are_rejected(case: Any, server: LocalQStash) -> None:
    case.call_and_validate(base_url=server.url, headers={"Authorization": f"Bearer {server.token}"}, timeout=10)
