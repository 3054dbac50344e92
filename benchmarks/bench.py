"""Benchmarks: each figure is reported with its anchor, measured in the same run (see scripts/bench).

1. per-call overhead of Client.trigger (and the raw generated function) vs raw httpx posting the same
   request to the same loopback server, keep-alive on both; sync and async.
2. batch throughput: 10,000 triggers with trigger_many (sync and async) vs the official TS client
   1.3.3 on node doing the same work against the same server.
3. cold start-up (section 8): `from upstash_workflow.rest import Client` vs `import httpx`, in a venv with
   only the runtime dependencies (what a serverless function ships), and `upstash-workflow --help`.
4. resident memory growth while iterating 100,000 log entries with iter_logs, vs raw httpx + json.
5. over a simulated round trip (``--latency MS``, default 25: the same server answering every request
   MS milliseconds late): trigger_many, 50 concurrent single triggers and sequential single triggers,
   each against the TS client doing the same in the same run, and against the round-trip limit.
6. trigger_stream of ``--stream-runs`` runs (default 1,000,000): throughput and peak RSS growth.
7. wait_all over ``--wait-runs`` runs (default 1,000) that end after 1 to 4 polls, sync and async, on
   loopback and over the ``--latency`` round trip: logs requests per poll (counted by the server), the
   client's CPU time per poll (``time.process_time``) and wall time. ``--only wait`` runs this section
   alone and replaces it in ``--output`` (and its keys in the .json), keeping every other figure.
8. LocalQStash at scale: one logs page (the default page, by label, by state, deep behind a cursor),
   a DLQ page and a cancel by label, through a real `Client` over loopback against an in-process
   LocalQStash holding 100 runs and holding 100,000 (seeded with `LocalQStash.seed`, timed too), and
   `iter_logs` over 20,000 runs. ``--only local`` runs this section alone, as ``--only wait`` does.
9. start-up: cold ``upstash-workflow --help``, ``import upstash_workflow.rest`` and
   ``from upstash_workflow.rest import Client``, each the median wall time of ``--startup-runs`` (10) fresh
   processes, against ``python -c pass`` and ``python -c "import httpx"`` in the same venv. ``--only startup``
   runs this section alone, as ``--only wait`` does.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
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
def fast_server(total_runs: int = 100_000, delay_ms: float = 0.0) -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "benchmarks" / "fast_server.py"), str(total_runs), str(delay_ms)],
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
    payload, headers = json.loads(request["content"]), request["headers"]
    raw = httpx.Client()
    api = AuthenticatedClient(base_url=base, token=TOKEN)
    message = payload[0]

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


def make_requests(count: int) -> list[TriggerRequest]:
    """The runs of a throughput round. Built inside the timed region, as the TS scripts build their
    arrays and as a stream builds its requests: every side does the same work."""
    return [TriggerRequest(url=URL, body=f"payload {i}") for i in range(count)]


def batch_throughput(base: str, runs: int, with_ts: bool) -> dict[str, float | str]:
    out: dict[str, float | str] = {}
    rates: list[float] = []
    with Client(token=TOKEN, base_url=base) as client:
        client.trigger_many(make_requests(200))
        for _ in range(TIMED_RUNS):
            start = time.perf_counter()
            results = client.trigger_many(make_requests(runs))
            rates.append(runs / (time.perf_counter() - start))
            assert len({r.workflow_run_id for r in results}) == runs
    out["sync"] = statistics.median(rates)

    async def run_async() -> float:
        async_rates: list[float] = []
        async with AsyncClient(token=TOKEN, base_url=base) as client:
            await client.trigger_many(make_requests(200))
            for _ in range(TIMED_RUNS):
                start = time.perf_counter()
                await client.trigger_many(make_requests(runs))
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


def node_figure(script: str, key: str, *args: str) -> float | str:
    """``key`` of the JSON line a TS benchmark script prints last, or why there is none."""
    from tests.support import tsref

    try:
        result = tsref.run_node(script.replace("%URL%", URL).replace("%TIMED%", str(TIMED_RUNS)), *args)
    except tsref.NodeMissing as exc:
        return f"n/a ({exc})"
    if result.returncode != 0:
        return f"n/a (node failed: {result.stderr.strip()[:200]})"
    return float(json.loads(result.stdout.strip().splitlines()[-1])[key])


def ts_throughput(base: str, runs: int) -> float | str:
    return node_figure(TS_SCRIPT, "perSecond", base, str(runs))


def python_figures(script: str, *args: str) -> dict[str, Any]:
    """The JSON object a benchmark script prints, run in a fresh Python process."""
    result = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=True, cwd=ROOT)
    return dict(json.loads(result.stdout))


# ------------------------------------------------------------------------ over a simulated round trip

LATENCY_TS_SCRIPT = """
import { Client } from "@upstash/workflow";
const [base, mode, runs, concurrency] = [process.argv[2], process.argv[3], Number(process.argv[4]), Number(process.argv[5])];
const client = new Client({ baseUrl: base, token: "bench-token" });
const one = (i) => ({ url: "%URL%", body: `payload ${i}` });
async function once() {
  const start = performance.now();
  if (mode === "many") {
    const result = await client.trigger(Array.from({ length: runs }, (_, i) => one(i)));
    if (result.length !== runs) throw new Error("wrong count");
  } else if (mode === "concurrent") {
    const each = runs / concurrency;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      for (let i = 0; i < each; i++) await client.trigger(one(i));
    }));
  } else {
    for (let i = 0; i < runs; i++) await client.trigger(one(i));
  }
  return (performance.now() - start) / 1000;
}
await client.trigger(Array.from({ length: 200 }, (_, i) => one(i)));
const seconds = [];
for (let i = 0; i < %TIMED%; i++) seconds.push(await once());
seconds.sort((a, b) => a - b);
console.log(JSON.stringify({ seconds: seconds[Math.floor(seconds.length / 2)] }));
"""


def ts_seconds(base: str, mode: str, runs: int, concurrency: int = 1) -> float | str:
    """Median seconds the TS client takes for one round of ``mode`` (timed inside node)."""
    return node_figure(LATENCY_TS_SCRIPT, "seconds", base, mode, str(runs), str(concurrency))


def median_seconds(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(TIMED_RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def latency(
    base: str, rtt_ms: float, runs: int, concurrent_runs: int, sequential: int, with_ts: bool
) -> dict[str, Any]:
    """Seconds per round for each mode, ours and TS, against a server answering ``rtt_ms`` late."""
    from upstash_workflow.rest._batching import MANY_BATCH_SIZE, plan
    from upstash_workflow.rest._sending import BATCHES_IN_FLIGHT
    from upstash_workflow.rest._trigger import Options

    concurrency = 50
    requests = [TriggerRequest(url=URL, body=f"payload {i}") for i in range(runs)]
    rtt = rtt_ms / 1000
    rounds = math.ceil(len(plan(Options(), requests, MANY_BATCH_SIZE)) / BATCHES_IN_FLIGHT)
    out: dict[str, Any] = {
        "rtt_ms": rtt_ms,
        "runs": runs,
        "concurrent_runs": concurrent_runs,
        "concurrency": concurrency,
        "sequential": sequential,
        # What the network alone allows: runs per second if every other cost were zero.
        "limit": {
            "many": runs / (rounds * rtt),
            "many_ts": runs / rtt,
            "concurrent": concurrency / rtt,
            "sequential_ms": rtt_ms,
        },
    }
    with Client(token=TOKEN, base_url=base) as client:
        client.trigger_many(make_requests(200))
        out["many_sync"] = median_seconds(lambda: client.trigger_many(make_requests(runs)))

        def one_by_one() -> None:
            for i in range(sequential):
                client.trigger(url=URL, body=f"payload {i}")

        out["sequential_sync"] = median_seconds(one_by_one)

    async def run_async(coalesce: bool) -> dict[str, float]:
        result: dict[str, float] = {}
        async with AsyncClient(token=TOKEN, base_url=base, coalesce_triggers=coalesce) as client:
            await client.trigger_many(make_requests(200))

            async def timed(make: Callable[[], Any]) -> float:
                times = []
                for _ in range(TIMED_RUNS):
                    start = time.perf_counter()
                    await make()
                    times.append(time.perf_counter() - start)
                return statistics.median(times)

            async def worker(count: int) -> None:
                for i in range(count):
                    await client.trigger(url=URL, body=f"payload {i}")

            def concurrent() -> Any:
                return asyncio.gather(*(worker(concurrent_runs // concurrency) for _ in range(concurrency)))

            result["concurrent"] = await timed(concurrent)
            if coalesce:
                result["many"] = await timed(lambda: client.trigger_many(make_requests(runs)))
                result["sequential"] = await timed(lambda: worker(sequential))
        return result

    coalesced = asyncio.run(run_async(True))
    out["many_async"] = coalesced["many"]
    out["concurrent_async"] = coalesced["concurrent"]
    out["sequential_async"] = coalesced["sequential"]
    out["concurrent_async_uncoalesced"] = asyncio.run(run_async(False))["concurrent"]
    if with_ts:
        out["ts_many"] = ts_seconds(base, "many", runs)
        out["ts_concurrent"] = ts_seconds(base, "concurrent", concurrent_runs, concurrency)
        out["ts_sequential"] = ts_seconds(base, "sequential", sequential)
    return out


# ---------------------------------------------------------------------------------------- streaming

STREAM_SCRIPT = """
import json, resource, sys, time
from upstash_workflow.rest import Client, TriggerRequest
base, total, url = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20
def requests(count):
    return (TriggerRequest(url=url, body=f"payload {i}") for i in range(count))
