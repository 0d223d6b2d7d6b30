"""Generate ``kubesim/api/schema.json``: the field names of every type reachable from our kinds.

The API server rejects unknown fields (kubectl's default ``--validate=strict``); kubesim needs the
field names of each API type to do the same. They come from the model classes of the official
``kubernetes`` Python client (its ``openapi_types`` and ``attribute_map``), which are generated
from the Kubernetes OpenAPI document of one release. The client is read, never imported or
installed: its model files are parsed with ``ast``. It is not a dependency of kubesim.

Regenerate (the client's major version tracks the Kubernetes minor: 36.x = Kubernetes 1.36):

    pip download --no-deps -d /tmp/k8s kubernetes==36.0.3
    python tools/gen_schema.py /tmp/k8s/kubernetes-36.0.3-py2.py3-none-any.whl

The output maps each type to ``{jsonField: ref}`` where ``ref`` is ``0`` for a free-form value (an
``object``, an int-or-string), ``"=s"``/``"=i"``/``"=b"``/``"=n"`` for a string, integer, boolean or
other number, a type name for a nested object, and ``"[" + ref`` / ``"{" + ref`` for a list or a map
of such values. The API server's decoder reports a value of the wrong type; kubesim does the same.
"""

from __future__ import annotations

import ast
import json
import sys
import zipfile
from pathlib import Path

ROOTS = {
    "v1/Pod": "V1Pod",
    "v1/Service": "V1Service",
    "v1/Endpoints": "V1Endpoints",
    "v1/Namespace": "V1Namespace",
    "v1/Node": "V1Node",
    "v1/Secret": "V1Secret",
    "v1/ConfigMap": "V1ConfigMap",
    "v1/Event": "CoreV1Event",
    "v1/ReplicationController": "V1ReplicationController",
    "apps/v1/ReplicaSet": "V1ReplicaSet",
    "apps/v1/Deployment": "V1Deployment",
    "discovery.k8s.io/v1/EndpointSlice": "V1EndpointSlice",
    "networking.k8s.io/v1/Ingress": "V1Ingress",
    "networking.k8s.io/v1/IngressClass": "V1IngressClass",
}
SCALARS = {"str": "=s", "datetime": "=s", "date": "=s", "int": "=i", "bool": "=b", "float": "=n"}
OUTPUT = Path(__file__).resolve().parent.parent / "kubesim" / "api" / "schema.json"


def _literal_dict(node: ast.AST) -> dict[str, str]:
    value = ast.literal_eval(node)
    if not isinstance(value, dict):
        raise ValueError("expected a dict literal")
    return value


def read_models(sources: dict[str, str]) -> dict[str, dict[str, str]]:
    """Class name → {JSON field name: OpenAPI type string}, from the generated model sources."""
    models: dict[str, dict[str, str]] = {}
    for text in sources.values():
        for node in ast.parse(text).body:
            if not isinstance(node, ast.ClassDef):
                continue
            found: dict[str, dict[str, str]] = {}
            for statement in node.body:
                if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                    target = statement.targets[0]
                    if isinstance(target, ast.Name) and target.id in ("openapi_types", "attribute_map"):
                        found[target.id] = _literal_dict(statement.value)
            if "openapi_types" in found and "attribute_map" in found:
                types, names = found["openapi_types"], found["attribute_map"]
                models[node.name] = {names[attr]: types[attr] for attr in types}
    return models


def ref(type_string: str) -> str | int:
    """Compress an OpenAPI type string into the schema's reference form."""
    if type_string.startswith("list[") and type_string.endswith("]"):
        inner = ref(type_string[5:-1])
        return 0 if inner == 0 else f"[{inner}"
    if type_string.startswith("dict[") and type_string.endswith("]"):
        inner = ref(type_string[5:-1].split(",", 1)[1].strip())
        return 0 if inner == 0 else f"{{{inner}"
    if type_string == "object":
        return 0
    if type_string in SCALARS:
        return SCALARS[type_string]
    return type_string


def build(models: dict[str, dict[str, str]]) -> dict[str, object]:
    """Keep only the types reachable from ROOTS."""
    types: dict[str, dict[str, str | int]] = {}
    pending = list(ROOTS.values())
    while pending:
        name = pending.pop()
        if name in types:
            continue
        fields = {field: ref(type_string) for field, type_string in sorted(models[name].items())}
        types[name] = fields
        for value in fields.values():
            if isinstance(value, str) and not value.lstrip("[{").startswith("="):
                pending.append(value.lstrip("[{"))
    return {"roots": ROOTS, "types": dict(sorted(types.items()))}


def sources_from(path: Path) -> dict[str, str]:
    """Model sources from a client wheel or an unpacked ``kubernetes`` package directory."""
    if path.is_file():
        with zipfile.ZipFile(path) as wheel:
            return {n: wheel.read(n).decode() for n in wheel.namelist()
                    if n.startswith("kubernetes/client/models/") and n.endswith(".py")}
    models = path / "kubernetes" / "client" / "models" if (path / "kubernetes").is_dir() else path
    return {str(p): p.read_text() for p in models.glob("*.py")}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    schema = build(read_models(sources_from(Path(argv[1]))))
    OUTPUT.write_text(json.dumps(schema, separators=(",", ":"), sort_keys=False) + "\n")
    print(f"wrote {OUTPUT} ({len(schema['types'])} types)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
