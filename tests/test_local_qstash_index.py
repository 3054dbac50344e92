"""LocalQStash's indexes (testing/_index.py) answer exactly what a scan of every run answers: for random
runs (seeded, published, replaced, with tied and out-of-order creation times) and random queries, the
logs pages, cancel's targets and the DLQ pages equal a naive filter over the same runs (the code
LocalQStash had before its indexes), also after cancels, failures into the DLQ and reruns."""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import upstash_workflow.rest.testing as testing
from upstash_workflow.rest.testing import LocalQStash, QStashState, Run
from upstash_workflow.rest.testing._seed import apply_seed
from upstash_workflow.rest.testing._state import BadRequest

URLS = ["http://a.test/wf", "http://a.test/wf/2", "http://a.test/other", "http://b.test/wf", "http://["]
LABELS = ["red", "blue", "green"]
STATES = ["RUN_STARTED", "RUN_SUCCESS", "RUN_FAILED", "RUN_CANCELED"]
IDS = [f"wfr_{n}" for n in range(6)]
TIMES = [1_000, 1_001, 1_002, 1_003]
Query = dict[str, list[str]]


# ---------------------------------------------------------------------- the reference: a naive scan


def naive_matches(run: Run, query: Mapping[str, list[str]], *, url_prefix: bool) -> bool:
    def one(key: str) -> str | None:
        values = query.get(key)
        return values[-1] if values else None

    try:
        parts = urlsplit(run.url)
    except ValueError:
        parts = urlsplit("")
    urls = query.get("workflowUrl")
    exact = not url_prefix or one("workflowUrlExactMatch") == "true"
    return not (
        ((ids := query.get("workflowRunIds")) and run.workflow_run_id not in ids)
        or ((run_id := one("workflowRunId")) is not None and run.workflow_run_id != run_id)
        or ((frm := one("fromDate")) is not None and run.created_at < int(frm))
        or ((to := one("toDate")) is not None and run.created_at > int(to))
        or ((created := one("workflowCreatedAt")) is not None and run.created_at != int(created))
        or ((ips := query.get("callerIp")) and run.caller_ip not in ips)
        or ((labels := query.get("label")) and not set(labels) & set(run.labels))
        or ((keys := query.get("flowControlKey")) and run.flow_control_key not in keys)
        or ((state := one("state")) is not None and run.state != state)
        or ((hosts := query.get("host")) and parts.hostname not in hosts)
        or ((paths := query.get("path")) and parts.path not in paths)
        or ((message_id := one("messageId")) is not None and run.message_id != message_id)
        or (urls and not any(run.url == u if exact else run.url.startswith(u) for u in urls))
    )


def naive_logs(state: QStashState, query: Query) -> list[str]:
    """Every matching run id, newest first (what the offset pages of old cut into pages)."""
    pairs = None
    if values := query.get("workflowRuns"):
        pairs = set()
        for item in values[-1].split(","):
            run_id, _, created = item.rpartition("@")
            if run_id and created.isdigit():
                pairs.add((run_id, int(created)))
    if pairs is not None:
        runs = [r for r in state.runs.values() if (r.workflow_run_id, r.created_at) in pairs]
    else:
        runs = [r for r in state.runs.values() if naive_matches(r, query, url_prefix=False)]
    runs.sort(key=lambda r: (r.created_at, r.seq), reverse=True)
    return [r.workflow_run_id for r in runs]


def naive_cancel(state: QStashState, query: Query) -> list[str]:
    count = int(query.get("count", ["100"])[-1])
    targets = [r for r in state.runs.values() if r.state == "RUN_STARTED" and naive_matches(r, query, url_prefix=True)]
    if not query.get("workflowRunIds"):
        targets = targets[:count]
    return [r.workflow_run_id for r in targets]


def naive_dlq(state: QStashState, query: Query) -> list[str]:
    def keep(entry: Any) -> bool:
        if (ids := query.get("dlqIds")) and entry.dlq_id not in ids:
            return False
        if (urls := query.get("url")) and entry.run.url not in urls:
            return False
        for key, bound in (("fromDate", 1), ("toDate", -1)):
            if (value := query.get(key)) and (entry.created_at - int(value[-1])) * bound < 0:
                return False
        rest = {k: v for k, v in query.items() if k not in ("fromDate", "toDate")}
        return naive_matches(entry.run, rest, url_prefix=False)

    entries = sorted((e for e in state.dlq.values() if keep(e)), key=lambda e: (e.created_at, e.seq), reverse=True)
    return [e.dlq_id for e in entries]


