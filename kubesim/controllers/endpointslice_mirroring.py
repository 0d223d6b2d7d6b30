"""The EndpointSlice mirroring controller: a selector-less Service's manual Endpoints, as EndpointSlices.

kube-proxy and ``kubectl describe svc`` read EndpointSlices, so Endpoints a user writes by hand for
a service without a selector (the book's ``external-service``) are mirrored: one slice a subset, named
``<service>-<random>``, labelled ``endpointslice.kubernetes.io/managed-by:
endpointslicemirroring-controller.k8s.io``. Endpoints labelled ``endpointslice.kubernetes.io/skip-mirror``
(the API server's own ``kubernetes``) and those of services with a selector are left alone.
"""

from __future__ import annotations

from collections.abc import Iterable

from kubesim.api.registry import Obj, kind_named
from kubesim.controllers import Key

MANAGED_BY = "endpointslicemirroring-controller.k8s.io"
MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by"
SERVICE_NAME_LABEL = "kubernetes.io/service-name"
SKIP_MIRROR_LABEL = "endpointslice.kubernetes.io/skip-mirror"


class EndpointSliceMirroringController:
    name = "endpointslice-mirroring"

    def keys_for(self, api, kind: str, obj: Obj, deleted: bool) -> Iterable[Key]:
        if kind not in ("Service", "Endpoints"):
            return ()
        meta = obj["metadata"]
        return (("Endpoints", meta.get("namespace", ""), meta["name"]),)

    def on_clock(self, api) -> Iterable[Key]:
        return ()

    def sync(self, api, key: Key) -> None:
        _, namespace, name = key
        slice_kind = kind_named("EndpointSlice", "discovery.k8s.io")
        service = api.find(kind_named("Service"), namespace, name)
        endpoints = api.find(kind_named("Endpoints"), namespace, name)
        # Mirrored slices are owned by their Endpoints; once it is gone the garbage collector takes them.
        candidates = api.owned_by(endpoints, slice_kind) if endpoints is not None else []
        mirrored = sorted((s for s in candidates
                           if (s["metadata"].get("labels") or {}).get(SERVICE_NAME_LABEL) == name
                           and (s["metadata"].get("labels") or {}).get(MANAGED_BY_LABEL) == MANAGED_BY),
                          key=lambda s: s["metadata"]["name"])
        desired: list[dict] = []
        if (service is not None and (service.get("spec") or {}).get("selector") is None
                and endpoints is not None
                and SKIP_MIRROR_LABEL not in (endpoints["metadata"].get("labels") or {})):
            desired = [_slice_body(subset) for subset in endpoints.get("subsets") or []]
        labels = {k: v for k, v in ((endpoints or {}).get("metadata", {}).get("labels") or {}).items()
                  if k not in (MANAGED_BY_LABEL, SERVICE_NAME_LABEL)}
        labels[MANAGED_BY_LABEL] = MANAGED_BY
        labels[SERVICE_NAME_LABEL] = name
        for index, body in enumerate(desired):
            if index < len(mirrored):
                current = mirrored[index]
                if all(current.get(k) == v for k, v in body.items()) and current["metadata"].get("labels") == labels:
                    continue
                current.update(body)
                current["metadata"]["labels"] = labels
                api.write_status(current)
                continue
            assert service is not None
            api.create({
                "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": {
                    "generateName": f"{name}-", "namespace": namespace, "labels": labels,
                    "ownerReferences": [{"apiVersion": "v1", "kind": "Endpoints", "name": name,
                                         "uid": endpoints["metadata"]["uid"], "controller": True,
                                         "blockOwnerDeletion": True}],
                },
                **body,
            }, namespace)
        for extra in mirrored[len(desired):]:
            api.delete(slice_kind, namespace, extra["metadata"]["name"])


def _slice_body(subset: dict) -> dict:
    endpoints = []
    for field, ready in (("addresses", True), ("notReadyAddresses", False)):
        for address in subset.get(field) or []:
            endpoint: dict = {"addresses": [address["ip"]], "conditions": {"ready": ready}}
            for key in ("hostname", "nodeName", "targetRef"):
                if address.get(key):
                    endpoint[key] = address[key]
            endpoints.append(endpoint)
    ports = [{"name": p.get("name", ""), "port": p.get("port"), "protocol": p.get("protocol", "TCP")}
             for p in subset.get("ports") or []]
    return {"addressType": "IPv4", "endpoints": endpoints, "ports": ports}


CONTROLLER = EndpointSliceMirroringController()
