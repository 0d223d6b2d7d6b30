"""Ingresses (networking.k8s.io/v1): rules, paths and backends, and the ``get ing`` columns."""

from __future__ import annotations

from datetime import datetime

from kubesim.api import validation as v
from kubesim.api.duration import age
from kubesim.api.errors import FieldError, invalid, not_supported, required
from kubesim.api.kinds.service import load_balancer_addresses
from kubesim.api.registry import Column, Kind, Obj, register

TYPE_CHECKING = False  # typing costs a few ms per command; annotations alone need it
if TYPE_CHECKING:
    from typing import Any

PATH_TYPES = ("Exact", "ImplementationSpecific", "Prefix")
INVALID_PATH_SEQUENCES = ("//", "/./", "/../", "%2f", "%2F")
INVALID_PATH_SUFFIXES = ("/..", "/.")
CLASS_ANNOTATION = "kubernetes.io/ingress.class"
DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"
MAX_HOSTS = 3


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _part(obj: Any, key: str) -> dict[str, Any]:
    part = obj.get(key) if isinstance(obj, dict) else None
    return part if isinstance(part, dict) else {}


def default_ingress(obj: Obj) -> None:
    """networking/v1 defaults nothing in the spec (pathType stays required); status starts empty."""
    status = obj.setdefault("status", {})
    if isinstance(status, dict):
        status.setdefault("loadBalancer", {})


def _validate_backend(backend: dict[str, Any], path: str) -> list[FieldError]:
    resource, service = backend.get("resource"), backend.get("service")
    if resource is not None and service is not None:
        return [invalid(path, "", "cannot set both resource and service backends")]
    if resource is not None:
        resource = resource if isinstance(resource, dict) else {}
        errs: list[FieldError] = []
        if resource.get("apiGroup") is not None:
            errs += [invalid(f"{path}.resource.apiGroup", resource["apiGroup"], m)
                     for m in v.is_dns1123_subdomain(str(resource["apiGroup"]))]
        if not resource.get("kind"):
            errs.append(required(f"{path}.resource.kind", "kind is required"))
        if not resource.get("name"):
            errs.append(required(f"{path}.resource.name", "name is required"))
        return errs
    if service is None:
        return [invalid(path, "", "resource or service backend is required")]
    service = service if isinstance(service, dict) else {}
    errs = []
    name = service.get("name") or ""
    if not name:
        errs.append(required(f"{path}.service.name"))
    else:
        errs += [invalid(f"{path}.service.name", name, m) for m in v.is_dns1035_label(str(name))]
    port = _part(service, "port")
    port_name, port_number = port.get("name") or "", port.get("number") or 0
    if port_name and port_number:
        errs.append(invalid(path, "", "cannot set both port name & port number"))
    elif port_name:
        errs += [invalid(f"{path}.service.port.name", port_name, m) for m in v.is_valid_port_name(str(port_name))]
    elif port_number:
        errs += [invalid(f"{path}.service.port.number", port_number, m) for m in v.is_valid_port_num(port_number)]
    else:
        errs.append(required(path, "port name or number is required"))
    return errs


def _validate_path(item: dict[str, Any], path: str) -> list[FieldError]:
    path_type = item.get("pathType")
    if path_type is None:
        return [required(f"{path}.pathType", "pathType must be specified")]
    errs: list[FieldError] = []
    value = item.get("path") or ""
    if path_type in ("Exact", "Prefix"):
        if not value.startswith("/"):
            errs.append(invalid(f"{path}.path", value, "must be an absolute path"))
        if value:
            errs += [invalid(f"{path}.path", value, f"must not contain '{seq}'")
                     for seq in INVALID_PATH_SEQUENCES if seq in value]
            errs += [invalid(f"{path}.path", value, f"cannot end with '{suffix}'")
                     for suffix in INVALID_PATH_SUFFIXES if value.endswith(suffix)]
    elif path_type == "ImplementationSpecific":
        if value and not value.startswith("/"):
            errs.append(invalid(f"{path}.path", value, "must be an absolute path"))
    else:
        errs.append(not_supported(f"{path}.pathType", path_type, PATH_TYPES))
    return errs + _validate_backend(_part(item, "backend"), f"{path}.backend")


def _validate_rules(rules: list[dict[str, Any]]) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, rule in enumerate(rules):
        path = f"spec.rules[{i}]"
        host = rule.get("host") or ""
        if host:
            if v.parse_ip_sloppy(host) is not None:
                errs.append(invalid(f"{path}.host", host, "must be a DNS name, not an IP address"))
            check = v.is_wildcard_dns1123_subdomain if "*" in host else v.is_dns1123_subdomain
            errs += [invalid(f"{path}.host", host, m) for m in check(str(host))]
        http = rule.get("http")
        if isinstance(http, dict):
            paths = _dicts(http.get("paths"))
            if not paths:
                errs.append(required(f"{path}.http.paths"))
            for j, item in enumerate(paths):
                errs += _validate_path(item, f"{path}.http.paths[{j}]")
    return errs


