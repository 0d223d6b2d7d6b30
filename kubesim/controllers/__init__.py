"""Controllers run inside the request that changed something, so no process needs to stay up.

After every write the API server asks each controller which objects the change concerns and queues
them; when the request's own work is done it drains the queue, controllers writing in turn (and
queueing more), until the cluster is settled — all in the request's one transaction.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kubesim.api.registry import Kind, Obj
    from kubesim.api.server import ApiServer

# A key names what to reconcile: (kind, namespace, name).
Key = tuple[str, str, str]

CONTROLLER_MODULES = ("kubelet", "prober", "replication", "deployment", "endpoints", "apiserver_service",
                      "load_balancer", "endpointslice_mirroring", "ingress")
MAX_SYNCS_PER_REQUEST = 100_000


class Controller(Protocol):
    name: str

    def keys_for(self, api: ApiServer, kind: str, obj: Obj, deleted: bool) -> Iterable[Key]:
        """The keys this controller must reconcile after ``obj`` (of ``kind``) was written or deleted."""

    def sync(self, api: ApiServer, key: Key) -> None:
        """Bring the object named by ``key`` (and what it owns) to its desired state."""

    def on_clock(self, api: ApiServer) -> Iterable[Key]:
        """Keys whose state depends on the passage of simulated time."""


_CONTROLLERS: list[Controller] = []


def controllers() -> list[Controller]:
    if not _CONTROLLERS:
        for module in CONTROLLER_MODULES:
            _CONTROLLERS.append(importlib.import_module(f"kubesim.controllers.{module}").CONTROLLER)
    return _CONTROLLERS


def reconcile_after_write(api: ApiServer, kind: Kind, obj: Obj) -> None:
    _enqueue(api, kind.kind, obj, deleted=False)


def reconcile_after_delete(api: ApiServer, kind: Kind, obj: Obj) -> None:
    _enqueue(api, kind.kind, obj, deleted=True)


def reconcile_after_clock(api: ApiServer) -> None:
    """Fire what the cluster clock has made due (see ``timers``), then note the next time anything is."""
    from kubesim.controllers import timers

    for controller in controllers():
        for key in controller.on_clock(api):
            api.queue.setdefault((controller.name, key), None)
    drain(api)
    timers.refresh(api)


def _enqueue(api: ApiServer, kind: str, obj: Obj, deleted: bool) -> None:
    for controller in controllers():
        for key in controller.keys_for(api, kind, obj, deleted):
            api.queue.setdefault((controller.name, key), None)


def drain(api: ApiServer) -> None:
    """Run queued syncs until none is left; a runaway loop is a bug, reported as one."""
    if api.draining or api.holding:
        return
    api.draining = True
    try:
        by_name = {c.name: c for c in controllers()}
        syncs = 0
        while api.queue:
            (name, key) = next(iter(api.queue))
            del api.queue[(name, key)]
            by_name[name].sync(api, key)
            syncs += 1
            if syncs > MAX_SYNCS_PER_REQUEST:
                raise RuntimeError("controllers did not settle: reconcile loop")
    finally:
        api.draining = False
