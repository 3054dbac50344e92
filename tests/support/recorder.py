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

from upstash_workflow.rest.testing._routes import ROUTER


@attrs.frozen
class Recorded:
    method: str
    target: str  # raw path + query, as sent
    headers: dict[str, str]  # lower-case names
    body: bytes


def _batch_answer(body: bytes) -> Any:
    count = len(json.loads(body)) if body else 1
    return [{"messageId": f"msg_{i}"} for i in range(count)]


# A minimal valid answer for each operation of openapi.yaml the TS clients call (a callable makes
# it from the request body). Requests are matched to operations by LocalQStash's route table.
CANNED: dict[str, Any] = {
    "triggerBatch": _batch_answer,
    "cancelRuns": {"cancelled": 1},
    "notify": [],
    "notifyRun": [],
    "getWaiters": [],
    "getRunLogs": {"runs": [], "cursor": ""},
    "listDlq": {"messages": [], "cursor": ""},
    "deleteDlq": {"deleted": 0},
    "resumeDlq": {"workflowRuns": [], "cursor": ""},
    "restartDlq": {"workflowRuns": [], "cursor": ""},
    "retryFailureFunction": {"workflowRunId": "wfr_x", "workflowCreatedAt": 1},
    "listFlowControlKeys": [],
    "getFlowControlKey": {"flowControlKey": "k", "waitListSize": 0},
    "pauseFlowControlKey": {},
    "resumeFlowControlKey": {},
    "pinFlowControlKey": {},
    "unpinFlowControlKey": {},
    "resetFlowControlRate": {},
    "getGlobalParallelism": {"parallelismMax": 10, "parallelismCount": 1},
}


def canned_response(method: str, path: str, body: bytes) -> Any:
    """The canned answer of the operation LocalQStash's route table finds for the request."""
    found = ROUTER.find(method, path)
    answer = CANNED.get(found[0].operation or "") if found else None
    if answer is None:
        return {"error": f"no such endpoint: {method} {path}"}
    return answer(body) if callable(answer) else answer


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
