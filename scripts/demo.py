"""A guided tour of upstash_workflow.rest: trigger, waiters and notify, logs, cancel (see scripts/demo),
then a real workflow served by the official Python SDK, run by the embedded LocalQStash."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from upstash_workflow.rest import Client, TriggerRequest, WorkflowError
from upstash_workflow.rest.testing import LocalQStash

ROOT = Path(__file__).resolve().parents[1]
console = Console()
WORKFLOW_URL = os.environ.get("DEMO_WORKFLOW_URL", "https://workflow-endpoint.example.com/api/workflow")


@contextlib.contextmanager
def target() -> Iterator[tuple[Client, LocalQStash | None]]:
    if os.environ.get("QSTASH_TOKEN"):
        with Client() as client:
            console.print(f"Using QStash at [bold]{client.base_url}[/bold] (QSTASH_TOKEN is set)")
            yield client, None
        return
    with LocalQStash() as local, Client(token=local.token, base_url=local.url) as client:
        console.print(f"Using an embedded local QStash at [bold]{local.url}[/bold] (set QSTASH_TOKEN for the real one)")
        yield client, local


def step(title: str) -> None:
    console.print()
    console.rule(f"[bold cyan]{title}")


def main() -> int:
    with target() as (client, local):
        step("1. Trigger a run with your own id")
        run = client.trigger(url=WORKFLOW_URL, body={"hello": "world"}, workflow_run_id="demo-order-42", label="demo")
        console.print(
            f"client.trigger(url=..., workflow_run_id='demo-order-42') -> [green]{run.workflow_run_id}[/green]"
        )

        step("2. Trigger runs with generated ids (one batch request)")
        runs = client.trigger_many(
            [TriggerRequest(url=f"{WORKFLOW_URL}/batch", body=str(i), label="demo") for i in range(3)]
        )
        for r in runs:
            console.print(f"  started [green]{r.workflow_run_id}[/green]")

        step("3. Waiters and notify")
        if local is not None:
            local.add_waiter("demo-payment", run.workflow_run_id)  # what context.waitForEvent does in a workflow
            console.print("(the local server registers a waiter, as a running workflow would)")
        waiters = client.get_waiters(event_id="demo-payment")
        console.print(f"client.get_waiters(event_id='demo-payment') -> {len(waiters)} waiter(s)")
        for w in waiters:
            console.print(f"  {w.url} (deadline {w.deadline})")
        notified = client.notify(event_id="demo-payment", event_data={"paid": True})
        console.print(
            f"client.notify(event_id='demo-payment', event_data={{'paid': True}}) -> {len(notified)} run(s) notified"
        )

        step("4. Run logs")
        table = Table("run id", "state", "url", "steps", header_style="bold cyan")
        for log in client.iter_logs(label="demo", count=2):
            table.add_row(log.workflow_run_id, log.workflow_state, log.workflow_url, str(len(log.steps)))
        console.print(table)

        step("5. Cancel by id, by URL prefix, and all")
        console.print(
            f"client.cancel('{runs[0].workflow_run_id}') -> {client.cancel(runs[0].workflow_run_id).cancelled} cancelled"
        )
        prefix = f"{WORKFLOW_URL}/batch"
        console.print(
            f"client.cancel(url_starting_with='{prefix}') -> {client.cancel(url_starting_with=prefix).cancelled} cancelled"
        )
        if local is not None:
            console.print(f"client.cancel(all=True) -> {client.cancel(all=True).cancelled} cancelled")
        else:
            console.print(
                f"client.cancel('{run.workflow_run_id}') -> {client.cancel(run.workflow_run_id).cancelled} cancelled"
                " (all=True is skipped against a real account)"
            )

        states = {log.workflow_run_id: log.workflow_state for log in client.iter_logs(label="demo")}
        console.print(Panel.fit("\n".join(f"{k}: {v}" for k, v in states.items()), title="final states"))
    real_workflow()
    return 0


def real_workflow() -> None:
    """A workflow served by the official SDK (`upstash-workflow` 2.0.0, FastAPI, its own venv and
    process) runs end to end on the embedded server: steps, a one-day sleep skipped by the clock,
    and a ``context.call``."""
    step("A real workflow, served by the official Python SDK")
    if os.environ.get("QSTASH_TOKEN"):
        console.print("skipped: this part runs on the embedded local QStash only (QSTASH_TOKEN is set)")
        return
    sys.path.insert(0, str(ROOT))
    from tests.support.e2e.serve import python_app
    from tests.support.e2e.venv import SDKUnavailable, ensure_sdk_python

    try:
        python = ensure_sdk_python()
    except SDKUnavailable as exc:
        console.print(f"skipped: {exc}")
        return
    key = "sig_demo-signing-key"
    with (
        tempfile.TemporaryDirectory() as tmp,
        LocalQStash(deliver=True, signing_key=key) as qstash,
        python_app(python, qstash.url, qstash.token, key, Path(tmp) / "app.log") as app,
        Client(token=qstash.token, base_url=qstash.url) as client,
    ):
        run = client.trigger(url=f"{app}/order", body={"items": 3})
        console.print(f"client.trigger(url='{app}/order') -> [green]{run.workflow_run_id}[/green]")
        qstash.settle()
        (log,) = client.logs(workflow_run_id=run.workflow_run_id).runs
        console.print(f"after the first step: {log.workflow_state}, sleeping for a day")
        qstash.fast_forward()
        console.print("qstash.fast_forward() -> the day passes in no time")
        (log,) = client.logs(workflow_run_id=run.workflow_run_id).runs
        table = Table("step", "type", "out")
        for group in reversed(log.steps):
            for s in group.steps:
                table.add_row(s.step_name or "", s.step_type or "", str(s.out)[:60])
        console.print(table)
        console.print(f"real workflow: [bold]{log.workflow_state}[/bold]")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except WorkflowError as exc:
        console.print(f"[red]{type(exc).__name__}:[/red] {exc}")
        sys.exit(1)
