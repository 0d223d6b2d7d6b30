"""What the Typer front door gives besides parsing: help, shell completion, rich on a terminal only."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kubesim.cli.completion import COMPLETE_VARIABLE, complete_from_shell, completion_script
from kubesim.cli.main import run
from kubesim.env import Env
from tests.conftest import MANIFESTS, Kubesim

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def terminal_run(home: Path, *argv: str, stdout_tty: bool = True, stderr_tty: bool = False, stdin: str = ""):
    out, err = io.StringIO(), io.StringIO()
    env = Env(home=home, stdin=io.StringIO(stdin), stdout=out, stderr=err, seed=1, wall_clock=lambda: 1.7e9,
              stdout_is_terminal=stdout_tty, stderr_is_terminal=stderr_tty, variables={"COLUMNS": "100"})
    code = run(list(argv), env)
    return code, out.getvalue(), err.getvalue()


VERSION_HELP = """Print the client and server version information for the current context.

Examples:
  # Print the client and server versions for the current context
  kubesim version

Options:
    --client=false:
\tIf true, shows client version only (no server required).

    -o, --output='':
\tOne of 'yaml' or 'json'.

Usage:
  kubesim version [options]

Use "kubesim options" for a list of global command-line options (applies to all commands).
"""


def test_piped_help_keeps_kubectl_s_sections_and_flag_layout(kubesim):
    assert kubesim.ok("version", "-h") == VERSION_HELP
    assert kubesim.ok("version", "--help") == VERSION_HELP


def test_piped_help_of_every_verb_has_the_sections_in_kubectl_s_order(kubesim):
    from kubesim.cli.app import VERBS

    for verb in VERBS:
        text = kubesim.ok(verb, "--help")
        assert "\x1b[" not in text
        if "Available Commands:" in text:  # a verb with verbs of its own
            assert verb in ("rollout", "cluster", "clock", "server", "world", "addons", "hosts") and "Usage:" in text, verb
            continue
        positions = [text.find(heading) for heading in ("Examples:", "Options:", "Usage:") if heading in text]
        assert not text.startswith("\n") and "Usage:" in text and positions == sorted(positions), (verb, text)
        assert text.rstrip().endswith('(applies to all commands).'), verb


def test_flags_in_piped_help_show_pflag_defaults(kubesim):
    text = kubesim.ok("delete", "--help")
    for line in ("    --all=false:", "    --cascade='background':", "    --dry-run='none':", "    --grace-period=-1:",
                 "    -f, --filename=[]:", "    --wait=true:", "    --timeout=0s:"):
        assert line + "\n" in text, line


def test_options_lists_the_global_flags(kubesim):
    text = kubesim.ok("options")
    assert text.startswith("The following options can be passed to any command:\n\n")
    assert "    -n, --namespace='':\n\tIf present, the namespace scope for this CLI request\n" in text


def test_top_level_help_lists_every_verb(kubesim):
    from kubesim.cli.app import VERBS

    text = kubesim.ok()
    assert kubesim.ok("--help") == text == kubesim.ok("-h")
    for verb in VERBS:
        assert f"\n  {verb:<15}" in text


def test_help_on_a_terminal_is_typer_s_rich_help_with_kubectl_s_words_intact(tmp_path):
    code, out, err = terminal_run(tmp_path, "delete", "--help")
    assert code == 0 and err == ""
    assert "\x1b[" in out
    plain = ANSI.sub("", out)
    assert "Usage: kubesim delete" in plain
    assert "[-f FILENAME]" in plain  # would vanish if read as rich markup
    assert "Global options" in plain and "--namespace" in plain
    assert "# Delete all pods" in plain and "\n kubesim delete pods --all" in plain


# --- completion ---------------------------------------------------------------------------------

@pytest.fixture
def cluster_with_pods(tmp_path, monkeypatch) -> Kubesim:
    kubesim = Kubesim(tmp_path / "home")
    kubesim.ok("create", "-f", str(MANIFESTS / "kubia-rc.yaml"))
    kubesim.ok("create", "-f", str(MANIFESTS / "kubia-svc.yaml"))
    kubesim.ok("create", "namespace", "other")
    monkeypatch.setenv("KUBESIM_HOME", str(kubesim.home))
    return kubesim


def completions(monkeypatch, capsys, line: str) -> list[str]:
    """What bash would be offered after typing ``line`` (a trailing space starts a new word)."""
    words = line.split()
    cword = len(words) if line.endswith(" ") else len(words) - 1
    monkeypatch.setenv("COMP_WORDS", line)
    monkeypatch.setenv("COMP_CWORD", str(cword))
    monkeypatch.setenv(COMPLETE_VARIABLE, "bash_complete")
    assert complete_from_shell() == 0
    return [entry.split(",", 1)[1] for entry in capsys.readouterr().out.split()]


def test_completion_offers_verbs_and_flags(monkeypatch, capsys, cluster_with_pods):
    assert completions(monkeypatch, capsys, "kubesim ex") == ["expose", "exec"]
    assert completions(monkeypatch, capsys, "kubesim get --show-") == [
        "--show-labels", "--show-kind", "--show-managed-fields"]


def test_completion_offers_fixed_flag_values(monkeypatch, capsys, cluster_with_pods):
    assert completions(monkeypatch, capsys, "kubesim get po -o j") == [
        "json", "jsonpath=", "jsonpath-file=", "jsonpath-as-json="]
    assert completions(monkeypatch, capsys, "kubesim create --dry-run=") == ["none", "server", "client"]
    assert completions(monkeypatch, capsys, "kubesim completion ") == ["bash", "zsh", "fish"]


def test_completion_offers_resource_types_under_every_alias(monkeypatch, capsys, cluster_with_pods):
    assert completions(monkeypatch, capsys, "kubesim get se") == ["secret", "secrets", "service", "services"]
    assert completions(monkeypatch, capsys, "kubesim describe dep") == [
        "deploy", "deployment", "deployments", "deployments.apps"]


def test_completion_offers_names_from_the_live_cluster(monkeypatch, capsys, cluster_with_pods):
    pods = sorted(cluster_with_pods.ok("get", "po", "-o", "name").replace("pod/", "").split())
    assert len(pods) == 3
    assert completions(monkeypatch, capsys, "kubesim exec ") == pods
    assert completions(monkeypatch, capsys, "kubesim describe po ") == pods
    assert completions(monkeypatch, capsys, "kubesim expose svc ") == ["kubernetes", "kubia"]
    assert completions(monkeypatch, capsys, "kubesim get svc/ku") == ["svc/kubernetes", "svc/kubia"]
    assert completions(monkeypatch, capsys, "kubesim -n ") == [
        "default", "kube-node-lease", "kube-public", "kube-system", "other"]
    assert completions(monkeypatch, capsys, "kubesim get po -n kube-system co")[0].startswith("coredns-")


def test_completion_never_creates_a_cluster(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("KUBESIM_HOME", str(tmp_path / "none"))
    assert completions(monkeypatch, capsys, "kubesim exec ") == []
    assert not (tmp_path / "none").exists()


@pytest.mark.parametrize("shell, marker", [("bash", "complete -o nosort -F _kubesim_completion kubesim"),
                                           ("zsh", "#compdef kubesim"), ("fish", "complete --no-files --command kubesim")])
def test_completion_scripts_call_back_into_kubesim(kubesim, shell, marker):
    script = kubesim.ok("completion", shell)
    assert script == completion_script(shell)
    assert marker in script and f"{COMPLETE_VARIABLE}=" in script


def test_completion_verb_errors_read_as_kubectl_s(kubesim):
    assert kubesim("completion").stderr == "error: Shell not specified.\nSee 'kubesim completion -h' for help and examples\n"
    assert kubesim("completion", "tcsh").stderr == ('error: Unsupported shell type "tcsh".\n'
                                                    "See 'kubesim completion -h' for help and examples\n")


def test_bash_really_completes_through_the_script(cluster_with_pods, tmp_path):
    """The script as bash sources it, calling the installed entry point."""
    binary = Path(sys.executable).parent / "kubesim"
    script = (f'source <("{binary}" completion bash); COMP_WORDS=(kubesim get po); COMP_CWORD=2; '
              f'_kubesim_completion "{binary}"; echo "${{COMPREPLY[@]}}"')
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, KUBESIM_HOME=str(cluster_with_pods.home)))
    assert done.stdout == "po pod pods\n", done.stderr


# --- rich where people look -----------------------------------------------------------------------

def many_config_maps(count: int) -> str:
    return "".join(f"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm{i}\n" for i in range(count))


def test_a_long_create_draws_a_progress_bar_on_a_terminal_stderr_only(tmp_path):
    expected = "".join(f"configmap/cm{i} created\n" for i in range(30))
    code, out, err = terminal_run(tmp_path / "a", "create", "-f", "-", stdin=many_config_maps(30), stdout_tty=False,
                                  stderr_tty=True)
    assert code == 0 and out == expected
    assert "kubesim create" in ANSI.sub("", err) and "\x1b[" in err
    code, out, err = terminal_run(tmp_path / "b", "create", "-f", "-", stdin=many_config_maps(30), stdout_tty=False)
    assert (code, out, err) == (0, expected, "")


def test_with_stdout_on_the_same_terminal_lines_are_printed_above_the_bar(tmp_path):
    code, out, err = terminal_run(tmp_path, "create", "-f", "-", stdin=many_config_maps(25), stderr_tty=True)
    assert code == 0 and out == ""
    assert ANSI.sub("", err).count(" created") == 25


def test_short_work_draws_no_bar(tmp_path):
    code, out, err = terminal_run(tmp_path, "create", "-f", "-", stdin=many_config_maps(3), stdout_tty=False,
                                  stderr_tty=True)
    assert (code, err) == (0, "") and out.count("created") == 3


def test_scaling_to_many_replicas_counts_the_pods_on_a_terminal(tmp_path):
    kubesim = Kubesim(tmp_path)
    kubesim.ok("create", "-f", str(MANIFESTS / "kubia-rc.yaml"))
    out, err = io.StringIO(), io.StringIO()
    env = Env(home=tmp_path, stdin=io.StringIO(), stdout=out, stderr=err, seed=1, wall_clock=lambda: kubesim.moment,
              stderr_is_terminal=True)
    assert run(["scale", "rc", "kubia", "--replicas=30"], env) == 0
    assert out.getvalue() == "replicationcontroller/kubia scaled\n"
    assert "27/27" in ANSI.sub("", err.getvalue())


def test_kubesim_s_own_reports_are_rich_tables_on_a_terminal_and_plain_when_piped(tmp_path, kubesim):
    code, out, _ = terminal_run(kubesim.home, "cluster", "info")
    plain = ANSI.sub("", out)
    assert code == 0 and "\x1b[" in out and "│ Kubernetes version │ v1.36.0" in plain
    piped = kubesim.ok("cluster", "info")
    assert "\x1b[" not in piped and "Kubernetes version: v1.36.0\n" in piped
    code, out, _ = terminal_run(kubesim.home, "version")
    assert "│ Client Version │ v1.36.0 │" in ANSI.sub("", out)
    assert kubesim.ok("version") == "Client Version: v1.36.0\nServer Version: v1.36.0\n"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n", kubesim.ok("clock", "show"))


def test_get_pods_loads_neither_rich_nor_yaml_nor_jsonpath(tmp_path):
    from tests.conftest import modules_loaded_by

    assert modules_loaded_by(tmp_path, ["get", "pods"],
                             ("rich", "yaml", "kubesim.printers.jsonpath", "kubesim.cli.describe")) == "[]\n"
