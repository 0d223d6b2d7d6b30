"""Ingress L7 routing as ingress-nginx does it: which backend a Host and a path reach.

ingress-nginx merges every Ingress it serves into nginx server blocks, one per host. A request picks
its server by the ``Host`` header (an exact host first, then a ``*.`` wildcard, which covers exactly
one more label, as the Ingress API defines it and ingress-nginx's ``server_name
~^(?<subdomain>[\\w-]+)\\.example\\.com$`` does - kubernetes/ingress-nginx#8438), else the catch-all
server ``_`` that holds the rules without a host. Inside a server the path picks the location:

- ``Exact``: the whole path, case-sensitive (``/foo`` is not ``/foo/``);
- ``Prefix``: element-wise on ``/``-separated parts, trailing slashes ignored on both sides
  (``/aaa/bbb`` matches ``/aaa/bbb/ccc``, not ``/aaa/bbbxyz``);
- ``ImplementationSpecific``: nginx's own ``location /path`` - a plain string prefix.

The longest path wins and, for one path, ``Exact`` beats the others. A server without a matching
location answers with the Ingress's ``defaultBackend`` when it has one, else with the controller's
default backend (the 404 page). Nothing here touches the wire: ``route`` returns the Ingress and the
backend reference, and the controller (``kubesim.runtime.ingress_nginx``) proxies to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kubesim.api.registry import Obj, kind_named

CONTROLLER_NAME = "k8s.io/ingress-nginx"
CLASS_NAME = "nginx"
DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"
CLASS_ANNOTATION = "kubernetes.io/ingress.class"
PATH_TYPE_RANK = {"Exact": 0, "Prefix": 1, "ImplementationSpecific": 2}  # the tie-break: lower wins


def prefix_matches(rule_path: str, request_path: str) -> bool:
    """The Ingress API's ``Prefix``: every element of the rule's path equals the request's, in order."""
    wanted = [part for part in rule_path.split("/") if part]
    got = [part for part in request_path.split("/") if part]
    return got[:len(wanted)] == wanted


def path_matches(path_type: str, rule_path: str, request_path: str) -> bool:
    if path_type == "Exact":
        return request_path == rule_path
    if path_type == "Prefix":
        return prefix_matches(rule_path, request_path)
    return request_path.startswith(rule_path or "/")


def _length(path_type: str, rule_path: str) -> int:
    """How long a match counts: Prefix ignores a trailing slash (``/foo/`` is the location ``/foo``)."""
    if path_type == "Prefix":
        return len(rule_path.rstrip("/"))
    return len(rule_path or "/")


def best_path(paths: list[dict], request_path: str) -> dict | None:
    """The path entry a request path selects: the longest match, ``Exact`` first on a tie."""
    best, best_key = None, None
    for entry in paths:
        path_type = str(entry.get("pathType") or "ImplementationSpecific")
        rule_path = str(entry.get("path") or ("/" if path_type != "Exact" else ""))
        if not path_matches(path_type, rule_path, request_path):
            continue
        key = (-_length(path_type, rule_path), PATH_TYPE_RANK.get(path_type, 3))
        if best_key is None or key < best_key:
            best, best_key = entry, key
    return best


def host_matches(rule_host: str, host: str) -> bool:
    """An exact host, or ``*.example.com`` for one label before ``example.com`` (not two, not none)."""
    if rule_host.startswith("*."):
        label, dot, rest = host.partition(".")
        return bool(label) and bool(dot) and rest == rule_host[2:]
    return rule_host == host


def request_host(host_header: str | None) -> str:
    """The Host header without its port, lowercased, as nginx compares it with ``server_name``."""
    host = (host_header or "").strip().lower().rstrip(".")
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


# -- which Ingresses the controller serves ------------------------------------------------------------
def default_class(api) -> Obj | None:
    """The IngressClass marked default (the DefaultIngressClass admission plugin's choice)."""
    marked = [c for c in api.list(kind_named("IngressClass", "networking.k8s.io"))
              if ((c.get("metadata") or {}).get("annotations") or {}).get(DEFAULT_CLASS_ANNOTATION) == "true"]
    return marked[0] if len(marked) == 1 else None


