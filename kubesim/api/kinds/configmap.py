"""ConfigMaps (core/v1): key rules, the 1 MiB limit, immutability, and the ``get cm`` columns."""

from __future__ import annotations

from kubesim.api import validation as v
from kubesim.api.duration import age
from kubesim.api.errors import FieldError, forbidden, invalid
from kubesim.api.registry import Column, Kind, Obj, register

MAX_SIZE = 1024 * 1024


def validate_configmap(obj: Obj, old: Obj | None) -> list[FieldError]:
    errs: list[FieldError] = []
    if old is not None and old.get("immutable") is True:
        if obj.get("immutable") is not True:
            errs.append(forbidden("immutable", "field is immutable when `immutable` is set"))
        for key in ("data", "binaryData"):
            if (obj.get(key) or {}) != (old.get(key) or {}):
                errs.append(forbidden(key, "field is immutable when `immutable` is set"))
    data = obj.get("data") if isinstance(obj.get("data"), dict) else {}
    binary = obj.get("binaryData") if isinstance(obj.get("binaryData"), dict) else {}
    total = 0
    for key, value in data.items():
        errs += [invalid(f"data[{key}]", key, m) for m in v.is_config_map_key(str(key))]
        if key in binary:
            errs.append(invalid(f"data[{key}]", key, "duplicate of key present in binaryData"))
        total += len(str(value).encode())
    for key, value in binary.items():
        errs += [invalid(f"binaryData[{key}]", key, m) for m in v.is_config_map_key(str(key))]
        total += v.decoded_length(value)
    if total > MAX_SIZE:
        errs.append(FieldError("TooLong", "", detail=f"must have at most {MAX_SIZE} bytes"))
    return errs


COLUMNS = (
    Column("Name", lambda o, now: str((o.get("metadata") or {}).get("name", ""))),
    Column("Data", lambda o, now: str(len(o.get("data") or {}) + len(o.get("binaryData") or {}))),
    Column("Age", age),
)

CONFIGMAP = register(Kind(
    kind="ConfigMap", version="v1", plural="configmaps", singular="configmap", short_names=("cm",),
    columns=COLUMNS, name_rule="dns1123-subdomain", validate=validate_configmap,
))
