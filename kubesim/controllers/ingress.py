"""ingress-nginx's status sync: an Ingress it serves gets its controller's address, and an event.

An Ingress of class ``nginx`` (or of no class: the add-on runs with ``--watch-ingress-without-class``)
gets ``status.loadBalancer.ingress: [{ip: <the controller pod's node address>}]`` while a controller
pod runs - the ADDRESS of ``get ing`` (192.168.49.2 on minikube) - and loses it when none is left. Each new spec generation the
controller sees is recorded as ``Normal Sync "Scheduled for sync"`` from ``nginx-ingress-controller``.
A real controller publishes the address at its next status sync (tens of seconds); here it is at once.
"""

from __future__ import annotations

from collections.abc import Iterable

from kubesim.api.registry import Obj, kind_named
from kubesim.controllers import Key

COMPONENT = "nginx-ingress-controller"
SEEN_PREFIX = "ingressSynced:"


def controller_pods(api) -> list[Obj]:
    from kubesim.addons.ingress import LABELS, NAMESPACE

    return [p for p in api.list(kind_named("Pod"), NAMESPACE)
            if all(((p.get("metadata") or {}).get("labels") or {}).get(k) == v for k, v in LABELS.items())
            and (p.get("status") or {}).get("phase") == "Running"]


def controller_address(api) -> str | None:
    for pod in controller_pods(api):
        host_ip = (pod.get("status") or {}).get("hostIP")
        if host_ip:
            return str(host_ip)
    return None


class IngressStatusController:
    name = "ingress-nginx"

    def keys_for(self, api, kind: str, obj: Obj, deleted: bool) -> Iterable[Key]:
        meta = obj.get("metadata") or {}
        if kind == "Ingress":
            if deleted:
                api.tx.delete_meta(f"{SEEN_PREFIX}{meta.get('namespace', '')}/{meta['name']}")
                return ()
            return (("Ingress", meta.get("namespace", ""), meta["name"]),)
        if kind == "Pod" and meta.get("namespace") == "ingress-nginx":
            return [("Ingress", (i["metadata"].get("namespace", "")), i["metadata"]["name"])
                    for i in api.list(kind_named("Ingress", "networking.k8s.io"))]
        return ()

    def on_clock(self, api) -> Iterable[Key]:
        return ()

    def sync(self, api, key: Key) -> None:
        from kubesim.net.ingress import served_by_nginx

        _, namespace, name = key
        ingress = api.find(kind_named("Ingress", "networking.k8s.io"), namespace, name)
        if ingress is None or not served_by_nginx(ingress):
            return
        address = controller_address(api)
        if address is None:
            # --update-status-on-shutdown (on by default): the last controller leaving clears the address.
            if (ingress.get("status") or {}).get("loadBalancer"):
                ingress["status"]["loadBalancer"] = {}
                api.write_status(ingress)
            return
        seen_key = f"{SEEN_PREFIX}{namespace}/{name}"
        generation = str(ingress["metadata"].get("generation", 1))
        if api.tx.meta(seen_key) != generation:
            api.tx.set_meta(seen_key, generation)
            _scheduled_for_sync(api, ingress)
        wanted = {"ingress": [{"ip": address}]}
        if (ingress.get("status") or {}).get("loadBalancer") != wanted:
            ingress.setdefault("status", {})["loadBalancer"] = wanted
            api.write_status(ingress)


def _scheduled_for_sync(api, ingress: Obj) -> None:
    """client-go's event recorder folds a repeated event into one: the count grows, lastTimestamp moves."""
    meta = ingress["metadata"]
    for event in api.list(kind_named("Event"), meta.get("namespace", "")):
        involved = event.get("involvedObject") or {}
        if involved.get("uid") == meta.get("uid") and event.get("reason") == "Sync" \
                and (event.get("source") or {}).get("component") == COMPONENT:
            event["count"] = int(event.get("count") or 1) + 1
            event["lastTimestamp"] = api.timestamp()
            api.write_status(event)
            return
    from kubesim.controllers.events import record_event

    record_event(api, ingress, "Normal", "Sync", "Scheduled for sync", COMPONENT)


CONTROLLER = IngressStatusController()
