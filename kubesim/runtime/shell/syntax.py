"""The shell's syntax tree: words made of parts, and the commands built from them.

Words keep their quoting structure until expansion, because whether a ``$x`` was quoted decides
field splitting and globbing; ``text`` keeps the source so error messages can quote it (bash does).
"""

from __future__ import annotations

from dataclasses import dataclass


# -- word parts ------------------------------------------------------------------------------------
@dataclass
class Lit:
    """Unquoted literal text: subject to field splitting (never), globbing and tilde expansion."""

    text: str


@dataclass
class Quoted:
    """Text from single quotes, a backslash escape or a quoted here-document: taken as is."""

    text: str


@dataclass
class DoubleQuoted:
    """A double-quoted region; its parts expand but are neither split nor globbed."""

    parts: list[Part]


@dataclass
class Param:
    """``$name`` / ``${name<op>arg}``; ``bad`` marks a ``${…}`` the shell rejects when expanded."""

    name: str
    op: str = ""  # "", "-", ":-", "=", ":=", "?", ":?", "+", ":+", "#", "##", "%", "%%", "len", "/", "//", ":"
    arg: Word | None = None
    arg2: Word | None = None  # replacement for ${x/p/r}, length for ${x:o:l}
    braced: bool = False
    bad: bool = False
    source: str = ""


@dataclass
class CommandSub:
    """``$(…)`` or a backquoted command: its output, trailing newlines removed."""

    body: Node


@dataclass
class Arith:
    """``$((…))``: the expression text after expanding the parts inside it."""

    parts: list[Part]
    source: str = ""


Part = Lit | Quoted | DoubleQuoted | Param | CommandSub | Arith


@dataclass
class Word:
    parts: list[Part]
    text: str = ""

    def literal(self) -> str | None:
        """The word's text if it has no expansions and no quotes (keywords, names), else None."""
        if all(isinstance(p, Lit) for p in self.parts):
            return "".join(p.text for p in self.parts)  # type: ignore[union-attr]
        return None

    def quoted(self) -> bool:
        return any(not isinstance(p, Lit) for p in self.parts)


# -- commands --------------------------------------------------------------------------------------
@dataclass
class Redirect:
    fd: int | None  # None: the operator's default (0 for <, 1 for >)
    op: str  # < > >> >| <> <& >& << <<- &> &>> <<<
    target: Word
    heredoc: Word | None = None  # the body, filled in when the here-document is read


@dataclass
class Simple:
    assigns: list[tuple[str, Word, bool]]  # (name, value, append)
    words: list[Word]
    redirects: list[Redirect]
    line: int = 1


@dataclass
class Pipeline:
    commands: list[Node]
    negate: bool = False
    line: int = 1


@dataclass
class AndOr:
    first: Node
    rest: list[tuple[str, Node]]  # ("&&" | "||", pipeline)


@dataclass
class Sequence:
    items: list[Node]


@dataclass
class If:
    clauses: list[tuple[Node, Node]]
    otherwise: Node | None = None


@dataclass
class Loop:
    condition: Node
    body: Node
    until: bool = False


@dataclass
class For:
    var: str
    words: list[Word] | None  # None: "$@"
    body: Node
    line: int = 1


@dataclass
class ArithFor:
    init: str
    test: str
    step: str
    body: Node


@dataclass
class CaseItem:
    patterns: list[Word]
    body: Node | None
    fallthrough: bool = False


@dataclass
class Case:
    subject: Word
    items: list[CaseItem]


@dataclass
class Group:
    body: Node


@dataclass
class Subshell:
    body: Node


@dataclass
class FunctionDef:
    name: str
    body: Node


@dataclass
class Redirected:
    """A compound command with redirections after it: ``while …; done < file``."""

    body: Node
    redirects: list[Redirect]


@dataclass
class ArithCommand:
    """bash's ``(( expr ))``: status 0 when the value is non-zero."""

    parts: list[Part]
    line: int = 1


@dataclass
class CondCommand:
    """bash's ``[[ … ]]``: a tree of ("and"|"or", a, b), ("not", a), ("test", [words])."""

    expr: tuple
    line: int = 1


Node = (Simple | Pipeline | AndOr | Sequence | If | Loop | For | ArithFor | Case | Group | Subshell | FunctionDef
        | Redirected | ArithCommand | CondCommand)
