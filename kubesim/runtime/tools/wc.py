"""``wc``: lines, words and bytes, padded the way GNU wc pads them (7 columns for stdin,
the width of the largest total for files, none for a single count of a single input)."""

from __future__ import annotations

from kubesim.runtime.process import Process
from kubesim.runtime.shell.toolkit import fail, inputs


def run(proc: Process) -> int:
    wanted: list[str] = []
    files: list[str] = []
    for arg in proc.argv[1:]:
        if arg.startswith("-") and len(arg) > 1 and arg != "--":
            for flag in arg[1:]:
                if flag not in "lwcm":
                    return fail(proc, f"invalid option -- '{flag}'", usage=True)
                wanted.append({"m": "c"}.get(flag, flag))
        elif arg != "--":
            files.append(arg)
    order = [c for c in "lwc" if c in wanted] or ["l", "w", "c"]
    rows: list[tuple[list[int], str]] = []
    status = 0
    for operand, text in inputs(proc, files, gnu_open_error="{name}: {reason}"):
        if text is None:
            status = 1
            continue
        counts = {"l": text.count("\n"), "w": len(text.split()), "c": len(text.encode("utf-8", "surrogateescape"))}
        rows.append(([counts[c] for c in order], "" if operand == "-" and not files else operand))
    if len(rows) > 1:
        rows.append(([sum(r[0][i] for r in rows) for i in range(len(order))], "total"))
    if len(order) == 1 and len(rows) == 1:
        width = 1
    elif not files or "-" in files:
        width = 7
    else:
        width = max(len(str(max(r[0]))) for r in rows) if rows else 1
    for counts, label in rows:
        line = " ".join(f"{n:>{width}}" for n in counts)
        proc.out(line + (f" {label}" if label else "") + "\n")
    return status
