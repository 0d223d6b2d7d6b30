"""kubesim's command server: everything imported once, a forked worker per command.

``kubesim.client`` connects to a UNIX socket in a private per-user folder and hands over a command
line with its descriptors. The server only accepts (from its own uid: SO_PEERCRED) and forks; the
worker reads the request, adopts the client's stdin/stdout/stderr, working directory, environment
and umask, reseeds the random sources and runs the command exactly as a direct run would, opening its
own SQLite connection. Each worker starts from the server's freshly imported state, so nothing a
command does can reach the next one; a worker that crashes or hangs holds up nobody.

The server leaves after ``KUBESIM_SERVER_IDLE`` seconds without a command (600 by default), when
asked (``kubesim server stop``), and when a client's fingerprint shows that other code is installed
now (the client then runs the command itself). It never listens on the network.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time

from kubesim.client import PROTOCOL, fingerprint, private_directory

DEFAULT_IDLE_SECONDS = 600.0


def peer_allowed(peer_uid: int, own_uid: int) -> bool:
    """Only the server's own user may hand it commands (root included: no one else's)."""
    return peer_uid == own_uid


class Server:
    def __init__(self, directory: str, idle_seconds: float) -> None:
        self.directory = directory
        self.path = os.path.join(directory, "server.sock")
        self.idle_seconds = idle_seconds
        self.started = time.time()
        self.served = 0
        self.fingerprint = ""
        self.listener: socket.socket | None = None
        self.inode: int | None = None

    def serve(self) -> None:
        self.fingerprint = fingerprint()
        previous = os.umask(0o177)
        try:
            if os.path.exists(self.path):
                os.unlink(self.path)  # a dead server's socket: the lock says nobody else is serving
            self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.listener.bind(self.path)
        finally:
            os.umask(previous)
        self.inode = os.stat(self.path).st_ino
        self.listener.listen(128)
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the workers
        signal.signal(signal.SIGTERM, lambda *_: self.stop())
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        import select

        last = time.monotonic()
        while True:
            remaining = self.idle_seconds - (time.monotonic() - last)
            if remaining <= 0:
                self.stop()
            ready, _, _ = select.select([self.listener], [], [], remaining)
            if not ready:
                continue
            try:
                connection, _ = self.listener.accept()
            except OSError:
                continue
            last = time.monotonic()
            self._fork_worker(connection)

    def _fork_worker(self, connection: socket.socket) -> None:
        creds = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)
        peer_uid = int.from_bytes(creds[4:8], sys.byteorder)
        if not peer_allowed(peer_uid, os.getuid()):
            try:
                connection.sendall(b"DENIED\n")
            except OSError:
                pass  # the stranger hung up first; refusing is all there was to do
            connection.close()
            return
        self.served += 1
        try:
            pid = os.fork()
        except OSError:
            connection.close()  # the client runs the command itself
            return
        if pid == 0:
            try:
                code = Worker(self, connection).run()
            except BaseException:  # noqa: BLE001 - a worker must never return into the accept loop
                import traceback

                traceback.print_exc()
                code = 1
            # The client has its exit code: let go of its streams at once (a reader waiting for EOF
            # on a pipe must not wait for this process), and leave without the interpreter's
            # teardown, which would cost more than the command. kubesim registers no exit handlers,
            # and every verb has closed its SQLite connection by now.
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            os._exit(code)
        connection.close()

    def stop(self) -> None:
        """Leave, taking the socket along if it is still ours (a newer server may have replaced it)."""
        try:
            if self.inode is not None and os.stat(self.path).st_ino == self.inode:
                os.unlink(self.path)
        except OSError:
            pass  # already gone
        os._exit(0)


class Worker:
    """One command, in a forked copy of the server."""

    def __init__(self, server: Server, connection: socket.socket) -> None:
        self.server = server
        self.connection = connection
        self.finished = False  # once the exit code is on its way, the client may hang up freely

    def run(self) -> int:
        for number in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGWINCH):
            signal.signal(number, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        assert self.server.listener is not None
        self.server.listener.close()
        kind, fields, descriptors = self._receive()
        if kind == b"STATUS":
            self._send(self._status())
            return 0
        if kind == b"STOP":
            self._send(f"STOPPING pid={os.getppid()}")
            os.kill(os.getppid(), signal.SIGTERM)
            return 0
        if kind != b"RUN" or len(descriptors) != 3:
            return 1
        if fields[0] != self.server.fingerprint:
            self._send("STALE")  # other code is installed now: the client runs it, and we make way
            os.kill(os.getppid(), signal.SIGTERM)
            return 0
        cwd, umask, count = fields[1], int(fields[2]), int(fields[3])
        argv, environment = fields[4:4 + count], fields[4 + count:]
        self._adopt(descriptors, cwd, umask, environment)
        self._watch_client()
        self._send("RUN")
        code = self._command(argv)
        self.finished = True
        self._send(f"EXIT {code}")
        return code

    def _receive(self) -> tuple[bytes, list[str], list[int]]:
        message, ancillary, _, _ = self.connection.recvmsg(1 << 20, socket.CMSG_LEN(3 * 4))
        descriptors: list[int] = []
        for level, kind, data in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                descriptors += [int.from_bytes(data[i:i + 4], sys.byteorder) for i in range(0, len(data), 4)]
        size = int.from_bytes(message[:4], "big")
        payload = message[4:]
        while len(payload) < size:
            chunk = self.connection.recv(size - len(payload))
            if not chunk:
                break
            payload += chunk
        parts = payload.split(b"\0")
        if parts[0] != PROTOCOL:
            return b"", [], descriptors
        return parts[1], [os.fsdecode(part) for part in parts[2:]], descriptors

    def _adopt(self, descriptors: list[int], cwd: str, umask: int, environment: list[str]) -> None:
        """Become the client's process: its streams, folder, umask and environment."""
        import io

        for target, fd in enumerate(descriptors):
            os.dup2(fd, target)
            os.close(fd)
        encoding, errors = sys.stdout.encoding, sys.stdout.errors
        unbuffered = False
        os.environ.clear()
        for entry in environment:
            key, _, value = entry.partition("=")
            os.environ[key] = value
            unbuffered = unbuffered or (key == "PYTHONUNBUFFERED" and value != "")
        sys.stdin = sys.__stdin__ = io.TextIOWrapper(
            io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding=encoding, errors="surrogateescape")
        for target, name in ((1, "stdout"), (2, "stderr")):
            # As CPython builds them: raw when unbuffered, else buffered, line by line on a
            # terminal and always for stderr.
            raw = io.FileIO(target, "w", closefd=False)
            stream = io.TextIOWrapper(
                raw if unbuffered else io.BufferedWriter(raw), encoding=encoding,
                errors=errors if target == 1 else "backslashreplace",
                line_buffering=not unbuffered and (target == 2 or os.isatty(target)), write_through=unbuffered)
            setattr(sys, name, stream)
            setattr(sys, f"__{name}__", stream)
        os.chdir(cwd)
        os.umask(umask)
        time.tzset()
        import random

        random.seed()  # every fork would otherwise draw the server's numbers

    def _watch_client(self) -> None:
        """Signals the client forwards reach this process; a client that disappears takes it along."""
        import threading

        def watch() -> None:
            buffer = b""
            while True:
                try:
                    chunk = self.connection.recv(1024)
                except OSError:
                    chunk = b""
                if not chunk:
                    if not self.finished:
                        os.kill(os.getpid(), signal.SIGKILL)
                    return
                buffer += chunk
                while b"\n" in buffer:
                    line, _, buffer = buffer.partition(b"\n")
                    if line.startswith(b"SIG "):
                        os.kill(os.getpid(), int(line[4:]))

        threading.Thread(target=watch, daemon=True).start()

    def _command(self, argv: list[str]) -> int:
        from kubesim.cli.main import entry

        sys.argv = ["kubesim", *argv]
        try:
            return entry(argv)
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except (OSError, ValueError):
                    pass  # the reader went away (a closed pipe); the exit code still goes back

    def _status(self) -> str:
        server = self.server
        rss = ""
        try:
            with open(f"/proc/{os.getppid()}/status") as status:
                rss = next((line.split()[1] for line in status if line.startswith("VmRSS:")), "")
        except OSError:
            rss = ""
        return (f"STATUS pid={os.getppid()} started={server.started:.3f} served={server.served} "
                f"idle={server.idle_seconds:g} rss_kib={rss} fingerprint={server.fingerprint}")

    def _send(self, line: str) -> None:
        try:
            self.connection.sendall(line.encode() + b"\n")
        except OSError:
            pass  # the client is gone: the watchdog ends this worker