client = Client(token="bench-token", base_url=base)
for _ in client.trigger_stream(requests(2_000)):  # warm: imports, threads, connections
    pass
before = rss_mb()
start = time.perf_counter()
seen = started = 0
for outcome in client.trigger_stream(requests(total)):
    seen += 1
    started += outcome.ok
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
assert seen == started == total, (seen, started)
print(json.dumps({"runs": seen, "per_second": seen / elapsed, "seconds": elapsed, "peak_growth_mb": peak - before, "before_mb": before}))
"""


def stream(base: str, total: int) -> dict[str, Any]:
    return python_figures(STREAM_SCRIPT, base, str(total), URL)


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
    "sortedcontainers",  # LocalQStash's indexes (imported by upstash_workflow.rest.testing only)
)


# The `[cli]` extra's packages (typer vendors click), for the start-up figures of the command line.
CLI_PACKAGES = ("typer", "rich", "shellingham", "annotated-doc", "markdown-it-py", "mdurl", "pygments")


def runtime_venv(cli: bool = False) -> Path:
    """.venv-bench: only the runtime dependencies (hash-checked from requirements.lock) + this package;
    with ``cli``, .venv-bench-cli: the same plus the `[cli]` extra's packages."""
    venv = ROOT / (".venv-bench-cli" if cli else ".venv-bench")
    python = venv / "bin" / "python"
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        wanted = _runtime_lock_lines(RUNTIME_PACKAGES + (CLI_PACKAGES if cli else ()))
        req = venv / "requirements.txt"
        req.write_text(wanted)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--require-hashes", "--no-deps", "-r", str(req)],
            check=True,
            env=env,
            stderr=subprocess.DEVNULL,
        )
    # The package itself every run (a regular install, compiled as pip compiles it): an environment
    # kept from an earlier run would otherwise time the code as it was then.
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(ROOT)],
        check=True,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    return python


