"""``which``: the path of each command along $PATH; exit 1 when one is missing."""

from __future__ import annotations

from kubesim.runtime import commands
from kubesim.runtime.process import Process


def run(proc: Process) -> int:
    status = 0
    names = [a for a in proc.argv[1:] if not a.startswith("-")]
    if not names:
        return 1
    for name in names:
        resolved = commands.resolve(proc.image, proc.fs, name, proc.env.get("PATH", ""), proc.cwd)
        if resolved.status in ("tool", "script") or (resolved.status == "denied" and "/" not in name
                                                      and not proc.fs.is_dir(resolved.path)):
            proc.out(resolved.path + "\n")
        else:
            status = 1
    return status
