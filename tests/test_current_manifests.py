"""manifests/ holds the book's Chapter 5 set in forms a current cluster accepts, for the walkthroughs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import CORPUS, MANIFESTS, Kubesim

CURRENT = sorted(MANIFESTS.glob("*.yaml"))


def test_every_chapter_5_listing_has_a_current_form():
    book = {path.name for path in (CORPUS / "Chapter05").glob("*.yaml")}
    assert book - {path.name for path in CURRENT} == set()


@pytest.mark.parametrize("path", CURRENT, ids=lambda p: p.stem)
def test_a_fresh_cluster_accepts_it_as_it_stands(path: Path, kubesim: Kubesim):
    result = kubesim("create", "-f", str(path))
    assert result.code == 0, result
    assert result.stdout.endswith(" created\n"), result
    # v1 Endpoints is deprecated but served: its warning is the only stderr allowed.
    noise = [line for line in result.stderr.splitlines() if not line.startswith("Warning: v1 Endpoints is deprecated")]
    assert noise == [], result


def test_not_ready_pods_are_published_under_the_field_that_exists(kubesim: Kubesim):
    kubesim.ok("create", "-f", str(MANIFESTS / "kubia-svc-publish-not-ready.yaml"))
    assert kubesim.ok("get", "svc", "kubia-all", "-o", "jsonpath={.spec.publishNotReadyAddresses}") == "true"


@pytest.mark.parametrize("name", ["kubia-ingress.yaml", "kubia-ingress-tls.yaml"])
def test_the_ingresses_route_to_the_nodeport_service_on_v1(name: str):
    ingress = yaml.safe_load((MANIFESTS / name).read_text())
    assert ingress["apiVersion"] == "networking.k8s.io/v1"
    [path] = ingress["spec"]["rules"][0]["http"]["paths"]
    assert path == {"path": "/", "pathType": "Prefix",
                    "backend": {"service": {"name": "kubia-nodeport", "port": {"number": 80}}}}
