# mypy: ignore-errors
"""Workflows served by the official Python SDK (`upstash-workflow` 2.0.0) with FastAPI. Runs in its
own virtual environment (see venv.py) under uvicorn; the SDK finds LocalQStash through QSTASH_URL,
QSTASH_TOKEN and the signing keys in its environment. E2E_SELF_URL is this app's own base URL.

Every workflow step appends to ``journal`` (read with GET /journal), so tests can see what ran."""

from __future__ import annotations

import os
from typing import Any

from fastapi import FastAPI, Request
from upstash_workflow.fastapi import Serve

from upstash_workflow import AsyncWorkflowContext

SELF = os.environ["E2E_SELF_URL"]
app = FastAPI()
serve = Serve(app)
journal: list[dict[str, Any]] = []
broken = {"charge": True}


def note(workflow: str, step: str, **data: Any) -> None:
    journal.append({"workflow": workflow, "step": step, **data})


@app.get("/journal")
async def read_journal() -> list[dict[str, Any]]:
    return journal


@app.post("/repair")
async def repair() -> dict[str, bool]:
    broken["charge"] = False
    return broken


@app.post("/quote")
async def quote(request: Request) -> dict[str, Any]:
    """The third-party API that ``context.call`` reaches (over loopback, through LocalQStash)."""
    order = await request.json()
    note("quote", "called", order=order, tenant=request.headers.get("x-tenant"))
    return {"price": order["items"] * 7, "currency": "EUR"}


@serve.post("/order")
async def order(context: AsyncWorkflowContext[dict[str, Any]]) -> None:
    """Steps in order, a one-day sleep, then a call whose answer the next step uses."""
    payload = context.request_payload

    async def reserve() -> dict[str, Any]:
        note("order", "reserve", run=context.workflow_run_id)
        return {"items": payload["items"]}

    reserved = await context.run("reserve", reserve)
    await context.sleep("cool-off", 86400)
    answer = await context.call(
        "get-quote", url=f"{SELF}/quote", method="POST", body=reserved, headers={"X-Tenant": "acme"}
    )

    async def confirm() -> str:
        note("order", "confirm", price=answer.body["price"], status=answer.status)
        return f"confirmed at {answer.body['price']} {answer.body['currency']}"

    await context.run("confirm", confirm)


@serve.post("/reminder")
async def reminder(context: AsyncWorkflowContext[dict[str, Any]]) -> None:
    """Sleeps a week between two steps: what a cancel stops."""

    async def schedule() -> str:
        note("reminder", "schedule", run=context.workflow_run_id)
        return "scheduled"

    await context.run("schedule", schedule)
    await context.sleep("wait-a-week", "7d")

    async def send() -> str:
        note("reminder", "send", run=context.workflow_run_id)
        return "sent"

    await context.run("send", send)


@serve.post("/deadline")
async def deadline(context: AsyncWorkflowContext[dict[str, Any]]) -> None:
    """``sleep_until`` the payload's ``wake_at`` (unix seconds: Upstash-Not-Before), then one step."""
    wake_at = await context.run("plan", lambda: context.request_payload["wake_at"])
    await context.sleep_until("until-deadline", wake_at)

    async def remind() -> str:
        note("deadline", "remind", run=context.workflow_run_id)
        return "reminded"

    await context.run("remind", remind)


async def charge_failed(context: AsyncWorkflowContext[Any], status: int, message: str, headers: Any) -> None:
    note("charge", "failure-function", status=status, message=message, run=context.workflow_run_id)


@serve.post("/charge", retries=2, failure_function=charge_failed)
async def charge(context: AsyncWorkflowContext[dict[str, Any]]) -> None:
    """Its step fails (HTTP 500 from the SDK) until POST /repair."""

    async def attempt() -> str:
        note("charge", "attempt", run=context.workflow_run_id)
        if broken["charge"]:
            raise RuntimeError("card declined")
        return "charged"

    await context.run("charge-card", attempt)


@serve.post("/traced")
async def traced(context: AsyncWorkflowContext[dict[str, Any]]) -> None:
    """Two steps; every delivery notes the W3C trace context it came with (tests/test_tracing.py's
    end-to-end test: the trigger's span continues into the run)."""
    incoming = {k.lower(): v for k, v in context.headers.items()}
    note("traced", "delivery", run=context.workflow_run_id, traceparent=incoming.get("traceparent"))

    async def first() -> str:
        return "one"

    async def second() -> str:
        return "two"

    await context.run("first", first)
    await context.run("second", second)
