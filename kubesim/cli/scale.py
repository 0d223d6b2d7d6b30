"""``kubesim scale``: set spec.replicas of RCs, ReplicaSets and Deployments."""

from __future__ import annotations

from kubesim.api.errors import ApiError
from kubesim.cli.context import Invocation
from kubesim.cli.flags import Command, Flag
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
    with inv.cluster.api(write=True) as api:
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
                updated = api.update(obj)
                inv.out(render_results(fmt, [(request.kind, updated)], "scaled"))
    if failures:
        raise Aggregate(failures)
    return 0


COMMAND = Command(
    name="scale",
    summary="Set a new size for a deployment, replica set, or replication controller",
    usage="scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME)",
    flags=(
        Flag("replicas", "", "int", None, help="The new desired number of replicas. Required."),
        Flag("current-replicas", "", "int", -1, help="Precondition for current size"),
        Flag("resource-version", "", help="Precondition for resource version"),
        Flag("all", "", "bool", False, help="Select all resources in the namespace of the specified resource types"),
        Flag("output", "o", help="Output format: name|json|yaml|jsonpath=…"),
        Flag("timeout", "", "string", "0s", help="Accepted for compatibility; scaling completes at once"),
    ),
    run=run,
    examples="  # Scale the replication controller kubia to 3 pods\n  kubesim scale rc kubia --replicas=3\n",
)
