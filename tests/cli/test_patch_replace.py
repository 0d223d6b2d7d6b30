"""patch and replace against the simulated API server: whole outputs, and a refused request changes nothing."""

from __future__ import annotations

import pytest

from tests.conftest import MANIFESTS


@pytest.fixture
def cluster(kubesim):
    kubesim.ok("create", "-f", str(MANIFESTS / "kubia-rc.yaml"), "-f", str(MANIFESTS / "kubia-svc.yaml"))
    return kubesim


REFUSED = [
    (["patch", "rc", "kubia", "--type=json", "-p", '[{"op":"replace","path":"/spec/replicas","value":2},'
                                                    '{"op":"test","path":"/spec/replicas","value":7}]'],
     "The request is invalid: the server rejected our request due to an error in our request\n"),
    (["patch", "rc", "kubia", "-p", '{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}'],
     "Error from server (BadRequest): map: map[image:x] does not contain declared merge key: name\n"),
    (["patch", "rc", "kubia", "-p", '{"spec":{"replicas":"three"}}'],
     'Error from server (BadRequest): ReplicationController in version "v1" cannot be handled as a '
     "ReplicationController: json: cannot unmarshal string into Go struct field "
     "ReplicationControllerSpec.spec.replicas of type int32\n"),
    (["patch", "rc", "kubia", "--type=merge", "-p", '{"metadata":{"name":"other"}}'],
     "Error from server (BadRequest): the name of the object (other) does not match the name on the URL "
     "(kubia)\n"),
    (["patch", "rc", "kubia", "-p", "spec: {replicas: [}"],
     'error: unable to parse "spec: {replicas: [}": yaml: did not find expected node content\n'),
    (["patch", "svc", "kubia", "--subresource=scale", "-p", '{"spec":{"replicas":2}}'],
     "Error from server (NotFound): the server could not find the requested resource\n"),
    (["patch", "endpoints", "kubia", "--subresource=status", "-p", '{"status":{}}'],
     "Error from server (NotFound): the server could not find the requested resource\n"),
    (["patch", "rc", "kubia", "--subresource=bogus", "-p", "{}"],
     'error: invalid subresource value: "bogus". Must be one of [status scale]\n'),
    (["replace", "-f", "-"], "error: no objects passed to replace\n"),
]


@pytest.mark.parametrize(("argv", "stderr"), REFUSED, ids=lambda value: " ".join(value) if isinstance(value, list)
                         else None)
def test_a_refused_change_says_why_and_changes_nothing(cluster, argv, stderr):
    before = cluster.ok("get", "rc,svc", "-o", "yaml")
    done = cluster(*argv)
    assert (done.stdout, done.stderr, done.code) == ("", stderr, 1)
    assert cluster.ok("get", "rc,svc", "-o", "yaml") == before


def test_replace_with_a_stale_resource_version_conflicts(cluster):
    stale = cluster.ok("get", "rc", "kubia", "-o", "yaml")
    cluster.ok("scale", "rc", "kubia", "--replicas=2")
    done = cluster("replace", "-f", "-", stdin=stale.replace("replicas: 3\n  selector", "replicas: 5\n  selector"))
    assert (done.stdout, done.stderr, done.code) == (
        "", 'Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on '
            'replicationcontrollers "kubia": the object has been modified; please apply your changes to the '
            "latest version and try again\n", 1)
    assert cluster.ok("get", "rc", "kubia", "-o", "jsonpath={.spec.replicas}") == "2"
    fresh = cluster.ok("get", "rc", "kubia", "-o", "yaml").replace("replicas: 2\n  selector", "replicas: 1\n  selector")
    assert cluster.ok("replace", "-f", "-", stdin=fresh) == "replicationcontroller/kubia replaced\n"
    assert cluster.ok("get", "rc", "kubia", "-o", "jsonpath={.spec.replicas}") == "1"


def test_replace_keeps_the_stored_status_and_the_allocated_cluster_ip(cluster):
    ip = cluster.ok("get", "svc", "kubia", "-o", "jsonpath={.spec.clusterIP}")
    assert cluster.ok("replace", "-f", str(MANIFESTS / "kubia-svc.yaml")) == "service/kubia replaced\n"
    assert cluster.ok("get", "svc", "kubia", "-o", "jsonpath={.spec.clusterIP}") == ip
    assert cluster.ok("get", "rc", "kubia", "-o", "jsonpath={.status.replicas}") == "3"


def test_patch_status_changes_only_the_status_and_the_main_resource_ignores_it(cluster):
    status = '{"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.9"}]}}}'
    assert cluster.ok("patch", "svc", "kubia", "--type=merge", "-p", status) == "service/kubia patched (no change)\n"
    assert cluster.ok("patch", "svc", "kubia", "--subresource=status", "--type=merge", "-p", status,
                      "-o", "jsonpath={.status.loadBalancer.ingress[0].ip} {.spec.type}") == "192.0.2.9 ClusterIP"


def test_patch_through_a_file_and_through_the_scale_subresource(cluster):
    assert cluster.ok("patch", "-f", str(MANIFESTS / "kubia-rc.yaml"), "-p", '{"metadata":{"labels":{"tier":"web"}}}'
                      ) == "replicationcontroller/kubia patched\n"
    assert cluster.ok("get", "rc", "kubia", "-o", "jsonpath={.metadata.labels.tier}") == "web"
    scale = cluster.ok("patch", "rc/kubia", "--subresource=scale", "--type=json", "-o", "json",
                       "-p", '[{"op":"replace","path":"/spec/replicas","value":1}]')
    assert '"kind": "Scale"' in scale and '"selector": "app=kubia"' in scale
    assert cluster.ok("get", "pods", "-o", "name").count("pod/kubia-") == 1
