"""hostname, env, printenv, echo, cat, true, false — GNU (Debian images) and busybox flavours."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.runtime.podlab import KUBIA_IP, PodLab, pod


@pytest.fixture
def lab(tmp_path: Path) -> PodLab:
    lab = PodLab(tmp_path / "home")
    lab.kubia(replicas=1)
    lab.create(pod("bb", "busybox", command=["sleep", "3600"]),
               pod("web-0", "nginx", hostname="web-0", subdomain="nginx", env=[{"name": "GREETING", "value": "hi"}]))
    return lab


def test_hostname_forms(lab: PodLab):
    ip = lab.ip("kubia-7nog1")
    assert lab.run("kubia-7nog1", "hostname").out == "kubia-7nog1\n"
    assert lab.run("kubia-7nog1", "hostname", "-i").out == f"{ip}\n"
    assert lab.run("kubia-7nog1", "hostname", "-I").out == f"{ip} \n"
    assert lab.run("kubia-7nog1", "hostname", "-f").out == "kubia-7nog1\n"
    assert lab.run("web-0", "hostname", "-f").out == "web-0.nginx.default.svc.cluster.local\n"
    assert lab.run("web-0", "hostname", "-d").out == "nginx.default.svc.cluster.local\n"
    assert lab.run("bb", "hostname", "-i").out == f"{lab.ip('bb')} \n"


def test_a_container_cannot_rename_its_host(lab: PodLab):
    gnu = lab.run("kubia-7nog1", "hostname", "other")
    assert (gnu.err, gnu.code) == ("hostname: you must be root to change the host name\n", 1)
    busybox = lab.run("bb", "hostname", "other")
    assert (busybox.err, busybox.code) == ("hostname: sethostname: Operation not permitted\n", 1)


def test_env_prints_the_containers_environment_in_order(lab: PodLab):
    out = lab.run("kubia-7nog1", "env").out.splitlines()
    assert out[0] == "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    assert out[1] == "HOSTNAME=kubia-7nog1"
    assert out[-1] == "HOME=/root"
    assert {"KUBERNETES_SERVICE_HOST=10.96.0.1", "NODE_VERSION=7.10.1", "YARN_VERSION=0.24.4"} <= set(out)
    assert "TERM=xterm" not in out and "TERM=xterm" in lab.run("kubia-7nog1", "env", tty=True).out


def test_service_variables_are_those_of_services_older_than_the_pod(lab: PodLab):
    # The kubia pod started before its service existed (KiA §5.1.2): no KUBIA_* variables for it.
    assert "KUBIA_SERVICE_HOST" not in lab.run("kubia-7nog1", "env").out
    lab.create(pod("late", "luksa/kubia"))
    later = lab.run("late", "env").out.splitlines()
    assert {f"KUBIA_SERVICE_HOST={KUBIA_IP}", "KUBIA_SERVICE_PORT=80", f"KUBIA_PORT=tcp://{KUBIA_IP}:80"} <= set(later)


def test_env_runs_a_program_in_a_changed_environment(lab: PodLab):
    assert lab.run("kubia-7nog1", "env", "-i", "A=1", "env").out == "A=1\n"
    assert lab.run("kubia-7nog1", "env", "-u", "HOME", "printenv", "HOME").code == 1
    missing = lab.run("kubia-7nog1", "env", "nope")
    assert (missing.err, missing.code) == ("env: nope: No such file or directory\n", 127)
    quoted = lab.run("web-0", "env", "nope")
    assert quoted.err == "env: 'nope': No such file or directory\n"
    busybox = lab.run("bb", "env", "nope")
    assert (busybox.err, busybox.code) == ("env: can't execute 'nope': No such file or directory\n", 127)
    path_changed = lab.run("kubia-7nog1", "env", "PATH=/nowhere", "curl")
    assert path_changed.code == 127


def test_printenv(lab: PodLab):
    assert lab.run("web-0", "printenv", "GREETING", "HOSTNAME").out == "hi\nweb-0\n"
    missing = lab.run("web-0", "printenv", "NOPE")
    assert (missing.out, missing.code) == ("", 1)


def test_echo_as_a_program(lab: PodLab):
    assert lab.run("kubia-7nog1", "echo", "-n", "a", "b").out == "a b"
    assert lab.run("kubia-7nog1", "echo", "-e", "x\\ty\\c", "ignored").out == "x\ty"
    assert lab.run("kubia-7nog1", "echo", "-x").out == "-x\n"
    assert lab.run("kubia-7nog1", "echo", "--version").out.startswith("echo (GNU coreutils) 8.23\n")


def test_cat_files_stdin_and_errors(lab: PodLab):
    assert lab.run("kubia-7nog1", "cat", "/etc/hostname").out == "kubia-7nog1\n"
    assert lab.run("kubia-7nog1", "cat", "-", stdin="piped\n").out == "piped\n"
    assert lab.run("kubia-7nog1", "cat", "-n", "/etc/hostname").out == "     1\tkubia-7nog1\n"
    gnu = lab.run("kubia-7nog1", "cat", "/nope", "/etc")
    assert (gnu.err, gnu.code) == ("cat: /nope: No such file or directory\ncat: /etc: Is a directory\n", 1)
    busybox = lab.run("bb", "cat", "/nope")
    assert busybox.err == "cat: can't open '/nope': No such file or directory\n"
    invalid = lab.run("kubia-7nog1", "cat", "-z")
    assert invalid.err == "cat: invalid option -- 'z'\nTry 'cat --help' for more information.\n"


def test_true_and_false(lab: PodLab):
    assert lab.run("bb", "true").code == 0
    assert lab.run("bb", "false").code == 1
    assert lab.run("kubia-7nog1", "/bin/false").code == 1


@pytest.fixture
def wget_lab(tmp_path: Path) -> PodLab:
    lab = PodLab(tmp_path / "home")
    lab.kubia(replicas=1)
    lab.create(pod("bb", "busybox", command=["sleep", "3600"]),
               {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "none"},
                "spec": {"clusterIP": "10.96.120.15", "selector": {"app": "x"}, "ports": [{"port": 80}]}})
    return lab


def test_busybox_wget(wget_lab: PodLab):
    assert wget_lab.run("bb", "wget", "-qO-", "http://kubia").out == "You've hit kubia-7nog1\n"
    refused = wget_lab.run("bb", "wget", "-qO-", "http://10.96.120.15")
    assert (refused.err, refused.code) == (
        "wget: can't connect to remote host (10.96.120.15): Connection refused\n", 1)
    unknown = wget_lab.run("bb", "wget", "-qO-", "http://foo")
    assert (unknown.err, unknown.code) == ("wget: bad address 'foo'\n", 1)
    saved = wget_lab.run("bb", "wget", "http://kubia")
    assert saved.err.startswith(f"Connecting to kubia ({KUBIA_IP}:80)\nsaving to 'index.html'\n")
    assert wget_lab.run("bb", "cat", "index.html").out == "You've hit kubia-7nog1\n"
    again = wget_lab.run("bb", "wget", "-q", "http://kubia")
    assert (again.err, again.code) == ("wget: can't open 'index.html': File exists\n", 1)


def test_gnu_wget_in_the_kubia_image(wget_lab: PodLab):
    refused = wget_lab.run("kubia-7nog1", "wget", "-O-", "http://10.96.120.15")
    assert (refused.out, refused.err, refused.code) == (
        "", "--2024-07-01 10:00:00--  http://10.96.120.15/\nConnecting to 10.96.120.15:80... failed: "
            "Connection refused.\n", 4)
    quiet = wget_lab.run("kubia-7nog1", "wget", "-qO-", "http://foo")
    assert (quiet.out, quiet.err, quiet.code) == ("", "", 4)
    unresolved = wget_lab.run("kubia-7nog1", "wget", "-O-", "http://foo")
    assert unresolved.err == ("--2024-07-01 10:00:00--  http://foo/\nResolving foo (foo)... failed: Name or service "
                              "not known.\nwget: unable to resolve host address 'foo'\n")
    ok = wget_lab.run("kubia-7nog1", "wget", "-qO-", "http://kubia")
    assert (ok.out, ok.code) == ("You've hit kubia-7nog1\n", 0)
    log = wget_lab.run("kubia-7nog1", "wget", "-O-", "http://kubia").err
    assert log.startswith("--2024-07-01 10:00:00--  http://kubia/\nResolving kubia (kubia)... "
                          f"{KUBIA_IP}\nConnecting to kubia (kubia)|{KUBIA_IP}|:80... connected.\n"
                          "HTTP request sent, awaiting response... 200 OK\nLength: unspecified\n"
                          "Saving to: 'STDOUT'\n\n")
    assert log.endswith("2024-07-01 10:00:00 (225 KB/s) - written to stdout [23]\n\n")


def test_gnu_wget_retries_a_silent_host_and_gives_up(wget_lab: PodLab):
    ran = wget_lab.run("kubia-7nog1", "wget", "-t", "2", "-T", "5", "-O-", f"http://{KUBIA_IP}:8080")
    assert (ran.err, ran.code) == (
        f"--2024-07-01 10:00:00--  http://{KUBIA_IP}:8080/\nConnecting to {KUBIA_IP}:8080... failed: Connection timed "
        f"out.\nRetrying.\n\n--2024-07-01 10:00:06--  (try: 2)  http://{KUBIA_IP}:8080/\n"
        f"Connecting to {KUBIA_IP}:8080... failed: Connection timed out.\nGiving up.\n\n", 4)
