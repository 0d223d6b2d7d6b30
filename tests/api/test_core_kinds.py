"""Namespaces, Nodes, Secrets, ConfigMaps and Events: defaults, validation texts, cells; kind metadata."""

from __future__ import annotations

import base64
import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from kubesim.api.registry import all_kinds, kind_named, resolve_resource
from kubesim.api.validation import validate_object_meta

NAMESPACE = kind_named("Namespace")
NODE = kind_named("Node")
SECRET = kind_named("Secret")
CONFIGMAP = kind_named("ConfigMap")
EVENT = kind_named("Event")
NOW = datetime(2024, 7, 10, 12, 0, 0, tzinfo=UTC)


def check(kind, obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[str]:
    obj = copy.deepcopy(obj)
    obj.setdefault("metadata", {"name": "x"})
    if kind.namespaced:
        obj["metadata"].setdefault("namespace", "default")
    kind.default(obj)
    return [e.message() for e in validate_object_meta(kind, obj) + kind.validate(obj, old)]


def cells(kind, obj: dict[str, Any], wide: bool = False) -> list[str]:
    return [c.cell(obj, NOW) for c in kind.columns if wide or c.priority == 0]


# -- what `kubectl api-resources` lists --------------------------------------------------------------


def test_api_resources_names_scopes_and_categories():
    listed = {(k.plural, k.short_names, k.api_version, k.namespaced, k.kind, k.categories) for k in all_kinds()}
    assert listed == {
        ("pods", ("po",), "v1", True, "Pod", ("all",)),
        ("services", ("svc",), "v1", True, "Service", ("all",)),
        ("endpoints", ("ep",), "v1", True, "Endpoints", ()),
        ("namespaces", ("ns",), "v1", False, "Namespace", ()),
        ("nodes", ("no",), "v1", False, "Node", ()),
        ("secrets", (), "v1", True, "Secret", ()),
        ("configmaps", ("cm",), "v1", True, "ConfigMap", ()),
        ("events", ("ev",), "v1", True, "Event", ()),
        ("replicationcontrollers", ("rc",), "v1", True, "ReplicationController", ("all",)),
        ("replicasets", ("rs",), "apps/v1", True, "ReplicaSet", ("all",)),
        ("deployments", ("deploy",), "apps/v1", True, "Deployment", ("all",)),
        ("endpointslices", (), "discovery.k8s.io/v1", True, "EndpointSlice", ()),
        ("ingresses", ("ing",), "networking.k8s.io/v1", True, "Ingress", ()),
        ("ingressclasses", (), "networking.k8s.io/v1", False, "IngressClass", ()),
    }


def test_name_rules_generation_and_resolution():
    rules = {k.kind: k.name_rule for k in all_kinds()}
    assert rules.pop("Service") == "dns1035-label"
    assert rules.pop("Namespace") == "dns1123-label"
    assert set(rules.values()) == {"dns1123-subdomain"}
    tracked = {k.kind for k in all_kinds() if k.tracks_generation}
    assert tracked == {"Pod", "ReplicationController", "ReplicaSet", "Deployment", "EndpointSlice", "Ingress",
                       "IngressClass"}
    assert resolve_resource("deploy").kind == "Deployment"
    assert resolve_resource("ep").kind == "Endpoints"
    assert "deletecollection" not in NAMESPACE.verbs


def test_default_columns():
    for kind in all_kinds():
        headers = [c.name.upper() for c in kind.columns if c.priority == 0]
        if kind.kind == "Event":
            assert headers == ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
        elif kind.kind == "Node":
            assert headers == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]
        else:
            assert headers[0] == "NAME" and headers[-1] == "AGE", kind.kind


# -- Namespace -------------------------------------------------------------------------------------


