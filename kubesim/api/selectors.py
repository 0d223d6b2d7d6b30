"""Label selectors exactly as apimachinery's ``labels`` package parses, matches and prints them.

Every ``-l`` goes through here, so this module is stdlib-only, compiles no regular expressions and
imports nothing beyond ``collections.abc``. The parser follows the lexer/parser of
``k8s.io/apimachinery/pkg/labels`` token for token (byte-for-byte error texts, the ``Values`` context
in which ``in``/``notin`` are plain words, a NUL byte ending the input) because scripts compare the
error lines kubectl prints; it is 1.36's parser (checked against kubectl 1.36.4), which no longer
skips the second comma of ``(a,,)``. ``SelectorError.message`` is the text ``labels.Parse``
returns; callers add kubectl's framing (``the provided selector "…" is not valid: `` for ``-f``
sources, the server's ``Unable to find … that match label selector …`` for listings).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

TYPE_CHECKING = False  # spares `import typing` on the hot `get -l` path
if TYPE_CHECKING:
    from typing import Any

# selection.Operator values, spelled as apimachinery spells them.
EQUALS = "="
DOUBLE_EQUALS = "=="
NOT_EQUALS = "!="
IN = "in"
NOT_IN = "notin"
EXISTS = "exists"
DOES_NOT_EXIST = "!"
GREATER_THAN = "gt"
LESS_THAN = "lt"

_BINARY_OPERATORS = (IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, GREATER_THAN, LESS_THAN)


class SelectorError(Exception):
    """A selector apimachinery would refuse; ``message`` is its error text, verbatim."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Requirement:
    """One ``key op values`` term; values keep the order the parser or the object gave them."""

    __slots__ = ("key", "operator", "values")

    def __init__(self, key: str, operator: str, values: tuple[str, ...] = ()) -> None:
        self.key = key
        self.operator = operator
        self.values = tuple(values)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Requirement):
            return NotImplemented
        return (self.key, self.operator, self.values) == (other.key, other.operator, other.values)

    def __hash__(self) -> int:
        return hash((self.key, self.operator, self.values))

    def __repr__(self) -> str:
        return f"Requirement({self.key!r}, {self.operator!r}, {self.values!r})"

    def matches(self, labels: Mapping[str, str]) -> bool:
        """apimachinery's rule: ``!=`` and ``notin`` also match objects that lack the key."""
        op = self.operator
        if op in (IN, EQUALS, DOUBLE_EQUALS):
            return self.key in labels and labels[self.key] in self.values
        if op in (NOT_IN, NOT_EQUALS):
            return self.key not in labels or labels[self.key] not in self.values
        if op == EXISTS:
            return self.key in labels
        if op == DOES_NOT_EXIST:
            return self.key not in labels
        if op in (GREATER_THAN, LESS_THAN):
            if self.key not in labels or len(self.values) != 1:
                return False
            have, want = _parse_int64(labels[self.key]), _parse_int64(self.values[0])
            if have is None or want is None:
                return False
            return have > want if op == GREATER_THAN else have < want
        return False

    def __str__(self) -> str:
        if self.operator == DOES_NOT_EXIST:
            return "!" + self.key
        if self.operator == EXISTS:
            return self.key
        spelled = {IN: " in ", NOT_IN: " notin ", GREATER_THAN: ">", LESS_THAN: "<"}.get(self.operator, self.operator)
        values = self.values[0] if len(self.values) == 1 else ",".join(sorted(self.values))
        if self.operator in (IN, NOT_IN):
            return f"{self.key}{spelled}({values})"
        return f"{self.key}{spelled}{values}"


class Selector:
    """An AND of requirements, sorted by key; ``nothing`` is metav1's selector for a nil LabelSelector."""

    __slots__ = ("requirements", "nothing")

    def __init__(self, requirements: Iterable[Requirement] = (), nothing: bool = False) -> None:
        self.requirements = tuple(requirements)
        self.nothing = nothing

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Selector):
            return NotImplemented
        return (self.requirements, self.nothing) == (other.requirements, other.nothing)

    def __hash__(self) -> int:
        return hash((self.requirements, self.nothing))

    def __repr__(self) -> str:
        return "Selector(nothing=True)" if self.nothing else f"Selector({list(self.requirements)!r})"

    @property
    def empty(self) -> bool:
        """True when the selector restricts nothing (matches every object)."""
        return not self.nothing and not self.requirements

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        if self.nothing:
            return False
        labels = labels or {}
        return all(requirement.matches(labels) for requirement in self.requirements)

    def __str__(self) -> str:
        return ",".join(str(requirement) for requirement in self.requirements)

    def required_labels(self) -> dict[str, str]:
        """The labels every matching object must carry with exactly this value (``k=v``, ``k in (v)``):
        what a store can look up before it reads whole objects."""
        return {r.key: r.values[0] for r in self.requirements
                if r.operator in (EQUALS, DOUBLE_EQUALS, IN) and len(r.values) == 1}


