"""Services (core/v1): defaulting, validation (create and update) and the ``get svc`` columns.

Allocation of cluster IPs and node ports is the server layer's (``service_allocation``); this
module only normalises what the user sent, as SetDefaults_Service and the strategy do, and checks it.
The cluster is single-stack IPv4, so dual-stack requests are refused the way such a cluster does.
"""

from __future__ import annotations

from datetime import datetime

from kubesim.api import validation as v
from kubesim.api.duration import age
from kubesim.api.errors import FieldError, forbidden, invalid, not_supported, required
from kubesim.api.registry import Column, Kind, Obj, register

TYPE_CHECKING = False  # typing costs a few ms per command; annotations alone need it
if TYPE_CHECKING:
    from typing import Any

SERVICE_TYPES = ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort")
AFFINITIES = ("ClientIP", "None")
TRAFFIC_POLICIES = ("Cluster", "Local")
TRAFFIC_DISTRIBUTIONS = ("PreferClose", "PreferSameZone", "PreferSameNode")
IP_FAMILY_POLICIES = ("PreferDualStack", "RequireDualStack", "SingleStack")
IP_FAMILIES = ("IPv4", "IPv6")
DEFAULT_AFFINITY_TIMEOUT = 10800
MAX_AFFINITY_TIMEOUT = 86400
LB_WIDTH = 16
SOURCE_RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges"
TOPOLOGY_MODE_ANNOTATION = "service.kubernetes.io/topology-mode"
TOPOLOGY_HINTS_ANNOTATION = "service.kubernetes.io/topology-aware-hints"


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _spec(obj: Obj) -> dict[str, Any]:
    spec = obj.get("spec")
    return spec if isinstance(spec, dict) else {}


def externally_accessible(spec: dict[str, Any]) -> bool:
    """NodePort and LoadBalancer services, and ClusterIP services with external IPs."""
    kind = spec.get("type")
    return kind in ("LoadBalancer", "NodePort") or (kind == "ClusterIP" and bool(spec.get("externalIPs")))


def needs_health_check(spec: dict[str, Any]) -> bool:
    return spec.get("type") == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local"


def is_headless(spec: dict[str, Any]) -> bool:
    return spec.get("clusterIPs") == ["None"]


# -- defaulting ------------------------------------------------------------------------------------


def default_service(obj: Obj) -> None:
    """SetDefaults_Service plus the strategy's clusterIP/clusterIPs and IP-family normalisation."""
    spec = obj.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    if not spec.get("type"):
        spec["type"] = "ClusterIP"
    if not spec.get("sessionAffinity"):
        spec["sessionAffinity"] = "None"
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    elif spec["sessionAffinity"] == "ClientIP":
        config = spec.get("sessionAffinityConfig")
        if not isinstance(config, dict):
            config = spec["sessionAffinityConfig"] = {}
        client_ip = config.get("clientIP")
        if not isinstance(client_ip, dict):
            client_ip = config["clientIP"] = {}
        if client_ip.get("timeoutSeconds") is None:
            client_ip["timeoutSeconds"] = DEFAULT_AFFINITY_TIMEOUT
    for port in _dicts(spec.get("ports")):
        if not port.get("protocol"):
            port["protocol"] = "TCP"
        if port.get("targetPort") in (None, 0, ""):
            port["targetPort"] = port.get("port")
    if externally_accessible(spec) and not spec.get("externalTrafficPolicy"):
        spec["externalTrafficPolicy"] = "Cluster"
    if spec["type"] != "ExternalName" and spec.get("internalTrafficPolicy") is None:
        spec["internalTrafficPolicy"] = "Cluster"
    if spec["type"] == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        spec["allocateLoadBalancerNodePorts"] = True
    if spec.get("clusterIP") and not spec.get("clusterIPs"):
        spec["clusterIPs"] = [spec["clusterIP"]]
    elif spec.get("clusterIPs") and not spec.get("clusterIP") and isinstance(spec["clusterIPs"], list):
        spec["clusterIP"] = spec["clusterIPs"][0]
    if spec["type"] != "ExternalName":
        _default_ip_families(spec)
    status = obj.setdefault("status", {})
    if isinstance(status, dict):
        balancer = status.setdefault("loadBalancer", {})
        for ingress in _dicts(balancer.get("ingress") if isinstance(balancer, dict) else None):
            if ingress.get("ip") and not ingress.get("ipMode"):
                ingress["ipMode"] = "VIP"


