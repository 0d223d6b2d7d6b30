"""IngressClasses (networking.k8s.io/v1, cluster-scoped): the controller name and parameters."""

from __future__ import annotations

from datetime import datetime

from kubesim.api import validation as v
from kubesim.api.duration import age
from kubesim.api.errors import FieldError, forbidden, invalid, not_supported, required
from kubesim.api.registry import Column, Kind, Obj, register

TYPE_CHECKING = False  # typing costs a few ms per command; annotations alone need it
if TYPE_CHECKING:
    from typing import Any

MAX_CONTROLLER_LENGTH = 250
HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+"
SCOPES = ("Cluster", "Namespace")


def _part(obj: Any, key: str) -> dict[str, Any]:
    part = obj.get(key) if isinstance(obj, dict) else None
    return part if isinstance(part, dict) else {}


def default_ingressclass(obj: Obj) -> None:
    """SetDefaults_IngressClass: parameters are cluster-scoped unless said otherwise."""
    parameters = _part(obj, "spec").get("parameters")
    if isinstance(parameters, dict) and parameters.get("scope") is None:
        parameters["scope"] = "Cluster"


def _domain_prefixed_path(value: str, path: str) -> list[FieldError]:
    """IsDomainPrefixedPath: ``example.com/path`` with a DNS subdomain before the first slash."""
    if not value:
        return [required(path)]
    host, slash, rest = value.partition("/")
    if not slash or not host or not rest:
        return [invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')]
    errs = [invalid(path, host, m) for m in v.is_dns1123_subdomain(host)]
    if not v.matches_regex(HTTP_PATH_FMT, rest):
        errs.append(invalid(path, rest, v.regex_error("Invalid path", HTTP_PATH_FMT)))
    return errs


def _validate_parameters(parameters: Any, path: str) -> list[FieldError]:
    if not isinstance(parameters, dict):
        return []
    errs: list[FieldError] = []
    if parameters.get("apiGroup") is not None:
        errs += [invalid(f"{path}.apiGroup", parameters["apiGroup"], m)
                 for m in v.is_dns1123_subdomain(str(parameters["apiGroup"]))]
    if not parameters.get("kind"):
        errs.append(required(f"{path}.kind", "kind is required"))
    if not parameters.get("name"):
        errs.append(required(f"{path}.name", "name is required"))
    scope = parameters.get("scope")
    if scope is not None and scope not in SCOPES:
        errs.append(not_supported(f"{path}.scope", scope, SCOPES))
    elif scope == "Namespace" and not parameters.get("namespace"):
        errs.append(required(f"{path}.namespace", "`parameters.scope` is set to 'Namespace'"))
    elif scope == "Cluster" and parameters.get("namespace") is not None:
        errs.append(forbidden(f"{path}.namespace", "`parameters.scope` is set to 'Cluster'"))
    return errs


def validate_ingressclass(obj: Obj, old: Obj | None) -> list[FieldError]:
    spec = _part(obj, "spec")
    errs: list[FieldError] = []
    if old is not None:
        errs += v.validate_immutable(spec.get("controller"), _part(old, "spec").get("controller"), "spec.controller")
    controller = str(spec.get("controller") or "")
    if len(controller.encode()) > MAX_CONTROLLER_LENGTH:
        errs.append(FieldError("TooLong", "spec.controller", detail=f"must have at most {MAX_CONTROLLER_LENGTH} bytes"))
    errs += _domain_prefixed_path(controller, "spec.controller")
    return errs + _validate_parameters(spec.get("parameters"), "spec.parameters")


def _parameters(obj: Obj, now: datetime) -> str:
    parameters = _part(obj, "spec").get("parameters")
    if not isinstance(parameters, dict):
        return "<none>"
    text = str(parameters.get("kind") or "")
    if parameters.get("apiGroup") is not None:
        text += f".{parameters['apiGroup']}"
    return f"{text}/{parameters.get('name', '')}"


COLUMNS = (
    Column("Name", lambda o, now: str(_part(o, "metadata").get("name", ""))),
    Column("Controller", lambda o, now: str(_part(o, "spec").get("controller") or "")),
    Column("Parameters", _parameters),
    Column("Age", age),
)

INGRESS_CLASS = register(Kind(
    kind="IngressClass", group="networking.k8s.io", version="v1", plural="ingressclasses",
    singular="ingressclass", namespaced=False, columns=COLUMNS, name_rule="dns1123-subdomain",
    tracks_generation=True, default=default_ingressclass, validate=validate_ingressclass,
))
