"""``kubectl describe`` layouts, compared whole against kubectl 1.36's output.

Golden texts are written like ``cat -A``: every line ends in ``$`` so the trailing blanks kubectl's
tabwriter leaves (``IP:`` of a pending pod, the host cell of an ingress rule) stay visible. The four
examples of the reference (kubectl.md §10) come first and must match byte for byte.
"""

from __future__ import annotations

import base64
import textwrap
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from kubesim.printers.describe import (
    Quantity,
    describe,
    describe_many,
    describe_matching,
    describe_probe,
    events_matching,
    format_endpoint_slices,
)

NOW = datetime(2024, 7, 1, 10, 0, 10, tzinfo=UTC)
LATER = datetime(2024, 7, 1, 10, 5, 0, tzinfo=UTC)


def golden(text: str) -> str:
    """A ``cat -A`` style block back to the exact text: strip the ``$`` that ends every line."""
    lines = textwrap.dedent(text).strip("\n").split("\n")
    assert all(line.endswith("$") for line in lines), "every golden line must end with $"
    return "".join(line[:-1] + "\n" for line in lines)


class FakeRelated:
    """The CLI's view of the cluster, reduced to a list of objects."""

    def __init__(self, *objects: dict) -> None:
        self.objects = list(objects)
        self.list_calls: list[tuple] = []

    def list(self, kind: str, group: str, namespace: str | None, label_selector: dict | None = None) -> list[dict]:
        self.list_calls.append((kind, group, namespace, label_selector))
        found = []
        for obj in self.objects:
            api_version = obj.get("apiVersion", "v1")
            obj_group = api_version.rsplit("/", 1)[0] if "/" in api_version else ""
            if obj.get("kind") != kind or obj_group != group:
                continue
            if namespace is not None and obj["metadata"].get("namespace") != namespace:
                continue
            found.append(obj)
        return found

    def events_for(self, obj: dict) -> list[dict]:
        return events_matching(obj, [o for o in self.objects if o.get("kind") == "Event"])


def event(name: str, involved: dict, reason: str, message: str, first: str, last: str | None = None,
          count: int = 1, kind: str = "Normal", component: str = "", **extra) -> dict:
    return {"apiVersion": "v1", "kind": "Event", "metadata": {"name": name, "namespace": involved.get("namespace", "default")},
            "involvedObject": involved, "type": kind, "reason": reason, "message": message,
            "source": {"component": component} if component else {}, "firstTimestamp": first,
            "lastTimestamp": last or first, "count": count, **extra}


# ---------------------------------------------------------------------------------------------
# The reference examples (kubectl.md §10)

def nodeport_service() -> dict:
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "kubia-nodeport", "namespace": "default", "uid": "svc-uid",
                         "labels": {"app": "kubia", "tier": "web"}},
            "spec": {"selector": {"app": "kubia"}, "type": "NodePort", "ipFamilyPolicy": "SingleStack",
                     "ipFamilies": ["IPv4"], "clusterIP": "10.110.12.7", "clusterIPs": ["10.110.12.7"],
                     "ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP", "nodePort": 30123}],
                     "sessionAffinity": "None", "externalTrafficPolicy": "Cluster", "internalTrafficPolicy": "Cluster"}}


def slice_for(service: str, *addresses: str, port: int = 8080, name: str = "", ready: bool = True) -> dict:
    return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": f"{service}-abcde", "namespace": "default",
                         "labels": {"kubernetes.io/service-name": service}},
            "addressType": "IPv4", "ports": [{"name": name, "port": port, "protocol": "TCP"}],
            "endpoints": [{"addresses": [address], "conditions": {"ready": ready}} for address in addresses]}


def test_nodeport_service_matches_the_reference() -> None:
    related = FakeRelated(nodeport_service(), slice_for("kubia-nodeport", "10.244.0.5"))
    assert describe(nodeport_service(), related, NOW) == golden("""
        Name:                     kubia-nodeport$
        Namespace:                default$
        Labels:                   app=kubia$
                                  tier=web$
        Annotations:              <none>$
        Selector:                 app=kubia$
        Type:                     NodePort$
        IP Family Policy:         SingleStack$
        IP Families:              IPv4$
        IP:                       10.110.12.7$
        IPs:                      10.110.12.7$
        Port:                     <unset>  80/TCP$
        TargetPort:               8080/TCP$
        NodePort:                 <unset>  30123/TCP$
        Endpoints:                10.244.0.5:8080$
        Session Affinity:         None$
        External Traffic Policy:  Cluster$
        Internal Traffic Policy:  Cluster$
        Events:                   <none>$
    """)
    assert ("EndpointSlice", "discovery.k8s.io", "default",
            {"matchLabels": {"kubernetes.io/service-name": "kubia-nodeport"}}) in related.list_calls