# ------------------------------------------------------------------------------------ what we draw

run_seeds = st.fixed_dictionaries(
    {"url": st.sampled_from(URLS)},
    optional={
        "workflow_run_id": st.sampled_from(IDS),  # ids repeat: a later seed replaces the run
        "labels": st.lists(st.sampled_from(LABELS), max_size=2),
        "state": st.sampled_from(STATES),
        "created_at": st.sampled_from(TIMES),  # ties, and older than runs stored before
        "flow_control_key": st.sampled_from(["k1", "k2"]),
    },
)
messages = st.fixed_dictionaries(
    {
        "destination": st.sampled_from(URLS),
        "headers": st.fixed_dictionaries(
            {},
            optional={
                "Upstash-Label": st.sampled_from(["red", "blue", "red,green"]),
                "Upstash-Workflow-RunId": st.sampled_from(IDS),  # a stored id deduplicates
            },
        ),
    }
)


FILTERS: dict[str, st.SearchStrategy[list[str]]] = {
    "workflowRunId": st.sampled_from([*IDS, "wfr_none"]).map(lambda v: [v]),
    "workflowRunIds": st.lists(st.sampled_from([*IDS, "wfr_none"]), min_size=1, max_size=3),
    "fromDate": st.sampled_from(TIMES).map(lambda v: [str(v)]),
    "toDate": st.sampled_from(TIMES).map(lambda v: [str(v)]),
    "workflowCreatedAt": st.sampled_from(TIMES).map(lambda v: [str(v)]),
    "callerIp": st.sampled_from(["127.0.0.1", "10.0.0.1"]).map(lambda v: [v]),
    "label": st.lists(st.sampled_from([*LABELS, "none"]), min_size=1, max_size=2),
    "flowControlKey": st.sampled_from(["k1", "k2"]).map(lambda v: [v]),
    "state": st.sampled_from(STATES).map(lambda v: [v]),
    "host": st.sampled_from(["a.test", "b.test"]).map(lambda v: [v]),
    "path": st.sampled_from(["/wf", "/other"]).map(lambda v: [v]),
    "workflowUrl": st.lists(st.sampled_from(URLS), min_size=1, max_size=2),
    "workflowUrlExactMatch": st.sampled_from(["true", "false"]).map(lambda v: [v]),
}
# Cancel's workflowUrl is a prefix (unless workflowUrlExactMatch=true).
PREFIXES = st.lists(st.sampled_from([*URLS, "http://a.test", "http://a.test/wf/", "http://"]), min_size=1, max_size=2)


@st.composite
def filters(draw: st.DrawFn, *, cancel: bool) -> Query:
    """A few filters (most queries of many filters match nothing), and often a small page size."""
    names = draw(st.lists(st.sampled_from(sorted(FILTERS)), max_size=3, unique=True))
    query = {name: draw(PREFIXES if cancel and name == "workflowUrl" else FILTERS[name]) for name in names}
    if draw(st.booleans()):
        query["count"] = [str(draw(st.integers(1, 4)))]
    return query


class Clock:
    """Times drawn in advance (repeats and steps back included), then steady."""

    def __init__(self, seconds: list[float]) -> None:
        self._times: Iterator[float] = itertools.chain(seconds, itertools.count(10.0, 0.001))

    def __call__(self) -> float:
        return next(self._times)


@st.composite
def stores(draw: st.DrawFn) -> QStashState:
    state = QStashState(clock=Clock(draw(st.lists(st.sampled_from([1.0, 1.0005, 1.001, 1.002, 0.999]), max_size=40))))
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            apply_seed(state, {"runs": draw(st.lists(run_seeds, max_size=6))})
        else:
            ip = draw(st.sampled_from(["127.0.0.1", "10.0.0.1"]))
            state.publish(draw(st.lists(messages, min_size=1, max_size=4)), ip)
    return state


# --------------------------------------------------------------------------------------- checks


def pages(state: QStashState, query: Query) -> list[list[str]]:
    """Every page of the logs, following the cursors (bounded)."""
    found, cursor = [], None
    for _ in range(100):
        answer = state.logs({**query, **({"cursor": [cursor]} if cursor else {})})
        found.append([log["workflowRunId"] for log in answer["runs"]])
        cursor = answer["cursor"]
        if not cursor:
            return found
    raise AssertionError("the cursors never ended")


