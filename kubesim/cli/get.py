"""``kubesim get``: list or fetch objects and print them as kubectl does."""

from __future__ import annotations

from kubesim.api.errors import ApiError
from kubesim.api.registry import Kind, Obj
from kubesim.cli.context import Invocation
from kubesim.cli.flags import Command, Flag
from kubesim.cli.resources import (
    Request,
    field_selector,
    label_selector,
    multiple_types_requested,
    parse_resource_args,
)
from kubesim.errors import Aggregate, KubectlError
from kubesim.printers.output import OutputFormat, as_list, custom_columns_of, name_of, render_data

FLAGS = (
    Flag("output", "o", help="Output format: json|yaml|name|wide|jsonpath=…|jsonpath-file=…|jsonpath-as-json=…|"
                             "custom-columns=…|custom-columns-file=…"),
    Flag("selector", "l", help="Selector (label query) to filter on"),
    Flag("all-namespaces", "A", "bool", False, help="List the requested object(s) across all namespaces"),
    Flag("label-columns", "L", "slice", help="Labels to present as columns"),
    Flag("show-labels", "", "bool", False, help="Show all labels as the last column"),
    Flag("no-headers", "", "bool", False, help="Don't print headers"),
    Flag("sort-by", "", help="Sort list types using this JSONPath expression"),
    Flag("filename", "f", "slice", help="Files identifying the resources to get"),
    Flag("recursive", "R", "bool", False, help="Process the directory used in -f recursively"),
    Flag("ignore-not-found", "", "bool", False, help="Treat \"resource not found\" as a successful retrieval"),
    Flag("show-kind", "", "bool", False, help="List the resource type for the requested object(s)"),
    Flag("allow-missing-template-keys", "", "bool", True,
         help="Ignore errors in templates when a field or map key is missing"),
    Flag("field-selector", "", help="Selector (field query) to filter on: metadata.name and metadata.namespace"),
    Flag("template", "", help="Template string (go-template is not supported by kubesim)"),
    Flag("chunk-size", "", "int", 500, help="Accepted for compatibility; kubesim returns lists whole"),
    Flag("watch", "w", "bool", False, help="Not supported by kubesim: the cluster changes only when you change it"),
    Flag("show-managed-fields", "", "bool", False, help="Keep managedFields in json/yaml output"),
)


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
    groups: list[tuple[Kind, list[Obj]]] = []
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
            api.client_read(request.kind)
            if request.names and selector is not None:
                raise KubectlError("name cannot be provided when a selector is specified")
            found: list[Obj] = []
            namespace = None if (all_namespaces and not request.names) else inv.namespace
            if request.names:
                for name in request.names:
                    try:
                        found.append(api.get(request.kind, namespace, name))
                    except ApiError as error:
                        if not (opts["ignore_not_found"] and error.reason == "NotFound"):
                            errors.append(error)
            else:
                found = api.list(request.kind, namespace)
                if selector is not None:
                    found = [o for o in found if selector.matches(o.get("metadata", {}).get("labels") or {})]
            fields = field_selector(opts["field_selector"], request.kind)
            if fields is not None:
                found = [o for o in found if fields.matches(o)]
            groups.append((request.kind, found))
        inv.warn(api.warnings)
    if opts["sort_by"]:
        groups = [(kind, _sorted(objs, opts["sort_by"])) for kind, objs in groups]
    show_kind = opts["show_kind"] or multiple_types_requested(inv.args) or \
        len({kind.resource for kind, objs in groups if objs}) > 1
    printed = _print(inv, fmt, groups, now, named_request, show_kind, all_namespaces)
    if not printed and not errors and fmt.human and not opts["ignore_not_found"]:
        namespaced = any(kind.namespaced for kind, _ in groups)
        if all_namespaces or not namespaced:
            inv.err("No resources found\n")
        else:
            inv.err(f"No resources found in {inv.namespace} namespace.\n")
    if errors:
        raise Aggregate(errors)
    return 0


def _print(inv: Invocation, fmt: OutputFormat, groups, now, named_request: bool, show_kind: bool,
           all_namespaces: bool) -> bool:
    opts = inv.options
    objects = [obj for _, objs in groups for obj in objs]
    if not opts["show_managed_fields"]:
        for obj in objects:
            obj.get("metadata", {}).pop("managedFields", None)
    if fmt.human:
        from kubesim.printers.table import render_table

        blocks = []
        for kind, objs in groups:
            if not objs:
                continue
            blocks.append(render_table(
                kind, objs, now, wide=fmt.name == "wide", with_namespace=all_namespaces and kind.namespaced,
                show_kind=show_kind, label_columns=opts["label_columns"], show_labels=opts["show_labels"],
                no_headers=opts["no_headers"]))
        separator = "" if opts["no_headers"] else "\n"
        inv.out(separator.join(blocks))
        return bool(blocks)
    if fmt.name == "name":
        inv.out("".join(name_of(kind, obj) + "\n" for kind, objs in groups for obj in objs))
        return bool(objects)
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


COMMAND = Command(
    name="get",
    summary="Display one or many resources",
    usage="get [(-o|--output=)json|yaml|name|wide|custom-columns=...|jsonpath=...] (TYPE[.VERSION][.GROUP] "
          "[NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...)",
    flags=FLAGS,
    run=run,
    suggest_for=("list", "ps"),
    examples="  # List all pods in ps output format\n  kubesim get pods\n\n"
             "  # List a single service in JSON output format\n  kubesim get -o json svc kubia\n",
)
