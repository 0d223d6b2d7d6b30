"""``grep``: basic (default), extended (-E) or fixed (-F) patterns; exit 0 on a match, 1 on
none, 2 on trouble."""

from __future__ import annotations

import re

from kubesim.runtime.process import Process
from kubesim.runtime.shell.toolkit import fail, inputs, lines


def basic_to_python(pattern: str) -> str:
    """POSIX BRE to Python: \\( \\) \\{ \\} \\| \\+ \\? are the operators, their bare forms literal."""
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            following = pattern[i + 1]
            out.append(following if following in "(){}|+?" else "\\" + following)
            i += 2
            continue
        out.append("\\" + c if c in "(){}|+?" else c)
        i += 1
    return "".join(out)


def run(proc: Process) -> int:
    args = proc.argv[1:]
    flags = set()
    patterns: list[str] = []
    files: list[str] = []
    mode = "E" if proc.argv[0].endswith("egrep") else "F" if proc.argv[0].endswith("fgrep") else "G"
    while args:
        arg = args.pop(0)
        if arg == "--":
            files.extend(args)
            break
        if arg == "-e" and args:
            patterns.append(args.pop(0))
            continue
        if arg.startswith("--"):
            long_flags = {"--ignore-case": "i", "--invert-match": "v", "--count": "c", "--quiet": "q", "--silent": "q",
                          "--line-number": "n", "--word-regexp": "w", "--only-matching": "o", "--extended-regexp": "E",
                          "--fixed-strings": "F", "--files-with-matches": "l", "--no-filename": "h"}
            if arg not in long_flags:
                return fail(proc, f"unrecognized option '{arg}'", 2, usage=True)
            flags.add(long_flags[arg])
            continue
        if arg.startswith("-") and len(arg) > 1:
            for flag in arg[1:]:
                if flag in "EFG":
                    mode = flag
                elif flag in "ivcqnwolhHsrx":
                    flags.add(flag)
                else:
                    return fail(proc, f"invalid option -- '{flag}'", 2, usage=True)
            continue
        if not patterns:
            patterns.append(arg)
        else:
            files.append(arg)
    if not patterns:
        proc.err("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n")
        return 2
    sources = []
    for pattern in patterns:
        for piece in pattern.split("\n"):
            text = re.escape(piece) if mode == "F" else basic_to_python(piece) if mode == "G" else piece
            if "w" in flags:
                text = rf"(?<!\w)(?:{text})(?!\w)"
            if "x" in flags:
                text = rf"^(?:{text})$"
            sources.append(text)
    try:
        regex = re.compile("|".join(f"(?:{s})" for s in sources), re.IGNORECASE if "i" in flags else 0)
    except re.error:
        return fail(proc, "Unmatched ( or \\(" if "(" in "".join(patterns) else "Invalid regular expression", 2)
    show_names = (len(files) > 1 or "H" in flags) and "h" not in flags
    matched_any = False
    trouble = False
    for operand, text in inputs(proc, files, gnu_open_error="{name}: {reason}", busybox_open_error="{name}: {reason}"):
        if text is None:
            trouble = True
            continue
        label = "(standard input)" if operand == "-" else operand
        count = 0
        for number, line in enumerate(lines(text), 1):
            found = regex.search(line) is not None
            if found == ("v" in flags):
                continue
            count += 1
            matched_any = True
            if "q" in flags:
                return 0
            if "c" in flags or "l" in flags:
                continue
            prefix = (f"{label}:" if show_names else "") + (f"{number}:" if "n" in flags else "")
            if "o" in flags and "v" not in flags:
                for match in regex.finditer(line):
                    if match.group(0):
                        proc.out(prefix + match.group(0) + "\n")
            else:
                proc.out(prefix + line + "\n")
        if "c" in flags:
            proc.out((f"{label}:" if show_names else "") + f"{count}\n")
        if "l" in flags and count:
            proc.out(label + "\n")
    if trouble and "s" not in flags:
        return 2
    return 0 if matched_any else 1
