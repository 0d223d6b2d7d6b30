"""ReplicationControllers (core/v1): selector and labels defaulted from the template, and columns."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from kubesim.api import validation as v
from kubesim.api.duration import age
from kubesim.api.errors import FieldError, forbidden, invalid, not_supported, required
from kubesim.api.kinds.pod import default_pod_template, validate_pod_template
from kubesim.api.registry import Column, Kind, Obj, register

TYPE_CHECKING = False  # typing costs a few ms per command; annotations alone need it
if TYPE_CHECKING:
    from typing import Any

MISMATCH = "`selector` does not match template `labels`"


def _part(obj: Any, key: str) -> dict[str, Any]:
    part = obj.get(key) if isinstance(obj, dict) else None
    return part if isinstance(part, dict) else {}


def template_labels(spec: dict[str, Any]) -> dict[str, Any] | None:
    labels = _part(_part(spec, "template"), "metadata").get("labels")
    return labels if isinstance(labels, dict) else None


def default_rc(obj: Obj) -> None:
    """SetDefaults_ReplicationController: selector and labels from the template, one replica."""
    spec = obj.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    labels = template_labels(spec)
    if labels is not None:
        if not spec.get("selector"):
            spec["selector"] = dict(labels)
        meta = obj.setdefault("metadata", {})
        if not meta.get("labels"):
            meta["labels"] = dict(labels)
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    default_pod_template(spec.get("template"))
    status = obj.setdefault("status", {})
    if isinstance(status, dict):
        status.setdefault("replicas", 0)


def template_restrictions(template: dict[str, Any], path: str, owner: str) -> list[FieldError]:
    """Controllers' pods must restart Always and may not carry a deadline."""
    spec = _part(template, "spec")
    errs: list[FieldError] = []
    if spec.get("restartPolicy") != "Always":
        errs.append(not_supported(f"{path}.spec.restartPolicy", spec.get("restartPolicy") or "", ("Always",)))
    if spec.get("activeDeadlineSeconds") is not None:
        detail = f"activeDeadlineSeconds in {owner} is not Supported"
        if owner == "ReplicationController":
            errs.append(forbidden(f"{path}.spec.activeDeadlineSeconds", detail))
        else:
            errs.append(invalid(f"{path}.spec.activeDeadlineSeconds", spec["activeDeadlineSeconds"], detail))
    return errs


def validate_rc(obj: Obj, old: Obj | None) -> list[FieldError]:
    spec = _part(obj, "spec")
    errs = v.validate_nonnegative(spec.get("minReadySeconds", 0), "spec.minReadySeconds")
    selector = spec.get("selector") if isinstance(spec.get("selector"), dict) else {}
    if not selector:
        errs.append(required("spec.selector"))
    errs += v.validate_nonnegative(spec.get("replicas", 0), "spec.replicas")
    template = spec.get("template")
    if not isinstance(template, dict):
        errs.append(required("spec.template"))
        return errs
    labels = template_labels(spec)
    if selector and not all(k in (labels or {}) and (labels or {})[k] == val for k, val in selector.items()):
        errs.append(invalid("spec.template.metadata.labels", labels, MISMATCH))
    errs += validate_pod_template(template, "spec.template")
    return errs + template_restrictions(template, "spec.template", "ReplicationController")


def containers_cell(obj: Obj, now: datetime) -> str:
    containers = _part(_part(_part(obj, "spec"), "template"), "spec").get("containers") or []
    return ",".join(str(c.get("name", "")) for c in containers if isinstance(c, dict))


def images_cell(obj: Obj, now: datetime) -> str:
    containers = _part(_part(_part(obj, "spec"), "template"), "spec").get("containers") or []
    return ",".join(str(c.get("image", "")) for c in containers if isinstance(c, dict))


def number(value: Any) -> str:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else "0"


def _selector(obj: Obj, now: datetime) -> str:
    from kubesim.api.selectors import format_labels

    return format_labels(_part(_part(obj, "spec"), "selector")) or "<none>"


def replica_columns(selector_cell: Callable[[Obj, datetime], str]) -> tuple[Column, ...]:
    """The Table columns RCs and ReplicaSets share; only how the selector prints differs."""
    return (
        Column("Name", lambda o, now: str(_part(o, "metadata").get("name", ""))),
        Column("Desired", lambda o, now: number(_part(o, "spec").get("replicas"))),
        Column("Current", lambda o, now: number(_part(o, "status").get("replicas"))),
        Column("Ready", lambda o, now: number(_part(o, "status").get("readyReplicas"))),
        Column("Age", age),
        Column("Containers", containers_cell, priority=1),
        Column("Images", images_cell, priority=1),
        Column("Selector", selector_cell, priority=1),
    )


COLUMNS = replica_columns(_selector)

REPLICATION_CONTROLLER = register(Kind(
    kind="ReplicationController", version="v1", plural="replicationcontrollers", singular="replicationcontroller",
    short_names=("rc",), categories=("all",), columns=COLUMNS, name_rule="dns1123-subdomain",
    tracks_generation=True, default=default_rc, validate=validate_rc,
))
