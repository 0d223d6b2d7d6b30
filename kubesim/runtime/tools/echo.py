"""``echo`` as a program (``/bin/echo``): GNU coreutils or busybox, ``-n``/``-e``/``-E`` and escapes.

Shells have their own echo builtin; this is what runs for ``kubectl exec POD -- echo …`` or
``env echo …``, where no shell is involved.
"""

from __future__ import annotations

from kubesim.runtime.process import Process
from kubesim.runtime.tools import _busybox
from kubesim.runtime.tools._gnu import version_text

SIMPLE_ESCAPES = {"\\": "\\", "a": "\a", "b": "\b", "e": "\x1b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
                  "v": "\v"}


def run(proc: Process) -> int:
    if _busybox.help_requested(proc, "echo"):
        return 0
    args = proc.argv[1:]
    gnu = getattr(proc.image, "userland", None) == "gnu"
    if gnu and len(args) == 1 and args[0] == "--version":
        proc.out(version_text(proc, "echo"))
        return 0
    newline = True
    escapes = False
    while args and len(args[0]) > 1 and args[0].startswith("-") and set(args[0][1:]) <= set("neE"):
        for letter in args[0][1:]:
            if letter == "n":
                newline = False
            elif letter == "e":
                escapes = True
            else:
                escapes = False
        args = args[1:]
    text = " ".join(args)
    if escapes:
        text, stop = interpret(text)
        if stop:
            proc.out(text)
            return 0
    proc.out(text + ("\n" if newline else ""))
    return 0


def interpret(text: str) -> tuple[str, bool]:
    """Backslash escapes as echo -e reads them; True when ``\\c`` cut the output short."""
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char != "\\" or index + 1 >= len(text):
            out.append(char)
            index += 1
            continue
        code = text[index + 1]
        index += 2
        if code == "c":
            return "".join(out), True
        if code in SIMPLE_ESCAPES:
            out.append(SIMPLE_ESCAPES[code])
        elif code == "0":
            digits = ""
            while index < len(text) and len(digits) < 3 and text[index] in "01234567":
                digits += text[index]
                index += 1
            out.append(chr(int(digits or "0", 8) & 0xFF))
        elif code == "x" and index < len(text) and text[index] in "0123456789abcdefABCDEF":
            digits = text[index]
            index += 1
            if index < len(text) and text[index] in "0123456789abcdefABCDEF":
                digits += text[index]
                index += 1
            out.append(chr(int(digits, 16)))
        else:
            out.append("\\" + code)
    return "".join(out), False
