"""A lone clone of the repository runs its own tests: nothing beside it (no shared/ folder) is read.

The committed HEAD is cloned into an empty temporary folder and, with the current interpreter and
PYTHONPATH at the clone, pytest collects the whole suite there and runs the book's corpus
transcript. Uncommitted changes are not in that clone: this checks what a ``git clone`` gets.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def in_clone(clone: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "KUBESIM_"))}
    env["PYTHONPATH"] = str(clone)
    return subprocess.run([sys.executable, *args], cwd=clone, env=env, capture_output=True, text=True,
                          timeout=120)


def test_a_lone_clone_collects_and_runs_the_book_transcript(tmp_path: Path):
    subprocess.run(["git", "clone", "-q", str(REPO), str(tmp_path / "solo")], check=True, timeout=60)
    clone = tmp_path / "solo"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["solo"]

    where = in_clone(clone, "-c", "import kubesim, tests.conftest as c; print(kubesim.__file__); print(c.CORPUS)")
    assert where.returncode == 0, where.stderr
    assert all(Path(line).is_relative_to(clone) for line in where.stdout.split()), where.stdout

    collected = in_clone(clone, "-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts=", "--collect-only", "-q")
    assert collected.returncode == 0, collected.stdout + collected.stderr
    assert "tests/test_transcripts.py::test_transcript[05-corpus]" in collected.stdout

    ran = in_clone(clone, "-m", "pytest", "-p", "no:cacheprovider",
                   "tests/test_transcripts.py::test_transcript[05-corpus]")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "1 passed" in ran.stdout, ran.stdout
    assert not (tmp_path / "shared").exists()
