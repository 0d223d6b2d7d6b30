"""``kubesim patch``: change fields of objects with a strategic merge, JSON merge or JSON patch."""

from __future__ import annotations

import copy
from typing import Annotated

import typer

from kubesim.api.errors import ApiError
from kubesim.api.registry import Kind, Obj
from kubesim.cli.app import Verb, verb_app
from kubesim.cli.completion import resource_words
from kubesim.cli.context import Invocation, run_verb
from kubesim.cli.options import (
    AllowMissingTemplateKeys,
    DryRun,
    FieldManager,
    Output,
    Recursive,
    ShowManagedFields,
    Template,
    completing,
    split_commas,
)
from kubesim.errors import KubectlError

SCALABLE = ("ReplicationController", "ReplicaSet", "Deployment", "StatefulSet")
WITHOUT_STATUS = ("ConfigMap", "Secret", "Endpoints", "EndpointSlice", "ServiceAccount", "Event")


def run(inv: Invocation) -> int:
    from kubesim.api.patch import PATCH_TYPES
    from kubesim.cli.writing import dry_run_mode
    from kubesim.printers.output import OutputFormat

    opts = inv.options
    if opts["type"] not in PATCH_TYPES:
        raise KubectlError(f'--type must be one of [json merge strategic], not "{opts["type"]}"')
    if opts["patch"] and opts["patch_file"]:
        raise KubectlError("cannot specify --patch and --patch-file together")
    text = opts["patch"] or _read_patch_file(opts["patch_file"])
    if not text:
        raise KubectlError("must specify --patch or --patch-file containing the contents of the patch")
    if opts["local"] and inv.args:
        raise KubectlError("cannot specify --local and server resources")
    if opts["subresource"] not in (None, "", "status", "scale"):
        raise KubectlError(f"invalid subresource value: {opts['subresource']!r}. Must be one of "
                           "[status scale]".replace("'", '"'))
    fmt = OutputFormat.parse_generic(opts["output"])
    dry_run = dry_run_mode(inv)
    patch = parse_patch(text)
    if opts["local"]:
        return _patch_local(inv, fmt, patch)
    from kubesim.cli.metadata_edit import targets
    from kubesim.printers.output import render_results

    with inv.cluster.api(write=not dry_run) as api:
        for kind, live in targets(inv, api, inv.args):
            shown_kind, result, changed = patch_object(api, kind, live, patch, opts["type"], opts["subresource"],
                                                       dry_run)
            inv.warn(api.warnings)
            operation = "patched" if changed or not fmt.human else "patched (no change)"
            inv.out(render_results(fmt, [(shown_kind, result)], operation, dry_run if changed else ""))
    return 0


def parse_patch(text: str):
    """The patch as data: kubectl reads -p as YAML (JSON being YAML), and says which text it could not."""
    from kubesim.cli.manifests import parse_yaml_value

    try:
        return parse_yaml_value(text)
    except ValueError as error:
        raise KubectlError(f'unable to parse "{text}": {error}') from None


def _read_patch_file(path: str | None) -> str:
    if not path:
        return ""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as error:
        raise KubectlError(f"unable to read patch file: open {path}: {(error.strerror or '').lower()}") from None


def patched(obj: Obj, patch, patch_type: str) -> Obj:
    """``obj`` with the patch applied, as the API server applies it; failures as it reports them."""
    from kubesim.api.patch import PatchError, apply_patch

    try:
        result = apply_patch(obj, patch, patch_type)
    except PatchError as error:
        if error.decoding or patch_type != "json":
            raise ApiError("BadRequest", 400, error.message) from None
        # The API server answers a JSON patch that does not apply with a bare 422.
        raise ApiError("Invalid", 422, "the server rejected our request due to an error in our request") from None
    if not isinstance(result, dict):
        raise ApiError("BadRequest", 400, "Invalid JSON Patch" if patch_type == "merge" else
                       "invalid JSON document")
    return result


