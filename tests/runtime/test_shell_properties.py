"""Random input never crashes kubesim, never reaches the host, never runs past the budget."""

from __future__ import annotations

import os
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubesim.runtime.shell import main
from kubesim.runtime.shell.errors import ShellSyntaxError
from kubesim.runtime.shell.parser import Parser
from kubesim.runtime.shell.session import Session, activate
from tests.runtime.fakes import process

SHELL_ALPHABET = st.sampled_from(list("ab $'\"\\`(){};|&<>\n#*?[]=-!0123") + [
    "if ", "then ", "fi", "for ", "do ", "done", "while ", "case ", "esac", "in ", "echo ", "${", "$(", "$((",
    "))", "true", "false", "seq 3", "| sort", "&&", "||", "<<EOF\n", "EOF\n", "x=1 ", "$x", "exit ", "f() ",
    "cd /tmp", "ls", ">/tmp/o ", "2>&1", "[ a = a ]"])


@pytest.fixture(autouse=True)
def no_host_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Anything that would start a host process fails the test loudly."""

    def explode(*args: object, **kwargs: object) -> None:
        raise AssertionError("kubesim tried to run a host process")

    for name in ("run", "Popen", "call", "check_call", "check_output", "getoutput", "getstatusoutput"):
        monkeypatch.setattr(subprocess, name, explode)
    for name in ("system", "popen", "execv", "execve", "execvp", "execvpe", "execl", "execlp", "spawnv", "spawnve",
                 "spawnl", "posix_spawn", "posix_spawnp", "fork", "forkpty"):
        if hasattr(os, name):
            monkeypatch.setattr(os, name, explode)
    import pty

    monkeypatch.setattr(pty, "spawn", explode)
    monkeypatch.setattr(pty, "fork", explode)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(SHELL_ALPHABET, max_size=30).map("".join), st.sampled_from(["dash", "bash", "busybox-ash"]))
def test_random_scripts_end_cleanly(script: str, flavour: str) -> None:
    image = "busybox" if flavour == "busybox-ash" else "nginx"
    proc = process(image, ["bash" if flavour == "bash" else "sh", "-c", script])
    with activate(Session(limit=2_000)) as session:
        status = main(proc, flavour)
    assert 0 <= status <= 255
    assert session.steps <= 2_001
    try:
        parser = Parser(script, flavour)
        while parser.next_command() is not None:
            pass
    except ShellSyntaxError:
        # The shell runs a script a command at a time, as dash and bash do: an ``exit`` before the
        # broken line ends it cleanly before the parser ever reaches the error.
        ended_early = "exit" in script or "return" in script
        assert status == 2 or proc.stdout.getvalue() or proc.stderr.getvalue() or ended_early


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60), st.sampled_from(["dash", "bash", "busybox-ash"]))
def test_arbitrary_text_never_raises(script: str, flavour: str) -> None:
    proc = process("nginx", ["sh", "-c", script])
    with activate(Session(limit=2_000)):
        status = main(proc, flavour)
    assert 0 <= status <= 255


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(SHELL_ALPHABET, max_size=30).map("".join))
def test_syntax_errors_exit_2(script: str) -> None:
    try:
        parser = Parser(script, "dash")
        while parser.next_command() is not None:
            pass
    except ShellSyntaxError:
        proc = process("nginx", ["sh", "-c", script + "\n"])
        with activate(Session(limit=2_000)):
            status = main(proc, "dash")
        assert status == 2 or "Syntax error" not in proc.stderr.getvalue()
        if "Syntax error" in proc.stderr.getvalue():
            assert status == 2


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    proc = process("nginx", ["sh", "-c", "(" * 500 + ")" * 500])
    with activate(Session(limit=2_000)):
        status = main(proc, "dash")
    assert status == 2
    assert "nesting too deep" in proc.stderr.getvalue()


def test_recursive_function_is_stopped() -> None:
    proc = process("nginx", ["sh", "-c", "f() { f; }; f"])
    with activate(Session()):
        status = main(proc, "dash")
    assert status != 0
    assert "nested deeper" in proc.stderr.getvalue()
