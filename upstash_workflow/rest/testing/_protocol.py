"""The wire protocol between QStash and workflow endpoints, as pure functions and records: what a
delivery looks like and what the SDKs send back. The engine (`_workflow.py`) schedules and sends.

Protocol facts (from upstash/workflow-py ``upstash_workflow/workflow_requests.py``,
``upstash_workflow/workflow_parser.py``, ``upstash_workflow/context/auto_executor.py``, the
``qstash`` package's ``receiver.py``, and upstash/workflow-js ``src/workflow-parser.ts``,
``src/workflow-requests.ts``, ``src/context/steps.ts``):

- A run's URL gets POSTs whose body is a JSON array: the initial request, then every finished step,
  each as ``{"messageId", "body": base64(...), "callType": "step"}`` (a step's body is the step JSON
  the SDK published). ``Upstash-Forward-X`` headers arrive as ``X`` (so ``Upstash-Workflow-Sdk-Version``
  tells the SDK this is not a first invocation).
- The SDK publishes each finished step (``POST /v2/batch`` or ``/v2/publish/{url}``) with
  ``Upstash-Workflow-RunId``/``-Init: false``, optionally ``Upstash-Delay``/``Upstash-Not-Before``
  (sleeps), and ends the run with ``DELETE /v2/workflows/runs/{id}?cancel=false``.
- ``context.call``: a message to the called URL with ``Upstash-Method`` and ``Upstash-Callback``; the
  answer goes to the callback URL as ``{"status", "header", "body": base64}`` with the
  ``Upstash-Callback-Forward-*``/``Upstash-Callback-Workflow-*`` headers, and the SDK publishes it as
  the step's result.
- ``context.waitForEvent`` (TS SDK): ``POST /v2/wait/{eventId}`` with ``{url, timeout, timeoutUrl,
  timeoutHeaders, step}``; a notify (or the timeout) resumes the run with a ``Wait`` step whose
  ``out`` is base64(event data) (or ``waitTimeout: true``).
- A delivery that keeps failing is retried ``Upstash-Retries`` times (3 when absent), then the run
  goes to the DLQ and the ``Upstash-Failure-Callback`` URL gets ``{"status", "header", "body",
  "url", "sourceBody", "workflowRunId", ...}`` with the ``Upstash-Failure-Callback-*`` headers.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from ._state import BadRequest, Run, _random_id

DEFAULT_RETRIES = 3
MAX_BACKOFF = 86_400.0
# Headers of the endpoint's own incoming request that the SDKs forward back; resending them would
# corrupt the next request (hop-by-hop, framing) or the delivery's own identity.
NOT_FORWARDED = {
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "te",
    "trailer",
    "upgrade",
    "accept-encoding",
    "upstash-signature",
    "upstash-message-id",
    "upstash-retried",
}
_DURATION = re.compile(r"(\d+)(ms|s|m|h|d)")
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}

Kind = Literal["step", "call", "callback", "failure", "timeout"]


def parse_duration(value: str | int | float) -> float:
    """Seconds in a QStash duration: ``30``, ``"30s"``, ``"1h30m"``, ``"1d"``."""
    if isinstance(value, int | float):
        return float(value)
    text = value.strip()
    if text.isdigit():
        return float(text)
    parts = _DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise BadRequest(f"invalid duration {value!r}")
    return sum(int(n) * _UNIT_SECONDS[u] for n, u in parts)


def backoff(retried: int) -> float:
    """QStash's documented retry delay: min(1 day, e^(2.5 n)) seconds after the n-th failure."""
    return min(MAX_BACKOFF, math.exp(2.5 * retried))


def b64(text: str | bytes) -> str:
    return base64.b64encode(text.encode() if isinstance(text, str) else text).decode()


def with_prefix(headers: Mapping[str, str], prefix: str) -> dict[str, str]:
    return {k[len(prefix) :]: v for k, v in headers.items() if k.startswith(prefix)}


def retarget(headers: Mapping[str, str], prefix: str) -> dict[str, str]:
    """The headers of a derived message: ``Upstash-Callback-X`` (or ``Upstash-Failure-Callback-X``)
    becomes ``Upstash-X``, so ``...-Forward-Y`` reaches the endpoint as ``Y`` and ``...-Workflow-RunId``
    as the workflow header."""
    return {"upstash-" + k: v for k, v in with_prefix(headers, prefix).items()}


RESPONSE_EXCERPT = 1024  # what a Delivery keeps of the answer (the full body of a failed step is in the logs)


@attrs.frozen
class Delivery:
    """One HTTP request LocalQStash made to an endpoint: a workflow step, a ``context.call``, its
    callback or a failure callback. ``status`` is None when it failed with ``error``.

    ``step`` says what it ran for people (``step 2 reserve``, ``context.call``, ...), ``seconds`` how
    long it took, ``retried`` how many deliveries of the same message came before it (of
    ``max_retries``), ``retry_in`` when it failed and is retried: the backoff in seconds, and
    ``response`` the start of the endpoint's answer."""

    workflow_run_id: str
    url: str
    headers: dict[str, str]
    body: str | None
    status: int | None
    error: str | None
    kind: str = "step"
    method: str = "POST"
    step: str = ""
    seconds: float = 0.0
    retried: int = 0
    max_retries: int = 0
    retry_in: float | None = None
    response: str = ""  # the start of the endpoint's answer (`RESPONSE_EXCERPT` characters)

    @property
    def ok(self) -> bool:
        """Whether the endpoint answered 2xx."""
        return self.status is not None and 200 <= self.status < 300


