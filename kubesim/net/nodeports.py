"""Connections to a node's own address: node ports (kube-proxy's KUBE-NODEPORTS) and the API server.

Every node opens every service's node port. Which endpoint a connection reaches, and what client
address the app sees, follow the service's ``externalTrafficPolicy`` as kube-proxy in iptables mode
applies it:

- ``Cluster``: any ready endpoint, on this node or another; the source is masqueraded, so the app sees
  the node's address (the node's bridge, ``10.244.N.1``, when the pod runs on the node itself).
- ``Local``: only endpoints on the receiving node, and the client's own address is kept; a node
  without one drops the packet (the client times out). Traffic from pods and from the node itself
  is short-circuited to the cluster-wide chain, so ``Local`` applies to clients outside the cluster.

A service port without ready endpoints is rejected (refused), as for a cluster IP. A port no service
holds is closed on the node: refused.
"""

from __future__ import annotations

import ipaddress

from kubesim.api.registry import Obj, kind_named
from kubesim.net.network import ConnectionRefused, ConnectionTimeout, Destination

API_SERVER_PORT = 8443
API_SERVER_KEY = "apiServerAddress"


def api_server_address(api) -> tuple[str, int]:
    """Where the API server listens: the control-plane node's 8443 on a minikube-like cluster."""
    stored = api.tx.meta(API_SERVER_KEY)
    if stored:
        ip, port = stored.rsplit(":", 1)
        return ip, int(port)
    from kubesim.cluster import NODE_IP

    return NODE_IP, API_SERVER_PORT


def node_port_service(api, port: int, protocol: str) -> tuple[Obj, dict] | None:
    """The service (and its port) holding a node port, from the allocation index."""
    owner = api.tx.owner_of("node-port", str(port))
    if owner is None:
        return None
    _, namespace, name = owner.split("/", 2)
    service = api.find(kind_named("Service"), namespace, name)
    if service is None:
        return None
    for service_port in (service.get("spec") or {}).get("ports") or []:
        if service_port.get("nodePort") == port and service_port.get("protocol", "TCP") == protocol:
            return service, service_port
    return None


def connect_to_node(network, node: Obj, ip: str, port: int, protocol: str) -> Destination:
    pod = host_port_pod(network.api, node, port, protocol)
    if pod is not None:
        return network._to_pod(pod[0], ip, pod[1])
    found = node_port_service(network.api, port, protocol)
    if found is None:
        network.note("refused", f"node {node['metadata']['name']} ({ip}): no service holds node port {port}: "
                                "connection refused", node=node["metadata"]["name"])
        raise ConnectionRefused(f"{ip}:{port}")
    service, service_port = found
    meta = service["metadata"]
    network.note("node-port", f"{ip}:{port} is node {node['metadata']['name']}, node port of service "
                              f"{meta.get('namespace', '')}/{meta['name']} (port {service_port.get('port')})",
                 node=node["metadata"]["name"], service=f"{meta.get('namespace', '')}/{meta['name']}")
    return through_node(network, node, service, service_port, f"{ip}:{port}")


def host_port_pod(api, node: Obj, port: int, protocol: str) -> tuple[Obj, int] | None:
    """A running pod on ``node`` with a ``hostPort`` (the CNI portmap plugin's DNAT): it and its container port."""
    name = node["metadata"]["name"]
    for pod in api.list(kind_named("Pod")):
        if (pod.get("spec") or {}).get("nodeName") != name or (pod.get("status") or {}).get("phase") != "Running":
            continue
        for container in pod["spec"].get("containers") or []:
            for declared in container.get("ports") or []:
                if declared.get("hostPort") == port and declared.get("protocol", "TCP") == protocol:
                    return pod, int(declared.get("containerPort") or port)
    return None


def through_node(network, node: Obj, service: Obj, service_port: dict, where: str) -> Destination:
    """A connection that arrives at ``node`` for a service's external port (node port or load balancer)."""
    from kubesim.net import proxy

    api = network.api
    candidates = proxy.ready_endpoints(api, service, service_port)
    if not candidates:
        network.note("refused", "the service has no ready endpoints: kube-proxy rejects the connection")
        raise ConnectionRefused(where)
    local = network.external and (service.get("spec") or {}).get("externalTrafficPolicy") == "Local"
    node_name = node["metadata"]["name"]
    if local:
        everywhere = len(candidates)
        candidates = [c for c in candidates if endpoint_node(api, c[2]) == node_name]
        network.note("policy", f"externalTrafficPolicy: Local: {len(candidates)} of {everywhere} ready endpoint(s) "
                               f"run on node {node_name}", policy="Local", node=node_name)
        if not candidates:
            network.note("dropped", f"node {node_name} has no local endpoint: the packet is dropped")
            raise ConnectionTimeout(where)
    chosen = proxy.choose(api, network.client_ip, service, service_port, candidates, network.listener)
    if local:
        source = network.client_ip
        why = "the client's own address is kept (externalTrafficPolicy: Local)"
    elif endpoint_node(api, chosen[2]) == node_name:
        source = bridge_address(node)
        why = f"SNAT to node {node_name}'s bridge (externalTrafficPolicy: Cluster)"
    else:
        source = internal_ip(node)
        why = f"SNAT to node {node_name}'s address, forwarded to another node (externalTrafficPolicy: Cluster)"
    network.note("source", f"the app sees the client as {source}: {why}", source=source)
    return proxy.deliver(network, service, chosen, source)


def endpoint_node(api, address: dict) -> str:
    if address.get("nodeName"):
        return str(address["nodeName"])
    ref = address.get("targetRef") or {}
    if ref.get("kind") == "Pod":
        pod = api.find(kind_named("Pod"), ref.get("namespace", ""), ref.get("name", ""))
        if pod is not None:
            return str((pod.get("spec") or {}).get("nodeName") or "")
    return ""


def internal_ip(node: Obj) -> str:
    for address in (node.get("status") or {}).get("addresses") or []:
        if address.get("type") == "InternalIP":
            return str(address.get("address", ""))
    return ""


def bridge_address(node: Obj) -> str:
    """The node's end of its pod network (the CNI bridge): the first address of its pod CIDR."""
    cidr = (node.get("spec") or {}).get("podCIDR")
    if not cidr:
        return internal_ip(node)
    return str(ipaddress.ip_network(cidr, strict=False).network_address + 1)


def has_local_endpoint(api, node: Obj, service: Obj, service_port: dict) -> bool:
    from kubesim.net import proxy

    name = node["metadata"]["name"]
    return any(endpoint_node(api, c[2]) == name for c in proxy.ready_endpoints(api, service, service_port))
