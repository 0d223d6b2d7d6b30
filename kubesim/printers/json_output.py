"""``-o json``: Go's ``json.MarshalIndent(obj, "", "    ")`` as kubectl applies it to unstructured objects.

kubectl holds what it prints as ``map[string]interface{}``, so Go sorts every map's keys by byte
order, escapes ``<``, ``>``, ``&``, U+2028 and U+2029, and formats float64 with its own shortest
round-trip rules. Python's ``json`` module differs on all of these, hence this module. It imports
nothing beyond the standard library so that ``get -o json`` stays cheap.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1

_SHORT_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
}


def _escape_char(ch: str) -> str:
    short = _SHORT_ESCAPES.get(ch)
    if short is not None:
        return short
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:
        # A lone surrogate is what Python makes of invalid UTF-8; Go writes U+FFFD for those.
        return "\\ufffd"
    return f"\\u{code:04x}"


# Characters that Go's encoder (with HTML escaping on, as json.Marshal has it) never writes raw.
_NEEDS_ESCAPE = frozenset(
    [chr(c) for c in range(0x20)] + ['"', "\\", "<", ">", "&", "\u2028", "\u2029"]
)


def go_string(text: str) -> str:
    """Quote a string as Go's encoding/json does (HTML-safe, \\u00XX in lower-case hex)."""
    if text.isascii() and not any(ch in _NEEDS_ESCAPE for ch in text):
        return '"' + text + '"'
    parts = []
    for ch in text:
        if ch in _NEEDS_ESCAPE or "\ud800" <= ch <= "\udfff":
            parts.append(_escape_char(ch))
        else:
            parts.append(ch)
    return '"' + "".join(parts) + '"'


def shortest_digits(value: float) -> tuple[str, int]:
    """Digits and decimal-point position of the shortest round-trip form of a finite, non-zero float.

    Python's repr and Go's strconv both pick the shortest digit string that reads back exactly
    (the closest one on ties), so the digits agree and only the layout needs Go's rules.
    """
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    text = whole + fraction
    point = len(whole) + int(exponent or 0)
    significant = text.lstrip("0")
    point -= len(text) - len(significant)
    return significant.rstrip("0"), point


def _format_fixed(digits: str, point: int) -> str:
    if point <= 0:
        return "0." + "0" * (-point) + digits
    if point >= len(digits):
        return digits + "0" * (point - len(digits))
    return digits[:point] + "." + digits[point:]


def _format_exponent(digits: str, point: int) -> str:
    exp = point - 1
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    sign = "-" if exp < 0 else "+"
    return f"{mantissa}e{sign}{abs(exp):02d}"


def go_format_float(value: float, fmt: str) -> str:
    """``strconv.FormatFloat(value, fmt, -1, 64)`` for fmt in 'f', 'e', 'g'."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    neg = "-" if math.copysign(1.0, value) < 0 else ""
    if value == 0:
        return neg + ("0e+00" if fmt == "e" else "0")
    digits, point = shortest_digits(value)
    if fmt == "g":
        exp = point - 1
        fmt = "e" if exp < -4 or exp >= 6 else "f"
    if fmt == "e":
        return neg + _format_exponent(digits, point)
    return neg + _format_fixed(digits, point)


def json_float(value: float) -> str:
    """A float64 as encoding/json writes it: fixed notation unless tiny or huge, then ``1e-7``."""
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"json: unsupported value: {go_format_float(value, 'g')}")
    magnitude = abs(value)
    if magnitude != 0 and (magnitude < 1e-6 or magnitude >= 1e21):
        text = go_format_float(value, "e")
        # Go trims one leading zero of a negative two-digit exponent: 1e-07 -> 1e-7.
        if len(text) >= 4 and text[-4] == "e" and text[-3] == "-" and text[-2] == "0":
            text = text[:-2] + text[-1]
        return text
    return go_format_float(value, "f")


def json_number(value: int | float) -> str:
    """Ints inside int64 print bare; anything else is a float64 in kubectl's unstructured world."""
    if isinstance(value, int):
        if INT64_MIN <= value <= INT64_MAX:
            return str(value)
        return json_float(float(value))
    return json_float(value)


def _key(key: Any) -> str:
    return key if isinstance(key, str) else str(key)


def _sorted_items(obj: dict[Any, Any]) -> list[tuple[str, Any]]:
    # Code point order equals UTF-8 byte order for valid text, which is how Go sorts map keys.
    return sorted(((_key(k), v) for k, v in obj.items()), key=lambda kv: kv[0])


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return go_string(value)
    if isinstance(value, int | float):
        return json_number(value)
    raise TypeError(f"json: unsupported type: {type(value).__name__}")


class _Text(str):
    """Already rendered output, queued between values still to render."""


def _write(value: Any, out: list[str], indented: bool, indent: str = "") -> None:
    """Render without recursion: kubectl prints objects nested up to 10000 levels."""
    stack: list[tuple[Any, str]] = [(value, indent)]
    while stack:
        item, indent = stack.pop()
        if isinstance(item, _Text):
            out.append(item)
            continue
        if isinstance(item, dict | list | tuple) and not item:
            out.append("{}" if isinstance(item, dict) else "[]")
            continue
        if isinstance(item, dict):
            inner = indent + "    " if indented else ""
            parts: list[tuple[Any, str]] = []
            items = _sorted_items(item)
            for i, (key, child) in enumerate(items):
                head = ("\n" + inner if indented else "") + go_string(key) + (": " if indented else ":")
                parts.append((_Text(("," if i else "") + head), inner))
                parts.append((child, inner))
            parts.append((_Text(("\n" + indent if indented else "") + "}"), indent))
            out.append("{")
            stack.extend(reversed(parts))
        elif isinstance(item, list | tuple):
            inner = indent + "    " if indented else ""
            parts = []
            for i, child in enumerate(item):
                parts.append((_Text(("," if i else "") + ("\n" + inner if indented else "")), inner))
                parts.append((child, inner))
            parts.append((_Text(("\n" + indent if indented else "") + "]"), indent))
            out.append("[")
            stack.extend(reversed(parts))
        else:
            out.append(_scalar(item))


def to_json(obj: Any) -> str:
    """Print ``obj`` as ``kubectl -o json`` does: 4-space indent, sorted keys, trailing newline."""
    out: list[str] = []
    _write(obj, out, indented=True)
    out.append("\n")
    return "".join(out)


def json_list_chunks(items: Iterable[Any]) -> Iterator[str]:
    """``to_json`` of kubectl's ``List`` of ``items``, an item at a time: the caller may read the items
    as it writes them (a list of 10,000 pods is never whole in memory, nor is its text)."""
    empty = True
    for item in items:
        out = ['{\n    "apiVersion": "v1",\n    "items": [' if empty else ",", "\n        "]
        _write(item, out, indented=True, indent="        ")
        empty = False
        yield "".join(out)
    tail = ',\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n'
    yield '{\n    "apiVersion": "v1",\n    "items": []' + tail if empty else "\n    ]" + tail


def to_compact_json(obj: Any) -> str:
    """``json.Marshal`` (no indent, no newline): the form kubectl quotes in decode errors."""
    out: list[str] = []
    _write(obj, out, indented=False)
    return "".join(out)
