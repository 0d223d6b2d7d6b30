"""``kubesim cluster info|reset``: where the simulated cluster lives, and starting over."""

from __future__ import annotations

from typing import Annotated

import typer

from kubesim.cli.app import Verb, VerbGroup, verb_app
from kubesim.cli.context import Invocation, run_verb
from kubesim.errors import KubectlError

RESET_EXAMPLES = """
  # A fresh one-node minikube-like cluster (what the first command makes)
  kubesim cluster reset

  # Three minikube nodes: minikube, minikube-m02, minikube-m03
  kubesim cluster reset --nodes 3

  # The book's three-node GKE cluster: nodes with ExternalIPs, you on the internet
  kubesim cluster reset --profile gke

  # Load balancers from your own pool, provisioned at once
  kubesim cluster reset --lb-pool 192.168.49.200-192.168.49.210 --lb-delay 0s
"""

app = verb_app(name="cluster", cls=VerbGroup, no_args_is_help=True,
                  help="Show where the simulated cluster lives (info) or start over with a fresh one (reset).")


@app.command("info", cls=Verb, help="Show where the cluster's state lives and what the cluster is.")
def info() -> int:
    return run_verb(show_info)


@app.command("reset", cls=Verb, epilog=RESET_EXAMPLES,
             help="Throw the whole cluster away and start again from a fresh one.")
def reset(
    nodes: Annotated[int | None, typer.Option(
        "--nodes", show_default=False, help="How many nodes (default: 1 for minikube, 3 for gke)")] = None,
    profile: Annotated[str, typer.Option(
        "--profile", help="What the cluster looks like: minikube (local, one network with your machine) or gke "
                          "(the book's cloud cluster: nodes with ExternalIPs, you on the internet)")] = "minikube",
    lb_pool: Annotated[str | None, typer.Option(
        "--lb-pool", show_default=False,
        help="Addresses load balancers get, FIRST-LAST or a CIDR (default: 192.168.49.100-192.168.49.199 for "
             "minikube, 130.211.53.173-130.211.53.254 for gke)")] = None,
    lb_delay: Annotated[str | None, typer.Option(
        "--lb-delay", show_default=False,
        help="How long a load balancer takes to provision, on the cluster clock (default 30s)")] = None,
) -> int:
    return run_verb(reset_state)


def _shape(inv: Invocation):
    from kubesim.topology import MAX_NODES, PROFILES, topology

    opts = inv.options
    if opts["profile"] not in PROFILES:
        raise KubectlError(f'unknown profile "{opts["profile"]}": use one of {", ".join(PROFILES)}')
    if opts["nodes"] is not None and not 1 <= opts["nodes"] <= MAX_NODES:
        raise KubectlError(f"invalid --nodes {opts['nodes']}: a cluster has 1 to {MAX_NODES} nodes")
    delay = None
    if opts["lb_delay"] is not None:
        from kubesim.cli.clock import parse_duration

        delay = parse_duration(opts["lb_delay"])
    pool = opts["lb_pool"]
    if pool is not None:
        from kubesim.controllers.load_balancer import parse_pool

        try:
            addresses = parse_pool(pool)
        except ValueError as problem:
            raise KubectlError(f'invalid --lb-pool "{pool}": {problem}') from None
        if not addresses:
            raise KubectlError(f'invalid --lb-pool "{pool}": it holds no address')
    if opts["nodes"] is None and opts["profile"] == "minikube" and pool is None and delay is None:
        return None  # exactly the cluster the first command makes
    return topology(opts["profile"], opts["nodes"], pool, delay)


def reset_state(inv: Invocation) -> int:
    from kubesim.cli.terminal import print_done
    from kubesim.cluster import reset_cluster

    shape = _shape(inv)
    for note in reset_cluster(inv.env, shape):  # what was moved aside, when the state was not usable
        inv.out(note + "\n")
    print_done(inv.env, "Cluster reset:", f"a fresh cluster is ready in {inv.env.path('state.db')}")
    return 0


def show_info(inv: Invocation) -> int:
    from kubesim.api.registry import kind_named
    from kubesim.cli.terminal import print_facts
    from kubesim.cluster import KUBERNETES_VERSION, api_server_address
    from kubesim.controllers.load_balancer import DEFAULT_POOL, POOL_KEY, delay_seconds
    from kubesim.net.outside import outside_client_ip

    with inv.cluster.api() as api:
        api_ip, api_port = api_server_address(api)
        pool = api.tx.meta(POOL_KEY) or DEFAULT_POOL
        delay = delay_seconds(api)
        client = outside_client_ip(api)
        profile = api.tx.meta("profile") or "minikube"
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
        ("Profile", profile),
        ("API server", f"https://{api_ip}:{api_port}"),
        ("Nodes", ", ".join(n["metadata"]["name"] for n in nodes)),
        ("Namespaces", ", ".join(n["metadata"]["name"] for n in namespaces)),
        ("Service CIDR", "10.96.0.0/12"),
        ("Pod CIDR", "10.244.0.0/16"),
        ("Load balancers", f"{pool}, ready {offset_text(delay)[1:]} after they are asked for"),
        ("Your machine", client),
        ("Cluster clock", f"{now} (offset {offset_text(float(offset or 0))})"),
        ("Resource version", str(resource_version)),
    ])
    return 0


def offset_text(seconds: float) -> str:
    from kubesim.api.duration import human_duration

    return "+" + human_duration(seconds) if seconds >= 0 else "-" + human_duration(-seconds)
