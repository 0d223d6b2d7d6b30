"""``kubesim rollout status|history|restart``: follow and manage a Deployment's rollouts.

kubesim's Deployments keep one ReplicaSet per pod template with its revision annotation, as the real
controller does, so history and restart are honest; status reads the Deployment's status exactly as
kubectl's status viewer does, re-reading it as the cluster clock moves (pods becoming ready).
"""

from __future__ import annotations

import time
from typing import Annotated

import typer

from kubesim.api.registry import Kind, Obj
from kubesim.cli.app import Verb, VerbGroup, verb_app
from kubesim.cli.completion import resource_words
from kubesim.cli.context import Invocation, run_verb
from kubesim.cli.options import Filename, Output, PflagInt, Recursive, Selector
from kubesim.errors import KubectlError

REVISION = "deployment.kubernetes.io/revision"
CHANGE_CAUSE = "kubernetes.io/change-cause"
RESTARTED_AT = "kubectl.kubernetes.io/restartedAt"


def _targets(inv: Invocation, api) -> list[tuple[Kind, Obj]]:
    from kubesim.cli.metadata_edit import targets

    if not inv.args and not inv.options.get("filename"):
        raise KubectlError("required resource not specified")
    return targets(inv, api, inv.args)


def _deployments_only(kind: Kind, what: str) -> None:
    if kind.kind != "Deployment":
        group_kind = f"{kind.kind}.{kind.group}" if kind.group else kind.kind
        raise KubectlError(f"no {what} has been implemented for {group_kind}")


def deployment_status(deployment: Obj) -> tuple[str, bool]:
    """kubectl's DeploymentStatusViewer: the line to print, and whether the rollout is done."""
    name = deployment["metadata"]["name"]
    status = deployment.get("status") or {}
    if deployment["metadata"].get("generation", 0) > status.get("observedGeneration", 0):
        return "Waiting for deployment spec update to be observed...\n", False
    progressing = next((c for c in status.get("conditions") or [] if c.get("type") == "Progressing"), None)
    if progressing and progressing.get("reason") == "ProgressDeadlineExceeded":
        raise KubectlError(f'deployment "{name}" exceeded its progress deadline')
    wanted = (deployment.get("spec") or {}).get("replicas", 1)
    updated = status.get("updatedReplicas", 0)
    replicas = status.get("replicas", 0)
    available = status.get("availableReplicas", 0)
    waiting = f'Waiting for deployment "{name}" rollout to finish: '
    if updated < wanted:
        return f"{waiting}{updated} out of {wanted} new replicas have been updated...\n", False
    if replicas > updated:
        return f"{waiting}{replicas - updated} old replicas are pending termination...\n", False
    if available < updated:
        return f"{waiting}{available} of {updated} updated replicas are available...\n", False
    return f'deployment "{name}" successfully rolled out\n', True


def status_run(inv: Invocation) -> int:
    from kubesim.cli.wait import parse_timeout, pause_before_next_look

    opts = inv.options
    timeout = parse_timeout(opts["timeout"], "kubesim rollout status")
    deadline = time.monotonic() + timeout if timeout > 0 else None
    with inv.cluster.api() as api:
        found = _targets(inv, api)
    for kind, obj in found:
        _deployments_only(kind, "status viewer")
        if opts["revision"] < 0:
            raise KubectlError(f"revision must be a positive integer: {opts['revision']}")
        last = ""
        while True:
            until_timer = inv.cluster.catch_up()
            with inv.cluster.api() as api:
                obj = api.get(kind, obj["metadata"].get("namespace"), obj["metadata"]["name"])
                if opts["revision"] > 0:
                    _check_revision(obj, opts["revision"])
            message, done = deployment_status(obj)
            if message != last:
                inv.out(message)
                last = message
            if done or not opts["watch"]:
                break
            if deadline is not None and time.monotonic() >= deadline:
                raise KubectlError("timed out waiting for the condition")
            pause_before_next_look(until_timer, None if deadline is None else deadline - time.monotonic())
    return 0


def _check_revision(deployment: Obj, wanted: int) -> None:
    running = int((deployment["metadata"].get("annotations") or {}).get(REVISION, "0"))
    if running != wanted:
        raise KubectlError(f"desired revision ({wanted}) is different from the running revision ({running})")


def _owned_replica_sets(api, deployment: Obj) -> list[Obj]:
    from kubesim.api.registry import kind_named
    from kubesim.controllers.replication import controller_of

    uid = deployment["metadata"]["uid"]
    return [rs for rs in api.list(kind_named("ReplicaSet", "apps"), deployment["metadata"].get("namespace"))
            if (controller_of(rs) or {}).get("uid") == uid]


