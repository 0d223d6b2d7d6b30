"""Endpoints and EndpointSlices for Services with selectors, kept current on every pod or service change.

Mirrors the endpoints and endpointslice controllers: matching pods with an IP, a named targetPort
resolved per pod (a pod without that port is left out of that port), ready pods in ``addresses`` and
the others in ``notReadyAddresses`` (EndpointSlices list both, with conditions).
"""

from __future__ import annotations

from collections.abc import Iterable

from kubesim.api.registry import Obj, kind_named
from kubesim.api.selectors import selector_from_map
from kubesim.controllers import Key
from kubesim.controllers.replication import is_ready

MANAGED_BY = "endpointslice-controller.k8s.io"
MAX_ENDPOINTS_PER_SLICE = 100
HEADLESS_LABEL = "service.kubernetes.io/headless"


def serves_endpoints(service: Obj) -> bool:
    spec = service.get("spec") or {}
    return spec.get("selector") is not None and spec.get("type") != "ExternalName"


def resolve_target_port(pod: Obj, service_port: dict) -> int | None:
    """FindPort: a number is used as is; a name is looked up by name and protocol in the pod's containers."""
    target = service_port.get("targetPort", service_port.get("port"))
    if isinstance(target, int):
        return target
    if isinstance(target, str) and target.isdigit():
        return int(target)
    protocol = service_port.get("protocol", "TCP")
    spec = pod.get("spec") or {}
    for container in [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]:
        for port in container.get("ports") or []:
            if port.get("name") == target and port.get("protocol", "TCP") == protocol:
                return port.get("containerPort")
    return None


SERVICES_MEMO = "endpointsServices"


class _ServicesOfPods:
    """Which services a pod's change concerns: those whose selector matches it now, and those whose
    Endpoints hold it (it may have just left them). Built once a request for a namespace, then kept
    current from the writes the controllers see, so a pod's write costs no listing of services.

    Selectors are indexed by one of their label pairs, and Endpoints by the pods they name, so a pod
    is checked against the few services that could want it, not all of them (2,000 services beside
    10,000 pods)."""

    def __init__(self, api, namespace: str) -> None:
        self.selectors: dict[str, dict] = {}
        self.rank: dict[str, int] = {}  # the order services were noted in: the order keys are queued
        self.noted = 0
        self.by_pair: dict[tuple[str, str], set[str]] = {}
        self.everything: set[str] = set()  # services whose empty selector matches every pod
        self.members: dict[str, set[str]] = {}  # service -> the pods its Endpoints name
        self.services_naming: dict[str, set[str]] = {}  # pod -> the services whose Endpoints name it
        for service in api.list(kind_named("Service"), namespace):
            self.note_service(service["metadata"]["name"], service)
        for endpoints in api.list(kind_named("Endpoints"), namespace):
            self.note_endpoints(endpoints["metadata"]["name"], endpoints)

    def note_service(self, name: str, service: Obj | None) -> None:
        old = self.selectors.pop(name, None)
        if old is not None:
            self._bucket(old).discard(name)
        if service is not None and serves_endpoints(service):
            selector = (service.get("spec") or {}).get("selector") or {}
            if old is None:
                self.rank[name] = self.noted = self.noted + 1
            self.selectors[name] = selector
            self._bucket(selector).add(name)
        else:
            self.rank.pop(name, None)

    def _bucket(self, selector: dict) -> set[str]:
        if not selector:
            return self.everything
        key = min(selector)
        return self.by_pair.setdefault((key, str(selector[key])), set())

    def note_endpoints(self, service: str, endpoints: Obj | None) -> None:
        names = set()
        for subset in (endpoints or {}).get("subsets") or []:
            for address in [*(subset.get("addresses") or []), *(subset.get("notReadyAddresses") or [])]:
                ref = address.get("targetRef") or {}
                if ref.get("kind") == "Pod":
                    names.add(ref.get("name", ""))
        for pod in self.members.get(service, set()) - names:
            self.services_naming.get(pod, set()).discard(service)
        for pod in names:
            self.services_naming.setdefault(pod, set()).add(service)
        self.members[service] = names

    def interested_in(self, pod: str, labels: dict) -> list[str]:
        candidates = set(self.everything)
        for pair in labels.items():
            candidates |= self.by_pair.get((pair[0], str(pair[1])), set())
        wanted = {name for name in candidates
                  if all(labels.get(k) == v for k, v in self.selectors[name].items())}
        wanted |= {name for name in self.services_naming.get(pod, ()) if name in self.selectors}
        return sorted(wanted, key=self.rank.__getitem__)


def _services_of_pods(api, namespace: str) -> _ServicesOfPods:
    by_namespace = api.memo.setdefault(SERVICES_MEMO, {})
    if namespace not in by_namespace:
        by_namespace[namespace] = _ServicesOfPods(api, namespace)
    return by_namespace[namespace]


