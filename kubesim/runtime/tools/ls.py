"""``ls``: one name a line into a pipe, columns on a terminal, ``-l`` long listings; GNU's
``cannot access 'x'`` (exit 2) or busybox's ``x: No such file or directory`` (exit 1)."""

from __future__ import annotations

import posixpath
import stat as stat_module
from datetime import UTC, datetime

from kubesim.runtime.process import Process
from kubesim.runtime.shell.toolkit import absolute, busybox, fail, quoted

WIDTH = 80


def run(proc: Process) -> int:
    flags: set[str] = set()
    operands: list[str] = []
    for arg in proc.argv[1:]:
        if arg.startswith("-") and len(arg) > 1 and arg != "--":
            for flag in arg[1:]:
                if flag not in "laA1dhFRtrS":
                    return fail(proc, f"invalid option -- '{flag}'", 2, usage=True)
                flags.add(flag)
        elif arg != "--":
            operands.append(arg)
    fs = proc.fs
    status = 0
    files: list[str] = []
    directories: list[str] = []
    for operand in operands or ["."]:
        path = absolute(proc, operand)
        if not fs.exists(path):
            if busybox(proc):
                proc.err(f"ls: {operand}: No such file or directory\n")
                status = 1
            else:
                proc.err(f"ls: cannot access {quoted(proc, operand)}: No such file or directory\n")
                status = 2
            continue
        (directories if fs.is_dir(path) and "d" not in flags else files).append(operand)
    blocks: list[str] = []
    if files:
        blocks.append(_listing(proc, [(f, absolute(proc, f)) for f in sorted(files)], flags, with_total=False))
    for directory in sorted(directories):
        path = absolute(proc, directory)
        names = fs.list_dir(path)
        if "a" in flags:
            names = [".", "..", *names]
        elif "A" not in flags:
            names = [n for n in names if not n.startswith(".")]
        entries = [(n, posixpath.normpath(posixpath.join(path, n))) for n in names]
        text = _listing(proc, entries, flags, with_total=True)
        if len(operands) > 1 or files:
            text = f"{directory}:\n" + text
        blocks.append(text)
    proc.out("\n".join(b for b in blocks))
    return status


def _listing(proc: Process, entries: list[tuple[str, str]], flags: set[str], with_total: bool) -> str:
    if "l" in flags:
        return _long(proc, entries, with_total, "h" in flags)
    names = [name + _classify(proc, path) if "F" in flags else name for name, path in entries]
    if not names:
        return ""
    if "1" in flags or not proc.stdout_is_tty:
        return "".join(n + "\n" for n in names)
    return _columns(names)


def _classify(proc: Process, path: str) -> str:
    if proc.fs.is_dir(path):
        return "/"
    try:
        return "*" if int(proc.fs.stat(path).get("mode", 0)) & 0o111 else ""
    except OSError:
        return ""


def _columns(names: list[str]) -> str:
    """GNU's vertical layout: as many columns as fit in 80 characters, filled top to bottom."""
    for columns in range(len(names), 0, -1):
        rows = -(-len(names) // columns)
        widths = []
        for c in range(columns):
            chunk = names[c * rows:(c + 1) * rows]
            if chunk:
                widths.append(max(len(n) for n in chunk) + 2)
        if sum(widths) - 2 <= WIDTH or columns == 1:
            lines = []
            for r in range(rows):
                cells = [names[c * rows + r] for c in range(len(widths)) if c * rows + r < len(names)]
                line = "".join(cell.ljust(widths[i]) for i, cell in enumerate(cells[:-1])) + cells[-1]
                lines.append(line)
            return "\n".join(lines) + "\n"
    return ""


def _long(proc: Process, entries: list[tuple[str, str]], with_total: bool, human: bool) -> str:
    fs = proc.fs
    rows = []
    total = 0
    for name, path in entries:
        info = fs.stat(path)
        is_dir = info.get("kind") == "dir"
        size = int(info.get("size", 4096 if is_dir else 0))
        mode = int(info.get("mode", 0o755 if is_dir else 0o644))
        links = 2 if is_dir else 1
        total += 4 if is_dir else -(-size // 4096) * 4
        kind = stat_module.S_IFDIR if is_dir else stat_module.S_IFREG
        rows.append((stat_module.filemode(kind | mode), links, "root", "root", _size(size, human),
                     _date(proc, float(info.get("mtime", 0))), name))
    out = [f"total {total}\n"] if with_total else []
    if busybox(proc):
        for mode_text, links, owner, group, size_text, date, name in rows:
            out.append(f"{mode_text:<10} {links:>4} {owner:<8} {group:<8} {size_text:>9} {date} {name}\n")
        return "".join(out)
    link_width = max((len(str(r[1])) for r in rows), default=1)
    size_width = max((len(r[4]) for r in rows), default=1)
    for mode_text, links, owner, group, size_text, date, name in rows:
        out.append(f"{mode_text} {links:>{link_width}} {owner} {group} {size_text:>{size_width}} {date} {name}\n")
    return "".join(out)


def _size(size: int, human: bool) -> str:
    if not human or size < 1024:
        return str(size)
    for unit in "KMGT":
        size_f = size / 1024
        if size_f < 1024 or unit == "T":
            return f"{size_f:.1f}{unit}" if size_f < 10 else f"{round(size_f)}{unit}"
        size = int(size_f)
    return str(size)


def _date(proc: Process, mtime: float) -> str:
    moment = datetime.fromtimestamp(mtime, UTC)
    now = getattr(proc.api, "now", None) if proc.api is not None else None
    recent = now is None or abs((now - moment).total_seconds()) < 183 * 86400
    day = f"{moment.day:>2}"
    return moment.strftime(f"%b {day} %H:%M") if recent else moment.strftime(f"%b {day}  %Y")
