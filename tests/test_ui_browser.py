"""The dashboard (LocalQStash(ui=True)) in a real headless Chromium, against runs of real workflows
served by the official Python SDK (tests/support/e2e/python_app.py). Skips, saying why, where
Chromium, playwright or the SDK cannot be had. Every test also checks the console stayed clean."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.browser import BrowserUnavailable, chromium
from tests.support.e2e.serve import python_app
from tests.support.e2e.venv import SDKUnavailable, ensure_sdk_python
from upstash_workflow.rest import Client, FlowControl
from upstash_workflow.rest.testing import LocalQStash

SIGNING_KEY = "sig_ui-browser-key"
WAIT_MS = 15_000  # the page refreshes every 1.5 s; this bounds every wait for it


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        with chromium() as launched:
            yield launched
    except BrowserUnavailable as exc:
        pytest.skip(f"no browser for the dashboard tests: {exc}")


@pytest.fixture(scope="module")
def qstash() -> Iterator[LocalQStash]:
    with LocalQStash(deliver=True, ui=True, signing_key=SIGNING_KEY) as server:
        yield server


@pytest.fixture(scope="module")
def app(qstash: LocalQStash, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    try:
        sdk = ensure_sdk_python()
    except SDKUnavailable as exc:
        pytest.skip(f"the official SDK is not installable here: {exc}")
    log: Path = tmp_path_factory.mktemp("ui") / "python_app.log"
    with python_app(sdk, qstash.url, qstash.token, SIGNING_KEY, log) as base:
        yield base


@pytest.fixture
def page(browser: Any, qstash: LocalQStash) -> Iterator[Any]:
    """A fresh page (its own cookies); after the test, its console must hold no error."""
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(WAIT_MS)
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
    yield tab
    context.close()
    assert problems == []


def run_state(client: Client, run_id: str) -> str | None:
    (run,) = client.logs(workflow_run_id=run_id).runs
    return run.workflow_state


def test_the_runs_page_lists_runs_live_and_a_click_opens_the_timeline(
    app: str, qstash: LocalQStash, client: Client, page: Any
) -> None:
    done = client.trigger(url=f"{app}/order", body={"items": 3}, headers={"X-Tenant": "acme"}).workflow_run_id
    assert qstash.settle()
    assert qstash.fast_forward()
    page.goto(f"{qstash.url}/ui/")
    assert qstash.token not in page.content()
    row = page.locator(f"tr[data-run='{done}']")
    row.get_by_text("success").wait_for()
    assert row.locator("td").nth(2).inner_text() == f"{app}/order"
    assert row.locator("td").nth(4).inner_text() == "5"  # init, reserve, cool-off, get-quote, confirm

    # A run triggered while the page is open shows up without a reload, and its state follows.
    later = client.trigger(url=f"{app}/reminder", body={}).workflow_run_id
    page.locator(f"tr[data-run='{later}']").get_by_text("started").wait_for()
    page.select_option("select[name=state]", "RUN_SUCCESS")
    page.locator(f"tr[data-run='{later}']").wait_for(state="detached")
    page.select_option("select[name=state]", "")

    page.click(f"a[href='/ui/runs/{done}']")
    page.wait_for_url(re.compile(f"/ui/runs/{done}$"))
    timeline = page.locator("#timeline")
    timeline.wait_for()
    rows = timeline.locator(".tl-row")
    assert [rows.nth(i).get_attribute("data-step") for i in range(rows.count())] == [
        "init",
        "reserve",
        "cool-off",
        "get-quote",
        "confirm",
    ]
    assert timeline.locator("[data-step='cool-off']").get_attribute("data-kind") == "sleepfor"
    assert "sleep 1 d" in timeline.locator("[data-step='cool-off'] .tl-note").inner_text()
    assert "/quote" in timeline.locator("[data-step='get-quote'] .tl-note").inner_text()
    assert '"items": 3' in page.locator("#trigger-body").inner_text()
    assert "acme" in page.locator("main").inner_text()  # the forwarded X-Tenant header
    assert "confirmed at 21 EUR" in page.locator(".steps").inner_text()


def test_a_failed_run_shows_its_retries_and_resuming_it_from_the_dlq_works(
    app: str, qstash: LocalQStash, client: Client, page: Any
) -> None:
    run_id = client.trigger(url=f"{app}/charge", body={"amount": 5}, retries=2).workflow_run_id
    assert qstash.fast_forward()
    assert run_state(client, run_id) == "RUN_FAILED"

    page.goto(f"{qstash.url}/ui/runs/{run_id}")
    failed = page.locator("#timeline .tl-row[data-kind='failed']")
    failed.wait_for()
    assert failed.locator(".tick").count() == 3  # the first delivery and its 2 retries
    assert "card declined" in page.locator(".steps").inner_text()

    httpx.post(f"{app}/repair", timeout=10)
    page.click("nav a[data-page='dlq']")
    row = page.locator("#dlq tr", has=page.locator(f"a[href='/ui/runs/{run_id}']"))
    row.get_by_role("button", name="Resume").click()
    row.wait_for(state="detached")
    assert qstash.fast_forward()
    assert run_state(client, run_id) == "RUN_SUCCESS"
    page.click("a[href='/ui/']")
    page.locator(f"tr[data-run='{run_id}']").get_by_text("success").wait_for()


def test_notify_from_the_waiters_page_reaches_the_waiting_run(
    app: str, qstash: LocalQStash, client: Client, page: Any
) -> None:
    run_id = client.trigger(url=f"{app}/reminder", body={}).workflow_run_id
    assert qstash.settle()
    # The official Python SDK has no waitForEvent; register the wait as the TS SDK's call would.
    qstash.add_waiter("approval-42", run_id)
    page.goto(f"{qstash.url}/ui/waiters")
    row = page.locator("#waiters tr[data-event='approval-42']")
    row.wait_for()
    row.get_by_role("button", name="Notify…").click()
    assert page.input_value("#notify-event") == "approval-42"
    page.fill("#notify-data", '{"approved": true}')
    page.get_by_role("button", name="Notify", exact=True).click()
    page.locator("#notify-result").get_by_text("notified 1 waiter(s)").wait_for()
    row.wait_for(state="detached")
    assert client.get_waiters("approval-42") == []
    (run,) = client.logs(workflow_run_id=run_id).runs
    outs = [s.out for g in run.steps for s in g.steps if s.step_type == "Wait"]
    assert outs == ['{"approved": true}']


def test_a_flow_control_key_pauses_and_resumes_from_the_page(
    app: str, qstash: LocalQStash, client: Client, page: Any
) -> None:
    client.trigger(url=f"{app}/reminder", body={}, flow_control=FlowControl(key="ui-tenant", parallelism=1))
    assert qstash.settle()
    page.goto(f"{qstash.url}/ui/flow-control")
    row = page.locator("#flow-control tr[data-key='ui-tenant']")
    row.get_by_role("button", name="Pause").click()
    row.get_by_text("paused").wait_for()
    assert client.flow_control.get("ui-tenant").is_paused is True
    row.get_by_role("button", name="Resume").click()
    row.get_by_text("active").wait_for()
    assert client.flow_control.get("ui-tenant").is_paused is False