EVERYTHING = Selector()
NOTHING = Selector(nothing=True)


def _sorted_by_key(requirements: Iterable[Requirement]) -> tuple[Requirement, ...]:
    # apimachinery uses sort.Sort, which for up to 12 requirements is an insertion sort and so
    # keeps equal keys in input order; Python's stable sort gives the same result there.
    return tuple(sorted(requirements, key=lambda r: r.key))


# ---------------------------------------------------------------------------------------------
# Lexer and parser (labels/selector.go)

_WHITESPACE = frozenset(" \t\r\n")
_SPECIAL = frozenset("=!(),><")
_END = "\0"

_T_ERROR, _T_EOS, _T_CLOSE, _T_COMMA, _T_NOT, _T_DEQ, _T_EQ, _T_GT, _T_ID, _T_IN, _T_LT, _T_NEQ, _T_NOTIN, _T_OPEN = range(14)

_LITERALS = {
    ")": _T_CLOSE, ",": _T_COMMA, "!": _T_NOT, "==": _T_DEQ, "=": _T_EQ, ">": _T_GT, "in": _T_IN,
    "<": _T_LT, "!=": _T_NEQ, "notin": _T_NOTIN, "(": _T_OPEN,
}


def _lex(text: str) -> list[tuple[int, str]]:
    """Tokens up to and including end-of-string; a NUL character ends the input, as in Go."""
    pos = 0
    size = len(text)
    items: list[tuple[int, str]] = []

    def read() -> str:
        nonlocal pos
        if pos < size:
            pos += 1
            return text[pos - 1]
        return _END

    while True:
        ch = read()
        while ch in _WHITESPACE:
            ch = read()
        if ch == _END:
            items.append((_T_EOS, ""))
            return items
        if ch in _SPECIAL:
            buffer = ch
            token, literal = _LITERALS[ch], ch
            while True:
                ch = read()
                if ch == _END:
                    break
                if ch not in _SPECIAL:
                    pos -= 1
                    break
                buffer += ch
                if buffer in _LITERALS:
                    token, literal = _LITERALS[buffer], buffer
                else:
                    pos -= 1
                    break
            items.append((token, literal))
            continue
        word = [ch]
        while True:
            ch = read()
            if ch == _END:
                break
            if ch in _SPECIAL or ch in _WHITESPACE:
                pos -= 1
                break
            word.append(ch)
        literal = "".join(word)
        items.append((_LITERALS.get(literal, _T_ID) if literal in ("in", "notin") else _T_ID, literal))


