"""``kubesim wait --for=...``: block until objects are created, deleted, or reach a condition or value.

The cluster changes as its clock moves (timers come due) and as other commands write. A waiter re-reads
the objects, firing due timers as every command does on start, a few times a second of real time, and
sleeps no longer than until the next timer is due. ``--timeout`` is real time, as kubectl's is.
"""

from __future__ import annotations

import time
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
    Output,
    ShowManagedFields,
    Template,
    split_commas,
)
from kubesim.errors import KubectlError

POLL_SECONDS = 0.2
A_WEEK = 7 * 24 * 3600.0
JSONPATH_FORMAT = "jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'"


class Condition:
    """What ``--for`` asks: ``met(obj)`` for an object that exists; ``delete``/``create`` are about existence."""

    def __init__(self, mode: str, name: str = "", value: str | None = None) -> None:
        self.mode = mode  # "delete", "create", "condition" or "jsonpath"
        self.name = name  # the condition type, or the JSONPath template
        self.value = value

    def met(self, obj: Obj) -> bool:
        if self.mode == "create":
            return True
        if self.mode == "condition":
            generation = obj.get("metadata", {}).get("generation")
            for condition in (obj.get("status") or {}).get("conditions") or []:
                if str(condition.get("type", "")).lower() != self.name.lower():
                    continue
                observed = condition.get("observedGeneration")
                if observed is not None and generation is not None and observed != generation:
                    return False
                return str(condition.get("status", "")).lower() == str(self.value).lower()
            return False
        from kubesim.printers import jsonpath

        try:
            found = jsonpath.render(self.name, obj, True)
        except jsonpath.JsonPathError as error:
            raise KubectlError(error.message) from None
        return found != "" if self.value is None else found == self.value


def parse_condition(values: list[str]) -> Condition:
    text = values[-1] if values else ""
    lowered = text.lower()
    if lowered == "delete":
        return Condition("delete")
    if lowered == "create":
        return Condition("create")
    if text.startswith("condition="):
        name, equals, value = text[len("condition="):].partition("=")
        return Condition("condition", name, value if equals else "true")
    if text.startswith("jsonpath="):
        from kubesim.printers.jsonpath import JsonPathError, relaxed_expression

        parts = text[len("jsonpath="):].split("=")
        if len(parts) > 2:
            raise KubectlError(JSONPATH_FORMAT)
        if parts[0] == "":
            raise KubectlError("jsonpath expression cannot be empty")
        try:
            expression = relaxed_expression(parts[0])
        except JsonPathError as error:
            raise KubectlError(error.message) from None
        if len(parts) == 2 and parts[1] == "":
            raise KubectlError("jsonpath wait has to have a value after equal sign, like "
                               "--for=jsonpath='{.status.readyReplicas}'=3")
        return Condition("jsonpath", expression, parts[1] if len(parts) == 2 else None)
    shown = "[]" if not values else f'"{text}"'
    raise KubectlError(f"unrecognized condition: {shown}")


def parse_timeout(text: str, command: str = "kubesim wait") -> float:
    """A Go duration; zero checks once, a negative one waits a week (kubectl's words for both)."""
    from kubesim.cli.clock import parse_duration
    from kubesim.cli.grammar import FlagError

    body = text[1:] if text[:1] in "+-" else text
    try:
        seconds = parse_duration(body) if body else parse_duration(text)
    except KubectlError as error:
        raise FlagError(f'invalid argument "{text}" for "--timeout" flag: {error.message.replace(body, text)}',
                        command) from None
    if text.startswith("-") and seconds:
        return A_WEEK
    return seconds


def run(inv: Invocation) -> int:
    from kubesim.printers.output import OutputFormat

    opts = inv.options
    condition = parse_condition(opts["for_"] or [])
    timeout = parse_timeout(opts["timeout"])
    if opts["local"]:
        raise KubectlError("you must specify resources by --filename when --local is set.\nExample resource "
                           "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'")
    fmt = OutputFormat.parse_generic(opts["output"])
    deadline = time.monotonic() + timeout
    targets = _targets(inv, condition)
    if not targets and condition.mode != "delete":
        raise KubectlError("no matching resources found")
    for kind, namespace, name in targets:
        obj = _wait_for(inv, condition, kind, namespace, name, deadline, timeout)
        if obj is not None:
            from kubesim.printers.output import render_results

            inv.out(render_results(fmt, [(kind, obj)], "condition met"))
    return 0


