"""A loopback HTTP server that records every request and answers with a plausible QStash body.

Used by the TS parity test: both clients talk to one recorder and their captured requests are
compared. A request to ``/__mark/<name>`` starts a new scenario instead of being recorded.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

import attrs


@attrs.frozen
class Recorded:
    method: str
    target: str  # raw path + query, as sent
    headers: dict[str, str]  # lower-case names
    body: bytes


def canned_response(method: str, path: str, body: bytes) -> Any:
    """A minimal valid answer for each endpoint of openapi.yaml."""
    if path == "/v2/flowControl":
        return []
    if path.startswith("/v2/flowControl/"):
        return {"flowControlKey": "k", "waitListSize": 0} if method == "GET" else {}
    if path == "/v2/globalParallelism":
        return {"parallelismMax": 10, "parallelismCount": 1}
    if path == "/v2/batch":
        count = len(json.loads(body)) if body else 1
        return [{"messageId": f"msg_{i}"} for i in range(count)]
    if path.startswith("/v2/workflows/runs"):
        return {"cancelled": 1}
    if path.startswith("/v2/notify/") or path.startswith("/v2/waiters/"):
        return []
    if path.startswith("/v2/workflows/events"):
        return {"runs": [], "cursor": ""}
    if path == "/v2/dlq":
        return {"messages": [], "cursor": ""}
    if path.startswith("/v2/workflows/dlq/callback/"):
        return {"workflowRunId": "wfr_x", "workflowCreatedAt": 1}
    if path.startswith("/v2/workflows/dlq/"):
        return {"workflowRuns": [], "cursor": ""}
    if path == "/v2/workflows/dlq":
        return {"deleted": 0}
    return {"error": f"no such endpoint: {method} {path}"}


class Recorder:
    def __init__(self) -> None:
        self.scenarios: dict[str, list[Recorded]] = {}
        self._current = "__start__"
        self._lock = threading.Lock()
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                path = self.path.split("?", 1)[0]
                if path.startswith("/__mark/"):
                    with recorder._lock:
                        recorder._current = unquote(path[len("/__mark/") :])
                        recorder.scenarios.setdefault(recorder._current, [])
                    payload: Any = {}
                else:
                    entry = Recorded(
                        method=self.command,
                        target=self.path,
                        headers={k.lower(): v for k, v in self.headers.items()},
                        body=body,
                    )
                    with recorder._lock:
                        recorder.scenarios.setdefault(recorder._current, []).append(entry)
                    payload = canned_response(self.command, path, body)
                data = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    @contextmanager
    def running(self) -> Iterator[Recorder]:
        thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
            thread.join(timeout=5)
