"""``kubesim create -f``: create each object of the given manifests."""

from __future__ import annotations

import copy
import json
from typing import Annotated

import typer

from kubesim.api.registry import Kind, Obj
from kubesim.cli.app import Verb, verb_app
from kubesim.cli.context import Invocation, run_verb
from kubesim.cli.options import DryRun, FieldManager, Filename, Output, Recursive, Selector, Validate
from kubesim.cli.writing import (
    dry_run_mode,
    field_validation,
    for_each_manifest,
)
from kubesim.printers.output import OutputFormat, render_results

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def run(inv: Invocation) -> int:
    from kubesim.cli.create_secret import refuse_secret_flags

    if inv.args and inv.args[0] == "secret":
        from kubesim.cli.create_secret import run as create_secret

        return create_secret(inv)
    refuse_secret_flags(inv, (), "kubesim create")
    if inv.args and inv.args[0] in ("namespace", "ns"):
        return _create_namespace(inv)
    fmt = OutputFormat.parse_generic(inv.options["output"])
    dry_run = dry_run_mode(inv)
    validation = field_validation(inv)

    def create_one(kind: Kind, obj: Obj, namespace: str, source: str) -> None:
        if inv.options["save_config"]:
            obj = with_last_applied(obj, namespace if kind.namespaced else None)
        if dry_run == "client":
            created = copy.deepcopy(obj)
        else:
            with inv.cluster.api(write=True) as api:
                created = api.create(obj, namespace, dry_run=dry_run == "server", field_validation=validation)
                inv.warn(api.warnings)
        inv.out(render_results(fmt, [(kind, created)], "created", dry_run))

    for_each_manifest(inv, "create", "creating", create_one)
    return 0


def with_last_applied(obj: Obj, namespace: str | None) -> Obj:
    """The object carrying kubectl's last-applied-configuration annotation, as apply and --save-config set it."""
    applied = copy.deepcopy(obj)
    metadata = applied.setdefault("metadata", {})
    annotations = metadata.setdefault("annotations", {})
    annotations.pop(LAST_APPLIED, None)
    if namespace is not None and not metadata.get("namespace"):
        metadata["namespace"] = namespace
    text = json.dumps(applied, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
    result = copy.deepcopy(obj)
    result_metadata = result.setdefault("metadata", {})
    if namespace is not None and not result_metadata.get("namespace"):
        result_metadata["namespace"] = namespace
    result_metadata.setdefault("annotations", {})[LAST_APPLIED] = text
    return result


def _create_namespace(inv: Invocation) -> int:
    from kubesim.errors import UsageError

    if len(inv.args) != 2:
        raise UsageError("exactly one NAME is required, got " + str(len(inv.args) - 1), "kubesim create namespace")
    fmt = OutputFormat.parse_generic(inv.options["output"])
    dry_run = dry_run_mode(inv)
    obj = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": inv.args[1]}}
    from kubesim.api.registry import kind_named

    kind = kind_named("Namespace")
    if dry_run != "client":
        with inv.cluster.api(write=True) as api:
            obj = api.create(obj, dry_run=dry_run == "server")
    inv.out(render_results(fmt, [(kind, obj)], "created", dry_run))
    return 0


app = verb_app()

EXAMPLES = """  # Create a pod using the data in pod.json
  kubesim create -f ./pod.json

  # Create a pod based on the JSON passed into stdin
  cat pod.json | kubesim create -f -

  # Create a service using the data in kubia-svc.yaml
  kubesim create -f kubia-svc.yaml

  # Create a namespace
  kubesim create namespace custom-namespace

  # Create a TLS secret from a certificate and its key (PEM files)
  kubesim create secret tls tls-secret --cert=tls.cert --key=tls.key
"""


@app.command("create", cls=Verb, epilog=EXAMPLES,
             help="Create a resource from a file or from stdin. JSON and YAML formats are accepted.")
def create(
    generator: Annotated[list[str] | None, typer.Argument(
        metavar="-f FILENAME | namespace NAME | secret (generic|tls) NAME", show_default=False)] = None,
    filename: Filename = None,
    recursive: Recursive = False,
    dry_run: DryRun = "none",
    validate: Validate = "strict",
    output: Output = None,
    selector: Selector = None,
    field_manager: FieldManager = None,
    save_config: Annotated[bool, typer.Option(
        "--save-config", help="If true, the configuration of current object will be saved in its annotation. "
                              "Otherwise, the annotation will be unchanged. This flag is useful when you want "
                              "to perform kubectl apply on this object in the future.")] = False,
    edit: Annotated[bool, typer.Option(
        "--edit", help="Edit the API resource before creating (not supported by kubesim).")] = False,
    cert: Annotated[str | None, typer.Option(
        "--cert", show_default=False, help="create secret tls: path to PEM encoded public key certificate.")] = None,
    key: Annotated[str | None, typer.Option(
        "--key", show_default=False, help="create secret tls: path to private key associated with given certificate.")] = None,
    from_literal: Annotated[list[str] | None, typer.Option(
        "--from-literal", show_default=False,
        help="create secret generic: specify a key and literal value to insert in secret (i.e. mykey=somevalue)")] = None,
    from_file: Annotated[list[str] | None, typer.Option(
        "--from-file", show_default=False,
        help="create secret generic: key files can be specified using their file path, in which case a default name "
             "will be given to them, or optionally with a name and file path, in which case the given name will be "
             "used.")] = None,
    secret_type: Annotated[str | None, typer.Option(
        "--type", show_default=False, help="create secret generic: the type of secret to create")] = None,
) -> int:
    return run_verb(run)
