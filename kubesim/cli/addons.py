"""``kubesim addons enable|disable|list``: cluster add-ons, as ``minikube addons`` turns them on.

One add-on today: ``ingress``, the ingress-nginx controller (see ``kubesim.addons.ingress``). A fresh
cluster has none, as a fresh minikube has none: the book's §5.4 starts with ``minikube addons enable
ingress``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from kubesim.cli.app import Verb, VerbGroup, verb_app
from kubesim.cli.context import Invocation, run_verb
from kubesim.errors import KubectlError, UsageError

ADDONS = ("ingress",)
EXAMPLES = """
  # The ingress-nginx controller, for Ingress objects (book §5.4)
  kubesim addons enable ingress
"""

app = verb_app(name="addons", cls=VerbGroup, no_args_is_help=True,
               help="Turn cluster add-ons on (enable) or off (disable), or list them, as minikube addons does.")


@app.command("enable", cls=Verb, epilog=EXAMPLES, help="Enable an add-on: create its objects in the cluster.")
def enable(
    names: Annotated[list[str] | None, typer.Argument(metavar="ADDON", show_default=False)] = None,
) -> int:
    return run_verb(enable_addon)


@app.command("disable", cls=Verb, help="Disable an add-on: delete its objects.")
def disable(
    names: Annotated[list[str] | None, typer.Argument(metavar="ADDON", show_default=False)] = None,
) -> int:
    return run_verb(disable_addon)


@app.command("list", cls=Verb, help="List the add-ons and whether each is enabled.")
def list_() -> int:
    return run_verb(list_addons)


def _addon(inv: Invocation, verb: str) -> str:
    if len(inv.args) != 1:
        raise UsageError(f"expected 'addons {verb} ADDON' (one of: {', '.join(ADDONS)})", f"kubesim addons {verb}")
    name = inv.args[0]
    if name not in ADDONS:
        raise KubectlError(f'addon "{name}" is not known to kubesim (known: {", ".join(ADDONS)})')
    return name


def enable_addon(inv: Invocation) -> int:
    from kubesim.addons import ingress

    name = _addon(inv, "enable")
    with inv.cluster.api(write=True) as api:
        if ingress.enabled(api):
            inv.out(f"The '{name}' addon is already enabled\n")
            return 0
        ingress.enable(api)
    inv.out(f"* {name} is an addon maintained by Kubernetes (ingress-nginx); kubesim simulates its controller.\n"
            f"  - Using image {ingress.CONTROLLER_IMAGE}\n"
            f"* Verifying {name} addon...\n"
            f"* The '{name}' addon is enabled\n")
    return 0


def disable_addon(inv: Invocation) -> int:
    from kubesim.addons import ingress

    name = _addon(inv, "disable")
    with inv.cluster.api(write=True) as api:
        if ingress.enabled(api):
            ingress.disable(api)
    inv.out(f"* The '{name}' addon is disabled\n")
    return 0


def list_addons(inv: Invocation) -> int:
    from kubesim.addons import ingress
    from kubesim.printers.tabwriter import format_rows

    with inv.cluster.api() as api:
        status = "enabled" if ingress.enabled(api) else "disabled"
    inv.out(format_rows([["ADDON NAME", "STATUS", "MAINTAINER"], ["ingress", status, "Kubernetes"]]))
    return 0
