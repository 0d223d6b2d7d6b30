"""Work due at a moment of the cluster clock: a load balancer provisioned, a probe's next period.

Each timer is one setting, ``timer:<controller>:<kind>/<namespace>/<name>`` = the cluster-clock time
it is due (seconds since the epoch). ``nextTimerDue`` holds the earliest of them, so a command that
finds nothing due reads one setting and does no other work; the first command at or after that time
fires what is due (``kubesim.cluster``), and ``clock advance`` fires everything it passes.

``nextTimerDue`` is only ever too early, never too late: scheduling lowers it, cancelling leaves it,
and firing recomputes it from the timers left.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from kubesim.controllers import Key

PREFIX = "timer:"
NEXT_KEY = "nextTimerDue"


def _name(controller: str, key: Key) -> str:
    kind, namespace, name = key
    return f"{PREFIX}{controller}:{kind}/{namespace}/{name}"


def schedule(api, controller: str, key: Key, due: float) -> None:
    api.tx.set_meta(_name(controller, key), repr(due))
    earliest = api.tx.meta(NEXT_KEY)
    if earliest is None or due < float(earliest):
        api.tx.set_meta(NEXT_KEY, repr(due))


def cancel(api, controller: str, key: Key) -> None:
    api.tx.delete_meta(_name(controller, key))


def due_at(api, controller: str, key: Key) -> float | None:
    value = api.tx.meta(_name(controller, key))
    return None if value is None else float(value)


def due_keys(api, controller: str) -> list[Key]:
    """The keys of this controller's timers that the cluster clock has reached, earliest first."""
    now = api.now.timestamp()
    prefix = f"{PREFIX}{controller}:"
    due = []
    for name, value in api.tx.meta_with_prefix(prefix):
        if float(value) <= now:
            kind, namespace, obj_name = name[len(prefix):].split("/", 2)
            due.append((float(value), (kind, namespace, obj_name)))
    return [key for _, key in sorted(due)]


def refresh(api) -> None:
    """Set ``nextTimerDue`` to the earliest timer left (after firing, when it may have moved later)."""
    values = [float(value) for _, value in api.tx.meta_with_prefix(PREFIX)]
    if values:
        api.tx.set_meta(NEXT_KEY, repr(min(values)))
    else:
        api.tx.delete_meta(NEXT_KEY)