def _runtime_lock_lines(packages: tuple[str, ...]) -> str:
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
        if name in packages:
            keep.append("\n".join(entry).rstrip(" \\"))
    return "\n".join(keep) + "\n"


STARTUP_RUNS = 10
# What each start-up figure runs in a fresh process (``-c`` code, or a console script's arguments).
STARTUP = {
    "pass": ["-c", "pass"],
    "httpx": ["-c", "import httpx"],
    "package": ["-c", "import upstash_workflow.rest"],
    "client": ["-c", "from upstash_workflow.rest import Client"],
    "deps": ["-c", "import httpx, attrs"],
}


def startup(runs: int) -> dict[str, Any]:
    """Median milliseconds of ``runs`` fresh processes each (interleaved, after one warm-up round that
    fills the OS file cache), wall and CPU (user + system, from ``getrusage``): the library's imports
    in .venv-bench, ``upstash-workflow --help`` in .venv-bench-cli, each venv with its own
    ``python -c pass`` and ``import httpx`` anchors. The processes run in an empty directory (so the
    installed, byte-compiled package is what is timed)."""
    lib, cli = runtime_venv(), runtime_venv(cli=True)
    commands: dict[str, list[str]] = {name: [str(lib), *args] for name, args in STARTUP.items()}
    commands |= {
        "cli_pass": [str(cli), "-c", "pass"],
        "cli_httpx": [str(cli), "-c", "import httpx"],
        "help": [str(cli.parent / "upstash-workflow"), "--help"],
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")} | {"COLUMNS": "100"}
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}

    def used() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # every child so far: one at a time here
        return usage.ru_utime + usage.ru_stime

    with tempfile.TemporaryDirectory() as empty:
        for round_ in range(runs + 1):
            for name, command in commands.items():
                start, cpu_start = time.perf_counter(), used()
                subprocess.run(command, cwd=empty, env=env, check=True, capture_output=True)
                if round_:  # round 0 warms the file cache
                    wall[name].append((time.perf_counter() - start) * 1000)
                    cpu[name].append((used() - cpu_start) * 1000)
    return {
        "runs": runs,
        "ms": {name: statistics.median(values) for name, values in wall.items()},
        "cpu_ms": {name: statistics.median(values) for name, values in cpu.items()},
        "machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def startup_rows(found: dict[str, Any]) -> list[str]:
    """The start-up rows of the main table (each begins ``| cold `` : `splice_startup_rows` finds them)."""
    cpu = found["cpu_ms"]
    net_client, net_httpx = cpu["client"] - cpu["pass"], cpu["httpx"] - cpu["pass"]
    return [
        f"| cold `from upstash_workflow.rest import Client`, CPU net of `python -c pass` (ms) | {net_client:.0f} | "
        f"`import httpx` {net_httpx:.0f} | {net_client / net_httpx:.2f}× | ≤ 1.3× | {_yes(net_client <= 1.3 * net_httpx)} |",
        f"| cold `upstash-workflow --help`, CPU (ms) | {cpu['help']:.0f} | `python -c pass` {cpu['cli_pass']:.0f} | | "
        f"≤ 300 ms | {_yes(cpu['help'] <= 300)} |",
    ]


def splice_startup_rows(text: str, found: dict[str, Any]) -> str:
    """``text`` with the main table's start-up rows (``| cold ``...) replaced by this run's."""
    lines = text.split("\n")
    at = [i for i, line in enumerate(lines) if line.startswith("| cold `")]
    if not at:
        return text
    lines[at[0] : at[-1] + 1] = startup_rows(found)
    return "\n".join(lines)


def startup_report(found: dict[str, Any]) -> list[str]:
    wall: dict[str, float] = found["ms"]
    cpu: dict[str, float] = found["cpu_ms"]

    def line(what: str, key: str, base: str, anchor: str, goal: str, ok: bool | None) -> str:
        net, net_httpx = cpu[key] - cpu[base], cpu[anchor] - cpu[base]
        return (
            f"| {what} | {wall[key]:.0f} / {cpu[key]:.0f} | {wall[base]:.0f} / {cpu[base]:.0f} | "
            f"{wall[anchor]:.0f} / {cpu[anchor]:.0f} | {cpu[key] / cpu[anchor]:.2f}× | {net:.0f} | "
            f"{net / net_httpx:.2f}× | {goal} | {_yes(ok)} |"
        )

    def imports_ok(key: str) -> bool:
        return cpu[key] - cpu["pass"] <= 1.3 * (cpu["httpx"] - cpu["pass"])

    return [
        "### Start-up time",
        "",
        f"A fresh process, median of {found['runs']} (interleaved, after a warm-up round), wall and CPU "
        "time (user + system, `getrusage`), in `.venv-bench` (only the runtime dependencies) for the imports "
        "and in `.venv-bench-cli` (the same plus the `[cli]` extra) for the command line, each against "
        '`python -c pass` and `python -c "import httpx"` in the same venv. *Net* is the CPU time minus '
        "`python -c pass`'s: the import's own cost. The goals are judged on CPU time, which is what the "
        "wall time is on a quiet machine (start-up is one thread, its files cached); wall times here "
        "include waiting for the other jobs sharing the machine. `import upstash_workflow.rest` imports "
        "each public name on first use (PEP 562), so the second row is what a user of the client pays.",
        "",
        f"Measured on {found['machine']}, {found['date']}, by `scripts/bench --only startup` (this section "
        "alone, spliced into this file; `--startup-runs N` changes the count).",
        "",
        "| what | ms, wall / CPU | `python -c pass` | `import httpx` | CPU / `import httpx` | net CPU ms | "
        "net / httpx's net | goal | met |",
        "|---|---|---|---|---|---|---|---|---|",
        line("`import upstash_workflow.rest`", "package", "pass", "httpx", "net ≤ 1.3× httpx's", imports_ok("package")),
        line(
            "`from upstash_workflow.rest import Client`",
            "client",
            "pass",
            "httpx",
            "net ≤ 1.3× httpx's",
            imports_ok("client"),
        ),
        line("`import httpx, attrs`: the client's dependencies", "deps", "pass", "httpx", "(a floor)", None),
        line("`upstash-workflow --help`", "help", "cli_pass", "cli_httpx", "≤ 300 ms", cpu["help"] <= 300),
        "",
        "Between the floor and `Client` is the package's own code, mostly the creation of its attrs classes "
        "(the result classes, which the methods' annotations name, are the largest part: "
        "`python -X importtime` shows `_results`). What only some calls need is not imported with "
        "`Client`: OpenTelemetry (on the first call, with the `[otel]` extra), the generated endpoint "
        "modules (each on its first call), LocalQStash and the CLI.",
        "",
    ]


def construction(samples: int) -> dict[str, float]:
    """Milliseconds to create and close a ``Client`` (median), for a plain-HTTP base URL (no TLS set-up)
    and an HTTPS one, next to ``httpx.Client()`` (which loads CA roots)."""
    makers: dict[str, Callable[[], Any]] = {
        "http": lambda: Client(token="bench-token", base_url="http://127.0.0.1:9"),
        "https": lambda: Client(token="bench-token", base_url="https://qstash.upstash.io"),
        "httpx": httpx.Client,
    }
    out: dict[str, list[float]] = {name: [] for name in makers}
    for _ in range(samples):
        for name, make in makers.items():
            start = time.perf_counter()
            make().close()
            out[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(values) for name, values in out.items()}


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
    return {mode: python_figures(MEMORY_SCRIPT, base, str(total), mode) for mode in ("httpx", "client")}


def report(results: dict[str, Any], quick: bool) -> str:
    pc, bt, mem = results["per_call"], results["batch"], results["memory"]
    made = results["construction"]
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
        *startup_rows(results["startup"]),
        f"| `Client()` construction, `http://` base URL (ms) | {made['http']:.1f} | `httpx.Client()` {made['httpx']:.1f} | "
        f"{made['http'] / made['httpx']:.2f}× | ≤ 5 ms (no TLS set-up) | {'yes' if made['http'] <= 5 else 'no'} |",
        f"| `Client()` construction, `https://` base URL (ms) | {made['https']:.1f} | `httpx.Client()` {made['httpx']:.1f} | "
        f"{made['https'] / made['httpx']:.2f}× | (httpx's TLS defaults) | |",
        f"| RSS growth iterating {results['log_entries']:,} log entries (MB) | {mem['client']['growth_mb']:.1f} | "
        f"raw httpx + json {mem['httpx']['growth_mb']:.1f} | | ≤ 30 MB | {'yes' if mem['client']['growth_mb'] <= 30 else 'no'} |",
        "",
        "Per-call figures are medians of interleaved rounds against `benchmarks/fast_server.py` (a separate "
        "process, so the server shares no GIL with the client); each ratio is the median of the per-round "
        "ratios. The anchor posts the very request the client sends (same URL, headers and JSON payload, "
        "built once outside the loop). Start-up figures: see "
        "*Start-up time* below. "
        "Throughput is the median of 3 timed runs after a 200-run warm-up, for both clients; each timed run "
        "includes building its requests (as the TS script builds its array, and as a stream builds its "
        "input); the TS client's is timed inside node, excluding its start-up, and it sends all 10,000 runs "
        "in one batch request.",
        "",
    ]
    return "\n".join(lines)


