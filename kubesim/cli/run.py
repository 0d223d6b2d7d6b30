"""``kubesim run NAME --image=IMAGE``: a bare pod labelled ``run=NAME``, as kubectl run makes it."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from kubesim.api.registry import kind_named
from kubesim.cli.app import Verb, verb_app
from kubesim.cli.context import Invocation, run_verb
from kubesim.cli.options import DryRun, Output, every_value
from kubesim.cli.writing import dry_run_mode
from kubesim.errors import KubectlError, UsageError
from kubesim.printers.output import OutputFormat, render_results

# The container image reference grammar: [host[:port]/]path[:tag][@digest], path components lower-case.
IMAGE_REFERENCE = (r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
                   r"(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
                   r"(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*:[0-9a-fA-F]{32,})?")


def valid_image_reference(image: str) -> bool:
    import re

    return re.fullmatch(IMAGE_REFERENCE, image) is not None


def _pairs(items: list[str], what: str) -> dict[str, str]:
    result = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise KubectlError(f"invalid {what}: {item}")
        result[key] = value
    return result


def build_pod(inv: Invocation, name: str, words: list[str]) -> dict:
    opts = inv.options
    image = opts["image"]
    if not image:
        raise KubectlError("--image is required")
    if not valid_image_reference(image):
        raise KubectlError(f'invalid image name "{image}": invalid reference format')
    labels = _pairs(opts["labels"].split(","), "label") if opts["labels"] else {"run": name}
    container: dict = {"image": image, "name": name}
    if words:
        container["command" if opts["command"] else "args"] = list(words)
    if opts["env"]:
        container["env"] = [{"name": k, "value": v} for k, v in _pairs(opts["env"], "env").items()]
    if opts["image_pull_policy"]:
        container["imagePullPolicy"] = opts["image_pull_policy"]
    if opts["port"]:
        if not opts["port"].isdigit():
            raise KubectlError(f'strconv.Atoi: parsing "{opts["port"]}": invalid syntax')
        container["ports"] = [{"containerPort": int(opts["port"])}]
    container["resources"] = {}
    metadata: dict = {"labels": labels, "name": name}
    if opts["annotations"]:
        metadata["annotations"] = _pairs(opts["annotations"], "annotation")
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": metadata,
           "spec": {"containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": opts["restart"]},
           "status": {}}
    if opts["overrides"]:
        from kubesim.api.merge import json_merge

        try:
            pod = json_merge(pod, json.loads(opts["overrides"]))
        except ValueError as error:
            raise KubectlError(f"unable to parse --overrides: {error}") from None
    return pod


def run(inv: Invocation) -> int:
    opts = inv.options
    dash = inv.args_after_dash if inv.args_after_dash is not None else len(inv.args)
    names, words = inv.args[:dash], inv.args[dash:]
    if not names:
        raise UsageError("NAME is required for run", "kubesim run")
    if len(names) > 1 and inv.args_after_dash is None:
        words = names[1:]
    name = names[0]
    if opts["stdin"] or opts["tty"] or opts["rm"] or opts["attach"]:
        raise KubectlError("attaching to a pod started by run is not supported by kubesim; start it, then use "
                           "kubesim exec -it POD -- sh")
    if opts["restart"] not in ("Always", "OnFailure", "Never"):
        raise KubectlError(f"invalid restart policy: {opts['restart']}")
    if opts["expose"] and not opts["port"]:
        raise KubectlError("--port must be set when exposing a service")
    fmt = OutputFormat.parse_generic(opts["output"])
    dry_run = dry_run_mode(inv)
    pod = build_pod(inv, name, words)
    pod_kind = kind_named("Pod")
    results = []
    if dry_run == "client":
        results.append((pod_kind, pod))
    else:
        with inv.cluster.api(write=True) as api:
            results.append((pod_kind, api.create(pod, inv.namespace, dry_run=dry_run == "server")))
            if opts["expose"]:
                port = int(opts["port"])
                service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
                           "spec": {"ports": [{"port": port, "protocol": "TCP", "targetPort": port}],
                                    "selector": dict(pod["metadata"]["labels"])}}
                results.append((kind_named("Service"),
                                api.create(service, inv.namespace, dry_run=dry_run == "server")))
    inv.out(render_results(fmt, results, "created", dry_run))
    return 0


app = verb_app()

EXAMPLES = """  # Start a nginx pod
  kubesim run nginx --image=nginx

  # Start a hazelcast pod and let the container expose port 5701
  kubesim run hazelcast --image=hazelcast/hazelcast --port=5701

  # Start a pod with DNS tools that sleeps, to run nslookup in it
  kubesim run dnsutils --image=tutum/dnsutils --command -- sleep infinity

  # Dry run; print the corresponding API objects without creating them
  kubesim run nginx --image=nginx --dry-run=client -o yaml
