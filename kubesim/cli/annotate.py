"""``kubesim annotate``: add, change or remove annotations."""

from __future__ import annotations

from kubesim.cli.context import Invocation
from kubesim.cli.flags import Command, Flag
from kubesim.cli.metadata_edit import COMMON_FLAGS, Changes, edit_metadata
from kubesim.errors import KubectlError


def decide(annotations: dict, changes: Changes, overwrite: bool) -> str:
    """Change ``annotations`` in place; kubectl says ``annotated`` whatever changed."""
    clashes = [key for key, value in changes.set.items()
               if key in annotations and annotations[key] != value and not overwrite]
    if clashes:
        found = ", ".join(f"'{key}' already has a value ({annotations[key]})" for key in clashes)
        raise KubectlError(f"--overwrite is false but found the following declared annotation(s): {found}")
    annotations.update(changes.set)
    for key in changes.remove:
        annotations.pop(key, None)
    return "annotated"


def run(inv: Invocation) -> int:
    return edit_metadata(inv, "annotations", "annotation", decide)


COMMAND = Command(
    name="annotate",
    summary="Update the annotations on a resource",
    usage="annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N",
    flags=(*COMMON_FLAGS, Flag("list", "", "bool", False, help="If true, display the annotations for a given resource")),
    run=run,
    examples="  # Annotate pod 'kubia-manual' with a description\n"
             "  kubesim annotate pod kubia-manual mycompany.com/someannotation=\"foo bar\"\n",
)
