"""Go's text/tabwriter, as kubectl configures it, so columns line up byte for byte.

Text is split into lines and tab-terminated cells; the text after a line's last tab is not part of
any column. A column's width is computed over each contiguous block of lines that have that column,
which is why a line without tabs (``Containers:`` in describe) starts a fresh alignment block.
"""

from __future__ import annotations

TABLE_MIN_WIDTH = 6
TABLE_PADDING = 3
DESCRIBE_MIN_WIDTH = 0
DESCRIBE_PADDING = 2


def tabwrite(text: str, min_width: int = TABLE_MIN_WIDTH, padding: int = TABLE_PADDING) -> str:
    """Align tab-separated text exactly as Go's tabwriter (padchar ' ', no flags) would."""
    trailing_newline = text.endswith("\n")
    raw_lines = text.split("\n")
    if trailing_newline:
        raw_lines.pop()
    lines = [line.split("\t") for line in raw_lines]
    out: list[str] = []
    _format(lines, 0, len(lines), [], min_width, padding, out)
    result = "\n".join(out)
    return result + "\n" if trailing_newline else result


def rows_to_text(rows: list[list[str]]) -> str:
    """Join table rows the way kubectl's printer feeds its tabwriter: cells by tabs, rows by newlines."""
    return "".join("\t".join(row) + "\n" for row in rows)


def format_rows(rows: list[list[str]]) -> str:
    """Lay out table rows with kubectl's table settings (min width 6, padding 3)."""
    return tabwrite(rows_to_text(rows))


def _format(lines, line0, line1, widths, min_width, padding, out) -> None:
    column = len(widths)
    this = line0
    while this < line1:
        if column >= len(lines[this]) - 1:
            this += 1
            continue
        _write_lines(lines, line0, this, widths, out)
        line0 = this
        width = min_width
        while this < line1 and column < len(lines[this]) - 1:
            width = max(width, len(lines[this][column]) + padding)
            this += 1
        widths.append(width)
        _format(lines, line0, this, widths, min_width, padding, out)
        widths.pop()
        line0 = this
    _write_lines(lines, line0, line1, widths, out)


def _write_lines(lines, line0, line1, widths, out) -> None:
    for cells in lines[line0:line1]:
        parts = []
        for j, cell in enumerate(cells):
            if j < len(widths):
                parts.append(cell + " " * (widths[j] - len(cell)))
            else:
                parts.append(cell)
        out.append("".join(parts))