class _Parser:
    """The recursive-descent parser; ``values`` context turns ``in``/``notin`` into identifiers."""

    def __init__(self, text: str) -> None:
        self.items = _lex(text)
        self.position = 0

    def _token(self, index: int, values: bool) -> tuple[int, str]:
        token, literal = self.items[min(index, len(self.items) - 1)]
        if values and token in (_T_IN, _T_NOTIN):
            token = _T_ID
        return token, literal

    def lookahead(self, values: bool = True) -> tuple[int, str]:
        return self._token(self.position, values)

    def consume(self, values: bool = True) -> tuple[int, str]:
        self.position += 1
        return self._token(self.position - 1, values)

    def parse(self) -> list[Requirement]:
        requirements: list[Requirement] = []
        while True:
            token, literal = self.lookahead()
            if token in (_T_ID, _T_NOT):
                try:
                    requirements.append(self.requirement())
                except SelectorError as error:
                    raise SelectorError(f"unable to parse requirement: {error.message}") from None
                token, literal = self.consume()
                if token == _T_EOS:
                    return requirements
                if token == _T_COMMA:
                    next_token, next_literal = self.lookahead()
                    if next_token not in (_T_ID, _T_NOT):
                        raise SelectorError(f"found '{next_literal}', expected: identifier after ','")
                    continue
                raise SelectorError(f"found '{literal}', expected: ',' or 'end of string'")
            if token == _T_EOS:
                return requirements
            raise SelectorError(f"found '{literal}', expected: !, identifier, or 'end of string'")

    def requirement(self) -> Requirement:
        key, operator = self.key_and_inferred_operator()
        if operator in (EXISTS, DOES_NOT_EXIST):
            return new_requirement(key, operator, [])
        operator = self.operator()
        if operator in (IN, NOT_IN):
            values = self.value_set()
        else:
            values = self.exact_value()
        return new_requirement(key, operator, sorted(values))

    def key_and_inferred_operator(self) -> tuple[str, str]:
        operator = ""
        token, literal = self.consume()
        if token == _T_NOT:
            operator = DOES_NOT_EXIST
            token, literal = self.consume()
        if token != _T_ID:
            raise SelectorError(f"found '{literal}', expected: identifier")
        problems = label_key_errors(literal)
        if problems:
            raise SelectorError(f"<nil>: Invalid value: {go_quote(literal)}: {'; '.join(problems)}")
        if self.lookahead()[0] in (_T_EOS, _T_COMMA) and operator != DOES_NOT_EXIST:
            operator = EXISTS
        return literal, operator

    def operator(self) -> str:
        token, literal = self.consume(values=False)
        operators = {_T_IN: IN, _T_EQ: EQUALS, _T_DEQ: DOUBLE_EQUALS, _T_GT: GREATER_THAN, _T_LT: LESS_THAN,
                     _T_NOTIN: NOT_IN, _T_NEQ: NOT_EQUALS}
        if token not in operators:
            raise SelectorError(f"found '{literal}', expected: {', '.join(_BINARY_OPERATORS)}")
        return operators[token]

    def value_set(self) -> set[str]:
        token, literal = self.consume()
        if token != _T_OPEN:
            raise SelectorError(f"found '{literal}' expected: '('")
        token, literal = self.lookahead()
        if token in (_T_ID, _T_COMMA):
            values = self.identifiers()
            if self.consume()[0] != _T_CLOSE:
                raise SelectorError(f"found '{literal}', expected: ')'")
            return values
        if token == _T_CLOSE:
            self.consume()
            return {""}
        raise SelectorError(f"found '{literal}', expected: ',', ')' or identifier")

    def identifiers(self) -> set[str]:
        values: set[str] = set()
        while True:
            token, literal = self.consume()
            if token == _T_ID:
                values.add(literal)
                next_token, next_literal = self.lookahead()
                if next_token == _T_COMMA:
                    continue
                if next_token == _T_CLOSE:
                    return values
                raise SelectorError(f"found '{next_literal}', expected: ',' or ')'")
            if token == _T_COMMA:
                if not values:
                    values.add("")
                next_token = self.lookahead()[0]
                if next_token == _T_CLOSE:
                    values.add("")
                    return values
                if next_token == _T_COMMA:
                    values.add("")  # 1.35+ no longer skips the second comma, so "(,,)" parses
                continue
            raise SelectorError(f"found '{literal}', expected: ',', or identifier")

    def exact_value(self) -> set[str]:
        if self.lookahead()[0] in (_T_EOS, _T_COMMA):
            return {""}
        token, literal = self.consume()
        if token == _T_ID:
            return {literal}
        raise SelectorError(f"found '{literal}', expected: identifier")


def parse_selector(text: str) -> Selector:
    """``labels.Parse``: comma means AND, an empty or blank text selects everything."""
    return Selector(_sorted_by_key(_Parser(text).parse()))


# ---------------------------------------------------------------------------------------------
# Requirements built from objects (labels.NewRequirement, metav1.LabelSelectorAsSelector)

