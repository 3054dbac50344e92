"""LocalQStash's one route table (`testing/_routes.py`): it is openapi.yaml's operations plus a few
documented LocalQStash-only rows, and dispatch, 404 and 405 all come from it."""

from __future__ import annotations

import http.client
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openapi_spec_validator.readers import read_from_filename
from upstash_workflow_api.spec_rules import MESSAGE_HEADER_PATTERNS

from tests.support.recorder import CANNED
from upstash_workflow.rest.testing import LocalQStash
from upstash_workflow.rest.testing._routes import ROUTER, ROUTES
from upstash_workflow.rest.testing._routing import Route, Router
from upstash_workflow.rest.testing._server import _Handler

SPEC: dict[str, Any] = dict(read_from_filename(str(Path(__file__).resolve().parents[1] / "openapi.yaml"))[0])
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
SPEC_OPERATIONS = Counter(
    (method.upper(), path, operation["operationId"])
    for path, item in SPEC["paths"].items()
    for method, operation in item.items()
    if method in HTTP_METHODS
)


def test_every_spec_operation_has_exactly_one_row() -> None:
    rows = Counter((r.method, r.path, r.operation) for r in ROUTES if r.operation is not None)
    assert rows == SPEC_OPERATIONS


def test_every_other_row_is_a_documented_local_route() -> None:
    spec_routes = {(method, path) for method, path, _ in SPEC_OPERATIONS}
    for route in ROUTES:
        if route.operation is None:
            assert route.local, f"{route.method} {route.path}: say why LocalQStash answers it"
            assert (route.method, route.path) not in spec_routes, "give it its operationId"
        else:
            assert not route.local
    local = {(r.method, r.path) for r in ROUTES if r.operation is None}
    assert local == {("POST", "/v2/publish/{destination}"), ("POST", "/v2/wait/{eventId}"), ("POST", "/_local/seed")}


def test_the_handler_defines_exactly_the_verbs_of_the_table() -> None:
    verbs = {name[3:] for name in dir(_Handler) if name.startswith("do_")}
    assert verbs == {r.method for r in ROUTES}


def test_the_recorder_answers_only_spec_operations() -> None:
    assert set(CANNED) <= {operation for _, _, operation in SPEC_OPERATIONS}


def _operation(method: str, path: str) -> tuple[str | None, dict[str, str]] | None:
    found = ROUTER.find(method, path)
    return None if found is None else (found[0].operation, found[1])


def test_literal_paths_come_before_parameters() -> None:
    assert _operation("POST", "/v2/workflows/dlq/resume") == ("resumeDlq", {})
    assert _operation("GET", "/v2/workflows/dlq/resume") == ("getDlqMessage", {"dlqId": "resume"})
    assert ROUTER.allowed("/v2/workflows/dlq/resume") == ["DELETE", "GET", "POST"]


def test_a_parameter_is_one_non_empty_segment_unless_it_takes_the_rest() -> None:
    assert _operation("POST", "/v2/notify/r/e") == ("notifyRun", {"workflowRunId": "r", "eventId": "e"})
    assert _operation("POST", "/v2/notify/a%2Fb") == ("notify", {"eventId": "a%2Fb"})  # raw; handlers decode
    assert _operation("POST", "/v2/notify/a/b/c") is None
    assert _operation("POST", "/v2/flowControl//pause") is None
    assert ROUTER.allowed("/v2/flowControl//pause") == []
    url = "https://example.com/a/"
    assert _operation("POST", f"/v2/trigger/{url}") == ("triggerRun", {"workflowUrl": url})


def test_a_route_declared_twice_is_refused() -> None:
    row = Route("GET", "/x/y", lambda c: None, local="test")
    with pytest.raises(ValueError, match="GET /x/y is declared twice"):
        Router([row, row])


@pytest.fixture(scope="module")
def server() -> Iterator[LocalQStash]:
    with LocalQStash() as qstash:
        yield qstash


def _request(server: LocalQStash, method: str, path: str) -> tuple[int, str | None, Any]:
    connection = http.client.HTTPConnection(server.url.removeprefix("http://"), timeout=10)
    try:
        connection.request(method, path)  # no token: routing answers before authentication
        response = connection.getresponse()
        body = response.read()
        return response.status, response.getheader("Allow"), json.loads(body) if body else None
    finally:
        connection.close()


@pytest.mark.parametrize("method", ["PUT", "PATCH", "OPTIONS", "TRACE", "FOO"])
def test_a_method_no_route_of_the_path_declares_gets_405_and_allow(server: LocalQStash, method: str) -> None:
    assert _request(server, method, "/v2/workflows/dlq") == (
        405,
        "DELETE, GET",
        {"error": f"{method} is not allowed here"},
    )


def test_head_gets_405_without_a_body(server: LocalQStash) -> None:
    assert _request(server, "HEAD", "/v2/keys") == (405, "GET", None)


@pytest.mark.parametrize("method", ["GET", "FOO"])
def test_a_path_no_route_has_gets_404(server: LocalQStash, method: str) -> None:
    assert _request(server, method, "/v2/nope") == (404, None, {"error": "no such endpoint: /v2/nope"})


@pytest.mark.parametrize("schema", ["BatchMessage", "TriggerItem"])
def test_every_message_schema_states_the_header_rules_localqstash_checks(schema: str) -> None:
    """One source: the spec's patterns, which LocalQStash takes from the generated spec_rules."""
    rules = SPEC["components"]["schemas"][schema]["properties"]["headers"]["properties"]
    assert {name: (rule["pattern"], rule["description"]) for name, rule in rules.items()} == MESSAGE_HEADER_PATTERNS


@pytest.mark.parametrize(("path", "created"), [("/v2/batch", 200), ("/v2/batch/trigger", 201)])
@pytest.mark.parametrize("name", sorted(MESSAGE_HEADER_PATTERNS))
def test_message_headers_are_checked_as_the_spec_states(
    server: LocalQStash, path: str, created: int, name: str
) -> None:
    example = SPEC["components"]["schemas"]["BatchMessage"]["properties"]["headers"]["properties"][name]["example"]
    auth = {"Authorization": f"Bearer {server.token}"}
    for value, status in [(example, created), (example + "\n", created), ("x" + example, 400)]:
        message = {"destination": "http://127.0.0.1:9/wf", "headers": {name.title(): value}}
        with httpx.Client(base_url=server.url, headers=auth) as http:
            assert http.post(path, json=[message]).status_code == status, (value, status)
