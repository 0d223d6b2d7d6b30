"""Field selectors (``--field-selector``): the fields the API server can filter each kind by.

Every kind supports ``metadata.name`` and ``metadata.namespace``; some add their own, as the API
server's field-label conversion functions do. Anything else is ``field label not supported``.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from kubesim.api.registry import Obj

COMMON = ("metadata.name", "metadata.namespace")
BY_KIND: dict[str, tuple[str, ...]] = {
    "Pod": ("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
            "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"),
    "Event": ("involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
              "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
              "reason", "reportingComponent", "source", "type"),
    "Namespace": ("status.phase",),
    "Node": ("spec.unschedulable",),
    "Secret": ("type",),
    "ReplicationController": ("status.replicas",),
    "ReplicaSet": ("status.replicas",),
}


class FieldSelectorError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FieldSelector:
    """Parsed ``k=v``, ``k==v``, ``k!=v`` terms joined by commas; all must hold."""

    def __init__(self, text: str, terms: list[tuple[str, str, bool]]) -> None:
        self.text = text
        self.terms = terms

    def check(self, kind: str) -> None:
        """Refuse a field this kind cannot be filtered by, with the API server's words."""
        for key, _, _ in self.terms:
            if key not in COMMON and key not in BY_KIND.get(kind, ()):
                raise FieldSelectorError(f"field label not supported: {key}")

    def matches(self, obj: Obj) -> bool:
        for key, value, negate in self.terms:
            if (field_value(obj, key) == value) == negate:
                return False
        return True


def parse_field_selector(text: str) -> FieldSelector:
    terms = []
    for part in text.split(","):
        if not part.strip():
            continue
        if "!=" in part:
            key, _, value = part.partition("!=")
            negate = True
        elif "==" in part:
            key, _, value = part.partition("==")
            negate = False
        elif "=" in part:
            key, _, value = part.partition("=")
            negate = False
        else:
            raise FieldSelectorError(f"invalid selector: '{text}'; can't understand '{part}'")
        terms.append((key.strip(), value.strip(), negate))
    return FieldSelector(text, terms)


def field_value(obj: Obj, key: str) -> str:
    """A field's value as the API server compares it: a string ("true"/"false" for booleans)."""
    if key == "metadata.namespace":
        return str((obj.get("metadata") or {}).get("namespace", ""))
    if key == "source":
        return str((obj.get("source") or {}).get("component", ""))
    value: object = obj
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "false" if key in ("spec.hostNetwork", "spec.unschedulable") else ""
    return str(value)