def running_pod() -> dict:
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "kubia-6b9wj", "namespace": "default", "uid": "pod-uid", "labels": {"app": "kubia"},
                     "creationTimestamp": "2024-07-01T10:00:00Z",
                     "ownerReferences": [{"apiVersion": "v1", "kind": "ReplicationController", "name": "kubia",
                                          "uid": "rc-uid", "controller": True, "blockOwnerDeletion": True}]},
        "spec": {
            "priority": 0, "serviceAccountName": "default", "nodeName": "minikube",
            "containers": [{"name": "kubia", "image": "luksa/kubia", "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                            "volumeMounts": [{"name": "kube-api-access-x2x7z", "readOnly": True,
                                              "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}]}],
            "volumes": [{"name": "kube-api-access-x2x7z", "projected": {"sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                {"downwardAPI": {"items": [{"path": "namespace",
                                            "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}]}}],
            "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
                             "tolerationSeconds": 300},
                            {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
                             "tolerationSeconds": 300}]},
        "status": {
            "phase": "Running", "hostIP": "192.168.49.2", "podIP": "10.244.0.5", "podIPs": [{"ip": "10.244.0.5"}],
            "startTime": "2024-07-01T10:00:00Z", "qosClass": "BestEffort",
            "conditions": [{"type": t, "status": "True"} for t in
                           ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]],
            "containerStatuses": [{"name": "kubia", "containerID": "containerd://0123abcd", "image": "luksa/kubia",
                                   "imageID": "docker.io/luksa/kubia@sha256:3f28...", "ready": True, "restartCount": 0,
                                   "state": {"running": {"startedAt": "2024-07-01T10:00:05Z"}}}]}}


def test_pod_matches_the_reference() -> None:
    scheduled = event("kubia-6b9wj.1", {"kind": "Pod", "namespace": "default", "name": "kubia-6b9wj", "uid": "pod-uid"},
                      "Scheduled", "Successfully assigned default/kubia-6b9wj to minikube", None,
                      eventTime="2024-07-01T10:00:00.000000Z", reportingController="default-scheduler")
    scheduled["firstTimestamp"] = scheduled["lastTimestamp"] = None
    assert describe(running_pod(), FakeRelated(scheduled), NOW) == golden("""
        Name:             kubia-6b9wj$
        Namespace:        default$
        Priority:         0$
        Service Account:  default$
        Node:             minikube/192.168.49.2$
        Start Time:       Mon, 01 Jul 2024 10:00:00 +0000$
        Labels:           app=kubia$
        Annotations:      <none>$
        Status:           Running$
        IP:               10.244.0.5$
        IPs:$
          IP:           10.244.0.5$
        Controlled By:  ReplicationController/kubia$
        Containers:$
          kubia:$
            Container ID:   containerd://0123abcd$
            Image:          luksa/kubia$
            Image ID:       docker.io/luksa/kubia@sha256:3f28...$
            Port:           8080/TCP$
            Host Port:      0/TCP$
            State:          Running$
              Started:      Mon, 01 Jul 2024 10:00:05 +0000$
            Ready:          True$
            Restart Count:  0$
            Environment:    <none>$
            Mounts:$
              /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x2x7z (ro)$
        Conditions:$
          Type                        Status$
          PodReadyToStartContainers   True $
          Initialized                 True $
          Ready                       True $
          ContainersReady             True $
          PodScheduled                True $
        Volumes:$
          kube-api-access-x2x7z:$
            Type:                    Projected (a volume that contains injected data from multiple sources)$
            TokenExpirationSeconds:  3607$
            ConfigMapName:           kube-root-ca.crt$
            Optional:                false$
            DownwardAPI:             true$
        QoS Class:                   BestEffort$
        Node-Selectors:              <none>$
        Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s$
                                     node.kubernetes.io/unreachable:NoExecute op=Exists for 300s$
        Events:$
          Type    Reason     Age   From               Message$
          ----    ------     ----  ----               -------$
          Normal  Scheduled  10s   default-scheduler  Successfully assigned default/kubia-6b9wj to minikube$
    """)


def test_endpoints_matches_the_reference() -> None:
    endpoints = {"apiVersion": "v1", "kind": "Endpoints",
                 "metadata": {"name": "kubia", "namespace": "default", "uid": "ep-uid",
                              "annotations": {"endpoints.kubernetes.io/last-change-trigger-time": "2024-07-01T10:00:07Z"}},
                 "subsets": [{"addresses": [{"ip": "10.244.0.5"}, {"ip": "10.244.0.6"}, {"ip": "10.244.0.7"}],
                              "ports": [{"port": 8080, "protocol": "TCP"}]}]}
    assert describe(endpoints, FakeRelated(), NOW) == golden("""
        Name:         kubia$
        Namespace:    default$
        Labels:       <none>$
        Annotations:  endpoints.kubernetes.io/last-change-trigger-time: 2024-07-01T10:00:07Z$
        Subsets:$
          Addresses:          10.244.0.5,10.244.0.6,10.244.0.7$
          NotReadyAddresses:  <none>$
          Ports:$
            Name     Port  Protocol$
            ----     ----  --------$
            <unset>  8080  TCP$
        $
        Events:  <none>$
    """)


def test_endpoints_without_subsets_and_with_not_ready_addresses() -> None:
    endpoints = {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "kubia", "namespace": "default"},
                 "subsets": [{"notReadyAddresses": [{"ip": "10.244.0.9"}],
                              "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]}]}
    assert describe(endpoints, FakeRelated(), NOW) == golden("""
        Name:         kubia$
        Namespace:    default$
        Labels:       <none>$
        Annotations:  <none>$
        Subsets:$
          Addresses:          <none>$
          NotReadyAddresses:  10.244.0.9$
          Ports:$
            Name  Port  Protocol$
            ----  ----  --------$
            http  8080  TCP$
        $
        Events:  <none>$
    """)
    empty = {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "none", "namespace": "default"}}
    assert describe(empty, FakeRelated(), NOW) == golden("""
        Name:         none$
        Namespace:    default$
        Labels:       <none>$
        Annotations:  <none>$
        Subsets:$
        Events:  <none>$
    """)


def test_ingress_matches_the_reference() -> None:
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "kubia-nodeport", "namespace": "default"},
               "spec": {"ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP", "nodePort": 30123}]}}
    ingress = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
               "metadata": {"name": "kubia", "namespace": "default", "uid": "ing-uid"},
               "spec": {"ingressClassName": "nginx", "rules": [{"host": "kubia.example.com", "http": {"paths": [
                   {"path": "/", "pathType": "Prefix",
                    "backend": {"service": {"name": "kubia-nodeport", "port": {"number": 80}}}}]}}]},
               "status": {"loadBalancer": {"ingress": [{"ip": "192.168.49.2"}]}}}
    related = FakeRelated(service, slice_for("kubia-nodeport", "10.244.0.5", "10.244.0.6", "10.244.0.7"), ingress)
    assert describe(ingress, related, NOW) == golden("""
        Name:             kubia$
        Labels:           <none>$
        Namespace:        default$
        Address:          192.168.49.2$
        Ingress Class:    nginx$
        Default backend:  <default>$
        Rules:$
          Host               Path  Backends$
          ----               ----  --------$
          kubia.example.com  $
                             /   kubia-nodeport:80 (10.244.0.5:8080,10.244.0.6:8080,10.244.0.7:8080)$
        Annotations:         <none>$
        Events:              <none>$
    """)


# ---------------------------------------------------------------------------------------------
# Services

def test_load_balancer_service_with_every_optional_line() -> None:
    service = {"apiVersion": "v1", "kind": "Service",
               "metadata": {"name": "kubia", "namespace": "default", "uid": "s1",
                            "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}",
                                            "description": "x" * 140, "multi": "line one\nline two\n"}},
               "spec": {"selector": {"app": "kubia", "tier": "web"}, "type": "LoadBalancer",
                        "ipFamilyPolicy": "SingleStack", "ipFamilies": ["IPv4"], "clusterIP": "10.96.100.1",
                        "clusterIPs": ["10.96.100.1"], "externalIPs": ["1.2.3.4"], "loadBalancerIP": "5.6.7.8",
                        "ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP",
                                   "nodePort": 31000, "appProtocol": "http"},
                                  {"name": "https", "port": 443, "targetPort": 8443, "protocol": "TCP",
                                   "nodePort": 31001}],
                        "sessionAffinity": "ClientIP", "externalTrafficPolicy": "Local",
                        "internalTrafficPolicy": "Cluster", "healthCheckNodePort": 32000,
                        "loadBalancerSourceRanges": ["10.0.0.0/8", "192.168.0.0/16"],
                        "trafficDistribution": "PreferClose"},
               "status": {"loadBalancer": {"ingress": [{"ip": "5.6.7.8", "ipMode": "VIP"},
                                                       {"hostname": "lb.example.com"}]}}}
    endpoint_slice = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                      "metadata": {"name": "kubia-abcde", "namespace": "default",
                                   "labels": {"kubernetes.io/service-name": "kubia"}},
                      "addressType": "IPv4",
                      "ports": [{"name": "http", "port": 8080, "protocol": "TCP"},
                                {"name": "https", "port": 8443, "protocol": "TCP"}],
                      "endpoints": [{"addresses": [f"10.244.0.{i}"], "conditions": {"ready": i != 4}}
                                    for i in range(1, 7)]}
    involved = {"kind": "Service", "name": "kubia", "namespace": "default", "uid": "s1"}
    events = [event("kubia.2", involved, "EnsuringLoadBalancer", "Ensuring load balancer  \n",
                    "2024-07-01T09:58:00Z", "2024-07-01T10:00:00Z", count=3, component="service-controller"),
              event("kubia.1", involved, "Type", "ClusterIP -> LoadBalancer", "2024-07-01T09:57:00Z",
                    component="service-controller")]
    related = FakeRelated(service, endpoint_slice, *events)
    assert describe(service, related, NOW) == golden("""
        Name:                        kubia$
        Namespace:                   default$
        Labels:                      <none>$
        Annotations:                 description:$
                                       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...$
                                     multi:$
                                       line one$
                                       line two$
        Selector:                    app=kubia,tier=web$
        Type:                        LoadBalancer$
        IP Family Policy:            SingleStack$
        IP Families:                 IPv4$
        IP:                          10.96.100.1$
        IPs:                         10.96.100.1$
        External IPs:                1.2.3.4$
        Desired LoadBalancer IP:     5.6.7.8$
        LoadBalancer Ingress:        5.6.7.8 (VIP), lb.example.com$
        Port:                        http  80/TCP$
        TargetPort:                  http/TCP$
        AppProtocol:                 http$
        NodePort:                    http  31000/TCP$
        Endpoints:                   10.244.0.1:8080,10.244.0.2:8080,10.244.0.3:8080 + 2 more...$
        Port:                        https  443/TCP$
        TargetPort:                  8443/TCP$
        NodePort:                    https  31001/TCP$
        Endpoints:                   10.244.0.1:8443,10.244.0.2:8443,10.244.0.3:8443 + 2 more...$
        Session Affinity:            ClientIP$
        External Traffic Policy:     Local$
        Internal Traffic Policy:     Cluster$
        HealthCheck NodePort:        32000$
        LoadBalancer Source Ranges:  10.0.0.0/8,192.168.0.0/16$
        Traffic Distribution:        PreferClose$
        Events:$
          Type    Reason                Age                  From                Message$
          ----    ------                ----                 ----                -------$
          Normal  Type                  3m10s                service-controller  ClusterIP -> LoadBalancer$
          Normal  EnsuringLoadBalancer  10s (x3 over 2m10s)  service-controller  Ensuring load balancer$
    """)


