"""The command server: an accelerator that changes nothing but the time a command takes."""

from __future__ import annotations

import os
import pty
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kubesim.server import peer_allowed
from tests.conftest import FROZEN_WALL_CLOCK, MANIFESTS, kubesim_binary, stop_server


class Shell:
    """Real kubesim processes sharing one cluster and one socket folder."""

    def __init__(self, tmp_path: Path, **extra: str) -> None:
        self.runtime = Path(extra.get("XDG_RUNTIME_DIR", tmp_path / "run"))
        self.env = dict(os.environ, KUBESIM_HOME=str(tmp_path / "home"), KUBESIM_SEED="7",
                        KUBESIM_WALL_CLOCK=FROZEN_WALL_CLOCK, XDG_RUNTIME_DIR=str(self.runtime))
        self.env.update(extra)

    def __call__(self, *args: str, stdin: str = "", **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([kubesim_binary(), *args], input=stdin, capture_output=True, text=True,
                              env=dict(self.env, **extra), timeout=120)

    def popen(self, *args: str, **extra: str) -> subprocess.Popen:
        return subprocess.Popen([kubesim_binary(), *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=dict(self.env, **extra))

    def start(self) -> int:
        started = self("server", "start")
        assert started.returncode == 0, started.stderr
        return self.server_pid()

    def server_pid(self) -> int | None:
        status = self("server", "status")
        if status.returncode != 0:
            return None
        return int(status.stdout.split("pid ")[1].split()[0])

    def socket_dir(self) -> Path:
        return self.runtime / f"kubesim-server-{os.getuid()}"


@pytest.fixture
def shell(tmp_path):
    shell = Shell(tmp_path)
    yield shell
    stop_server(shell.runtime)


def workers_of(pid: int) -> list[int]:
    children = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                children.append(int(entry))
    return children


def wait_for(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_status_start_and_stop(shell):
    assert shell("server", "status").returncode == 1
    pid = shell.start()
    status = shell("server", "status")
    assert status.returncode == 0 and f"running, pid {pid}" in status.stdout and "Code:                current" in status.stdout
    assert shell("server", "start").stdout == f"The kubesim server is already running (pid {pid})\n"
    assert shell("server", "stop").stdout == f"Stopped the kubesim server (pid {pid})\n"
    assert not (shell.socket_dir() / "server.sock").exists()
    assert shell("server", "stop").stdout == "No kubesim server is running\n"


def test_the_socket_folder_and_socket_are_private(shell):
    shell.start()
    assert (shell.socket_dir().stat().st_mode & 0o777) == 0o700
    assert ((shell.socket_dir() / "server.sock").stat().st_mode & 0o777) == 0o600


def test_a_command_through_the_server_reads_as_a_direct_run(shell):
    shell.start()
    warm = shell("get", "po", "-A", "-o", "wide")
    off = shell("get", "po", "-A", "-o", "wide", KUBESIM_SERVER="off")
    assert (warm.stdout, warm.stderr, warm.returncode) == (off.stdout, off.stderr, off.returncode)
    missing = shell("get", "svc", "nope")
    assert (missing.stderr, missing.returncode) == ('Error from server (NotFound): services "nope" not found\n', 1)
    assert shell("server", "status").stdout.count("Connections served") == 1


def test_the_first_command_runs_itself_and_leaves_a_server_for_the_next(shell):
    first = shell("get", "ns", "-o", "name")
    assert first.returncode == 0 and first.stdout.startswith("namespace/default\n")
    assert wait_for(lambda: shell.server_pid() is not None)


def test_off_means_no_server_is_used_or_started(shell):
    assert shell("get", "ns", KUBESIM_SERVER="off").returncode == 0
    time.sleep(0.5)
    assert not (shell.socket_dir() / "server.sock").exists()


def test_fifty_clients_at_once_get_fifty_right_answers(shell):
    shell.start()
    config_map = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{}\ndata:\n  n: '{}'\n"
    processes = [shell.popen("create", "-f", "-") for _ in range(50)]
    results = [p.communicate(config_map.format(i, i).encode(), timeout=120) for i, p in enumerate(processes)]
    for index, ((out, err), process) in enumerate(zip(results, processes, strict=True)):
        assert (process.returncode, out.decode(), err.decode()) == (0, f"configmap/cm-{index} created\n", "")
    names = shell("get", "cm", "-o", "name").stdout.split()
    assert sorted(n for n in names if n.startswith("configmap/cm-")) == sorted(f"configmap/cm-{i}" for i in range(50))


def test_unseeded_commands_draw_fresh_random_numbers_in_every_worker(shell):
    shell.env.pop("KUBESIM_SEED")
    shell.start()
    assert shell("create", "-f", str(MANIFESTS / "kubia-rc.yaml")).returncode == 0
    first = set(shell("get", "po", "-o", "name").stdout.split())
    assert shell("delete", "po", "--all").returncode == 0
    second = set(shell("get", "po", "-o", "name").stdout.split())
    assert len(first) == len(second) == 3 and not first & second


def test_ctrl_c_reaches_the_worker_and_ends_with_kubectl_s_code(shell):
    assert shell("run", "web", "--image=luksa/kubia").returncode == 0
    shell.start()
    for extra in ({}, {"KUBESIM_SERVER": "off"}):
        process = shell.popen("exec", "-i", "web", "--", "cat", **extra)
        time.sleep(1.0)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
        assert (process.returncode, out, err) == (130, b"", b""), extra


def test_a_killed_client_takes_its_worker_with_it(shell):
    assert shell("run", "web", "--image=luksa/kubia").returncode == 0
    server = shell.start()
    process = shell.popen("exec", "-i", "web", "--", "cat")
    assert wait_for(lambda: len(workers_of(server)) == 1)
    process.kill()
    process.wait(timeout=10)
    assert wait_for(lambda: workers_of(server) == [])
    assert shell("get", "po", "web", "-o", "name").stdout == "pod/web\n"  # and the server still answers


def test_a_stale_server_is_replaced_after_an_upgrade(shell, tmp_path):
    import kubesim

    installed = tmp_path / "site" / "kubesim"
    shutil.copytree(Path(kubesim.__file__).parent, installed, ignore=shutil.ignore_patterns("__pycache__"))
    shell.env["PYTHONPATH"] = str(installed.parent)
    old = shell.start()
    assert shell("get", "ns", "default", "-o", "name").stdout == "namespace/default\n"
    later = time.time() + 5
    os.utime(installed / "cli" / "get.py", (later, later))
    upgraded = shell("get", "ns", "default", "-o", "name")
    assert (upgraded.stdout, upgraded.stderr, upgraded.returncode) == ("namespace/default\n", "", 0)
    assert wait_for(lambda: shell.server_pid() not in (None, old), 30)
    assert "Code:                current" in shell("server", "status").stdout


def test_the_server_leaves_when_idle(tmp_path):
    shell = Shell(tmp_path, KUBESIM_SERVER_IDLE="1")
    try:
        shell.start()
        assert wait_for(lambda: not (shell.socket_dir() / "server.sock").exists(), 10)
        assert shell.server_pid() is None
    finally:
        stop_server(shell.runtime)


def test_an_unusable_socket_folder_means_every_command_runs_itself(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    shell = Shell(tmp_path, XDG_RUNTIME_DIR=str(blocker))
    done = shell("get", "ns", "default", "-o", "name")
    assert (done.stdout, done.stderr, done.returncode) == ("namespace/default\n", "", 0)
    started = shell("server", "start")
    assert started.returncode == 1 and started.stderr.startswith(f"error: cannot use {blocker}/kubesim-server-")


def test_a_folder_others_can_enter_is_never_used(tmp_path):
    shell = Shell(tmp_path)
    shell.socket_dir().mkdir(parents=True)
    shell.socket_dir().chmod(0o755)
    done = shell("get", "ns", "default", "-o", "name")
    assert done.stdout == "namespace/default\n"
    time.sleep(0.5)
    assert list(shell.socket_dir().iterdir()) == []


def test_only_the_server_s_own_user_is_served():
    assert peer_allowed(1000, 1000) and peer_allowed(0, 0)
    assert not peer_allowed(1001, 1000) and not peer_allowed(0, 1000) and not peer_allowed(1000, 0)


def test_another_uid_is_refused_by_the_peer_credential_gate(tmp_path):
    if os.getuid() != 0:
        # Without root no second uid can connect here; the gate itself is checked just above.
        assert peer_allowed(os.getuid() + 1, os.getuid()) is False
        return
    import tempfile

    reachable = Path(tempfile.mkdtemp(prefix="kubesim-peer-", dir="/tmp"))
    reachable.chmod(0o755)  # so that another user can walk to the socket; the gate must still refuse
    shell = Shell(tmp_path, XDG_RUNTIME_DIR=str(reachable))
    try:
        refused_by_the_gate(shell)
    finally:
        stop_server(shell.runtime)
        shutil.rmtree(reachable, ignore_errors=True)


def refused_by_the_gate(shell: Shell) -> None:
    shell.start()
    folder = shell.socket_dir()
    folder.chmod(0o755)
    (folder / "server.sock").chmod(0o777)
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(reader)
        reply = b"?"
        try:
            os.setgid(65534)
            os.setuid(65534)
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.connect(str(folder / "server.sock"))
            reply = connection.recv(100)  # the gate answers at once, before any request is read
        except BaseException as error:  # noqa: BLE001 - report, whatever it was, to the parent
            reply = repr(error).encode()
        finally:
            os.write(writer, reply)
            os._exit(0)
    os.close(writer)
    os.waitpid(child, 0)
    assert os.read(reader, 200) == b"DENIED\n"


def test_the_server_listens_on_no_network_socket(shell):
    pid = shell.start()
    unix = {line.split()[6] for line in Path("/proc/net/unix").read_text().splitlines()[1:]}
    sockets = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
    inodes = [link[8:-1] for link in sockets if link.startswith("socket:[")]
    assert inodes and all(inode in unix for inode in inodes)


def read_until(master: int, marker: bytes, seconds: float = 20.0) -> bytes:
    seen = b""
    deadline = time.monotonic() + seconds
    while marker not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    return seen


def interactive_session(shell: Shell, **extra: str) -> tuple[bytes, int]:
    master, slave = pty.openpty()
    process = subprocess.Popen([kubesim_binary(), "exec", "-it", "web", "--", "bash"], stdin=slave, stdout=slave,
                               stderr=slave, env=dict(shell.env, **extra), start_new_session=True)
    os.close(slave)
    seen = read_until(master, b"# ")
    os.write(master, b"hostname\n")
    seen += read_until(master, b"# ")
    os.write(master, b"exit 3\n")
    seen += read_until(master, b"exit code 3")
    code = process.wait(timeout=30)
    os.close(master)
    return seen, code


def test_exec_it_through_a_pseudo_terminal_reads_the_same_warm_and_off(shell):
    assert shell("run", "web", "--image=luksa/kubia").returncode == 0
    shell.start()
    warm, warm_code = interactive_session(shell)
    off, off_code = interactive_session(shell, KUBESIM_SERVER="off")
    assert warm_code == off_code == 3
    assert b"root@web:/# " in warm and b"\r\nweb\r\n" in warm and b"command terminated with exit code 3" in warm
    assert warm == off


def test_the_client_imports_only_what_connecting_needs(shell):
    shell.start()
    code = ("import sys; sys.argv = ['kubesim', 'get', 'ns']; import kubesim.client as c; c.through_server("
            "sys.argv[1:], __import__('os').environ); "
            "print(sorted(m for m in ('re', 'socket', 'signal', 'enum', 'typer', 'click', 'kubesim.cli.main') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=shell.env, timeout=60)
    assert done.stdout.splitlines()[-1] == "[]", done.stderr
