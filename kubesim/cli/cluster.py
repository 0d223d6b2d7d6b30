"""``kubesim cluster info|reset``: where the simulated cluster lives, and starting over."""

from __future__ import annotations

import typer

from kubesim.cli.app import Verb, VerbGroup
from kubesim.cli.context import Invocation, run_verb

app = typer.Typer(name="cluster", cls=VerbGroup, no_args_is_help=True,
                  help="Show where the simulated cluster lives (info) or start over with a fresh one (reset).")


@app.command("info", cls=Verb, help="Show where the cluster's state lives and what the cluster is.")
def info() -> int:
    return run_verb(show_info)


@app.command("reset", cls=Verb, help="Throw the whole cluster away and start again from a fresh one.")
def reset() -> int:
    return run_verb(reset_state)


def reset_state(inv: Invocation) -> int:
    from kubesim.cluster import reset_cluster

    reset_cluster(inv.env)
    inv.out(f"Cluster reset: a fresh cluster is ready in {inv.env.path('state.db')}\n")
    return 0


def show_info(inv: Invocation) -> int:
    from kubesim.api.registry import kind_named
    from kubesim.cluster import API_SERVER_PORT, KUBERNETES_VERSION, NODE_IP

    with inv.cluster.api() as api:
        nodes = api.list(kind_named("Node"))
        namespaces = api.list(kind_named("Namespace"))
        offset = api.tx.meta("clockOffsetSeconds", "0")
        created = api.tx.meta("initialized", "")
        resource_version = api.tx.meta("resourceVersion", "0")
        now = api.timestamp()
    inv.out(
        f"State:              {inv.env.path('state.db')}\n"
        f"Created:            {created}\n"
        f"Kubernetes version: {KUBERNETES_VERSION}\n"
        f"API server:         https://{NODE_IP}:{API_SERVER_PORT}\n"
        f"Nodes:              {', '.join(n['metadata']['name'] for n in nodes)}\n"
        f"Namespaces:         {', '.join(n['metadata']['name'] for n in namespaces)}\n"
        f"Service CIDR:       10.96.0.0/12\n"
        f"Pod CIDR:           10.244.0.0/16\n"
        f"Cluster clock:      {now} (offset {_offset_text(float(offset or 0))})\n"
        f"Resource version:   {resource_version}\n"
    )
    return 0


def _offset_text(seconds: float) -> str:
    from kubesim.api.duration import human_duration

    return "+" + human_duration(seconds) if seconds >= 0 else "-" + human_duration(-seconds)