def test_external_name_service() -> None:
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "ext", "namespace": "default"},
               "spec": {"type": "ExternalName", "externalName": "api.example.com", "sessionAffinity": "None"}}
    assert describe(service, FakeRelated(service), NOW) == golden("""
        Name:              ext$
        Namespace:         default$
        Labels:            <none>$
        Annotations:       <none>$
        Selector:          <none>$
        Type:              ExternalName$
        IP Families:       <none>$
        IP:                $
        IPs:               <none>$
        External Name:     api.example.com$
        Session Affinity:  None$
        Events:            <none>$
    """)


def test_service_endpoints_line_without_slices_and_with_an_empty_slice() -> None:
    service = nodeport_service()
    assert "Endpoints:                <none>\n" in describe(service, FakeRelated(), NOW)
    placeholder = slice_for("kubia-nodeport")
    assert "Endpoints:                \n" in describe(service, FakeRelated(placeholder), NOW)


def test_format_endpoint_slices_counts_like_kubectl() -> None:
    four = [slice_for("s", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4")]
    assert format_endpoint_slices(four, {""}) == "10.0.0.1:8080,10.0.0.2:8080,10.0.0.3:8080 + 1 more..."
    last_not_ready = slice_for("s", "10.0.0.1", "10.0.0.2", "10.0.0.3")
    last_not_ready["endpoints"].append({"addresses": ["10.0.0.4"], "conditions": {"ready": False}})
    assert format_endpoint_slices([last_not_ready], {""}) == "10.0.0.1:8080,10.0.0.2:8080,10.0.0.3:8080 + 0 more..."
    assert format_endpoint_slices([slice_for("s", "fd00::1")], {""}) == "[fd00::1]:8080"
    assert format_endpoint_slices([slice_for("s", "10.0.0.1", name="http")], {""}) == ""
    headless = slice_for("s", "10.0.0.1", "10.0.0.2")
    headless["ports"] = []
    assert format_endpoint_slices([headless], {""}) == "10.0.0.1,10.0.0.2"
    assert format_endpoint_slices([], {""}) == "<none>"


# ---------------------------------------------------------------------------------------------
# Pods

def busy_pod() -> dict:
    container = {
        "name": "web", "image": "nginx:1.27", "command": ["nginx"], "args": ["-g", "daemon off;"],
        "ports": [{"name": "http", "containerPort": 80, "protocol": "TCP"}, {"containerPort": 443, "protocol": "TCP"}],
        "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "0.25", "memory": "64Mi"}},
        "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP"}, "initialDelaySeconds": 5,
                          "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3},
        "readinessProbe": {"exec": {"command": ["ls", "/var/ready"]}, "timeoutSeconds": 1, "periodSeconds": 10,
                           "successThreshold": 1, "failureThreshold": 3},
        "startupProbe": {"tcpSocket": {"port": "http"}, "timeoutSeconds": 1, "periodSeconds": 10,
                         "successThreshold": 1, "failureThreshold": 30},
        "envFrom": [{"configMapRef": {"name": "cfg"}}, {"secretRef": {"name": "sec", "optional": True}, "prefix": "S_"}],
        "env": [{"name": "PLAIN", "value": "a\nb"},
                {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
                {"name": "POD_IP", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}}},
                {"name": "CPU_LIMIT", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu", "divisor": "1m"}}},
                {"name": "MEM_REQ", "valueFrom": {"resourceFieldRef": {"resource": "requests.memory"}}},
                {"name": "EPH", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory"}}},
                {"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "sec", "key": "password"}}},
                {"name": "MODE", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "mode", "optional": False}}}],
        "volumeMounts": [{"name": "html", "mountPath": "/usr/share/nginx/html"},
                         {"name": "cfg", "mountPath": "/etc/nginx/conf.d", "readOnly": True, "subPath": "site.conf"}]}
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "web", "namespace": "default", "uid": "p2", "creationTimestamp": "2024-07-01T10:00:00Z",
                     "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}"}},
        "spec": {"serviceAccountName": "default",
                 "initContainers": [{"name": "init", "image": "busybox", "command": ["sh", "-c", "echo hi"]}],
                 "containers": [container],
                 "volumes": [{"name": "html", "emptyDir": {}}, {"name": "cfg", "configMap": {"name": "cfg"}},
                             {"name": "data", "hostPath": {"path": "/data", "type": "DirectoryOrCreate"}},
                             {"name": "claim", "persistentVolumeClaim": {"claimName": "pvc1"}},
                             {"name": "sec", "secret": {"secretName": "sec", "optional": True}}],
                 "nodeSelector": {"disk": "ssd"}},
        "status": {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False",
                                                       "reason": "Unschedulable"}]}}


def test_pending_pod_with_every_container_section() -> None:
    unhealthy = event("web.1", {"kind": "Pod", "name": "web", "namespace": "default", "uid": "p2",
                                "fieldPath": "spec.containers{web}"},
                      "Unhealthy", "Readiness probe failed: ls: /var/ready: No such file or directory",
                      "2024-07-01T10:01:00Z", "2024-07-01T10:04:30Z", count=22, kind="Warning", component="kubelet")
    assert describe(busy_pod(), FakeRelated(unhealthy), LATER) == golden("""
        Name:             web$
        Namespace:        default$
        Service Account:  default$
        Node:             <none>$
        Labels:           <none>$
        Annotations:      <none>$
        Status:           Pending$
        IP:               $
        IPs:              <none>$
        Init Containers:$
          init:$
            Image:      busybox$
            Port:       <none>$
            Host Port:  <none>$
            Command:$
              sh$
              -c$
              echo hi$
            Environment:  <none>$
            Mounts:       <none>$
        Containers:$
          web:$
            Image:       nginx:1.27$
            Ports:       80/TCP (http), 443/TCP$
            Host Ports:  0/TCP (http), 0/TCP$
            Command:$
              nginx$
            Args:$
              -g$
              daemon off;$
            Limits:$
              cpu:     500m$
              memory:  128Mi$
            Requests:$
              cpu:      250m$
              memory:   64Mi$
            Liveness:   http-get http://:8080/healthz delay=5s timeout=1s period=10s #success=1 #failure=3$
            Readiness:  exec [ls /var/ready] delay=0s timeout=1s period=10s #success=1 #failure=3$
            Startup:    tcp-socket :http delay=0s timeout=1s period=10s #success=1 #failure=30$
            Environment Variables from:$
              cfg  ConfigMap                Optional: false$
              sec  Secret with prefix 'S_'  Optional: true$
            Environment:$
              PLAIN:      a$
                          b$
              POD_NAME:   web (v1:metadata.name)$
              POD_IP:      (v1:status.podIP)$
              CPU_LIMIT:  500 (limits.cpu)$
              MEM_REQ:    67108864 (requests.memory)$
              EPH:        134217728 (limits.memory)$
              PASSWORD:   <set to the key 'password' in secret 'sec'>  Optional: false$
              MODE:       <set to the key 'mode' of config map 'cfg'>  Optional: false$
            Mounts:$
              /etc/nginx/conf.d from cfg (ro,path="site.conf")$
              /usr/share/nginx/html from html (rw)$
        Conditions:$
          Type           Status$
          PodScheduled   False $
        Volumes:$
          html:$
            Type:       EmptyDir (a temporary directory that shares a pod's lifetime)$
            Medium:     $
            SizeLimit:  <unset>$
          cfg:$
            Type:      ConfigMap (a volume populated by a ConfigMap)$
            Name:      cfg$
            Optional:  false$
          data:$
            Type:          HostPath (bare host directory volume)$
            Path:          /data$
            HostPathType:  DirectoryOrCreate$
          claim:$
            Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)$
            ClaimName:  pvc1$
            ReadOnly:   false$
          sec:$
            Type:        Secret (a volume populated by a Secret)$
            SecretName:  sec$
            Optional:    true$
        QoS Class:       Burstable$
        Node-Selectors:  disk=ssd$
        Tolerations:     <none>$
        Events:$
          Type     Reason     Age                From     Message$
          ----     ------     ----               ----     -------$
          Warning  Unhealthy  30s (x22 over 4m)  kubelet  spec.containers{web}: Readiness probe failed: ls: /var/ready: No such file or directory$
    """)


