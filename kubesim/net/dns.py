"""Cluster DNS as CoreDNS serves it (the Kubernetes DNS specification, schema 1.1.0), and the
pod-side resolver that walks resolv.conf's search list with ``ndots:5``.

``query`` answers one question for one fully qualified name; ``resolve_in_pod`` is what a program's
getaddrinfo does inside a pod. Answers are computed from the store on every query, so they are
always current (CoreDNS's cache is not simulated).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from kubesim.api.registry import Obj, kind_named

ZONE = "cluster.local"
DNS_SERVICE_IP = "10.96.0.10"
TTL = 30
SOA = f"ns.dns.{ZONE}. hostmaster.{ZONE}."


@dataclass(frozen=True)
class Record:
    name: str  # fully qualified, with the trailing dot
    type: str  # A, CNAME, SRV, PTR, TXT
    data: str
    ttl: int = TTL
    priority: int = 0
    weight: int = 0
    port: int = 0


@dataclass
class Answer:
    rcode: str  # NOERROR, NXDOMAIN, SERVFAIL
    records: list[Record] = field(default_factory=list)
    authoritative: bool = True


class ResolverUnavailable(Exception):
    """No DNS server answers (cluster DNS has no ready endpoints): clients time out resolving."""


def query(api, name: str, qtype: str = "A") -> Answer:
    """Answer one question about a fully qualified name (trailing dot optional)."""
    fqdn = name.lower().rstrip(".") + "."
    if not fqdn.endswith(f".{ZONE}.") and fqdn != f"{ZONE}.":
        if fqdn.endswith(".in-addr.arpa."):
            return _reverse(api, fqdn)
        return _outside_answer(api, fqdn, qtype)
    labels = fqdn[: -len(ZONE) - 2].split(".") if fqdn != f"{ZONE}." else []
    if labels == ["dns-version"]:
        return Answer("NOERROR", [Record(fqdn, "TXT", '"1.1.0"')] if qtype in ("TXT", "ANY") else [])
    if len(labels) >= 2 and labels[-1] == "svc":
        return _service_answer(api, fqdn, labels[:-1], qtype)
    if len(labels) == 3 and labels[-1] == "pod":
        return _pod_answer(fqdn, labels[0], qtype)
    if labels == [] or labels in (["svc"], ["pod"]):
        return Answer("NOERROR")
    if len(labels) == 2 and labels[-1] in ("svc", "pod"):
        return Answer("NOERROR")
    return Answer("NXDOMAIN")


def _outside_answer(api, fqdn: str, qtype: str) -> Answer:
    """CoreDNS forwards names outside the cluster zone upstream: the world's declared hosts answer."""
    from kubesim.net import world

    host = world.by_name(api.tx, fqdn)
    if host is None:
        return Answer("NXDOMAIN", authoritative=False)
    if qtype in ("A", "ANY"):
        return Answer("NOERROR", [Record(fqdn, "A", host.ip)], authoritative=False)
    return Answer("NOERROR", authoritative=False)


def _service_answer(api, fqdn: str, labels: list[str], qtype: str) -> Answer:
    # labels: [..., svc, ns]
    if len(labels) == 1:
        namespace = labels[0]
        exists = api.find(kind_named("Namespace"), None, namespace) is not None
        return Answer("NOERROR" if exists else "NXDOMAIN")
    namespace = labels[-1]
    if len(labels) == 2:
        return _service_records(api, fqdn, namespace, labels[0], qtype)
    if len(labels) == 3:
        return _endpoint_records(api, fqdn, namespace, labels[1], labels[0], qtype)
    if len(labels) == 4 and labels[0].startswith("_") and labels[1].startswith("_"):
        return _srv_records(api, fqdn, namespace, labels[2], labels[0][1:], labels[1][1:], qtype)
    return Answer("NXDOMAIN")


def _find_service(api, namespace: str, name: str) -> Obj | None:
    return api.find(kind_named("Service"), namespace, name)


def ready_addresses(api, service: Obj) -> list[dict]:
    meta = service["metadata"]
    endpoints = api.find(kind_named("Endpoints"), meta.get("namespace", ""), meta["name"])
    found: dict[str, dict] = {}
    for subset in (endpoints or {}).get("subsets") or []:
        for address in subset.get("addresses") or []:
            found.setdefault(address["ip"], address)
    return sorted(found.values(), key=lambda a: ipaddress.ip_address(a["ip"]))


