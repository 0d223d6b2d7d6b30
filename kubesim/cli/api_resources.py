"""``kubesim api-resources``: the resource types the simulated API server serves."""

from __future__ import annotations

from typing import Annotated

import typer

from kubesim.api.registry import Kind, all_kinds
from kubesim.cli.app import Verb, verb_app
from kubesim.cli.context import Invocation, run_verb
from kubesim.cli.options import split_commas
from kubesim.errors import KubectlError
from kubesim.printers.tabwriter import format_rows


def _ordered(kinds: list[Kind]) -> list[Kind]:
    return sorted(kinds, key=lambda k: (k.group != "", k.group, k.plural))


def run(inv: Invocation) -> int:
    opts = inv.options
    kinds = _ordered(all_kinds())
    if "namespaced" in inv.given:
        wanted = bool(opts["namespaced"])
        kinds = [k for k in kinds if k.namespaced == wanted]
    if opts["api_group"] is not None:
        kinds = [k for k in kinds if k.group == opts["api_group"]]
    for verb in opts["verbs"]:
        kinds = [k for k in kinds if verb in k.verbs]
    output = opts["output"]
    if output == "name":
        inv.out("".join((f"{k.plural}.{k.group}" if k.group else k.plural) + "\n" for k in kinds))
        return 0
    if output not in (None, "wide"):
        raise KubectlError('--output name and wide are the only supported formats for api-resources')
    rows = []
    if not opts["no_headers"]:
        header = ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
        rows.append(header + (["VERBS", "CATEGORIES"] if output == "wide" else []))
    for k in kinds:
        row = [k.plural, ",".join(k.short_names), k.api_version, str(k.namespaced).lower(), k.kind]
        if output == "wide":
            row += [",".join(k.verbs), ",".join(k.categories)]
        rows.append(row)
    inv.out(format_rows(rows))
    return 0


app = verb_app()


@app.command("api-resources", cls=Verb, help="Print the supported API resources on the server.",
             epilog="  # Print the supported API resources\n  kubesim api-resources\n\n"
                    "  # Print the supported API resources with more information\n  kubesim api-resources -o wide\n")
def api_resources(
    words: Annotated[list[str] | None, typer.Argument(metavar="", show_default=False, hidden=True)] = None,
    output: Annotated[str | None, typer.Option(
        "-o", "--output", show_default=False, help="Output format. One of: (wide, name).")] = None,
    namespaced: Annotated[bool, typer.Option(
        "--namespaced", help="If false, non-namespaced resources will be returned, otherwise returning namespaced "
                             "resources by default.")] = True,
    api_group: Annotated[str | None, typer.Option(
        "--api-group", show_default=False, help="Limit to resources in the specified API group.")] = None,
    verbs: Annotated[list[str] | None, typer.Option(
        "--verbs", callback=split_commas, show_default=False,
        help="Limit to resources that support the specified verbs.")] = None,
    no_headers: Annotated[bool, typer.Option(
        "--no-headers", help="When using the default or custom-column output format, don't print headers "
                             "(default print headers).")] = False,
    sort_by: Annotated[str | None, typer.Option(
        "--sort-by", show_default=False,
        help="If non-empty, sort list of resources using specified field. The field can be either 'name' or "
             "'kind'.")] = None,
    cached: Annotated[bool, typer.Option(
        "--cached", help="Use the cached list of resources if available.")] = False,
) -> int:
    return run_verb(run)
