"""A virtual environment holding the official Python server SDK (`upstash-workflow`), FastAPI and
uvicorn, for end-to-end tests and the demo. It must be separate from ours: the SDK owns the
``upstash_workflow`` import root that our editable install also provides a portion of.

Cached under ``.e2e-venv/<hash of the requirement list>`` at the project root (ignored by git), so
only the first run pays for the install."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

REQUIREMENTS = ("upstash-workflow==2.0.0", "fastapi", "uvicorn")
ROOT = Path(__file__).resolve().parents[3]
CACHE = ROOT / ".e2e-venv"
INSTALL_TIMEOUT = 300


class SDKUnavailable(Exception):
    """The official SDK could not be installed (no package index, no network); says why."""


def _folder() -> Path:
    key = hashlib.sha256("\n".join(REQUIREMENTS).encode()).hexdigest()[:12]
    return CACHE / key


def _python(folder: Path) -> Path:
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_sdk_python() -> Path:
    """The interpreter of the cached venv, creating and filling it first when needed."""
    folder = _folder()
    done = folder / ".complete"
    if done.exists():
        return _python(folder)
    shutil.rmtree(folder, ignore_errors=True)
    folder.parent.mkdir(exist_ok=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, capture_output=True, timeout=120)
        result = subprocess.run(
            [
                str(_python(folder)),
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                "--timeout",
                "15",
                "--retries",
                "2",
                *REQUIREMENTS,
            ],
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise SDKUnavailable(f"could not create a virtual environment: {exc}") from exc
    if result.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise SDKUnavailable(f"pip could not install {' '.join(REQUIREMENTS)}: {' / '.join(tail)}")
    done.write_text("\n".join(REQUIREMENTS) + "\n")
    return _python(folder)
