"""``kubesim diagnose ingress NAME``: the ingress's class and address, and every backend it routes to.

The ingress controller's own view (which controller serves the class, what it answers) plugs in as
another check appended to ``CHECKS``.
"""

from __future__ import annotations

from kubesim.api.registry import Obj, kind_named
from kubesim.diagnose import Finding, Report, run_checks

CLASS_ANNOTATION = "kubernetes.io/ingress.class"


class Subject:
    def __init__(self, api, ingress: Obj) -> None:
        self.api = api
        self.ingress = ingress
        self.name = ingress["metadata"]["name"]
        self.namespace = ingress["metadata"].get("namespace", "default")
        self.spec = ingress.get("spec") or {}

    def backends(self) -> list[tuple[str, dict]]:
        """(where, service backend) for the default backend and every rule's paths."""
        found = []
        default = (self.spec.get("defaultBackend") or {}).get("service")
        if default:
            found.append(("default backend", default))
        for rule in self.spec.get("rules") or []:
            for path in ((rule.get("http") or {}).get("paths")) or []:
                service = (path.get("backend") or {}).get("service")
                if service:
                    found.append((f"{rule.get('host') or '*'}{path.get('path', '')}", service))
        return found


def check_class(s: Subject) -> list[Finding]:
    name = s.spec.get("ingressClassName") or (s.ingress["metadata"].get("annotations") or {}).get(CLASS_ANNOTATION)
    classes = s.api.list(kind_named("IngressClass", "networking.k8s.io"))
    if name:
        if any(c["metadata"]["name"] == name for c in classes):
            return [Finding("class", "ok", f"ingress class {name} exists")]
        return [Finding("class", "fail", f"ingress class {name} does not exist: no controller serves this ingress",
                        [f"classes: {', '.join(c['metadata']['name'] for c in classes) or '<none>'}"],
                        "set spec.ingressClassName to an existing class")]
    default = [c for c in classes if (c["metadata"].get("annotations") or {})
               .get("ingressclass.kubernetes.io/is-default-class") == "true"]
    if default:
        return [Finding("class", "ok", f"no class named: the default class {default[0]['metadata']['name']} applies")]
    return [Finding("class", "warn", "no ingress class named, and no default class: a controller may ignore it", [],
                    "set spec.ingressClassName")]


def check_address(s: Subject) -> list[Finding]:
    addresses = [i.get("ip") or i.get("hostname") for i in
                 ((s.ingress.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []]
    if addresses:
        return [Finding("address", "ok", f"address {', '.join(addresses)}")]
    return [Finding("address", "warn", "no address yet: the ingress controller has not admitted it", [],
                    "kubesim get ingress shows ADDRESS once a controller serves the class")]


def check_backends(s: Subject) -> list[Finding]:
    from kubesim.diagnose.service import Subject as ServiceSubject

    findings = []
    for where, backend in s.backends():
        name = backend.get("name", "")
        port = backend.get("port") or {}
        wanted = port.get("number", port.get("name"))
        service = s.api.find(kind_named("Service"), s.namespace, name)
        label = f"{where} → {name}:{wanted}"
        if service is None:
            findings.append(Finding("backend", "fail", f"{label}: service {name} does not exist in namespace "
                                                       f"{s.namespace}", [], "an ingress routes to services of its own "
                                                                             "namespace only"))
            continue
        ports = (service.get("spec") or {}).get("ports") or []
        if not any(p.get("port") == wanted or (p.get("name") and p.get("name") == wanted) for p in ports):
            shown = ", ".join(f"{p.get('port')}" + (f" ({p['name']})" if p.get("name") else "") for p in ports)
            findings.append(Finding("backend", "fail", f"{label}: service {name} has no port {wanted}",
                                    [f"its ports: {shown or '<none>'}"], "use the service's port, not the pods'"))
            continue
        ready = ServiceSubject(s.api, service).ready_addresses()
        if not ready:
            findings.append(Finding("backend", "fail", f"{label}: the service has no ready endpoint (503 from the "
                                                       "controller)", [], f"kubesim diagnose svc {name}"))
            continue
        findings.append(Finding("backend", "ok", f"{label}: {len(ready)} ready endpoint(s)"))
    if not findings:
        findings.append(Finding("backend", "warn", "the ingress routes nowhere: no rules and no default backend"))
    return findings


# Append a function (Subject -> list[Finding]) to add a check.
CHECKS = [check_class, check_address, check_backends]


def diagnose(api, namespace: str, name: str) -> Report:
    ingress = api.find(kind_named("Ingress", "networking.k8s.io"), namespace, name)
    if ingress is None:
        return Report("Ingress", namespace, name,
                      [Finding("ingress", "fail", f"ingress {name} not found in namespace {namespace}")])
    return Report("Ingress", namespace, name, run_checks(CHECKS, Subject(api, ingress)))
