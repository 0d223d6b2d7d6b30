"""The kinds kubesim serves: one ``Kind`` per resource type, registered by its module in ``api/kinds``.

A kind carries what the API server knows about it: names (plural, singular, short, kind, group),
scope, the table columns it serves to ``kubectl get``, and its defaulting and validation.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime

from kubesim.api.errors import FieldError

TYPE_CHECKING = False  # typing costs a few ms per command; annotations alone need it
if TYPE_CHECKING:
    from typing import Any

if TYPE_CHECKING:
    Obj = dict[str, Any]
else:
    Obj = dict


class Column:
    """One column of the server-side Table: header as the API server names it, and its cell."""

    __slots__ = ("name", "cell", "priority", "wide_cell")

    def __init__(self, name: str, cell: Callable[[Obj, datetime], str], priority: int = 0,
                 wide_cell: Callable[[Obj, datetime], str] | None = None) -> None:
        self.name = name
        self.cell = cell
        self.priority = priority  # 1 = shown only with -o wide
        # The cell under -o wide when it differs (the server's printers get options.Wide): load balancer
        # addresses are cut to 16 characters only in the narrow table.
        self.wide_cell = wide_cell


def _no_defaults(obj: Obj) -> None:
    return None


def _no_errors(obj: Obj, old: Obj | None) -> list[FieldError]:
    return []


DEFAULT_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")


class Kind:
    """A served resource type. Plain class, not a dataclass: every command imports all kinds, and
    start-up time is most of what a command costs."""

    def __init__(
        self, kind: str, version: str, plural: str, singular: str, columns: tuple[Column, ...], *,
        group: str = "", short_names: tuple[str, ...] = (), namespaced: bool = True,
        categories: tuple[str, ...] = (), verbs: tuple[str, ...] = DEFAULT_VERBS,
        name_rule: str = "dns1123-subdomain", tracks_generation: bool = False,
        default: Callable[[Obj], None] = _no_defaults,
        validate: Callable[[Obj, Obj | None], list[FieldError]] = _no_errors,
        served_versions: tuple[str, ...] = (),
    ) -> None:
        self.kind = kind
        self.version = version
        self.plural = plural
        self.singular = singular
        self.columns = columns
        self.group = group
        self.short_names = short_names
        self.namespaced = namespaced
        self.categories = categories
        self.verbs = verbs
        # Which validator checks metadata.name: "dns1035-label", "dns1123-label" or "dns1123-subdomain".
        self.name_rule = name_rule
        # metadata.generation is set to 1 on create and bumped on spec changes.
        self.tracks_generation = tracks_generation
        # Fills in defaults in place, as the API server's defaulting does before validation.
        self.default = default
        # Returns field errors for the defaulted object; ``old`` is the stored object on update.
        self.validate = validate
        self.served_versions = served_versions

    def __repr__(self) -> str:
        return f"Kind({self.qualified_kind})"

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def resource(self) -> str:
        """Plural with group, as API messages name it: ``services``, ``deployments.apps``."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def qualified_kind(self) -> str:
        """Kind with group, as validation messages name it: ``Service``, ``Deployment.apps``."""
        return f"{self.kind}.{self.group}" if self.group else self.kind

    @property
    def name_prefix(self) -> str:
        """Prefix kubectl prints before a name: ``service``, ``deployment.apps``."""
        lower = self.kind.lower()
        return f"{lower}.{self.group}" if self.group else lower


KIND_MODULES = (
    "pod", "service", "endpoints", "namespace", "node", "secret", "configmap", "event",
    "replicationcontroller", "replicaset", "deployment", "endpointslice", "ingress", "ingressclass",
)

_KINDS: list[Kind] = []
_ALL_LOADED = False


def register(kind: Kind) -> Kind:
    _KINDS.append(kind)
    return kind


def all_kinds() -> list[Kind]:
    """Every served kind, in KIND_MODULES order (each module is named after its kind, lower-cased).

    Kind modules import one another (templates, shared cells), so a kind may already be
    registered before this runs: load them all once, then keep the canonical order.
    """
    global _ALL_LOADED
    if not _ALL_LOADED:
        for module in KIND_MODULES:
            importlib.import_module(f"kubesim.api.kinds.{module}")
        order = {name: index for index, name in enumerate(KIND_MODULES)}
        _KINDS.sort(key=lambda k: order.get(k.kind.lower(), len(order)))
        _ALL_LOADED = True
    return _KINDS


def kind_for(api_version: str, kind: str) -> Kind | None:
    """The served kind for a manifest's apiVersion and kind, or None (kubectl: no matches for kind)."""
    for k in all_kinds():
        if k.kind == kind and k.api_version == api_version:
            return k
    return None


def kind_named(kind: str, group: str = "") -> Kind:
    for k in all_kinds():
        if k.kind == kind and k.group == group:
            return k
    raise KeyError(f"{kind}.{group}")


def resolve_resource(word: str) -> Kind | None:
    """Resolve what a user types for a type: plural, singular, short name or kind, optionally ``.group``."""
    lowered = word.lower()
    for k in all_kinds():
        if lowered in (k.plural, k.singular, k.kind.lower(), *k.short_names):
            return k
    for k in all_kinds():
        if not k.group:
            continue
        for name in (k.plural, k.singular, k.kind.lower(), *k.short_names):
            if lowered == f"{name}.{k.group}" or lowered == f"{name}.{k.version}.{k.group}":
                return k
    return None
