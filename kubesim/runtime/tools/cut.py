"""``cut``: fields (-f with -d), characters (-c) or bytes (-b) by list ``1,3-5,7-``."""

from __future__ import annotations

import re

from kubesim.runtime.process import Process
from kubesim.runtime.shell.toolkit import fail, inputs, lines


def _ranges(spec: str) -> list[tuple[int, int]] | None:
    out = []
    for piece in spec.split(","):
        match = re.fullmatch(r"(\d*)-?(\d*)", piece)
        if not piece or match is None:
            return None
        if "-" in piece:
            low = int(match.group(1) or 1)
            high = int(match.group(2)) if match.group(2) else 1 << 30
        else:
            low = high = int(piece)
        if low < 1:
            return None
        out.append((low, high))
    return out


def run(proc: Process) -> int:
    args = proc.argv[1:]
    mode = spec = None
    delimiter = "\t"
    only_delimited = False
    files: list[str] = []
    while args:
        arg = args.pop(0)
        if arg[:2] in ("-f", "-c", "-b") and len(arg) >= 2:
            mode = arg[1]
            spec = arg[2:] or (args.pop(0) if args else "")
        elif arg.startswith("-d"):
            delimiter = arg[2:] or (args.pop(0) if args else "")
            if len(delimiter) != 1:
                return fail(proc, "the delimiter must be a single character", usage=True)
        elif arg == "-s":
            only_delimited = True
        elif arg == "--":
            files.extend(args)
            break
        else:
            files.append(arg)
    if mode is None:
        return fail(proc, "you must specify a list of bytes, characters, or fields", usage=True)
    ranges = _ranges(spec or "")
    if ranges is None:
        return fail(proc, "invalid field value" if mode == "f" else "invalid byte or character range", usage=True)

    def wanted(index: int) -> bool:
        return any(low <= index <= high for low, high in ranges)

    status = 0
    for _, text in inputs(proc, files):
        if text is None:
            status = 1
            continue
        for line in lines(text):
            if mode == "f":
                if delimiter not in line:
                    if not only_delimited:
                        proc.out(line + "\n")
                    continue
                parts = line.split(delimiter)
                proc.out(delimiter.join(p for i, p in enumerate(parts, 1) if wanted(i)) + "\n")
            else:
                proc.out("".join(ch for i, ch in enumerate(line, 1) if wanted(i)) + "\n")
    return status
