"""Strict field validation: unknown fields in the server's order, and every book manifest's fields."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kubesim.api import schema
from kubesim.api.schema import unknown_fields
from tests.api.corpus import all_manifests, manifest

REPO = Path(__file__).resolve().parents[2]
SERVED = {"apps/v1beta2": "apps/v1", "extensions/v1beta1": "networking.k8s.io/v1"}


def served(api_version: str) -> str:
    """The old manifests' kinds under the versions a 1.36 server serves them (only fields matter here)."""
    return SERVED.get(api_version, api_version)


@pytest.mark.parametrize("name, obj", all_manifests(), ids=[name for name, _ in all_manifests()])
def test_every_field_of_the_books_manifests_is_known(name, obj):
    found = unknown_fields(served(obj["apiVersion"]), obj["kind"], obj)
    if name == "Chapter05/kubia-svc-publish-not-ready.yaml":
        assert found == ["spec.publishNotReadyEndpoints"]
    elif name.startswith("Chapter05/kubia-ingress"):
        assert found == ["spec.rules[0].http.paths[0].backend.serviceName",
                         "spec.rules[0].http.paths[0].backend.servicePort"]
    else:
        assert found == []


def test_misspelled_fields_are_reported_depth_first_in_sorted_order():
    obj = manifest("Chapter05/kubia-svc-nodeport.yaml")
    obj["spec"]["ports"][0]["nodeport"] = obj["spec"]["ports"][0].pop("nodePort")
    obj["spec"]["prots"] = []
    obj["metadata"]["foo"] = 1
    obj["Spec"] = {}
    assert unknown_fields("v1", "Service", obj) == ["Spec", "metadata.foo", "spec.ports[0].nodeport", "spec.prots"]


def test_nested_types_lists_and_maps():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"labels": {"any": "thing"}, "annotations": {"a": "b"}},
           "spec": {"containers": [{"name": "c", "image": "i", "ports": [{"containerPort": 80, "hostport": 1}],
                                    "livenessProbe": {"httpGet": {"port": "http", "paths": "/"}},
                                    "resources": {"limits": {"cpu": "1"}, "requests": {"memory": "1Mi"}}}],
                    "volumes": [{"name": "v", "configMap": {"name": "x", "itemz": []}}]}}
    assert unknown_fields("v1", "Pod", pod) == [
        "spec.containers[0].livenessProbe.httpGet.paths", "spec.containers[0].ports[0].hostport",
        "spec.volumes[0].configMap.itemz"]


def test_free_form_and_int_or_string_fields_accept_anything():
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"managedFields": [
        {"manager": "kubectl", "fieldsV1": {"f:spec": {"f:replicas": {}}}}]},
        "spec": {"strategy": {"rollingUpdate": {"maxSurge": {"weird": 1}, "maxUnavailable": 1}}}}
    assert unknown_fields("apps/v1", "Deployment", deployment) == []


def test_wrong_shapes_and_unserved_kinds_are_not_unknown_fields():
    assert unknown_fields("v1", "Service", {"spec": "text", "metadata": [1]}) == []
    assert unknown_fields("extensions/v1beta1", "Ingress", {"spec": {"x": 1}}) == []
    assert unknown_fields("v1", "Service", {"spec": {"ports": "80"}}) == []


def test_every_served_kind_has_a_root_type():
    from kubesim.api.registry import all_kinds

    for kind in all_kinds():
        assert schema.root_type(kind.api_version, kind.kind), kind.kind
        assert unknown_fields(kind.api_version, kind.kind, {"apiVersion": kind.api_version, "kind": kind.kind,
                                                             "metadata": {"name": "x"}}) == []


def test_schema_loads_lazily_from_a_compact_file():
    code = ("import sys, kubesim.api.schema as s; assert s._schema.cache_info().currsize == 0; "
            "from kubesim.api.registry import all_kinds; all_kinds(); "
            "assert s._schema.cache_info().currsize == 0; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "ok"
    text = Path(schema.SCHEMA_FILE).read_text()
    assert "\n" not in text.strip() and len(text) < 64 * 1024


def test_generator_rebuilds_the_same_file_from_model_sources(tmp_path, monkeypatch):
    """tools/gen_schema.py reads openapi_types/attribute_map without importing the client."""
    sys.path.insert(0, str(REPO / "tools"))
    try:
        import gen_schema
    finally:
        sys.path.pop(0)
    models = {
        "V1Thing": ("V1Thing", {"api_version": "str", "spec": "V1ThingSpec", "items": "list[V1Item]",
                                "by_name": "dict[str, V1Item]", "free": "object", "tags": "list[str]"},
                    {"api_version": "apiVersion", "spec": "spec", "items": "items", "by_name": "byName",
                     "free": "free", "tags": "tags"}),
        "V1ThingSpec": ("V1ThingSpec", {"replicas": "int"}, {"replicas": "replicas"}),
        "V1Item": ("V1Item", {"name": "str"}, {"name": "name"}),
        "V1Unused": ("V1Unused", {"x": "str"}, {"x": "x"}),
    }
    wheel = tmp_path / "client.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, (cls, types, names) in models.items():
            source = f"class {cls}(object):\n    openapi_types = {types!r}\n    attribute_map = {names!r}\n"
            archive.writestr(f"kubernetes/client/models/{name.lower()}.py", source)
    monkeypatch.setattr(gen_schema, "ROOTS", {"v1/Thing": "V1Thing"})
    built = gen_schema.build(gen_schema.read_models(gen_schema.sources_from(wheel)))
    assert built == {"roots": {"v1/Thing": "V1Thing"}, "types": {
        "V1Item": {"name": "=s"},
        "V1Thing": {"apiVersion": "=s", "byName": "{V1Item", "free": 0, "items": "[V1Item", "spec": "V1ThingSpec",
                    "tags": "[=s"},
        "V1ThingSpec": {"replicas": "=i"},
    }}
    assert json.loads(Path(schema.SCHEMA_FILE).read_text())["roots"]["v1/Service"] == "V1Service"


@pytest.mark.parametrize("spec, message", [
    ({"ports": [{"port": "80"}]},
     "json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32"),
    ({"ports": {"port": 80}},
     "json: cannot unmarshal object into Go struct field ServiceSpec.spec.ports of type []v1.ServicePort"),
    ({"selector": "app"},
     "json: cannot unmarshal string into Go struct field ServiceSpec.spec.selector of type map[string]string"),
    ({"ports": [{"port": 80, "name": 5}]},
     "json: cannot unmarshal number into Go struct field ServicePort.spec.ports.name of type string"),
    ({"ports": [{"port": 1.5}]},
     "json: cannot unmarshal number 1.5 into Go struct field ServicePort.spec.ports.port of type int32"),
    ({"sessionAffinityConfig": "x"},
     "json: cannot unmarshal string into Go struct field ServiceSpec.spec.sessionAffinityConfig of type "
     "v1.SessionAffinityConfig"),
    ({"ports": [{"port": 80, "targetPort": "http"}], "selector": {"app": "kubia"}}, None),
])
def test_values_of_the_wrong_type_fail_as_go_decodes_them(spec, message):
    assert schema.decode_error("v1", "Service", {"metadata": {"name": "s"}, "spec": spec}) == message


def test_nulls_in_typed_fields_decode_as_absent():
    obj = {"metadata": {"name": "s", "labels": None}, "spec": {"ports": [{"port": 80, "name": None}],
                                                               "selector": None}}
    schema.drop_nulls("v1", "Service", obj)
    assert obj == {"metadata": {"name": "s"}, "spec": {"ports": [{"port": 80}]}}
