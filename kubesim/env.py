"""The one environment object: what differs between a user's run and a test's.

Nothing else in kubesim reads ``os.environ``, the wall clock or the process's streams on its own;
it is handed an ``Env``.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

TYPE_CHECKING = False  # typing costs a few ms per command; annotations alone need it
if TYPE_CHECKING:
    import random
    from typing import IO


class Env:
    def __init__(self, home: str | os.PathLike[str], stdin: IO[str], stdout: IO[str], stderr: IO[str], seed: int | None = None,
                 wall_clock: Callable[[], float] = time.time, stdin_is_terminal: bool = False,
                 stdout_is_terminal: bool = False, variables: Mapping[str, str] | None = None,
                 stderr_is_terminal: bool = False) -> None:
        # A plain string path: pathlib alone costs several ms of every command's start-up.
        self.home = os.fspath(home)
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.seed = seed
        self.wall_clock = wall_clock
        self.stdin_is_terminal = stdin_is_terminal
        self.stdout_is_terminal = stdout_is_terminal
        self.stderr_is_terminal = stderr_is_terminal
        self.variables = dict(variables or {})

    @classmethod
    def from_process(cls, environ: Mapping[str, str] | None = None) -> Env:
        """Read the process's environment once, at the front door."""
        environ = dict(os.environ if environ is None else environ)
        home = environ.get("KUBESIM_HOME") or os.path.join(os.path.expanduser(environ.get("HOME", "~")), ".kubesim")
        seed = _seed(environ.get("KUBESIM_SEED"))
        frozen = environ.get("KUBESIM_WALL_CLOCK")
        wall_clock = time.time
        if frozen:
            moment = _frozen_moment(frozen)
            wall_clock = lambda: moment  # noqa: E731 - a frozen clock for reproducible transcripts
        return cls(
            home=home, stdin=sys.stdin, stdout=sys.stdout, stderr=sys.stderr, seed=seed,
            wall_clock=wall_clock, stdin_is_terminal=_isatty(sys.stdin),
            stdout_is_terminal=_isatty(sys.stdout), variables=environ, stderr_is_terminal=_isatty(sys.stderr),
        )

    def random_source(self, salt: str) -> random.Random:
        """A random source: reproducible for a given seed and salt, else truly random."""
        import random

        if self.seed is None:
            return random.Random()
        return random.Random(f"{self.seed}:{salt}")

    def path(self, name: str) -> str:
        """A file in KUBESIM_HOME."""
        return os.path.join(self.home, name)

    def wall_now(self) -> datetime:
        return datetime.fromtimestamp(self.wall_clock(), UTC)


def _seed(text: str | None) -> int | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise _bad_variable("KUBESIM_SEED", text, "is not an integer (e.g. 42)") from None


def _frozen_moment(text: str) -> float:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except (ValueError, OverflowError, OSError):
        raise _bad_variable("KUBESIM_WALL_CLOCK", text,
                            "is not an RFC 3339 time (e.g. 2024-07-01T10:00:00Z)") from None


def _bad_variable(name: str, value: str, problem: str) -> Exception:
    import json

    from kubesim.errors import KubectlError

    return KubectlError(f"{name}={json.dumps(value, ensure_ascii=False)} {problem}")


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
