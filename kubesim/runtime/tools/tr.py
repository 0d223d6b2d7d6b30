"""``tr``: translate, delete (-d) or squeeze (-s) characters; ranges and [:classes:]."""

from __future__ import annotations

import string

from kubesim.runtime.process import Process
from kubesim.runtime.shell.toolkit import fail

_CLASSES = {"upper": string.ascii_uppercase, "lower": string.ascii_lowercase, "digit": string.digits,
            "alpha": string.ascii_letters, "alnum": string.ascii_letters + string.digits, "space": " \t\n\r\f\v",
            "blank": " \t", "punct": string.punctuation, "xdigit": string.hexdigits}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "f": "\f", "v": "\v", "a": "\a", "b": "\b"}


def expand_set(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("[:", i):
            end = text.find(":]", i)
            if end > 0 and text[i + 2:end] in _CLASSES:
                out.append(_CLASSES[text[i + 2:end]])
                i = end + 2
                continue
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            out.append(_ESCAPES.get(text[i + 1], text[i + 1]))
            i += 2
            continue
        if i + 2 < len(text) and text[i + 1] == "-":
            low, high = ord(c), ord(text[i + 2])
            out.append("".join(chr(x) for x in range(low, high + 1)))
            i += 3
            continue
        out.append(c)
        i += 1
    return "".join(out)


def run(proc: Process) -> int:
    args = proc.argv[1:]
    delete = squeeze = complement = False
    while args and args[0].startswith("-") and len(args[0]) > 1:
        for flag in args.pop(0)[1:]:
            if flag == "d":
                delete = True
            elif flag == "s":
                squeeze = True
            elif flag in "cC":
                complement = True
            else:
                return fail(proc, f"invalid option -- '{flag}'", usage=True)
    if not args:
        return fail(proc, "missing operand", usage=True)
    first = expand_set(args[0])
    second = expand_set(args[1]) if len(args) > 1 else ""
    if not delete and not squeeze and not second:
        return fail(proc, f"missing operand after '{args[0]}'", usage=True)
    text = proc.stdin

    def in_first(ch: str) -> bool:
        return (ch in first) != complement

    if delete:
        text = "".join(ch for ch in text if not in_first(ch))
        squeeze_set = second
    elif second:
        padded = second + second[-1] * max(0, len(first) - len(second))
        table = {ord(a): padded[i] for i, a in enumerate(first)}
        text = text.translate(table) if not complement else "".join(
            ch if ch in first else second[-1] for ch in text)
        squeeze_set = second
    else:
        squeeze_set = first
    if squeeze:
        out: list[str] = []
        for ch in text:
            if out and out[-1] == ch and ch in squeeze_set:
                continue
            out.append(ch)
        text = "".join(out)
    proc.out(text)
    return 0
