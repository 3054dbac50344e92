"""`upstash-workflow dev --deliver` with signature verification on: the official Python SDK
(`upstash-workflow` 2.0.0, its own venv and process, see tests/support/e2e/) verifies every delivery
with the keys `dev` prints and `GET /v2/keys` reports; wrong keys fail, a rotation changes what `dev`
signs with. `dev` prints one line per delivery (failures marked), none with --quiet. The README's
walkthrough ("Running real workflows locally") is this flow."""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.support.e2e.serve import free_port, python_app, running, sdk_environment, stop
from tests.test_cli import run_cli
from tests.test_e2e_python import journal, sdk_python  # noqa: F401  (a session fixture)
from upstash_workflow.rest import Client, WorkflowRunLog

STARTUP = 30.0
RUN_TIMEOUT = 30.0


class Dev:
    """A running `upstash-workflow dev`: what it printed (the exports) and all it prints later."""

    def __init__(self, output: Path, exports: dict[str, str]) -> None:
        self.output = output
        self.url = exports["QSTASH_URL"]
        self.token = exports["QSTASH_TOKEN"]
        self.current = exports["QSTASH_CURRENT_SIGNING_KEY"]
        self.next = exports["QSTASH_NEXT_SIGNING_KEY"]

    def printed(self) -> str:
        return self.output.read_text()

    def client(self) -> Client:
        return Client(token=self.token, base_url=self.url)


@contextmanager
def dev(tmp_path: Path, *flags: str) -> Iterator[Dev]:
    """``dev --deliver`` on a free port in its own process, its stdout in a file; stopped on exit."""
    output = tmp_path / f"dev-{secrets.token_hex(4)}.out"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QSTASH_", "UPSTASH_"))}
    env |= {"NO_COLOR": "1", "COLUMNS": "80"}
    command = [sys.executable, "-m", "upstash_workflow.rest", "dev", "--deliver", "--no-ui"]
    command += ["--port", str(free_port()), *flags]
    with output.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + STARTUP
        while "QSTASH_NEXT_SIGNING_KEY=" not in output.read_text():
            assert process.poll() is None, output.read_text()
            assert time.monotonic() < deadline, f"dev did not start: {output.read_text()}"
            time.sleep(0.05)
        exports = dict(
            line.removeprefix("export ").split("=", 1)
            for line in output.read_text().splitlines()
            if line.startswith("export ")
        )
        yield Dev(output, exports)
    finally:
        stop(process)


def wait_for(client: Client, run_id: str, done: Callable[[WorkflowRunLog], bool]) -> WorkflowRunLog:
    """Poll the run's log (every 0.1 s, at most `RUN_TIMEOUT` s) until ``done``."""
    deadline = time.monotonic() + RUN_TIMEOUT
    while True:
        runs = client.logs(workflow_run_id=run_id).runs
        if runs and done(runs[0]):
            return runs[0]
        assert time.monotonic() < deadline, f"run {run_id} stayed {runs and runs[0]}"
        time.sleep(0.1)


def ended(log: WorkflowRunLog) -> bool:
    return log.workflow_state != "RUN_STARTED"


def failing(log: WorkflowRunLog) -> bool:
    return any(g.type == "next" and any(s.errors for s in g.steps) for g in log.steps)


def next_step(log: WorkflowRunLog) -> Any:
    (group,) = [g for g in log.steps if g.type == "next"]
    (step,) = group.steps
    return step


