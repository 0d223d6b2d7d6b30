"""A simulated process inside a container: what every in-pod tool receives.

Nothing here starts a host process. A tool is a Python function ``run(proc) -> exit code`` that
reads ``proc.argv``, ``proc.env``, ``proc.stdin`` and the container's filesystem, writes to
``proc.stdout``/``proc.stderr``, and reaches other pods only through ``proc.network``.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from kubesim.net.network import Network


class FileSystem(Protocol):
    """A container's filesystem: the image's files under a writable layer kept in the store."""

    def read(self, path: str) -> bytes:
        """Content of a regular file; raises FileNotFoundError / IsADirectoryError / PermissionError."""

    def write(self, path: str, data: bytes, append: bool = False) -> None:
        """Create or replace (or append to) a regular file; the parent directory must exist."""

    def exists(self, path: str) -> bool: ...

    def is_dir(self, path: str) -> bool: ...

    def list_dir(self, path: str) -> list[str]:
        """Names in a directory, sorted; raises FileNotFoundError / NotADirectoryError."""

    def mkdir(self, path: str, parents: bool = False) -> None: ...

    def remove(self, path: str, recursive: bool = False) -> None: ...

    def stat(self, path: str) -> dict[str, Any]:
        """``{"kind": "file"|"dir", "mode": int, "size": int, "mtime": float}``."""


@dataclass
class Process:
    """One command running in a container, with its own streams and environment."""

    api: Any  # the request's ApiServer: the cluster as of this request, and its clock
    pod: dict
    container: dict
    image: Any  # kubesim.runtime.images.Image
    argv: list[str]
    env: dict[str, str]
    fs: FileSystem
    network: Network
    stdin: str = ""
    # Anything with write(str): a StringIO for pipes and captured output, the terminal when streaming.
    stdout: Any = field(default_factory=io.StringIO)
    stderr: Any = field(default_factory=io.StringIO)
    cwd: str = "/"
    stdin_is_tty: bool = False
    stdout_is_tty: bool = False

    def out(self, text: str) -> None:
        self.stdout.write(text)

    def err(self, text: str) -> None:
        self.stderr.write(text)

    @property
    def hostname(self) -> str:
        return self.pod.get("spec", {}).get("hostname") or self.pod["metadata"]["name"]


Tool = Callable[[Process], int]
