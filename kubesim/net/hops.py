"""What a connection did on its way, hop by hop, for ``kubesim trace``.

The routing code (``network``, ``dns``, ``proxy``, ``nodeports``, ``outside``) calls
``network.note(kind, text, **facts)`` at each decision it takes. Nothing listens unless a
``Recorder`` is set on the ``Network``, so the trace is what the request really did, drawn from
the same random choices, and costs nothing when nobody asks. A later layer (ingress L7 routing,
probes) adds its hops by calling ``network.note`` where it decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


@dataclass
class Hop:
    kind: str  # dns, service, endpoint, load-balancer, node, snat, pod, host, api-server, refused, dropped …
    text: str
    facts: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, **self.facts}


class Recorder:
    """Collects hops in the order the routing code took them."""

    def __init__(self) -> None:
        self.hops: list[Hop] = []

    def __call__(self, kind: str, text: str, **facts: Any) -> None:
        self.hops.append(Hop(kind, text, facts))


def rfc3339(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def key_of(obj: dict) -> str:
    meta = obj.get("metadata") or {}
    return f"{meta.get('namespace', '')}/{meta.get('name', '')}" if meta.get("namespace") else meta.get("name", "")


def _node_text(network, pod: dict) -> str:
    from kubesim.api.registry import kind_named

    node_name = (pod.get("spec") or {}).get("nodeName") or ""
    node = network.api.find(kind_named("Node"), None, node_name) if node_name else None
    if node is None:
        return node_name or "<none>"
    from kubesim.net.nodeports import internal_ip

    return f"{node_name} ({internal_ip(node)})"


def pod_reached(network, pod: dict, ip: str, port: int) -> None:
    from kubesim.runtime.apps import server_for

    found = server_for(pod, port)
    container = found[0]["name"] if found else ""
    network.note("node", f"node {_node_text(network, pod)} runs pod {key_of(pod)}",
                 node=(pod.get("spec") or {}).get("nodeName") or "")
    network.note("pod", f"pod {key_of(pod)} at {ip}: container {container} listens on {port}",
                 pod=key_of(pod), ip=ip, port=port, container=container)


def pod_refuses(network, pod: dict, ip: str, port: int) -> None:
    declared = sorted({f"{p.get('containerPort')}/{p.get('protocol', 'TCP')}"
                       for c in (pod.get("spec") or {}).get("containers") or [] for p in c.get("ports") or []})
    phase = (pod.get("status") or {}).get("phase", "")
    why = f"the pod is {phase}" if phase != "Running" else \
        f"nothing listens on {port} (declared ports: {', '.join(declared) or '<none>'})"
    network.note("refused", f"pod {key_of(pod)} at {ip}: {why}: connection refused", pod=key_of(pod), port=port)


def dns_answered(note, name: str, chain: list[str], addresses: list[str], tried: list[str]) -> None:
    matched = chain[0]
    if matched == name:
        how = "asked as typed"
    else:
        domain = matched[len(name) + 1:]
        position = tried.index(matched) + 1 if matched in tried else 0
        how = f"search domain {domain} matched: name {position} of the {len(tried)} the resolver tries"
    via = "".join(f" → CNAME {c}" for c in chain[1:])
    shown = name if matched == name else f"{name} → {matched}"
    note("dns", f"{shown}{via} → {', '.join(addresses)} ({how})", name=name, fqdn=matched,
         cnames=chain[1:], addresses=addresses)
