"""Benchmarks: each figure is reported with its anchor, measured in the same run (see scripts/bench).

1. per-call overhead of Client.trigger (and the raw generated function) vs raw httpx posting the same
   request to the same loopback server, keep-alive on both; sync and async.
2. batch throughput: 10,000 triggers with trigger_many (sync and async) vs the official TS client
   1.3.3 on node doing the same work against the same server.
3. cold import time of `import upstash_workflow.rest` vs `import httpx`, in a venv with only the runtime
   dependencies (what a serverless function ships).
4. resident memory growth while iterating 100,000 log entries with iter_logs, vs raw httpx + json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from upstash_workflow.rest import AsyncClient, Client, TriggerRequest  # noqa: E402
from upstash_workflow.rest._calls import trigger as build_trigger  # noqa: E402

URL = "https://workflow-endpoint.com/api/workflow"
TIMED_RUNS = 3  # batch throughput: the median of this many timed runs, for both clients
TOKEN = "bench-token"


def _pin(pid: int, cpu: int) -> None:
    """Client and server on different cores, so neither preempts the other mid-measurement."""
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) >= 2:
        os.sched_setaffinity(pid, {cpu})


@contextmanager
def fast_server(total_runs: int = 100_000) -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "benchmarks" / "fast_server.py"), str(total_runs)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    _pin(proc.pid, 1)
    _pin(0, 0)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().split()
        yield f"http://127.0.0.1:{line[1]}"
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=10)


def rounds(candidates: dict[str, Callable[[], None]], calls: int, repeats: int) -> dict[str, float]:
    """Median microseconds per call, and for each candidate the median of its per-round ratio to the
    first one (``<name>_ratio``): candidates run interleaved in every round, so a ratio compares
    measurements taken moments apart and machine drift cancels out."""
    samples: dict[str, list[float]] = {name: [] for name in candidates}
    order = list(candidates)
    shuffler = random.Random(7)
    for _ in range(repeats):
        shuffler.shuffle(order)  # no candidate always runs first (or right after another)
        for name in order:
            fn = candidates[name]
            start = time.perf_counter()
            for _ in range(calls):
                fn()
            samples[name].append((time.perf_counter() - start) / calls * 1e6)
    anchor = samples[next(iter(candidates))]
    result = {name: statistics.median(values) for name, values in samples.items()}
    for name, values in samples.items():
        result[f"{name}_ratio"] = statistics.median(v / a for v, a in zip(values, anchor, strict=True))
    return result


def per_call(base: str, calls: int, repeats: int) -> dict[str, float]:
    from upstash_workflow_api import AuthenticatedClient
    from upstash_workflow_api.api.runs import trigger_batch
    from upstash_workflow_api.models import BatchMessage

    client = Client(token=TOKEN, base_url=base, disable_telemetry=True)
    # The anchor posts the very request our client sends (same URL, headers and JSON payload, which a
    # raw httpx user would pass as json=), built once outside the timed loop.
    request = client._prepare(build_trigger(client._options, URL, "hello", workflow_run_id="bench"))
    payload, headers = request["json"], request["headers"]
    raw = httpx.Client()
    api = AuthenticatedClient(base_url=base, token=TOKEN)
    message = request["json"][0]

    def ours() -> None:
        client.trigger(url=URL, body="hello", workflow_run_id="bench")

    def generated() -> None:
        trigger_batch.sync_detailed(client=api, body=[BatchMessage.from_dict(message)])

    def httpx_raw() -> None:
        raw.post(request["url"], json=payload, headers=headers).json()

    for fn in (ours, generated, httpx_raw):
        for _ in range(50):
            fn()  # warm up connections and caches
    result = rounds({"httpx": httpx_raw, "generated": generated, "client": ours}, calls, repeats)

    async def async_rounds() -> dict[str, float]:
        aclient = AsyncClient(token=TOKEN, base_url=base, disable_telemetry=True)
        araw = httpx.AsyncClient()
        samples: dict[str, list[float]] = {"async_httpx": [], "async_client": []}
        order = list(samples)
        for round_number in range(repeats + 1):  # the first round warms up and is dropped
            if round_number % 2:
                order.reverse()  # alternate which client runs first
            for name in order:
                start = time.perf_counter()
                for _ in range(calls):
                    if name == "async_client":
                        await aclient.trigger(url=URL, body="hello", workflow_run_id="bench")
                    else:
                        (await araw.post(request["url"], json=payload, headers=headers)).json()
                samples[name].append((time.perf_counter() - start) / calls * 1e6)
        await aclient.aclose()
        await araw.aclose()
        ours, anchor = samples["async_client"][1:], samples["async_httpx"][1:]
        return {
            "async_httpx": statistics.median(anchor),
            "async_client": statistics.median(ours),
            "async_client_ratio": statistics.median(o / a for o, a in zip(ours, anchor, strict=True)),
        }

    result.update(asyncio.run(async_rounds()))
    client.close()
    raw.close()
    return result


def batch_throughput(base: str, runs: int, with_ts: bool) -> dict[str, float | str]:
    requests = [TriggerRequest(url=URL, body=f"payload {i}") for i in range(runs)]
    out: dict[str, float | str] = {}
    rates: list[float] = []
    with Client(token=TOKEN, base_url=base) as client:
        client.trigger_many(requests[:200])
        for _ in range(TIMED_RUNS):
            start = time.perf_counter()
            results = client.trigger_many(requests)
            rates.append(runs / (time.perf_counter() - start))
            assert len({r.workflow_run_id for r in results}) == runs
    out["sync"] = statistics.median(rates)

    async def run_async() -> float:
        async_rates: list[float] = []
        async with AsyncClient(token=TOKEN, base_url=base) as client:
            await client.trigger_many(requests[:200])
            for _ in range(TIMED_RUNS):
                start = time.perf_counter()
                await client.trigger_many(requests)
                async_rates.append(runs / (time.perf_counter() - start))
        return statistics.median(async_rates)

    out["async"] = asyncio.run(run_async())
    if with_ts:
        out["ts"] = ts_throughput(base, runs)
    return out


TS_SCRIPT = """
import { Client } from "@upstash/workflow";
const [base, runs] = [process.argv[2], Number(process.argv[3])];
const client = new Client({ baseUrl: base, token: "bench-token" });
const make = (n) => Array.from({ length: n }, (_, i) => ({ url: "%URL%", body: `payload ${i}` }));
await client.trigger(make(200));
const rates = [];
for (let i = 0; i < %TIMED%; i++) {
  const start = performance.now();
  const result = await client.trigger(make(runs));
  rates.push(runs / ((performance.now() - start) / 1000));
  if (result.length !== runs) throw new Error("wrong count");
}
rates.sort((a, b) => a - b);
console.log(JSON.stringify({ perSecond: rates[Math.floor(rates.length / 2)] }));
"""


def ts_throughput(base: str, runs: int) -> float | str:
    sys.path.insert(0, str(ROOT))
    from tests.support import tsref

    try:
        result = tsref.run_node(TS_SCRIPT.replace("%URL%", URL).replace("%TIMED%", str(TIMED_RUNS)), base, str(runs))
    except tsref.NodeMissing as exc:
        return f"n/a ({exc})"
    if result.returncode != 0:
        return f"n/a (node failed: {result.stderr.strip()[:200]})"
    return float(json.loads(result.stdout.strip().splitlines()[-1])["perSecond"])


RUNTIME_PACKAGES = (
    "httpx",
    "httpcore",
    "h11",
    "anyio",
    "idna",
    "certifi",
    "sniffio",
    "attrs",
    "typing-extensions",
    "exceptiongroup",
)


def runtime_venv() -> Path:
    """.venv-bench: only the runtime dependencies (hash-checked from requirements.lock) + this package."""
    venv = ROOT / ".venv-bench"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        wanted = _runtime_lock_lines()
        req = venv / "requirements.txt"
        req.write_text(wanted)
        env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--require-hashes", "--no-deps", "-r", str(req)],
            check=True,
            env=env,
            stderr=subprocess.DEVNULL,
        )
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--no-deps", str(ROOT)],
            check=True,
            env=env,
            stderr=subprocess.DEVNULL,
        )
    return python


def _runtime_lock_lines() -> str:
    """The requirements.lock entries (with their hashes) of the runtime dependencies."""
    entries: list[list[str]] = []
    current: list[str] = []
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith((" ", "#")):
            if current:
                entries.append(current)
            current = [line]
        elif line.startswith("    --hash") and current:
            current.append(line)
    if current:
        entries.append(current)
    keep = []
    for entry in entries:
        name = entry[0].split("==")[0].strip().lower()
        if name in RUNTIME_PACKAGES:
            keep.append("\n".join(entry).rstrip(" \\"))
    return "\n".join(keep) + "\n"


def import_time(samples: int) -> dict[str, float]:
    python = runtime_venv()

    def cold(module: str) -> float:
        result = subprocess.run(
            [str(python), "-X", "importtime", "-c", f"import {module}"], capture_output=True, text=True, check=True
        )
        last = [line for line in result.stderr.splitlines() if line.rstrip().endswith(f"| {module}")][-1]
        return int(last.split("|")[1]) / 1000

    out: dict[str, list[float]] = {"httpx": [], "upstash_workflow.rest": []}
    for _ in range(samples):
        for module in out:
            out[module].append(cold(module))
    return {module: statistics.median(values) for module, values in out.items()}


MEMORY_SCRIPT = """
import json, resource, sys
import httpx
base, total, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20
if mode == "client":
    from upstash_workflow.rest import Client
    client = Client(token="bench-token", base_url=base)
    first = client.logs(count=1)  # warm: imports, connection, parsing code
