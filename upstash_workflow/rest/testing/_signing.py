"""QStash request signatures: a JWT (HS256) in ``Upstash-Signature`` whose ``body`` claim is the
base64url SHA-256 of the request body, ``sub`` the destination URL and ``iss`` "Upstash" (the claims
the `qstash` package's ``Receiver.verify`` checks). Stdlib only, so signing needs no extra dependency."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time

SIGNATURE_LIFETIME = 300  # seconds; QStash's own tokens are short-lived too


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def sign(key: str, *, url: str, body: bytes, now: float | None = None) -> str:
    """The ``Upstash-Signature`` value for delivering ``body`` to ``url``. Uses the wall clock (the
    endpoint checks ``nbf``/``exp`` against its own), never LocalQStash's controllable clock."""
    issued = int(time.time() if now is None else now)
    header = {"alg": "HS256", "typ": "JWT"}
    claims = {
        "iss": "Upstash",
        "sub": url,
        "exp": issued + SIGNATURE_LIFETIME,
        "nbf": issued,
        "iat": issued,
        "jti": "jwt_" + secrets.token_hex(8),
        "body": _b64url(hashlib.sha256(body).digest()),
    }
    signing_input = ".".join(_b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims))
    digest = hmac.new(key.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64url(digest)}"
