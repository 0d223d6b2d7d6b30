"""``kubesim clock advance DURATION`` / ``kubesim clock show``: the cluster's simulated time."""

from __future__ import annotations

import re
from typing import Annotated

import typer

from kubesim.cli.app import Verb, VerbGroup, verb_app
from kubesim.cli.context import Invocation, run_verb
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


app = verb_app(name="clock", cls=VerbGroup, no_args_is_help=True,
                  help="Show the cluster clock, or move it forward (AGE, probes and session affinity follow it).")


@app.command("show", cls=Verb, help="Print the cluster clock's time.")
def show() -> int:
    return run_verb(show_time)


@app.command("advance", cls=Verb, help="Move the cluster clock forward by a Go duration (90s, 2m29s, 3h, 1d).",
             epilog="  # Let two and a half minutes pass on the cluster\n  kubesim clock advance 2m30s\n")
def advance(
    duration: Annotated[list[str] | None, typer.Argument(metavar="DURATION", show_default=False)] = None,
) -> int:
    return run_verb(advance_time)


def advance_time(inv: Invocation) -> int:
    if len(inv.args) != 1:
        raise UsageError("expected 'clock advance DURATION' (e.g. 90s, 2m29s, 3h)", "kubesim clock advance")
    seconds = parse_duration(inv.args[0])
    with inv.cluster.api(write=True) as api:
        offset = float(api.tx.meta("clockOffsetSeconds", "0") or 0) + seconds
        api.tx.set_meta("clockOffsetSeconds", repr(offset))
        api.now = inv.cluster.now(api.tx)
        from kubesim.controllers import reconcile_after_clock

        reconcile_after_clock(api)
        from kubesim.cli.terminal import print_done

        print_done(inv.env, f"Cluster clock advanced by {inv.args[0]}:", f"now {api.timestamp()}")
    return 0


def show_time(inv: Invocation) -> int:
    with inv.cluster.api() as api:
        now = api.timestamp()
        offset = float(api.tx.meta("clockOffsetSeconds", "0") or 0)
    if not inv.env.stdout_is_terminal:
        inv.out(now + "\n")  # scripts read the bare timestamp
        return 0
    from kubesim.cli.cluster import offset_text
    from kubesim.cli.terminal import print_facts

    print_facts(inv.env, "Cluster clock", [("Now", now), ("Offset from the wall clock", offset_text(offset))])
    return 0
