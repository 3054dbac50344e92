"""The workflow engine of LocalQStash(deliver=True) against a small endpoint that speaks the SDKs'
protocol by hand, so these run everywhere (no SDK install): step payloads, sleeps on the local clock,
retries and the DLQ with the failure callback, cancel, signatures, loopback-only delivery."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from tests.test_cli import run_cli
from upstash_workflow.rest import Client, StepLog
from upstash_workflow.rest.testing import LocalQStash
from upstash_workflow.rest.testing._protocol import backoff, parse_duration

KEY = "sig_engine-test"


class Endpoint:
    """A workflow endpoint: step 1 runs, then a one-day sleep, then step 3, then the run ends
    (``DELETE /v2/workflows/runs/{id}``). ``fail`` makes it answer 500 instead; ``fail_step`` only
    to the delivery of that step, and the delivery before it answers once that failure is recorded."""

    def __init__(self, qstash: LocalQStash) -> None:
        self.qstash = qstash
        self.received: list[dict[str, Any]] = []
        self.fail = False
        self.fail_step: int | None = None
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                endpoint.received.append({"path": self.path, "headers": headers, "body": body})
                failure_callback = headers.get("upstash-workflow-is-failure") == "true"
                runs_step = len(json.loads(body)) if not failure_callback else None  # the steps so far, plus one
                failing = (endpoint.fail or runs_step == endpoint.fail_step) and not failure_callback
                status = 500 if failing else endpoint.advance(headers, body)
                answer = b'{"error":"boom: card declined"}' if failing else b"{}"
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                if failing:  # as the TS SDK names its failing step
                    self.send_header("Upstash-Error-Step-Name", "charge")
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/wf"

    def advance(self, headers: dict[str, str], body: bytes) -> int:
        if headers.get("upstash-workflow-is-failure") == "true":
            return 200
        run_id = headers["upstash-workflow-runid"]
        steps = json.loads(body)
        auth = {"Authorization": f"Bearer {self.qstash.token}"}
        done = len(steps) - 1
        if done == 3:
            httpx.delete(f"{self.qstash.url}/v2/workflows/runs/{run_id}?cancel=false", headers=auth)
            return 200
        step = {"stepId": done + 1, "stepName": f"s{done + 1}", "stepType": "Run", "out": json.dumps(done + 1)}
        message_headers = {"Upstash-Workflow-RunId": run_id, "Upstash-Workflow-Init": "false"}
        if done == 1:
            step.update(stepType="SleepFor", sleepFor=86400, out="null")
            message_headers["Upstash-Delay"] = "1d"
        message = {"destination": self.url, "headers": message_headers, "body": json.dumps(step)}
        httpx.post(f"{self.qstash.url}/v2/batch", json=[message], headers=auth).raise_for_status()
        deadline = time.monotonic() + 5
        while self.fail_step == done + 2 and time.monotonic() < deadline:  # answer after the next one failed
            if any(d.status == 500 for d in self.qstash.deliveries):
                break
            time.sleep(0.01)
        return 200


@pytest.fixture
def qstash() -> Iterator[LocalQStash]:
    with LocalQStash(deliver=True, signing_key=KEY) as server:
        yield server


@pytest.fixture
def endpoint(qstash: LocalQStash) -> Iterator[Endpoint]:
    point = Endpoint(qstash)
    thread = threading.Thread(target=point.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield point
    finally:
        point.server.shutdown()
        point.server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def client(qstash: LocalQStash) -> Iterator[Client]:
    with Client(token=qstash.token, base_url=qstash.url) as c:
        yield c


def decode_steps(body: bytes) -> list[Any]:
    return [base64.b64decode(item["body"]).decode() for item in json.loads(body)]


def test_steps_are_delivered_with_all_steps_so_far_and_a_sleep_waits_for_the_clock(
    qstash: LocalQStash, endpoint: Endpoint, client: Client
) -> None:
    run = client.trigger(url=endpoint.url, body={"n": 1})
    assert qstash.settle()
    assert len(endpoint.received) == 2  # the initial delivery, then step 1; now sleeping
    qstash.advance(3600)
    assert qstash.settle() and len(endpoint.received) == 2
    assert qstash.fast_forward()
    assert len(endpoint.received) == 4
    payloads = [decode_steps(r["body"]) for r in endpoint.received]
    assert [len(p) for p in payloads] == [1, 2, 3, 4]
    assert json.loads(payloads[0][0]) == {"n": 1}
    assert [json.loads(s)["stepName"] for s in payloads[-1][1:]] == ["s1", "s2", "s3"]
    (log,) = client.logs(workflow_run_id=run.workflow_run_id).runs
    assert log.workflow_state == "RUN_SUCCESS"
    names = [s.step_name for g in reversed(log.steps) for s in g.steps]
    assert names == ["init", "s1", "s2", "s3"]
    sleep = next(s for g in log.steps for s in g.steps if s.step_name == "s2")
    assert sleep.step_type == "SleepFor" and sleep.sleep_for == 86400


def test_deliveries_carry_a_valid_signature_and_the_workflow_headers(
    qstash: LocalQStash, endpoint: Endpoint, client: Client
) -> None:
    run = client.trigger(url=endpoint.url, headers={"X-Tenant": "acme"})
    assert qstash.settle()
    headers = endpoint.received[0]["headers"]
    assert headers["upstash-workflow-runid"] == run.workflow_run_id
    assert headers["upstash-workflow-sdk-version"] == "1"
    assert headers["x-tenant"] == "acme" and headers["upstash-retried"] == "0"
    signing_input, _, signature = headers["upstash-signature"].rpartition(".")
    expected = hmac.new(KEY.encode(), signing_input.encode(), hashlib.sha256).digest()
    assert base64.urlsafe_b64decode(signature + "==") == expected
    claims = json.loads(base64.urlsafe_b64decode(signing_input.split(".")[1] + "=="))
    body_hash = base64.urlsafe_b64encode(hashlib.sha256(endpoint.received[0]["body"]).digest()).decode()
    assert claims["body"] == body_hash.rstrip("=") and claims["iss"] == "Upstash" and claims["sub"] == endpoint.url


def test_a_failing_endpoint_is_retried_then_fails_into_the_dlq_with_its_failure_callback(
    qstash: LocalQStash, endpoint: Endpoint, client: Client
) -> None:
    endpoint.fail = True
    run = client.trigger(url=endpoint.url, retries=2)
    assert qstash.settle() and len(endpoint.received) == 1  # the retry waits for its backoff
    assert qstash.fast_forward()
    tries = [r for r in endpoint.received if "upstash-workflow-is-failure" not in r["headers"]]
    assert [r["headers"]["upstash-retried"] for r in tries] == ["0", "1", "2"]
    (failure,) = [r for r in endpoint.received if r["headers"].get("upstash-workflow-is-failure") == "true"]
    assert json.loads(failure["body"])["workflowRunId"] == run.workflow_run_id
    (entry,) = client.dlq.list().messages
    assert entry.workflow_run_id == run.workflow_run_id and entry.response_status == 500
    assert entry.failure_callback_info is not None and entry.failure_callback_info.state == "CALLBACK_SUCCESS"
    (log,) = client.logs(workflow_run_id=run.workflow_run_id).runs
    assert log.workflow_state == "RUN_FAILED"


def _failing_step(client: Client, run_id: str) -> StepLog:
    (log,) = client.logs(workflow_run_id=run_id).runs
    (group,) = [g for g in log.steps if g.type == "next"]
    (step,) = group.steps
    return step


def test_a_failing_step_shows_in_the_logs_next_group_while_retried_and_after_the_run_failed(
    qstash: LocalQStash, endpoint: Endpoint, client: Client
) -> None:
    endpoint.fail = True
    run = client.trigger(url=endpoint.url, retries=2)
    assert qstash.settle()
    step = _failing_step(client, run.workflow_run_id)
    assert step.state == "STEP_RETRY" and step.step_name == "charge" and step.retries == 2
    assert step.message_id and step.message_id.startswith("msg_")
    assert step.errors is not None and len(step.errors) == 1
    (error,) = step.errors
    assert error.status == 500 and error.body == '{"error":"boom: card declined"}'
    assert error.headers is not None and error.headers["upstash-error-step-name"] == ["charge"]
    assert error.time is not None and error.time <= time.time() * 1000
    expected_retry = (qstash.clock.now() + backoff(1)) * 1000
    assert step.next_delivery_time is not None and abs(step.next_delivery_time - expected_retry) < 5000
    # The CLI shows it too (below the table), with the endpoint's answer.
    shown = run_cli(qstash, "logs", run.workflow_run_id)
    assert shown.exit_code == 0, shown.stderr
    assert f"{run.workflow_run_id}: step charge STEP_RETRY (1 failed delivery, next try " in shown.stdout
    assert '500 {"error":"boom: card declined"}' in shown.stdout

    assert qstash.fast_forward()
    step = _failing_step(client, run.workflow_run_id)
    assert step.state == "STEP_FAILED" and step.next_delivery_time is None
    assert step.errors is not None and [e.status for e in step.errors] == [500, 500, 500]
    shown = run_cli(qstash, "logs", "--state", "RUN_FAILED")
    assert f"{run.workflow_run_id}: step charge STEP_FAILED (3 failed deliveries): 500 " in shown.stdout
    # The DLQ keeps the last answer, as before.
    (entry,) = client.dlq.list().messages
    assert entry.response_status == 500 and entry.response_body == '{"error":"boom: card declined"}'
    as_json = json.loads(run_cli(qstash, "--json", "logs", run.workflow_run_id).stdout)
    (next_group,) = [g for g in as_json["runs"][0]["steps"] if g["type"] == "next"]
    assert next_group["steps"][0]["errors"][0]["body"] == '{"error":"boom: card declined"}'


def test_a_step_that_recovers_leaves_no_next_group(qstash: LocalQStash, endpoint: Endpoint, client: Client) -> None:
    endpoint.fail = True
    run = client.trigger(url=endpoint.url)
    assert qstash.settle()
    assert _failing_step(client, run.workflow_run_id).state == "STEP_RETRY"
    endpoint.fail = False
    assert qstash.fast_forward()
    (log,) = client.logs(workflow_run_id=run.workflow_run_id).runs
    assert log.workflow_state == "RUN_SUCCESS" and all(g.type != "next" for g in log.steps)


def test_a_failure_stays_when_an_earlier_delivery_answers_after_it(
    qstash: LocalQStash, endpoint: Endpoint, client: Client
) -> None:
    endpoint.fail_step = 2  # the first delivery publishes step 1 and answers 200 after step 2's 500
    run = client.trigger(url=endpoint.url)
    assert qstash.settle()
    labels = [(d.step, d.status) for d in qstash.deliveries]
    assert labels == [("step 2 charge", 500), ("step 1 s1", 200)]  # recorded as they answered
    step = _failing_step(client, run.workflow_run_id)
    assert step.state == "STEP_RETRY" and step.errors is not None and len(step.errors) == 1


def test_every_delivery_is_signed_with_the_current_key_even_when_none_was_given() -> None:
    with LocalQStash(deliver=True) as server, Client(token=server.token, base_url=server.url) as c:
        keys = c.signing_keys.get()
        assert (keys.current, keys.next) == (server.signing_keys.current, server.signing_keys.next)
        assert keys.current and keys.next and keys.current != keys.next
        endpoint = Endpoint(server)
        thread = threading.Thread(target=endpoint.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            c.trigger(url=endpoint.url)
            assert server.settle()
            rotated = c.signing_keys.rotate()
            assert rotated.current == keys.next and rotated.next not in (keys.current, keys.next)
            c.trigger(url=endpoint.url)
            assert server.settle()
        finally:
            endpoint.server.shutdown()
            endpoint.server.server_close()
            thread.join(timeout=5)
    signers = [_signed_with(r["headers"]["upstash-signature"], (keys.current, keys.next)) for r in endpoint.received]
    # Each run: its first delivery, then step 1's (the endpoint's first sleep holds the rest).
    assert signers == [keys.current, keys.current, keys.next, keys.next]


def _signed_with(signature: str, keys: tuple[str, ...]) -> str | None:
    signing_input, _, mac = signature.rpartition(".")
    for key in keys:
        if hmac.compare_digest(
            base64.urlsafe_b64decode(mac + "=="),
            hmac.new(key.encode(), signing_input.encode(), hashlib.sha256).digest(),
        ):
            return key
    return None


@pytest.mark.parametrize(("current", "next_key"), [("", None), (None, " padded "), (None, "")])
def test_signing_keys_must_be_non_empty(current: str | None, next_key: str | None) -> None:
    with pytest.raises(ValueError, match="signing_key must be a non-empty string"):
        LocalQStash(signing_key=current, next_signing_key=next_key)


def test_dlq_resume_delivers_the_run_again(qstash: LocalQStash, endpoint: Endpoint, client: Client) -> None:
    endpoint.fail = True
    run = client.trigger(url=endpoint.url, retries=0)
    assert qstash.fast_forward()
    endpoint.fail = False
    (entry,) = client.dlq.list().messages
    assert client.dlq.resume(entry.dlq_id).workflow_runs[0].workflow_run_id == run.workflow_run_id
    assert qstash.fast_forward()
    assert client.logs(workflow_run_id=run.workflow_run_id).runs[0].workflow_state == "RUN_SUCCESS"


def test_cancel_drops_the_pending_wake_up(qstash: LocalQStash, endpoint: Endpoint, client: Client) -> None:
    run = client.trigger(url=endpoint.url)
    assert qstash.settle() and len(endpoint.received) == 2
    assert client.cancel(run.workflow_run_id).cancelled == 1
    assert qstash.fast_forward()
    assert len(endpoint.received) == 2
    assert client.logs(workflow_run_id=run.workflow_run_id).runs[0].workflow_state == "RUN_CANCELED"


def test_only_loopback_urls_are_delivered_to(qstash: LocalQStash, client: Client) -> None:
    client.trigger(url="https://not-loopback.example.com/wf", workflow_run_id="far")
    assert qstash.fast_forward()
    (delivery,) = qstash.deliveries
    assert delivery.status is None and "loopback" in (delivery.error or "")


def test_time_helpers_need_deliver() -> None:
    with LocalQStash() as qstash, pytest.raises(RuntimeError, match="deliver=True"):
        qstash.fast_forward()


@pytest.mark.parametrize(
    ("text", "seconds"), [("30", 30), ("30s", 30), ("1h30m", 5400), ("1d", 86400), ("500ms", 0.5), (7, 7)]
)
def test_durations(text: str | int, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "1x", "s", "1d junk"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(Exception, match="invalid duration"):
        parse_duration(text)


def test_backoff_grows_and_is_capped_at_a_day() -> None:
    delays = [backoff(n) for n in range(1, 8)]
    assert delays == sorted(delays) and delays[-1] == 86400


def test_bad_follow_up_calls_get_clear_4xx_answers(qstash: LocalQStash, endpoint: Endpoint, client: Client) -> None:
    run = client.trigger(url=endpoint.url)
    assert qstash.settle()
    auth = {"Authorization": f"Bearer {qstash.token}"}
    step = {"Upstash-Workflow-RunId": run.workflow_run_id, "Upstash-Workflow-Init": "false"}
    answers = {
        "wait without a step": httpx.post(f"{qstash.url}/v2/wait/ev", json={"url": endpoint.url}, headers=auth),
        "wait for an unknown run": httpx.post(
            f"{qstash.url}/v2/wait/ev", json={"url": endpoint.url, "step": {}}, headers=auth
        ),
        "end an unknown run": httpx.delete(f"{qstash.url}/v2/workflows/runs/wfr_nope?cancel=false", headers=auth),
        "a step that is not JSON": httpx.post(
            f"{qstash.url}/v2/publish/{endpoint.url}", content=b"not json", headers={**auth, **step}
        ),
        "a bad delay": httpx.post(
            f"{qstash.url}/v2/batch",
            json=[{"destination": endpoint.url, "headers": {**step, "Upstash-Delay": "soon"}, "body": "{}"}],
            headers=auth,
        ),
        "no token": httpx.post(f"{qstash.url}/v2/wait/ev", json={}),
    }
    statuses = {name: answer.status_code for name, answer in answers.items()}
    assert statuses == {
        "wait without a step": 400,
        "wait for an unknown run": 404,
        "end an unknown run": 404,
        "a step that is not JSON": 400,
        "a bad delay": 400,
        "no token": 401,
    }
    assert all("error" in answer.json() for answer in answers.values())
    (log,) = client.logs(workflow_run_id=run.workflow_run_id).runs  # the rejected steps left no trace
    assert [s.step_name for g in reversed(log.steps) for s in g.steps] == ["init", "s1", "s2"]


def test_the_clock_only_moves_forward(qstash: LocalQStash) -> None:
    with pytest.raises(ValueError, match="forward"):
        qstash.advance(-1)


def test_the_endpoint_can_end_its_run_as_cancelled(qstash: LocalQStash, endpoint: Endpoint, client: Client) -> None:
    """``DELETE /v2/workflows/runs/{id}?cancel=true`` (what an SDK's context.cancel sends)."""
    run = client.trigger(url=endpoint.url)
    assert qstash.settle()
    auth = {"Authorization": f"Bearer {qstash.token}"}
    url = f"{qstash.url}/v2/workflows/runs/{run.workflow_run_id}?cancel=true"
    assert httpx.delete(url, headers=auth).status_code == 200
    assert qstash.fast_forward() and len(endpoint.received) == 2
    assert client.logs(workflow_run_id=run.workflow_run_id).runs[0].workflow_state == "RUN_CANCELED"


@pytest.mark.parametrize("seconds", [math.inf, -math.inf, math.nan, -1])
def test_the_clock_moves_by_a_finite_amount(qstash: LocalQStash, seconds: float) -> None:
    with pytest.raises(ValueError, match=r"finite|forward"):
        qstash.advance(seconds)
    assert abs(qstash.clock.now() - time.time()) < 60  # unmoved


def test_an_endpoint_that_drips_its_answer_is_cut_at_the_delivery_timeout() -> None:
    """httpx's timeouts bound each read; a byte every 0.2 s must still not outlive the 1 s bound."""
    written: list[int] = []

    class Drip(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Length", "40")
            self.end_headers()
            sent = 0
            try:
                for _ in range(40):  # 8 s in all, unless the reader goes away
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    sent += 1
                    time.sleep(0.2)
            except OSError:
                pass
            written.append(sent)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    endpoint = ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    endpoint.daemon_threads = True
    thread = threading.Thread(target=endpoint.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        with LocalQStash(deliver=True, delivery_timeout=1.0) as qstash:
            with Client(token=qstash.token, base_url=qstash.url) as local:
                local.trigger(url=f"http://127.0.0.1:{endpoint.server_address[1]}/wf", retries=0)
            assert qstash.settle(timeout=15)
            deliveries = list(qstash.deliveries)  # the step, then its failure callback (same endpoint)
    finally:
        endpoint.shutdown()
        endpoint.server_close()
        thread.join(timeout=5)
    assert [(d.kind, d.status) for d in deliveries] == [("step", None), ("failure", None)]
    assert all("Timeout" in (d.error or "") for d in deliveries)
    assert written and max(written) < 20  # each cut after about 1 s, not read to the end
