"""Where the base URL and token come from: arguments, then the environment, as the TS client does."""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import warnings
from collections.abc import Mapping
from urllib.parse import urlsplit

import attrs
import httpx

from ._errors import ConfigurationError, InvalidArgumentError

logger = logging.getLogger("upstash_workflow.rest")

DEFAULT_BASE_URL = "https://qstash.upstash.io"
VALID_REGIONS = ("EU_CENTRAL_1", "US_EAST_1")


class InsecureTransportWarning(UserWarning):
    """The token is about to be sent over plain http to a host that is not this machine."""


@attrs.frozen
class Credentials:
    base_url: str
    token: str = attrs.field(repr=False)


def _region(environ: Mapping[str, str]) -> str | None:
    raw = environ.get("QSTASH_REGION")
    if not raw:
        return None
    region = raw.replace("-", "_").upper()
    if region in VALID_REGIONS:
        return region
    logger.warning("QSTASH_REGION=%r is not one of %s; ignoring it", raw, ", ".join(VALID_REGIONS))
    return None


def resolve_credentials(
    token: str | None, base_url: str | None, environ: Mapping[str, str] | None = None
) -> Credentials:
    """Arguments win when both are given; else QSTASH_REGION's pair; else each argument or its env var."""
    env = os.environ if environ is None else environ
    chosen: tuple[str | None, str | None] | None = None
    if base_url and token:
        chosen = (base_url, token)
    elif (region := _region(env)) is not None:
        region_url, region_token = env.get(f"{region}_QSTASH_URL"), env.get(f"{region}_QSTASH_TOKEN")
        if region_url and region_token:
            chosen = (region_url, region_token)
        else:
            logger.warning(
                "QSTASH_REGION is %s but %s_QSTASH_URL / %s_QSTASH_TOKEN are missing; using the defaults",
                region,
                region,
                region,
            )
    if chosen is None:
        chosen = (base_url or env.get("QSTASH_URL") or DEFAULT_BASE_URL, token or env.get("QSTASH_TOKEN"))
    url, tok = chosen
    if not tok:
        raise ConfigurationError(
            "No QStash token: pass Client(token=...) or set the QSTASH_TOKEN environment variable "
            "(find it in the Upstash console, QStash tab)."
        )
    return Credentials(base_url=normalize_base_url(url or DEFAULT_BASE_URL), token=check_token(tok))


_TOKEN = re.compile(r"[\x21-\x7e]+")


def check_token(token: object) -> str:
    """The token goes into an ``Authorization`` header: printable ASCII without whitespace. It is
    refused, never repaired or echoed: a message must not carry a secret."""
    if not isinstance(token, str):
        raise ConfigurationError(f"The QStash token must be a str, got {type(token).__name__}")
    if _TOKEN.fullmatch(token):
        return token
    if token.strip() != token and _TOKEN.fullmatch(token.strip()):
        raise ConfigurationError(
            "The QStash token has leading or trailing whitespace (often a newline left from reading it "
            "from a file or a secret store); strip it before passing it."
        )
    raise ConfigurationError(
        "The QStash token must be printable ASCII without whitespace or control characters; check that "
        "the whole value was copied (it is not shown here)."
    )


class InvalidBaseURLError(ConfigurationError, InvalidArgumentError):
    """base_url is not an http(s) URL a request can be sent to."""


def normalize_base_url(url: object) -> str:
    if not isinstance(url, str):
        raise InvalidBaseURLError(f"base_url must be a str, got {type(url).__name__}")
    url = url[:-1] if url.endswith("/") else url
    if url == f"{DEFAULT_BASE_URL}/v2/publish":
        return DEFAULT_BASE_URL
    if re.search("[\x00-\x20\x7f-\x9f\ud800-\udfff]", url):
        raise InvalidBaseURLError(f"base_url must not contain whitespace or control characters, got {url!r}")
    try:
        parts = urlsplit(url)
        httpx.URL(url)  # what the first request would refuse (a port that is not a number, ...)
    except (ValueError, httpx.InvalidURL) as exc:
        raise InvalidBaseURLError(f"base_url is not a valid URL ({exc}): {url!r}") from None
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise InvalidBaseURLError(f"base_url must be an http(s) URL like {DEFAULT_BASE_URL!r}, got {url!r}")
    return url


def is_loopback_host(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def warn_if_insecure(base_url: str) -> None:
    """Sending a bearer token over plain http is only harmless when it never leaves this machine."""
    parts = urlsplit(base_url)
    if parts.scheme == "http" and not is_loopback_host(parts.hostname or ""):
        warnings.warn(
            f"Sending the QStash token over plain http to {parts.hostname}; use https.",
            InsecureTransportWarning,
            stacklevel=4,
        )
