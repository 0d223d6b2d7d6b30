"""kubesim's shell: dash, bash and busybox ash as the images ship them, interpreted in Python.

``main(proc, flavour)`` is what the ``sh`` and ``bash`` tools call: it reads the shell's own
options (``-c 'script' [name args…]``, a script file, or commands on stdin / a terminal) and
runs them. Nothing typed reaches the host: every command is a builtin or a kubesim tool.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from kubesim.runtime.process import Process


def main(proc: Process, flavour_name: str, reader: Callable[[str], str | None] | None = None) -> int:
    """Run a shell; the interpreter is imported only here, so ``kubesim exec POD -- curl`` stays light."""
    from kubesim.runtime.shell.entry import main as run_shell

    return run_shell(proc, flavour_name, reader)