def _yes(ok: bool | None) -> str:
    return "n/a" if ok is None else "yes" if ok else "no"


def latency_report(lat: dict[str, Any]) -> list[str]:
    """The round-trip table: each row against TS (same run) and against what the network allows."""
    rtt, limit = lat["rtt_ms"], lat["limit"]
    runs, crun, seq = lat["runs"], lat["concurrent_runs"], lat["sequential"]

    def ts_rate(key: str, count: int) -> float | None:
        value = lat.get(key)
        return count / value if isinstance(value, float) else None

    ts_many, ts_conc = ts_rate("ts_many", runs), ts_rate("ts_concurrent", crun)
    ts_seq = lat["ts_sequential"] / seq * 1000 if isinstance(lat.get("ts_sequential"), float) else None

    def fmt(value: float | None, spec: str = ",.0f") -> str:
        return "n/a" if value is None else format(value, spec)

    def ratio(ours: float, ts: float | None) -> float | None:
        return ours / ts if ts else None

    lines = [
        f"### Over a {rtt:g} ms round trip",
        "",
        f"The same server, answering every request {rtt:g} ms after it arrived (`scripts/bench --latency {rtt:g}`); "
        "the TS client 1.3.3 measured in the same run. The round-trip limit is what the network alone allows "
        "(every other cost zero): for `trigger_many`, the rounds of 16 batches in flight; for TS's one-array "
        "trigger, one request; for concurrent calls, concurrency / RTT; for sequential calls, one RTT each.",
        "",
        "| what | ours | TS 1.3.3 | ours / TS | round-trip limit | ours / limit | goal | met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for mode in ("sync", "async"):
        ours = runs / lat[f"many_{mode}"]
        r = ratio(ours, ts_many)
        lines.append(
            f"| `trigger_many` {mode}, {runs:,} runs (runs/s) | {ours:,.0f} | {fmt(ts_many)} (one array) | "
            f"{fmt(r, '.2f')}× | {limit['many']:,.0f} (TS: {limit['many_ts']:,.0f}) | "
            f"{ours / limit['many']:.0%} | ≥ 2× TS | {_yes(None if r is None else r >= 2)} |"
        )
    ours = crun / lat["concurrent_async"]
    r = ratio(ours, ts_conc)
    share = ours / limit["concurrent"]
    lines.append(
        f"| {lat['concurrency']} concurrent single `AsyncClient.trigger`, {crun:,} runs (runs/s) | {ours:,.0f} | "
        f"{fmt(ts_conc)} | {fmt(r, '.2f')}× | {limit['concurrent']:,.0f} | {share:.0%} | ≥ TS and ≥ 90 % of limit | "
        f"{_yes(None if r is None else r >= 1 and share >= 0.9)} |"
    )
    plain = crun / lat["concurrent_async_uncoalesced"]
    lines.append(
        f"| the same, `coalesce_triggers=False` (runs/s) | {plain:,.0f} | {fmt(ts_conc)} | "
        f"{fmt(ratio(plain, ts_conc), '.2f')}× | {limit['concurrent']:,.0f} | {plain / limit['concurrent']:.0%} | "
        "(for comparison) | |"
    )
    for mode in ("sync", "async"):
        ms = lat[f"sequential_{mode}"] / seq * 1000
        r = ts_seq / ms if ts_seq else None
        lines.append(
            f"| sequential single `trigger` {mode}, {seq} calls (ms/call) | {ms:.1f} | {fmt(ts_seq, '.1f')} | "
            f"{fmt(r, '.2f')}× as fast | {limit['sequential_ms']:.1f} | {limit['sequential_ms'] / ms:.0%} | "
            f"no slower than TS | {_yes(None if r is None else r >= 1)} |"
        )
    lines.append("")
    return lines


def median_latency(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Each measured figure (seconds) as the median of the rounds; the rest as in the first round."""
    out = dict(rounds[0])
    for key, value in rounds[0].items():
        values = [r[key] for r in rounds]
        if isinstance(value, float) and all(isinstance(v, float) for v in values):
            out[key] = statistics.median(values)
    return out


def rounds_report(rounds: list[dict[str, Any]]) -> list[str]:
    """The noisy ratios of every round, so the spread shows next to the medians above."""
    if len(rounds) < 2:
        return []

    def ratio(r: dict[str, Any], ours: str, ts: str) -> str:
        return f"{r[ts] / r[ours]:.2f}×" if isinstance(r.get(ts), float) else "n/a"

    lines = [
        f"Each figure above is the median of {len(rounds)} rounds, each measuring ours and TS afresh. Per round:",
        "",
    ]
    for number, r in enumerate(rounds, start=1):
        share = r["concurrent_runs"] / r["concurrent_async"] / r["limit"]["concurrent"]
        lines.append(
            f"- round {number}: `trigger_many` sync {ratio(r, 'many_sync', 'ts_many')} / async "
            f"{ratio(r, 'many_async', 'ts_many')} TS; 50 concurrent {ratio(r, 'concurrent_async', 'ts_concurrent')} TS, "
            f"{share:.0%} of the limit; sequential sync {ratio(r, 'sequential_sync', 'ts_sequential')} / async "
            f"{ratio(r, 'sequential_async', 'ts_sequential')} as fast as TS"
        )
    return [*lines, ""]


def stream_report(st: dict[str, float], many_sync: float, many_runs: int) -> list[str]:
    ok_rate = st["per_second"] >= many_sync
    ok_memory = st["peak_growth_mb"] < 50
    return [
        "### Streaming",
        "",
        "| what | ours | anchor | goal | met |",
        "|---|---|---|---|---|",
        f"| `Client.trigger_stream`, {int(st['runs']):,} runs from a generator (runs/s) | {st['per_second']:,.0f} | "
        f"`trigger_many` sync, {many_runs:,} runs (loopback table) {many_sync:,.0f} | ≥ anchor | {_yes(ok_rate)} |",
        f"| peak RSS growth while streaming them (MB) | {st['peak_growth_mb']:.1f} | | < 50 MB | {_yes(ok_memory)} |",
        "",
        "Streamed to the loopback server in a fresh process after a 2,000-run warm-up; growth is the "
        "process's peak RSS minus its RSS before the stream (at most 16 batches of 500 runs are in flight).",
        "",
    ]


# ------------------------------------------------------------------------------------------ waiting

WAIT_POLLS = 4  # run i ends on poll 1 + i % WAIT_POLLS: pending runs 1,000, 750, 500, 250
WAIT_MODES = {
    "sync": "`Client.wait_all`",
    "async": "`AsyncClient.wait_all`",
    "async_each": "concurrent `AsyncClient.wait`, one per run",
}


def wait_runs(tag: str, count: int) -> list[tuple[str, int]]:
    """``(run_id, created_at)`` pairs; the ``_pN`` suffix tells fast_server on which poll the run ends."""
    return [(f"wfr_{tag}_{i:05d}_p{1 + i % WAIT_POLLS}", 1714000000000 + i) for i in range(count)]


def wait_once(base: str, mode: str, tag: str, count: int) -> dict[str, Any]:
    """One timed wait of ``count`` fresh runs, after a 10-run warm-up (imports, connection): wall and
    CPU seconds, and the server's record of the logs requests it received for them ([poll, runs] each)."""
    runs = wait_runs(tag, count)

    def sync() -> tuple[list[Any], float, float]:
        with Client(token=TOKEN, base_url=base, disable_telemetry=True) as client:
            client.wait_all(wait_runs(f"warm{tag}", 10), timeout=30)
            wall, cpu = time.perf_counter(), time.process_time()
            logs = client.wait_all(runs, timeout=120)
            return logs, time.perf_counter() - wall, time.process_time() - cpu

    async def in_loop() -> tuple[list[Any], float, float]:
        async with AsyncClient(token=TOKEN, base_url=base, disable_telemetry=True) as client:
            await client.wait_all(wait_runs(f"warm{tag}", 10), timeout=30)
            wall, cpu = time.perf_counter(), time.process_time()
            if mode == "async":
                logs = await client.wait_all(runs, timeout=120)
            else:  # concurrent waits of one client share their polls
                logs = list(await asyncio.gather(*(client.wait(run, timeout=120) for run in runs)))
            return logs, time.perf_counter() - wall, time.process_time() - cpu

    logs, wall, cpu = sync() if mode == "sync" else asyncio.run(in_loop())
    assert [(log.workflow_run_id, log.workflow_run_created_at) for log in logs] == runs
    assert all(log.workflow_state == "RUN_SUCCESS" for log in logs)
    recorded = httpx.get(f"{base}/bench/wait-stats", params={"tag": tag}).json()
    return {"wall": wall, "cpu": cpu, "requests": recorded}


def per_poll(recorded: list[list[int]]) -> tuple[list[int], list[int]]:
    """Requests and runs asked for, per poll (from the server's record)."""
    polls = max((poll for poll, _ in recorded), default=0)
    requests = [sum(1 for poll, _ in recorded if poll == n) for n in range(1, polls + 1)]
    asked = [sum(runs for poll, runs in recorded if poll == n) for n in range(1, polls + 1)]
    return requests, asked


def waiting(base: str, count: int, rtt_ms: float, repeats: int) -> dict[str, Any]:
    """Each mode ``repeats`` times (fresh runs each time): median wall and CPU, requests per poll."""
    from upstash_workflow.rest._polling import FIRST_INTERVAL, MAX_RUNS_PER_REQUEST

    out: dict[str, Any] = {"rtt_ms": rtt_ms, "runs": count, "per_request": MAX_RUNS_PER_REQUEST}
    out["machine"] = f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
    out["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    setting = f"r{int(rtt_ms * 1000)}"
    for mode in WAIT_MODES:
        samples = [wait_once(base, mode, f"{setting}{mode.replace('_', '')}{n}", count) for n in range(repeats)]
        shapes = [per_poll(sample["requests"]) for sample in samples]
        requests, asked = shapes[0]
        # Every poll sees progress (a new step or the end), which keeps the interval at its first value.
        intervals = (len(requests) - 1) * FIRST_INTERVAL
        out[mode] = {
            "wall": statistics.median(s["wall"] for s in samples),
            "cpu": statistics.median(s["cpu"] for s in samples),
            "requests_per_poll": requests,
            "runs_per_poll": asked,
            "same_in_every_round": all(shape == shapes[0] for shape in shapes),
            "floor": intervals + sum(requests) * rtt_ms / 1000,  # intervals + one RTT a request, all else free
            "rounds": [{"wall": s["wall"], "cpu": s["cpu"]} for s in samples],
        }
    return out


def wait_report(settings: list[dict[str, Any]]) -> list[str]:
    from upstash_workflow.rest._polling import FIRST_INTERVAL

    first = settings[0]
    count, per_request = first["runs"], first["per_request"]
    lines = [
        "### Waiting for runs",
        "",
        f"`wait_all` over {count:,} runs (`(run_id, created_at)` pairs) that `benchmarks/fast_server.py` "
        f"reports as `RUN_STARTED`, one more step each poll, until run *i*'s {WAIT_POLLS} polls are up "
        f"(it ends on poll 1 + *i* mod {WAIT_POLLS}), then `RUN_SUCCESS`. The server counts the "
        "`GET /v2/workflows/logs?workflowRuns=...` requests of each poll; CPU is the client process's "
        "`time.process_time()` over the whole wait (the server is another process), divided by the polls. "
        f"The floor is the wall time if only the network and the poll interval cost anything: "
        f"{FIRST_INTERVAL:g} s between polls (every poll sees progress, which keeps the interval at its "
        "first value) plus one round trip per request (the requests of a poll are sent one after another). "
        f"Medians of {len(first['sync']['rounds'])} waits, each of fresh runs, after a 10-run warm-up.",
        "",
        f"Measured on {first['machine']}, {first['date']}, by `scripts/bench --only wait` (this section alone, "
        "spliced into this file; `--latency 0` drops the round-trip rows, `--wait-runs N` changes the count). "
        "The machine was shared with other jobs, so CPU and wall times are noisy (±20 % between runs); the "
        "request counts are exact and the same in every round.",
        "",
        "| what | round trip | requests per poll (pending runs) | ⌈pending / 100⌉ | one request per run would be | "
        "CPU per poll (ms) | CPU in all (ms) | wall (s) | floor (s) | goal | met |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for setting in settings:
        for mode, name in WAIT_MODES.items():
            m = setting[mode]
            requests, asked = m["requests_per_poll"], m["runs_per_poll"]
            ideal = [math.ceil(n / per_request) for n in asked]
            shown = ", ".join(f"{r} ({n:,})" for r, n in zip(requests, asked, strict=True))
            ok = requests == ideal and m["same_in_every_round"]
            rtt = f"{setting['rtt_ms']:g} ms" if setting["rtt_ms"] else "loopback"
            lines.append(
                f"| {name}, {count:,} runs | {rtt} | {shown} = {sum(requests)} | {', '.join(map(str, ideal))} = "
                f"{sum(ideal)} | {sum(asked):,} | {m['cpu'] / len(requests) * 1000:.1f} | {m['cpu'] * 1000:.0f} | "
                f"{m['wall']:.2f} | {m['floor']:.2f} | one request per {per_request} pending runs | {_yes(ok)} |"
            )
    return [*lines, ""]


# ------------------------------------------------------------------------------ LocalQStash at scale

LOCAL_CASES = {
    "page": "a logs page (default count, 10)",
    "label": "a logs page by label (1 run in 10)",
    "state": "a logs page by state (`RUN_FAILED`, 1 run in 4)",
    "deep": "a logs page behind a deep cursor (run 9/10 of the way down)",
    "dlq": "a DLQ page (1 run in 100 failed into it)",
    "cancel": "cancel by label, `count=10`",
}
LOCAL_STATES = ("RUN_STARTED", "RUN_SUCCESS", "RUN_FAILED", "RUN_CANCELED")


def local_seed(count: int) -> dict[str, Any]:
    """``count`` runs at 100 URLs with 10 labels and the four states in turn; 1 % of them in the DLQ."""
    runs = [
        {
            "url": f"http://127.0.0.1:9/wf/{i % 100}",
            "workflow_run_id": f"wfr_bench-{i}",
            "labels": [f"label-{i % 10}"],
            "state": LOCAL_STATES[i % 4],
        }
        for i in range(count)
    ]
    return {"runs": runs, "dlq": [{"workflow_run_id": f"wfr_bench-{i}"} for i in range(0, count, 100)]}


def local_scale(sizes: tuple[int, int], samples: int) -> list[dict[str, Any]]:
    """Per size: seconds to seed that many runs, and each case's median seconds over ``samples`` calls.
    Both servers run at once and every sample calls one then the other, so a busy moment of the
    machine falls on both sizes alike."""
    from upstash_workflow.rest.testing import LocalQStash

    results: list[dict[str, Any]] = []
    with contextlib.ExitStack() as stack:
        clients = []
        for size in sizes:
            server = stack.enter_context(LocalQStash())
            seed = local_seed(size)
            start = time.perf_counter()
            server.seed(seed)
            results.append({"runs": size, "samples": samples, "insert": time.perf_counter() - start})
            # Setup, untimed: the cursor that follows the first 9/10 of the runs.
            deep = server.state.logs({"count": [str(size * 9 // 10)]})["cursor"]
            client = stack.enter_context(Client(token=server.token, base_url=server.url, disable_telemetry=True))
            clients.append((client, deep))
        calls: list[dict[str, Callable[[], object]]] = [
            {
                "page": client.logs,
                "label": functools.partial(client.logs, label="label-3"),
                "state": functools.partial(client.logs, state="RUN_FAILED"),
                "deep": functools.partial(client.logs, cursor=deep),
                "dlq": client.dlq.list,
                "cancel": functools.partial(client.cancel, filter={"label": "label-5"}, count=10),
            }
            for client, deep in clients
        ]
        for name in LOCAL_CASES:
            timings: list[list[float]] = [[] for _ in sizes]
            for n in range(samples + 1):  # the first round warms up
                for i, cases in enumerate(calls):
                    start = time.perf_counter()
                    cases[name]()
                    if n:
                        timings[i].append(time.perf_counter() - start)
            for result, seconds in zip(results, timings, strict=True):
                result[name] = statistics.median(seconds)
    return results


def local_iteration(size: int) -> dict[str, Any]:
    """Seconds for `iter_logs` over every one of ``size`` runs (pages of 10, the default)."""
    from upstash_workflow.rest.testing import LocalQStash

    with LocalQStash() as server:
        server.seed(local_seed(size))
        with Client(token=server.token, base_url=server.url, disable_telemetry=True) as client:
            start = time.perf_counter()
            seen = sum(1 for _ in client.iter_logs())
            wall = time.perf_counter() - start
    assert seen == size, seen
    return {"runs": size, "seconds": wall, "pages": math.ceil(size / 10)}


def local_section(args: argparse.Namespace) -> dict[str, Any]:
    small, large, iterated, samples = (100, 2_000, 1_000, 5) if args.quick else (100, 100_000, 20_000, 101)
    print(f"LocalQStash at {small:,} and {large:,} runs ...", flush=True)
    pair = local_scale((small, large), samples)
    found = {
        "small": pair[0],
        "large": pair[1],
        "iterate": local_iteration(iterated),
        "machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    return {"local": found}


def local_report(found: dict[str, Any]) -> list[str]:
    small, large, it = found["small"], found["large"], found["iterate"]
    lines = [
        "### LocalQStash at scale",
        "",
        f"One call through a real `Client` over loopback against an in-process `LocalQStash` holding "
        f"{small['runs']:,} runs, and the same call against one holding {large['runs']:,} (seeded with "
        "`LocalQStash.seed`: 100 URLs, 10 labels, the four states in turn, 1 % of the runs in the DLQ); "
        f"medians of {large['samples']} calls after one warm-up, the two servers called in turn (so a busy "
        "moment of the machine falls on both). The wall time includes the client, the HTTP round trip "
        "and the server's JSON (the client and the server share one process).",
        "",
        f"Measured on {found['machine']}, {found['date']}, by `scripts/bench --only local` (this section "
        "alone, spliced into this file). The machine was shared with other jobs, so absolute times vary "
        "severalfold between runs; the ratio, measured in turn, is the figure.",
        "",
        f"| what | {small['runs']:,} runs (ms) | {large['runs']:,} runs (ms) | ratio |",
        "|---|---|---|---|",
    ]
    for name, what in LOCAL_CASES.items():
        ratio = large[name] / small[name]
        lines.append(f"| {what} | {small[name] * 1000:.2f} | {large[name] * 1000:.2f} | {ratio:.2f}x |")
    for key in ("small", "large"):
        m = found[key]
        lines.append(
            f"| seeding {m['runs']:,} runs (`LocalQStash.seed`, one call) | | {m['insert'] * 1000:,.0f} "
            f"({m['runs'] / m['insert']:,.0f} runs/s) | |"
            if key == "large"
            else f"| seeding {m['runs']:,} runs (`LocalQStash.seed`, one call) | {m['insert'] * 1000:,.1f} | | |"
        )
    lines += [
        "",
        f"`iter_logs()` over all {it['runs']:,} runs ({it['pages']:,} pages of 10): {it['seconds']:.1f} s, "
        f"{it['seconds'] / it['pages'] * 1000:.2f} ms a page.",
        "",
    ]
    return lines


def splice_section(text: str, section: list[str]) -> str:
    """``text`` with its section of the same ``###`` title replaced by ``section`` (or it appended)."""
    title = section[0]
    lines = text.rstrip("\n").split("\n")
    if title in lines:
        start = lines.index(title)
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("### ")), len(lines))
        lines[start:end] = section
    else:
        lines += ["", *section]
    return "\n".join(lines).rstrip("\n") + "\n"


def wait_section(args: argparse.Namespace, entries: int) -> dict[str, Any]:
    count = args.wait_runs if args.wait_runs is not None else 100 if args.quick else 1_000
    repeats = 1 if args.quick else 3
    print(f"waiting for {count:,} runs ...", flush=True)
    settings = []
    with fast_server(entries) as base:
        settings.append(waiting(base, count, 0.0, repeats))
    if args.latency > 0:
        with fast_server(entries, args.latency) as slow:
            settings.append(waiting(slow, count, args.latency, repeats))
    return {"wait": settings}


def startup_section(args: argparse.Namespace) -> dict[str, Any]:
    runs = args.startup_runs if args.startup_runs is not None else 3 if args.quick else STARTUP_RUNS
    print(f"start-up, {runs} fresh processes each ...", flush=True)
    return {"startup": startup(runs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny sizes (a smoke run)")
    parser.add_argument("--no-ts", action="store_true", help="skip the TS client")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument("--latency", type=float, default=25.0, metavar="MS", help="simulated round trip (0: skip)")
    parser.add_argument("--stream-runs", type=int, default=None, help="runs to stream (default 1,000,000; 0: skip)")
    parser.add_argument("--wait-runs", type=int, default=None, help="runs to wait_all for (default 1,000; 0: skip)")
    parser.add_argument(
        "--only",
        choices=["wait", "local", "startup"],
        help="run only this section and replace it in --output (and the .json)",
    )
    parser.add_argument(
        "--startup-runs", type=int, default=None, help="fresh processes per start-up figure (default 10)"
    )
    args = parser.parse_args()
    if args.only is not None:
        if args.only == "wait":
            found = wait_section(args, 2_000)
            section = wait_report(found["wait"])
        elif args.only == "local":
            found = local_section(args)
            section = local_report(found["local"])
        else:
            found = startup_section(args)
            section = startup_report(found["startup"])
        text = splice_section(args.output.read_text() if args.output.exists() else "", section)
        if args.only == "startup":
            text = splice_startup_rows(text, found["startup"])
        args.output.write_text(text)
        stored = args.output.with_suffix(".json")
        previous = json.loads(stored.read_text()) if stored.exists() else {}
        stored.write_text(json.dumps({**previous, **found}, indent=2, default=str))
        print(text)
        return
    calls, repeats, runs, entries = (20, 3, 500, 2_000) if args.quick else (200, 31, 10_000, 100_000)
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
    if args.latency > 0:
        print(f"over a {args.latency:g} ms round trip ...", flush=True)
        sizes = (500, 100, 5) if args.quick else (runs, 1_000, 40)
        with fast_server(entries, args.latency) as slow:
            rounds = [
                latency(slow, args.latency, *sizes, with_ts=not args.no_ts) for _ in range(1 if args.quick else 3)
            ]
        results["latency_rounds"] = rounds
        results["latency"] = median_latency(rounds)
    stream_runs = args.stream_runs if args.stream_runs is not None else 5_000 if args.quick else 1_000_000
    if stream_runs > 0:
        print(f"streaming {stream_runs:,} runs ...", flush=True)
        with fast_server(entries) as base:
            results["stream"] = stream(base, stream_runs)
    if args.wait_runs != 0:
        results.update(wait_section(args, entries))
    results.update(local_section(args))
    results.update(startup_section(args))
    results["construction"] = construction(5 if args.quick else 31)
    text = report(results, args.quick)
    if "latency" in results:
        text += "\n" + "\n".join(latency_report(results["latency"]) + rounds_report(results["latency_rounds"]))
    if "stream" in results:
        text += "\n" + "\n".join(stream_report(results["stream"], results["batch"]["sync"], runs))
    if "wait" in results:
        text += "\n" + "\n".join(wait_report(results["wait"]))
    text += "\n" + "\n".join(local_report(results["local"]))
    text += "\n" + "\n".join(startup_report(results["startup"]))
    args.output.write_text(text)
    (args.output.with_suffix(".json")).write_text(json.dumps(results, indent=2, default=str))
    print(text)


if __name__ == "__main__":
    main()
