"""LocalQStash: a QStash-compatible workflow server on 127.0.0.1 for tests, the demo and the CLI.

    with LocalQStash() as qstash:
        client = Client(token=qstash.token, base_url=qstash.url)

It implements every endpoint of openapi.yaml over real sockets (a background thread; works with
Client and AsyncClient alike), checks the bearer token, and can simulate rate limits and faults.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import socket
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

import attrs

from .._results import TriggerResult, WorkflowRunLog
from ._flow_control import SigningKeyState
from ._protocol import Delivery
from ._routes import ROUTER
from ._routing import Incoming
from ._seed import SeedSummary, apply_seed
from ._state import BadRequest, NotFound, QStashState, Run, check_query, sparse
from ._ui import UiSession
from ._workflow import WorkflowClock, WorkflowEngine

logger = logging.getLogger("upstash_workflow.rest.testing")
MAX_BODY = 10 * 1024 * 1024
MAX_FAULT_DELAY = 60.0
# What a long-running server keeps for assertions: the latest requests and deliveries, and each
# request's path cut to a length that still identifies it (a 64 KiB path would otherwise stay in full).
HISTORY = 1000
MAX_RECORDED_PATH = 8192  # a wait_all poll of 100 runs (workflowRuns=ID@TS,... ) fits

FaultKind = Literal["status", "slow", "drop", "drop_mid", "lose_response", "body"]


@attrs.define
class Fault:
    """One injected misbehaviour, applied to the next ``times`` requests whose path starts with
    ``path_prefix``: an error ``status``, a ``slow`` answer (``delay`` s), a ``drop``ped connection
    (no response, request not processed), a response dropped mid-body (``drop_mid``), a request that
    is processed but whose response is lost (``lose_response``), or a raw ``body`` with ``status``.
    ``after`` lets that many matching requests through first."""

    kind: FaultKind
    times: int = 1
    status: int = 500
    delay: float = 0.0
    body: str | None = None
    content_type: str = "application/json"
    headers: dict[str, str] = attrs.field(factory=dict)
    path_prefix: str = "/"
    after: int = 0  # let this many matching requests through first


class LocalQStash:
    """A local QStash-compatible workflow server.

    Args:
        token: the bearer token it accepts (random when None); requests with another get 401.
        port: 0 picks a free port.
        deliver: run workflows as QStash does: deliver each run to its URL and answer the SDK's
            follow-up calls (next steps, sleeps, ``context.call``, waits, retries, failure callbacks,
            DLQ); see `WorkflowEngine`. Loopback URLs only, so tests never send traffic elsewhere.
            The requests it makes are in ``deliveries``.
        signing_key: the current signing key (random when None). Every delivery is signed with the
            current key (``Upstash-Signature``, as QStash signs), so an endpoint that verifies with
            ``QSTASH_CURRENT_SIGNING_KEY``/``QSTASH_NEXT_SIGNING_KEY`` set to `signing_keys` accepts
            it; one without those variables does not verify. ``GET /v2/keys`` reports the two keys and
            ``POST /v2/keys/rotate`` rotates what deliveries are signed with.
        next_signing_key: the next signing key (random when None).
        on_delivery: called with each `Delivery` once it is made (from a delivery thread): how
            ``upstash-workflow dev`` prints one line per delivery.
        clock: the time sleeps, delays, retries and wait timeouts use; see `advance`/`fast_forward`.
        seed: runs, waiters and DLQ entries to start with: a mapping or a JSON file (format in
            `upstash_workflow.rest.testing._seed`); see `seed`.
        sparse: answer with every empty field left out ("", 0, false, null, [] and {}), as a server
            that omits them would; by default answers carry every field of Upstash's response shapes.
        delivery_timeout: seconds one delivery may take as a whole, from connecting to the answer's
            last byte; an endpoint that is slower (or drips its answer) gets a failed delivery,
            retried as any other.
        ui: serve the dashboard at ``/ui/`` (`_ui`): the page uses this REST API with a session
            cookie in place of the token.

    ``requests`` (method and path with query, rejected requests too) and ``deliveries`` keep the
    latest `HISTORY` (1000) entries each, so a long-running dev server does not grow without bound;
    a recorded path longer than `MAX_RECORDED_PATH` (8192) characters is cut there.
    """

    def __init__(
        self,
        token: str | None = None,
        *,
        port: int = 0,
        deliver: bool = False,
        signing_key: str | None = None,
        next_signing_key: str | None = None,
        on_delivery: Callable[[Delivery], None] | None = None,
        clock: WorkflowClock | None = None,
        seed: Mapping[str, Any] | str | Path | None = None,
        sparse: bool = False,
        delivery_timeout: float = 30.0,
        ui: bool = False,
    ) -> None:
        self.token = token or "local-" + secrets.token_urlsafe(18)
        self.sparse = sparse
        self.ui = UiSession() if ui else None
        self.state = QStashState()
        self.state.signing_keys = SigningKeyState(signing_key, next_signing_key)
        self._on_delivery = on_delivery
        self.deliver = deliver
        self.deliveries: list[Delivery] = []
        self.clock = clock or WorkflowClock()
        self.engine: WorkflowEngine | None = None
        if deliver:
            self.engine = WorkflowEngine(
                self.state,
                self.clock,
                record=self._record_delivery,
                delivery_timeout=delivery_timeout,
            )
        self.requests: list[tuple[str, str]] = []  # (method, path with query), for assertions; see HISTORY
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.app = self
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread: threading.Thread | None = None
        self.state.flow_control.on_admit = self._on_admit
        if seed is not None:
            self.seed(seed)

    @property
    def signing_keys(self) -> SigningKeyState:
        """The current and next signing keys (``.current``, ``.next``): deliveries are signed with
        ``current``; ``GET /v2/keys`` answers both and ``POST /v2/keys/rotate`` rotates them.

        Returns:
            The live keys (they change when rotated).
        """
        return self.state.signing_keys

    def __repr__(self) -> str:
        return f"LocalQStash(url={self.url!r})"

    # -------------------------------------------------------------------------------- lifecycle

    def start(self) -> LocalQStash:
        """Serve on `url` from a background thread (and start delivering, with ``deliver=True``).

        ``with LocalQStash() as server:`` (or ``async with``) starts it and stops it on exit. Calling
        ``start`` again on a running server does nothing.

        Returns:
            The server itself, started.
        """
        if self.engine is not None:
            self.engine.start()
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="LocalQStash", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and delivering, and close the listening socket; `wait` returns."""
        self._stopping.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()
        if self.engine is not None:
            self.engine.stop()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until `stop` is called, or ``timeout`` seconds pass.

        Args:
            timeout: the most seconds to wait (None: no limit).

        Returns:
            True when the server was stopped, False when the timeout passed first.
        """
        return self._stopping.wait(timeout)

    def __enter__(self) -> LocalQStash:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def __aenter__(self) -> LocalQStash:
        return self.start()

    async def __aexit__(self, *exc: object) -> None:
        self.stop()

    # -------------------------------------------------------------------------- test helpers

    def add_waiter(
        self,
        event_id: str,
        workflow_run_id: str,
        *,
        url: str | None = None,
        timeout: float = 3600,
        timeout_url: str | None = None,
        timeout_body: Any = None,
    ) -> None:
        """Register a run as waiting for ``event_id`` (what ``context.waitForEvent`` does in a real
        workflow). It is gone ``timeout`` seconds later, or when notified.

        Args:
            event_id: the event the run waits for (what ``notify`` names).
            workflow_run_id: the waiting run.
            url: the workflow URL the waiter resumes (default: the run's URL).
            timeout: seconds until the wait times out.
            timeout_url: the URL called when the wait times out (default: ``url``).
            timeout_body: the body sent to ``timeout_url`` when the wait times out.
        """
        self.state.wait_for(
            event_id, workflow_run_id, url=url, timeout=timeout, timeout_url=timeout_url, timeout_body=timeout_body
        )

    def add_dlq_message(
        self,
        workflow_run_id: str,
        *,
        response_status: int = 500,
        response_body: str = "internal error",
        dlq_id: str | None = None,
    ) -> str:
        """Fail an existing run into the DLQ (as after its last retry).

        Args:
            workflow_run_id: the run to fail; it must exist (trigger or seed it first).
            response_status: the HTTP status of the failed delivery, as the DLQ message shows it.
            response_body: the body of the failed delivery.
            dlq_id: the DLQ message id (random when None).

        Returns:
            The DLQ message id.

        Raises:
            KeyError: no run has that id.
        """
        run = self.state.runs.get(workflow_run_id)
        if run is None:
            raise KeyError(f"no run {workflow_run_id}; trigger it first")
        return self.state.add_dlq(run, response_status, response_body, dlq_id=dlq_id).dlq_id

    def seed(self, data: Mapping[str, Any] | str | Path) -> SeedSummary:
        """Store runs, waiters and DLQ entries from a seed (a mapping or a JSON file); checked whole
        first, so a bad seed raises `SeedError` and stores nothing. Also ``POST /_local/seed``.

        Args:
            data: the seed: a mapping, or the path of a JSON file (format in
                ``upstash_workflow.rest.testing._seed``).

        Returns:
            How many runs, waiters and DLQ messages were stored.

        Raises:
            SeedError: the seed is malformed or conflicts with stored data; nothing was stored.
        """
        return apply_seed(self.state, data)

    def run(self, workflow_run_id: str) -> Run:
        """The stored run (state, url, headers, body, labels, ...).

        Args:
            workflow_run_id: the run's id.

        Returns:
            The live `Run` record (it changes as the run proceeds).

        Raises:
            KeyError: no run has that id.
        """
        return self.state.runs[workflow_run_id]

    def advance(self, seconds: float) -> None:
        """Move the clock forward: sleeps, delays, retry backoffs and wait timeouts fall due now.

        Args:
            seconds: how far to move the clock, a finite number >= 0.

        Raises:
            ValueError: ``seconds`` is negative or not finite.
        Raises:
            RuntimeError: the server was created without ``deliver=True``.
        """
        self._workflows().advance(seconds)

    def settle(self, timeout: float = 30.0) -> bool:
        """Wait until no delivery is due or in flight (later ones may remain).

        Args:
            timeout: the most seconds to wait.

        Returns:
            True when nothing is due or in flight, False when the timeout passed first.

        Raises:
            RuntimeError: the server was created without ``deliver=True``.
        """
        return self._workflows().settle(timeout)

    def fast_forward(self, timeout: float = 30.0) -> bool:
        """Run every scheduled delivery, jumping the clock over sleeps, backoffs and wait timeouts,
        until none is left.

        Args:
            timeout: the most seconds to spend.

        Returns:
            True when no delivery is left, False when the timeout passed first.

        Raises:
            RuntimeError: the server was created without ``deliver=True``.
        """
        return self._workflows().fast_forward(timeout)

    def wait_runs(self, runs: Sequence[TriggerResult | str], *, timeout: float = 30.0) -> list[WorkflowRunLog]:
        """`Client.wait_all` against this server, for tests: with ``deliver=True`` the clock first jumps
        over every sleep, backoff and wait timeout (`fast_forward`), so runs that sleep for days end
        now.

        Args:
            runs: the runs to wait for: `TriggerResult`s or run ids.
            timeout: the most seconds to wait, delivering included.

        Returns:
            The log of each run of ``runs``, in order, once each has ended.

        Raises:
            WaitTimeoutError: a run had not ended after ``timeout`` seconds.
        """
        from .._api import Client

        started = time.monotonic()
        if self.engine is not None:
            self.fast_forward(timeout)
        left = max(0.0, timeout - (time.monotonic() - started))
        with Client(token=self.token, base_url=self.url) as client:
            return client.wait_all(runs, timeout=left)

    def _workflows(self) -> WorkflowEngine:
        if self.engine is None:
            raise RuntimeError("workflows run only with LocalQStash(deliver=True)")
        return self.engine

    def inject(self, kind: FaultKind, **options: Any) -> Fault:
        """Misbehave on the next request(s).

        Args:
            kind: the misbehaviour: ``"status"``, ``"slow"``, ``"drop"``, ``"drop_mid"``,
                ``"lose_response"`` or ``"body"`` (see `Fault`).
            **options: the other fields of `Fault` (``times``, ``status``, ``delay``, ``body``,
                ``content_type``, ``headers``, ``path_prefix``, ``after``).

        Returns:
            The queued `Fault` (its ``times`` counts down as requests hit it).
        """
        fault = Fault(kind, **options)
        with self._lock:
            self._faults.append(fault)
        return fault

    def rate_limit(
        self, kind: Literal["burst", "daily", "chat"] = "burst", *, times: int = 1, reset_in: float = 1.0
    ) -> Fault:
        """Answer the next ``times`` requests with 429 and the headers QStash sends for that limit.

        Args:
            kind: which limit: ``"burst"`` (``Burst-RateLimit-*`` headers), ``"daily"``
                (``RateLimit-*``) or ``"chat"`` (``x-ratelimit-*``).
            times: how many requests get the 429.
            reset_in: seconds until the limit resets (the headers' reset time and ``Retry-After``).

        Returns:
            The queued `Fault`.
        """
        reset = str(int(time.time() + reset_in))
        headers = {
            "burst": {"Burst-RateLimit-Limit": "100", "Burst-RateLimit-Remaining": "0", "Burst-RateLimit-Reset": reset},
            "daily": {"RateLimit-Limit": "500", "RateLimit-Remaining": "0", "RateLimit-Reset": reset},
            "chat": {
                "x-ratelimit-limit-requests": "10",
                "x-ratelimit-remaining-requests": "0",
                "x-ratelimit-reset-requests": reset,
            },
        }[kind]
        headers["Retry-After"] = str(max(int(reset_in), 0))
        body = json.dumps({"error": f"{kind} rate limit exceeded"})
        return self.inject("status", status=429, times=times, headers=headers, body=body)

    # ------------------------------------------------------------------------------- internals

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if path.startswith(fault.path_prefix):
                    if fault.after > 0:
                        fault.after -= 1
                        return None
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def _record_request(self, method: str, path: str) -> None:
        with self._lock:
            self.requests.append((method, path[:MAX_RECORDED_PATH]))
            del self.requests[:-HISTORY]

    def _record_delivery(self, delivery: Delivery) -> None:
        with self._lock:
            self.deliveries.append(delivery)
            del self.deliveries[:-HISTORY]
        if self._on_delivery is not None:
            try:
                self._on_delivery(delivery)
            except Exception:  # a broken observer must not stop deliveries
                logger.exception("LocalQStash's on_delivery callback failed")

    def _on_admit(self, run_id: str) -> None:
        """A run its flow-control key held is admitted: deliver it now."""
        if self.engine is not None:
            self.engine.start_run(self.state.runs[run_id])


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # The stdlib's backlog of 5 makes a burst of new connections wait for SYN retransmits (1 s, 3 s).
    request_queue_size = 1024
    app: LocalQStash

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up (or a fault we injected) is normal here; anything else is logged.
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            logger.exception("LocalQStash failed to handle a request from %s", client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read app.requests
        pass

    def setup(self) -> None:
        super().setup()
        # Headers and body leave in separate writes; without TCP_NODELAY, Nagle's algorithm holds
        # the body until the client's delayed ACK (about 40 ms per request on Linux).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _send(
        self,
        status: int,
        payload: Any,
        headers: dict[str, str] | None = None,
        *,
        raw: str | None = None,
        content_type: str = "application/json",
    ) -> None:
        data = (raw if raw is not None else json.dumps(payload)).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _authorized(self, headers: Mapping[str, str]) -> bool:
        """Whether the request may use the API: ``Authorization: Bearer <token>``, or the dashboard's
        session cookie (`_ui.UiSession.accepts`), for every route alike."""
        app = self.server.app
        if self.headers.get("Authorization") == f"Bearer {app.token}":
            return True
        return app.ui is not None and app.ui.accepts(self.command, headers)

    def _apply_fault(self, fault: Fault) -> bool:
        """True when the fault produced the whole answer."""
        app = self.server.app
        if fault.kind == "slow":
            app._stopping.wait(min(fault.delay, MAX_FAULT_DELAY))
            return False
        if fault.kind == "lose_response":
            self._lose_response = True
            return False
        if fault.kind == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return True
        if fault.kind == "drop_mid":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b'{"partial": ')
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return True
        body = fault.body if fault.body is not None else json.dumps({"error": f"injected {fault.status}"})
        self._send(fault.status, None, fault.headers, raw=body, content_type=fault.content_type)
        return True

    def _handle(self) -> None:
        app = self.server.app
        body = self._read_body()
        if body is None:
            return
        split = urlsplit(self.path)
        path = split.path
        app._record_request(self.command, self.path)
        lower = {k.lower(): v for k, v in self.headers.items()}
        if app.ui is not None and (page := app.ui.serve(self.command, path, lower)) is not None:
            self._send(page.status, None, page.headers, raw=page.body, content_type=page.content_type)
            return
        found = ROUTER.find(self.command, path)
        if found is None:
            allowed = ROUTER.allowed(path)
            if not allowed:
                self._send(404, {"error": f"no such endpoint: {path}"})
            else:
                self._send(405, {"error": f"{self.command} is not allowed here"}, {"Allow": ", ".join(allowed)})
            return
        if not self._authorized(lower):
            self._send(401, {"error": "Unauthorized: the token is missing or wrong"})
            return
        fault = app._take_fault(path)
        if fault is not None and self._apply_fault(fault):
            return
        route, params = found
        query = parse_qs(split.query, keep_blank_values=True)
        headers = lower
        try:
            check_query(path, query, headers)
            call = Incoming(
                app.state, app.engine, self.command, path, params, query, headers, body, self.client_address[0]
            )
            status, payload = route.status, route.handler(call)
        except NotFound as exc:
            status, payload = 404, {"error": str(exc)}
        except (BadRequest, ValueError, RecursionError) as exc:
            status, payload = (
                400,
                {"error": "the body is nested too deeply" if isinstance(exc, RecursionError) else str(exc)},
            )
        except Exception:  # a bug here must still answer, and leave the server serving others
            logger.exception("LocalQStash failed on %s %s", self.command, path)
            status, payload = 500, {"error": "internal error in LocalQStash"}
        if getattr(self, "_lose_response", False):
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if app.sparse and status < 300 and payload is not None:
            payload = sparse(payload)
        self._send(status, payload, raw="" if payload is None else None)  # None: no content

    # The verbs some route answers; a request with any other gets 405 (and Allow) or 404 below.
    do_GET = do_POST = do_DELETE = _handle

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # The stdlib answers a verb with no do_* method with an HTML 501 page; here it gets the
        # same JSON 405 (with Allow) or 404 as any method no route of its path declares.
        if code == HTTPStatus.NOT_IMPLEMENTED:
            self._handle()
        else:
            super().send_error(code, message, explain)

    def _read_body(self) -> bytes | None:
        """The request body, or None after answering a malformed or oversized one (400/411/413;
        the connection is closed, as its framing can no longer be trusted)."""
        lengths = self.headers.get_all("Content-Length") or []
        problem: tuple[int, str] | None = None
        if self.headers.get("Transfer-Encoding"):
            problem = (411, "Transfer-Encoding is not supported; send a Content-Length")
        elif len(set(lengths)) > 1:
            problem = (400, "conflicting Content-Length headers")
        elif lengths and not re.fullmatch(r"[0-9]{1,19}", lengths[0].strip()):
            problem = (400, "Content-Length must be a non-negative integer")
        elif lengths and int(lengths[0]) > MAX_BODY:
            problem = (413, f"request body too large (the limit is {MAX_BODY} bytes)")
        if problem is not None:
            self.close_connection = True
            self._send(problem[0], {"error": problem[1]}, {"Connection": "close"})
            return None
        length = int(lengths[0]) if lengths else 0
        body = self.rfile.read(length) if length else b""
        if len(body) < length:  # the client hung up mid-body: nobody to answer
            self.close_connection = True
            return None
        return body