def warm_up() -> None:
    """Import what commands use, so that workers start with it: the verbs and all of kubesim."""
    import importlib
    import pkgutil

    import kubesim
    from kubesim.cli.app import VERBS, load_verb

    for info in pkgutil.walk_packages(kubesim.__path__, "kubesim."):
        if info.name not in ("kubesim.__main__", "kubesim.server"):
            importlib.import_module(info.name)
    for verb in VERBS:
        load_verb(verb)
    import rich.console  # noqa: F401 - help, progress and kubesim's own tables draw with it
    import rich.progress  # noqa: F401
    import rich.table  # noqa: F401
    import yaml  # noqa: F401


def _answering(path: str) -> bool:
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(path)
    except OSError:
        return False
    finally:
        probe.close()
    return True


def main(argv: list[str]) -> int:
    directory = argv[0]
    if not private_directory(directory, create=True):
        return 1
    import fcntl

    lock = os.open(os.path.join(directory, "server.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + 10
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except OSError:
            # Another server holds the folder: serving (then leave it be), or on its way out after
            # a stop or a stale fingerprint (then take over once it is gone).
            if _answering(os.path.join(directory, "server.sock")) or time.monotonic() > deadline:
                return 0
            time.sleep(0.05)
    idle = os.environ.get("KUBESIM_SERVER_IDLE", "")
    try:
        idle_seconds = float(idle) if idle else DEFAULT_IDLE_SECONDS
    except ValueError:
        idle_seconds = DEFAULT_IDLE_SECONDS
    warm_up()
    Server(directory, idle_seconds).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
