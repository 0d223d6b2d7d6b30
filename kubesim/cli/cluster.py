"""``kubesim cluster info|reset``: where the simulated cluster lives, and starting over."""

from __future__ import annotations

from kubesim.cli.app import Verb, VerbGroup, verb_app
from kubesim.cli.context import Invocation, run_verb

app = verb_app(name="cluster", cls=VerbGroup, no_args_is_help=True,
                  help="Show where the simulated cluster lives (info) or start over with a fresh one (reset).")


@app.command("info", cls=Verb, help="Show where the cluster's state lives and what the cluster is.")
def info() -> int:
    return run_verb(show_info)


@app.command("reset", cls=Verb, help="Throw the whole cluster away and start again from a fresh one.")
def reset() -> int:
    return run_verb(reset_state)


def reset_state(inv: Invocation) -> int:
    from kubesim.cli.terminal import print_done
    from kubesim.cluster import reset_cluster

    for note in reset_cluster(inv.env):  # what was moved aside, when the state was not usable
        inv.out(note + "\n")
    print_done(inv.env, "Cluster reset:", f"a fresh cluster is ready in {inv.env.path('state.db')}")
    return 0


def show_info(inv: Invocation) -> int:
    from kubesim.api.registry import kind_named
    from kubesim.cli.terminal import print_facts
    from kubesim.cluster import API_SERVER_PORT, KUBERNETES_VERSION, NODE_IP

    with inv.cluster.api() as api:
        nodes = api.list(kind_named("Node"))
        namespaces = api.list(kind_named("Namespace"))
        offset = api.tx.meta("clockOffsetSeconds", "0")
        created = api.tx.meta("initialized", "")
        resource_version = api.tx.meta("resourceVersion", "0")
        now = api.timestamp()
    print_facts(inv.env, "kubesim cluster", [
        ("State", inv.env.path("state.db")),
        ("Created", created or ""),
        ("Kubernetes version", KUBERNETES_VERSION),
        ("API server", f"https://{NODE_IP}:{API_SERVER_PORT}"),
        ("Nodes", ", ".join(n["metadata"]["name"] for n in nodes)),
        ("Namespaces", ", ".join(n["metadata"]["name"] for n in namespaces)),
        ("Service CIDR", "10.96.0.0/12"),
        ("Pod CIDR", "10.244.0.0/16"),
        ("Cluster clock", f"{now} (offset {offset_text(float(offset or 0))})"),
        ("Resource version", str(resource_version)),
    ])
    return 0


def offset_text(seconds: float) -> str:
    from kubesim.api.duration import human_duration

    return "+" + human_duration(seconds) if seconds >= 0 else "-" + human_duration(-seconds)
