"""The cloud's load-balancer controller (the cloud-controller-manager's service controller).

A LoadBalancer service without a ``loadBalancerClass`` gets an external IP from the cluster's pool
(``cluster reset --lb-pool``) once provisioning is done: ``lbDelaySeconds`` (30 s by default) after the
controller first sees it, on the cluster clock. Until then ``get svc`` shows ``<pending>``; its node
ports and cluster IP work meanwhile. ``kubesim clock advance 30s`` skips the wait, and a command run
after the wait has passed on the wall clock finds it done (timers due are fired as a command starts).

The service then has ``status.loadBalancer.ingress: [{ip, ipMode: VIP}]`` and the events
``EnsuringLoadBalancer`` / ``EnsuredLoadBalancer`` from ``service-controller``. A service that stops
being a LoadBalancer (or is deleted) gives its address back.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from kubesim.api.registry import Obj, kind_named
from kubesim.controllers import Key, timers

LB_IP_POOL = "lb-ip"
POOL_KEY = "lbPool"
DELAY_KEY = "lbDelaySeconds"
DEFAULT_POOL = "192.168.49.100-192.168.49.199"
DEFAULT_DELAY = 30.0
COMPONENT = "service-controller"


def parse_pool(text: str) -> list[str]:
    """``FIRST-LAST`` or a CIDR (its usable addresses), in order; ValueError when it is neither."""
    text = text.strip()
    if "-" in text:
        first_text, last_text = (part.strip() for part in text.split("-", 1))
        first, last = ipaddress.IPv4Address(first_text), ipaddress.IPv4Address(last_text)
        if last < first:
            raise ValueError(f"{last} comes before {first}")
        return [str(ipaddress.IPv4Address(n)) for n in range(int(first), int(last) + 1)]
    network = ipaddress.IPv4Network(text, strict=False)
    return [str(a) for a in (network.hosts() if network.num_addresses > 2 else network)]


def pool_addresses(api) -> list[str]:
    return parse_pool(api.tx.meta(POOL_KEY) or DEFAULT_POOL)


def delay_seconds(api) -> float:
    return float(api.tx.meta(DELAY_KEY) or DEFAULT_DELAY)


def _owner(service: Obj) -> str:
    meta = service["metadata"]
    return f"services/{meta.get('namespace', '')}/{meta['name']}"


def wants_load_balancer(service: Obj) -> bool:
    spec = service.get("spec") or {}
    return spec.get("type") == "LoadBalancer" and not spec.get("loadBalancerClass")


def _provisioned(service: Obj) -> bool:
    return bool(((service.get("status") or {}).get("loadBalancer") or {}).get("ingress"))


class LoadBalancerController:
    name = "load-balancer"

    def keys_for(self, api, kind: str, obj: Obj, deleted: bool) -> Iterable[Key]:
        if kind != "Service":
            return ()
        meta = obj["metadata"]
        return (("Service", meta.get("namespace", ""), meta["name"]),)

    def on_clock(self, api) -> Iterable[Key]:
        keys = []
        for service in api.list(kind_named("Service")):
            if wants_load_balancer(service) and not _provisioned(service):
                meta = service["metadata"]
                keys.append(("Service", meta.get("namespace", ""), meta["name"]))
        return keys

    def sync(self, api, key: Key) -> None:
        _, namespace, name = key
        service = api.find(kind_named("Service"), namespace, name)
        owner = f"services/{namespace}/{name}"
        if service is None or not wants_load_balancer(service):
            self._release(api, owner)
            if service is not None and _provisioned(service):
                service["status"]["loadBalancer"] = {}
                api.write_status(service)
            timers.cancel(api, self.name, key)
            return
        if _provisioned(service):
            timers.cancel(api, self.name, key)
            return
        from kubesim.controllers.events import record_event

        now = api.now.timestamp()
        due_at = timers.due_at(api, self.name, key)
        if due_at is None:
            # The cloud is asked at once; the address comes when it has built the load balancer.
            record_event(api, service, "Normal", "EnsuringLoadBalancer", "Ensuring load balancer", COMPONENT)
            due_at = now + delay_seconds(api)
            timers.schedule(api, self.name, key, due_at)
        if now < due_at:
            return
        timers.cancel(api, self.name, key)
        ip = self._allocate(api, owner)
        if ip is None:
            record_event(api, service, "Warning", "SyncLoadBalancerFailed",
                         "Error syncing load balancer: failed to ensure load balancer: no address left in the "
                         f"load-balancer pool {api.tx.meta(POOL_KEY) or DEFAULT_POOL}", COMPONENT)
            return
        service.setdefault("status", {})["loadBalancer"] = {"ingress": [{"ip": ip, "ipMode": "VIP"}]}
        api.write_status(service)
        record_event(api, service, "Normal", "EnsuredLoadBalancer", "Ensured load balancer", COMPONENT)

    def _allocate(self, api, owner: str) -> str | None:
        held = [ip for ip in api.tx.allocated(LB_IP_POOL) if api.tx.owner_of(LB_IP_POOL, ip) == owner]
        if held:
            return held[0]
        from kubesim.net import world

        declared = {h.ip for h in world.hosts(api.tx)}
        for ip in pool_addresses(api):
            if ip not in declared and api.tx.allocate(LB_IP_POOL, ip, owner):
                return ip
        return None

    def _release(self, api, owner: str) -> None:
        for ip in api.tx.allocated(LB_IP_POOL):
            if api.tx.owner_of(LB_IP_POOL, ip) == owner:
                api.tx.release(LB_IP_POOL, ip)


CONTROLLER = LoadBalancerController()
