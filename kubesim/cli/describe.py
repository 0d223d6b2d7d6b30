"""``kubesim describe``: kubectl's detailed, human-oriented view of objects and their events."""

from __future__ import annotations

from typing import Annotated

import typer

from kubesim.api.errors import ApiError
from kubesim.api.registry import Obj, kind_named
from kubesim.cli.app import Verb, verb_app
from kubesim.cli.completion import resource_words
from kubesim.cli.context import Invocation, run_verb
from kubesim.cli.options import AllNamespaces, Filename, PflagInt, Recursive, Selector
from kubesim.cli.resources import label_selector, parse_resource_args
from kubesim.errors import Aggregate, KubectlError


class StoreRelated:
    """What describe asks the cluster for besides the object itself (events, slices, pods)."""

    def __init__(self, api) -> None:
        self.api = api

    def list(self, kind: str, group: str, namespace: str | None, selector: dict | None = None) -> list[Obj]:
        from kubesim.api.selectors import selector_from_label_selector

        try:
            served = kind_named(kind, group)
        except KeyError:
            return []  # a kind kubesim does not serve (Lease, ResourceQuota …) lists as empty
        objects = self.api.list(served, namespace)
        if selector is None:
            return objects
        wanted = selector_from_label_selector(selector)
        return [o for o in objects if wanted.matches(o.get("metadata", {}).get("labels") or {})]

    def events_for(self, obj: Obj) -> list[Obj]:
        from kubesim.printers.describe import events_matching

        namespace = obj.get("metadata", {}).get("namespace")
        return events_matching(obj, self.api.list(kind_named("Event"), namespace or None))


def run(inv: Invocation) -> int:
    opts = inv.options
    if not inv.args and not opts["filename"]:
        raise KubectlError("You must specify the type of resource to describe. Use \"kubesim api-resources\" for "
                           "a complete list of supported resources.")
    from kubesim.printers.describe import describe_many, describe_matching

    failures: list[Exception] = []
    exact: list[Obj] = []
    by_prefix: list[Obj] = []
    explicit_events = opts["show_events"] if "show_events" in inv.given else None
    with inv.cluster.api() as api:
        namespace = None if opts["all_namespaces"] else inv.namespace
        if opts["filename"]:
            from kubesim.cli.manifests import read_manifests
            from kubesim.cli.mapping import kind_of_manifest

            targets = []
            for manifest in read_manifests(opts["filename"], inv.env.stdin.read, opts["recursive"]):
                kind = kind_of_manifest(manifest)
                targets.append((kind, [str((manifest.obj.get("metadata") or {}).get("name", ""))], True))
        else:
            targets = [(r.kind, r.names, "/" in inv.args[0]) for r in parse_resource_args(inv.args, verb="describe")]
        selector = label_selector(opts["selector"], targets[0][0] if targets and not opts["filename"] else None)
        for kind, names, slash_form in targets:
            api.client_request(kind)
            objects = api.list(kind, namespace)
            if selector is not None:
                objects = [o for o in objects if selector.matches(o["metadata"].get("labels") or {})]
            if not names:
                exact += objects
                continue
            for name in names:
                match = [o for o in objects if o["metadata"]["name"] == name]
                if match:
                    exact += match
                    continue
                prefixed = [] if slash_form else [o for o in objects if o["metadata"]["name"].startswith(name)]
                if prefixed:
                    by_prefix += prefixed
                else:
                    failures.append(ApiError("NotFound", 404, f'{kind.resource} "{name}" not found'))
        inv.warn(api.warnings)
        related = StoreRelated(api)
        text = describe_many(exact, related, api.now, show_events=explicit_events) if exact else ""
        if by_prefix:
            text += describe_matching(by_prefix, related, api.now, show_events=bool(explicit_events))
    found = exact + by_prefix
    inv.out(text)
    if not found and not failures:
        inv.err(f"No resources found in {inv.namespace} namespace.\n" if namespace else "No resources found\n")
    if failures:
        raise Aggregate(failures)
    return 0


app = verb_app()

EXAMPLES = """  # Describe a node
  kubesim describe nodes minikube

  # Describe the kubia service
  kubesim describe svc kubia

  # Describe all pods managed by the 'frontend' replication controller
  kubesim describe pods frontend
"""


@app.command("describe", cls=Verb, epilog=EXAMPLES,
             help="Show details of a specific resource or group of resources.")
def describe(
    resources: Annotated[list[str] | None, resource_words(
        "(-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME)")] = None,
    filename: Filename = None,
    recursive: Recursive = False,
    selector: Selector = None,
    all_namespaces: AllNamespaces = False,
    show_events: Annotated[bool, typer.Option(
        "--show-events", help="If true, display events related to the described object.")] = True,
    chunk_size: Annotated[int, typer.Option(
        "--chunk-size", click_type=PflagInt(),
        help="Return large lists in chunks rather than all at once (accepted; kubesim returns lists whole).")] = 500,
) -> int:
    return run_verb(run)
