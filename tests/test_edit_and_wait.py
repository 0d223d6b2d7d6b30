"""edit and wait in real processes, with the command server off, cold and warm: edit starts a real
editor on the host with the user's terminal, and wait watches the cluster change as its clock moves
and as other commands write."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import FROZEN_WALL_CLOCK, MANIFESTS, kubesim_binary, run_process

HEADER = ("# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
          "# and an empty file will abort the edit. If an error occurs while saving this file will be\n"
          "# reopened with the relevant failures.\n#\n")

# An editor for scripts: it keeps a copy of each file it is given, then replaces $OLD with $NEW in it
# (the words of $KUBE_EDITOR are split at spaces, as kubectl splits them, so they come in the environment).
EDITOR = """import os, sys
old, new, log, path = os.environ["OLD"], os.environ["NEW"], sys.argv[1], sys.argv[2]
text = open(path).read()
count = len(os.listdir(log))
open(os.path.join(log, f"{count}.txt"), "w").write(text)
open(path, "w").write(text.replace(old, new, 1))
"""


SPEC_REPLICAS = "spec:\n  replicas: 3\n"


@pytest.fixture
def cluster(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    for manifest in ("kubia-rc.yaml", "kubia-svc.yaml"):
        assert run_process(["create", "-f", str(MANIFESTS / manifest)], home, extra_env={"KUBESIM_SERVER": "off"}
                           ).returncode == 0
    return home


def script_editor(tmp_path: Path, old: str, new: str) -> tuple[dict, Path]:
    """The environment that makes the script editor KUBE_EDITOR, and the folder of what it was given."""
    script = tmp_path / "editor.py"
    script.write_text(EDITOR)
    log = tmp_path / "seen"
    log.mkdir(exist_ok=True)
    return {"KUBE_EDITOR": f"{sys.executable} {script} {log}", "OLD": old, "NEW": new}, log


def edit(home: Path, server_mode: dict, editor: dict | str, *args: str) -> subprocess.CompletedProcess:
    variables = editor if isinstance(editor, dict) else {"KUBE_EDITOR": editor}
    return run_process(["edit", *args], home, extra_env={**server_mode, **variables})


def replicas(home: Path) -> str:
    return run_process(["get", "rc", "kubia", "-o", "jsonpath={.spec.replicas}"], home).stdout


def test_a_script_editor_changes_the_object(cluster, tmp_path, server_mode):
    editor, seen = script_editor(tmp_path, SPEC_REPLICAS, "spec:\n  replicas: 4\n")
    done = edit(cluster, server_mode, editor, "rc", "kubia")
    assert (done.stdout, done.stderr, done.returncode) == ("replicationcontroller/kubia edited\n", "", 0)
    assert replicas(cluster) == "4"
    handed = (seen / "0.txt").read_text()
    assert handed.startswith(HEADER + "apiVersion: v1\nkind: ReplicationController\nmetadata:\n")


def test_an_unchanged_file_cancels_the_edit(cluster, tmp_path, server_mode):
    editor, _ = script_editor(tmp_path, "no such text", "x")
    done = edit(cluster, server_mode, editor, "svc/kubia")
    assert (done.stdout, done.stderr, done.returncode) == ("", "Edit cancelled, no changes made.\n", 0)


def test_a_refused_change_reopens_the_file_with_the_reasons_then_gives_up(cluster, tmp_path, server_mode):
    editor, seen = script_editor(tmp_path, SPEC_REPLICAS, "spec:\n  replicas: -1\n")
    done = edit(cluster, server_mode, editor, "rc", "kubia")
    lines = done.stderr.splitlines()
    assert lines[0] == 'error: replicationcontrollers "kubia" is invalid'
    assert lines[1].startswith('A copy of your changes has been stored to "') and len(lines) == 3
    assert lines[2] == "error: Edit cancelled, no valid changes were saved."
    assert (done.stdout, done.returncode) == ("", 1)
    reopened = (seen / "1.txt").read_text()
    assert reopened.startswith(HEADER + '# replicationcontrollers "kubia" was not valid:\n'
                               "# * spec.replicas: Invalid value: -1: must be greater than or equal to 0\n#\n"
                               "apiVersion: v1\n")
    assert "  replicas: -1\n" in reopened  # the user's change is kept for them to fix
    assert replicas(cluster) == "3"


def test_several_objects_are_edited_in_one_list(cluster, tmp_path):
    editor, seen = script_editor(tmp_path, "type: ClusterIP", "type: NodePort")
    done = edit(cluster, {"KUBESIM_SERVER": "off"}, editor, "rc,svc", "kubia")
    assert (done.stdout, done.stderr, done.returncode) == (
        "replicationcontroller/kubia skipped\nservice/kubia edited\n", "", 0)
    assert (seen / "0.txt").read_text().startswith(HEADER + "apiVersion: v1\nitems:\n- apiVersion: v1\n")
    assert "kind: List\n" in (seen / "0.txt").read_text()
    assert run_process(["get", "svc", "kubia", "-o", "jsonpath={.spec.type}"], cluster).stdout == "NodePort"


def test_json_edits_json(cluster, tmp_path):
    editor, seen = script_editor(tmp_path, '"replicas": 3,', '"replicas": 2,')
    done = edit(cluster, {"KUBESIM_SERVER": "off"}, editor, "rc/kubia", "-o", "json")
    assert (done.stdout, done.stderr, done.returncode) == ("replicationcontroller/kubia edited\n", "", 0)
    assert (seen / "0.txt").read_text().startswith(HEADER + '{\n    "apiVersion": "v1",\n')
    assert replicas(cluster) == "2"


def test_an_editor_with_quotes_runs_through_the_shell(cluster):
    done = run_process(["edit", "rc/kubia"], cluster, extra_env={
        "KUBESIM_SERVER": "off", "SHELL": "/bin/sh", "KUBE_EDITOR": "sed -i 's/^  replicas: 3$/  replicas: 4/'"})
    assert (done.stdout, done.stderr, done.returncode) == ("replicationcontroller/kubia edited\n", "", 0)
    assert replicas(cluster) == "4"


@pytest.mark.parametrize(("editor", "message"), [
    ("false", 'error: there was a problem with the editor "false"'),
    ("no-such-editor-anywhere", 'error: unable to launch the editor "no-such-editor-anywhere"'),
])
def test_an_editor_that_fails_leaves_the_object_alone(cluster, editor, message, server_mode):
    done = edit(cluster, server_mode, editor, "rc", "kubia")
    first, second = done.stderr.splitlines()
    assert first.startswith('A copy of your changes has been stored to "') and second == message
    assert (done.stdout, done.returncode) == ("", 1)
    assert replicas(cluster) == "3"


def test_an_emptied_file_cancels_the_edit(cluster, tmp_path):
    done = run_process(["edit", "rc", "kubia"], cluster,
                       extra_env={"KUBESIM_SERVER": "off", "SHELL": "/bin/sh", "KUBE_EDITOR": "sh -c ': > \"$0\"'"})
    assert (done.stdout, done.stderr, done.returncode) == ("", "Edit cancelled, saved file was empty.\n", 0)


# -- a terminal editor -------------------------------------------------------------------------------
TERMINAL_EDITOR = """import os, sys, time
path = sys.argv[-1]
open(sys.argv[1], "w").write(str(os.getpid()))
if not (os.isatty(0) and os.isatty(1)):
    sys.exit(3)
