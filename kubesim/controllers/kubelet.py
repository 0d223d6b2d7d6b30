"""The scheduler and the kubelet, folded into one step: a new pod is placed on a node, gets an IP
from that node's pod CIDR, and is Running with its containers started — at once, deterministically.

The scheduler places a pod on the least-loaded Ready, schedulable node that matches its nodeSelector
and has room (``status.allocatable.pods``, 110 as on minikube). A pod that fits nowhere stays Pending
with the scheduler's FailedScheduling message, in a queue: each pod that leaves a node lets the
oldest waiting pod try again.

Pod IPs are handed out the way the bridge CNI's host-local IPAM does: the next free address after
the last one given on that node, wrapping around, skipping the gateway (.1).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from kubesim.api.registry import Obj, kind_named
from kubesim.controllers import Key
from kubesim.controllers.events import record_event

POD_IP_POOL = "pod-ip"
# Pods the scheduler could not place, oldest first: value = a zero-padded sequence, owner = the pod.
UNSCHEDULABLE_POOL = "unschedulable"
PODS_PER_NODE = "podsPerNode"
# Worked out from nodes: a write to any node drops it (ApiServer._forget_memos_of).
NODE_PROFILES = "kind:Node/profiles"


class Kubelet:
    name = "kubelet"

    def keys_for(self, api, kind: str, obj: Obj, deleted: bool) -> Iterable[Key]:
        if kind != "Pod":
            return ()
        meta = obj["metadata"]
        if deleted:
            self._release(api, obj)
            retry = self._leave_node(api, obj)
            from kubesim.runtime.environment import forget_service_links

            forget_service_links(api, obj)
            api.tx.drop_files_of(f"{meta['uid']}/")
            return retry
        if _waiting_to_start(obj):
            return (("Pod", meta.get("namespace", ""), meta["name"]),)
        return ()

    def on_clock(self, api) -> Iterable[Key]:
        return ()

    def sync(self, api, key: Key) -> None:
        _, namespace, name = key
        pod = api.find(kind_named("Pod"), namespace, name)
        if pod is None or not _waiting_to_start(pod):
            return
        node, why_not = self._schedule(api, pod)
        if node is None and not why_not:  # bound to a node that does not exist: no kubelet will run it
            pending = {"phase": "Pending", "qosClass": _qos_class(pod)}
            if pod.get("status") != pending:
                pod["status"] = pending
                api.write_status(pod)
            return
        if node is None:
            self._wait_for_room(api, pod, why_not)
            return
        node_name = node["metadata"]["name"]
        self._forget_waiting(api, pod)
        _pods_per_node(api)[node_name] += 1
        pod["spec"]["nodeName"] = node_name
        record_event(api, pod, "Normal", "Scheduled",
                     f"Successfully assigned {namespace}/{name} to {node_name}", "default-scheduler")
        host_ip = _internal_ip(node)
        pod_ip = host_ip if pod["spec"].get("hostNetwork") else self._allocate_ip(api, node, pod)
        now = api.timestamp()
        from kubesim.runtime.environment import snapshot_service_links

        snapshot_service_links(api, pod)
        from kubesim.controllers import prober

        statuses = []
        for container in pod["spec"].get("containers", []):
            record_container_start(api, pod, container)
            statuses.append({
                "containerID": container_id(pod["metadata"]["uid"], container["name"], 0),
                **image_fields(container.get("image", "")),
                "lastState": {},
                "name": container["name"],
                "ready": prober.initially_ready(container),
                "restartCount": 0,
                "started": prober.initially_started(container),
                "state": {"running": {"startedAt": now}},
            })

        def condition(kind: str) -> dict:
            return {"lastProbeTime": None, "lastTransitionTime": now, "status": "True", "type": kind}

        pod["status"] = {
            "conditions": [condition("PodReadyToStartContainers"), condition("Initialized"), condition("Ready"),
                           condition("ContainersReady"), condition("PodScheduled")],
            "containerStatuses": statuses,
            "hostIP": host_ip,
            "hostIPs": [{"ip": host_ip}],
            "phase": "Running",
            "podIP": pod_ip,
            "podIPs": [{"ip": pod_ip}],
            "qosClass": _qos_class(pod),
            "startTime": now,
        }
        prober.sync_pod_conditions(pod, now)
        prober.start_pod(api, pod, api.now.timestamp())
        api.write_status(pod)

    # -- scheduling ------------------------------------------------------------------------------
    def _schedule(self, api, pod: Obj) -> tuple[Obj | None, str]:
        """The least-loaded node the pod fits on (ties: by name), or None and the scheduler's reason."""
        wanted = pod["spec"].get("nodeName")
        nodes = _node_profiles(api)
        if wanted:  # bound already: the scheduler is not asked
            bound = [n.node for n in nodes if n.name == wanted]
            return (bound[0], "") if bound else (None, "")
        selector = pod["spec"].get("nodeSelector") or {}
        load = _pods_per_node(api)
        best: _NodeProfile | None = None
        rejected: dict[str, int] = {}
        for node in nodes:
            reason = node.misfit(selector, load[node.name])
            if reason:
                rejected[reason] = rejected.get(reason, 0) + 1
            elif best is None or (load[node.name], node.name) < (load[best.name], best.name):
                best = node
        if best is None:
            return None, _unavailable(len(nodes), rejected)
        return best.node, ""

    def _wait_for_room(self, api, pod: Obj, message: str) -> None:
        meta = pod["metadata"]
        pod["status"] = {"phase": "Pending", "conditions": [{
            "lastProbeTime": None, "lastTransitionTime": api.timestamp(), "message": message,
            "reason": "Unschedulable", "status": "False", "type": "PodScheduled"}], "qosClass": _qos_class(pod)}
        api.write_status(pod)
        record_event(api, pod, "Warning", "FailedScheduling", message, "default-scheduler")
        sequence = int(api.tx.meta("unschedulableSequence", "0") or 0) + 1
        api.tx.set_meta("unschedulableSequence", str(sequence))
        api.tx.allocate(UNSCHEDULABLE_POOL, f"{sequence:012d}", _pod_owner(pod))
        api.tx.set_meta(f"unschedulable:{meta.get('namespace', '')}/{meta['name']}", f"{sequence:012d}")

    def _forget_waiting(self, api, pod: Obj) -> None:
        meta = pod["metadata"]
        marker = f"unschedulable:{meta.get('namespace', '')}/{meta['name']}"
        place = api.tx.meta(marker)
        if place is not None:
            api.tx.release(UNSCHEDULABLE_POOL, place)
            api.tx.delete_meta(marker)

    def _leave_node(self, api, pod: Obj) -> list[Key]:
        """A deleted pod: off the waiting queue, off its node's count; the oldest waiting pod retries."""
        self._forget_waiting(api, pod)
        node_name = (pod.get("spec") or {}).get("nodeName")
        if not node_name:
            return []
        counts = api.memo.get(PODS_PER_NODE)
        if counts is not None:
            counts[node_name] -= 1
        keys = []
        for place, owner in api.tx.first_allocated(UNSCHEDULABLE_POOL, 1):
            api.tx.release(UNSCHEDULABLE_POOL, place)
            _, namespace, name = owner.split("/", 2)
            api.tx.delete_meta(f"unschedulable:{namespace}/{name}")
            waiting = api.find(kind_named("Pod"), namespace, name)
            if waiting is not None:
                waiting["status"] = {}
                api.write_status(waiting)
                keys.append(("Pod", namespace, name))
        return keys

    # -- addresses -------------------------------------------------------------------------------
    def _allocate_ip(self, api, node: Obj, pod: Obj) -> str:
        import ipaddress

        cidr = ipaddress.ip_network(node.get("spec", {}).get("podCIDR") or "10.244.0.0/24")
        first, last = int(cidr.network_address) + 2, int(cidr.broadcast_address) - 1
        marker = f"lastPodIP:{node['metadata']['name']}"
        previous = api.tx.meta(marker)
        start = int(ipaddress.ip_address(previous)) + 1 if previous else first
        owner = f"pods/{pod['metadata'].get('namespace', '')}/{pod['metadata']['name']}"
        size = last - first + 1
        for step in range(size):
            candidate = first + (start - first + step) % size
            address = str(ipaddress.ip_address(candidate))
            if api.tx.allocate(POD_IP_POOL, address, owner):
                api.tx.set_meta(marker, address)
                return address
        raise RuntimeError(f"no pod IP left on node {node['metadata']['name']}")

    def _release(self, api, pod: Obj) -> None:
        ip = (pod.get("status") or {}).get("podIP")
        if ip and not pod.get("spec", {}).get("hostNetwork"):
            api.tx.release(POD_IP_POOL, ip)


