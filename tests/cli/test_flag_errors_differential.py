"""Click's failures, in kubectl's words: each command line fails in kubesim exactly as in the real kubectl.

These fail while parsing, before kubectl would talk to a server, so the real kubectl 1.36 (a test
extra) answers them offline. Its stderr, with "kubectl" read as "kubesim", and its exit code must be
kubesim's.
"""

from __future__ import annotations

import shlex
import subprocess

import pytest

from tests.test_kubectl_differential import kubectl

COMMAND_LINES = [
    "get --foo", "get -x", "get -ix", "get -o", "get --output", "get -l", "get -Lx -y", "get -w=false -q",
    "get --chunk-size=x", "get -A=maybe", "get --all-namespaces=maybe", "get --show-labels=2",
    "exec -itc", "exec -i=maybe", "exec --container", "run --env", "run --image", "scale --replicas=two",
    "scale --replicas=1.5", "scale --current-replicas=x", "label --overwrite=2", "annotate --overwrite=yes",
    "api-resources --namespaced=x", "describe --show-events=nope", "version --client=yes", "version foo",
    "delete --grace-period=soon", "delete --now=later", "create --save-config=x", "apply --bogus",
    "expose --port", "--client version", "--bogus", "-n",
]


@pytest.mark.parametrize("line", COMMAND_LINES)
def test_a_parse_error_reads_as_kubectl_s(kubesim, line):
    argv = shlex.split(line)
    real = subprocess.run([kubectl(), *argv], capture_output=True, text=True, timeout=30)
    assert real.returncode != 0, real  # the case must be a parse error for kubectl too
    ours = kubesim(*argv)
    assert (ours.stderr, ours.code) == (real.stderr.replace("kubectl", "kubesim"), real.returncode)
    assert ours.stdout == real.stdout == ""
