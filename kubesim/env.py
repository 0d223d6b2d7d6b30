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
        seed_text = environ.get("KUBESIM_SEED")
        seed = int(seed_text) if seed_text and seed_text.lstrip("-").isdigit() else None
        frozen = environ.get("KUBESIM_WALL_CLOCK")
        wall_clock = time.time
        if frozen:
            moment = datetime.fromisoformat(frozen.replace("Z", "+00:00")).timestamp()
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


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
