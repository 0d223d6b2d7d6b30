"""``head``: the first lines (or bytes) of each input."""

from __future__ import annotations

from kubesim.runtime.process import Process
from kubesim.runtime.shell.toolkit import busybox, fail, inputs, quoted


def run(proc: Process) -> int:
    return show(proc, tail=False)


def show(proc: Process, tail: bool) -> int:
    args = proc.argv[1:]
    count, by_bytes, from_start = 10, False, False
    files: list[str] = []
    while args:
        arg = args.pop(0)
        if arg in ("-n", "-c") or (arg.startswith(("-n", "-c")) and len(arg) > 2):
            value = arg[2:] or (args.pop(0) if args else "")
            by_bytes = arg.startswith("-c")
            from_start = tail and value.startswith("+")
            digits = value.lstrip("+-")
            if not digits.isdigit():
                kind = "bytes" if by_bytes else "lines"
                if busybox(proc):
                    return fail(proc, f"invalid number '{value}'")
                return fail(proc, f"invalid number of {kind}: {quoted(proc, value)}")
            count = int(digits)
        elif arg[:1] == "-" and arg[1:].isdigit():
            count = int(arg[1:])
        elif arg in ("-f", "-F", "-q", "-v") and tail or arg in ("-q", "-v"):
            continue
        elif arg == "--":
            files.extend(args)
            break
        elif arg.startswith("-") and len(arg) > 1:
            return fail(proc, f"invalid option -- '{arg[1]}'", usage=True)
        else:
            files.append(arg)
    status = 0
    gnu = "cannot open {name} for reading: {reason}"
    many = len(files) > 1
    first = True
    for operand, text in inputs(proc, files, gnu_open_error=gnu):
        if text is None:
            status = 1
            continue
        if many:
            proc.out(("" if first else "\n") + f"==> {operand if operand != '-' else 'standard input'} <==\n")
        first = False
        if by_bytes:
            data = text
            proc.out(data[:count] if not tail else (data[count - 1:] if from_start else data[-count:] if count else ""))
            continue
        pieces = text.splitlines(keepends=True)
        if not tail:
            chosen = pieces[:count]
        elif from_start:
            chosen = pieces[max(count - 1, 0):]
        else:
            chosen = pieces[-count:] if count else []
        proc.out("".join(chosen))
    return status
