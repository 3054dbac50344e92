"""A minimal, fast HTTP/1.1 loopback server for the benchmarks, run as its own process so that it
shares no GIL with the client being measured. It answers like QStash, with canned bodies:

- POST /v2/batch            -> [{"messageId": ...}, ...] (one entry per message, as QStash answers:
                               an answer with fewer entries leaves runs unconfirmed)
- GET  /v2/workflows/events -> synthetic pages of run logs: ?cursor=N&count=C, TOTAL runs in all
- GET  /v2/workflows/logs?workflowRuns=ID@TS,... -> the logs of exactly those runs (what ``wait_all``
  polls). A run id ending in ``_pN`` is RUN_STARTED (one more step each time it is asked for) until
  its Nth ask, then RUN_SUCCESS; other ids end at their 3rd ask. Each such request is recorded.
- GET  /bench/wait-stats?tag=T -> [[poll, runs], ...]: the recorded requests for runs ``wfr_T_...``
  in arrival order, ``poll`` being how many times their runs had been asked for (1: first poll)
- anything else             -> {}

Usage: fast_server.py [TOTAL_RUNS] [DELAY_MS]. With DELAY_MS, every answer is sent that many
milliseconds after its request arrived (a simulated network round trip): each connection waits on
its own, so concurrent requests overlap as they would over a real network.

Prints "PORT <n>" when ready; exits when stdin closes or after MAX_LIFETIME seconds.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
from urllib.parse import parse_qs, urlsplit

MAX_LIFETIME = 1800.0
TOTAL_RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
DELAY = float(sys.argv[2]) / 1000 if len(sys.argv) > 2 else 0.0
ENTRY = json.dumps({"messageId": "msg_bench", "url": "https://workflow-endpoint.com"}).encode()


def batch_answer(request: bytes) -> bytes:
    """One entry per message of the batch (each message has one "destination" key)."""
    return b"[" + b",".join([ENTRY] * max(1, request.count(b'"destination":'))) + b"]"


def run_log(i: int) -> dict[str, object]:
    return {
        "workflowRunId": f"wfr_{i:021d}",
        "workflowUrl": "https://workflow-endpoint.com/api/workflow",
        "workflowState": "RUN_SUCCESS",
        "workflowRunCreatedAt": 1714000000000 + i,
        "workflowRunCompletedAt": 1714000005000 + i,
        "steps": [
            {
                "type": "sequential",
                "steps": [
                    {
                        "stepId": 0,
                        "stepName": "init",
                        "stepType": "Initial",
                        "callType": "step",
                        "messageId": f"msg_{i}",
                        "out": "hello",
                        "retries": 3,
                        "concurrent": 1,
                        "state": "STEP_SUCCESS",
                        "createdAt": 1714000000000 + i,
                        "headers": {"Content-Type": ["application/json"]},
                    }
                ],
            },
        ],
        "labels": ["bench"],
    }


ASKS: dict[tuple[str, int], int] = {}  # how many times each run was asked for
WAIT_REQUESTS: dict[str, list[list[int]]] = {}  # tag -> [poll, runs] of each workflowRuns request


def polled_log(run_id: str, created_at: int, ask: int) -> dict[str, object]:
    _, _, suffix = run_id.rpartition("_p")
    final_at = int(suffix) if suffix.isdigit() else 3
    log = run_log(0)
    step = log["steps"][0]["steps"][0]  # type: ignore[index]
    log["steps"] = [
        {"type": "sequential", "steps": [{**step, "stepId": n, "stepName": f"step {n}"}]}
        for n in range(min(ask, final_at))
    ]
    log["workflowRunId"], log["workflowRunCreatedAt"] = run_id, created_at
    if ask < final_at:
        log["workflowState"] = "RUN_STARTED"
        del log["workflowRunCompletedAt"]
    return log


def workflow_runs(query: dict[str, list[str]]) -> bytes:
    pairs = [item.rpartition("@") for item in query["workflowRuns"][0].split(",")]
    logs, poll = [], 0
    for run_id, _, created in pairs:
        key = (run_id, int(created))
        ASKS[key] = ask = ASKS.get(key, 0) + 1
        poll = max(poll, ask)
        logs.append(polled_log(run_id, int(created), ask))
    tag = pairs[0][0].split("_")[1] if pairs[0][0].count("_") >= 2 else ""
    WAIT_REQUESTS.setdefault(tag, []).append([poll, len(pairs)])
    return json.dumps({"runs": logs, "cursor": ""}).encode()


def page(query: dict[str, list[str]]) -> bytes:
    start = int(query.get("cursor", ["0"])[0] or 0)
    count = int(query.get("count", ["10"])[0])
    end = min(start + count, TOTAL_RUNS)
    cursor = str(end) if end < TOTAL_RUNS else ""
    return json.dumps({"runs": [run_log(i) for i in range(start, end)], "cursor": cursor}).encode()


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            length = 0
            for line in lines[1:]:
                if line[:15].lower() == "content-length:":
                    length = int(line[15:].strip())
            request = await reader.readexactly(length) if length else b""
            parts = urlsplit(target)
            if method == "POST" and parts.path == "/v2/batch":
                body = batch_answer(request)
            elif parts.path == "/v2/workflows/events":
                body = page(parse_qs(parts.query))
            elif parts.path == "/v2/workflows/logs" and "workflowRuns=" in parts.query:
                body = workflow_runs(parse_qs(parts.query))
            elif parts.path == "/bench/wait-stats":
                body = json.dumps(WAIT_REQUESTS.get(parse_qs(parts.query)["tag"][0], [])).encode()
            else:
                body = b"{}"
            if DELAY:
                await asyncio.sleep(DELAY)
            writer.write(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
                + str(len(body)).encode()
                + b"\r\n\r\n"
                + body
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


def exit_when_stdin_closes() -> None:
    sys.stdin.read()
    os._exit(0)


async def main() -> None:
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    print("PORT", server.sockets[0].getsockname()[1], flush=True)
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    async with server:
        await asyncio.sleep(MAX_LIFETIME)


if __name__ == "__main__":
    asyncio.run(main())
