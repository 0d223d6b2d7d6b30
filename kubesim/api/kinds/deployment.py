"""Deployments (apps/v1): rolling-update defaults, strategy validation, and the ``get deploy`` columns."""

from __future__ import annotations

from datetime import datetime

from kubesim.api import validation as v
from kubesim.api.duration import age
from kubesim.api.errors import FieldError, forbidden, invalid, required
from kubesim.api.kinds.pod import default_pod_template
from kubesim.api.kinds.replicaset import validate_selector_and_template, validate_selector_update
from kubesim.api.kinds.replicationcontroller import containers_cell, images_cell, number
from kubesim.api.registry import Column, Kind, Obj, register

TYPE_CHECKING = False  # typing costs a few ms per command; annotations alone need it
if TYPE_CHECKING:
    from typing import Any

STRATEGIES = ("Recreate", "RollingUpdate")


def _part(obj: Any, key: str) -> dict[str, Any]:
    part = obj.get(key) if isinstance(obj, dict) else None
    return part if isinstance(part, dict) else {}


def default_deployment(obj: Obj) -> None:
    """SetDefaults_Deployment (apps/v1)."""
    spec = obj.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    strategy = spec.get("strategy")
    if not isinstance(strategy, dict):
        strategy = spec["strategy"] = {}
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
    if strategy["type"] == "RollingUpdate":
        rolling = strategy.get("rollingUpdate")
        if not isinstance(rolling, dict):
            rolling = strategy["rollingUpdate"] = {}
        rolling.setdefault("maxUnavailable", "25%")
        rolling.setdefault("maxSurge", "25%")
        if rolling["maxUnavailable"] is None:
            rolling["maxUnavailable"] = "25%"
        if rolling["maxSurge"] is None:
            rolling["maxSurge"] = "25%"
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    if spec.get("progressDeadlineSeconds") is None:
        spec["progressDeadlineSeconds"] = 600
    default_pod_template(spec.get("template"))
    obj.setdefault("status", {})


def _percent(value: Any) -> int | None:
    if isinstance(value, str) and not v.is_valid_percent(value):
        return int(value[:-1])
    return None


def _int_or_percent(value: Any) -> int:
    percent = _percent(value)
    if percent is not None:
        return percent
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _validate_int_or_percent(value: Any, path: str) -> list[FieldError]:
    if isinstance(value, str):
        return [invalid(path, value, m) for m in v.is_valid_percent(value)]
    return v.validate_nonnegative(value, path)


def _validate_strategy(strategy: dict[str, Any]) -> list[FieldError]:
    kind = strategy.get("type") or ""
    rolling = strategy.get("rollingUpdate")
    if kind == "Recreate":
        if rolling is not None:
            return [forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'")]
        return []
    if kind == "RollingUpdate":
        if not isinstance(rolling, dict):
            return [required("spec.strategy.rollingUpdate", "this should be defaulted and never be nil")]
        path = "spec.strategy.rollingUpdate"
        unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
        errs = _validate_int_or_percent(unavailable, f"{path}.maxUnavailable")
        errs += _validate_int_or_percent(surge, f"{path}.maxSurge")
        if _int_or_percent(unavailable) == 0 and _int_or_percent(surge) == 0:
            errs.append(invalid(f"{path}.maxUnavailable", unavailable, "may not be 0 when `maxSurge` is 0"))
        percent = _percent(unavailable)
        if percent is not None and percent > 100:
            errs.append(invalid(f"{path}.maxUnavailable", unavailable, "must not be greater than 100%"))
        return errs
    value = {"Type": kind, "RollingUpdate": None}
    return [v.StructFieldError("NotSupported", "spec.strategy", value, supported=STRATEGIES)]


def validate_deployment(obj: Obj, old: Obj | None) -> list[FieldError]:
    spec = _part(obj, "spec")
    errs = v.validate_nonnegative(spec.get("replicas", 0), "spec.replicas")
    errs += validate_selector_and_template(spec, "Deployment")
    errs += _validate_strategy(_part(spec, "strategy"))
    min_ready = spec.get("minReadySeconds", 0)
    errs += v.validate_nonnegative(min_ready, "spec.minReadySeconds")
    if spec.get("revisionHistoryLimit") is not None:
        errs += v.validate_nonnegative(spec["revisionHistoryLimit"], "spec.revisionHistoryLimit")
    deadline = spec.get("progressDeadlineSeconds")
    if isinstance(deadline, int):
        errs += v.validate_nonnegative(deadline, "spec.progressDeadlineSeconds")
        if isinstance(min_ready, int) and deadline <= min_ready:
            errs.append(invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"))
    return errs + validate_selector_update(obj, old)


def _selector(obj: Obj, now: datetime) -> str:
    """The selector's String(): like the label-selector form, but empty rather than ``<none>``."""
    from kubesim.api.selectors import format_label_selector

    text = format_label_selector(_part(_part(obj, "spec"), "selector"))
    return "" if text == "<none>" else text


COLUMNS = (
    Column("Name", lambda o, now: str(_part(o, "metadata").get("name", ""))),
    Column("Ready", lambda o, now: f"{number(_part(o, 'status').get('readyReplicas'))}/"
                                   f"{number(_part(o, 'spec').get('replicas'))}"),
    Column("Up-to-date", lambda o, now: number(_part(o, "status").get("updatedReplicas"))),
    Column("Available", lambda o, now: number(_part(o, "status").get("availableReplicas"))),
    Column("Age", age),
    Column("Containers", containers_cell, priority=1),
    Column("Images", images_cell, priority=1),
    Column("Selector", _selector, priority=1),
)

DEPLOYMENT = register(Kind(
    kind="Deployment", group="apps", version="v1", plural="deployments", singular="deployment",
    short_names=("deploy",), categories=("all",), columns=COLUMNS, name_rule="dns1123-subdomain",
    tracks_generation=True, default=default_deployment, validate=validate_deployment,
))
