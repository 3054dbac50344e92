"""Upstash's docs run as written (issue 27, item 5): every Python example of a workflow ``Client`` in
Upstash's documentation, and the ``qstash`` package's examples on endpoints this client also has,
run against LocalQStash with only their import line changed. Those that cannot are listed, with the
reason, in docs/migrating.md ("Upstash's docs examples"), and this test checks the list.

The examples are stored verbatim in tests/data/upstash_docs_examples.json, each with its source
file, line and the docs commit.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.recorder import Recorder
from upstash_workflow.rest import AsyncClient, Client, FlowControl
from upstash_workflow.rest.testing import LocalQStash

ROOT = Path(__file__).resolve().parents[1]
DATA = json.loads((ROOT / "tests" / "data" / "upstash_docs_examples.json").read_text())
EXAMPLES: dict[str, dict[str, Any]] = {example["id"]: example for example in DATA["examples"]}

# The one line changed: the docs' import -> ours. The notify examples ``await`` every call, which
# needs the async client (their ``Client`` is async), so they import AsyncClient under that name.
SYNC = {"from upstash_workflow import Client": "from upstash_workflow.rest import Client"}
ASYNC = {"from upstash_workflow import Client": "from upstash_workflow.rest import AsyncClient as Client"}
QSTASH = {"from qstash import QStash": "from upstash_workflow.rest import Client as QStash"}

KEY = "USER_GIVEN_KEY"  # the flow-control key the qstash examples assume exists
DLQ_SEED = {
    "runs": [{"url": "https://my-app.com/api/workflow", "workflow_run_id": "wfr_x", "state": "RUN_FAILED"}],
    "dlq": [{"workflow_run_id": "wfr_x", "dlq_id": "<dlq-id>"}],
}

# id -> (import change, the requests the server must see (method, path prefix), what it prints)
RUNS: dict[str, tuple[dict[str, str], list[tuple[str, str]], str | None]] = {
    "notify-external": (ASYNC, [("POST", "/v2/notify/order-completed-123")], None),
    "notify-lookback": (ASYNC, [("POST", "/v2/batch"), ("POST", "/v2/notify/wfr_")], None),
    "qs-fc-get": (QSTASH, [("GET", f"/v2/flowControl/{KEY}")], None),
    "qs-fc-pause-resume": (QSTASH, [("POST", f"/v2/flowControl/{KEY}/pause"), ("GET", "/v2/flowControl/")], "True\n"),
    "qs-fc-pin-unpin": (
        QSTASH,
        [("POST", f"/v2/flowControl/{KEY}/pin?parallelism=3&rate=20&period=120"), ("GET", "/v2/flowControl/")],
        "True\nTrue\n",
    ),
    "qs-fc-reset-rate": (QSTASH, [("POST", f"/v2/flowControl/{KEY}/resetRate")], None),
    "qs-sdk-fc-pause-resume": (QSTASH, [("POST", f"/v2/flowControl/{KEY}/pause")], "True\n"),
    "qs-sdk-fc-pin": (
        QSTASH,
        [("POST", f"/v2/flowControl/{KEY}/pin?parallelism=3&rate=20&period=120")],
        "True\nTrue\n",
    ),
    "qs-sdk-fc-unpin": (QSTASH, [("POST", f"/v2/flowControl/{KEY}/unpin?parallelism=true&rate=true")], None),
    "qs-sdk-fc-reset-rate": (QSTASH, [("POST", f"/v2/flowControl/{KEY}/resetRate")], None),
    "qs-sdk-dlq-list": (QSTASH, [("GET", "/v2/dlq?source=workflow")], None),
    "qs-sdk-dlq-get": (QSTASH, [("GET", "/v2/workflows/dlq/%3Cdlq-id%3E")], None),
    "qs-sdk-dlq-delete": (QSTASH, [("DELETE", "/v2/workflows/dlq")], None),
}
# id -> (import change, what it raises, a part of the message); each is in docs/migrating.md.
CANNOT: dict[str, tuple[dict[str, str], type[BaseException], str]] = {
    "redact-trigger": (SYNC, SyntaxError, "invalid syntax"),  # a JavaScript comment in the Python block
    "qs-fc-global": (QSTASH, AttributeError, "get_global_parallelism"),  # ours: global_parallelism()
    "qs-sdk-fc-global": (QSTASH, AttributeError, "get_global_parallelism"),
    "qs-sdk-fc-get": (QSTASH, AttributeError, "'key'"),  # ours: FlowControlInfo.flow_control_key
    "qs-sdk-keys-get": (QSTASH, AttributeError, "signing_key"),  # ours: client.signing_keys
    "qs-sdk-keys-rotate": (QSTASH, AttributeError, "signing_key"),
}
# Not calls of a workflow REST client: QStash schedules, and the server SDK's own qstash_client.
OUT_OF_SCOPE = {"wf-schedule-qstash", "wf-serve-qstash-client"}


def with_import(code: str, change: dict[str, str]) -> str:
    """The example with its import line replaced, and nothing else."""
    lines = code.split("\n")
    changed = [change.get(line, line) for line in lines]
    assert sum(a != b for a, b in zip(lines, changed, strict=True)) == 1, "exactly the import line changes"
    return "\n".join(changed)


def run(code: str) -> str:
    """Run the example as an async REPL or a notebook would (top-level ``await`` allowed) and
    return what it printed; the clients it made are closed here (the examples never close theirs)."""
    compiled = compile(code, "<example>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
    namespace: dict[str, Any] = {"__name__": "__example__"}

    async def in_one_loop(example: Any) -> None:  # the example and the closing of its clients
        try:
            await example
        finally:
            for value in namespace.values():
                if isinstance(value, AsyncClient):
                    await value.aclose()

    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            result = eval(compiled, namespace)  # the stored example, as a REPL would run it
            if asyncio.iscoroutine(result):
                asyncio.run(in_one_loop(result))
    finally:
        for value in namespace.values():
            if isinstance(value, Client):
                value.close()
    return out.getvalue()


@pytest.fixture
def docs_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The examples pass a token and no base URL: the URL comes from QSTASH_URL, set per test."""
    for name in ("QSTASH_TOKEN", "QSTASH_REGION", "QSTASH_URL"):
        monkeypatch.delenv(name, raising=False)


