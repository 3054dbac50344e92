"""``scripts/bootstrap``: silent when there is nothing to do (the environment matches the lock)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bootstrap_is_silent_when_the_environment_is_up_to_date(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(sys.executable)
    lock = (ROOT / "requirements.lock").read_bytes() + (ROOT / "pyproject.toml").read_bytes()
    (venv / ".bootstrap-stamp").write_text(hashlib.sha256(lock).hexdigest() + "\n")
    env = {k: v for k, v in os.environ.items() if k != "UPSTASH_WORKFLOW_SKIP_BOOTSTRAP"}
    env |= {"UPSTASH_WORKFLOW_VENV": str(venv), "PYTHON": sys.executable}
    done = subprocess.run(
        [str(ROOT / "scripts" / "bootstrap")], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
