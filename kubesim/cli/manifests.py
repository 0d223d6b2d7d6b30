"""kubectl's file front door: what cli-runtime's resource builder does with ``-f``.

A path is a file, a directory (its ``.json``/``.yaml``/``.yml`` files, sorted; ``recursive`` walks
sub-directories), a glob, or ``-`` for standard input. Each source is one stream, read as kubectl
reads it: JSON values while the stream looks like JSON, else YAML documents split on ``---`` lines.
Each YAML document is converted as sigs.k8s.io/yaml does (go-yaml v2 semantics: ``yes`` is true,
timestamps stay strings, merge keys, aliases, non-string keys made strings), then decoded as
kubectl's unstructured objects are (ints within int64, other numbers float64). ``kind: List`` and any
object with ``items`` are expanded into their items.

Failures come in kubectl's words and with kubectl's reach: a syntax error ends its source but not
the others; a document without a kind fails alone; a missing path stops everything before anything
is read. ``scan_manifests`` returns what was read together with the failures, in kubectl's order, so
a command can act on the good objects and then report; ``read_manifests`` raises instead.

PyYAML (the C loader when present) supplies the events; everything after that is ours, because
PyYAML's own resolver and constructor follow YAML 1.1 rather than go-yaml.
"""

from __future__ import annotations

import base64
import binascii
import math
import os
import re
import unicodedata
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import Any

from kubesim.api.schema import json_type_name
from kubesim.errors import KubectlError
from kubesim.printers.json_output import (
    INT64_MAX,
    INT64_MIN,
    go_format_float,
    go_string,
    json_float,
)

STDIN = "STDIN"
EXTENSIONS = (".json", ".yaml", ".yml")
MAX_DEPTH = 10000
STD_ERROR_MSG = "if you choose to ignore these errors, turn validation off with --validate=false"


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Manifest:
    """One object read from a source: ``source`` is the name kubectl uses in messages."""

    source: str
    obj: dict[str, Any]
    index: int  # position of the object within its source, counting expanded list items


@dataclass(frozen=True)
class ReadFailure:
    """One error kubectl collects while reading.

    ``message`` is the error's text; ``parts`` is set when kubectl holds it as an aggregate (the
    failed items of one list), which changes how it is printed.
    """

    message: str
    parts: tuple[str, ...] = ()


def format_failures(failures: list[ReadFailure]) -> str:
    """The exact stderr kubectl prints when these are a command's only errors (no trailing newline).

    A lone plain error gets ``error: ``; an aggregate prints one bare line per error, and a list's
    failed items print bare even when alone.
    """
    if len(failures) == 1:
        only = failures[0]
        if only.parts:
            return "\n".join(only.parts)
        return only.message if only.message.startswith("error: ") else "error: " + only.message
    return "\n".join(f.message for f in failures)


class ManifestErrors(KubectlError):
    """Reading failed somewhere; ``manifests`` holds what kubectl would still have acted on.

    ``stderr`` is the text kubectl prints for these errors alone. ``message`` omits a leading
    ``error: `` as KubectlError messages do, so for a single plain error the CLI's usual
    ``error: <message>`` line is exact; for several, print ``stderr`` as it is.
    """

    def __init__(self, failures: list[ReadFailure], manifests: list[Manifest]) -> None:
        self.stderr = format_failures(failures)
        text = self.stderr[len("error: "):] if self.stderr.startswith("error: ") else self.stderr
        super().__init__(text)
        self.verbatim = self.stderr
        self.failures = failures
        self.manifests = manifests


@dataclass
class _Sink:
    manifests: list[Manifest] = field(default_factory=list)
    failures: list[ReadFailure] = field(default_factory=list)


# --- public entry points -----------------------------------------------------------------------


def read_manifests(
    paths: list[str],
    stdin_text: Callable[[], str],
    recursive: bool = False,
    *,
    validate: bool = True,
) -> list[Manifest]:
    """Every object the paths hold, in kubectl's order; raise on any failure as kubectl reports it.

    ``validate`` mirrors ``--validate``: with it, a document without ``apiVersion``/``kind`` stops
    its source with kubectl's "error validating" message.
    """
    manifests, failures = scan_manifests(paths, stdin_text, recursive, validate=validate)
    if failures:
        raise ManifestErrors(failures, manifests)
    return manifests


def scan_manifests(
    paths: list[str],
    stdin_text: Callable[[], str],
    recursive: bool = False,
    *,
    validate: bool = True,
) -> tuple[list[Manifest], list[ReadFailure]]:
    """Read like kubectl's builder with ContinueOnError: good objects plus the collected failures.

    Problems with the paths themselves (missing, a bad glob, a URL) raise KubectlError at once,
    because kubectl refuses before reading anything.
    """
    sources = _expand_paths(paths, recursive)
    sink = _Sink()
    stdin_used = False
    for source, path in sources:
        if path is None:
            text = "" if stdin_used else stdin_text()
            stdin_used = True
        else:
            try:
                text = _read_file(path)
            except OSError as exc:
                sink.failures.append(ReadFailure(_os_error_text(exc, path)))
                continue
        _visit_stream(_strip_bom(text), source, validate, sink)
    return sink.manifests, sink.failures


def decode_text(text: str, source: str, *, validate: bool = True) -> list[dict[str, Any]]:
    """The objects in one stream of text (a file's content), raising on the first problem."""
    sink = _Sink()
    _visit_stream(_strip_bom(text), source, validate, sink)
    if sink.failures:
        raise ManifestErrors(sink.failures, sink.manifests)
    return [m.obj for m in sink.manifests]


# --- paths -------------------------------------------------------------------------------------

_GLOB_META = re.compile(r"[*?\[\\]")


def _expand_paths(paths: list[str], recursive: bool) -> list[tuple[str, str | None]]:
    """(source name, file path or None for stdin) for each stream, as FilenameParam expands them."""
    errors: list[str] = []
    sources: list[tuple[str, str | None]] = []
    if paths.count("-") > 1:
        raise KubectlError("standard input cannot be used for multiple arguments")
    for path in paths:
        if path == "-":
            sources.append((STDIN, None))
            continue
        if path.startswith("http://") or path.startswith("https://"):
            raise KubectlError(
                f'unable to read URL "{path}": kubesim does not fetch manifests from the network; '
                "download the file and pass its path"
            )
        try:
            matches = _expand_pattern(path)
        except KubectlError as exc:
            errors.append(exc.message)
            continue
        for match in matches:
            sources.extend(_walk(match, recursive))
    if errors:
        if len(errors) == 1:
            raise KubectlError(errors[0])
        raise ManifestErrors([ReadFailure(e) for e in errors], [])
    return sources


def _expand_pattern(path: str) -> list[str]:
    if os.path.lexists(path):
        return [path]
    matches = _go_glob(path)
    if not matches:
        raise KubectlError(f"the path {go_quote(path)} does not exist")
    return matches


