"""What a release ships and how a stranger installs it: the checks scripts/release runs (on this
session's wheel and an sdist, and that they can fail), one source for the version, the classifiers
and the changelog, and every install line of the README's "Install" section run as written in a fresh
virtual environment, followed by a trigger against LocalQStash and the command line."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

import upstash_workflow.rest
from tests.support import fresh_venv
from upstash_workflow.rest import _extras

ROOT = Path(__file__).resolve().parents[1]
RELEASE_CHECK = ROOT / "scripts" / "release_check.py"
# The README's first install line needs the package on PyPI, where it is not yet.
PYPI_ONLY = "pip install 'upstash-workflow-client[cli]'"
# Left out of the copy of the checkout the install lines run in: what git ignores.
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv*", "dist", "build", "node_modules", ".tsref", "*_cache", "__pycache__"
)


def release_check(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(RELEASE_CHECK), *map(str, args)], capture_output=True, text=True, timeout=120, check=False
    )


def rewrite_wheel(source: Path, target: Path, *, drop: str = "", add: dict[str, bytes] | None = None) -> Path:
    """A copy of a wheel without the members whose names end with ``drop``, plus ``add``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            if not (drop and item.filename.endswith(drop)):
                new.writestr(item, old.read(item))
        for name, data in (add or {}).items():
            new.writestr(name, data)
    return target


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sdist")
    build = [sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(out), str(ROOT)]
    subprocess.run(build, check=True, capture_output=True, timeout=300)
    (built,) = out.glob("upstash_workflow_client-*.tar.gz")
    return built


def test_the_wheel_holds_our_packages_their_markers_and_the_licence(built_wheel: Path) -> None:
    result = release_check("wheel", built_wheel)
    assert result.returncode == 0, result.stderr
    names = zipfile.ZipFile(built_wheel).namelist()
    assert "upstash_workflow/rest/py.typed" in names
    assert "upstash_workflow_api/py.typed" in names
    (licence,) = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
    assert zipfile.ZipFile(built_wheel).read(licence) == (ROOT / "LICENSE").read_bytes()


def test_the_wheel_check_names_a_stray_file_and_a_missing_licence(built_wheel: Path, tmp_path: Path) -> None:
    bad = rewrite_wheel(built_wheel, tmp_path / built_wheel.name, drop="/LICENSE", add={"conftest.py": b""})
    result = release_check("wheel", bad)
    assert result.returncode == 1
    assert "outside our packages and the metadata: conftest.py" in result.stderr
    assert "missing the LICENSE" in result.stderr


def test_the_sdist_is_a_source_tree_that_rebuilds_the_same_wheel(
    sdist: Path, built_wheel: Path, tmp_path: Path
) -> None:
    result = release_check("sdist", sdist)
    assert result.returncode == 0, result.stderr
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path, filter="data") if sys.version_info >= (3, 12) else archive.extractall(tmp_path)
    (unpacked,) = tmp_path.glob("upstash_workflow_client-*")
    out = tmp_path / "wheel"
    build = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(unpacked)]
    subprocess.run(build, check=True, capture_output=True, timeout=300)
    result = release_check("same-wheel", built_wheel, out / built_wheel.name)
    assert result.returncode == 0, result.stderr


def test_the_sdist_check_names_a_missing_spec_and_a_virtualenv(sdist: Path, tmp_path: Path) -> None:
    bad = tmp_path / sdist.name
    with tarfile.open(sdist) as old, tarfile.open(bad, "w:gz") as new:
        top = old.getnames()[0].split("/", 1)[0]
        for member in old.getmembers():
            if not member.name.endswith("/openapi.yaml"):
                new.addfile(member, old.extractfile(member) if member.isfile() else None)
        stray = tarfile.TarInfo(f"{top}/.venv/bin/python")
        new.addfile(stray, io.BytesIO(b""))
    result = release_check("sdist", bad)
    assert result.returncode == 1
    assert "missing openapi.yaml" in result.stderr
    assert "not source: .venv/bin/python" in result.stderr


def test_the_comparison_names_files_that_differ(built_wheel: Path, tmp_path: Path) -> None:
    changed = rewrite_wheel(
        built_wheel,
        tmp_path / built_wheel.name,
        drop="rest/_version.py",
        add={"upstash_workflow/rest/_version.py": b""},
    )
    result = release_check("same-wheel", built_wheel, changed)
    assert result.returncode == 1
    assert "different bytes: upstash_workflow/rest/_version.py" in result.stderr


def test_the_version_has_one_source(built_wheel: Path) -> None:
    text = zipfile.ZipFile(built_wheel).read(f"{built_wheel.name.split('-py3')[0]}.dist-info/METADATA").decode()
    assert f"\nVersion: {upstash_workflow.rest.__version__}\n" in text
    assert metadata.version("upstash-workflow-client") == upstash_workflow.rest.__version__
    assert re.search(r"^version\s*=", (ROOT / "pyproject.toml").read_text(), re.MULTILINE) is None


