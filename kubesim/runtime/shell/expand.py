"""Word expansion in POSIX order: tilde, parameters / command substitution / arithmetic, field
splitting on IFS, pathname expansion against the container's filesystem, quote removal.

Expanded text travels as segments ``(text, quoted, splittable)`` so the later steps know which
characters came from quotes (never split, never globbed) and which from unquoted expansions.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from kubesim.runtime.shell import syntax as s
from kubesim.runtime.shell.errors import ExpansionError

if TYPE_CHECKING:
    from kubesim.runtime.shell.interpreter import Shell

Segment = tuple[str, bool, bool]
BREAK: Segment = tuple(["", True, False])  # type: ignore[assignment]
"""A field boundary inside "$@": compared by identity, so it must never be a folded constant."""
GLOB_CHARS = frozenset("*?[")


class Expander:
    def __init__(self, shell: Shell) -> None:
        self.sh = shell

    # -- entry points --------------------------------------------------------------------------------
    def words(self, words: list[s.Word]) -> list[str]:
        out: list[str] = []
        for word in words:
            out.extend(self.fields(word))
        return out

    def fields(self, word: s.Word) -> list[str]:
        parts = word.parts
        if len(parts) == 1 and isinstance(parts[0], s.Lit) and not (GLOB_CHARS & set(parts[0].text)) \
                and not parts[0].text.startswith("~"):
            return [parts[0].text]
        segments = self.segments(parts, in_quotes=False, tilde=True)
        result: list[str] = []
        for pieces, keep in self._split(segments):
            text = "".join(t for t, _ in pieces)
            if not text and not keep:
                continue
            if not self.sh.options.get("f") and any(not quoted and GLOB_CHARS & set(t) for t, quoted in pieces):
                pattern = "".join(escape_pattern(t) if quoted else t for t, quoted in pieces)
                matches = self.glob(pattern)
                if matches:
                    result.extend(matches)
                    continue
            result.append(text)
        return result

    def string(self, word: s.Word | None, tilde: bool = False) -> str:
        """Expansion without splitting or globbing: assignments, redirection targets, case words."""
        if word is None:
            return ""
        segments = self.segments(word.parts, in_quotes=False, tilde=tilde)
        return "".join(" " if segment is BREAK else segment[0] for segment in segments)

    def pattern(self, word: s.Word | None) -> str:
        """A word as a glob pattern: quoted characters stand for themselves."""
        if word is None:
            return ""
        segments = self.segments(word.parts, in_quotes=False, tilde=False)
        return "".join(escape_pattern(text) if quoted else text for text, quoted, _ in segments)

    # -- segments -----------------------------------------------------------------------------------
    def segments(self, parts: list[s.Part], in_quotes: bool, tilde: bool = False) -> list[Segment]:
        out: list[Segment] = []
        for index, part in enumerate(parts):
            if isinstance(part, s.Lit):
                text = part.text
                if tilde and index == 0 and text.startswith("~"):
                    expanded, rest = self._tilde(text)
                    if expanded is not None:
                        out.append((expanded, True, False))
                        text = rest
                if text:
                    out.append((text, in_quotes, False))
            elif isinstance(part, s.Quoted):
                out.append((part.text, True, False))
            elif isinstance(part, s.DoubleQuoted):
                out.append(("", True, False))
                out.extend(self.segments(part.parts, in_quotes=True))
            elif isinstance(part, s.Param):
                self._parameter(part, in_quotes, out)
            elif isinstance(part, s.CommandSub):
                out.append((self.sh.command_substitution(part.body), in_quotes, not in_quotes))
            elif isinstance(part, s.Arith):
                out.append((str(self.arith(part)), in_quotes, not in_quotes))
        return out

    def arith(self, part: s.Arith) -> int:
        text = "".join(t for t, _, _ in self.segments(part.parts, in_quotes=True))
        return self.sh.arithmetic(text, part.source)

    def _tilde(self, text: str) -> tuple[str | None, str]:
        slash = text.find("/")
        head, rest = (text, "") if slash < 0 else (text[:slash], text[slash:])
        user = head[1:]
        if user == "":
            home = self.sh.get("HOME")
            return (home if home is not None else "~"), rest
        if user == "root":
            return "/root", rest
        return None, text

    # -- parameters ---------------------------------------------------------------------------------
    def _parameter(self, part: s.Param, in_quotes: bool, out: list[Segment]) -> None:
        sh = self.sh
        if part.bad:
            raise ExpansionError(sh.flavour.bad_substitution(part.source), 1 if sh.flavour.is_bash else 2)
        name, op = part.name, part.op
        if name in ("@", "*") and op in ("", "-", ":-", "+", ":+", "=", ":=", "?", ":?"):
            values = list(sh.positional)
            if op:
                joined = self._join_star(values) if name == "*" or in_quotes else " ".join(values)
                value = self._operator(part, joined if values else None, in_quotes)
                if value is not None:
                    out.append(value)
                    return
            if name == "@" and in_quotes:
                for i, item in enumerate(values):
                    if i:
                        out.append(BREAK)
                    out.append((item, True, False))
                return
            if in_quotes:
                out.append((self._join_star(values), True, False))
                return
            for i, item in enumerate(values):
                if i:
                    out.append((" ", False, True))
                out.append((item, False, True))
            return
        value = sh.get(name) if name not in ("@", "*") else self._join_star(list(sh.positional))
        if op == "len":
            if value is None and sh.options.get("u") and name not in ("@", "*"):
                raise ExpansionError(sh.flavour.unset_parameter(name), 1 if sh.flavour.is_bash else 2)
            if name in ("@", "*"):
                value = str(len(sh.positional))
            else:
                value = str(len(value or ""))
            out.append((value, in_quotes, not in_quotes))
            return
        if op:
            result = self._operator(part, value, in_quotes)
            if result is not None:
                out.append(result)
            return
        if value is None:
            if sh.options.get("u") and name not in ("@", "*", "!", "-"):
                raise ExpansionError(sh.flavour.unset_parameter(name), 1 if sh.flavour.is_bash else 2)
            value = ""
        out.append((value, in_quotes, not in_quotes))

    def _join_star(self, values: list[str]) -> str:
        ifs = self.sh.get("IFS")
        separator = " " if ifs is None else ifs[:1]
        return separator.join(values)

    def _operator(self, part: s.Param, value: str | None, in_quotes: bool) -> Segment | None:
        sh = self.sh
        op, name = part.op, part.name
        unset = value is None
        empty = unset or value == ""
        if op in ("-", ":-"):
            if unset or (op == ":-" and empty):
                return (self.string(part.arg, tilde=True), in_quotes, not in_quotes)
            return (value or "", in_quotes, not in_quotes)
        if op in ("+", ":+"):
            if unset or (op == ":+" and empty):
                return ("", in_quotes, False)
            return (self.string(part.arg, tilde=True), in_quotes, not in_quotes)
        if op in ("=", ":="):
            if unset or (op == ":=" and empty):
                new = self.string(part.arg, tilde=True)
                if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                    raise ExpansionError(self._cannot_assign(name), 1 if sh.flavour.is_bash else 2)
                sh.assign(name, new)
                return (new, in_quotes, not in_quotes)
            return (value or "", in_quotes, not in_quotes)
        if op in ("?", ":?"):
            if unset or (op == ":?" and empty):
                message = self.string(part.arg) if part.arg is not None and part.arg.parts else ""
                if not message:
                    null_too = op == ":?"
                    message = "parameter null or not set" if (null_too or sh.flavour.is_bash) else "parameter not set"
                    if sh.flavour.is_bash and not null_too:
                        message = "parameter null or not set" if not unset else "parameter not set"
                raise ExpansionError(f"{name}: {message}", 1 if sh.flavour.is_bash else 2)
            return (value or "", in_quotes, not in_quotes)
        if value is None:
            if sh.options.get("u"):
                raise ExpansionError(sh.flavour.unset_parameter(name), 1 if sh.flavour.is_bash else 2)
            value = ""
        if op in ("#", "##", "%", "%%"):
            pattern = compile_pattern(self.pattern(part.arg))
            return (strip_pattern(value, pattern, op), in_quotes, not in_quotes)
        if op in ("/", "//"):
            raw = self.pattern(part.arg)
            replacement = self.string(part.arg2)
            return (replace_pattern(value, raw, replacement, op == "//"), in_quotes, not in_quotes)
        if op == ":":
            offset = sh.arithmetic(self.string(part.arg), part.source)
            length = sh.arithmetic(self.string(part.arg2), part.source) if part.arg2 is not None else None
            return (substring(value, offset, length, part.source, sh), in_quotes, not in_quotes)
        if op in ("^^", "^"):
            changed = value.upper() if op == "^^" else value[:1].upper() + value[1:]
            return (changed, in_quotes, not in_quotes)
        if op in (",,", ","):
            changed = value.lower() if op == ",," else value[:1].lower() + value[1:]
            return (changed, in_quotes, not in_quotes)
        raise ExpansionError(sh.flavour.bad_substitution(part.source), 1 if sh.flavour.is_bash else 2)

    def _cannot_assign(self, name: str) -> str:
        if self.sh.flavour.is_bash:
            return f"${name}: cannot assign in this way"
        return f"{name}: bad variable name" if not self.sh.flavour.is_dash else "1: bad variable name"

    # -- field splitting -----------------------------------------------------------------------------
    def _split(self, segments: list[Segment]) -> list[tuple[list[tuple[str, bool]], bool]]:
        ifs = self.sh.get("IFS")
        if ifs is None:
            ifs = " \t\n"
        white = "".join(c for c in ifs if c in " \t\n")
        other = "".join(c for c in ifs if c not in " \t\n")
        fields: list[tuple[list[tuple[str, bool]], bool]] = []
        current: list[tuple[str, bool]] = []
        keep = False

        def finish(force: bool) -> None:
            nonlocal current, keep
            if force or current or keep:
                fields.append((current, keep))
            current, keep = [], False

        for segment in segments:
            if segment is BREAK:
                keep = True
                finish(True)
                keep = True
                continue
            text, quoted, splittable = segment
            if not splittable or not ifs or not any(c in ifs for c in text):
                if text or quoted:
                    current.append((text, quoted))
                if quoted:
                    keep = True
                continue
            i, n = 0, len(text)
            start = 0
            while i < n:
                if text[i] in ifs:
                    if i > start:
                        current.append((text[start:i], False))
                    j = i
                    while j < n and text[j] in white:
                        j += 1
                    hard = False
                    if j < n and text[j] in other:
                        hard = True
                        j += 1
                        while j < n and text[j] in white:
                            j += 1
                    finish(hard)
                    i = start = j
                else:
                    i += 1
            if start < n:
                current.append((text[start:], False))
        finish(False)
        return fields

    # -- pathname expansion --------------------------------------------------------------------------
    def glob(self, pattern: str) -> list[str]:
        fs = self.sh.proc.fs
        absolute = pattern.startswith("/")
        components = [c for c in pattern.split("/") if c != ""]
        if not components:
            return []
        base = "/" if absolute else self.sh.cwd
        candidates = [("/" if absolute else "", base)]
        for index, component in enumerate(components):
            last = index == len(components) - 1
            next_candidates = []
            has_magic = any(c in GLOB_CHARS for c in component)
            for shown, real in candidates:
                if not has_magic:
                    name = unescape_pattern(component)
                    path = posixpath.join(real, name)
                    if last and not fs.exists(path):
                        continue
                    if not last and not fs.is_dir(path):
                        continue
                    next_candidates.append((_join_shown(shown, name), path))
                    continue
                if not fs.is_dir(real):
                    continue
                try:
                    names = fs.list_dir(real)
                except (FileNotFoundError, NotADirectoryError, PermissionError):
                    continue
                regex = compile_pattern(component, path_component=True)
                for name in names:
                    if name.startswith(".") and not component.startswith("."):
                        continue
                    if regex.fullmatch(name):
                        path = posixpath.join(real, name)
                        if not last and not fs.is_dir(path):
                            continue
                        next_candidates.append((_join_shown(shown, name), path))
            candidates = next_candidates
            if not candidates:
                return []
        return sorted(shown for shown, _ in candidates)


def _join_shown(shown: str, name: str) -> str:
    if shown == "":
        return name
    if shown.endswith("/"):
        return shown + name
    return shown + "/" + name


# -- patterns ---------------------------------------------------------------------------------------
_CLASSES = {"alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z", "lower": "a-z",
            "space": " \\t\\n\\r\\f\\v", "blank": " \\t", "punct": "!-/:-@\\[-`{-~", "xdigit": "0-9A-Fa-f",
            "print": " -~", "graph": "!-~", "cntrl": "\\x00-\\x1f\\x7f", "word": "A-Za-z0-9_"}


def escape_pattern(text: str) -> str:
    return re.sub(r"([*?\[\]\\])", r"\\\1", text)


def unescape_pattern(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def compile_pattern(pattern: str, path_component: bool = False) -> re.Pattern[str]:
    """A shell pattern (``*``, ``?``, ``[…]``, backslash escapes) as a regular expression."""
    out = []
    i, n = 0, len(pattern)
    any_char = "[^/]" if path_component else "."
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
        elif c == "*":
            out.append(any_char + "*")
            i += 1
        elif c == "?":
            out.append(any_char)
            i += 1
        elif c == "[":
            bracket, length = _bracket(pattern, i)
            if bracket is None:
                out.append("\\[")
                i += 1
            else:
                out.append(bracket)
                i += length
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("".join(out), re.DOTALL)


def _bracket(pattern: str, start: int) -> tuple[str | None, int]:
    i = start + 1
    n = len(pattern)
    negate = False
    if i < n and pattern[i] in "!^":
        negate = True
        i += 1
    items: list[str] = []
    first = True
    while i < n:
        c = pattern[i]
        if c == "]" and not first:
            body = "".join(items) or "\\x00"
            return ("[^" if negate else "[") + body + "]", i + 1 - start
        first = False
        if c == "[" and pattern.startswith("[:", i):
            end = pattern.find(":]", i + 2)
            if end > 0 and pattern[i + 2:end] in _CLASSES:
                items.append(_CLASSES[pattern[i + 2:end]])
                i = end + 2
                continue
        if c == "\\" and i + 1 < n:
            items.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if i + 2 < n and pattern[i + 1] == "-" and pattern[i + 2] != "]":
            low, high = c, pattern[i + 2]
            if low <= high:
                items.append(re.escape(low) + "-" + re.escape(high))
            i += 3
            continue
        items.append(re.escape(c))
        i += 1
    return None, 0


def strip_pattern(value: str, pattern: re.Pattern[str], op: str) -> str:
    n = len(value)
    if op == "#":
        for k in range(0, n + 1):
            if pattern.fullmatch(value, 0, k):
                return value[k:]
    elif op == "##":
        for k in range(n, -1, -1):
            if pattern.fullmatch(value, 0, k):
                return value[k:]
    elif op == "%":
        for k in range(n, -1, -1):
            if pattern.fullmatch(value, k, n):
                return value[:k]
    else:
        for k in range(0, n + 1):
            if pattern.fullmatch(value, k, n):
                return value[:k]
    return value


def replace_pattern(value: str, raw: str, replacement: str, every: bool) -> str:
    anchor = ""
    if raw.startswith("#") or raw.startswith("%"):
        anchor, raw = raw[0], raw[1:]
    pattern = compile_pattern(raw)
    n = len(value)
    if anchor == "#":
        for k in range(n, -1, -1):
            if pattern.fullmatch(value, 0, k):
                return replacement + value[k:]
        return value
    if anchor == "%":
        for k in range(0, n + 1):
            if pattern.fullmatch(value, k, n):
                return value[:k] + replacement
        return value
    if not raw:
        return value
    out = []
    i = 0
    while i <= n:
        match_end = -1
        for k in range(n, i - 1, -1):
            if pattern.fullmatch(value, i, k):
                match_end = k
                break
        if match_end > i or (match_end == i and False):
            out.append(replacement)
            i = match_end
            if not every:
                out.append(value[i:])
                return "".join(out)
            continue
        if i < n:
            out.append(value[i])
        i += 1
    return "".join(out)


def substring(value: str, offset: int, length: int | None, source: str, shell) -> str:
    n = len(value)
    if offset < 0:
        offset = max(0, n + offset)
    if offset > n:
        return ""
    if length is None:
        return value[offset:]
    if length < 0:
        end = n + length
        if end < offset:
            raise ExpansionError(f"{length}: substring expression < 0", 1)
        return value[offset:end]
    return value[offset:offset + length]
