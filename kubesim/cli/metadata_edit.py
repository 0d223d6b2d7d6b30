"""What ``label`` and ``annotate`` share: ``key=value`` / ``key-`` arguments and updating objects."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

import typer

from kubesim.api.errors import ApiError
from kubesim.api.registry import Kind, Obj
from kubesim.cli.completion import resource_words
from kubesim.cli.context import Invocation, run_verb
from kubesim.cli.options import DryRun, Filename, Output, Recursive, Selector
from kubesim.cli.resources import Request, label_selector, parse_resource_args
from kubesim.errors import Aggregate, KubectlError

_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")
LABEL_VALUE_MESSAGE = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
                       "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
                       "'my_value',  or '12345', regex used for validation is "
                       "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")



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
    if opts.get("filename"):
        from kubesim.cli.manifests import read_manifests
        from kubesim.cli.mapping import kind_of_manifest

        requests = []
        for manifest in read_manifests(opts["filename"], inv.env.stdin.read, opts.get("recursive", False)):
            requests.append(Request(kind_of_manifest(manifest), [manifest.obj.get("metadata", {}).get("name", "")]))
    else:
        requests = parse_resource_args(resource_words, verb=inv.command.name)
    if not requests:
        raise KubectlError("one or more resources must be specified as <resource> <name> or <resource>/<name>")
    selector = label_selector(opts.get("selector"), requests[0].kind if requests else None)
    namespace = None if opts.get("all_namespaces") else inv.namespace
    for request in requests:
        if request.names and selector is not None:
            raise KubectlError("name cannot be provided when a selector is specified")
        if request.names:
            for name in request.names:
                try:
                    found.append((request.kind, api.get(request.kind, inv.namespace, name)))
                except ApiError as error:
                    failures.append(error)
        elif opts.get("all") or selector is not None:
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
            inv.warn(api.warnings)
            inv.out(render_results(fmt, [(kind, updated)], operation, dry_run))
    return 0


def metadata_command(field: str, what: str, decide: Callable[[dict, Changes, bool], str]) -> Callable[..., int]:
    """The one signature of ``label`` and ``annotate``: the same flags, editing ``metadata.<field>``."""

    def command(
        resources: Annotated[list[str] | None, resource_words(
            "[--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version]"
        )] = None,
        # Defaults rather than annotations where the help names the field: annotations are read later,
        # in the module's globals, where ``what`` is not.
        overwrite: bool = typer.Option(
            False, "--overwrite", help=f"If true, allow {what}s to be overwritten, otherwise reject {what} updates "
                                       f"that overwrite existing {what}s."),
        all: Annotated[bool, typer.Option(
            "--all", help="Select all resources, in the namespace of the specified resource types")] = False,
        all_namespaces: Annotated[bool, typer.Option(
            "-A", "--all-namespaces",
            help="If true, check the specified action in all namespaces.")] = False,
        selector: Selector = None,
        filename: Filename = None,
        recursive: Recursive = False,
        dry_run: DryRun = "none",
        output: Output = None,
        resource_version: Annotated[str | None, typer.Option(
            "--resource-version", show_default=False,
            help="If non-empty, the update will only succeed if this is the current resource-version for the "
                 "object. Only valid when specifying a single resource.")] = None,
        local: Annotated[bool, typer.Option(
            "--local", help="If true, set will NOT contact api-server but run locally (not supported by "
                            "kubesim: edits go to the simulated cluster).")] = False,
        field_manager: Annotated[str | None, typer.Option(
            "--field-manager", show_default=False,
            help="Name of the manager used to track field ownership.")] = None,
        list: bool = typer.Option(False, "--list", help=f"If true, display the {what}s for a given resource."),
    ) -> int:
        return run_verb(lambda inv: edit_metadata(inv, field, what, decide))

    return command
