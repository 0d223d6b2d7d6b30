"""``kubesim apply -f``: create what is missing, merge what changed, report what is unchanged."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from kubesim.api.registry import Kind, Obj
from kubesim.cli.app import Verb, verb_app
from kubesim.cli.context import Invocation, run_verb
from kubesim.cli.create import LAST_APPLIED, with_last_applied
from kubesim.cli.options import DryRun, FieldManager, Filename, Output, Recursive, Selector, Validate
from kubesim.cli.writing import (
    dry_run_mode,
    field_validation,
    for_each_manifest,
)
from kubesim.printers.output import OutputFormat, render_results


def run(inv: Invocation) -> int:
    fmt = OutputFormat.parse_generic(inv.options["output"])
    dry_run = dry_run_mode(inv)
    validation = field_validation(inv)

    def apply_one(kind: Kind, obj: Obj, namespace: str, source: str) -> None:
        desired = with_last_applied(obj, namespace if kind.namespaced else None)
        name = str((obj.get("metadata") or {}).get("name", ""))
        with inv.cluster.api(write=dry_run != "client") as api:
            live = api.find(kind, namespace, name) if name else None
            if live is None:
                result = desired if dry_run == "client" else api.create(
                    desired, namespace, dry_run=dry_run == "server", field_validation=validation)
                operation = "created"
            else:
                from kubesim.api.merge import three_way_merge

                annotations = live.get("metadata", {}).get("annotations") or {}
                if LAST_APPLIED not in annotations:
                    inv.err(f"Warning: resource {kind.resource}/{name} is missing the {LAST_APPLIED} annotation "
                            "which is required by kubesim apply. kubesim apply should only be used on resources "
                            "created declaratively by either kubesim create --save-config or kubesim apply. The "
                            "missing annotation will be patched automatically.\n")
                original = _json_or_empty(annotations.get(LAST_APPLIED))
                merged = three_way_merge(live, original, desired)
                merged["metadata"]["resourceVersion"] = live["metadata"]["resourceVersion"]
                if dry_run == "client":
                    result = merged
                    operation = "configured"
                else:
                    result = api.update(merged, dry_run=dry_run == "server", field_validation=validation)
                    unchanged = result["metadata"].get("resourceVersion") == live["metadata"]["resourceVersion"]
                    operation = "unchanged" if unchanged and result == live else "configured"
            inv.warn(api.warnings)
        inv.out(render_results(fmt, [(kind, result)], operation, dry_run))

    for_each_manifest(inv, "apply", "creating", apply_one)
    return 0


def _json_or_empty(text: str | None) -> dict:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


app = verb_app()

EXAMPLES = """  # Apply the configuration in pod.json to a pod
  kubesim apply -f ./pod.json

  # Apply the JSON passed into stdin to a pod
  cat pod.json | kubesim apply -f -

  # Apply the configuration in kubia-svc.yaml
  kubesim apply -f kubia-svc.yaml
"""


@app.command("apply", cls=Verb, epilog=EXAMPLES,
             help="Apply a configuration to a resource by file name or stdin. The resource name must be "
                  "specified. This resource will be created if it doesn't exist yet.")
def apply(
    words: Annotated[list[str] | None, typer.Argument(metavar="(-f FILENAME)", show_default=False)] = None,
    filename: Filename = None,
    recursive: Recursive = False,
    dry_run: DryRun = "none",
    validate: Validate = "strict",
    output: Output = None,
    selector: Selector = None,
    field_manager: FieldManager = None,
    server_side: Annotated[bool, typer.Option(
        "--server-side", help="If true, apply runs in the server instead of the client (not supported by "
                              "kubesim: apply runs client-side).")] = False,
) -> int:
    return run_verb(run)
