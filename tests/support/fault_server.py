"""A raw-socket HTTP server on 127.0.0.1 that misbehaves on purpose (tests/test_hostile_*.py).

Each accepted connection reads one request head (and its body, by Content-Length) and hands the
socket to ``behave(conn, request)``, a function that writes whatever it likes: a dripped answer, a
gzip bomb, a body that echoes the Authorization header... The server counts the requests it got
(``requests``), so a test can assert that nothing was sent. Every loop is bounded in count and
time, the server stops when the ``with`` block ends (or after ``lifetime`` seconds), and every
connection is closed when its behaviour returns.
"""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
import zlib
from collections.abc import Callable
from typing import Any

import attrs

MAX_HEAD = 64 * 1024
MAX_CONNECTIONS = 200


@attrs.define
class Request:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes


Behaviour = Callable[[socket.socket, Request, "FaultServer"], None]


class FaultServer:
    def __init__(self, behave: Behaviour, *, lifetime: float = 30.0) -> None:
        self.behave = behave
        self.requests: list[Request] = []
        self.connections = 0
        self._stop = threading.Event()
        self._lifetime = lifetime
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._thread = threading.Thread(target=self._serve, daemon=True, name="FaultServer")
        self._workers: list[threading.Thread] = []

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for worker in self._workers:
            worker.join(timeout=5)
        self._sock.close()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def pause(self, seconds: float) -> bool:
        """Sleep, but wake when the server stops; False then."""
        return not self._stop.wait(seconds)

    def _serve(self) -> None:
        end = time.monotonic() + self._lifetime
        while not self._stop.is_set() and time.monotonic() < end and self.connections < MAX_CONNECTIONS:
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            worker = threading.Thread(target=self._one, args=(conn,), daemon=True)
            self._workers.append(worker)
            worker.start()

    def _one(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        try:
            with conn:
                request = _read_request(conn)
                if request is None:
                    return
                self.requests.append(request)
                self.behave(conn, request, self)
        except OSError:
            pass


def _read_request(conn: socket.socket) -> Request | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk or len(data) > MAX_HEAD:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        rest += chunk
    return Request(method, target, headers, rest[:length])


# ------------------------------------------------------------------------------------ behaviours


def head(status: int = 200, headers: dict[str, str] | None = None, length: int | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status} X"]
    for name, value in (headers or {"Content-Type": "application/json"}).items():
        lines.append(f"{name}: {value}")
    if length is not None:
        lines.append(f"Content-Length: {length}")
    lines.append("Connection: close")  # one request per connection: a retry opens a new one
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def answer(status: int, body: bytes, headers: dict[str, str] | None = None) -> Behaviour:
    """A complete answer with this status, body and headers."""

    def behave(conn: socket.socket, request: Request, server: FaultServer) -> None:
        conn.sendall(head(status, headers, len(body)) + body)

    return behave


def json_answer(status: int, payload: Any) -> Behaviour:
    return answer(status, json.dumps(payload).encode())


def drip(part: str, *, interval: float = 0.1, total: float = 20.0) -> Behaviour:
    """Send the status line, then the headers (``part="headers"``) or the body (``"body"``) one
    byte every ``interval`` seconds, for at most ``total`` seconds."""

    def behave(conn: socket.socket, request: Request, server: FaultServer) -> None:
        if part == "headers":
            conn.sendall(b"HTTP/1.1 200 OK\r\n")
            stream = b"X-Slow: " + b"a" * 10_000
        else:
            conn.sendall(head(200, None, 100_000))
            stream = b"[" + b" " * 99_999
        end = time.monotonic() + total
        for byte in stream:
            if time.monotonic() > end or not server.pause(interval):
                return
            conn.sendall(bytes([byte]))

    return behave


def silent(seconds: float = 20.0) -> Behaviour:
    """Read the request, then say nothing for ``seconds``."""

    def behave(conn: socket.socket, request: Request, server: FaultServer) -> None:
        server.pause(seconds)

    return behave


def gzip_bomb(decoded_bytes: int, status: int = 200, encoding: str = "gzip") -> Behaviour:
    """A small compressed body that inflates to ``decoded_bytes`` of JSON-ish spaces."""
    zeros = b" " * (1024 * 1024)
    if encoding == "gzip":
        compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    else:
        compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS)
    parts = [compressor.compress(zeros) for _ in range(decoded_bytes // len(zeros))]
    parts.append(compressor.flush())
    body = b"".join(parts)
    return answer(status, body, {"Content-Type": "application/json", "Content-Encoding": encoding})


def gzip_json(payload: Any) -> bytes:
    return gzip.compress(json.dumps(payload).encode())


def echo_authorization(status: int = 401) -> Behaviour:
    """An error page that repeats the request's Authorization header, in the body and a header."""

    def behave(conn: socket.socket, request: Request, server: FaultServer) -> None:
        auth = request.headers.get("authorization", "")
        body = json.dumps({"error": f"bad credentials: {auth}"}).encode()
        conn.sendall(head(status, {"Content-Type": "application/json", "X-Echo": auth}, len(body)) + body)

    return behave


def close_without_answer() -> Behaviour:
    def behave(conn: socket.socket, request: Request, server: FaultServer) -> None:
        conn.shutdown(socket.SHUT_RDWR)

    return behave


def raw(data: bytes) -> Behaviour:
    """Write these bytes as the whole answer and close."""

    def behave(conn: socket.socket, request: Request, server: FaultServer) -> None:
        conn.sendall(data)

    return behave