class EndpointsController:
    name = "endpoints"

    def keys_for(self, api, kind: str, obj: Obj, deleted: bool) -> Iterable[Key]:
        meta = obj["metadata"]
        namespace = meta.get("namespace", "")
        known = api.memo.get(SERVICES_MEMO, {}).get(namespace)
        if kind == "Service":
            if known is not None:
                known.note_service(meta["name"], None if deleted else obj)
            return (("Service", namespace, meta["name"]),)
        if kind == "Endpoints":
            if known is not None:
                known.note_endpoints(meta["name"], None if deleted else obj)
            return ()
        if kind == "Pod":
            return [("Service", namespace, name)
                    for name in _services_of_pods(api, namespace).interested_in(meta["name"], meta.get("labels") or {})]
        return ()

    def on_clock(self, api) -> Iterable[Key]:
        return ()

    def sync(self, api, key: Key) -> None:
        _, namespace, name = key
        service = api.find(kind_named("Service"), namespace, name)
        endpoints_kind = kind_named("Endpoints")
        existing = api.find(endpoints_kind, namespace, name)
        if service is None or not serves_endpoints(service):
            if existing is not None and service is None:
                # As the real controller does: the Endpoints of a deleted service go too, manual ones included.
                api.delete(endpoints_kind, namespace, name)
            if service is None:
                return
            if not serves_endpoints(service):
                return
        pods = self._selected_pods(api, service)
        self._sync_endpoints(api, service, pods, existing)
        self._sync_slices(api, service, pods)

    def _selected_pods(self, api, service: Obj) -> list[Obj]:
        selector = selector_from_map(service["spec"].get("selector") or {})
        pods = []
        for pod in api.iterate(kind_named("Pod"), service["metadata"].get("namespace", ""), selector):
            status = pod.get("status") or {}
            if not status.get("podIP") or status.get("phase") in ("Succeeded", "Failed"):
                continue
            pods.append(pod)
        return pods

    # -- Endpoints ---------------------------------------------------------------------------------
    def _sync_endpoints(self, api, service: Obj, pods: list[Obj], existing: Obj | None) -> None:
        spec = service["spec"]
        publish_all = bool(spec.get("publishNotReadyAddresses"))
        groups: dict[tuple, dict] = {}
        for pod in pods:
            ports = []
            for service_port in spec.get("ports") or []:
                resolved = resolve_target_port(pod, service_port)
                if resolved is None:
                    continue
                port = {"port": resolved, "protocol": service_port.get("protocol", "TCP")}
                if service_port.get("name"):
                    port = {"name": service_port["name"], **port}
                if service_port.get("appProtocol"):
                    port["appProtocol"] = service_port["appProtocol"]
                ports.append(port)
            if spec.get("ports") and not ports:
                continue
            signature = tuple(sorted((p.get("name", ""), p["port"], p["protocol"]) for p in ports))
            group = groups.setdefault(signature, {"addresses": [], "notReadyAddresses": [], "ports": ports})
            address = self._address(pod, service)
            if is_ready(pod) or publish_all:
                group["addresses"].append(address)
            else:
                group["notReadyAddresses"].append(address)
        subsets = []
        for group in groups.values():
            subset: dict = {}
            for field in ("addresses", "notReadyAddresses"):
                if group[field]:
                    subset[field] = sorted(group[field], key=lambda a: (a["ip"], a["targetRef"]["uid"]))
            if group["ports"]:
                subset["ports"] = group["ports"]
            subsets.append(subset)
        subsets.sort(key=lambda s: [a["ip"] for a in s.get("addresses", []) + s.get("notReadyAddresses", [])])
        labels = dict(service["metadata"].get("labels") or {})
        if spec.get("clusterIP") == "None":
            labels[HEADLESS_LABEL] = ""
        desired: Obj = {"apiVersion": "v1", "kind": "Endpoints",
                        "metadata": {"name": service["metadata"]["name"],
                                     "namespace": service["metadata"].get("namespace", "")}}
        if labels:
            desired["metadata"]["labels"] = labels
        if subsets:
            desired["subsets"] = subsets
        if existing is None:
            desired["metadata"]["annotations"] = {
                "endpoints.kubernetes.io/last-change-trigger-time": api.timestamp()}
            api.create(desired, service["metadata"].get("namespace", ""))
            return
        if existing.get("subsets") == desired.get("subsets") and \
                (existing["metadata"].get("labels") or {}) == labels:
            return
        existing["subsets"] = subsets
        if not subsets:
            existing.pop("subsets")
        if labels:
            existing["metadata"]["labels"] = labels
        else:
            existing["metadata"].pop("labels", None)
        existing["metadata"].setdefault("annotations", {})[
            "endpoints.kubernetes.io/last-change-trigger-time"] = api.timestamp()
        api.write_status(existing)

    @staticmethod
    def _address(pod: Obj, service: Obj) -> dict:
        meta = pod["metadata"]
        address: dict = {"ip": pod["status"]["podIP"]}
        spec = pod.get("spec") or {}
        if spec.get("hostname") and spec.get("subdomain") == service["metadata"]["name"]:
            address["hostname"] = spec["hostname"]
        if spec.get("nodeName"):
            address["nodeName"] = spec["nodeName"]
        address["targetRef"] = {"kind": "Pod", "name": meta["name"], "namespace": meta.get("namespace", ""),
                                "uid": meta["uid"]}
        return address

    # -- EndpointSlices ----------------------------------------------------------------------------
    def _sync_slices(self, api, service: Obj, pods: list[Obj]) -> None:
        spec = service["spec"]
        namespace = service["metadata"].get("namespace", "")
        slice_kind = kind_named("EndpointSlice", "discovery.k8s.io")
        owned = [s for s in api.owned_by(service, slice_kind)
                 if (s["metadata"].get("labels") or {}).get("kubernetes.io/service-name") == service["metadata"]["name"]
                 and (s["metadata"].get("labels") or {}).get("endpointslice.kubernetes.io/managed-by") == MANAGED_BY]
        publish_all = bool(spec.get("publishNotReadyAddresses"))
        by_ports: dict[tuple, list] = {}
        port_lists: dict[tuple, list] = {}
        for pod in sorted(pods, key=lambda p: p["status"]["podIP"]):
            ports = []
            for service_port in spec.get("ports") or []:
                resolved = resolve_target_port(pod, service_port)
                if resolved is None:
                    continue
                port = {"name": service_port.get("name", ""), "port": resolved,
                        "protocol": service_port.get("protocol", "TCP")}
                if service_port.get("appProtocol"):
                    port["appProtocol"] = service_port["appProtocol"]
                ports.append(port)
            signature = tuple((p["name"], p["port"], p["protocol"]) for p in ports)
            port_lists[signature] = ports
            ready = is_ready(pod)
            terminating = bool(pod["metadata"].get("deletionTimestamp"))
            endpoint: dict = {"addresses": [pod["status"]["podIP"]],
                              "conditions": {"ready": publish_all or (ready and not terminating),
                                             "serving": ready, "terminating": terminating}}
            pod_spec = pod.get("spec") or {}
            if pod_spec.get("hostname") and pod_spec.get("subdomain") == service["metadata"]["name"]:
                endpoint["hostname"] = pod_spec["hostname"]
            if pod_spec.get("nodeName"):
                endpoint["nodeName"] = pod_spec["nodeName"]
            endpoint["targetRef"] = {"kind": "Pod", "name": pod["metadata"]["name"],
                                     "namespace": namespace, "uid": pod["metadata"]["uid"]}
            by_ports.setdefault(signature, []).append(endpoint)
        desired: list[tuple[list | None, list | None]] = []
        for signature, endpoints in by_ports.items():
            for start in range(0, len(endpoints), MAX_ENDPOINTS_PER_SLICE):
                desired.append((endpoints[start:start + MAX_ENDPOINTS_PER_SLICE], port_lists[signature]))
        if not desired:
            desired.append((None, None))
        labels = {k: v for k, v in (service["metadata"].get("labels") or {}).items()
                  if k not in ("kubernetes.io/service-name", "endpointslice.kubernetes.io/managed-by")}
        labels["endpointslice.kubernetes.io/managed-by"] = MANAGED_BY
        labels["kubernetes.io/service-name"] = service["metadata"]["name"]
        if spec.get("clusterIP") == "None":
            labels[HEADLESS_LABEL] = ""
        for index, (endpoints, ports) in enumerate(desired):
            body = {"addressType": "IPv4", "endpoints": endpoints}
            if ports is not None:
                body["ports"] = ports
            if index < len(owned):
                current = owned[index]
                if current.get("endpoints") == endpoints and current.get("ports") == ports and \
                        current["metadata"].get("labels") == labels:
                    continue
                current.update(body)
                if ports is None:
                    current.pop("ports", None)
                current["metadata"]["labels"] = labels
                current["metadata"].setdefault("annotations", {})[
                    "endpoints.kubernetes.io/last-change-trigger-time"] = api.timestamp()
                api.write_status(current)
            else:
                api.create({
                    "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                    "metadata": {
                        "generateName": f"{service['metadata']['name']}-", "namespace": namespace,
                        "labels": labels,
                        "annotations": {"endpoints.kubernetes.io/last-change-trigger-time": api.timestamp()},
                        "ownerReferences": [{"apiVersion": "v1", "kind": "Service",
                                             "name": service["metadata"]["name"],
                                             "uid": service["metadata"]["uid"], "controller": True,
                                             "blockOwnerDeletion": True}],
                    },
                    **body,
                }, namespace)
        for extra in owned[len(desired):]:
            api.delete(slice_kind, namespace, extra["metadata"]["name"])


CONTROLLER = EndpointsController()
