"""``kubesim hosts add|list|remove``: the hosts file of your machine, for ``kubesim curl``.

The book edits /etc/hosts so that ``kubia.example.com`` resolves to the Ingress controller's address;
here the same line is ``kubesim hosts add 192.168.49.2 kubia.example.com``. It changes only what your
machine resolves (``kubesim curl``), never what pods resolve, and lives in the cluster's state.
"""

from __future__ import annotations

from typing import Annotated

import typer

from kubesim.cli.app import Verb, VerbGroup, verb_app
from kubesim.cli.context import Invocation, run_verb
from kubesim.errors import KubectlError, UsageError

EXAMPLES = """
  # What the book adds to /etc/hosts: the Ingress controller's address and the Ingress's hosts
  kubesim hosts add 192.168.49.2 kubia.example.com foo.example.com
"""

app = verb_app(name="hosts", cls=VerbGroup, no_args_is_help=True,
               help="Your machine's hosts file (/etc/hosts) for kubesim curl: add, list or remove names.")


@app.command("add", cls=Verb, epilog=EXAMPLES, help="Add a line 'IP NAME...': the names resolve to IP on your machine.")
def add(
    words: Annotated[list[str] | None, typer.Argument(metavar="IP NAME...", show_default=False)] = None,
) -> int:
    return run_verb(add_line)


@app.command("list", cls=Verb, help="Print the hosts file's kubesim lines, as /etc/hosts writes them.")
def list_() -> int:
    return run_verb(list_lines)


@app.command("remove", cls=Verb, help="Remove names from the hosts file.")
def remove(
    names: Annotated[list[str] | None, typer.Argument(metavar="NAME...", show_default=False)] = None,
) -> int:
    return run_verb(remove_names)


def add_line(inv: Invocation) -> int:
    from kubesim.api import validation
    from kubesim.net import hosts
    from kubesim.net.network import is_ip

    if len(inv.args) < 2:
        raise UsageError("expected 'hosts add IP NAME...'", "kubesim hosts add")
    ip, names = inv.args[0], [name.lower().rstrip(".") for name in inv.args[1:]]
    if not is_ip(ip):
        raise KubectlError(f'invalid IP "{ip}"')
    for name in names:
        if validation.validate_dns1123_subdomain(name, "name"):
            raise KubectlError(f'invalid host name "{name}"')
    with inv.cluster.api(write=True) as api:
        found = [(address, [n for n in listed if n not in names]) for address, listed in hosts.entries(api.tx)]
        found = [(address, listed) for address, listed in found if listed]
        found.append((ip, names))
        hosts.save(api.tx, found)
    inv.out(f"{ip}\t{' '.join(names)}\n")
    return 0


def list_lines(inv: Invocation) -> int:
    from kubesim.net import hosts

    with inv.cluster.api() as api:
        found = hosts.entries(api.tx)
    if not found:
        inv.err("No names in the hosts file: kubesim curl resolves only the world's hosts.\n")
    for ip, names in found:
        inv.out(f"{ip}\t{' '.join(names)}\n")
    return 0


def remove_names(inv: Invocation) -> int:
    from kubesim.net import hosts

    if not inv.args:
        raise UsageError("expected 'hosts remove NAME...'", "kubesim hosts remove")
    wanted = [name.lower().rstrip(".") for name in inv.args]
    with inv.cluster.api(write=True) as api:
        found = hosts.entries(api.tx)
        known = {n for _, listed in found for n in listed}
        kept = [(ip, [n for n in listed if n not in wanted]) for ip, listed in found]
        hosts.save(api.tx, [(ip, listed) for ip, listed in kept if listed])
    missing = [name for name in wanted if name not in known]
    for name in wanted:
        if name in known:
            inv.out(f"{name} removed\n")
    for name in missing:
        inv.err(f'error: "{name}" is not in the hosts file\n')
    return 1 if missing else 0
