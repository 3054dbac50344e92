"""The httpx clients this package creates (`_http`), over real loopback sockets: no cookies, the
environment's proxy as httpx reads it, the deadline through a proxy, no TLS set-up for a plain-HTTP
base URL; an ``http_client`` of your own is used as given. And the package reaches into no private
attribute of httpx or httpcore."""

from __future__ import annotations

import ast
import asyncio
import json
import ssl
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support import fault_server as fs
from tests.support.hostile import MODES, run
from upstash_workflow.rest import APIConnectionError, APITimeoutError, AsyncClient, Client

LOGS_PAGE = json.dumps({"runs": [], "cursor": ""}).encode()
SLACK = 1.5  # as in test_hostile_servers
PROXY_VARIABLES = ["http_proxy", "https_proxy", "all_proxy", "no_proxy", "REQUEST_METHOD"]


def logs_twice(client: Any) -> Any:
    if isinstance(client, AsyncClient):

        async def both() -> None:
            await client.logs()
            await client.logs()

        return both()
    client.logs()
    return client.logs()


@pytest.fixture
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """An environment without proxy settings (upper and lower case), for the test to add its own."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    return monkeypatch


# ---------------------------------------------------------------------------------------- cookies


@pytest.mark.parametrize("mode", MODES)
def test_our_clients_keep_no_cookies_yours_do(mode: str) -> None:
    headers = {"Content-Type": "application/json", "Set-Cookie": "session=abc; Path=/"}
    with fs.FaultServer(fs.answer(200, LOGS_PAGE, headers)) as server:
        run(mode, server.url, logs_twice)
        assert [r.headers.get("cookie") for r in server.requests] == [None, None]

        if mode == "sync":
            with httpx.Client() as http:
                run(mode, server.url, logs_twice, http_client=http)
        else:
            http_async = httpx.AsyncClient()
            run(mode, server.url, logs_twice, http_client=http_async)
            asyncio.run(http_async.aclose())
        assert [r.headers.get("cookie") for r in server.requests[2:]] == [None, "session=abc"]


# ---------------------------------------------------------------------------------------- proxies


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("no_proxy", "proxied"),
    [("", True), ("example.com", True), ("127.0.0.1", False), ("localhost,127.0.0.1", False), ("*", False)],
)
def test_no_proxy_is_read_as_httpx_reads_it(
    mode: str, no_proxy: str, proxied: bool, no_proxies: pytest.MonkeyPatch
) -> None:
    with fs.FaultServer(fs.answer(200, LOGS_PAGE, {"Content-Type": "application/json"})) as proxy:
        no_proxies.setenv("HTTP_PROXY", proxy.url.removeprefix("http://"))  # no scheme: http://
        no_proxies.setenv("NO_PROXY", no_proxy)
        with httpx.Client() as plain:  # what httpx itself does with this environment
            try:
                httpx_proxied = plain.get("http://127.0.0.1:9/v2/workflows/events").status_code == 200
            except httpx.ConnectError:  # nothing listens on port 9
                httpx_proxied = False
        assert httpx_proxied is proxied
        if proxied:
            assert run(mode, "http://127.0.0.1:9", lambda c: c.logs()).runs == []
        else:
            with pytest.raises(APIConnectionError):  # nothing listens on port 9
                run(mode, "http://127.0.0.1:9", lambda c: c.logs(), max_retries=0)
        assert len(proxy.requests) == (2 if proxied else 0)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("variable", ["HTTP_PROXY", "ALL_PROXY", "http_proxy"])
def test_requests_go_through_the_environment_proxy(mode: str, variable: str, no_proxies: pytest.MonkeyPatch) -> None:
    with fs.FaultServer(fs.answer(200, LOGS_PAGE, {"Content-Type": "application/json"})) as proxy:
        no_proxies.setenv(variable, proxy.url)
        # Nothing listens on port 9: only the proxy can answer.
        assert run(mode, "http://127.0.0.1:9", lambda c: c.logs()).runs == []
        assert [r.target.split("?")[0] for r in proxy.requests] == ["http://127.0.0.1:9/v2/workflows/events"]

        no_proxies.setenv("NO_PROXY", "127.0.0.1")
        with pytest.raises(APIConnectionError):
            run(mode, "http://127.0.0.1:9", lambda c: c.logs(), max_retries=0)
        assert len(proxy.requests) == 1


# A sync call bounds dripped headers per read only (README, "Timeouts"; tests/test_hostile_servers.py).
@pytest.mark.parametrize(("mode", "part"), [("sync", "body"), ("async", "headers"), ("async", "body")])
def test_a_dripping_proxy_ends_at_the_deadline(mode: str, part: str, no_proxies: pytest.MonkeyPatch) -> None:
    with fs.FaultServer(fs.drip(part, interval=0.05)) as proxy:
        no_proxies.setenv("HTTP_PROXY", proxy.url)
        start = time.monotonic()
        with pytest.raises(APITimeoutError, match=r"deadline of 0\.6 s passed"):
            run(mode, "http://127.0.0.1:9", lambda c: c.logs(), timeout=0.6)
        assert time.monotonic() - start < 0.6 + SLACK
        assert proxy.requests[0].target.startswith("http://127.0.0.1:9/")


# ------------------------------------------------------------------------------------------- TLS


def test_a_plain_http_client_builds_no_tls_that_could_be_used(no_proxies: pytest.MonkeyPatch) -> None:
    """No CA roots are loaded for an http:// base URL (that took 30-90 ms per client); https://, or
    an https:// proxy, gets httpx's verified default."""
    loaded: list[object] = []
    original = ssl.SSLContext.load_verify_locations

    def recording(self: ssl.SSLContext, *args: Any, **kwargs: Any) -> None:
        loaded.append(args[0] if args else kwargs.get("cafile"))
        original(self, *args, **kwargs)

    no_proxies.setattr(ssl.SSLContext, "load_verify_locations", recording)
    for flavour in (Client, AsyncClient):
        flavour(token="t", base_url="http://127.0.0.1:9")
    assert loaded == []
    Client(token="t", base_url="https://127.0.0.1:9").close()
    assert len(loaded) == 1  # certifi's roots, or SSL_CERT_FILE's
    no_proxies.setenv("HTTP_PROXY", "https://proxy.example:3128")
    Client(token="t", base_url="http://127.0.0.1:9").close()
    assert len(loaded) == 3  # the client's transport, and the proxy's


