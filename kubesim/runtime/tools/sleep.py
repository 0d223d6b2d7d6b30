"""``sleep``: returns at once. The seconds are added to the exec's simulated time (what ``ping``
reports too) and never to the host's: the cluster clock only moves with ``kubesim clock advance``."""

from __future__ import annotations

import re

from kubesim.runtime.process import Process
from kubesim.runtime.shell import session as sessions
from kubesim.runtime.shell.toolkit import busybox, fail, quoted

_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def run(proc: Process) -> int:
    args = [a for a in proc.argv[1:] if a != "--"]
    if not args:
        return fail(proc, "missing operand", usage=True)
    total = 0.0
    for arg in args:
        if arg in ("inf", "infinity") and not busybox(proc):
            total = float("inf")
            continue
        match = re.fullmatch(r"(\d+(?:\.\d*)?|\.\d+)([smhd]?)", arg)
        if match is None:
            if busybox(proc):
                return fail(proc, f"invalid number '{arg}'")
            return fail(proc, f"invalid time interval {quoted(proc, arg)}", usage=True)
        total += float(match.group(1)) * _UNITS[match.group(2)]
    sessions.current().sleep(total if total != float("inf") else 0.0)
    return 0