def history_run(inv: Invocation) -> int:
    from kubesim.printers.output import OutputFormat, render_results

    opts = inv.options
    fmt = OutputFormat.parse_generic(opts["output"])
    with inv.cluster.api() as api:
        for kind, deployment in _targets(inv, api):
            _deployments_only(kind, "history viewer")
            by_revision: dict[int, Obj] = {}
            for rs in _owned_replica_sets(api, deployment):
                revision = int((rs["metadata"].get("annotations") or {}).get(REVISION, "0") or 0)
                by_revision[revision] = rs
            if opts["revision"] > 0:
                if opts["revision"] not in by_revision:
                    raise KubectlError("unable to find the specified revision")
                if fmt.human:
                    raise KubectlError("kubesim shows a revision's pod template with -o yaml or -o json")
                rs = by_revision[opts["revision"]]
                inv.out(render_results(fmt, [(kind, _revision_as_deployment(deployment, rs))], ""))
                continue
            if not fmt.human:
                inv.out(render_results(fmt, [(kind, deployment)], ""))
                continue
            inv.out(f"{kind.name_prefix}/{deployment['metadata']['name']} \n")
            rows = [("REVISION", "CHANGE-CAUSE")]
            for revision in sorted(by_revision):
                cause = (by_revision[revision]["metadata"].get("annotations") or {}).get(CHANGE_CAUSE) or "<none>"
                rows.append((str(revision), cause))
            width = max(len(row[0]) for row in rows) + 2
            inv.out("".join(f"{row[0].ljust(width)}{row[1]}\n" for row in rows) + "\n")
    return 0


def _revision_as_deployment(deployment: Obj, rs: Obj) -> Obj:
    import copy

    shown = copy.deepcopy(deployment)
    template = copy.deepcopy((rs.get("spec") or {}).get("template") or {})
    (template.get("metadata") or {}).get("labels", {}).pop("pod-template-hash", None)
    shown.setdefault("spec", {})["template"] = template
    return shown


def restart_run(inv: Invocation) -> int:
    from kubesim.printers.output import OutputFormat, render_results

    fmt = OutputFormat.parse_generic(inv.options["output"])
    with inv.cluster.api(write=True) as api:
        for kind, deployment in _targets(inv, api):
            if kind.kind != "Deployment":
                raise KubectlError(f'{kind.resource} "{deployment["metadata"]["name"]}" restarting is not supported')
            if (deployment.get("spec") or {}).get("paused"):
                raise KubectlError("can't restart paused deployment (run rollout resume first)")
            template = deployment.setdefault("spec", {}).setdefault("template", {})
            template.setdefault("metadata", {}).setdefault("annotations", {})[RESTARTED_AT] = api.timestamp()
            restarted = api.update(deployment)
            inv.out(render_results(fmt, [(kind, restarted)], "restarted"))
    return 0


app = verb_app(name="rollout", cls=VerbGroup, no_args_is_help=True,
               help="Manage the rollout of one or many resources.\n\nValid resource types include:\n\n"
                    "  *  deployments")

RESOURCE = "(TYPE NAME | TYPE/NAME) [flags]"


@app.command("status", cls=Verb, help="Show the status of the rollout.\n\nBy default 'rollout status' will watch "
             "the status of the latest rollout until it's done.",
             epilog="  # Watch the rollout status of a deployment\n  kubesim rollout status deployment/kubia\n")
def status(
    resources: Annotated[list[str] | None, resource_words(RESOURCE)] = None,
    filename: Filename = None,
    recursive: Recursive = False,
    selector: Selector = None,
    watch: Annotated[bool, typer.Option(
        "-w", "--watch", help="Watch the status of the rollout until it's done.")] = True,
    revision: Annotated[int, typer.Option(
        "--revision", click_type=PflagInt(),
        help="Pin to a specific revision for showing its status. Defaults to 0 (last revision).")] = 0,
    timeout: Annotated[str, typer.Option(
        "--timeout", help="The length of time to wait before ending watch, zero means never. Any other values "
                          "should contain a corresponding time unit (e.g. 1s, 2m, 3h).")] = "0s",
) -> int:
    return run_verb(status_run)


@app.command("history", cls=Verb, help="View previous rollout revisions and configurations.",
             epilog="  # View the rollout history of a deployment\n  kubesim rollout history deployment/kubia\n")
def history(
    resources: Annotated[list[str] | None, resource_words(RESOURCE)] = None,
    filename: Filename = None,
    recursive: Recursive = False,
    selector: Selector = None,
    revision: Annotated[int, typer.Option(
        "--revision", click_type=PflagInt(),
        help="See the details, including podTemplate of the revision specified")] = 0,
    output: Output = None,
) -> int:
    return run_verb(history_run)


@app.command("restart", cls=Verb, help="Restart a resource.\n\nResource rollout will be restarted.",
             epilog="  # Restart the kubia deployment\n  kubesim rollout restart deployment/kubia\n")
def restart(
    resources: Annotated[list[str] | None, resource_words(RESOURCE)] = None,
    filename: Filename = None,
    recursive: Recursive = False,
    selector: Selector = None,
    output: Output = None,
) -> int:
    return run_verb(restart_run)
