"""minikube's ``ingress`` add-on: the ingress-nginx controller, as ``minikube addons enable ingress``
installs it (deploy/addons/ingress/ingress-deploy.yaml.tmpl).

What it creates: the namespace ``ingress-nginx``; the controller's ConfigMap (``hsts: "false"``, as
minikube sets it); the Deployment ``ingress-nginx-controller`` (one pod, ports 80 and 443 also opened
as hostPorts on its node, so ``http://192.168.49.2/`` reaches it); the Services
``ingress-nginx-controller`` (NodePort, 80 and 443) and ``ingress-nginx-controller-admission``
(ClusterIP 443); and the IngressClass ``nginx``, marked the cluster's default.

What it leaves out: the two admission Jobs (``ingress-nginx-admission-create`` and ``-patch``), the
ValidatingWebhookConfiguration and the RBAC objects - kubesim has no Jobs, webhooks or RBAC - and the
controller's probes on ``:10254/healthz``, which always pass.
"""

from __future__ import annotations

NAMESPACE = "ingress-nginx"
CONTROLLER_IMAGE = "registry.k8s.io/ingress-nginx/controller:v1.13.2"
STARTED_KEY = "ingressNginxStartedAt"  # when the controller made its fake certificate (cluster clock)
LABELS = {"app.kubernetes.io/component": "controller", "app.kubernetes.io/instance": "ingress-nginx",
          "app.kubernetes.io/name": "ingress-nginx"}
ADDON_LABELS = {"app.kubernetes.io/instance": "ingress-nginx", "app.kubernetes.io/name": "ingress-nginx"}
ARGS = ["/nginx-ingress-controller", "--election-id=ingress-nginx-leader",
        "--controller-class=k8s.io/ingress-nginx", "--watch-ingress-without-class=true",
        "--configmap=$(POD_NAMESPACE)/ingress-nginx-controller",
        "--tcp-services-configmap=$(POD_NAMESPACE)/tcp-services",
        "--udp-services-configmap=$(POD_NAMESPACE)/udp-services",
        "--validating-webhook=:8443", "--validating-webhook-certificate=/usr/local/certificates/cert",
        "--validating-webhook-key=/usr/local/certificates/key"]


def enabled(api) -> bool:
    from kubesim.api.registry import kind_named

    return api.find(kind_named("Deployment", "apps"), NAMESPACE, "ingress-nginx-controller") is not None


def enable(api) -> None:
    """Create the add-on's objects; the controllers then start the pod and publish Ingress addresses."""
    api.create({"apiVersion": "v1", "kind": "Namespace",
                "metadata": {"name": NAMESPACE, "labels": {**ADDON_LABELS, "kubernetes.io/metadata.name": NAMESPACE}}})
    component = {**ADDON_LABELS, "app.kubernetes.io/component": "controller"}
    api.create({"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": "ingress-nginx-controller", "namespace": NAMESPACE, "labels": component},
                "data": {"allow-snippet-annotations": "false", "hsts": "false"}}, NAMESPACE)
    api.create({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "ingress-nginx-controller", "namespace": NAMESPACE, "labels": component},
        "spec": {"type": "NodePort", "ipFamilyPolicy": "SingleStack", "ipFamilies": ["IPv4"],
                 "selector": dict(LABELS), "ports": [
                     {"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http", "appProtocol": "http"},
                     {"name": "https", "port": 443, "protocol": "TCP", "targetPort": "https",
                      "appProtocol": "https"}]},
    }, NAMESPACE)
    api.create({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "ingress-nginx-controller-admission", "namespace": NAMESPACE, "labels": component},
        "spec": {"type": "ClusterIP", "selector": dict(LABELS),
                 "ports": [{"name": "https-webhook", "port": 443, "targetPort": "webhook", "appProtocol": "https"}]},
    }, NAMESPACE)
    api.create({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "ingress-nginx-controller", "namespace": NAMESPACE, "labels": component},
        "spec": {
            "replicas": 1, "revisionHistoryLimit": 10, "minReadySeconds": 0,
            "selector": {"matchLabels": dict(LABELS)},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
            "template": {
                "metadata": {"labels": {**LABELS, "gcp-auth-skip-secret": "true"}},
                "spec": {
                    "containers": [{
                        "name": "controller", "image": CONTROLLER_IMAGE, "imagePullPolicy": "IfNotPresent",
                        "args": list(ARGS),
                        "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                                {"name": "POD_NAMESPACE",
                                 "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
                                {"name": "LD_PRELOAD", "value": "/usr/local/lib/libmimalloc.so"}],
                        "ports": [{"name": "http", "containerPort": 80, "hostPort": 80, "protocol": "TCP"},
                                  {"name": "https", "containerPort": 443, "hostPort": 443, "protocol": "TCP"},
                                  {"name": "webhook", "containerPort": 8443, "protocol": "TCP"}],
                        "resources": {"requests": {"cpu": "100m", "memory": "90Mi"}},
                    }],
                    "dnsPolicy": "ClusterFirst",
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "terminationGracePeriodSeconds": 0,
                },
            },
        },
    }, NAMESPACE)
    api.create({
        "apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
        "metadata": {"name": "nginx", "labels": component,
                     "annotations": {"ingressclass.kubernetes.io/is-default-class": "true"}},
        "spec": {"controller": "k8s.io/ingress-nginx"},
    })
    api.tx.set_meta(STARTED_KEY, repr(api.now.timestamp()))


def disable(api) -> None:
    """Delete what ``enable`` made: its objects, then the namespace, and the IngressClass.

    The Services go before the namespace: deleting a namespace removes its objects one by one, and a
    Service still there would have its Endpoints written again into a namespace already gone."""
    from kubesim.api.registry import kind_named

    api.delete(kind_named("IngressClass", "networking.k8s.io"), None, "nginx")
    service = kind_named("Service")
    for name in ("ingress-nginx-controller", "ingress-nginx-controller-admission"):
        if api.find(service, NAMESPACE, name) is not None:
            api.delete(service, NAMESPACE, name)
    api.delete(kind_named("Deployment", "apps"), NAMESPACE, "ingress-nginx-controller")
    api.delete(kind_named("Namespace"), None, NAMESPACE)
    api.tx.delete_meta(STARTED_KEY)
