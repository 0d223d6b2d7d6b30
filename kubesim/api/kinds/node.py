"""Nodes (core/v1, cluster-scoped): taints, pod CIDRs, and the STATUS/ROLES columns."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from kubesim.api import validation as v
from kubesim.api.duration import age
from kubesim.api.errors import FieldError, forbidden, invalid, not_supported, required
from kubesim.api.registry import Column, Kind, Obj, register

TYPE_CHECKING = False  # typing costs a few ms per command; annotations alone need it
if TYPE_CHECKING:
    from typing import Any

TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
ROLE_PREFIX = "node-role.kubernetes.io/"
ROLE_LABEL = "kubernetes.io/role"


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _part(obj: Obj, key: str) -> dict[str, Any]:
    part = obj.get(key)
    return part if isinstance(part, dict) else {}


def default_node(obj: Obj) -> None:
    """SetDefaults_NodeStatus: allocatable defaults to capacity."""
    status = obj.get("status")
    if isinstance(status, dict) and status.get("allocatable") is None and isinstance(status.get("capacity"), dict):
        status["allocatable"] = dict(status["capacity"])


def _validate_taints(taints: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    unique: dict[str, set[str]] = {}
    for i, taint in enumerate(_dicts(taints)):
        tpath = f"{path}[{i}]"
        key = str(taint.get("key") or "")
        errs += [invalid(f"{tpath}.key", key, m) for m in v.is_label_key(key)]
        value = str(taint.get("value") or "")
        messages = v.is_label_value(value)
        if messages:
            errs.append(invalid(f"{tpath}.value", value, ";".join(messages)))
        effect = taint.get("effect") or ""
        if not effect:
            errs.append(required(f"{tpath}.effect"))
        elif effect not in TAINT_EFFECTS:
            errs.append(not_supported(f"{tpath}.effect", effect, TAINT_EFFECTS))
        if key in unique.get(effect, set()):
            errs.append(v.StructFieldError(
                "Duplicate", tpath, {"Key": key, "Value": value, "Effect": effect, "TimeAdded": None},
                "taints must be unique by key and effect pair"))
            continue
        unique.setdefault(effect, set()).add(key)
    return errs


def validate_node(obj: Obj, old: Obj | None) -> list[FieldError]:
    """ValidateNode; taints are reported under ``metadata.taints``, as the API server does."""
    spec = _part(obj, "spec")
    errs = _validate_taints(spec.get("taints"), "metadata.taints")
    cidrs = spec.get("podCIDRs") if isinstance(spec.get("podCIDRs"), list) else []
    for i, cidr in enumerate(cidrs):
        errs += v.validate_cidr(cidr, f"spec.podCIDRs[{i}]")
    if len(cidrs) > 1:
        parsed = [v.parse_cidr_sloppy(c) for c in cidrs]
        families = {p[0].version for p in parsed if p}
        if len(families) != 2 or len(cidrs) > 2:
            errs.append(invalid("spec.podCIDRs", cidrs, "may specify no more than one CIDR for each IP family"))
        seen: set[str] = set()
        for i, cidr in enumerate(cidrs):
            errs += v.check_duplicate(seen, cidr, f"spec.podCIDRs[{i}]")
    if old is not None:
        old_spec = _part(old, "spec")
        old_cidrs = old_spec.get("podCIDRs") or []
        if old_cidrs and list(old_cidrs) != list(cidrs):
            errs.append(forbidden("spec.podCIDRs", 'node updates may not change podCIDR except from "" to valid'))
        if old_spec.get("providerID") and old_spec.get("providerID") != spec.get("providerID"):
            errs.append(forbidden("spec.providerID",
                                  'node updates may not change providerID except from "" to valid'))
    return errs


def node_status(obj: Obj, now: datetime | None = None) -> str:
    """``Ready``/``NotReady``/``Unknown`` from the Ready condition, plus ``SchedulingDisabled``."""
    conditions = {c.get("type"): c for c in _dicts(_part(obj, "status").get("conditions"))}
    status = []
    if "Ready" in conditions:
        status.append("Ready" if conditions["Ready"].get("status") == "True" else "NotReady")
    if not status:
        status.append("Unknown")
    if _part(obj, "spec").get("unschedulable") is True:
        status.append("SchedulingDisabled")
    return ",".join(status)


def node_roles(obj: Obj, now: datetime | None = None) -> str:
    roles = set()
    for key, value in ((_part(obj, "metadata").get("labels")) or {}).items():
        if key.startswith(ROLE_PREFIX) and key[len(ROLE_PREFIX):]:
            roles.add(key[len(ROLE_PREFIX):])
        elif key == ROLE_LABEL and value:
            roles.add(str(value))
    return ",".join(sorted(roles)) or "<none>"


def _address(kind: str) -> Callable[[Obj, datetime], str]:
    def cell(obj: Obj, now: datetime) -> str:
        for address in _dicts(_part(obj, "status").get("addresses")):
            if address.get("type") == kind:
                return str(address.get("address", ""))
        return "<none>"
    return cell


def _info(key: str) -> Callable[[Obj, datetime], str]:
    def cell(obj: Obj, now: datetime) -> str:
        info = _part(_part(obj, "status"), "nodeInfo")
        return str(info.get(key) or "<unknown>")
    return cell


COLUMNS = (
    Column("Name", lambda o, now: str(_part(o, "metadata").get("name", ""))),
    Column("Status", node_status),
    Column("Roles", node_roles),
    Column("Age", age),
    Column("Version", lambda o, now: str(_part(_part(o, "status"), "nodeInfo").get("kubeletVersion") or "")),
    Column("Internal-IP", _address("InternalIP"), priority=1),
    Column("External-IP", _address("ExternalIP"), priority=1),
    Column("OS-Image", _info("osImage"), priority=1),
    Column("Kernel-Version", _info("kernelVersion"), priority=1),
    Column("Container-Runtime", _info("containerRuntimeVersion"), priority=1),
)

NODE = register(Kind(
    kind="Node", version="v1", plural="nodes", singular="node", short_names=("no",), namespaced=False,
    columns=COLUMNS, name_rule="dns1123-subdomain", default=default_node, validate=validate_node,
))
