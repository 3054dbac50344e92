"""The dashboard LocalQStash serves at ``/ui/`` (``LocalQStash(ui=True)``, ``upstash-workflow dev``):
static files shipped in ``ui/`` and the browser session that lets the page call the REST API.

The page never sees the token. Loading one of its pages sets a random session cookie (HttpOnly,
SameSite=Strict, this server only), and `UiSession.accepts` takes that cookie instead of the bearer
token. Both are only honoured for a loopback ``Host`` (a DNS-rebound name gets no session), and a
request that changes something must also come from the page's own origin (``Origin``), against
cross-site request forgery."""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Mapping
from importlib import resources

import attrs

COOKIE = "lqs_ui_session"
# The pages of the single-page app: each answers index.html, whose script reads the path.
PAGE = re.compile(r"/ui/(?:|runs|runs/[^/]+|dlq|waiters|flow-control)")
STATIC = {"app.js": "text/javascript", "style.css": "text/css", "favicon.svg": "image/svg+xml"}
SAFE_METHODS = frozenset({"GET", "HEAD"})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})
# Only this server's own files; Trusted Types make any innerHTML assignment throw, so server text
# can only reach the page as text.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'"
)


@attrs.frozen
class Answer:
    status: int
    content_type: str
    body: str
    headers: dict[str, str]


def _host(headers: Mapping[str, str]) -> str | None:
    """(``headers``: lower-case names.) The Host header when it is a loopback one, else None."""
    host = headers.get("host", "")
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return host if name.lower() in LOOPBACK_HOSTS else None


def _file(name: str) -> str:
    return resources.files(__package__).joinpath("ui").joinpath(name).read_text(encoding="utf-8")


class UiSession:
    """Serves the dashboard's files and checks its session."""

    def __init__(self) -> None:
        self.secret = secrets.token_urlsafe(32)

    def serve(self, method: str, path: str, headers: Mapping[str, str]) -> Answer | None:
        """The answer for a dashboard path; None when ``path`` is not the dashboard's."""
        if path != "/ui" and not path.startswith("/ui/"):
            return None
        if method not in SAFE_METHODS:
            return Answer(405, "text/plain", "the dashboard's files are read-only\n", {"Allow": "GET, HEAD"})
        if _host(headers) is None:
            return Answer(421, "text/plain", "the dashboard answers only on a loopback host name\n", {})
        common = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
        if path == "/ui":
            return Answer(308, "text/plain", "", {**common, "Location": "/ui/"})
        if PAGE.fullmatch(path):
            # Path=/: the page calls /v2/...; no Secure flag, the dev server speaks plain HTTP on loopback.
            cookie = f"{COOKIE}={self.secret}; Path=/; HttpOnly; SameSite=Strict"
            headers_out = {**common, "Content-Security-Policy": CSP, "Set-Cookie": cookie}
            return Answer(200, "text/html; charset=utf-8", _file("index.html"), headers_out)
        name = path.removeprefix("/ui/static/")
        if name in STATIC:
            return Answer(200, f"{STATIC[name]}; charset=utf-8", _file(name), common)
        return Answer(404, "text/plain", "no such dashboard page\n", common)

    def accepts(self, method: str, headers: Mapping[str, str]) -> bool:
        """True when an API request carries this dashboard's session (in place of the token)."""
        host = _host(headers)
        if host is None:
            return False
        cookies = [part.strip().partition("=") for part in headers.get("cookie", "").split(";")]
        sent = next((value for name, _, value in cookies if name == COOKIE), None)
        if sent is None or not hmac.compare_digest(sent.encode(), self.secret.encode()):
            return False
        if method in SAFE_METHODS:
            return True
        return headers.get("origin") == f"http://{host}"