def test_namespace_defaults_and_cells():
    obj = {"metadata": {"name": "kube-public", "creationTimestamp": "2024-07-02T12:00:00Z"}}
    NAMESPACE.default(obj)
    assert obj == {"metadata": {"name": "kube-public", "creationTimestamp": "2024-07-02T12:00:00Z",
                                "labels": {"kubernetes.io/metadata.name": "kube-public"}},
                   "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}
    assert cells(NAMESPACE, obj) == ["kube-public", "Active", "8d"]


def test_namespace_rules():
    assert check(NAMESPACE, {"metadata": {"name": "My-NS"}}) == [
        'metadata.name: Invalid value: "My-NS": a lowercase RFC 1123 label must consist of lower case alphanumeric '
        "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
        "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"]
    assert check(NAMESPACE, {"metadata": {"name": "dev"}, "spec": {"finalizers": ["custom"]}}) == [
        'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully '
        "qualified"]


# -- Node ------------------------------------------------------------------------------------------


def node(**status: Any) -> dict[str, Any]:
    return {"metadata": {"name": "minikube", "creationTimestamp": "2024-07-02T12:00:00Z",
                         "labels": {"node-role.kubernetes.io/control-plane": "", "kubernetes.io/role": "master"}},
            "spec": {}, "status": status}


def test_node_cells():
    obj = node(conditions=[{"type": "Ready", "status": "True"}],
               addresses=[{"type": "InternalIP", "address": "192.168.49.2"}, {"type": "Hostname", "address": "mk"}],
               nodeInfo={"kubeletVersion": "v1.36.0", "osImage": "Ubuntu 22.04.4 LTS",
                         "kernelVersion": "6.8.0", "containerRuntimeVersion": "docker://27.4.1"})
    assert cells(NODE, obj, wide=True) == ["minikube", "Ready", "control-plane,master", "8d", "v1.36.0",
                                           "192.168.49.2", "<none>", "Ubuntu 22.04.4 LTS", "6.8.0", "docker://27.4.1"]
    obj["spec"]["unschedulable"] = True
    obj["status"]["conditions"][0]["status"] = "Unknown"
    assert cells(NODE, obj)[1] == "NotReady,SchedulingDisabled"
    bare = {"metadata": {"name": "n"}, "status": {}}
    assert cells(NODE, bare, wide=True)[1:] == ["Unknown", "<none>", "<unknown>", "", "<none>", "<none>",
                                                "<unknown>", "<unknown>", "<unknown>"]


def test_node_rules():
    obj = {"metadata": {"name": "n"}, "spec": {"taints": [{"key": "a", "effect": "NoSchedule"},
                                                          {"key": "a", "effect": "NoSchedule"},
                                                          {"key": "b", "effect": "Sometimes"}],
                                               "podCIDRs": ["10.244.0.0/24", "10.245.0.0/24"]}}
    assert check(NODE, obj) == [
        'metadata.taints[1]: Duplicate value: {"Key":"a","Value":"","Effect":"NoSchedule","TimeAdded":null}: taints '
        "must be unique by key and effect pair",
        'metadata.taints[2].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", '
        '"PreferNoSchedule", "NoExecute"',
        'spec.podCIDRs: Invalid value: ["10.244.0.0/24","10.245.0.0/24"]: may specify no more than one CIDR for '
        "each IP family",
    ]
    old = {"spec": {"podCIDRs": ["10.244.0.0/24"]}}
    assert check(NODE, {"metadata": {"name": "n"}, "spec": {"podCIDRs": ["10.244.1.0/24"]}}, old=old) == [
        'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid']


# -- Secret and ConfigMap --------------------------------------------------------------------------


def test_secret_defaults_fold_string_data():
    obj = {"metadata": {"name": "s"}, "stringData": {"user": "admin"}, "data": {"pw": "c2VjcmV0"}}
    SECRET.default(obj)
    assert obj == {"metadata": {"name": "s"}, "type": "Opaque",
                   "data": {"pw": "c2VjcmV0", "user": base64.b64encode(b"admin").decode()}}
    obj["metadata"]["creationTimestamp"] = "2024-07-10T11:59:50Z"
    assert cells(SECRET, obj) == ["s", "Opaque", "2", "10s"]


@pytest.mark.parametrize("obj, messages", [
    ({"data": {"bad/key": "eA=="}}, [
        'data[bad/key]: Invalid value: "bad/key": a valid config key must consist of alphanumeric characters, '
        "'-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
        "'[-._a-zA-Z0-9]+')"]),
    ({"data": {"..x": "eA=="}}, ['data[..x]: Invalid value: "..x": must not start with \'..\'']),
    ({"type": "kubernetes.io/tls", "data": {"tls.crt": "eA=="}}, ["data[tls.key]: Required value"]),
    ({"type": "kubernetes.io/basic-auth"}, ["data[username]: Required value", "data[password]: Required value"]),
    ({"type": "kubernetes.io/service-account-token"},
     ["metadata.annotations[kubernetes.io/service-account.name]: Required value"]),
    ({"data": {"big": base64.b64encode(b"x" * (1024 * 1024 + 1)).decode()}},
     ["data: Too long: must have at most 1048576 bytes"]),
])
def test_secret_rules(obj, messages):
    assert check(SECRET, obj) == messages


def test_secret_type_and_immutable_data_cannot_change():
    old = {"type": "Opaque", "immutable": True, "data": {"a": "eA=="}}
    assert check(SECRET, {"type": "kubernetes.io/tls", "immutable": True, "data": {"a": "eQ==", "tls.crt": "",
                                                                                   "tls.key": ""}}, old=old) == [
        'type: Invalid value: "kubernetes.io/tls": field is immutable',
        "data: Forbidden: field is immutable when `immutable` is set",
    ]


def test_configmap_rules_and_cells():
    assert check(CONFIGMAP, {"data": {"a": "1"}, "binaryData": {"a": "eA==", "b c": "eA=="}}) == [
        'data[a]: Invalid value: "a": duplicate of key present in binaryData',
        'binaryData[b c]: Invalid value: "b c": a valid config key must consist of alphanumeric characters, \'-\', '
        "'_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
        "'[-._a-zA-Z0-9]+')"]
    assert check(CONFIGMAP, {"data": {"a": "x" * (1024 * 1024 + 1)}}) == [": Too long: must have at most 1048576 bytes"]
    assert check(CONFIGMAP, {"immutable": True, "data": {"a": "2"}}, old={"immutable": True, "data": {"a": "1"}}) == [
        "data: Forbidden: field is immutable when `immutable` is set"]
    obj = {"metadata": {"name": "cfg", "creationTimestamp": "2024-07-10T11:00:00Z"}, "data": {"a": "1"},
           "binaryData": {"b": "eA=="}}
    assert cells(CONFIGMAP, obj) == ["cfg", "2", "60m"]


# -- Event -----------------------------------------------------------------------------------------


def event(**fields: Any) -> dict[str, Any]:
    return {"metadata": {"name": "kubia-6b9wj.17e2", "namespace": "default"},
            "involvedObject": {"kind": "Pod", "name": "kubia-6b9wj", "namespace": "default",
                               "fieldPath": "spec.containers{kubia}"},
            "reason": "Unhealthy", "type": "Warning", "message": "Readiness probe failed: \n",
            "source": {"component": "kubelet", "host": "minikube"}, **fields}


def test_event_cells():
    obj = event(firstTimestamp="2024-07-10T11:50:00Z", lastTimestamp="2024-07-10T11:59:30Z", count=12)
    assert cells(EVENT, obj) == ["30s", "Warning", "Unhealthy", "pod/kubia-6b9wj", "Readiness probe failed:"]
    assert cells(EVENT, obj, wide=True) == ["30s", "Warning", "Unhealthy", "pod/kubia-6b9wj", "spec.containers{kubia}",
                                            "kubelet, minikube", "Readiness probe failed:", "10m", "12",
                                            "kubia-6b9wj.17e2"]
    fresh = event(eventTime="2024-07-10T11:59:00.000000Z", reportingComponent="default-scheduler", source={})
    fresh["involvedObject"] = {"kind": "Node"}
    assert cells(EVENT, fresh, wide=True) == ["60s", "Warning", "Unhealthy", "node", "", "default-scheduler",
                                              "Readiness probe failed:", "60s", "1", "kubia-6b9wj.17e2"]
    series = event(series={"count": 4, "lastObservedTime": "2024-07-10T11:59:58.000000Z"})
    assert cells(EVENT, series, wide=True)[0] == "2s"
    assert cells(EVENT, series, wide=True)[7:9] == ["<unknown>", "4"]


def test_event_namespace_must_match_its_object():
    obj = event()
    obj["involvedObject"]["namespace"] = "other"
    assert check(EVENT, obj) == ['involvedObject.namespace: Invalid value: "other": does not match event.namespace']
    assert check(EVENT, event()) == []
