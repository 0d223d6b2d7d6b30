"""``test`` / ``[`` (POSIX's rules by argument count, then -a/-o/!/( ) parsing) and bash's ``[[``.

File tests look at the container's filesystem; the shell runs as root, so -r/-w hold for any
existing file and -x for directories and files with an execute bit.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kubesim.runtime.shell.expand import compile_pattern

if TYPE_CHECKING:
    from kubesim.runtime.shell.interpreter import Shell, Streams

UNARY = frozenset("-b -c -d -e -f -g -h -k -L -n -p -r -s -S -t -u -w -x -z -O -G -N".split())
BINARY = frozenset("= != == < > -eq -ne -lt -le -gt -ge -nt -ot -ef".split())


class TestError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def run_test(shell: Shell, argv: list[str], io: Streams) -> int:
    """The ``test`` and ``[`` builtins: 0 true, 1 false, 2 for a malformed expression."""
    name = argv[0]
    args = argv[1:]
    if name in ("[", "[["):
        closer = "]" if name == "[" else "]]"
        if not args or args[-1] != closer:
            io.stderr.write(shell.flavour.prefix(shell.ctx, shell.lineno, name) + _missing(shell, closer) + "\n")
            return 2
        args = args[:-1]
    try:
        return 0 if _Test(shell, args).evaluate() else 1
    except TestError as error:
        io.stderr.write(shell.flavour.prefix(shell.ctx, shell.lineno, name) + error.message + "\n")
        return 2


def _missing(shell: Shell, closer: str) -> str:
    return f"missing `{closer}'" if shell.flavour.is_bash else f"missing {closer}"


class _Test:
    def __init__(self, shell: Shell, args: list[str]) -> None:
        self.sh = shell
        self.args = args
        self.pos = 0

    def evaluate(self) -> bool:
        args = self.args
        n = len(args)
        if n == 0:
            return False
        if n == 1:
            return args[0] != ""
        if n == 2:
            if args[0] == "!":
                return args[1] == ""
            if args[0] in UNARY:
                return self._unary(args[0], args[1])
            raise TestError(self._unexpected(args[0], unary=True))
        if n == 3:
            if args[1] in BINARY and self._binary_allowed(args[1]):
                return self._binary(args[1], args[0], args[2])
            if args[0] == "!":
                return not _Test(self.sh, args[1:]).evaluate()
            if args[0] == "(" and args[2] == ")":
                return args[1] != ""
            if args[1] in ("-a", "-o"):
                left, right = args[0] != "", args[2] != ""
                return (left and right) if args[1] == "-a" else (left or right)
            raise TestError(self._unexpected(args[1], unary=False))
        if n == 4 and args[0] == "!":
            return not _Test(self.sh, args[1:]).evaluate()
        if n == 4 and args[0] == "(" and args[3] == ")":
            return _Test(self.sh, args[1:3]).evaluate()
        value = self._or()
        if self.pos < len(self.args):
            if self.sh.flavour.is_bash:
                raise TestError("too many arguments")
            raise TestError(self._unexpected(self.args[self.pos], unary=False))
        return value

    def _binary_allowed(self, op: str) -> bool:
        return not (op == "==" and self.sh.flavour.is_dash)

    def _unexpected(self, word: str, unary: bool) -> str:
        if self.sh.flavour.is_bash:
            return f"{word}: unary operator expected" if unary else f"{word}: binary operator expected"
        if self.sh.flavour.is_ash:
            return f"{word}: unknown operand"
        return f"{word}: unexpected operator"

    def _or(self) -> bool:
        value = self._and()
        while self.pos < len(self.args) and self.args[self.pos] == "-o":
            self.pos += 1
            right = self._and()
            value = value or right
        return value

    def _and(self) -> bool:
        value = self._not()
        while self.pos < len(self.args) and self.args[self.pos] == "-a":
            self.pos += 1
            right = self._not()
            value = value and right
        return value

    def _not(self) -> bool:
        if self.pos < len(self.args) and self.args[self.pos] == "!":
            self.pos += 1
            return not self._not()
        return self._primary()

    def _primary(self) -> bool:
        args = self.args
        if self.pos >= len(args):
            raise TestError("argument expected")
        word = args[self.pos]
        if word == "(":
            self.pos += 1
            value = self._or()
            if self.pos >= len(args) or args[self.pos] != ")":
                raise TestError("`)' expected" if self.sh.flavour.is_bash else "closing paren expected")
            self.pos += 1
            return value
        if self.pos + 2 < len(args) + 0 and args[self.pos + 1] in BINARY and self._binary_allowed(args[self.pos + 1]):
            self.pos += 3
            return self._binary(args[self.pos - 2], word, args[self.pos - 1])
        if word in UNARY and self.pos + 1 < len(args):
            self.pos += 2
            return self._unary(word, args[self.pos - 1])
        self.pos += 1
        return word != ""

    # -- operators -----------------------------------------------------------------------------------
    def _unary(self, op: str, operand: str) -> bool:
        if op == "-n":
            return operand != ""
        if op == "-z":
            return operand == ""
        if op == "-t":
            return operand in ("0", "1") and bool(self.sh.proc.stdout_is_tty)
        fs = self.sh.proc.fs
        path = self.sh.absolute(operand) if operand else ""
        if not path or not fs.exists(path):
            return False
        if op == "-e" or op in ("-r", "-w", "-O", "-G"):
            return True
        if op == "-d":
            return fs.is_dir(path)
        if op == "-f":
            return not fs.is_dir(path) and not path.startswith("/dev/")
        if op == "-s":
            try:
                return int(fs.stat(path).get("size", 0)) > 0 or fs.is_dir(path)
            except (FileNotFoundError, PermissionError):
                return False
        if op == "-x":
            if fs.is_dir(path):
                return True
            try:
                return bool(int(fs.stat(path).get("mode", 0)) & 0o111)
            except (FileNotFoundError, PermissionError):
                return False
        if op == "-c":
            return path in ("/dev/null", "/dev/zero", "/dev/tty", "/dev/random", "/dev/urandom")
        return False

    def _binary(self, op: str, left: str, right: str) -> bool:
        if op in ("=", "=="):
            return left == right
        if op == "!=":
            return left != right
        if op == "<":
            return left < right
        if op == ">":
            return left > right
        if op in ("-nt", "-ot", "-ef"):
            return self._files(op, left, right)
        a, b = self._integer(left), self._integer(right)
        return {"-eq": a == b, "-ne": a != b, "-lt": a < b, "-le": a <= b, "-gt": a > b, "-ge": a >= b}[op]

    def _integer(self, text: str) -> int:
        stripped = text.strip()
        if re.fullmatch(r"[-+]?\d+", stripped):
            return int(stripped)
        if self.sh.flavour.is_bash:
            raise TestError(f"{text}: integer expression expected")
        if self.sh.flavour.is_ash:
            raise TestError(f"{text}: bad number")
        raise TestError(f"Illegal number: {text}")

    def _files(self, op: str, left: str, right: str) -> bool:
        fs = self.sh.proc.fs
        a, b = self.sh.absolute(left), self.sh.absolute(right)
        if op == "-ef":
            return fs.exists(a) and a == b
        try:
            ta = float(fs.stat(a).get("mtime", 0)) if fs.exists(a) else None
            tb = float(fs.stat(b).get("mtime", 0)) if fs.exists(b) else None
        except (FileNotFoundError, PermissionError):
            return False
        if op == "-nt":
            return ta is not None and (tb is None or ta > tb)
        return tb is not None and (ta is None or ta < tb)


def evaluate_cond(shell: Shell, expr: tuple, io: Streams) -> int:
    """bash's ``[[ … ]]``: no splitting or globbing; == and != match patterns, =~ regexes."""
    try:
        return 0 if _cond(shell, expr) else 1
    except TestError as error:
        io.stderr.write(shell.flavour.prefix(shell.ctx, shell.lineno) + error.message + "\n")
        return 2


def _cond(shell: Shell, expr: tuple) -> bool:
    kind = expr[0]
    if kind == "and":
        return _cond(shell, expr[1]) and _cond(shell, expr[2])
    if kind == "or":
        return _cond(shell, expr[1]) or _cond(shell, expr[2])
    if kind == "not":
        return not _cond(shell, expr[1])
    if kind == "word":
        return shell.expander.string(expr[1]) != ""
    if kind == "unary":
        return _Test(shell, [])._unary(expr[1], shell.expander.string(expr[2]))
    op, left_word, right_word = expr[1], expr[2], expr[3]
    left = shell.expander.string(left_word)
    if op in ("==", "=", "!="):
        matched = compile_pattern(shell.expander.pattern(right_word)).fullmatch(left) is not None
        return matched if op != "!=" else not matched
    if op == "=~":
        pattern = shell.expander.string(right_word)
        try:
            match = re.search(pattern, left)
        except re.error:
            return False
        if match:
            shell.vars["BASH_REMATCH"] = match.group(0)
        return match is not None
    right = shell.expander.string(right_word)
    if op in ("-eq", "-ne", "-lt", "-le", "-gt", "-ge"):
        a = shell.arithmetic(left, left)
        b = shell.arithmetic(right, right)
        return {"-eq": a == b, "-ne": a != b, "-lt": a < b, "-le": a <= b, "-gt": a > b, "-ge": a >= b}[op]
    return _Test(shell, [])._binary(op, left, right)