def test_container_states_and_terminating_pod() -> None:
    pod = running_pod()
    pod["metadata"]["deletionTimestamp"] = "2024-07-01T10:00:40Z"
    pod["metadata"]["deletionGracePeriodSeconds"] = 30
    pod["status"]["containerStatuses"][0].update({
        "ready": False, "restartCount": 2,
        "state": {"waiting": {"reason": "CrashLoopBackOff"}},
        "lastState": {"terminated": {"exitCode": 137, "signal": 9, "reason": "Error", "message": "boom",
                                     "startedAt": "2024-07-01T09:59:00Z", "finishedAt": "2024-07-01T09:59:30Z"}}})
    text = describe(pod, FakeRelated(), NOW, show_events=False)
    assert "Status:                    Terminating (lasts <invalid>)\n" in text
    assert "Termination Grace Period:  30s\n" in text
    assert textwrap.indent(golden("""
            State:          Waiting$
              Reason:       CrashLoopBackOff$
            Last State:     Terminated$
              Reason:       Error$
              Message:      boom$
              Exit Code:    137$
              Signal:       9$
              Started:      Mon, 01 Jul 2024 09:59:00 +0000$
              Finished:     Mon, 01 Jul 2024 09:59:30 +0000$
            Ready:          False$
            Restart Count:  2$
    """), "    ") in text
    assert "Events" not in text


def test_qos_class_is_computed_when_the_status_lacks_it() -> None:
    pod = running_pod()
    del pod["status"]["qosClass"]
    assert "QoS Class:                   BestEffort\n" in describe(pod, FakeRelated(), NOW)
    pod["spec"]["containers"][0]["resources"] = {"limits": {"cpu": "1", "memory": "1Gi"},
                                                 "requests": {"cpu": "1000m", "memory": "1024Mi"}}
    assert "QoS Class:                   Guaranteed\n" in describe(pod, FakeRelated(), NOW)
    pod["spec"]["containers"][0]["resources"]["requests"]["cpu"] = "500m"
    assert "QoS Class:                   Burstable\n" in describe(pod, FakeRelated(), NOW)


def test_probe_descriptions() -> None:
    base = {"timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}
    assert describe_probe({"httpGet": {"path": "/", "port": 8080, "scheme": "HTTP"}, **base}) == \
        "http-get http://:8080/ delay=0s timeout=1s period=10s #success=1 #failure=3"
    assert describe_probe({"httpGet": {"path": "a b?", "port": "web", "host": "::1", "scheme": "HTTPS"}, **base}) == \
        "http-get https://[::1]:web/a%20b%3F delay=0s timeout=1s period=10s #success=1 #failure=3"
    assert describe_probe({"grpc": {"port": 9000, "service": ""}, **base}) == \
        "grpc <pod>:9000  delay=0s timeout=1s period=10s #success=1 #failure=3"
    assert describe_probe(base) == "unknown delay=0s timeout=1s period=10s #success=1 #failure=3"


# ---------------------------------------------------------------------------------------------
# Workloads

POD_TEMPLATE = {"metadata": {"labels": {"app": "kubia"}},
                "spec": {"containers": [{"name": "kubia", "image": "luksa/kubia",
                                         "ports": [{"containerPort": 8080, "protocol": "TCP"}]}]}}


def owned_pod(name: str, phase: str, owner_uid: str, labels: dict | None = None, kind: str = "ReplicationController") -> dict:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "default", "labels": labels or {"app": "kubia"},
                         "ownerReferences": [{"kind": kind, "name": "kubia", "uid": owner_uid, "controller": True}]},
            "status": {"phase": phase}}


def test_replication_controller_counts_only_its_own_pods() -> None:
    rc = {"apiVersion": "v1", "kind": "ReplicationController",
          "metadata": {"name": "kubia", "namespace": "default", "uid": "rc1", "labels": {"app": "kubia"}},
          "spec": {"replicas": 3, "selector": {"app": "kubia"}, "template": POD_TEMPLATE},
          "status": {"replicas": 3, "readyReplicas": 2}}
    pods = [owned_pod("kubia-a", "Running", "rc1"), owned_pod("kubia-b", "Running", "rc1"),
            owned_pod("kubia-c", "Pending", "rc1"), owned_pod("other", "Running", "someone-else"),
            owned_pod("kubia-d", "Failed", "rc1", labels={"app": "relabelled"})]
    created = event("kubia.1", {"kind": "ReplicationController", "name": "kubia", "namespace": "default", "uid": "rc1"},
                    "SuccessfulCreate", "Created pod: kubia-a", "2024-07-01T10:00:00Z", component="replication-controller")
    assert describe(rc, FakeRelated(rc, created, *pods), LATER) == golden("""
        Name:         kubia$
        Namespace:    default$
        Selector:     app=kubia$
        Labels:       app=kubia$
        Annotations:  <none>$
        Replicas:     3 current / 3 desired$
        Pods Status:  2 Running / 1 Waiting / 0 Succeeded / 0 Failed$
        Pod Template:$
          Labels:  app=kubia$
          Containers:$
           kubia:$
            Image:         luksa/kubia$
            Port:          8080/TCP$
            Host Port:     0/TCP$
            Environment:   <none>$
            Mounts:        <none>$
          Volumes:         <none>$
          Node-Selectors:  <none>$
          Tolerations:     <none>$
        Events:$
          Type    Reason            Age   From                    Message$
          ----    ------            ----  ----                    -------$
          Normal  SuccessfulCreate  5m    replication-controller  Created pod: kubia-a$
    """)


