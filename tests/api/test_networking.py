"""Endpoints, EndpointSlices, Ingresses and IngressClasses: defaults, validation texts, cells."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from kubesim.api.registry import kind_named
from kubesim.api.validation import validate_object_meta
from kubesim.printers.tabwriter import format_rows
from tests.api.corpus import manifest

ENDPOINTS = kind_named("Endpoints")
SLICE = kind_named("EndpointSlice", "discovery.k8s.io")
INGRESS = kind_named("Ingress", "networking.k8s.io")
INGRESS_CLASS = kind_named("IngressClass", "networking.k8s.io")
NOW = datetime(2024, 7, 10, 12, 0, 0, tzinfo=UTC)
SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
             "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
             "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")


def check(kind, obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[str]:
    obj = copy.deepcopy(obj)
    obj.setdefault("metadata", {"name": "kubia"})
    if kind.namespaced:
        obj["metadata"].setdefault("namespace", "default")
    kind.default(obj)
    return [e.message() for e in validate_object_meta(kind, obj) + kind.validate(obj, old)]


# -- Endpoints -------------------------------------------------------------------------------------


def test_the_books_endpoints_default_and_validate():
    obj = manifest("Chapter05/external-service-endpoints.yaml")
    ENDPOINTS.default(obj)
    assert obj["subsets"] == [{"addresses": [{"ip": "11.11.11.11"}, {"ip": "22.22.22.22"}],
                               "ports": [{"port": 80, "protocol": "TCP"}]}]
    assert check(ENDPOINTS, obj) == []


@pytest.mark.parametrize("subsets, messages", [
    ([{"ports": [{"port": 80}]}], ["subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`"]),
    ([{"addresses": [{"ip": "127.0.0.1"}]}],
     ['subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, '
      "::1/128)"]),
    ([{"notReadyAddresses": [{"ip": "0.0.0.0"}]}],
     ['subsets[0].notReadyAddresses[0].ip: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)']),
    ([{"addresses": [{"ip": "nope"}]}],
     ['subsets[0].addresses[0].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or '
      "2001:db8::ffff)",
      'subsets[0].addresses[0].ip: Invalid value: "nope": must be a valid IP address']),
    ([{"addresses": [{"ip": "10.0.0.1"}], "ports": [{"port": 80}, {"name": "b", "port": 0}]}],
     ["subsets[0].ports[0].name: Required value",
      "subsets[0].ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive"]),
    ([{"addresses": [{"ip": "10.0.0.1", "hostname": "a.b"}], "ports": [{"port": 80, "protocol": "ICMP"}]}],
     ['subsets[0].addresses[0].hostname: Invalid value: "a.b": must not contain dots',
      'subsets[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"']),
])
def test_endpoints_rules(subsets, messages):
    assert check(ENDPOINTS, {"subsets": subsets}) == messages


def endpoints(name: str, subsets: list[dict[str, Any]] | None, age: str = "2024-07-04T12:00:00Z") -> dict[str, Any]:
    obj: dict[str, Any] = {"metadata": {"name": name, "creationTimestamp": age}}
    if subsets is not None:
        obj["subsets"] = subsets
    return obj


def test_sample_get_endpoints_table():
    """kubectl.md §1.5's sample, except its illustrative ``1m``, which HumanDuration never prints (60s..119s)."""
    pods = [{"ip": f"10.244.0.{i}"} for i in (5, 6, 7, 8, 9)]
    objects = [
        endpoints("kubernetes", [{"addresses": [{"ip": "192.168.49.2"}], "ports": [{"port": 8443}]}],
                  "2024-07-02T12:00:00Z"),
        endpoints("kubia", [{"addresses": pods[:3], "ports": [{"port": 8080}]}], "2024-07-10T11:54:00Z"),
        endpoints("kubia-big", [{"addresses": pods, "ports": [{"port": 8080}]}], "2024-07-10T11:54:00Z"),
        endpoints("external-svc", None, "2024-07-10T11:58:00Z"),
    ]
    rows = [[c.name.upper() for c in ENDPOINTS.columns]] + [[c.cell(o, NOW) for c in ENDPOINTS.columns] for o in objects]
    assert format_rows(rows) == (
        "NAME           ENDPOINTS                                                     AGE\n"
        "kubernetes     192.168.49.2:8443                                             8d\n"
        "kubia          10.244.0.5:8080,10.244.0.6:8080,10.244.0.7:8080               6m\n"
        "kubia-big      10.244.0.5:8080,10.244.0.6:8080,10.244.0.7:8080 + 2 more...   6m\n"
        "external-svc   <none>                                                        2m\n")


