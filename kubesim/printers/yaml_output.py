"""``-o yaml``: what sigs.k8s.io/yaml (JSON, then go-yaml v2's emitter) prints for kubectl.

PyYAML's emitter quotes, folds and orders differently, so this is a small emitter of our own that
follows go-yaml v2's rules for the only shapes kubectl prints (maps, lists, strings, numbers,
booleans, null): keys in go-yaml's "natural" order (digit runs compare as numbers), block style with
list items level with their parent key, ``{}``/``[]`` for empties, plain scalars where go-yaml would
read them back as the same string, single quotes when an indicator forbids plain, double quotes
with escapes for control characters, literal blocks for multi-line text, and folding of long
scalars at the first space past column 80.

``resolve_plain`` is go-yaml v2's reading of an unquoted scalar; the manifest reader shares it so
what we parse and what we print agree on ``yes``, ``0x1F``, ``1e3`` or ``2024-01-01``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from kubesim.printers.json_output import INT64_MAX, INT64_MIN, go_format_float, json_float

STR = "!!str"
INT = "!!int"
FLOAT = "!!float"
BOOL = "!!bool"
NULL = "!!null"
TIMESTAMP = "!!timestamp"

UINT64_MAX = (1 << 64) - 1
BEST_WIDTH = 80
BEST_INDENT = 2

_WORDS: dict[str, tuple[str, Any]] = {}
for _value, _tag, _words in (
    (True, BOOL, "y Y yes Yes YES true True TRUE on On ON"),
    (False, BOOL, "n N no No NO false False FALSE off Off OFF"),
    (None, NULL, "~ null Null NULL"),
    (float("nan"), FLOAT, ".nan .NaN .NAN"),
    (float("inf"), FLOAT, ".inf .Inf .INF +.inf +.Inf +.INF"),
    (float("-inf"), FLOAT, "-.inf -.Inf -.INF"),
):
    for _word in _words.split():
        _WORDS[_word] = (_tag, _value)
_WORDS[""] = (NULL, None)

# The first byte decides which readings go-yaml tries at all ("<<" is not among them).
_HINTED = frozenset("yYnNtTfFoO~.0123456789+-")
_HINT_NUMBER = frozenset("0123456789+-")

_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_BASE60_FLOAT = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?\Z")
_GO_DECIMAL_FLOAT = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\Z")


_DIGITS = {2: "01", 8: "01234567", 10: "0123456789", 16: "0123456789abcdefABCDEF"}


def _go_parse_int(text: str, signed: bool) -> int | None:
    """``strconv.ParseInt(text, 0, 64)`` (or ParseUint): prefixes 0x/0o/0b and a bare leading 0."""
    body = text
    negative = False
    if signed and body[:1] in ("+", "-"):
        negative = body[0] == "-"
        body = body[1:]
    base = 10
    if len(body) >= 3 and body[0] == "0" and body[1] in "xXoObB":
        base = {"x": 16, "o": 8, "b": 2}[body[1].lower()]
        body = body[2:]
    elif len(body) > 1 and body[0] == "0":
        base = 8
        body = body[1:]
    if not body or any(ch not in _DIGITS[base] for ch in body):
        return None
    value = int(body, base)
    if negative:
        value = -value
    if signed:
        return value if INT64_MIN <= value <= INT64_MAX else None
    return value if value <= UINT64_MAX else None


def _parse_binary(text: str) -> int | None:
    """``strconv.ParseInt(text, 2, 64)``."""
    body = text[1:] if text[:1] in ("+", "-") else text
    if not body or any(ch not in "01" for ch in body):
        return None
    value = int(body, 2) * (-1 if text[:1] == "-" else 1)
    return value if INT64_MIN <= value <= INT64_MAX else None


def _underscores_ok(text: str) -> bool:
    """Go's rule for digit separators: an underscore sits between two digits."""
    saw = "^"
    for ch in text.lstrip("+-"):
        if ch in "0123456789":
            saw = "0"
        elif ch == "_":
            if saw != "0":
                return False
            saw = "_"
        else:
            if saw == "_":
                return False
            saw = "!"
    return saw != "_"