def test_replica_set_owned_by_a_deployment() -> None:
    rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
          "metadata": {"name": "kubia-6b9f", "namespace": "default", "uid": "rs1",
                       "labels": {"app": "kubia", "pod-template-hash": "6b9f"},
                       "annotations": {"deployment.kubernetes.io/desired-replicas": "3",
                                       "deployment.kubernetes.io/max-replicas": "4",
                                       "deployment.kubernetes.io/revision": "1"},
                       "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "kubia", "uid": "d1",
                                            "controller": True}]},
          "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "kubia", "pod-template-hash": "6b9f"}},
                   "template": {"metadata": {"labels": {"app": "kubia", "pod-template-hash": "6b9f"}},
                                "spec": POD_TEMPLATE["spec"]}},
          "status": {"replicas": 3}}
    pods = [owned_pod(f"kubia-6b9f-{i}", "Running", "rs1", {"app": "kubia", "pod-template-hash": "6b9f"}, "ReplicaSet")
            for i in range(3)]
    assert describe(rs, FakeRelated(rs, *pods), LATER) == golden("""
        Name:           kubia-6b9f$
        Namespace:      default$
        Selector:       app=kubia,pod-template-hash=6b9f$
        Labels:         app=kubia$
                        pod-template-hash=6b9f$
        Annotations:    deployment.kubernetes.io/desired-replicas: 3$
                        deployment.kubernetes.io/max-replicas: 4$
                        deployment.kubernetes.io/revision: 1$
        Controlled By:  Deployment/kubia$
        Replicas:       3 current / 3 desired$
        Pods Status:    3 Running / 0 Waiting / 0 Succeeded / 0 Failed$
        Pod Template:$
          Labels:  app=kubia$
                   pod-template-hash=6b9f$
          Containers:$
           kubia:$
            Image:         luksa/kubia$
            Port:          8080/TCP$
            Host Port:     0/TCP$
            Environment:   <none>$
            Mounts:        <none>$
          Volumes:         <none>$
          Node-Selectors:  <none>$
          Tolerations:     <none>$
        Events:            <none>$
    """)


def deployment_objects() -> tuple[dict, dict, dict]:
    deployment = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "kubia", "namespace": "default", "uid": "d1", "creationTimestamp": "2024-07-01T10:00:00Z",
                     "labels": {"app": "kubia"}, "annotations": {"deployment.kubernetes.io/revision": "2"}},
        "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "kubia"}},
                 "template": {"metadata": {"labels": {"app": "kubia"}},
                              "spec": {"containers": [{"name": "kubia", "image": "luksa/kubia:v2"}]}},
                 "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": 1}},
                 "minReadySeconds": 10},
        "status": {"replicas": 3, "updatedReplicas": 3, "availableReplicas": 3,
                   "conditions": [{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
                                  {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"}]}}

    def replica_set(name: str, uid: str, image: str, replicas: int, created: str) -> dict:
        return {"apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": {"name": name, "namespace": "default", "uid": uid, "creationTimestamp": created,
                             "labels": {"app": "kubia", "pod-template-hash": name},
                             "ownerReferences": [{"kind": "Deployment", "name": "kubia", "uid": "d1", "controller": True}]},
                "spec": {"replicas": replicas,
                         "template": {"metadata": {"labels": {"app": "kubia", "pod-template-hash": name}},
                                      "spec": {"containers": [{"name": "kubia", "image": image}]}}},
                "status": {"replicas": replicas}}

    return (deployment, replica_set("kubia-old", "rs0", "luksa/kubia:v1", 0, "2024-07-01T09:00:00Z"),
            replica_set("kubia-new", "rs2", "luksa/kubia:v2", 3, "2024-07-01T10:00:00Z"))


def test_deployment_with_old_and_new_replica_sets() -> None:
    deployment, old, new = deployment_objects()
    assert describe(deployment, FakeRelated(deployment, new, old), LATER) == golden("""
        Name:                   kubia$
        Namespace:              default$
        CreationTimestamp:      Mon, 01 Jul 2024 10:00:00 +0000$
        Labels:                 app=kubia$
        Annotations:            deployment.kubernetes.io/revision: 2$
        Selector:               app=kubia$
        Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable$
        StrategyType:           RollingUpdate$
        MinReadySeconds:        10$
        RollingUpdateStrategy:  25% max unavailable, 1 max surge$
        Pod Template:$
          Labels:  app=kubia$
          Containers:$
           kubia:$
            Image:         luksa/kubia:v2$
            Port:          <none>$
            Host Port:     <none>$
            Environment:   <none>$
            Mounts:        <none>$
          Volumes:         <none>$
          Node-Selectors:  <none>$
          Tolerations:     <none>$
        Conditions:$
          Type           Status  Reason$
          ----           ------  ------$
          Available      True    MinimumReplicasAvailable$
          Progressing    True    NewReplicaSetAvailable$
        OldReplicaSets:  kubia-old (0/0 replicas created)$
        NewReplicaSet:   kubia-new (3/3 replicas created)$
        Events:          <none>$
    """)


def test_deployment_without_replica_sets_omits_both_lines() -> None:
    deployment, _, _ = deployment_objects()
    text = describe(deployment, FakeRelated(deployment), LATER)
    assert "OldReplicaSets" not in text and "NewReplicaSet:" not in text
    assert text.endswith("  Progressing   True    NewReplicaSetAvailable\nEvents:         <none>\n")


# ---------------------------------------------------------------------------------------------
# Config, discovery, networking and cluster objects

def test_namespace_without_quotas_or_limit_ranges() -> None:
    namespace = {"apiVersion": "v1", "kind": "Namespace",
                 "metadata": {"name": "default", "labels": {"kubernetes.io/metadata.name": "default"}},
                 "status": {"phase": "Active"}}
    assert describe(namespace, FakeRelated(namespace), LATER) == golden("""
        Name:         default$
        Labels:       kubernetes.io/metadata.name=default$
        Annotations:  <none>$
        Status:       Active$
        $
        No resource quota.$
        $
        No LimitRange resource.$
    """)


def test_namespace_with_a_quota_and_a_limit_range() -> None:
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}, "status": {"phase": "Active"}}
    quota = {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "compute", "namespace": "dev"},
             "spec": {"scopes": ["NotTerminating"]},
             "status": {"hard": {"pods": "10", "requests.cpu": "2"}, "used": {"pods": "1", "requests.cpu": "250m"}}}
    limits = {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "limits", "namespace": "dev"},
              "spec": {"limits": [{"type": "Container", "default": {"cpu": "500m"}, "defaultRequest": {"cpu": "0.1"}}]}}
    assert describe(namespace, FakeRelated(namespace, quota, limits), LATER) == golden("""
        Name:         dev$
        Labels:       <none>$
        Annotations:  <none>$
        Status:       Active$
        $
        Resource Quotas$
          Name:    compute$
          Scopes:  NotTerminating$
          * Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.$
          Resource      Used  Hard$
          --------      ---   ---$
          pods          1     10$
          requests.cpu  250m  2$
        $
        Resource Limits$
         Type       Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio$
         ----       --------  ---  ---  ---------------  -------------  -----------------------$
         Container  cpu       -    -    100m             500m           -$
    """)


def test_secret_shows_sizes_sorted_by_key() -> None:
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "tls-secret", "namespace": "default"},
              "type": "kubernetes.io/tls",
              "data": {"tls.key": base64.b64encode(b"k" * 1704).decode(), "tls.crt": base64.b64encode(b"c" * 1164).decode()}}
    assert describe(secret, FakeRelated(secret), LATER) == golden("""
        Name:         tls-secret$
        Namespace:    default$
        Labels:       <none>$
        Annotations:  <none>$
        $
        Type:  kubernetes.io/tls$
        $
        Data$
        ====$
        tls.crt:  1164 bytes$
        tls.key:  1704 bytes$
    """)


def test_service_account_token_is_shown_in_clear() -> None:
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "sa-token", "namespace": "default"},
              "type": "kubernetes.io/service-account-token",
              "data": {"token": base64.b64encode(b"eyJhbGci").decode(), "ca.crt": base64.b64encode(b"x" * 10).decode()}}
    assert describe(secret, FakeRelated(), LATER).endswith("Data\n====\nca.crt:  10 bytes\ntoken:   eyJhbGci\n")