def _walk(root: str, recursive: bool) -> list[tuple[str, str | None]]:
    """filepath.Walk: depth first, names sorted by bytes; only files found inside a directory must
    carry a manifest extension, and sub-directories are entered only with ``recursive``."""
    if os.path.islink(root) or not os.path.isdir(root):
        return [(root, root)]
    found: list[tuple[str, str | None]] = []
    pending = [root]
    while pending:
        current = pending.pop()
        if current == root or (recursive and os.path.isdir(current) and not os.path.islink(current)):
            try:
                names = sorted(os.listdir(current), key=lambda n: n.encode("utf-8", "surrogateescape"))
            except OSError as exc:
                raise KubectlError(_os_error_text(exc, current)) from None
            pending.extend(_go_join(current, name) for name in reversed(names))
        elif os.path.isdir(current) and not os.path.islink(current):
            continue
        elif os.path.splitext(current)[1] in EXTENSIONS:
            found.append((current, current))
    return found


def _go_join(directory: str, name: str) -> str:
    """filepath.Join: join and clean, so ``dir/`` + ``a.yaml`` names the file ``dir/a.yaml``."""
    return _go_clean(directory + "/" + name)


def _go_clean(path: str) -> str:
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    cleaned = "/".join(parts)
    if rooted:
        return "/" + cleaned
    return cleaned or "."


def _go_pattern_regex(pattern: str, whole: str = "") -> re.Pattern[str]:
    """One path element of a Go filepath.Match pattern as a regex; KubectlError if malformed."""
    out = []
    i = 0
    bad = KubectlError(f"pattern {go_quote(whole or pattern)} is not valid: syntax error in pattern")
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "\\":
            i += 1
            if i >= len(pattern):
                raise bad
            out.append(re.escape(pattern[i]))
        elif ch == "[":
            i += 1
            negate = i < len(pattern) and pattern[i] == "^"
            if negate:
                i += 1
            ranges = []
            first = True
            while True:
                if i >= len(pattern):
                    raise bad
                if pattern[i] == "]" and not first:
                    break
                first = False
                lo, i = _class_char(pattern, i, bad)
                hi = lo
                if i < len(pattern) and pattern[i] == "-":
                    hi, i = _class_char(pattern, i + 1, bad)
                ranges.append(re.escape(lo) + ("-" + re.escape(hi) if hi != lo else ""))
            out.append("[" + ("^/" if negate else "") + "".join(ranges) + "]")
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out) + r"\Z", re.DOTALL)


def _class_char(pattern: str, i: int, bad: KubectlError) -> tuple[str, int]:
    if i >= len(pattern) or pattern[i] in "-]":
        raise bad
    if pattern[i] == "\\":
        i += 1
        if i >= len(pattern):
            raise bad
    return pattern[i], i + 1


def _go_glob(pattern: str) -> list[str]:
    """filepath.Glob: match element by element, sorted names, no match is not an error."""
    if not _GLOB_META.search(pattern):
        return []
    directory, _, base = pattern.rpartition("/")
    if "/" not in pattern:
        directory = ""
    regex = _go_pattern_regex(base, pattern)
    if directory and _GLOB_META.search(directory):
        parents = _go_glob(directory)
    else:
        parents = [directory]
    matches = []
    for parent in parents:
        listing = parent or "."
        if not os.path.isdir(listing):
            continue
        try:
            names = sorted(os.listdir(listing))
        except OSError:
            continue
        for name in names:
            if regex.match(name):
                matches.append(name if not parent else _go_join(parent, name) if parent != "/" else "/" + name)
    return matches


def _os_error_text(exc: OSError, path: str) -> str:
    reason = (exc.strerror or str(exc)).lower()
    verb = "read" if isinstance(exc, IsADirectoryError) else "open"
    return f"{verb} {path}: {reason}"


def _read_file(path: str) -> str:
    with open(path, "rb") as handle:
        data = handle.read()
    return _decode_bytes(data)


def _decode_bytes(data: bytes) -> str:
    """unicode.BOMOverride over UTF-8: a UTF-16 BOM switches encodings, bad UTF-8 becomes U+FFFD."""
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le", "replace")
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be", "replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", "replace")


def _strip_bom(text: str) -> str:
    """What kubectl's reader hands on: no leading BOM, and U+FFFD where the bytes were not UTF-8
    (in a Python string those show up as lone surrogates, e.g. from surrogateescape)."""
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return text[1:] if text.startswith("\ufeff") else text


# --- one stream --------------------------------------------------------------------------------


