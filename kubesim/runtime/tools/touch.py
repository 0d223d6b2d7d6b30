"""``touch``: create empty files (times are not simulated beyond creation)."""

from __future__ import annotations

from kubesim.runtime.process import Process
from kubesim.runtime.shell.toolkit import absolute, busybox, fail, quoted


def run(proc: Process) -> int:
    operands = [a for a in proc.argv[1:] if not a.startswith("-") or a == "-"]
    if not operands:
        return fail(proc, "missing file operand", usage=True)
    status = 0
    for operand in operands:
        path = absolute(proc, operand)
        if proc.fs.exists(path):
            continue
        try:
            proc.fs.write(path, b"", append=True)
        except (FileNotFoundError, NotADirectoryError):
            reason = "No such file or directory"
        except (PermissionError, OSError):
            reason = "Permission denied"
        else:
            continue
        if busybox(proc):
            proc.err(f"touch: {operand}: {reason}\n")
        else:
            proc.err(f"touch: cannot touch {quoted(proc, operand)}: {reason}\n")
        status = 1
    return status
