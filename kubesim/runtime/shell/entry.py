"""The shell's entry point: options, script sources and the interactive loop around the interpreter."""

from __future__ import annotations

import posixpath
from collections.abc import Callable

from kubesim.runtime.process import Process
from kubesim.runtime.shell import interactive
from kubesim.runtime.shell.errors import BudgetExceeded, ExitShell
from kubesim.runtime.shell.flavour import BASH, DASH, Context, Flavour
from kubesim.runtime.shell.image_facts import bash_version
from kubesim.runtime.shell.interpreter import Input, Shell, Streams
from kubesim.runtime.shell.session import BUDGET_EXIT_STATUS, budget_message, shell_scope

__all__ = ["main", "Shell", "Flavour"]

MAX_NESTED_SHELLS = 12
"""``sh -c 'sh -c …'`` chains (or a script that runs itself) stop here instead of exhausting Python."""

_OPTION_FLAGS = {"e": "e", "u": "u", "x": "x", "f": "f", "v": "v", "n": "n"}
_LONG_OPTIONS = {"errexit": "e", "nounset": "u", "xtrace": "x", "noglob": "f", "verbose": "v", "noexec": "n",
                 "pipefail": "pipefail"}


def main(proc: Process, flavour_name: str, reader: Callable[[str], str | None] | None = None) -> int:
    """Run a shell process: ``sh -c …``, ``sh script.sh``, ``sh < commands`` or an interactive shell."""
    flavour = Flavour(flavour_name, bash_version(proc.image) if flavour_name == BASH else (5, 2))
    argv = proc.argv or ["sh"]
    arg0 = argv[0]
    parsed = _parse_options(flavour, arg0, argv[1:], proc)
    if isinstance(parsed, int):
        return parsed
    command_mode, force_interactive, options, rest = parsed
    with shell_scope() as (session, owned):
        if session.shells > MAX_NESTED_SHELLS:
            proc.err(f"{arg0}: kubesim: shells nested more than {MAX_NESTED_SHELLS} deep\n")
            return 2
        io = Streams(Input(proc.stdin), proc.stdout, proc.stderr, stdout_tty=proc.stdout_is_tty,
                     stdin_tty=proc.stdin_is_tty)
        if command_mode:
            if not rest:
                proc.err(_requires_argument(flavour, arg0))
                return 2
            text = rest[0]
            ctx = Context(rest[1] if len(rest) > 1 else arg0, "c", named=len(rest) > 1)
            positional = rest[2:]
        elif rest:
            text = _read_script(proc, flavour, arg0, rest[0])
            if isinstance(text, int):
                return text
            ctx = Context(rest[0], "script")
            positional = rest[1:]
        else:
            text = None
            terminal = proc.stdin_is_tty or force_interactive
            ctx = Context(arg0, "interactive" if terminal else "stdin")
            positional = rest
        shell = Shell(proc, flavour, ctx, session, positional, interactive=ctx.mode == "interactive")
        shell.options.update(options)
        try:
            if text is not None:
                status = shell.run_text(text, io)
            elif ctx.mode == "interactive":
                line_reader = reader or getattr(proc, "read_line", None) or interactive.terminal_reader(proc.stdout)
                status = interactive.loop(shell, dataclass_replace_stdin(io), line_reader,
                                          echo_prompt=reader is not None and not proc.stdin_is_tty)
            else:
                status = shell.run_text(proc.stdin, dataclass_replace_stdin(io), stdin_is_script=True)
        except ExitShell as exit_:
            status = exit_.status
        except BudgetExceeded as exceeded:
            if not owned:
                raise
            proc.err(f"{ctx.arg0}: " + budget_message(exceeded.limit) + "\n")
            return BUDGET_EXIT_STATUS
        return _run_exit_trap(shell, io, status)


def dataclass_replace_stdin(io: Streams) -> Streams:
    """Commands of an interactive or piped shell do not see the shell's own input as theirs."""
    import dataclasses

    return dataclasses.replace(io, stdin=Input(""))


def _run_exit_trap(shell: Shell, io: Streams, status: int) -> int:
    action = shell.traps.pop("EXIT", None)
    if not action:
        return status
    shell.status = status
    try:
        shell.run_text(action, io)
    except ExitShell as exit_:
        return exit_.status
    return status


def _parse_options(flavour: Flavour, arg0: str, args: list[str], proc: Process):
    command_mode = False
    force_interactive = False
    options: dict[str, bool] = {}
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--" or arg == "-":
            index += 1
            break
        if arg.startswith("--"):
            if arg in ("--login", "--norc", "--noprofile", "--posix", "--noediting"):
                index += 1
                continue
            if flavour.is_bash and arg in ("--version", "--help"):
                proc.out("GNU bash, version 5.2.15(1)-release (x86_64-pc-linux-gnu)\n" if arg == "--version" else
                         "Usage:\tbash [GNU long option] [option] ...\n")
                return 0
            proc.err(_invalid_option(flavour, arg0, arg))
            return 2
        if arg[:1] in "-+" and len(arg) > 1:
            on = arg[0] == "-"
            index += 1
            for flag in arg[1:]:
                if flag == "c" and on:
                    command_mode = True
                elif flag == "i" and on:
                    force_interactive = True
                elif flag in "slp":
                    continue
                elif flag in _OPTION_FLAGS:
                    options[_OPTION_FLAGS[flag]] = on
                elif flag == "o":
                    if index >= len(args) or args[index] not in _LONG_OPTIONS:
                        proc.err(_invalid_option(flavour, arg0, "-o"))
                        return 2
                    options[_LONG_OPTIONS[args[index]]] = on
                    index += 1
                else:
                    proc.err(_invalid_option(flavour, arg0, arg[0] + flag))
                    return 2
            continue
        break
    return command_mode, force_interactive, options, args[index:]


def _invalid_option(flavour: Flavour, arg0: str, option: str) -> str:
    if flavour.is_bash:
        return f"{arg0}: {option}: invalid option\nUsage:\t{arg0} [GNU long option] [option] ...\n"
    if flavour.name == DASH:
        return f"{arg0}: 0: Illegal option {option}\n"
    return f"{arg0}: invalid option -- '{option.lstrip('-+')}'\n"


def _requires_argument(flavour: Flavour, arg0: str) -> str:
    if flavour.is_bash:
        return f"{arg0}: -c: option requires an argument\n"
    if flavour.name == DASH:
        return f"{arg0}: 0: -c requires an argument\n"
    return f"{arg0}: -c requires an argument\n"


def _read_script(proc: Process, flavour: Flavour, arg0: str, name: str) -> str | int:
    path = posixpath.normpath(posixpath.join(proc.cwd or "/", name))
    fs = proc.fs
    if not fs.exists(path) or fs.is_dir(path):
        if flavour.is_bash:
            reason = "Is a directory" if fs.exists(path) else "No such file or directory"
            proc.err(f"{arg0}: {name}: {reason}\n")
            return 126 if fs.exists(path) else 127
        if flavour.name == DASH:
            proc.err(f"{arg0}: 0: cannot open {name}: No such file\n")
            return 2
        proc.err(f"{arg0}: can't open '{name}': No such file or directory\n")
        return 2
    return fs.read(path).decode("utf-8", "replace")
