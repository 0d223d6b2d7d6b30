"""``kubesim ssh NODE -- COMMAND``: a shell on a node, as ``minikube ssh`` gives one.

The command runs in kubesim's simulated shell with the node's network: the node's own address as the
source, cluster IPs and pod IPs answering (kube-proxy runs on every node), node ports on any node.
Nothing runs on the host.
"""

from __future__ import annotations

from typing import Annotated

import typer

from kubesim.cli.app import RawVerb, verb_app
from kubesim.cli.context import Invocation, run_verb
from kubesim.errors import ExitWith, UsageError

NODE_IMAGE = "kubesim/node"
EXAMPLES = """
  # A cluster IP answers on a node (not from your machine)
  kubesim ssh minikube -- curl -s http://10.96.0.1:443

  # Several commands, through the node's shell
  kubesim ssh minikube -- sh -c 'curl -s localhost:30123; hostname'
"""

app = verb_app()


@app.command("ssh", cls=RawVerb, epilog=EXAMPLES, context_settings={"ignore_unknown_options": True},
             help="Run a command on a node of the cluster, with the node's network.")
def ssh(
    arguments: Annotated[list[str] | None, typer.Argument(metavar="NODE -- COMMAND...", show_default=False)] = None,
) -> int:
    return run_verb(run)


def run(inv: Invocation) -> int:
    from kubesim.api.registry import kind_named
    from kubesim.net.network import Network
    from kubesim.net.nodeports import internal_ip
    from kubesim.runtime.commands import run_on_host

    words = list(inv.args)
    if not words or words[0].startswith("-"):
        raise UsageError("expected 'ssh NODE -- COMMAND...'", "kubesim ssh")
    node_name, command = words[0], words[1:]
    if command and command[0] == "--":
        command = command[1:]
    if not command:
        raise UsageError("expected a command after the node: 'ssh NODE -- COMMAND...'", "kubesim ssh")
    env = inv.env
    with inv.cluster.api(write=True) as api:
        node = api.get(kind_named("Node"), None, node_name)
        ip = internal_ip(node)
        host = {"metadata": {"name": node_name, "namespace": "", "uid": f"node-{node_name}"},
                "spec": {"hostNetwork": True, "nodeName": node_name, "dnsPolicy": "Default"},
                "status": {"podIP": ip, "hostIP": ip}}
        code = run_on_host(api, host, NODE_IMAGE, command, network=Network(api, host),
                           stdout=env.stdout, stderr=env.stderr)
    if code:
        inv.err(f"ssh: Process exited with status {code}\n")
        raise ExitWith(code)
    return 0
