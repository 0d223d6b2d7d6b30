"""Finding and starting programs inside a container — never on the host.

``find_tool`` maps a command name (or a path such as ``/usr/bin/curl``) to the in-pod tool the
image ships; ``spawn`` runs a child command for a shell (127 without a word when it is missing: the
shell words its own "not found"); ``run_in_container`` starts a command the way the container
runtime does for ``kubectl exec``, raising ``ExecError`` with the runtime's text when it cannot.

Tools are modules ``kubesim.runtime.tools.<name>`` with ``run(proc) -> int``, imported by name on
first use, so a command costs only the tools it runs.
"""

from __future__ import annotations

import dataclasses
import importlib
import io
import posixpath
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kubesim.runtime.images import Image, image_of
from kubesim.runtime.process import Process, Tool

NOT_FOUND = 127
CANNOT_EXECUTE = 126
EXECVP_DEFAULT_PATH = "/bin:/usr/bin"  # what execvp searches when PATH is unset (glibc's _CS_PATH)


class ExecError(Exception):
    """The runtime could not start the command; ``message`` is what containerd/runc report."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SessionEnded(Exception):
    """The pod of an interactive session went away while the user was typing (killed: exit 137)."""

    status = 137


class Interaction:
    """Lets a long interactive session (``exec -it POD -- sh``) give the store back between commands.

    The exec runs inside one write transaction. Before the shell waits for the next line,
    ``waiting()`` commits the work so far and keeps only a read snapshot, so other kubesim commands run
    meanwhile; ``working()``, once a line arrives, takes the write lock again and moves ``api.now`` to
    the current cluster time. The same ``api`` object stays valid throughout, so a tool never holds a
    stale handle. If the pod was deleted in between, the session ends as a killed process would.
    """

    def __init__(self, cluster: Any, api: Any, pod: dict) -> None:
        self.cluster = cluster
        self.api = api
        self.pod_uid = pod["metadata"].get("uid")
        self.pod_key = (pod["metadata"].get("namespace", "default"), pod["metadata"]["name"])

    def waiting(self) -> None:
        self.api.tx.checkpoint(write=False)

    def working(self) -> None:
        from kubesim.api.registry import kind_named

        self.api.tx.checkpoint(write=True)
        self.api.now = self.cluster.now(self.api.tx)
        current = self.api.find(kind_named("Pod"), *self.pod_key)
        if current is None or current["metadata"].get("uid") != self.pod_uid:
            raise SessionEnded(self.pod_key[1])


@dataclass
class ContainerProcess(Process):
    """A ``Process`` started by ``kubectl exec``, with what an interactive session needs besides."""

    # The terminal to read lines from when stdin is a TTY (``Process.stdin`` holds piped text otherwise).
    stdin_stream: Any = None
    interaction: Interaction | None = None

    stdin_offset: int = 0  # how much of a piped ``stdin`` an interactive shell has read so far

    def read_line(self, prompt: str) -> str | None:
        """The next input line for an interactive shell (``-it``, or ``sh -i`` fed by a pipe); None at the end.

        Shells write their prompt to stderr (on a TTY that is the terminal too). The store is released
        while waiting (see ``Interaction``); on the user's real terminal the line is read with Python's
        ``input`` so readline gives editing and history.
        """
        if self.stdin_stream is None:
            return self._read_piped(prompt)
        if self.interaction is not None:
            self.interaction.waiting()
        try:
            return self._read_terminal(prompt)
        finally:
            if self.interaction is not None:
                self.interaction.working()

    def _read_piped(self, prompt: str) -> str | None:
        if self.stdin_offset >= len(self.stdin):
            return None
        self.stderr.write(prompt)
        end = self.stdin.find("\n", self.stdin_offset)
        end = len(self.stdin) if end < 0 else end
        line = self.stdin[self.stdin_offset:end]
        self.stdin_offset = end + 1
        return line

    def _read_terminal(self, prompt: str) -> str | None:
        stream = self.stdin_stream
        if stream is sys.stdin and _isatty(stream):
            try:
                return input(prompt)
            except EOFError:
                return None
            except KeyboardInterrupt:
                self.stdout.write("\n")
                return ""
        self.stderr.write(prompt)
        flush = getattr(self.stderr, "flush", None)
        if flush is not None:
            flush()
        line = stream.readline()
        return line[:-1] if line.endswith("\n") else (line or None)


@dataclass(frozen=True)
class Resolved:
    """What a command name leads to: a tool at a path, or why it cannot run (``missing``, ``denied``)."""

    status: str  # "tool", "script", "missing", "denied"
    path: str = ""
    tool: str = ""
    interpreter: tuple[str, ...] = ()


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def tool_module(name: str) -> str:
    return f"kubesim.runtime.tools.{name}"


def load_tool(name: str) -> Tool:
    """The ``run`` function of a tool module (imported on first use)."""
    return importlib.import_module(tool_module(name)).run


def find_tool(image: Image, name: str, path: str | None = None) -> Tool | None:
    """The tool the image runs for ``name`` — a bare name searched along PATH, or a path — or None."""
    tool_name = tool_named(image, name, path)
    return load_tool(tool_name) if tool_name else None


def tool_named(image: Image, name: str, path: str | None = None) -> str | None:
    if not name:
        return None
    if "/" in name:
        return image.tool_at(posixpath.normpath(name)) if name.startswith("/") else None
    for directory in (path if path is not None else image.path_env).split(":"):
        if directory.startswith("/"):
            found = image.tool_at(posixpath.join(directory, name))
            if found is not None:
                return found
    return None


def resolve(image: Image, fs: Any, name: str, path_env: str, cwd: str = "/") -> Resolved:
    """Where the runtime finds a command in this container, honouring what was deleted or written."""
    if "/" in name:
        return _resolve_path(image, fs, posixpath.normpath(posixpath.join(cwd or "/", name)))
    for directory in path_env.split(":"):
        if not directory.startswith("/"):
            continue
        candidate = _resolve_path(image, fs, posixpath.join(directory, name))
        if candidate.status in ("tool", "script"):
            return candidate
    return Resolved("missing")


def _resolve_path(image: Image, fs: Any, path: str) -> Resolved:
    if not fs.exists(path):
        return Resolved("missing", path)
    if fs.is_dir(path):
        return Resolved("denied", path)
    try:
        mode = int(fs.stat(path).get("mode", 0))
    except OSError:
        return Resolved("denied", path)
    if not mode & 0o111:
        return Resolved("denied", path)
    tool = image.tool_at(path)
    if tool is not None:
        return Resolved("tool", path, tool)
    try:
        head = fs.read(path)[:256]
    except OSError:
        return Resolved("denied", path)
    if head.startswith(b"#!"):
        words = head[2:].split(b"\n", 1)[0].decode("utf-8", "replace").split()
        if words and image.tool_at(words[0]) is not None:
            return Resolved("script", path, str(image.tool_at(words[0])), tuple(words))
    return Resolved("denied", path)


def spawn(parent: Process, argv: list[str], stdin: str, stdout: Any, stderr: Any) -> int:
    """Run a child command in the parent's container; 127 (silently) when the image lacks it."""
    if not argv:
        return 0
    resolved = resolve(parent.image, parent.fs, argv[0], search_path(parent.env), parent.cwd)
    if resolved.status == "missing":
        return NOT_FOUND
    if resolved.status == "denied":
        return CANNOT_EXECUTE
    child_argv = _argv_for(resolved, argv)
    child = dataclasses.replace(parent, argv=child_argv, env=dict(parent.env), stdin=stdin, stdout=stdout,
                                stderr=stderr, stdin_is_tty=False, stdout_is_tty=False)
    return int(load_tool(resolved.tool)(child)) & 0xFF


