"""``uniq``: adjacent repeated lines collapsed; ``-c`` prefixes counts as ``%7d ``."""

from __future__ import annotations

from kubesim.runtime.process import Process
from kubesim.runtime.shell.toolkit import absolute, fail, inputs, lines


def run(proc: Process) -> int:
    count = repeated = unique = ignore_case = False
    operands: list[str] = []
    for arg in proc.argv[1:]:
        if arg.startswith("-") and len(arg) > 1 and arg != "--":
            for flag in arg[1:]:
                if flag == "c":
                    count = True
                elif flag == "d":
                    repeated = True
                elif flag == "u":
                    unique = True
                elif flag == "i":
                    ignore_case = True
                else:
                    return fail(proc, f"invalid option -- '{flag}'", usage=True)
        elif arg != "--":
            operands.append(arg)
    source = operands[:1]
    text = ""
    for _, content in inputs(proc, source, gnu_open_error="{name}: {reason}"):
        if content is None:
            return 1
        text = content
    groups: list[tuple[str, int]] = []
    for line in lines(text):
        marker = line.lower() if ignore_case else line
        if groups and (groups[-1][0].lower() if ignore_case else groups[-1][0]) == marker:
            groups[-1] = (groups[-1][0], groups[-1][1] + 1)
        else:
            groups.append((line, 1))
    out = []
    for line, times in groups:
        if (repeated and times < 2) or (unique and times > 1):
            continue
        out.append(f"{times:7d} {line}\n" if count else line + "\n")
    result = "".join(out)
    if len(operands) > 1:
        proc.fs.write(absolute(proc, operands[1]), result.encode(), append=False)
    else:
        proc.out(result)
    return 0
