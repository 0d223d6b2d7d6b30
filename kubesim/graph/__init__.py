"""The cluster's traffic as a graph: ingresses → services → endpoints → pods → nodes.

``build`` reads the store once and gives nodes in layers and the edges between them; the text tree
(``kubesim graph``), Graphviz DOT (``-o dot``) and SVG (``-o svg``) are drawn from the same graph.
What keeps traffic from flowing is part of it: a node or edge in state ``bad`` (a selector that
matches nothing, Endpoints without a ready address, an unready pod) or ``warn``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kubesim.api.registry import Obj, kind_named

LAYERS = ("ingress", "service", "endpoints", "pod", "node")


@dataclass
class Node:
    id: str
    layer: int
    title: str  # svc/kubia
    detail: str = ""  # ClusterIP 10.96.0.7 80→8080
    state: str = "ok"  # ok, warn, bad


@dataclass
class Edge:
    source: str
    target: str
    label: str = ""
    state: str = "ok"


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)  # in the order the text tree shows them
    namespaces: dict[str, list[str]] = field(default_factory=dict)  # namespace -> its roots

    def add(self, node: Node) -> Node:
        return self.nodes.setdefault(node.id, node)

    def link(self, source: str, target: str, label: str = "", state: str = "ok") -> None:
        if not any(e.source == source and e.target == target for e in self.edges):
            self.edges.append(Edge(source, target, label, state))

    def children(self, node_id: str) -> list[Edge]:
        return [e for e in self.edges if e.source == node_id]


def _ready(pod: Obj) -> bool:
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in (pod.get("status") or {}).get("conditions") or [])


def _ports(service: Obj) -> str:
    parts = []
    for port in (service.get("spec") or {}).get("ports") or []:
        node_port = f":{port['nodePort']}" if port.get("nodePort") else ""
        protocol = "" if port.get("protocol", "TCP") == "TCP" else f"/{port['protocol']}"
        parts.append(f"{port.get('port')}{node_port}{protocol}→{port.get('targetPort', port.get('port'))}")
    return " ".join(parts)


def build(api, namespace: str | None, service_name: str | None = None) -> Graph:
    """The graph of one namespace (``None``: all), or of one service and the ingresses routing to it."""
    graph = Graph()
    services = api.list(kind_named("Service"), namespace)
    if service_name:
        services = [s for s in services if s["metadata"]["name"] == service_name]
    wanted = {(s["metadata"].get("namespace"), s["metadata"]["name"]) for s in services}
    prefix = namespace is None
    routed: set[str] = set()
    for ingress in api.list(kind_named("Ingress", "networking.k8s.io"), namespace):
        ns = ingress["metadata"].get("namespace", "")
        backends = [(where, b) for where, b in _backends(ingress) if (ns, b.get("name")) in wanted]
        if service_name and not backends:
            continue
        ing_id = f"ingress/{ns}/{ingress['metadata']['name']}"
        addresses = [i.get("ip") or i.get("hostname") for i in
                     ((ingress.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []]
        graph.add(Node(ing_id, 0, _title("ingress", ingress, prefix), ", ".join(addresses) or "no address yet",
                       "ok" if addresses else "warn"))
        graph.namespaces.setdefault(ns, []).append(ing_id)
        for where, backend in backends:
            service = next((s for s in services if s["metadata"].get("namespace") == ns
                            and s["metadata"]["name"] == backend.get("name")), None)
            port = (backend.get("port") or {})
            label = f"{where} → {port.get('number', port.get('name', ''))}"
            if service is None:
                missing = graph.add(Node(f"service/{ns}/{backend.get('name')}", 1,
                                         f"svc/{backend.get('name')}", "does not exist", "bad"))
                graph.link(ing_id, missing.id, label, "bad")
                continue
            svc_id = _add_service(api, graph, service, prefix)
            routed.add(svc_id)
            graph.link(ing_id, svc_id, label)
    for service in services:
        svc_id = _add_service(api, graph, service, prefix)
        if svc_id not in routed:
            graph.namespaces.setdefault(service["metadata"].get("namespace", ""), []).append(svc_id)
    for ns in sorted(graph.namespaces):
        graph.roots += graph.namespaces[ns]
    return graph


def _title(word: str, obj: Obj, prefix: bool) -> str:
    meta = obj["metadata"]
    return f"{word}/{meta.get('namespace', '')}/{meta['name']}" if prefix else f"{word}/{meta['name']}"


def _backends(ingress: Obj) -> list[tuple[str, dict]]:
    spec = ingress.get("spec") or {}
    found = []
    default = (spec.get("defaultBackend") or {}).get("service")
    if default:
        found.append(("default backend", default))
    for rule in spec.get("rules") or []:
        for path in ((rule.get("http") or {}).get("paths")) or []:
            service = (path.get("backend") or {}).get("service")
            if service:
                found.append((f"{rule.get('host') or '*'}{path.get('path', '')}", service))
    return found


def _add_service(api, graph: Graph, service: Obj, prefix: bool) -> str:
    meta = service["metadata"]
    ns = meta.get("namespace", "")
    svc_id = f"service/{ns}/{meta['name']}"
    if svc_id in graph.nodes:
        return svc_id
    spec = service.get("spec") or {}
    kind = spec.get("type", "ClusterIP")
    if kind == "ExternalName":
        target = str(spec.get("externalName", "")).rstrip(".")
        graph.add(Node(svc_id, 1, _title("svc", service, prefix), f"ExternalName → {target}"))
        addresses = _resolve(api, ns, target)
        name = graph.add(Node(f"name/{target}", 3, target, ", ".join(addresses) or "resolves nowhere",
                              "ok" if addresses else "bad"))
        graph.link(svc_id, name.id, "CNAME", "ok" if addresses else "bad")
        return svc_id
    address = "None (headless)" if spec.get("clusterIP") == "None" else spec.get("clusterIP", "")
    selector = spec.get("selector") or {}
    selector_text = ",".join(f"{k}={v}" for k, v in sorted(selector.items()))
    service_node = graph.add(Node(svc_id, 1, _title("svc", service, prefix),
                                  f"{kind} {address} {_ports(service)}".strip()
                                  + (f" [{selector_text}]" if selector_text else " [no selector]")))
    pods = api.list(kind_named("Pod"), ns)
    selected = [p for p in pods if selector and all((p["metadata"].get("labels") or {}).get(k) == v
                                                   for k, v in selector.items())]
    endpoints = api.find(kind_named("Endpoints"), ns, meta["name"])
    ready = [(a, p["port"]) for s in (endpoints or {}).get("subsets") or [] for p in s.get("ports") or []
             for a in s.get("addresses") or []]
    not_ready = [(a, p["port"]) for s in (endpoints or {}).get("subsets") or [] for p in s.get("ports") or []
                 for a in s.get("notReadyAddresses") or []]
    ep_id = f"endpoints/{ns}/{meta['name']}"
    ready_ips = {a["ip"] for a, _ in ready}
    not_ready_ips = {a["ip"] for a, _ in not_ready}
    ep_detail = f"{len(ready_ips)} ready" + (f", {len(not_ready_ips)} not ready" if not_ready_ips else "")
    graph.add(Node(ep_id, 2, _title("ep", service, prefix), ep_detail if ready or not_ready else "<none>",
                   "ok" if ready else "bad"))
    graph.link(svc_id, ep_id, "", "ok" if ready else "bad")
    if selector and not selected:
        service_node.state = "bad"
        service_node.detail += " matches no pod"
    reached: set[str] = set()
    for address, port in ready + not_ready:
        is_ready = (address, port) in ready
        ref = address.get("targetRef") or {}
        if ref.get("kind") == "Pod":
            pod = next((p for p in pods if p["metadata"]["name"] == ref.get("name")), None)
            if pod is not None:
                pod_id = _add_pod(api, graph, pod, prefix)
                reached.add(pod_id)
                graph.link(ep_id, pod_id, f"{address['ip']}:{port}", "ok" if is_ready else "bad")
                continue
        target = graph.add(Node(f"address/{address['ip']}:{port}", 3, f"{address['ip']}:{port}",
                                _whose(api, address["ip"]), "ok" if is_ready else "bad"))
        graph.link(ep_id, target.id, "", "ok" if is_ready else "bad")
    for pod in selected:
        pod_id = _add_pod(api, graph, pod, prefix)
        if pod_id not in reached:
            graph.link(ep_id, pod_id, "selected, not an endpoint", "bad")
    return svc_id


def _resolve(api, namespace: str, name: str) -> list[str]:
    """What a pod of ``namespace`` gets for an ExternalName's target (nothing when nobody answers)."""
    from kubesim.net import dns
    from kubesim.net.network import NetworkError

    try:
        return dns.resolve_in_pod(api, {"metadata": {"name": "graph", "namespace": namespace}, "spec": {}}, name + ".")
    except NetworkError:
        return []


