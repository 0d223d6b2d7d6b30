"""``printf`` the program (coreutils or busybox), sharing the shells' implementation."""

from __future__ import annotations

from kubesim.runtime.process import Process
from kubesim.runtime.shell.printf import Printf
from kubesim.runtime.shell.toolkit import busybox, fail, quoted


def run(proc: Process) -> int:
    args = proc.argv[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        return fail(proc, "missing operand", usage=True)

    def bad(text: str) -> str:
        return f"invalid number '{text}'" if busybox(proc) else f"{quoted(proc, text)}: expected a numeric value"

    formatter = Printf(bad)
    proc.out(formatter.format(args[0], args[1:]))
    for message in formatter.errors:
        proc.err(f"printf: {message}\n")
    return 1 if formatter.errors else 0
