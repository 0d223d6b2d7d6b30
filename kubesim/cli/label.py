"""``kubesim label``: add, change or remove labels."""

from __future__ import annotations

from kubesim.cli.app import Verb, verb_app
from kubesim.cli.metadata_edit import Changes, metadata_command
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


EXAMPLES = """  # Update pod 'foo' with the label 'unhealthy' and the value 'true'
  kubesim label pods foo unhealthy=true

  # Update pod 'kubia-manual' with the label 'creation_method' and the value 'manual'
  kubesim label po kubia-manual creation_method=manual

  # Update pod 'foo' by removing a label named 'bar' if it exists
  kubesim label pods foo bar-
"""

app = verb_app()
app.command("label", cls=Verb, epilog=EXAMPLES, help="Update the labels on a resource.")(metadata_command("labels", "label", decide))
