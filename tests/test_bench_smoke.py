"""The benchmark script runs end to end with tiny sizes, so it cannot rot (its figures are not
checked here: timing belongs to scripts/bench, not to unit tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bench_quick_run_writes_a_table(tmp_path: Path) -> None:
    output = tmp_path / "RESULTS.md"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--quick", "--no-ts", "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    table = output.read_text()
    for row in (
        "per-call `Client.trigger`",
        "per-call `AsyncClient.trigger`",
        "`trigger_many` sync",
        "cold `from upstash_workflow.rest import Client`",
        "cold `upstash-workflow --help`",
        "### Start-up time",
        "| `import upstash_workflow.rest` |",
        "RSS growth",
        "`Client()` construction, `http://` base URL",
        "Over a 25 ms round trip",
        "concurrent single `AsyncClient.trigger`",
        "sequential single `trigger` sync",
        "`Client.trigger_stream`",
        "peak RSS growth while streaming",
        "### Waiting for runs",
        "| `Client.wait_all`, 100 runs | loopback | 1 (100), 1 (75), 1 (50), 1 (25) = 4 | 1, 1, 1, 1 = 4 | 250 |",
        "| `AsyncClient.wait_all`, 100 runs | 25 ms |",
        "| concurrent `AsyncClient.wait`, one per run, 100 runs | loopback |",
        "### LocalQStash at scale",
        "| a logs page behind a deep cursor (run 9/10 of the way down) |",
        "| seeding 2,000 runs (`LocalQStash.seed`, one call) |",
        "`iter_logs()` over all 1,000 runs (100 pages of 10)",
    ):
        assert row in table
    # Requests per poll are counted, not timed: every wait row (3 modes x 2 round trips) meets its goal.
    waits = [line for line in table.splitlines() if "one request per 100 pending runs" in line]
    assert len(waits) == 6 and all(line.endswith("| yes |") for line in waits), waits
    assert output.with_suffix(".json").exists()


def test_only_startup_replaces_its_section_and_keeps_the_rest(tmp_path: Path) -> None:
    output = tmp_path / "RESULTS.md"
    output.write_text(
        "# Benchmark results\n\n| what |\n|---|\n| kept |\n| cold `import upstash_workflow.rest` (ms) | 140 |\n\n"
        "### Start-up time\n\nold figures\n\n### Waiting for runs\n\nkept too\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench.py"),
            "--only",
            "startup",
            "--startup-runs",
            "1",
            "--output",
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = output.read_text()
    assert "old figures" not in text and text.count("### Start-up time") == 1
    assert "| kept |\n| cold `from upstash_workflow.rest import Client`" in text and "kept too" in text
    assert "| cold `import upstash_workflow.rest` (ms) | 140 |" not in text  # the main table's rows too
    for row in ("| `import upstash_workflow.rest` |", "| `from upstash_workflow.rest import Client` |"):
        assert row in text
    assert "| `upstash-workflow --help` |" in text