def _pods_per_node(api) -> Counter:
    """Pods bound to each node: counted once a request, then kept as pods are bound and deleted."""
    counts = api.memo.get(PODS_PER_NODE)
    if counts is None:
        counts = Counter(str((p.get("spec") or {}).get("nodeName") or "") for p in api.list(kind_named("Pod")))
        api.memo[PODS_PER_NODE] = counts
    return counts


class _NodeProfile:
    """What the scheduler's filters read of a node, worked out once a request rather than once a pod."""

    __slots__ = ("node", "name", "labels", "room", "blocked")

    def __init__(self, node: Obj) -> None:
        self.node = node
        self.name = node["metadata"]["name"]
        self.labels = node["metadata"].get("labels") or {}
        self.room = int(((node.get("status") or {}).get("allocatable") or {}).get("pods", "110"))
        self.blocked = ""
        if (node.get("spec") or {}).get("unschedulable"):
            self.blocked = "node(s) were unschedulable"
        elif not _ready(node):
            self.blocked = "node(s) had untolerated taint {node.kubernetes.io/not-ready: }"

    def misfit(self, selector: dict, bound: int) -> str:
        """Why the scheduler's filters reject this node for a pod, in its words; "" when the pod fits."""
        if self.blocked:
            return self.blocked
        if selector and any(self.labels.get(k) != v for k, v in selector.items()):
            return "node(s) didn't match Pod's node affinity/selector"
        if bound >= self.room:
            return "Too many pods"
        return ""