else:
    client_raw = httpx.Client()
    client_raw.get(base + "/v2/workflows/events", params={"groupBy": "workflowRunId", "count": 1}).json()
before = rss_mb()
seen = 0
if mode == "client":
    for run in client.iter_logs(count=1000):
        seen += 1
else:
    cursor = None
    while True:
        params = {"groupBy": "workflowRunId", "count": 1000}
        if cursor:
            params["cursor"] = cursor
        data = client_raw.get(base + "/v2/workflows/events", params=params).json()
        seen += len(data["runs"])
        cursor = data.get("cursor")
        if not cursor:
            break
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
assert seen == total, seen
print(json.dumps({"growth_mb": rss_mb() - before, "peak_mb": peak, "before_mb": before}))
"""


def memory(base: str, total: int) -> dict[str, dict[str, float]]:
    out = {}
    for mode in ("httpx", "client"):
        result = subprocess.run(
            [sys.executable, "-c", MEMORY_SCRIPT, base, str(total), mode],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        out[mode] = json.loads(result.stdout)
    return out


def report(results: dict[str, Any], quick: bool) -> str:
    pc, bt, it, mem = results["per_call"], results["batch"], results["import"], results["memory"]
    ts = bt.get("ts")
    ts_num = ts if isinstance(ts, float) else None
    lines = [
        "# Benchmark results",
        "",
        f"Run by `scripts/bench{' --quick' if quick else ''}` on {results['machine']}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Every ratio compares two figures measured in this run.",
        "",
        "| what | ours | anchor | ratio | goal | met |",
        "|---|---|---|---|---|---|",
        f"| per-call `Client.trigger` (µs/call) | {pc['client']:.0f} | raw `httpx.Client.post` {pc['httpx']:.0f} | "
        f"{pc['client_ratio']:.2f}× | ≤ 1.10× | {'yes' if pc['client_ratio'] <= 1.10 else 'no'} |",
        f"| per-call generated `trigger_batch.sync_detailed` (µs/call) | {pc['generated']:.0f} | raw httpx {pc['httpx']:.0f} | "
        f"{pc['generated_ratio']:.2f}× | (between the two) | |",
        f"| per-call `AsyncClient.trigger` (µs/call) | {pc['async_client']:.0f} | raw `httpx.AsyncClient.post` "
        f"{pc['async_httpx']:.0f} | {pc['async_client_ratio']:.2f}× | ≤ 1.10× | "
        f"{'yes' if pc['async_client_ratio'] <= 1.10 else 'no'} |",
        f"| `trigger_many` sync, {results['runs']:,} runs (runs/s) | {bt['sync']:,.0f} | TS client 1.3.3 "
        f"{ts_num or 0:,.0f} | {bt['sync'] / ts_num if ts_num else float('nan'):.2f}× | ≥ 2× | "
        f"{'yes' if ts_num and bt['sync'] / ts_num >= 2 else 'no' if ts_num else ts} |",
        f"| `trigger_many` async, {results['runs']:,} runs (runs/s) | {bt['async']:,.0f} | TS client 1.3.3 "
        f"{ts_num or 0:,.0f} | {bt['async'] / ts_num if ts_num else float('nan'):.2f}× | ≥ 2× | "
        f"{'yes' if ts_num and bt['async'] / ts_num >= 2 else 'no' if ts_num else ts} |",
        f"| cold `import upstash_workflow.rest` (ms) | {it['upstash_workflow.rest']:.0f} | `import httpx` {it['httpx']:.0f} | "
        f"{it['upstash_workflow.rest'] / it['httpx']:.2f}× | ≤ 150 ms | {'yes' if it['upstash_workflow.rest'] <= 150 else 'no'} |",
        f"| RSS growth iterating {results['log_entries']:,} log entries (MB) | {mem['client']['growth_mb']:.1f} | "
        f"raw httpx + json {mem['httpx']['growth_mb']:.1f} | | ≤ 30 MB | {'yes' if mem['client']['growth_mb'] <= 30 else 'no'} |",
        "",
        "Per-call figures are medians of interleaved rounds against `benchmarks/fast_server.py` (a separate "
        "process, so the server shares no GIL with the client); each ratio is the median of the per-round "
        "ratios. The anchor posts the very request the client sends (same URL, headers and JSON payload, "
        "built once outside the loop). Import times are medians of cold "
        "`python -X importtime` runs in `.venv-bench`, which holds only the runtime dependencies. "
        "Throughput is the median of 3 timed runs after a 200-run warm-up, for both clients; the TS client's "
        "is timed inside node, excluding its start-up, and it sends all 10,000 runs in one batch request.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny sizes (a smoke run)")
    parser.add_argument("--no-ts", action="store_true", help="skip the TS client")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    args = parser.parse_args()
    calls, repeats, runs, entries, imports = (20, 3, 500, 2_000, 2) if args.quick else (200, 31, 10_000, 100_000, 9)
    results: dict[str, Any] = {
        "runs": runs,
        "log_entries": entries,
        "machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}",
    }
    with fast_server(entries) as base:
        print("per-call overhead ...", flush=True)
        results["per_call"] = per_call(base, calls, repeats)
        print("batch throughput ...", flush=True)
        results["batch"] = batch_throughput(base, runs, not args.no_ts)
        print("memory ...", flush=True)
        results["memory"] = memory(base, entries)
    print("import time ...", flush=True)
    results["import"] = import_time(imports)
    text = report(results, args.quick)
    args.output.write_text(text)
    (args.output.with_suffix(".json")).write_text(json.dumps(results, indent=2, default=str))
    print(text)


if __name__ == "__main__":
    main()
