"""The demo's walkthrough parts, as bash runs them with the installed kubesim: whole output, verbatim.

Each ``demo/*.sh`` part (the book's §5.1 and §5.1.2 among them) runs on a fresh cluster in
manifests/, through the real entry point in real processes (install and start-up included), and
must print exactly ``tests/e2e/<part>.out``. Set KUBESIM_UPDATE_TRANSCRIPTS=1 to rewrite the .out
files — then review the diff.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import FROZEN_WALL_CLOCK, MANIFESTS, REPO, kubesim_binary

HERE = Path(__file__).parent
PARTS = sorted(p for p in (REPO / "demo").glob("*.sh") if p.stem not in ("step", "walkthrough"))


@pytest.mark.parametrize("script", PARTS, ids=lambda p: p.stem)
def test_walkthrough_part(script: Path, tmp_path: Path, server_mode: dict):
    """Each part reads the same with the command server off, cold and warm."""
    bin_dir = str(Path(kubesim_binary()).parent)
    env = dict(os.environ, KUBESIM_HOME=str(tmp_path / "home"), KUBESIM_SEED="42",
               KUBESIM_WALL_CLOCK=FROZEN_WALL_CLOCK, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""),
               **server_mode)
    done = subprocess.run(["bash", str(script)], cwd=MANIFESTS, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.stderr == ""
    expected = HERE / f"{script.stem}.out"
    if os.environ.get("KUBESIM_UPDATE_TRANSCRIPTS") and server_mode.get("KUBESIM_SERVER") == "off":
        expected.write_text(done.stdout)
    assert done.stdout == expected.read_text()
