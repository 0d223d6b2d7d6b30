"""patch, wait and rollout where kubectl answers without a server: ``patch --local -f`` applies the patch
to the file's objects on the client, with the same patch library the API server uses, and the verbs'
flag checks fail before any request. Each case must read in kubesim exactly as in the real kubectl 1.36
("kubectl" read as "kubesim")."""

from __future__ import annotations

import shlex
import subprocess

import pytest

from tests.conftest import MANIFESTS
from tests.test_kubectl_differential import kubectl

LOCAL_PATCHES = [
    ("kubia-deployment.yaml", "strategic", '{"spec":{"replicas":5}}', "json"),
    ("kubia-deployment.yaml", "strategic", '{"spec":{"replicas":3}}', ""),
    ("kubia-deployment.yaml", "strategic", 'spec: {template: {spec: {containers: [{name: nodejs, image: x}]}}}', "yaml"),
    ("kubia-deployment.yaml", "strategic",
     '{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox"}]}}}}', "yaml"),
    ("kubia-deployment.yaml", "strategic",
     '{"spec":{"template":{"spec":{"containers":[{"name":"nodejs","$patch":"delete"}]}}}}', "json"),
    ("kubia-deployment.yaml", "strategic", '{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}', ""),
    ("kubia-deployment.yaml", "strategic", '{"spec":{"template":{"spec":{"containers":[{"name":"nodejs","env":['
     '{"name":"B","value":"2"},{"name":"A","value":"1"}],"ports":[{"containerPort":8443}]}]}}}}', "json"),
    ("kubia-deployment.yaml", "strategic", '{"spec":{"$patch":"bogus"}}', ""),
    ("kubia-deployment.yaml", "strategic", "a: b: c", ""),
    ("kubia-deployment.yaml", "strategic", "[{'op': 'x']", ""),
    ("kubia-svc-named-ports.yaml", "strategic", '{"spec":{"ports":[{"port":80,"targetPort":8080},{"port":8443}]}}',
     "json"),
    ("kubia-svc.yaml", "merge", '{"metadata":{"labels":{"app":"kubia"}},"spec":{"selector":null}}', "yaml"),
    ("kubia-svc.yaml", "merge", '{"spec":{"ports":[{"port":81}]}}', "json"),
    ("kubia-rc.yaml", "json", '[{"op":"replace","path":"/spec/replicas","value":1}]', "json"),
    ("kubia-rc.yaml", "json", '[{"op":"add","path":"/spec/template/spec/containers/-","value":{"name":"b"}}]',
     "yaml"),
    ("kubia-rc.yaml", "json", '[{"op":"move","from":"/spec/replicas","path":"/metadata/labels/r"}]', "json"),
    ("kubia-rc.yaml", "json", '[{"op":"copy","from":"/metadata/name","path":"/metadata/labels/n"}]', "name"),
    ("kubia-rc.yaml", "json", '[{"op":"remove","path":"/spec/nope"}]', ""),
    ("kubia-rc.yaml", "json", '[{"op":"remove","path":"/spec/template/spec/containers/3"}]', ""),
    ("kubia-rc.yaml", "json", '[{"op":"add","path":"/spec/x/y","value":1}]', ""),
    ("kubia-rc.yaml", "json", '[{"op":"test","path":"/spec/replicas","value":4}]', ""),
    ("kubia-rc.yaml", "json", '[{"op":"test","path":"/spec/replicas","value":3}]', ""),
    ("kubia-rc.yaml", "json", '[{"op":"bogus","path":"/x"}]', ""),
    ("kubia-rc.yaml", "json", '{"op":"add"}', ""),
    ("kubia-rc.yaml", "json", "[1]", ""),
]


@pytest.mark.parametrize(("manifest", "patch_type", "patch", "output"), LOCAL_PATCHES)
def test_a_local_patch_reads_as_kubectl_s(kubesim, manifest, patch_type, patch, output):
    argv = ["patch", "--local", "-f", manifest, "--type", patch_type, "-p", patch]
    if output:
        argv += ["-o", output]
    real = subprocess.run([kubectl(), *argv], capture_output=True, text=True, timeout=30, cwd=MANIFESTS)
    ours = kubesim(*argv, cwd=MANIFESTS)
    assert (ours.stdout, ours.stderr, ours.code) == (real.stdout, real.stderr.replace("kubectl", "kubesim"),
                                                      real.returncode)


CLIENT_ERRORS = [
    "patch", "patch rc kubia", "patch rc kubia --type=bogus -p {}", "patch -f kubia-rc.yaml --local -p {} "
    "--patch-file x.json", "patch rc kubia --local -p {}", "patch -f kubia-rc.yaml --local --patch-file nope.json",
    "wait pod/x", "wait pod/x --for=bogus", "wait pod/x --for=condition", "wait pod/x --for=jsonpath=",
    "wait pod/x --for=jsonpath={.a", "wait pod/x --for=jsonpath={.a}=1=2", "wait pod/x --for=jsonpath={.a}=",
    "wait pod/x --for=Condition=Ready", "wait pod/x --for=delete --timeout=x", "wait --for=delete",
    "rollout status", "replace",
]


@pytest.mark.parametrize("line", CLIENT_ERRORS)
def test_a_client_side_refusal_reads_as_kubectl_s(kubesim, line):
    argv = shlex.split(line)
    real = subprocess.run([kubectl(), *argv], capture_output=True, text=True, timeout=30, cwd=MANIFESTS)
    assert real.returncode != 0, real
    ours = kubesim(*argv, cwd=MANIFESTS)
    assert (ours.stdout, ours.stderr, ours.code) == ("", real.stderr.replace("kubectl", "kubesim"), real.returncode)
