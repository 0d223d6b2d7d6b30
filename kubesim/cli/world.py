"""``kubesim world add|list|remove``: the hosts outside the cluster, on the simulated internet.

By default nothing answers outside the cluster: a connection there times out. A declared host has a
DNS name and/or an IP, listens on one TCP port and answers every HTTP request with one status and
body, so an ExternalName service or a selector-less service's manual Endpoints can be followed to
the end. Hosts live in the cluster's state (``cluster reset`` forgets them).
"""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from kubesim.cli.app import Verb, VerbGroup, verb_app
from kubesim.cli.context import Invocation, run_verb
from kubesim.errors import KubectlError, UsageError

EXAMPLES = """
  # The book's external service: a host at 11.11.11.11 answering on port 80
  kubesim world add 11.11.11.11 --body 'Hello from the outside'

  # A named host (the name resolves from pods, and from kubesim curl), at an address of your choosing
  kubesim world add api.somecompany.com --ip 11.11.11.11 --body '{"ok":true}'

  # A host that answers 503
  kubesim world add flaky.example.com --status 503 --body 'try later'
"""

app = verb_app(name="world", cls=VerbGroup, no_args_is_help=True,
               help="Declare hosts outside the cluster (add), show them (list), forget them (remove).")


@app.command("add", cls=Verb, epilog=EXAMPLES,
             help="Declare a host on the internet: a DNS name or an IP, and what it answers.")
def add(
    host: Annotated[list[str] | None, typer.Argument(metavar="NAME|IP", show_default=False)] = None,
    ip: Annotated[str | None, typer.Option(
        "--ip", show_default=False,
        help="The host's address (for a NAME); without it one is given from 198.18.0.0/15")] = None,
    port: Annotated[int, typer.Option("--port", help="The TCP port the host answers HTTP on")] = 80,
    status: Annotated[int, typer.Option("--status", help="The HTTP status of every answer")] = 200,
    body: Annotated[str | None, typer.Option(
        "--body", show_default=False, help="The body of every answer, ended by a newline as echo ends it (default: '<host> answered')")] = None,
) -> int:
    return run_verb(add_host)


@app.command("list", cls=Verb, help="List the hosts declared outside the cluster.")
def list_() -> int:
    return run_verb(list_hosts)


@app.command("remove", cls=Verb, help="Forget declared hosts, by name or IP.")
def remove(
    hosts: Annotated[list[str] | None, typer.Argument(metavar="NAME|IP...", show_default=False)] = None,
) -> int:
    return run_verb(remove_hosts)


def _check_ip(api, ip: str) -> None:
    """The outside world is outside: refuse an address the cluster itself uses."""
    from kubesim.api.registry import kind_named
    from kubesim.controllers.load_balancer import LB_IP_POOL
    from kubesim.net import ipam

    address = ipaddress.ip_address(ip)
    if address.version != 4 or address.is_loopback or address.is_unspecified or address.is_multicast:
        raise KubectlError(f'invalid IP "{ip}": the world\'s hosts need a unicast IPv4 address')
    for network, what in ((ipam.SERVICE_CIDR, "service"), (ipam.POD_CIDR, "pod")):
        if address in network:
            raise KubectlError(f"{ip} is inside the cluster's {what} range ({network}); the world is outside it")
    for node in api.list(kind_named("Node")):
        for entry in (node.get("status") or {}).get("addresses") or []:
            if entry.get("address") == ip:
                raise KubectlError(f"{ip} is an address of node {node['metadata']['name']}")
    if api.tx.owner_of(LB_IP_POOL, ip) is not None or ip in _lb_pool(api):
        raise KubectlError(f"{ip} belongs to the cluster's load-balancer pool")


def _lb_pool(api) -> set[str]:
    from kubesim.controllers.load_balancer import pool_addresses

    return set(pool_addresses(api))


def add_host(inv: Invocation) -> int:
    from kubesim.net import world
    from kubesim.net.network import is_ip

    if len(inv.args) != 1:
        raise UsageError("expected 'world add NAME|IP [--ip IP] [--port N] [--status N] [--body TEXT]'",
                         "kubesim world add")
    given = inv.args[0].lower().rstrip(".")
    opts = inv.options
    if not 1 <= opts["port"] <= 65535:
        raise KubectlError(f"invalid port {opts['port']}: must be between 1 and 65535, inclusive")
    if not 100 <= opts["status"] <= 599:
        raise KubectlError(f"invalid status {opts['status']}: an HTTP status is between 100 and 599")
    name, ip = ("", given) if is_ip(given) else (given, opts["ip"])
    if name:
        from kubesim.api import validation

        problems = validation.validate_dns1123_subdomain(name, "name")
        if problems or "." not in name:
            raise KubectlError(f'invalid host name "{name}": a world host needs a DNS name like api.example.com')
        if name.endswith(".cluster.local") or name == "cluster.local":
            raise KubectlError(f'invalid host name "{name}": names under cluster.local belong to the cluster')
    elif opts["ip"]:
        raise KubectlError("--ip is for a NAME; give either a name with --ip, or just an IP")
    with inv.cluster.api(write=True) as api:
        hosts = world.hosts(api.tx)
        if ip is not None:
            if not is_ip(ip):
                raise KubectlError(f'invalid IP "{ip}"')
            _check_ip(api, ip)
        taken = next((h for h in hosts if (name and h.name == name) or (ip is not None and h.ip == ip)), None)
        if taken is not None:
            raise KubectlError(f'host "{taken.label}" already exists at {taken.ip}; remove it first')
        host = world.Host(name=name, ip=ip or world.free_named_ip(hosts), port=opts["port"],
                          status=opts["status"], body=opts["body"] or "")
        hosts.append(host)
        world.save(api.tx, hosts)
    inv.out(f"host/{host.label} added ({host.ip}:{host.port})\n")
    return 0


def list_hosts(inv: Invocation) -> int:
    from kubesim.net import world
    from kubesim.printers.tabwriter import format_rows

    with inv.cluster.api() as api:
        hosts = world.hosts(api.tx)
    if not hosts:
        inv.err("No hosts declared outside the cluster: connections there time out.\n")
        return 0
    rows = [["NAME", "IP", "PORT", "STATUS", "BODY"]]
    for host in hosts:
        shown = (host.body or world.default_body(host).rstrip("\n")).replace("\n", "\\n")
        rows.append([host.name or "<none>", host.ip, str(host.port), str(host.status),
                     shown if len(shown) <= 40 else shown[:37] + "..."])
    inv.out(format_rows(rows))
    return 0


def remove_hosts(inv: Invocation) -> int:
    from kubesim.net import world

    if not inv.args:
        raise UsageError("expected 'world remove NAME|IP...'", "kubesim world remove")
    wanted = [arg.lower().rstrip(".") for arg in inv.args]
    removed: list[str] = []
    missing: list[str] = []
    with inv.cluster.api(write=True) as api:
        hosts = world.hosts(api.tx)
        for item in wanted:
            match = next((h for h in hosts if item in (h.name, h.ip)), None)
            if match is None:
                missing.append(item)
                continue
            hosts.remove(match)
            removed.append(match.label)
        world.save(api.tx, hosts)
    for label in removed:
        inv.out(f"host/{label} removed\n")
    for item in missing:
        inv.err(f'error: host "{item}" not found\n')
    return 1 if missing else 0
