"""One simulated cluster in ``$KUBESIM_HOME/state.db``: opening, first-run bootstrap, the clock.

The first command that finds no cluster creates a fresh one, the way kubeadm/minikube leave it:
the four namespaces, one Ready node, and the ``kubernetes`` Service pointing at the API server.
A state this kubesim cannot use is refused with one line saying why and what to do, and left as
it is; ``reset_cluster`` moves it aside rather than deleting it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from kubesim.api.server import ApiServer
from kubesim.env import Env
from kubesim.errors import KubectlError
from kubesim.store.db import InaccessibleState, Store, Transaction, UnusableState

TYPE_CHECKING = False  # typing costs a few ms per command; annotations alone need it
if TYPE_CHECKING:
    from kubesim.topology import NodeSpec, Topology

CLUSTER_NAME = "kubesim"
NODE_NAME = "minikube"
NODE_IP = "192.168.49.2"
NODE_POD_CIDR = "10.244.0.0/24"
API_SERVER_PORT = 8443
KUBERNETES_VERSION = "v1.36.0"
NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")
STATE_FILES = ("", "-wal", "-shm")  # state.db and SQLite's companions, which belong with it


class Cluster:
    def __init__(self, env: Env) -> None:
        self.env = env
        self.path = env.path("state.db")
        self.timers_due = False
        _make_home(env)
        try:
            self.store = Store(self.path)
        except (UnusableState, InaccessibleState) as problem:
            raise state_error(env, problem) from problem

    @contextmanager
    def api(self, write: bool = False) -> Iterator[ApiServer]:
        """One request: a transaction and an API server bound to it, with the cluster's clock."""
        try:
            with self.store.transaction(write=write) as tx:
                yield ApiServer(tx, self.env, self.now(tx))
        except (UnusableState, InaccessibleState) as problem:
            raise state_error(self.env, problem) from problem

    def now(self, tx: Transaction) -> datetime:
        offset = float(tx.meta("clockOffsetSeconds", "0") or 0)
        return self.env.wall_now() + timedelta(seconds=offset)

    def catch_up(self) -> float | None:
        """Fire what the cluster clock has made due since this cluster was opened, as every command does
        when it starts; return the seconds until the next timer (None when none is set), for a waiter."""
        with self.store.transaction(write=False) as tx:
            due = tx.meta("nextTimerDue")
            now = self.now(tx).timestamp()
        if due is None:
            return None
        if float(due) <= now:
            _fire_due_timers(self)
            with self.store.transaction(write=False) as tx:
                due = tx.meta("nextTimerDue")
                now = self.now(tx).timestamp()
            if due is None:
                return None
        return max(0.0, float(due) - now)

    def close(self) -> None:
        self.store.close()


def open_cluster(env: Env, shape: Topology | None = None) -> Cluster:
    """Open the cluster, creating a fresh one on first use (safe when many processes race) and
    upgrading a state from an older kubesim; refuse, untouched, one this kubesim cannot use."""
    cluster = Cluster(env)
    try:
        if cluster.store.schema_state() != "current" or not _initialized(cluster):
            cluster.store.ensure_schema()
            with cluster.api(write=True) as api:
                if api.tx.meta("initialized") is None:
                    bootstrap(api, shape)
                    api.tx.set_meta("initialized", api.timestamp())
        if cluster.timers_due:
            _fire_due_timers(cluster)
    except BaseException as error:
        cluster.close()  # a connection left open at exit could leave -wal/-shm files beside a refused file
        if isinstance(error, UnusableState | InaccessibleState):
            raise state_error(env, error) from error
        raise
    return cluster


def _initialized(cluster: Cluster) -> bool:
    with cluster.store.transaction(write=False) as tx:
        initialized = tx.meta("initialized") is not None
        due = tx.meta("nextTimerDue")
        if due is not None and initialized and float(due) <= cluster.now(tx).timestamp():
            cluster.timers_due = True
        return initialized


def _fire_due_timers(cluster: Cluster) -> None:
    """Work the cluster clock has made due since the last command (a load balancer provisioned)."""
    with cluster.api(write=True) as api:
        due = api.tx.meta("nextTimerDue")
        if due is not None and float(due) <= api.now.timestamp():
            from kubesim.controllers import reconcile_after_clock

            reconcile_after_clock(api)


def state_error(env: Env, problem: UnusableState | InaccessibleState) -> KubectlError:
    """The one line a user sees: which file, what is wrong with it, what to do."""
    path = env.path("state.db")
    if isinstance(problem, InaccessibleState):
        advice = {"access": f"make sure you can read and write {_home_named(env)} and the files in it",
                  "space": "free some space on its disk", "disk": "check its disk"}[problem.cause]
        return KubectlError(f"cannot use {path} ({problem.reason}); {advice}")
    reset = "run 'kubesim cluster reset' to move it aside and start a fresh cluster"
    if problem.newer:
        reset = f"use that kubesim, or {reset}"
    return KubectlError(f"{path} {problem.problem}; {reset}")


