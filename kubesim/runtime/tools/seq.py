"""``seq``: numbers from FIRST to LAST. Long runs are charged to the exec's step budget, so
``seq 1 1000000000`` stops with kubesim's runaway message instead of filling memory."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from kubesim.runtime.process import Process
from kubesim.runtime.shell import session as sessions
from kubesim.runtime.shell.errors import BudgetExceeded
from kubesim.runtime.shell.toolkit import busybox, fail, quoted

LINES_PER_STEP = 10


def run(proc: Process) -> int:
    args = proc.argv[1:]
    separator, width, fmt = "\n", False, None
    operands: list[str] = []
    while args:
        arg = args.pop(0)
        if arg in ("-s", "--separator") and args:
            separator = args.pop(0)
        elif arg.startswith("-s") and len(arg) > 2:
            separator = arg[2:]
        elif arg in ("-w", "--equal-width"):
            width = True
        elif arg in ("-f", "--format") and args:
            fmt = args.pop(0)
        elif arg == "--":
            operands.extend(args)
            break
        elif arg.startswith("-") and not re.fullmatch(r"-[\d.]+", arg):
            return fail(proc, f"invalid option -- '{arg[1:2]}'", usage=True)
        else:
            operands.append(arg)
    if not operands:
        return fail(proc, "missing operand", usage=True)
    if len(operands) > 3:
        return fail(proc, f"extra operand {quoted(proc, operands[3])}", usage=True)
    numbers = []
    for operand in operands:
        try:
            numbers.append(Decimal(operand))
        except InvalidOperation:
            if busybox(proc):
                return fail(proc, f"invalid number '{operand}'")
            return fail(proc, f"invalid floating point argument: {quoted(proc, operand)}", usage=True)
    first, step, last = Decimal(1), Decimal(1), numbers[-1]
    if len(numbers) >= 2:
        first = numbers[0]
    if len(numbers) == 3:
        step = numbers[1]
    if step == 0:
        if busybox(proc):
            return 0
        return fail(proc, f"invalid Zero increment value: {quoted(proc, operands[1])}", usage=True)
    decimals = max((len(o.split(".")[1]) if "." in o else 0) for o in operands)
    budget = sessions.current()
    out: list[str] = []
    value = first
    count = 0
    try:
        while (step > 0 and value <= last) or (step < 0 and value >= last):
            out.append(_format(value, decimals, fmt))
            count += 1
            if count % LINES_PER_STEP == 0:
                budget.tick()
            value += step
    except BudgetExceeded as exceeded:
        proc.out(separator.join(out) + separator if out else "")
        return sessions.stop_message_or_raise(proc, exceeded)
    if width and out:
        longest = max(len(item) for item in out)
        out = [("-" + item[1:].rjust(longest - 1, "0")) if item.startswith("-") else item.rjust(longest, "0")
               for item in out]
    if out:
        proc.out(separator.join(out) + "\n")
    return 0


def _format(value: Decimal, decimals: int, fmt: str | None) -> str:
    if fmt:
        try:
            return fmt % float(value)
        except (TypeError, ValueError):
            return fmt
    if decimals:
        return f"{value:.{decimals}f}"
    return str(int(value))
