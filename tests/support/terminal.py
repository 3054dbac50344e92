"""Run a command with a real pseudo-terminal as its stdin, stdout and stderr (POSIX only)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time


def run_on_a_terminal(command: list[str], env: dict[str, str], timeout: float = 60.0) -> tuple[int, bytes]:
    """(exit code, everything the command wrote to its terminal), reading until the terminal closes
    or ``timeout`` seconds pass (then the process is killed)."""
    leader, follower = pty.openpty()
    output = b""
    try:
        with subprocess.Popen(command, stdin=follower, stdout=follower, stderr=follower, env=env) as proc:
            os.close(follower)
            end = time.monotonic() + timeout
            while time.monotonic() < end:
                ready, _, _ = select.select([leader], [], [], 1)
                if not ready:
                    if proc.poll() is not None:
                        break
                    continue
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # the terminal closed: the program ended
                    break
                if not chunk:
                    break
                output += chunk
            if proc.poll() is None:
                proc.kill()
            return proc.wait(timeout=30), output
    finally:
        os.close(leader)
