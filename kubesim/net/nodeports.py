"""Connections to a node's own address: the API server on the control-plane node's 8443.

NodePort routing (a node's IP and a service's node port) belongs here too and comes with the
NodePort work; until then a node answers only on the API server port.
"""

from __future__ import annotations

from kubesim.net.network import ConnectionRefused, Destination

API_SERVER_PORT = 8443


def connect_to_node(network, node: dict, ip: str, port: int, protocol: str) -> Destination:
    if port == API_SERVER_PORT and protocol == "TCP":
        return Destination(ip=ip, port=port, node_address=ip)
    raise ConnectionRefused(f"{ip}:{port}")
