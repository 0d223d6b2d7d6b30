"""``kubesim edit``: open objects in the user's editor and save what they change, as kubectl does.

The editor is a real program on the host, started the way kubectl starts it: ``$KUBE_EDITOR``, else
``$EDITOR``, else ``vi``; a command with spaces is split at the spaces, and one with quotes or a
backslash is handed to ``$SHELL -c`` (so ``KUBE_EDITOR="sed -i 's/replicas: 3/replicas: 4/'"`` works).
It gets the terminal: under the command server the worker holds the client's descriptors, so the
editor does too. When the API server refuses a change the file is opened again with the reasons at
its top; saving it unchanged gives up.
"""

from __future__ import annotations

import copy
import os
from typing import Annotated

import typer

from kubesim.api.errors import ApiError
from kubesim.api.registry import Kind, Obj
from kubesim.cli.app import Verb, verb_app
from kubesim.cli.completion import resource_words
from kubesim.cli.context import Invocation, run_verb
from kubesim.cli.options import (
    AllowMissingTemplateKeys,
    FieldManager,
    Filename,
    Output,
    Recursive,
    ShowManagedFields,
    Template,
    Validate,
)
from kubesim.errors import ExitWith, KubectlError

HEADER = ("# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
          "# and an empty file will abort the edit. If an error occurs while saving this file will be\n"
          "# reopened with the relevant failures.\n#\n")


class Reason:
    """One failure shown at the top of the re-opened file: a head line and its details."""

    def __init__(self, head: str, other: list[str] | None = None) -> None:
        self.head = head
        self.other = other or []

    def text(self) -> str:
        lines = f"# {_hash_breaks(self.head)}{':' if self.other else ''}\n"
        lines += "".join(f"# * {_hash_breaks(item)}\n" for item in self.other)
        return lines + "#\n"


def _hash_breaks(text: str) -> str:
    return text.replace("\n", "\n# ")


def editor_command(variables: dict[str, str]) -> tuple[list[str], bool]:
    """kubectl's defaultEnvEditor: the editor's words, and whether they go through the shell."""
    editor = variables.get("KUBE_EDITOR") or variables.get("EDITOR") or "vi"
    if " " not in editor:
        return [editor], False
    if not any(ch in editor for ch in "\"'\\"):
        return editor.split(" "), False
    shell = variables.get("SHELL") or "/bin/bash"
    return [shell, "-c", editor], True


def editor_arguments(words: list[str], shell: bool, path: str) -> list[str]:
    """The file is the editor's last argument (quoted Go's %q way inside a shell command)."""
    import json

    if shell:
        return [*words[:-1], f"{words[-1]} {json.dumps(path)}"]
    return [*words, path]


def launch_editor(inv: Invocation, path: str) -> None:
    """Run the editor on ``path`` with the user's terminal and environment; kubectl's error if it fails."""
    import subprocess

    words, shell = editor_command(inv.env.variables)
    argv = editor_arguments(words, shell, path)
    inv.env.stdout.flush()
    inv.env.stderr.flush()
    # In the terminal's foreground group Ctrl-C reaches the editor and everything it started, as under
    # kubectl. A command server's worker is outside that group: the client forwards Ctrl-C to the
    # worker, which passes it on to the editor's own group.
    own_group = not _in_foreground()
    try:
        child = subprocess.Popen(argv, env=dict(inv.env.variables), stdin=0, stdout=1, stderr=2,
                                 process_group=0 if own_group else None)
    except OSError:
        raise KubectlError(f'unable to launch the editor "{" ".join(words)}"') from None
    try:
        code = child.wait()
    except KeyboardInterrupt:
        import signal

        if own_group:
            try:
                os.killpg(child.pid, signal.SIGINT)
            except OSError:
                pass  # the group has gone already
        child.kill()  # as kubectl's interrupt handler does, then it leaves
        child.wait()
        raise
    if code != 0:
        raise KubectlError(f'there was a problem with the editor "{" ".join(words)}"')


def _in_foreground() -> bool:
    """Whether this process is in its terminal's foreground process group (False without a terminal)."""
    try:
        return os.tcgetpgrp(0) == os.getpgrp()
    except OSError:
        return False


