"""The graph as a text tree (one line a node, box-drawing guides) and as Graphviz DOT."""

from __future__ import annotations

from kubesim.graph import Graph

MARKS = {"ok": "", "warn": "  (!)", "bad": "  (✘)"}


def tree_lines(graph: Graph) -> list[tuple[str, str, str]]:
    """(guide, text, state) for each line of the tree: namespaces, then each root's descendants."""
    lines: list[tuple[str, str, str]] = []

    def walk(node_id: str, label: str, guide: str, last: bool, state: str) -> None:
        node = graph.nodes[node_id]
        branch = "└── " if last else "├── "
        text = f"{label + ' ⇒ ' if label else ''}{node.title}  {node.detail}".rstrip()
        lines.append((guide + branch, text, "bad" if state == "bad" else node.state))
        children = graph.children(node_id)
        for index, edge in enumerate(children):
            walk(edge.target, edge.label, guide + ("    " if last else "│   "), index == len(children) - 1,
                 edge.state)

    for namespace in sorted(graph.namespaces):
        lines.append(("", f"namespace {namespace}", "ok"))
        roots = graph.namespaces[namespace]
        for index, root in enumerate(roots):
            walk(root, "", "", index == len(roots) - 1, "ok")
    return lines


def plain_tree(graph: Graph) -> str:
    if not graph.nodes:
        return ""
    return "".join(f"{guide}{text}{MARKS[state]}\n" for guide, text, state in tree_lines(graph))


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


SHAPES = {0: "hexagon", 1: "box", 2: "note", 3: "ellipse", 4: "box3d"}
COLOURS = {"ok": "black", "warn": "orange", "bad": "red"}


def dot(graph: Graph) -> str:
    lines = ["digraph kubesim {", "  rankdir=LR;", '  node [fontname="Helvetica", fontsize=10];',
             '  edge [fontname="Helvetica", fontsize=9];']
    for layer in range(5):
        members = [n for n in graph.nodes.values() if n.layer == layer]
        if not members:
            continue
        lines.append("  { rank=same;")
        for node in members:
            label = _quote(node.title)[:-1] + (r"\n" + _quote(node.detail)[1:-1] if node.detail else "") + '"'
            style = ', style="dashed,bold"' if node.state == "bad" else ""
            lines.append(f"    {_quote(node.id)} [label={label}, shape={SHAPES[layer]}, "
                         f"color={COLOURS[node.state]}{style}];")
        lines.append("  }")
    for edge in graph.edges:
        attributes = [f"color={COLOURS[edge.state]}"]
        if edge.label:
            attributes.append(f"label={_quote(edge.label)}")
        if edge.state == "bad":
            attributes.append("style=dashed")
        lines.append(f"  {_quote(edge.source)} -> {_quote(edge.target)} [{', '.join(attributes)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
