"""Beyond the cluster: the internet (the world's declared hosts), cloud load balancers, and the
user's own machine as a client (``kubesim curl``).

A packet to an address nobody declared is lost, so clients time out as behind a firewall that drops
it. From the user's machine the cluster looks as it does from a real one's: node ports on the
nodes' reachable addresses (a node's ExternalIP; its InternalIP when it has none, as on minikube,
whose nodes share a network with the host), load-balancer IPs, and the internet — never a cluster IP
or a pod IP, which only exist inside.
"""

from __future__ import annotations

from kubesim.api.registry import Obj, kind_named
from kubesim.net.network import (
    ConnectionRefused,
    ConnectionTimeout,
    Destination,
    HostNotFound,
    Network,
    is_ip,
)

LOCAL_CLIENT_IP = "192.168.49.1"  # minikube's host, the gateway of the nodes' docker network
INTERNET_CLIENT_IP = "203.0.113.7"  # a user on the internet, for a cloud cluster (TEST-NET-3)
CLIENT_IP_KEY = "outsideClientIP"


def connect(network, ip: str, port: int, protocol: str) -> Destination:
    """A connection to an address outside the cluster: a declared host answers on its port."""
    from kubesim.net import world

    host = world.by_ip(network.api.tx, ip)
    if host is None or protocol != "TCP":
        network.note("dropped", f"{ip} is outside the cluster and nobody answers there: the packet is lost")
        raise ConnectionTimeout(f"{ip}:{port}")
    if port != host.port:
        network.note("refused", f"host {host.label} ({ip}) answers on port {host.port}, not {port}")
        raise ConnectionRefused(f"{ip}:{port}")
    network.note("host", f"{ip}:{port} is host {host.label}, outside the cluster (kubesim world)", host=host.label)
    return Destination(ip=ip, port=port, world=host)


def outside_client_ip(api) -> str:
    return api.tx.meta(CLIENT_IP_KEY) or LOCAL_CLIENT_IP


class OutsideNetwork(Network):
    """The network from the user's machine: what ``kubesim curl`` sees."""

    external = True

    def __init__(self, api) -> None:
        ip = outside_client_ip(api)
        super().__init__(api, {"metadata": {"name": "", "namespace": ""}, "spec": {}, "status": {"podIP": ip}})

    def resolve(self, host: str) -> list[str]:
        """The machine's own resolver: its hosts file (``kubesim hosts``), then public DNS, which knows
        the world's names, not the cluster's."""
        from kubesim.net import world

        host = host.strip("[]")
        if is_ip(host):
            return [host]
        lowered = host.lower().rstrip(".")
        if lowered in ("localhost", "localhost.localdomain"):
            return ["127.0.0.1"]
        from kubesim.net import hosts

        listed = hosts.lookup(self.api.tx, lowered)
        if listed is not None:
            return [listed]
        found = world.by_name(self.api.tx, lowered)
        if found is None:
            self.note("dns", f"{lowered}: public DNS does not know it (cluster names resolve only inside the "
                             "cluster)", name=lowered)
            raise HostNotFound(host)
        self.note("dns", f"{lowered} → {found.ip} (public DNS: a host of kubesim world)", name=lowered,
                  addresses=[found.ip])
        return [found.ip]

    def _route(self, ip: str, port: int, protocol: str) -> Destination:
        if ip.startswith("127.") or ip == "::1":
            raise ConnectionRefused(f"{ip}:{port}")  # nothing of the cluster's listens on this machine
        tx = self.api.tx
        owner = tx.owner_of("lb-ip", ip)
        if owner is not None:
            return to_load_balancer(self, owner, ip, port, protocol)
        node = self._reachable_node(ip)
        if node is not None:
            if self.is_api_server(ip, port, protocol):
                return Destination(ip=ip, port=port, node_address=ip)
            from kubesim.net import nodeports

            return nodeports.connect_to_node(self, node, ip, port, protocol)
        inside = owner_inside(tx, ip) if self.recorder is not None else ""
        if inside:
            self.note("dropped", f"{ip} is {inside}: it exists only inside the cluster, so from your machine the "
                                 "packet is lost")
            raise ConnectionTimeout(f"{ip}:{port}")
        return connect(self, ip, port, protocol)

    def _reachable_node(self, ip: str) -> Obj | None:
        for node in self.api.list(kind_named("Node")):
            addresses = (node.get("status") or {}).get("addresses") or []
            external = [a.get("address") for a in addresses if a.get("type") == "ExternalIP"]
            reachable = external or [a.get("address") for a in addresses if a.get("type") == "InternalIP"]
            if ip in reachable:
                return node
        return None


def to_load_balancer(network, owner: str, ip: str, port: int, protocol: str) -> Destination:
    """The cloud load balancer forwards to a node that passes its health check, then the node routes.

    With ``externalTrafficPolicy: Local`` only nodes with a local ready endpoint pass (kube-proxy's
    healthCheckNodePort answers 503 on the others); with ``Cluster`` every Ready node does.
    """
    from kubesim.net import nodeports

    api = network.api
    _, namespace, name = owner.split("/", 2)
    service = api.find(kind_named("Service"), namespace, name)
    if service is None:
        raise ConnectionTimeout(f"{ip}:{port}")
    service_port = next((p for p in (service.get("spec") or {}).get("ports") or []
                         if p.get("port") == port and p.get("protocol", "TCP") == protocol), None)
    if service_port is None:
        raise ConnectionTimeout(f"{ip}:{port}")  # the load balancer has no listener on that port
    nodes = [n for n in api.list(kind_named("Node")) if _ready(n)]
    if (service.get("spec") or {}).get("externalTrafficPolicy") == "Local":
        nodes = [n for n in nodes if nodeports.has_local_endpoint(api, n, service, service_port)]
    local = (service.get("spec") or {}).get("externalTrafficPolicy") == "Local"
    if not nodes:
        network.note("dropped", f"load balancer {ip} of service {namespace}/{name}: no node passes its health check"
                                + (" (externalTrafficPolicy: Local, and no node runs a ready endpoint)" if local else ""))
        raise ConnectionTimeout(f"{ip}:{port}")
    node = nodes[api.random.randrange(len(nodes))] if len(nodes) > 1 else nodes[0]
    network.note("load-balancer", f"{ip}:{port} is the load balancer of service {namespace}/{name}: it forwards to "
                                  f"node {node['metadata']['name']}, " + (
                                      f"chosen at random among {len(nodes)} healthy nodes" if len(nodes) > 1 else
                                      "the only healthy node") + (" (nodes with a local endpoint)" if local else ""),
                 service=f"{namespace}/{name}", node=node["metadata"]["name"], healthy=len(nodes))
    return nodeports.through_node(network, node, service, service_port, f"{ip}:{port}")


def owner_inside(tx, ip: str) -> str:
    """What an address is inside the cluster ("" when it is not the cluster's), for the trace."""
    for pool, what in (("service-ip", "a cluster IP"), ("pod-ip", "a pod IP")):
        owner = tx.owner_of(pool, ip)
        if owner is not None:
            return f"{what} (of {owner.split('/', 1)[1]})"
    return ""


def _ready(node: Obj) -> bool:
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in (node.get("status") or {}).get("conditions") or [])
