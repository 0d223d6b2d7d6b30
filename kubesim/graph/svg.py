"""The graph as an SVG picture: a layered layout computed here, drawn with drawsvg (no Graphviz needed).

Columns are the layers (ingresses, services, endpoints, pods, nodes); rows follow the text tree, each
parent centred on its children, shared nodes (a pod behind two services, a node under many pods) at
the mean of their parents, then pushed apart so no two boxes overlap.
"""

from __future__ import annotations

from kubesim.graph import LAYERS, Graph

ROW = 56  # vertical distance between box centres
BOX_HEIGHT = 40
GAP = 130  # between columns: room for an ingress rule on its edge
MARGIN = 20
TITLE_CHAR = 7.4  # average glyph widths of the bold 12 px title and the 10 px detail, for box widths
DETAIL_CHAR = 5.3
FILL = {"ok": "#eaf5ec", "warn": "#fff4d6", "bad": "#fde2e1"}
STROKE = {"ok": "#3b7d4f", "warn": "#c98a00", "bad": "#c62828"}


def _rows(graph: Graph) -> dict[str, float]:
    y: dict[str, float] = {}
    slot = [0]

    def place(node_id: str) -> float:
        if node_id in y:
            return y[node_id]
        kids = [e.target for e in graph.children(node_id) if graph.nodes[e.target].layer < 4]
        fresh = [k for k in kids if k not in y]
        if not fresh:
            y[node_id] = slot[0] * ROW
            slot[0] += 1
        else:
            y[node_id] = -1  # in progress
            positions = [place(k) for k in fresh]
            y[node_id] = sum(positions) / len(positions)
        return y[node_id]

    for root in graph.roots:
        place(root)
    for node in graph.nodes.values():
        if node.layer == 4:
            parents = [y[e.source] for e in graph.edges if e.target == node.id and e.source in y]
            y[node.id] = sum(parents) / len(parents) if parents else 0.0
    for node_id in graph.nodes:
        y.setdefault(node_id, 0.0)
    for layer in range(len(LAYERS)):
        column = sorted((n for n in graph.nodes.values() if n.layer == layer), key=lambda n: y[n.id])
        previous = None
        for node in column:
            if previous is not None and y[node.id] < previous + ROW:
                y[node.id] = previous + ROW
            previous = y[node.id]
    return y


def svg(graph: Graph, title: str) -> str:
    import drawsvg as draw

    y = _rows(graph)
    widths = []
    for layer in range(len(LAYERS)):
        texts = [max(len(n.title) * TITLE_CHAR, len(n.detail) * DETAIL_CHAR)
                 for n in graph.nodes.values() if n.layer == layer]
        widths.append(max(texts) + 18 if texts else 0)
    xs, x = [], MARGIN
    for width in widths:
        xs.append(x)
        x += width + (GAP if width else 0)
    top = MARGIN + 30
    height = top + (max(y.values()) if y else 0) + BOX_HEIGHT + MARGIN
    drawing = draw.Drawing(max(x, 320), height, font_family="Helvetica, Arial, sans-serif")
    drawing.append(draw.Rectangle(0, 0, max(x, 320), height, fill="white"))
    drawing.append(draw.Text(title, 14, MARGIN, MARGIN + 12, font_weight="bold", fill="#222"))
    for edge in graph.edges:
        source, target = graph.nodes[edge.source], graph.nodes[edge.target]
        x1, y1 = xs[source.layer] + widths[source.layer], top + y[source.id] + BOX_HEIGHT / 2
        x2, y2 = xs[target.layer], top + y[target.id] + BOX_HEIGHT / 2
        middle = (x1 + x2) / 2
        path = draw.Path(stroke=STROKE[edge.state], stroke_width=1.4, fill="none",
                         stroke_dasharray="5,3" if edge.state == "bad" else None)
        drawing.append(path.M(x1, y1).C(middle, y1, middle, y2, x2, y2))
        if edge.label and (source.layer == 0 or edge.state != "ok"):  # a pod's box already shows its address
            drawing.append(draw.Text(edge.label, 9, middle, (y1 + y2) / 2 - 4, text_anchor="middle", fill="#555"))
    for node in graph.nodes.values():
        left, upper = xs[node.layer], top + y[node.id]
        group = draw.Group(id=node.id.replace("/", "-"))
        group.append(draw.Rectangle(left, upper, widths[node.layer], BOX_HEIGHT, rx=6, fill=FILL[node.state],
                                    stroke=STROKE[node.state], stroke_width=1.5,
                                    stroke_dasharray="5,3" if node.state == "bad" else None))
        group.append(draw.Text(node.title, 12, left + 8, upper + 16, font_weight="bold", fill="#111"))
        if node.detail:
            group.append(draw.Text(node.detail, 10, left + 8, upper + 31, fill="#333"))
        drawing.append(group)
    return drawing.as_svg() + "\n"
