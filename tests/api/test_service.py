"""Services: defaulting of the book's manifests, every validation rule's text, and the table cells."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kubesim.api.errors import invalid_object
from kubesim.api.registry import kind_named
from kubesim.api.validation import validate_object_meta
from kubesim.printers.tabwriter import format_rows
from tests.api.corpus import manifest

SERVICE = kind_named("Service")
NOW = datetime(2024, 7, 10, 12, 0, 0, tzinfo=UTC)
SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
             "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
             "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")


def defaulted(obj: dict[str, Any]) -> dict[str, Any]:
    obj = copy.deepcopy(obj)
    SERVICE.default(obj)
    return obj


def errors(spec: dict[str, Any], *, annotations: dict[str, str] | None = None,
           old: dict[str, Any] | None = None) -> list[str]:
    meta: dict[str, Any] = {"name": "kubia", "namespace": "default"}
    if annotations:
        meta["annotations"] = annotations
    obj = defaulted({"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec})
    found = validate_object_meta(SERVICE, obj) + SERVICE.validate(obj, old)
    return [e.message() for e in found]


PORT = {"port": 80, "targetPort": 8080}
SELECTOR = {"app": "kubia"}


# -- defaulting ------------------------------------------------------------------------------------

BASE_SPEC = {"type": "ClusterIP", "sessionAffinity": "None", "internalTrafficPolicy": "Cluster",
             "ipFamilyPolicy": "SingleStack", "ipFamilies": ["IPv4"]}


def expected(name: str, **spec: Any) -> dict[str, Any]:
    full = {**BASE_SPEC, **spec}
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": full,
            "status": {"loadBalancer": {}}}


TCP_8080 = [{"port": 80, "protocol": "TCP", "targetPort": 8080}]


@pytest.mark.parametrize("path, result", [
    ("Chapter05/kubia-svc.yaml", expected("kubia", ports=TCP_8080, selector=SELECTOR)),
    ("Chapter05/kubia-svc-client-ip-session-affinity.yaml", expected(
        "kubia", ports=TCP_8080, selector=SELECTOR, sessionAffinity="ClientIP",
        sessionAffinityConfig={"clientIP": {"timeoutSeconds": 10800}})),
    ("Chapter05/kubia-svc-headless.yaml", expected(
        "kubia-headless", ports=TCP_8080, selector=SELECTOR, clusterIP="None", clusterIPs=["None"])),
    ("Chapter05/kubia-svc-loadbalancer.yaml", expected(
        "kubia-loadbalancer", ports=TCP_8080, selector=SELECTOR, type="LoadBalancer",
        externalTrafficPolicy="Cluster", allocateLoadBalancerNodePorts=True)),
    ("Chapter05/kubia-svc-named-ports.yaml", expected(
        "kubia", selector=SELECTOR, ports=[{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080},
                                           {"name": "https", "port": 443, "protocol": "TCP", "targetPort": 8443}])),
    ("Chapter05/kubia-svc-nodeport.yaml", expected(
        "kubia-nodeport", selector=SELECTOR, type="NodePort", externalTrafficPolicy="Cluster",
        ports=[{"port": 80, "protocol": "TCP", "targetPort": 8080, "nodePort": 30123}])),
    ("Chapter05/kubia-svc-nodeport-onlylocal.yaml", expected(
        "kubia-nodeport-onlylocal", selector=SELECTOR, type="NodePort", externalTrafficPolicy="Local",
        ports=[{"port": 80, "protocol": "TCP", "targetPort": 8080, "nodePort": 30124}])),
    ("Chapter05/external-service.yaml", expected(
        "external-service", ports=[{"port": 80, "protocol": "TCP", "targetPort": 80}])),
])
def test_defaulting_of_the_books_services(path, result):
    assert defaulted(manifest(path)) == result


def test_external_name_gets_no_cluster_fields():
    assert defaulted(manifest("Chapter05/external-service-externalname.yaml")) == {
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "external-service"},
        "spec": {"type": "ExternalName", "externalName": "api.somecompany.com", "sessionAffinity": "None",
                 "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}]},
        "status": {"loadBalancer": {}},
    }


def test_headless_selectorless_service_requires_dual_stack():
    spec = defaulted({"spec": {"clusterIP": "None", "ports": [{"port": 80}]}})["spec"]
    assert spec["ipFamilyPolicy"] == "RequireDualStack"
    assert spec["ipFamilies"] == ["IPv4", "IPv6"]


def test_session_affinity_config_is_dropped_for_none_and_cluster_ips_follow_cluster_ip():
    spec = defaulted({"spec": {"sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 5}}, "clusterIP": "10.96.0.5",
                               "ports": [{"port": 80, "targetPort": "http"}], "externalIPs": ["1.2.3.4"]}})["spec"]
    assert "sessionAffinityConfig" not in spec
    assert spec["clusterIPs"] == ["10.96.0.5"]
    assert spec["ports"][0]["targetPort"] == "http"
    assert spec["externalTrafficPolicy"] == "Cluster"


def test_load_balancer_ingress_ip_mode_defaults_to_vip():
    obj = defaulted({"spec": {"type": "LoadBalancer", "ports": [PORT]},
                     "status": {"loadBalancer": {"ingress": [{"ip": "1.2.3.4"}, {"hostname": "lb.example.com"}]}}})
    assert obj["status"]["loadBalancer"]["ingress"] == [{"ip": "1.2.3.4", "ipMode": "VIP"},
                                                       {"hostname": "lb.example.com"}]


def test_the_books_services_are_valid():
    for path in ("kubia-svc.yaml", "kubia-svc-client-ip-session-affinity.yaml", "kubia-svc-headless.yaml",
                 "kubia-svc-loadbalancer.yaml", "kubia-svc-named-ports.yaml", "kubia-svc-nodeport.yaml",
                 "kubia-svc-nodeport-onlylocal.yaml", "external-service.yaml", "external-service-externalname.yaml"):
        obj = defaulted(manifest(f"Chapter05/{path}"))
        obj["metadata"]["namespace"] = "default"
        assert validate_object_meta(SERVICE, obj) + SERVICE.validate(obj, None) == [], path


# -- validation: §3.1 ------------------------------------------------------------------------------

PORT_RANGE = "must be between 1 and 65535, inclusive"


@pytest.mark.parametrize("spec, messages", [
    ({"selector": SELECTOR}, ["spec.ports: Required value"]),
    ({"ports": [{"targetPort": 8080}]}, [f"spec.ports[0].port: Invalid value: 0: {PORT_RANGE}"]),
    ({"ports": [{}]}, [f"spec.ports[0].port: Invalid value: 0: {PORT_RANGE}",
                       f"spec.ports[0].targetPort: Invalid value: 0: {PORT_RANGE}"]),
    ({"ports": [{"port": 80}, {"port": 443}]}, ["spec.ports[0].name: Required value",
                                                 "spec.ports[1].name: Required value"]),
    ({"ports": [{"name": "Http", "port": 80}]}, [
        'spec.ports[0].name: Invalid value: "Http": a lowercase RFC 1123 label must consist of lower case '
        "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',"
        "  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"]),
    ({"ports": [{"name": "http", "port": 80}, {"name": "http", "port": 81}]},
     ['spec.ports[1].name: Duplicate value: "http"']),
    ({"ports": [{"name": "a", "port": 80}, {"name": "b", "port": 80, "targetPort": 81}]},
     ['spec.ports[1]: Duplicate value: {"Name":"","Protocol":"TCP","AppProtocol":null,"Port":80,"TargetPort":0,'
      '"NodePort":0}']),
    ({"ports": [{"name": "a", "port": 53, "protocol": "UDP"}, {"name": "b", "port": 53}]}, []),
    ({"type": "NodePort", "ports": [{"name": "a", "port": 80, "nodePort": 30080},
                                    {"name": "b", "port": 81, "nodePort": 30080}]},
     ["spec.ports[1].nodePort: Duplicate value: 30080"]),
    ({"ports": [{"port": 80, "protocol": "HTTP"}]},
     ['spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']),
    ({"ports": [{"port": 80, "targetPort": 70000}]}, [f"spec.ports[0].targetPort: Invalid value: 70000: {PORT_RANGE}"]),
    ({"ports": [{"port": 80, "targetPort": "-web"}]},
     ['spec.ports[0].targetPort: Invalid value: "-web": must not begin or end with a hyphen']),
    ({"ports": [{"port": 80, "appProtocol": "a/b/c"}]}, [
        'spec.ports[0].appProtocol: Invalid value: "a/b/c": a valid label key must consist of alphanumeric '
        "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or "
        "'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with "
        "an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]),
    ({"ports": [{"port": 80, "nodePort": 30080}]},
     ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]),
    ({"ports": [PORT], "selector": {"app": "-x"}}, [
        'spec.selector: Invalid value: "-x": a valid label must be an empty string or consist of alphanumeric '
        "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
        "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"]),
    ({"ports": [PORT], "sessionAffinity": "Sticky"},
     ['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"']),
    ({"ports": [PORT], "sessionAffinity": "ClientIP", "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 100000}}},
     ["spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 100000: must be greater than 0 and less "
      "than 86400"]),
    ({"ports": [PORT], "sessionAffinity": "ClientIP", "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 86400}}},
     []),
    ({"ports": [PORT], "type": "Foo"},
     ['spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", '
      '"NodePort"']),
    ({"ports": [PORT], "clusterIP": "abc"},
     ['spec.clusterIPs[0]: Invalid value: "abc": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']),
    ({"ports": [PORT], "clusterIP": "10.96.0.5", "clusterIPs": ["10.96.0.6"]},
     ['spec.clusterIPs: Invalid value: ["10.96.0.6"]: first value must match `clusterIP`']),
    ({"ports": [PORT], "clusterIP": "None", "clusterIPs": ["None", "10.96.0.6"]},
     ["spec.clusterIPs: Invalid value: [\"None\",\"10.96.0.6\"]: 'None' must be the first and only value"]),
    ({"ports": [PORT], "clusterIP": "None", "type": "NodePort"},
     ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"]),
    ({"ports": [PORT], "clusterIP": "None", "type": "LoadBalancer"},
     ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer services"]),
    ({"type": "ExternalName"}, ["spec.externalName: Required value"]),
    ({"type": "ExternalName", "externalName": "My_Host"}, [f'spec.externalName: Invalid value: "My_Host": {SUBDOMAIN}']),
    ({"type": "ExternalName", "externalName": "api.example.com."}, []),
    ({"type": "ExternalName", "externalName": "1.2.3.4"}, []),
    ({"type": "ExternalName", "externalName": "a.b", "clusterIP": "10.96.0.5"},
     ["spec.clusterIPs: Forbidden: may not be set for ExternalName services"]),
    ({"type": "ExternalName", "externalName": "a.b", "ipFamilyPolicy": "SingleStack", "ipFamilies": ["IPv4"]},
     ["spec.ipFamilies: Forbidden: may not be set for ExternalName services",
      "spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services"]),
    ({"ports": [PORT], "externalIPs": ["127.0.0.1", "abc"]},
     ['spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'spec.externalIPs[1]: Invalid value: "abc": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']),
    ({"ports": [PORT], "externalTrafficPolicy": "Local"},
     ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services']),
    ({"ports": [PORT], "type": "NodePort", "externalTrafficPolicy": "Foo"},
     ['spec.externalTrafficPolicy: Unsupported value: "Foo": supported values: "Cluster", "Local"']),
    ({"ports": [PORT], "type": "NodePort", "healthCheckNodePort": 30001},
     ["spec.healthCheckNodePort: Invalid value: 30001: may only be set when `type` is 'LoadBalancer' and "
      "`externalTrafficPolicy` is 'Local'"]),
    ({"ports": [PORT], "loadBalancerSourceRanges": ["10.0.0.0/33"]},
     ["spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
      'spec.LoadBalancerSourceRanges[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. '
      "10.9.8.0/24 or 2001:db8::/64)"]),
    ({"ports": [PORT], "type": "LoadBalancer", "loadBalancerSourceRanges": [" 130.211.204.1/32 "]}, []),
    ({"ports": [PORT], "allocateLoadBalancerNodePorts": False},
     ["spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'"]),
    ({"ports": [PORT], "loadBalancerClass": "example.com/lb"},
     ["spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'"]),
    ({"ports": [PORT], "internalTrafficPolicy": "Foo"},
     ['spec.internalTrafficPolicy: Unsupported value: "Foo": supported values: "Cluster", "Local"']),
    ({"ports": [PORT], "trafficDistribution": "Anywhere"},
     ['spec.trafficDistribution: Unsupported value: "Anywhere": supported values: "PreferClose", '
      '"PreferSameZone", "PreferSameNode"']),
    ({"ports": [PORT], "ipFamilyPolicy": "RequireDualStack"},
     ['spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack '
      "services"]),
    ({"ports": [PORT], "ipFamilies": ["IPv6"]}, ['spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster']),
    ({"ports": [PORT], "ipFamilyPolicy": "Triple"},
     ['spec.ipFamilyPolicy: Unsupported value: "Triple": supported values: "PreferDualStack", "RequireDualStack",'
      ' "SingleStack"']),
    ({"clusterIP": "None", "ports": [PORT]}, []),
    ({"clusterIP": "None"}, []),
])
def test_service_rules(spec, messages):
    assert errors(spec) == messages


def test_source_ranges_annotation():
    annotation = "service.beta.kubernetes.io/load-balancer-source-ranges"
    assert errors({"ports": [PORT]}, annotations={annotation: "10.0.0.0/8, bad"}) == [
        f"metadata.annotations[{annotation}]: Forbidden: may only be used when `type` is 'LoadBalancer'",
        f'metadata.annotations[{annotation}]: Invalid value: "bad": must be a valid CIDR value, (e.g. 10.9.8.0/24 or '
        "2001:db8::/64)"]


def test_kubectl_line_for_several_causes():
    obj = defaulted({"metadata": {"name": "kubia", "namespace": "default"},
                     "spec": {"ports": [{"port": 80}, {"port": 443}]}})
    err = invalid_object(SERVICE.qualified_kind, "kubia", SERVICE.validate(obj, None))
    assert err.message == ('Service "kubia" is invalid: [spec.ports[0].name: Required value, '
                           "spec.ports[1].name: Required value]")


# -- validation: §3.2 updates ----------------------------------------------------------------------


def stored(**spec: Any) -> dict[str, Any]:
    obj = defaulted({"metadata": {"name": "kubia", "namespace": "default"}, "spec": {"ports": [PORT], **spec}})
    return obj


def test_cluster_ip_may_not_change():
    old = stored(clusterIP="10.96.5.5")
    assert errors({"ports": [PORT], "clusterIP": "10.96.5.6"}, old=old) == [
        'spec.clusterIPs[0]: Invalid value: ["10.96.5.6"]: may not change once set']
    assert errors({"ports": [PORT], "clusterIP": "10.96.5.5"}, old=old) == []


def test_headless_to_headless_and_external_name_transitions_are_free():
    assert errors({"ports": [PORT], "clusterIP": "None"}, old=stored(clusterIP="None")) == []
    assert errors({"type": "ExternalName", "externalName": "a.b"}, old=stored(clusterIP="10.96.5.5")) == []


def test_health_check_node_port_is_immutable_and_class_fixed():
    old = stored(type="LoadBalancer", externalTrafficPolicy="Local", healthCheckNodePort=30001,
                 loadBalancerClass="example.com/a")
    assert errors({"ports": [PORT], "type": "LoadBalancer", "externalTrafficPolicy": "Local",
                   "healthCheckNodePort": 30002, "loadBalancerClass": "example.com/b"}, old=old) == [
        'spec.loadBalancerClass: Invalid value: "example.com/b": may not change once set',
        "spec.healthCheckNodePort: Forbidden: field is immutable",
    ]


# -- table cells -----------------------------------------------------------------------------------


def service(name: str, kind: str, cluster_ip: str | None, ports: list[dict[str, Any]], age: timedelta,
            **spec: Any) -> dict[str, Any]:
    spec = {"type": kind, "ports": ports, **spec}
    if cluster_ip:
        spec["clusterIPs"] = [cluster_ip]
    created = (NOW - age).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"metadata": {"name": name, "creationTimestamp": created}, "spec": spec, "status": {"loadBalancer": {}}}


def table(objects: list[dict[str, Any]], wide: bool = False) -> str:
    columns = [c for c in SERVICE.columns if wide or c.priority == 0]
    rows = [[c.name.upper() for c in columns]]
    for obj in objects:
        rows.append([(c.wide_cell if wide and c.wide_cell else c.cell)(obj, NOW) for c in columns])
    return format_rows(rows)


def test_sample_get_svc_table():
    tcp = [{"port": 443, "protocol": "TCP"}]
    objects = [
        service("kubernetes", "ClusterIP", "10.96.0.1", tcp, timedelta(days=8)),
        service("kubia", "ClusterIP", "10.111.249.153", [{"port": 80, "protocol": "TCP"}] + tcp,
                timedelta(minutes=6, seconds=27)),
        service("kubia-headless", "ClusterIP", "None", [{"port": 80, "protocol": "TCP"}], timedelta(minutes=2)),
        service("kubia-lb", "LoadBalancer", "10.109.9.52", [{"port": 80, "protocol": "TCP", "nodePort": 31234}],
                timedelta(seconds=45)),
        service("kubia-nodeport", "NodePort", "10.110.12.7", [{"port": 80, "protocol": "TCP", "nodePort": 30123}],
                timedelta(hours=3, minutes=5)),
        service("external-svc", "ExternalName", None, tcp, timedelta(days=15), externalName="api.somecompany.com"),
    ]
    assert table(objects) == (
        "NAME             TYPE           CLUSTER-IP       EXTERNAL-IP           PORT(S)          AGE\n"
        "kubernetes       ClusterIP      10.96.0.1        <none>                443/TCP          8d\n"
        "kubia            ClusterIP      10.111.249.153   <none>                80/TCP,443/TCP   6m27s\n"
        "kubia-headless   ClusterIP      None             <none>                80/TCP           2m\n"
        "kubia-lb         LoadBalancer   10.109.9.52      <pending>             80:31234/TCP     45s\n"
        "kubia-nodeport   NodePort       10.110.12.7      <none>                80:30123/TCP     3h5m\n"
        "external-svc     ExternalName   <none>           api.somecompany.com   443/TCP          15d\n")


def test_load_balancer_addresses_are_sorted_and_cut_unless_wide():
    lb = service("kubia-lb", "LoadBalancer", "10.109.9.52", [{"port": 80, "protocol": "TCP", "nodePort": 31234}],
                 timedelta(seconds=45), selector={"app": "kubia"})
    lb["status"]["loadBalancer"]["ingress"] = [{"ip": "35.1.2.3"}, {"ip": "130.211.36.200"}, {"ip": "35.1.2.3"}]
    narrow, wide = table([lb]).splitlines()[1], table([lb], wide=True).splitlines()[1]
    assert narrow.split()[3] == "130.211.36.20..."
    assert wide.split()[3:] == ["130.211.36.200,35.1.2.3", "80:31234/TCP", "45s", "app=kubia"]


def test_external_ips_cells():
    cluster = service("a", "ClusterIP", "10.96.0.9", [], timedelta(0), externalIPs=["1.2.3.4", "5.6.7.8"])
    balancer = service("b", "LoadBalancer", "10.96.0.8", [], timedelta(0), externalIPs=["9.9.9.9"])
    balancer["status"]["loadBalancer"]["ingress"] = [{"hostname": "lb.example.com"}]
    cells = {c.name: c.cell for c in SERVICE.columns}
    assert cells["External-IP"](cluster, NOW) == "1.2.3.4,5.6.7.8"
    assert cells["Port(s)"](cluster, NOW) == "<none>"
    assert cells["External-IP"](balancer, NOW) == "lb.example.com,9.9.9.9"
    unknown = service("c", "Weird", "10.96.0.7", [], timedelta(0))
    assert cells["External-IP"](unknown, NOW) == "<unknown>"
    assert cells["Selector"](cluster, NOW) == "<none>"
