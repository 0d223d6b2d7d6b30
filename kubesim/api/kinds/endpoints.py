"""Endpoints (core/v1): the legacy per-service address list, and its ``get ep`` column."""

from __future__ import annotations

from datetime import datetime

from kubesim.api import validation as v
from kubesim.api.duration import age
from kubesim.api.errors import FieldError, invalid, required
from kubesim.api.registry import Column, Kind, Obj, register

TYPE_CHECKING = False  # typing costs a few ms per command; annotations alone need it
if TYPE_CHECKING:
    from typing import Any

MAX_SHOWN = 3


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def default_endpoints(obj: Obj) -> None:
    """SetDefaults_EndpointPort: a port without a protocol is TCP."""
    for subset in _dicts(obj.get("subsets")):
        for port in _dicts(subset.get("ports")):
            if not port.get("protocol"):
                port["protocol"] = "TCP"


def _validate_address(address: dict[str, Any], path: str) -> list[FieldError]:
    ip = address.get("ip", "")
    errs = v.validate_ip(ip, f"{path}.ip")
    if address.get("hostname"):
        errs += v.validate_dns1123_label(str(address["hostname"]), f"{path}.hostname")
    if address.get("nodeName") is not None:
        errs += [invalid(f"{path}.nodeName", address["nodeName"], m)
                 for m in v.is_dns1123_subdomain(str(address["nodeName"]))]
    return errs + v.validate_non_special_ip(ip, f"{path}.ip")


def _validate_port(port: dict[str, Any], require_name: bool, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    name = port.get("name") or ""
    if require_name and not name:
        errs.append(required(f"{path}.name"))
    elif name:
        errs += v.validate_dns1123_label(str(name), f"{path}.name")
    number = port.get("port") if isinstance(port.get("port"), int) else 0
    errs += [invalid(f"{path}.port", number, m) for m in v.is_valid_port_num(number)]
    errs += v.validate_protocol(port.get("protocol"), f"{path}.protocol")
    if port.get("appProtocol") is not None:
        errs += v.validate_qualified_name(str(port["appProtocol"]), f"{path}.appProtocol")
    return errs


def validate_endpoints(obj: Obj, old: Obj | None) -> list[FieldError]:
    """validateEndpointSubsets: addresses present and usable, ports named when there are several."""
    errs: list[FieldError] = []
    for i, subset in enumerate(_dicts(obj.get("subsets"))):
        path = f"subsets[{i}]"
        addresses = _dicts(subset.get("addresses"))
        not_ready = _dicts(subset.get("notReadyAddresses"))
        if not addresses and not not_ready:
            errs.append(required(path, "must specify `addresses` or `notReadyAddresses`"))
        for j, address in enumerate(addresses):
            errs += _validate_address(address, f"{path}.addresses[{j}]")
        for j, address in enumerate(not_ready):
            errs += _validate_address(address, f"{path}.notReadyAddresses[{j}]")
        ports = _dicts(subset.get("ports"))
        for j, port in enumerate(ports):
            errs += _validate_port(port, len(ports) > 1, f"{path}.ports[{j}]")
    return errs


def _host_port(ip: str, port: Any) -> str:
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def format_endpoints(obj: Obj, now: datetime | None = None) -> str:
    """Ready ``ip:port`` pairs, the first three, then `` + N more...``; ``<none>`` without subsets."""
    subsets = _dicts(obj.get("subsets"))
    if not subsets:
        return "<none>"
    shown: list[str] = []
    count = 0
    more = False
    for subset in subsets:
        addresses = [str(a.get("ip", "")) for a in _dicts(subset.get("addresses"))]
        ports = _dicts(subset.get("ports"))
        if not ports:
            count += len(addresses)
            for ip in addresses:
                if len(shown) == MAX_SHOWN:
                    more = True
                    break
                shown.append(ip)
            continue
        for port in ports:
            count += len(addresses)
            for ip in addresses:
                if len(shown) == MAX_SHOWN:
                    more = True
                    break
                shown.append(_host_port(ip, port.get("port", 0)))
    text = ",".join(shown)
    return f"{text} + {count - MAX_SHOWN} more..." if more else text


COLUMNS = (
    Column("Name", lambda o, now: str((o.get("metadata") or {}).get("name", ""))),
    Column("Endpoints", format_endpoints),
    Column("Age", age),
)

ENDPOINTS = register(Kind(
    kind="Endpoints", version="v1", plural="endpoints", singular="endpoints", short_names=("ep",),
    columns=COLUMNS, name_rule="dns1123-subdomain", default=default_endpoints, validate=validate_endpoints,
))
