"""Controllers run inside the request that changed something, so no process needs to stay up.

Each reconciler names the kinds whose changes concern it; after every write or delete the API
server calls the ones that care, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kubesim.api.registry import Kind, Obj
    from kubesim.api.server import ApiServer

Reconciler = Callable[["ApiServer", "Obj"], None]

# kind name -> reconcilers interested in writes / deletes of that kind.
ON_WRITE: dict[str, list[Reconciler]] = {}
ON_DELETE: dict[str, list[Reconciler]] = {}


def reconcile_after_write(api: ApiServer, kind: Kind, obj: Obj) -> None:
    for reconciler in ON_WRITE.get(kind.kind, ()):
        reconciler(api, obj)


def reconcile_after_delete(api: ApiServer, kind: Kind, obj: Obj) -> None:
    for reconciler in ON_DELETE.get(kind.kind, ()):
        reconciler(api, obj)


# Reconcilers that act on the passage of simulated time (probes, affinity expiry).
ON_CLOCK: list[Callable[["ApiServer"], None]] = []


def reconcile_after_clock(api: ApiServer) -> None:
    for reconciler in ON_CLOCK:
        reconciler(api)
