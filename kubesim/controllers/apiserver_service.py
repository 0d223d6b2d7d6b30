"""The API server's own ``default/kubernetes`` Service: deleted, it comes back (with its address),
as the real API server's bootstrap controller recreates it."""

from __future__ import annotations

from collections.abc import Iterable

from kubesim.api.registry import Obj, kind_named
from kubesim.controllers import Key

KEY: Key = ("Service", "default", "kubernetes")


class ApiServerServiceController:
    name = "apiserver-service"

    def keys_for(self, api, kind: str, obj: Obj, deleted: bool) -> Iterable[Key]:
        meta = obj["metadata"]
        if deleted and kind in ("Service", "Endpoints") and (meta.get("namespace"), meta["name"]) == KEY[1:]:
            return (KEY,)
        return ()

    def on_clock(self, api) -> Iterable[Key]:
        return ()

    def sync(self, api, key: Key) -> None:
        from kubesim.cluster import api_server_address, apiserver_endpoints, apiserver_service

        if api.find(kind_named("Service"), "default", "kubernetes") is None:
            api.create(apiserver_service())
        if api.find(kind_named("Endpoints"), "default", "kubernetes") is None:
            api.create(apiserver_endpoints(*api_server_address(api)))


CONTROLLER = ApiServerServiceController()
