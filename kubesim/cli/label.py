"""``kubesim label``: add, change or remove labels."""

from __future__ import annotations

from kubesim.cli.context import Invocation
from kubesim.cli.flags import Command, Flag
from kubesim.cli.metadata_edit import COMMON_FLAGS, Changes, edit_metadata
from kubesim.errors import KubectlError


def decide(labels: dict, changes: Changes, overwrite: bool) -> str:
    """Change ``labels`` in place and say what kubectl 1.36 prints: labeled, unlabeled, modified, not labeled."""
    added = removed = False
    for key, value in changes.set.items():
        if key in labels and labels[key] != value and not overwrite:
            raise KubectlError(f"'{key}' already has a value ({labels[key]}), and --overwrite is false")
        if labels.get(key) != value:
            labels[key] = value
            added = True
    for key in changes.remove:
        if key in labels:
            del labels[key]
            removed = True
    if added and removed:
        return "modified"
    if added:
        return "labeled"
    if removed:
        return "unlabeled"
    return "not labeled"


def run(inv: Invocation) -> int:
    return edit_metadata(inv, "labels", "label", decide)


COMMAND = Command(
    name="label",
    summary="Update the labels on a resource",
    usage="label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N",
    flags=(*COMMON_FLAGS, Flag("list", "", "bool", False, help="If true, display the labels for a given resource")),
    run=run,
    examples="  # Update pod 'kubia-manual' with the label 'creation_method' and the value 'manual'\n"
             "  kubesim label po kubia-manual creation_method=manual\n",
)