def _targets(inv: Invocation, condition: Condition) -> list[tuple[Kind, str, str]]:
    """The objects named (TYPE NAME, TYPE/NAME, -f), or those a selector or --all finds now."""
    from kubesim.cli.resources import NO_RESOURCES, field_selector, label_selector, parse_resource_args

    opts = inv.options
    if opts["filename"]:
        from kubesim.cli.manifests import read_manifests
        from kubesim.cli.mapping import kind_of_manifest
        from kubesim.cli.writing import namespace_for

        found = []
        for manifest in read_manifests(opts["filename"], inv.env.stdin.read, opts["recursive"]):
            kind = kind_of_manifest(manifest)
            found.append((kind, namespace_for(inv, kind, manifest.obj),
                          str((manifest.obj.get("metadata") or {}).get("name", ""))))
        return found
    requests = parse_resource_args(inv.args, verb="wait")
    if not requests:
        raise KubectlError(NO_RESOURCES)
    selector = label_selector(opts["selector"], requests[0].kind)
    found = []
    with inv.cluster.api() as api:
        for request in requests:
            if request.names:
                if selector is not None or opts["all"]:
                    raise KubectlError("name cannot be provided when a selector is specified")
                found += [(request.kind, inv.namespace, name) for name in request.names]
                continue
            if not (opts["all"] or selector is not None or opts["field_selector"] or opts["all_namespaces"]):
                raise KubectlError("resource(s) were provided, but no name was specified")
            fields = field_selector(opts["field_selector"], request.kind)
            for obj in api.list(request.kind, None if opts["all_namespaces"] else inv.namespace):
                labels = obj["metadata"].get("labels") or {}
                if (selector is None or selector.matches(labels)) and (fields is None or fields.matches(obj)):
                    found.append((request.kind, obj["metadata"].get("namespace", ""), obj["metadata"]["name"]))
    return found


def _wait_for(inv: Invocation, condition: Condition, kind: Kind, namespace: str, name: str, deadline: float,
              timeout: float) -> Obj | None:
    """Poll one object until the condition holds; the object to print (None: gone before we looked)."""
    last: Obj | None = None
    first = True
    while True:
        until_timer = inv.cluster.catch_up()
        with inv.cluster.api() as api:
            obj = api.find(kind, namespace, name)
        if condition.mode == "delete":
            if obj is None:
                return last
            last = obj
        elif obj is None:
            if condition.mode != "create" and first:
                raise ApiError("NotFound", 404, f'{kind.resource} "{name}" not found')
        elif condition.met(obj):
            return obj
        first = False
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            if timeout == 0:
                raise KubectlError(f"condition not met for {kind.plural}/{name}")
            raise KubectlError(f"timed out waiting for the condition on {kind.plural}/{name}")
        pause_before_next_look(until_timer, remaining)


def pause_before_next_look(until_timer: float | None, remaining: float | None) -> None:
    """Sleep a poll interval, less when the timeout or the cluster's next timer comes sooner."""
    pause = POLL_SECONDS if remaining is None else min(POLL_SECONDS, remaining)
    if until_timer is not None:
        pause = min(pause, until_timer + 0.01)
    time.sleep(max(0.0, pause))


app = verb_app()

EXAMPLES = """  # Wait for the pod "kubia" to contain the status condition of type "Ready"
  kubesim wait --for=condition=Ready pod/kubia

  # The default value of status condition is true; you can wait for other targets after an equal delimiter
  kubesim wait --for=condition=Ready=false pod/kubia

  # Wait for the pod "kubia" to contain the status phase to be "Running"
  kubesim wait --for=jsonpath='{.status.phase}'=Running pod/kubia

  # Wait for the service "kubia-loadbalancer" to have ingress
  kubesim wait --for=jsonpath='{.status.loadBalancer.ingress}' service/kubia-loadbalancer

  # Wait for the pod "kubia" to be deleted, with a timeout of 60s, after having issued the "delete" command
  kubesim delete pod/kubia
  kubesim wait --for=delete pod/kubia --timeout=60s
"""


@app.command("wait", cls=Verb, epilog=EXAMPLES,
             help="Experimental: Wait for a specific condition on one or many resources.")
def wait(
    resources: Annotated[list[str] | None, resource_words(
        "([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) "
        "[--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]]")] = None,
    for_: Annotated[list[str] | None, typer.Option(
        "--for", show_default=False,
        help="The condition to wait on: [create|delete|condition=condition-name[=condition-value]|"
             "jsonpath='{JSONPath expression}'=[JSONPath value]]. The default condition-value is true. "
             "Condition values are compared after Unicode simple case folding, which is a more general form of "
             "case-insensitivity.")] = None,
    filename: Annotated[list[str] | None, typer.Option(
        "-f", "--filename", callback=split_commas, show_default=False, help="identifying the resource.")] = None,
    recursive: Annotated[bool, typer.Option(
        "-R", "--recursive",
        help="Process the directory used in -f, --filename recursively. Useful when you want to manage related "
             "manifests organized within the same directory.")] = True,
    all: Annotated[bool, typer.Option(
        "--all", help="Select all resources in the namespace of the specified resource types")] = False,
    all_namespaces: AllNamespaces = False,
    selector: Annotated[str | None, typer.Option(
        "-l", "--selector", show_default=False,
        help="Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2)"
    )] = None,
    field_selector: FieldSelector = None,
    timeout: Annotated[str, typer.Option(
        "--timeout", help="The length of time to wait before giving up. Zero means check once and don't wait, "
                          "negative means wait for a week.")] = "30s",
    local: Annotated[bool, typer.Option(
        "--local", help="If true, annotation will NOT contact api-server but run locally.")] = False,
    output: Output = None,
    show_managed_fields: ShowManagedFields = False,
    template: Template = None,
    allow_missing_template_keys: AllowMissingTemplateKeys = True,
) -> int:
    return run_verb(run)
