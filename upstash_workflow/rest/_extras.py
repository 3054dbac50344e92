"""What to install when an optional extra is missing, as a command that works however this package was
installed (from PyPI, a wheel or a checkout): it names the extra's own requirements, read from this
distribution's metadata, because `pip install 'upstash-workflow-client[cli]'` needs the package on an
index and would fail for a wheel or a checkout install."""

from __future__ import annotations

import re
from importlib import metadata

DISTRIBUTION = "upstash-workflow-client"
# Used only when the metadata cannot be read (running from a source tree that was never installed).
FALLBACK = {"cli": ("typer>=0.20", "rich>=13")}
_EXTRA_MARKER = re.compile(r"""^\s*extra\s*==\s*['"]([^'"]+)['"]\s*$""")


def extra_requirements(extra: str) -> list[str]:
    """The requirements the extra adds (``name>=x`` strings), in the order the metadata lists them."""
    try:
        declared = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        return list(FALLBACK.get(extra, ()))
    found = []
    for line in declared:
        requirement, _, marker = line.partition(";")
        match = _EXTRA_MARKER.match(marker)
        if match and match.group(1) == extra:
            found.append(requirement.strip().replace(" ", ""))
    return found or list(FALLBACK.get(extra, ()))


def install_command(extra: str) -> str:
    """A ``pip install`` line for the extra's requirements, each quoted for a POSIX shell."""
    return "pip install " + " ".join(f"'{requirement}'" for requirement in extra_requirements(extra))


def missing_extra_message(extra: str, purpose: str) -> str:
    """The message for a missing extra: what needs it, and the command that installs it."""
    return f"{purpose} needs the [{extra}] extra. Install it with: {install_command(extra)}"
