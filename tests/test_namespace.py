"""This client installs beside the official server SDK (PyPI ``upstash-workflow``, import root
``upstash_workflow``): our wheel is only the namespace portion ``upstash_workflow/rest/``.

The test builds our wheel and installs it with ``upstash-workflow==2.0.0`` into fresh virtual
environments, in both orders, from the same package index ``scripts/bootstrap`` uses (pip's own
configuration). Where that index cannot be reached it skips, saying so.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OFFICIAL = "upstash-workflow==2.0.0"
# Every top-level path of the official distribution (2.0.0); our wheel must ship none of them.
OFFICIAL_TOP_LEVEL = (
    "upstash_workflow/__init__.py",
    "upstash_workflow/asyncio/",
    "upstash_workflow/context/",
    "upstash_workflow/serve/",
    "upstash_workflow/fastapi.py",
    "upstash_workflow/flask.py",
    "upstash_workflow/constants.py",
    "upstash_workflow/error.py",
    "upstash_workflow/types.py",
    "upstash_workflow/utils.py",
    "upstash_workflow/workflow_parser.py",
    "upstash_workflow/workflow_requests.py",
    "upstash_workflow/workflow_types.py",
)

# Run inside the fresh environment: both packages import, and ours triggers a run against LocalQStash.
BOTH_WORK = """
import upstash_workflow
from upstash_workflow import serve  # the official SDK
from upstash_workflow.rest import Client
from upstash_workflow.rest.testing import LocalQStash

assert callable(serve)
with LocalQStash() as qstash, Client(token=qstash.token, base_url=qstash.url) as client:
    assert client.trigger(url="https://example.com/wf", workflow_run_id="ns").workflow_run_id == "wfr_ns"
print("ok")
"""

OURS_WORKS = """
import importlib.util
from upstash_workflow.rest import Client
from upstash_workflow.rest.testing import LocalQStash

assert importlib.util.find_spec("upstash_workflow.serve") is None  # the official SDK is gone
with LocalQStash() as qstash, Client(token=qstash.token, base_url=qstash.url) as client:
    assert client.trigger(url="https://example.com/wf").workflow_run_id.startswith("wfr_")
print("ok")
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("upstash_workflow_client-*.whl")
    return built


def test_the_wheel_is_only_the_namespace_portion(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    ours = [n for n in names if n.startswith("upstash_workflow/")]
    assert ours, "the wheel ships no upstash_workflow/ files"
    assert all(n.startswith("upstash_workflow/rest/") for n in ours), [
        n for n in ours if not n.startswith("upstash_workflow/rest/")
    ]
    assert not [n for n in names if n.startswith(OFFICIAL_TOP_LEVEL)]
    assert "upstash_workflow/rest/__init__.py" in names
    assert "upstash_workflow/rest/py.typed" in names


def _pip(python: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    return subprocess.run(
        [str(python), "-m", "pip", *args], capture_output=True, text=True, timeout=600, check=False, env=env
    )


def _python_in(directory: Path) -> Path:
    venv.EnvBuilder(with_pip=True, clear=True).create(directory)
    return directory / "bin" / "python"


def _install(python: Path, *requirements: str) -> None:
    result = _pip(python, "install", "--quiet", *requirements)
    if result.returncode != 0:
        unreachable = ("No matching distribution", "Could not find a version", "NewConnectionError", "Max retries")
        if any(text in result.stderr for text in unreachable):
            pytest.skip(f"the package index cannot be reached from here: {result.stderr.strip().splitlines()[-1]}")
        raise AssertionError(result.stderr)


def _run(python: Path, code: str) -> str:
    result = subprocess.run([str(python), "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("order", ["official-first", "ours-first"])
def test_installs_beside_the_official_sdk(order: str, wheel: Path, tmp_path: Path) -> None:
    python = _python_in(tmp_path / "venv")
    steps = [OFFICIAL, str(wheel)] if order == "official-first" else [str(wheel), OFFICIAL]
    for requirement in steps:
        _install(python, requirement)

    assert _run(python, BOTH_WORK).strip() == "ok"
    check = _pip(python, "check")
    assert check.returncode == 0, check.stdout + check.stderr

    uninstall = _pip(python, "uninstall", "--yes", "upstash-workflow")
    assert uninstall.returncode == 0, uninstall.stderr
    assert _run(python, OURS_WORKS).strip() == "ok"
