"""``rm``: remove files (``-r`` directories too, ``-f`` quietly)."""

from __future__ import annotations

from kubesim.runtime.process import Process
from kubesim.runtime.shell.toolkit import absolute, busybox, fail, quoted


def run(proc: Process) -> int:
    flags: set[str] = set()
    operands: list[str] = []
    for arg in proc.argv[1:]:
        if arg.startswith("-") and len(arg) > 1 and arg != "--":
            flags.update("r" if f == "R" else f for f in arg[1:])
        elif arg != "--":
            operands.append(arg)
    if not operands:
        if "f" in flags:
            return 0
        return fail(proc, "missing operand", usage=True)
    status = 0
    for operand in operands:
        path = absolute(proc, operand)
        shown = f"'{operand}'" if busybox(proc) else quoted(proc, operand)
        if not proc.fs.exists(path):
            if "f" not in flags:
                verb = "can't remove" if busybox(proc) else "cannot remove"
                proc.err(f"rm: {verb} {shown}: No such file or directory\n")
                status = 1
            continue
        if proc.fs.is_dir(path) and "r" not in flags:
            proc.err(f"rm: {shown} is a directory\n" if busybox(proc) else f"rm: cannot remove {shown}: Is a directory\n")
            status = 1
            continue
        try:
            proc.fs.remove(path, recursive="r" in flags)
        except OSError as error:
            verb = "can't remove" if busybox(proc) else "cannot remove"
            proc.err(f"rm: {verb} {shown}: {error.strerror or 'Permission denied'}\n")
            status = 1
    return status