def _make_home(env: Env) -> None:
    try:
        os.makedirs(env.home, exist_ok=True)
    except FileExistsError:
        raise KubectlError(f"{_home_named(env)} is not a directory; point KUBESIM_HOME at a directory "
                           "(kubesim creates it if it is missing)") from None
    except OSError as error:
        raise KubectlError(f"cannot create {_home_named(env)} ({error.strerror}); point KUBESIM_HOME at a "
                           "directory you can write") from None


def _home_named(env: Env) -> str:
    return f"KUBESIM_HOME={env.home}" if env.variables.get("KUBESIM_HOME") else env.home


def reset_cluster(env: Env, shape: Topology | None = None) -> list[str]:
    """Start over from a fresh cluster. A healthy state is thrown away; one this kubesim cannot use is
    moved aside with its -wal and -shm, so nothing a user may want back is lost. Returns a line for
    each thing moved aside."""
    _make_home(env)
    path = env.path("state.db")
    problem = _unusable(env)
    notes = []
    if problem is None:
        for suffix in STATE_FILES:
            if os.path.lexists(path + suffix):
                try:
                    os.unlink(path + suffix)
                except OSError as error:
                    raise KubectlError(f"cannot remove {path + suffix} ({error.strerror}); make sure you can "
                                       f"write {_home_named(env)} and the files in it") from None
    else:
        aside = _move_aside(env, problem.aside)
        notes.append(f"Cluster reset: {path} {problem.problem}; moved it aside to {aside}")
    open_cluster(env, shape).close()
    return notes


def _unusable(env: Env) -> UnusableState | None:
    """Why the state cannot be used, reading every page; None when it can (or there is none).

    Looking leaves the companions as they were: SQLite deletes a -wal it cannot use when the
    connection closes, and creates a -shm, and a state moved aside must keep what it came with.
    """
    path = env.path("state.db")
    if not os.path.lexists(path):
        return None
    companions = {suffix: _read(path + suffix) for suffix in STATE_FILES[1:]}
    try:
        store = Store(path)
        try:
            store.schema_state()
            store.check_integrity()
        finally:
            store.close()
    except UnusableState as problem:
        _put_back(path, companions)
        return problem
    except InaccessibleState as problem:
        raise state_error(env, problem) from problem
    return None


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _put_back(path: str, companions: dict[str, bytes | None]) -> None:
    for suffix, content in companions.items():
        if content is None:
            if os.path.lexists(path + suffix):
                os.unlink(path + suffix)
        else:
            with open(path + suffix, "wb") as handle:
                handle.write(content)


def _move_aside(env: Env, label: str) -> str:
    """Rename state.db (and its -wal, -shm) to a name no earlier reset has used."""
    path = env.path("state.db")
    base = f"{path}.{label}-{env.wall_now().strftime('%Y%m%dT%H%M%SZ')}"
    aside, number = base, 1
    while any(os.path.lexists(aside + suffix) for suffix in STATE_FILES):
        number += 1
        aside = f"{base}.{number}"
    try:
        for suffix in STATE_FILES:
            if os.path.lexists(path + suffix):
                os.rename(path + suffix, aside + suffix)
    except OSError as error:
        raise KubectlError(f"cannot move {path} aside to {aside} ({error.strerror})") from None
    return aside


def bootstrap(api: ApiServer, shape: Topology | None = None) -> None:
    from kubesim.topology import NodeSpec  # noqa: F811 (at run time, not only for annotations)

    if shape is not None:
        _remember_topology(api, shape)
    for name in NAMESPACES:
        api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    for spec in (shape.nodes if shape is not None else (NodeSpec(NODE_NAME, NODE_IP, NODE_POD_CIDR, None, True),)):
        labels = node_labels(spec.name)
        if not spec.control_plane:
            del labels["node-role.kubernetes.io/control-plane"]
        labels.update(dict(spec.labels))
        node = api.create({
            "apiVersion": "v1", "kind": "Node",
            "metadata": {"name": spec.name, "labels": dict(sorted(labels.items()))},
            "spec": {"podCIDR": spec.pod_cidr, "podCIDRs": [spec.pod_cidr]},
        })
        node["status"] = node_status(api.timestamp(), spec.internal_ip, spec)
        api.write_status(node)
    api_ip, api_port = api_server_address(api)
    api.create(apiserver_service())
    api.create(apiserver_endpoints(api_ip, api_port))
    api.create({
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
        "metadata": {"name": "kubernetes", "namespace": "default",
                     "labels": {"kubernetes.io/service-name": "kubernetes"}},
        "addressType": "IPv4",
        "endpoints": [{"addresses": [api_ip], "conditions": {"ready": True}}],
        "ports": [{"name": "https", "port": api_port, "protocol": "TCP"}],
    })
    bootstrap_cluster_dns(api)


