"""ReplicaSets (apps/v1): a required, immutable label selector over the pod template, and columns."""

from __future__ import annotations

from datetime import datetime

from kubesim.api import validation as v
from kubesim.api.errors import FieldError, invalid, required
from kubesim.api.kinds.pod import default_pod_template, validate_pod_template
from kubesim.api.kinds.replicationcontroller import (
    MISMATCH,
    replica_columns,
    template_labels,
    template_restrictions,
)
from kubesim.api.registry import Kind, Obj, register

TYPE_CHECKING = False  # typing costs a few ms per command; annotations alone need it
if TYPE_CHECKING:
    from typing import Any


def _part(obj: Any, key: str) -> dict[str, Any]:
    part = obj.get(key) if isinstance(obj, dict) else None
    return part if isinstance(part, dict) else {}


def default_replicaset(obj: Obj) -> None:
    spec = obj.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    default_pod_template(spec.get("template"))
    status = obj.setdefault("status", {})
    if isinstance(status, dict):
        status.setdefault("replicas", 0)


def selector_matches(selector: dict[str, Any], labels: dict[str, Any] | None) -> bool:
    from kubesim.api.selectors import selector_from_label_selector

    return selector_from_label_selector(selector).matches(dict(labels or {}))


def validate_selector_and_template(spec: dict[str, Any], owner: str) -> list[FieldError]:
    """The apps/v1 selector rules, then the template against it (shared with Deployment).

    A missing selector selects nothing, so the template labels cannot match it either; an empty
    one selects everything and is refused outright.
    """
    errs: list[FieldError] = []
    selector = spec.get("selector")
    selector_errs: list[FieldError] = []
    if selector is None:
        errs.append(required("spec.selector"))
    else:
        selector_errs = v.validate_label_selector(selector, "spec.selector")
        errs += selector_errs
        if v.selector_is_empty(selector):
            errs.append(v.StructFieldError("Invalid", "spec.selector", v.label_selector_value(selector),
                                           "empty selector is invalid for deployment"))
    template = spec.get("template") if isinstance(spec.get("template"), dict) else {}
    if selector_errs or (selector is not None and not isinstance(selector, dict)):
        errs.append(v.StructFieldError("Invalid", "spec.selector", v.label_selector_value(selector),
                                       "invalid label selector"))
        return errs
    labels = template_labels(spec)
    if selector is None or (not v.selector_is_empty(selector) and not selector_matches(selector, labels)):
        errs.append(invalid("spec.template.metadata.labels", labels, MISMATCH))
    errs += validate_pod_template(template, "spec.template")
    return errs + template_restrictions(template, "spec.template", owner)


def validate_selector_update(obj: Obj, old: Obj | None) -> list[FieldError]:
    """apps/v1 selectors are immutable (the strategy adds this after the spec checks)."""
    if old is None:
        return []
    new_selector = _part(obj, "spec").get("selector")
    old_selector = _part(old, "spec").get("selector")
    if v.semantic(new_selector) != v.semantic(old_selector):
        return [v.StructFieldError("Invalid", "spec.selector", v.label_selector_value(new_selector),
                                   v.FIELD_IMMUTABLE_MSG)]
    return []


def validate_replicaset(obj: Obj, old: Obj | None) -> list[FieldError]:
    spec = _part(obj, "spec")
    errs = v.validate_nonnegative(spec.get("replicas", 0), "spec.replicas")
    errs += v.validate_nonnegative(spec.get("minReadySeconds", 0), "spec.minReadySeconds")
    errs += validate_selector_and_template(spec, "ReplicaSet")
    return errs + validate_selector_update(obj, old)


def label_selector_cell(obj: Obj, now: datetime) -> str:
    from kubesim.api.selectors import format_label_selector

    return format_label_selector(_part(_part(obj, "spec"), "selector"))


COLUMNS = replica_columns(label_selector_cell)

REPLICA_SET = register(Kind(
    kind="ReplicaSet", group="apps", version="v1", plural="replicasets", singular="replicaset",
    short_names=("rs",), categories=("all",), columns=COLUMNS, name_rule="dns1123-subdomain",
    tracks_generation=True, default=default_replicaset, validate=validate_replicaset,
))