def _go_parse_float(text: str) -> float | None:
    """``strconv.ParseFloat(text, 64)`` for the decimal forms go-yaml lets through; None on error."""
    if "_" in text:
        if not _underscores_ok(text):
            return None
        text = text.replace("_", "")
    if not _GO_DECIMAL_FLOAT.match(text):
        return None
    value = float(text)
    if value in (float("inf"), float("-inf")):
        return None  # Go reports ErrRange, and go-yaml then keeps the text as a string
    return value


def _getnum(text: str, pos: int) -> tuple[int, int] | None:
    """Go time's getnum with fixed=false: one or two digits."""
    if pos >= len(text) or not text[pos].isdigit() or not text[pos].isascii():
        return None
    if pos + 1 < len(text) and text[pos + 1] in "0123456789":
        return int(text[pos : pos + 2]), pos + 2
    return int(text[pos]), pos + 1


def days_in_month(month: int, year: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _parse_layout(text: str, separator: str | None) -> bool:
    """One of go-yaml v2's timestamp layouts through Go's time.Parse rules."""
    year = int(text[:4])
    pos = 5
    got = _getnum(text, pos)
    if got is None:
        return False
    month, pos = got
    if pos >= len(text) or text[pos] != "-":
        return False
    got = _getnum(text, pos + 1)
    if got is None:
        return False
    day, pos = got
    if not 1 <= month <= 12:
        return False
    if separator is not None:
        if separator == " ":
            if pos < len(text) and text[pos] != " ":
                return False
            while pos < len(text) and text[pos] == " ":
                pos += 1
        else:
            if pos >= len(text) or text[pos] != separator:
                return False
            pos += 1
        parts = []
        for index in range(3):
            if index:
                if pos >= len(text) or text[pos] != ":":
                    return False
                pos += 1
            got = _getnum(text, pos)
            if got is None:
                return False
            number, pos = got
            parts.append(number)
        hour, minute, second = parts
        if hour >= 24 or minute >= 60 or second >= 60:
            return False
        if pos + 1 < len(text) and text[pos] in ".," and text[pos + 1] in "0123456789":
            pos += 1
            while pos < len(text) and text[pos] in "0123456789":
                pos += 1
        if separator != " ":
            if pos < len(text) and text[pos] == "Z":
                pos += 1
            else:
                zone = text[pos : pos + 6]
                if len(zone) < 6 or zone[3] != ":" or zone[0] not in "+-":
                    return False
                if not (zone[1:3].isdigit() and zone[4:6].isdigit() and zone[1:3].isascii() and zone[4:6].isascii()):
                    return False
                if int(zone[1:3]) > 24 or int(zone[4:6]) > 60:
                    return False
                pos += 6
    if pos != len(text):
        return False
    return 1 <= day <= days_in_month(month, year)


def is_timestamp(text: str) -> bool:
    """Whether go-yaml v2 reads ``text`` (unquoted) as a timestamp."""
    if len(text) < 5 or text[4] != "-" or not all(ch in "0123456789" for ch in text[:4]):
        return False
    return any(_parse_layout(text, sep) for sep in ("T", "t", " ", None))


def resolve_plain(text: str, timestamps: bool = True) -> tuple[str, Any]:
    """go-yaml v2's reading of an unquoted scalar: ``(short tag, value)``.

    Integers come back as Python ints (int64 or uint64 range), floats as floats; a timestamp's value
    is its text, because go-yaml hands timestamps to ``interface{}`` as strings.
    """
    hint = text[:1]
    if hint and hint not in _HINTED:
        return STR, text
    if text in _WORDS:
        return _WORDS[text]
    if hint == ".":
        value = _go_parse_float(text)
        if value is not None:
            return FLOAT, value
    elif hint in _HINT_NUMBER:
        if timestamps and is_timestamp(text):
            return TIMESTAMP, text
        plain = text.replace("_", "")
        if plain:
            number = _go_parse_int(plain, signed=True)
            if number is None:
                number = _go_parse_int(plain, signed=False)
            if number is not None:
                return INT, number
            if _YAML_FLOAT.match(plain):
                value = _go_parse_float(plain)
                if value is not None:
                    return FLOAT, value
            # go-yaml's own binary branch hands the rest to ParseInt, which takes a sign: 0b-1, -0b1.
            binary = None
            if plain.startswith("0b"):
                binary = _parse_binary(plain[2:])
            elif plain.startswith("-0b"):
                binary = _parse_binary("-" + plain[3:])
            if binary is not None:
                return INT, binary
    return STR, text


def is_base60_float(text: str) -> bool:
    """YAML 1.1 sexagesimal numbers: go-yaml no longer reads them but still quotes them."""
    if not text or not (text[0] in "+-" or "0" <= text[0] <= "9") or ":" not in text:
        return False
    return _BASE60_FLOAT.match(text) is not None


# --- key order ---------------------------------------------------------------------------------


def _wrap_int64(value: int) -> int:
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >= 1 << 63 else value


def _digit_value(ch: str) -> int:
    return ord(ch) - ord("0")


def key_less(a: str, b: str) -> bool:
    """go-yaml v2's key order: letters by code point, after non-letters; digit runs as numbers."""
    for i in range(min(len(a), len(b))):
        ca, cb = a[i], b[i]
        if ca == cb:
            continue
        a_letter, b_letter = ca.isalpha(), cb.isalpha()
        if a_letter and b_letter:
            return ca < cb
        if a_letter or b_letter:
            return b_letter
        an = bn = 0
        if ca == "0" or cb == "0":
            j = i - 1
            while j >= 0 and a[j].isdecimal():
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and a[ai].isdecimal():
            an = _wrap_int64(an * 10 + _digit_value(a[ai]))
            ai += 1
        bi = i
        while bi < len(b) and b[bi].isdecimal():
            bn = _wrap_int64(bn * 10 + _digit_value(b[bi]))
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ca < cb
    return len(a) < len(b)


def _key_cmp(a: str, b: str) -> int:
    if key_less(a, b):
        return -1
    if key_less(b, a):
        return 1
    return 0


_KEY = functools.cmp_to_key(_key_cmp)


def sort_keys(keys: list[str]) -> list[str]:
    """Keys in the order go-yaml v2 writes them (``a2`` before ``a10``, ``B`` before ``a``)."""
    if len(keys) <= 12:
        # Go's sort.Sort is an insertion sort this small; matching it keeps odd keys where Go puts them.
        ordered = list(keys)
        for i in range(1, len(ordered)):
            j = i
            while j > 0 and key_less(ordered[j], ordered[j - 1]):
                ordered[j], ordered[j - 1] = ordered[j - 1], ordered[j]
                j -= 1
        return ordered
    return sorted(keys, key=_KEY)


# --- scalar analysis ---------------------------------------------------------------------------

_BREAKS = frozenset("\n\r\x85\u2028\u2029")
_FIRST_INDICATORS = frozenset("#,[]{}&*!|>'\"%@`")


def _printable(ch: str) -> bool:
    code = ord(ch)
    return (
        code == 0x0A
        or 0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
    )


def _blank(ch: str) -> bool:
    return ch in (" ", "\t")


def _blankz(ch: str) -> bool:
    return ch in (" ", "\t") or ch in _BREAKS


class _Analysis:
    """What the emitter may do with a scalar (yaml_emitter_analyze_scalar)."""

    __slots__ = ("multiline", "block_plain", "single_quoted", "block")

    def __init__(self, value: str) -> None:
        if not value:
            self.multiline = False
            self.block_plain = True
            self.single_quoted = True
            self.block = False
            return
        block_ind = value.startswith("---") or value.startswith("...")
        line_breaks = special = False
        leading_space = leading_break = trailing_space = trailing_break = False
        break_space = space_break = previous_space = previous_break = False
        preceded_by_ws = True
        last = len(value) - 1
        for i, ch in enumerate(value):
            followed_by_ws = i == last or _blank(value[i + 1])
            if i == 0:
                if ch in _FIRST_INDICATORS:
                    block_ind = True
                elif ch in "?:" or ch == "-":
                    if followed_by_ws:
                        block_ind = True
            elif ch == ":":
                if followed_by_ws:
                    block_ind = True
            elif ch == "#" and preceded_by_ws:
                block_ind = True
            if not _printable(ch):
                special = True
            if ch == " ":
                leading_space = leading_space or i == 0
                trailing_space = trailing_space or i == last
                break_space = break_space or previous_break
                previous_space, previous_break = True, False
            elif ch in _BREAKS:
                line_breaks = True
                leading_break = leading_break or i == 0
                trailing_break = trailing_break or i == last
                space_break = space_break or previous_space
                previous_space, previous_break = False, True
            else:
                previous_space = previous_break = False
            preceded_by_ws = _blankz(ch)
        self.multiline = line_breaks
        self.block_plain = not (
            leading_space or leading_break or trailing_space or trailing_break
            or break_space or space_break or special or line_breaks or block_ind
        )
        self.single_quoted = not (break_space or space_break or special)
        self.block = not (trailing_space or space_break or special)


PLAIN, SINGLE, DOUBLE, LITERAL = "plain", "single", "double", "literal"


def _requested_style(value: str) -> str:
    """go-yaml's encoder choice before the emitter has its say (encode.go stringv)."""
    if "\n" in value:
        return LITERAL
    tag, _ = resolve_plain(value)
    if tag == STR and not is_base60_float(value):
        return PLAIN
    return DOUBLE


def _select_style(value: str, requested: str, analysis: _Analysis, simple_key: bool) -> str:
    style = requested
    if simple_key and analysis.multiline:
        style = DOUBLE
    if style == PLAIN:
        if not analysis.block_plain or (not value and simple_key):
            style = SINGLE
    if style == SINGLE and not analysis.single_quoted:
        style = DOUBLE
    if style == LITERAL and (not analysis.block or simple_key):
        style = DOUBLE
    return style


def _double_escape(ch: str) -> str:
    code = ord(ch)
    named = {
        0x00: "0", 0x07: "a", 0x08: "b", 0x09: "t", 0x0A: "n", 0x0B: "v", 0x0C: "f",
        0x0D: "r", 0x1B: "e", 0x22: '"', 0x5C: "\\", 0x85: "N", 0xA0: "_",
        0x2028: "L", 0x2029: "P",
    }.get(code)
    if named is not None:
        return "\\" + named
    if code <= 0xFF:
        return f"\\x{code:02X}"
    if code <= 0xFFFF:
        return f"\\u{code:04X}"
    return f"\\U{code:08X}"


# --- the emitter -------------------------------------------------------------------------------


class YAMLError(ValueError):
    """A value go-yaml cannot print; kubectl reports it as ``error: yaml: <text>``."""


_NEL_RUN = re.compile(" *(?:\x85 *)+")


def _fold_nel(match: re.Match[str]) -> str:
    breaks = match.group().count("\x85")
    return " " if breaks == 1 else "\n" * (breaks - 1)


def _reread_value(text: str) -> str:
    """Go's JSON leaves U+0085 raw; go-yaml then reads it as a line break inside a quoted scalar and
    folds it (one break becomes a space, n breaks n-1 newlines, blanks around them dropped)."""
    return _NEL_RUN.sub(_fold_nel, text) if "\x85" in text else text


def _check_readable(text: str) -> None:
    # sigs.k8s.io/yaml re-reads its JSON with go-yaml, whose reader refuses these characters.
    for ch in text:
        code = ord(ch)
        if (0x7F <= code <= 0x9F and code != 0x85) or code in (0xFFFE, 0xFFFF):
            raise YAMLError("yaml: control characters are not allowed")


class _Emitter:
    """The slice of go-yaml's emitter state that decides bytes: column, indent and two flags."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.column = 0
        self.whitespace = True
        self.indention = True

    def put(self, text: str) -> None:
        self.out.append(text)
        self.column += len(text)

    def put_break(self) -> None:
        self.out.append("\n")
        self.column = 0

    def write_indent(self, indent: int) -> None:
        indent = max(indent, 0)
        if not self.indention or self.column > indent or (self.column == indent and not self.whitespace):
            self.put_break()
        if self.column < indent:
            self.put(" " * (indent - self.column))
        self.whitespace = True
        self.indention = True

    def write_indicator(self, text: str, need_whitespace: bool, is_whitespace: bool, is_indention: bool) -> None:
        if need_whitespace and not self.whitespace:
            self.put(" ")
        self.put(text)
        self.whitespace = is_whitespace
        self.indention = self.indention and is_indention

    # -- nodes --

    def emit(self, value: Any) -> None:
        """Drive the node generators with an explicit stack: kubectl prints 10000 levels deep."""
        stack: list[Iterator[Any]] = [self.node(value, -1, mapping_context=False)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
            else:
                stack.append(child)

    def node(self, value: Any, indent: int, mapping_context: bool) -> Iterator[Any]:
        if isinstance(value, dict):
            if value:
                yield self.mapping(value, indent)
            else:
                self.write_indicator("{", True, True, False)
                self.write_indicator("}", False, False, False)
        elif isinstance(value, list | tuple):
            if value:
                yield self.sequence(value, indent, indentless=mapping_context and not self.indention)
            else:
                self.write_indicator("[", True, True, False)
                self.write_indicator("]", False, False, False)
        else:
            self.scalar(value, indent, simple_key=False)

    def mapping(self, value: dict[Any, Any], indent: int) -> Iterator[Any]:
        inner = 0 if indent < 0 else indent + BEST_INDENT
        items = {_key_text(k): v for k, v in value.items()}
        for key in sort_keys(list(items)):
            simple = not any(ch in _BREAKS for ch in key) and len(key.encode("utf-8")) <= 128
            self.write_indent(inner)
            if simple:
                self.scalar(key, inner, simple_key=True)
                self.write_indicator(":", False, False, False)
            else:
                self.write_indicator("?", True, False, True)
                self.scalar(key, inner, simple_key=False)
                self.write_indent(inner)
                self.write_indicator(":", True, False, True)
            yield self.node(items[key], inner, mapping_context=True)

    def sequence(self, value: list[Any] | tuple[Any, ...], indent: int, indentless: bool) -> Iterator[Any]:
        if indent < 0:
            inner = 0
        else:
            inner = indent if indentless else indent + BEST_INDENT
        for item in value:
            self.write_indent(inner)
            self.write_indicator("-", True, False, True)
            yield self.node(item, inner, mapping_context=False)

    def scalar(self, value: Any, indent: int, simple_key: bool) -> None:
        text, requested = _scalar_text(value)
        analysis = _Analysis(text)
        style = _select_style(text, requested, analysis, simple_key)
        inner = BEST_INDENT if indent < 0 else indent + BEST_INDENT
        allow_breaks = not simple_key
        if style == PLAIN:
            self.plain(text, inner, allow_breaks)
        elif style == SINGLE:
            self.single_quoted(text, inner, allow_breaks)
        elif style == DOUBLE:
            self.double_quoted(text, inner, allow_breaks)
        else:
            self.literal(text, inner)

    def plain(self, text: str, indent: int, allow_breaks: bool) -> None:
        if not self.whitespace:
            self.put(" ")
        spaces = False
        for i, ch in enumerate(text):
            if ch == " ":
                following = text[i + 1] if i + 1 < len(text) else ""
                if allow_breaks and not spaces and self.column > BEST_WIDTH and following != " ":
                    self.write_indent(indent)
                else:
                    self.put(ch)
                spaces = True
            else:
                self.put(ch)
                self.indention = False
                spaces = False
        self.whitespace = False
        self.indention = False

    def single_quoted(self, text: str, indent: int, allow_breaks: bool) -> None:
        self.write_indicator("'", True, False, False)
        spaces = breaks = False
        last = len(text) - 1
        for i, ch in enumerate(text):
            if ch == " ":
                following = text[i + 1] if i < last else ""
                if allow_breaks and not spaces and self.column > BEST_WIDTH and 0 < i < last and following != " ":
                    self.write_indent(indent)
                else:
                    self.put(ch)
                spaces = True
            elif ch in _BREAKS:
                if not breaks and ch == "\n":
                    self.put_break()
                self.write_break(ch)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent(indent)
                if ch == "'":
                    self.put("'")
                self.put(ch)
                self.indention = False
                spaces = breaks = False
        self.write_indicator("'", False, False, False)
        self.whitespace = False
        self.indention = False

    def double_quoted(self, text: str, indent: int, allow_breaks: bool) -> None:
        self.write_indicator('"', True, False, False)
        spaces = False
        last = len(text) - 1
        # go-yaml's is_bom looks at the start of the value, not at i: a leading BOM escapes it all.
        escape_all = text.startswith("\ufeff")
        for i, ch in enumerate(text):
            if escape_all or not _printable(ch) or ch in _BREAKS or ch in '"\\':
                self.put(_double_escape(ch))
                spaces = False
            elif ch == " ":
                if allow_breaks and not spaces and self.column > BEST_WIDTH and 0 < i < last:
                    self.write_indent(indent)
                    if text[i + 1] == " ":
                        self.put("\\")
                else:
                    self.put(ch)
                spaces = True
            else:
                self.put(ch)
                spaces = False
        self.write_indicator('"', False, False, False)
        self.whitespace = False
        self.indention = False

    def write_break(self, ch: str) -> None:
        if ch == "\n":
            self.put_break()
        else:
            self.out.append(ch)
            self.column = 0

    def literal(self, text: str, indent: int) -> None:
        self.write_indicator("|", True, False, False)
        if text[:1] == " " or text[:1] in _BREAKS:
            self.write_indicator(str(BEST_INDENT), False, False, False)
        if not text or text[-1] not in _BREAKS:
            self.write_indicator("-", False, False, False)
        elif len(text) == 1 or text[-2] in _BREAKS:
            self.write_indicator("+", False, False, False)
        self.put_break()
        self.indention = True
        self.whitespace = True
        breaks = True
        for ch in text:
            if ch in _BREAKS:
                self.write_break(ch)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent(indent)
                self.put(ch)
                self.indention = False
                breaks = False


_SURROGATE = re.compile("[\ud800-\udfff]")


def _valid_text(text: str) -> str:
    """Lone surrogates stand for invalid UTF-8, which Go's JSON encoder turns into U+FFFD."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _key_text(key: Any) -> str:
    if isinstance(key, str):
        return _valid_text(key)
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def _scalar_text(value: Any) -> tuple[str, str]:
    """The text go-yaml writes for a JSON scalar, and the style its encoder asks for."""
    if value is None:
        return "null", PLAIN
    if value is True:
        return "true", PLAIN
    if value is False:
        return "false", PLAIN
    if isinstance(value, int):
        if INT64_MIN <= value <= INT64_MAX:
            return str(value), PLAIN
        return _float_text(float(value)), PLAIN
    if isinstance(value, float):
        return _float_text(value), PLAIN
    if isinstance(value, str):
        value = _reread_value(_valid_text(value))
        return value, _requested_style(value)
    raise TypeError(f"yaml: cannot print a {type(value).__name__}")


def _float_text(value: float) -> str:
    """A float64 after sigs.k8s.io/yaml's JSON round trip: go-yaml re-reads Go's JSON number text,
    so ``-0`` prints as ``0`` and integral values within uint64 print as integers."""
    try:
        text = json_float(value)
    except ValueError as exc:
        raise YAMLError(str(exc)) from None
    tag, number = resolve_plain(text)
    if tag == INT:
        return str(number)
    return go_format_float(number, "g")


def _check_tree(value: Any) -> bool:
    """Refuse unreadable characters; tell whether some key holds a raw U+0085."""
    nel_key = False
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            _check_readable(item)
        elif isinstance(item, dict):
            for key, child in item.items():
                if isinstance(key, str):
                    _check_readable(key)
                    nel_key = nel_key or "\x85" in key
                stack.append(child)
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return nel_key


def _check_keys(obj: Any) -> None:
    """A raw U+0085 in a key breaks go-yaml's reading of the JSON flow mapping, as in kubectl."""
    from kubesim.printers.json_output import to_compact_json

    text = to_compact_json(obj)
    lines = 0
    in_string = escaped = False
    key_start = -1
    for index, ch in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
                if key_start >= 0 and text[index + 1 : index + 2] == ":" and "\x85" in text[key_start:index]:
                    raise YAMLError(f"yaml: line {lines}: did not find expected ',' or '}}'")
            elif ch == "\x85":
                lines += 1
        elif ch == '"':
            in_string = True
            key_start = index


def to_yaml(obj: Any) -> str:
    """Print ``obj`` as ``kubectl -o yaml`` does (one document, no ``---``, trailing newline).

    Raises YAMLError for text kubectl cannot print either (C1 control characters).
    """
    if _check_tree(obj):
        _check_keys(obj)
    emitter = _Emitter()
    emitter.emit(obj)
    emitter.write_indent(0)
    return "".join(emitter.out)


def to_yaml_documents(objs: list[Any]) -> str:
    """Several objects as one kubectl command prints them: each a document, ``---`` between them."""
    return "---\n".join(to_yaml(obj) for obj in objs)
