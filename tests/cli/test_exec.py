"""``kubesim exec`` through the real front door: kubectl's messages and exit codes, and the book's §5.1."""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from datetime import datetime
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubesim.cli.main import run as run_cli
from kubesim.env import Env
from tests.conftest import CORPUS, FROZEN_WALL_CLOCK, Kubesim

RC = str(CORPUS / "Chapter04" / "kubia-rc.yaml")
SVC = str(CORPUS / "Chapter05" / "kubia-svc.yaml")
AFFINITY_SVC = str(CORPUS / "Chapter05" / "kubia-svc-client-ip-session-affinity.yaml")
MANUAL = str(CORPUS / "Chapter03" / "kubia-manual.yaml")


def pods(kubesim: Kubesim) -> list[str]:
    return [line.split("/", 1)[1] for line in kubesim.ok("get", "pods", "-o", "name").split()]


def cluster_ip(kubesim: Kubesim, name: str = "kubia") -> str:
    return kubesim.ok("get", "svc", name, "-o", "jsonpath={.spec.clusterIP}")


def create(kubesim: Kubesim, *objects: dict) -> None:
    for obj in objects:
        result = kubesim("create", "-f", "-", stdin=json.dumps(obj))
        assert result.code == 0, result


def book_setup(kubesim: Kubesim) -> list[str]:
    """The order the book uses: the ReplicationController, then the service."""
    kubesim.ok("create", "-f", RC)
    kubesim.ok("create", "-f", SVC)
    return pods(kubesim)


# -- the book's section 5.1 --------------------------------------------------------------------------------
def test_a_pod_curls_itself(kubesim: Kubesim):
    first = book_setup(kubesim)[0]
    result = kubesim("exec", first, "--", "curl", "-s", "http://localhost:8080")
    assert (result.stdout, result.stderr, result.code) == (f"You've hit {first}\n", "", 0)


def test_curling_the_service_reaches_every_pod_at_random(kubesim: Kubesim):
    names = book_setup(kubesim)
    ip = cluster_ip(kubesim)
    answers = Counter()
    for _ in range(30):
        result = kubesim("exec", names[0], "--", "curl", "-s", f"http://{ip}")
        assert result.code == 0 and result.stderr == ""
        answers[result.stdout] += 1
    assert set(answers) == {f"You've hit {name}\n" for name in names}


def test_client_ip_affinity_keeps_one_pod(kubesim: Kubesim):
    kubesim.ok("create", "-f", RC)
    kubesim.ok("create", "-f", AFFINITY_SVC)
    names = pods(kubesim)
    ip = cluster_ip(kubesim)
    answers = {kubesim("exec", names[1], "--", "curl", "-s", f"http://{ip}").stdout for _ in range(12)}
    assert len(answers) == 1 and answers.pop() in {f"You've hit {name}\n" for name in names}


def test_the_service_name_resolves_through_cluster_dns(kubesim: Kubesim):
    names = book_setup(kubesim)
    for url in ("http://kubia", "http://kubia.default", "http://kubia.default.svc.cluster.local"):
        result = kubesim("exec", names[0], "--", "curl", "-s", url)
        assert result.stdout in {f"You've hit {name}\n" for name in names}, url


def test_a_failing_curl_reports_the_remote_exit_code(kubesim: Kubesim):
    first = book_setup(kubesim)[0]
    result = kubesim("exec", first, "--", "curl", "-s", "http://nothing-here")
    assert (result.stdout, result.stderr, result.code) == ("", "command terminated with exit code 6\n", 6)


def test_what_a_command_writes_stays_in_the_container(kubesim: Kubesim):
    first = book_setup(kubesim)[0]
    assert kubesim("exec", first, "--", "sh", "-c", "echo kept > /tmp/note").code == 0
    assert kubesim.ok("exec", first, "--", "cat", "/tmp/note") == "kept\n"


def test_stdin_is_passed_with_i(kubesim: Kubesim):
    first = book_setup(kubesim)[0]
    assert kubesim.ok("exec", "-i", first, "--", "cat", stdin="from the terminal\n") == "from the terminal\n"
    assert kubesim.ok("exec", first, "--", "cat", stdin="ignored\n") == ""


# -- kubectl's rules ---------------------------------------------------------------------------------------
def test_the_double_dash_is_required(kubesim: Kubesim):
    first = book_setup(kubesim)[0]
    result = kubesim("exec", first, "curl", "-s", "http://10.111.249.153")
    assert (result.stdout, result.code) == ("", 1)
    assert result.stderr == ("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] "
                             "instead\nSee 'kubesim exec -h' for help and examples\n")


def test_missing_arguments(kubesim: Kubesim):
    assert kubesim("exec").stderr == "error: pod, type/name or --filename must be specified\n"
    assert kubesim("exec", "--", "ls").stderr == "error: pod, type/name or --filename must be specified\n"
    result = kubesim("exec", "kubia", "--")
    assert (result.stderr, result.code) == ("error: you must specify at least one command for the container\n", 1)


