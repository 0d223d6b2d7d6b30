"""A POSIX sh parser (plus the bits of bash people type) that produces ``syntax`` trees.

It reads characters, not pre-split tokens, because the shell's grammar is context dependent:
``$(…)`` nests a whole script inside a word, reserved words are reserved only where a command
may start, and here-documents are read after the line that announces them. The structure
follows the historical ash parser (dash, busybox) so that a malformed script fails at the same
token with the same expectation: that is what the shells' error messages report.
"""

from __future__ import annotations

import re

from kubesim.runtime.shell import syntax as s
from kubesim.runtime.shell.errors import ShellSyntaxError, Token

KEYWORDS = frozenset({"if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until",
                      "for", "in", "{", "}", "!"})
BASH_KEYWORDS = KEYWORDS | {"function", "[["}
END_KEYWORDS = frozenset({"then", "else", "elif", "fi", "do", "done", "esac", "}"})
END_OPERATORS = frozenset({")", ";;", ";&"})
SPECIAL_PARAMS = "@*#?-$!0"
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
ASSIGNMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(\+?)=")
MAX_DEPTH = 100
_STOP = frozenset(" \t\n|&;<>()")
_DIGITS = frozenset("0123456789")
_NAME_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")


class Parser:
    """One script's text; ``next_command`` yields its top-level commands one at a time.

    ``flavour`` is ``dash``, ``bash`` or ``busybox-ash``: it switches on the extensions that
    shell really has (``[[``, ``((``, ``$'…'``, ``${x/a/b}`` …) and nothing else.
    """

    def __init__(self, text: str, flavour: str = "dash", pos: int = 0, line: int = 1, depth: int = 0,
                 heredoc: bool = False) -> None:
        self.text = text
        self.flavour = flavour
        self.bash = flavour == "bash"
        self.extended = flavour in ("bash", "busybox-ash")
        self.pos = pos
        self.line = line
        self.depth = depth
        self.heredoc_mode = heredoc
        self._pushed: Token | None = None
        self._pending: list[tuple[s.Redirect, str, bool, bool, int]] = []
        self.warnings: list[tuple[int, str]] = []

    # -- public entry points -----------------------------------------------------------------------
    def next_command(self) -> s.Node | None:
        """The next complete command line (up to a newline), or None at the end of the input."""
        while True:
            tok = self._next(kw=True)
            if tok.kind == "newline":
                continue
            if tok.kind == "eof":
                return None
            self._push(tok)
            break
        items: list[s.Node] = []
        while True:
            items.append(self._and_or())
            tok = self._next(kw=False)
            if tok.kind == "op" and tok.text in (";", "&"):
                follow = self._next(kw=True)
                if follow.kind == "newline":
                    break
                self._push(follow)
                if follow.kind == "eof":
                    break
                continue
            if tok.kind == "newline":
                break
            if tok.kind == "eof":
                self._push(tok)
                break
            raise self._unexpected(tok)
        return items[0] if len(items) == 1 else s.Sequence(items)

    def parse_all(self) -> s.Sequence:
        """Every command of the text (a sourced file, an ``eval``): stops at the first syntax error."""
        items = []
        while (node := self.next_command()) is not None:
            items.append(node)
        return s.Sequence(items)

    # -- tokens ------------------------------------------------------------------------------------
    def _push(self, tok: Token) -> None:
        self._pushed = tok

    def _next(self, kw: bool, skip_nl: bool = False) -> Token:
        while True:
            if self._pushed is not None:
                tok, self._pushed = self._pushed, None
            else:
                tok = self._lex(kw)
            if skip_nl and tok.kind == "newline":
                continue
            break
        if kw and tok.kind == "word":
            literal = tok.word.literal()
            if literal is not None and literal in (BASH_KEYWORDS if self.bash else KEYWORDS):
                return Token("keyword", literal, tok.line, tok.word)
        return tok

    def _lex(self, kw: bool) -> Token:
        text, n = self.text, len(self.text)
        while self.pos < n:
            c = text[self.pos]
            if c in " \t":
                self.pos += 1
            elif c == "\\" and text.startswith("\\\n", self.pos):
                self.pos += 2
                self.line += 1
            elif c == "#":
                end = text.find("\n", self.pos)
                self.pos = n if end < 0 else end
            else:
                break
        if self.pos >= n:
            if self._pending:
                self._read_heredocs()
            return Token("eof", "end of file", self.line)
        c = text[self.pos]
        line = self.line
        if c == "\n":
            self.pos += 1
            self.line += 1
            if self._pending:
                self._read_heredocs()
            return Token("newline", "newline", line)
        two = text[self.pos:self.pos + 2]
        three = text[self.pos:self.pos + 3]
        if c == "&":
            if two == "&&":
                return self._op("&&", line)
            if self.extended and three == "&>>":
                return self._redirect("&>>", None, line)
            if self.extended and two == "&>":
                return self._redirect("&>", None, line)
            return self._op("&", line)
        if c == "|":
            if two == "||":
                return self._op("||", line)
            if self.bash and two == "|&":
                return self._op("|&", line)
            return self._op("|", line)
        if c == ";":
            if three == ";;&" and self.bash:
                return self._op(";;", line, 3)
            if two == ";;":
                return self._op(";;", line)
            if two == ";&":
                return self._op(";&", line)
            return self._op(";", line)
        if c == "(":
            if self.bash and kw and two == "((":
                return self._arith_command(line)
            return self._op("(", line)
        if c == ")":
            return self._op(")", line)
        if c in "<>":
            return self._redirect(self._redirect_operator(), None, line)
        if c in _DIGITS:
            end = self.pos
            while end < n and text[end] in _DIGITS:
                end += 1
            if end < n and text[end] in "<>" and (self.bash or end - self.pos == 1):
                fd = int(text[self.pos:end]) if end - self.pos < 6 else 99999
                self.pos = end
                return self._redirect(self._redirect_operator(), fd, line)
        word = self._word()
        return Token("word", word.text, line, word)

    def _op(self, text: str, line: int, width: int | None = None) -> Token:
        self.pos += width or len(text)
        return Token("op", text, line)

    def _redirect_operator(self) -> str:
        text = self.text
        for candidate in ("<<<", "<<-", "<<", "<&", "<>", ">>", ">&", ">|", "<", ">"):
            if text.startswith(candidate, self.pos):
                if candidate == "<<<" and not self.extended:
                    continue
                return candidate
        raise AssertionError("called at < or >")

    def _redirect(self, op: str, fd: int | None, line: int) -> Token:
        self.pos += len(op)
        return Token("redirect", op, line, fd=fd)

    # -- the grammar -------------------------------------------------------------------------------
    def _and_or(self, skip_nl: bool = False) -> s.Node:
        first = self._pipeline(skip_nl)
        rest: list[tuple[str, s.Node]] = []
        while True:
            tok = self._next(kw=False)
            if tok.kind == "op" and tok.text in ("&&", "||"):
                rest.append((tok.text, self._pipeline(skip_nl=True)))
                continue
            self._push(tok)
            break
        return s.AndOr(first, rest) if rest else first

    def _pipeline(self, skip_nl: bool = False) -> s.Node:
        tok = self._next(kw=True, skip_nl=skip_nl)
        negate = tok.kind == "keyword" and tok.text == "!"
        line = tok.line
        if not negate:
            self._push(tok)
        commands = [self._command()]
        while True:
            tok = self._next(kw=False)
            if tok.kind == "op" and tok.text in ("|", "|&"):
                if tok.text == "|&":
                    commands[-1] = s.Redirected(commands[-1], [s.Redirect(2, ">&", _plain("1"))])
                commands.append(self._command(skip_nl=True))
                continue
            self._push(tok)
            break
        if len(commands) == 1 and not negate:
            return commands[0]
        return s.Pipeline(commands, negate, line)

    def _command(self, skip_nl: bool = False) -> s.Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ShellSyntaxError("too-deep", self.line)
        try:
            return self._command_body(skip_nl)
        finally:
            self.depth -= 1

    def _command_body(self, skip_nl: bool) -> s.Node:
        tok = self._next(kw=True, skip_nl=skip_nl)
        node: s.Node
        if tok.kind == "keyword":
            word = tok.text
            if word == "if":
                node = self._if()
            elif word in ("while", "until"):
                condition = self._compound_list()
                self._expect("do")
                body = self._compound_list()
                self._expect("done")
                node = s.Loop(condition, body, until=word == "until")
            elif word == "for":
                node = self._for(tok.line)
            elif word == "case":
                node = self._case()
            elif word == "{":
                body = self._compound_list()
                self._expect("}")
                node = s.Group(body)
            elif word == "function" and self.bash:
                return self._bash_function()
            elif word == "[[" and self.bash:
                node = self._cond(tok.line)
            else:
                raise self._unexpected(tok)
        elif tok.kind == "op" and tok.text == "(":
            body = self._compound_list()
            self._expect(")")
            node = s.Subshell(body)
        elif tok.kind == "arith":
            node = s.ArithCommand(tok.word, tok.line)
        elif tok.kind in ("word", "redirect"):
            self._push(tok)
            return self._simple()
        else:
            raise self._unexpected(tok)
        redirects = []
        while True:
            tok = self._next(kw=True)
            if tok.kind != "redirect":
                self._push(tok)
                break
            redirects.append(self._redirect_target(tok))
        return s.Redirected(node, redirects) if redirects else node

    def _expect(self, keyword: str) -> Token:
        tok = self._next(kw=True)
        if (tok.kind == "keyword" and tok.text == keyword) or (tok.kind == "op" and tok.text == keyword):
            return tok
        raise self._unexpected(tok, expecting=keyword)

    def _compound_list(self, allow_empty: bool = False) -> s.Node:
        items: list[s.Node] = []
        started = allow_empty
        while True:
            tok = self._next(kw=True, skip_nl=True)
            if tok.kind == "eof":
                self._push(tok)
                break
            if started and _ends_list(tok):
                self._push(tok)
                break
            self._push(tok)
            started = True
            items.append(self._and_or())
            tok = self._next(kw=False)
            if tok.kind == "op" and tok.text in (";", "&"):
                continue
            if tok.kind in ("newline", "eof"):
                if tok.kind == "eof":
                    self._push(tok)
                continue
            self._push(tok)
            break
        return items[0] if len(items) == 1 else s.Sequence(items)

    def _if(self) -> s.If:
        clauses = []
        condition = self._compound_list()
        self._expect("then")
        clauses.append((condition, self._compound_list()))
        otherwise = None
        while True:
            tok = self._next(kw=True)
            if tok.kind == "keyword" and tok.text == "elif":
                condition = self._compound_list()
                self._expect("then")
                clauses.append((condition, self._compound_list()))
                continue
            if tok.kind == "keyword" and tok.text == "else":
                otherwise = self._compound_list()
            else:
                self._push(tok)
            break
        self._expect("fi")
        return s.If(clauses, otherwise)

    def _for(self, line: int) -> s.Node:
        if self.bash and self.text.startswith("((", self._skip_blanks()):
            return self._arith_for()
        tok = self._next(kw=False)
        name = tok.word.literal() if tok.kind == "word" else None
        if self.bash:
            if tok.kind != "word":
                raise self._unexpected(tok)
            name = tok.text
        elif name is None or not NAME.fullmatch(name):
            raise ShellSyntaxError("bad-for-variable", tok.line, tok)
        tok = self._next(kw=True, skip_nl=True)
        words: list[s.Word] | None = None
        if tok.kind == "keyword" and tok.text == "in":
            words = []
            while True:
                tok = self._next(kw=False)
                if tok.kind != "word":
                    break
                words.append(tok.word)
            if not (tok.kind == "newline" or (tok.kind == "op" and tok.text == ";")):
                raise self._unexpected(tok)
        elif not (tok.kind == "op" and tok.text == ";"):
            self._push(tok)
        tok = self._next(kw=True, skip_nl=True)
        if not (tok.kind == "keyword" and tok.text == "do"):
            if self.bash and tok.kind == "keyword" and tok.text == "{":
                body = self._compound_list()
                self._expect("}")
                return s.For(name or "", words, body, line)
            raise self._unexpected(tok, expecting="do")
        body = self._compound_list()
        self._expect("done")
        return s.For(name or "", words, body, line)

    def _arith_for(self) -> s.Node:
        self.pos = self._skip_blanks() + 2
        start = self.pos
        depth = 0
        while True:
            if self.pos >= len(self.text):
                raise ShellSyntaxError("unterminated", self.line, quote=")", at_eof=True)
            c = self.text[self.pos]
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0 and self.text.startswith("))", self.pos):
                    break
                depth -= 1
            elif c == "\n":
                self.line += 1
            self.pos += 1
        inner = self.text[start:self.pos]
        self.pos += 2
        pieces = inner.split(";")
        if len(pieces) != 3:
            raise self._unexpected(Token("op", "((", self.line))
        tok = self._next(kw=True, skip_nl=True)
        if tok.kind == "op" and tok.text == ";":
            tok = self._next(kw=True, skip_nl=True)
        if tok.kind == "keyword" and tok.text == "{":
            body = self._compound_list()
            self._expect("}")
        elif tok.kind == "keyword" and tok.text == "do":
            body = self._compound_list()
            self._expect("done")
        else:
            raise self._unexpected(tok)
        return s.ArithFor(pieces[0], pieces[1], pieces[2], body)

    def _case(self) -> s.Case:
        tok = self._next(kw=False)
        if tok.kind != "word":
            raise self._unexpected(tok, expecting="word")
        subject = tok.word
        tok = self._next(kw=True, skip_nl=True)
        if not (tok.kind == "keyword" and tok.text == "in"):
            raise self._unexpected(tok, expecting="in")
        items: list[s.CaseItem] = []
        while True:
            tok = self._next(kw=True, skip_nl=True)
            if tok.kind == "keyword" and tok.text == "esac":
                break
            if tok.kind == "op" and tok.text == "(":
                tok = self._next(kw=False)
            patterns = []
            while True:
                if tok.kind not in ("word", "keyword"):
                    raise self._unexpected(tok, expecting="word")
                patterns.append(tok.word)
                tok = self._next(kw=False)
                if tok.kind == "op" and tok.text == "|":
                    tok = self._next(kw=False)
                    continue
                if tok.kind == "op" and tok.text == ")":
                    break
                raise self._unexpected(tok, expecting=")")
            body = self._compound_list(allow_empty=True)
            item = s.CaseItem(patterns, body if _non_empty(body) else None)
            items.append(item)
            tok = self._next(kw=True, skip_nl=True)
            if tok.kind == "op" and tok.text in (";;", ";&"):
                item.fallthrough = tok.text == ";&"
                continue
            if tok.kind == "keyword" and tok.text == "esac":
                break
            raise self._unexpected(tok, expecting=";;")
        return s.Case(subject, items)

    def _bash_function(self) -> s.Node:
        tok = self._next(kw=False)
        if tok.kind != "word":
            raise self._unexpected(tok)
        name = tok.text
        tok = self._next(kw=True, skip_nl=True)
        if tok.kind == "op" and tok.text == "(":
            close = self._next(kw=False)
            if not (close.kind == "op" and close.text == ")"):
                raise self._unexpected(close)
        else:
            self._push(tok)
        return s.FunctionDef(name, self._function_body())

    def _function_body(self) -> s.Node:
        tok = self._next(kw=True, skip_nl=True)
        self._push(tok)
        if self.bash and not (tok.kind == "keyword" and tok.text in ("{", "if", "while", "until", "for", "case", "[[")
                              or tok.kind == "op" and tok.text == "(" or tok.kind == "arith"):
            raise self._unexpected(tok)
        return self._command()

    def _simple(self) -> s.Node:
        assigns: list[tuple[str, s.Word, bool]] = []
        words: list[s.Word] = []
        redirects: list[s.Redirect] = []
        line = self.line
        first = True
        while True:
            tok = self._next(kw=False)
            if first:
                line = tok.line
                first = False
            if tok.kind == "word":
                assignment = None if words else _assignment(tok.word, self.bash)
                if assignment is not None:
                    assigns.append(assignment)
                else:
                    words.append(tok.word)
            elif tok.kind == "redirect":
                redirects.append(self._redirect_target(tok))
            elif tok.kind == "op" and tok.text == "(" and len(words) == 1 and not assigns and not redirects:
                close = self._next(kw=False)
                if not (close.kind == "op" and close.text == ")"):
                    raise self._unexpected(close, expecting=")")
                name = words[0].literal()
                if not self.bash and (name is None or not NAME.fullmatch(name) or name in _SPECIAL_BUILTINS):
                    raise ShellSyntaxError("bad-function-name", tok.line, tok)
                return s.FunctionDef(name if name is not None else words[0].text, self._function_body())
            else:
                self._push(tok)
                break
        return s.Simple(assigns, words, redirects, line)

    def _redirect_target(self, tok: Token) -> s.Redirect:
        target = self._next(kw=False)
        if target.kind != "word":
            if self.bash and target.kind == "eof":
                target = Token("newline", "newline", target.line)
            raise self._unexpected(target)
        redirect = s.Redirect(tok.fd, tok.text, target.word)
        if tok.text in ("<<", "<<-"):
            delimiter = _unquoted_text(target.word)
            self._pending.append((redirect, delimiter, target.word.quoted(), tok.text == "<<-", tok.line))
        return redirect

    def _cond(self, line: int) -> s.CondCommand:
        """bash's ``[[ … ]]``: words are not split; && || ! ( ) combine tests."""
        tokens: list[tuple[str, object]] = []
        while True:
            tok = self._lex(kw=False)
            if tok.kind == "newline":
                continue
            if tok.kind == "eof":
                raise ShellSyntaxError("cond-eof", tok.line, tok, at_eof=True)
            if tok.kind == "word" and tok.word.literal() == "]]":
                break
            if tok.kind == "op" and tok.text in ("&&", "||", "(", ")"):
                tokens.append(("op", tok.text))
            elif tok.kind == "redirect" and tok.text in ("<", ">") and tok.fd is None:
                tokens.append(("word", _plain(tok.text)))
            elif tok.kind == "word":
                tokens.append(("word", tok.word))
            else:
                raise self._unexpected(tok)
        reader = _CondReader(tokens, self, line)
        expr = reader.parse()
        return s.CondCommand(expr, line)

    # -- words ---------------------------------------------------------------------------------------
    def _skip_blanks(self) -> int:
        pos = self.pos
        while pos < len(self.text) and self.text[pos] in " \t":
            pos += 1
        return pos

    def _word(self, stop: frozenset[str] = _STOP) -> s.Word:
        text, n = self.text, len(self.text)
        start = self.pos
        parts: list[s.Part] = []
        literal: list[str] = []

        def flush() -> None:
            if literal:
                parts.append(s.Lit("".join(literal)))
                literal.clear()

        while self.pos < n:
            c = text[self.pos]
            if c in stop:
                break
            if c == "\\":
                if self.pos + 1 >= n:
                    literal.append("\\")
                    self.pos += 1
                elif text[self.pos + 1] == "\n":
                    self.pos += 2
                    self.line += 1
                else:
                    flush()
                    parts.append(s.Quoted(text[self.pos + 1]))
                    self.pos += 2
            elif c == "'":
                flush()
                parts.append(s.Quoted(self._single_quoted()))
            elif c == '"':
                flush()
                parts.append(s.DoubleQuoted(self._double_quoted()))
            elif c == "$":
                part = self._dollar(in_quotes=False)
                if part is None:
                    literal.append("$")
                else:
                    flush()
                    parts.append(part)
            elif c == "`":
                flush()
                parts.append(self._backquoted(in_quotes=False))
            else:
                if c == "\n":
                    self.line += 1
                literal.append(c)
                self.pos += 1
        flush()
        return s.Word(parts, text[start:self.pos])

    def _single_quoted(self) -> str:
        start = self.pos + 1
        end = self.text.find("'", start)
        if end < 0:
            raise ShellSyntaxError("unterminated", self.line, quote="'", at_eof=True)
        body = self.text[start:end]
        self.line += body.count("\n")
        self.pos = end + 1
        return body

    def _double_quoted(self) -> list[s.Part]:
        line = self.line
        self.pos += 1
        parts = self._quoted_parts('"')
        if self.pos >= len(self.text) or self.text[self.pos] != '"':
            raise ShellSyntaxError("unterminated", line, quote='"', at_eof=True)
        self.pos += 1
        return parts

    def _quoted_parts(self, terminators: str = "", escapable: str = '$`"\\') -> list[s.Part]:
        """Inside double quotes (or a here-document body): only $, ` and \\ are special."""
        text, n = self.text, len(self.text)
        parts: list[s.Part] = []
        chunk: list[str] = []

        def flush() -> None:
            if chunk:
                parts.append(s.Quoted("".join(chunk)))
                chunk.clear()

        while self.pos < n:
            c = text[self.pos]
            if c in terminators:
                break
            if c == "\\" and self.pos + 1 < n:
                following = text[self.pos + 1]
                if following == "\n":
                    self.pos += 2
                    self.line += 1
                    continue
                if following in escapable:
                    chunk.append(following)
                    self.pos += 2
                    continue
                chunk.append("\\")
                self.pos += 1
            elif c == "$":
                part = self._dollar(in_quotes=True)
                if part is None:
                    chunk.append("$")
                else:
                    flush()
                    parts.append(part)
            elif c == "`":
                flush()
                parts.append(self._backquoted(in_quotes=True))
            else:
                if c == "\n":
                    self.line += 1
                chunk.append(c)
                self.pos += 1
        flush()
        return parts

    def _dollar(self, in_quotes: bool) -> s.Part | None:
        text, n = self.text, len(self.text)
        following = text[self.pos + 1] if self.pos + 1 < n else ""
        if following == "{":
            return self._braced_parameter(in_quotes)
        if following == "(":
            if text.startswith("((", self.pos + 1):
                return self._arithmetic()
            return self._command_substitution()
        if following == "'" and self.extended and not in_quotes:
            self.pos += 1
            return s.Quoted(self._ansi_c_quoted())
        if following and (following in _NAME_START):
            match = NAME.match(text, self.pos + 1)
            assert match is not None
            self.pos = match.end()
            return s.Param(match.group(0), source="$" + match.group(0))
        if following and (following in _DIGITS or following in SPECIAL_PARAMS):
            self.pos += 2
            return s.Param(following, source="$" + following)
        self.pos += 1
        return None

    def _braced_parameter(self, in_quotes: bool) -> s.Param:
        text, n = self.text, len(self.text)
        start = self.pos
        line = self.line
        self.pos += 2
        if self.pos >= n:
            raise ShellSyntaxError("missing-brace", line, at_eof=True)
        length = False
        if text[self.pos] == "#" and self.pos + 1 < n and text[self.pos + 1] != "}":
            following = text[self.pos + 1]
            if following in _NAME_START or following in _DIGITS or following in SPECIAL_PARAMS:
                probe = self._param_name(self.pos + 1)
                if probe is not None and probe[1] < n and text[probe[1]] == "}":
                    length = True
                    self.pos += 1
        named = self._param_name(self.pos)
        if named is None:
            return self._bad_parameter(start, line)
        name, self.pos = named
        if length:
            self.pos += 1
            return s.Param(name, "len", braced=True, source=text[start:self.pos])
        if self.pos >= n:
            raise ShellSyntaxError("missing-brace", line, at_eof=True)
        c = text[self.pos]
        if c == "}":
            self.pos += 1
            return s.Param(name, braced=True, source=text[start:self.pos])
        op = ""
        for candidate in (":-", ":=", ":?", ":+", "##", "%%", "//", "^^", ",,", "-", "=", "?", "+", "#", "%", "/",
                          ":", "^", ","):
            if text.startswith(candidate, self.pos):
                op = candidate
                break
        if op in ("//", "/", ":", "^^", ",,", "^", ",") and not self.extended:
            op = ""
        if op in ("^^", ",,", "^", ",") and not self.bash:
            op = ""
        if not op:
            return self._bad_parameter(start, line)
        self.pos += len(op)
        arg = arg2 = None
        if op in ("/", "//"):
            arg = self._brace_word(line, "/}", in_quotes)
            if self.text[self.pos] == "/":
                self.pos += 1
                arg2 = self._brace_word(line, "}", in_quotes)
        elif op == ":":
            arg = self._brace_word(line, ":}", in_quotes)
            if self.text[self.pos] == ":":
                self.pos += 1
                arg2 = self._brace_word(line, "}", in_quotes)
        else:
            arg = self._brace_word(line, "}", in_quotes)
        self.pos += 1
        return s.Param(name, op, arg, arg2, braced=True, source=text[start:self.pos])

    def _param_name(self, pos: int) -> tuple[str, int] | None:
        text = self.text
        if pos >= len(text):
            return None
        c = text[pos]
        if c in _NAME_START:
            match = NAME.match(text, pos)
            assert match is not None
            return match.group(0), match.end()
        if c in _DIGITS:
            end = pos
            while end < len(text) and text[end] in _DIGITS:
                end += 1
            return text[pos:end], end
        if c in SPECIAL_PARAMS:
            return c, pos + 1
        return None

    def _bad_parameter(self, start: int, line: int) -> s.Param:
        """``${…}`` that no shell accepts: an error when (and only if) it is expanded."""
        depth = 0
        pos = self.pos
        text = self.text
        while pos < len(text):
            c = text[pos]
            if c == "{":
                depth += 1
            elif c == "}":
                if depth == 0:
                    break
                depth -= 1
            elif c == "\n":
                self.line += 1
            pos += 1
        if pos >= len(text):
            raise ShellSyntaxError("missing-brace", line, at_eof=True)
        self.pos = pos + 1
        return s.Param("", bad=True, braced=True, source=text[start:self.pos])

    def _brace_word(self, line: int, stops: str, in_quotes: bool) -> s.Word:
        start = self.pos
        if in_quotes:
            parts = self._quoted_parts_until(stops)
            word = s.Word([s.DoubleQuoted(parts)], self.text[start:self.pos])
        else:
            word = self._word(stop=frozenset(stops))
        if self.pos >= len(self.text):
            raise ShellSyntaxError("missing-brace", line, at_eof=True)
        return word

    def _quoted_parts_until(self, stops: str) -> list[s.Part]:
        parts: list[s.Part] = []
        while self.pos < len(self.text) and self.text[self.pos] not in stops:
            if self.text[self.pos] == '"':
                parts.extend(self._double_quoted())
                continue
            parts.extend(self._quoted_parts(stops + '"', escapable='$`"\\}'))
        return parts

    def _ansi_c_quoted(self) -> str:
        text, n = self.text, len(self.text)
        self.pos += 1
        out: list[str] = []
        simple = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v", "e": "\x1b",
                  "E": "\x1b", "\\": "\\", "'": "'", '"': '"', "?": "?"}
        while self.pos < n:
            c = text[self.pos]
            if c == "'":
                self.pos += 1
                return "".join(out)
            if c == "\\" and self.pos + 1 < n:
                e = text[self.pos + 1]
                self.pos += 2
                if e in simple:
                    out.append(simple[e])
                elif e == "x":
                    digits = re.match(r"[0-9A-Fa-f]{1,2}", text[self.pos:])
                    if digits:
                        out.append(chr(int(digits.group(0), 16)))
                        self.pos += digits.end()
                    else:
                        out.append("\\x")
                elif e in "01234567":
                    digits = re.match(r"[0-7]{0,2}", text[self.pos:])
                    assert digits is not None
                    out.append(chr(int(e + digits.group(0), 8) & 0xFF))
                    self.pos += digits.end()
                elif e in "uU":
                    digits = re.match(r"[0-9A-Fa-f]{1,4}" if e == "u" else r"[0-9A-Fa-f]{1,8}", text[self.pos:])
                    if digits:
                        value = int(digits.group(0), 16)
                        out.append(chr(value) if value < 0x110000 else "?")
                        self.pos += digits.end()
                    else:
                        out.append("\\" + e)
                else:
                    out.append("\\" + e)
                continue
            if c == "\n":
                self.line += 1
            out.append(c)
            self.pos += 1
        raise ShellSyntaxError("unterminated", self.line, quote="'", at_eof=True)

    def _command_substitution(self) -> s.CommandSub:
        if self.depth >= MAX_DEPTH:
            raise ShellSyntaxError("too-deep", self.line)
        inner = Parser(self.text, self.flavour, self.pos + 2, self.line, self.depth + 1)
        body = inner._compound_list(allow_empty=True)
        tok = inner._next(kw=True)
        if not (tok.kind == "op" and tok.text == ")"):
            if self.bash and tok.kind == "eof":
                raise ShellSyntaxError("unterminated", tok.line, quote=")", at_eof=True)
            raise inner._unexpected(tok, expecting=")")
        self.pos, self.line = inner.pos, inner.line
        self.warnings.extend(inner.warnings)
        return s.CommandSub(body)

    def _backquoted(self, in_quotes: bool) -> s.CommandSub:
        text, n = self.text, len(self.text)
        line = self.line
        self.pos += 1
        body: list[str] = []
        while True:
            if self.pos >= n:
                raise ShellSyntaxError("backquote", line, at_eof=True)
            c = text[self.pos]
            if c == "`":
                self.pos += 1
                break
            if c == "\\" and self.pos + 1 < n:
                following = text[self.pos + 1]
                if following in "$`\\" or (in_quotes and following == '"'):
                    body.append(following)
                    self.pos += 2
                    continue
                if following == "\n":
                    self.pos += 2
                    self.line += 1
                    continue
            if c == "\n":
                self.line += 1
            body.append(c)
            self.pos += 1
        if self.depth >= MAX_DEPTH:
            raise ShellSyntaxError("too-deep", self.line)
        inner = Parser("".join(body), self.flavour, 0, line, self.depth + 1)
        return s.CommandSub(inner.parse_all())

    def _arithmetic(self) -> s.Arith:
        text = self.text
        start = self.pos
        line = self.line
        self.pos += 3
        parts = self._arith_parts(line)
        return s.Arith(parts, text[start:self.pos])

    def _arith_parts(self, line: int) -> list[s.Part]:
        text, n = self.text, len(self.text)
        parts: list[s.Part] = []
        chunk: list[str] = []
        depth = 0

        def flush() -> None:
            if chunk:
                parts.append(s.Lit("".join(chunk)))
                chunk.clear()

        while True:
            if self.pos >= n:
                if self.bash:
                    raise ShellSyntaxError("unterminated", line, quote=")", at_eof=True)
                raise ShellSyntaxError("missing-arith", line, at_eof=True)
            c = text[self.pos]
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    if text.startswith("))", self.pos):
                        self.pos += 2
                        break
                else:
                    depth -= 1
            elif c == "$":
                part = self._dollar(in_quotes=True)
                if part is None:
                    chunk.append("$")
                else:
                    flush()
                    parts.append(part)
                continue
            elif c == "`":
                flush()
                parts.append(self._backquoted(in_quotes=True))
                continue
            elif c == '"':
                flush()
                parts.extend(self._double_quoted())
                continue
            elif c == "\\" and text.startswith("\\\n", self.pos):
                self.pos += 2
                self.line += 1
                continue
            elif c == "\n":
                self.line += 1
            chunk.append(c)
            self.pos += 1
        flush()
        return parts

    def _arith_command(self, line: int) -> Token:
        self.pos += 2
        parts = self._arith_parts(line)
        return Token("arith", "((", line, parts)

    # -- here-documents ------------------------------------------------------------------------------
    def _read_heredocs(self) -> None:
        pending, self._pending = self._pending, []
        text, n = self.text, len(self.text)
        for redirect, delimiter, quoted, strip, line in pending:
            lines: list[str] = []
            body_line = self.line
            terminated = False
            while self.pos < n:
                end = text.find("\n", self.pos)
                raw = text[self.pos:] if end < 0 else text[self.pos:end]
                self.pos = n if end < 0 else end + 1
                self.line += 1
                candidate = raw.lstrip("\t") if strip else raw
                if candidate == delimiter:
                    terminated = True
                    break
                lines.append(candidate + "\n")
            if not terminated:
                self.warnings.append((self.line, f"here-document at line {line} delimited by end-of-file "
                                                 f"(wanted `{delimiter}')"))
            body = "".join(lines)
            if quoted:
                redirect.heredoc = s.Word([s.Quoted(body)], body)
            else:
                inner = Parser(body, self.flavour, 0, body_line, self.depth + 1, heredoc=True)
                parts = inner._quoted_parts("", escapable="$`\\")
                redirect.heredoc = s.Word([s.DoubleQuoted(parts)], body)

    # -- errors --------------------------------------------------------------------------------------
    def _unexpected(self, tok: Token, expecting: str | None = None) -> ShellSyntaxError:
        return ShellSyntaxError("unexpected", tok.line, tok, expecting, at_eof=tok.kind == "eof")


