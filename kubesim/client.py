"""kubesim's thin client: hand the command line to the command server, or run it here.

Start-up is most of what a kubesim command costs, and Typer, rich and PyYAML take longer to import
than the real kubectl takes to run. So, as Mercurial's chg does for hg, this client passes argv, the
working directory, the environment, the umask and its three descriptors (SCM_RIGHTS) to a per-user
server that has imported everything and forks a worker per command (``kubesim.server``). It waits for
the exit code and leaves with it.

The server is an accelerator, nothing more: when it is not there, does not answer, runs other code
than is installed, or ``KUBESIM_SERVER=off``, the command runs in this process, with the same output,
and a server is started in the background for the next command.

This module is on every command's path, so it imports only the C cores of what it needs (``_socket``
and ``_signal``: ``socket`` and ``signal`` would bring ``enum`` and cost as much as the command).
"""

import os
import sys

PROTOCOL = b"KUBESIM1"
SUFFIXES = (".py", ".json", ".yaml")


def runtime_directory(environ=os.environ) -> str:
    """The per-user folder of the server's socket: ``$XDG_RUNTIME_DIR`` or the user's cache folder."""
    base = environ.get("XDG_RUNTIME_DIR") or environ.get("XDG_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache")
    return os.path.join(base, f"kubesim-server-{os.getuid()}")


def private_directory(path: str, create: bool) -> bool:
    """True when ``path`` is a folder only this user can enter (made 0700 if ``create``)."""
    try:
        if create:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            try:
                os.mkdir(path, 0o700)
            except FileExistsError:
                pass
        info = os.lstat(path)
    except OSError:
        return False
    return (info.st_mode & 0o170000) == 0o040000 and info.st_uid == os.getuid() and not info.st_mode & 0o077


def fingerprint() -> str:
    """What must match between client and server: the interpreter, kubesim's version and files' mtimes,
    and the site-packages folders (installing or removing a package changes them)."""
    import kubesim

    package = os.path.dirname(kubesim.__file__)
    newest = count = 0
    pending = [package]
    while pending:
        for entry in os.scandir(pending.pop()):
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    pending.append(entry.path)
            elif entry.name.endswith(SUFFIXES):
                count += 1
                newest = max(newest, entry.stat().st_mtime_ns)
    sites = [os.stat(p).st_mtime_ns for p in sys.path if p.endswith("-packages") and os.path.isdir(p)]
    return f"{kubesim.__version__}:{sys.executable}:{sys.hexversion}:{package}:{count}:{newest}:{max(sites, default=0)}"


def encode_request(kind: bytes, fields: list) -> bytes:
    payload = b"\0".join([PROTOCOL, kind, *(os.fsencode(field) for field in fields)])
    return len(payload).to_bytes(4, "big") + payload


def main() -> None:
    environ = os.environ
    argv = sys.argv[1:]
    # ``kubesim server …`` manages the server: it runs here, and never starts one by the way.
    if environ.get("KUBESIM_SERVER", "").lower() not in ("off", "0", "false", "no") and argv[:1] != ["server"]:
        code = through_server(argv, environ)
        if code is not None:
            sys.exit(code)
    from kubesim.cli.main import main as run_here

    run_here(argv)


def through_server(argv: list, environ) -> int | None:
    """The command's exit code from the server, or None when it must run here (nothing ran there)."""
    import _socket

    directory = runtime_directory(environ)
    if not private_directory(directory, create=False):
        start_server(directory)
        return None
    connection = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        connection.connect(os.path.join(directory, "server.sock"))
        return _converse(connection, argv, environ, directory)
    except OSError:
        start_server(directory)
        return None
    finally:
        connection.close()


def _converse(connection, argv: list, environ, directory: str) -> int | None:
    import _socket

    mask = os.umask(0)
    os.umask(mask)
    fields = [fingerprint(), os.getcwd(), str(mask), str(len(argv)), *argv,
              *(f"{key}={value}" for key, value in environ.items())]
    descriptors = [fd if _usable(fd) else os.open(os.devnull, os.O_RDWR) for fd in (0, 1, 2)]
    rights = b"".join(fd.to_bytes(4, sys.byteorder) for fd in descriptors)
    connection.sendmsg([encode_request(b"RUN", fields)], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, rights)])
    terminal = _saved_terminal()
    replies = Replies(connection)
    try:
        word = replies.next()
        if word != "RUN":
            if word == "STALE":
                start_server(directory)  # the old server is stopping; the next command gets a new one
            return None
        _forward_signals(connection)
        while True:
            word = replies.next()
            if word.startswith("EXIT "):
                return int(word[5:])
            if word == "":
                sys.stderr.write("error: the kubesim command server's worker ended without an exit status\n")
                return 1
    finally:
        _restore_terminal(terminal)


class Replies:
    """The server's lines, read as they come."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.buffer = b""

    def next(self) -> str:
        while b"\n" not in self.buffer:
            chunk = self.connection.recv(4096)
            if not chunk:
                return ""
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.decode()


def _usable(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def _forward_signals(connection) -> None:
    """Ctrl-C and friends reach the worker, which answers with kubectl's exit code."""
    import _signal

    def forward(number, _frame) -> None:
        try:
            connection.send(f"SIG {number}\n".encode())
        except OSError:
            pass  # the worker is already gone; its exit (or the lost connection) ends the wait

    for number in (_signal.SIGINT, _signal.SIGTERM, _signal.SIGHUP, _signal.SIGQUIT, _signal.SIGWINCH):
        _signal.signal(number, forward)


def _saved_terminal():
    """The terminal's settings, so a worker that dies in raw mode (exec -it) cannot leave it raw."""
    if not os.isatty(0):
        return None
    import termios

    try:
        return termios.tcgetattr(0)
    except termios.error:
        return None


def _restore_terminal(saved) -> None:
    if saved is not None:
        import termios

        try:
            termios.tcsetattr(0, termios.TCSADRAIN, saved)
        except termios.error:
            pass  # not ours any more (the terminal went away): nothing to restore


def start_server(directory: str) -> None:
    """Start a server in the background, detached (setsid), for the next command; never wait for it."""
    if not private_directory(directory, create=True):
        return  # no private place for a socket: every command runs in its own process
    try:
        child = os.fork()
    except OSError:
        return
    if child:
        os.waitpid(child, 0)
        return
    try:
        os.setsid()
        if os.fork():
            os._exit(0)
        null = os.open(os.devnull, os.O_RDWR)
        log = os.open(os.path.join(directory, "server.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(null, 0)
        os.dup2(null, 1)
        os.dup2(log, 2)
        os.chdir("/")
        os.execv(sys.executable, [sys.executable, "-m", "kubesim.server", directory])
    finally:
        os._exit(127)
