"""The shell's builtins. Which exist depends on the shell (dash has no ``source`` or ``let``),
and special builtins (POSIX 2.14) keep their variable assignments and end a non-interactive
dash or ash when they fail.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kubesim.runtime.shell.errors import ExitShell, FunctionReturn, LoopControl, ShellSyntaxError
from kubesim.runtime.shell.flavour import ASH, BASH, DASH, Flavour
from kubesim.runtime.shell.parser import Parser
from kubesim.runtime.shell.printf import Printf, expand_escapes
from kubesim.runtime.shell.testexpr import run_test

if TYPE_CHECKING:
    from kubesim.runtime.shell.interpreter import Shell, Streams

ALL = frozenset({DASH, BASH, ASH})
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Builtin:
    run: Callable[[Shell, list[str], Streams], int]
    special: bool = False
    shells: frozenset[str] = ALL


def lookup(name: str, flavour: Flavour) -> Builtin | None:
    builtin = REGISTRY.get(name)
    if builtin is None or flavour.name not in builtin.shells:
        return None
    return builtin


def _true(sh: Shell, argv: list[str], io: Streams) -> int:
    return 0


def _false(sh: Shell, argv: list[str], io: Streams) -> int:
    return 1


def _cd(sh: Shell, argv: list[str], io: Streams) -> int:
    args = [a for a in argv[1:] if a not in ("-L", "-P")]
    if args[:1] == ["--"]:
        args = args[1:]
    if len(args) > 1 and sh.flavour.is_bash:
        sh.error(io, "too many arguments", "cd")
        return 1
    if not args:
        home = sh.get("HOME")
        if home is None:
            sh.error(io, "HOME not set", "cd")
            return 1
        target = home
    else:
        target = args[0]
    announce = False
    if target == "-":
        previous = sh.get("OLDPWD")
        if previous is None:
            sh.error(io, "OLDPWD not set", "cd")
            return 1
        target, announce = previous, True
    path = sh.absolute(target)
    fs = sh.proc.fs
    if not fs.exists(path) or not fs.is_dir(path):
        message, status = sh.flavour.cd_failed(target, "missing" if not fs.exists(path) else "not-dir")
        sh.error(io, message, "cd")
        return status
    sh.vars["OLDPWD"] = sh.cwd
    sh.cwd = path
    sh.vars["PWD"] = path
    if announce:
        io.stdout.write(path + "\n")
    return 0


def _pwd(sh: Shell, argv: list[str], io: Streams) -> int:
    io.stdout.write(sh.cwd + "\n")
    return 0


def _dash_quote(value: str) -> str:
    return "'" + value.replace("'", "'\"'\"'") + "'"


def _bash_quote(value: str) -> str:
    return '"' + re.sub(r'(["\\$`])', r"\\\1", value) + '"'


def _export(sh: Shell, argv: list[str], io: Streams) -> int:
    args = argv[1:]
    unexport = False
    while args and args[0].startswith("-") and args[0] != "-":
        if args[0] == "--":
            args = args[1:]
            break
        if args[0] == "-n" and sh.flavour.is_bash:
            unexport = True
        args = args[1:]
    if not args:
        for name in sorted(sh.exported):
            value = sh.vars.get(name)
            if sh.flavour.is_bash:
                io.stdout.write(f"declare -x {name}" + (f"={_bash_quote(value)}" if value is not None else "") + "\n")
            else:
                io.stdout.write(f"export {name}" + (f"={_dash_quote(value)}" if value is not None else "") + "\n")
        return 0
    return _declare(sh, argv[0], args, io, export=not unexport, unexport=unexport)


def _declare(sh: Shell, command: str, args: list[str], io: Streams, export: bool = False, unexport: bool = False,
             readonly: bool = False) -> int:
    status = 0
    for arg in args:
        name, has_value, value = arg.partition("=")
        if not NAME.fullmatch(name):
            sh.error(io, sh.flavour.not_identifier(command, arg if sh.flavour.is_bash else name), command)
            status = 1 if sh.flavour.is_bash else 2
            if not sh.flavour.is_bash and not sh.interactive:
                raise ExitShell(2)
            continue
        if has_value:
            sh.assign(name, value)
        if export:
            sh.exported.add(name)
        if unexport:
            sh.exported.discard(name)
        if readonly:
            sh.readonly.add(name)
    return status


def _readonly(sh: Shell, argv: list[str], io: Streams) -> int:
    args = [a for a in argv[1:] if a != "-p"]
    if not args:
        for name in sorted(sh.readonly):
            value = sh.vars.get(name, "")
            if sh.flavour.is_bash:
                io.stdout.write(f"declare -r {name}={_bash_quote(value)}\n")
            else:
                io.stdout.write(f"readonly {name}={_dash_quote(value)}\n")
        return 0
    return _declare(sh, "readonly", args, io, readonly=True)


def _unset(sh: Shell, argv: list[str], io: Streams) -> int:
    args = argv[1:]
    functions = False
    if args and args[0] in ("-f", "-v"):
        functions = args[0] == "-f"
        args = args[1:]
    status = 0
    for name in args:
        if functions:
            sh.functions.pop(name, None)
            continue
        if not sh.unset(name):
            message = f"{name}: cannot unset: readonly variable" if sh.flavour.is_bash else f"{name}: is read only"
            sh.error(io, message, "unset")
            status = 1
    return status


def _exit(sh: Shell, argv: list[str], io: Streams) -> int:
    status = sh.status
    if len(argv) > 2 and sh.flavour.is_bash:
        if sh.interactive:
            io.stderr.write("exit\n")
        sh.error(io, "too many arguments", "exit")
        return 1
    if len(argv) > 1:
        text = argv[1]
        if not re.fullmatch(r"[-+]?\d+", text.strip()) or (not sh.flavour.is_bash and text.strip().startswith("-")):
            if sh.interactive and sh.flavour.is_bash:
                io.stderr.write("exit\n")
            sh.error(io, sh.flavour.bad_number("exit", text), "exit")
            raise ExitShell(2)
        status = int(text) & 0xFF
    if sh.interactive and sh.flavour.is_bash and not sh.is_subshell:
        io.stderr.write("exit\n")
    raise ExitShell(status)


def _echo(sh: Shell, argv: list[str], io: Streams) -> int:
    args = argv[1:]
    newline = True
    escapes = sh.flavour.is_dash
    if sh.flavour.is_dash:
        if args[:1] == ["-n"]:
            newline = False
            args = args[1:]
    else:
        while args and re.fullmatch(r"-[neE]+", args[0]):
            for flag in args[0][1:]:
                if flag == "n":
                    newline = False
                elif flag == "e":
                    escapes = True
                else:
                    escapes = False
            args = args[1:]
    text = " ".join(args)
    if escapes:
        text, stopped = expand_escapes(text)
        if stopped:
            newline = False
    io.stdout.write(text + ("\n" if newline else ""))
    return 0


def printf_bad_number(flavour_name: str, text: str) -> str:
    if flavour_name == BASH:
        return f"{text}: invalid number"
    if flavour_name == DASH:
        return f"{text}: expected numeric value"
    return f"invalid number '{text}'"


def _printf(sh: Shell, argv: list[str], io: Streams) -> int:
    args = argv[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        usage = "usage: printf [-v var] format [arguments]" if sh.flavour.is_bash else "usage: printf format [arg ...]"
        sh.error(io, usage, "printf")
        return 2 if sh.flavour.is_bash else 1
    formatter = Printf(lambda text: printf_bad_number(sh.flavour.name, text))
    io.stdout.write(formatter.format(args[0], args[1:]))
    for message in formatter.errors:
        sh.error(io, message, "printf")
    return 1 if formatter.errors else 0


def _read(sh: Shell, argv: list[str], io: Streams) -> int:
    args = argv[1:]
    raw = False
    prompt = None
    while args and args[0].startswith("-") and len(args[0]) > 1:
        option = args.pop(0)
        if option == "--":
            break
        for index, flag in enumerate(option[1:]):
            if flag == "r":
                raw = True
            elif flag in "ptnNdau":
                value = option[index + 2:] or (args.pop(0) if args else "")
                if flag == "p":
                    prompt = value
                break
    names = args
    if not names:
        if sh.flavour.is_dash:
            sh.error(io, "arg count", "read")
            return 2
        names = ["REPLY"]
    for name in names:
        if not NAME.fullmatch(name):
            sh.error(io, sh.flavour.not_identifier("read", name), "read")
            return 1 if sh.flavour.is_bash else 2
    if prompt and io.stdin_tty:
        io.stderr.write(prompt)
    line = io.stdin.read_line()
    status = 0
    if line is None:
        status, line = 1, ""
    elif not raw:
        while line.endswith("\\"):
            following = io.stdin.read_line()
            if following is None:
                line = line[:-1]
                break
            line = line[:-1] + following
    if not args:
        sh.assign("REPLY", line)
        return status
    ifs = sh.get("IFS")
    ifs = " \t\n" if ifs is None else ifs
    values = _split_for_read(line, ifs, len(names), raw)
    for index, name in enumerate(names):
        sh.assign(name, values[index] if index < len(values) else "")
    return status


def _split_for_read(line: str, ifs: str, count: int, raw: bool) -> list[str]:
    white = "".join(c for c in ifs if c in " \t\n")
    text = line.strip(white) if white else line
    values: list[str] = []
    while len(values) < count - 1 and text:
        match = re.search("[" + re.escape(ifs) + "]", text) if ifs else None
        if match is None:
            break
        values.append(text[:match.start()])
        text = text[match.end():]
        if white:
            text = text.lstrip(white)
        other = [c for c in ifs if c not in " \t\n"]
        if other and text[:1] in other and match.group(0) in white:
            text = text[1:].lstrip(white)
    if text or len(values) < count:
        if white:
            text = text.rstrip(white)
        values.append(text)
    if not raw:
        values = [re.sub(r"\\(.)", r"\1", v) for v in values]
    return values


_OPTION_NAMES = {"errexit": "e", "nounset": "u", "xtrace": "x", "noglob": "f", "noexec": "n", "verbose": "v",
                 "pipefail": "pipefail"}


def _set(sh: Shell, argv: list[str], io: Streams) -> int:
    args = argv[1:]
    if not args:
        for name in sorted(sh.vars):
            value = sh.vars[name]
            io.stdout.write(f"{name}={_dash_quote(value) if not re.fullmatch(r'[A-Za-z0-9_./:@%+,-]+', value) else value}\n")
        return 0
    while args:
        arg = args[0]
        if arg == "--":
            args = args[1:]
            sh.positional = list(args)
            return 0
        if arg in ("-", "+"):
            args = args[1:]
            break
        if arg[:1] not in "-+" or len(arg) < 2:
            break
        args = args[1:]
        on = arg[0] == "-"
        for flag in arg[1:]:
            if flag == "o":
                if not args:
                    for long_name, short in _OPTION_NAMES.items():
                        io.stdout.write(f"{long_name:<15} {'on' if sh.options.get(short) else 'off'}\n")
                    continue
                option = args.pop(0)
                if option not in _OPTION_NAMES or (option == "pipefail" and sh.flavour.is_dash):
                    sh.error(io, f"{option}: invalid option name" if sh.flavour.is_bash else f"Illegal option -o {option}",
                             "set")
                    return 1 if sh.flavour.is_bash else 2
                sh.options[_OPTION_NAMES[option]] = on
            elif flag in "euxfnvhbmBCHaP":
                if flag in sh.options:
                    sh.options[flag] = on
            else:
                if sh.flavour.is_bash:
                    sh.error(io, f"{arg[0]}{flag}: invalid option", "set")
                    io.stderr.write("set: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n")
                else:
                    sh.error(io, f"Illegal option {arg[0]}{flag}", "set")
                return 2
    if args or argv[1:] and argv[-1] in ("-", "+"):
        sh.positional = list(args)
    return 0


def _shift(sh: Shell, argv: list[str], io: Streams) -> int:
    count = 1
    if len(argv) > 1:
        if not re.fullmatch(r"\d+", argv[1]):
            sh.error(io, f"{argv[1]}: numeric argument required" if sh.flavour.is_bash else f"Illegal number: {argv[1]}",
                     "shift")
            return 1 if sh.flavour.is_bash else 2
        count = int(argv[1])
    if count > len(sh.positional):
        if sh.flavour.is_bash:
            sh.error(io, f"{count}: shift count out of range", "shift")
            return 1
        sh.error(io, "can't shift that many", "shift")
        if not sh.interactive:
            raise ExitShell(2)
        return 2
    sh.positional = sh.positional[count:]
    return 0


def _source(sh: Shell, argv: list[str], io: Streams) -> int:
    if len(argv) < 2:
        if sh.flavour.is_bash:
            sh.error(io, "filename argument required", argv[0])
            io.stderr.write(f"{argv[0]}: usage: {argv[0]} filename [arguments]\n")
            return 2
        return 0
    name = argv[1]
    fs = sh.proc.fs
    candidates = [sh.absolute(name)] if "/" in name else [
        posixpath.join(d, name) for d in (sh.get("PATH") or "").split(":") if d] + [sh.absolute(name)]
    path = next((c for c in candidates if fs.exists(c) and not fs.is_dir(c)), None)
    if path is None:
        if sh.flavour.is_bash:
            sh.error(io, f"{name}: No such file or directory")
            return 1
        if sh.flavour.is_dash:
            sh.error(io, f"cannot open {name}: No such file", ".")
        else:
            sh.error(io, f"can't open '{name}': No such file or directory", argv[0])
        raise ExitShell(2)
    text = fs.read(path).decode("utf-8", "replace")
    saved = sh.positional
    if len(argv) > 2:
        sh.positional = argv[2:]
    try:
        return _run_nested(sh, text, io)
    except FunctionReturn as returned:
        return returned.status
    finally:
        if len(argv) > 2:
            sh.positional = saved


def _run_nested(sh: Shell, text: str, io: Streams) -> int:
    parser = Parser(text, sh.flavour.name)
    try:
        tree = parser.parse_all()
    except ShellSyntaxError as error:
        sh.syntax_error(io, error, text)
        if not sh.flavour.is_bash and not sh.interactive:
            raise ExitShell(2) from None
        return 2
    return sh.execute(tree, io) if tree.items else 0


def _eval(sh: Shell, argv: list[str], io: Streams) -> int:
    text = " ".join(argv[1:])
    if not text.strip():
        return 0
    return _run_nested(sh, text, io)


def _return(sh: Shell, argv: list[str], io: Streams) -> int:
    status = sh.status
    if len(argv) > 1:
        if not re.fullmatch(r"-?\d+", argv[1]):
            sh.error(io, sh.flavour.bad_number("return", argv[1]), "return")
            status = 2
        else:
            status = int(argv[1]) & 0xFF
    if sh.function_depth == 0 and sh.flavour.is_bash:
        sh.error(io, "can only `return' from a function or sourced script", "return")
        return 1
    raise FunctionReturn(status)


def _loop_control(sh: Shell, argv: list[str], io: Streams) -> int:
    kind = argv[0]
    levels = 1
    if len(argv) > 1:
        if not re.fullmatch(r"\d+", argv[1]) or int(argv[1]) < 1:
            sh.error(io, f"{argv[1]}: loop count out of range" if sh.flavour.is_bash else f"Illegal number: {argv[1]}",
                     kind)
            return 1
        levels = int(argv[1])
    if sh.loop_depth == 0:
        if sh.flavour.is_bash:
            sh.error(io, "only meaningful in a `for', `while', or `until' loop", kind)
        return 0
    raise LoopControl(kind, min(levels, sh.loop_depth))


def _local(sh: Shell, argv: list[str], io: Streams) -> int:
    if not sh.locals:
        if sh.flavour.is_bash:
            sh.error(io, "can only be used in a function", "local")
            return 1
        if sh.flavour.is_dash:
            sh.error(io, "not in a function", "local")
            return 2
    status = 0
    for arg in argv[1:]:
        if arg.startswith("-"):
            continue
        name, has_value, value = arg.partition("=")
        if not NAME.fullmatch(name):
            sh.error(io, sh.flavour.not_identifier("local", arg), "local")
            status = 1
            continue
        if sh.locals and name not in sh.locals[-1]:
            sh.locals[-1][name] = (sh.vars.get(name), name in sh.exported)
        if has_value:
            sh.assign(name, value)
        elif not sh.flavour.is_dash:
            sh.vars.pop(name, None)
    return status


def describe_command(sh: Shell, name: str) -> tuple[str, str] | None:
    """(kind, detail) for ``type``/``command -v``: keyword, function, builtin or file."""
    from kubesim.runtime.shell.parser import BASH_KEYWORDS, KEYWORDS

    keywords = BASH_KEYWORDS if sh.flavour.is_bash else KEYWORDS
    if name in keywords:
        return "keyword", name
    if name in sh.functions:
        return "function", name
    if lookup(name, sh.flavour) is not None:
        return "builtin", name
    if "/" in name:
        path = sh.absolute(name)
        return ("file", name) if sh.proc.fs.exists(path) and not sh.proc.fs.is_dir(path) else None
    from kubesim.runtime import commands

    resolved = commands.resolve(sh.proc.image, sh.proc.fs, name, sh.get("PATH") or "", sh.cwd)
    return ("file", resolved.path) if resolved.status in ("tool", "script") else None


def _type(sh: Shell, argv: list[str], io: Streams) -> int:
    status = 0
    for name in argv[1:]:
        found = describe_command(sh, name)
        if found is None:
            if sh.flavour.is_bash:
                sh.error(io, f"{name}: not found", "type")
            else:
                io.stdout.write(f"{name}: not found\n")
            status = 1 if sh.flavour.is_bash else 127
            continue
        kind, detail = found
        text = {"keyword": f"{name} is a shell keyword", "function": f"{name} is a function",
                "builtin": f"{name} is a shell builtin", "file": f"{name} is {detail}"}[kind]
        if kind == "builtin" and REGISTRY[name].special and not sh.flavour.is_bash:
            text = f"{name} is a special shell builtin"
        io.stdout.write(text + "\n")
    return status


def _command(sh: Shell, argv: list[str], io: Streams) -> int:
    args = argv[1:]
    mode = ""
    while args and args[0].startswith("-") and len(args[0]) > 1:
        option = args.pop(0)
        if option == "--":
            break
        if "v" in option:
            mode = "v"
        elif "V" in option:
            mode = "V"
    if not args:
        return 0
    if mode == "v":
        status = 0
        for name in args:
            found = describe_command(sh, name)
            if found is None:
                status = 1
                continue
            io.stdout.write((found[1] if found[0] == "file" else name) + "\n")
        return status
    if mode == "V":
        return _type(sh, ["type", *args], io)
    builtin = lookup(args[0], sh.flavour)
    if builtin is not None:
        return builtin.run(sh, args, io)
    return sh.external(args, io, [])


def _test(sh: Shell, argv: list[str], io: Streams) -> int:
    return run_test(sh, argv, io)


def _let(sh: Shell, argv: list[str], io: Streams) -> int:
    if len(argv) < 2:
        sh.error(io, "expression expected", "let")
        return 1
    value = 0
    for expr in argv[1:]:
        value = sh.arithmetic(expr, expr)
    return 0 if value != 0 else 1


def _noop(sh: Shell, argv: list[str], io: Streams) -> int:
    return 0


def _umask(sh: Shell, argv: list[str], io: Streams) -> int:
    if len(argv) == 1:
        io.stdout.write("0022\n")
    return 0


def _trap(sh: Shell, argv: list[str], io: Streams) -> int:
    args = argv[1:]
    if not args:
        for signal, action in sh.traps.items():
            io.stdout.write(f"trap -- {_dash_quote(action)} {signal}\n")
        return 0
    if len(args) == 1:
        sh.traps.pop(args[0], None)
        return 0
    action, signals = args[0], args[1:]
    for signal in signals:
        key = "EXIT" if signal in ("0", "EXIT") else signal.upper().removeprefix("SIG")
        if action == "-":
            sh.traps.pop(key, None)
        else:
            sh.traps[key] = action
    return 0


def _exec(sh: Shell, argv: list[str], io: Streams) -> int:
    args = argv[1:]
    if not args:
        return 0
    status = sh.invoke(args, io)
    raise ExitShell(status)


def _times(sh: Shell, argv: list[str], io: Streams) -> int:
    io.stdout.write("0m0.000s 0m0.000s\n0m0.000s 0m0.000s\n")
    return 0


def _alias(sh: Shell, argv: list[str], io: Streams) -> int:
    return 0


REGISTRY: dict[str, Builtin] = {
    ":": Builtin(_true, special=True),
    "true": Builtin(_true),
    "false": Builtin(_false),
    "cd": Builtin(_cd),
    "pwd": Builtin(_pwd),
    "export": Builtin(_export, special=True),
    "readonly": Builtin(_readonly, special=True),
    "unset": Builtin(_unset, special=True),
    "exit": Builtin(_exit, special=True),
    "echo": Builtin(_echo),
    "printf": Builtin(_printf),
    "read": Builtin(_read),
    "set": Builtin(_set, special=True),
    "shift": Builtin(_shift, special=True),
    ".": Builtin(_source, special=True),
    "source": Builtin(_source, shells=frozenset({BASH, ASH})),
    "eval": Builtin(_eval, special=True),
    "return": Builtin(_return, special=True),
    "break": Builtin(_loop_control, special=True),
    "continue": Builtin(_loop_control, special=True),
    "local": Builtin(_local),
    "type": Builtin(_type),
    "command": Builtin(_command),
    "test": Builtin(_test),
    "[": Builtin(_test),
    "[[": Builtin(_test, shells=frozenset({ASH})),
    "let": Builtin(_let, shells=frozenset({BASH, ASH})),
    "wait": Builtin(_noop),
    "hash": Builtin(_noop),
    "umask": Builtin(_umask),
    "trap": Builtin(_trap, special=True),
    "exec": Builtin(_exec, special=True),
    "times": Builtin(_times, special=True),
    "alias": Builtin(_alias),
    "unalias": Builtin(_alias),
}
