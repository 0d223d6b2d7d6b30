"""``kubesim api-resources``: the resource types the simulated API server serves."""

from __future__ import annotations

from kubesim.api.registry import Kind, all_kinds
from kubesim.cli.context import Invocation
from kubesim.cli.flags import Command, Flag
from kubesim.errors import KubectlError
from kubesim.printers.tabwriter import format_rows


def _ordered(kinds: list[Kind]) -> list[Kind]:
    return sorted(kinds, key=lambda k: (k.group != "", k.group, k.plural))


def run(inv: Invocation) -> int:
    opts = inv.options
    kinds = _ordered(all_kinds())
    if opts["namespaced"] is not None:
        wanted = str(opts["namespaced"]).lower() == "true"
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


COMMAND = Command(
    name="api-resources",
    summary="Print the supported API resources on the server",
    usage="api-resources",
    flags=(
        Flag("output", "o", help="Output format. One of: (wide, name)"),
        Flag("namespaced", "", "string", None, help="If false, non-namespaced resources will be returned"),
        Flag("api-group", "", help="Limit to resources in the specified API group"),
        Flag("verbs", "", "slice", help="Limit to resources that support the specified verbs"),
        Flag("no-headers", "", "bool", False, help="When using the default or custom-column output format, "
                                                   "don't print headers"),
        Flag("sort-by", "", help="If non-empty, sort list of resources using specified field: name or kind"),
        Flag("cached", "", "bool", False, help="Use the cached list of resources if available"),
    ),
    run=run,
)