def test_unknown_pod_and_container(kubesim: Kubesim):
    kubesim.ok("create", "-f", MANUAL)
    missing = kubesim("exec", "abc", "--", "ls")
    assert (missing.stderr, missing.code) == ('Error from server (NotFound): pods "abc" not found\n', 1)
    wrong = kubesim("exec", "kubia-manual", "-c", "foo", "--", "ls")
    assert (wrong.stderr, wrong.code) == ("error: container foo is not valid for pod kubia-manual out of: kubia\n", 1)


def test_a_missing_executable_is_the_runtimes_error(kubesim: Kubesim):
    kubesim.ok("create", "-f", MANUAL)
    result = kubesim("exec", "kubia-manual", "--", "nslookup", "kubia")
    assert result.code == 1
    assert re.fullmatch(
        r'error: Internal error occurred: Internal error occurred: error executing command in container: failed to '
        r'exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to '
        r'start container process: exec: "nslookup": executable file not found in \$PATH: unknown\n', result.stderr)
    by_path = kubesim("exec", "kubia-manual", "--", "/bin/zsh")
    assert 'exec: "/bin/zsh": stat /bin/zsh: no such file or directory: unknown\n' in by_path.stderr


def test_defaulted_container_message_and_annotation(kubesim: Kubesim):
    two = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "two"},
           "spec": {"initContainers": [{"name": "init1", "image": "busybox", "command": ["true"]}],
                    "containers": [{"name": "kubia", "image": "luksa/kubia"},
                                   {"name": "sidecar", "image": "busybox", "command": ["sleep", "9999"]}]}}
    annotated = json.loads(json.dumps(two))
    annotated["metadata"] = {"name": "annotated",
                             "annotations": {"kubectl.kubernetes.io/default-container": "sidecar"}}
    create(kubesim, two, annotated)
    result = kubesim("exec", "two", "--", "hostname")
    assert (result.stdout, result.stderr) == ("two\n", 'Defaulted container "kubia" out of: kubia, sidecar, init1 '
                                                       '(init)\n')
    assert kubesim("exec", "-q", "two", "--", "hostname").stderr == ""
    sidecar = kubesim("exec", "annotated", "--", "wget", "--help")  # busybox wget: only in the sidecar
    assert sidecar.stderr.startswith("BusyBox v1.37.0") and "Defaulted" not in sidecar.stderr
    chosen = kubesim("exec", "two", "-c", "sidecar", "--", "cat", "/etc/os-release")
    assert chosen.stderr == ("cat: can't open '/etc/os-release': No such file or directory\n"
                             "command terminated with exit code 1\n")


def test_type_slash_name_picks_a_pod_of_the_workload_or_service(kubesim: Kubesim):
    names = book_setup(kubesim)
    for target in ("rc/kubia", "replicationcontroller/kubia", "svc/kubia", "service/kubia"):
        result = kubesim("exec", target, "--", "hostname")
        assert result.code == 0 and result.stdout.strip() in names, target
    assert kubesim.ok("exec", f"pod/{names[2]}", "--", "hostname") == f"{names[2]}\n"
    missing = kubesim("exec", "deploy/nope", "--", "ls")
    assert missing.stderr == 'Error from server (NotFound): deployments.apps "nope" not found\n'


def test_objects_without_pods(kubesim: Kubesim):
    create(kubesim, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"a": "b"}},
           {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "bare"}, "spec": {"ports": [{"port": 80}]}},
           {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "lonely"},
            "spec": {"selector": {"app": "none"}, "ports": [{"port": 80}]}})
    assert kubesim("exec", "cm/cm", "--", "ls").stderr == \
        "error: cannot attach to *v1.ConfigMap: selector for *v1.ConfigMap not implemented\n"
    assert kubesim("exec", "svc/bare", "--", "ls").stderr == \
        "error: invalid service 'bare': Service is defined without a selector\n"
    assert kubesim("exec", "svc/lonely", "--", "ls").stderr == "error: timed out waiting for the condition\n"


def test_it_without_a_terminal_warns_and_runs(kubesim: Kubesim):
    kubesim.ok("create", "-f", MANUAL)
    result = kubesim("exec", "-it", "kubia-manual", "--", "hostname")
    assert (result.stdout, result.stderr, result.code) == (
        "kubia-manual\n", "Unable to use a TTY - input is not a terminal or the right kind of file\n", 0)
    assert kubesim("exec", "-t", "kubia-manual", "--", "hostname").stderr == ""


def test_pods_that_cannot_run_commands(kubesim: Kubesim):
    create(kubesim, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "nowhere"},
                     "spec": {"nodeSelector": {"disk": "ssd"}, "containers": [{"name": "c", "image": "busybox"}]}})
    result = kubesim("exec", "nowhere", "--", "ls")
    assert (result.stderr, result.code) == (
        "Error from server (BadRequest): pod nowhere does not have a host assigned\n", 1)
    kubesim.ok("create", "-f", MANUAL)
    _set_phase(kubesim, "kubia-manual", "Succeeded")
    done = kubesim("exec", "kubia-manual", "--", "ls")
    assert done.stderr == "error: cannot exec into a container in a completed pod; current phase is Succeeded\n"


