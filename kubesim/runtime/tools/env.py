"""``env``: print the environment, or run a program in a changed one (GNU coreutils or busybox).

The program is started through ``commands.spawn`` inside the same container, found along the
(possibly changed) PATH — as ``execvp`` would.
"""

from __future__ import annotations

import dataclasses

from kubesim.runtime.process import Process
from kubesim.runtime.tools import _busybox
from kubesim.runtime.tools._gnu import invalid_option, quote, version_text


def run(proc: Process) -> int:
    if _busybox.help_requested(proc, "env"):
        return 0
    gnu = getattr(proc.image, "userland", None) == "gnu"
    env = dict(proc.env)
    args = proc.argv[1:]
    terminator = "\n"
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            index += 1
            break
        if arg in ("-", "-i", "--ignore-environment"):
            env = {}
            index += 1
            continue
        if arg in ("-0", "--null") and gnu:
            terminator = "\0"
            index += 1
            continue
        if arg == "--version" and gnu:
            proc.out(version_text(proc, "env"))
            return 0
        if arg in ("-u", "--unset") or arg.startswith("--unset=") or (arg.startswith("-u") and len(arg) > 2):
            if arg.startswith("--unset="):
                name = arg[len("--unset="):]
            elif len(arg) > 2 and arg.startswith("-u"):
                name = arg[2:]
            elif index + 1 < len(args):
                index += 1
                name = args[index]
            else:
                if gnu:
                    proc.err("env: option requires an argument -- 'u'\nTry 'env --help' for more information.\n")
                    return 125
                return _busybox.usage_error(proc, "env", "option requires an argument -- 'u'")
            env.pop(name, None)
            index += 1
            continue
        if arg.startswith("-") and len(arg) > 1:
            if gnu:
                invalid_option(proc, "env", arg if arg.startswith("--") else arg[1], long=arg.startswith("--"))
                return 125
            return _busybox.usage_error(proc, "env", f"invalid option -- '{arg[1]}'")
        break
    while index < len(args) and "=" in args[index] and not args[index].startswith("="):
        name, _, value = args[index].partition("=")
        env.pop(name, None)
        env[name] = value
        index += 1
    command = args[index:]
    if not command:
        proc.out("".join(f"{name}={value}{terminator}" for name, value in env.items()))
        return 0
    from kubesim.runtime.commands import CANNOT_EXECUTE, NOT_FOUND, spawn

    changed = dataclasses.replace(proc, env=env)
    status = spawn(changed, command, proc.stdin, proc.stdout, proc.stderr)
    if status in (NOT_FOUND, CANNOT_EXECUTE) and _failed_to_start(changed, command[0]):
        reason = "No such file or directory" if status == NOT_FOUND else "Permission denied"
        if gnu:
            proc.err(f"env: {quote(proc, command[0])}: {reason}\n")
        else:
            proc.err(f"env: can't execute '{command[0]}': {reason}\n")
    return status


def _failed_to_start(proc: Process, name: str) -> bool:
    from kubesim.runtime.commands import resolve, search_path

    found = resolve(proc.image, proc.fs, name, search_path(proc.env), proc.cwd)
    return found.status not in ("tool", "script")
