"""How the workflow engine sends one delivery: over httpx, bounded as a whole. httpx's timeouts bound
each read, so an endpoint that drips its answer (a byte every 0.4 s) could hold a delivery for as long
as it likes; here every delivery runs on one event-loop thread under ``asyncio.wait_for``, which
cancels it, connection and all, when its time is up."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Mapping
from concurrent.futures import CancelledError
from concurrent.futures import TimeoutError as FutureTimeout

import attrs
import httpx

MAX_RESPONSE_BODY = 1024 * 1024
STOPPED = "not delivered: LocalQStash stopped"  # "not delivered": the engine neither retries nor fails it


@attrs.frozen
class Answer:
    """An endpoint's answer (``status`` None when there was none, and ``error`` says why)."""

    status: int | None
    text: str = ""
    headers: dict[str, list[str]] = attrs.field(factory=dict)
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the endpoint answered 2xx."""
        return self.status is not None and 200 <= self.status < 300

    @property
    def error_step_name(self) -> str | None:
        """The step a failing SDK names in its answer (``Upstash-Error-Step-Name``), if any."""
        return next(iter(self.headers.get("upstash-error-step-name", [])), None)


class Sender:
    """Sends requests to endpoints, each given at most ``timeout`` seconds from connecting to the
    last byte of the answer (cut at `MAX_RESPONSE_BODY`). Thread-safe; `close` ends it."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._lock = threading.Lock()
        self._closed = False
        # Made at the first delivery, so a server that never delivers holds no loop or thread.
        self._loop: asyncio.AbstractEventLoop | None = None
        self._http: httpx.AsyncClient | None = None
        self._thread: threading.Thread | None = None

    def send(self, method: str, url: str, headers: Mapping[str, str], body: bytes) -> Answer:
        coroutine = self._bounded(method, url, headers, body)
        with self._lock:
            if self._closed:
                coroutine.close()
                return Answer(None, error=STOPPED)
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                self._http = httpx.AsyncClient(timeout=self.timeout, follow_redirects=False)
                self._thread = threading.Thread(target=self._loop.run_forever, name="LocalQStash-send", daemon=True)
                self._thread.start()
            future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(self.timeout + 5)  # the loop itself answers at `timeout`; this is a backstop
        except FutureTimeout:
            future.cancel()
            return Answer(None, error=f"Timeout: no complete answer within {self.timeout:g} s")
        except CancelledError:  # `close` cancelled it
            return Answer(None, error=STOPPED)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        with contextlib.suppress(Exception):  # best effort: the loop stops next either way
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        if not thread.is_alive():
            loop.close()

    async def _shutdown(self) -> None:
        """Cancel the deliveries in flight (their senders get `STOPPED`), then close the connections."""
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._http is not None:
            await self._http.aclose()

    async def _bounded(self, method: str, url: str, headers: Mapping[str, str], body: bytes) -> Answer:
        try:
            return await asyncio.wait_for(self._fetch(method, url, headers, body), self.timeout)
        except asyncio.TimeoutError:
            return Answer(None, error=f"Timeout: no complete answer within {self.timeout:g} s")
        except httpx.HTTPError as exc:
            return Answer(None, error=f"{type(exc).__name__}: {exc}")

    async def _fetch(self, method: str, url: str, headers: Mapping[str, str], body: bytes) -> Answer:
        assert self._http is not None  # made with the loop this runs on
        async with self._http.stream(method, url, content=body, headers=dict(headers)) as response:
            raw = b""
            async for chunk in response.aiter_bytes():
                raw += chunk
                if len(raw) > MAX_RESPONSE_BODY:
                    break
            answer_headers: dict[str, list[str]] = {}
            for key, value in response.headers.multi_items():
                answer_headers.setdefault(key, []).append(value)
            text = raw[:MAX_RESPONSE_BODY].decode("utf-8", "replace")
            return Answer(response.status_code, text, answer_headers)
