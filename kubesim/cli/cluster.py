"""``kubesim cluster info|reset``: where the simulated cluster lives, and starting over."""

from __future__ import annotations

from kubesim.cli.context import Invocation
from kubesim.cli.flags import Command
from kubesim.errors import UsageError


def run(inv: Invocation) -> int:
    action = inv.args[0] if inv.args else ""
    if action == "reset" and len(inv.args) == 1:
        from kubesim.cluster import reset_cluster

        for note in reset_cluster(inv.env):
            inv.out(note + "\n")
        inv.out(f"Cluster reset: a fresh cluster is ready in {inv.env.path('state.db')}\n")
        return 0
    if action == "info" and len(inv.args) == 1:
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
    raise UsageError("expected 'cluster info' or 'cluster reset'", "kubesim cluster")


def _offset_text(seconds: float) -> str:
    from kubesim.api.duration import human_duration

    return "+" + human_duration(seconds) if seconds >= 0 else "-" + human_duration(-seconds)


COMMAND = Command(
    name="cluster",
    summary="Show where the simulated cluster lives (info) or start over with a fresh one (reset)",
    usage="cluster (info | reset)",
    run=run,
)
