"""Namespaces (core/v1, cluster-scoped): the default label, the ``kubernetes`` finalizer, phase."""

from __future__ import annotations

from kubesim.api import validation as v
from kubesim.api.duration import age
from kubesim.api.errors import FieldError
from kubesim.api.registry import Column, Kind, Obj, register

NAME_LABEL = "kubernetes.io/metadata.name"


def default_namespace(obj: Obj) -> None:
    """SetDefaults_Namespace labels every namespace with its name; the strategy adds the finalizer."""
    meta = obj.setdefault("metadata", {})
    name = meta.get("name")
    if name:
        labels = meta.get("labels")
        if not isinstance(labels, dict):
            labels = meta["labels"] = {}
        labels[NAME_LABEL] = name
    spec = obj.setdefault("spec", {})
    if isinstance(spec, dict) and "finalizers" not in spec:
        spec["finalizers"] = ["kubernetes"]
    status = obj.setdefault("status", {})
    if isinstance(status, dict) and not status.get("phase"):
        status["phase"] = "Active"


def validate_namespace(obj: Obj, old: Obj | None) -> list[FieldError]:
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    errs: list[FieldError] = []
    for finalizer in spec.get("finalizers") or []:
        errs += v.validate_finalizer(str(finalizer), "spec.finalizers")
    return errs


COLUMNS = (
    Column("Name", lambda o, now: str((o.get("metadata") or {}).get("name", ""))),
    Column("Status", lambda o, now: str((o.get("status") or {}).get("phase") or "")),
    Column("Age", age),
)

NAMESPACE = register(Kind(
    kind="Namespace", version="v1", plural="namespaces", singular="namespace", short_names=("ns",),
    namespaced=False, verbs=("create", "delete", "get", "list", "patch", "update", "watch"),
    columns=COLUMNS, name_rule="dns1123-label", default=default_namespace, validate=validate_namespace,
))