class _StreamError(Exception):
    """Ends the stream: kubectl's "error parsing <source>: ..." family."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class _Document:
    raw: str  # the JSON kubectl quotes in decode errors
    value: Any  # the decoded JSON value, numbers as the unstructured decoder makes them


def _visit_stream(text: str, source: str, validate: bool, sink: _Sink) -> None:
    index = 0
    try:
        for doc in _documents(text):
            if doc.value is None:
                continue
            if validate:
                problem = _validation_error(doc.value)
                if problem is not None:
                    sink.failures.append(
                        ReadFailure(f"error validating {go_quote(source)}: error validating data: {problem}; {STD_ERROR_MSG}")
                    )
                    return
            for item in _objects(doc, source):
                if isinstance(item, ReadFailure):
                    sink.failures.append(item)
                else:
                    sink.manifests.append(Manifest(source, item, index))
                    index += 1
    except _StreamError as exc:
        sink.failures.append(ReadFailure(f"error parsing {source}: {exc.message}"))


def _go_isspace(ch: str) -> bool:
    return ch.isspace() and ch not in "\x1c\x1d\x1e\x1f"


def _looks_like_json(data: bytes) -> bool:
    """GuessJSONStream: the first non-space character of the first 4096 bytes is ``{``."""
    for ch in data[:4096].decode("utf-8", "ignore"):
        if not _go_isspace(ch):
            return ch == "{"
    return False


def _documents(text: str) -> Iterator[_Document]:
    """YAMLOrJSONDecoder: JSON values while they parse, then (once) YAML documents to the end."""
    data = text.encode("utf-8")
    pos = 0
    if _looks_like_json(data):
        count = 0
        while True:
            result = _scan_json_value(data, pos)
            if result is None:
                return
            if isinstance(result, _JSONProblem):
                if count > 1:
                    raise _StreamError(result.message)
                first_error = result.with_offset()
                start = _yaml_restart(data, pos)
                if start is None:
                    raise _StreamError(first_error)
                yield from _yaml_documents(data[start:].decode("utf-8", "replace"), first_error)
                return
            start, end = result
            raw = data[start:end].decode("utf-8", "replace")
            yield _Document(raw, _json_loads(raw))
            count += 1
            pos = end
    yield from _yaml_documents(text, None)


def _yaml_restart(data: bytes, pos: int) -> int | None:
    """Where the YAML decoder takes over after JSON failed: past blanks, stopping at a newline.

    kubectl reads ahead four bytes at a time here; with fewer than four left it gives up on YAML
    and reports the JSON error, so do we.
    """
    while True:
        if len(data) - pos < 4:
            return None
        for width in (1, 2, 3, 4):
            try:
                ch = data[pos : pos + width].decode("utf-8")
                break
            except UnicodeDecodeError:
                continue
        else:
            return None
        if not _go_isspace(ch) or ch == "\n":
            return pos
        pos += width


def _yaml_chunks(text: str) -> Iterator[str]:
    """YAMLReader: documents split on lines starting with ``---``; CRLF read as LF."""
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    buffer: list[str] = []
    for line in lines:
        if line.startswith("---"):
            rest = _go_trim_space(line[3:])
            if rest and rest[0] != "#":
                raise _StreamError(f"invalid Yaml document separator: {rest}")
            if buffer:
                yield "".join(buffer)
                buffer = []
                continue
        buffer.append(line + "\n")
    if buffer:
        yield "".join(buffer)


def _go_trim_space(text: str) -> str:
    start, end = 0, len(text)
    while start < end and _go_isspace(text[start]):
        start += 1
    while end > start and _go_isspace(text[end - 1]):
        end -= 1
    return text[start:end]


def _yaml_documents(text: str, first_error: str | None) -> Iterator[_Document]:
    for chunk in _yaml_chunks(text):
        try:
            value, raw = yaml_to_json(chunk)
        except _StreamError as exc:
            raise _StreamError(first_error if first_error is not None else exc.message) from None
        first_error = None
        yield _Document(raw, _unstructured(value))


# --- YAML, the go-yaml v2 way ------------------------------------------------------------------


class _Node:
    """go-yaml's parse tree: scalars, sequences, mappings (children as key, value, ...) and aliases."""

    __slots__ = ("kind", "value", "tag", "implicit", "flow", "children", "target", "name")

    def __init__(self, kind: str, value: str = "", tag: str = "", implicit: bool = False) -> None:
        self.kind = kind  # "scalar", "seq", "map", "alias"
        self.value = value
        self.tag = tag
        self.implicit = implicit  # a plain scalar without a tag: go-yaml resolves its type
        self.flow = False
        self.children: list[_Node] = []
        self.target: _Node | None = None  # what an alias points at
        self.name = ""


def _yaml_loader_class() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


def _parse_first_document(chunk: str) -> _Node | None:
    """Build go-yaml's node tree for the first document of ``chunk`` from PyYAML's events.

    libyaml as bundled with PyYAML gives up at 1000 nested levels where go-yaml goes to 10000;
    PyYAML's pure-Python parser (same algorithm, same messages, no such limit) takes over then.
    """

    try:
        return _parse_with(_yaml_loader_class(), chunk, check_flow_plain=True)
    except _LibyamlDiffers:
        return _parse_with(_go_loader_class(), chunk, check_flow_plain=False)


class _LibyamlDiffers(Exception):
    """libyaml stopped where go-yaml would not (its depth limit, its ``x:]`` check)."""


_GO_LOADER: Any = None
_BLANKZ = "\0 \t\r\n\x85\u2028\u2029"


def _go_loader_class() -> Any:
    """PyYAML's pure-Python loader, made to scan as go-yaml v2 does.

    Plain scalars: inside a flow, go-yaml ends one at ``,?[]{}`` and at ``:`` followed by a blank
    only, so ``[x:]`` holds ``"x:"`` and ``[a?b]`` is an error, where libyaml 0.2.5 reports
    "found unexpected ':'" and PyYAML's own scanner ends ``x`` before the colon.

    Simple keys: the stock scanner checks every pending simple key (one per flow level) on every
    token, which makes a 10000-deep document take many seconds. Keys are saved in input order, so
    a queue in that order finds the stale ones and the nearest one without a scan.
    """
    global _GO_LOADER
    if _GO_LOADER is not None:
        return _GO_LOADER
    import collections

    import yaml
    from yaml.scanner import ScannerError
    from yaml.tokens import ScalarToken

    class GoLoader(yaml.SafeLoader):
        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.key_queue: collections.deque[tuple[Any, int]] = collections.deque()

        def live_front(self) -> tuple[Any, int] | None:
            queue = self.key_queue
            while queue:
                key, level = queue[0]
                if self.possible_simple_keys.get(level) is key:
                    return key, level
                queue.popleft()
            return None

        def save_possible_simple_key(self) -> None:
            before = self.possible_simple_keys.get(self.flow_level)
            super().save_possible_simple_key()
            after = self.possible_simple_keys.get(self.flow_level)
            if after is not None and after is not before:
                self.key_queue.append((after, self.flow_level))

        def stale_possible_simple_keys(self) -> None:
            while True:
                front = self.live_front()
                if front is None:
                    return
                key, level = front
                if key.line == self.line and self.index - key.index <= 1024:
                    return
                if key.required:
                    raise ScannerError("while scanning a simple key", key.mark, "could not find expected ':'", self.get_mark())
                del self.possible_simple_keys[level]
                self.key_queue.popleft()

        def next_possible_simple_key(self) -> Any:
            front = self.live_front()
            return None if front is None else front[0].token_number

        def plain_length(self) -> int:
            length = 0
            while True:
                ch = self.peek(length)
                if ch in _BLANKZ or (ch == ":" and self.peek(length + 1) in _BLANKZ):
                    return length
                if self.flow_level and ch in ",?[]{}":
                    return length
                length += 1

        def scan_plain(self) -> Any:
            chunks: list[str] = []
            start_mark = end_mark = self.get_mark()
            indent = self.indent + 1
            spaces: list[str] = []
            while self.peek() != "#":
                length = self.plain_length()
                if not length:
                    break
                self.allow_simple_key = False
                chunks.extend(spaces)
                chunks.append(self.prefix(length))
                self.forward(length)
                end_mark = self.get_mark()
                spaces = self.scan_plain_spaces(indent, start_mark)
                if not spaces or self.peek() == "#" or (not self.flow_level and self.column < indent):
                    break
            return ScalarToken("".join(chunks), True, start_mark, end_mark)

    _GO_LOADER = GoLoader
    return GoLoader


def _parse_with(loader_class: Any, chunk: str, check_flow_plain: bool) -> _Node | None:
    import yaml

    loader = loader_class(chunk)
    try:
        anchors: dict[str, _Node] = {}
        stack: list[_Node] = []
        root: _Node | None = None
        flow_depth = block_depth = 0
        while True:
            event = loader.get_event()
            name = type(event).__name__
            if name == "StreamEndEvent":
                return root
            if name == "DocumentEndEvent":
                return root
            if name in ("StreamStartEvent", "DocumentStartEvent"):
                continue
            if name in ("SequenceEndEvent", "MappingEndEvent"):
                node = stack.pop()
                if node.flow:
                    flow_depth -= 1
                else:
                    block_depth -= 1
                continue
            if name == "AliasEvent":
                node = _Node("alias")
                node.name = event.anchor
                node.target = anchors.get(event.anchor)
                if node.target is None:
                    raise _StreamError(f"error converting YAML to JSON: yaml: unknown anchor '{event.anchor}' referenced")
            elif name == "ScalarEvent":
                node = _Node("scalar", event.value, event.tag or "", bool(event.implicit[0]))
                if check_flow_plain and flow_depth and not event.style and "?" in event.value:
                    raise _LibyamlDiffers()  # go-yaml ends a plain scalar at '?' inside a flow
            else:
                node = _Node("seq" if name == "SequenceStartEvent" else "map", tag=event.tag or "")
                node.flow = bool(event.flow_style)
                if event.flow_style:
                    flow_depth += 1
                    if flow_depth > MAX_DEPTH:
                        raise _StreamError(
                            f"error converting YAML to JSON: yaml: line {event.start_mark.line + 1}: "
                            f"exceeded max depth of {MAX_DEPTH}"
                        )
                else:
                    block_depth += 1
                    if block_depth > MAX_DEPTH:
                        raise _StreamError(
                            f"error converting YAML to JSON: yaml: line {event.start_mark.line + 1}: "
                            f"exceeded max depth of {MAX_DEPTH}"
                        )
            if getattr(event, "anchor", None) and name != "AliasEvent":
                anchors[event.anchor] = node
            if stack:
                stack[-1].children.append(node)
            else:
                root = node
            if name in ("SequenceStartEvent", "MappingStartEvent"):
                stack.append(node)
    except yaml.YAMLError as exc:
        if getattr(exc, "problem", None) in ("exceeded maximum nesting depth", "found unexpected ':'"):
            raise _LibyamlDiffers() from None
        raise _StreamError("error converting YAML to JSON: yaml: " + translate_yaml_error(exc)) from None
    except RecursionError:  # pragma: no cover - PyYAML's pure parser on absurd input
        raise _StreamError(f"error converting YAML to JSON: yaml: exceeded max depth of {MAX_DEPTH}") from None
    finally:
        loader.dispose()


def translate_yaml_error(exc: Exception) -> str:
    """libyaml's problem and marks, as go-yaml (a port of libyaml) words them in ``yaml: ...``."""
    import yaml

    if isinstance(exc, yaml.reader.ReaderError):
        return _READER_PROBLEMS.get(exc.reason, exc.reason)
    problem = getattr(exc, "problem", None) or "unknown problem parsing YAML content"
    problem = _pure_problem(problem, getattr(exc, "context", None) or "")
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    line = 0
    if problem_mark is not None and problem_mark.line != 0:
        line = problem_mark.line
        if isinstance(exc, yaml.scanner.ScannerError):
            line += 1
    elif context_mark is not None and context_mark.line != 0:
        line = context_mark.line
    where = f"line {line}: " if line else ""
    return where + problem


_READER_PROBLEMS = {
    "special characters are not allowed": "control characters are not allowed",
    "control characters are not allowed": "control characters are not allowed",
}

_PURE_REWRITES = [
    (re.compile(r"found character .* that cannot start any token\Z", re.S), "found character that cannot start any token"),
    (re.compile(r"found unknown escape character .*\Z", re.S), "found unknown escape character"),
    (re.compile(r"found undefined tag handle .*\Z", re.S), "found undefined tag handle"),
    (re.compile(r"found incompatible YAML document .*\Z", re.S), "found incompatible YAML document"),
    (re.compile(r"expected '<document start>', but found .*\Z", re.S), "did not find expected <document start>"),
    (re.compile(r"expected a comment or a line break, but found .*\Z", re.S), "did not find expected comment or line break"),
    (re.compile(r"expected the node content, but found .*\Z", re.S), "did not find expected node content"),
    (re.compile(r"expected (.+?), but (?:found|got) .*\Z", re.S), r"did not find expected \1"),
]


def _pure_problem(problem: str, context: str) -> str:
    """PyYAML's pure-Python parser words libyaml's problems its own way; say them as libyaml does."""
    if problem == "mapping values are not allowed here":
        return "mapping values are not allowed in this context"
    if problem.startswith("expected <block end>, but found"):
        return "did not find expected key" if "mapping" in context else "did not find expected '-' indicator"
    for pattern, replacement in _PURE_REWRITES:
        if pattern.match(problem):
            return pattern.sub(replacement, problem)
    return problem


class _Decoder:
    """go-yaml v2's decoder into interface{}, plus sigs.k8s.io/yaml's conversion to JSON values."""

    def __init__(self) -> None:
        self.decode_count = 0
        self.alias_count = 0
        self.alias_depth = 0
        self.active_aliases: set[int] = set()
        self.convert_error: str | None = None
        self.json_error: str | None = None
        self.too_deep: str | None = None

    def count(self) -> None:
        self.decode_count += 1
        if self.alias_depth:
            self.alias_count += 1
        if (
            self.alias_count > 100
            and self.decode_count > 1000
            and self.alias_count / self.decode_count > _allowed_alias_ratio(self.decode_count)
        ):
            raise _StreamError("error converting YAML to JSON: yaml: document contains excessive aliasing")

    def run(self, root: _Node) -> Any:
        """Drive the decoding generators with an explicit stack (documents may nest 10000 deep)."""
        stack: list[Generator[Any, Any, Any]] = [self.node(root, 1)]
        sent: Any = None
        while True:
            try:
                request = stack[-1].send(sent)
            except StopIteration as stop:
                stack.pop()
                if not stack:
                    return stop.value
                sent = stop.value
                continue
            stack.append(request)
            sent = None

    def node(self, node: _Node, depth: int) -> Generator[Any, Any, Any]:
        self.count()
        if node.kind == "scalar":
            return self.scalar(node)
        if node.kind == "alias":
            return (yield self.alias(node, depth))
        if depth > MAX_DEPTH and self.too_deep is None:
            self.too_deep = "[" if node.kind == "seq" else "{"
        if node.kind == "seq":
            items = []
            for child in node.children:
                items.append((yield self.node(child, depth + 1)))
            return items
        pairs: dict[tuple[str, Any], Any] = {}
        yield self.mapping_into(node, pairs, depth)
        return self.json_map(pairs)

    def alias(self, node: _Node, depth: int) -> Generator[Any, Any, Any]:
        if id(node) in self.active_aliases:
            raise _StreamError(f"error converting YAML to JSON: yaml: anchor '{node.name}' value contains itself")
        assert node.target is not None
        self.active_aliases.add(id(node))
        self.alias_depth += 1
        value = yield self.node(node.target, depth)
        self.alias_depth -= 1
        self.active_aliases.discard(id(node))
        return value

    def mapping_into(self, node: _Node, pairs: dict[tuple[str, Any], Any], depth: int) -> Generator[Any, Any, None]:
        children = node.children
        for i in range(0, len(children) - 1, 2):
            key_node, value_node = children[i], children[i + 1]
            if _is_merge(key_node):
                yield self.merge(value_node, pairs, depth)
                continue
            key = yield self.key(key_node, depth)
            value = yield self.node(value_node, depth + 1)
            pairs[key] = value

    def key(self, node: _Node, depth: int) -> Generator[Any, Any, tuple[str, Any]]:
        """A map key as go-yaml types it; lists and maps are refused as go-yaml refuses them."""
        target = node.target if node.kind == "alias" and node.target is not None else node
        if target.kind == "scalar":
            self.count()
            if node.kind == "alias":
                self.alias_depth += 1
                self.count()
                self.alias_depth -= 1
            return self.typed_scalar(target)
        value = yield self.node(node, depth + 1)
        raise _StreamError("error converting YAML to JSON: yaml: invalid map key: " + go_syntax(value))

    def merge(self, node: _Node, pairs: dict[tuple[str, Any], Any], depth: int) -> Generator[Any, Any, None]:
        """``<<``: merged keys overwrite earlier ones; in a list, earlier maps win."""
        want_map = "error converting YAML to JSON: yaml: map merge requires map or sequence of maps as the value"
        if node.kind == "seq":
            members = list(reversed(node.children))
        elif node.kind in ("map", "alias"):
            members = [node]
        else:
            raise _StreamError(want_map)
        for member in members:
            target = member.target if member.kind == "alias" else member
            if target is None or target.kind != "map":
                raise _StreamError(want_map)
            self.count()
            if member.kind == "map":
                yield self.mapping_into(member, pairs, depth)
                continue
            if id(member) in self.active_aliases:
                raise _StreamError(f"error converting YAML to JSON: yaml: anchor '{member.name}' value contains itself")
            self.active_aliases.add(id(member))
            self.alias_depth += 1
            self.count()
            yield self.mapping_into(target, pairs, depth)
            self.alias_depth -= 1
            self.active_aliases.discard(id(member))

    def typed_scalar(self, node: _Node) -> tuple[str, Any]:
        """(go type, value) of a scalar: go-yaml's resolve, with explicit tags honoured."""
        from kubesim.printers.yaml_output import BOOL, FLOAT, INT, NULL, STR, TIMESTAMP, resolve_plain

        tag = _short_tag(node.tag)
        text = node.value
        if not tag and not node.implicit:
            return ("str", text)
        if tag in ("", "!!str", "!!binary", "!!bool", "!!null", "!!int", "!!float", "!!timestamp"):
            if tag in ("!!str", "!!binary"):
                rtag, resolved = STR, text
            else:
                rtag, resolved = resolve_plain(text, timestamps=tag in ("", "!!timestamp"))
            if tag not in ("", rtag, "!!str", "!!binary"):
                if tag == FLOAT and rtag == INT:
                    rtag, resolved = FLOAT, float(resolved)
                else:
                    raise _StreamError(
                        f"error converting YAML to JSON: yaml: cannot decode {rtag} `{text}` as a {tag}"
                    )
            if tag == "!!binary":
                try:
                    data = base64.b64decode(text.replace("\n", "").encode("ascii"), validate=True)
                except (binascii.Error, UnicodeEncodeError, ValueError):
                    raise _StreamError(
                        "error converting YAML to JSON: yaml: !!binary value contains invalid base64 data"
                    ) from None
                return ("str", data.decode("utf-8", "replace"))
            if rtag == NULL:
                return ("null", None)
            if rtag == BOOL:
                return ("bool", resolved)
            if rtag == INT:
                return ("int", resolved) if resolved <= INT64_MAX else ("uint", resolved)
            if rtag == FLOAT:
                return ("float", resolved)
            if rtag == TIMESTAMP:
                return ("str", text)
            return ("str", resolved)
        return ("str", text)

    def scalar(self, node: _Node) -> Any:
        kind, value = self.typed_scalar(node)
        if kind == "float" and (math.isnan(value) or math.isinf(value)) and self.json_error is None:
            self.json_error = f"json: unsupported value: {go_format_float(value, 'g')}"
        if kind == "uint":
            return _Uint(value)
        return value

    def json_map(self, pairs: dict[tuple[str, Any], Any]) -> dict[str, Any]:
        """sigs.k8s.io/yaml's key conversion: ints, floats (as float32) and bools become strings."""
        out: dict[str, Any] = {}
        for (kind, key), value in pairs.items():
            if kind == "str":
                text = key
            elif kind == "int":
                text = str(key)
            elif kind == "bool":
                text = "true" if key else "false"
            elif kind == "float":
                text = _float32_key(key)
            else:
                if self.convert_error is None:
                    shown = "%!s(<nil>)" if kind == "null" else "uint64"
                    shown_key = "<nil>" if kind == "null" else hex(key)
                    self.convert_error = (
                        f"unsupported map key of type: {shown}, key: {shown_key}, value: {go_syntax(value)}"
                    )
                continue
            out[text] = value
        # Keys in JSON's order, which is the order kubectl's decoder meets them in.
        return dict(sorted(out.items()))


class _Uint(int):
    """A uint64 above int64: JSON prints it exactly, kubectl's decoder then makes it a float64."""


def _allowed_alias_ratio(decode_count: int) -> float:
    low, high = 400000, 4000000
    if decode_count <= low:
        return 0.99
    if decode_count >= high:
        return 0.10
    return 0.99 - 0.89 * ((decode_count - low) / (high - low))


def _is_merge(node: _Node) -> bool:
    return node.kind == "scalar" and node.value == "<<" and (node.implicit or _short_tag(node.tag) == "!!merge")


def _short_tag(tag: str) -> str:
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix):] if tag.startswith(prefix) else tag