os.write(1, b"EDITOR> ")
answer = b""
while not answer.endswith(b"\\r") and not answer.endswith(b"\\n"):
    answer += os.read(0, 1)
if answer.strip() == b"wait":
    os.write(1, b"WAITING\\n")
    time.sleep(30)
text = open(path).read().replace("spec:\\n  replicas: 3", "spec:\\n  replicas: " + answer.strip().decode(), 1)
open(path, "w").write(text)
"""


def run_in_terminal(argv: list[str], env: dict, typed: list[tuple[bytes, bytes]]) -> tuple[int, str]:
    """Run a command on a pseudo-terminal; type each (prompt, keys) once the prompt has been shown."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the command, with the terminal as its streams
        os.execve(argv[0], argv, env)
    seen = b""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        if typed and typed[0][0] in seen:
            prompt, keys = typed.pop(0)
            time.sleep(0.2)
            os.write(fd, keys)
            seen = seen.replace(prompt, prompt.lower())
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), seen.decode(errors="replace")


def terminal_env(cluster: Path, server_mode: dict, tmp_path: Path) -> tuple[dict, Path]:
    script = tmp_path / "terminal-editor.py"
    script.write_text(TERMINAL_EDITOR)
    pid_file = tmp_path / "editor.pid"
    env = dict(os.environ, KUBESIM_HOME=str(cluster), KUBESIM_SEED="1", KUBESIM_WALL_CLOCK=FROZEN_WALL_CLOCK,
               KUBE_EDITOR=f"{sys.executable} {script} {pid_file}", **server_mode)
    return env, pid_file


