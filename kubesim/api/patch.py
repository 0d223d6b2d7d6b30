"""The three patch types the API server accepts for ``PATCH``: JSON merge patch (RFC 7386), JSON patch
(RFC 6902) and strategic merge patch, with Kubernetes' patch strategies for the built-in kinds.

Strategic merge patch merges lists of objects by their merge key (containers, env, volumes and ports by
name or number, see ``kubesim.api.merge.merge_key``) and replaces other lists. Its directives:
``$patch: replace|delete|merge`` in a map or a list item, ``$retainKeys``, ``$deleteFromPrimitiveList/<f>``.
``$setElementOrder/<f>`` only orders a list, which kubesim's merge keeps in place anyway: it is dropped.
"""

from __future__ import annotations

import copy
from typing import Any

from kubesim.api.merge import json_merge, merge_key

PATCH_TYPES = ("json", "merge", "strategic")


class PatchError(Exception):
    """A patch that cannot be applied: the text is what the patch library says (kubectl --local prints it).

    ``decoding`` errors (the patch is not a patch) are the API server's 400; a JSON patch that does not
    apply is its bare 422, whatever the library said.
    """

    def __init__(self, message: str, decoding: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.decoding = decoding


# -- JSON merge patch ------------------------------------------------------------------------------
def merge_patch(target: Any, patch: Any) -> Any:
    return json_merge(target, patch)


# -- JSON patch ------------------------------------------------------------------------------------
_MISSING = object()


def json_patch(document: Any, operations: Any) -> Any:
    """RFC 6902 as the API server and kubectl apply it (evanphx/json-patch v4), quirks included:
    ``replace`` of a missing map key adds it, ``copy`` from a missing key copies null, ``add`` without a
    value adds null, and a path is split at every ``/`` after its first word."""
    if not isinstance(operations, list):
        raise PatchError(f"json: cannot unmarshal {_json_type(operations)} into Go value of type jsonpatch.Patch",
                         decoding=True)
    for operation in operations:
        if not isinstance(operation, dict):
            raise PatchError(f"json: cannot unmarshal {_json_type(operation)} into Go value of type "
                             "jsonpatch.Operation", decoding=True)
    doc = copy.deepcopy(document)
    for operation in operations:
        op = operation.get("op")
        kind = op if isinstance(op, str) else "unknown"
        if kind not in ("add", "remove", "replace", "move", "copy", "test"):
            raise PatchError(f"Unexpected kind: {kind}")
        path = operation.get("path")
        if not isinstance(path, str):
            raise PatchError(f"{kind} operation failed to decode path: missing value")
        value = copy.deepcopy(operation.get("value"))
        if kind == "add":
            doc = _add(doc, path, value, f"error in add for path: '{path}'")
        elif kind == "remove":
            doc, _ = _remove(doc, path, f"error in remove for path: '{path}'")
        elif kind == "replace":
            doc = _replace(doc, path, value)
        elif kind in ("move", "copy"):
            source = operation.get("from")
            if not isinstance(source, str):
                raise PatchError(f"{kind} operation failed to decode from: missing value")
            if kind == "move":
                parent, key = _container(doc, source)
                if parent is None:
                    raise PatchError(f"move operation does not apply: doc is missing from path: {source}: "
                                     "missing value")
                doc, moved = _remove(doc, source, f"error in move for path: '{key}'")
            else:
                moved = _get(doc, source, f"error in copy for from: '{source}'")
            if path != "" and _container(doc, path)[0] is None:
                raise PatchError(f"{kind} operation does not apply: doc is missing destination path: {path}: "
                                 "missing value")
            doc = _add(doc, path, copy.deepcopy(moved), f"error in {kind} for path: '{path}'")
        else:
            actual = _get(doc, path, None)
            if not _json_equal(None if actual is _MISSING else actual, value):
                raise PatchError(f"testing value {path} failed: test failed")
    return doc


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return "null" if value is None else "object"


def _json_equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _split(path: str) -> list[str]:
    return [token.replace("~1", "/").replace("~0", "~") for token in path.split("/")[1:]]


def _container(doc: Any, path: str) -> tuple[Any, str]:
    """The map or list that holds the last token of ``path``, or (None, "") when the way there is missing."""
    tokens = _split(path)
    if not tokens:
        return None, ""
    node = doc
    for token in tokens[:-1]:
        if isinstance(node, dict):
            node = node.get(token, _MISSING)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None, ""
        if not isinstance(node, dict | list):
            return None, ""
    return (node, tokens[-1]) if isinstance(node, dict | list) else (None, "")


def _list_index(items: list, token: str, context: str, allow_end: bool) -> int:
    if token == "-" and allow_end:
        return len(items)
    try:
        index = int(token)
    except ValueError:
        raise PatchError(f'{context}: strconv.Atoi: parsing "{token}": invalid syntax') from None
    if index < 0 or index > len(items) - (0 if allow_end else 1):
        raise PatchError(f"{context}: Unable to access invalid index: {index}: invalid index referenced")
    return index


def _get(doc: Any, path: str, context: str | None) -> Any:
    if path == "":
        return doc
    parent, key = _container(doc, path)
    if parent is None:
        if context is None:
            return _MISSING
        raise PatchError(f"copy operation does not apply: doc is missing from path: {path}: missing value")
    if isinstance(parent, dict):
        return copy.deepcopy(parent.get(key)) if context is not None else parent.get(key, _MISSING)
    if context is None:
        return parent[int(key)] if key.isdigit() and int(key) < len(parent) else _MISSING
    return parent[_list_index(parent, key, context, allow_end=False)]


def _add(doc: Any, path: str, value: Any, context: str) -> Any:
    if path == "":
        return value
    parent, key = _container(doc, path)
    if parent is None:
        raise PatchError(f'add operation does not apply: doc is missing path: "{path}": missing value')
    if isinstance(parent, dict):
        parent[key] = value
    else:
        parent.insert(_list_index(parent, key, context, allow_end=True), value)
    return doc


def _remove(doc: Any, path: str, context: str) -> tuple[Any, Any]:
    parent, key = _container(doc, path)
    if parent is None:
        raise PatchError(f"remove operation does not apply: doc is missing path: \"{path}\": missing value")
    if isinstance(parent, dict):
        if key not in parent:
            raise PatchError(f"{context}: Unable to remove nonexistent key: {key}: missing value")
        return doc, parent.pop(key)
    return doc, parent.pop(_list_index(parent, key, context, allow_end=False))


def _replace(doc: Any, path: str, value: Any) -> Any:
    if path == "":
        return value
    parent, key = _container(doc, path)
    missing = PatchError(f"replace operation does not apply: doc is missing path: {path}: missing value")
    if parent is None:
        raise missing
    if isinstance(parent, dict):
        parent[key] = value
        return doc
    if not (key.isdigit() and (key == "0" or key[0] != "0") and int(key) < len(parent)):
        raise missing
    parent[int(key)] = value
    return doc


# -- strategic merge patch -------------------------------------------------------------------------
DIRECTIVE = "$patch"
RETAIN_KEYS = "$retainKeys"
DELETE_FROM_PRIMITIVE = "$deleteFromPrimitiveList/"
SET_ELEMENT_ORDER = "$setElementOrder/"


def strategic_merge(original: Any, patch: Any, path: tuple[str, ...] = ()) -> Any:
    """Kubernetes' strategic merge patch of ``patch`` onto ``original`` (field ``path`` from the root)."""
    if not isinstance(patch, dict):
        raise PatchError("unable to find api field in struct Unstructured for the json field \"patch\"")
    return _merge_map(original if isinstance(original, dict) else {}, patch, path)


def _merge_map(original: dict, patch: dict, path: tuple[str, ...]) -> Any:
    directive = patch.get(DIRECTIVE)
    if directive is not None and directive not in ("replace", "delete", "merge"):
        raise PatchError(f"unknown patch type: {directive} in map: {_go_map(patch)}")
    if directive == "delete":
        return _MISSING
    body = {key: value for key, value in patch.items() if key != DIRECTIVE}
    if directive == "replace":
        return _strip_directives(body)
    result = copy.deepcopy(original)
    retain = body.pop(RETAIN_KEYS, None)
    if retain is not None:
        if not isinstance(retain, list):
            raise PatchError("invalid retainKeys directive: must be a list")
        result = {key: value for key, value in result.items() if key in retain}
    for key, value in body.items():
        if key.startswith(SET_ELEMENT_ORDER):
            continue
        if key.startswith(DELETE_FROM_PRIMITIVE):
            field = key[len(DELETE_FROM_PRIMITIVE):]
            current = result.get(field)
            if isinstance(current, list) and isinstance(value, list):
                result[field] = [item for item in current if item not in value]
            continue
        if value is None:
            result.pop(key, None)
            continue
        merged = _merge_value(result.get(key, _MISSING), value, (*path, key))
        if merged is _MISSING:
            result.pop(key, None)
        else:
            result[key] = merged
    return result


def _merge_value(original: Any, patch: Any, path: tuple[str, ...]) -> Any:
    if isinstance(patch, dict):
        return _merge_map(original if isinstance(original, dict) else {}, patch, path)
    if isinstance(patch, list):
        return _merge_list(original if isinstance(original, list) else [], patch, path)
    return copy.deepcopy(patch)


def _merge_list(original: list, patch: list, path: tuple[str, ...]) -> list:
    if any(isinstance(item, dict) and item.get(DIRECTIVE) == "replace" and len(item) == 1 for item in patch):
        return [_strip_directives(item) for item in patch
                if not (isinstance(item, dict) and item.get(DIRECTIVE) == "replace" and len(item) == 1)]
    key = merge_key(path, [item for item in [*patch, *original] if isinstance(item, dict)]
                    if all(isinstance(item, dict) for item in patch) else [])
    if key is None or not original and not patch:
        return [_strip_directives(item) for item in patch if not _is_delete(item)]
    # The library's order: the patch's items as the patch lists them, then the items only the original
    # has, in their order.
    for item in patch:
        if not isinstance(item, dict) or key not in item:
            raise PatchError(f"map: {_go_map(item)} does not contain declared merge key: {key}")
    patched_keys = [item[key] for item in patch]
    result = []
    for item in patch:
        if _is_delete(item):
            continue
        old = next((old for old in original if isinstance(old, dict) and old.get(key) == item[key]), None)
        result.append(_strip_directives(item) if old is None else _merge_map(old, item, path))
    result += [copy.deepcopy(old) for old in original
               if not (isinstance(old, dict) and old.get(key) in patched_keys)]
    return result


def _is_delete(item: Any) -> bool:
    return isinstance(item, dict) and item.get(DIRECTIVE) == "delete"


def _strip_directives(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _strip_directives(item) for key, item in value.items()
                if key not in (DIRECTIVE, RETAIN_KEYS) and not key.startswith((SET_ELEMENT_ORDER,
                                                                               DELETE_FROM_PRIMITIVE))}
    if isinstance(value, list):
        return [_strip_directives(item) for item in value]
    return copy.deepcopy(value)


def _go_map(value: Any) -> str:
    """Go's %v of a decoded JSON value (``map[name:x port:80]``), as the library's errors print it."""
    if isinstance(value, dict):
        return "map[" + " ".join(f"{key}:{_go_map(value[key])}" for key in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(_go_map(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "<nil>"
    return str(value)


def apply_patch(obj: Any, patch: Any, patch_type: str) -> Any:
    """The object after ``patch`` of ``patch_type`` (one of PATCH_TYPES)."""
    if patch_type == "json":
        return json_patch(obj, patch)
    if patch_type == "merge":
        return merge_patch(obj, patch)
    return strategic_merge(obj, patch)
