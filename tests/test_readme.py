"""Every ```python block of the README runs, in order, against a local server (as a user would
paste them), with QSTASH_URL / QSTASH_TOKEN pointing at it and ``client = Client()``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from upstash_workflow.rest import Client, TriggerRequest
from upstash_workflow.rest.testing import LocalQStash

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)
OWN_CLIENT = re.compile(r"^client = Client\(|with Client\(\) as client", flags=re.MULTILINE)


def test_the_readme_has_examples_for_every_call() -> None:
    text = "\n".join(BLOCKS)
    for call in (
        "trigger(",
        "trigger_many(",
        "cancel(",
        "notify(",
        "get_waiters(",
        "logs(",
        "iter_logs(",
        "dlq.list(",
        "dlq.iter(",
        "dlq.resume(",
        "dlq.restart(",
        "dlq.retry_failure_function(",
        "dlq.delete(",
        "dlq.get(",
        "dlq.cancel_failure_callback(",
        "flow_control.list(",
        "flow_control.get(",
        "flow_control.pause(",
        "flow_control.resume(",
        "flow_control.pin(",
        "flow_control.unpin(",
        "flow_control.reset_rate(",
        "flow_control.global_parallelism(",
        "signing_keys.get(",
        "signing_keys.rotate(",
        "AsyncClient",
        "sync_detailed(",
        "LocalQStash",
    ):
        assert call in text, call


def test_readme_examples_run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with LocalQStash() as qstash:
        monkeypatch.setenv("QSTASH_URL", qstash.url)
        monkeypatch.setenv("QSTASH_TOKEN", qstash.token)
        with Client() as seed:  # the DLQ entries the DLQ example acts on
            for i in range(1, 6):
                run = seed.trigger_many([TriggerRequest(url="https://workflow-endpoint.com")])[0]
                qstash.add_dlq_message(run.workflow_run_id, dlq_id=f"dlq_{i}")
        shared: dict[str, object] = {"client": Client(), "__name__": "readme"}  # blocks import the rest
        for number, block in enumerate(BLOCKS, start=1):
            # A block that makes (and closes) its own `client` runs on its own; the others share one.
            isolated = OWN_CLIENT.search(block) is not None
            namespace = {"__name__": "readme"} if isolated else shared
            try:
                exec(compile(block, f"README.md python block {number}", "exec"), namespace)
            except Exception as exc:
                raise AssertionError(f"README python block {number} failed: {exc!r}\n{block}") from exc
    assert "wfr_" in capsys.readouterr().out