def new_requirement(key: str, operator: str, values: list[str] | tuple[str, ...] | None,
                    path: str = "") -> Requirement:
    """``labels.NewRequirement``: validates key, operator and values; errors aggregated as apimachinery does.

    ``path`` is the field path prefix (empty = none, as the parser and metav1 use it).
    """
    values_list = None if values is None else list(values)
    count = len(values_list or [])
    key_path = _child(path, "key")
    values_path = _child(path, "values")
    errors: list[str] = []
    problems = label_key_errors(key)
    if problems:
        errors.append(f"{key_path}: Invalid value: {go_quote(key)}: {'; '.join(problems)}")
    if operator in (IN, NOT_IN):
        if count == 0:
            errors.append(f"{values_path}: Invalid value: {_go_json(values_list)}: "
                          "for 'in', 'notin' operators, values set can't be empty")
    elif operator in (EQUALS, DOUBLE_EQUALS, NOT_EQUALS):
        if count != 1:
            errors.append(f"{values_path}: Invalid value: {_go_json(values_list)}: "
                          "exact-match compatibility requires one single value")
    elif operator in (EXISTS, DOES_NOT_EXIST):
        if count != 0:
            errors.append(f"{values_path}: Invalid value: {_go_json(values_list)}: "
                          "values set must be empty for exists and does not exist")
    elif operator in (GREATER_THAN, LESS_THAN):
        if count != 1:
            errors.append(f"{values_path}: Invalid value: {_go_json(values_list)}: "
                          "for 'Gt', 'Lt' operators, exactly one value is required")
        for index, value in enumerate(values_list or []):
            if _parse_int64(value) is None:
                errors.append(f"{values_path}[{index}]: Invalid value: {go_quote(value)}: "
                              "for 'Gt', 'Lt' operators, the value must be an integer")
    else:
        supported = ", ".join(go_quote(op) for op in _BINARY_OPERATORS + (EXISTS, DOES_NOT_EXIST))
        errors.append(f"{_child(path, 'operator')}: Unsupported value: {go_quote(operator)}: "
                      f"supported values: {supported}")
    for index, value in enumerate(values_list or []):
        problems = label_value_errors(value)
        if problems:
            errors.append(f"{values_path}[{index}][{key}]: Invalid value: {go_quote(value)}: {'; '.join(problems)}")
    if errors:
        raise SelectorError(_aggregate(errors))
    return Requirement(key, operator, tuple(values_list or ()))


def selector_from_label_selector(label_selector: Mapping[str, Any] | None) -> Selector:
    """``metav1.LabelSelectorAsSelector``: None selects nothing, ``{}`` selects everything."""
    if label_selector is None:
        return NOTHING
    match_labels = label_selector.get("matchLabels") or {}
    expressions = label_selector.get("matchExpressions") or []
    if not match_labels and not expressions:
        return EVERYTHING
    requirements = [new_requirement(str(key), EQUALS, [str(match_labels[key])]) for key in sorted(match_labels)]
    operators = {"In": IN, "NotIn": NOT_IN, "Exists": EXISTS, "DoesNotExist": DOES_NOT_EXIST}
    for expression in expressions:
        operator = expression.get("operator", "")
        if operator not in operators:
            raise SelectorError(f"{go_quote(str(operator))} is not a valid label selector operator")
        values = expression.get("values")
        requirements.append(new_requirement(str(expression.get("key", "")), operators[operator],
                                            None if values is None else [str(value) for value in values]))
    return Selector(_sorted_by_key(requirements))


def selector_from_map(labels: Mapping[str, str] | None) -> Selector:
    """``labels.SelectorFromSet`` (RC and Service selectors): equality terms, no validation."""
    if not labels:
        return EVERYTHING
    return Selector(tuple(Requirement(str(key), EQUALS, (str(labels[key]),)) for key in sorted(labels)))


def format_label_selector(label_selector: Mapping[str, Any] | None) -> str:
    """``metav1.FormatLabelSelector``: the canonical string, ``<none>`` when empty, ``<error>`` if invalid."""
    try:
        text = str(selector_from_label_selector(label_selector))
    except SelectorError:
        return "<error>"
    return text or "<none>"


def format_labels(labels: Mapping[str, str] | None, none: str = "<none>") -> str:
    """``labels.FormatLabels``: sorted ``k=v`` joined by commas; ``none`` when there are no labels.

    kubectl prints ``<none>`` (``--show-labels``, describe's Selector lines); pass ``none=""`` where an
    empty cell is wanted.
    """
    if not labels:
        return none
    return ",".join(f"{key}={labels[key]}" for key in sorted(labels))


# ---------------------------------------------------------------------------------------------
# Label key / value validation (apimachinery validate/content, 1.35+ wording)

_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_NAME_CHARS = _ALNUM | frozenset("-_.")
_DNS_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_DNS_CHARS = _DNS_ALNUM | frozenset("-")

