"""``kubesim diagnose`` on a catalogue of broken set-ups (tests/diagnose/broken): each names its cause.

Every case builds a fresh seeded cluster, creates its objects and compares diagnose's whole output
and exit code with tests/diagnose/golden/<case>.out. The book's healthy set-up passes (exit 0).
Set KUBESIM_UPDATE_TRANSCRIPTS=1 to rewrite the goldens — then review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import MANIFESTS, Kubesim

HERE = Path(__file__).parent
BROKEN = HERE / "broken"

# case -> (set-up commands, the diagnose command, the cause it must name)
CASES = {
    "healthy-book": ([["cluster", "reset"], ["create", "-f", "kubia-rc.yaml", "-f", "kubia-svc.yaml"]],
                     ["diagnose", "svc", "kubia"], "no check failed"),
    "selector-typo": ([["create", "-f", "kubia-rc.yaml", "-f", f"{BROKEN}/selector-typo.yaml"]],
                      ["diagnose", "svc", "kubia"], "a typo of 'kubia'?"),
    "wrong-target-port": ([["create", "-f", "kubia-rc.yaml", "-f", f"{BROKEN}/wrong-target-port.yaml"]],
                          ["diagnose", "svc", "kubia"], "nothing listens on 8081; the app listens on 8080"),
    "named-port-missing": ([["create", "-f", f"{BROKEN}/named-port-missing.yaml"]],
                           ["diagnose", "svc/kubia"], "no container port is named 'web'"),
    "no-ready-pods": ([["create", "-f", f"{BROKEN}/no-ready-pods.yaml"]],
                      ["diagnose", "service", "kubia"], "none of the 2 selected pods is ready"),
    "readiness-probe-fails": ([["create", "-f", "kubia-rc-readinessprobe.yaml", "-f", "kubia-svc.yaml"],
                               ["clock", "advance", "30s"]],
                              ["diagnose", "svc", "kubia"],
                              "the kubelet says: Readiness probe failed: ls: cannot access /var/ready"),
    "other-namespace": ([["create", "-f", f"{BROKEN}/other-namespace.yaml"]],
                        ["diagnose", "svc", "kubia"], "a service kubia exists in namespace web"),
    "other-namespace-dns": ([["create", "-f", f"{BROKEN}/other-namespace.yaml"]],
                            ["diagnose", "svc", "kubia", "-n", "web", "--from-namespace", "default"],
                            "call it kubia.web"),
    "headless-no-pods": ([["create", "-f", f"{BROKEN}/headless-no-pods.yaml"]],
                         ["diagnose", "svc", "kubia-headless"], "a headless service has no cluster IP"),
    "externalname-nowhere": ([["create", "-f", f"{BROKEN}/externalname-nowhere.yaml"]],
                             ["diagnose", "svc", "external-service"], "api.nowhere.example.com resolves nowhere"),
    "nodeport-local": ([["cluster", "reset", "--nodes", "2"], ["create", "-f", f"{BROKEN}/nodeport-local.yaml"]],
                       ["diagnose", "svc", "kubia-nodeport-onlylocal"],
                       "node minikube (192.168.49.2) runs no ready pod of the service"),
    "pod-healthy": ([["create", "-f", "kubia-named-ports-pod.yaml"]], ["diagnose", "pod", "kubia-named-ports"],
                    "declared port(s) 8443 answer nothing"),
    "ingress-backend-missing": ([["create", "-f", "kubia-ingress.yaml"]], ["diagnose", "ingress", "kubia"],
                                "service kubia-nodeport does not exist"),
}
FAILING = {"selector-typo", "wrong-target-port", "named-port-missing", "no-ready-pods", "readiness-probe-fails",
           "other-namespace",
           "other-namespace-dns", "headless-no-pods", "externalname-nowhere", "ingress-backend-missing"}


def _run(kubesim: Kubesim, case: str) -> tuple[str, int]:
    setup, command, _ = CASES[case]
    for words in setup:
        assert kubesim(*words, cwd=MANIFESTS).code == 0
    result = kubesim(*command, cwd=MANIFESTS)
    assert result.stderr == ""
    return result.stdout, result.code


@pytest.mark.parametrize("case", sorted(CASES))
def test_diagnose_names_the_cause(case: str, kubesim: Kubesim):
    stdout, code = _run(kubesim, case)
    text = f"$ kubesim {' '.join(CASES[case][1])}\n{stdout}(exit code {code})\n"
    golden = HERE / "golden" / f"{case}.out"
    if os.environ.get("KUBESIM_UPDATE_TRANSCRIPTS"):
        golden.write_text(text)
    assert text == golden.read_text()
    assert CASES[case][2] in stdout
    assert code == (3 if case in FAILING else 0)


def test_json_says_the_same(kubesim: Kubesim):
    stdout, code = _run(kubesim, "selector-typo")
    assert code == 3
    report = json.loads(kubesim("diagnose", "svc", "kubia", "-o", "json", cwd=MANIFESTS).stdout)
    failed = [c["check"] for c in report["checks"] if c["verdict"] == "fail"]
    assert (report["healthy"], report["exitCode"], failed) == (False, 3, ["selector", "endpoints"])
    selector = next(c for c in report["checks"] if c["check"] == "selector")
    assert selector["fix"].startswith("set the service's selector to app=kubia")


@pytest.mark.parametrize("args, message", [
    (["diagnose"], "error: expected 'diagnose TYPE NAME' (a service, pod or ingress)\n"
                   "See 'kubesim diagnose -h' for help and examples\n"),
    (["diagnose", "deploy", "kubia"], "error: diagnose knows services, pods and ingresses, not deployments.apps\n"),
    (["diagnose", "svc", "a", "b"], "error: expected one object: 'diagnose TYPE NAME' or 'diagnose TYPE/NAME'\n"
                                    "See 'kubesim diagnose -h' for help and examples\n"),
    (["diagnose", "svc", "kubia", "-o", "yaml"],
     'error: unable to match a printer suitable for the output format "yaml", allowed formats are: json\n'),
    (["diagnose", "frobs", "x"], 'error: the server doesn\'t have a resource type "frobs"\n'),
])
def test_bad_input_is_one_error_line(args: list[str], message: str, kubesim: Kubesim):
    result = kubesim(*args)
    assert (result.stdout, result.stderr, result.code) == ("", message, 1)


def test_rich_on_a_terminal(tmp_path: Path):
    """On a terminal the checklist is a rich table in colour; the verdicts and causes are the same."""
    import io

    from kubesim.cli.main import run as run_cli
    from kubesim.env import Env

    kubesim = Kubesim(tmp_path / "home")
    _run(kubesim, "selector-typo")
    out = io.StringIO()
    env = Env(home=tmp_path / "home", stdin=io.StringIO(), stdout=out, stderr=io.StringIO(), seed=1,
              wall_clock=lambda: kubesim.moment, stdout_is_terminal=True, variables={"COLUMNS": "160"})
    assert run_cli(["diagnose", "svc", "kubia"], env) == 3
    text = out.getvalue()
    assert "\x1b[" in text and "✘ FAIL" in text and "a typo of 'kubia'?" in text
