"""``printf`` as the shells' builtins and coreutils/busybox ``printf`` implement it.

Shared by the builtin and the ``printf`` tool: the format is reused until the arguments run out,
``%b`` expands backslash escapes in its argument, and a number that is not one is reported and
printed as 0 with exit status 1.
"""

from __future__ import annotations

import re

_SPEC = re.compile(r"%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?([diouxXeEfgGcsbq%])")
_ESCAPES = {"\\": "\\", "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", '"': '"',
            "'": "'", "e": "\x1b"}


class Printf:
    """One printf call; ``errors`` collects the bad-number complaints in the caller's wording."""

    def __init__(self, bad_number) -> None:
        self.bad_number = bad_number
        self.errors: list[str] = []
        self.stopped = False

    def format(self, fmt: str, args: list[str]) -> str:
        out: list[str] = []
        remaining = list(args)
        while True:
            consumed_before = len(remaining)
            out.append(self._once(fmt, remaining))
            if self.stopped or not remaining or len(remaining) == consumed_before:
                break
        return "".join(out)

    def _once(self, fmt: str, args: list[str]) -> str:
        out: list[str] = []
        i, n = 0, len(fmt)
        while i < n and not self.stopped:
            c = fmt[i]
            if c == "\\":
                text, i = _escape(fmt, i, in_format=True)
                if text is None:
                    self.stopped = True
                    break
                out.append(text)
                continue
            if c == "%":
                match = _SPEC.match(fmt, i)
                if match is None:
                    out.append("%")
                    i += 1
                    continue
                out.append(self._conversion(match, args))
                i = match.end()
                continue
            out.append(c)
            i += 1
        return "".join(out)

    def _conversion(self, match: re.Match, args: list[str]) -> str:
        flags, width, precision, conv = match.groups()
        if conv == "%":
            return "%"
        if width == "*":
            width = str(self._int(args.pop(0) if args else "0"))
        if precision == "*":
            precision = str(self._int(args.pop(0) if args else "0"))
        arg = args.pop(0) if args else None
        spec = "%" + flags + (width or "") + ("." + precision if precision is not None else "")
        if conv in "diouxX":
            value = self._int(arg if arg is not None else "0")
            if conv in "ouxX" and value < 0:
                value &= (1 << 64) - 1
            return (spec + ("d" if conv == "i" else conv)) % value
        if conv in "eEfgG":
            value_f = self._float(arg if arg is not None else "0")
            return (spec + conv) % value_f
        if conv == "c":
            return (spec + "s") % ((arg or "")[:1])
        if conv == "b":
            text = arg or ""
            expanded, stop = expand_escapes(text)
            if stop:
                self.stopped = True
            return (spec + "s") % expanded
        if conv == "q":
            text = arg or ""
            quoted = text if re.fullmatch(r"[A-Za-z0-9_./:=@%+,-]+", text) else (
                "''" if text == "" else re.sub(r"([^A-Za-z0-9_./:=@%+,-])", r"\\\1", text))
            return (spec + "s") % quoted
        return (spec + "s") % (arg or "")

    def _int(self, text: str) -> int:
        stripped = text.strip()
        if stripped[:1] in ("'", '"') and len(stripped) >= 2:
            return ord(stripped[1])
        if stripped[:1] in ("'", '"'):
            return 0
        try:
            if re.fullmatch(r"[-+]?0[xX][0-9a-fA-F]+", stripped):
                return int(stripped, 16)
            if re.fullmatch(r"[-+]?0[0-7]+", stripped):
                return int(stripped, 8)
            return int(stripped)
        except ValueError:
            match = re.match(r"[-+]?\d+", stripped)
            self.errors.append(self.bad_number(text))
            return int(match.group(0)) if match else 0

    def _float(self, text: str) -> float:
        try:
            return float(text)
        except ValueError:
            self.errors.append(self.bad_number(text))
            return 0.0


def _escape(text: str, i: int, in_format: bool) -> tuple[str | None, int]:
    """The character(s) a backslash sequence at ``i`` stands for; None for ``\\c`` (stop)."""
    if i + 1 >= len(text):
        return "\\", i + 1
    e = text[i + 1]
    if e in _ESCAPES:
        return _ESCAPES[e], i + 2
    if e == "c":
        return None, i + 2
    if e == "x":
        match = re.match(r"[0-9A-Fa-f]{1,2}", text[i + 2:])
        if match:
            return chr(int(match.group(0), 16)), i + 2 + match.end()
        return "\\x", i + 2
    if e == "0" or (e in "1234567" and in_format):
        digits = re.match(r"[0-7]{0,3}" if e == "0" else r"[0-7]{1,3}", text[i + 2:] if e == "0" else text[i + 1:])
        assert digits is not None
        if e == "0":
            return chr(int(digits.group(0) or "0", 8) & 0xFF), i + 2 + digits.end()
        return chr(int(digits.group(0), 8) & 0xFF), i + 1 + digits.end()
    return "\\" + e, i + 2


def expand_escapes(text: str) -> tuple[str, bool]:
    """``echo -e`` / ``%b``: backslash escapes; returns (text, stopped-by-\\c)."""
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "\\":
            piece, i = _escape(text, i, in_format=False)
            if piece is None:
                return "".join(out), True
            out.append(piece)
        else:
            out.append(text[i])
            i += 1
    return "".join(out), False
