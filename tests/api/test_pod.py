"""Pods: defaulting of the book's pods, pod-spec validation texts, and READY/STATUS/RESTARTS cells."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kubesim.api.kinds.pod import image_tag, pod_summary
from kubesim.api.registry import kind_named
from kubesim.api.validation import validate_object_meta
from kubesim.printers.tabwriter import format_rows
from tests.api.corpus import manifest

POD = kind_named("Pod")
NOW = datetime(2024, 7, 10, 12, 0, 0, tzinfo=UTC)
ADMISSION = {
    "enableServiceLinks": True, "serviceAccountName": "default", "serviceAccount": "default", "priority": 0,
    "preemptionPolicy": "PreemptLowerPriority",
    "tolerations": [
        {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
        {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists",
         "tolerationSeconds": 300},
    ],
}
POD_SPEC_DEFAULTS = {"dnsPolicy": "ClusterFirst", "restartPolicy": "Always", "schedulerName": "default-scheduler",
                     "securityContext": {}, "terminationGracePeriodSeconds": 30}
CONTAINER_DEFAULTS = {"imagePullPolicy": "Always", "resources": {}, "terminationMessagePath": "/dev/termination-log",
                      "terminationMessagePolicy": "File"}


def defaulted(obj: dict[str, Any]) -> dict[str, Any]:
    obj = copy.deepcopy(obj)
    POD.default(obj)
    return obj


def test_defaulting_the_books_pod():
    assert defaulted(manifest("Chapter03/kubia-manual-with-labels.yaml")) == {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "kubia-manual-v2", "labels": {"creation_method": "manual", "env": "prod"}},
        "spec": {
            "containers": [{"image": "luksa/kubia", "name": "kubia",
                            "ports": [{"containerPort": 8080, "protocol": "TCP"}], **CONTAINER_DEFAULTS}],
            **POD_SPEC_DEFAULTS, **ADMISSION,
        },
        "status": {"phase": "Pending", "qosClass": "BestEffort"},
    }


def test_defaulting_a_liveness_probe():
    container = defaulted(manifest("Chapter04/kubia-liveness-probe.yaml"))["spec"]["containers"][0]
    assert container == {
        "image": "luksa/kubia-unhealthy", "name": "kubia", **CONTAINER_DEFAULTS,
        "livenessProbe": {"httpGet": {"path": "/", "port": 8080, "scheme": "HTTP"}, "timeoutSeconds": 1,
                          "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3},
    }


@pytest.mark.parametrize("image, tag, policy", [
    ("luksa/kubia", "latest", "Always"), ("luksa/kubia:latest", "latest", "Always"),
    ("busybox:1.36", "1.36", "IfNotPresent"), ("localhost:5000/app", "latest", "Always"),
    ("localhost:5000/app:v2", "v2", "IfNotPresent"), ("nginx@sha256:" + "a" * 64, "", "IfNotPresent"),
    ("Bad/Image", "", "IfNotPresent"),
])
def test_image_pull_policy_follows_the_tag(image, tag, policy):
    assert image_tag(image) == tag
    obj = defaulted({"spec": {"containers": [{"name": "c", "image": image}]}})
    assert obj["spec"]["containers"][0]["imagePullPolicy"] == policy


def test_limits_become_requests_and_set_the_qos_class():
    obj = defaulted({"spec": {"containers": [{"name": "c", "image": "x:1", "resources": {
        "limits": {"cpu": "500m", "memory": "128Mi"}}}]}})
    assert obj["spec"]["containers"][0]["resources"] == {"limits": {"cpu": "500m", "memory": "128Mi"},
                                                         "requests": {"cpu": "500m", "memory": "128Mi"}}
    assert obj["status"]["qosClass"] == "Guaranteed"
    burstable = defaulted({"spec": {"containers": [{"name": "c", "image": "x:1", "resources": {
        "requests": {"cpu": "100m"}}}]}})
    assert burstable["status"]["qosClass"] == "Burstable"


def test_volume_and_env_defaults():
    spec = defaulted({"spec": {"containers": [{"name": "c", "image": "x:1", "env": [
        {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]}],
        "volumes": [{"name": "a", "secret": {"secretName": "s"}}, {"name": "b"}, {"name": "c", "hostPath": {"path": "/"}}]}})["spec"]
    assert spec["volumes"] == [{"name": "a", "secret": {"secretName": "s", "defaultMode": 420}},
                               {"name": "b", "emptyDir": {}}, {"name": "c", "hostPath": {"path": "/", "type": ""}}]
    assert spec["containers"][0]["env"][0]["valueFrom"]["fieldRef"]["apiVersion"] == "v1"


# -- validation ------------------------------------------------------------------------------------


def errors(spec: dict[str, Any], old: dict[str, Any] | None = None) -> list[str]:
    obj = defaulted({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "kubia", "namespace": "default"},
                     "spec": spec})
    return [e.message() for e in validate_object_meta(POD, obj) + POD.validate(obj, old)]


def container(**fields: Any) -> dict[str, Any]:
    return {"name": "kubia", "image": "luksa/kubia", **fields}


PORT_RANGE = "must be between 1 and 65535, inclusive"


@pytest.mark.parametrize("spec, messages", [
    ({}, ["spec.containers: Required value"]),
    ({"containers": [{}]}, ["spec.containers[0].name: Required value", "spec.containers[0].image: Required value"]),
    ({"containers": [container(), container()]}, ['spec.containers[1].name: Duplicate value: "kubia"']),
    ({"containers": [container(name="Kubia")]}, [
        'spec.containers[0].name: Invalid value: "Kubia": a lowercase RFC 1123 label must consist of lower case '
        "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  "
        "or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"]),
    ({"containers": [container(ports=[{"name": "http"}])]}, ["spec.containers[0].ports[0].containerPort: Required value"]),
    ({"containers": [container(ports=[{"containerPort": 70000}])]},
     [f"spec.containers[0].ports[0].containerPort: Invalid value: 70000: {PORT_RANGE}"]),
    ({"containers": [container(ports=[{"name": "http", "containerPort": 80}, {"name": "http", "containerPort": 81}])]},
     ['spec.containers[0].ports[1].name: Duplicate value: "http"']),
    ({"containers": [container(ports=[{"name": "web-http-port-12", "containerPort": 80}])]},
     ['spec.containers[0].ports[0].name: Invalid value: "web-http-port-12": must be no more than 15 characters']),
    ({"containers": [container(ports=[{"containerPort": 80, "protocol": "ICMP"}])]},
     ['spec.containers[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"']),
    ({"containers": [container(readinessProbe={"periodSeconds": 5})]},
     ["spec.containers[0].readinessProbe: Required value: must specify a handler type"]),
    ({"containers": [container(livenessProbe={"httpGet": {"port": 8080}, "tcpSocket": {"port": 8080}})]},
     ["spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"]),
    ({"containers": [container(readinessProbe={"exec": {"command": ["true"]}, "periodSeconds": -1})]},
     ["spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0"]),
    ({"containers": [container(livenessProbe={"exec": {"command": ["true"]}, "successThreshold": 2})]},
     ["spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"]),
    ({"containers": [container(readinessProbe={"exec": {"command": ["true"]}, "terminationGracePeriodSeconds": 10})]},
     ["spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 10: must not be set for "
      "readinessProbes"]),
    ({"containers": [container(livenessProbe={"exec": {}})]}, ["spec.containers[0].livenessProbe.exec.command: Required value"]),
    ({"containers": [container(livenessProbe={"httpGet": {"port": "HTTP"}})]},
     ['spec.containers[0].livenessProbe.httpGet.port: Invalid value: "HTTP": must contain only alpha-numeric '
      "characters (a-z, 0-9), and hyphens (-)",
      'spec.containers[0].livenessProbe.httpGet.port: Invalid value: "HTTP": must contain at least one letter (a-z)']),
    ({"containers": [container(livenessProbe={"httpGet": {"port": 80, "scheme": "FTP"}})]},
     ['spec.containers[0].livenessProbe.httpGet.scheme: Unsupported value: "FTP": supported values: "HTTP", "HTTPS"']),
    ({"containers": [container(volumeMounts=[{"name": "data", "mountPath": "/data"}])]},
     ['spec.containers[0].volumeMounts[0].name: Not found: "data"']),
    ({"containers": [container(imagePullPolicy="Sometimes")]},
     ['spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", '
      '"IfNotPresent", "Never"']),
    ({"containers": [container(image=" luksa/kubia")]},
     ['spec.containers[0].image: Invalid value: " luksa/kubia": must not have leading or trailing whitespace']),
    ({"containers": [container(env=[{"value": "x"}, {"name": "A=B"}])]},
     ["spec.containers[0].env[0].name: Required value",
      'spec.containers[0].env[1].name: Invalid value: "A=B": a valid environment variable name must consist only '
      "of printable ASCII characters other than '='"]),
    ({"containers": [container()], "restartPolicy": "Sometimes"},
     ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']),
    ({"containers": [container()], "dnsPolicy": "Google"},
     ['spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", '
      '"Default", "None"']),
    ({"containers": [container()], "volumes": [{"name": "a", "emptyDir": {}, "secret": {"secretName": "s"}}]},
     ["spec.volumes[0].secret: Forbidden: may not specify more than 1 volume type"]),
    ({"containers": [container()], "volumes": [{"name": "a", "emptyDir": {}}, {"name": "a", "emptyDir": {}}]},
     ['spec.volumes[1].name: Duplicate value: "a"']),
    ({"containers": [container()], "hostname": "my.host"},
     ['spec.hostname: Invalid value: "my.host": must not contain dots']),
    ({"containers": [container()], "initContainers": [container(name="init", readinessProbe={"exec": {"command": ["x"]}})]},
     ["spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without "
      "restartPolicy=Always"]),
    ({"containers": [container(restartPolicy="Always")]},
     ["spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers"]),
])
def test_pod_rules(spec, messages):
    assert errors(spec) == messages


def test_the_books_pods_are_valid():
    for path in ("Chapter03/kubia-manual.yaml", "Chapter03/kubia-manual-with-labels.yaml",
                 "Chapter04/kubia-liveness-probe.yaml"):
        obj = defaulted(manifest(path))
        obj["metadata"]["namespace"] = "default"
        assert validate_object_meta(POD, obj) + POD.validate(obj, None) == [], path


def test_pod_updates_may_change_only_a_few_fields():
    old = defaulted({"metadata": {"name": "kubia", "namespace": "default"},
                     "spec": {"containers": [container(image="luksa/kubia:v1")]}})
    assert errors({"containers": [container(image="luksa/kubia:v2")]}, old=old) == []
    assert errors({"containers": [container(image="luksa/kubia:v1", ports=[{"containerPort": 80}])]}, old=old) == [
        "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
        "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
        "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously "
        "negative)"]


# -- cells -----------------------------------------------------------------------------------------


def stamp(delta: timedelta) -> str:
    return (NOW - delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def pod(name: str, age: timedelta, statuses: list[dict[str, Any]], *, phase: str = "Running", ip: str | None = None,
        containers: int = 1, **status: Any) -> dict[str, Any]:
    obj = {"metadata": {"name": name, "creationTimestamp": stamp(age)},
           "spec": {"nodeName": "minikube", "containers": [{"name": f"c{i}"} for i in range(containers)]},
           "status": {"phase": phase, "containerStatuses": statuses, **status}}
    if ip:
        obj["status"]["podIPs"] = [{"ip": ip}]
    return obj


RUNNING = {"ready": True, "restartCount": 0, "state": {"running": {"startedAt": "2024-07-10T11:00:00Z"}}}


def test_sample_get_pods_wide_table():
    restarted = {**RUNNING, "restartCount": 2,
                 "lastState": {"terminated": {"exitCode": 137, "finishedAt": stamp(timedelta(seconds=44))}}}
    objects = [
        pod("kubia-6b9wj", timedelta(minutes=2, seconds=29), [RUNNING], ip="10.244.0.5"),
        pod("kubia-x7vrd", timedelta(seconds=5), [{"ready": False, "restartCount": 0,
                                                   "state": {"waiting": {"reason": "ContainerCreating"}}}],
            phase="Pending"),
        pod("kubia-zz2b1", timedelta(minutes=10), [restarted], ip="10.244.0.7"),
    ]
    rows = [[c.name.upper() for c in POD.columns]]
    rows += [[c.cell(o, NOW) for c in POD.columns] for o in objects]
    assert format_rows(rows) == (
        "NAME          READY   STATUS              RESTARTS      AGE     IP           NODE       NOMINATED NODE   "
        "READINESS GATES\n"
        "kubia-6b9wj   1/1     Running             0             2m29s   10.244.0.5   minikube   <none>           "
        "<none>\n"
        "kubia-x7vrd   0/1     ContainerCreating   0             5s      <none>       minikube   <none>           "
        "<none>\n"
        "kubia-zz2b1   1/1     Running             2 (44s ago)   10m     10.244.0.7   minikube   <none>           "
        "<none>\n")


def test_not_ready_container_counts_zero():
    assert pod_summary(pod("p", timedelta(0), [{**RUNNING, "ready": False}]), NOW) == ("0/1", "Running", "0")


def test_a_pod_with_no_status_yet():
    obj = {"metadata": {"name": "foo"}, "spec": {"containers": [{"name": "c"}]}, "status": {"phase": "Pending"}}
    assert pod_summary(obj, NOW) == ("0/1", "Pending", "0")
    assert POD.columns[4].cell({"metadata": {}}, NOW) == "<unknown>"


@pytest.mark.parametrize("statuses, status, expected", [
    ([{"state": {"waiting": {"reason": "CrashLoopBackOff"}}, "restartCount": 3}], {}, "CrashLoopBackOff"),
    ([{"state": {"terminated": {"reason": "Completed", "exitCode": 0}}}], {"phase": "Succeeded"}, "Completed"),
    ([{"state": {"terminated": {"exitCode": 2}}}], {"phase": "Failed"}, "ExitCode:2"),
    ([{"state": {"terminated": {"exitCode": 0, "signal": 9}}}], {"phase": "Failed"}, "Signal:9"),
    ([], {"phase": "Failed", "reason": "Evicted"}, "Evicted"),
    ([], {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]},
     "SchedulingGated"),
])
def test_status_reasons(statuses, status, expected):
    obj = pod("p", timedelta(0), statuses)
    obj["status"].update(status)
    assert pod_summary(obj, NOW)[1] == expected


def test_completed_with_a_running_container_is_running_or_not_ready():
    statuses = [RUNNING, {"state": {"terminated": {"reason": "Completed", "exitCode": 0}}}]
    obj = pod("p", timedelta(0), statuses, containers=2)
    assert pod_summary(obj, NOW) == ("1/2", "NotReady", "0")
    obj["status"]["conditions"] = [{"type": "Ready", "status": "True"}]
    assert pod_summary(obj, NOW)[1] == "Running"


def test_init_containers():
    obj = pod("p", timedelta(0), [{"state": {"waiting": {"reason": "PodInitializing"}}}], phase="Pending")
    obj["spec"]["initContainers"] = [{"name": "init"}, {"name": "init2"}]
    obj["status"]["initContainerStatuses"] = [{"name": "init", "state": {"running": {}}, "restartCount": 0}]
    assert pod_summary(obj, NOW) == ("0/1", "Init:0/2", "0")
    obj["status"]["initContainerStatuses"] = [{"name": "init", "restartCount": 4,
                                               "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]
    assert pod_summary(obj, NOW)[1:] == ("Init:CrashLoopBackOff", "4")
    obj["status"]["initContainerStatuses"] = [{"name": "init", "state": {"terminated": {"exitCode": 1}}}]
    assert pod_summary(obj, NOW)[1] == "Init:ExitCode:1"


def test_sidecar_counts_towards_ready_and_total():
    obj = pod("p", timedelta(0), [RUNNING])
    obj["spec"]["initContainers"] = [{"name": "proxy", "restartPolicy": "Always"}]
    obj["status"]["initContainerStatuses"] = [{"name": "proxy", "started": True, "ready": True, "restartCount": 1,
                                               "state": {"running": {}}}]
    assert pod_summary(obj, NOW) == ("2/2", "Running", "1")


def test_terminating_and_wide_cells():
    obj = pod("p", timedelta(0), [RUNNING])
    obj["metadata"]["deletionTimestamp"] = stamp(timedelta(0))
    assert pod_summary(obj, NOW)[1] == "Terminating"
    obj["status"]["reason"] = "NodeLost"
    assert pod_summary(obj, NOW)[1] == "Unknown"
    obj["spec"]["readinessGates"] = [{"conditionType": "a"}, {"conditionType": "b"}]
    obj["status"]["conditions"] = [{"type": "a", "status": "True"}, {"type": "b", "status": "False"}]
    obj["status"]["nominatedNodeName"] = "node2"
    cells = {c.name: c.cell(obj, NOW) for c in POD.columns}
    assert (cells["Readiness Gates"], cells["Nominated Node"], cells["IP"]) == ("1/2", "node2", "<none>")
