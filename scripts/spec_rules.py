"""Write the rules openapi.yaml states that LocalQStash checks as code: ``spec_rules.py`` of the
generated package (scripts/generate runs this; never edit its output). One source for each rule: the
spec, which clients and schemathesis read, and LocalQStash, which derives its checks from this module.

Usage: python scripts/spec_rules.py SPEC > OUTPUT"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


def render(spec_path: Path) -> str:
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    headers = spec["components"]["schemas"]["BatchMessage"]["properties"]["headers"]["properties"]
    lines = [
        '"""Rules from openapi.yaml, written by scripts/spec_rules.py (scripts/generate): do not edit."""',
        "",
        "# BatchMessage / TriggerItem headers: name (lower case) -> (pattern, description)",
        "MESSAGE_HEADER_PATTERNS: dict[str, tuple[str, str]] = {",
    ]
    lines += [f"    {name!r}: ({rule['pattern']!r}, {rule['description']!r})," for name, rule in headers.items()]
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render(Path(sys.argv[1])))
