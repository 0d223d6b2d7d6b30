"""Cluster IPs and node ports for Services: allocated on create, kept on update, freed on delete.

Mirrors the API server's service REST storage: a requested address is claimed or refused with the
real message, an omitted one on update is carried over from the stored object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kubesim.api import errors
from kubesim.api.registry import Obj
from kubesim.api.server import Strategy
from kubesim.net import ipam

if TYPE_CHECKING:
    from kubesim.api.server import ApiServer


def _owner(obj: Obj) -> str:
    meta = obj["metadata"]
    return f"services/{meta.get('namespace', '')}/{meta['name']}"


def _wants_node_ports(spec: dict) -> bool:
    service_type = spec.get("type")
    if service_type == "NodePort":
        return True
    return service_type == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts", True) is not False


def _invalid(obj: Obj, path: str, value, detail: str) -> errors.ApiError:
    return errors.invalid_object("Service", obj["metadata"]["name"], [errors.invalid(path, value, detail)])


class ServiceAllocation(Strategy):
    def before_create(self, api: ApiServer, obj: Obj) -> None:
        spec = obj.setdefault("spec", {})
        self._allocate_cluster_ip(api, obj, spec)
        self._allocate_node_ports(api, obj, spec, previous={})
        obj["status"] = {"loadBalancer": {}}

    def before_update(self, api: ApiServer, obj: Obj, old: Obj) -> None:
        """Carry over allocated values the client left out, as patchAllocatedValues does."""
        spec = obj.setdefault("spec", {})
        old_spec = old.get("spec", {})
        if spec.get("type") != "ExternalName" and old_spec.get("type") != "ExternalName":
            if not spec.get("clusterIP") and old_spec.get("clusterIP"):
                spec["clusterIP"] = old_spec["clusterIP"]
            if not spec.get("clusterIPs") and old_spec.get("clusterIPs"):
                spec["clusterIPs"] = list(old_spec["clusterIPs"])
        if _wants_node_ports(spec) and _wants_node_ports(old_spec):
            by_name = {(p.get("name", ""), p.get("port")): p.get("nodePort") for p in old_spec.get("ports") or []}
            by_name_only = {p.get("name", ""): p.get("nodePort") for p in old_spec.get("ports") or []}
            for port in spec.get("ports") or []:
                if not port.get("nodePort"):
                    carried = by_name.get((port.get("name", ""), port.get("port"))) or by_name_only.get(
                        port.get("name", ""))
                    if carried:
                        port["nodePort"] = carried

    def allocate_update(self, api: ApiServer, obj: Obj, old: Obj) -> None:
        spec = obj["spec"]
        old_spec = old.get("spec", {})
        old_ip = old_spec.get("clusterIP")
        if spec.get("type") == "ExternalName":
            if old_ip and old_ip != "None":
                ipam.release_cluster_ip(api.tx, old_ip)
        elif old_spec.get("type") == "ExternalName" or not old_ip:
            self._allocate_cluster_ip(api, obj, spec)
        previous = {p.get("nodePort") for p in old_spec.get("ports") or [] if p.get("nodePort")}
        if _wants_node_ports(spec):
            self._allocate_node_ports(api, obj, spec, previous=previous)
        else:
            for port in spec.get("ports") or []:
                port.pop("nodePort", None)
        kept = {p.get("nodePort") for p in spec.get("ports") or [] if p.get("nodePort")}
        for port in previous - kept:
            ipam.release_node_port(api.tx, int(port))

    def after_delete(self, api: ApiServer, obj: Obj) -> None:
        spec = obj.get("spec", {})
        for ip in spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else []):
            if ip and ip != "None":
                ipam.release_cluster_ip(api.tx, ip)
        for port in spec.get("ports") or []:
            if port.get("nodePort"):
                ipam.release_node_port(api.tx, int(port["nodePort"]))
        if spec.get("healthCheckNodePort"):
            ipam.release_node_port(api.tx, int(spec["healthCheckNodePort"]))

    # -- allocation --------------------------------------------------------------------------------
    def _allocate_cluster_ip(self, api: ApiServer, obj: Obj, spec: dict) -> None:
        if spec.get("type") == "ExternalName":
            return
        requested = spec.get("clusterIP")
        if requested == "None":
            spec["clusterIPs"] = ["None"]
            return
        if requested:
            try:
                ipam.claim_cluster_ip(api.tx, requested, _owner(obj))
            except (ipam.NotInRange, ipam.AlreadyAllocated) as refusal:
                raise _invalid(obj, "spec.clusterIPs", [requested],
                               f"failed to allocate IP {requested}: {refusal}") from None
            ip = requested
        else:
            try:
                ip = ipam.allocate_cluster_ip(api.tx, api.random, _owner(obj))
            except ipam.RangeFull:
                raise errors.internal_error("failed to allocate a serviceIP: range is full") from None
        spec["clusterIP"] = ip
        spec["clusterIPs"] = [ip]

    def _allocate_node_ports(self, api: ApiServer, obj: Obj, spec: dict, previous: set) -> None:
        if not _wants_node_ports(spec):
            return
        by_number: dict[int, int] = {}
        for index, port in enumerate(spec.get("ports") or []):
            wanted = port.get("nodePort")
            if wanted:
                if wanted in previous or by_number.get(port.get("port")) == wanted:
                    by_number[port.get("port")] = wanted
                    continue
                try:
                    ipam.claim_node_port(api.tx, int(wanted), _owner(obj))
                except (ipam.NotInRange, ipam.AlreadyAllocated) as refusal:
                    raise _invalid(obj, f"spec.ports[{index}].nodePort", wanted, str(refusal)) from None
                by_number[port.get("port")] = wanted
            elif port.get("port") in by_number:
                port["nodePort"] = by_number[port.get("port")]
            else:
                try:
                    port["nodePort"] = ipam.allocate_node_port(api.tx, api.random, _owner(obj))
                except ipam.RangeFull:
                    raise errors.internal_error("failed to allocate a nodePort: range is full") from None
                by_number[port.get("port")] = port["nodePort"]
        if (spec.get("type") == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local"
                and not spec.get("healthCheckNodePort")):
            spec["healthCheckNodePort"] = ipam.allocate_node_port(api.tx, api.random, _owner(obj))
