"""What can stop a shell: syntax errors, fatal expansion errors, ``exit``, and the step budget.

A syntax error is described, not worded: each shell flavour words it its own way (dash's
``Syntax error: "done" unexpected``, bash's ``syntax error near unexpected token `done'``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Token:
    """What the parser met: kind is word, keyword, op, redirect, newline or eof."""

    kind: str
    text: str
    line: int
    word: Any = None  # the Word, for word tokens
    fd: int | None = None  # the explicit descriptor of a redirection (``2>``)


class ShellSyntaxError(Exception):
    """A parse failure.

    ``reason`` is one of: ``unexpected`` (``token`` met, ``expecting`` optional), ``unterminated``
    (a quote ``quote`` never closed), ``missing-brace`` (``${`` without ``}``), ``missing-arith``
    (``$((`` without ``))``), ``backquote`` (EOF inside backquotes), ``bad-for-variable``,
    ``bad-function-name``, ``cond-eof`` (``[[`` without ``]]``).
    """

    def __init__(self, reason: str, line: int, token: Token | None = None, expecting: str | None = None,
                 quote: str = "", at_eof: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.token = token
        self.expecting = expecting
        self.quote = quote
        self.at_eof = at_eof  # the input ran out: an interactive shell asks for another line instead

    @property
    def needs_more_input(self) -> bool:
        if self.reason in ("unterminated", "missing-brace", "missing-arith", "backquote", "cond-eof"):
            return True
        return self.reason == "unexpected" and self.token is not None and self.token.kind == "eof"


class ExpansionError(Exception):
    """An error while expanding words (bad substitution, ``${x?}``, arithmetic): already worded."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class ExitShell(Exception):
    """``exit N`` (or a fatal error): unwinds to the shell's top level."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class BudgetExceeded(Exception):
    """The script ran more steps than kubesim allows one exec: a runaway loop."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


class LoopControl(Exception):
    """``break N`` / ``continue N``."""

    def __init__(self, kind: str, levels: int) -> None:
        super().__init__(kind)
        self.kind = kind
        self.levels = levels


class FunctionReturn(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status