def _set_phase(kubesim: Kubesim, name: str, phase: str) -> None:
    from kubesim.api.registry import kind_named
    from kubesim.cluster import open_cluster

    env = Env(home=kubesim.home, stdin=io.StringIO(), stdout=io.StringIO(), stderr=io.StringIO(), seed=1)
    cluster = open_cluster(env)
    with cluster.api(write=True) as api:
        obj = api.get(kind_named("Pod"), "default", name)
        obj["status"]["phase"] = phase
        api.write_status(obj)
    cluster.close()


def test_an_interactive_shell_gets_a_terminal(tmp_path: Path):
    kubesim = Kubesim(tmp_path / "home")
    kubesim.ok("create", "-f", MANUAL)
    out = io.StringIO()
    moment = datetime.fromisoformat(FROZEN_WALL_CLOCK).timestamp()
    env = Env(home=kubesim.home, stdin=io.StringIO("curl -s localhost:8080\nexit 3\n"), stdout=out,
              stderr=io.StringIO(), seed=1, wall_clock=lambda: moment, stdin_is_terminal=True, stdout_is_terminal=True)
    code = run_cli(["exec", "-it", "kubia-manual", "--", "sh"], env)
    assert code == 3
    assert "You've hit kubia-manual\n" in out.getvalue()


# -- nothing runs on the host, and nothing crashes ---------------------------------------------------------
CURL_WORDS = ["-s", "-S", "-v", "-i", "-I", "-f", "-L", "-k", "-sS", "-sv", "-o", "-O", "-H", "-X", "-d", "-m",
              "-w", "--connect-timeout", "--max-time", "--data-urlencode", "--resolve", "-G", "-u", "--", "http://",
              "http://kubia", "http://localhost:8080", "http://10.111.249.153", "http://foo", "https://kubernetes",
              "file:///etc/hosts", "ftp://x", "kubia:80", "@-", "%{http_code}", "/tmp/out", "/dev/null", "3", "0.5"]


def _forbid_host_processes():
    def refuse(*args, **kwargs):
        raise AssertionError(f"a host process was started: {args!r}")

    return [mock.patch("subprocess.Popen", side_effect=refuse), mock.patch("os.system", side_effect=refuse),
            mock.patch("os.execvp", side_effect=refuse), mock.patch("os.fork", side_effect=refuse)]


def test_random_curl_and_exec_argv_never_crash_or_touch_the_host(tmp_path: Path):
    kubesim = Kubesim(tmp_path / "home")
    kubesim.ok("create", "-f", MANUAL)
    patches = _forbid_host_processes()

    @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
    @given(curl_argv=st.lists(st.one_of(st.sampled_from(CURL_WORDS), st.text(max_size=12)), max_size=7),
           exec_argv=st.lists(st.one_of(st.sampled_from(["-i", "-t", "-q", "-c", "kubia", "-s", "--", "kubia-manual",
                                                          "pod/kubia-manual", "rc/x", "sh", "-n", "default"]),
                                        st.text(max_size=8)), max_size=6))
    def check(curl_argv: list[str], exec_argv: list[str]) -> None:
        result = kubesim("exec", "kubia-manual", "--", "curl", *curl_argv)
        assert "internal error in kubesim" not in result.stderr
        assert result.code in (0, 1, 2, 3, 6, 7, 22, 23, 28, 35, 37, 47, 52, 60, 77)
        if result.code:
            assert result.stderr.endswith(f"command terminated with exit code {result.code}\n") or \
                result.stderr.startswith("error: ")
        other = kubesim("exec", *exec_argv)
        assert "internal error in kubesim" not in other.stderr and "Traceback" not in other.stderr

    for patch in patches:
        patch.start()
    try:
        check()
    finally:
        for patch in patches:
            patch.stop()


def test_the_only_host_process_kubesim_starts_is_edit_s_editor_and_the_exec_path_cannot_reach_it():
    import ast

    package = Path(__file__).resolve().parents[2] / "kubesim"
    starting = {"Popen", "run", "call", "check_call", "check_output", "system", "execv", "execvp", "spawnv"}
    callers, importers = set(), set()
    for source in package.rglob("*.py"):
        tree = ast.parse(source.read_text())
        name = source.relative_to(package.parent).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in starting \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id in ("subprocess", "os"):
                callers.add(name)
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kubesim.cli") \
                    and not name.startswith("kubesim/cli/") \
                    and name not in ("kubesim/server.py", "kubesim/client.py", "kubesim/__main__.py"):  # front doors
                importers.add(name)
    # client.py starts the command server itself (python -m kubesim.server), never a user's words.
    assert callers == {"kubesim/cli/edit.py", "kubesim/client.py"}
    assert importers == set()  # runtime/, net/, controllers/, api/: nothing below the CLI imports it
