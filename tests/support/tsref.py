"""Install and run the official TS client (@upstash/workflow@1.3.3) from npm, for the parity test
and the benchmarks. Installed once into .tsref/ at the project root (ignored by git)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

TS_PACKAGE = "@upstash/workflow@1.3.3"
ROOT = Path(__file__).resolve().parents[2]
INSTALL_DIR = ROOT / ".tsref"


class NodeMissing(Exception):
    """The TS client cannot be run here: node or npm is not on PATH, or npm could not install it."""


def ensure_installed() -> Path:
    """The folder holding node_modules/@upstash/workflow at the pinned version (installs it if needed)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise NodeMissing("node and npm are needed to run the official TS client")
    marker = INSTALL_DIR / "node_modules" / "@upstash" / "workflow" / "package.json"
    if marker.exists() and json.loads(marker.read_text())["version"] == TS_PACKAGE.rsplit("@", 1)[1]:
        return INSTALL_DIR
    INSTALL_DIR.mkdir(exist_ok=True)
    (INSTALL_DIR / "package.json").write_text('{"name": "tsref", "private": true, "type": "module"}\n')
    try:
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", TS_PACKAGE],
            cwd=INSTALL_DIR,
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "npm_config_update_notifier": "false"},
        )
    except subprocess.CalledProcessError as exc:
        last = (exc.stderr or exc.stdout or "").strip().splitlines()[-1:] or ["no output"]
        raise NodeMissing(f"npm could not install {TS_PACKAGE} (exit {exc.returncode}): {last[0]}") from exc
    except subprocess.TimeoutExpired as exc:
        raise NodeMissing(f"npm did not install {TS_PACKAGE} within {exc.timeout:.0f} s") from exc
    return INSTALL_DIR


def run_node(script: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run an ES module ``script`` (source text) inside the install folder, so it can import the client."""
    folder = ensure_installed()
    path = folder / "script.mjs"
    path.write_text(script)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QSTASH_", "UPSTASH_"))}
    return subprocess.run(
        ["node", str(path), *args], cwd=folder, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )
