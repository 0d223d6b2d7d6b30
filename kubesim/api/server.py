"""The API server's request handling: metadata, defaulting, validation, allocation, storage.

An ``ApiServer`` is bound to one store transaction, so a request either happens whole or not at
all. Callers (the CLI verbs, controllers) speak in objects and ``Kind``s, never in SQL.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime

from kubesim.api import errors
from kubesim.api.duration import format_timestamp
from kubesim.api.registry import Kind, Obj, kind_for
from kubesim.env import Env
from kubesim.store.db import KeyExists, Transaction

TYPE_CHECKING = False  # typing costs a few ms per command; annotations alone need it
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any

    from kubesim.api.selectors import Selector

IMMORTAL_NAMESPACES = ("default", "kube-system", "kube-public")
ENDPOINTS_DEPRECATION = "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"

# A generated name that is taken is drawn again, up to this many tries in all (the API server's
# RetryGenerateName, on by default since 1.30); only then does the create fail with AlreadyExists.
GENERATE_NAME_ATTEMPTS = 8

# Fields the server owns: ignored when a client sends them on create.
SERVER_METADATA = ("uid", "resourceVersion", "creationTimestamp", "generation", "deletionTimestamp",
                   "managedFields", "selfLink")


class ApiServer:
    """One request's view of the cluster: every method runs in the caller's transaction."""

    def __init__(self, tx: Transaction, env: Env, now: datetime) -> None:
        self.tx = tx
        self.env = env
        self.now = now
        self._stamped: tuple[datetime, str] | None = None
        self.warnings: list[str] = []
        self._random = None
        # Controller work queued by writes in this request: (controller, key) -> None, in order.
        self.queue: dict = {}
        self.draining = False
        self.holding = False  # inside batched(): writes queue controller work, which runs once at the end
        # What controllers work out once a request and keep up to date as they write (an informer's cache).
        self.memo: dict[str, Any] = {}
        # Told of each object this request creates (a progress bar counts the pods a scale makes).
        self.on_create: Callable[[Obj], None] | None = None

    # -- helpers --------------------------------------------------------------------------------
    @property
    def random(self):
        """The request's random source: seeded runs draw from the seed and the cluster's history.

        Only writing requests draw; each draw bumps a counter in the store, so two requests never
        repeat each other's choices even when neither wrote an object (exec's routing).
        """
        if self._random is None:
            history = self.tx.meta("resourceVersion", "0") or "0"
            self._random = self.env.random_source(f"{history}:{self.tx.next_draw()}")
        return self._random

    def new_uid(self) -> str:
        """A version-4 UUID from the request's random source (so seeded runs repeat it)."""
        value = self.random.getrandbits(128)
        value = (value & ~(0xF << 76)) | (4 << 76)  # version 4
        value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
        text = f"{value:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

    def timestamp(self) -> str:
        """The request's moment as metav1.Time prints it: formatted once per moment (a bulk request
        stamps tens of thousands of objects and events; timers and exec move ``now``)."""
        if self._stamped is None or self._stamped[0] != self.now:
            self._stamped = (self.now, format_timestamp(self.now))
        return self._stamped[1]

    def kind_of(self, obj: Obj) -> Kind:
        kind = kind_for(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
        if kind is None:
            raise errors.bad_request(f'no kind "{obj.get("kind")}" is registered for version "{obj.get("apiVersion")}"')
        return kind

    # -- reads ----------------------------------------------------------------------------------
    def client_request(self, kind: Kind) -> None:
        """A client's request touches this kind: the API server attaches its deprecation warnings.

        Writes call it themselves; a controller's write (while draining) is nobody's request."""
        if self.draining:
            return
        if kind.kind == "Endpoints" and ENDPOINTS_DEPRECATION not in self.warnings:
            self.warnings.append(ENDPOINTS_DEPRECATION)

    def get(self, kind: Kind, namespace: str | None, name: str) -> Obj:
        obj = self.tx.get(kind.resource, (namespace or "") if kind.namespaced else "", name)
        if obj is None:
            raise errors.not_found(kind.resource, name)
        return obj

    def find(self, kind: Kind, namespace: str | None, name: str) -> Obj | None:
        return self.tx.get(kind.resource, (namespace or "") if kind.namespaced else "", name)

    def list(self, kind: Kind, namespace: str | None = None) -> list[Obj]:
        """All objects of a kind, in one namespace or (None) in all of them."""
        return self.tx.list(kind.resource, namespace if kind.namespaced else None)

    def owned_by(self, owner: Obj, kind: Kind) -> list[Obj]:
        """The objects of one kind that name ``owner`` in their ownerReferences, from the store's index
        (an informer's owner index): a service's slices, an RC's pods, without listing the namespace."""
        return [obj for resource, obj in self.tx.find_owned_by(owner["metadata"]["uid"]) if resource == kind.resource]

    def iterate(self, kind: Kind, namespace: str | None = None, selector: Selector | None = None) -> Iterator[Obj]:
        """``list``'s objects one at a time (a printer holds one, not all), those ``selector`` matches."""
        labels = selector.required_labels() if selector is not None else None
        objects = self.tx.iterate(kind.resource, namespace if kind.namespaced else None, labels)
        if selector is None:
            return objects
        return (o for o in objects if selector.matches((o.get("metadata") or {}).get("labels") or {}))

    # -- writes ---------------------------------------------------------------------------------
    def create(self, obj: Obj, namespace: str = "default", *, dry_run: bool = False,
               field_validation: str = "Strict") -> Obj:
        """Create an object as POST does: strict decoding, metadata, defaults, validation, storage."""
        kind = self.kind_of(obj)
        self.client_request(kind)
        obj = _deep_copy(obj)
        self._check_fields(kind, obj, field_validation)
        metadata = obj.setdefault("metadata", {})
        if not isinstance(metadata, dict):
            raise self._cannot_handle(kind, "json: cannot unmarshal into Go struct field .metadata of type v1.ObjectMeta")
        for key in SERVER_METADATA:
            metadata.pop(key, None)
        if kind.namespaced:
            requested = metadata.get("namespace") or namespace
            if metadata.get("namespace") and metadata["namespace"] != namespace:
                raise errors.bad_request(
                    "the namespace of the provided object does not match the namespace sent on the request")
            metadata["namespace"] = requested
        else:
            metadata.pop("namespace", None)
        generated = not metadata.get("name") and bool(metadata.get("generateName"))
        if generated:
            metadata["name"] = self.generate_name(str(metadata["generateName"]))
        errs = _prefix_checks(kind, obj)
        if errs:
            raise errors.invalid_object(kind.kind, str(metadata.get("name", "")), errs, kind.group)
        obj = _with_standard_keys(kind, obj)
        obj.pop("status", None)
        kind.default(obj)
        from kubesim.api.validation import validate_object_meta

        errs = validate_object_meta(kind, obj) + kind.validate(obj, None)
        if errs:
            raise errors.invalid_object(kind.kind, str(metadata.get("name", "")), errs, kind.group)
        if kind.namespaced and not self.tx.exists("namespaces", "", metadata["namespace"]):
            raise errors.not_found("namespaces", metadata["namespace"])
        namespace = metadata.get("namespace", "") if kind.namespaced else ""
        for _ in range(GENERATE_NAME_ATTEMPTS - 1 if generated else 0):
            if not self.tx.exists(kind.resource, namespace, metadata["name"]):
                break
            metadata["name"] = self.generate_name(str(metadata["generateName"]))
        if self.tx.exists(kind.resource, namespace, metadata["name"]):
            raise errors.already_exists(kind.resource, metadata["name"])
        metadata["uid"] = self.new_uid()
        metadata["creationTimestamp"] = self.timestamp()
        if kind.tracks_generation:
            metadata["generation"] = 1
        strategy = strategy_for(kind)
        if strategy:
            strategy.before_create(self, obj)
        if dry_run:
            metadata["resourceVersion"] = ""
            return obj
        metadata["resourceVersion"] = str(self.tx.next_resource_version())
        try:
            self.tx.insert(kind.resource, obj)
        except KeyExists:
            raise errors.already_exists(kind.resource, metadata["name"]) from None
        self.after_write(kind, obj)
        if self.on_create is not None:
            self.on_create(obj)
        return obj

    def update(self, obj: Obj, *, dry_run: bool = False, field_validation: str = "Strict") -> Obj:
        """Replace an object as PUT does: a stale resourceVersion conflicts; immutable fields hold."""
        kind = self.kind_of(obj)
        self.client_request(kind)
        obj = _deep_copy(obj)
        self._check_fields(kind, obj, field_validation)
        metadata = obj.setdefault("metadata", {})
        namespace = metadata.get("namespace", "") if kind.namespaced else ""
        old = self.get(kind, namespace, str(metadata.get("name", "")))
        sent_version = metadata.get("resourceVersion")
        if sent_version and sent_version != old["metadata"]["resourceVersion"]:
            raise errors.conflict(kind.resource, metadata["name"],
                                  "the object has been modified; please apply your changes to the latest "
                                  "version and try again")
        for key in ("uid", "creationTimestamp", "generation", "deletionTimestamp"):
            if key in old["metadata"]:
                metadata[key] = old["metadata"][key]
            else:
                metadata.pop(key, None)
        if kind.namespaced:
            metadata["namespace"] = old["metadata"].get("namespace", "")
        if "status" not in obj and "status" in old:
            obj["status"] = old["status"]
        obj = _with_standard_keys(kind, obj)
        kind.default(obj)
        strategy = strategy_for(kind)
        if strategy:
            strategy.before_update(self, obj, old)
        from kubesim.api.validation import validate_object_meta

        errs = validate_object_meta(kind, obj) + kind.validate(obj, old)
        if errs:
            raise errors.invalid_object(kind.kind, str(metadata.get("name", "")), errs, kind.group)
        if kind.tracks_generation and _spec_of(obj) != _spec_of(old):
            metadata["generation"] = int(old["metadata"].get("generation", 1)) + 1
        if strategy:
            strategy.allocate_update(self, obj, old)
        if _same_object(obj, old):
            return old
        if dry_run:
            return obj
        metadata["resourceVersion"] = str(self.tx.next_resource_version())
        self.tx.replace(kind.resource, obj)
        self.after_write(kind, obj)
        return obj

    def write_status(self, obj: Obj) -> Obj:
        """Store a controller's change (status, or fields a controller owns) without re-validating."""
        kind = self.kind_of(obj)
        obj["metadata"]["resourceVersion"] = str(self.tx.next_resource_version())
        self.tx.replace(kind.resource, obj)
        self.after_write(kind, obj)
        return obj

    def delete(self, kind: Kind, namespace: str | None, name: str, *, cascade: str = "background",
               dry_run: bool = False) -> Obj:
        self.client_request(kind)
        obj = self.get(kind, namespace, name)
        if kind.kind == "Namespace" and name in IMMORTAL_NAMESPACES:
            # The NamespaceLifecycle admission plugin protects these.
            raise errors.ApiError("Forbidden", 403,
                                  f'namespaces "{name}" is forbidden: this namespace may not be deleted')
        if dry_run:
            return obj
        with self.batched():  # a namespace or an owner goes with what it holds before controllers look
            self._remove(kind, obj, cascade)
        return obj

    def _remove(self, kind: Kind, obj: Obj, cascade: str) -> None:
        meta = obj["metadata"]
        self.tx.remove(kind.resource, meta.get("namespace", ""), meta["name"])
        self.tx.next_resource_version()
        strategy = strategy_for(kind)
        if strategy:
            strategy.after_delete(self, obj)
        if kind.kind == "Namespace":
            for resource, child in self.tx.list_namespace(meta["name"]):
                child_kind = self.kind_of(child)
                if child_kind.resource == resource:
                    self._remove(child_kind, child, "background")
        if cascade != "orphan":
            for _resource, child in self.tx.find_owned_by(meta["uid"]):
                self._remove(self.kind_of(child), child, cascade)
        else:
            for _resource, child in self.tx.find_owned_by(meta["uid"]):
                child["metadata"]["ownerReferences"] = [
                    ref for ref in child["metadata"].get("ownerReferences", []) if ref.get("uid") != meta["uid"]
                ] or None
                if child["metadata"]["ownerReferences"] is None:
                    del child["metadata"]["ownerReferences"]
                self.write_status(child)
        self.after_delete(kind, obj)

    # -- names ----------------------------------------------------------------------------------
    def generate_name(self, base: str) -> str:
        """generateName: the base cut to 58 characters plus five from the API server's alphabet."""
        alphabet = "bcdfghjklmnpqrstvwxz2456789"
        return base[:58] + "".join(self.random.choice(alphabet) for _ in range(5))

    # -- controllers ----------------------------------------------------------------------------
    @contextmanager
    def batched(self) -> Iterator[None]:
        """Many writes of one command, then the controllers once: what they would reach object by
        object, in one pass (deleting N pods under an RC is O(N), not N syncs of N pods)."""
        if self.holding:
            yield
            return
        self.holding = True
        try:
            yield
        finally:
            self.holding = False
        from kubesim.controllers import drain

        drain(self)

    def _forget_memos_of(self, kind: Kind) -> None:
        """Memo entries named ``kind:<Kind>/…`` are worked out from objects of that kind: a write ends them."""
        prefix = f"kind:{kind.kind}/"
        for key in [k for k in self.memo if k.startswith(prefix)]:
            del self.memo[key]

    def after_write(self, kind: Kind, obj: Obj) -> None:
        from kubesim.controllers import drain, reconcile_after_write

        self._forget_memos_of(kind)
        reconcile_after_write(self, kind, obj)
        drain(self)

    def after_delete(self, kind: Kind, obj: Obj) -> None:
        from kubesim.controllers import drain, reconcile_after_delete

        self._forget_memos_of(kind)
        reconcile_after_delete(self, kind, obj)
        drain(self)

    # -- strict decoding ------------------------------------------------------------------------
    def _check_fields(self, kind: Kind, obj: Obj, field_validation: str) -> None:
        """Decode as the API server does: wrong types fail, nulls are zero values, unknown fields
        fail (Strict), warn (Warn) or pass (Ignore)."""
        from kubesim.api.schema import decode_error, drop_nulls, unknown_fields

        if self.draining:  # a controller's object, built from stored (decoded) ones: only the nulls go
            drop_nulls(kind.api_version, kind.kind, obj)
            return
        problem = decode_error(kind.api_version, kind.kind, obj)
        if problem:
            raise self._cannot_handle(kind, problem)
        drop_nulls(kind.api_version, kind.kind, obj)
        if field_validation == "Ignore":
            return

        unknown = unknown_fields(kind.api_version, kind.kind, obj)
        if not unknown:
            return
        if field_validation == "Warn":
            self.warnings.extend(f'unknown field "{path}"' for path in unknown)
            return
        listed = ", ".join(f'unknown field "{path}"' for path in unknown)
        raise self._cannot_handle(kind, f"strict decoding error: {listed}")

    @staticmethod
    def _cannot_handle(kind: Kind, detail: str) -> errors.ApiError:
        return errors.bad_request(
            f'{kind.kind} in version "{kind.version}" cannot be handled as a {kind.kind}: {detail}')


def _deep_copy(obj: Obj) -> Obj:
    """A copy the caller's object keeps out of: marshal's round trip (C, several times deepcopy's
    speed) for plain JSON values, deepcopy for anything else YAML can produce (dates)."""
    import marshal

    try:
        return marshal.loads(marshal.dumps(obj))
    except ValueError:
        import copy

        return copy.deepcopy(obj)


def _with_standard_keys(kind: Kind, obj: Obj) -> Obj:
    obj["apiVersion"] = kind.api_version
    obj["kind"] = kind.kind
    return obj


def _prefix_checks(kind: Kind, obj: Obj) -> list[errors.FieldError]:
    metadata = obj["metadata"]
    if not metadata.get("name") and not metadata.get("generateName"):
        return [errors.required("metadata.name", "name or generateName is required")]
    return []


def _spec_of(obj: Obj) -> Any:
    return {key: value for key, value in obj.items() if key not in ("metadata", "status", "apiVersion", "kind")}


def _same_object(new: Obj, old: Obj) -> bool:
    def comparable(obj: Obj) -> Obj:
        clone = dict(obj)
        clone["metadata"] = {k: v for k, v in obj.get("metadata", {}).items() if k != "resourceVersion"}
        return clone

    return comparable(new) == comparable(old)


class Strategy:
    """Per-kind storage behaviour beyond validation (the API server's REST strategies)."""

    def before_create(self, api: ApiServer, obj: Obj) -> None:
        return None

    def before_update(self, api: ApiServer, obj: Obj, old: Obj) -> None:
        return None

    def allocate_update(self, api: ApiServer, obj: Obj, old: Obj) -> None:
        return None

    def after_delete(self, api: ApiServer, obj: Obj) -> None:
        return None


_STRATEGIES: dict[str, Strategy] = {}


def strategy_for(kind: Kind) -> Strategy | None:
    """The kind's storage strategy, if it has one; loaded on first use (Services and Ingresses have one)."""
    if not _STRATEGIES:
        from kubesim.api.kinds.ingress import DefaultIngressClass
        from kubesim.api.service_allocation import ServiceAllocation

        _STRATEGIES["Service"] = ServiceAllocation()
        _STRATEGIES["Ingress"] = DefaultIngressClass()
    return _STRATEGIES.get(kind.kind)
