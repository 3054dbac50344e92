"""The dashboard's files and session (LocalQStash(ui=True)) over real HTTP, without a browser: the
token never reaches the page, the session cookie stands in for it only on a loopback Host, and a
request that changes something must come from the page's own origin."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from upstash_workflow.rest.testing import LocalQStash
from upstash_workflow.rest.testing._ui import COOKIE, STATIC


@pytest.fixture
def qstash() -> Iterator[LocalQStash]:
    with LocalQStash(ui=True) as server:
        yield server


@contextmanager
def session(qstash: LocalQStash) -> Iterator[httpx.Client]:
    """A cookie-keeping client that has loaded the dashboard (as a browser does)."""
    with httpx.Client(base_url=qstash.url, timeout=10) as http:
        assert http.get("/ui/").status_code == 200
        yield http


@pytest.mark.parametrize("path", ["/ui/", "/ui/runs", "/ui/runs/wfr_abc", "/ui/dlq", "/ui/waiters", "/ui/flow-control"])
def test_every_page_is_the_app_with_a_strict_session_cookie_and_no_token(qstash: LocalQStash, path: str) -> None:
    response = httpx.get(qstash.url + path, timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert qstash.token not in response.text
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert qstash.token not in cookie
    for attribute in ("HttpOnly", "SameSite=Strict", "Path=/"):
        assert attribute in cookie
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "require-trusted-types-for 'script'" in csp


@pytest.mark.parametrize("name", sorted(STATIC))
def test_static_files_come_from_the_package_and_fetch_nothing_from_elsewhere(qstash: LocalQStash, name: str) -> None:
    response = httpx.get(f"{qstash.url}/ui/static/{name}", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(STATIC[name])
    assert qstash.token not in response.text
    page = httpx.get(f"{qstash.url}/ui/", timeout=10).text
    for text in (response.text, page):
        assert "https://" not in text.replace("http://www.w3.org/2000/svg", "")
        assert "innerHTML" not in text.replace("an innerHTML assignment", "")


def test_the_session_reads_and_acts_like_the_token(qstash: LocalQStash) -> None:
    with session(qstash) as http:
        assert http.get("/v2/workflows/logs").status_code == 200
        origin = {"Origin": qstash.url}
        assert http.post("/v2/flowControl/k/pause", headers=origin).status_code == 200
    assert qstash.state.flow_control.get("k") is not None


def test_without_the_session_the_api_still_wants_the_token(qstash: LocalQStash) -> None:
    assert httpx.get(f"{qstash.url}/v2/workflows/logs", timeout=10).status_code == 401
    forged = {"Cookie": f"{COOKIE}=not-the-secret"}
    assert httpx.get(f"{qstash.url}/v2/workflows/logs", headers=forged, timeout=10).status_code == 401


def test_a_change_from_another_origin_is_refused(qstash: LocalQStash) -> None:
    with session(qstash) as http:
        for headers in ({}, {"Origin": "http://evil.example"}, {"Origin": "null"}):
            assert http.post("/v2/flowControl/k/pause", headers=headers).status_code == 401
    assert qstash.state.flow_control.get("k") is None


def test_a_non_loopback_host_gets_neither_page_nor_session(qstash: LocalQStash) -> None:
    rebound = {"Host": "attacker.example"}
    page = httpx.get(f"{qstash.url}/ui/", headers=rebound, timeout=10)
    assert page.status_code == 421 and "set-cookie" not in page.headers
    with session(qstash) as http:
        assert http.get("/v2/workflows/logs", headers=rebound).status_code == 401


def test_files_are_read_only_and_unknown_ones_are_404(qstash: LocalQStash) -> None:
    assert httpx.post(f"{qstash.url}/ui/", timeout=10).status_code == 405
    assert httpx.get(f"{qstash.url}/ui/static/../_ui.py", timeout=10).status_code == 404
    assert httpx.get(f"{qstash.url}/ui/nothing", timeout=10).status_code == 404
    redirect = httpx.get(f"{qstash.url}/ui", timeout=10)
    assert redirect.status_code == 308 and redirect.headers["location"] == "/ui/"


def test_without_ui_there_is_no_dashboard_and_no_session() -> None:
    with LocalQStash() as qstash:
        assert httpx.get(f"{qstash.url}/ui/", timeout=10).status_code == 404
        assert "set-cookie" not in httpx.get(f"{qstash.url}/ui/", timeout=10).headers


@pytest.mark.parametrize("flag", [None, "--no-ui"])
def test_the_dev_command_prints_and_serves_the_dashboard(flag: str | None) -> None:
    command = [sys.executable, "-m", "upstash_workflow.rest", "dev", "--port", "0", "--json"]
    proc = subprocess.Popen([*command, *([flag] if flag else [])], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        shown = json.loads(proc.stdout.readline())
        page = httpx.get(f"{shown['url']}/ui/", timeout=10)
        if flag is None:
            assert shown["ui"] == f"{shown['url']}/ui/"
            assert page.status_code == 200 and shown["token"] not in page.text
        else:
            assert "ui" not in shown and page.status_code == 404
    finally:
        proc.terminate()
        proc.wait(timeout=10)
