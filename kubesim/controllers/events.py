"""Events, as the kubelet, scheduler and controllers record them (``kubectl get events``, describe).

client-go's event correlator folds a repeat of an event (same object, field path, reason, message,
type and source) into the first one: its ``count`` goes up and ``lastTimestamp`` moves, which is what
describe shows as ``3s (x13 over 2m)``. The index from an event's identity to its name is a setting,
so a repeat costs one lookup.
"""

from __future__ import annotations

from kubesim.api.registry import Obj

NODE_FOR_COMPONENT = {"kubelet": "minikube"}


SERIES_PREFIX = "event:"


def record_event(api, obj: Obj, event_type: str, reason: str, message: str, component: str,
                 field_path: str | None = None, host: str | None = None, count: int = 1) -> Obj:
    """Record ``count`` occurrences of an event, the last of them now (the first, if new, too)."""
    meta = obj["metadata"]
    namespace = meta.get("namespace") or "default"
    series = _series_key(meta.get("uid", ""), field_path, reason, message, event_type, component)
    known = api.tx.meta(series)
    if known is not None:
        from kubesim.api.registry import kind_named

        event = api.find(kind_named("Event"), namespace, known)
        if event is not None:
            event["count"] = int(event.get("count") or 1) + count
            event["lastTimestamp"] = api.timestamp()
            return api.write_status(event)
    sequence = api.tx.next_resource_version()
    nanos = int(api.now.timestamp() * 1_000_000_000) + sequence
    involved = {
        "apiVersion": obj.get("apiVersion", "v1"),
        "kind": obj.get("kind", ""),
        "name": meta["name"],
        "namespace": namespace,
        "uid": meta.get("uid", ""),
    }
    if meta.get("resourceVersion"):
        involved["resourceVersion"] = meta["resourceVersion"]
    if field_path:
        involved["fieldPath"] = field_path
    source = {"component": component}
    node = host or (obj.get("spec") or {}).get("nodeName") if component == "kubelet" else host
    if node:
        source["host"] = node
    event = {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": f"{meta['name']}.{nanos:x}", "namespace": namespace},
        "involvedObject": involved,
        "reason": reason,
        "message": message,
        "type": event_type,
        "source": source,
        "firstTimestamp": api.timestamp(),
        "lastTimestamp": api.timestamp(),
        "count": count,
        "eventTime": None,
        "reportingComponent": component,
        "reportingInstance": node or "",
    }
    created = api.create(event, namespace)
    api.tx.set_meta(series, created["metadata"]["name"])
    return created


def _series_key(uid: str, field_path: str | None, reason: str, message: str, event_type: str, component: str) -> str:
    import hashlib

    identity = "\x00".join((uid, field_path or "", reason, message, event_type, component))
    return SERIES_PREFIX + hashlib.sha1(identity.encode()).hexdigest()
