"""Shell arithmetic (``$((…))``, ``((…))``, ``let``): signed 64-bit integers, C precedence.

Variables are looked up by name through callbacks, so ``x+1`` works without ``$``; a variable
whose value is itself an expression is evaluated recursively, as bash and dash do.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_TOKEN = re.compile(r"\s*(?:(0[xX][0-9A-Fa-f]+|\d+#[0-9A-Za-z@_]+|\d+)|([A-Za-z_][A-Za-z0-9_]*)|"
                    r"(\*\*=|<<=|>>=|\*\*|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&^|]=|[-+*/%<>=!~&^|?:(),]))")
_MASK = (1 << 64) - 1


class ArithError(Exception):
    """``kind``: syntax, division, recursion; ``token`` is where parsing stopped."""

    def __init__(self, kind: str, expr: str, token: str = "") -> None:
        super().__init__(kind)
        self.kind = kind
        self.expr = expr
        self.token = token


def _wrap(value: int) -> int:
    value &= _MASK
    return value - (1 << 64) if value >= 1 << 63 else value


class Evaluator:
    def __init__(self, get: Callable[[str], str | None], set_: Callable[[str, str], None], depth: int = 0) -> None:
        self.get = get
        self.set = set_
        self.depth = depth

    def evaluate(self, expr: str) -> int:
        if self.depth > 20:
            raise ArithError("recursion", expr)
        self.expr = expr
        self.tokens = self._tokenize(expr)
        self.index = 0
        if not self.tokens:
            return 0
        value = self._comma()
        if self.index < len(self.tokens):
            raise ArithError("syntax", expr, self._rest())
        return self._value(value)

    # -- tokens ----------------------------------------------------------------------------------------
    def _tokenize(self, expr: str) -> list[tuple[str, str]]:
        tokens = []
        pos = 0
        stripped = expr.rstrip()
        while pos < len(stripped):
            match = _TOKEN.match(stripped, pos)
            if match is None or match.end() == pos:
                raise ArithError("syntax", expr, stripped[pos:].lstrip())
            number, name, op = match.groups()
            if number is not None:
                tokens.append(("num", number))
            elif name is not None:
                tokens.append(("name", name))
            else:
                tokens.append(("op", op))
            pos = match.end()
        return tokens

    def _rest(self) -> str:
        return " ".join(text for _, text in self.tokens[self.index:])

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def _accept(self, op: str) -> bool:
        token = self._peek()
        if token == ("op", op):
            self.index += 1
            return True
        return False

    # -- values: an lvalue is ("var", name); anything else is an int -------------------------------
    def _value(self, item) -> int:
        if isinstance(item, tuple):
            return self._variable(item[1])
        return item

    def _variable(self, name: str) -> int:
        text = self.get(name)
        if text is None or text.strip() == "":
            return 0
        text = text.strip()
        if re.fullmatch(r"-?\d+", text):
            return _wrap(int(text))
        return Evaluator(self.get, self.set, self.depth + 1).evaluate(text)

    def _assign(self, target, value: int) -> int:
        if not isinstance(target, tuple):
            raise ArithError("syntax", self.expr, "=")
        value = _wrap(value)
        self.set(target[1], str(value))
        return value

    # -- grammar ----------------------------------------------------------------------------------------
    def _comma(self):
        value = self._assignment()
        while self._accept(","):
            value = self._assignment()
        return value

    _COMPOUND = {"+=": "+", "-=": "-", "*=": "*", "/=": "/", "%=": "%", "<<=": "<<", ">>=": ">>", "&=": "&",
                 "^=": "^", "|=": "|", "**=": "**"}

    def _assignment(self):
        left = self._ternary()
        token = self._peek()
        if token is not None and token[0] == "op" and (token[1] == "=" or token[1] in self._COMPOUND):
            self.index += 1
            right = self._value(self._assignment())
            if token[1] == "=":
                return self._assign(left, right)
            return self._assign(left, self._binary(self._COMPOUND[token[1]], self._value(left), right))
        return left

    def _ternary(self):
        condition = self._binary_level(0)
        if self._accept("?"):
            yes = self._value(self._assignment())
            if not self._accept(":"):
                raise ArithError("syntax", self.expr, self._rest())
            no = self._value(self._ternary())
            return yes if self._value(condition) else no
        return condition

    _LEVELS = [["||"], ["&&"], ["|"], ["^"], ["&"], ["==", "!="], ["<", "<=", ">", ">="], ["<<", ">>"], ["+", "-"],
               ["*", "/", "%"], ["**"]]

    def _binary_level(self, level: int):
        if level == len(self._LEVELS):
            return self._unary()
        ops = self._LEVELS[level]
        left = self._binary_level(level + 1)
        while True:
            token = self._peek()
            if token is None or token[0] != "op" or token[1] not in ops:
                return left
            self.index += 1
            if token[1] == "**":
                right = self._value(self._binary_level(level))  # right associative
            else:
                right = self._value(self._binary_level(level + 1))
            left = self._binary(token[1], self._value(left), right)

    def _binary(self, op: str, a: int, b: int) -> int:
        if op in ("/", "%") and b == 0:
            raise ArithError("division", self.expr, "0")
        result = {
            "||": lambda: int(bool(a) or bool(b)), "&&": lambda: int(bool(a) and bool(b)),
            "|": lambda: a | b, "^": lambda: a ^ b, "&": lambda: a & b, "==": lambda: int(a == b),
            "!=": lambda: int(a != b), "<": lambda: int(a < b), "<=": lambda: int(a <= b), ">": lambda: int(a > b),
            ">=": lambda: int(a >= b), "<<": lambda: a << (b & 63), ">>": lambda: a >> (b & 63),
            "+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b,
            "/": lambda: abs(a) // abs(b) * (1 if (a >= 0) == (b >= 0) else -1),
            "%": lambda: abs(a) % abs(b) * (1 if a >= 0 else -1),
            "**": lambda: self._power(a, b),
        }[op]()
        return _wrap(result)

    def _power(self, a: int, b: int) -> int:
        if b < 0:
            raise ArithError("exponent", self.expr, str(b))
        return pow(a, b, 1 << 64)

    def _unary(self):
        token = self._peek()
        if token is None:
            raise ArithError("syntax", self.expr, "")
        kind, text = token
        if kind == "op" and text in ("++", "--"):
            self.index += 1
            target = self._unary()
            return self._assign(target, self._value(target) + (1 if text == "++" else -1))
        if kind == "op" and text in ("-", "+", "!", "~"):
            self.index += 1
            value = self._value(self._unary())
            return {"-": -value, "+": value, "!": int(not value), "~": ~value}[text]
        return self._postfix()

    def _postfix(self):
        item = self._primary()
        token = self._peek()
        if isinstance(item, tuple) and token is not None and token[0] == "op" and token[1] in ("++", "--"):
            self.index += 1
            old = self._value(item)
            self._assign(item, old + (1 if token[1] == "++" else -1))
            return old
        return item

    def _primary(self):
        token = self._peek()
        if token is None:
            raise ArithError("syntax", self.expr, "")
        kind, text = token
        self.index += 1
        if kind == "num":
            return _wrap(_number(text, self.expr))
        if kind == "name":
            return ("var", text)
        if text == "(":
            value = self._value(self._comma())
            if not self._accept(")"):
                raise ArithError("syntax", self.expr, self._rest())
            return value
        self.index -= 1
        raise ArithError("syntax", self.expr, self._rest())


def _number(text: str, expr: str) -> int:
    try:
        if text[:2] in ("0x", "0X"):
            return int(text, 16)
        if "#" in text:
            base_text, digits = text.split("#", 1)
            base = int(base_text)
            if not 2 <= base <= 64:
                raise ArithError("base", expr, text)
            alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ@_"
            value = 0
            for c in digits:
                digit = alphabet.index(c) if base > 36 else alphabet.index(c.lower()) if c.isalpha() else int(c)
                if digit >= base:
                    raise ArithError("base", expr, text)
                value = value * base + digit
            return value
        if len(text) > 1 and text.startswith("0"):
            return int(text, 8)
        return int(text)
    except ValueError:
        raise ArithError("base", expr, text) from None
