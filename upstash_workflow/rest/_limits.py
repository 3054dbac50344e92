"""Bounded response bodies: decoded while they stream in, refused once they exceed a cap.

httpx would inflate a whole gzip chunk at once (a 64 kB chunk of a gzip bomb is 64 MB), so the raw
bytes are decoded here with zlib's ``max_length``; the request asks only for the encodings decoded
here (``ACCEPT_ENCODING``). Error answers keep only an excerpt: an error body is read up to
``ERROR_BODY_LIMIT``, and a message shows at most ``MESSAGE_EXCERPT`` characters of it.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Iterable, Iterator

import attrs

from ._deadline import Deadline

DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024
ERROR_BODY_LIMIT = 64 * 1024
MESSAGE_EXCERPT = 2000
ACCEPT_ENCODING = "gzip, deflate"
_OUT_CHUNK = 256 * 1024  # the most one decompress step may produce


class BodyError(Exception):
    """The body cannot be read: too large (``too_large``) or not in its declared encoding."""

    def __init__(self, message: str, *, too_large: bool = False) -> None:
        super().__init__(message)
        self.too_large = too_large


def excerpt(text: str, limit: int = MESSAGE_EXCERPT) -> str:
    """At most ``limit`` characters of ``text``, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit} more characters)"


class _Decoder:
    """identity, gzip or deflate, producing at most `_OUT_CHUNK` bytes per step."""

    def __init__(self, encoding: str) -> None:
        self._name = encoding.strip().lower()
        self._zlib: zlib._Decompress | None = None
        if self._name in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self._name not in ("", "identity", "deflate"):
            raise BodyError(f"the response has Content-Encoding {excerpt(encoding, 40)!r}, which was not asked for")

    def decode(self, data: bytes) -> Iterator[bytes]:
        if self._name == "deflate" and self._zlib is None and data:
            # RFC 9110's deflate is zlib-wrapped; some servers send raw deflate (no header) instead.
            wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and ((data[0] << 8) | data[1]) % 31 == 0
            self._zlib = zlib.decompressobj() if wrapped else zlib.decompressobj(-zlib.MAX_WBITS)
        if self._zlib is None:
            if data:
                yield data
            return
        try:
            while True:
                out = self._zlib.decompress(data, _OUT_CHUNK)
                data = self._zlib.unconsumed_tail
                if out:
                    yield out
                if not data and len(out) < _OUT_CHUNK:  # a full step may leave output pending in zlib
                    return
        except zlib.error as exc:
            raise BodyError(f"the response body is not valid for its Content-Encoding ({exc})") from None


@attrs.define
class BodyReader:
    """Collects a decoded body up to ``limit`` bytes; with ``truncate`` it keeps the first ``limit``
    bytes and stops (for error excerpts) instead of failing."""

    encoding: str
    limit: int
    truncate: bool = False
    size: int = 0
    chunks: list[bytes] = attrs.field(factory=list)
    done: bool = False
    _decoder: _Decoder | None = None

    def feed(self, raw: bytes) -> None:
        if self._decoder is None:
            self._decoder = _Decoder(self.encoding)
        for piece in self._decoder.decode(raw):
            room = self.limit - self.size
            if len(piece) > room:
                if not self.truncate:
                    raise BodyError(
                        f"the response body is larger than max_response_bytes ({self.limit:,} bytes)", too_large=True
                    )
                self.chunks.append(piece[:room])
                self.size = self.limit
                self.done = True
                return
            self.chunks.append(piece)
            self.size += len(piece)

    def content(self) -> bytes:
        return self.chunks[0] if len(self.chunks) == 1 else b"".join(self.chunks)


def read_sync(raw: Iterable[bytes], reader: BodyReader, deadline: Deadline | None = None) -> bytes:
    """The body, read and decoded; ``httpx.ReadTimeout`` once ``deadline`` passes between two chunks
    (a sync read cannot be interrupted, but a dripped body is bounded this way)."""
    for chunk in raw:
        reader.feed(chunk)
        if reader.done:
            break
        if deadline is not None:
            deadline.check()
    return reader.content()


async def read_async(raw: AsyncIterator[bytes], reader: BodyReader) -> bytes:
    async for chunk in raw:
        reader.feed(chunk)
        if reader.done:
            break
    return reader.content()
