"""Whatever is typed, kubesim answers with kubectl's kind of message and an exit code — never a
traceback, never an "internal error"."""

from __future__ import annotations

import io
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubesim.cli.app import VERBS
from kubesim.cli.main import run
from kubesim.env import Env

WORDS = st.sampled_from([
    "po", "pods", "svc", "services/kubernetes", "all", "ep", "no", "ns", "deploy", "rs", "rc", "ing", "cm",
    "kubernetes", "kube-dns", "coredns", "default", "kube-system", "-n", "kube-system", "-A", "-o", "json",
    "-oyaml", "-o=name", "wide", "-l", "app=kubia", "k8s-app in (kube-dns)", "--show-labels", "-L", "app",
    "--sort-by=.metadata.name", "--", "-f", "-", "missing.yaml", "--all", "x=y", "x-", "--overwrite",
    "--replicas=2", "--port=80", "--image=busybox", "--dry-run=client", "-it", "-c", "nope", "sh", "-c",
    "echo hi", "curl", "-s", "http://kubia", "--validate=false", "advance", "5s", "info", "--cascade=orphan",
    "-o=jsonpath={.items[*].metadata.name}", "-o=custom-columns=N:.metadata.name", "{", "]", "=", "",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(verb=st.sampled_from([*VERBS, "bogus"]), words=st.lists(st.one_of(WORDS, st.text(max_size=8)), max_size=7),
       stdin=st.sampled_from(["", "garbage: [", "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n"]))
def test_any_command_line_gets_an_answer_not_a_traceback(tmp_path_factory, verb, words, stdin):
    home = Path(tmp_path_factory.mktemp("home"))
    out, err = io.StringIO(), io.StringIO()
    # An editor that saves nothing: ``edit svc kubernetes`` must not start vi in the test run.
    env = Env(home=home, stdin=io.StringIO(stdin), stdout=out, stderr=err, seed=1, wall_clock=lambda: 1.7e9,
              variables={"KUBE_EDITOR": "true", "PATH": os.environ.get("PATH", "")})
    code = run([verb, *words], env)
    assert isinstance(code, int)
    assert "internal error in kubesim" not in err.getvalue(), (verb, words, err.getvalue())
    assert "Traceback" not in err.getvalue() + out.getvalue()
