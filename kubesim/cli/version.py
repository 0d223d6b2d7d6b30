"""``kubesim version``: the kubectl version kubesim speaks and the Kubernetes version it simulates."""

from __future__ import annotations

from typing import Annotated

import typer

from kubesim.cli.app import Verb, verb_app
from kubesim.cli.context import Invocation, run_verb
from kubesim.errors import KubectlError

CLIENT = {"major": "1", "minor": "36", "gitVersion": "v1.36.0", "platform": "linux/amd64"}
SERVER = {"major": "1", "minor": "36", "gitVersion": "v1.36.0", "platform": "linux/amd64"}


def run(inv: Invocation) -> int:
    client_only = inv.options["client"]
    output = inv.options["output"]
    if output in ("json", "yaml"):
        data = {"clientVersion": CLIENT}
        if not client_only:
            data["serverVersion"] = SERVER
        if output == "json":
            from kubesim.printers.json_output import to_json

            inv.out(to_json(data))
        else:
            from kubesim.printers.yaml_output import to_yaml

            inv.out(to_yaml(data))
        return 0
    if output is not None:
        raise KubectlError("--output must be 'yaml' or 'json'")
    from kubesim.cli.terminal import print_facts

    rows = [("Client Version", CLIENT["gitVersion"])]
    if not client_only:
        rows.append(("Server Version", SERVER["gitVersion"]))
    print_facts(inv.env, "kubesim version", rows)
    return 0


app = verb_app()


@app.command("version", cls=Verb, help="Print the client and server version information for the current context.",
             epilog="  # Print the client and server versions for the current context\n  kubesim version\n")
def version(
    client: Annotated[bool, typer.Option(
        "--client", help="If true, shows client version only (no server required).")] = False,
    output: Annotated[str | None, typer.Option(
        "-o", "--output", show_default=False, help="One of 'yaml' or 'json'.")] = None,
) -> int:
    return run_verb(run)
