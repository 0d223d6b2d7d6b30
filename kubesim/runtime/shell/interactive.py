"""The interactive shell of ``kubectl exec -it POD -- bash``: a prompt, line editing, ``exit``.

On a real terminal lines come from Python's ``readline`` (history, arrow keys); in tests and
anywhere else a ``reader`` callable supplies them. An incomplete command (an open quote, an
``if`` without ``fi``, a here-document) asks for more with PS2, as the real shells do.
"""

from __future__ import annotations

from collections.abc import Callable

from kubesim.runtime.shell.errors import BudgetExceeded, ExitShell, ExpansionError, ShellSyntaxError
from kubesim.runtime.shell.image_facts import user
from kubesim.runtime.shell.interpreter import Shell, Streams
from kubesim.runtime.shell.parser import Parser
from kubesim.runtime.shell.session import BUDGET_EXIT_STATUS, budget_message

Reader = Callable[[str], "str | None"]


def terminal_reader(stdout) -> Reader:
    """Lines typed on the user's terminal, edited with readline; None at ^D."""
    try:
        import readline  # noqa: F401 - importing it gives input() line editing and history
    except ImportError:  # pragma: no cover - platforms without readline still get plain input()
        pass

    def read(prompt: str) -> str | None:
        try:
            flush = getattr(stdout, "flush", None)
            if flush is not None:
                flush()
            return input(prompt)
        except EOFError:
            return None
        except KeyboardInterrupt:
            stdout.write("\n")
            return ""

    return read


def loop(shell: Shell, io: Streams, reader: Reader, echo_prompt: bool = False) -> int:
    """Read, parse and run commands until ``exit`` or the end of input.

    ``echo_prompt`` writes prompts to the output stream (a reader that does not show them itself).
    """
    buffer = ""
    first_line = 1
    while True:
        prompt = _prompt(shell) if not buffer else (shell.get("PS2") or "> ")
        if echo_prompt:
            io.stdout.write(prompt)
        line = reader(prompt)
        if line is None:
            if buffer:
                try:
                    _parse(shell, buffer, first_line)
                except ShellSyntaxError as error:
                    shell.syntax_error(io, error, buffer)
                    shell.status = 2
            io.stderr.write(shell.flavour.eof_farewell)
            return shell.status
        buffer += line + "\n"
        try:
            nodes, waiting = _parse(shell, buffer, first_line)
        except ShellSyntaxError as error:
            if error.needs_more_input:
                continue
            shell.lineno = error.line
            shell.syntax_error(io, error, buffer)
            shell.status = 2
            first_line += buffer.count("\n")
            buffer = ""
            continue
        if waiting:
            continue
        first_line += buffer.count("\n")
        buffer = ""
        shell.session.steps = 0
        try:
            for node in nodes:
                shell.run_top(node, io)
        except ExitShell as exit_:
            return exit_.status
        except BudgetExceeded as exceeded:
            io.stderr.write(budget_message(exceeded.limit) + "\n")
            shell.status = BUDGET_EXIT_STATUS
        except ExpansionError as error:
            shell.error(io, error.message)
            shell.status = error.status
        except KeyboardInterrupt:
            io.stdout.write("\n")
            shell.status = 130


def _parse(shell: Shell, text: str, first_line: int) -> tuple[list, bool]:
    parser = Parser(text, shell.flavour.name, line=first_line)
    nodes = []
    while (node := parser.next_command()) is not None:
        nodes.append(node)
    waiting = any("here-document" in message for _, message in parser.warnings)
    parser.warnings.clear()
    return nodes, waiting


def _prompt(shell: Shell) -> str:
    name, home = user(shell.proc.image)
    return shell.flavour.prompt(name, shell.proc.hostname, shell.cwd, shell.get("HOME") or home, shell.vars.get("PS1"))