def check_logs(state: QStashState, query: Query) -> None:
    count = int(query.get("count", ["10"])[-1])
    expected = naive_logs(state, query)
    chunks = [expected[i : i + count] for i in range(0, len(expected), count)] or [[]]
    assert pages(state, query) == chunks, query


def check_dlq(state: QStashState, query: Query) -> None:
    count = int(query.get("count", ["10"])[-1])
    expected = naive_dlq(state, query)
    found, cursor = [], None
    for _ in range(100):
        answer = state.dlq_list({**query, "source": ["workflow"], **({"cursor": [cursor]} if cursor else {})})
        found.append([m["dlqId"] for m in answer["messages"]])
        if not (cursor := answer["cursor"]):
            break
    assert found == ([expected[i : i + count] for i in range(0, len(expected), count)] or [[]]), query


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(stores(), st.lists(filters(cancel=False), min_size=1, max_size=4))
def test_logs_pages_are_a_scans_pages(state: QStashState, queries: list[Query]) -> None:
    for query in queries:
        check_logs(state, query)


@SETTINGS
@given(stores(), st.data())
def test_the_workflow_runs_filter_ignores_the_others(state: QStashState, data: st.DataObject) -> None:
    runs = list(state.runs.values())
    named = data.draw(st.lists(st.sampled_from(runs), max_size=4)) if runs else []
    pairs = [f"{r.workflow_run_id}@{r.created_at + data.draw(st.sampled_from([0, 0, 1]))}" for r in named]
    query = data.draw(filters(cancel=False))
    check_logs(state, {**query, "workflowRuns": [",".join([*pairs, "bad", "wfr_x@y"])]})


@SETTINGS
@given(stores(), st.lists(st.tuples(st.sampled_from(["cancel", "fail", "resume", "restart", "delete"]), st.data())))
def test_changes_keep_every_answer_a_scans(state: QStashState, steps: list[tuple[str, st.DataObject]]) -> None:
    for action, data in steps[:6]:
        runs = list(state.runs.values())
        if action == "cancel":
            query = data.draw(filters(cancel=True))
            expected = naive_cancel(state, query)
            assert state.cancel(query) == len(expected)
            assert all(state.runs[run_id].state == "RUN_CANCELED" for run_id in expected)
        elif action == "fail" and runs:
            run = data.draw(st.sampled_from(runs))
            state.add_dlq(run, 500, "boom", dlq_id=data.draw(st.sampled_from(["dlq_a", "dlq_b", None])))
        elif action in ("resume", "restart") and state.dlq:
            headers = data.draw(st.sampled_from([{}, {"upstash-label": "blue"}, {"upstash-label": "red,green"}]))
            query = {"dlqIds": data.draw(st.lists(st.sampled_from(list(state.dlq)), min_size=1, max_size=2))}
            state.dlq_rerun(query, restart=action == "restart", headers=headers)
        elif action == "delete" and state.dlq:
            state.dlq_delete({"count": [str(data.draw(st.integers(1, 3)))]})
        check_logs(state, data.draw(filters(cancel=False)))
        check_dlq(state, data.draw(filters(cancel=False)))
        for one in [*({"state": [s]} for s in STATES), *({"label": [x]} for x in LABELS), {"count": ["3"]}]:
            check_logs(state, one)  # each index list on its own


@SETTINGS
@given(stores(), st.data())
def test_a_cursor_keeps_its_place_while_runs_change(state: QStashState, data: st.DataObject) -> None:
    """Old offsets skipped or repeated runs when a change moved the ones before them; a cursor names the
    last run shown, so the next page holds exactly the matching runs older than it, as they are now."""
    query = {**data.draw(filters(cancel=False)), "count": ["2"]}
    first = state.logs(query)
    if not first["cursor"]:
        return
    last = state.runs[first["runs"][-1]["workflowRunId"]]
    state.cancel(data.draw(filters(cancel=True)))
    apply_seed(state, {"runs": data.draw(st.lists(run_seeds, max_size=3))})
    older = [
        r.workflow_run_id
        for r in state.runs.values()
        if (r.created_at, r.seq) < (last.created_at, last.seq) and naive_matches(r, query, url_prefix=False)
    ]
    older.sort(key=lambda run_id: (state.runs[run_id].created_at, state.runs[run_id].seq), reverse=True)
    second = state.logs({**query, "cursor": [first["cursor"]]})
    assert [log["workflowRunId"] for log in second["runs"]] == older[:2]
    assert bool(second["cursor"]) == (len(older) > 2)