def search_path(env: dict[str, str]) -> str:
    return env["PATH"] if "PATH" in env else EXECVP_DEFAULT_PATH


def _argv_for(resolved: Resolved, argv: list[str]) -> list[str]:
    if resolved.status == "script":
        return [resolved.interpreter[0], *resolved.interpreter[1:], resolved.path, *argv[1:]]
    return list(argv)


def build_process(api, pod: dict, container: dict, argv: list[str], *, stdin: str = "", stdout: Any = None,
                  stderr: Any = None, tty: bool = False, stdin_stream: Any = None,
                  interaction: Interaction | None = None) -> ContainerProcess:
    """The process ``kubectl exec`` starts: the container's environment, filesystem and network."""
    from kubesim.net.network import Network
    from kubesim.runtime.environment import container_environment
    from kubesim.runtime.filesystem import ContainerFileSystem

    image = image_of(container)
    env = container_environment(api, pod, container, list(image.env), tty)
    fs = ContainerFileSystem(api, pod, container, image)
    cwd = str(container.get("workingDir") or image.workdir or "/")
    out = stdout if stdout is not None else io.StringIO()
    # A TTY has one output stream: the remote stderr arrives on the local stdout.
    err = out if tty else (stderr if stderr is not None else io.StringIO())
    return ContainerProcess(api=api, pod=pod, container=container, image=image, argv=list(argv), env=env, fs=fs,
                            network=Network(api, pod), stdin=stdin, stdout=out, stderr=err, cwd=cwd,
                            stdin_is_tty=tty, stdout_is_tty=tty, stdin_stream=stdin_stream, interaction=interaction)


