"""What the verbs that send manifests share: -f reading, --dry-run, --validate, per-object errors.

kubectl handles every object of a file on its own: one bad document fails alone, the others are
still sent, and the command exits 1 with every failure listed.
"""

from __future__ import annotations

from collections.abc import Callable

from kubesim.api.errors import ApiError
from kubesim.api.registry import Kind, Obj
from kubesim.cli.context import Invocation
from kubesim.cli.report import with_source
from kubesim.cli.resources import label_selector
from kubesim.errors import Aggregate, KubectlError


def dry_run_mode(inv: Invocation) -> str:
    """"" for a real request, "client" or "server" for a dry run."""
    value = inv.options.get("dry_run", "none")
    if value == "unchanged":
        inv.err("W0000 00:00:00.000000       1 helpers.go:701] --dry-run is deprecated and can be replaced "
                "with --dry-run=client.\n")
        return "client"
    if value in ("none", "false"):
        return ""
    if value in ("client", "true"):
        return "client"
    if value == "server":
        return "server"
    raise KubectlError(f'Invalid dry-run value ({value}). Must be "none", "server", or "client".')


def field_validation(inv: Invocation) -> str:
    value = str(inv.options.get("validate", "strict")).lower()
    if value in ("strict", "true"):
        return "Strict"
    if value == "warn":
        return "Warn"
    if value in ("ignore", "false"):
        return "Ignore"
    raise KubectlError(
        f'invalid - validate option "{inv.options.get("validate")}"; must be one of: strict (or true), warn, '
        "ignore (or false)")


def load_manifests(inv: Invocation, verb: str):
    """Read every -f source like kubectl's builder: the readable objects, and what failed to read.

    Problems with the paths themselves (missing file, bad glob) stop the command at once.
    """
    from kubesim.cli.manifests import scan_manifests

    if not inv.options["filename"]:
        raise KubectlError("must specify one of -f and -k")
    validate = field_validation(inv) != "Ignore"
    manifests, read_failures = scan_manifests(inv.options["filename"], inv.env.stdin.read,
                                              inv.options.get("recursive", False), validate=validate)
    selector = label_selector(inv.options.get("selector"))
    if selector is not None:
        manifests = [m for m in manifests
                     if selector.matches((m.obj.get("metadata") or {}).get("labels") or {})]
    if not manifests and not read_failures:
        raise KubectlError(f"no objects passed to {verb}")
    return manifests, read_failures


def namespace_for(inv: Invocation, kind: Kind, obj: Obj) -> str:
    """The request's namespace; an object naming another one than an explicit -n is refused."""
    metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    own = metadata.get("namespace") if kind.namespaced else None
    if own and inv.namespace_given and own != inv.namespace:
        raise KubectlError(
            f'the namespace from the provided object "{own}" does not match the namespace "{inv.namespace}". '
            f"You must pass '--namespace={own}' to perform this operation.")
    return own or inv.namespace


def for_each_manifest(inv: Invocation, verb: str, verb_ing: str,
                      handle: Callable[[Kind, Obj, str, str], None]) -> None:
    """Run ``handle(kind, obj, namespace, source)`` per object, collecting failures like kubectl."""
    from kubesim.cli.manifests import ManifestErrors
    from kubesim.cli.mapping import MappingError, kind_of_manifest

    manifests, read_failures = load_manifests(inv, verb)
    failures: list[Exception] = []
    with inv.progress(len(manifests), f"kubesim {verb}") as bar:
        for manifest in manifests:
            try:
                kind = kind_of_manifest(manifest)
                namespace = namespace_for(inv, kind, manifest.obj)
                handle(kind, manifest.obj, namespace, manifest.source)
            except MappingError as error:
                failures.append(error)
            except ApiError as error:
                failures.append(with_source(error, verb_ing, manifest.source))
            bar.advance()
    if read_failures:
        if not failures:
            raise ManifestErrors(read_failures, manifests)
        failures += [KubectlError(text) for failure in read_failures for text in (failure.parts or
                                                                                   (failure.message,))]
    if failures:
        raise Aggregate(failures)
