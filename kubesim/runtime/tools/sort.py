"""``sort``: lines in byte order (containers run in the C locale), with -n -r -u -k -t -f -b."""

from __future__ import annotations

import re

from kubesim.runtime.process import Process
from kubesim.runtime.shell.toolkit import fail, inputs, lines


def run(proc: Process) -> int:
    args = proc.argv[1:]
    numeric = reverse = unique = fold = blanks = False
    separator: str | None = None
    keys: list[tuple[int, int | None]] = []
    files: list[str] = []
    while args:
        arg = args.pop(0)
        if arg == "--":
            files.extend(args)
            break
        if arg.startswith("-k") or arg == "--key":
            spec = arg[2:] or (args.pop(0) if args else "")
            match = re.fullmatch(r"(\d+)(?:\.\d+)?[a-z]*(?:,(\d+)(?:\.\d+)?[a-z]*)?", spec)
            if match is None:
                return fail(proc, f"invalid number at field start: invalid count at start of '{spec}'", 2)
            keys.append((int(match.group(1)), int(match.group(2)) if match.group(2) else None))
            numeric = numeric or "n" in spec
            continue
        if arg.startswith("-t"):
            separator = arg[2:] or (args.pop(0) if args else "")
            continue
        if arg.startswith("-") and len(arg) > 1:
            for flag in arg[1:]:
                if flag == "n":
                    numeric = True
                elif flag == "r":
                    reverse = True
                elif flag == "u":
                    unique = True
                elif flag == "f":
                    fold = True
                elif flag == "b":
                    blanks = True
                elif flag in "sdhgVM":
                    continue
                else:
                    return fail(proc, f"invalid option -- '{flag}'", 2, usage=True)
            continue
        files.append(arg)
    collected: list[str] = []
    status = 0
    gnu = "cannot read: {name}: {reason}"
    for _, text in inputs(proc, files, gnu_open_error=gnu):
        if text is None:
            status = 2
            continue
        collected.extend(lines(text))
    if status:
        return status

    def field(line: str) -> str:
        if not keys:
            return line
        start, end = keys[0]
        parts = line.split(separator) if separator is not None else re.findall(r"\s*\S+", line)
        chosen = parts[start - 1:end] if end else parts[start - 1:]
        joined = (separator or "").join(chosen)
        return joined.lstrip() if blanks or separator is None else joined

    def key(line: str):
        text = field(line)
        if fold:
            text = text.upper()
        if numeric:
            match = re.match(r"\s*(-?\d+(?:\.\d+)?)", text)
            return (float(match.group(1)) if match else 0.0, line)
        return (text, line) if keys or fold else (text,)

    ordered = sorted(collected, key=key, reverse=reverse)
    if unique:
        seen: set = set()
        deduplicated = []
        for line in ordered:
            marker = key(line)[0]
            if marker not in seen:
                seen.add(marker)
                deduplicated.append(line)
        ordered = deduplicated
    if ordered:
        proc.out("\n".join(ordered) + "\n")
    return 0