def test_config_map_data_and_binary_data() -> None:
    config_map = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "fortune-config", "namespace": "default"},
                  "data": {"sleep-interval": "25", "my-nginx-config.conf": "server {\n\tlisten 80;\n}\n"},
                  "binaryData": {"logo.png": base64.b64encode(b"\x89PNG" * 10).decode()}}
    assert describe(config_map, FakeRelated(config_map), LATER) == golden("""
        Name:         fortune-config$
        Namespace:    default$
        Labels:       <none>$
        Annotations:  <none>$
        $
        Data$
        ====$
        my-nginx-config.conf:$
        ----$
        server {$
          listen 80;$
        }$
        $
        $
        sleep-interval:$
        ----$
        25$
        $
        $
        BinaryData$
        ====$
        logo.png: 40 bytes$
        $
        Events:  <none>$
    """)
    empty = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "empty", "namespace": "default"}}
    assert describe(empty, FakeRelated(empty), LATER) == golden("""
        Name:         empty$
        Namespace:    default$
        Labels:       <none>$
        Annotations:  <none>$
        $
        Data$
        ====$
        $
        BinaryData$
        ====$
        $
        Events:  <none>$
    """)


def test_endpoint_slice() -> None:
    endpoint_slice = {
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
        "metadata": {"name": "kubia-7vzhx", "namespace": "default",
                     "labels": {"endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
                                "kubernetes.io/service-name": "kubia"},
                     "annotations": {"endpoints.kubernetes.io/last-change-trigger-time": "2024-07-01T10:00:07Z"}},
        "addressType": "IPv4", "ports": [{"name": "", "port": 8080, "protocol": "TCP"}],
        "endpoints": [{"addresses": ["10.244.0.5"], "conditions": {"ready": True, "serving": True, "terminating": False},
                       "nodeName": "minikube", "targetRef": {"kind": "Pod", "name": "kubia-6b9wj", "namespace": "default"}},
                      {"addresses": ["10.244.0.6"], "conditions": {"ready": False}, "nodeName": "minikube",
                       "targetRef": {"kind": "Pod", "name": "kubia-x", "namespace": "default"}}]}
    assert describe(endpoint_slice, FakeRelated(endpoint_slice), LATER) == golden("""
        Name:         kubia-7vzhx$
        Namespace:    default$
        Labels:       endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io$
                      kubernetes.io/service-name=kubia$
        Annotations:  endpoints.kubernetes.io/last-change-trigger-time: 2024-07-01T10:00:07Z$
        AddressType:  IPv4$
        Ports:$
          Name     Port  Protocol$
          ----     ----  --------$
          <unset>  8080  TCP$
        Endpoints:$
          - Addresses:  10.244.0.5$
            Conditions:$
              Ready:    true$
            Hostname:   <unset>$
            TargetRef:  Pod/kubia-6b9wj$
            NodeName:   minikube$
            Zone:       <unset>$
          - Addresses:  10.244.0.6$
            Conditions:$
              Ready:    false$
            Hostname:   <unset>$
            TargetRef:  Pod/kubia-x$
            NodeName:   minikube$
            Zone:       <unset>$
        Events:         <none>$
    """)
    bare = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": "x", "namespace": "default"}, "addressType": "IPv4"}
    assert describe(bare, FakeRelated(bare), LATER) == golden("""
        Name:         x$
        Namespace:    default$
        Labels:       <none>$
        Annotations:  <none>$
        AddressType:  IPv4$
        Ports: <unset>$
        Endpoints: <none>$
        Events:  <none>$
    """)


def test_ingress_class() -> None:
    ingress_class = {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
                     "metadata": {"name": "nginx", "labels": {"app.kubernetes.io/name": "ingress-nginx"},
                                  "annotations": {"ingressclass.kubernetes.io/is-default-class": "true"}},
                     "spec": {"controller": "k8s.io/ingress-nginx",
                              "parameters": {"apiGroup": "k8s.example.com", "kind": "IngressParameters",
                                             "name": "external-lb"}}}
    assert describe(ingress_class, FakeRelated(ingress_class), LATER) == golden("""
        Name:         nginx$
        Labels:       app.kubernetes.io/name=ingress-nginx$
        Annotations:  ingressclass.kubernetes.io/is-default-class: true$
        Controller:   k8s.io/ingress-nginx$
        Parameters:$
          APIGroup:  k8s.example.com$
          Kind:      IngressParameters$
          Name:      external-lb$
        Events:      <none>$
    """)


def test_ingress_with_tls_resource_backend_and_a_missing_service() -> None:
    ingress = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
               "metadata": {"name": "kubia", "namespace": "default",
                            "annotations": {"nginx.ingress.kubernetes.io/rewrite-target": "/"}},
               "spec": {"defaultBackend": {"service": {"name": "missing", "port": {"name": "http"}}},
                        "tls": [{"hosts": ["kubia.example.com", "www.example.com"], "secretName": "tls-secret"},
                                {"hosts": ["sni.example.com"]}],
                        "rules": [{"host": "", "http": {"paths": [{"path": "/foo", "pathType": "Prefix", "backend": {
                            "resource": {"apiGroup": "k8s.example.com", "kind": "StorageBucket", "name": "static"}}}]}},
                            {"host": "nohttp.example.com"}]}}
    assert describe(ingress, FakeRelated(ingress), LATER) == golden("""
        Name:             kubia$
        Labels:           <none>$
        Namespace:        default$
        Address:          $
        Ingress Class:    <none>$
        Default backend:  missing:http (<error: services "missing" not found>)$
        TLS:$
          tls-secret terminates kubia.example.com,www.example.com$
          SNI routes sni.example.com$
        Rules:$
          Host        Path  Backends$
          ----        ----  --------$
          *           $
                      /foo   APIGroup: k8s.example.com, Kind: StorageBucket, Name: static$
        Annotations:  nginx.ingress.kubernetes.io/rewrite-target: /$
        Events:       <none>$
    """)


def test_ingress_with_only_a_default_backend() -> None:
    ingress = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
               "metadata": {"name": "only-default", "namespace": "default"},
               "spec": {"defaultBackend": {"service": {"name": "kubia", "port": {"number": 80}}}}}
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "kubia", "namespace": "default"},
               "spec": {"ports": [{"name": "web", "port": 80}]}}
    assert describe(ingress, FakeRelated(ingress, service), LATER) == golden("""
        Name:             only-default$
        Labels:           <none>$
        Namespace:        default$
        Address:          $
        Ingress Class:    <none>$
        Default backend:  kubia:80 (<none>)$
        Rules:$
          Host        Path  Backends$
          ----        ----  --------$
          *           *     kubia:80 (<none>)$
        Annotations:  <none>$
        Events:       <none>$
    """)


def minikube_node() -> dict:
    resources = {"cpu": "2", "memory": "8039180Ki", "pods": "110", "ephemeral-storage": "61202244Ki", "hugepages-2Mi": "0"}
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": "minikube", "uid": "n1", "creationTimestamp": "2024-07-01T09:00:00Z",
                     "labels": {"kubernetes.io/hostname": "minikube", "node-role.kubernetes.io/control-plane": "",
                                "kubernetes.io/os": "linux"},
                     "annotations": {"node.alpha.kubernetes.io/ttl": "0",
                                     "volumes.kubernetes.io/controller-managed-attach-detach": "true"}},
        "spec": {"podCIDR": "10.244.0.0/24", "podCIDRs": ["10.244.0.0/24"],
                 "taints": [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]},
        "status": {"capacity": dict(resources), "allocatable": dict(resources),
                   "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                                   "message": "kubelet is posting ready status",
                                   "lastHeartbeatTime": "2024-07-01T10:04:00Z",
                                   "lastTransitionTime": "2024-07-01T09:00:30Z"}],
                   "addresses": [{"type": "InternalIP", "address": "192.168.49.2"},
                                 {"type": "Hostname", "address": "minikube"}],
                   "nodeInfo": {"machineID": "m", "systemUUID": "s", "bootID": "b", "kernelVersion": "6.8.0",
                                "osImage": "Ubuntu 22.04.4 LTS", "operatingSystem": "linux", "architecture": "amd64",
                                "containerRuntimeVersion": "containerd://1.7.0", "kubeletVersion": "v1.36.0",
                                "kubeProxyVersion": "v1.36.0"}}}


