"""``kubesim annotate``: add, change or remove annotations."""

from __future__ import annotations

from kubesim.cli.app import Verb, verb_app
from kubesim.cli.metadata_edit import Changes, metadata_command
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


EXAMPLES = """  # Update pod 'foo' with the annotation 'description' and the value 'my frontend'
  kubesim annotate pods foo description='my frontend'

  # Annotate pod 'kubia-manual' with a description
  kubesim annotate pod kubia-manual mycompany.com/someannotation="foo bar"

  # Update pod 'foo' by removing an annotation named 'description' if it exists
  kubesim annotate pods foo description-
"""

app = verb_app()
app.command("annotate", cls=Verb, epilog=EXAMPLES, help="Update the annotations on one or more resources.")(metadata_command("annotations", "annotation", decide))
