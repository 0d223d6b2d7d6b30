"""The interpreter: runs syntax trees against a container, entirely in Python.

Pipelines run their stages one after another with the text of one stage fed to the next, a
subshell is a copy of the shell's state, and every external command is a kubesim tool looked up
in the image's catalogue: nothing reaches the host. Every command and loop round is charged to
the exec's step budget, so a loop that never ends is stopped with a message instead of hanging.
"""

from __future__ import annotations

import copy
import dataclasses
import io as _io
import posixpath
import re
from collections.abc import Callable
from typing import Any

from kubesim.runtime.process import Process
from kubesim.runtime.shell import syntax as s
from kubesim.runtime.shell.arith import ArithError, Evaluator
from kubesim.runtime.shell.errors import (
    ExitShell,
    ExpansionError,
    FunctionReturn,
    LoopControl,
    ShellSyntaxError,
)
from kubesim.runtime.shell.expand import Expander, compile_pattern
from kubesim.runtime.shell.flavour import Context, Flavour
from kubesim.runtime.shell.parser import Parser
from kubesim.runtime.shell.session import Session

MAX_FUNCTION_DEPTH = 60
STDIN_READERS = frozenset({"cat", "sort", "uniq", "wc", "grep", "egrep", "fgrep", "head", "tail", "cut", "tr",
                           "sed", "awk", "tee", "sh", "bash", "dash", "ash", "xargs", "md5sum", "sha256sum", "base64",
                           "od", "hexdump", "less", "more", "jq", "nc", "openssl"})
"""Tools that read standard input when given no file: they drain what the shell's stdin has left."""


class Input:
    """A command's standard input: text with a read position, shared along a redirection chain."""

    def __init__(self, text: str = "") -> None:
        self.text = text
        self.pos = 0

    def rest(self) -> str:
        return self.text[self.pos:]

    def drain(self) -> str:
        rest = self.rest()
        self.pos = len(self.text)
        return rest

    def read_line(self) -> str | None:
        """One line without its newline; None at end of input."""
        if self.pos >= len(self.text):
            return None
        end = self.text.find("\n", self.pos)
        if end < 0:
            line, self.pos = self.text[self.pos:], len(self.text)
            return line
        line, self.pos = self.text[self.pos:end], end + 1
        return line

    def at_end(self) -> bool:
        return self.pos >= len(self.text)


class ScriptInput(Input):
    """Standard input that is also the script being read (``sh`` fed through a pipe): ``read``
    and ``cat`` take lines the parser has not reached yet, as bash does."""

    def __init__(self, parser: Parser) -> None:
        super().__init__(parser.text)
        self.parser = parser

    @property  # type: ignore[override]
    def pos(self) -> int:  # noqa: D401 - the parser's position is the input's position
        return self.parser.pos

    @pos.setter
    def pos(self, value: int) -> None:
        if hasattr(self, "parser"):
            parser = self.parser
            if value > parser.pos:
                parser.line += parser.text.count("\n", parser.pos, value)
            parser.pos = value


class NullSink:
    """``/dev/null`` and closed descriptors."""

    def write(self, text: str) -> int:
        return len(text)


class FileSink:
    """Output redirected to a file in the container: collected, then written when the command ends."""

    def __init__(self, shell: Shell, path: str) -> None:
        self.shell = shell
        self.path = path
        self.chunks: list[str] = []

    def write(self, text: str) -> int:
        self.chunks.append(text)
        return len(text)

    def flush_to_fs(self) -> None:
        if self.chunks:
            data = "".join(self.chunks).encode("utf-8", "surrogateescape")
            self.chunks = []
            self.shell.proc.fs.write(self.path, data, append=True)


@dataclasses.dataclass
class Streams:
    stdin: Input
    stdout: Any
    stderr: Any
    extra: dict[int, Any] = dataclasses.field(default_factory=dict)
    stdout_tty: bool = False
    stdin_tty: bool = False

    def fd(self, number: int) -> Any:
        if number == 0:
            return self.stdin
        if number == 1:
            return self.stdout
        if number == 2:
            return self.stderr
        return self.extra.get(number)