def _whose(api, ip: str) -> str:
    """What a manual endpoint address is: a node's, or a host outside the cluster."""
    for node in api.list(kind_named("Node")):
        if any(a.get("address") == ip for a in (node.get("status") or {}).get("addresses") or []):
            return f"node {node['metadata']['name']}"
    return "outside the cluster"


def _add_pod(api, graph: Graph, pod: Obj, prefix: bool) -> str:
    meta = pod["metadata"]
    pod_id = f"pod/{meta.get('namespace', '')}/{meta['name']}"
    if pod_id in graph.nodes:
        return pod_id
    status = pod.get("status") or {}
    ready = _ready(pod)
    detail = f"{status.get('podIP') or 'no IP'} {'Ready' if ready else 'not ready (' + status.get('phase', '') + ')'}"
    graph.add(Node(pod_id, 3, _title("pod", pod, prefix), detail, "ok" if ready else "bad"))
    node_name = (pod.get("spec") or {}).get("nodeName")
    if node_name:
        node = api.find(kind_named("Node"), None, node_name)
        from kubesim.net.nodeports import internal_ip

        graph.add(Node(f"node/{node_name}", 4, f"node/{node_name}", internal_ip(node) if node else ""))
        graph.link(pod_id, f"node/{node_name}")
    return pod_id
