"""Secrets (core/v1): ``stringData`` folded into ``data``, type rules, and the ``get secret`` columns."""

from __future__ import annotations

from kubesim.api import validation as v
from kubesim.api.duration import age
from kubesim.api.errors import FieldError, forbidden, invalid, required
from kubesim.api.registry import Column, Kind, Obj, register

TYPE_CHECKING = False  # typing costs a few ms per command; annotations alone need it
if TYPE_CHECKING:
    pass

MAX_SECRET_SIZE = 1024 * 1024
SERVICE_ACCOUNT_NAME_KEY = "kubernetes.io/service-account.name"
# Keys a typed secret must carry, in the order the API server checks them.
REQUIRED_KEYS = {
    "kubernetes.io/dockercfg": (".dockercfg",),
    "kubernetes.io/dockerconfigjson": (".dockerconfigjson",),
    "kubernetes.io/ssh-auth": ("ssh-privatekey",),
    "kubernetes.io/tls": ("tls.crt", "tls.key"),
}


def default_secret(obj: Obj) -> None:
    """``type`` defaults to Opaque; ``stringData`` is merged into ``data`` (base64) and dropped."""
    if not obj.get("type"):
        obj["type"] = "Opaque"
    string_data = obj.pop("stringData", None)
    if isinstance(string_data, dict) and string_data:
        data = obj.get("data")
        if not isinstance(data, dict):
            data = obj["data"] = {}
        import base64

        for key, value in string_data.items():
            data[key] = base64.b64encode(str(value).encode()).decode()


def validate_secret(obj: Obj, old: Obj | None) -> list[FieldError]:
    errs: list[FieldError] = []
    if old is not None:
        errs += v.validate_immutable(obj.get("type"), old.get("type"), "type")
        if old.get("immutable") is True:
            if obj.get("immutable") is not True:
                errs.append(forbidden("immutable", "field is immutable when `immutable` is set"))
            if (obj.get("data") or {}) != (old.get("data") or {}):
                errs.append(forbidden("data", "field is immutable when `immutable` is set"))
    data = obj.get("data") if isinstance(obj.get("data"), dict) else {}
    total = 0
    for key, value in data.items():
        errs += [invalid(f"data[{key}]", key, m) for m in v.is_config_map_key(str(key))]
        total += v.decoded_length(value)
    if total > MAX_SECRET_SIZE:
        errs.append(FieldError("TooLong", "data", detail=f"must have at most {MAX_SECRET_SIZE} bytes"))
    kind = obj.get("type") or ""
    if kind == "kubernetes.io/service-account-token":
        annotations = (obj.get("metadata") or {}).get("annotations") or {}
        if not annotations.get(SERVICE_ACCOUNT_NAME_KEY):
            errs.append(required(f"metadata.annotations[{SERVICE_ACCOUNT_NAME_KEY}]"))
    elif kind == "kubernetes.io/basic-auth":
        if "username" not in data and "password" not in data:
            errs += [required("data[username]"), required("data[password]")]
    elif kind in REQUIRED_KEYS:
        for key in REQUIRED_KEYS[kind]:
            if key not in data:
                errs.append(required(f"data[{key}]"))
                if kind != "kubernetes.io/tls":
                    break
    return errs


COLUMNS = (
    Column("Name", lambda o, now: str((o.get("metadata") or {}).get("name", ""))),
    Column("Type", lambda o, now: str(o.get("type") or "")),
    Column("Data", lambda o, now: str(len(o.get("data") or {}))),
    Column("Age", age),
)

SECRET = register(Kind(
    kind="Secret", version="v1", plural="secrets", singular="secret", columns=COLUMNS,
    name_rule="dns1123-subdomain", default=default_secret, validate=validate_secret,
))
