"""What ``label`` and ``annotate`` share: ``key=value`` / ``key-`` arguments and updating objects."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kubesim.api.errors import ApiError
from kubesim.api.registry import Kind, Obj
from kubesim.cli.context import Invocation
from kubesim.cli.flags import Flag
from kubesim.cli.resources import Request, label_selector, parse_resource_args
from kubesim.cli.writing import DRY_RUN
from kubesim.errors import Aggregate, KubectlError

_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")
LABEL_VALUE_MESSAGE = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
                       "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
                       "'my_value',  or '12345', regex used for validation is "
                       "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")

COMMON_FLAGS = (
    Flag("overwrite", "", "bool", False, help="If true, allow existing values to be overwritten"),
    Flag("all", "", "bool", False, help="Select all resources, in the namespace of the specified resource types"),
    Flag("all-namespaces", "A", "bool", False, help="If true, check the specified action in all namespaces"),
    Flag("selector", "l", help="Selector (label query) to filter on"),
    Flag("filename", "f", "slice", help="Filename, directory, or URL to files identifying the resource"),
    Flag("recursive", "R", "bool", False, help="Process the directory used in -f recursively"),
    DRY_RUN,
    Flag("output", "o", help="Output format: json|yaml|name|jsonpath=…"),
    Flag("resource-version", "", help="Only update if the resource version matches"),
    Flag("local", "", "bool", False, help="Not supported by kubesim: edits go to the simulated cluster"),
    Flag("field-manager", "", help="Name of the manager used to track field ownership"),
)


@dataclass
class Changes:
    set: dict[str, str]
    remove: list[str]


def split_arguments(args: list[str], what: str, check_value: bool) -> tuple[list[str], Changes]:
    """Separate resource words from ``key=value`` and ``key-`` changes, kubectl's way."""
    resources: list[str] = []
    changes = Changes({}, [])
    for arg in args:
        if "=" in arg:
            key, _, value = arg.partition("=")
            if not key or "=" in value:
                raise KubectlError(f"invalid {what} spec: {arg}")
            if check_value and not _LABEL_VALUE.fullmatch(value) or check_value and len(value) > 63:
                raise KubectlError(f'invalid label value: "{arg}": {LABEL_VALUE_MESSAGE}')
            changes.set[key] = value
        elif arg.endswith("-") and len(arg) > 1 and resources:
            changes.remove.append(arg[:-1])
        else:
            resources.append(arg)
    both = [key for key in changes.remove if key in changes.set]
    if both:
        if what == "label":
            raise KubectlError("can not both modify and remove a label in the same command")
        raise KubectlError(f"can not both modify and remove the following {what}(s) in the same command: "
                           + ", ".join(both))
    return resources, changes


def targets(inv: Invocation, api, resource_words: list[str]) -> list[tuple[Kind, Obj]]:
    """The objects named by TYPE NAME…, TYPE/NAME…, --all, -l or -f."""
    opts = inv.options
    found: list[tuple[Kind, Obj]] = []
    failures: list[Exception] = []
    if opts["filename"]:
        from kubesim.cli.manifests import read_manifests
        from kubesim.cli.mapping import kind_of_manifest

        requests = []
        for manifest in read_manifests(opts["filename"], inv.env.stdin.read, opts["recursive"]):
            requests.append(Request(kind_of_manifest(manifest), [manifest.obj.get("metadata", {}).get("name", "")]))
    else:
        requests = parse_resource_args(resource_words, verb=inv.command.name)
    if not requests:
        raise KubectlError("one or more resources must be specified as <resource> <name> or <resource>/<name>")
    selector = label_selector(opts["selector"], requests[0].kind if requests else None)
    namespace = None if opts["all_namespaces"] else inv.namespace
    for request in requests:
        if request.names and selector is not None:
            raise KubectlError("name cannot be provided when a selector is specified")
        if request.names:
            for name in request.names:
                try:
                    found.append((request.kind, api.get(request.kind, inv.namespace, name)))
                except ApiError as error:
                    failures.append(error)
        elif opts["all"] or selector is not None:
            for obj in api.list(request.kind, namespace):
                if selector is None or selector.matches(obj.get("metadata", {}).get("labels") or {}):
                    found.append((request.kind, obj))
        else:
            raise KubectlError("resource(s) were provided, but no name was specified")
    if failures:
        raise Aggregate(failures)
    return found


def edit_metadata(inv: Invocation, field: str, what: str, decide: Callable[[dict, Changes, bool], str]) -> int:
    """Apply ``key=value``/``key-`` changes to metadata.<field> of each target and print the result."""
    from kubesim.cli.writing import dry_run_mode
    from kubesim.printers.output import OutputFormat, render_results

    resource_words, changes = split_arguments(inv.args, what, check_value=field == "labels")
    fmt = OutputFormat.parse_generic(inv.options["output"])
    if inv.options.get("list"):
        with inv.cluster.api() as api:
            for _kind, obj in targets(inv, api, resource_words):
                current = dict(obj.get("metadata", {}).get(field) or {})
                current.update(changes.set)
                for key in changes.remove:
                    current.pop(key, None)
                inv.out("".join(f"{k}={v}\n" for k, v in sorted(current.items())))
        return 0
    if not changes.set and not changes.remove:
        raise KubectlError(f"at least one {what} update is required")
    dry_run = dry_run_mode(inv)
    with inv.cluster.api(write=True) as api:
        for kind, obj in targets(inv, api, resource_words):
            current = dict(obj.get("metadata", {}).get(field) or {})
            operation = decide(current, changes, bool(inv.options["overwrite"]))
            if inv.options["resource_version"]:
                obj["metadata"]["resourceVersion"] = inv.options["resource_version"]
            if current:
                obj["metadata"][field] = current
            else:
                obj["metadata"].pop(field, None)
            updated = obj if dry_run == "client" else api.update(obj, dry_run=dry_run == "server")
            inv.out(render_results(fmt, [(kind, updated)], operation, dry_run))
    return 0
