"""The world outside the cluster: the hosts a user has declared, kept in the cluster's state.

An address that is neither a pod's, a service's, a node's nor a load balancer's is "the internet".
Nothing answers there unless the user declared a host (``kubesim world add``): a name and/or an IP,
the TCP port it listens on and the HTTP answer it gives. A name without an IP gets one from
198.18.0.0/15 (the range set aside for network tests, so it never collides with a real one), and
the public DNS that CoreDNS forwards to answers it with an A record.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import asdict, dataclass

WORLD_KEY = "world"
NAMED_HOSTS_RANGE = ipaddress.ip_network("198.18.0.0/15")
DEFAULT_PORT = 80


@dataclass
class Host:
    name: str  # a DNS name, or "" for an address-only host
    ip: str
    port: int = DEFAULT_PORT
    status: int = 200
    body: str = ""

    @property
    def label(self) -> str:
        return self.name or self.ip


def hosts(tx) -> list[Host]:
    raw = tx.meta(WORLD_KEY)
    if not raw:
        return []
    return [Host(**entry) for entry in json.loads(raw)]


def save(tx, found: list[Host]) -> None:
    tx.set_meta(WORLD_KEY, json.dumps([asdict(h) for h in found], separators=(",", ":")))


def by_ip(tx, ip: str) -> Host | None:
    return next((h for h in hosts(tx) if h.ip == ip), None)


def by_name(tx, name: str) -> Host | None:
    wanted = name.lower().rstrip(".")
    return next((h for h in hosts(tx) if h.name and h.name == wanted), None)


def free_named_ip(found: list[Host]) -> str:
    taken = {h.ip for h in found}
    for address in NAMED_HOSTS_RANGE.hosts():
        if str(address) not in taken:
            return str(address)
    raise ValueError("no address left in 198.18.0.0/15")


def default_body(host: Host) -> str:
    return f"{host.label} answered\n"
