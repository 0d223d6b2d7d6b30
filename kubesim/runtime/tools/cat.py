"""``cat``: GNU coreutils or busybox, with ``-n``, ``-b``, ``-s``, ``-E``, ``-T``, ``-A`` and their messages."""

from __future__ import annotations

import posixpath

from kubesim.runtime.process import Process
from kubesim.runtime.tools import _busybox
from kubesim.runtime.tools._gnu import invalid_option, version_text

GNU_LETTERS = set("AbeEnstTuv")
BUSYBOX_LETTERS = set("nbvteAu")


def run(proc: Process) -> int:
    if _busybox.help_requested(proc, "cat"):
        return 0
    gnu = getattr(proc.image, "userland", None) == "gnu"
    flags: set[str] = set()
    files: list[str] = []
    options_done = False
    for arg in proc.argv[1:]:
        if options_done or arg == "-" or not arg.startswith("-"):
            files.append(arg)
            continue
        if arg == "--":
            options_done = True
            continue
        if arg.startswith("--"):
            long = {"--number": "n", "--number-nonblank": "b", "--squeeze-blank": "s", "--show-ends": "E",
                    "--show-tabs": "T", "--show-all": "A", "--show-nonprinting": "v"}
            if gnu and arg == "--version":
                proc.out(version_text(proc, "cat"))
                return 0
            if gnu and arg in long:
                flags.add(long[arg])
                continue
            if gnu:
                return invalid_option(proc, "cat", arg, long=True)
            return _busybox.usage_error(proc, "cat", f"unrecognized option '{arg}'")
        for letter in arg[1:]:
            if letter not in (GNU_LETTERS if gnu else BUSYBOX_LETTERS):
                if gnu:
                    return invalid_option(proc, "cat", letter)
                return _busybox.usage_error(proc, "cat", f"invalid option -- '{letter}'")
            flags.add(letter)
    expanded = _expand(flags)
    status = 0
    state = {"line": 0, "blank_run": 0}
    for operand in files or ["-"]:
        if operand == "-":
            data = proc.stdin
        else:
            path = posixpath.normpath(posixpath.join(proc.cwd or "/", operand))
            try:
                data = proc.fs.read(path).decode("utf-8", "surrogateescape")
            except IsADirectoryError:
                proc.err(f"cat: {operand}: Is a directory\n" if gnu else "cat: read error: Is a directory\n")
                status = 1
                continue
            except (FileNotFoundError, NotADirectoryError) as error:
                reason = "Not a directory" if isinstance(error, NotADirectoryError) else "No such file or directory"
                proc.err(f"cat: {operand}: {reason}\n" if gnu else f"cat: can't open '{operand}': {reason}\n")
                status = 1
                continue
            except PermissionError:
                proc.err(f"cat: {operand}: Permission denied\n" if gnu else
                         f"cat: can't open '{operand}': Permission denied\n")
                status = 1
                continue
        proc.out(_render(data, expanded, state) if expanded else data)
    return status


def _expand(flags: set[str]) -> set[str]:
    expanded = set(flags) - {"u"}
    if "A" in expanded:
        expanded |= {"v", "E", "T"}
    if "e" in expanded:
        expanded |= {"v", "E"}
    if "t" in expanded:
        expanded |= {"v", "T"}
    return expanded - {"A", "e", "t"}


def _render(data: str, flags: set[str], state: dict[str, int]) -> str:
    out: list[str] = []
    pieces = data.split("\n")
    ends_with_newline = data.endswith("\n")
    if ends_with_newline:
        pieces.pop()
    for index, line in enumerate(pieces):
        last = index == len(pieces) - 1
        has_newline = not last or ends_with_newline
        if "s" in flags:
            if line == "" and has_newline:
                state["blank_run"] += 1
                if state["blank_run"] > 1:
                    continue
            else:
                state["blank_run"] = 0
        if "T" in flags:
            line = line.replace("\t", "^I")
        if "v" in flags:
            line = "".join(_visible(ch) for ch in line)
        if "b" in flags:
            if line:
                state["line"] += 1
                line = f"{state['line']:6d}\t{line}"
        elif "n" in flags:
            state["line"] += 1
            line = f"{state['line']:6d}\t{line}"
        out.append(line + ("$" if "E" in flags and has_newline else "") + ("\n" if has_newline else ""))
    return "".join(out)


def _visible(char: str) -> str:
    code = ord(char)
    if char == "\t":
        return char
    if code < 32:
        return "^" + chr(code + 64)
    if code == 127:
        return "^?"
    return char