def served_by_nginx(ingress: Obj) -> bool:
    """ingress-nginx serves class ``nginx`` and, with ``--watch-ingress-without-class``, class-less ones."""
    spec = ingress.get("spec") or {}
    annotation = ((ingress.get("metadata") or {}).get("annotations") or {}).get(CLASS_ANNOTATION)
    name = spec.get("ingressClassName") or annotation
    return name in (None, "", CLASS_NAME)


@dataclass
class Route:
    """Where a request goes: an Ingress's backend, or the controller's default backend (``backend`` None)."""

    ingress: Obj | None = None
    backend: dict | None = None
    host: str = ""  # the server block chosen ("" for the catch-all server)
    tls_hosts: list[str] = field(default_factory=list)


def _servers(ingresses: list[Obj]) -> dict[str, list[tuple[Obj, dict]]]:
    """host -> (ingress, rule) in the order ingress-nginx merges them (oldest Ingress first)."""
    servers: dict[str, list[tuple[Obj, dict]]] = {}
    for ingress in ingresses:
        for rule in (ingress.get("spec") or {}).get("rules") or []:
            servers.setdefault(str(rule.get("host") or ""), []).append((ingress, rule))
    return servers


def ordered(ingresses: list[Obj]) -> list[Obj]:
    return sorted(ingresses, key=lambda i: ((i.get("metadata") or {}).get("creationTimestamp", ""),
                                            (i.get("metadata") or {}).get("namespace", ""),
                                            (i.get("metadata") or {}).get("name", "")))


def server_for(ingresses: list[Obj], host: str) -> str:
    """The server block a Host header selects: exact, then wildcard, then the catch-all ``""``."""
    servers = _servers(ingresses)
    if host and host in servers:
        return host
    for name in servers:
        if name.startswith("*.") and host_matches(name, host):
            return name
    return ""


def route(ingresses: list[Obj], host_header: str | None, path: str) -> Route:
    """The backend for one request among the Ingresses the controller serves."""
    ingresses = ordered(ingresses)
    host = request_host(host_header)
    server = server_for(ingresses, host)
    entries = _servers(ingresses).get(server, [])
    candidates: list[tuple[Obj, dict]] = []
    for ingress, rule in entries:
        for entry in ((rule.get("http") or {}).get("paths") or []):
            candidates.append((ingress, entry))
    chosen = best_path([entry for _, entry in candidates], path)
    tls = tls_hosts(ingresses, server) if server else []
    if chosen is not None:
        ingress = next(i for i, entry in candidates if entry is chosen)
        return Route(ingress, chosen.get("backend") or {}, server, tls)
    # No location matched: the server's own Ingress default backend, else the controller's.
    owners = [ingress for ingress, _ in entries] if server else ingresses
    for ingress in owners:
        default = (ingress.get("spec") or {}).get("defaultBackend")
        if default:
            return Route(ingress, default, server, tls)
    return Route(None, None, server, tls)


def tls_hosts(ingresses: list[Obj], server: str) -> list[str]:
    """The TLS entries' hosts that cover ``server`` (a host listed in some Ingress's ``tls``)."""
    return [server for ingress in ingresses for tls in (ingress.get("spec") or {}).get("tls") or []
            if server in (tls.get("hosts") or [])][:1]


def tls_secret_for(ingresses: list[Obj], server_name: str) -> tuple[Obj, str] | None:
    """The Ingress and secret name whose ``tls`` section lists the SNI name (exact or wildcard host)."""
    name = request_host(server_name)
    for ingress in ordered(ingresses):
        for tls in (ingress.get("spec") or {}).get("tls") or []:
            for host in tls.get("hosts") or []:
                if host_matches(str(host), name) and tls.get("secretName"):
                    return ingress, str(tls["secretName"])
    return None