def strip_comments(text: str) -> str:
    """kubectl's StripComments: drop lines whose first character is ``#``."""
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))


def _render(objects: list[Obj], as_json: bool) -> str:
    from kubesim.printers.output import as_list

    data = objects[0] if len(objects) == 1 else as_list(objects)
    if as_json:
        from kubesim.printers.json_output import to_json

        return to_json(data)
    from kubesim.printers.yaml_output import to_yaml

    return to_yaml(data)


def _temp_file(inv: Invocation, suffix: str) -> str:
    import tempfile

    folder = inv.env.variables.get("TMPDIR") or "/tmp"
    handle, path = tempfile.mkstemp(prefix="kubesim-edit-", suffix=suffix, dir=folder)
    os.close(handle)
    return path


def run(inv: Invocation) -> int:
    from kubesim.cli.metadata_edit import targets
    from kubesim.cli.writing import field_validation

    opts = inv.options
    as_json = opts["output"] == "json"
    if opts["output"] not in (None, "", "yaml", "json"):
        raise KubectlError(f"the edit mode doesn't support output format {opts['output']!r}; use yaml or json"
                           .replace("'", '"'))
    validation = field_validation(inv)
    with inv.cluster.api() as api:
        found = targets(inv, api, inv.args)
    if not found:
        raise KubectlError("edit cancelled, no objects found")
    pending: list[tuple[Kind, Obj]] = []
    for kind, obj in found:
        if not opts["show_managed_fields"]:
            obj.get("metadata", {}).pop("managedFields", None)
        pending.append((kind, obj))
    originals = {_key(kind, obj): copy.deepcopy(obj) for kind, obj in pending}
    path = _temp_file(inv, ".json" if as_json else ".yaml")
    reasons: list[Reason] = []
    body = _render([obj for _, obj in pending], as_json)
    last_saved: str | None = None
    while True:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(HEADER + "".join(reason.text() for reason in reasons) + body)
        try:
            launch_editor(inv, path)
        except KubectlError as error:
            inv.err(f'A copy of your changes has been stored to "{path}"\n')
            raise error from None
        with open(path, encoding="utf-8", errors="surrogateescape") as handle:
            edited = handle.read()
        content = strip_comments(edited)
        if last_saved is not None and content == strip_comments(last_saved):
            inv.err(f'A copy of your changes has been stored to "{path}"\n')
            raise KubectlError("Edit cancelled, no valid changes were saved.")
        if content == strip_comments(body):
            os.remove(path)
            inv.err("Edit cancelled, no changes made.\n")
            return 0
        if not content.strip():
            os.remove(path)
            inv.err("Edit cancelled, saved file was empty.\n")
            return 0
        last_saved = edited
        try:
            objects = _decode(content, path)
        except KubectlError as error:
            reasons = [Reason(f"The edited file had a syntax error: {error.message}")]
            continue
        reasons, retry = _save(inv, pending, objects, originals, validation)
        if not retry:
            os.remove(path)
            return 0
        pending = retry
        body = _render([obj for _, obj in retry], as_json)


def _key(kind: Kind, obj: Obj) -> tuple[str, str, str]:
    metadata = obj.get("metadata") or {}
    return kind.resource, str(metadata.get("namespace", "")), str(metadata.get("name", ""))


def _decode(content: str, path: str) -> list[Obj]:
    from kubesim.cli.manifests import decode_text

    return decode_text(content, path)


