"""``kubesim server status|start|stop``: the command server that makes commands start fast.

The server is optional: every command runs without it, in its own process, with the same output.
``KUBESIM_SERVER=off`` keeps commands from using or starting one.
"""

from __future__ import annotations

import os

from kubesim.cli.app import Verb, VerbGroup, verb_app
from kubesim.cli.context import Invocation, run_verb
from kubesim.errors import KubectlError

app = verb_app(name="server", cls=VerbGroup, no_args_is_help=True,
               help="Report on, start or stop the command server that answers kubesim commands quickly.")


@app.command("status", cls=Verb, help="Say whether the command server runs, and what it has done.")
def status() -> int:
    return run_verb(show_status)


@app.command("start", cls=Verb, help="Start the command server now, and wait until it answers.")
def start() -> int:
    return run_verb(start_server)


@app.command("stop", cls=Verb, help="Stop the command server; the next command runs without it and starts it again.")
def stop() -> int:
    return run_verb(stop_server)


def ask(directory: str, kind: bytes) -> dict[str, str] | None:
    """Send a control request; the server's answer as key=value pairs, or None when none runs."""
    import socket

    from kubesim.client import Replies, encode_request, private_directory

    if not private_directory(directory, create=False):
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.settimeout(10)
    try:
        connection.connect(os.path.join(directory, "server.sock"))
        connection.sendall(encode_request(kind, []))
        words = Replies(connection).next().split()
    except OSError:
        return None
    finally:
        connection.close()
    if not words or words[0] == "DENIED":
        return None
    return dict(word.partition("=")[::2] for word in words[1:])


def _directory(inv: Invocation) -> str:
    from kubesim.client import runtime_directory

    return runtime_directory(inv.env.variables)


def _disabled(inv: Invocation) -> bool:
    return inv.env.variables.get("KUBESIM_SERVER", "").lower() in ("off", "0", "false", "no")


def show_status(inv: Invocation) -> int:
    directory = _directory(inv)
    answer = ask(directory, b"STATUS")
    if answer is None:
        note = " (KUBESIM_SERVER=off: commands do not use one)" if _disabled(inv) else ""
        inv.out(f"No kubesim server is running{note}. Socket: {os.path.join(directory, 'server.sock')}\n")
        return 1
    import time

    from kubesim.cli.terminal import print_facts
    from kubesim.client import fingerprint

    uptime = time.time() - float(answer.get("started", "0"))
    rss = answer.get("rss_kib", "")
    print_facts(inv.env, "kubesim server", [
        ("Server", f"running, pid {answer.get('pid', '?')}"),
        ("Socket", os.path.join(directory, "server.sock")),
        ("Up for", f"{uptime:.0f}s"),
        ("Connections served", answer.get("served", "0")),
        ("Stops when idle for", f"{answer.get('idle', '?')}s (KUBESIM_SERVER_IDLE)"),
        ("Resident memory", f"{int(rss) / 1024:.1f} MiB" if rss.isdigit() else "unknown"),
        ("Code", "current" if answer.get("fingerprint") == fingerprint() else
         "stale: the next command replaces it"),
    ])
    return 0


def start_server(inv: Invocation) -> int:
    import time

    from kubesim.client import private_directory
    from kubesim.client import start_server as spawn

    if _disabled(inv):
        raise KubectlError("KUBESIM_SERVER=off: the command server is disabled; unset it to start one")
    directory = _directory(inv)
    answer = ask(directory, b"STATUS")
    if answer is None:
        if not private_directory(directory, create=True):
            raise KubectlError(f"cannot use {directory} for the server's socket: it must be a folder only you "
                               "can enter; set XDG_RUNTIME_DIR to another place")
        spawn(directory)
        deadline = time.monotonic() + 30
        while answer is None and time.monotonic() < deadline:
            time.sleep(0.05)
            answer = ask(directory, b"STATUS")
        if answer is None:
            raise KubectlError(f"the kubesim server did not start; see {os.path.join(directory, 'server.log')}")
        inv.out(f"Started the kubesim server (pid {answer.get('pid')}) on {os.path.join(directory, 'server.sock')}\n")
        return 0
    inv.out(f"The kubesim server is already running (pid {answer.get('pid')})\n")
    return 0


def stop_server(inv: Invocation) -> int:
    import time

    directory = _directory(inv)
    answer = ask(directory, b"STOP")
    if answer is None:
        inv.out("No kubesim server is running\n")
        return 0
    socket_path = os.path.join(directory, "server.sock")
    deadline = time.monotonic() + 10
    while os.path.exists(socket_path) and time.monotonic() < deadline:
        time.sleep(0.02)
    inv.out(f"Stopped the kubesim server (pid {answer.get('pid')})\n")
    return 0
