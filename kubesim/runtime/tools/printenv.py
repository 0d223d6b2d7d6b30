"""``printenv``: the whole environment, or the values of the named variables (exit 1 if one is unset)."""

from __future__ import annotations

from kubesim.runtime.process import Process
from kubesim.runtime.tools import _busybox
from kubesim.runtime.tools._gnu import invalid_option, version_text


def run(proc: Process) -> int:
    if _busybox.help_requested(proc, "printenv"):
        return 0
    gnu = getattr(proc.image, "userland", None) == "gnu"
    names: list[str] = []
    terminator = "\n"
    options_done = False
    for arg in proc.argv[1:]:
        if options_done or not arg.startswith("-") or arg == "-":
            names.append(arg)
            continue
        if arg == "--":
            options_done = True
        elif gnu and arg in ("-0", "--null"):
            terminator = "\0"
        elif gnu and arg == "--version":
            proc.out(version_text(proc, "printenv"))
            return 0
        elif gnu:
            invalid_option(proc, "printenv", arg if arg.startswith("--") else arg[1], long=arg.startswith("--"))
            return 2
        else:
            return _busybox.usage_error(proc, "printenv", f"invalid option -- '{arg[1]}'")
    if not names:
        proc.out("".join(f"{name}={value}{terminator}" for name, value in proc.env.items()))
        return 0
    status = 0
    for name in names:
        if "=" in name or name not in proc.env:
            status = 1
            continue
        proc.out(proc.env[name] + terminator)
    return status
