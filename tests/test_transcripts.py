"""Whole-output transcripts: each file in tests/transcripts is a session on a fresh cluster.

Format: ``$ kubesim ARGS`` runs a command (``< FILE`` feeds stdin); the lines after it are its exact
stdout; ``! text`` lines are its stderr; ``? N`` its exit code (0 when absent); a line
``[no newline at end]`` says stdout did not end in a newline. Lines starting with ``#`` before the
first command are comments. The cluster's home folder reads ``$KUBESIM_HOME``. ``$CORPUS`` is the
book's manifest folder, tests/book, given as a path relative to manifests/, where commands run.

Set KUBESIM_UPDATE_TRANSCRIPTS=1 to rewrite the files from what kubesim prints now — then read the
diff: a transcript is only as good as the review of what it freezes.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest

from tests.conftest import CORPUS, MANIFESTS, Kubesim, Result, run_process

HERE = Path(__file__).parent / "transcripts"
NO_NEWLINE = "[no newline at end]"


def parse(text: str) -> tuple[list[str], list[dict]]:
    comments: list[str] = []
    steps: list[dict] = []
    for line in text.split("\n"):
        if line.startswith("$ kubesim"):
            steps.append({"command": line[2:], "stdout": [], "stderr": [], "code": 0, "newline": True})
        elif not steps:
            if line:
                comments.append(line)
        elif line.startswith("! ") or line == "!":
            steps[-1]["stderr"].append(line[2:])
        elif line.startswith("? "):
            steps[-1]["code"] = int(line[2:])
        elif line == NO_NEWLINE:
            steps[-1]["newline"] = False
        else:
            steps[-1]["stdout"].append(line)
    for step in steps:
        while step["stdout"] and step["stdout"][-1] == "":
            step["stdout"].pop()
    return comments, steps


def render(comments: list[str], steps: list[dict]) -> str:
    lines = list(comments)
    for step in steps:
        lines.append("$ " + step["command"])
        lines += step["stdout"]
        if not step["newline"]:
            lines.append(NO_NEWLINE)
        lines += ["! " + line if line else "!" for line in step["stderr"]]
        if step["code"]:
            lines.append(f"? {step['code']}")
        lines.append("")
    return "\n".join(lines)


class ThroughProcesses:
    """Each command in a real process of the installed entry point, as a user's shell runs it."""

    def __init__(self, home: Path, extra_env: dict) -> None:
        self.home = home
        self.extra_env = extra_env

    def __call__(self, *args: str, stdin: str = "", cwd: Path | None = None) -> Result:
        done = run_process(list(args), self.home, stdin=stdin, extra_env=self.extra_env, cwd=cwd)
        return Result(done.stdout, done.stderr, done.returncode)


def run_step(kubesim: Kubesim | ThroughProcesses, command: str) -> dict:
    words = shlex.split(command.replace("$CORPUS", os.path.relpath(CORPUS, MANIFESTS)))
    stdin = ""
    if "<" in words:
        at = words.index("<")
        stdin = (MANIFESTS / words[at + 1]).read_text()
        words = words[:at] + words[at + 2:]
    result = kubesim(*words[1:], stdin=stdin, cwd=MANIFESTS)
    home = str(kubesim.home)  # a temporary folder: the transcript names it as the user would
    stdout = result.stdout.replace(home, "$KUBESIM_HOME")
    newline = stdout.endswith("\n") or stdout == ""
    stdout_lines = stdout[:-1].split("\n") if stdout.endswith("\n") else (stdout.split("\n") if stdout else [])
    stderr = result.stderr.replace(home, "$KUBESIM_HOME")
    stderr_lines = stderr[:-1].split("\n") if stderr else []
    return {"command": command, "stdout": stdout_lines, "stderr": stderr_lines, "code": result.code,
            "newline": newline}


@pytest.mark.parametrize("path", sorted(HERE.glob("*.txt")), ids=lambda p: p.stem)
def test_transcript(path: Path, tmp_path: Path):
    comments, expected = parse(path.read_text())
    assert expected, f"{path.name} has no commands"
    kubesim = Kubesim(tmp_path / "home")
    actual = [run_step(kubesim, step["command"]) for step in expected]
    for step in actual:
        while step["stdout"] and step["stdout"][-1] == "":
            step["stdout"].pop()
    if os.environ.get("KUBESIM_UPDATE_TRANSCRIPTS"):
        path.write_text(render(comments, actual))
        return
    assert render(comments, actual) == render(comments, expected)


# With the server off a process runs what test_transcript runs in-process; the e2e scripts cover that.
@pytest.mark.parametrize("server_mode", ["cold", "warm"], indirect=True)
@pytest.mark.parametrize("path", sorted(HERE.glob("*.txt")), ids=lambda p: p.stem)
def test_transcript_in_real_processes(path: Path, tmp_path: Path, server_mode: dict):
    """The same sessions typed into a shell, through the command server cold (its first command
    starts it) and warm, must read exactly as the transcript."""
    comments, expected = parse(path.read_text())
    kubesim = ThroughProcesses(tmp_path / "home", server_mode)
    actual = [run_step(kubesim, step["command"]) for step in expected]
    for step in actual:
        while step["stdout"] and step["stdout"][-1] == "":
            step["stdout"].pop()
    assert render(comments, actual) == render(comments, expected)
