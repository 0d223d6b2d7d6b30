"""``mkdir``: create directories (``-p``: parents too, no error if present)."""

from __future__ import annotations

from kubesim.runtime.process import Process
from kubesim.runtime.shell.toolkit import absolute, busybox, fail, quoted


def run(proc: Process) -> int:
    parents = False
    operands: list[str] = []
    args = proc.argv[1:]
    while args:
        arg = args.pop(0)
        if arg == "-m" and args:
            args.pop(0)
        elif arg.startswith("-") and len(arg) > 1 and arg != "--":
            parents = parents or "p" in arg
        elif arg != "--":
            operands.append(arg)
    if not operands:
        return fail(proc, "missing operand", usage=True)
    status = 0
    for operand in operands:
        path = absolute(proc, operand)
        if proc.fs.exists(path) and (parents and proc.fs.is_dir(path)):
            continue
        reason = None
        if proc.fs.exists(path):
            reason = "File exists"
        else:
            try:
                proc.fs.mkdir(path, parents=parents)
            except FileExistsError:
                reason = "File exists"
            except (FileNotFoundError, NotADirectoryError):
                reason = "No such file or directory"
            except OSError as error:
                reason = error.strerror or "Permission denied"
        if reason:
            verb = "can't create directory" if busybox(proc) else "cannot create directory"
            shown = f"'{operand}'" if busybox(proc) else quoted(proc, operand)
            proc.err(f"mkdir: {verb} {shown}: {reason}\n")
            status = 1
    return status
