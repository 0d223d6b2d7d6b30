"""``kubesim clock advance DURATION`` / ``kubesim clock show``: the cluster's simulated time."""

from __future__ import annotations

import re

from kubesim.cli.context import Invocation
from kubesim.cli.flags import Command
from kubesim.errors import KubectlError, UsageError

_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")


def parse_duration(text: str) -> float:
    """Go's time.ParseDuration (``90s``, ``2m29s``, ``1.5h``), plus ``d`` for days."""
    days = 0.0
    body = text
    match = re.fullmatch(r"(\d+)d(.*)", text)
    if match:
        days, body = float(match.group(1)), match.group(2)
    if body in ("", "0") and (match or body == "0"):
        return days * 86400
    position = 0
    total = 0.0
    for part in _PART.finditer(body):
        if part.start() != position:
            break
        total += float(part.group(1)) * _UNITS[part.group(2)]
        position = part.end()
    if position != len(body) or position == 0:
        raise KubectlError(f'time: invalid duration "{text}"')
    return days * 86400 + total


def run(inv: Invocation) -> int:
    action = inv.args[0] if inv.args else ""
    if action == "advance" and len(inv.args) == 2:
        seconds = parse_duration(inv.args[1])
        with inv.cluster.api(write=True) as api:
            offset = float(api.tx.meta("clockOffsetSeconds", "0") or 0) + seconds
            api.tx.set_meta("clockOffsetSeconds", repr(offset))
            api.now = inv.cluster.now(api.tx)
            from kubesim.controllers import reconcile_after_clock

            reconcile_after_clock(api)
            inv.out(f"Cluster clock advanced by {inv.args[1]}: now {api.timestamp()}\n")
        return 0
    if action == "show" and len(inv.args) == 1:
        with inv.cluster.api() as api:
            inv.out(api.timestamp() + "\n")
        return 0
    raise UsageError("expected 'clock advance DURATION' (e.g. 90s, 2m29s, 3h) or 'clock show'", "kubesim clock")


COMMAND = Command(
    name="clock",
    summary="Show the cluster clock, or move it forward (AGE, probes and session affinity follow it)",
    usage="clock (show | advance DURATION)",
    run=run,
)
