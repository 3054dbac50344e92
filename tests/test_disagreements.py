"""Every response disagreement between Upstash's `workflow/openapi.yaml` and the TS clients' types
(`tests/data/disagreements.json`, a copy of the research for issue 23; docs/responses.md lists
them), answered by a real server on loopback in both shapes, through `Client` and `AsyncClient`.

A call that changed something on the server never raises because of its 2xx answer; an unreadable
field gives one `ResponseShapeWarning` naming the operation and the field. A read reads both shapes.
"""

from __future__ import annotations

import asyncio
import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support import fault_server as fs
from upstash_workflow.rest import (
    APIResponseValidationError,
    AsyncClient,
    Client,
    ResponseShapeWarning,
    TriggerRequest,
    WorkflowError,
)

TOKEN = "disagreements-test-token-0123456789"
URL = "https://workflow-endpoint.com/api"
ENTRIES: list[dict[str, Any]] = json.loads((Path(__file__).parent / "data" / "disagreements.json").read_text())

# How each operation of the research is called (the run ids of the examples are wfr_a and wfr_b).
CALLS: dict[str, Callable[[Any], Any]] = {
    "trigger": lambda c: c.trigger(url=URL, workflow_run_id="a"),
    "trigger_many": lambda c: c.trigger_many([TriggerRequest(url=URL, workflow_run_id=i) for i in "ab"]),
    "cancel (one id)": lambda c: c.cancel(ids="wfr_a"),
    "cancel (bulk)": lambda c: c.cancel(all=True),
    "notify": lambda c: c.notify("evt", "data"),
    "notify (one run, lookback)": lambda c: c.notify("evt", "data", workflow_run_id="wfr_a"),
    "waiters": lambda c: c.get_waiters("evt"),
    "logs": lambda c: c.logs(),
    "dlq.list": lambda c: c.dlq.list(),
    "dlq.get": lambda c: c.dlq.get("dlq_1"),
    "dlq.delete (one id)": lambda c: c.dlq.delete("dlq_1"),
    "dlq.delete (bulk)": lambda c: c.dlq.delete(all=True),
    "dlq.resume (one id)": lambda c: c.dlq.resume("dlq_1"),
    "dlq.resume (bulk)": lambda c: c.dlq.resume(all=True),
    "dlq.restart (one id)": lambda c: c.dlq.restart("dlq_1"),
    "dlq.restart (bulk)": lambda c: c.dlq.restart(all=True),
    "dlq.retry_failure_function": lambda c: c.dlq.retry_failure_function("dlq_1"),
    "dlq.cancel_failure_callback": lambda c: c.dlq.cancel_failure_callback("dlq_1"),
    "flow_control.get": lambda c: c.flow_control.get("billing"),
    "flow_control.list": lambda c: c.flow_control.list(),
    "flow_control.global_parallelism": lambda c: c.flow_control.global_parallelism(),
    "signing_keys.get": lambda c: c.signing_keys.get(),
    "signing_keys.rotate": lambda c: c.signing_keys.rotate(),
}
# D05 is about the answer to a one-message batch (an object or a list of one).
ENTRY_CALLS: dict[str, Callable[[Any], Any]] = {
    "D05": lambda c: c.trigger_many([TriggerRequest(url=URL, workflow_run_id="a")]),
}
# The status each answers with in Upstash's spec (any 2xx is success; 302 is the spec's for this one).
STATUS = {"notify": 201, "notify (one run, lookback)": 201, "trigger_many": 201, "dlq.cancel_failure_callback": 302}
# Answers TS types with an `error` on a 2xx: kept, and warned about (never raised).
ERROR_TEXT = {("D38", "ts"), ("D50", "ts")}

