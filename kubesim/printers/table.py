"""``kubectl get`` tables: the kind's server-side columns plus the client's extra columns."""

from __future__ import annotations

from datetime import datetime

from kubesim.api.registry import Kind, Obj
from kubesim.printers.tabwriter import format_rows


def header_row(kind: Kind, *, wide: bool, with_namespace: bool, label_columns: list[str],
               show_labels: bool) -> list[str]:
    headers = [column.name.upper() for column in kind.columns if wide or column.priority == 0]
    if with_namespace:
        headers.insert(0, "NAMESPACE")
    headers += [key.rsplit("/", 1)[-1].upper() for key in label_columns]
    if show_labels:
        headers.append("LABELS")
    return headers


def object_row(kind: Kind, obj: Obj, now: datetime, *, wide: bool, with_namespace: bool, show_kind: bool,
               label_columns: list[str], show_labels: bool) -> list[str]:
    cells = []
    for column in kind.columns:
        if not wide and column.priority != 0:
            continue
        cell = (column.wide_cell or column.cell)(obj, now) if wide else column.cell(obj, now)
        if show_kind and column.name == "Name":
            cell = f"{kind.name_prefix}/{cell}"
        cells.append(cell)
    labels = obj.get("metadata", {}).get("labels") or {}
    if with_namespace:
        cells.insert(0, obj.get("metadata", {}).get("namespace", ""))
    cells += [str(labels.get(key, "")) for key in label_columns]
    if show_labels:
        cells.append(",".join(f"{k}={v}" for k, v in sorted(labels.items())) or "<none>")
    return cells


def render_table(kind: Kind, objects: list[Obj], now: datetime, *, wide: bool = False,
                 with_namespace: bool = False, show_kind: bool = False, label_columns: list[str] | None = None,
                 show_labels: bool = False, no_headers: bool = False) -> str:
    """One kind's block of a ``get`` output, laid out by its own tabwriter."""
    label_columns = label_columns or []
    rows = []
    if not no_headers:
        rows.append(header_row(kind, wide=wide, with_namespace=with_namespace, label_columns=label_columns,
                               show_labels=show_labels))
    for obj in objects:
        rows.append(object_row(kind, obj, now, wide=wide, with_namespace=with_namespace, show_kind=show_kind,
                               label_columns=label_columns, show_labels=show_labels))
    return format_rows(rows)