class _CondReader:
    """Precedence parsing for ``[[ … ]]``: || below && below ! below primaries."""

    UNARY = frozenset("-a -b -c -d -e -f -g -h -k -p -r -s -t -u -w -x -G -L -N -O -S -z -n -o -v".split())
    BINARY = frozenset("== = != < > =~ -eq -ne -lt -le -gt -ge -nt -ot -ef".split())

    def __init__(self, tokens: list[tuple[str, object]], parser: Parser, line: int) -> None:
        self.tokens = tokens
        self.index = 0
        self.parser = parser
        self.line = line

    def parse(self) -> tuple:
        if not self.tokens:
            raise self._error("]]")
        expr = self._or()
        if self.index < len(self.tokens):
            raise self._error(self._text(self.tokens[self.index]))
        return expr

    def _peek(self) -> tuple[str, object] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    @staticmethod
    def _text(token: tuple[str, object]) -> str:
        kind, value = token
        return value if kind == "op" else value.text  # type: ignore[return-value, union-attr]

    def _error(self, text: str) -> ShellSyntaxError:
        return ShellSyntaxError("unexpected", self.line, Token("word", text, self.line))

    def _or(self) -> tuple:
        left = self._and()
        while self._peek() == ("op", "||"):
            self.index += 1
            left = ("or", left, self._and())
        return left

    def _and(self) -> tuple:
        left = self._not()
        while self._peek() == ("op", "&&"):
            self.index += 1
            left = ("and", left, self._not())
        return left

    def _not(self) -> tuple:
        token = self._peek()
        if token is not None and token[0] == "word" and token[1].literal() == "!":  # type: ignore[union-attr]
            self.index += 1
            return ("not", self._not())
        return self._primary()

    def _primary(self) -> tuple:
        token = self._peek()
        if token is None:
            raise self._error("]]")
        if token == ("op", "("):
            self.index += 1
            inner = self._or()
            if self._peek() != ("op", ")"):
                raise self._error(self._text(self._peek()) if self._peek() else "]]")
            self.index += 1
            return inner
        if token[0] == "op":
            raise self._error(self._text(token))
        word = token[1]
        self.index += 1
        following = self._peek()
        literal = word.literal()  # type: ignore[union-attr]
        if literal in self.UNARY and following is not None and following[0] == "word":
            after = self.tokens[self.index + 1] if self.index + 1 < len(self.tokens) else None
            is_binary_next = following[1].literal() in self.BINARY  # type: ignore[union-attr]
            if not is_binary_next or after is None or after[0] == "op":
                self.index += 1
                return ("unary", literal, following[1])
        if following is not None and following[0] == "word" and following[1].literal() in self.BINARY:  # type: ignore[union-attr]
            operator = following[1].literal()  # type: ignore[union-attr]
            self.index += 1
            right = self._peek()
            if right is None or right[0] != "word":
                raise self._error(self._text(right) if right else "]]")
            self.index += 1
            return ("binary", operator, word, right[1])
        return ("word", word)


