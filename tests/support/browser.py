"""Headless Chromium (Debian's ``chromium`` package) driven by playwright, for the dashboard's tests
and scripts/screenshots. Never `playwright install`: the browser is the system's."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class BrowserUnavailable(Exception):
    """Chromium or playwright is missing here; says why."""


def chromium_path() -> str:
    path = os.environ.get("UPSTASH_WORKFLOW_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        raise BrowserUnavailable("no chromium here (Debian: apt-get install chromium; .ci/run does it as root)")
    return path


@contextmanager
def chromium() -> Iterator[Any]:
    """A launched playwright Browser on the system's Chromium."""
    path = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise BrowserUnavailable(f"playwright is not installed: {exc}") from None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
