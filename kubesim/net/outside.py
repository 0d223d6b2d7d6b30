"""The world outside the cluster. kubesim has no internet: a packet to an outside address is lost,
so clients time out as they would behind a firewall that drops egress traffic."""

from __future__ import annotations

from kubesim.net.network import ConnectionTimeout, Destination


def connect(network, ip: str, port: int, protocol: str) -> Destination:
    raise ConnectionTimeout(f"{ip}:{port}")