def _service_records(api, fqdn: str, namespace: str, name: str, qtype: str) -> Answer:
    service = _find_service(api, namespace, name)
    if service is None:
        return Answer("NXDOMAIN")
    spec = service.get("spec") or {}
    if spec.get("type") == "ExternalName":
        target = str(spec.get("externalName", "")).rstrip(".") + "."
        return Answer("NOERROR", [Record(fqdn, "CNAME", target)])
    if spec.get("clusterIP") == "None":
        addresses = ready_addresses(api, service)
        if not addresses:
            return Answer("NXDOMAIN")
        if qtype in ("A", "ANY"):
            return Answer("NOERROR", [Record(fqdn, "A", a["ip"]) for a in addresses])
        if qtype == "SRV":
            return Answer("NOERROR", _headless_srv(fqdn, service, addresses, None, None))
        return Answer("NOERROR")
    if qtype in ("A", "ANY") and spec.get("clusterIP"):
        return Answer("NOERROR", [Record(fqdn, "A", spec["clusterIP"])])
    if qtype == "SRV":
        records = []
        for port in spec.get("ports") or []:
            if port.get("name"):
                records.append(Record(fqdn, "SRV", fqdn, priority=0, weight=100, port=port["port"]))
        return Answer("NOERROR", records)
    return Answer("NOERROR")


def _endpoint_name(address: dict) -> str:
    return address.get("hostname") or address["ip"].replace(".", "-")


def _endpoint_records(api, fqdn: str, namespace: str, service_name: str, host: str, qtype: str) -> Answer:
    service = _find_service(api, namespace, service_name)
    if service is None or (service.get("spec") or {}).get("clusterIP") != "None":
        return Answer("NXDOMAIN")
    matches = [a for a in ready_addresses(api, service) if _endpoint_name(a) == host]
    if not matches:
        return Answer("NXDOMAIN")
    if qtype in ("A", "ANY"):
        return Answer("NOERROR", [Record(fqdn, "A", a["ip"]) for a in matches])
    return Answer("NOERROR")


def _srv_records(api, fqdn: str, namespace: str, service_name: str, port_name: str, protocol: str,
                 qtype: str) -> Answer:
    service = _find_service(api, namespace, service_name)
    if service is None:
        return Answer("NXDOMAIN")
    ports = [p for p in (service.get("spec") or {}).get("ports") or []
             if p.get("name") == port_name and p.get("protocol", "TCP").lower() == protocol]
    if not ports:
        return Answer("NXDOMAIN")
    if qtype not in ("SRV", "ANY"):
        return Answer("NOERROR")
    target = f"{service_name}.{namespace}.svc.{ZONE}."
    if (service.get("spec") or {}).get("clusterIP") == "None":
        return Answer("NOERROR", _headless_srv(target, service, ready_addresses(api, service), port_name, protocol,
                                               owner=fqdn))
    return Answer("NOERROR", [Record(fqdn, "SRV", target, priority=0, weight=100, port=p["port"]) for p in ports])