def node_pod(namespace: str, name: str, requests: dict, limits: dict, phase: str = "Running") -> dict:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": namespace, "creationTimestamp": "2024-07-01T09:01:00Z"},
            "spec": {"nodeName": "minikube",
                     "containers": [{"name": "c", "resources": {"requests": requests, "limits": limits}}]},
            "status": {"phase": phase}}


def test_node_with_lease_pods_and_events() -> None:
    lease = {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
             "metadata": {"name": "minikube", "namespace": "kube-node-lease"},
             "spec": {"holderIdentity": "minikube", "renewTime": "2024-07-01T10:04:55.000000Z"}}
    pods = [node_pod("kube-system", "coredns-1", {"cpu": "100m", "memory": "70Mi"}, {"memory": "170Mi"}),
            node_pod("default", "kubia-a", {}, {}),
            node_pod("kube-system", "etcd", {"cpu": "100m", "memory": "100Mi"}, {}),
            node_pod("default", "done", {"cpu": "1"}, {}, "Succeeded")]
    starting = event("minikube.1", {"kind": "Node", "name": "minikube", "uid": "minikube"}, "Starting", "",
                     "2024-07-01T09:01:00Z", component="kube-proxy")
    node = minikube_node()
    assert describe(node, FakeRelated(node, lease, starting, *pods), LATER) == golden("""
        Name:               minikube$
        Roles:              control-plane$
        Labels:             kubernetes.io/hostname=minikube$
                            kubernetes.io/os=linux$
                            node-role.kubernetes.io/control-plane=$
        Annotations:        node.alpha.kubernetes.io/ttl: 0$
                            volumes.kubernetes.io/controller-managed-attach-detach: true$
        CreationTimestamp:  Mon, 01 Jul 2024 09:00:00 +0000$
        Taints:             node-role.kubernetes.io/control-plane:NoSchedule$
        Unschedulable:      false$
        Lease:$
          HolderIdentity:  minikube$
          AcquireTime:     <unset>$
          RenewTime:       Mon, 01 Jul 2024 10:04:55 +0000$
        Conditions:$
          Type    Status  LastHeartbeatTime                 LastTransitionTime                Reason         Message$
          ----    ------  -----------------                 ------------------                ------         -------$
          Ready   True    Mon, 01 Jul 2024 10:04:00 +0000   Mon, 01 Jul 2024 09:00:30 +0000   KubeletReady   kubelet is posting ready status$
        Addresses:$
          InternalIP:  192.168.49.2$
          Hostname:    minikube$
        Capacity:$
          cpu:                2$
          ephemeral-storage:  61202244Ki$
          hugepages-2Mi:      0$
          memory:             8039180Ki$
          pods:               110$
        Allocatable:$
          cpu:                2$
          ephemeral-storage:  61202244Ki$
          hugepages-2Mi:      0$
          memory:             8039180Ki$
          pods:               110$
        System Info:$
          Machine ID:                 m$
          System UUID:                s$
          Boot ID:                    b$
          Kernel Version:             6.8.0$
          OS Image:                   Ubuntu 22.04.4 LTS$
          Operating System:           linux$
          Architecture:               amd64$
          Container Runtime Version:  containerd://1.7.0$
          Kubelet Version:            v1.36.0$
        PodCIDR:                      10.244.0.0/24$
        PodCIDRs:                     10.244.0.0/24$
        Non-terminated Pods:          (3 in total)$
          Namespace                   Name         CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age$
          ---------                   ----         ------------  ----------  ---------------  -------------  ---$
          default                     kubia-a      0 (0%)        0 (0%)      0 (0%)           0 (0%)         64m$
          kube-system                 coredns-1    100m (5%)     0 (0%)      70Mi (0%)        170Mi (2%)     64m$
          kube-system                 etcd         100m (5%)     0 (0%)      100Mi (1%)       0 (0%)         64m$
        Allocated resources:$
          (Total limits may be over 100 percent, i.e., overcommitted.)$
          Resource           Requests    Limits$
          --------           --------    ------$
          cpu                200m (10%)  0 (0%)$
          memory             170Mi (2%)  170Mi (2%)$
          ephemeral-storage  0 (0%)      0 (0%)$
          hugepages-2Mi      0 (0%)      0 (0%)$
        Events:$
          Type    Reason    Age   From        Message$
          ----    ------    ----  ----        -------$
          Normal  Starting  64m   kube-proxy  $
    """)


def test_node_without_a_lease_or_pods() -> None:
    node = minikube_node()
    text = describe(node, FakeRelated(node), LATER, show_events=False)
    assert 'Lease:              Failed to get lease: leases.coordination.k8s.io "minikube" not found\n' in text
    assert text.endswith(golden("""
        Non-terminated Pods:          (0 in total)$
          Namespace                   Name    CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age$
          ---------                   ----    ------------  ----------  ---------------  -------------  ---$
        Allocated resources:$
          (Total limits may be over 100 percent, i.e., overcommitted.)$
          Resource           Requests  Limits$
          --------           --------  ------$
          cpu                0 (0%)    0 (0%)$
          memory             0 (0%)    0 (0%)$
          ephemeral-storage  0 (0%)    0 (0%)$
          hugepages-2Mi      0 (0%)    0 (0%)$
    """))


def test_event_uses_the_generic_describer() -> None:
    pulled = {"apiVersion": "v1", "kind": "Event",
              "metadata": {"name": "kubia-6b9wj.17de0c5a2b1c2d3e", "namespace": "default", "uid": "e1",
                           "resourceVersion": "123", "creationTimestamp": "2024-07-01T10:00:00Z",
                           "managedFields": [{"manager": "kubelet"}]},
              "involvedObject": {"apiVersion": "v1", "kind": "Pod", "name": "kubia-6b9wj", "namespace": "default",
                                 "uid": "p1", "resourceVersion": "100", "fieldPath": "spec.containers{kubia}"},
              "reason": "Pulled", "message": "Container image \"luksa/kubia\" already present on machine",
              "source": {"component": "kubelet", "host": "minikube"}, "firstTimestamp": "2024-07-01T10:00:00Z",
              "lastTimestamp": "2024-07-01T10:00:00Z", "count": 1, "type": "Normal", "eventTime": None,
              "reportingComponent": "kubelet", "reportingInstance": "minikube"}
    assert describe(pulled, FakeRelated(pulled), LATER) == golden("""
        Name:             kubia-6b9wj.17de0c5a2b1c2d3e$
        Namespace:        default$
        Labels:           <none>$
        Annotations:      <none>$
        API Version:      v1$
        Count:            1$
        Event Time:       <nil>$
        First Timestamp:  2024-07-01T10:00:00Z$
        Involved Object:$
          API Version:       v1$
          Field Path:        spec.containers{kubia}$
          Kind:              Pod$
          Name:              kubia-6b9wj$
          Namespace:         default$
          Resource Version:  100$
          UID:               p1$
        Kind:                Event$
        Last Timestamp:      2024-07-01T10:00:00Z$
        Message:             Container image "luksa/kubia" already present on machine$
        Metadata:$
          Creation Timestamp:  2024-07-01T10:00:00Z$
          Resource Version:    123$
          UID:                 e1$
        Reason:                Pulled$
        Reporting Component:   kubelet$
        Reporting Instance:    minikube$
        Source:$
          Component:  kubelet$
          Host:       minikube$
        Type:         Normal$
        Events:       <none>$
    """)


# ---------------------------------------------------------------------------------------------
# Several objects, events, labels and annotations, escapes, time zones