def _remember_topology(api: ApiServer, shape: Topology) -> None:
    from kubesim.controllers.load_balancer import DELAY_KEY, POOL_KEY
    from kubesim.net.nodeports import API_SERVER_KEY
    from kubesim.net.outside import CLIENT_IP_KEY

    api.tx.set_meta("profile", shape.profile)
    api.tx.set_meta(API_SERVER_KEY, f"{shape.api_server[0]}:{shape.api_server[1]}")
    api.tx.set_meta(CLIENT_IP_KEY, shape.outside_client_ip)
    api.tx.set_meta(POOL_KEY, shape.lb_pool)
    api.tx.set_meta(DELAY_KEY, repr(shape.lb_delay))


def api_server_address(api: ApiServer) -> tuple[str, int]:
    from kubesim.net.nodeports import api_server_address as stored

    return stored(api)


def apiserver_service() -> dict:
    """``default/kubernetes``: the API server's Service, at the first address of the service range."""
    return {
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "kubernetes", "namespace": "default",
                     "labels": {"component": "apiserver", "provider": "kubernetes"}},
        "spec": {"clusterIP": "10.96.0.1", "ports": [
            {"name": "https", "port": 443, "protocol": "TCP", "targetPort": API_SERVER_PORT}]},
    }


def apiserver_endpoints(ip: str = NODE_IP, port: int = API_SERVER_PORT) -> dict:
    return {
        "apiVersion": "v1", "kind": "Endpoints",
        "metadata": {"name": "kubernetes", "namespace": "default",
                     "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
        "subsets": [{"addresses": [{"ip": ip}],
                     "ports": [{"name": "https", "port": port, "protocol": "TCP"}]}],
    }


COREFILE = """.:53 {
    log
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    hosts {
       192.168.49.1 host.minikube.internal
       fallthrough
    }
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
"""
COREDNS_IMAGE = "registry.k8s.io/coredns/coredns:v1.12.0"


def bootstrap_cluster_dns(api: ApiServer) -> None:
    """CoreDNS as kubeadm/minikube install it: a ConfigMap, a Deployment and the kube-dns Service."""
    labels = {"k8s-app": "kube-dns"}
    api.create({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "coredns", "namespace": "kube-system"},
        "data": {"Corefile": COREFILE},
    }, "kube-system")
    api.create({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "kube-dns", "namespace": "kube-system",
                     "annotations": {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"},
                     "labels": {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true",
                                "kubernetes.io/name": "CoreDNS"}},
        "spec": {"clusterIP": "10.96.0.10", "selector": dict(labels), "ports": [
            {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
            {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
            {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153}]},
    }, "kube-system")
    api.create({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "coredns", "namespace": "kube-system", "labels": dict(labels)},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": dict(labels)},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {
                    "containers": [{
                        "name": "coredns", "image": COREDNS_IMAGE, "imagePullPolicy": "IfNotPresent",
                        "args": ["-conf", "/etc/coredns/Corefile"],
                        "ports": [{"containerPort": 53, "name": "dns", "protocol": "UDP"},
                                  {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
                                  {"containerPort": 9153, "name": "metrics", "protocol": "TCP"}],
                        "resources": {"limits": {"memory": "170Mi"}, "requests": {"cpu": "100m", "memory": "70Mi"}},
                        "volumeMounts": [{"mountPath": "/etc/coredns", "name": "config-volume", "readOnly": True}],
                    }],
                    "dnsPolicy": "Default",
                    "priorityClassName": "system-cluster-critical",
                    "volumes": [{"name": "config-volume", "configMap": {
                        "name": "coredns", "items": [{"key": "Corefile", "path": "Corefile"}]}}],
                },
            },
        },
    }, "kube-system")


def node_labels(name: str) -> dict[str, str]:
    return {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "node-role.kubernetes.io/control-plane": "",
    }


def node_status(timestamp: str, ip: str, spec: NodeSpec | None = None) -> dict:
    from kubesim.topology import NodeSpec  # noqa: F811

    spec = spec or NodeSpec(NODE_NAME, ip, NODE_POD_CIDR, None, True)
    capacity = {"cpu": "2", "ephemeral-storage": "102626232Ki", "hugepages-2Mi": "0",
                "memory": "8025012Ki", "pods": "110"}

    def condition(kind: str, status: str, reason: str, message: str) -> dict:
        return {"lastHeartbeatTime": timestamp, "lastTransitionTime": timestamp, "message": message,
                "reason": reason, "status": status, "type": kind}

    return {
        "addresses": [{"address": ip, "type": "InternalIP"},
                      *([{"address": spec.external_ip, "type": "ExternalIP"}] if spec.external_ip else []),
                      {"address": spec.name, "type": "Hostname"}],
        "allocatable": dict(capacity),
        "capacity": capacity,
        "conditions": [
            condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        ],
        "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
        "nodeInfo": {
            "architecture": "amd64", "bootID": "", "containerRuntimeVersion": spec.runtime,
            "kernelVersion": spec.kernel, "kubeProxyVersion": KUBERNETES_VERSION,
            "kubeletVersion": KUBERNETES_VERSION, "machineID": "", "operatingSystem": "linux",
            "osImage": spec.os_image, "systemUUID": "",
        },
    }