def run_in_container(api, pod: dict, container: dict, argv: list[str], *, stdin: str = "", stdout: Any = None,
                     stderr: Any = None, tty: bool = False, stdin_stream: Any = None,
                     interaction: Interaction | None = None, exec_id: str = "") -> int:
    """Start ``argv`` in the container as the runtime would; raises ExecError when it cannot start."""
    proc = build_process(api, pod, container, argv, stdin=stdin, stdout=stdout, stderr=stderr, tty=tty,
                         stdin_stream=stdin_stream, interaction=interaction)
    name = argv[0]
    resolved = resolve(proc.image, proc.fs, name, proc.env.get("PATH", ""), proc.cwd)
    if resolved.status != "tool" and resolved.status != "script":
        raise ExecError(runtime_message(exec_id or _exec_id(api), name, resolved, proc.cwd))
    proc.argv = _argv_for(resolved, argv)
    return _with_shell_session(lambda: int(load_tool(resolved.tool)(proc))) & 0xFF


def run_on_host(api, host: dict, image_reference: str, argv: list[str], *, network: Any, stdout: Any,
                stderr: Any, stdin: str = "") -> int:
    """A program on a machine that is not a pod (the user's own, a node): the same simulated tools
    and filesystem, with the network that machine has. Returns 127 when the program is not there."""
    from kubesim.runtime.filesystem import ContainerFileSystem

    container = {"name": "host", "image": image_reference}
    image = image_of(container)
    fs = ContainerFileSystem(api, host, container, image)
    env = {"PATH": dict(image.env).get("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
           "HOSTNAME": host["metadata"]["name"], "HOME": fs.home}
    cwd = str(image.workdir or "/")
    proc = ContainerProcess(api=api, pod=host, container=container, image=image, argv=list(argv), env=env, fs=fs,
                            network=network, stdin=stdin, stdout=stdout, stderr=stderr, cwd=cwd)
    resolved = resolve(image, fs, argv[0], env["PATH"], cwd)
    if resolved.status not in ("tool", "script"):
        stderr.write(f"bash: {argv[0]}: command not found\n")
        return 127
    proc.argv = _argv_for(resolved, argv)
    return _with_shell_session(lambda: int(load_tool(resolved.tool)(proc))) & 0xFF


def runtime_message(exec_id: str, name: str, resolved: Resolved, cwd: str) -> str:
    """containerd + runc's words for a command that cannot start (Go's exec.LookPath errors)."""
    if "/" not in name:
        reason = f'exec: "{name}": executable file not found in $PATH'
    elif resolved.status == "missing":
        shown = name if name.startswith("/") else posixpath.normpath(posixpath.join(cwd, name))
        reason = f'exec: "{name}": stat {shown}: no such file or directory'
    else:
        reason = f'exec: "{name}": permission denied'
    return (f'failed to exec in container: failed to start exec "{exec_id}": OCI runtime exec failed: exec failed: '
            f"unable to start container process: {reason}: unknown")


def _exec_id(api) -> str:
    return f"{api.random.getrandbits(256):064x}"


def _with_shell_session(body: Callable[[], int]) -> int:
    """Each exec gets its own step budget and simulated clock for the tools it runs."""
    from kubesim.runtime.shell.session import Session, activate

    with activate(Session()):
        return body()