class RedirectFailed(Exception):
    def __init__(self, message: str, status: int, syntax: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.syntax = syntax


class Shell:
    """One shell process: variables, functions, options, positional parameters and a cwd."""

    def __init__(self, proc: Process, flavour: Flavour, ctx: Context, session: Session,
                 positional: list[str] | None = None, interactive: bool = False) -> None:
        self.proc = proc
        self.flavour = flavour
        self.ctx = ctx
        self.session = session
        self.interactive = interactive
        self.vars: dict[str, str] = dict(proc.env)
        self.exported: set[str] = set(proc.env)
        self.readonly: set[str] = set()
        self.functions: dict[str, s.Node] = {}
        self.positional: list[str] = list(positional or [])
        self.status = 0
        self.cwd = proc.cwd or "/"
        self.options: dict[str, bool] = {"e": False, "u": False, "x": False, "f": False, "n": False, "v": False,
                                         "pipefail": False}
        self.lineno = 1
        self.locals: list[dict[str, tuple[str | None, bool]]] = []
        self.loop_depth = 0
        self.function_depth = 0
        self.pid = session.new_pid()
        self.traps: dict[str, str] = {}
        self.is_subshell = False
        self.substitution_status: int | None = None
        self.condition_depth = 0
        self.expander = Expander(self)
        self.vars.setdefault("IFS", " \t\n")
        self.vars["PWD"] = self.cwd
        self.exported.add("PWD")
        self.vars.setdefault("PS2", "> ")
        self.vars.setdefault("PS4", "+ ")
        self.vars.setdefault("OPTIND", "1")
        self.vars["PPID"] = str(max(1, self.pid - 1))
        if flavour.is_bash:
            level = self.vars.get("SHLVL", "0")
            self.vars["SHLVL"] = str(int(level) + 1 if level.isascii() and level.isdigit() else 1)
            self.exported.add("SHLVL")

    # -- variables -----------------------------------------------------------------------------------
    def get(self, name: str) -> str | None:
        if name.isdigit():
            index = int(name)
            if index == 0:
                return self.ctx.arg0
            return self.positional[index - 1] if index <= len(self.positional) else None
        special = _SPECIAL.get(name)
        if special is not None:
            return special(self)
        return self.vars.get(name)

    def assign(self, name: str, value: str, append: bool = False) -> None:
        if name in self.readonly:
            raise ExpansionError(f"{name}: readonly variable" if self.flavour.is_bash else
                                 f"{name}: is read only", 1 if self.flavour.is_bash else 2)
        if append:
            value = self.vars.get(name, "") + value
        self.vars[name] = value

    def unset(self, name: str) -> bool:
        if name in self.readonly:
            return False
        self.vars.pop(name, None)
        self.exported.discard(name)
        return True

    def environment(self) -> dict[str, str]:
        env = {name: self.vars[name] for name in self.proc.env if name in self.exported and name in self.vars}
        for name in self.vars:
            if name in self.exported and name not in env:
                env[name] = self.vars[name]
        return env

    # -- errors --------------------------------------------------------------------------------------
    def error(self, io: Streams, message: str, command: str | None = None) -> None:
        io.stderr.write(self.flavour.prefix(self.ctx, self.lineno, command) + message + "\n")

    def syntax_error(self, io: Streams, error: ShellSyntaxError, source: str) -> None:
        for line in self.flavour.syntax_error(error, self.ctx, source):
            io.stderr.write(line + "\n")

    # -- running text --------------------------------------------------------------------------------
    def run_text(self, text: str, io: Streams, stdin_is_script: bool = False) -> int:
        """Parse and run commands one complete line at a time, as the real shells do: lines before
        a syntax error have already run when it is reported."""
        parser = Parser(text, self.flavour.name)
        if stdin_is_script:
            io = dataclasses.replace(io, stdin=ScriptInput(parser))
        while True:
            try:
                node = parser.next_command()
            except ShellSyntaxError as error:
                self.lineno = error.line
                self.syntax_error(io, error, text)
                self.status = 2
                raise ExitShell(2) from None
            self._warn(parser, io)
            if node is None:
                return self.status
            self.run_top(node, io)

    def run_top(self, node: s.Node, io: Streams) -> int:
        """One top-level command; an expansion error ends it (and ends a non-interactive dash/ash)."""
        try:
            return self.execute(node, io)
        except ExpansionError as error:
            self.error(io, error.message)
            self.status = error.status
            if not self.interactive and not self.flavour.is_bash:
                raise ExitShell(error.status) from None
            if not self.interactive and error.message.endswith(("parameter not set", "parameter null or not set",
                                                                "unbound variable")):
                raise ExitShell(error.status) from None
            return self.status

    def _warn(self, parser: Parser, io: Streams) -> None:
        if parser.warnings and self.flavour.is_bash:
            for line, message in parser.warnings:
                saved, self.lineno = self.lineno, line
                self.error(io, "warning: " + message)
                self.lineno = saved
        parser.warnings.clear()

    # -- execution -----------------------------------------------------------------------------------
    def execute(self, node: s.Node, io: Streams) -> int:
        handler = _HANDLERS[type(node)]
        self.current_stderr = io.stderr
        status = handler(self, node, io)
        self.status = status
        if status and self.options["e"] and self.condition_depth == 0 and isinstance(node, (s.Simple, s.Pipeline)):
            if not (isinstance(node, s.Pipeline) and node.negate):
                raise ExitShell(status)
        return status

    def _sequence(self, node: s.Sequence, io: Streams) -> int:
        status = self.status
        for item in node.items:
            status = self.execute(item, io)
        return status

    def _and_or(self, node: s.AndOr, io: Streams) -> int:
        self.condition_depth += 1
        try:
            status = self.execute(node.first, io)
        finally:
            self.condition_depth -= 1
        for index, (op, item) in enumerate(node.rest):
            if (op == "&&") == (status == 0):
                last = index == len(node.rest) - 1
                if not last:
                    self.condition_depth += 1
                try:
                    status = self.execute(item, io)
                finally:
                    if not last:
                        self.condition_depth -= 1
        return status

    def _pipeline(self, node: s.Pipeline, io: Streams) -> int:
        self.lineno = node.line
        if len(node.commands) == 1:
            if node.negate:
                self.condition_depth += 1
            try:
                status = self.execute(node.commands[0], io)
            finally:
                if node.negate:
                    self.condition_depth -= 1
            return (0 if status else 1) if node.negate else status
        stdin = io.stdin
        statuses = []
        for index, command in enumerate(node.commands):
            last = index == len(node.commands) - 1
            out = io.stdout if last else _io.StringIO()
            stage = dataclasses.replace(io, stdin=stdin, stdout=out, stdout_tty=io.stdout_tty if last else False,
                                        stdin_tty=io.stdin_tty if index == 0 else False)
            statuses.append(self.fork().run_subshell(command, stage))
            if not last:
                stdin = Input(out.getvalue())
        status = statuses[-1]
        if self.options["pipefail"]:
            status = next((code for code in reversed(statuses) if code), 0)
        if node.negate:
            return 0 if status else 1
        return status

    def fork(self) -> Shell:
        """A subshell: a copy of everything, so its assignments and cd do not leak back."""
        child = copy.copy(self)
        child.vars = dict(self.vars)
        child.exported = set(self.exported)
        child.readonly = set(self.readonly)
        child.functions = dict(self.functions)
        child.positional = list(self.positional)
        child.options = dict(self.options)
        child.locals = [dict(frame) for frame in self.locals]
        child.traps = {}
        child.is_subshell = True
        child.expander = Expander(child)
        return child

    def run_subshell(self, node: s.Node, io: Streams) -> int:
        try:
            return self.execute(node, io)
        except ExitShell as exit_:
            return exit_.status
        except (LoopControl, FunctionReturn) as control:
            return getattr(control, "status", 0)

    def _subshell(self, node: s.Subshell, io: Streams) -> int:
        self.session.tick()
        return self.fork().run_subshell(node.body, io)

    def _group(self, node: s.Group, io: Streams) -> int:
        return self.execute(node.body, io)

    def _redirected(self, node: s.Redirected, io: Streams) -> int:
        try:
            inner, sinks = self.redirect(node.redirects, io)
        except RedirectFailed as failure:
            return self._redirect_failure(failure, io)
        try:
            return self.execute(node.body, inner)
        finally:
            self._flush(sinks)

    def _if(self, node: s.If, io: Streams) -> int:
        for condition, body in node.clauses:
            self.condition_depth += 1
            try:
                status = self.execute(condition, io)
            finally:
                self.condition_depth -= 1
            if status == 0:
                return self.execute(body, io)
        if node.otherwise is not None:
            return self.execute(node.otherwise, io)
        return 0

    def _loop(self, node: s.Loop, io: Streams) -> int:
        status = 0
        self.loop_depth += 1
        try:
            while True:
                self.session.tick()
                self.condition_depth += 1
                try:
                    test = self.execute(node.condition, io)
                finally:
                    self.condition_depth -= 1
                if (test == 0) == node.until:
                    break
                try:
                    status = self.execute(node.body, io)
                except LoopControl as control:
                    if control.levels > 1:
                        control.levels -= 1
                        raise
                    status = 0
                    if control.kind == "break":
                        break
        finally:
            self.loop_depth -= 1
        return status

    def _for(self, node: s.For, io: Streams) -> int:
        self.lineno = node.line
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", node.var):
            self.error(io, f"`{node.var}': not a valid identifier")
            return 1
        values = list(self.positional) if node.words is None else self.expander.words(node.words)
        status = 0
        self.loop_depth += 1
        try:
            for value in values:
                self.session.tick()
                self.assign(node.var, value)
                try:
                    status = self.execute(node.body, io)
                except LoopControl as control:
                    if control.levels > 1:
                        control.levels -= 1
                        raise
                    status = 0
                    if control.kind == "break":
                        break
        finally:
            self.loop_depth -= 1
        return status

    def _arith_for(self, node: s.ArithFor, io: Streams) -> int:
        status = 0
        self.loop_depth += 1
        try:
            if node.init.strip():
                self.arithmetic(node.init, node.init)
            while True:
                self.session.tick()
                if node.test.strip() and self.arithmetic(node.test, node.test) == 0:
                    break
                try:
                    status = self.execute(node.body, io)
                except LoopControl as control:
                    if control.levels > 1:
                        control.levels -= 1
                        raise
                    status = 0
                    if control.kind == "break":
                        break
                if node.step.strip():
                    self.arithmetic(node.step, node.step)
        finally:
            self.loop_depth -= 1
        return status

    def _case(self, node: s.Case, io: Streams) -> int:
        subject = self.expander.string(node.subject, tilde=True)
        status = 0
        falling = False
        for item in node.items:
            matched = falling
            if not matched:
                for pattern in item.patterns:
                    if compile_pattern(self.expander.pattern(pattern)).fullmatch(subject):
                        matched = True
                        break
            if matched:
                status = self.execute(item.body, io) if item.body is not None else 0
                if item.fallthrough:
                    falling = True
                    continue
                return status
        return status

    def _function_def(self, node: s.FunctionDef, io: Streams) -> int:
        self.functions[node.name] = node.body
        return 0

    def _arith_command(self, node: s.ArithCommand, io: Streams) -> int:
        self.session.tick()
        self.lineno = node.line
        text = "".join(t for t, _, _ in self.expander.segments(node.parts, in_quotes=True))
        return 0 if self.arithmetic(text, "((" + text + "))") != 0 else 1

    def _cond_command(self, node: s.CondCommand, io: Streams) -> int:
        from kubesim.runtime.shell.testexpr import evaluate_cond

        self.session.tick()
        self.lineno = node.line
        return evaluate_cond(self, node.expr, io)

    # -- simple commands -----------------------------------------------------------------------------
    def _simple(self, node: s.Simple, io: Streams) -> int:
        self.session.tick()
        self.lineno = node.line
        self.substitution_status = None
        argv = self.expander.words(node.words)
        assignments = [(name, self.expander.string(value, tilde=True), append) for name, value, append in node.assigns]
        if self.options["x"] and (argv or assignments):
            shown = [f"{name}={_trace_quote(value)}" for name, value, _ in assignments] + [_trace_quote(a) for a in argv]
            io.stderr.write((self.get("PS4") or "+ ") + " ".join(shown) + "\n")
        if not argv:
            for name, value, append in assignments:
                self.assign(name, value, append)
            status = self.substitution_status or 0
            if node.redirects:
                try:
                    _, sinks = self.redirect(node.redirects, io)
                except RedirectFailed as failure:
                    return self._redirect_failure(failure, io)
                self._flush(sinks)
            return status
        try:
            inner, sinks = self.redirect(node.redirects, io) if node.redirects else (io, [])
        except RedirectFailed as failure:
            return self._redirect_failure(failure, io)
        try:
            return self.invoke(argv, inner, assignments)
        finally:
            self._flush(sinks)

    def invoke(self, argv: list[str], io: Streams, assignments: list[tuple[str, str, bool]] | None = None) -> int:
        """Run one command: a special builtin, a function, a builtin, or a tool of the image."""
        from kubesim.runtime.shell import builtins

        assignments = assignments or []
        name = argv[0]
        builtin = builtins.lookup(name, self.flavour)
        if builtin is not None and builtin.special:
            for var, value, append in assignments:
                self.assign(var, value, append)
            return builtin.run(self, argv, io)
        if name in self.functions:
            return self._call_function(name, argv, io, assignments)
        if builtin is not None:
            saved = self._push_temporary(assignments)
            try:
                return builtin.run(self, argv, io)
            finally:
                self._pop_temporary(saved)
        return self.external(argv, io, assignments)

    def _push_temporary(self, assignments: list[tuple[str, str, bool]]) -> list[tuple[str, str | None, bool]]:
        saved = []
        for name, value, append in assignments:
            saved.append((name, self.vars.get(name), name in self.exported))
            self.assign(name, value, append)
        return saved

    def _pop_temporary(self, saved: list[tuple[str, str | None, bool]]) -> None:
        for name, value, exported in reversed(saved):
            if value is None:
                self.vars.pop(name, None)
            else:
                self.vars[name] = value
            if not exported:
                self.exported.discard(name)

    def _call_function(self, name: str, argv: list[str], io: Streams, assignments: list[tuple[str, str, bool]]) -> int:
        if self.function_depth >= MAX_FUNCTION_DEPTH:
            self.error(io, f"kubesim: {name}: functions nested deeper than {MAX_FUNCTION_DEPTH} levels")
            raise ExitShell(2)
        saved_positional = self.positional
        saved = self._push_temporary(assignments)
        self.positional = argv[1:]
        self.function_depth += 1
        self.locals.append({})
        try:
            return self.execute(self.functions[name], io)
        except FunctionReturn as returned:
            return returned.status
        finally:
            frame = self.locals.pop()
            for var, (value, exported) in frame.items():
                if value is None:
                    self.vars.pop(var, None)
                else:
                    self.vars[var] = value
                if exported:
                    self.exported.add(var)
                else:
                    self.exported.discard(var)
            self.function_depth -= 1
            self.positional = saved_positional
            self._pop_temporary(saved)

    # -- external commands -------------------------------------------------------------------------------
    def external(self, argv: list[str], io: Streams, assignments: list[tuple[str, str, bool]]) -> int:
        """A program of the image, found along $PATH the way the kernel and the shell find it."""
        from kubesim.runtime import commands

        name = argv[0]
        env = self.environment()
        for var, value, append in assignments:
            env[var] = (env.get(var, "") + value) if append else value
        path_env = self.vars.get("PATH", self.proc.image.path_env)
        resolved = commands.resolve(self.proc.image, self.proc.fs, name, path_env, self.cwd) if name else None
        if resolved is None or resolved.status == "missing":
            self.error(io, self.flavour.not_found(name))
            return 127
        if resolved.status == "denied":
            return self._not_a_program(argv, resolved.path, io)
        if self.flavour.is_bash:
            env["_"] = resolved.path
        tool = commands.load_tool(resolved.tool)
        if resolved.status == "script":
            argv = [*resolved.interpreter, resolved.path, *argv[1:]]
        return self.run_tool(tool, argv, io, env)

    def _not_a_program(self, argv: list[str], path: str, io: Streams) -> int:
        """A file that exists but is no tool: a shell script without #! runs in a subshell, as
        dash and bash do after execve's ENOEXEC; anything else cannot be executed."""
        fs = self.proc.fs
        name = argv[0]
        try:
            executable = not fs.is_dir(path) and bool(int(fs.stat(path).get("mode", 0)) & 0o111)
            content = fs.read(path) if executable else b""
        except OSError:
            executable, content = False, b""
        if not executable:
            self.error(io, self.flavour.cannot_execute(name, is_dir=fs.is_dir(path)))
            return 126
        if content.startswith(b"\x7fELF"):
            self.error(io, f"{name}: kubesim does not simulate this program")
            return 126
        if content.startswith(b"#!"):
            interpreter = content[2:].split(b"\n", 1)[0].decode("utf-8", "replace").strip()
            if self.flavour.is_bash:
                self.error(io, f"{name}: {interpreter}: bad interpreter: No such file or directory")
            else:
                self.error(io, self.flavour.not_found(name))
            return 126 if self.flavour.is_bash else 127
        child = self.fork()
        child.positional = argv[1:]
        child.ctx = dataclasses.replace(self.ctx, arg0=name, mode="script")
        try:
            return child.run_text(content.decode("utf-8", "replace"), io)
        except ExitShell as exit_:
            return exit_.status

    def run_tool(self, tool: Callable[[Process], int], argv: list[str], io: Streams, env: dict[str, str]) -> int:
        stdin_text = io.stdin.rest()
        if posixpath.basename(argv[0]) in STDIN_READERS:
            io.stdin.drain()
        child = dataclasses.replace(self.proc, argv=list(argv), env=env, stdin=stdin_text, stdout=io.stdout,
                                    stderr=io.stderr, cwd=self.cwd, stdin_is_tty=io.stdin_tty,
                                    stdout_is_tty=io.stdout_tty)
        status = tool(child)
        return int(status) & 0xFF

    # -- redirections --------------------------------------------------------------------------------
    def absolute(self, path: str) -> str:
        return posixpath.normpath(posixpath.join(self.cwd, path)) if path else self.cwd

    def redirect(self, redirects: list[s.Redirect], io: Streams) -> tuple[Streams, list[FileSink]]:
        current = dataclasses.replace(io, extra=dict(io.extra))
        sinks: list[FileSink] = []
        for redirect in redirects:
            op = redirect.op
            default = 0 if op.startswith("<") else 1
            fd = default if redirect.fd is None else redirect.fd
            if op in ("<<", "<<-"):
                body = self.expander.string(redirect.heredoc) if redirect.heredoc is not None else ""
                current = self._set_fd(current, fd, Input(body))
                continue
            target = self.expander.string(redirect.target, tilde=True)
            if op == "<<<":
                current = self._set_fd(current, fd, Input(target + "\n"))
            elif op in (">&", "<&"):
                if target == "-":
                    current = self._set_fd(current, fd, NullSink() if fd else Input(""))
                elif target.isascii() and target.isdigit():
                    source = current.fd(int(target))
                    if source is None or (fd == 0) != isinstance(source, Input) and int(target) > 2:
                        raise RedirectFailed(f"{target}: Bad file descriptor", 1 if self.flavour.is_bash else 2)
                    current = self._set_fd(current, fd, source)
                    if fd == 1 and int(target) == 2:
                        current.stdout_tty = False
                elif op == ">&" and redirect.fd is None and self.flavour.is_bash:
                    sink = self._open_output(target, append=False, sinks=sinks)
                    current = self._set_fd(self._set_fd(current, 1, sink), 2, sink)
                else:
                    raise RedirectFailed("Bad fd number" if not self.flavour.is_bash else f"{target}: ambiguous redirect",
                                         2 if not self.flavour.is_bash else 1, syntax=not self.flavour.is_bash)
            elif op in (">", ">|", ">>", "&>", "&>>"):
                sink = self._open_output(target, append=op.endswith(">>"), sinks=sinks)
                if op.startswith("&"):
                    current = self._set_fd(self._set_fd(current, 1, sink), 2, sink)
                else:
                    current = self._set_fd(current, fd, sink)
            elif op in ("<", "<>"):
                current = self._set_fd(current, fd, self._open_input(target, create=op == "<>"))
        return current, sinks

    def _set_fd(self, io: Streams, fd: int, value: Any) -> Streams:
        if fd == 0:
            io.stdin = value if isinstance(value, Input) else Input("")
            io.stdin_tty = False
        elif fd == 1:
            io.stdout = value
            io.stdout_tty = value is self.proc.stdout and self.proc.stdout_is_tty
        elif fd == 2:
            io.stderr = value
        else:
            io.extra[fd] = value
        return io

    def _open_output(self, target: str, append: bool, sinks: list[FileSink]) -> Any:
        if target in ("/dev/null",):
            return NullSink()
        if target in ("/dev/stdout", "/dev/fd/1"):
            return self.proc.stdout
        if target in ("/dev/stderr", "/dev/fd/2"):
            return self.proc.stderr
        if target in ("/dev/tty", "/dev/console"):
            return self.proc.stdout
        if target == "":
            raise RedirectFailed(self.flavour.cannot_create(target, "missing-dir") if not self.flavour.is_bash
                                 else ": No such file or directory", self.flavour.redirect_status)
        path = self.absolute(target)
        fs = self.proc.fs
        parent = posixpath.dirname(path)
        if fs.is_dir(path):
            raise RedirectFailed(self.flavour.cannot_create(target, "is-dir"), self.flavour.redirect_status)
        if not fs.is_dir(parent):
            raise RedirectFailed(self.flavour.cannot_create(target, "missing-dir"), self.flavour.redirect_status)
        try:
            if not append or not fs.exists(path):
                fs.write(path, b"", append=False)
        except (PermissionError, OSError):
            raise RedirectFailed(self.flavour.cannot_create(target, "denied"), self.flavour.redirect_status) from None
        for sink in sinks:
            if sink.path == path:
                return sink
        sink = FileSink(self, path)
        sinks.append(sink)
        return sink

    def _open_input(self, target: str, create: bool) -> Input:
        if target in ("/dev/null", "/dev/zero"):
            return Input("")
        path = self.absolute(target)
        fs = self.proc.fs
        if fs.is_dir(path):
            if create:
                raise RedirectFailed(self.flavour.cannot_create(target, "is-dir"), self.flavour.redirect_status)
            raise RedirectFailed(self.flavour.cannot_open(target, "is-dir"), self.flavour.redirect_status)
        if not fs.exists(path):
            if create and fs.is_dir(posixpath.dirname(path)):
                fs.write(path, b"", append=False)
                return Input("")
            raise RedirectFailed(self.flavour.cannot_open(target, "missing"), self.flavour.redirect_status)
        try:
            return Input(fs.read(path).decode("utf-8", "surrogateescape"))
        except PermissionError:
            raise RedirectFailed(self.flavour.cannot_open(target, "denied"), self.flavour.redirect_status) from None

    def _flush(self, sinks: list[FileSink]) -> None:
        for sink in sinks:
            sink.flush_to_fs()

    def _redirect_failure(self, failure: RedirectFailed, io: Streams) -> int:
        if failure.syntax:
            io.stderr.write(f"{self.ctx.arg0}: {self.lineno}: Syntax error: {failure.message}\n"
                            if self.flavour.is_dash else
                            self.flavour.prefix(self.ctx, self.lineno) + f"syntax error: {failure.message}\n")
            if not self.interactive:
                raise ExitShell(2)
            return 2
        self.error(io, failure.message)
        return failure.status

    # -- substitutions and arithmetic ------------------------------------------------------------------
    def command_substitution(self, body: s.Node) -> str:
        out = _io.StringIO()
        child = self.fork()
        io = Streams(Input(""), out, self.current_stderr or self.proc.stderr)
        status = child.run_subshell(body, io)
        self.substitution_status = status
        self.status = status
        return out.getvalue().rstrip("\n")

    current_stderr: Any = None

    def arithmetic(self, text: str, source: str) -> int:
        evaluator = Evaluator(self.get, self._arith_assign)
        try:
            return evaluator.evaluate(text)
        except ArithError as error:
            raise ExpansionError(self._arith_message(error, text), 1 if self.flavour.is_bash else 2) from None
        except RecursionError:
            raise ExpansionError(f"{text}: expression recursion level exceeded", 1) from None

    def _arith_assign(self, name: str, value: str) -> None:
        self.assign(name, value)

    def _arith_message(self, error: ArithError, text: str) -> str:
        expr = text.strip()
        if self.flavour.is_bash:
            if error.kind == "division":
                return f"{expr}: division by 0 (error token is \"{error.token}\")"
            if error.kind == "base":
                return f"{expr}: value too great for base (error token is \"{error.token}\")"
            return f"{expr}: syntax error: operand expected (error token is \"{error.token or expr}\")" \
                if not error.token or error.token == expr else \
                f"{expr}: syntax error in expression (error token is \"{error.token}\")"
        if self.flavour.is_dash:
            if error.kind == "division":
                return f"arithmetic expression: division by zero: \"{expr}\""
            return f"arithmetic expression: expecting primary: \"{expr}\""
        if error.kind == "division":
            return "divide by zero"
        return "arithmetic syntax error"


_SPECIAL: dict[str, Callable[[Shell], str | None]] = {
    "?": lambda sh: str(sh.status),
    "$": lambda sh: str(sh.pid),
    "#": lambda sh: str(len(sh.positional)),
    "!": lambda sh: None,
    "-": lambda sh: "".join(flag for flag, on in sh.options.items() if on and len(flag) == 1)
    + ("i" if sh.interactive else "") + ("c" if sh.ctx.mode == "c" and not sh.flavour.is_bash else ""),
    "LINENO": lambda sh: str(sh.lineno),
    "RANDOM": lambda sh: str(sh.proc.api.random.randrange(32768)) if sh.flavour.is_bash and sh.proc.api is not None
    else sh.vars.get("RANDOM"),
}


def _trace_quote(text: str) -> str:
    if text and re.fullmatch(r"[A-Za-z0-9_./:=@%+,-]+", text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"


_HANDLERS: dict[type, Callable[[Shell, Any, Streams], int]] = {
    s.Simple: Shell._simple,
    s.Pipeline: Shell._pipeline,
    s.AndOr: Shell._and_or,
    s.Sequence: Shell._sequence,
    s.If: Shell._if,
    s.Loop: Shell._loop,
    s.For: Shell._for,
    s.ArithFor: Shell._arith_for,
    s.Case: Shell._case,
    s.Group: Shell._group,
    s.Subshell: Shell._subshell,
    s.FunctionDef: Shell._function_def,
    s.Redirected: Shell._redirected,
    s.ArithCommand: Shell._arith_command,
    s.CondCommand: Shell._cond_command,
}