def test_dev_signs_with_the_keys_it_prints_and_the_sdk_verifies_them(
    sdk_python: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    with dev(tmp_path) as server, server.client() as client:
        keys = client.signing_keys.get()
        assert (keys.current, keys.next) == (server.current, server.next)
        shown = run_cli(None, "--json", "keys", QSTASH_URL=server.url, QSTASH_TOKEN=server.token)
        assert json.loads(shown.stdout) | {"extra": {}} == {"current": server.current, "next": server.next, "extra": {}}
        with python_app(sdk_python, server.url, server.token, server.current, tmp_path / "app.log", server.next) as app:
            run = client.trigger(url=f"{app}/traced", body={"hello": "world"})
            log = wait_for(client, run.workflow_run_id, ended)
            assert log.workflow_state == "RUN_SUCCESS"
            assert journal(app, "traced", run.workflow_run_id)  # the SDK ran it: verified

            # A step that raises: the SDK answers 500, and the log shows it as QStash does.
            failed = client.trigger(url=f"{app}/charge", body={})
            step = next_step(wait_for(client, failed.workflow_run_id, failing))
            assert step.state == "STEP_RETRY" and step.retries == 3 and step.next_delivery_time  # the trigger's default
            assert step.errors[0].status == 500 and "card declined" in step.errors[0].body
            cli = run_cli(None, "logs", failed.workflow_run_id, QSTASH_URL=server.url, QSTASH_TOKEN=server.token)
            assert (
                f"{failed.workflow_run_id}: next step STEP_RETRY (1 failed delivery, next try " in cli.stderr
            )  # not a terminal
            assert "card declined" in cli.stderr
        printed = server.printed()
    # One line per delivery: the run, what ran, status, time; the failure marked, with what follows.
    lines = [line for line in printed.splitlines() if run.workflow_run_id in line]
    assert any(" step 1 first  200  " in line for line in lines), printed
    assert any(" step 2 second  200  " in line for line in lines), printed
    (failure,) = [line for line in printed.splitlines() if failed.workflow_run_id in line]
    assert "  500  " in failure and "FAILED (retry 1 of 3 in 12 s)" in failure and "card declined" in failure


def test_wrong_keys_fail_and_a_rotation_changes_what_dev_signs_with(
    sdk_python: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    with dev(tmp_path, "--quiet") as server, server.client() as client:
        assert "step 1" not in server.printed()
        wrong = "sig_" + secrets.token_hex(8)
        # An endpoint that knows only the current key (its next is wrong) verifies until a rotation.
        with python_app(sdk_python, server.url, server.token, server.current, tmp_path / "a.log", wrong) as app:
            before = client.trigger(url=f"{app}/traced", retries=0)
            assert wait_for(client, before.workflow_run_id, ended).workflow_state == "RUN_SUCCESS"
            rotated = client.signing_keys.rotate()
            assert rotated.current == server.next and rotated.next not in (server.current, server.next)
            after = client.trigger(url=f"{app}/traced", retries=0)
            log = wait_for(client, after.workflow_run_id, ended)
            assert log.workflow_state == "RUN_FAILED"
            step = next_step(log)
            assert step.state == "STEP_FAILED" and step.errors[0].status >= 400
            assert "Failed to verify" in step.errors[0].body
            assert not journal(app, "traced", after.workflow_run_id)
        # With the keys `keys` reports now, deliveries verify again.
        with python_app(sdk_python, server.url, server.token, rotated.current, tmp_path / "b.log", rotated.next) as app:
            again = client.trigger(url=f"{app}/traced", retries=0)
            assert wait_for(client, again.workflow_run_id, ended).workflow_state == "RUN_SUCCESS"
        printed = server.printed()
    assert before.workflow_run_id not in printed and after.workflow_run_id not in printed  # --quiet


def test_dev_takes_its_keys_from_flags_and_refuses_empty_ones(tmp_path: Path) -> None:
    with dev(tmp_path, "--signing-key", "sig_mine", "--next-signing-key", "sig_mine-next") as server:
        assert (server.current, server.next) == ("sig_mine", "sig_mine-next")
        with server.client() as client:
            keys = client.signing_keys.get()
        assert (keys.current, keys.next) == ("sig_mine", "sig_mine-next")
    refused = run_cli(None, "dev", "--port", "0", "--signing-key", " ")
    assert refused.exit_code == 2 and "--signing-key must be a non-empty key" in refused.stderr


def test_dev_json_prints_the_keys_and_one_json_line_per_delivery(tmp_path: Path) -> None:
    output = tmp_path / "dev.out"
    command = [sys.executable, "-m", "upstash_workflow.rest", "--json", "dev", "--deliver", "--no-ui"]
    command += ["--port", str(free_port())]
    with output.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP
        while not output.read_text().endswith("\n"):
            assert process.poll() is None and time.monotonic() < deadline, output.read_text()
            time.sleep(0.05)
        announced = json.loads(output.read_text().splitlines()[0])
        with Client(token=announced["token"], base_url=announced["url"]) as client:
            keys = client.signing_keys.get()
            assert announced["signing_keys"] == {"current": keys.current, "next": keys.next}
            # Nothing listens on this port: the delivery fails, retries stay on the wall clock.
            run = client.trigger(url=f"http://127.0.0.1:{free_port()}/nobody", retries=0)
            while len(output.read_text().splitlines()) < 2:
                assert time.monotonic() < deadline + RUN_TIMEOUT, output.read_text()
                time.sleep(0.05)
    finally:
        process.terminate()
        process.wait(timeout=10)
    delivery = json.loads(output.read_text().splitlines()[1])["delivery"]
    assert delivery["workflowRunId"] == run.workflow_run_id and delivery["step"] == "step 1"
    assert delivery["ok"] is False and delivery["status"] is None and delivery["retryIn"] is None
    assert delivery["error"].startswith("ConnectError")


def test_a_delivery_line_escapes_what_the_endpoint_answered(capsys: pytest.CaptureFixture[str]) -> None:
    from upstash_workflow.rest.cli._dev import show_delivery
    from upstash_workflow.rest.cli._output import reset_consoles
    from upstash_workflow.rest.testing import Delivery

    reset_consoles()
    hostile = Delivery(
        "wfr_x",
        "http://127.0.0.1/",
        {},
        "",
        500,
        None,
        step="step 1",
        retried=1,
        max_retries=3,
        retry_in=20.1,
        response="\x1b[2Jboom\u202e",
    )
    show_delivery(hostile)
    line = capsys.readouterr().out
    assert "wfr_x  step 1  500  0 ms  FAILED (retry 2 of 3 in 20 s): \\x1b[2Jboom\\u202e" in line
    assert "\x1b" not in line and "\u202e" not in line


README = Path(__file__).resolve().parents[1] / "README.md"


def walkthrough() -> tuple[str, list[list[str]]]:
    """The README's "Running real workflows locally": its app (the python block) and the
    ``upstash-workflow trigger``/``logs`` commands of its shell blocks, comments removed."""
    text = README.read_text()
    section = text.split("## Running real workflows locally\n", 1)[1].split("\n## ", 1)[0]
    (app,) = re.findall(r"```python\n(.*?)^```", section, flags=re.DOTALL | re.MULTILINE)
    commands = [
        shlex.split(line, comments=True)[1:]
        for block in re.findall(r"```bash\n(.*?)^```", section, flags=re.DOTALL | re.MULTILINE)
        for line in block.splitlines()
        if line.startswith(("upstash-workflow trigger", "upstash-workflow logs"))
    ]
    return app, commands


def test_the_readme_walkthrough_runs_signed_and_shows_the_failing_step(
    sdk_python: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    app_code, commands = walkthrough()
    assert [c[0] for c in commands] == ["trigger", "logs", "trigger", "logs"]
    (tmp_path / "app.py").write_text(app_code)
    with dev(tmp_path) as server, server.client() as client:
        base = f"http://127.0.0.1:{free_port()}"
        command = [str(sdk_python), "-m", "uvicorn", "app:app", "--port", base.rsplit(":", 1)[1]]
        command += ["--app-dir", str(tmp_path), "--log-level", "warning"]
        env = sdk_environment(server.url, server.token, server.current, base, server.next)
        cli_env = {"QSTASH_URL": server.url, "QSTASH_TOKEN": server.token}
        shown: list[str] = []
        with running(command, env, f"{base}/order", tmp_path / "app.log"):
            for written in commands:
                args = [arg.replace("http://127.0.0.1:8000", base) for arg in written]
                result = run_cli(None, *args, **cli_env)
                assert result.exit_code == 0, result.stderr
                shown.append(result.stdout + result.stderr)  # not a terminal: failing steps on stderr
                if args[0] == "trigger":
                    (run_id,) = re.findall(r"wfr_[\w-]+", result.stdout)
                    wait_for(client, run_id, ended if "declined" not in args[-1] else failing)
        ok_run, failed_run = (re.findall(r"wfr_[\w-]+", shown[i])[0] for i in (0, 2))
        (ok_log,) = client.logs(workflow_run_id=ok_run).runs
        assert ok_log.workflow_state == "RUN_SUCCESS"
        assert [s.step_name for g in reversed(ok_log.steps) for s in g.steps] == ["init", "reserve", "charge"]
        assert ok_run in shown[1] and "RUN_SUCCESS" in shown[1]
        failing_line = f"{failed_run}: next step STEP_RETRY (1 failed delivery, next try "
        assert failing_line in shown[3] and "card declined" in shown[3]
        printed = server.printed()
    lines = printed.splitlines()
    assert any(ok_run in line and " step 2 charge  200  " in line for line in lines), printed
    assert any(ok_run in line and " end: RUN_SUCCESS  200  " in line for line in lines), printed
    # The first failure shows at once: the earlier delivery's 200 (the SDK publishes step 2 before it
    # answers) does not clear it, and the logs were read before the retry 12 s later.
    (failure,) = [line for line in lines if failed_run in line and "FAILED" in line]
    assert " step 2  500  " in failure and "FAILED (retry 1 of 3 in 12 s)" in failure and "card declined" in failure