# What each disagreement's rule reads, beyond "no raise" (docs/responses.md lists the rules).
EXPECT: dict[tuple[str, str], Callable[[Any], bool]] = {
    ("D01", "spec"): lambda r: r.workflow_created_at == 1714000000000,
    ("D01", "ts"): lambda r: r.workflow_created_at is None,
    ("D02", "ts"): lambda r: r.workflow_created_at == 1714000000000,  # a numeric string, read losslessly
    ("D03", "ts"): lambda r: r.message_id == "msg_1",
    ("D04", "ts"): lambda r: r.message_id == "12345",  # an integer for a string id
    ("D05", "ts"): lambda r: r[0].message_id == "msg_1",  # an object answers a one-message batch
    ("D06", "spec"): lambda r: [x.workflow_run_id for x in r] == ["wfr_a", "wfr_b"],
    ("D06", "ts"): lambda r: [x.message_id for x in r] == ["msg_1", "msg_2"],
    ("D07", "spec"): lambda r: r.cancelled is None,
    ("D08", "spec"): lambda r: r.cancelled is None,
    ("D08", "ts"): lambda r: r.cancelled == 2,
    ("D10", "spec"): lambda r: r[0].error is None,
    ("D11", "spec"): lambda r: r[0].waiter is None,
    ("D12", "ts"): lambda r: r[0].waiter.timeout_body is not None,
    ("D14", "spec"): lambda r: len(r) == 1 and r[0].message_id == "msg_1",
    ("D16", "ts"): lambda r: r[0].timeout_body is not None,
    ("D17", "ts"): lambda r: r[0].deadline == 1714000600,
    ("D18", "ts"): lambda r: r.cursor is None,
    ("D21", "spec"): lambda r: r.runs[0].steps == [] and r.runs[0].workflow_state is None,
    ("D31", "spec"): lambda r: r.cursor is None,
    ("D34", "spec"): lambda r: r.messages[0].workflow_run_id is None,
    ("D35", "ts"): lambda r: r.messages[0].workflow_created_at == 1714000000000,
    ("D37", "spec"): lambda r: r.deleted is None,
    ("D38", "ts"): lambda r: r.extra["error"] == "dlq_9 not found" and r.deleted == 1,
    ("D39", "ts"): lambda r: r.deleted == 2,
    ("D40", "spec"): lambda r: r.cursor is None,
    ("D41", "ts"): lambda r: r.workflow_runs[0].workflow_created_at == 1714000000000,
    ("D42", "spec"): lambda r: r.workflow_runs[0].workflow_run_id == "wfr_new",
    ("D42", "ts"): lambda r: r.workflow_runs[0].workflow_created_at == 1714000000000,
    ("D43", "ts"): lambda r: r.workflow_runs[0].workflow_created_at == 1714000000000,
    ("D44", "spec"): lambda r: r.workflow_runs == [] and r.cursor is None,
    ("D45", "ts"): lambda r: r.workflow_runs[0].workflow_created_at == 1714000000000,
    ("D46", "ts"): lambda r: r.workflow_runs[0].workflow_created_at == 1714000000000,
    ("D47", "ts"): lambda r: r.workflow_runs[0].workflow_created_at == 1714000000000,
    ("D48", "spec"): lambda r: r.workflow_runs == [] and r.cursor is None,
    ("D49", "ts"): lambda r: r.workflow_created_at == 1714000000000,
    ("D50", "ts"): lambda r: r.error == "callback already in progress",
    ("D51", "spec"): lambda r: r is None,
    ("D52", "spec"): lambda r: r.wait_list_size == 5,
    ("D52", "ts"): lambda r: r.wait_list_size == 5 and r.parallelism_max == 3,
    ("D54", "spec"): lambda r: r[0].wait_list_size == 5,
    ("D55", "spec"): lambda r: (r.parallelism_max, r.parallelism_count) == (0, 0),
    ("D56", "spec"): lambda r: r.current == "sig_current" and r.next is None,
    ("D57", "spec"): lambda r: r.current == "sig_current" and r.next is None,
}


def _call(mode: str, url: str, op: Callable[[Any], Any]) -> Any:
    if mode == "sync":
        with Client(token=TOKEN, base_url=url, max_retries=0) as client:
            return op(client)

    async def main() -> Any:
        async with AsyncClient(token=TOKEN, base_url=url, max_retries=0) as client:
            return await op(client)

    return asyncio.run(main())