def test_endpoints_cell_edge_cases():
    cell = ENDPOINTS.columns[1].cell
    assert cell(endpoints("a", [{"notReadyAddresses": [{"ip": "10.0.0.1"}], "ports": [{"port": 80}]}]), NOW) == ""
    assert cell(endpoints("a", [{"addresses": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.2"}]}]), NOW) == "10.0.0.1,10.0.0.2"
    two_ports = [{"addresses": [{"ip": "10.0.0.1"}, {"ip": "fd00::1"}], "ports": [{"port": 80}, {"port": 443}]}]
    assert cell(endpoints("a", two_ports), NOW) == "10.0.0.1:80,[fd00::1]:80,10.0.0.1:443 + 1 more..."


# -- EndpointSlice ---------------------------------------------------------------------------------


def test_slice_defaults_and_cells():
    obj = {"metadata": {"name": "kubia-7vzhx", "creationTimestamp": "2024-07-10T11:59:15Z"}, "addressType": "IPv4",
           "endpoints": [{"addresses": [f"10.244.0.{i}"], "conditions": {"ready": i < 6}} for i in (5, 6, 7, 8)],
           "ports": [{"port": 8080}, {"name": "metrics"}, {}, {"port": 9090}]}
    assert SLICE.columns[2].cell(obj, NOW) == "8080,metrics,* + 1 more..."
    SLICE.default(obj)
    assert obj["ports"][0] == {"port": 8080, "name": "", "protocol": "TCP"}
    assert [c.cell(obj, NOW) for c in SLICE.columns] == [
        "kubia-7vzhx", "IPv4", "8080,metrics, + 1 more...", "10.244.0.5,10.244.0.6,10.244.0.7 + 1 more...", "45s"]
    empty = {"metadata": {"name": "x"}, "addressType": "IPv4"}
    assert [c.cell(empty, NOW) for c in SLICE.columns][2:4] == ["<unset>", "<unset>"]


@pytest.mark.parametrize("obj, messages", [
    ({"addressType": "IPv4", "endpoints": [{"addresses": ["10.244.0.5"]}], "ports": [{"port": 80}]}, []),
    ({}, ["addressType: Required value"]),
    ({"addressType": "IPv5"}, ['addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"']),
    ({"addressType": "IPv4", "endpoints": [{"addresses": []}, {"addresses": ["fd00::1", "127.0.0.1"]}]},
     ["endpoints[0].addresses: Required value: must contain at least 1 address",
      'endpoints[1].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address',
      'endpoints[1].addresses[1]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)']),
    ({"addressType": "FQDN", "endpoints": [{"addresses": ["localhost"]}]},
     ['endpoints[0].addresses[0]: Invalid value: "localhost": should be a domain with at least two segments separated '
      "by dots"]),
    ({"addressType": "IPv4", "ports": [{"name": "http", "port": 80}, {"name": "http", "port": 81}]},
     ['ports[1].name: Duplicate value: "http"']),
])
def test_slice_rules(obj, messages):
    assert check(SLICE, obj) == messages


def test_slice_address_type_is_immutable():
    old = {"metadata": {"name": "kubia"}, "addressType": "IPv4"}
    assert check(SLICE, {"addressType": "IPv6"}, old=old) == ['addressType: Invalid value: "IPv6": field is immutable']


# -- Ingress ---------------------------------------------------------------------------------------


def ingress(spec: dict[str, Any], annotations: dict[str, str] | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": "kubia", "namespace": "default"}
    if annotations:
        meta["annotations"] = annotations
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": spec}


def rule(host: str | None = "kubia.example.com", **path: Any) -> dict[str, Any]:
    item = {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "kubia", "port": {"number": 80}}}}
    item.update(path)
    found: dict[str, Any] = {"http": {"paths": [item]}}
    if host is not None:
        found["host"] = host
    return found


def test_the_books_ingress_in_v1_form_is_valid():
    book = manifest("Chapter05/kubia-ingress-tls.yaml")
    spec = {"tls": book["spec"]["tls"], "rules": [rule(backend={"service": {"name": "kubia-nodeport",
                                                                              "port": {"number": 80}}})]}
    obj = ingress(spec)
    INGRESS.default(obj)
    assert obj["status"] == {"loadBalancer": {}}
    assert check(INGRESS, obj) == []


BACKEND = "spec.rules[0].http.paths[0].backend"


@pytest.mark.parametrize("spec, messages", [
    ({}, ["spec: Invalid value: null: either `defaultBackend` or `rules` must be specified"]),
    ({"rules": []}, ["spec: Invalid value: []: either `defaultBackend` or `rules` must be specified"]),
    ({"rules": [rule(pathType=None)]}, ["spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"]),
    ({"rules": [rule(pathType="Foo")]},
     ['spec.rules[0].http.paths[0].pathType: Unsupported value: "Foo": supported values: "Exact", '
      '"ImplementationSpecific", "Prefix"']),
    ({"rules": [rule(path="foo")]}, ['spec.rules[0].http.paths[0].path: Invalid value: "foo": must be an absolute path']),
    ({"rules": [rule(path="/a//b/..")]},
     ["spec.rules[0].http.paths[0].path: Invalid value: \"/a//b/..\": must not contain '//'",
      "spec.rules[0].http.paths[0].path: Invalid value: \"/a//b/..\": cannot end with '/..'"]),
    ({"rules": [rule(path="foo", pathType="ImplementationSpecific")]},
     ['spec.rules[0].http.paths[0].path: Invalid value: "foo": must be an absolute path']),
    ({"rules": [rule(path="", pathType="ImplementationSpecific")]}, []),
    ({"rules": [{"host": "a.b", "http": {"paths": []}}]}, ["spec.rules[0].http.paths: Required value"]),
    ({"rules": [rule(backend={"service": {"name": "kubia"}})]},
     [f"{BACKEND}: Required value: port name or number is required"]),
    ({"rules": [rule(backend={"service": {"name": "kubia", "port": {"name": "http", "number": 80}}})]},
     [f'{BACKEND}: Invalid value: "": cannot set both port name & port number']),
    ({"rules": [rule(backend={"service": {"name": "kubia", "port": {"number": 80}},
                              "resource": {"kind": "Bucket", "name": "b"}})]},
     [f'{BACKEND}: Invalid value: "": cannot set both resource and service backends']),
    ({"rules": [rule(backend={})]}, [f'{BACKEND}: Invalid value: "": resource or service backend is required']),
    ({"rules": [rule(backend={"service": {"port": {"number": 80}}})]}, [f"{BACKEND}.service.name: Required value"]),
    ({"rules": [rule(backend={"service": {"name": "1kubia", "port": {"number": 70000}}})]},
     [f'{BACKEND}.service.name: Invalid value: "1kubia": a DNS-1035 label must consist of lower case alphanumeric '
      "characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. "
      "'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      f"{BACKEND}.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive"]),
    ({"rules": [rule(host="1.2.3.4")]}, ['spec.rules[0].host: Invalid value: "1.2.3.4": must be a DNS name, not an IP '
                                         "address"]),
    ({"rules": [rule(host="Kubia.example.com")]}, [f'spec.rules[0].host: Invalid value: "Kubia.example.com": {SUBDOMAIN}']),
    ({"rules": [rule(host="*.example.com")]}, []),
    ({"rules": [rule()], "tls": [{"hosts": ["Bad_host"], "secretName": "TLS"}]},
     [f'spec.tls[0].hosts[0]: Invalid value: "Bad_host": {SUBDOMAIN}',
      f'spec.tls[0].secretName: Invalid value: "TLS": {SUBDOMAIN}']),
    ({"defaultBackend": {"service": {"name": "kubia", "port": {"name": "HTTP"}}}, "ingressClassName": "Nginx"},
     ['spec.defaultBackend.service.port.name: Invalid value: "HTTP": must contain only alpha-numeric characters '
      "(a-z, 0-9), and hyphens (-)",
      'spec.defaultBackend.service.port.name: Invalid value: "HTTP": must contain at least one letter (a-z)',
      f'spec.ingressClassName: Invalid value: "Nginx": {SUBDOMAIN}']),
])
def test_ingress_rules(spec, messages):
    assert check(INGRESS, ingress(spec)) == messages


def test_class_annotation_must_match_on_create():
    obj = ingress({"rules": [rule()], "ingressClassName": "nginx"}, {"kubernetes.io/ingress.class": "traefik"})
    assert check(INGRESS, obj) == [
        'annotations.kubernetes.io/ingress.class: Invalid value: "traefik": must match `ingressClassName` when both '
        "are specified"]
    assert check(INGRESS, obj, old=copy.deepcopy(obj)) == []


def test_ingress_cells():
    obj = ingress({"rules": [rule(host=f"h{i}.example.com") for i in range(5)], "tls": [{"hosts": ["h0.example.com"]}]})
    obj["metadata"]["creationTimestamp"] = "2024-07-10T11:00:00Z"
    obj["status"] = {"loadBalancer": {"ingress": [{"ip": "192.168.49.2"}, {"hostname": "lb.example.com"}]}}
    assert [c.name.upper() for c in INGRESS.columns] == ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"]
    assert [c.cell(obj, NOW) for c in INGRESS.columns] == [
        "kubia", "<none>", "h0.example.com,h1.example.com,h2.example.com + 2 more...", "192.168.49.2,...",
        "80, 443", "60m"]
    assert INGRESS.columns[3].wide_cell(obj, NOW) == "192.168.49.2,lb.example.com"
    bare = ingress({"defaultBackend": {"service": {"name": "kubia", "port": {"number": 80}}},
                    "ingressClassName": "nginx"})
    assert [c.cell(bare, NOW) for c in INGRESS.columns][1:5] == ["nginx", "*", "", "80"]


# -- IngressClass ----------------------------------------------------------------------------------


def test_ingress_class():
    obj = {"metadata": {"name": "nginx", "creationTimestamp": "2024-07-10T11:59:00Z"},
           "spec": {"controller": "k8s.io/ingress-nginx", "parameters": {"kind": "IngressParameters", "name": "p",
                                                                      "apiGroup": "k8s.example.com"}}}
    INGRESS_CLASS.default(obj)
    assert obj["spec"]["parameters"]["scope"] == "Cluster"
    assert check(INGRESS_CLASS, obj) == []
    assert [c.cell(obj, NOW) for c in INGRESS_CLASS.columns] == [
        "nginx", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/p", "60s"]
    assert check(INGRESS_CLASS, {"metadata": {"name": "x"}, "spec": {}}) == ["spec.controller: Required value"]
    assert check(INGRESS_CLASS, {"metadata": {"name": "x"}, "spec": {"controller": "nginx"}}) == [
        'spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")']
    assert check(INGRESS_CLASS, {"metadata": {"name": "x"}, "spec": {"controller": "a.io/b"}},
                 old={"spec": {"controller": "a.io/c"}}) == [
        'spec.controller: Invalid value: "a.io/b": field is immutable']
