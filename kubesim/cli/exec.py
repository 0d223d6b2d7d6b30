"""``kubesim exec``: run a command in a container, as ``kubectl exec`` does — nothing runs on the host.

kubectl's behaviour (kubectl.md §9): ``--`` is required since 1.31, the container defaults to the
``kubectl.kubernetes.io/default-container`` annotation or the first one (``Defaulted container …``
when there is a choice), ``TYPE/NAME`` picks the first pod of a workload or service, ``-it`` without a
terminal stdin warns and goes on without a TTY, and a non-zero exit prints ``command terminated
with exit code N`` and leaves with N. The command runs in one write transaction, so what it changes
(session affinity, an app's request counter, files it writes) is saved with the request.
"""

from __future__ import annotations

from typing import Annotated

import typer

from kubesim.api import errors as api_errors
from kubesim.api.registry import Kind, Obj, kind_named
from kubesim.cli.app import Verb, verb_app
from kubesim.cli.completion import complete_pods
from kubesim.cli.context import Invocation, run_verb
from kubesim.cli.options import Duration
from kubesim.errors import ExitWith, KubectlError, UsageError

DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container"
NO_TTY = "Unable to use a TTY - input is not a terminal or the right kind of file\n"
# Kinds whose pods kubectl finds through their selector (polymorphichelpers.AttachablePodForObject).
SELECTOR_KINDS = ("ReplicationController", "ReplicaSet", "Deployment", "Service", "StatefulSet", "DaemonSet", "Job")

EXAMPLES = """  # Get output from running the 'date' command from pod mypod, using the first container by default
  kubesim exec mypod -- date

  # Get output from running the 'date' command in ruby-container from pod mypod
  kubesim exec mypod -c ruby-container -- date

  # Switch to raw terminal mode; sends stdin to 'bash' in ruby-container from pod mypod
  # and sends stdout/stderr from 'bash' back to the client
  kubesim exec mypod -c ruby-container -i -t -- bash -il

  # Get output from running 'date' command from the first pod of the deployment mydeployment
  kubesim exec deploy/mydeployment -- date

  # Get output from running 'date' command from the first pod of the service myservice
  kubesim exec svc/myservice -- date
"""


def run(inv: Invocation) -> int:
    opts = inv.options
    args = list(inv.args)
    dash = inv.args_after_dash
    resource = args[0] if args and dash != 0 else ""
    if dash is not None:
        command = args[dash:]
    elif len(args) > 1:
        raise UsageError("exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead",
                         "kubesim exec")
    else:
        command = []
    if not resource:
        raise KubectlError("pod, type/name or --filename must be specified")
    if not command:
        raise KubectlError("you must specify at least one command for the container")

    from kubesim.runtime.commands import ExecError, Interaction, SessionEnded, run_in_container

    env = inv.env
    quiet = bool(opts["quiet"])
    code = 0
    with inv.cluster.api(write=True) as api:
        pod = _find_pod(api, inv.namespace, resource)
        phase = (pod.get("status") or {}).get("phase")
        if phase in ("Succeeded", "Failed"):
            raise KubectlError(f"cannot exec into a container in a completed pod; current phase is {phase}")
        container = _choose_container(inv, pod, opts["container"], quiet)
        interactive = False
        if opts["stdin"] and opts["tty"]:
            if env.stdin_is_terminal:
                interactive = True
            elif not quiet:
                inv.err(NO_TTY)
        if not (pod.get("spec") or {}).get("nodeName"):
            raise api_errors.bad_request(f"pod {pod['metadata']['name']} does not have a host assigned")
        if not _running(pod, container):
            raise KubectlError(f'unable to upgrade connection: container not found ("{container["name"]}")')
        stdin_text = ""
        if opts["stdin"] and not interactive:
            stdin_text = env.stdin.read()
        try:
            code = run_in_container(
                api, pod, container, command, stdin=stdin_text, stdout=env.stdout, stderr=env.stderr,
                tty=interactive, stdin_stream=env.stdin if interactive else None,
                interaction=Interaction(inv.cluster, api, pod) if interactive else None)
        except SessionEnded:
            code = SessionEnded.status
        except ExecError as error:
            raise KubectlError("Internal error occurred: Internal error occurred: error executing command in "
                               f"container: {error.message}") from None
    # Outside the transaction, so what the command changed is committed before kubesim leaves.
    if code:
        inv.err(f"command terminated with exit code {code}\n")
        raise ExitWith(code)
    return 0


