"""Events, as the kubelet, scheduler and controllers record them (``kubectl get events``, describe)."""

from __future__ import annotations

from kubesim.api.registry import Obj

NODE_FOR_COMPONENT = {"kubelet": "minikube"}


def record_event(api, obj: Obj, event_type: str, reason: str, message: str, component: str,
                 field_path: str | None = None, host: str | None = None) -> Obj:
    meta = obj["metadata"]
    namespace = meta.get("namespace") or "default"
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
        "count": 1,
        "eventTime": None,
        "reportingComponent": component,
        "reportingInstance": node or "",
    }
    return api.create(event, namespace)
