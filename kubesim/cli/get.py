"""``kubesim get``: list or fetch objects and print them as kubectl does."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Annotated

import typer

from kubesim.api.errors import ApiError
from kubesim.api.registry import Kind, Obj
from kubesim.cli.app import Verb, verb_app
from kubesim.cli.completion import resource_words
from kubesim.cli.context import Invocation, run_verb
from kubesim.cli.options import (
    AllNamespaces,
    AllowMissingTemplateKeys,
    FieldSelector,
    Filename,
    Output,
    PflagInt,
    Recursive,
    Selector,
    ShowManagedFields,
    Template,
    split_commas,
)
from kubesim.cli.resources import (
    Request,
    field_selector,
    label_selector,
    multiple_types_requested,
    parse_resource_args,
)
from kubesim.errors import Aggregate, KubectlError
from kubesim.printers.output import OutputFormat, as_list, custom_columns_of, name_of, render_data

EXAMPLES = """  # List all pods in ps output format
  kubesim get pods

  # List a single service in JSON output format
  kubesim get -o json svc kubia
"""

def run(inv: Invocation) -> int:
    opts = inv.options
    fmt = OutputFormat.parse(opts["output"], opts["template"])
    if opts["watch"]:
        raise KubectlError("watch is not supported by kubesim: the cluster only changes when a command changes it")
    if fmt.name not in ("", "wide") and opts["show_labels"]:
        raise KubectlError(f"--show-labels option cannot be used with {fmt.name} printer")
    if fmt.name in ("custom-columns", "custom-columns-file") and opts["label_columns"]:
        raise KubectlError(f"--label-columns option cannot be used with {fmt.name} printer")
    if not inv.args and not opts["filename"]:
        inv.err('You must specify the type of resource to get. Use "kubesim api-resources" for a complete list '
                "of supported resources.\n\n")
        raise KubectlError("Required resource not specified.\nUse \"kubesim explain <resource>\" for a detailed "
                           "description of that resource (e.g. kubesim explain pods).\nSee 'kubesim get -h' for "
                           "help and examples")
    all_namespaces = bool(opts["all_namespaces"])
    errors: list[Exception] = []
    groups: list[tuple[Kind, Iterable[Obj]]] = []
    named_request = False
    with inv.cluster.api() as api:
        now = api.now
        if opts["filename"]:
            requests = _requests_from_files(inv)
            named_request = sum(len(r.names) for r in requests) == 1
        else:
            requests = parse_resource_args(inv.args)
            named_request = len(requests) == 1 and len(requests[0].names) == 1
        first_kind = requests[0].kind if requests and not opts["filename"] else None
        selector = label_selector(opts["selector"], first_kind)
        for request in requests:
            api.client_request(request.kind)
            if request.names and selector is not None:
                raise KubectlError("name cannot be provided when a selector is specified")
            found: Iterable[Obj]
            namespace = None if (all_namespaces and not request.names) else inv.namespace
            if request.names:
                found = []
                for name in request.names:
                    try:
                        found.append(api.get(request.kind, namespace, name))
                    except ApiError as error:
                        if not (opts["ignore_not_found"] and error.reason == "NotFound"):
                            errors.append(error)
            else:  # read as printed, inside this transaction: one object at a time
                found = api.iterate(request.kind, namespace, selector)
            fields = field_selector(opts["field_selector"], request.kind)
            if fields is not None:
                found = (o for o in found if fields.matches(o))
            groups.append((request.kind, found))
        inv.warn(api.warnings)
        if opts["sort_by"]:
            groups = [(kind, _sorted(list(objs), opts["sort_by"])) for kind, objs in groups]
        if not opts["show_managed_fields"]:
            groups = [(kind, _without_managed_fields(objs)) for kind, objs in groups]
        filled = [(kind, objs) for kind, objs in ((kind, _peeked(objs)) for kind, objs in groups) if objs]
        show_kind = opts["show_kind"] or multiple_types_requested(inv.args) or \
            len({kind.resource for kind, _ in filled}) > 1
        printed = _print(inv, fmt, filled, now, named_request, show_kind, all_namespaces)
    if not printed and not errors and fmt.human and not opts["ignore_not_found"]:
        namespaced = any(kind.namespaced for kind, _ in groups)
        if all_namespaces or not namespaced:
            inv.err("No resources found\n")
        else:
            inv.err(f"No resources found in {inv.namespace} namespace.\n")
    if errors:
        raise Aggregate(errors)
    return 0


def _print(inv: Invocation, fmt: OutputFormat, groups: list[tuple[Kind, Iterable[Obj]]], now,
           named_request: bool, show_kind: bool, all_namespaces: bool) -> bool:
    """Print the groups that hold objects; tables, names and JSON lists consume them as they come."""
    opts = inv.options
    if fmt.human:
        from kubesim.printers.table import render_table

        blocks = []
        for kind, objs in groups:
            blocks.append(render_table(
                kind, objs, now, wide=fmt.name == "wide", with_namespace=all_namespaces and kind.namespaced,
                show_kind=show_kind, label_columns=opts["label_columns"], show_labels=opts["show_labels"],
                no_headers=opts["no_headers"]))
        separator = "" if opts["no_headers"] else "\n"
        inv.out(separator.join(blocks))
        return bool(blocks)
    if fmt.name == "name":
        for kind, objs in groups:
            inv.out("".join(name_of(kind, obj) + "\n" for obj in objs))
        return bool(groups)
    if fmt.name == "json" and not named_request:
        from kubesim.printers.json_output import json_list_chunks

        for chunk in json_list_chunks(obj for _, objs in groups for obj in objs):
            inv.out(chunk)
        return True
    objects = [obj for _, objs in groups for obj in objs]
    if fmt.name in ("custom-columns", "custom-columns-file"):
        from kubesim.printers import custom_columns
        from kubesim.printers.jsonpath import JsonPathError

        try:
            inv.out(custom_columns.render(objects, custom_columns_of(fmt), no_headers=opts["no_headers"]))
        except (custom_columns.CustomColumnsError, JsonPathError) as error:
            inv.out(getattr(error, "output", "") or "")
            raise KubectlError(error.message) from None
        return True
    if named_request and len(objects) == 1:
        data = objects[0]
    elif named_request and not objects:
        return False
    else:
        data = as_list(objects)
    inv.out(render_data(fmt, data, opts["allow_missing_template_keys"]))
    return True


def _without_managed_fields(objects: Iterable[Obj]) -> Iterator[Obj]:
    for obj in objects:
        obj.get("metadata", {}).pop("managedFields", None)
        yield obj


def _peeked(objects: Iterable[Obj]) -> Iterable[Obj]:
    """The same objects, or () when there are none: reads one to know, without reading the rest."""
    iterator = iter(objects)
    for first in iterator:
        return chain((first,), iterator)
    return ()


def _sorted(objects: list[Obj], expression: str) -> list[Obj]:
    from kubesim.printers.sorting import sort_objects

    return sort_objects(objects, expression)


def _requests_from_files(inv: Invocation) -> list[Request]:
    from kubesim.cli.manifests import read_manifests
    from kubesim.cli.mapping import kind_of_manifest

    requests: list[Request] = []
    for manifest in read_manifests(inv.options["filename"], inv.env.stdin.read, inv.options["recursive"]):
        kind = kind_of_manifest(manifest)
        name = str(manifest.obj.get("metadata", {}).get("name", ""))
        if requests and requests[-1].kind is kind:
            requests[-1].names.append(name)
        else:
            requests.append(Request(kind, [name]))
    return requests


app = verb_app()


@app.command("get", cls=Verb, help="Display one or many resources.", epilog=EXAMPLES)
def get(
    resources: Annotated[list[str] | None, resource_words(
        "[(-o|--output=)json|yaml|name|wide|custom-columns=...|jsonpath=...] (TYPE[.VERSION][.GROUP] "
        "[NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...)")] = None,
    output: Output = None,
    selector: Selector = None,
    all_namespaces: AllNamespaces = False,
    label_columns: Annotated[list[str] | None, typer.Option(
        "-L", "--label-columns", callback=split_commas, show_default=False,
        help="Accepts a comma separated list of labels that are going to be presented as columns. Names are "
             "case-sensitive. You can also use multiple flag options like -L label1 -L label2...")] = None,
    show_labels: Annotated[bool, typer.Option(
        "--show-labels", help="When printing, show all labels as the last column (default hide labels column)")] = False,
    no_headers: Annotated[bool, typer.Option(
        "--no-headers", help="When using the default or custom-column output format, don't print headers "
                             "(default print headers).")] = False,
    sort_by: Annotated[str | None, typer.Option(
        "--sort-by", show_default=False,
        help="If non-empty, sort list types using this field specification. The field specification is "
             "expressed as a JSONPath expression (e.g. '{.metadata.name}').")] = None,
    filename: Filename = None,
    recursive: Recursive = False,
    ignore_not_found: Annotated[bool, typer.Option(
        "--ignore-not-found", help='If set to true, suppresses NotFound error for specific objects that do not '
                                   'exist. Using this flag with commands that query for collections of resources '
                                   'has no effect when no resources are found.')] = False,
    show_kind: Annotated[bool, typer.Option(
        "--show-kind", help="If present, list the resource type for the requested object(s).")] = False,
    allow_missing_template_keys: AllowMissingTemplateKeys = True,
    field_selector: FieldSelector = None,
    template: Template = None,
    chunk_size: Annotated[int, typer.Option(
        "--chunk-size", click_type=PflagInt(),
        help="Return large lists in chunks rather than all at once (accepted; kubesim returns lists whole).")] = 500,
    watch: Annotated[bool, typer.Option(
        "-w", "--watch", help="Not supported by kubesim: the cluster changes only when a command changes it.")] = False,
    show_managed_fields: ShowManagedFields = False,
) -> int:
    return run_verb(run)
