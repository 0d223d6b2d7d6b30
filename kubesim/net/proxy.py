"""kube-proxy in iptables mode: a service IP and port lead to one ready endpoint.

A new connection picks a ready endpoint uniformly at random; with ``sessionAffinity: ClientIP`` the
same client IP keeps its endpoint until ``timeoutSeconds`` pass without traffic on the cluster clock.
A service without ready endpoints is rejected (refused); a port the service does not expose has no
rule at all, so the packet is lost (timeout), as in a real iptables-mode cluster. With
``internalTrafficPolicy: Local`` a pod or node reaches only the endpoints on its own node, and where
there are none the packet is dropped (timeout).
"""

from __future__ import annotations

from kubesim.api.registry import Obj, kind_named
from kubesim.net.network import ConnectionRefused, ConnectionTimeout, Destination, HostUnreachable


def ready_endpoints(api, service: Obj, port: dict) -> list[tuple[str, int, dict]]:
    """(ip, port, address) for every ready address serving the service port, from the Endpoints object."""
    meta = service["metadata"]
    endpoints = api.find(kind_named("Endpoints"), meta.get("namespace", ""), meta["name"])
    if endpoints is None:
        return []
    found = []
    wanted_name = port.get("name", "")
    for subset in endpoints.get("subsets") or []:
        for endpoint_port in subset.get("ports") or []:
            if endpoint_port.get("name", "") != wanted_name:
                continue
            if endpoint_port.get("protocol", "TCP") != port.get("protocol", "TCP"):
                continue
            for address in subset.get("addresses") or []:
                found.append((address["ip"], endpoint_port["port"], address))
    return found


def route_to_service(network, owner: str, ip: str, port: int, protocol: str) -> Destination:
    api = network.api
    _, namespace, name = owner.split("/", 2)
    service = api.find(kind_named("Service"), namespace, name)
    if service is None:
        raise ConnectionTimeout(f"{ip}:{port}")
    service_port = next((p for p in service["spec"].get("ports") or []
                         if p.get("port") == port and p.get("protocol", "TCP") == protocol), None)
    if service_port is None:
        network.note("dropped", f"service {namespace}/{name} ({ip}) has no port {port}/{protocol}: kube-proxy "
                                "has no rule for it, the packet is lost", service=f"{namespace}/{name}")
        raise ConnectionTimeout(f"{ip}:{port}")
    candidates = ready_endpoints(api, service, service_port)
    network.note("service", f"{ip}:{port} is service {namespace}/{name} ({service['spec'].get('type', 'ClusterIP')}), "
                            f"port {port} → targetPort {service_port.get('targetPort', port)}: "
                            f"{len(candidates)} ready endpoint(s)", service=f"{namespace}/{name}", port=port,
                 targetPort=service_port.get("targetPort", port), ready=len(candidates))
    if not candidates:
        network.note("refused", f"service {namespace}/{name} has no ready endpoints: kube-proxy rejects the "
                                "connection", service=f"{namespace}/{name}")
        raise ConnectionRefused(f"{ip}:{port}")
    if _internal_local(service, ip) and not network.external:
        from kubesim.net.nodeports import endpoint_node

        here = (network.client_pod.get("spec") or {}).get("nodeName") or ""
        candidates = [c for c in candidates if endpoint_node(api, c[2]) == here]
        network.note("policy", f"internalTrafficPolicy: Local: only endpoints on node {here} count "
                               f"({len(candidates)})", policy="Local", node=here)
        if not candidates:
            raise ConnectionTimeout(f"{ip}:{port}")
    chosen = choose(api, network.client_ip, service, service_port, candidates, network.listener)
    return deliver(network, service, chosen, "")


def _internal_local(service: Obj, ip: str) -> bool:
    """internalTrafficPolicy governs traffic to the cluster IPs only (not a load balancer's address)."""
    spec = service["spec"]
    cluster_ips = spec.get("clusterIPs") or [spec.get("clusterIP")]
    return spec.get("internalTrafficPolicy") == "Local" and ip in cluster_ips


def deliver(network, service: Obj, chosen: tuple, source: str) -> Destination:
    """After DNAT: a pod endpoint is reached directly; any other address (a manual endpoint: a node,
    the API server, a host outside the cluster) is routed on from there like any packet."""
    target_ip, target_port, address = chosen
    ref = address.get("targetRef")
    if ref is None or ref.get("kind") != "Pod":
        destination = network.connect(target_ip, target_port, "TCP")
    else:
        namespace = service["metadata"].get("namespace", "")
        pod = network.api.find(kind_named("Pod"), ref.get("namespace", namespace), ref["name"])
        if pod is None:
            raise HostUnreachable(target_ip)
        destination = network._to_pod(pod, target_ip, target_port)
    destination.service = service
    if source and not destination.source:
        destination.source = source
    return destination


def choose(api, client_ip: str, service: Obj, service_port: dict, candidates: list, note=None) -> tuple:
    """The endpoint of a new connection; ``note`` (``Network.note``) hears why it was chosen."""
    spec = service["spec"]
    if spec.get("sessionAffinity") != "ClientIP" or not client_ip:
        chosen = candidates[api.random.randrange(len(candidates))]
        if note:
            how = "the only ready endpoint" if len(candidates) == 1 else f"chosen at random among {len(candidates)} ready"
            note("endpoint", f"{chosen[0]}:{chosen[1]}, {how}",
                 endpoint=f"{chosen[0]}:{chosen[1]}", reason="random", among=[f"{c[0]}:{c[1]}" for c in candidates])
        return chosen
    timeout = ((spec.get("sessionAffinityConfig") or {}).get("clientIP") or {}).get("timeoutSeconds", 10800)
    meta = service["metadata"]
    key = f"{meta.get('namespace', '')}/{meta['name']}:{service_port.get('name', '')}:{service_port.get('port')}"
    now = api.now.timestamp()
    remembered = api.tx.affinity(key, client_ip)
    chosen = None
    if remembered is not None and remembered[1] > now:
        chosen = next((c for c in candidates if f"{c[0]}:{c[1]}" == remembered[0]), None)
    kept = chosen is not None
    if chosen is None:
        chosen = candidates[api.random.randrange(len(candidates))]
    api.tx.remember_affinity(key, client_ip, f"{chosen[0]}:{chosen[1]}", now + timeout)
    if note:
        from kubesim.net.hops import rfc3339

        until = rfc3339(now + timeout)
        how = f"session affinity (ClientIP) keeps {client_ip} on it" if kept else \
            f"chosen at random among {len(candidates)} ready; session affinity (ClientIP) keeps {client_ip} on it"
        note("endpoint", f"{chosen[0]}:{chosen[1]}, {how} until {until} ({timeout}s without traffic)",
             endpoint=f"{chosen[0]}:{chosen[1]}", reason="affinity" if kept else "random", client=client_ip,
             until=until, among=[f"{c[0]}:{c[1]}" for c in candidates])
    return chosen