def serve(entry: dict[str, Any], body: Any, mode: str) -> tuple[Any, list[ResponseShapeWarning], str]:
    """(the result or the raised error, the ResponseShapeWarnings, the request's path) of the
    entry's operation, its answer ``body`` (None: an empty body; bytes: as they are) served by a
    real server on loopback."""
    content = b"" if body is None else body if isinstance(body, bytes) else json.dumps(body).encode()
    status = STATUS.get(entry["operation"], 200)
    with fs.FaultServer(fs.answer(status, content)) as server, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result: Any = _call(mode, server.url, ENTRY_CALLS.get(entry["id"], CALLS[entry["operation"]]))
        except WorkflowError as exc:
            result = exc
        assert len(server.requests) == 1
        target = server.requests[0].target.split("?")[0]
    return result, [w.message for w in caught if isinstance(w.message, ResponseShapeWarning)], target


def test_every_disagreement_is_here() -> None:
    assert len(ENTRIES) == 57 and [e["id"] for e in ENTRIES] == [f"D{n:02d}" for n in range(1, 58)]
    assert {e["operation"] for e in ENTRIES} <= set(CALLS)
    documented = (Path(__file__).parents[1] / "docs" / "responses.md").read_text()
    assert all(f"| {e['id']} |" in documented for e in ENTRIES), "list every disagreement in docs/responses.md"


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("shape", ["spec", "ts"])
@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_both_shapes_are_read(entry: dict[str, Any], shape: str, mode: str) -> None:
    result, warned, target = serve(entry, entry[f"{shape}_shape_example"], mode)
    key = (entry["id"], shape)
    assert not isinstance(result, Exception), f"{entry['id']} {shape}: {result!r}"
    if key in ERROR_TEXT:
        (warning,) = warned
        assert warning.field == "error" and warning.operation.endswith(target)
    else:
        assert warned == [], [str(w) for w in warned]
    check = EXPECT.get(key)
    assert check is None or check(result), f"{entry['id']} {shape}: {entry['reading_rule']}: got {result!r}"


def _unreadable(body: Any, field: str) -> Any | None:
    """``body`` with its top-level (or first entry's) ``field`` made unreadable, if it has one."""
    target = body[0] if isinstance(body, list) and body and isinstance(body[0], dict) else body
    if not isinstance(target, dict) or field not in target:
        return None
    spoiled = json.loads(json.dumps(body))
    (spoiled[0] if isinstance(spoiled, list) else spoiled)[field] = UNREADABLE
    return spoiled


UNREADABLE = [True]  # no field of these answers reads it (a string, an integer, an object, a list of objects)
# Fields that take any JSON value: TS's `error` on a 2xx DLQ delete (an unknown key, kept in extra).
ANY_VALUE = {"D38"}


MUTATIONS = [e for e in ENTRIES if e["mutation"]]


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("entry", MUTATIONS, ids=[e["id"] for e in MUTATIONS])
def test_a_mutation_never_raises_for_an_unreadable_field(entry: dict[str, Any], mode: str) -> None:
    spoiled = [
        body
        for shape in ("spec", "ts")
        if (body := _unreadable(entry[f"{shape}_shape_example"], entry["field"].lstrip("[]."))) is not None
    ]
    if not spoiled:  # the entry is about the body or its status: a body that is not JSON instead
        spoiled = ["not json"]
    for body in spoiled:
        result, warned, target = serve(entry, body, mode) if body != "not json" else _not_json(entry, mode)
        if entry["operation"] == "dlq.cancel_failure_callback":
            assert result is None and warned == []  # its body is never read
            continue
        assert not isinstance(result, APIResponseValidationError), result
        if entry["operation"].startswith("trigger") and isinstance(result, WorkflowError):
            assert "unconfirmed" in str(result)  # a trigger's run is unconfirmed, never assumed
        else:
            assert not isinstance(result, Exception), result
        if entry["id"] in ANY_VALUE:
            continue
        assert warned, f"{entry['id']}: no ResponseShapeWarning"
        assert all(w.operation.endswith(target) for w in warned), [w.operation for w in warned]
        if body != "not json":
            field = entry["field"].lstrip("[].")
            assert any(field in w.field and w.raw in (UNREADABLE, True) for w in warned), [str(w) for w in warned]


def _not_json(entry: dict[str, Any], mode: str) -> tuple[Any, list[ResponseShapeWarning], str]:
    return serve(entry, b"<html>ok</html>", mode)
