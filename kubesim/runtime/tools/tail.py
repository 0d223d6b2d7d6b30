"""``tail``: the last lines of each input (``-n +N`` from line N; ``-f`` shows what is there and
returns, since nothing more will ever be written while the command runs)."""

from __future__ import annotations

from kubesim.runtime.process import Process
from kubesim.runtime.tools.head import show


def run(proc: Process) -> int:
    return show(proc, tail=True)
