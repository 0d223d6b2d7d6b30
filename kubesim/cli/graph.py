"""``kubesim graph [SERVICE]``: ingresses → services → endpoints → pods → nodes, and what breaks the path.

A tree on the terminal (rich, in colour), the same tree as plain text when piped, Graphviz DOT with
``-o dot`` and an SVG picture with ``-o svg`` (drawn in Python; no Graphviz install needed). Parts
that stop traffic are marked: ``(✘)`` for a selector that matches no pod, Endpoints without a ready
address or an unready pod, ``(!)`` for an ingress with no address yet.
"""

from __future__ import annotations

from typing import Annotated

import typer

from kubesim.cli.app import Verb, verb_app
from kubesim.cli.context import Invocation, run_verb
from kubesim.cli.options import AllNamespaces, report_format
from kubesim.errors import UsageError

EXAMPLES = """
  # The traffic picture of the current namespace
  kubesim graph

  # One service (and the ingresses that route to it), in every namespace
  kubesim graph kubia -A

  # A picture for the docs
  kubesim graph -o svg > graph.svg
"""
STYLES = {"ok": "", "warn": "yellow", "bad": "bold red"}
KIND_STYLES = {"ingress": "magenta", "svc": "cyan", "ep": "blue", "pod": "green", "node": "white"}

app = verb_app()


@app.command("graph", cls=Verb, epilog=EXAMPLES,
             help="Draw how traffic flows: ingresses, services, endpoints, pods and nodes (text, DOT or SVG).")
def graph(
    service: Annotated[list[str] | None, typer.Argument(metavar="[SERVICE]", show_default=False)] = None,
    all_namespaces: AllNamespaces = False,
    output: Annotated[str | None, typer.Option(
        "-o", "--output", show_default=False, help="Output format: dot or svg, or a text tree when not given")] = None,
) -> int:
    return run_verb(run)


def run(inv: Invocation) -> int:
    from kubesim.graph import build

    opts = inv.options
    form = report_format(opts["output"], ("dot", "svg"))
    if len(inv.args) > 1:
        raise UsageError("expected 'graph [SERVICE]'", "kubesim graph")
    namespace = None if opts["all_namespaces"] else inv.namespace
    with inv.cluster.api() as api:
        picture = build(api, namespace, inv.args[0] if inv.args else None)
    where = "all namespaces" if namespace is None else f"namespace {namespace}"
    if not picture.nodes:
        inv.err(f"No services found in {where}.\n" if not inv.args else
                f"No service {inv.args[0]} found in {where}.\n")
        return 1 if inv.args else 0
    if form == "dot":
        from kubesim.graph.render import dot

        inv.out(dot(picture))
    elif form == "svg":
        from kubesim.graph.svg import svg

        inv.out(svg(picture, f"kubesim graph: {where}"))
    elif not inv.env.stdout_is_terminal:
        from kubesim.graph.render import plain_tree

        inv.out(plain_tree(picture))
    else:
        _rich_tree(inv, picture)
    return 0


def _rich_tree(inv: Invocation, picture) -> None:
    from rich.markup import escape
    from rich.tree import Tree

    from kubesim.cli.terminal import console_for

    console = console_for(inv.env)

    def label(node, edge_label: str, state: str) -> str:
        kind, _, rest = node.title.partition("/")
        shown = "bad" if state == "bad" else node.state
        style = KIND_STYLES.get(kind)
        name = f"[{style}]{escape(kind)}[/]/[bold]{escape(rest)}[/]" if style and rest else f"[bold]{escape(node.title)}[/]"
        text = f"{name}  {escape(node.detail)}"
        if edge_label:
            text = f"[dim]{escape(edge_label)} ⇒[/] " + text
        if shown != "ok":
            text = f"[{STYLES[shown]}]{'✘' if shown == 'bad' else '!'}[/] " + text
        return text

    def grow(tree, node_id: str, edge_label: str, state: str) -> None:
        node = picture.nodes[node_id]
        branch = tree.add(label(node, edge_label, state))
        for edge in picture.children(node_id):
            grow(branch, edge.target, edge.label, edge.state)

    for namespace in sorted(picture.namespaces):
        tree = Tree(f"[bold]namespace {escape(namespace)}[/]")
        for root in picture.namespaces[namespace]:
            grow(tree, root, "", "ok")
        console.print(tree)
