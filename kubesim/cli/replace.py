"""``kubesim replace -f``: put each object of the manifests in place of the stored one (``--force``:
delete it and create it again)."""

from __future__ import annotations

import copy
from typing import Annotated

import typer

from kubesim.api.errors import ApiError
from kubesim.api.registry import Kind, Obj
from kubesim.cli.app import Verb, verb_app
from kubesim.cli.context import Invocation, run_verb
from kubesim.cli.options import (
    AllowMissingTemplateKeys,
    Cascade,
    DryRun,
    FieldManager,
    GracePeriod,
    Output,
    Recursive,
    ShowManagedFields,
    Template,
    Timeout,
    Validate,
    split_commas,
)
from kubesim.cli.writing import dry_run_mode, field_validation, for_each_manifest
from kubesim.errors import KubectlError


def run(inv: Invocation) -> int:
    from kubesim.printers.output import OutputFormat, render_results

    opts = inv.options
    fmt = OutputFormat.parse_generic(opts["output"])
    dry_run = dry_run_mode(inv)
    validation = field_validation(inv)
    if opts["force"] and dry_run:
        raise KubectlError("--dry-run can not be used when --force is set")

    def replace_one(kind: Kind, obj: Obj, namespace: str, source: str) -> None:
        desired = copy.deepcopy(obj)
        if opts["save_config"]:
            from kubesim.cli.create import with_last_applied

            desired = with_last_applied(desired, namespace if kind.namespaced else None)
        metadata = desired.setdefault("metadata", {})
        name = str(metadata.get("name") or "")
        if kind.namespaced:
            metadata.setdefault("namespace", namespace)
        if opts["force"]:
            inv.out(render_results(fmt, [(kind, _force_replace(inv, kind, desired, namespace, name))], "replaced"))
            return
        if dry_run == "client":
            inv.out(render_results(fmt, [(kind, desired)], "replaced", dry_run))
            return
        # Status belongs to the controllers: the API server keeps the stored one on a replace.
        desired.pop("status", None)
        with inv.cluster.api(write=True) as api:
            replaced = api.update(desired, dry_run=dry_run == "server", field_validation=validation)
            inv.warn(api.warnings)
        inv.out(render_results(fmt, [(kind, replaced)], "replaced", dry_run))

    for_each_manifest(inv, "replace", "replacing", replace_one)
    return 0


def _force_replace(inv: Invocation, kind: Kind, desired: Obj, namespace: str, name: str) -> Obj:
    """Delete the stored object (printing kubectl's line for it) and create the new one in its place."""
    from kubesim.cli.delete import cascade_of, deleted_line

    with inv.cluster.api(write=True) as api:
        try:
            gone = api.delete(kind, namespace, name, cascade=cascade_of(inv.options["cascade"]))
        except ApiError as error:
            if error.reason != "NotFound":
                raise
        else:
            inv.out(deleted_line(kind, gone))
        desired["metadata"].pop("resourceVersion", None)
        created = api.create(desired, namespace, field_validation=field_validation(inv))
        inv.warn(api.warnings)
    return created


app = verb_app()

EXAMPLES = """  # Replace a pod using the data in pod.json
  kubesim replace -f ./pod.json

  # Replace a pod based on the JSON passed into stdin
  cat pod.json | kubesim replace -f -

  # Force replace, delete and then re-create the resource
  kubesim replace --force -f ./pod.json
"""


@app.command("replace", cls=Verb, epilog=EXAMPLES,
             help="Replace a resource by file name or stdin. JSON and YAML formats are accepted. If replacing an "
                  "existing resource, the complete resource spec must be provided.")
def replace(
    words: Annotated[list[str] | None, typer.Argument(metavar="-f FILENAME", show_default=False)] = None,
    filename: Annotated[list[str] | None, typer.Option(
        "-f", "--filename", callback=split_commas, show_default=False,
        help="The files that contain the configurations to replace.")] = None,
    recursive: Recursive = False,
    force: Annotated[bool, typer.Option(
        "--force", help="If true, immediately remove resources from API and bypass graceful deletion. Note that "
                        "immediate deletion of some resources may result in inconsistency or data loss and "
                        "requires confirmation.")] = False,
    cascade: Cascade = "background",
    grace_period: GracePeriod = -1,
    wait: Annotated[bool, typer.Option(
        "--wait", help="If true, wait for resources to be gone before returning. This waits for "
                       "finalizers.")] = False,
    timeout: Timeout = "0s",
    save_config: Annotated[bool, typer.Option(
        "--save-config", help="If true, the configuration of current object will be saved in its annotation. "
                              "Otherwise, the annotation will be unchanged. This flag is useful when you want "
                              "to perform kubectl apply on this object in the future.")] = False,
    dry_run: DryRun = "none",
    validate: Validate = "strict",
    output: Output = None,
    field_manager: FieldManager = None,
    show_managed_fields: ShowManagedFields = False,
    template: Template = None,
    allow_missing_template_keys: AllowMissingTemplateKeys = True,
) -> int:
    return run_verb(run)