def patch_object(api, kind: Kind, live: Obj, patch, patch_type: str, subresource: str | None,
                 dry_run: str) -> tuple[Kind, Obj, bool]:
    """Patch one stored object (or its status or scale); returns what to print and whether it changed."""
    if subresource == "scale":
        return _patch_scale(api, kind, live, patch, patch_type, dry_run)
    if subresource == "status" and kind.kind in WITHOUT_STATUS:
        raise ApiError("NotFound", 404, "the server could not find the requested resource")
    changed = patched(live, patch, patch_type)
    desired = copy.deepcopy(live)
    if subresource == "status":
        desired["status"] = changed.get("status")
        if desired["status"] is None:
            desired.pop("status")
    else:
        # The main resource ignores status, as the API server's update strategies do.
        desired = changed
        desired.pop("status", None)
        if "status" in live:
            desired["status"] = copy.deepcopy(live["status"])
    metadata = desired.get("metadata") if isinstance(desired.get("metadata"), dict) else {}
    if metadata.get("name") != live["metadata"]["name"]:
        raise ApiError("BadRequest", 400, f'the name of the object ({metadata.get("name", "")}) does not match the '
                                          f'name on the URL ({live["metadata"]["name"]})')
    desired.setdefault("metadata", {}).setdefault("resourceVersion", live["metadata"]["resourceVersion"])
    if dry_run == "client":
        return kind, desired, _differs(desired, live)
    if subresource == "status":
        if not _differs(desired, live):
            return kind, live, False
        if dry_run:
            return kind, desired, True
        return kind, api.write_status(desired), True
    result = api.update(desired, dry_run=dry_run == "server")
    return kind, result, _differs(result, live)


def _differs(new: Obj, old: Obj) -> bool:
    def comparable(obj: Obj) -> Obj:
        clone = dict(obj)
        clone["metadata"] = {k: v for k, v in obj.get("metadata", {}).items() if k != "resourceVersion"}
        return clone

    return comparable(new) != comparable(old)


def scale_of(kind: Kind, obj: Obj) -> Obj:
    """The autoscaling/v1 Scale the API server serves as an object's scale subresource."""
    from kubesim.api.selectors import selector_from_map

    metadata = obj["metadata"]
    spec = obj.get("spec") or {}
    selector = spec.get("selector") or {}
    if kind.kind != "ReplicationController":
        from kubesim.api.selectors import selector_from_label_selector

        text = str(selector_from_label_selector(selector))
    else:
        text = str(selector_from_map(selector))
    return {
        "apiVersion": "autoscaling/v1", "kind": "Scale",
        "metadata": {key: metadata[key] for key in ("creationTimestamp", "name", "namespace", "resourceVersion", "uid")
                     if key in metadata},
        "spec": {"replicas": spec.get("replicas", 1)},
        "status": {"replicas": (obj.get("status") or {}).get("replicas", 0), "selector": text},
    }


def _patch_scale(api, kind: Kind, live: Obj, patch, patch_type: str, dry_run: str) -> tuple[Kind, Obj, bool]:
    from kubesim.api.registry import Kind as ScaleKind

    if kind.kind not in SCALABLE:
        raise ApiError("NotFound", 404, "the server could not find the requested resource")
    scale_kind = ScaleKind("Scale", "v1", "scales", "scale", (), group="autoscaling")
    before = scale_of(kind, live)
    after = patched(before, patch, patch_type)
    replicas = (after.get("spec") or {}).get("replicas", 0)
    if not isinstance(replicas, int) or isinstance(replicas, bool):
        raise ApiError("BadRequest", 400, 'Scale in version "v1" cannot be handled as a Scale: json: cannot '
                                          "unmarshal into Go struct field ScaleSpec.spec.replicas of type int32")
    if replicas == before["spec"]["replicas"]:
        return scale_kind, before, False
    desired = copy.deepcopy(live)
    desired.setdefault("spec", {})["replicas"] = replicas
    if dry_run == "client":
        return scale_kind, after, True
    result = api.update(desired, dry_run=dry_run == "server")
    return scale_kind, scale_of(kind, result), True