def validate_ingress(obj: Obj, old: Obj | None) -> list[FieldError]:
    spec = _part(obj, "spec")
    errs: list[FieldError] = []
    rules = _dicts(spec.get("rules"))
    if not rules and spec.get("defaultBackend") is None:
        errs.append(invalid("spec", spec.get("rules"), "either `defaultBackend` or `rules` must be specified"))
    if spec.get("defaultBackend") is not None:
        errs += _validate_backend(_part(spec, "defaultBackend"), "spec.defaultBackend")
    errs += _validate_rules(rules)
    for i, tls in enumerate(_dicts(spec.get("tls"))):
        for j, host in enumerate(tls.get("hosts") or []):
            check = v.is_wildcard_dns1123_subdomain if "*" in str(host) else v.is_dns1123_subdomain
            errs += [invalid(f"spec.tls[{i}].hosts[{j}]", host, m) for m in check(str(host))]
        secret = tls.get("secretName") or ""
        if secret:
            errs += [invalid(f"spec.tls[{i}].secretName", secret, m) for m in v.is_dns1123_subdomain(str(secret))]
    if spec.get("ingressClassName") is not None:
        cls = str(spec["ingressClassName"])
        errs += [invalid("spec.ingressClassName", cls, m) for m in v.is_dns1123_subdomain(cls)]
    annotations = _part(obj, "metadata").get("annotations") or {}
    if old is None and CLASS_ANNOTATION in annotations and spec.get("ingressClassName") is not None \
            and annotations[CLASS_ANNOTATION] != spec["ingressClassName"]:
        errs.append(invalid(f"annotations.{CLASS_ANNOTATION}", annotations[CLASS_ANNOTATION],
                            "must match `ingressClassName` when both are specified"))
    return errs


def format_hosts(obj: Obj, now: datetime | None = None) -> str:
    rules = _dicts(_part(obj, "spec").get("rules"))
    hosts: list[str] = []
    more = False
    for rule in rules:
        if len(hosts) == MAX_HOSTS:
            more = True
        if not more and rule.get("host"):
            hosts.append(str(rule["host"]))
    if not hosts:
        return "*"
    text = ",".join(hosts)
    return f"{text} + {len(rules) - MAX_HOSTS} more..." if more else text


class DefaultIngressClass:
    """The DefaultIngressClass admission plugin: a new Ingress without a class (neither
    ``ingressClassName`` nor the old annotation) gets the IngressClass marked default, if one is.
    It has the shape of ``kubesim.api.server.Strategy`` (imported lazily, so it is not subclassed)."""

    def before_create(self, api, obj: Obj) -> None:
        spec = obj.get("spec")
        annotations = _part(obj, "metadata").get("annotations") or {}
        if not isinstance(spec, dict) or spec.get("ingressClassName") or CLASS_ANNOTATION in annotations:
            return
        from kubesim.api.registry import kind_named

        marked = [c for c in api.list(kind_named("IngressClass", "networking.k8s.io"))
                  if (_part(c, "metadata").get("annotations") or {}).get(DEFAULT_CLASS_ANNOTATION) == "true"]
        if marked:  # several defaults: the newest wins (as current releases of the plugin choose)
            newest = max(marked, key=lambda c: (_part(c, "metadata").get("creationTimestamp", ""),
                                                _part(c, "metadata").get("name", "")))
            spec["ingressClassName"] = newest["metadata"]["name"]

    def before_update(self, api, obj: Obj, old: Obj) -> None:
        return None

    def allocate_update(self, api, obj: Obj, old: Obj) -> None:
        return None

    def after_delete(self, api, obj: Obj) -> None:
        return None


COLUMNS = (
    Column("Name", lambda o, now: str(_part(o, "metadata").get("name", ""))),
    Column("Class", lambda o, now: str(_part(o, "spec").get("ingressClassName") or "<none>")),
    Column("Hosts", format_hosts),
    Column("Address", lambda o, now: load_balancer_addresses(o.get("status"), False),
           wide_cell=lambda o, now: load_balancer_addresses(o.get("status"), True)),
    Column("Ports", lambda o, now: "80, 443" if _part(o, "spec").get("tls") else "80"),
    Column("Age", age),
)

INGRESS = register(Kind(
    kind="Ingress", group="networking.k8s.io", version="v1", plural="ingresses", singular="ingress",
    short_names=("ing",), columns=COLUMNS, name_rule="dns1123-subdomain", tracks_generation=True,
    default=default_ingress, validate=validate_ingress,
))