def test_a_terminal_editor_gets_the_terminal(cluster, tmp_path, server_mode):
    env, _ = terminal_env(cluster, server_mode, tmp_path)
    code, seen = run_in_terminal([kubesim_binary(), "edit", "rc", "kubia"], env, [(b"EDITOR> ", b"5\r")])
    assert code == 0, seen
    assert seen.endswith("replicationcontroller/kubia edited\r\n")
    assert replicas(cluster) == "5"


def test_ctrl_c_stops_the_editor_and_the_edit(cluster, tmp_path, server_mode):
    env, pid_file = terminal_env(cluster, server_mode, tmp_path)
    code, seen = run_in_terminal([kubesim_binary(), "edit", "rc", "kubia"], env, [(b"EDITOR> ", b"wait\r"), (b"WAITING", b"\x03")])
    assert code == 130, seen
    editor = int(pid_file.read_text())
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):
        os.kill(editor, 0)
    assert replicas(cluster) == "3"


# -- wait on a moving cluster ------------------------------------------------------------------------
def test_wait_returns_when_a_timer_comes_due_on_the_real_clock(tmp_path, server_mode):
    home = tmp_path / "home"
    live = {**server_mode, "KUBESIM_WALL_CLOCK": ""}  # the real clock: the load balancer comes in 1 s
    assert run_process(["cluster", "reset", "--lb-delay", "1s"], home, extra_env=live).returncode == 0
    assert run_process(["create", "-f", str(MANIFESTS / "kubia-svc-loadbalancer.yaml")], home,
                       extra_env=live).returncode == 0
    started = time.monotonic()
    done = run_process(["wait", "--for=jsonpath={.status.loadBalancer.ingress}", "svc/kubia-loadbalancer",
                        "--timeout=20s"], home, extra_env=live)
    elapsed = time.monotonic() - started
    assert (done.stdout, done.stderr, done.returncode) == ("service/kubia-loadbalancer condition met\n", "", 0)
    assert 0.5 < elapsed < 10


def start_waiting(home: Path, *args: str) -> subprocess.Popen:
    env = dict(os.environ, KUBESIM_HOME=str(home), KUBESIM_SEED="1", KUBESIM_WALL_CLOCK=FROZEN_WALL_CLOCK,
               KUBESIM_SERVER="off")
    return subprocess.Popen([kubesim_binary(), "wait", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_wait_sees_another_command_move_the_cluster_clock(tmp_path):
    home = tmp_path / "home"
    assert run_process(["create", "-f", str(MANIFESTS / "kubia-svc-loadbalancer.yaml")], home).returncode == 0
    waiter = start_waiting(home, "--for=jsonpath={.status.loadBalancer.ingress[0].ip}", "svc/kubia-loadbalancer",
                           "--timeout=20s")
    time.sleep(0.5)
    assert waiter.poll() is None  # the frozen wall clock never brings the load balancer on its own
    assert run_process(["clock", "advance", "1m"], home).returncode == 0
    out, err = waiter.communicate(timeout=20)
    assert (out, err, waiter.returncode) == ("service/kubia-loadbalancer condition met\n", "", 0)


def test_wait_for_delete_returns_when_another_command_deletes(cluster):
    pod = run_process(["get", "pods", "-o", "jsonpath={.items[0].metadata.name}"], cluster).stdout
    waiter = start_waiting(cluster, "--for=delete", f"pod/{pod}", "--timeout=20s")
    time.sleep(0.5)
    assert waiter.poll() is None
    started = time.monotonic()
    assert run_process(["delete", "pod", pod], cluster).returncode == 0
    out, err = waiter.communicate(timeout=20)
    assert (out, err, waiter.returncode) == (f"pod/{pod} condition met\n", "", 0)
    assert time.monotonic() - started < 5


def test_wait_gives_up_after_its_timeout(cluster):
    started = time.monotonic()
    done = run_process(["wait", "--for=condition=Bogus", "rc/kubia", "--timeout=0.6s"], cluster)
    elapsed = time.monotonic() - started
    assert (done.stdout, done.stderr, done.returncode) == (
        "", "error: timed out waiting for the condition on replicationcontrollers/kubia\n", 1)
    assert 0.6 <= elapsed < 10
