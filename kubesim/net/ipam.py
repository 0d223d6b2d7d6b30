"""Address and port allocation as the API server does it: static and dynamic bands, random start.

Allocations live in the store's ``allocations`` table (unique per pool), so two processes can never
hand out the same cluster IP or node port.
"""

from __future__ import annotations

import ipaddress
import random

from kubesim.store.db import Transaction

SERVICE_CIDR = ipaddress.ip_network("10.96.0.0/12")
POD_CIDR = ipaddress.ip_network("10.244.0.0/16")
NODE_PORT_BASE = 30000
NODE_PORT_SIZE = 2768
CLUSTER_IP_POOL = "service-ip"
NODE_PORT_POOL = "node-port"


class RangeFull(Exception):
    """No free value is left in the range."""


class NotInRange(Exception):
    """A requested value lies outside the range."""


class AlreadyAllocated(Exception):
    """A requested value is held already."""


def _band_offset(size: int, divisor: int, low: int, high: int) -> int:
    if size <= low:
        return 0
    return min(max(low, size // divisor), high)


def _scan(tx: Transaction, pool: str, candidates_start: int, count: int, render, rng: random.Random,
          owner: str) -> str | None:
    if count <= 0:
        return None
    start = rng.randrange(count)
    for step in range(count):
        value = render(candidates_start + (start + step) % count)
        if tx.allocate(pool, value, owner):
            return value
    return None


def allocate_cluster_ip(tx: Transaction, rng: random.Random, owner: str) -> str:
    """A free service IP: the dynamic (upper) band first, then the static band."""
    network = int(SERVICE_CIDR.network_address)
    size = SERVICE_CIDR.num_addresses
    offset = _band_offset(size, 16, 16, 256)
    usable_last = size - 2  # network and broadcast are never handed out

    def render(index: int) -> str:
        return str(ipaddress.IPv4Address(network + index))

    dynamic_first = offset + 1
    value = _scan(tx, CLUSTER_IP_POOL, dynamic_first, usable_last - dynamic_first + 1, render, rng, owner)
    if value is None:
        value = _scan(tx, CLUSTER_IP_POOL, 1, offset, render, rng, owner)
    if value is None:
        raise RangeFull("range is full")
    return value


def claim_cluster_ip(tx: Transaction, ip: str, owner: str) -> None:
    """Claim a requested cluster IP, with the API server's reasons for refusing it."""
    address = ipaddress.ip_address(ip)
    if address not in SERVICE_CIDR:
        raise NotInRange("the provided network does not match the current range")
    if address in (SERVICE_CIDR.network_address, SERVICE_CIDR.broadcast_address):
        raise NotInRange(f"the provided IP ({ip}) is not in the valid range. The range of valid IPs is {SERVICE_CIDR}")
    if not tx.allocate(CLUSTER_IP_POOL, ip, owner):
        raise AlreadyAllocated("provided IP is already allocated")


def allocate_node_port(tx: Transaction, rng: random.Random, owner: str) -> int:
    offset = _band_offset(NODE_PORT_SIZE, 32, 16, 128)
    value = _scan(tx, NODE_PORT_POOL, NODE_PORT_BASE + offset, NODE_PORT_SIZE - offset, str, rng, owner)
    if value is None:
        value = _scan(tx, NODE_PORT_POOL, NODE_PORT_BASE, offset, str, rng, owner)
    if value is None:
        raise RangeFull("range is full")
    return int(value)


def claim_node_port(tx: Transaction, port: int, owner: str) -> None:
    if not NODE_PORT_BASE <= port < NODE_PORT_BASE + NODE_PORT_SIZE:
        last = NODE_PORT_BASE + NODE_PORT_SIZE - 1
        raise NotInRange(f"provided port is not in the valid range. The range of valid ports is {NODE_PORT_BASE}-{last}")
    if not tx.allocate(NODE_PORT_POOL, str(port), owner):
        raise AlreadyAllocated("provided port is already allocated")


def release_cluster_ip(tx: Transaction, ip: str) -> None:
    tx.release(CLUSTER_IP_POOL, ip)


def release_node_port(tx: Transaction, port: int) -> None:
    tx.release(NODE_PORT_POOL, str(port))