def _default_ip_families(spec: dict[str, Any]) -> None:
    """Single-stack IPv4 cluster: SingleStack/[IPv4], except headless selectorless → RequireDualStack."""
    headless_selectorless = is_headless(spec) and not spec.get("selector")
    if spec.get("ipFamilyPolicy") is None:
        spec["ipFamilyPolicy"] = "RequireDualStack" if headless_selectorless else "SingleStack"
    if not spec.get("ipFamilies"):
        families = []
        for ip in spec.get("clusterIPs") or []:
            if ip not in ("None", "") and v.parse_ip_sloppy(ip) is not None:
                families.append("IPv6" if v.is_ipv6(ip) else "IPv4")
        spec["ipFamilies"] = families or ["IPv4"]
    if headless_selectorless and spec["ipFamilyPolicy"] in ("RequireDualStack", "PreferDualStack") \
            and isinstance(spec["ipFamilies"], list) and len(spec["ipFamilies"]) == 1:
        spec["ipFamilies"].append("IPv6" if spec["ipFamilies"][0] == "IPv4" else "IPv4")


# -- validation ------------------------------------------------------------------------------------


def _validate_port(port: dict[str, Any], require_name: bool, names: set[str], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    name = port.get("name") or ""
    if require_name and not name:
        errs.append(required(f"{path}.name"))
    elif name:
        errs += v.validate_dns1123_label(str(name), f"{path}.name")
        errs += v.check_duplicate(names, name, f"{path}.name")
    number = port.get("port") if isinstance(port.get("port"), int) else 0
    errs += [invalid(f"{path}.port", number, m) for m in v.is_valid_port_num(number)]
    errs += v.validate_protocol(port.get("protocol"), f"{path}.protocol")
    errs += v.validate_port_num_or_name(port.get("targetPort"), f"{path}.targetPort")
    if port.get("appProtocol") is not None:
        errs += v.validate_qualified_name(str(port["appProtocol"]), f"{path}.appProtocol")
    return errs


def _validate_cluster_ips(spec: dict[str, Any]) -> list[FieldError]:
    """ValidateServiceClusterIPsRelatedFields, then what a single-stack IPv4 cluster refuses."""
    if spec.get("type") == "ExternalName":
        return []
    errs: list[FieldError] = []
    cluster_ip = spec.get("clusterIP") or ""
    cluster_ips = spec.get("clusterIPs") if isinstance(spec.get("clusterIPs"), list) else []
    if cluster_ip:
        if not cluster_ips:
            errs.append(required("spec.clusterIPs"))
        elif cluster_ips[0] != cluster_ip:
            errs.append(invalid("spec.clusterIPs", cluster_ips, "first value must match `clusterIP`"))
    elif cluster_ips:
        errs.append(invalid("spec.clusterIPs", cluster_ips, "must be empty when `clusterIP` is not specified"))
    families = spec.get("ipFamilies") if isinstance(spec.get("ipFamilies"), list) else []
    seen: set[str] = set()
    for i, family in enumerate(families):
        if family not in IP_FAMILIES:
            errs.append(not_supported(f"spec.ipFamilies[{i}]", family, IP_FAMILIES))
        errs += v.check_duplicate(seen, family, f"spec.ipFamilies[{i}]")
    policy = spec.get("ipFamilyPolicy")
    if policy is not None and policy not in IP_FAMILY_POLICIES:
        errs.append(not_supported("spec.ipFamilyPolicy", policy, IP_FAMILY_POLICIES))
    bad_ips = False
    for i, ip in enumerate(cluster_ips):
        if i == 0 and ip == "None":
            if len(cluster_ips) > 1:
                bad_ips = True
                errs.append(invalid("spec.clusterIPs", cluster_ips, "'None' must be the first and only value"))
            continue
        ip_errs = v.validate_ip(ip, f"spec.clusterIPs[{i}]")
        bad_ips = bad_ips or bool(ip_errs)
        errs += ip_errs
    if len(cluster_ips) > 2:
        errs.append(invalid("spec.clusterIPs", cluster_ips, "may only hold up to 2 values"))
    if bad_ips:
        return errs
    if len(cluster_ips) > 1 and len({v.is_ipv6(ip) for ip in cluster_ips}) != len(cluster_ips):
        errs.append(invalid("spec.clusterIPs", cluster_ips, "may specify no more than one IP for each IP family"))
    if not is_headless(spec):
        for i, ip in enumerate(cluster_ips[:len(families)]):
            if families[i] == "IPv4" and v.is_ipv6(ip):
                errs.append(invalid(f"spec.clusterIPs[{i}]", ip,
                                    f"expected an IPv4 value as indicated by `ipFamilies[{i}]`"))
            if families[i] == "IPv6" and not v.is_ipv6(ip):
                errs.append(invalid(f"spec.clusterIPs[{i}]", ip,
                                    f"expected an IPv6 value as indicated by `ipFamilies[{i}]`"))
    headless_selectorless = is_headless(spec) and not spec.get("selector")
    if policy == "RequireDualStack" and not headless_selectorless:
        errs.append(invalid("spec.ipFamilyPolicy", policy, "this cluster is not configured for dual-stack services"))
    if not headless_selectorless:
        for i, family in enumerate(families):
            if family == "IPv6":
                errs.append(invalid(f"spec.ipFamilies[{i}]", family, "not configured on this cluster"))
    return errs


def _port_key(port: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """The internal core.ServicePort the duplicate check keys on, as it renders (Go field names)."""
    key = {"Name": "", "Protocol": port.get("protocol", ""), "AppProtocol": None, "Port": 0, "TargetPort": 0,
           "NodePort": 0}
    key.update(fields)
    return key


def validate_service_spec(obj: Obj) -> list[FieldError]:
    """ValidateService after the metadata: the checks in the API server's order."""
    spec = _spec(obj)
    errs: list[FieldError] = []
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    if TOPOLOGY_MODE_ANNOTATION in annotations and TOPOLOGY_HINTS_ANNOTATION in annotations \
            and annotations[TOPOLOGY_MODE_ANNOTATION] != annotations[TOPOLOGY_HINTS_ANNOTATION]:
        errs.append(invalid(f"metadata.annotations[{TOPOLOGY_MODE_ANNOTATION}]", annotations[TOPOLOGY_MODE_ANNOTATION],
                            f"must match annotations[{TOPOLOGY_HINTS_ANNOTATION}] when both are specified"))
    kind = spec.get("type") or ""
    ports = _dicts(spec.get("ports"))
    if not ports and not is_headless(spec) and kind != "ExternalName":
        errs.append(required("spec.ports"))
    if kind in ("LoadBalancer", "NodePort") and is_headless(spec):
        errs.append(invalid("spec.clusterIPs[0]", "None", f"may not be set to 'None' for {kind} services"))
    elif kind == "ExternalName":
        if spec.get("clusterIPs"):
            errs.append(forbidden("spec.clusterIPs", "may not be set for ExternalName services"))
        if spec.get("ipFamilies"):
            errs.append(forbidden("spec.ipFamilies", "may not be set for ExternalName services"))
        if spec.get("ipFamilyPolicy") is not None:
            errs.append(forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"))
        cname = str(spec.get("externalName") or "")
        cname = cname[:-1] if cname.endswith(".") else cname
        if cname:
            errs += v.validate_dns1123_subdomain(cname, "spec.externalName")
        else:
            errs.append(required("spec.externalName"))
    names: set[str] = set()
    for i, port in enumerate(ports):
        errs += _validate_port(port, len(ports) > 1, names, f"spec.ports[{i}]")
    if spec.get("selector") is not None:
        errs += v.validate_labels(spec["selector"], "spec.selector")
    affinity = spec.get("sessionAffinity") or ""
    if not affinity:
        errs.append(required("spec.sessionAffinity"))
    elif affinity not in AFFINITIES:
        errs.append(not_supported("spec.sessionAffinity", affinity, AFFINITIES))
    if affinity == "ClientIP":
        errs += _validate_client_ip_config(spec.get("sessionAffinityConfig"))
    elif affinity == "None" and spec.get("sessionAffinityConfig") is not None:
        errs.append(forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None"))
    errs += _validate_cluster_ips(spec)
    for i, ip in enumerate(spec.get("externalIPs") or []):
        ip_errs = v.validate_ip(ip, f"spec.externalIPs[{i}]")
        errs += ip_errs or v.validate_non_special_ip(ip, f"spec.externalIPs[{i}]")
    if not kind:
        errs.append(required("spec.type"))
    elif kind not in SERVICE_TYPES:
        errs.append(not_supported("spec.type", kind, SERVICE_TYPES))
    if kind == "ClusterIP":
        for i, port in enumerate(ports):
            if port.get("nodePort"):
                errs.append(forbidden(f"spec.ports[{i}].nodePort", "may not be used when `type` is 'ClusterIP'"))
    node_ports: set[tuple[Any, Any]] = set()
    for i, port in enumerate(ports):
        if not port.get("nodePort"):
            continue
        key = (port.get("protocol"), port["nodePort"])
        if key in node_ports:
            errs.append(FieldError("Duplicate", f"spec.ports[{i}].nodePort", port["nodePort"]))
        node_ports.add(key)
    port_keys: set[tuple[Any, Any]] = set()
    for i, port in enumerate(ports):
        key = (port.get("protocol"), port.get("port"))
        if key in port_keys:
            errs.append(v.StructFieldError("Duplicate", f"spec.ports[{i}]", _port_key(port, Port=port.get("port"))))
        port_keys.add(key)
    errs += _validate_source_ranges(obj, spec)
    if spec.get("allocateLoadBalancerNodePorts") is not None and kind != "LoadBalancer":
        errs.append(forbidden("spec.allocateLoadBalancerNodePorts", "may only be used when `type` is 'LoadBalancer'"))
    if kind == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        errs.append(required("allocateLoadBalancerNodePorts"))
    errs += _validate_lb_class(spec, None)
    errs += _validate_traffic_policies(spec)
    return errs


def _validate_client_ip_config(config: Any) -> list[FieldError]:
    path = "spec.sessionAffinityConfig"
    detail = "when session affinity type is ClientIP"
    if not isinstance(config, dict):
        return [required(path, detail)]
    if not isinstance(config.get("clientIP"), dict):
        return [required(f"{path}.clientIP", detail)]
    timeout = config["clientIP"].get("timeoutSeconds")
    if timeout is None:
        return [required(f"{path}.clientIP.timeoutSeconds", detail)]
    if not isinstance(timeout, int) or timeout <= 0 or timeout > MAX_AFFINITY_TIMEOUT:
        return [invalid(f"{path}.clientIP.timeoutSeconds", timeout,
                        f"must be greater than 0 and less than {MAX_AFFINITY_TIMEOUT}")]
    return []


def _validate_source_ranges(obj: Obj, spec: dict[str, Any]) -> list[FieldError]:
    errs: list[FieldError] = []
    ranges = spec.get("loadBalancerSourceRanges")
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    if ranges:
        path = "spec.LoadBalancerSourceRanges"
        if spec.get("type") != "LoadBalancer":
            errs.append(forbidden(path, "may only be used when `type` is 'LoadBalancer'"))
        for i, value in enumerate(ranges):
            errs += v.validate_cidr(str(value).strip(), f"{path}[{i}]")
    elif SOURCE_RANGES_ANNOTATION in annotations:
        path = f"metadata.annotations[{SOURCE_RANGES_ANNOTATION}]"
        if spec.get("type") != "LoadBalancer":
            errs.append(forbidden(path, "may only be used when `type` is 'LoadBalancer'"))
        value = str(annotations[SOURCE_RANGES_ANNOTATION]).strip()
        if value:
            for cidr in value.split(","):
                errs += v.validate_cidr(cidr.strip(), path)
    return errs


def _validate_lb_class(spec: dict[str, Any], old: dict[str, Any] | None) -> list[FieldError]:
    errs: list[FieldError] = []
    cls = spec.get("loadBalancerClass")
    if old is not None:
        if old.get("type") == "LoadBalancer" and spec.get("type") == "LoadBalancer" \
                and old.get("loadBalancerClass") != cls:
            errs.append(invalid("spec.loadBalancerClass", cls, "may not change once set"))
        return errs
    if spec.get("type") == "LoadBalancer":
        if cls is not None:
            errs += v.validate_qualified_name(str(cls), "spec.loadBalancerClass")
    elif cls is not None:
        errs.append(forbidden("spec.loadBalancerClass", "may only be used when `type` is 'LoadBalancer'"))
    return errs


def _validate_traffic_policies(spec: dict[str, Any]) -> list[FieldError]:
    errs: list[FieldError] = []
    policy = spec.get("externalTrafficPolicy") or ""
    if not externally_accessible(spec):
        if policy:
            errs.append(invalid("spec.externalTrafficPolicy", policy,
                                "may only be set for externally-accessible services"))
    elif not policy:
        errs.append(required("spec.externalTrafficPolicy"))
    elif policy not in TRAFFIC_POLICIES:
        errs.append(not_supported("spec.externalTrafficPolicy", policy, TRAFFIC_POLICIES))
    health = spec.get("healthCheckNodePort") or 0
    if not needs_health_check(spec):
        if health:
            errs.append(invalid("spec.healthCheckNodePort", health,
                                "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"))
    elif health:
        errs += [invalid("spec.healthCheckNodePort", health, m) for m in v.is_valid_port_num(health)]
    internal = spec.get("internalTrafficPolicy")
    if internal is None and spec.get("type") in ("NodePort", "LoadBalancer", "ClusterIP"):
        errs.append(required("spec.internalTrafficPolicy"))
    if internal is not None and internal not in TRAFFIC_POLICIES:
        errs.append(not_supported("spec.internalTrafficPolicy", internal, TRAFFIC_POLICIES))
    distribution = spec.get("trafficDistribution")
    if distribution is not None and distribution not in TRAFFIC_DISTRIBUTIONS:
        errs.append(not_supported("spec.trafficDistribution", distribution, TRAFFIC_DISTRIBUTIONS))
    return errs


def _validate_update(spec: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """ValidateServiceUpdate's own rules: cluster IPs and families keep their primary values."""
    errs: list[FieldError] = []
    if "ExternalName" in (spec.get("type"), old.get("type")):
        return errs + _validate_lb_class(spec, old)
    new_ips = spec.get("clusterIPs") or []
    old_ips = old.get("clusterIPs") or []
    if not (is_headless(spec) and is_headless(old)):
        if len(old_ips) == len(new_ips):
            for i, ip in enumerate(old_ips):
                if ip != new_ips[i]:
                    errs.append(invalid(f"spec.clusterIPs[{i}]", new_ips, "may not change once set"))
        elif len(old_ips) > len(new_ips):
            if not new_ips:
                errs.append(invalid("spec.clusterIPs[0]", new_ips, "primary clusterIP can not be unset"))
            elif new_ips[0] != old_ips[0]:
                errs.append(invalid("spec.clusterIPs[0]", new_ips, "may not change once set"))
            if len(new_ips) == 1 and spec.get("ipFamilyPolicy") != "SingleStack":
                errs.append(invalid("spec.ipFamilyPolicy", spec.get("ipFamilyPolicy"),
                                    "must be set to 'SingleStack' when releasing the secondary clusterIP"))
        elif old_ips and new_ips[0] != old_ips[0]:
            errs.append(invalid("spec.clusterIPs[0]", new_ips, "may not change once set"))
    new_families = spec.get("ipFamilies") or []
    old_families = old.get("ipFamilies") or []
    if is_headless(spec) == is_headless(old) and not is_headless(spec):
        if len(old_families) == len(new_families):
            for i, family in enumerate(old_families):
                if family != new_families[i]:
                    errs.append(invalid("spec.ipFamilies[0]", new_families, "may not change once set"))
        elif len(old_families) > len(new_families):
            if not new_ips:
                errs.append(invalid("spec.ipFamilies[0]", new_families, "primary ipFamily can not be unset"))
            if new_families and new_families[0] != old_families[0]:
                errs.append(invalid("spec.ipFamilies[0]", new_ips, "may not change once set"))
            if len(new_families) == 1 and spec.get("ipFamilyPolicy") != "SingleStack":
                errs.append(invalid("spec.ipFamilyPolicy", spec.get("ipFamilyPolicy"),
                                    "must be set to 'SingleStack' when releasing the secondary ipFamily"))
        elif old_families and new_families and new_families[0] != old_families[0]:
            errs.append(invalid("spec.ipFamilies[0]", new_ips, "may not change once set"))
    return errs + _validate_lb_class(spec, old)


def validate_service(obj: Obj, old: Obj | None) -> list[FieldError]:
    errs: list[FieldError] = []
    if old is not None:
        spec, old_spec = _spec(obj), _spec(old)
        errs += _validate_update(spec, old_spec)
        if needs_health_check(old_spec) and needs_health_check(spec) \
                and spec.get("healthCheckNodePort") != old_spec.get("healthCheckNodePort"):
            errs.append(forbidden("spec.healthCheckNodePort", "field is immutable"))
    return errs + validate_service_spec(obj)


# -- table cells -----------------------------------------------------------------------------------


def load_balancer_addresses(status: Any, wide: bool) -> str:
    """IPs (or hostnames) of a load balancer status, sorted and de-duplicated, cut to 16 unless wide."""
    balancer = status.get("loadBalancer") if isinstance(status, dict) else None
    ingress = _dicts(balancer.get("ingress")) if isinstance(balancer, dict) else []
    found = sorted({str(i.get("ip") or i.get("hostname")) for i in ingress if i.get("ip") or i.get("hostname")})
    text = ",".join(found)
    if not wide and len(text) > LB_WIDTH:
        text = text[:LB_WIDTH - 3] + "..."
    return text


def external_ip(obj: Obj, wide: bool = False) -> str:
    spec = _spec(obj)
    kind = spec.get("type")
    external = [str(ip) for ip in spec.get("externalIPs") or []]
    if kind in ("ClusterIP", "NodePort"):
        return ",".join(external) if external else "<none>"
    if kind == "LoadBalancer":
        balancer = load_balancer_addresses(obj.get("status"), wide)
        if external:
            return ",".join(([*balancer.split(",")] if balancer else []) + external)
        return balancer or "<pending>"
    if kind == "ExternalName":
        return str(spec.get("externalName") or "")
    return "<unknown>"


def port_string(obj: Obj) -> str:
    pieces = []
    for port in _dicts(_spec(obj).get("ports")):
        if port.get("nodePort"):
            pieces.append(f"{port.get('port', 0)}:{port['nodePort']}/{port.get('protocol', '')}")
        else:
            pieces.append(f"{port.get('port', 0)}/{port.get('protocol', '')}")
    return ",".join(pieces) or "<none>"


def _cluster_ip(obj: Obj, now: datetime) -> str:
    ips = _spec(obj).get("clusterIPs")
    return str(ips[0]) if isinstance(ips, list) and ips else "<none>"


def _selector(obj: Obj, now: datetime) -> str:
    from kubesim.api.selectors import format_labels

    return format_labels(_spec(obj).get("selector") or {}) or "<none>"


COLUMNS = (
    Column("Name", lambda o, now: str((o.get("metadata") or {}).get("name", ""))),
    Column("Type", lambda o, now: str(_spec(o).get("type") or "")),
    Column("Cluster-IP", _cluster_ip),
    Column("External-IP", lambda o, now: external_ip(o), wide_cell=lambda o, now: external_ip(o, wide=True)),
    Column("Port(s)", lambda o, now: port_string(o)),
    Column("Age", age),
    Column("Selector", _selector, priority=1),
)

SERVICE = register(Kind(
    kind="Service", version="v1", plural="services", singular="service", short_names=("svc",),
    categories=("all",), columns=COLUMNS, name_rule="dns1035-label",
    default=default_service, validate=validate_service,
))
