"""Human-readable durations and timestamps as apimachinery formats them (AGE, ``2 (44s ago)``)."""

from __future__ import annotations

from datetime import UTC, datetime

TYPE_CHECKING = False  # typing costs a few ms per command; annotations alone need it
if TYPE_CHECKING:
    from typing import Any


def human_duration(seconds: float) -> str:
    """apimachinery's HumanDuration: coarser as the duration grows, integer truncation everywhere."""
    whole = int(seconds)
    if whole < -1:
        return "<invalid>"
    if whole < 0:
        return "0s"
    if whole < 60 * 2:
        return f"{whole}s"
    minutes = whole // 60
    if minutes < 10:
        rest = whole % 60
        return f"{minutes}m" if rest == 0 else f"{minutes}m{rest}s"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h" if rest == 0 else f"{hours}h{rest}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        days, rest = divmod(hours, 24)
        return f"{days}d" if rest == 0 else f"{days}d{rest}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        years = hours // 24 // 365
        days = hours // 24 % 365
        return f"{years}y" if days == 0 else f"{years}y{days}d"
    return f"{hours // 24 // 365}y"


def format_timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC with seconds precision, as metav1.Time marshals."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(text: str) -> datetime | None:
    """RFC 3339 (``2024-07-01T10:00:00Z``); fromisoformat, since strptime costs an import per command."""
    try:
        moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def since(timestamp: Any, now: datetime) -> str:
    """HumanDuration from a stored timestamp to now; ``<unknown>`` when there is none."""
    moment = parse_timestamp(timestamp) if timestamp else None
    if moment is None:
        return "<unknown>"
    return human_duration((now - moment).total_seconds())


def age(obj: dict, now: datetime) -> str:
    """The AGE cell of every table."""
    return since(obj.get("metadata", {}).get("creationTimestamp"), now)
