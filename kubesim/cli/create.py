"""``kubesim create -f``: create each object of the given manifests."""

from __future__ import annotations

import copy
import json

from kubesim.api.registry import Kind, Obj
from kubesim.cli.context import Invocation
from kubesim.cli.flags import Command, Flag
from kubesim.cli.writing import (
    DRY_RUN,
    FIELD_MANAGER,
    FILENAME,
    OUTPUT,
    RECURSIVE,
    SELECTOR,
    VALIDATE,
    dry_run_mode,
    field_validation,
    for_each_manifest,
)
from kubesim.printers.output import OutputFormat, render_results

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def run(inv: Invocation) -> int:
    if inv.args and inv.args[0] in ("namespace", "ns"):
        return _create_namespace(inv)
    fmt = OutputFormat.parse_generic(inv.options["output"])
    dry_run = dry_run_mode(inv)
    validation = field_validation(inv)

    def create_one(kind: Kind, obj: Obj, namespace: str, source: str) -> None:
        if inv.options["save_config"]:
            obj = with_last_applied(obj, namespace if kind.namespaced else None)
        if dry_run == "client":
            created = copy.deepcopy(obj)
        else:
            with inv.cluster.api(write=True) as api:
                created = api.create(obj, namespace, dry_run=dry_run == "server", field_validation=validation)
                inv.warn(api.warnings)
        inv.out(render_results(fmt, [(kind, created)], "created", dry_run))

    for_each_manifest(inv, "create", "creating", create_one)
    return 0


def with_last_applied(obj: Obj, namespace: str | None) -> Obj:
    """The object carrying kubectl's last-applied-configuration annotation, as apply and --save-config set it."""
    applied = copy.deepcopy(obj)
    metadata = applied.setdefault("metadata", {})
    annotations = metadata.setdefault("annotations", {})
    annotations.pop(LAST_APPLIED, None)
    if namespace is not None and not metadata.get("namespace"):
        metadata["namespace"] = namespace
    text = json.dumps(applied, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
    result = copy.deepcopy(obj)
    result_metadata = result.setdefault("metadata", {})
    if namespace is not None and not result_metadata.get("namespace"):
        result_metadata["namespace"] = namespace
    result_metadata.setdefault("annotations", {})[LAST_APPLIED] = text
    return result


def _create_namespace(inv: Invocation) -> int:
    from kubesim.errors import UsageError

    if len(inv.args) != 2:
        raise UsageError("exactly one NAME is required, got " + str(len(inv.args) - 1), "kubesim create namespace")
    fmt = OutputFormat.parse_generic(inv.options["output"])
    dry_run = dry_run_mode(inv)
    obj = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": inv.args[1]}}
    from kubesim.api.registry import kind_named

    kind = kind_named("Namespace")
    if dry_run != "client":
        with inv.cluster.api(write=True) as api:
            obj = api.create(obj, dry_run=dry_run == "server")
    inv.out(render_results(fmt, [(kind, obj)], "created", dry_run))
    return 0


COMMAND = Command(
    name="create",
    summary="Create a resource from a file or from stdin",
    usage="create -f FILENAME",
    flags=(FILENAME, RECURSIVE, DRY_RUN, VALIDATE, OUTPUT, SELECTOR, FIELD_MANAGER,
           Flag("save-config", "", "bool", False,
                help="Save the object's configuration in its annotation, for later use by apply"),
           Flag("edit", "", "bool", False, help="Not supported by kubesim")),
    run=run,
    examples="  # Create a service using the data in kubia-svc.yaml\n  kubesim create -f kubia-svc.yaml\n",
)