"""


@app.command("run", cls=Verb, epilog=EXAMPLES, help="Create and run a particular image in a pod.")
def run_(
    name_and_command: Annotated[list[str] | None, typer.Argument(
        metavar='NAME --image=image [--env="key=value"] [--port=port] [--dry-run=server|client] '
                "[--overrides=inline-json] [--command] -- [COMMAND] [args...]", show_default=False)] = None,
    image: Annotated[str | None, typer.Option(
        "--image", show_default=False, help="The image for the container to run.")] = None,
    port: Annotated[str | None, typer.Option(
        "--port", show_default=False, help="The port that this container exposes.")] = None,
    labels: Annotated[str | None, typer.Option(
        "-l", "--labels", show_default=False,
        help="Comma separated labels to apply to the pod. Will override previous values.")] = None,
    env: Annotated[list[str] | None, typer.Option(
        "--env", callback=every_value, show_default=False,
        help="Environment variables to set in the container.")] = None,
    expose: Annotated[bool, typer.Option(
        "--expose", help="If true, create a ClusterIP service associated with the pod.  Requires `--port`.")] = False,
    restart: Annotated[str, typer.Option(
        "--restart", help="The restart policy for this Pod.  Legal values [Always, OnFailure, Never].")] = "Always",
    command: Annotated[bool, typer.Option(
        "--command", help="If true and extra arguments are present, use them as the 'command' field in the "
                          "container, rather than the 'args' field which is the default.")] = False,
    image_pull_policy: Annotated[str | None, typer.Option(
        "--image-pull-policy", show_default=False,
        help="The image pull policy for the container.  If left empty, this value will not be specified by the "
             "client and defaulted by the server.")] = None,
    annotations: Annotated[list[str] | None, typer.Option(
        "--annotations", callback=every_value, show_default=False,
        help="Annotations to apply to the pod.")] = None,
    overrides: Annotated[str | None, typer.Option(
        "--overrides", show_default=False,
        help="An inline JSON override for the generated object. If this is non-empty, it is used to override "
             "the generated object. Requires that the object supply a valid apiVersion field.")] = None,
    dry_run: DryRun = "none",
    output: Output = None,
    stdin: Annotated[bool, typer.Option(
        "-i", "--stdin", help="Keep stdin open on the container in the pod (not supported by kubesim).")] = False,
    tty: Annotated[bool, typer.Option(
        "-t", "--tty", help="Allocate a TTY for the container in the pod (not supported by kubesim).")] = False,
    rm: Annotated[bool, typer.Option(
        "--rm", help="If true, delete the pod after it exits (not supported by kubesim).")] = False,
    attach: Annotated[bool, typer.Option(
        "--attach", help="If true, wait for the Pod to start running, and then attach to the Pod (not supported "
                         "by kubesim).")] = False,
    field_manager: Annotated[str, typer.Option(
        "--field-manager", help="Name of the manager used to track field ownership.")] = "kubectl-run",
) -> int:
    return run_verb(run)
