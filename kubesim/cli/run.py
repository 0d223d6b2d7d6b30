"""``kubesim run NAME --image=IMAGE``: a bare pod labelled ``run=NAME``, as kubectl run makes it."""

from __future__ import annotations

import json

from kubesim.api.registry import kind_named
from kubesim.cli.context import Invocation
from kubesim.cli.flags import Command, Flag
from kubesim.cli.writing import DRY_RUN, dry_run_mode
from kubesim.errors import KubectlError, UsageError
from kubesim.printers.output import OutputFormat, render_results

FLAGS = (
    Flag("image", "", help="The image for the container to run"),
    Flag("port", "", help="The port that this container exposes"),
    Flag("labels", "l", help="Comma separated labels to apply to the pod. Will override previous values"),
    Flag("env", "", "array", help="Environment variables to set in the container"),
    Flag("expose", "", "bool", False, help="If true, create a ClusterIP service associated with the pod"),
    Flag("restart", "", "string", "Always", help="The restart policy for this Pod: Always, OnFailure or Never"),
    Flag("command", "", "bool", False, help="Use the extra arguments as the command instead of the args"),
    Flag("image-pull-policy", "", help="The image pull policy for the container"),
    Flag("annotations", "", "array", help="Annotations to apply to the pod"),
    Flag("overrides", "", help="An inline JSON override for the generated object"),
    DRY_RUN,
    Flag("output", "o", help="Output format: json|yaml|name|jsonpath=…"),
    Flag("stdin", "i", "bool", False, help="Keep stdin open on the container (not supported by kubesim)"),
    Flag("tty", "t", "bool", False, help="Allocate a TTY (not supported by kubesim)"),
    Flag("rm", "", "bool", False, help="Delete the pod after it exits (not supported by kubesim)"),
    Flag("attach", "", "bool", False, help="Wait for the Pod to start running, then attach (not supported)"),
    Flag("field-manager", "", "string", "kubectl-run", help="Name of the manager used to track field ownership"),
)

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


COMMAND = Command(
    name="run",
    summary="Run a particular image on the cluster",
    usage="run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] "
          "[--overrides=inline-json] [--command] -- [COMMAND] [args...]",
    flags=FLAGS,
    run=run,
    examples="  # Start a pod with DNS tools that sleeps, to run nslookup in it\n"
             "  kubesim run dnsutils --image=tutum/dnsutils --command -- sleep infinity\n",
)
