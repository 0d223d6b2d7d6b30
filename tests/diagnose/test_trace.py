"""``kubesim trace`` is the request curl makes: the same random choices, the same answer."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

from tests.conftest import MANIFESTS, Kubesim

HERE = Path(__file__).parent
BROKEN = HERE / "broken"


def _cluster(tmp_path: Path, name: str) -> tuple[Kubesim, str]:
    kubesim = Kubesim(tmp_path / name)
    kubesim.ok("create", "-f", "kubia-rc.yaml", "-f", "kubia-svc.yaml", cwd=MANIFESTS)
    pod = kubesim.ok("get", "pods", "-o", "jsonpath={.items[0].metadata.name}")
    return kubesim, pod


def test_a_trace_lands_where_curl_would(tmp_path: Path):
    """Two clusters from one seed: the n-th trace in one reaches the pod the n-th curl reaches in the other."""
    traced, pod = _cluster(tmp_path, "traced")
    curled, same_pod = _cluster(tmp_path, "curled")
    assert pod == same_pod
    reached, answered = [], []
    for _ in range(6):
        report = json.loads(traced.ok("trace", pod, "http://kubia", "-o", "json"))
        reached.append(report["answer"]["body"])
        answered.append(curled.ok("exec", pod, "--", "curl", "-s", "http://kubia"))
    assert reached == answered
    assert len(set(reached)) > 1  # the choice is really random among the endpoints


def test_local_policy_and_load_balancer_from_outside(kubesim: Kubesim):
    """Whole output: a node without a local pod drops the packet; the load balancer only sends to one
    with a pod, and the client's address is kept."""
    kubesim.ok("cluster", "reset", "--nodes", "2", "--lb-delay", "0s")
    kubesim.ok("create", "-f", f"{BROKEN}/nodeport-local.yaml", cwd=MANIFESTS)
    kubesim.ok("create", "-f", f"{HERE}/loadbalancer-local.yaml")
    lb = kubesim.ok("get", "svc", "kubia-lb-local", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}")
    text = ""
    for args in (["--from-outside", "http://192.168.49.2:30124"], ["--from-outside", "http://192.168.49.3:30124"],
                 ["--from-outside", f"http://{lb}"]):
        result = kubesim("trace", *args)
        text += f"$ kubesim trace {' '.join(args)}\n{result.stdout}(exit code {result.code})\n"
    golden = HERE / "golden" / "trace-outside.out"
    if os.environ.get("KUBESIM_UPDATE_TRANSCRIPTS"):
        golden.write_text(text)
    assert text == golden.read_text()
    assert "node minikube has no local endpoint: the packet is dropped" in text


def test_rich_on_a_terminal(tmp_path: Path):
    from kubesim.cli.main import run as run_cli
    from kubesim.env import Env

    kubesim, pod = _cluster(tmp_path, "home")
    for argv in (["trace", pod, "http://kubia"], ["graph"]):
        out = io.StringIO()
        env = Env(home=tmp_path / "home", stdin=io.StringIO(), stdout=out, stderr=io.StringIO(), seed=1,
                  wall_clock=lambda: kubesim.moment, stdout_is_terminal=True, variables={"COLUMNS": "160"})
        assert run_cli(argv, env) == 0
        assert "\x1b[" in out.getvalue() and "kubia" in out.getvalue()