_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_NAME_MSG = ("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
             "alphanumeric character")
_VALUE_FMT = "(" + _NAME_FMT + ")?"
_VALUE_MSG = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
              "and must start and end with an alphanumeric character")
_SUBDOMAIN_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
_SUBDOMAIN_MSG = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                  "and must start and end with an alphanumeric character")


def _regex_error(message: str, fmt: str, *examples: str) -> str:
    """apimachinery's RegexError, including its double space before each ``or``."""
    if not examples:
        return f"{message} (regex used for validation is '{fmt}')"
    shown = " or ".join(f"'{example}', " for example in examples)
    return f"{message} (e.g. {shown}regex used for validation is '{fmt}')"


def _byte_length(text: str) -> int:
    """Go measures strings in UTF-8 bytes."""
    try:
        return len(text.encode("utf-8", "surrogateescape"))
    except UnicodeEncodeError:
        return len(text.encode("utf-8", "surrogatepass"))


def _is_label_name(text: str) -> bool:
    return (bool(text) and text[0] in _ALNUM and text[-1] in _ALNUM
            and all(ch in _NAME_CHARS for ch in text))


def _is_dns_subdomain(text: str) -> bool:
    for label in text.split("."):
        if not label or label[0] not in _DNS_ALNUM or label[-1] not in _DNS_ALNUM:
            return False
        if any(ch not in _DNS_CHARS for ch in label):
            return False
    return True


def label_key_errors(key: str) -> list[str]:
    """``IsQualifiedName``/``IsLabelKey``: the list of problems, empty when the key is valid."""
    errors: list[str] = []
    parts = key.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errors.append("prefix part must be non-empty")
        else:
            if _byte_length(prefix) > 253:
                errors.append("prefix part must be no more than 253 bytes")
            if not _is_dns_subdomain(prefix):
                errors.append("prefix part " + _regex_error(_SUBDOMAIN_MSG, _SUBDOMAIN_FMT, "example.com"))
    else:
        return ["a valid label key " + _regex_error(_NAME_MSG, _NAME_FMT, "MyName", "my.name", "123-abc")
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
    if not name:
        errors.append("name part must be non-empty")
    elif _byte_length(name) > 63:
        errors.append("name part must be no more than 63 bytes")
    if not _is_label_name(name):
        errors.append("name part " + _regex_error(_NAME_MSG, _NAME_FMT, "MyName", "my.name", "123-abc"))
    return errors


def label_value_errors(value: str) -> list[str]:
    """``IsValidLabelValue``: the list of problems, empty when the value is valid."""
    errors: list[str] = []
    if _byte_length(value) > 63:
        errors.append("must be no more than 63 bytes")
    if value and not _is_label_name(value):
        errors.append(_regex_error(_VALUE_MSG, _VALUE_FMT, "MyValue", "my_value", "12345"))
    return errors


# ---------------------------------------------------------------------------------------------
# Go formatting helpers

def _child(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _aggregate(messages: list[str]) -> str:
    """An ErrorList's aggregate: duplicates dropped, one message bare, several in brackets."""
    unique: list[str] = []
    for message in messages:
        if message not in unique:
            unique.append(message)
    return unique[0] if len(unique) == 1 else "[" + ", ".join(unique) + "]"


def _parse_int64(text: str) -> int | None:
    """``strconv.ParseInt(s, 10, 64)``: optional sign, ASCII digits, int64 range."""
    digits = text[1:] if text[:1] in ("+", "-") else text
    if not digits or any(ch not in "0123456789" for ch in digits):
        return None
    value = int(text)
    return value if -(2**63) <= value < 2**63 else None


_GO_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
               "\\": "\\\\", '"': '\\"'}


def go_quote(text: str) -> str:
    """Go's ``%q`` (strconv.Quote); undecodable bytes (surrogate escapes) print as ``\\xNN``."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in _GO_ESCAPES:
            out.append(_GO_ESCAPES[ch])
        elif 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("".join(f"\\x{byte:02x}" for byte in ch.encode("utf-8", "surrogatepass")))
        elif ch.isprintable():
            out.append(ch)
        elif code < 0x80:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def _go_json(values: list[str] | None) -> str:
    """``json.Marshal`` of a []string, HTML-safe as Go's encoder is."""
    if values is None:
        return "null"
    import json

    text = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
