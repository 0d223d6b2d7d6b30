"""``true``: does nothing, successfully (GNU and busybox alike ignore their arguments)."""

from __future__ import annotations

from kubesim.runtime.process import Process


def run(proc: Process) -> int:
    return 0
