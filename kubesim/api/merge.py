"""Three-way merge for ``apply``: what the user removed since last time goes, what they set wins,
and what others (defaults, controllers, allocation) set is kept.

Lists of objects merge by their strategic-merge key (containers by name, service ports by port …),
as kubectl's strategic merge patch does for built-in kinds; other lists are replaced whole.
"""

from __future__ import annotations

import copy
from typing import Any

# field name -> merge key, by the parent field when the same name means different things.
MERGE_KEYS: dict[tuple[str, str], str] = {
    ("spec", "ports"): "port",  # Service ports
    ("*", "containers"): "name",
    ("*", "initContainers"): "name",
    ("*", "ephemeralContainers"): "name",
    ("*", "env"): "name",
    ("*", "volumes"): "name",
    ("*", "volumeMounts"): "mountPath",
    ("*", "imagePullSecrets"): "name",
    ("*", "hostAliases"): "ip",
    ("*", "conditions"): "type",
}


def merge_key(path: tuple[str, ...], items: list[Any]) -> str | None:
    """The strategic-merge key of the list at ``path`` (field names from the root), if it has one."""
    if not path or not items or not all(isinstance(item, dict) for item in items):
        return None
    field = path[-1]
    parent = path[-2] if len(path) > 1 else ""
    if field == "ports":
        return "containerPort" if parent in ("containers", "initContainers", "ephemeralContainers") else "port"
    return MERGE_KEYS.get((parent, field)) or MERGE_KEYS.get(("*", field))


def three_way_merge(live: Any, original: Any, modified: Any, path: tuple[str, ...] = ()) -> Any:
    """The object apply writes: ``live`` changed by the difference from ``original`` to ``modified``."""
    if isinstance(modified, dict) and isinstance(live, dict):
        original = original if isinstance(original, dict) else {}
        result = copy.deepcopy(live)
        for key in original:
            if key not in modified:
                result.pop(key, None)
        for key, value in modified.items():
            if key in live:
                result[key] = three_way_merge(live[key], original.get(key), value, (*path, key))
            else:
                result[key] = copy.deepcopy(value)
        return result
    if isinstance(modified, list) and isinstance(live, list):
        key = merge_key(path, [*modified, *live])
        if key is None:
            return copy.deepcopy(modified)
        original_items = original if isinstance(original, list) else []
        live_by_key = {item.get(key): item for item in live}
        original_by_key = {item.get(key): item for item in original_items if isinstance(item, dict)}
        modified_keys = {item.get(key) for item in modified}
        merged = []
        for item in modified:
            item_key = item.get(key)
            if item_key in live_by_key:
                merged.append(three_way_merge(live_by_key[item_key], original_by_key.get(item_key), item, path))
            else:
                merged.append(copy.deepcopy(item))
        for item in live:
            item_key = item.get(key)
            if item_key not in modified_keys and item_key not in original_by_key:
                merged.append(copy.deepcopy(item))
        return merged
    return copy.deepcopy(modified)


def json_merge(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch (``--overrides``, ``patch --type=merge``): null deletes, maps merge."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = json_merge(result.get(key), value)
    return result
