"""kubectl.md §1.6: multi-kind tables built from the kinds' columns, kind-prefixed names included."""

from __future__ import annotations

from datetime import UTC, datetime

from kubesim.api.registry import kind_named
from kubesim.printers.tabwriter import format_rows

NOW = datetime(2024, 7, 10, 12, 0, 0, tzinfo=UTC)


def block(kind, objects) -> str:
    """One kind's block of ``get all``: NAME cells carry the ``kind/`` prefix."""
    rows = [[c.name.upper() for c in kind.columns if c.priority == 0]]
    for obj in objects:
        cells = [c.cell(obj, NOW) for c in kind.columns if c.priority == 0]
        rows.append([f"{kind.name_prefix}/{cells[0]}", *cells[1:]])
    return format_rows(rows)


def test_get_test_go_sample_with_empty_objects():
    """Objects with no status and no timestamps, as in kubectl's get_test.go."""
    pods = block(kind_named("Pod"), [{"metadata": {"name": "foo"}}, {"metadata": {"name": "bar"}}])
    services = block(kind_named("Service"), [{"metadata": {"name": "baz"}, "spec": {"type": "ClusterIP"}}])
    assert pods + "\n" + services == (
        "NAME      READY   STATUS   RESTARTS   AGE\n"
        "pod/foo   0/0              0          <unknown>\n"
        "pod/bar   0/0              0          <unknown>\n"
        "\n"
        "NAME          TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n"
        "service/baz   ClusterIP   <none>       <none>        <none>    <unknown>\n")


def test_typical_chapter_five_get_all():
    seven = "2024-07-10T11:59:53Z"
    running = {"phase": "Running", "containerStatuses": [{"ready": True, "restartCount": 0, "state": {"running": {}}}]}
    pods = [{"metadata": {"name": name, "creationTimestamp": seven}, "spec": {"containers": [{"name": "kubia"}]},
             "status": running} for name in ("kubia-5k788", "kubia-7zxwj")]
    rc = {"metadata": {"name": "kubia", "creationTimestamp": seven}, "spec": {"replicas": 3},
          "status": {"replicas": 3, "readyReplicas": 3}}
    services = [
        {"metadata": {"name": "kubernetes", "creationTimestamp": "2024-07-02T12:00:00Z"},
         "spec": {"type": "ClusterIP", "clusterIPs": ["10.96.0.1"], "ports": [{"port": 443, "protocol": "TCP"}]}},
        {"metadata": {"name": "kubia", "creationTimestamp": "2024-07-10T11:58:30Z"},
         "spec": {"type": "ClusterIP", "clusterIPs": ["10.111.249.153"], "ports": [{"port": 80, "protocol": "TCP"}]}},
    ]
    text = "\n".join([block(kind_named("Pod"), pods), block(kind_named("ReplicationController"), [rc]),
                      block(kind_named("Service"), services)])
    assert text == (
        "NAME              READY   STATUS    RESTARTS   AGE\n"
        "pod/kubia-5k788   1/1     Running   0          7s\n"
        "pod/kubia-7zxwj   1/1     Running   0          7s\n"
        "\n"
        "NAME                          DESIRED   CURRENT   READY   AGE\n"
        "replicationcontroller/kubia   3         3         3       7s\n"
        "\n"
        "NAME                 TYPE        CLUSTER-IP       EXTERNAL-IP   PORT(S)   AGE\n"
        "service/kubernetes   ClusterIP   10.96.0.1        <none>        443/TCP   8d\n"
        "service/kubia        ClusterIP   10.111.249.153   <none>        80/TCP    90s\n")