_SPECIAL_BUILTINS = frozenset({"break", ":", ".", "continue", "eval", "exec", "exit", "export", "readonly",
                               "return", "set", "shift", "times", "trap", "unset"})


def _ends_list(tok: Token) -> bool:
    if tok.kind == "keyword":
        return tok.text in END_KEYWORDS
    if tok.kind == "op":
        return tok.text in END_OPERATORS
    return tok.kind == "eof"


def _non_empty(node: s.Node) -> bool:
    return not (isinstance(node, s.Sequence) and not node.items)


def _plain(text: str) -> s.Word:
    return s.Word([s.Lit(text)], text)


def _assignment(word: s.Word, bash: bool) -> tuple[str, s.Word, bool] | None:
    if not word.parts or not isinstance(word.parts[0], s.Lit):
        return None
    match = ASSIGNMENT.match(word.parts[0].text)
    if match is None or (match.group(2) and not bash):
        return None
    rest = word.parts[0].text[match.end():]
    parts: list[s.Part] = ([s.Lit(rest)] if rest else []) + list(word.parts[1:])
    value_text = word.text[word.text.index("=") + 1:]
    return match.group(1), s.Word(parts, value_text), bool(match.group(2))


def _unquoted_text(word: s.Word) -> str:
    """A here-document delimiter: the word with its quotes removed, nothing expanded."""
    out = []
    for part in word.parts:
        if isinstance(part, (s.Lit, s.Quoted)):
            out.append(part.text)
        elif isinstance(part, s.DoubleQuoted):
            out.append(_unquoted_text(s.Word(part.parts)))
        elif isinstance(part, s.Param):
            out.append(part.source)
        else:
            out.append("")
    return "".join(out)
