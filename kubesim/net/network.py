"""The cluster network as one pod sees it: names resolve, connections go where kube-proxy sends them.

``Network`` is what in-pod tools use. ``connect`` answers with the pod and container port a packet
finally reaches, or raises what a real client would meet: refused, timed out, unreachable. The
service table is an index keyed by IP (the store's allocation table), so a routed request costs the
same with ten services as with ten thousand.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

from kubesim.api.registry import Obj, kind_named


class NetworkError(Exception):
    """A connection that does not succeed; subclasses say how it fails."""


class ConnectionRefused(NetworkError):
    """Nothing listens there (or kube-proxy rejects: a service without ready endpoints)."""


class ConnectionTimeout(NetworkError):
    """Packets are dropped: nobody answers, the client gives up after its timeout."""


class HostUnreachable(NetworkError):
    """No route to the address."""


class HostNotFound(NetworkError):
    """The name does not resolve."""


@dataclass
class Destination:
    """Where a connection lands: a pod's container port (or the API server, for 10.96.0.1:443)."""

    ip: str
    port: int
    pod: Obj | None = None
    service: Obj | None = None
    node_address: str | None = None  # set when the destination is a node or the API server
    hops: list[str] = field(default_factory=list)
    source: str = ""  # the client address the server sees (after any SNAT); "" = the client's own
    world: Any = None  # a declared host outside the cluster (kubesim.net.world.Host)


MAX_HOPS = 8  # endpoints that lead to other services: a loop is dropped, as its packets would be


class Network:
    """The network as a pod (or a node, with a host-network pod) sees it."""

    external = False  # clients outside the cluster meet externalTrafficPolicy; pods and nodes do not
    recorder = None  # a kubesim.net.hops.Recorder while ``kubesim trace`` follows a request

    def __init__(self, api, client_pod: Obj) -> None:
        self.api = api
        self.client_pod = client_pod
        self.hops = 0

    @property
    def listener(self):
        """``note`` when somebody records the routing decisions, else None: a caller skips working out
        what only a trace prints (the 10,000 endpoints a choice was made among)."""
        return self.note if self.recorder is not None else None

    def note(self, kind: str, text: str, **facts) -> None:
        """A routing decision, for ``kubesim trace`` (kubesim.net.hops); nothing when nobody records."""
        if self.recorder is not None:
            self.recorder(kind, text, **facts)

    @property
    def client_ip(self) -> str:
        return (self.client_pod.get("status") or {}).get("podIP", "")

    # -- names -------------------------------------------------------------------------------------
    def resolve(self, host: str) -> list[str]:
        """Addresses for a host name, as the pod's resolver finds them (hosts file, then DNS)."""
        host = host.strip("[]")
        if is_ip(host):
            return [host]
        lowered = host.lower().rstrip(".")
        if lowered in ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"):
            return ["127.0.0.1"]
        meta = self.client_pod["metadata"]
        if lowered == meta["name"].lower() or lowered == str(self.client_pod.get("spec", {}).get("hostname", "")):
            return [self.client_ip]
        from kubesim.net import dns

        return dns.resolve_in_pod(self.api, self.client_pod, lowered, self.note if self.recorder else None)

    # -- connections -------------------------------------------------------------------------------
    def connect(self, ip: str, port: int, protocol: str = "TCP") -> Destination:
        """Follow a connection to ``ip:port`` the way iptables-mode kube-proxy would send it."""
        if self.hops >= MAX_HOPS:
            raise ConnectionTimeout(ip)
        self.hops += 1
        try:
            return self._route(ip, port, protocol)
        finally:
            self.hops -= 1

    def _route(self, ip: str, port: int, protocol: str) -> Destination:
        if ip.startswith("127.") or ip == "::1":
            self.note("loopback", f"{ip} is the pod's own loopback: the connection stays in the client pod")
            return self._to_pod(self.client_pod, ip, port)
        if self.is_api_server(ip, port, protocol):
            self.note("api-server", f"{ip}:{port} is the API server on the control-plane node")
            return Destination(ip=ip, port=port, node_address=ip)
        tx = self.api.tx
        owner = tx.owner_of("service-ip", ip) or tx.owner_of("lb-ip", ip)
        if owner is not None:
            return self._to_service(owner, ip, port, protocol)
        owner = tx.owner_of("pod-ip", ip)
        if owner is not None:
            _, namespace, name = owner.split("/", 2)
            pod = self.api.find(kind_named("Pod"), namespace, name)
            if pod is None:
                raise HostUnreachable(ip)
            self.note("pod-ip", f"{ip} is the IP of pod {namespace}/{name}: no service, no kube-proxy on the way")
            return self._to_pod(pod, ip, port)
        node = self._node_with_address(ip)
        if node is not None:
            from kubesim.net import nodeports

            return nodeports.connect_to_node(self, node, ip, port, protocol)
        if _in_cluster_ranges(ip):
            self.note("dropped", f"nothing in the cluster has the address {ip}: the packet is lost")
            raise ConnectionTimeout(ip)
        from kubesim.net import outside

        return outside.connect(self, ip, port, protocol)

    def is_api_server(self, ip: str, port: int, protocol: str) -> bool:
        from kubesim.net import nodeports

        return protocol == "TCP" and (ip, port) == nodeports.api_server_address(self.api)

    def _to_pod(self, pod: Obj, ip: str, port: int) -> Destination:
        from kubesim.runtime.apps import listens_on

        if not listens_on(pod, port):
            if self.recorder is not None:
                from kubesim.net.hops import pod_refuses

                pod_refuses(self, pod, ip, port)
            raise ConnectionRefused(f"{ip}:{port}")
        if self.recorder is not None:
            from kubesim.net.hops import pod_reached

            pod_reached(self, pod, ip, port)
        return Destination(ip=ip, port=port, pod=pod)

    def _to_service(self, owner: str, ip: str, port: int, protocol: str) -> Destination:
        from kubesim.net import proxy

        return proxy.route_to_service(self, owner, ip, port, protocol)

    def _node_with_address(self, ip: str) -> Obj | None:
        for node in self.api.list(kind_named("Node")):
            for address in (node.get("status") or {}).get("addresses") or []:
                if address.get("address") == ip:
                    return node
        return None


def is_ip(text: str) -> bool:
    """Whether a host is written as an IP address (rather than a name to resolve)."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


_CLUSTER_RANGES = (ipaddress.ip_network("10.96.0.0/12"), ipaddress.ip_network("10.244.0.0/16"))


def _in_cluster_ranges(ip: str) -> bool:
    address = ipaddress.ip_address(ip)
    return any(address in network for network in _CLUSTER_RANGES)
