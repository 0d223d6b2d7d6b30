"""``kubesim delete``: remove objects by name, selector, ``--all`` or file."""

from __future__ import annotations

from kubesim.api.errors import ApiError
from kubesim.api.registry import Kind, Obj
from kubesim.cli.context import Invocation
from kubesim.cli.flags import Command, Flag
from kubesim.cli.report import with_source
from kubesim.cli.resources import field_selector, label_selector, parse_resource_args
from kubesim.cli.writing import DRY_RUN, dry_run_mode
from kubesim.errors import Aggregate, KubectlError

FLAGS = (
    Flag("filename", "f", "slice", help="containing the resource to delete"),
    Flag("recursive", "R", "bool", False, help="Process the directory used in -f recursively"),
    Flag("all", "", "bool", False, help="Delete all resources, in the namespace of the specified resource types"),
    Flag("all-namespaces", "A", "bool", False, help="If present, delete the requested object(s) across all namespaces"),
    Flag("selector", "l", help="Selector (label query) to filter on"),
    Flag("field-selector", "", help="Selector (field query) to filter on"),
    Flag("ignore-not-found", "", "bool", False, help="Treat \"resource not found\" as a successful delete"),
    Flag("cascade", "", "string", "background", no_value="background",
         help='Must be "background", "orphan", or "foreground"'),
    Flag("grace-period", "", "int", -1, help="Period of time in seconds given to the resource to terminate"),
    Flag("force", "", "bool", False, help="Immediately remove resources from the API"),
    Flag("now", "", "bool", False, help="Signal resources for immediate shutdown (same as --grace-period=1)"),
    Flag("wait", "", "bool", True, help="Wait for resources to be gone before returning"),
    Flag("timeout", "", "string", "0s", help="The length of time to wait before giving up on a delete"),
    DRY_RUN,
    Flag("output", "o", help="Output mode. Use \"-o name\" for shorter output (resource/name)"),
)


def run(inv: Invocation) -> int:
    opts = inv.options
    cascade = _cascade(opts["cascade"])
    dry_run = dry_run_mode(inv)
    if opts["output"] not in (None, "name"):
        raise KubectlError(f"unexpected -o output mode: {opts['output']}. We only support '-o name'")
    if opts["all"] and opts["selector"]:
        raise KubectlError("cannot set --all and --selector at the same time")
    if opts["force"] and opts["grace_period"] == 0:
        inv.err("Warning: Immediate deletion does not wait for confirmation that the running resource has been "
                "terminated. The resource may continue to run on the cluster indefinitely.\n")
    failures: list[Exception] = []
    deleted_any = False
    with inv.cluster.api(write=dry_run != "client") as api:
        for kind, namespace, name, source in _targets(inv, api):
            try:
                obj = api.delete(kind, namespace, name, cascade=cascade, dry_run=bool(dry_run))
            except ApiError as error:
                # With --all or -l kubectl ignores what is already gone (a cascade may have taken it).
                ignore = opts["ignore_not_found"] or opts["all"] or bool(opts["selector"])
                if ignore and error.reason == "NotFound":
                    continue
                failures.append(with_source(error, "deleting", source) if source else error)
                continue
            deleted_any = True
            inv.out(_deleted_line(inv, kind, obj, dry_run))
    if not deleted_any and not failures and (opts["all"] or opts["selector"] or opts["field_selector"]):
        inv.out("No resources found\n")
    if failures:
        raise Aggregate(failures)
    return 0


def _cascade(value: str) -> str:
    lowered = str(value).lower()
    if lowered in ("background", "true"):
        return "background"
    if lowered in ("orphan", "false"):
        return "orphan"
    if lowered == "foreground":
        return "foreground"
    raise KubectlError(f'invalid cascade value ({value}). Must be "background", "foreground", or "orphan".')


def _deleted_line(inv: Invocation, kind: Kind, obj: Obj, dry_run: str) -> str:
    name = obj["metadata"]["name"]
    if inv.options["output"] == "name":
        return f"{kind.name_prefix}/{name}\n"
    verb = "force deleted" if inv.options["force"] and inv.options["grace_period"] == 0 else "deleted"
    where = f" from {obj['metadata'].get('namespace')} namespace" if kind.namespaced else ""
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry_run, "")
    return f'{kind.name_prefix} "{name}" {verb}{where}{suffix}\n'


def _targets(inv: Invocation, api) -> list[tuple[Kind, str | None, str, str]]:
    opts = inv.options
    if opts["filename"]:
        from kubesim.cli.manifests import read_manifests
        from kubesim.cli.mapping import kind_of_manifest
        from kubesim.cli.writing import namespace_for

        found = []
        for manifest in read_manifests(opts["filename"], inv.env.stdin.read, opts["recursive"]):
            kind = kind_of_manifest(manifest)
            name = str((manifest.obj.get("metadata") or {}).get("name", ""))
            found.append((kind, namespace_for(inv, kind, manifest.obj), name, manifest.source))
        return found
    requests = parse_resource_args(inv.args, verb="delete")
    if not requests:
        raise KubectlError("You must provide one or more resources by argument or filename.\nExample resource "
                           "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   "
                           "'<resource> <name>'\n   '<resource>'")
    selector = label_selector(opts["selector"], requests[0].kind if requests else None)
    found = []
    for request in requests:
        if request.names:
            if opts["all"] or selector is not None:
                raise KubectlError("name cannot be provided when a selector is specified")
            found += [(request.kind, inv.namespace, name, "") for name in request.names]
        elif opts["all"] or selector is not None or opts["field_selector"]:
            namespace = None if opts["all_namespaces"] else inv.namespace
            fields = field_selector(opts["field_selector"], request.kind)
            for obj in api.list(request.kind, namespace):
                if fields is not None and not fields.matches(obj):
                    continue
                if selector is None or selector.matches(obj["metadata"].get("labels") or {}):
                    found.append((request.kind, obj["metadata"].get("namespace"), obj["metadata"]["name"], ""))
        else:
            raise KubectlError("resource(s) were provided, but no name was specified")
    return found


COMMAND = Command(
    name="delete",
    summary="Delete resources by file names, stdin, resources and names, or by resources and label selector",
    usage="delete ([-f FILENAME] | TYPE [(NAME | -l label | --all)])",
    flags=FLAGS,
    run=run,
    examples="  # Delete all pods\n  kubesim delete po --all\n",
)
