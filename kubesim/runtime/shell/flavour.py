"""How each real shell words its errors and draws its prompt: dash, bash and busybox ash.

The interpreter decides *what* went wrong; a ``Flavour`` decides how the shell of the image says
it, down to the prefix (``sh: 1: ``, ``bash: line 1: ``, ``sh: cd: line 1: ``). Sources: dash's
``parser.c``/``error.c`` (``exvwarning2``: ``arg0: line: [cmd: ]``), busybox ``shell/ash.c``
(``ash_vmsg``: ``arg0: [cmd: ][line N: ]``, the line only when not interactive), bash's
``parse.y``/``error.c`` and its test suite's expected outputs (``tests/errors.right``).
"""

from __future__ import annotations

from dataclasses import dataclass

from kubesim.runtime.shell.errors import ShellSyntaxError

DASH, BASH, ASH = "dash", "bash", "busybox-ash"


@dataclass
class Context:
    """Where the shell reads commands from, which changes how errors are prefixed."""

    arg0: str  # $0: "sh", "/bin/sh", "bash", a script path, or the name given after -c
    mode: str  # "c" (-c string), "script" (a file), "interactive", "stdin" (commands piped in)
    named: bool = False  # -c with an explicit $0 (busybox then prints line numbers)


@dataclass(frozen=True)
class Flavour:
    name: str
    bash_version: tuple[int, int] = (5, 2)

    @property
    def is_bash(self) -> bool:
        return self.name == BASH

    @property
    def is_dash(self) -> bool:
        return self.name == DASH

    @property
    def is_ash(self) -> bool:
        return self.name == ASH

    # -- prefixes ------------------------------------------------------------------------------------
    def prefix(self, ctx: Context, line: int, command: str | None = None) -> str:
        """What precedes an error message: the shell's name, maybe the line, maybe the builtin."""
        if self.is_dash:
            return f"{ctx.arg0}: {line}: " + (f"{command}: " if command else "")
        if self.is_ash:
            current = command if command else (ctx.arg0 if ctx.mode == "script" or ctx.named else None)
            out = f"{ctx.arg0}: "
            if current is not None:
                if current != ctx.arg0:
                    out += f"{current}: "
                if ctx.mode != "interactive":
                    out += f"line {line}: "
            return out
        out = f"{ctx.arg0}: "
        if ctx.mode == "script" or ctx.mode == "stdin" or (ctx.mode == "c" and self.bash_version >= (5, 1)):
            out += f"line {line}: "
        return out + (f"{command}: " if command else "")

    # -- syntax errors -------------------------------------------------------------------------------
    def syntax_error(self, error: ShellSyntaxError, ctx: Context, source: str) -> list[str]:
        """The lines the shell prints for a syntax error (bash echoes the offending line)."""
        if self.is_bash:
            return self._bash_syntax(error, ctx, source)
        message = self._ash_family_syntax(error)
        if self.is_dash:
            return [f"{ctx.arg0}: {error.line}: Syntax error: {message}"]
        return [self.prefix(ctx, error.line) + f"syntax error: {message}"]

    def _ash_family_syntax(self, error: ShellSyntaxError) -> str:
        dash = self.is_dash
        reason = error.reason
        if reason == "unexpected":
            assert error.token is not None
            text = f"{_ash_token_name(error.token)} unexpected" if dash else f"unexpected {_ash_token_name(error.token)}"
            if error.expecting:
                text += f" (expecting {_ash_quote(error.expecting)})"
            return text
        texts = {
            "unterminated": ("Unterminated quoted string", "unterminated quoted string"),
            "missing-brace": ("Missing '}'", "missing '}'"),
            "missing-arith": ("Missing '))'", "missing '))'"),
            "backquote": ("EOF in backquote substitution", "EOF in backquote substitution"),
            "bad-for-variable": ("Bad for loop variable", "bad for loop variable"),
            "bad-function-name": ("Bad function name", "bad function name"),
            "bad-fd": ("Bad fd number", "bad fd number"),
            "too-deep": ("kubesim: nesting too deep", "kubesim: nesting too deep"),
            "cond-eof": ("end of file unexpected", "unexpected end of file"),
        }
        dashed, ashed = texts.get(reason, ("Syntax error", "syntax error"))
        return dashed if dash else ashed

    def _bash_syntax(self, error: ShellSyntaxError, ctx: Context, source: str) -> list[str]:
        old = self.bash_version < (5, 1)
        line = error.line
        if ctx.mode == "interactive":
            lead = f"{ctx.arg0}: "
        elif ctx.mode == "c":
            lead = f"{ctx.arg0}: -c: line {line - 1 if old else line}: "
        else:
            lead = f"{ctx.arg0}: line {line}: "
        last_line = source.count("\n") + (0 if source.endswith("\n") else 1)
        eof_lead = lead
        if ctx.mode == "c" and old:
            eof_lead = f"{ctx.arg0}: -c: line {last_line}: "
        reason = error.reason
        if reason in ("unterminated", "backquote", "missing-brace", "missing-arith", "cond-eof"):
            quote = {"backquote": "`", "missing-brace": "}", "missing-arith": ")"}.get(reason, error.quote)
            if reason == "cond-eof":
                lines = [lead + "unexpected EOF while looking for `]]'"]
            else:
                lines = [lead + f"unexpected EOF while looking for matching `{quote}'"]
            if self.bash_version < (5, 2) or reason == "cond-eof":
                lines.append(eof_lead + "syntax error: unexpected end of file")
            return lines
        if reason == "too-deep":
            return [lead + "kubesim: nesting too deep"]
        token = error.token
        if token is None or token.kind == "eof":
            return [(eof_lead if old else lead) + "syntax error: unexpected end of file"]
        lines = [lead + f"syntax error near unexpected token `{token.text}'"]
        if ctx.mode != "interactive":
            source_lines = source.split("\n")
            shown = source_lines[token.line - 1] if 0 < token.line <= len(source_lines) else ""
            lines.append(lead + f"`{shown}'")
        return lines

    # -- common runtime messages ---------------------------------------------------------------------
    def not_found(self, name: str) -> str:
        if self.is_bash:
            return f"{name}: No such file or directory" if "/" in name else f"{name}: command not found"
        return f"{name}: not found"

    def cannot_execute(self, name: str, is_dir: bool) -> str:
        if self.is_bash and is_dir:
            return f"{name}: Is a directory"
        return f"{name}: Permission denied"

    def cannot_create(self, path: str, why: str) -> str:
        """``why`` is ``missing-dir``, ``is-dir`` or ``denied``."""
        if self.is_dash:
            reason = {"missing-dir": "Directory nonexistent", "is-dir": "Is a directory"}.get(why, "Permission denied")
            return f"cannot create {path}: {reason}"
        reason = {"missing-dir": "No such file or directory", "is-dir": "Is a directory"}.get(why, "Permission denied")
        if self.is_ash:
            if why == "missing-dir":
                reason = "nonexistent directory"
            return f"can't create {path}: {reason}"
        return f"{path}: {reason}"

    def cannot_open(self, path: str, why: str) -> str:
        if self.is_dash:
            return f"cannot open {path}: " + {"missing": "No such file", "is-dir": "Is a directory"}.get(why, "Permission denied")
        reason = {"missing": "No such file or directory", "is-dir": "Is a directory"}.get(why, "Permission denied")
        if self.is_ash:
            if why == "missing":
                reason = "no such file"
            return f"can't open {path}: {reason}"
        return f"{path}: {reason}"

    @property
    def redirect_status(self) -> int:
        return 1 if self.is_bash else 2

    def cd_failed(self, target: str, why: str) -> tuple[str, int]:
        """``why``: ``missing`` or ``not-dir``. Returns the message (after ``cd: ``) and the status."""
        if self.is_dash:
            return f"can't cd to {target}", 2
        reason = "No such file or directory" if why == "missing" else "Not a directory"
        if self.is_ash:
            return f"can't cd to {target}: {reason}", 2
        return f"{target}: {reason}", 1

    def bad_number(self, command: str, text: str) -> str:
        if self.is_bash:
            return f"{text}: numeric argument required"
        return f"Illegal number: {text}"

    def unset_parameter(self, name: str) -> str:
        if self.is_bash:
            return f"{name}: unbound variable"
        return f"{name}: parameter not set"

    def bad_substitution(self, source: str) -> str:
        if self.is_bash:
            return f"{source}: bad substitution"
        if self.is_ash:
            return "syntax error: bad substitution"
        return "Bad substitution"

    def not_identifier(self, command: str, name: str) -> str:
        if self.is_bash:
            return f"`{name}': not a valid identifier"
        if self.is_ash:
            return f"{name}: bad variable name"
        return f"{name}: bad variable name"

    # -- interactive ---------------------------------------------------------------------------------
    def prompt(self, user: str, hostname: str, cwd: str, home: str, ps1: str | None) -> str:
        """The primary prompt as the image's shell would show it on a terminal."""
        root = user == "root"
        if ps1 is not None:
            return expand_prompt(ps1, user, hostname, cwd, home)
        if self.is_bash:
            return expand_prompt("\\u@\\h:\\w\\$ ", user, hostname, cwd, home)
        if self.is_ash:
            return expand_prompt("\\w \\$ ", user, hostname, cwd, home)
        return "# " if root else "$ "

    @property
    def eof_farewell(self) -> str:
        """What an interactive shell prints when its input ends (^D)."""
        return "exit\n" if self.is_bash else "\n"


