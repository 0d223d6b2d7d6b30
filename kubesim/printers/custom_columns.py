"""``-o custom-columns=SPEC`` and ``-o custom-columns-file=FILE``, as kubectl prints them.

A spec is ``HEADER:path,HEADER2:path2``; each path is one JSONPath expression in kubectl's relaxed
form (``metadata.name``, ``.metadata.name``, ``{metadata.name}``, ``{.metadata.name}``). As in
kubectl, the paths are only normalised when the spec is read; they are parsed when the table is
printed, after the header line, so a bad path leaves the header on stdout before the error.
"""

from __future__ import annotations

import re

from kubesim.printers.jsonpath import (
    JsonPathError,
    check_expression,
    find_results,
    go_sprint,
    relaxed_expression,
)
from kubesim.printers.tabwriter import format_rows

__all__ = ["CustomColumnsError", "parse_file", "parse_spec", "render"]

_FILE_FORMAT = (
    "Expected format is one line of space separated headers, one line of space separated column specs."
)

# bufio.ScanWords' idea of white space (Python's str.split() also splits on \x1c-\x1f).
_WORD_SEPARATORS = re.compile("[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")


class CustomColumnsError(ValueError):
    """A custom-columns spec or file kubectl rejects; ``message`` follows ``error: ``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_spec(spec: str) -> list[tuple[str, str]]:
    """``NAME:.metadata.name,IP:status.podIP`` → ``[(header, "{.metadata.name}"), …]``.

    Raises CustomColumnsError for the spec's shape and JsonPathError for a path kubectl cannot
    normalise. Commas always split columns, so a path cannot contain a union like ``[0,1]``.
    """
    if not spec:
        raise CustomColumnsError("custom-columns format specified but no custom columns given")
    columns = []
    for part in spec.split(","):
        header, colon, path = part.partition(":")
        if not colon:
            raise CustomColumnsError(
                f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
            )
        columns.append((header, relaxed_expression(path)))
    return columns


def parse_file(text: str) -> list[tuple[str, str]]:
    """A custom-columns file: a line of headers, then a line of paths, both split on white space."""
    lines = text.split("\n")
    if lines[-1] == "":  # a final newline ends the last line; it does not start another
        lines.pop()
    lines = [line.removesuffix("\r") for line in lines[:2]]
    if not lines:
        raise CustomColumnsError(f"invalid template, missing header line. {_FILE_FORMAT}")
    if len(lines) < 2:
        raise CustomColumnsError(f"invalid template, missing spec line. {_FILE_FORMAT}")
    headers, specs = (_words(line) for line in lines)
    if len(headers) != len(specs):
        raise CustomColumnsError(
            f"number of headers ({len(headers)}) and field specifications ({len(specs)}) don't match"
        )
    return [(header, relaxed_expression(spec)) for header, spec in zip(headers, specs, strict=True)]


def _words(line: str) -> list[str]:
    return [word for word in _WORD_SEPARATORS.split(line) if word]


def render(objects: list[dict], columns: list[tuple[str, str]], no_headers: bool = False) -> str:
    """The table for ``objects`` (the items of a list, or one object), header first unless told.

    Each cell joins every value its path finds with ``,``; no value is ``<none>``; values are
    printed as Go's fmt.Sprint does (``map[app:kubia]``, ``[a b]``). A path that fails to parse
    or to evaluate raises JsonPathError with client-go's bare message, its ``output`` holding the
    lines kubectl had already printed.
    """
    rows: list[list[str]] = [] if no_headers else [[header for header, _ in columns]]
    try:
        for _, path in columns:
            check_expression(path)
        for obj in objects:
            rows.append([_cell(find_results(path, obj)) for _, path in columns])
    except JsonPathError as err:
        err.output = format_rows(rows)
        raise
    return format_rows(rows)


def _cell(results: list[list]) -> str:
    values = [go_sprint(value) for values in results for value in values]
    if not results or not results[0]:
        values.insert(0, "<none>")
    return ",".join(values)
