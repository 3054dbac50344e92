"""The httpx clients this package creates; an ``http_client`` you pass is used as it is.

They are httpx's own ``httpx.Client`` / ``httpx.AsyncClient`` on httpx's default transports, so the
tools that patch those (pytest-httpx, respx, vcrpy, OpenTelemetry's httpx instrumentation) see every
call. httpx's defaults hold: the proxies and ``NO_PROXY`` the environment names (``trust_env``), TLS
verified against certifi's roots (or ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``), HTTP/1.1, 100 connections,
redirects not followed. Two changes, both through public API:

- no cookies: the QStash API authenticates with a bearer token and sets none, an API client should
  not replay cookies some proxy set, and httpx parses every response's cookies through urllib
  adapters at about 30 µs a request (more than all of this client's own work). httpx reaches a
  client's jar only through its ``cookies`` property, which the subclasses here override.
- no TLS set-up that cannot be used: loading certifi's roots takes 30-90 ms, and a client for a
  plain ``http://`` base URL (LocalQStash, a dev server) never shakes hands unless an ``https://``
  proxy is configured. It gets a context that trusts no CA instead, so any handshake would fail.
"""

from __future__ import annotations

import ssl
import urllib.request
from typing import Any, TypeVar

import httpx

HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)


class _NoCookies(httpx.Cookies):
    """A jar that stays empty: what it is given is dropped, so no response's cookies are parsed."""

    def extract_cookies(self, response: httpx.Response) -> None:
        pass

    def set_cookie_header(self, request: httpx.Request) -> None:
        pass

    def set(self, name: str, value: str, domain: str = "", path: str = "/") -> None:
        pass


_NO_COOKIES = _NoCookies()  # empty forever, so one serves every client


class _NoCookieJar:
    """Mixed into httpx's client classes: httpx reads and feeds the jar only through ``cookies``."""

    @property
    def cookies(self) -> httpx.Cookies:
        return _NO_COOKIES

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        pass


class _SyncClient(_NoCookieJar, httpx.Client):
    pass


class _AsyncClient(_NoCookieJar, httpx.AsyncClient):
    pass


def _verify(base_url: str) -> ssl.SSLContext | bool:
    """httpx's default (``True``) when a TLS handshake may happen: an ``https://`` base URL, or an
    ``https://`` proxy among those httpx reads from the environment (``urllib.request.getproxies``)."""
    proxies = urllib.request.getproxies().values()
    if httpx.URL(base_url).scheme == "https" or any(p.lower().startswith("https:") for p in proxies):
        return True
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies, and trusts nothing: no handshake succeeds


def new_client(kind: type[HttpT], base_url: str, timeout: httpx.Timeout) -> HttpT:
    """An httpx client of ``kind`` (``httpx.Client`` or ``httpx.AsyncClient``) for requests to
    ``base_url``: httpx's defaults, cookie-free."""
    cls = _AsyncClient if issubclass(kind, httpx.AsyncClient) else _SyncClient
    return cls(timeout=timeout, verify=_verify(base_url), follow_redirects=False)
