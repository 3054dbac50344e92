"""Run a workflow app in its own process on 127.0.0.1 (a free port), pointed at a LocalQStash."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
STARTUP_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate ``process``, and kill it if it has not ended 10 s later."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def sdk_environment(
    qstash_url: str, token: str, signing_key: str, self_url: str, next_signing_key: str | None = None
) -> dict[str, str]:
    """What the official SDKs read: where QStash is, its token, and the keys that verify deliveries."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QSTASH_", "UPSTASH_"))}
    env.update(
        {
            "QSTASH_URL": qstash_url,
            "QSTASH_TOKEN": token,
            "QSTASH_CURRENT_SIGNING_KEY": signing_key,
            "QSTASH_NEXT_SIGNING_KEY": next_signing_key or signing_key + "-next",
            "E2E_SELF_URL": self_url,
        }
    )
    return env


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"the app did not answer at {url} within {STARTUP_TIMEOUT} s")


@contextmanager
def running(command: list[str], env: dict[str, str], probe_url: str, log: Path, cwd: Path = HERE) -> Iterator[None]:
    """Start ``command``; wait until ``probe_url`` answers; stop it (terminate, then kill) on exit."""
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until_up(probe_url, process, log)
        yield
    finally:
        stop(process)


@contextmanager
def python_app(
    python: Path, qstash_url: str, token: str, signing_key: str, log: Path, next_signing_key: str | None = None
) -> Iterator[str]:
    """tests/support/e2e/python_app.py under uvicorn; yields its base URL."""
    base = f"http://127.0.0.1:{free_port()}"
    port = base.rsplit(":", 1)[1]
    command = [str(python), "-m", "uvicorn", "python_app:app", "--host", "127.0.0.1", "--port", port]
    command += ["--app-dir", str(HERE), "--log-level", "warning"]
    env = sdk_environment(qstash_url, token, signing_key, base, next_signing_key)
    with running(command, env, f"{base}/journal", log):
        yield base


@contextmanager
def ts_app(install_dir: Path, qstash_url: str, token: str, signing_key: str, log: Path) -> Iterator[str]:
    """tests/support/e2e/ts_app.mjs under node, run from ``install_dir`` (where @upstash/workflow is)."""
    base = f"http://127.0.0.1:{free_port()}"
    script = install_dir / "e2e_ts_app.mjs"
    script.write_text((HERE / "ts_app.mjs").read_text())
    env = sdk_environment(qstash_url, token, signing_key, base)
    with running(["node", str(script), base.rsplit(":", 1)[1]], env, f"{base}/journal", log, cwd=install_dir):
        yield base