def _float32_key(value: float) -> str:
    """strconv.FormatFloat(key, 'g', -1, 32): the shortest text that reads back as the float32."""
    import struct

    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    try:
        single = struct.unpack("f", struct.pack("f", value))[0]
    except OverflowError:
        return ".inf" if value > 0 else "-.inf"
    if math.isinf(single):
        return ".inf" if single > 0 else "-.inf"
    for digits in range(1, 10):
        text = f"{single:.{digits}g}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == single:
            return go_format_float(float(text), "g")
    return go_format_float(single, "g")


def yaml_to_json(chunk: str) -> tuple[Any, str]:
    """One YAML document to (value, Go JSON text) as sigs.k8s.io/yaml.YAMLToJSON does it.

    The value still holds go-yaml's numbers (uint64, integral floats); ``_unstructured`` turns them
    into what kubectl decodes from that JSON."""
    root = _parse_first_document(chunk)
    if root is None:
        return None, "null"
    decoder = _Decoder()
    value = decoder.run(root)
    if decoder.convert_error is not None:
        raise _StreamError("error converting YAML to JSON: " + decoder.convert_error)
    if decoder.json_error is not None:
        unsupported = _first_unsupported(value)
        if unsupported is not None:
            raise _StreamError("error converting YAML to JSON: " + unsupported)
    if decoder.too_deep is not None:
        raise _StreamError(
            f"error unmarshaling JSON: while decoding JSON: invalid character '{decoder.too_deep}' exceeded max depth"
        )
    return value, _compact(value)