def _save(inv: Invocation, pending: list[tuple[Kind, Obj]], objects: list[Obj], originals: dict,
          validation: str) -> tuple[list[Reason], list[tuple[Kind, Obj]]]:
    """Send each edited object; print kubectl's line for each; the reasons and objects to edit again."""
    from kubesim.printers.output import OutputFormat, render_results

    human = OutputFormat.parse_generic(None)
    if len(objects) != len(pending):
        raise KubectlError("At least one of apiVersion, kind and name was changed")
    reasons: list[Reason] = []
    retry: list[tuple[Kind, Obj]] = []
    for (kind, before), edited in zip(pending, objects, strict=True):
        if (edited.get("apiVersion"), edited.get("kind"), (edited.get("metadata") or {}).get("name")) != (
                before.get("apiVersion"), before.get("kind"), before["metadata"]["name"]):
            raise KubectlError("At least one of apiVersion, kind and name was changed")
        original = originals[_key(kind, before)]
        if edited == original:
            inv.out(render_results(human, [(kind, edited)], "skipped"))
            continue
        resource = kind.resource
        name = before["metadata"]["name"]
        try:
            with inv.cluster.api(write=True) as api:
                saved = api.update(_merged(api, kind, original, edited), field_validation=validation)
                inv.warn(api.warnings)
        except ApiError as error:
            if error.reason == "Invalid":
                reasons.append(Reason(f'{resource} "{name}" was not valid',
                                      [cause.message() for cause in error.causes]))
                retry.append((kind, edited))
                inv.err(f'error: {resource} "{name}" is invalid\n')
            elif error.reason == "NotFound":
                inv.err(f'error: {resource} "{name}" could not be found on the server\n')
                raise ExitWith(1) from None
            else:
                inv.err(f'error: {resource} "{name}" could not be patched: {error.message}\n')
                raise ExitWith(1) from None
            continue
        inv.out(render_results(human, [(kind, saved)], "edited"))
    return reasons, retry


def _merged(api, kind: Kind, original: Obj, edited: Obj) -> Obj:
    """What the patch from ``original`` to ``edited`` makes of the stored object (kubectl sends that patch,
    so a change made by a controller meanwhile is kept, and only an edited resourceVersion conflicts)."""
    from kubesim.api.merge import three_way_merge

    live = api.get(kind, original["metadata"].get("namespace"), original["metadata"]["name"])
    merged = three_way_merge(live, original, edited)
    version = edited.get("metadata", {}).get("resourceVersion")
    if version == original["metadata"].get("resourceVersion"):
        merged["metadata"]["resourceVersion"] = live["metadata"]["resourceVersion"]
    merged.pop("status", None)  # the main resource ignores status
    return merged


app = verb_app()

EXAMPLES = """  # Edit the service named 'kubia'
  kubesim edit svc/kubia

  # Use an alternative editor
  KUBE_EDITOR="nano" kubesim edit svc/kubia

  # Edit the replication controller 'kubia' in JSON
  kubesim edit rc/kubia -o json

  # Set the replicas from a script: an editor with quotes runs through the shell
  KUBE_EDITOR="sed -i 's/replicas: 3/replicas: 4/'" kubesim edit rc kubia
"""


@app.command("edit", cls=Verb, epilog=EXAMPLES,
             help="Edit a resource from the default editor.\n\nThe edit command allows you to directly edit any API "
                  "resource you can retrieve via the command-line tools. It will open the editor defined by your "
                  "KUBE_EDITOR, or EDITOR environment variables, or fall back to 'vi'. You can edit multiple "
                  "objects, although changes are applied one at a time.")
def edit(
    resources: Annotated[list[str] | None, resource_words("(RESOURCE/NAME | -f FILENAME)")] = None,
    filename: Filename = None,
    recursive: Recursive = False,
    output: Output = None,
    validate: Validate = "strict",
    save_config: Annotated[bool, typer.Option(
        "--save-config", help="If true, the configuration of current object will be saved in its annotation. "
                              "Otherwise, the annotation will be unchanged.")] = False,
    windows_line_endings: Annotated[bool, typer.Option(
        "--windows-line-endings", help="Defaults to the line ending native to your platform.")] = False,
    output_patch: Annotated[bool, typer.Option(
        "--output-patch", help="Output the patch if the resource is edited.")] = False,
    subresource: Annotated[str | None, typer.Option(
        "--subresource", show_default=False,
        help="If specified, edit will operate on the subresource of the requested object.")] = None,
    field_manager: FieldManager = None,
    show_managed_fields: ShowManagedFields = False,
    template: Template = None,
    allow_missing_template_keys: AllowMissingTemplateKeys = True,
) -> int:
    return run_verb(run)
