"""The scheduler's room on a node, its queue of waiting pods, and writes batched within one command."""

from __future__ import annotations

import contextlib
import io
import json
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubesim.api import server
from kubesim.cli.main import run as run_cli
from kubesim.env import Env
from tests.conftest import MANIFESTS

FROZEN = datetime.fromisoformat("2024-07-01T10:00:00+00:00").timestamp()


def kubesim(home: Path, *argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    env = Env(home=str(home), stdin=io.StringIO(), stdout=out, stderr=err, seed=5, wall_clock=lambda: FROZEN)
    code = run_cli(list(argv), env)
    assert code == 0, (argv, err.getvalue())
    return out.getvalue()


def pods(home: Path, namespace: str = "default") -> list[dict]:
    return json.loads(kubesim(home, "get", "po", "-n", namespace, "-o", "json"))["items"]


def test_a_full_node_leaves_pods_pending_with_the_scheduler_s_message_until_a_pod_leaves(tmp_path: Path):
    kubesim(tmp_path, "create", "-f", str(MANIFESTS / "kubia-rc.yaml"))
    on_node = sum(1 for p in json.loads(kubesim(tmp_path, "get", "po", "-A", "-o", "json"))["items"]
                  if p["spec"].get("nodeName") == "minikube")
    kubesim(tmp_path, "scale", "rc", "kubia", f"--replicas={3 + 110 - on_node + 2}")
    waiting = [p for p in pods(tmp_path) if p["status"]["phase"] == "Pending"]
    assert len(waiting) == 2
    message = ("0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: "
               "1 No preemption victims found for incoming pod.")
    for pod in waiting:
        assert "nodeName" not in pod["spec"]
        assert pod["status"]["conditions"] == [{
            "lastProbeTime": None, "lastTransitionTime": "2024-07-01T10:00:00Z", "message": message,
            "reason": "Unschedulable", "status": "False", "type": "PodScheduled"}]
    events = kubesim(tmp_path, "get", "events", "--field-selector", "reason=FailedScheduling", "-o", "json")
    assert sorted(e["involvedObject"]["name"] for e in json.loads(events)["items"]) == sorted(
        p["metadata"]["name"] for p in waiting)
    # The oldest waiting pod takes the room a deleted pod leaves; the replacement waits in its turn.
    oldest = min(waiting, key=lambda p: p["metadata"]["creationTimestamp"] + p["metadata"]["resourceVersion"].zfill(9))
    running = next(p for p in pods(tmp_path) if p["status"]["phase"] == "Running")
    kubesim(tmp_path, "delete", "po", running["metadata"]["name"])
    after = {p["metadata"]["name"]: p for p in pods(tmp_path)}
    assert after[oldest["metadata"]["name"]]["status"]["phase"] == "Running"
    assert sum(1 for p in after.values() if p["status"]["phase"] == "Pending") == 2


def test_a_node_selector_nobody_matches_is_named_as_the_scheduler_names_it(tmp_path: Path):
    kubesim(tmp_path, "cluster", "reset", "--nodes", "3")
    kubesim(tmp_path, "run", "picky", "--image=luksa/kubia", "--overrides",
            json.dumps({"spec": {"nodeSelector": {"disk": "ssd"}}}))
    (pod,) = pods(tmp_path)
    assert pod["status"]["conditions"][0]["message"] == (
        "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are "
        "available: 3 Preemption is not helpful for scheduling.")


def summary(home: Path) -> dict:
    """What must not depend on batching: pods per phase and node count, endpoints, events by reason.
    (Names are drawn at other moments of a request, so which pods a later step deletes, and where
    they ran, may differ.)"""
    everything = pods(home)
    endpoints = json.loads(kubesim(home, "get", "ep", "kubia", "-o", "json"))
    events = json.loads(kubesim(home, "get", "events", "-o", "json"))["items"]
    reasons: dict[str, int] = {}
    for event in events:
        reasons[event["reason"]] = reasons.get(event["reason"], 0) + 1
    ready = sum(len(s.get("addresses") or []) for s in endpoints.get("subsets") or [])
    return {"phases": sorted(p["status"]["phase"] for p in everything), "bound": sum(1 for p in everything if p["spec"].get("nodeName")),
            "endpoints": ready, "events": reasons,
            "rc": json.loads(kubesim(home, "get", "rc", "kubia", "-o", "json"))["status"]}


STEPS = st.lists(st.one_of(st.tuples(st.just("scale"), st.integers(0, 12)),
                           st.tuples(st.just("delete"), st.integers(1, 6)),
                           st.just(("delete-all", 0))), min_size=1, max_size=4)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_batched_writes_end_where_one_by_one_writes_end(tmp_path_factory, monkeypatch, steps):
    def play(home: Path) -> dict:
        kubesim(home, "cluster", "reset", "--nodes", "3")
        kubesim(home, "create", "-f", str(MANIFESTS / "kubia-rc.yaml"), "-f", str(MANIFESTS / "kubia-svc.yaml"))
        for step, count in steps:
            if step == "scale":
                kubesim(home, "scale", "rc", "kubia", f"--replicas={count}")
            elif step == "delete":
                names = sorted(p["metadata"]["name"] for p in pods(home))[:count]
                if names:
                    kubesim(home, "delete", "po", *names)
            else:
                kubesim(home, "delete", "po", "--all")
        return summary(home)

    batched = play(tmp_path_factory.mktemp("batched"))
    with monkeypatch.context() as patch:
        patch.setattr(server.ApiServer, "batched", lambda self: contextlib.nullcontext())
        one_by_one = play(tmp_path_factory.mktemp("one-by-one"))
    assert batched == one_by_one


def test_a_namespace_goes_with_its_services_and_pods_before_any_controller_looks(tmp_path: Path):
    from kubesim.api.registry import kind_named
    from kubesim.cluster import open_cluster

    kubesim(tmp_path, "create", "namespace", "web")
    kubesim(tmp_path, "create", "-n", "web", "-f", str(MANIFESTS / "kubia-rc.yaml"), "-f",
            str(MANIFESTS / "kubia-svc.yaml"))
    env = Env(home=str(tmp_path), stdin=io.StringIO(), stdout=io.StringIO(), stderr=io.StringIO(), seed=5,
              wall_clock=lambda: FROZEN)
    cluster = open_cluster(env)
    with cluster.api(write=True) as api:  # the API server's own delete, not the delete verb's batch
        api.delete(kind_named("Namespace"), None, "web")
        left = [(kind, len(api.list(kind_named(*kind), "web"))) for kind in
                (("Pod",), ("Service",), ("Endpoints",), ("EndpointSlice", "discovery.k8s.io"),
                 ("ReplicationController",))]
    cluster.close()
    assert left == [(kind, 0) for kind, _ in left]


def test_pods_started_with_the_same_services_share_one_stored_copy_of_their_links(tmp_path: Path):
    from kubesim.cluster import open_cluster

    def shared_copies() -> list[str]:
        env = Env(home=str(tmp_path), stdin=io.StringIO(), stdout=io.StringIO(), stderr=io.StringIO(), seed=5,
                  wall_clock=lambda: FROZEN)
        cluster = open_cluster(env)
        with cluster.store.transaction(write=False) as tx:
            found = sorted(key for key, _ in tx.meta_with_prefix("service-env-set/"))
        cluster.close()
        return found

    kubesim(tmp_path, "create", "-f", str(MANIFESTS / "kubia-svc.yaml"), "-f", str(MANIFESTS / "kubia-rc.yaml"))
    assert len(shared_copies()) == 2  # kube-system's pods' copy, and the three kubia pods' one
    first = sorted(p["metadata"]["name"] for p in pods(tmp_path))[0]
    kubesim(tmp_path, "create", "-f", str(MANIFESTS / "kubia-svc-nodeport.yaml"))
    kubesim(tmp_path, "delete", "po", first)  # its replacement starts with the NodePort service too
    assert len(shared_copies()) == 3
    links = kubesim(tmp_path, "exec", sorted(p["metadata"]["name"] for p in pods(tmp_path))[1], "--", "env")
    assert "KUBIA_SERVICE_HOST=" in links
    kubesim(tmp_path, "scale", "rc", "kubia", "--replicas=0")
    assert len(shared_copies()) == 1  # the last pod to use a copy takes it
