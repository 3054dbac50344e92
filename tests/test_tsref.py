"""Where npm cannot install the TS reference client, the tests that need it skip with npm's reason
instead of erroring (tests/support/tsref.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.support import tsref


@pytest.mark.skipif(shutil.which("npm") is None or shutil.which("node") is None, reason="needs node and npm")
def test_an_unreachable_registry_becomes_node_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tsref, "INSTALL_DIR", tmp_path / "tsref")
    # A closed port on this machine: npm fails at once, and nothing leaves loopback.
    monkeypatch.setenv("npm_config_registry", "http://127.0.0.1:9/")
    monkeypatch.setenv("npm_config_fetch_retries", "0")
    monkeypatch.setenv("npm_config_cache", str(tmp_path / "npm-cache"))
    monkeypatch.setenv("npm_config_offline", "false")
    with pytest.raises(tsref.NodeMissing, match=re.escape(f"npm could not install {tsref.TS_PACKAGE}")):
        tsref.ensure_installed()