def test_a_cursor_is_a_number_and_one_that_names_nothing_is_past_the_end() -> None:
    state = QStashState()
    state.publish([{"destination": URLS[0], "headers": {}}] * 3, "127.0.0.1")
    first = state.logs({"count": ["1"]})
    assert first["cursor"].isdigit()
    assert len(state.logs({"cursor": [first["cursor"]]})["runs"]) == 2
    for bad in ("abc", "-1", "1.5", "\u0661"):  # the spec's pattern is ^[0-9]*$
        with pytest.raises(BadRequest, match="invalid cursor"):
            state.logs({"cursor": [bad]})
    for unknown in ("999999", "1" * 40):  # digits the spec allows, naming no run: as an offset past the end was
        assert state.logs({"cursor": [unknown]}) == {"runs": [], "cursor": ""}
        assert state.dlq_list({"source": ["workflow"], "cursor": [unknown]}) == {"messages": [], "cursor": ""}


def test_a_run_the_sdk_ends_moves_to_its_new_state_in_the_logs() -> None:
    """The engine's end of a run (``DELETE /v2/workflows/runs/{id}?cancel=false``, the SDK's) goes
    through the same index update as cancel and the DLQ: the state filters see it at once."""
    with LocalQStash(deliver=True) as server:
        headers = {"Authorization": f"Bearer {server.token}"}
        with httpx.Client(base_url=server.url, headers=headers, timeout=10) as http:
            batch = [{"destination": "https://example.invalid/wf", "headers": {}} for _ in range(3)]
            ids = [r["workflowRunId"] for r in http.post("/v2/batch", json=batch).json()]
            assert http.delete(f"/v2/workflows/runs/{ids[0]}", params={"cancel": "false"}).status_code == 200
            assert http.delete(f"/v2/workflows/runs/{ids[1]}", params={"cancel": "true"}).status_code == 200

            def listed(state: str) -> list[str]:
                logs = http.get("/v2/workflows/logs", params={"state": state}).json()["runs"]
                return [log["workflowRunId"] for log in logs]

            assert listed("RUN_SUCCESS") == [ids[0]]
            assert listed("RUN_CANCELED") == [ids[1]]
            assert listed("RUN_STARTED") == [ids[2]]


def _unguarded_changes(tree: ast.AST) -> list[int]:
    """Lines that assign a run's ``state`` or ``labels`` outside a ``with ....changing(run):`` block."""
    found: list[int] = []

    def visit(node: ast.AST, guarded: bool) -> None:
        if isinstance(node, ast.With | ast.AsyncWith):
            guarded = guarded or any(
                isinstance(item.context_expr, ast.Call)
                and isinstance(item.context_expr.func, ast.Attribute)
                and item.context_expr.func.attr == "changing"
                for item in node.items
            )
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for part in target.elts if isinstance(target, ast.Tuple) else [target]:
                    if (
                        isinstance(part, ast.Attribute)
                        and part.attr in ("state", "labels")
                        and not (isinstance(part.value, ast.Name) and part.value.id == "self")
                        and not guarded
                    ):
                        found.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child, guarded)

    visit(tree, False)
    return found


def test_every_change_of_a_runs_state_or_labels_goes_through_changing() -> None:
    """The indexes stay true only if every change of a stored run's state or labels is made inside
    ``QStashState.changing(run)``; an assignment anywhere else in LocalQStash fails here."""
    folder = Path(testing.__file__).parent
    unguarded = {
        path.name: lines
        for path in sorted(folder.glob("*.py"))
        if (lines := _unguarded_changes(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert unguarded == {}
    # The check itself finds what it is for.
    assert _unguarded_changes(ast.parse("run.state = 'RUN_SUCCESS'")) == [1]
    assert _unguarded_changes(ast.parse("run.state, run.completed_at = 'RUN_SUCCESS', 1")) == [1]
    assert _unguarded_changes(ast.parse("with s.changing(run):\n    run.labels = []")) == []
