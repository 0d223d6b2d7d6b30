"""``false``: does nothing, unsuccessfully (exit status 1)."""

from __future__ import annotations

from kubesim.runtime.process import Process


def run(proc: Process) -> int:
    return 1
