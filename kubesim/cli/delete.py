"""``kubesim delete``: remove objects by name, selector, ``--all`` or file."""

from __future__ import annotations

from typing import Annotated

import typer

from kubesim.api.errors import ApiError
from kubesim.api.registry import Kind, Obj
from kubesim.cli.app import Verb, verb_app
from kubesim.cli.completion import resource_words
from kubesim.cli.context import Invocation, run_verb
from kubesim.cli.options import (
    Cascade,
    DryRun,
    FieldSelector,
    GracePeriod,
    Recursive,
    Selector,
    Timeout,
    split_commas,
)
from kubesim.cli.report import with_source
from kubesim.cli.resources import NO_RESOURCES, field_selector, label_selector, parse_resource_args
from kubesim.cli.writing import dry_run_mode
from kubesim.errors import Aggregate, KubectlError


def run(inv: Invocation) -> int:
    opts = inv.options
    cascade = cascade_of(opts["cascade"])
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
        targets = _targets(inv, api)
        with inv.progress(len(targets), "kubesim delete") as bar, api.batched():
            for kind, namespace, name, source in targets:
                bar.advance()
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
                inv.warn(api.warnings)
                inv.out(_deleted_line(inv, kind, obj, dry_run))
    if not deleted_any and not failures and (opts["all"] or opts["selector"] or opts["field_selector"]):
        inv.out("No resources found\n")
    if failures:
        raise Aggregate(failures)
    return 0


def cascade_of(value: str) -> str:
    lowered = str(value).lower()
    if lowered in ("background", "true"):
        return "background"
    if lowered in ("orphan", "false"):
        return "orphan"
    if lowered == "foreground":
        return "foreground"
    raise KubectlError(f'invalid cascade value ({value}). Must be "background", "foreground", or "orphan".')


def _deleted_line(inv: Invocation, kind: Kind, obj: Obj, dry_run: str) -> str:
    if inv.options["output"] == "name":
        return f"{kind.name_prefix}/{obj['metadata']['name']}\n"
    verb = "force deleted" if inv.options["force"] and inv.options["grace_period"] == 0 else "deleted"
    return deleted_line(kind, obj, verb, dry_run)


def deleted_line(kind: Kind, obj: Obj, verb: str = "deleted", dry_run: str = "") -> str:
    """``pod "kubia-6b9wj" deleted from default namespace``, as kubectl 1.34+ words it."""
    where = f" from {obj['metadata'].get('namespace')} namespace" if kind.namespaced else ""
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry_run, "")
    return f'{kind.name_prefix} "{obj["metadata"]["name"]}" {verb}{where}{suffix}\n'


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
        raise KubectlError(NO_RESOURCES)
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


app = verb_app()

EXAMPLES = """  # Delete a pod using the type and name specified in pod.json
  kubesim delete -f ./pod.json

  # Delete pods and services with same names "baz" and "foo"
  kubesim delete pod,service baz foo

  # Delete pods and services with label name=myLabel
  kubesim delete pods,services -l name=myLabel

  # Delete all pods
  kubesim delete pods --all
"""


@app.command("delete", cls=Verb, epilog=EXAMPLES,
             help="Delete resources by file names, stdin, resources and names, or by resources and label selector.")
def delete(
    resources: Annotated[list[str] | None, resource_words(
        "([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)])")] = None,
    filename: Annotated[list[str] | None, typer.Option(
        "-f", "--filename", callback=split_commas, show_default=False,
        help="containing the resource to delete.")] = None,
    recursive: Recursive = False,
    all: Annotated[bool, typer.Option(
        "--all", help="Delete all resources, in the namespace of the specified resource types.")] = False,
    all_namespaces: Annotated[bool, typer.Option(
        "-A", "--all-namespaces",
        help="If present, list the requested object(s) across all namespaces. Namespace in current context is "
             "ignored even if specified with --namespace.")] = False,
    selector: Selector = None,
    field_selector: FieldSelector = None,
    ignore_not_found: Annotated[bool, typer.Option(
        "--ignore-not-found", help='Treat "resource not found" as a successful delete. Defaults to "true" when '
                                   "--all is specified.")] = False,
    cascade: Cascade = "background",
    grace_period: GracePeriod = -1,
    force: Annotated[bool, typer.Option(
        "--force", help="If true, immediately remove resources from API and bypass graceful deletion.")] = False,
    now: Annotated[bool, typer.Option(
        "--now", help="If true, resources are signaled for immediate shutdown (same as --grace-period=1).")] = False,
    wait: Annotated[bool, typer.Option(
        "--wait", help="If true, wait for resources to be gone before returning. This waits for "
                       "finalizers.")] = True,
    timeout: Timeout = "0s",
    dry_run: DryRun = "none",
    output: Annotated[str | None, typer.Option(
        "-o", "--output", show_default=False,
        help='Output mode. Use "-o name" for shorter output (resource/name).')] = None,
) -> int:
    return run_verb(run)
