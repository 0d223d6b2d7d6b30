"""``kubesim create secret tls|generic NAME``: kubectl's secret generators, with their checks and words.

``tls`` reads ``--cert`` and ``--key`` and checks them as kubectl does before anything is sent (Go's
``tls.X509KeyPair``: both PEM, the key the certificate's), then stores them as ``tls.crt`` and
``tls.key`` in a ``kubernetes.io/tls`` Secret. ``generic`` builds an Opaque Secret from
``--from-literal=KEY=VALUE`` and ``--from-file=[KEY=]PATH`` (a file's base name is its key).
Files are read from your machine, relative to the working directory, as kubectl reads them.
"""

from __future__ import annotations

import base64
import os

from kubesim.cli.context import Invocation
from kubesim.errors import KubectlError, UsageError

KINDS = ("docker-registry", "generic", "tls")
TLS_ONLY = ("cert", "key")
GENERIC_ONLY = ("from_literal", "from_file", "secret_type")
FLAG_NAMES = {"cert": "--cert", "key": "--key", "from_literal": "--from-literal", "from_file": "--from-file",
              "secret_type": "--type"}


def refuse_secret_flags(inv: Invocation, allowed: tuple[str, ...], command: str) -> None:
    """pflag knows these flags only on their own subcommand: elsewhere they are unknown."""
    from kubesim.cli.grammar import FlagError

    for name in (*TLS_ONLY, *GENERIC_ONLY):
        if name not in allowed and inv.options.get(name):
            raise FlagError(f"unknown flag: {FLAG_NAMES[name]}", command)


def run(inv: Invocation) -> int:
    words = inv.args[1:]
    if not words or words[0] not in KINDS:
        if words:
            raise UsageError(f'unknown command "{" ".join(words)}"', "kubesim create secret")
        raise UsageError("a secret type is required: one of docker-registry, generic, tls", "kubesim create secret")
    kind, names = words[0], words[1:]
    command = f"kubesim create secret {kind}"
    if kind == "docker-registry":
        raise KubectlError("kubesim does not simulate 'create secret docker-registry'; write the Secret "
                           "in a manifest instead")
    refuse_secret_flags(inv, TLS_ONLY if kind == "tls" else GENERIC_ONLY, command)
    if len(names) != 1:
        raise UsageError(f"exactly one NAME is required, got {len(names)}", command)
    secret = _tls(inv, names[0]) if kind == "tls" else _generic(inv, names[0])
    return _create(inv, secret)


READ_FAILURES = ((FileNotFoundError, "open", "no such file or directory"), (IsADirectoryError, "read", "is a directory"),
                 (PermissionError, "open", "permission denied"))


def _read(path: str, say) -> bytes:
    """A file's bytes; when it cannot be read, KubectlError(say(operation, reason)) in Go's words."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        operation, reason = next(((op, why) for kind, op, why in READ_FAILURES if isinstance(error, kind)),
                                 ("open", (error.strerror or "input/output error").lower()))
        raise KubectlError(say(operation, reason)) from None


def _tls(inv: Invocation, name: str) -> dict:
    from kubesim.net import tls

    cert_path, key_path = inv.options.get("cert") or "", inv.options.get("key") or ""
    if not cert_path or not key_path:
        raise KubectlError("key and cert must be specified")
    contents = [_read(path, lambda op, why, path=path: f"Cannot read file {path}, {op} {path}: {why}")
                for path in (cert_path, key_path)]
    try:
        tls.check_pair(contents[0], contents[1])
    except tls.TLSError as problem:
        raise KubectlError(str(problem)) from None
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name},
            "data": {"tls.crt": _b64(contents[0]), "tls.key": _b64(contents[1])}, "type": "kubernetes.io/tls"}


def _generic(inv: Invocation, name: str) -> dict:
    data: dict[str, str] = {}

    def add(key: str, value: bytes) -> None:
        from kubesim.api.validation import is_config_map_key

        problems = is_config_map_key(key)
        if problems:
            raise KubectlError(f'"{key}" is not valid key name for a Secret {problems[0]}')
        if key in data:
            raise KubectlError(f"cannot add key {key}, another key by that name already exists")
        data[key] = _b64(value)

    for source in inv.options.get("from_file") or []:
        key, equals, path = source.partition("=")
        if not equals:
            key, path = os.path.basename(source.rstrip("/")), source
        elif not key or "=" in path:
            raise KubectlError("key names or file paths cannot contain '='")
        if os.path.isdir(path):
            raise KubectlError(f"kubesim does not read directories for --from-file ({path}); name the files")
        add(key, _read(path, lambda op, why, path=path: f"error reading {path}: {why}"))
    for literal in inv.options.get("from_literal") or []:
        key, equals, value = literal.partition("=")
        if not equals or not key:
            raise KubectlError(f"invalid literal source {literal}, expected key=value")
        add(key, value.encode())
    secret: dict = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}}
    if data:
        secret["data"] = data
    if inv.options.get("secret_type"):
        secret["type"] = inv.options["secret_type"]
    return secret


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


def _create(inv: Invocation, secret: dict) -> int:
    import copy

    from kubesim.api.errors import ApiError
    from kubesim.api.registry import kind_named
    from kubesim.cli.writing import dry_run_mode
    from kubesim.printers.output import OutputFormat, render_results

    fmt = OutputFormat.parse_generic(inv.options["output"])
    dry_run = dry_run_mode(inv)
    kind = kind_named("Secret")
    if dry_run == "client":
        created = copy.deepcopy(secret)
    else:
        try:
            with inv.cluster.api(write=True) as api:
                created = api.create(secret, inv.namespace, dry_run=dry_run == "server")
        except ApiError as error:
            # kubectl's generators wrap the server's answer: "failed to create secret <message>".
            raise KubectlError(f"failed to create secret {error.message}") from None
    if fmt.name == "json":
        inv.out(_struct_json(created))  # a typed v1.Secret: fields in Go's struct order, not sorted
        return 0
    inv.out(render_results(fmt, [(kind, created)], "created", dry_run))
    return 0


SECRET_FIELDS = ("kind", "apiVersion", "metadata", "immutable", "data", "type")
META_FIELDS = ("name", "generateName", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp",
               "labels", "annotations")


def _struct_json(secret: dict) -> str:
    """``kubectl create secret -o json``: the generator's (or the server's) typed object, as encoding/json
    writes a struct - declared field order, maps sorted - with Go's HTML escaping."""
    import json

    def ordered(obj: dict, fields: tuple[str, ...]) -> dict:
        return {name: obj[name] for name in fields if obj.get(name) not in (None, "", {})}

    shaped = ordered(secret, SECRET_FIELDS)
    shaped["metadata"] = ordered(secret.get("metadata") or {}, META_FIELDS)
    if "data" in shaped:
        shaped["data"] = dict(sorted(shaped["data"].items()))
    text = json.dumps(shaped, indent=4, ensure_ascii=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    return text + "\n"
