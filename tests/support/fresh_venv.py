"""Fresh virtual environments for the tests that install this project as a user would (a wheel, a
checkout, a git URL), from the package index pip is configured with. Where that index cannot be
reached, the install skips the test, saying so."""

from __future__ import annotations

import os
import subprocess
import venv
from pathlib import Path

import pytest

# pip's words for "the index (or the package on it) cannot be reached from here".
UNREACHABLE = ("No matching distribution", "Could not find a version", "NewConnectionError", "Max retries")


def create(directory: Path) -> Path:
    """A new virtual environment with pip; returns its python."""
    venv.EnvBuilder(with_pip=True, clear=True).create(directory)
    return directory / "bin" / "python"


def pip(python: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    return subprocess.run(
        [str(python), "-m", "pip", *args], capture_output=True, text=True, timeout=600, check=False, env=env
    )


def skip_if_unreachable(result: subprocess.CompletedProcess[str]) -> None:
    """Skip when a failed install failed because the package index cannot be reached."""
    if result.returncode != 0 and any(text in result.stderr for text in UNREACHABLE):
        pytest.skip(f"the package index cannot be reached from here: {result.stderr.strip().splitlines()[-1]}")


def install(python: Path, *requirements: str) -> None:
    result = pip(python, "install", "--quiet", *requirements)
    skip_if_unreachable(result)
    assert result.returncode == 0, result.stderr


def run(python: Path, code: str) -> str:
    result = subprocess.run([str(python), "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout
