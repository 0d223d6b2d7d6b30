"""A container without a cluster: a real catalogue image over an in-memory filesystem.

The shell and the text tools only need a Process; these fakes let their tests run in
microseconds and say exactly what the container holds.
"""

from __future__ import annotations

import errno
import io
import posixpath
from dataclasses import dataclass

from kubesim.runtime.images import lookup
from kubesim.runtime.process import Process

POD = {"metadata": {"name": "kubia-3inly", "namespace": "default", "uid": "u1"},
       "spec": {"nodeName": "minikube"}, "status": {"podIP": "10.244.0.5"}}


class MemoryFS:
    """The FileSystem protocol over dicts: the image's files and directories, writable."""

    def __init__(self, image, files: dict[str, str] | None = None) -> None:
        self.files: dict[str, bytes] = {}
        self.modes: dict[str, int] = {}
        self.dirs: set[str] = {"/", "/tmp", "/root", "/etc", "/var", "/dev", "/home"}
        for path, spec in image.files.items():
            self._add_parents(path)
            self.files[path] = spec.content
            self.modes[path] = spec.mode
        for path in image.dirs:
            self._add_parents(path + "/x")
            self.dirs.add(path)
        self.files["/etc/hostname"] = b"kubia-3inly\n"
        for path, text in (files or {}).items():
            self.write(path, text.encode(), append=False) if posixpath.dirname(path) in self.dirs else None

    def _add_parents(self, path: str) -> None:
        parent = posixpath.dirname(path)
        while parent and parent not in self.dirs:
            self.dirs.add(parent)
            parent = posixpath.dirname(parent)

    def read(self, path: str) -> bytes:
        if path in self.dirs:
            raise IsADirectoryError(errno.EISDIR, "Is a directory", path)
        if path not in self.files:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)
        return self.files[path]

    def write(self, path: str, data: bytes, append: bool = False) -> None:
        if posixpath.dirname(path) not in self.dirs:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)
        if path in self.dirs:
            raise IsADirectoryError(errno.EISDIR, "Is a directory", path)
        self.files[path] = (self.files.get(path, b"") if append else b"") + data
        self.modes.setdefault(path, 0o644)

    def exists(self, path: str) -> bool:
        return path in self.files or path in self.dirs

    def is_dir(self, path: str) -> bool:
        return path in self.dirs

    def list_dir(self, path: str) -> list[str]:
        if path not in self.dirs:
            if path in self.files:
                raise NotADirectoryError(errno.ENOTDIR, "Not a directory", path)
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)
        prefix = path.rstrip("/") + "/"
        names = {p[len(prefix):].split("/")[0] for p in [*self.files, *self.dirs] if p.startswith(prefix) and p != path}
        return sorted(n for n in names if n)

    def mkdir(self, path: str, parents: bool = False) -> None:
        if self.exists(path):
            raise FileExistsError(errno.EEXIST, "File exists", path)
        if posixpath.dirname(path) not in self.dirs:
            if not parents:
                raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)
            self._add_parents(path)
        self.dirs.add(path)

    def remove(self, path: str, recursive: bool = False) -> None:
        if path in self.files:
            del self.files[path]
            return
        if path not in self.dirs:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)
        children = self.list_dir(path)
        if children and not recursive:
            raise OSError(errno.ENOTEMPTY, "Directory not empty", path)
        prefix = path + "/"
        self.files = {p: c for p, c in self.files.items() if not p.startswith(prefix)}
        self.dirs = {d for d in self.dirs if d != path and not d.startswith(prefix)}

    def stat(self, path: str) -> dict:
        if path in self.dirs:
            return {"kind": "dir", "mode": 0o755, "size": 4096, "mtime": 1719828000.0}
        if path in self.files:
            return {"kind": "file", "mode": self.modes.get(path, 0o644), "size": len(self.files[path]),
                    "mtime": 1719828000.0}
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)


@dataclass
class Result:
    out: str
    err: str
    status: int


def process(image: str = "nginx", argv: list[str] | None = None, stdin: str = "", tty: bool = False,
            files: dict[str, str] | None = None, fs: MemoryFS | None = None) -> Process:
    resolved = lookup(image)
    env = {"PATH": resolved.path_env, "HOSTNAME": "kubia-3inly", "HOME": resolved.user.get("home", "/root")}
    return Process(api=None, pod=POD, container={"name": "main", "image": image}, image=resolved,
                   argv=argv or ["sh"], env=env, fs=fs or MemoryFS(resolved, files), network=None, stdin=stdin,
                   stdout=io.StringIO(), stderr=io.StringIO(), cwd="/", stdin_is_tty=tty, stdout_is_tty=tty)


def run(argv: list[str], image: str = "nginx", stdin: str = "", files: dict[str, str] | None = None,
        fs: MemoryFS | None = None) -> Result:
    """Run one command as ``kubectl exec POD -- argv`` would start it (no shell unless argv is one)."""
    from kubesim.runtime import commands
    from kubesim.runtime.shell.session import Session, activate

    proc = process(image, argv, stdin, files=files, fs=fs)
    resolved = commands.resolve(proc.image, proc.fs, argv[0], proc.env["PATH"], "/")
    assert resolved.status == "tool", resolved
    with activate(Session()):
        status = commands.load_tool(resolved.tool)(proc)
    return Result(proc.stdout.getvalue(), proc.stderr.getvalue(), status)


def sh(script: str, image: str = "nginx", shell: str = "sh", stdin: str = "", files: dict[str, str] | None = None,
       args: list[str] | None = None, fs: MemoryFS | None = None) -> Result:
    return run([shell, "-c", script, *(args or [])], image=image, stdin=stdin, files=files, fs=fs)