def token_in(code: str) -> str:
    """The placeholder token the example passes (``Client("<QSTASH_TOKEN>")``): LocalQStash takes it."""
    return code.split('Client("', 1)[-1].split('QStash("', 1)[-1].split('"', 1)[0]


def local_qstash_for(code: str, monkeypatch: pytest.MonkeyPatch) -> LocalQStash:
    qstash = LocalQStash(token=token_in(code)).start()
    monkeypatch.setenv("QSTASH_URL", qstash.url)
    if KEY in code:  # the key exists once a run used it (QStash answers 404 for an unknown key)
        with Client(token=qstash.token, base_url=qstash.url) as client:
            client.trigger("https://my-app.com/api/workflow", flow_control=FlowControl(key=KEY, parallelism=1))
    if "<dlq-id>" in code:
        qstash.seed(DLQ_SEED)
    qstash.requests.clear()
    return qstash


def test_every_example_is_run_or_listed() -> None:
    assert DATA["commit"] and all(e["docs_commit"] == DATA["commit"] for e in EXAMPLES.values())
    kinds = [set(RUNS), set(CANNOT), OUT_OF_SCOPE]
    assert set().union(*kinds) == set(EXAMPLES)
    assert sum(len(kind) for kind in kinds) == len(EXAMPLES)
    workflow_client = {i for i, e in EXAMPLES.items() if e["category"] == "workflow_client"}
    assert workflow_client == {"notify-external", "notify-lookback", "redact-trigger"}


def test_the_migration_guide_lists_each_example_that_does_not_run() -> None:
    guide = (ROOT / "docs" / "migrating.md").read_text()
    section = guide.split("## Upstash's docs examples", 1)[1]
    for example_id in [*CANNOT, *sorted(OUT_OF_SCOPE)]:
        example = EXAMPLES[example_id]
        assert f"`{example['source_path']}:{example['source_line']}`" in section, example_id
    assert DATA["commit"][:7] in section


@pytest.mark.parametrize("example_id", RUNS)
def test_the_example_runs_with_only_its_import_changed(
    example_id: str, docs_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    change, expected, printed = RUNS[example_id]
    code = EXAMPLES[example_id]["code"]
    with local_qstash_for(code, monkeypatch) as qstash:
        output = run(with_import(code, change))
        seen = list(qstash.requests)
    for method, prefix in expected:
        assert any(m == method and path.startswith(prefix) for m, path in seen), (method, prefix, seen)
    if printed is not None:
        assert output == printed


@pytest.mark.parametrize("example_id", CANNOT)
def test_the_example_that_cannot_run_fails_as_listed(
    example_id: str, docs_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    change, error, message = CANNOT[example_id]
    code = EXAMPLES[example_id]["code"]
    with local_qstash_for(code, monkeypatch), pytest.raises(error) as raised:
        run(with_import(code, change))
    assert message in str(raised.value)


def test_the_redact_example_runs_once_its_javascript_comment_is_python(
    docs_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The docs' one error is the ``//`` comment; written ``#``, the dict ``redact`` is sent as
    the TS client sends ``redact: {body: true, header: ["Authorization"]}``."""
    code = EXAMPLES["redact-trigger"]["code"]
    fixed = code.replace(" // or `header: True`", " # or `header: True`")
    assert fixed != code
    with Recorder().running() as recorder:
        monkeypatch.setenv("QSTASH_URL", recorder.url)
        run(with_import(fixed, SYNC))
        [request] = [entry for entries in recorder.scenarios.values() for entry in entries]
    assert request.target == "/v2/batch"
    [message] = json.loads(request.body)
    assert message["headers"]["upstash-redact-fields"] == "body,header[Authorization]"
    assert message["body"] == '{"hello":"world"}'
