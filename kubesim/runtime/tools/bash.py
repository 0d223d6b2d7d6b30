"""``bash``: GNU bash, in the version the image's distribution ships."""

from __future__ import annotations

from kubesim.runtime.process import Process
from kubesim.runtime.shell import main


def run(proc: Process) -> int:
    return main(proc, "bash")
