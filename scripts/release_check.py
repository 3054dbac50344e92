"""The checks scripts/release runs on the built distributions (tests/test_release.py runs them too).

    release_check.py wheel WHEEL             the wheel holds our two packages, their py.typed and LICENSE, nothing else
    release_check.py sdist SDIST             the sdist is a source tree that rebuilds the wheel and regenerates generated/
    release_check.py same-wheel WHEEL WHEEL  two wheels hold the same files with the same bytes
    release_check.py smoke VERSION           run by a fresh venv's python with the wheel installed: import, trigger
                                             against LocalQStash, the command line

Each prints what it checked and exits 1 with the reasons when a check fails.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path

WHEEL_PACKAGES = ("upstash_workflow/rest/", "upstash_workflow_api/")
WHEEL_REQUIRED = (
    "upstash_workflow/rest/__init__.py",
    "upstash_workflow/rest/py.typed",
    "upstash_workflow/rest/testing/__init__.py",
    "upstash_workflow_api/__init__.py",
    "upstash_workflow_api/py.typed",
)
# What scripts/generate, scripts/check-generated and scripts/test need, besides the packages.
SDIST_REQUIRED = (
    "PKG-INFO",
    "pyproject.toml",
    "README.md",
    "LICENSE",
    "CHANGELOG.md",
    "requirements.lock",
    "openapi.yaml",
    "generator-config.yaml",
    "templates/client.py.jinja",
    "templates/endpoint_module.py.jinja",
    "scripts/bootstrap",
    "scripts/generate",
    "scripts/check-generated",
    "scripts/test",
    "generated/upstash_workflow_api/__init__.py",
    "generated/upstash_workflow_api/py.typed",
    "upstash_workflow/rest/__init__.py",
    "tests/conftest.py",
)
SDIST_FORBIDDEN_PARTS = {".git", ".venv", ".venv-py310", "__pycache__", "node_modules", ".tsref", "dist"}


def wheel_problems(wheel: Path) -> list[str]:
    names = zipfile.ZipFile(wheel).namelist()
    dist_info = [n for n in names if n.split("/", 1)[0].endswith(".dist-info")]
    problems = [f"missing {name}" for name in WHEEL_REQUIRED if name not in names]
    if not any(n.endswith(".dist-info/licenses/LICENSE") for n in dist_info):
        problems.append("missing the LICENSE in *.dist-info/licenses/")
    problems += [
        f"outside our packages and the metadata: {n}"
        for n in names
        if n not in dist_info and not n.startswith(WHEEL_PACKAGES)
    ]
    problems += [f"compiled file: {n}" for n in names if "__pycache__/" in n or n.endswith(".pyc")]
    return problems


def sdist_problems(sdist: Path) -> list[str]:
    with tarfile.open(sdist) as archive:
        members = archive.getnames()
    top = members[0].split("/", 1)[0]
    relative = {m.split("/", 1)[1] for m in members if "/" in m}
    problems = [f"missing {name}" for name in SDIST_REQUIRED if name not in relative]
    problems += [f"not source: {m}" for m in sorted(relative) if SDIST_FORBIDDEN_PARTS & set(m.split("/"))]
    problems += [f"outside {top}/: {m}" for m in members if m.split("/", 1)[0] != top]
    return problems


def wheel_digests(wheel: Path) -> dict[str, str]:
    with zipfile.ZipFile(wheel) as archive:
        return {name: hashlib.sha256(archive.read(name)).hexdigest() for name in archive.namelist()}


def same_wheel_problems(first: Path, second: Path) -> list[str]:
    a, b = wheel_digests(first), wheel_digests(second)
    problems = [f"only in {first.name} ({first.parent.name}/): {n}" for n in sorted(a.keys() - b.keys())]
    problems += [f"only in {second.name} ({second.parent.name}/): {n}" for n in sorted(b.keys() - a.keys())]
    problems += [f"different bytes: {n}" for n in sorted(a.keys() & b.keys()) if a[n] != b[n]]
    return problems


SMOKE_URL = "https://example.com/api/workflow"


def smoke_problems(version: str) -> list[str]:
    """Run by the fresh environment's python, away from the source tree."""
    from importlib import metadata

    from upstash_workflow import rest
    from upstash_workflow.rest import Client
    from upstash_workflow.rest.testing import LocalQStash

    problems = []
    if not Path(rest.__file__).resolve().is_relative_to(Path(sys.prefix).resolve()):
        problems.append(f"upstash_workflow.rest came from {rest.__file__}, not from {sys.prefix}")
    installed = metadata.version("upstash-workflow-client")
    if not rest.__version__ == installed == version:
        problems.append(f"versions differ: __version__ {rest.__version__}, metadata {installed}, wanted {version}")
    command = str(Path(sys.executable).parent / "upstash-workflow")
    with LocalQStash() as qstash, Client(token=qstash.token, base_url=qstash.url) as client:
        if client.trigger(url=SMOKE_URL, workflow_run_id="smoke").workflow_run_id != "wfr_smoke":
            problems.append("Client.trigger did not start wfr_smoke")
        env = {**os.environ, "QSTASH_TOKEN": qstash.token, "QSTASH_URL": qstash.url, "NO_COLOR": "1"}

        def cli(*args: str) -> str:
            done = subprocess.run([command, *args], capture_output=True, text=True, timeout=120, env=env, check=False)
            if done.returncode != 0:
                problems.append(f"upstash-workflow {' '.join(args)}: exit {done.returncode}: {done.stderr.strip()}")
            return done.stdout

        # --version where the command line has it (its --help lists it).
        if "--version" in cli("--help") and version not in (printed := cli("--version")):
            problems.append(f"upstash-workflow --version printed {printed.strip()!r}, not {version}")
        cli("--json", "trigger", SMOKE_URL, "--run-id", "smoke-cli")
        if "wfr_smoke-cli" not in qstash.state.runs:
            problems.append("upstash-workflow trigger did not start wfr_smoke-cli")
    return problems


def main(argv: list[str]) -> int:
    checks: dict[str, Callable[..., list[str]]] = {
        "wheel": lambda path: wheel_problems(Path(path)),
        "sdist": lambda path: sdist_problems(Path(path)),
        "same-wheel": lambda first, second: same_wheel_problems(Path(first), Path(second)),
        "smoke": smoke_problems,
    }
    if not argv or argv[0] not in checks:
        print(__doc__, file=sys.stderr)
        return 2
    problems = checks[argv[0]](*argv[1:])
    for problem in problems:
        print(f"release_check {argv[0]}: {problem}", file=sys.stderr)
    if not problems:
        print(f"release_check {argv[0]}: ok ({' '.join(Path(a).name for a in argv[1:])})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