def test_several_objects_are_separated_and_lose_their_events() -> None:
    first = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "namespace": "default"}, "data": {"k": "v"}}
    second = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b", "namespace": "default"}}
    related = FakeRelated(first, second)
    assert describe_many([first, second], related, LATER) == golden("""
        Name:         a$
        Namespace:    default$
        Labels:       <none>$
        Annotations:  <none>$
        $
        Data$
        ====$
        k:$
        ----$
        v$
        $
        $
        BinaryData$
        ====$
        $
        $
        $
        Name:         b$
        Namespace:    default$
        Labels:       <none>$
        Annotations:  <none>$
        $
        Data$
        ====$
        $
        BinaryData$
        ====$
        $
    """)
    shown = describe_many([first, second], related, LATER, show_events=True)
    assert shown.count("Events:  <none>") == 2
    assert describe_many([first], related, LATER).endswith("\nEvents:  <none>\n")


def test_prefix_matches_end_with_a_newline_each() -> None:
    first = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "namespace": "default"}}
    second = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b", "namespace": "default"}}
    related = FakeRelated(first, second)
    assert describe_matching([first, second], related, LATER) == (
        describe(first, related, LATER, show_events=False) + "\n" + describe(second, related, LATER, show_events=False) + "\n")


def test_events_matching_follows_kubectls_field_selector() -> None:
    pod = running_pod()
    by_uid = event("a.1", {"kind": "Pod", "name": "kubia-6b9wj", "namespace": "default", "uid": "pod-uid"}, "A", "", "2024-07-01T10:00:00Z")
    kindless = event("a.2", {"name": "kubia-6b9wj", "namespace": "default", "uid": "pod-uid"}, "B", "", "2024-07-01T10:00:00Z")
    other_uid = event("a.3", {"kind": "Pod", "name": "kubia-6b9wj", "namespace": "default", "uid": "old"}, "C", "", "2024-07-01T10:00:00Z")
    other_ns = event("a.4", {"kind": "Pod", "name": "kubia-6b9wj", "namespace": "dev", "uid": "pod-uid"}, "D", "", "2024-07-01T10:00:00Z")
    assert [e["reason"] for e in events_matching(pod, [other_ns, other_uid, kindless, by_uid])] == ["A", "B"]
    service = nodeport_service()
    wrong_kind = event("s.1", {"kind": "Endpoints", "name": "kubia-nodeport", "namespace": "default", "uid": "svc-uid"}, "E", "", "2024-07-01T10:00:00Z")
    assert events_matching(service, [wrong_kind]) == []
    node = minikube_node()
    by_node_uid = event("n.2", {"kind": "Node", "name": "minikube", "uid": "n1"}, "F", "", "2024-07-01T10:00:00Z")
    by_node_name = event("n.1", {"kind": "Node", "name": "minikube", "uid": "minikube"}, "G", "", "2024-07-01T10:00:00Z")
    assert [e["reason"] for e in events_matching(node, [by_node_name, by_node_uid])] == ["F", "G"]


def test_events_sort_by_last_occurrence_and_use_series() -> None:
    involved = {"kind": "ConfigMap", "name": "c", "namespace": "default", "uid": "c1"}
    config_map = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "default", "uid": "c1"}}
    late = event("c.1", involved, "Late", "second", "2024-07-01T09:00:00Z", "2024-07-01T10:04:00Z", count=5)
    series = event("c.2", involved, "Series", "first", None, None, eventTime="2024-07-01T09:50:00.000000Z",
                   series={"count": 4, "lastObservedTime": "2024-07-01T10:00:00.000000Z"}, reportingController="ctl")
    text = describe(config_map, FakeRelated(late, series), LATER)
    assert text.endswith(golden("""
        Events:$
          Type    Reason  Age                From  Message$
          ----    ------  ----               ----  -------$
          Normal  Series  5m (x4 over 15m)   ctl   first$
          Normal  Late    60s (x5 over 65m)        second$
    """))


def test_annotations_rules() -> None:
    def annotations_of(annotations: dict) -> str:
        service = nodeport_service()
        service["metadata"]["annotations"] = annotations
        text = describe(service, FakeRelated(), NOW, show_events=False)
        return text[text.index("Annotations:"):text.index("Selector:")]

    assert annotations_of({"kubectl.kubernetes.io/last-applied-configuration": "{}"}) == "Annotations:              <none>\n"
    inline = {"k": "v" * 137}  # len(key) + len(value) + 2 == 140: still one line
    assert annotations_of(inline) == f"Annotations:              k: {'v' * 137}\n"
    long = {"k": "v" * 138}
    assert annotations_of(long) == f"Annotations:              k:\n                            {'v' * 138}\n"
    longer = {"k": "v" * 200}
    assert annotations_of(longer) == f"Annotations:              k:\n                            {'v' * 138}...\n"
    assert annotations_of({"b": "two\nlines\n", "a": "x"}) == (
        "Annotations:              a: x\n                          b:\n"
        "                            two\n                            lines\n")


def test_terminal_escapes_are_neutralised() -> None:
    service = nodeport_service()
    service["metadata"]["labels"] = {"app": "evil\x1b[31m\r"}
    text = describe(service, FakeRelated(), NOW)
    assert "Labels:                   app=evil^[[31m\\r\n" in text
    assert "\x1b" not in text and "\r" not in text


def test_timestamps_follow_the_viewers_time_zone() -> None:
    pod = running_pod()
    cest = timezone(timedelta(hours=2))
    text = describe(pod, FakeRelated(), NOW.astimezone(cest))
    assert "Start Time:       Mon, 01 Jul 2024 12:00:00 +0200\n" in text
    west = timezone(timedelta(hours=-9, minutes=-30))
    assert "Start Time:       Mon, 01 Jul 2024 00:30:00 -0930\n" in describe(pod, FakeRelated(), NOW.astimezone(west))


def test_unknown_kinds_fall_back_to_the_generic_describer() -> None:
    lease = {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
             "metadata": {"name": "minikube", "namespace": "kube-node-lease"},
             "spec": {"holderIdentity": "minikube", "leaseDurationSeconds": 40, "strategies": ["a", "b"]}}
    assert describe(lease, FakeRelated(), LATER) == golden("""
        Name:         minikube$
        Namespace:    kube-node-lease$
        Labels:       <none>$
        Annotations:  <none>$
        API Version:  coordination.k8s.io/v1$
        Kind:         Lease$
        Metadata:$
        Spec:$
          Holder Identity:         minikube$
          Lease Duration Seconds:  40$
          Strategies:$
            a$
            b$
        Events:  <none>$
    """)


@pytest.mark.parametrize(("text", "canonical"), [
    ("100m", "100m"), ("1000m", "1"), ("0.1", "100m"), ("1.5", "1500m"), ("1200000", "1200k"), ("1e3", "1e3"),
    ("128Mi", "128Mi"), ("1.5Gi", "1536Mi"), ("0.5Gi", "512Mi"), ("1000Ki", "1000Ki"), ("1024", "1024"),
    ("0", "0"), (2, "2"), (0.25, "250m"), ("12n", "12n"), ("1.1n", "2n"),
])
def test_quantities_print_canonically(text, canonical: str) -> None:
    assert str(Quantity.parse(text)) == canonical


def test_quantity_arithmetic_keeps_the_first_format() -> None:
    total = Quantity.parse("70Mi")
    total.add(Quantity.parse("100Mi"))
    assert str(total) == "170Mi"
    cpu = Quantity.parse("100m")
    cpu.add(Quantity.parse("1"))
    assert str(cpu) == "1100m" and cpu.milli_value() == 1100 and cpu.int_value() == 2
    assert Quantity(Decimal(0)).milli_value() == 0
    with pytest.raises(ValueError):
        Quantity.parse("12 apples")
