"""Name lookups as the in-pod DNS tools see them: the pod's resolv.conf and hosts file, then
CoreDNS through ``kubesim.net.dns`` (authoritative for cluster.local, no recursion)."""

from __future__ import annotations

from kubesim.net import dns
from kubesim.net.network import is_ip
from kubesim.runtime.process import Process


def conf(proc: Process) -> dns.ResolvConf:
    return dns.resolv_conf(proc.pod)


def nameserver(proc: Process) -> str:
    servers = conf(proc).nameservers
    return servers[0] if servers else dns.DNS_SERVICE_IP


def dns_down(proc: Process) -> bool:
    """Cluster DNS without a ready endpoint: queries time out."""
    return dns.DNS_SERVICE_IP in conf(proc).nameservers and not dns.cluster_dns_answers(proc.api)


def query(proc: Process, name: str, qtype: str = "A") -> dns.Answer:
    return dns.query(proc.api, name, qtype)


def candidates(proc: Process, name: str) -> list[str]:
    return dns.candidates(name, conf(proc))


def reverse_name(ip: str) -> str:
    return ".".join(reversed(ip.split("."))) + ".in-addr.arpa"


def hosts_entries(proc: Process) -> list[tuple[str, list[str]]]:
    """(address, names) from the container's /etc/hosts."""
    try:
        text = proc.fs.read("/etc/hosts").decode("utf-8", "replace")
    except OSError:
        return []
    entries = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        fields = line.split()
        if len(fields) >= 2:
            entries.append((fields[0], fields[1:]))
    return entries


def from_hosts(proc: Process, name: str, family: int = 4) -> tuple[str, list[str]] | None:
    for address, names in hosts_entries(proc):
        if name in names and (":" in address) == (family == 6):
            return address, names
    return None


def resolve(proc: Process, name: str) -> tuple[str, list[str]]:
    """(canonical name, IPv4 addresses) the way getaddrinfo finds them; [] when nothing does.
    Raises ``dns.ResolverUnavailable`` when cluster DNS does not answer."""
    if is_ip(name):
        return name, [name]
    hosted = from_hosts(proc, name)
    if hosted is not None:
        return hosted[1][0], [hosted[0]]
    if dns_down(proc):
        raise dns.ResolverUnavailable(name)
    for candidate in candidates(proc, name):
        answer = query(proc, candidate)
        if answer.rcode != "NOERROR" or not answer.records:
            continue
        canonical = candidate
        for _ in range(8):
            addresses = [r.data for r in answer.records if r.type == "A"]
            if addresses:
                return canonical, addresses
            target = next((r.data for r in answer.records if r.type == "CNAME"), None)
            if target is None:
                break
            canonical = target.rstrip(".")
            answer = query(proc, target)
        return canonical, []
    return name, []
