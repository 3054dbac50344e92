"""This client installs beside the official server SDK (PyPI ``upstash-workflow``, import root
``upstash_workflow``): our wheel is only the namespace portion ``upstash_workflow/rest/``.

The test builds our wheel and installs it with ``upstash-workflow==2.0.0`` into fresh virtual
environments, in both orders, from the same package index ``scripts/bootstrap`` uses (pip's own
configuration). Where that index cannot be reached it skips, saying so.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.support import fresh_venv

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


def test_the_wheel_is_only_the_namespace_portion(built_wheel: Path) -> None:
    names = zipfile.ZipFile(built_wheel).namelist()
    ours = [n for n in names if n.startswith("upstash_workflow/")]
    assert ours, "the wheel ships no upstash_workflow/ files"
    assert all(n.startswith("upstash_workflow/rest/") for n in ours), [
        n for n in ours if not n.startswith("upstash_workflow/rest/")
    ]
    assert not [n for n in names if n.startswith(OFFICIAL_TOP_LEVEL)]
    assert "upstash_workflow/rest/__init__.py" in names
    assert "upstash_workflow/rest/py.typed" in names


@pytest.mark.parametrize("order", ["official-first", "ours-first"])
def test_installs_beside_the_official_sdk(order: str, built_wheel: Path, tmp_path: Path) -> None:
    python = fresh_venv.create(tmp_path / "venv")
    steps = [OFFICIAL, str(built_wheel)] if order == "official-first" else [str(built_wheel), OFFICIAL]
    for requirement in steps:
        fresh_venv.install(python, requirement)

    assert fresh_venv.run(python, BOTH_WORK).strip() == "ok"
    check = fresh_venv.pip(python, "check")
    assert check.returncode == 0, check.stdout + check.stderr

    uninstall = fresh_venv.pip(python, "uninstall", "--yes", "upstash-workflow")
    assert uninstall.returncode == 0, uninstall.stderr
    assert fresh_venv.run(python, OURS_WORKS).strip() == "ok"
