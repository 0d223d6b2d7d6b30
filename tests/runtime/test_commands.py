"""Starting programs in a container: PATH lookup, spawn's silent 127/126, scripts, and the store hand-back."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from kubesim.api.registry import kind_named
from kubesim.runtime.commands import (
    ExecError,
    Interaction,
    SessionEnded,
    build_process,
    resolve,
    run_in_container,
    spawn,
)
from tests.runtime.podlab import PodLab, pod


@pytest.fixture
def lab(tmp_path: Path) -> PodLab:
    lab = PodLab(tmp_path / "home")
    lab.create(pod("kubia", "luksa/kubia", ports=[8080]), pod("web", "nginx"))
    return lab


def test_spawn_is_silent_about_missing_and_unrunnable_programs(lab: PodLab):
    with lab.cluster.api(write=True) as api:
        target = api.get(kind_named("Pod"), "default", "kubia")
        proc = build_process(api, target, target["spec"]["containers"][0], ["sh"])
        out, err = io.StringIO(), io.StringIO()
        assert spawn(proc, ["nslookup", "kubia"], "", out, err) == 127
        assert spawn(proc, ["/etc/hosts"], "", out, err) == 126
        assert spawn(proc, ["/tmp"], "", out, err) == 126
        assert (out.getvalue(), err.getvalue()) == ("", "")
        assert spawn(proc, ["hostname"], "", out, err) == 0 and out.getvalue() == "kubia\n"


def test_a_program_removed_from_the_container_is_gone(lab: PodLab):
    assert lab.run("kubia", "rm", "/usr/bin/curl").code == 0
    with pytest.raises(ExecError, match='exec: "curl": executable file not found in \\$PATH'):
        lab.run("kubia", "curl", "http://localhost:8080")


def test_resolution_follows_path_and_paths_relative_to_the_working_directory(lab: PodLab):
    with lab.cluster.api() as api:
        target = api.get(kind_named("Pod"), "default", "kubia")
        proc = build_process(api, target, target["spec"]["containers"][0], ["sh"])
        assert resolve(proc.image, proc.fs, "curl", "/usr/bin", "/").path == "/usr/bin/curl"
        assert resolve(proc.image, proc.fs, "curl", "/bin", "/").status == "missing"
        assert resolve(proc.image, proc.fs, "../bin/cat", "", "/usr").path == "/bin/cat"


def test_an_executable_script_runs_with_its_interpreter(lab: PodLab):
    ran = lab.run("web", "/docker-entrypoint.sh", "echo", "started")
    assert (ran.out, ran.code) == ("started\n", 0)


def test_runtime_error_for_a_directory(lab: PodLab):
    with pytest.raises(ExecError, match='exec: "/tmp": permission denied: unknown$'):
        lab.run("kubia", "/tmp")


def test_a_tty_merges_stderr_into_stdout(lab: PodLab):
    with lab.cluster.api(write=True) as api:
        target = api.get(kind_named("Pod"), "default", "kubia")
        out, err = io.StringIO(), io.StringIO()
        code = run_in_container(api, target, target["spec"]["containers"][0], ["cat", "/nope"], stdout=out,
                                stderr=err, tty=True)
    assert (code, out.getvalue(), err.getvalue()) == (1, "cat: /nope: No such file or directory\n", "")


def test_an_idle_interactive_session_lets_other_writers_in(lab: PodLab):
    with lab.cluster.api(write=True) as api:
        target = api.get(kind_named("Pod"), "default", "kubia")
        interaction = Interaction(lab.cluster, api, target)
        interaction.waiting()
        other = sqlite3.connect(str(lab.cluster.path), timeout=0.1, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # would raise "database is locked" if the session held the lock
        other.execute("INSERT INTO meta (key, value) VALUES ('written-meanwhile', 'yes')")
        other.execute("COMMIT")
        other.close()
        interaction.working()
        assert api.tx.meta("written-meanwhile") == "yes"


def test_a_session_ends_when_its_pod_is_deleted_meanwhile(lab: PodLab):
    with lab.cluster.api(write=True) as api:
        target = api.get(kind_named("Pod"), "default", "kubia")
        interaction = Interaction(lab.cluster, api, target)
        interaction.waiting()
        api.tx.connection.execute("COMMIT")
        api.tx.connection.execute("BEGIN IMMEDIATE")
        api.delete(kind_named("Pod"), "default", "kubia")
        with pytest.raises(SessionEnded):
            interaction.working()


def test_piped_input_feeds_an_interactive_shell_line_by_line(lab: PodLab):
    ran = lab.run("kubia", "sh", "-i", stdin="hostname\n")
    assert ran.out == "kubia\n" and ran.err.startswith("# ")
