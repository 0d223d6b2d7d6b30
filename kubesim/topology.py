"""The shapes ``cluster reset`` can give a cluster: minikube-like (one or more nodes on one network
with the user's machine) or the book's GKE cluster (workers with ExternalIPs, the user on the internet).

Kept apart from ``kubesim.cluster`` so that opening a cluster imports none of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubesim.cluster import API_SERVER_PORT, NODE_IP, NODE_NAME


@dataclass(frozen=True)
class NodeSpec:
    name: str
    internal_ip: str
    pod_cidr: str
    external_ip: str | None = None
    control_plane: bool = False
    labels: tuple[tuple[str, str], ...] = ()
    os_image: str = "Ubuntu 24.04.3 LTS"
    kernel: str = "6.8.0-kubesim"
    runtime: str = "containerd://2.1.4"


@dataclass(frozen=True)
class Topology:
    """What ``cluster reset`` builds: the nodes, where the API server listens, who the outside client is."""

    profile: str
    nodes: tuple[NodeSpec, ...]
    api_server: tuple[str, int]
    outside_client_ip: str
    lb_pool: str
    lb_delay: float = 30.0


PROFILES = ("minikube", "gke")
GKE_NODE_SUFFIXES = ("opc5", "s8gj", "zwko", "b2kx", "m7qd", "t4wn", "x9rc", "h3vf", "k6pz")
GKE_EXTERNAL_IPS = ("130.211.97.55", "130.211.99.206", "130.211.101.12")
GKE_LABELS = (("cloud.google.com/gke-nodepool", "default-pool"), ("cloud.google.com/machine-family", "e2"),
              ("node.kubernetes.io/instance-type", "e2-medium"), ("topology.kubernetes.io/region", "europe-west1"),
              ("topology.kubernetes.io/zone", "europe-west1-d"))
MAX_NODES = 100


def topology(profile: str = "minikube", nodes: int | None = None, lb_pool: str | None = None,
             lb_delay: float | None = None) -> Topology:
    """minikube: ``minikube``, ``minikube-m02`` … on 192.168.49.0/24, the first the control plane, the
    user's machine at the network's gateway. gke: three workers as in the book (ROLES <none>, each with
    an ExternalIP), the control plane off the nodes, the user on the internet."""
    from kubesim.controllers.load_balancer import DEFAULT_DELAY, DEFAULT_POOL
    from kubesim.net.outside import INTERNET_CLIENT_IP, LOCAL_CLIENT_IP

    if profile == "gke":
        count = 3 if nodes is None else nodes
        specs = []
        for index in range(count):
            suffix = GKE_NODE_SUFFIXES[index] if index < len(GKE_NODE_SUFFIXES) else f"n{index:03d}"
            external = GKE_EXTERNAL_IPS[index] if index < len(GKE_EXTERNAL_IPS) else f"130.211.{102 + index}.{index % 250 + 2}"
            name = f"gke-kubia-default-pool-b46381f1-{suffix}"
            specs.append(NodeSpec(name, f"10.128.0.{index + 2}", f"10.244.{index}.0/24", external, False,
                                  GKE_LABELS, "Container-Optimized OS from Google", "6.6.72+", "containerd://1.7.24"))
        return Topology("gke", tuple(specs), ("172.16.0.2", 443), INTERNET_CLIENT_IP,
                        lb_pool or "130.211.53.173-130.211.53.254", DEFAULT_DELAY if lb_delay is None else lb_delay)
    count = 1 if nodes is None else nodes
    specs = [NodeSpec(NODE_NAME if index == 0 else f"{NODE_NAME}-m{index + 1:02d}", f"192.168.49.{index + 2}",
                      f"10.244.{index}.0/24", None, index == 0) for index in range(count)]
    return Topology("minikube", tuple(specs), (NODE_IP, API_SERVER_PORT), LOCAL_CLIENT_IP, lb_pool or DEFAULT_POOL,
                    DEFAULT_DELAY if lb_delay is None else lb_delay)


