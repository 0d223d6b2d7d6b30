"""Shared test machinery: every test gets its own cluster in a temporary KUBESIM_HOME."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from kubesim.cli.main import run as run_cli
from kubesim.env import Env

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "book"
MANIFESTS = REPO / "manifests"
FROZEN_WALL_CLOCK = "2024-07-01T10:00:00+00:00"

# The suite runs on shared, loaded machines: a slow draw or a slow example there says how busy the
# machine was, not that a property failed. Every example still runs and every property is checked.
settings.register_profile("kubesim", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("kubesim")


@dataclass
class Result:
    stdout: str
    stderr: str
    code: int


class Kubesim:
    """Runs kubesim's real front door in-process against one temporary cluster."""

    def __init__(self, home: Path, seed: int | None = 1) -> None:
        self.home = home
        self.seed = seed
        self.moment = datetime.fromisoformat(FROZEN_WALL_CLOCK).timestamp()

    def __call__(self, *args: str, stdin: str = "", cwd: Path | None = None) -> Result:
        out, err = io.StringIO(), io.StringIO()
        env = Env(home=self.home, stdin=io.StringIO(stdin), stdout=out, stderr=err, seed=self.seed,
                  wall_clock=lambda: self.moment)
        previous = os.getcwd()
        if cwd is not None:
            os.chdir(cwd)
        try:
            code = run_cli(list(args), env)
        finally:
            os.chdir(previous)
        return Result(out.getvalue(), err.getvalue(), code)

    def ok(self, *args: str, stdin: str = "", cwd: Path | None = None) -> str:
        """Run a command that must succeed silently on stderr; return its stdout."""
        result = self(*args, stdin=stdin, cwd=cwd)
        assert result.code == 0, result
        return result.stdout


def modules_loaded_by(home: Path, args: list[str], names: tuple[str, ...]) -> str:
    """Which of ``names`` one command imports, run alone in a fresh interpreter (no command server):
    the sorted list as Python prints it, then anything the command wrote to stderr."""
    code = ("import io, sys; from kubesim.cli.main import run; from kubesim.env import Env; "
            f"run({list(args)!r}, Env(home={str(home)!r}, stdin=io.StringIO(), stdout=io.StringIO(), "
            "stderr=io.StringIO())); "
            f"print(sorted(m for m in {names!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    return done.stdout + done.stderr


@pytest.fixture
def kubesim(tmp_path: Path) -> Kubesim:
    return Kubesim(tmp_path / "home")


def kubesim_binary() -> str:
    """The installed entry point, for transcripts that must go through a real process."""
    candidate = Path(sys.executable).parent / "kubesim"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("kubesim")
    assert found, "the kubesim entry point is not installed (make test installs it)"
    return found


def run_process(args: list[str], home: Path, stdin: str = "", extra_env: dict | None = None,
                cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, KUBESIM_HOME=str(home), KUBESIM_SEED="1", KUBESIM_WALL_CLOCK=FROZEN_WALL_CLOCK)
    env.update(extra_env or {})
    return subprocess.run([kubesim_binary(), *args], input=stdin, capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=60)



def stop_server(runtime_dir: Path) -> None:
    """Stop the command server of one socket folder (the control command runs in its own process)."""
    env = dict(os.environ, XDG_RUNTIME_DIR=str(runtime_dir), KUBESIM_SERVER="off")
    subprocess.run([kubesim_binary(), "server", "stop"], env=env, capture_output=True, timeout=60)


@pytest.fixture(scope="session", autouse=True)
def private_server_folder(tmp_path_factory):
    """Real processes started by the tests use a command server of their own, never the user's, and
    it goes when the session ends."""
    runtime_dir = tmp_path_factory.mktemp("run")
    previous = {key: os.environ.get(key) for key in ("XDG_RUNTIME_DIR", "KUBESIM_SERVER_IDLE")}
    os.environ["XDG_RUNTIME_DIR"] = str(runtime_dir)
    os.environ["KUBESIM_SERVER_IDLE"] = "300"
    yield runtime_dir
    stop_server(runtime_dir)
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


SERVER_MODES = ("off", "cold", "warm")


@pytest.fixture(params=SERVER_MODES)
def server_mode(request, tmp_path_factory):
    """The environment for one of the three ways a command runs: without the server, with the
    server cold (the first command starts it), and with it warm (started and answering already)."""
    if request.param == "off":
        yield {"KUBESIM_SERVER": "off"}
        return
    runtime_dir = tmp_path_factory.mktemp(f"run-{request.param}")
    env = {"XDG_RUNTIME_DIR": str(runtime_dir)}
    if request.param == "warm":
        started = subprocess.run([kubesim_binary(), "server", "start"], env=dict(os.environ, **env),
                                 capture_output=True, text=True, timeout=60)
        assert started.returncode == 0, started.stderr
    yield env
    stop_server(runtime_dir)