def _headless_srv(base: str, service: Obj, addresses: list[dict], port_name: str | None, protocol: str | None,
                  owner: str | None = None) -> list[Record]:
    records = []
    weight = max(1, 100 // max(1, len(addresses)))
    for port in (service.get("spec") or {}).get("ports") or []:
        if not port.get("name") or (port_name and port["name"] != port_name):
            continue
        if protocol and port.get("protocol", "TCP").lower() != protocol:
            continue
        for address in addresses:
            target = f"{_endpoint_name(address)}.{base}"
            records.append(Record(owner or base, "SRV", target, priority=0, weight=weight, port=port["port"]))
    return records


def _pod_answer(fqdn: str, dashed: str, qtype: str) -> Answer:
    """``pods insecure``: any well-formed dashed address answers with that address."""
    try:
        address = ipaddress.IPv4Address(dashed.replace("-", "."))
    except ValueError:
        return Answer("NXDOMAIN")
    if qtype in ("A", "ANY"):
        return Answer("NOERROR", [Record(fqdn, "A", str(address))])
    return Answer("NOERROR")


def _reverse(api, fqdn: str) -> Answer:
    parts = fqdn[: -len(".in-addr.arpa.")].split(".")
    if len(parts) != 4:
        return Answer("NXDOMAIN")
    ip = ".".join(reversed(parts))
    owner = api.tx.owner_of("service-ip", ip)
    if owner is not None:
        _, namespace, name = owner.split("/", 2)
        return Answer("NOERROR", [Record(fqdn, "PTR", f"{name}.{namespace}.svc.{ZONE}.")])
    for service in api.list(kind_named("Service")):
        if (service.get("spec") or {}).get("clusterIP") != "None":
            continue
        for address in ready_addresses(api, service):
            if address["ip"] == ip:
                meta = service["metadata"]
                target = f"{_endpoint_name(address)}.{meta['name']}.{meta.get('namespace', '')}.svc.{ZONE}."
                return Answer("NOERROR", [Record(fqdn, "PTR", target)])
    return Answer("NXDOMAIN", authoritative=False)


# -- the resolver inside a pod ---------------------------------------------------------------------
@dataclass(frozen=True)
class ResolvConf:
    nameservers: tuple[str, ...]
    search: tuple[str, ...]
    ndots: int

    def render(self) -> str:
        lines = []
        if self.search:
            lines.append("search " + " ".join(self.search))
        lines += [f"nameserver {server}" for server in self.nameservers]
        lines.append(f"options ndots:{self.ndots}")
        return "\n".join(lines) + "\n"


NODE_RESOLV = ResolvConf(("192.168.49.1",), (), 1)


def resolv_conf(pod: Obj) -> ResolvConf:
    """The pod's /etc/resolv.conf as the kubelet writes it for its dnsPolicy and dnsConfig."""
    spec = pod.get("spec") or {}
    namespace = pod["metadata"].get("namespace", "default")
    policy = spec.get("dnsPolicy", "ClusterFirst")
    if spec.get("hostNetwork") and policy == "ClusterFirst":
        policy = "Default"
    if policy in ("ClusterFirst", "ClusterFirstWithHostNet"):
        base = ResolvConf((DNS_SERVICE_IP,), (f"{namespace}.svc.{ZONE}", f"svc.{ZONE}", ZONE), 5)
    elif policy == "None":
        base = ResolvConf((), (), 1)
    else:
        base = NODE_RESOLV
    config = spec.get("dnsConfig") or {}
    nameservers = tuple(dict.fromkeys([*base.nameservers, *(config.get("nameservers") or [])]))[:3]
    search = tuple(dict.fromkeys([*base.search, *(config.get("searches") or [])]))
    ndots = base.ndots
    for option in config.get("options") or []:
        if option.get("name") == "ndots" and str(option.get("value", "")).isdigit():
            ndots = int(option["value"])
    return ResolvConf(nameservers, search, ndots)


def candidates(name: str, conf: ResolvConf) -> list[str]:
    """The names a glibc/musl resolver tries, in order, for a name typed in a pod."""
    if name.endswith("."):
        return [name.rstrip(".")]
    searched = [f"{name}.{domain}" for domain in conf.search]
    if name.count(".") >= conf.ndots:
        return [name, *searched]
    return [*searched, name]


def cluster_dns_answers(api) -> bool:
    """Whether the kube-dns service has a ready endpoint (otherwise lookups time out)."""
    service = api.find(kind_named("Service"), "kube-system", "kube-dns")
    return service is not None and bool(ready_addresses(api, service))


def lookup_in_pod(api, pod: Obj, name: str, qtype: str = "A") -> tuple[str, Answer]:
    """Walk the search list; the first name with an answer wins. Raises ResolverUnavailable."""
    conf = resolv_conf(pod)
    if DNS_SERVICE_IP in conf.nameservers and not cluster_dns_answers(api):
        raise ResolverUnavailable(name)
    last = Answer("NXDOMAIN")
    for candidate in candidates(name, conf):
        answer = query(api, candidate, qtype)
        if answer.rcode == "NOERROR" and answer.records:
            return candidate, answer
        last = answer
    return name, last


def resolve_in_pod(api, pod: Obj, name: str, note=None) -> list[str]:
    """IPv4 addresses for a name, following CNAMEs inside the cluster zone.

    ``note`` (``Network.note``, when ``kubesim trace`` records) hears which search-list name answered."""
    from kubesim.net.network import ConnectionTimeout, HostNotFound

    try:
        matched, answer = lookup_in_pod(api, pod, name)
    except ResolverUnavailable:
        if note:
            note("dns", f"{name}: cluster DNS (kube-dns) has no ready endpoint: the lookup times out", name=name)
        raise ConnectionTimeout(f"resolving {name}") from None
    chain = [matched]
    for _ in range(8):
        addresses = [r.data for r in answer.records if r.type == "A"]
        if addresses:
            if note:
                from kubesim.net.hops import dns_answered

                dns_answered(note, name, chain, addresses, candidates(name, resolv_conf(pod)))
            return addresses
        cname = next((r.data for r in answer.records if r.type == "CNAME"), None)
        if cname is None:
            break
        chain.append(cname.rstrip("."))
        answer = query(api, cname)
    if note:
        tried = candidates(name, resolv_conf(pod))
        note("dns", f"{name}: no such name (NXDOMAIN); tried {', '.join(tried)}", name=name, tried=tried,
             cnames=chain[1:])
    raise HostNotFound(name)
