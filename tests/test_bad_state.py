"""A bad KUBESIM_* variable or a state.db kubesim cannot use: one error line, exit 1, the files untouched.

Every case runs the installed entry point in a real process, as a new user would meet it.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_process


def refused(args: list[str], home: Path, extra_env: dict | None = None) -> str:
    """Run a command that must fail before doing anything; return its one stderr line."""
    result = run_process(args, home, extra_env=extra_env)
    assert "Traceback" not in result.stderr
    assert (result.stdout, result.returncode) == ("", 1), result
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n"), result.stderr
    return result.stderr


# -- the environment ----------------------------------------------------------------------------

def test_a_wall_clock_that_is_not_a_time_is_named_and_nothing_is_created(tmp_path: Path):
    home = tmp_path / "home"
    line = refused(["get", "po"], home, {"KUBESIM_WALL_CLOCK": "garbage"})
    assert line == 'error: KUBESIM_WALL_CLOCK="garbage" is not an RFC 3339 time (e.g. 2024-07-01T10:00:00Z)\n'
    assert not home.exists()


def test_a_seed_that_is_not_an_integer_is_named_instead_of_ignored(tmp_path: Path):
    home = tmp_path / "home"
    line = refused(["get", "po"], home, {"KUBESIM_SEED": "abc"})
    assert line == 'error: KUBESIM_SEED="abc" is not an integer (e.g. 42)\n'
    assert not home.exists()


def test_an_empty_seed_or_clock_means_unset_and_a_negative_seed_is_a_seed(tmp_path: Path):
    result = run_process(["get", "ns", "-o", "name"], tmp_path / "home",
                         extra_env={"KUBESIM_SEED": "", "KUBESIM_WALL_CLOCK": ""})
    assert (result.stderr, result.returncode) == ("", 0)
    result = run_process(["get", "ns", "default", "-o", "name"], tmp_path / "home", extra_env={"KUBESIM_SEED": "-7"})
    assert (result.stdout, result.stderr, result.returncode) == ("namespace/default\n", "", 0)