def parse_yaml_value(text: str) -> Any:
    """A patch or other YAML/JSON text typed on the command line, as kubectl decodes it (yaml.ToJSON then
    JSON); ValueError carries go-yaml's problem (``yaml: mapping values are not allowed in this context``)."""
    try:
        value, _ = yaml_to_json(text)
    except _StreamError as error:
        raise ValueError(error.message.removeprefix("error converting YAML to JSON: ")) from None
    return _unstructured(value)


def _first_unsupported(value: Any) -> str | None:
    """json.Marshal stops at the first NaN or infinity in its own (sorted-key) order."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item[k] for k in sorted(item, reverse=True))
        elif isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, float) and (math.isnan(item) or math.isinf(item)):
            return f"json: unsupported value: {go_format_float(item, 'g')}"
    return None


def _compact(value: Any) -> str:
    """json.Marshal of the converted document: sorted keys, Go escaping, exact integers."""
    out: list[str] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _Raw):
            out.append(item.text)
        elif isinstance(item, dict):
            keys = sorted(item)
            out.append("{")
            parts: list[Any] = []
            for i, key in enumerate(keys):
                parts.append(_Raw(("," if i else "") + go_string(key) + ":"))
                parts.append(item[key])
            parts.append(_Raw("}"))
            stack.extend(reversed(parts))
        elif isinstance(item, list):
            out.append("[")
            parts = []
            for i, child in enumerate(item):
                if i:
                    parts.append(_Raw(","))
                parts.append(child)
            parts.append(_Raw("]"))
            stack.extend(reversed(parts))
        elif item is None:
            out.append("null")
        elif item is True:
            out.append("true")
        elif item is False:
            out.append("false")
        elif isinstance(item, str):
            out.append(go_string(item))
        elif isinstance(item, int):
            out.append(str(int(item)))
        else:
            out.append(json_float(item))
    return "".join(out)


@dataclass(frozen=True)
class _Raw:
    text: str


# --- Go's %#v, for the few messages that print YAML values -------------------------------------


def go_quote(text: str) -> str:
    """strconv.Quote."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in "\a\b\f\n\r\t\v":
            out.append({"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}[ch])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif _go_is_print(ch):
            out.append(ch)
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def _go_is_print(ch: str) -> bool:
    if ch == " ":
        return True
    category = unicodedata.category(ch)
    return category[0] in "LMNPS"


def go_syntax(value: Any) -> str:
    """fmt's %#v for the interface{} values go-yaml decodes."""
    if value is None:
        return "<nil>"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, _Uint):
        return hex(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_format_float(value, "g")
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, list):
        return "[]interface {}{" + ", ".join(go_syntax(v) for v in value) + "}"
    if isinstance(value, dict):
        items = ", ".join(f"{go_quote(k)}:{go_syntax(v)}" for k, v in sorted(value.items()))
        return "map[interface {}]interface {}{" + items + "}"
    return str(value)


# --- JSON, the encoding/json way ---------------------------------------------------------------


@dataclass
class _JSONProblem:
    message: str
    offset: int | None  # None: unexpected EOF (not a SyntaxError)

    def with_offset(self) -> str:
        if self.offset is None:
            return self.message
        return f"json: offset {self.offset}: {self.message}"


_JSON_WS = b" \t\n\r"


def _quote_byte(byte: int) -> str:
    """encoding/json's quoteChar: the byte as a rune, strconv-quoted inside single quotes."""
    if byte == 0x27:
        return "'\\''"
    if byte == 0x22:
        return "'\"'"
    return "'" + go_quote(chr(byte))[1:-1] + "'"


def _scan_json_value(data: bytes, pos: int) -> tuple[int, int] | _JSONProblem | None:
    """One value as json.Decoder reads it: (start, end), a problem, or None at a clean end."""
    n = len(data)
    i = pos
    while i < n and data[i] in _JSON_WS:
        i += 1
    if i >= n:
        return None
    start = i
    stack: list[int] = []  # b"{" or b"[" per open container

    def fail(at: int, context: str) -> _JSONProblem:
        return _JSONProblem(f"invalid character {_quote_byte(data[at])} {context}", at + 1)

    eof = _JSONProblem("unexpected EOF", None)
    expecting_value = True
    context = "looking for beginning of value"
    while True:
        if expecting_value:
            while i < n and data[i] in _JSON_WS:
                i += 1
            if i >= n:
                return eof
            c = data[i]
            if c in b"{[":
                stack.append(c)
                if len(stack) > MAX_DEPTH:
                    return fail(i, "exceeded max depth")
                i += 1
                while i < n and data[i] in _JSON_WS:
                    i += 1
                if i >= n:
                    return eof
                closer = 0x7D if c == 0x7B else 0x5D
                if data[i] == closer:
                    stack.pop()
                    i += 1
                    expecting_value = False
                elif c == 0x7B:
                    if data[i] != 0x22:
                        return fail(i, "looking for beginning of object key string")
                    result = _scan_key(data, i, fail)
                    if isinstance(result, _JSONProblem):
                        return result
                    i = result
                else:
                    context = "looking for beginning of value"
                continue
            if c == 0x22:
                result = _scan_string(data, i, fail)
            elif c == 0x2D or 0x30 <= c <= 0x39:
                result = _scan_number(data, i, fail)
            elif c in b"tfn":
                result = _scan_literal(data, i, fail)
            else:
                return fail(i, context)
            if isinstance(result, _JSONProblem):
                return result
            i = result
            expecting_value = False
            continue
        if not stack:
            return start, i
        while i < n and data[i] in _JSON_WS:
            i += 1
        if i >= n:
            return eof
        c = data[i]
        top = stack[-1]
        if top == 0x7B:
            if c == 0x2C:
                i += 1
                while i < n and data[i] in _JSON_WS:
                    i += 1
                if i >= n:
                    return eof
                if data[i] != 0x22:
                    return fail(i, "looking for beginning of object key string")
                result = _scan_key(data, i, fail)
                if isinstance(result, _JSONProblem):
                    return result
                i = result
                expecting_value = True
                context = "looking for beginning of value"
            elif c == 0x7D:
                stack.pop()
                i += 1
            else:
                return fail(i, "after object key:value pair")
        else:
            if c == 0x2C:
                i += 1
                expecting_value = True
                context = "looking for beginning of value"
            elif c == 0x5D:
                stack.pop()
                i += 1
            else:
                return fail(i, "after array element")


def _scan_key(data: bytes, i: int, fail: Callable[[int, str], _JSONProblem]) -> int | _JSONProblem:
    """A key string and its colon; returns the index just past the colon."""
    result = _scan_string(data, i, fail)
    if isinstance(result, _JSONProblem):
        return result
    i = result
    while i < len(data) and data[i] in _JSON_WS:
        i += 1
    if i >= len(data):
        return _JSONProblem("unexpected EOF", None)
    if data[i] != 0x3A:
        return fail(i, "after object key")
    return i + 1


def _scan_string(data: bytes, i: int, fail: Callable[[int, str], _JSONProblem]) -> int | _JSONProblem:
    n = len(data)
    i += 1
    while i < n:
        c = data[i]
        if c == 0x22:
            return i + 1
        if c == 0x5C:
            i += 1
            if i >= n:
                break
            if data[i] == 0x75:
                for _ in range(4):
                    i += 1
                    if i >= n:
                        return _JSONProblem("unexpected EOF", None)
                    if data[i] not in b"0123456789abcdefABCDEF":
                        return fail(i, "in \\u hexadecimal character escape")
            elif data[i] not in b'"\\/bfnrt':
                return fail(i, "in string escape code")
        elif c < 0x20:
            return fail(i, "in string literal")
        i += 1
    return _JSONProblem("unexpected EOF", None)


def _scan_number(data: bytes, i: int, fail: Callable[[int, str], _JSONProblem]) -> int | _JSONProblem:
    n = len(data)
    eof = _JSONProblem("unexpected EOF", None)
    if data[i] == 0x2D:
        i += 1
        if i >= n:
            return eof
        if not 0x30 <= data[i] <= 0x39:
            return fail(i, "in numeric literal")
    if data[i] == 0x30:
        i += 1
    else:
        while i < n and 0x30 <= data[i] <= 0x39:
            i += 1
    if i < n and data[i] == 0x2E:
        i += 1
        if i >= n:
            return eof
        if not 0x30 <= data[i] <= 0x39:
            return fail(i, "after decimal point in numeric literal")
        while i < n and 0x30 <= data[i] <= 0x39:
            i += 1
    if i < n and data[i] in b"eE":
        i += 1
        if i < n and data[i] in b"+-":
            i += 1
        if i >= n:
            return eof
        if not 0x30 <= data[i] <= 0x39:
            return fail(i, "in exponent of numeric literal")
        while i < n and 0x30 <= data[i] <= 0x39:
            i += 1
    return i


def _scan_literal(data: bytes, i: int, fail: Callable[[int, str], _JSONProblem]) -> int | _JSONProblem:
    word = {0x74: b"true", 0x66: b"false", 0x6E: b"null"}[data[i]]
    for k in range(1, len(word)):
        if i + k >= len(data):
            return _JSONProblem("unexpected EOF", None)
        if data[i + k] != word[k]:
            name = word.decode()
            return fail(i + k, f"in literal {name} (expecting {_quote_byte(word[k])})")
    return i + len(word)


class _NumberError(Exception):
    pass


_SURROGATE = re.compile("[\ud800-\udfff]")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_JSON_SPACE = re.compile(r"[ \t\n\r]*")


@dataclass(frozen=True)
class _Undecodable:
    message: str


def _go_number(text: str) -> int | float:
    """apimachinery's number conversion: int64 when the literal is one, else float64."""
    if "." not in text and "e" not in text and "E" not in text:
        value = int(text)
        if INT64_MIN <= value <= INT64_MAX:
            return value
    number = float(text)
    if math.isinf(number):
        raise _NumberError(f"json: cannot unmarshal number {text} into Go value of type float64")
    return number


def _json_loads(raw: str) -> Any:
    """Decode one JSON value (already checked by the scanner) without recursion, as kubectl does:
    numbers via ``_go_number``, unpaired surrogate escapes as U+FFFD."""
    from json.decoder import scanstring

    root: list[Any] = []
    stack: list[Any] = [root]  # containers being filled; dicts carry their pending key in keys
    keys: list[str | None] = [None]
    pos = 0
    try:
        while True:
            pos = _JSON_SPACE.match(raw, pos).end()  # type: ignore[union-attr]
            if pos >= len(raw):
                break
            ch = raw[pos]
            if ch in ",:":
                pos += 1
                continue
            if ch in "}]":
                done = stack.pop()
                keys.pop()
                pos += 1
                _json_put(stack, keys, done)
                continue
            if ch == '"':
                text, pos = scanstring(raw, pos + 1)
                if _SURROGATE.search(text):
                    text = _SURROGATE.sub("\ufffd", text)
                container = stack[-1]
                if isinstance(container, dict) and keys[-1] is None:
                    keys[-1] = text
                else:
                    _json_put(stack, keys, text)
                continue
            if ch in "{[":
                stack.append({} if ch == "{" else [])
                keys.append(None)
                pos += 1
                continue
            for word, value in (("true", True), ("false", False), ("null", None)):
                if raw.startswith(word, pos):
                    _json_put(stack, keys, value)
                    pos += len(word)
                    break
            else:
                match = _NUMBER.match(raw, pos)
                assert match is not None
                _json_put(stack, keys, _go_number(match.group()))
                pos = match.end()
    except _NumberError as exc:
        return _Undecodable(str(exc))
    return root[0] if root else None


def _json_put(stack: list[Any], keys: list[str | None], value: Any) -> None:
    container = stack[-1]
    if isinstance(container, dict):
        container[keys[-1]] = value
        keys[-1] = None
    else:
        container.append(value)


def _unstructured(value: Any) -> Any:
    """A converted YAML document as kubectl's decoder holds it after the JSON round trip."""
    def number(item: Any) -> Any:
        if isinstance(item, bool) or item is None or isinstance(item, str):
            return item
        if isinstance(item, _Uint):
            return float(item)
        if isinstance(item, float):
            return _go_number(json_float(item))
        return item

    if not isinstance(value, dict | list):
        return number(value)
    stack = [value]
    while stack:
        item = stack.pop()
        pairs = item.items() if isinstance(item, dict) else enumerate(item)
        for key, child in list(pairs):
            if isinstance(child, dict | list):
                stack.append(child)
            else:
                item[key] = number(child)
    return value


# --- from document to objects ------------------------------------------------------------------


def _validation_error(value: Any) -> str | None:
    """What kubectl's client-side validation says before it needs the server's schema."""
    if isinstance(value, _Undecodable):
        return value.message
    if not isinstance(value, dict):
        return "invalid object to validate"
    errors = _object_kind_errors(value)
    if errors:
        return _aggregate(errors)
    if value.get("apiVersion") == "v1" and value.get("kind") == "List":
        items = value.get("items")
        if not isinstance(items, list):
            return "invalid object to validate"
        item_errors: list[str] = []
        for item in items:
            item_errors.extend(_object_kind_errors(item))
        if item_errors:
            return _aggregate(item_errors)
    return None


def _object_kind_errors(value: Any) -> list[str]:
    if not isinstance(value, dict):
        return ["invalid object to validate"]
    errors = []
    api_version = value.get("apiVersion")
    if api_version is None:
        errors.append("apiVersion not set")
    elif not isinstance(api_version, str):
        errors.append("apiVersion isn't string type")
    elif api_version.count("/") > 1 and api_version != "/":
        errors.append(f"unexpected GroupVersion string: {api_version}")
    kind = value.get("kind")
    if kind is None:
        errors.append("kind not set")
    elif not isinstance(kind, str):
        errors.append("kind isn't string type")
    return errors


def _aggregate(messages: list[str]) -> str:
    """utilerrors' aggregate text: one message alone, else [a, b] with repeats dropped."""
    unique = list(dict.fromkeys(messages))
    if len(unique) == 1:
        return unique[0]
    return "[" + ", ".join(unique) + "]"


def _objects(doc: _Document, source: str) -> Iterator[dict[str, Any] | ReadFailure]:
    """The unstructured decoder and the list flattener: objects, or why one could not be had."""
    prefix = f"unable to decode {go_quote(source)}: "
    value = doc.value
    if isinstance(value, _Undecodable):
        yield ReadFailure(prefix + value.message)
        return
    if not isinstance(value, dict):
        yield ReadFailure(prefix + f"json: cannot unmarshal {json_type_name(value)} into Go value of type unstructured.detector")
        return
    if "items" in value:
        items = value["items"]
        if items is not None and not isinstance(items, list):
            yield ReadFailure(
                prefix + f"json: cannot unmarshal {json_type_name(items)} into Go struct field decodeList.items "
                "of type []json.RawMessage"
            )
            return
        for item in items or []:
            if item is not None and not isinstance(item, dict):
                yield ReadFailure(
                    prefix + f"json: cannot unmarshal {json_type_name(item)} into Go value of type map[string]interface {{}}"
                )
                return
        if not _string_field(value, "kind"):
            yield ReadFailure(prefix + f"Object 'Kind' is missing in '{doc.raw}'")
            return
        problem = _metadata_problem(value)
        if problem is not None:
            yield ReadFailure(prefix + problem)
            return
        item_kind = value["kind"][: -len("List")] if value["kind"].endswith("List") else value["kind"]
        list_version = _string_field(value, "apiVersion")
        problems = []
        for raw_item in items or []:
            item = dict(raw_item or {})
            if not _string_field(item, "kind") and not _string_field(item, "apiVersion"):
                item["kind"] = item_kind
                item["apiVersion"] = list_version
            typed = "unable to get type info from the object \"*unstructured.Unstructured\": "
            if not _string_field(item, "kind"):
                problems.append(typed + "Object 'Kind' is missing in 'object has no kind field '")
            elif not _string_field(item, "apiVersion"):
                problems.append(typed + "Object 'apiVersion' is missing in 'object has no apiVersion field'")
            else:
                yield item
        if problems:
            yield ReadFailure(_aggregate(problems), tuple(problems))
        return
    if not _string_field(value, "kind"):
        yield ReadFailure(prefix + f"Object 'Kind' is missing in '{doc.raw}'")
        return
    problem = _metadata_problem(value)
    if problem is not None:
        yield ReadFailure(prefix + problem)
        return
    yield value


def _string_field(obj: dict[str, Any], name: str) -> str:
    value = obj.get(name)
    return value if isinstance(value, str) else ""


_META_STRINGS = ("name", "generateName", "namespace", "selfLink", "uid", "resourceVersion")
_META_INTS = ("generation", "deletionGracePeriodSeconds")
_META_TIMES = ("creationTimestamp", "deletionTimestamp")


def _metadata_problem(obj: dict[str, Any]) -> str | None:
    """kubectl decodes apiVersion, kind and metadata into typed Go structs: the first type error."""
    saved: str | None = None

    def mismatch(value: Any, where: str, go_type: str) -> str:
        return f"json: cannot unmarshal {json_type_name(value)} into Go struct field {where} of type {go_type}"

    for key, value in obj.items():
        if key in ("apiVersion", "kind"):
            if value is not None and not isinstance(value, str):
                saved = saved or mismatch(value, f"metadataOnlyObject.TypeMeta.{key}", "string")
        elif key == "metadata" and value is not None:
            if not isinstance(value, dict):
                saved = saved or mismatch(value, "metadataOnlyObject.metadata", "v1.ObjectMeta")
                continue
            for field_name, item in value.items():
                where = f"ObjectMeta.metadata.{field_name}"
                if item is None:
                    continue
                if field_name in _META_STRINGS and not isinstance(item, str):
                    saved = saved or mismatch(item, where, "string")
                elif field_name in _META_INTS:
                    if isinstance(item, bool) or not isinstance(item, int | float):
                        saved = saved or mismatch(item, where, "int64")
                    elif isinstance(item, float):
                        text = json_float(item)
                        saved = saved or f"json: cannot unmarshal number {text} into Go struct field {where} of type int64"
                elif field_name in _META_TIMES:
                    if not isinstance(item, str):
                        return mismatch(item, where, "string")
                    problem = _rfc3339_problem(item)
                    if problem is not None:
                        return problem
                elif field_name in ("labels", "annotations"):
                    if not isinstance(item, dict):
                        saved = saved or mismatch(item, where, "map[string]string")
                    else:
                        for entry in item.values():
                            if entry is not None and not isinstance(entry, str):
                                saved = saved or mismatch(entry, where, "string")
                elif field_name == "finalizers":
                    if not isinstance(item, list):
                        saved = saved or mismatch(item, where, "[]string")
                    else:
                        for entry in item:
                            if entry is not None and not isinstance(entry, str):
                                saved = saved or mismatch(entry, where, "string")
                elif field_name == "ownerReferences":
                    if not isinstance(item, list):
                        saved = saved or mismatch(item, where, "[]v1.OwnerReference")
                    else:
                        for entry in item:
                            if entry is not None and not isinstance(entry, dict):
                                saved = saved or mismatch(entry, where, "v1.OwnerReference")
                elif field_name == "managedFields":
                    if not isinstance(item, list):
                        saved = saved or mismatch(item, where, "[]v1.ManagedFieldsEntry")
                    else:
                        for entry in item:
                            if entry is not None and not isinstance(entry, dict):
                                saved = saved or mismatch(entry, where, "v1.ManagedFieldsEntry")
    return saved


RFC3339 = "2006-01-02T15:04:05Z07:00"


def _time_quote(text: str) -> str:
    """time's own quote: non-ASCII and control bytes as \\xNN."""
    out = ['"']
    for ch in text:
        if ord(ch) >= 0x80 or ord(ch) < 0x20:
            out.extend(f"\\x{b:02x}" for b in ch.encode("utf-8", "replace"))
        else:
            if ch in '"\\':
                out.append("\\")
            out.append(ch)
    out.append('"')
    return "".join(out)


def _rfc3339_problem(value: str) -> str | None:
    """time.Parse(time.RFC3339, value)'s error, or None when it parses."""
    layout = RFC3339

    def cannot(rest: str, elem: str) -> str:
        return f"parsing time {_time_quote(value)} as {_time_quote(layout)}: cannot parse {_time_quote(rest)} as {_time_quote(elem)}"

    def out_of_range(what: str) -> str:
        return f"parsing time {_time_quote(value)}: {what} out of range"

    rest = value

    def digits(count: int, fixed: bool) -> tuple[int, str] | None:
        if not rest[:1].isdigit() or not rest[:1].isascii():
            return None
        if len(rest) > 1 and rest[1] in "0123456789":
            return int(rest[:2]), rest[2:]
        if fixed:
            return None
        return int(rest[0]), rest[1:]

    if len(rest) < 4 or rest[0] not in "0123456789":
        return cannot(rest, "2006")
    year_text, rest = rest[:4], rest[4:]
    if not all(c in "0123456789" for c in year_text):
        return cannot(value, "2006")
    year = int(year_text)
    fields: dict[str, int] = {}
    for literal, elem, fixed, limit, label in (
        ("-", "01", True, 12, "month"),
        ("-", "02", True, None, "day"),
        ("T", "15", False, 23, "hour"),
        (":", "04", True, 59, "minute"),
        (":", "05", True, 59, "second"),
    ):
        if not rest.startswith(literal):
            return cannot(rest, literal)
        rest = rest[len(literal):]
        got = digits(2, fixed)
        if got is None:
            return cannot(rest, elem)
        number, rest = got
        if label == "month" and not 1 <= number <= 12:
            return out_of_range("month")
        if limit is not None and label != "month" and number > limit:
            return out_of_range(label)
        fields[label] = number
    if len(rest) >= 2 and rest[0] in ".," and rest[1] in "0123456789":
        k = 1
        while k < len(rest) and rest[k] in "0123456789":
            k += 1
        rest = rest[k:]
    if rest.startswith("Z"):
        rest = rest[1:]
    else:
        if len(rest) < 6 or rest[3] != ":" or rest[0] not in "+-":
            return cannot(rest, "Z07:00")
        hh, mm = rest[1:3], rest[4:6]
        if not (hh.isdigit() and mm.isdigit() and hh.isascii() and mm.isascii()):
            return cannot(rest, "Z07:00")
        if int(hh) > 24:
            return out_of_range("time zone offset hour")
        if int(mm) > 60:
            return out_of_range("time zone offset minute")
        rest = rest[6:]
    if rest:
        return f"parsing time {_time_quote(value)}: extra text: {_time_quote(rest)}"
    from kubesim.printers.yaml_output import days_in_month

    if not 1 <= fields["day"] <= days_in_month(fields["month"], year):
        return out_of_range("day")
    return None
