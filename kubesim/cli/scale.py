"""``kubesim scale``: set spec.replicas of RCs, ReplicaSets and Deployments."""

from __future__ import annotations

from typing import Annotated

import typer

from kubesim.api.errors import ApiError
from kubesim.cli.app import Verb, verb_app
from kubesim.cli.completion import resource_words
from kubesim.cli.context import Invocation, run_verb
from kubesim.cli.options import Output, PflagInt, Timeout
from kubesim.cli.resources import parse_resource_args
from kubesim.errors import Aggregate, KubectlError
from kubesim.printers.output import OutputFormat, render_results

SCALABLE = {"ReplicationController", "ReplicaSet", "Deployment"}


def run(inv: Invocation) -> int:
    opts = inv.options
    replicas = opts["replicas"]
    if replicas is None or replicas < 0:
        raise KubectlError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
    fmt = OutputFormat.parse_generic(opts["output"])
    failures: list[Exception] = []
    with inv.progress(0, "kubesim scale") as bar, inv.cluster.api(write=True) as api:
        # The replication controllers make the pods inside this request: count them as they come.
        api.on_create = lambda created: bar.advance() if created.get("kind") == "Pod" else None
        requests = parse_resource_args(inv.args, verb="scale")
        if not requests:
            raise KubectlError("You must provide one or more resources by argument or filename.")
        for request in requests:
            if request.kind.kind not in SCALABLE:
                # No scale subresource: what the API server answers.
                raise ApiError("NotFound", 404, "the server could not find the requested resource")
            names = request.names or ([o["metadata"]["name"] for o in api.list(request.kind, inv.namespace)]
                                      if opts["all"] else [])
            if not names:
                raise KubectlError("resource(s) were provided, but no name was specified")
            for name in names:
                try:
                    obj = api.get(request.kind, inv.namespace, name)
                except ApiError as error:
                    failures.append(error)
                    continue
                current = (obj.get("spec") or {}).get("replicas", 1)
                if opts["current_replicas"] >= 0 and current != opts["current_replicas"]:
                    raise KubectlError(f"Expected replicas to be {opts['current_replicas']}, was {current}")
                if opts["resource_version"] and obj["metadata"]["resourceVersion"] != opts["resource_version"]:
                    raise KubectlError(f"Expected resource version to be {opts['resource_version']}, was "
                                       f"{obj['metadata']['resourceVersion']}")
                obj.setdefault("spec", {})["replicas"] = replicas
                bar.grow(max(0, replicas - current))
                updated = api.update(obj)
                inv.out(render_results(fmt, [(request.kind, updated)], "scaled"))
    if failures:
        raise Aggregate(failures)
    return 0


app = verb_app()

EXAMPLES = """  # Scale a replica set named 'foo' to 3
  kubesim scale --replicas=3 rs/foo

  # Scale the replication controller kubia to 3 pods
  kubesim scale rc kubia --replicas=3
"""


@app.command("scale", cls=Verb, epilog=EXAMPLES,
             help="Set a new size for a deployment, replica set, or replication controller.")
def scale(
    resources: Annotated[list[str] | None, resource_words(
        "[--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME)")] = None,
    replicas: Annotated[int | None, typer.Option(
        "--replicas", click_type=PflagInt(), show_default=False,
        help="The new desired number of replicas. Required.")] = None,
    current_replicas: Annotated[int, typer.Option(
        "--current-replicas", click_type=PflagInt(),
        help="Precondition for current size. Requires that the current size of the resource match this value in "
             "order to scale. -1 (default) for no condition.")] = -1,
    resource_version: Annotated[str | None, typer.Option(
        "--resource-version", show_default=False,
        help="Precondition for resource version. Requires that the current resource version match this value in "
             "order to scale.")] = None,
    all: Annotated[bool, typer.Option(
        "--all", help="Select all resources in the namespace of the specified resource types")] = False,
    output: Output = None,
    timeout: Timeout = "0s",
) -> int:
    return run_verb(run)
