"""ReplicationControllers and ReplicaSets: keep the number of matching pods at spec.replicas.

Like kube-controller-manager's replication manager: matching orphans are adopted, owned pods whose
labels stop matching are released (and replaced), missing pods are created from the template with
``<owner>-`` as generateName, and excess pods are deleted — unscheduled, pending and not-ready ones
first, then the newest.
"""

from __future__ import annotations

from collections.abc import Iterable

from kubesim.api.registry import Obj, kind_named
from kubesim.api.selectors import selector_from_label_selector, selector_from_map
from kubesim.controllers import Key
from kubesim.controllers.events import record_event

MANAGED = {"ReplicationController": ("", "replication-controller"), "ReplicaSet": ("apps", "replicaset-controller")}


def selector_of(owner: Obj):
    """An RC selects by a plain map; a ReplicaSet by a LabelSelector."""
    selector = owner.get("spec", {}).get("selector")
    if owner.get("kind") == "ReplicationController":
        return selector_from_map(selector or {})
    return selector_from_label_selector(selector)


def controller_of(obj: Obj) -> dict | None:
    for ref in obj.get("metadata", {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return ref
    return None


def is_active(pod: Obj) -> bool:
    phase = (pod.get("status") or {}).get("phase")
    return phase not in ("Succeeded", "Failed") and not pod["metadata"].get("deletionTimestamp")


def is_ready(pod: Obj) -> bool:
    for condition in (pod.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Ready":
            return condition.get("status") == "True"
    return False


class ReplicationManager:
    name = "replication"

    def keys_for(self, api, kind: str, obj: Obj, deleted: bool) -> Iterable[Key]:
        meta = obj["metadata"]
        if kind in MANAGED:
            return () if deleted else ((kind, meta.get("namespace", ""), meta["name"]),)
        if kind != "Pod":
            return ()
        keys = []
        owner = controller_of(obj)
        if owner and owner.get("kind") in MANAGED:
            keys.append((owner["kind"], meta.get("namespace", ""), owner["name"]))
        if not deleted and owner is None:
            labels = meta.get("labels") or {}
            for managed in MANAGED:
                for candidate in api.list(kind_named(managed, MANAGED[managed][0]), meta.get("namespace", "")):
                    if selector_of(candidate).matches(labels):
                        keys.append((managed, meta.get("namespace", ""), candidate["metadata"]["name"]))
        return keys

    def on_clock(self, api) -> Iterable[Key]:
        return ()

    def sync(self, api, key: Key) -> None:
        kind_name, namespace, name = key
        group, component = MANAGED[kind_name]
        owner = api.find(kind_named(kind_name, group), namespace, name)
        if owner is None:
            return
        pod_kind = kind_named("Pod")
        selector = selector_of(owner)
        uid = owner["metadata"]["uid"]
        active: list[Obj] = []
        for pod in _pods_of(api, pod_kind, namespace, selector, owner):
            labels = pod["metadata"].get("labels") or {}
            ref = controller_of(pod)
            matches = selector.matches(labels)
            if ref is not None and ref.get("uid") == uid:
                if not matches:
                    self._release(api, pod, uid)
                    continue
            elif ref is None and matches and is_active(pod):
                self._adopt(api, owner, pod)
            else:
                continue
            if is_active(pod):
                active.append(pod)
        wanted = owner.get("spec", {}).get("replicas", 1)
        if wanted is None:
            wanted = 1
        if len(active) < wanted:
            for _ in range(wanted - len(active)):
                pod = api.create(self._pod_from_template(owner), namespace)
                record_event(api, owner, "Normal", "SuccessfulCreate", f"Created pod: {pod['metadata']['name']}",
                             component)
            active = [p for p in api.owned_by(owner, pod_kind)
                      if (controller_of(p) or {}).get("uid") == uid and is_active(p)]
        elif len(active) > wanted:
            for pod in sorted(active, key=_deletion_rank)[: len(active) - wanted]:
                api.delete(pod_kind, namespace, pod["metadata"]["name"])
                record_event(api, owner, "Normal", "SuccessfulDelete", f"Deleted pod: {pod['metadata']['name']}",
                             component)
                active.remove(pod)
        self._write_status(api, owner, active, selector)

    def _pod_from_template(self, owner: Obj) -> Obj:
        template = owner.get("spec", {}).get("template") or {}
        template_meta = template.get("metadata") or {}
        metadata: dict = {"generateName": f"{owner['metadata']['name']}-"}
        for field in ("labels", "annotations"):
            if template_meta.get(field):
                metadata[field] = dict(template_meta[field])
        metadata["ownerReferences"] = [{
            "apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": owner["metadata"]["name"],
            "uid": owner["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}]
        return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": dict(template.get("spec") or {})}

    def _adopt(self, api, owner: Obj, pod: Obj) -> None:
        pod["metadata"].setdefault("ownerReferences", []).append({
            "apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": owner["metadata"]["name"],
            "uid": owner["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True})
        api.write_status(pod)

    def _release(self, api, pod: Obj, uid: str) -> None:
        refs = [ref for ref in pod["metadata"].get("ownerReferences") or [] if ref.get("uid") != uid]
        if refs:
            pod["metadata"]["ownerReferences"] = refs
        else:
            pod["metadata"].pop("ownerReferences", None)
        api.write_status(pod)

    def _write_status(self, api, owner: Obj, active: list[Obj], selector) -> None:
        template_labels = ((owner.get("spec", {}).get("template") or {}).get("metadata") or {}).get("labels") or {}
        ready = sum(1 for pod in active if is_ready(pod))
        labelled = sum(1 for pod in active
                       if all((pod["metadata"].get("labels") or {}).get(k) == v for k, v in template_labels.items()))
        status: dict = {"replicas": len(active)}
        if labelled:
            status["fullyLabeledReplicas"] = labelled
        if ready:
            status["readyReplicas"] = ready
            status["availableReplicas"] = ready
        status["observedGeneration"] = owner["metadata"].get("generation", 1)
        if owner.get("status") != status:
            owner["status"] = status
            api.write_status(owner)


def _deletion_rank(pod: Obj) -> tuple:
    status = pod.get("status") or {}
    scheduled = bool(pod.get("spec", {}).get("nodeName"))
    phase_rank = {"Pending": 0, "Unknown": 1, "Running": 2}.get(status.get("phase", ""), 0)
    created = pod["metadata"].get("creationTimestamp", "")
    return (scheduled, phase_rank, is_ready(pod), _negated(created), pod["metadata"]["name"])


def _negated(text: str) -> tuple:
    return tuple(-ord(ch) for ch in text)


def _pods_of(api, pod_kind, namespace: str, selector, owner: Obj) -> list[Obj]:
    """The pods a controller must look at, by name: those its selector matches (through the store's
    label index) and those that name it as owner (to release the ones that no longer match)."""
    pods = {p["metadata"]["name"]: p for p in api.iterate(pod_kind, namespace, selector)}
    for pod in api.owned_by(owner, pod_kind):
        if pod["metadata"].get("namespace", "") == namespace:
            pods.setdefault(pod["metadata"]["name"], pod)
    return [pods[name] for name in sorted(pods)]


CONTROLLER = ReplicationManager()