# -------------------------------------------------------------------- no private httpx attributes

PACKAGE = Path(__file__).resolve().parents[1] / "upstash_workflow" / "rest"
FOREIGN = ("httpx", "httpcore")
SELF = ("self", "cls")
REFLECTION = ("getattr", "setattr", "hasattr", "delattr")
# Names httpx/httpcore also use, reached in this package on one of its own objects, not on self.
OWN_OBJECTS = {
    ("_lock", "app"): "LocalQStash's server app shares its state's lock",
    ("_lock", "self.state"): "LocalQStash's delivery worker takes its state's lock",
}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _private_attributes(folder: Path) -> set[str]:
    """Every private attribute name the code under ``folder`` uses or defines."""
    names: set[str] = set()
    for file in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(file.read_text())):
            if isinstance(node, ast.Attribute) and _private(node.attr):
                names.add(node.attr)
    return names


def _own_definitions(tree: ast.AST) -> set[str]:
    """Private names this package defines: functions and classes, names assigned (class-body fields
    among them) and ``self._x`` / ``cls._x`` assigned."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and ast.unparse(node.value) in SELF:
            names.add(node.attr)
    return {name for name in names if _private(name)}


def private_foreign_accesses(package: Path) -> list[str]:
    """Each place under ``package`` that reaches into a private attribute of httpx or httpcore."""
    foreign = set().union(*(_private_attributes(Path(str(__import__(m).__file__)).parent) for m in FOREIGN))
    trees = {file: ast.parse(file.read_text()) for file in sorted(package.rglob("*.py"))}
    own = set().union(*(_own_definitions(tree) for tree in trees.values()))
    found = []
    for file, tree in trees.items():
        for node in ast.walk(tree):
            where = f"{file.relative_to(package)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Import | ast.ImportFrom):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                for module in modules:
                    if module.split(".")[0] in FOREIGN and any(_private(part) for part in module.split(".")):
                        found.append(f"{where}: import of {module}")
            elif isinstance(node, ast.Attribute) and _private(node.attr):
                receiver = ast.unparse(node.value)
                if receiver in FOREIGN:
                    found.append(f"{where}: {receiver}.{node.attr}")
                elif node.attr in foreign and node.attr not in own:
                    found.append(f"{where}: {receiver}.{node.attr} (a private httpx/httpcore name)")
                elif node.attr in foreign and receiver not in SELF and (node.attr, receiver) not in OWN_OBJECTS:
                    found.append(f"{where}: {receiver}.{node.attr} (an httpx/httpcore name, not on self)")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in foreign - own:
                found.append(f"{where}: the string {node.value!r} (getattr and the like)")
            elif isinstance(node, ast.Call) and ast.unparse(node.func) in REFLECTION and len(node.args) >= 2:
                target, name = ast.unparse(node.args[0]), node.args[1]
                if isinstance(name, ast.Constant) and name.value in foreign & own and target not in SELF:
                    found.append(f"{where}: {ast.unparse(node)} (an httpx/httpcore name, not on self)")
    return found


def test_the_package_reaches_into_no_private_httpx_or_httpcore_attribute() -> None:
    assert private_foreign_accesses(PACKAGE) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("client._transport._pool", ["client._transport._pool", "client._transport"]),
        ("if isinstance(getattr(client, '_cookies', None), object): pass", ["'_cookies'"]),
        ("pool._network_backend = backend", ["pool._network_backend"]),
        ("self._pool = 1\ngetattr(transport, '_pool', None)", ["getattr(transport, '_pool', None)"]),
        ("self._http._timeout", ["self._http._timeout"]),
        ("class C(httpx.Client):\n    def f(self):\n        return self._cookies", ["self._cookies"]),
        ("from httpx._types import CookieTypes", ["httpx._types"]),
        ("httpx._config.DEFAULT_LIMITS", ["httpx._config"]),
        ("self._timeout = 1\nself._decoder = None", []),
    ],
)
def test_the_scan_finds_what_it_must(tmp_path: Path, source: str, expected: list[str]) -> None:
    (tmp_path / "code.py").write_text(source + "\n")
    found = private_foreign_accesses(tmp_path)
    assert len(found) == len(expected), found
    for place, text in zip(found, expected, strict=True):
        assert text in place
