"""Events (core/v1): the involved object's namespace rule and the ``get events`` columns."""

from __future__ import annotations

from datetime import datetime

from kubesim.api import validation as v
from kubesim.api.duration import since
from kubesim.api.errors import FieldError, invalid
from kubesim.api.registry import Column, Kind, Obj, register

TYPE_CHECKING = False  # typing costs a few ms per command; annotations alone need it
if TYPE_CHECKING:
    from typing import Any


def _part(obj: Obj, key: str) -> dict[str, Any]:
    part = obj.get(key)
    return part if isinstance(part, dict) else {}


def validate_event(obj: Obj, old: Obj | None) -> list[FieldError]:
    """legacyValidateEvent: an event without eventTime lives in its involved object's namespace."""
    namespace = str(_part(obj, "metadata").get("namespace") or "")
    involved = str(_part(obj, "involvedObject").get("namespace") or "")
    errs: list[FieldError] = []
    if not obj.get("eventTime"):
        if not involved:
            if namespace not in ("", "default"):
                errs.append(invalid("involvedObject.namespace", involved, "does not match event.namespace"))
        elif namespace != involved:
            errs.append(invalid("involvedObject.namespace", involved, "does not match event.namespace"))
    errs += [invalid("namespace", namespace, m) for m in v.is_dns1123_subdomain(namespace)]
    return errs


def _times(obj: Obj, now: datetime) -> tuple[str, str, int]:
    """LAST SEEN, FIRST SEEN and COUNT with the fallbacks of the server's event printer."""
    first = since(obj.get("firstTimestamp"), now)
    if not obj.get("firstTimestamp"):
        first = since(obj.get("eventTime"), now)
    last = since(obj.get("lastTimestamp"), now) if obj.get("lastTimestamp") else first
    count = obj.get("count") or 0
    series = obj.get("series")
    if isinstance(series, dict):
        last = since(series.get("lastObservedTime"), now)
        count = series.get("count") or 0
    elif not count:
        count = 1
    return last, first, int(count)


def _object(obj: Obj, now: datetime) -> str:
    involved = _part(obj, "involvedObject")
    kind = str(involved.get("kind") or "").lower()
    return f"{kind}/{involved['name']}" if involved.get("name") else kind


def _source(obj: Obj, now: datetime) -> str:
    source = _part(obj, "source")
    component = source.get("component") or obj.get("reportingComponent") or ""
    host = source.get("host") or obj.get("reportingInstance") or ""
    return f"{component}, {host}" if host else str(component)


COLUMNS = (
    Column("Last Seen", lambda o, now: _times(o, now)[0]),
    Column("Type", lambda o, now: str(o.get("type") or "")),
    Column("Reason", lambda o, now: str(o.get("reason") or "")),
    Column("Object", _object),
    Column("Subobject", lambda o, now: str(_part(o, "involvedObject").get("fieldPath") or ""), priority=1),
    Column("Source", _source, priority=1),
    Column("Message", lambda o, now: str(o.get("message") or "").strip()),
    Column("First Seen", lambda o, now: _times(o, now)[1], priority=1),
    Column("Count", lambda o, now: str(_times(o, now)[2]), priority=1),
    Column("Name", lambda o, now: str(_part(o, "metadata").get("name", "")), priority=1),
)

EVENT = register(Kind(
    kind="Event", version="v1", plural="events", singular="event", short_names=("ev",), columns=COLUMNS,
    name_rule="dns1123-subdomain", validate=validate_event,
))
