"""Screenshots of each dashboard page into docs/images/ (ui-*.png), from real runs: workflows served
by the official Python SDK (tests/support/e2e/python_app.py) against LocalQStash(deliver=True, ui=True),
photographed in the system's headless Chromium. Run from the repository root: scripts/screenshots."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.browser import chromium  # noqa: E402
from tests.support.e2e.serve import python_app  # noqa: E402
from tests.support.e2e.venv import ensure_sdk_python  # noqa: E402
from upstash_workflow.rest import Client, FlowControl  # noqa: E402
from upstash_workflow.rest.testing import LocalQStash  # noqa: E402

OUT = ROOT / "docs" / "images"
KEY = "sig_screenshots"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    sdk = ensure_sdk_python()
    with (
        tempfile.TemporaryDirectory() as tmp,
        LocalQStash(deliver=True, ui=True, signing_key=KEY) as qstash,
        python_app(sdk, qstash.url, qstash.token, KEY, Path(tmp) / "app.log") as app,
        Client(token=qstash.token, base_url=qstash.url) as client,
    ):
        order = client.trigger(url=f"{app}/order", body={"items": 3}, headers={"X-Tenant": "acme"}, label="shop")
        client.trigger(url=f"{app}/charge", body={"amount": 5}, retries=2, label="billing")
        assert qstash.fast_forward()
        waiting = client.trigger(
            url=f"{app}/reminder", body={"user": "ada"}, flow_control=FlowControl(key="tenant-acme", parallelism=2)
        )
        client.trigger(
            url=f"{app}/reminder", body={"user": "bob"}, flow_control=FlowControl(key="tenant-globex", rate=10)
        )
        assert qstash.settle()
        qstash.add_waiter("order-approved", waiting.workflow_run_id)
        client.flow_control.pause("tenant-globex")
        failed = next(m for m in client.dlq.list().messages)
        httpx.post(f"{app}/repair", timeout=10)  # the DLQ entry stays; resuming it would now work
        pages = {
            "ui-runs.png": "/ui/",
            "ui-run.png": f"/ui/runs/{order.workflow_run_id}",
            "ui-run-failed.png": f"/ui/runs/{failed.workflow_run_id}",
            "ui-dlq.png": "/ui/dlq",
            "ui-waiters.png": "/ui/waiters",
            "ui-flow-control.png": "/ui/flow-control",
        }
        with chromium() as browser:
            page = browser.new_page(viewport={"width": 1280, "height": 760})
            for name, path in pages.items():
                page.goto(qstash.url + path)
                page.wait_for_selector("main table tbody tr, #timeline", timeout=15_000)
                page.wait_for_timeout(300)
                page.screenshot(path=str(OUT / name), full_page=True)
                print(f"docs/images/{name}")


if __name__ == "__main__":
    main()
