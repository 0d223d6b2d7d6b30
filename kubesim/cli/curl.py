"""``kubesim curl [options] URL``: curl on your own machine, outside the cluster.

The same simulated curl as in a pod (the catalogue's curl 8.14.1, as ``curlimages/curl`` ships it),
with the network a machine outside the cluster has: node ports on the nodes' reachable addresses,
load-balancer IPs and the world's declared hosts answer; cluster IPs and pod IPs, which exist only
inside the cluster, time out. Nothing runs on the host and nothing is sent anywhere; files curl
writes (``-o``) are kept in the cluster's state, not on your disk.
"""

from __future__ import annotations

from typing import Annotated

import typer

from kubesim.cli.app import RawVerb, verb_app
from kubesim.cli.context import Invocation, run_verb
from kubesim.errors import ExitWith

WORKSTATION_IMAGE = "curlimages/curl:8.14.1"
EXAMPLES = """
  # A node port, on the node's address
  kubesim curl -s http://192.168.49.2:30123

  # A load balancer's external IP, with the verbose trace
  kubesim curl -v http://192.168.49.100
"""

app = verb_app()


def workstation(api) -> dict:
    """Your machine, as the simulated tools see it: a host with its own (stored) filesystem."""
    from kubesim.net.outside import outside_client_ip

    return {"metadata": {"name": "workstation", "namespace": "", "uid": "workstation"}, "spec": {},
            "status": {"podIP": outside_client_ip(api)}}


@app.command("curl", cls=RawVerb, epilog=EXAMPLES, context_settings={"ignore_unknown_options": True},
             help="Run curl from your machine, outside the cluster (node ports, load balancers, the world).")
def curl(
    arguments: Annotated[list[str] | None, typer.Argument(metavar="[curl options] URL...", show_default=False)] = None,
) -> int:
    return run_verb(run)


def run(inv: Invocation) -> int:
    from kubesim.net.outside import OutsideNetwork
    from kubesim.runtime.commands import run_on_host

    env = inv.env
    with inv.cluster.api(write=True) as api:
        code = run_on_host(api, workstation(api), WORKSTATION_IMAGE, ["curl", *inv.args],
                           network=OutsideNetwork(api), stdout=env.stdout, stderr=env.stderr)
    if code:
        raise ExitWith(code)
    return 0