@attrs.define
class Message:
    """A message waiting for (another) delivery. ``headers`` have lower-case names."""

    kind: Kind
    run_id: str
    destination: str
    headers: dict[str, str]
    body: str
    message_id: str = attrs.field(factory=lambda: _random_id("msg_"))
    method: str = "POST"
    retried: int = 0
    dlq_id: str | None = None  # failure callbacks: the DLQ entry whose callback state they report

    @property
    def max_retries(self) -> int:
        value = self.headers.get("upstash-retries", "")
        return int(value) if value.isdigit() else DEFAULT_RETRIES


def callback_message(call: Message, status: int, text: str, answer_headers: dict[str, list[str]]) -> Message:
    """The ``context.call`` result, addressed to the workflow as ``Upstash-Callback`` asks."""
    headers = retarget(call.headers, "upstash-callback-")
    body = {
        "status": status,
        "header": answer_headers,
        "body": b64(text),
        "retried": call.retried,
        "maxRetries": call.max_retries,
        "sourceMessageId": call.message_id,
        "url": call.destination,
        "method": call.method,
        "sourceBody": b64(call.body),
        "sourceHeader": {k: [v] for k, v in call.headers.items()},
    }
    return Message("callback", call.run_id, call.headers["upstash-callback"], headers, json.dumps(body))


def failure_message(run: Run, message: Message, dlq_id: str, status: int, text: str) -> Message | None:
    """The failure callback of a message whose retries are exhausted (None when it has none)."""
    callback_url = message.headers.get("upstash-failure-callback")
    if not callback_url:
        return None
    body = {
        "status": status,
        "header": {"Content-Type": ["application/json"]},
        "body": b64(text),
        "retried": message.retried,
        "maxRetries": message.max_retries,
        "dlqId": dlq_id,
        "sourceMessageId": message.message_id,
        "url": message.destination,
        "method": message.method,
        "sourceHeader": {k: [v] for k, v in message.headers.items()},
        "sourceBody": b64(run.body or ""),
        "workflowRunId": run.workflow_run_id,
    }
    headers = retarget(message.headers, "upstash-failure-callback-")
    failure = Message("failure", run.workflow_run_id, callback_url, headers, json.dumps(body))
    failure.dlq_id = dlq_id
    return failure


def step_payload(run: Run, bodies: list[tuple[str, str]], message: Message) -> list[dict[str, Any]]:
    """The body of a delivery to a run's URL: the initial request, then every finished step (and the
    delivered message's own step when it is not one of them: a parallel plan step)."""
    payload = [{"messageId": run.message_id, "body": b64(run.body or ""), "callType": "step"}]
    payload += [{"messageId": mid, "body": b64(text), "callType": "step"} for mid, text in bodies]
    if message.body and message.message_id not in {mid for mid, _ in bodies}:
        payload.append({"messageId": message.message_id, "body": b64(message.body), "callType": "step"})
    return payload


def delivered_headers(message: Message, run_url: str, default_feature_set: str) -> dict[str, str]:
    """The headers (lower-case) QStash sends with a message, before its signature."""
    forwarded = with_prefix(message.headers, "upstash-forward-")
    headers = {k: v for k, v in forwarded.items() if k not in NOT_FORWARDED}
    if message.kind != "call":  # the workflow's own control headers reach its endpoint
        control = ("upstash-workflow-", "upstash-feature-set")
        headers.update({k: v for k, v in message.headers.items() if k.startswith(control)})
    if message.kind == "step":
        headers.update(
            {
                "upstash-workflow-runid": message.run_id,
                "upstash-workflow-url": message.headers.get("upstash-workflow-url", run_url),
                "upstash-workflow-init": message.headers.get("upstash-workflow-init", "false"),
                "upstash-feature-set": message.headers.get("upstash-feature-set", default_feature_set),
            }
        )
    headers["content-type"] = message.headers.get("content-type", "application/json")
    headers.update({"upstash-message-id": message.message_id, "upstash-retried": str(message.retried)})
    return headers


def step_of(body: str) -> dict[str, Any]:
    try:
        step = json.loads(body)
    except (ValueError, RecursionError):
        raise BadRequest("a workflow step body must be JSON") from None
    if not isinstance(step, dict):
        raise BadRequest("a workflow step body must be a JSON object")
    return step


def canonical(name: str) -> str:
    """Header names as QStash (Go's net/http) writes them: ``Upstash-Workflow-Runid``."""
    return "-".join(part.capitalize() for part in name.split("-"))


def parse_json(body: bytes) -> Any:
    try:
        return json.loads(body or b"null")
    except (ValueError, RecursionError):
        raise BadRequest("the body is not JSON") from None


def log_step(step: Mapping[str, Any], message: Message, created_at: int) -> dict[str, Any]:
    """A finished step as the logs endpoint shows it."""
    out = step.get("out")
    log: dict[str, Any] = {
        "stepId": step.get("stepId"),
        "stepName": step.get("stepName"),
        "stepType": step.get("stepType"),
        "callType": "step",
        "messageId": message.message_id,
        "out": out if isinstance(out, str) or out is None else json.dumps(out),
        "retries": message.max_retries,
        "concurrent": step.get("concurrent", 1),
        "state": "STEP_SUCCESS",
        "createdAt": created_at,
        "headers": {},
    }
    for key in ("sleepFor", "sleepUntil"):
        if isinstance(step.get(key), int):
            log[key] = step[key]
    if step.get("waitEventId"):
        log["waitEventId"] = step["waitEventId"]
        log["waitTimeout"] = bool(step.get("waitTimeout"))
    if step.get("stepType") == "Call" and isinstance(out, str):
        try:
            answer = json.loads(out)
            log["callResponseStatus"] = answer.get("status")
            log["callResponseBody"] = answer.get("body")
        except (ValueError, AttributeError):
            pass
    return log
