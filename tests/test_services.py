"""Services end to end (book §5.1): load balancing, session affinity, endpoints following pods."""

from __future__ import annotations

import json
import re
from collections import Counter

from tests.conftest import MANIFESTS, Kubesim


def start_kubia(kubesim: Kubesim, *services: str) -> list[str]:
    kubesim.ok("create", "-f", str(MANIFESTS / "kubia-rc.yaml"))
    for service in services:
        kubesim.ok("create", "-f", str(MANIFESTS / service))
    return kubesim.ok("get", "po", "-l", "app=kubia", "-o", "jsonpath={.items[*].metadata.name}").split()


def hits(output: str) -> Counter:
    return Counter(re.findall(r"You've hit (\S+)", output))


def test_load_is_spread_fairly_over_three_pods(kubesim: Kubesim):
    pods = start_kubia(kubesim, "kubia-svc.yaml")
    output = kubesim.ok("exec", pods[0], "--", "sh", "-c",
                        "for i in $(seq 1 600); do curl -s http://kubia; done")
    counts = hits(output)
    assert set(counts) == set(pods)
    assert sum(counts.values()) == 600
    assert all(150 <= count <= 250 for count in counts.values()), counts


def test_separate_execs_are_balanced_too(kubesim: Kubesim):
    pods = start_kubia(kubesim, "kubia-svc.yaml")
    ip = kubesim.ok("get", "svc", "kubia", "-o", "jsonpath={.spec.clusterIP}")
    seen = Counter(kubesim.ok("exec", pods[0], "--", "curl", "-s", f"http://{ip}") for _ in range(30))
    assert len(seen) == 3


def test_client_ip_affinity_holds_for_a_client_and_differs_across_clients(kubesim: Kubesim):
    pods = start_kubia(kubesim, "kubia-svc-client-ip-session-affinity.yaml")
    chosen = {}
    for client in pods:
        output = kubesim.ok("exec", client, "--", "sh", "-c",
                            "for i in $(seq 1 10); do curl -s http://kubia-clientip; done")
        counts = hits(output)
        assert len(counts) == 1 and sum(counts.values()) == 10, counts
        chosen[client] = next(iter(counts))
    more = start_more_clients(kubesim, 6)
    for client in more:
        chosen[client] = next(iter(hits(kubesim.ok("exec", client, "--", "curl", "-s", "http://kubia-clientip"))))
    assert len(set(chosen.values())) > 1, chosen


def start_more_clients(kubesim: Kubesim, count: int) -> list[str]:
    names = []
    for index in range(count):
        name = f"client-{index}"
        kubesim.ok("create", "-f", "-", stdin=json.dumps({
            "apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "main", "image": "curlimages/curl"}]}}))
        names.append(name)
    return names


def test_affinity_expires_after_its_timeout_on_the_cluster_clock(kubesim: Kubesim):
    pods = start_kubia(kubesim)
    kubesim.ok("create", "-f", "-", stdin=json.dumps({
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "sticky"},
        "spec": {"selector": {"app": "kubia"}, "ports": [{"port": 80, "targetPort": 8080}],
                 "sessionAffinity": "ClientIP", "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 10}}}}))
    within = hits("".join(kubesim.ok("exec", pods[0], "--", "curl", "-s", "http://sticky") for _ in range(8)))
    assert len(within) == 1
    after = []
    for _ in range(12):
        kubesim.ok("clock", "advance", "11s")
        after.append(kubesim.ok("exec", pods[0], "--", "curl", "-s", "http://sticky"))
    assert len(hits("".join(after))) > 1


def endpoint_ips(kubesim: Kubesim, service: str) -> list[str]:
    data = json.loads(kubesim.ok("get", "ep", service, "-o", "json"))
    return sorted(a["ip"] for s in data.get("subsets", []) for a in s.get("addresses", []))


def pod_ips(kubesim: Kubesim, selector: str) -> list[str]:
    return sorted(kubesim.ok("get", "po", "-l", selector, "-o", "jsonpath={.items[*].status.podIP}").split())


def test_a_deleted_pod_is_replaced_and_endpoints_follow(kubesim: Kubesim):
    pods = start_kubia(kubesim, "kubia-svc.yaml")
    before = endpoint_ips(kubesim, "kubia")
    kubesim.ok("delete", "po", pods[0])
    after_pods = kubesim.ok("get", "po", "-l", "app=kubia", "-o", "jsonpath={.items[*].metadata.name}").split()
    assert len(after_pods) == 3 and pods[0] not in after_pods
    after = endpoint_ips(kubesim, "kubia")
    assert after == pod_ips(kubesim, "app=kubia") and after != before


def test_a_relabelled_pod_leaves_the_endpoints_and_is_replaced(kubesim: Kubesim):
    pods = start_kubia(kubesim, "kubia-svc.yaml")
    moved_ip = kubesim.ok("get", "po", pods[1], "-o", "jsonpath={.status.podIP}")
    assert kubesim.ok("label", "po", pods[1], "app=foo", "--overwrite") == f"pod/{pods[1]} labeled\n"
    assert moved_ip not in endpoint_ips(kubesim, "kubia")
    assert len(endpoint_ips(kubesim, "kubia")) == 3
    owners = kubesim.ok("get", "po", pods[1], "-o", "jsonpath={.metadata.ownerReferences}")
    assert owners == ""


def test_no_ready_endpoints_is_refused_and_an_unexposed_port_times_out(kubesim: Kubesim):
    pods = start_kubia(kubesim, "kubia-svc.yaml")
    kubesim.ok("create", "-f", "-", stdin=json.dumps({
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "empty"},
        "spec": {"selector": {"app": "nothing"}, "ports": [{"port": 80}]}}))
    ip = kubesim.ok("get", "svc", "empty", "-o", "jsonpath={.spec.clusterIP}")
    refused = kubesim("exec", pods[0], "--", "curl", "-sS", f"http://{ip}")
    assert (refused.stdout, refused.code) == ("", 7)
    assert refused.stderr == (f"curl: (7) Failed to connect to {ip} port 80: Connection refused\n"
                              "command terminated with exit code 7\n")
    kubia_ip = kubesim.ok("get", "svc", "kubia", "-o", "jsonpath={.spec.clusterIP}")
    timeout = kubesim("exec", pods[0], "--", "curl", "-sS", "-m", "5", f"http://{kubia_ip}:8080")
    assert timeout.code == 28
    assert timeout.stderr == ("curl: (28) Connection timed out after 5001 milliseconds\n"
                              "command terminated with exit code 28\n")