def test_the_classifiers_name_the_pythons_ci_runs(built_wheel: Path) -> None:
    text = zipfile.ZipFile(built_wheel).read(f"{built_wheel.name.split('-py3')[0]}.dist-info/METADATA").decode()
    versions = set(re.findall(r"^Classifier: Programming Language :: Python :: (3\.\d+)$", text, re.MULTILINE))
    assert "3.10" in versions  # the oldest: .ci/run runs the suite again on it
    assert f"3.{sys.version_info.minor}" in versions  # this interpreter runs the suite
    assert "Requires-Python: >=3.10" in text
    assert "License-Expression: MIT" in text
    assert "Project-URL: Documentation, https://upstash.com/docs/workflow" in text


def test_the_changelog_has_an_unreleased_section() -> None:
    text = (ROOT / "CHANGELOG.md").read_text()
    assert "Keep a Changelog" in text
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert headings[0] == "[Unreleased]"
    assert all(re.fullmatch(r"\[\d+\.\d+\.\d+\] - \d{4}-\d{2}-\d{2}", h) for h in headings[1:]), headings
    assert "`upstash_workflow.rest`" in text


def test_the_missing_extra_message_names_the_extras_requirements(built_wheel: Path) -> None:
    text = zipfile.ZipFile(built_wheel).read(f"{built_wheel.name.split('-py3')[0]}.dist-info/METADATA").decode()
    declared = set(re.findall(r"""^Requires-Dist: (\S+); extra == ['"]cli['"]$""", text, re.MULTILINE))
    assert declared == {"typer>=0.20", "rich>=13"}
    assert set(_extras.extra_requirements("cli")) == declared
    assert set(_extras.FALLBACK["cli"]) == declared  # for a source tree that was never installed
    assert _extras.install_command("cli") in _extras.missing_extra_message("cli", "The command line")


# ------------------------------------------------------------------------ the README's install lines


def readme_install_lines() -> list[str]:
    section = (ROOT / "README.md").read_text().split("\n## Install\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```bash\n", 1)[1].split("```", 1)[0]
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.startswith("pip install")]


def test_the_readme_shows_an_install_line_for_pypi_a_wheel_a_checkout_and_git() -> None:
    lines = readme_install_lines()
    assert lines[0] == PYPI_ONLY
    assert [line for line in lines if "dist" in line], lines
    assert "pip install '.[cli]'" in lines
    assert [line for line in lines if "git+$REPO" in line], lines


@pytest.fixture(scope="module")
def checkout(built_wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of this source tree as a reader has it after `scripts/release`: the wheel in dist/."""
    tree = tmp_path_factory.mktemp("checkout") / "upstash-workflow-client"
    shutil.copytree(ROOT, tree, ignore=NOT_SOURCE)
    (tree / "dist").mkdir()
    shutil.copy(built_wheel, tree / "dist")
    return tree


def install_as_written(line: str, python: Path, cwd: Path) -> None:
    if "$REPO" in line and not (ROOT / ".git").exists():
        pytest.skip("this source tree is not a git repository")
    # Committed work only: pip clones the repository's HEAD. (pip < 24 rejects git+file:/// URLs: no host.)
    env = {**os.environ, "PATH": f"{python.parent}:{os.environ['PATH']}", "REPO": f"file://localhost{ROOT}"}
    env.pop("VIRTUAL_ENV", None)
    result = subprocess.run(
        ["bash", "-c", line], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    fresh_venv.skip_if_unreachable(result)
    assert result.returncode == 0, result.stderr


def smoke(python: Path, cwd: Path) -> None:
    """Import, version, a trigger against LocalQStash and the command line, away from the source tree."""
    version = upstash_workflow.rest.__version__
    result = subprocess.run(
        [str(python), str(RELEASE_CHECK), "smoke", version],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("line", [line for line in readme_install_lines() if line != PYPI_ONLY])
def test_the_readme_install_line_works_as_written(line: str, checkout: Path, tmp_path: Path) -> None:
    python = fresh_venv.create(tmp_path / "venv")
    install_as_written(line, python, checkout)
    if "[cli]" not in line:
        # Without the extra the command line says what to install, and that command works.
        cli = subprocess.run(
            [str(python.parent / "upstash-workflow"), "--help"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert cli.returncode == 2  # a set-up error, as bad arguments
        command = cli.stderr.strip().split("Install it with: ", 1)[1]
        assert command.startswith("pip install ")
        install_as_written(command, python, tmp_path)
    smoke(python, tmp_path)