def _node_profiles(api) -> list[_NodeProfile]:
    """The nodes, by name, as the scheduler sees them: read once a request, again after a node changes."""
    profiles = api.memo.get(NODE_PROFILES)
    if profiles is None:
        profiles = [_NodeProfile(node) for node in api.list(kind_named("Node"))]
        api.memo[NODE_PROFILES] = profiles
    return profiles


def _unavailable(total: int, rejected: dict[str, int]) -> str:
    """The scheduler's FitError: each reason counted, then what preemption could do about it."""
    reasons = sorted(f"{count} {reason}" for reason, count in rejected.items())
    victims = {}
    for reason, count in rejected.items():
        verdict = ("No preemption victims found for incoming pod" if reason == "Too many pods"
                   else "Preemption is not helpful for scheduling")
        victims[verdict] = victims.get(verdict, 0) + count
    preemption = sorted(f"{count} {verdict}" for verdict, count in victims.items())
    return (f"0/{total} nodes are available: {', '.join(reasons)}. "
            f"preemption: 0/{total} nodes are available: {', '.join(preemption)}.")


def _pod_owner(pod: Obj) -> str:
    return f"pods/{pod['metadata'].get('namespace', '')}/{pod['metadata']['name']}"


def record_container_start(api, pod: Obj, container: Obj) -> None:
    """The kubelet's events for starting a container (again: a restart repeats them, counted)."""
    field_path = f"spec.containers{{{container['name']}}}"
    record_event(api, pod, "Normal", "Pulled", f'Container image "{container.get("image", "")}" already present on machine',
                 "kubelet", field_path=field_path)
    record_event(api, pod, "Normal", "Created", f"Created container: {container['name']}", "kubelet",
                 field_path=field_path)
    record_event(api, pod, "Normal", "Started", f"Started container {container['name']}", "kubelet",
                 field_path=field_path)


def image_fields(image: str) -> dict:
    """A container status's ``image`` and ``imageID`` for the image its spec names."""
    reference = _image_reference(image)
    return {"image": reference, "imageID": reference.rsplit(":", 1)[0] + "@sha256:" + _digest(reference)}


def container_id(pod_uid: str, name: str, restarts: int) -> str:
    """containerd's ID for a pod's container: a new one each time it is started."""
    return "containerd://" + _digest(f"{pod_uid}/{name}" + (f"/{restarts}" if restarts else ""))


def _waiting_to_start(pod: Obj) -> bool:
    """A pod the kubelet has not started yet: unscheduled, or Pending without container statuses."""
    status = pod.get("status") or {}
    if not pod.get("spec", {}).get("nodeName"):
        return not any(c.get("reason") == "Unschedulable" for c in status.get("conditions") or [])
    return status.get("phase", "Pending") == "Pending" and not status.get("containerStatuses")


def _ready(node: Obj) -> bool:
    for condition in (node.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Ready":
            return condition.get("status") == "True"
    return False


def _internal_ip(node: Obj) -> str:
    for address in (node.get("status") or {}).get("addresses") or []:
        if address.get("type") == "InternalIP":
            return address["address"]
    return ""


def _image_reference(image: str) -> str:
    """Docker's normalisation: ``luksa/kubia`` is ``docker.io/luksa/kubia:latest``."""
    name, tag = image, "latest"
    last = image.rsplit("/", 1)[-1]
    if "@" in image:
        return image if "/" in image.split("@")[0] else f"docker.io/library/{image}"
    if ":" in last:
        name, tag = image.rsplit(":", 1)
    first = name.split("/", 1)[0]
    if "/" not in name:
        name = f"docker.io/library/{name}"
    elif "." not in first and ":" not in first and first != "localhost":
        name = f"docker.io/{name}"
    return f"{name}:{tag}"


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def _qos_class(pod: Obj) -> str:
    containers = pod["spec"].get("containers", [])
    resources = [c.get("resources") or {} for c in containers]
    if not any(r.get("requests") or r.get("limits") for r in resources):
        return "BestEffort"
    guaranteed = all(
        set(r.get("limits") or {}) >= {"cpu", "memory"}
        and all((r.get("requests") or {}).get(k, v) == v for k, v in (r.get("limits") or {}).items())
        for r in resources)
    return "Guaranteed" if guaranteed else "Burstable"


CONTROLLER = Kubelet()
