"""``sh``: the image's POSIX shell (dash on Debian/Ubuntu, busybox ash on alpine/busybox)."""

from __future__ import annotations

from kubesim.runtime.process import Process
from kubesim.runtime.shell import main
from kubesim.runtime.shell.image_facts import shell_flavour


def run(proc: Process) -> int:
    return main(proc, shell_flavour(proc.image))
