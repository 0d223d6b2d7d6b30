"""Deployments: one ReplicaSet per pod template (``<name>-<pod-template-hash>``), the newest one
scaled to spec.replicas and older ones to zero. Pods start at once, so a rollout completes within
the request that caused it.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable

from kubesim.api.registry import Obj, kind_named
from kubesim.controllers import Key
from kubesim.controllers.events import record_event
from kubesim.controllers.replication import controller_of

SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def pod_template_hash(template: dict, collision_count: int = 0) -> str:
    """FNV-32a over the template, rendered through the API server's safe alphabet (digits → [4-9bcdf])."""
    data = json.dumps(template, sort_keys=True, separators=(",", ":")).encode()
    if collision_count:
        data += str(collision_count).encode()
    value = 0x811C9DC5
    for byte in data:
        value ^= byte
        value = (value * 0x01000193) & 0xFFFFFFFF
    return "".join(SAFE_ALPHABET[ord(ch) % len(SAFE_ALPHABET)] for ch in str(value))


class DeploymentController:
    name = "deployment"

    def keys_for(self, api, kind: str, obj: Obj, deleted: bool) -> Iterable[Key]:
        meta = obj["metadata"]
        if kind == "Deployment" and not deleted:
            return (("Deployment", meta.get("namespace", ""), meta["name"]),)
        if kind == "ReplicaSet":
            owner = controller_of(obj)
            if owner and owner.get("kind") == "Deployment":
                return (("Deployment", meta.get("namespace", ""), owner["name"]),)
        return ()

    def on_clock(self, api) -> Iterable[Key]:
        return ()

    def sync(self, api, key: Key) -> None:
        _, namespace, name = key
        deployment = api.find(kind_named("Deployment", "apps"), namespace, name)
        if deployment is None:
            return
        rs_kind = kind_named("ReplicaSet", "apps")
        uid = deployment["metadata"]["uid"]
        owned = [rs for rs in api.list(rs_kind, namespace) if (controller_of(rs) or {}).get("uid") == uid]
        spec = deployment.get("spec", {})
        template = copy.deepcopy(spec.get("template") or {})
        template_hash = pod_template_hash(template, (deployment.get("status") or {}).get("collisionCount", 0))
        new_name = f"{name}-{template_hash}"
        replicas = spec.get("replicas", 1)
        current = next((rs for rs in owned if rs["metadata"]["name"] == new_name), None)
        def revision_of(rs: Obj) -> int:
            return int((rs["metadata"].get("annotations") or {}).get("deployment.kubernetes.io/revision", "0"))

        revision = revision_of(current) if current is not None else 1 + max(map(revision_of, owned), default=0)
        if current is None:
            labels = dict((template.get("metadata") or {}).get("labels") or {})
            labels["pod-template-hash"] = template_hash
            template.setdefault("metadata", {})["labels"] = labels
            selector = copy.deepcopy(spec.get("selector") or {})
            selector.setdefault("matchLabels", {})["pod-template-hash"] = template_hash
            current = api.create({
                "apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": {
                    "name": new_name, "namespace": namespace, "labels": labels,
                    "annotations": {"deployment.kubernetes.io/desired-replicas": str(replicas),
                                    "deployment.kubernetes.io/max-replicas": str(replicas + _surge(spec, replicas)),
                                    "deployment.kubernetes.io/revision": str(revision)},
                    "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": name, "uid": uid,
                                         "controller": True, "blockOwnerDeletion": True}],
                },
                "spec": {"replicas": replicas, "selector": selector, "template": template},
            }, namespace)
            record_event(api, deployment, "Normal", "ScalingReplicaSet",
                         f"Scaled up replica set {new_name} from 0 to {replicas}", "deployment-controller")
            deployment = api.find(kind_named("Deployment", "apps"), namespace, name) or deployment
            owned.append(current)
        elif current.get("spec", {}).get("replicas") != replicas:
            before = current["spec"].get("replicas")
            current["spec"]["replicas"] = replicas
            current = api.update(current)
            direction = "up" if replicas > (before or 0) else "down"
            record_event(api, deployment, "Normal", "ScalingReplicaSet",
                         f"Scaled {direction} replica set {new_name} from {before} to {replicas}",
                         "deployment-controller")
        for rs in owned:
            if rs["metadata"]["name"] != new_name and rs.get("spec", {}).get("replicas"):
                before = rs["spec"]["replicas"]
                rs["spec"]["replicas"] = 0
                api.update(rs)
                record_event(api, deployment, "Normal", "ScalingReplicaSet",
                             f"Scaled down replica set {rs['metadata']['name']} from {before} to 0",
                             "deployment-controller")
        self._write_status(api, deployment, api.list(rs_kind, namespace), uid, new_name, revision)

    def _write_status(self, api, deployment: Obj, replica_sets: list[Obj], uid: str, new_name: str,
                      revision: int) -> None:
        owned = [rs for rs in replica_sets if (controller_of(rs) or {}).get("uid") == uid]
        total = sum((rs.get("status") or {}).get("replicas", 0) for rs in owned)
        ready = sum((rs.get("status") or {}).get("readyReplicas", 0) for rs in owned)
        new = next((rs for rs in owned if rs["metadata"]["name"] == new_name), None)
        updated = (new.get("status") or {}).get("replicas", 0) if new else 0
        wanted = deployment.get("spec", {}).get("replicas", 1)
        now = api.timestamp()
        previous = {c.get("type"): c for c in (deployment.get("status") or {}).get("conditions") or []}

        def condition(kind: str, status: str, reason: str, message: str) -> dict:
            old = previous.get(kind)
            changed = not old or old.get("status") != status
            return {"lastTransitionTime": now if changed else old.get("lastTransitionTime", now),
                    "lastUpdateTime": now if changed or old.get("reason") != reason else old.get("lastUpdateTime"),
                    "message": message, "reason": reason, "status": status, "type": kind}

        available = ready >= wanted - _unavailable(deployment.get("spec", {}), wanted)
        status: dict = {
            "availableReplicas": ready,
            "conditions": [
                condition("Available", "True" if available else "False",
                          "MinimumReplicasAvailable" if available else "MinimumReplicasUnavailable",
                          "Deployment has minimum availability." if available
                          else "Deployment does not have minimum availability."),
                condition("Progressing", "True", "NewReplicaSetAvailable" if updated == wanted == ready
                          else "ReplicaSetUpdated",
                          f'ReplicaSet "{new_name}" has successfully progressed.' if updated == wanted == ready
                          else f'ReplicaSet "{new_name}" is progressing.'),
            ],
            "observedGeneration": deployment["metadata"].get("generation", 1),
            "readyReplicas": ready,
            "replicas": total,
            "updatedReplicas": updated,
        }
        for key in ("availableReplicas", "readyReplicas", "replicas", "updatedReplicas"):
            if not status[key]:
                del status[key]
        if total > ready:
            status["unavailableReplicas"] = total - ready
        annotations = deployment["metadata"].setdefault("annotations", {})
        changed = annotations.get("deployment.kubernetes.io/revision") != str(revision)
        annotations["deployment.kubernetes.io/revision"] = str(revision)
        if changed or _without_times(deployment.get("status")) != _without_times(status):
            deployment["status"] = status
            api.write_status(deployment)


def _percent_or_int(value, total: int, round_up: bool) -> int:
    if isinstance(value, str) and value.endswith("%"):
        amount = int(value[:-1]) * total / 100
        return int(-(-amount // 1)) if round_up else int(amount)
    return int(value or 0)


def _surge(spec: dict, replicas: int) -> int:
    rolling = (spec.get("strategy") or {}).get("rollingUpdate") or {}
    return _percent_or_int(rolling.get("maxSurge", "25%"), replicas, True)


def _unavailable(spec: dict, replicas: int) -> int:
    rolling = (spec.get("strategy") or {}).get("rollingUpdate") or {}
    return _percent_or_int(rolling.get("maxUnavailable", "25%"), replicas, False)


def _without_times(status) -> object:
    if not isinstance(status, dict):
        return status
    clone = dict(status)
    clone["conditions"] = [{k: v for k, v in c.items() if k not in ("lastTransitionTime", "lastUpdateTime")}
                           for c in status.get("conditions") or []]
    return clone


CONTROLLER = DeploymentController()