def expand_prompt(ps1: str, user: str, hostname: str, cwd: str, home: str) -> str:
    """The backslash escapes bash and busybox ash understand in PS1 (the ones people use)."""
    shown_cwd = cwd
    if home and home != "/" and (cwd == home or cwd.startswith(home + "/")):
        shown_cwd = "~" + cwd[len(home):]
    out = []
    i = 0
    while i < len(ps1):
        c = ps1[i]
        if c == "\\" and i + 1 < len(ps1):
            e = ps1[i + 1]
            i += 2
            if e == "u":
                out.append(user)
            elif e == "h":
                out.append(hostname.split(".")[0])
            elif e == "H":
                out.append(hostname)
            elif e == "w":
                out.append(shown_cwd)
            elif e == "W":
                out.append("~" if shown_cwd == "~" else (shown_cwd.rsplit("/", 1)[-1] or "/"))
            elif e == "$":
                out.append("#" if user == "root" else "$")
            elif e == "n":
                out.append("\n")
            elif e == "s":
                out.append("bash")
            elif e == "\\":
                out.append("\\")
            elif e in "[]":
                pass
            else:
                out.append("\\" + e)
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _ash_token_name(token) -> str:
    if token.kind == "eof":
        return "end of file"
    if token.kind == "newline":
        return "newline"
    if token.kind == "redirect":
        return "redirection"
    if token.kind == "word":
        return "word"
    return f'"{token.text}"'


def _ash_quote(expecting: str) -> str:
    return "word" if expecting == "word" else f'"{expecting}"'