def _find_pod(api, namespace: str, resource: str) -> Obj:
    """The pod ``kubectl exec`` attaches to: a pod by name, or the first active pod behind TYPE/NAME."""
    pod_kind = kind_named("Pod")
    if "/" not in resource:
        return api.get(pod_kind, namespace, resource)
    from kubesim.cli.resources import parse_resource_args

    request = parse_resource_args([resource], verb="exec")[0]
    kind, name = request.kind, request.names[0]
    if kind.kind == "Pod":
        return api.get(pod_kind, namespace, name)
    owner = api.get(kind, namespace, name)
    if kind.kind not in SELECTOR_KINDS:
        go_type = f"*{kind.version}.{kind.kind}"
        raise KubectlError(f"cannot attach to {go_type}: selector for {go_type} not implemented")
    selector = _selector_of(kind, owner)
    pods = [p for p in api.list(pod_kind, namespace) if selector(p.get("metadata", {}).get("labels") or {})]
    if not pods:
        raise KubectlError("timed out waiting for the condition")
    return sorted(pods, key=_activity)[0]


def _selector_of(kind: Kind, owner: Obj):
    from kubesim.api.selectors import selector_from_label_selector, selector_from_map

    spec = owner.get("spec") or {}
    if kind.kind in ("Service", "ReplicationController"):
        labels = spec.get("selector")
        if not labels:
            if kind.kind == "Service":
                raise KubectlError(f"invalid service '{owner['metadata']['name']}': Service is defined without a "
                                   "selector")
            labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        return selector_from_map(labels).matches
    return selector_from_label_selector(spec.get("selector") or {}).matches


def _activity(pod: Obj) -> tuple:
    """podutils.ActivePods, most active first: scheduled, running, ready, then the oldest (then by name)."""
    status = pod.get("status") or {}
    phase_rank = {"Pending": 0, "Unknown": 1, "Running": 2}.get(status.get("phase", ""), 0)
    ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in status.get("conditions") or [])
    scheduled = bool((pod.get("spec") or {}).get("nodeName"))
    return (not scheduled, -phase_rank, not ready, pod["metadata"].get("creationTimestamp", ""),
            pod["metadata"]["name"])


def _choose_container(inv: Invocation, pod: Obj, wanted: str | None, quiet: bool) -> Obj:
    spec = pod.get("spec") or {}
    containers = spec.get("containers") or []
    name = pod["metadata"]["name"]
    if wanted:
        for container in containers:
            if container.get("name") == wanted:
                return container
        names = ", ".join(_all_container_names(pod))
        raise KubectlError(f"container {wanted} is not valid for pod {name} out of: {names}")
    if not containers:
        raise KubectlError(f"pod {pod['metadata'].get('namespace', '')}/{name} does not have any containers")
    annotated = (pod["metadata"].get("annotations") or {}).get(DEFAULT_CONTAINER_ANNOTATION)
    if annotated:
        for container in containers:
            if container.get("name") == annotated:
                return container
    chosen = containers[0]
    if not quiet and (len(containers) > 1 or spec.get("initContainers") or spec.get("ephemeralContainers")):
        inv.err(f'Defaulted container "{chosen["name"]}" out of: {", ".join(_all_container_names(pod))}\n')
    return chosen


def _all_container_names(pod: Obj) -> list[str]:
    """podcmd.AllContainerNames: containers, then ephemeral ``(ephem)``, then init ``(init)``."""
    spec = pod.get("spec") or {}
    names = [c["name"] for c in spec.get("containers") or []]
    names += [f"{c['name']} (ephem)" for c in spec.get("ephemeralContainers") or []]
    names += [f"{c['name']} (init)" for c in spec.get("initContainers") or []]
    return names


def _running(pod: Obj, container: Obj) -> bool:
    statuses = (pod.get("status") or {}).get("containerStatuses")
    if statuses is None:
        return (pod.get("status") or {}).get("phase") == "Running"
    status = next((s for s in statuses if s.get("name") == container.get("name")), None)
    return status is not None and "running" in (status.get("state") or {})


app = verb_app()


@app.command("exec", cls=Verb, epilog=EXAMPLES, help="Execute a command in a container.")
def exec_(
    pod_and_command: Annotated[list[str] | None, typer.Argument(
        metavar="(POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]", show_default=False,
        autocompletion=complete_pods)] = None,
    container: Annotated[str | None, typer.Option(
        "-c", "--container", show_default=False,
        help="Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for "
             "selecting the container to be attached or the first container in the pod will be chosen")] = None,
    stdin: Annotated[bool, typer.Option("-i", "--stdin", help="Pass stdin to the container")] = False,
    tty: Annotated[bool, typer.Option("-t", "--tty", help="Stdin is a TTY")] = False,
    quiet: Annotated[bool, typer.Option(
        "-q", "--quiet", help="Only print output from the remote session")] = False,
    pod_running_timeout: Annotated[str, typer.Option(
        "--pod-running-timeout", click_type=Duration(),
        help="The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is "
             "running")] = "1m0s",
    # kubectl's global --server/-s: the book's `exec POD curl -s URL` parses -s as this flag.
    server: Annotated[str | None, typer.Option(
        "-s", "--server", show_default=False,
        help="The address and port of the Kubernetes API server (accepted; kubesim has one cluster)")] = None,
) -> int:
    return run_verb(run)