def _patch_local(inv: Invocation, fmt, patch) -> int:
    """--local: patch the objects of -f as they are in the file and print them; the cluster is not asked."""
    from kubesim.api.patch import PatchError, apply_patch
    from kubesim.cli.manifests import read_manifests
    from kubesim.cli.mapping import kind_of_manifest
    from kubesim.printers.output import render_results

    if not inv.options["filename"]:
        raise KubectlError("must specify -f and --local")  # checked below by kubectl's builder as well
    for manifest in read_manifests(inv.options["filename"], inv.env.stdin.read, inv.options["recursive"]):
        kind = kind_of_manifest(manifest)
        try:
            result = apply_patch(manifest.obj, patch, inv.options["type"])
        except PatchError as error:
            raise KubectlError(error.message) from None
        if not isinstance(result, dict):
            raise KubectlError("invalid JSON document")
        changed = _differs(result, manifest.obj)
        operation = "patched" if changed or not fmt.human else "patched (no change)"
        inv.out(render_results(fmt, [(kind, result)], operation))
    return 0


app = verb_app()

EXAMPLES = """  # Partially update a service using a strategic merge patch, specifying the patch as JSON
  kubesim patch svc kubia -p '{"spec":{"sessionAffinity":"ClientIP"}}'

  # Partially update a service using a strategic merge patch, specifying the patch as YAML
  kubesim patch svc kubia -p $'spec:\\n sessionAffinity: ClientIP'

  # Update a container's image; spec.containers[*].name is required because it's a merge key
  kubesim patch rc kubia -p '{"spec":{"template":{"spec":{"containers":[{"name":"kubia","image":"luksa/kubia:v2"}]}}}}'

  # Update a container's image using a JSON patch with positional arrays
  kubesim patch rc kubia --type='json' -p='[{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value":"luksa/kubia:v2"}]'

  # Update a deployment's replicas through the scale subresource using a merge patch
  kubesim patch deployment kubia --subresource='scale' --type='merge' -p '{"spec":{"replicas":2}}'
"""


@app.command("patch", cls=Verb, epilog=EXAMPLES,
             help="Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch. "
                  "JSON and YAML formats are accepted.")
def patch(
    resources: Annotated[list[str] | None, resource_words("(-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE]")]
    = None,
    filename: Annotated[list[str] | None, typer.Option(
        "-f", "--filename", callback=split_commas, show_default=False,
        help="Filename, directory, or URL to files identifying the resource to update")] = None,
    recursive: Recursive = False,
    patch: Annotated[str | None, typer.Option(
        "-p", "--patch", show_default=False, help="The patch to be applied to the resource JSON file.")] = None,
    patch_file: Annotated[str | None, typer.Option(
        "--patch-file", show_default=False, help="A file containing a patch to be applied to the resource.")] = None,
    type: Annotated[str, typer.Option(
        "--type", autocompletion=completing("json", "merge", "strategic"),
        help="The type of patch being provided; one of [json merge strategic]")] = "strategic",
    local: Annotated[bool, typer.Option(
        "--local", help="If true, patch will operate on the content of the file, not the server-side "
                        "resource.")] = False,
    subresource: Annotated[str | None, typer.Option(
        "--subresource", show_default=False, autocompletion=completing("status", "scale"),
        help="If specified, patch will operate on the subresource of the requested object.")] = None,
    dry_run: DryRun = "none",
    output: Output = None,
    field_manager: FieldManager = None,
    show_managed_fields: ShowManagedFields = False,
    template: Template = None,
    allow_missing_template_keys: AllowMissingTemplateKeys = True,
) -> int:
    return run_verb(run)
