"""The httpx clients this package creates; an ``http_client`` you pass is used as it is.

They are httpx's defaults with two changes, both made through public API:

- no cookies: the QStash API authenticates with a bearer token and sets none, an API client should
  not replay cookies some proxy set, and httpx parses every response's cookies through urllib
  adapters at about 30 µs a request (more than all of this client's own work). httpx reaches a
  client's jar only through its ``cookies`` property, which the subclasses here override.
- connections that check each call's deadline: an httpcore pool on `_deadline`'s network backend
  (`_transport`), set up as httpx's default transport is: TLS verified by ``httpx.create_ssl_context``
  (certifi, or ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``), HTTP/1.1, httpx's default pool limits, and the
  proxy the environment names for the base URL, which httpx ignores once given a transport.
"""

from __future__ import annotations

import urllib.request
from typing import Any, TypeVar

import httpcore
import httpx

from . import _deadline
from ._transport import AsyncPool, AsyncTransport, SyncPool, SyncTransport

HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)

MAX_CONNECTIONS = 100  # httpx's default limits
MAX_KEEPALIVE = 20
KEEPALIVE_SECONDS = 5.0


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


def environment_proxy(url: httpx.URL) -> httpx.Proxy | None:
    """The proxy the environment names for ``url``, read as httpx reads it for its default transport
    (``urllib.request.getproxies``: the scheme's ``*_PROXY``, else ``ALL_PROXY``; on macOS and Windows
    the system settings when none is set), unless ``NO_PROXY`` exempts the host (as urllib matches it)."""
    proxies = urllib.request.getproxies()
    value = proxies.get(url.scheme) or proxies.get("all")
    if not value or urllib.request.proxy_bypass(url.host):
        return None
    return httpx.Proxy(value if "://" in value else f"http://{value}")


def _pool_options(network_backend: object) -> dict[str, Any]:
    return {
        "ssl_context": httpx.create_ssl_context(),
        "max_connections": MAX_CONNECTIONS,
        "max_keepalive_connections": MAX_KEEPALIVE,
        "keepalive_expiry": KEEPALIVE_SECONDS,
        "http1": True,
        "http2": False,
        "network_backend": network_backend,
    }


def _proxy_url(proxy: httpx.Proxy) -> httpcore.URL:
    url = proxy.url
    return httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path)


def _sync_pool(proxy: httpx.Proxy | None) -> SyncPool:
    options = _pool_options(_deadline.SyncBackend(httpcore.SyncBackend()))
    if proxy is None:
        return httpcore.ConnectionPool(**options)
    if proxy.url.scheme in ("http", "https"):
        return httpcore.HTTPProxy(_proxy_url(proxy), proxy.raw_auth, proxy.headers.raw, **options)
    return httpcore.SOCKSProxy(_proxy_url(proxy), proxy.raw_auth, **options)


def _async_pool(proxy: httpx.Proxy | None) -> AsyncPool:
    # AnyIO's backend, the one httpcore picks under asyncio (AsyncClient runs only there).
    options = _pool_options(_deadline.AsyncBackend(httpcore.AnyIOBackend()))
    if proxy is None:
        return httpcore.AsyncConnectionPool(**options)
    if proxy.url.scheme in ("http", "https"):
        return httpcore.AsyncHTTPProxy(_proxy_url(proxy), proxy.raw_auth, proxy.headers.raw, **options)
    return httpcore.AsyncSOCKSProxy(_proxy_url(proxy), proxy.raw_auth, **options)


def new_client(kind: type[HttpT], base_url: str, timeout: httpx.Timeout) -> HttpT:
    """An httpx client of ``kind`` (``httpx.Client`` or ``httpx.AsyncClient``) for requests to
    ``base_url``: cookie-free, its connections bounded by each call's deadline."""
    proxy = environment_proxy(httpx.URL(base_url))
    if issubclass(kind, httpx.AsyncClient):
        return _AsyncClient(timeout=timeout, transport=AsyncTransport(_async_pool(proxy)))
    return _SyncClient(timeout=timeout, transport=SyncTransport(_sync_pool(proxy)))
