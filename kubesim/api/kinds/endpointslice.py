"""EndpointSlices (discovery.k8s.io/v1): address type, endpoints and ports, and the ``get`` columns."""

from __future__ import annotations

from datetime import datetime

from kubesim.api import validation as v
from kubesim.api.duration import age
from kubesim.api.errors import FieldError, invalid, not_supported, required
from kubesim.api.registry import Column, Kind, Obj, register

TYPE_CHECKING = False  # typing costs a few ms per command; annotations alone need it
if TYPE_CHECKING:
    from typing import Any

ADDRESS_TYPES = ("FQDN", "IPv4", "IPv6")
MAX_SHOWN = 3


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def default_endpointslice(obj: Obj) -> None:
    """SetDefaults_EndpointPort (discovery/v1): an unnamed port is named "" and speaks TCP."""
    for port in _dicts(obj.get("ports")):
        if port.get("name") is None:
            port["name"] = ""
        if port.get("protocol") is None:
            port["protocol"] = "TCP"


def _fqdn_errors(address: str, path: str) -> list[FieldError]:
    """IsFullyQualifiedDomainName: a subdomain of at least two labels, trailing dot allowed."""
    if not address:
        return [required(path)]
    name = address[:-1] if address.endswith(".") else address
    messages = v.is_dns1123_subdomain(name)
    if messages:
        return [invalid(path, name, ",".join(messages))]
    if len(name.split(".")) < 2:
        return [invalid(path, name, "should be a domain with at least two segments separated by dots")]
    for label in name.split("."):
        messages = v.is_dns1123_label(label)
        if messages:
            return [invalid(path, label, ",".join(messages))]
    return []


def _address_errors(address: Any, address_type: str, path: str) -> list[FieldError]:
    if address_type in ("IPv4", "IPv6"):
        parsed = v.parse_ip_sloppy(address)
        if parsed is None or parsed.version != int(address_type[-1]):
            return [invalid(path, address, f"must be a valid {address_type} address")]
        return v.validate_non_special_ip(address, path)
    if address_type == "FQDN":
        return _fqdn_errors(str(address), path)
    return []


def validate_endpointslice(obj: Obj, old: Obj | None) -> list[FieldError]:
    errs: list[FieldError] = []
    address_type = obj.get("addressType") or ""
    if not address_type:
        errs.append(required("addressType"))
    elif address_type not in ADDRESS_TYPES:
        errs.append(not_supported("addressType", address_type, ADDRESS_TYPES))
    for i, endpoint in enumerate(_dicts(obj.get("endpoints"))):
        path = f"endpoints[{i}]"
        addresses = endpoint.get("addresses") if isinstance(endpoint.get("addresses"), list) else []
        if not addresses:
            errs.append(required(f"{path}.addresses", "must contain at least 1 address"))
        for j, address in enumerate(addresses):
            errs += _address_errors(address, address_type, f"{path}.addresses[{j}]")
        if endpoint.get("nodeName") is not None:
            errs += [invalid(f"{path}.nodeName", endpoint["nodeName"], m)
                     for m in v.is_dns1123_subdomain(str(endpoint["nodeName"]))]
        errs += v.validate_labels(endpoint.get("deprecatedTopology"), f"{path}.deprecatedTopology")
        if endpoint.get("hostname") is not None:
            errs += v.validate_dns1123_label(str(endpoint["hostname"]), f"{path}.hostname")
    names: set[str] = set()
    for i, port in enumerate(_dicts(obj.get("ports"))):
        path = f"ports[{i}]"
        name = port.get("name") or ""
        if name:
            errs += v.validate_dns1123_label(str(name), f"{path}.name")
        errs += v.check_duplicate(names, name, f"{path}.name")
        protocol = port.get("protocol")
        if protocol is None:
            errs.append(required(f"{path}.protocol"))
        elif protocol not in v.PORT_PROTOCOLS:
            errs.append(not_supported(f"{path}.protocol", protocol, v.PORT_PROTOCOLS))
        if port.get("appProtocol") is not None:
            errs += v.validate_qualified_name(str(port["appProtocol"]), f"{path}.appProtocol")
    if old is not None:
        errs += v.validate_immutable(obj.get("addressType"), old.get("addressType"), "addressType")
    return errs


def _more(shown: list[str], more: bool, count: int) -> str:
    text = ",".join(shown)
    if more:
        return f"{text} + {count - MAX_SHOWN} more..."
    return text or "<unset>"


def format_ports(obj: Obj, now: datetime | None = None) -> str:
    """Port numbers (name when unnumbered, ``*`` when neither), three at most."""
    shown: list[str] = []
    more = False
    ports = _dicts(obj.get("ports"))
    for port in ports:
        if len(shown) < MAX_SHOWN:
            if port.get("port") is not None:
                shown.append(str(port["port"]))
            elif port.get("name") is not None:
                shown.append(str(port["name"]))
            else:
                shown.append("*")
        else:
            more = True
    return _more(shown, more, len(ports))


def format_endpoints(obj: Obj, now: datetime | None = None) -> str:
    """Every endpoint's addresses, ready or not, three at most."""
    shown: list[str] = []
    more = False
    count = 0
    for endpoint in _dicts(obj.get("endpoints")):
        for address in endpoint.get("addresses") or []:
            if len(shown) < MAX_SHOWN:
                shown.append(str(address))
            else:
                more = True
            count += 1
    return _more(shown, more, count)


COLUMNS = (
    Column("Name", lambda o, now: str((o.get("metadata") or {}).get("name", ""))),
    Column("AddressType", lambda o, now: str(o.get("addressType") or "")),
    Column("Ports", format_ports),
    Column("Endpoints", format_endpoints),
    Column("Age", age),
)

ENDPOINT_SLICE = register(Kind(
    kind="EndpointSlice", group="discovery.k8s.io", version="v1", plural="endpointslices",
    singular="endpointslice", columns=COLUMNS, name_rule="dns1123-subdomain", tracks_generation=True,
    default=default_endpointslice, validate=validate_endpointslice,
))
