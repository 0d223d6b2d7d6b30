"""Small helpers the in-pod text tools share: reading operands, GNU vs busybox wording."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from kubesim.runtime.process import Process
from kubesim.runtime.shell.image_facts import coreutils_quotes, is_busybox


def name(proc: Process) -> str:
    return posixpath.basename(proc.argv[0]) if proc.argv else ""


def busybox(proc: Process) -> bool:
    return is_busybox(proc.image)


def quoted(proc: Process, text: str) -> str:
    """A file name as coreutils shows it in messages: 'x' since 8.25, bare before."""
    if busybox(proc) or not coreutils_quotes(proc.image):
        return text
    return "'" + text.replace("'", "'\\''") + "'"


def fail(proc: Process, message: str, status: int = 1, usage: bool = False) -> int:
    """``tool: message`` on stderr; GNU tools add the --help hint to usage errors."""
    tool = name(proc)
    proc.err(f"{tool}: {message}\n")
    if usage and not busybox(proc):
        proc.err(f"Try '{tool} --help' for more information.\n")
    return status


def absolute(proc: Process, path: str) -> str:
    return posixpath.normpath(posixpath.join(proc.cwd or "/", path))


def inputs(proc: Process, files: list[str], gnu_open_error: str = "{name}: {reason}",
           busybox_open_error: str = "can't open '{name}': {reason}") -> Iterator[tuple[str, str | None]]:
    """(operand, text) for each file operand (``-`` or none: stdin); text None after an error
    has been printed. ``{name}`` is filled in the way the tool quotes names."""
    for operand in files or ["-"]:
        if operand == "-":
            yield operand, proc.stdin
            continue
        path = absolute(proc, operand)
        reason = None
        if not proc.fs.exists(path):
            reason = "No such file or directory"
        elif proc.fs.is_dir(path):
            reason = "Is a directory"
        if reason is None:
            try:
                yield operand, proc.fs.read(path).decode("utf-8", "surrogateescape")
                continue
            except PermissionError:
                reason = "Permission denied"
            except IsADirectoryError:
                reason = "Is a directory"
            except FileNotFoundError:
                reason = "No such file or directory"
        template = busybox_open_error if busybox(proc) else gnu_open_error
        shown = operand if busybox(proc) else quoted(proc, operand)
        proc.err(f"{name(proc)}: " + template.format(name=shown, reason=reason) + "\n")
        yield operand, None


def lines(text: str) -> list[str]:
    """Lines without their newlines; a last line without one still counts."""
    if not text:
        return []
    parts = text.split("\n")
    if parts[-1] == "":
        parts.pop()
    return parts


def parse_count(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None
