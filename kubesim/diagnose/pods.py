"""What the checks ask of pods: ready or not and why, what listens; and ``kubesim diagnose pod NAME``."""

from __future__ import annotations

from kubesim.api.registry import Obj, kind_named
from kubesim.diagnose import Finding, Report, names, run_checks


def is_ready(pod: Obj) -> bool:
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in (pod.get("status") or {}).get("conditions") or [])


def _from_status(api, pod: Obj) -> list[str]:
    """The pod's own account: its phase, conditions that are not True, containers that are not ready."""
    status = pod.get("status") or {}
    reasons = []
    if status.get("phase") != "Running":
        reasons.append(f"phase {status.get('phase') or '<none>'}")
    for condition in status.get("conditions") or []:
        if condition.get("status") != "True":
            why = ": ".join(x for x in (condition.get("reason"), condition.get("message")) if x)
            reasons.append(f"condition {condition.get('type')} is {condition.get('status')}" + (f" ({why})" if why else ""))
    for container in status.get("containerStatuses") or []:
        if container.get("ready"):
            continue
        waiting = (container.get("state") or {}).get("waiting") or {}
        reason = f" ({waiting['reason']})" if waiting.get("reason") else ""
        reasons.append(f"container {container.get('name')} is not ready{reason}")
    return reasons


def _readiness_probes(api, pod: Obj) -> list[str]:
    from kubesim.printers.describe import describe_probe

    return [f"container {c['name']} readiness probe: {describe_probe(c['readinessProbe'])}"
            for c in (pod.get("spec") or {}).get("containers") or [] if c.get("readinessProbe")]


def _probe_failures(api, pod: Obj) -> list[str]:
    """What the kubelet last said of the pod's failing probes (its Unhealthy events), newest first."""
    meta = pod["metadata"]
    failures = [e for e in api.list(kind_named("Event"), meta.get("namespace", "default"))
                if e.get("reason") == "Unhealthy" and (e.get("involvedObject") or {}).get("uid") == meta.get("uid")]
    failures.sort(key=lambda e: e.get("lastTimestamp") or "", reverse=True)
    return [f"the kubelet says: {e.get('message')} ({_times(e)})" for e in failures[:3]]


def _times(event: Obj) -> str:
    count = int(event.get("count") or 1)
    return f"{count} times, last at {event.get('lastTimestamp')}" if count > 1 else f"at {event.get('lastTimestamp')}"


# Why a pod is not ready, each explainer (api, pod) -> lines.
NOT_READY_EXPLAINERS = [_from_status, _readiness_probes, _probe_failures]


def not_ready_reasons(api, pod: Obj) -> list[str]:
    reasons = [line for explain in NOT_READY_EXPLAINERS for line in explain(api, pod)]
    return reasons or ["not ready"]


def listening_ports(pod: Obj) -> list[int]:
    """The TCP ports something in the pod answers on: the image's served ports and the declared ones."""
    from kubesim.runtime.apps import server_for
    from kubesim.runtime.images import image_of

    candidates: set[int] = set()
    for container in (pod.get("spec") or {}).get("containers") or []:
        image = image_of(container)
        candidates |= {int(p) for p in image.serves}
        candidates |= {int(p.get("containerPort", 0)) for p in container.get("ports") or []}
    return sorted(p for p in candidates if p and server_for(pod, p) is not None)


# -- diagnose pod NAME ----------------------------------------------------------------------------------
class Subject:
    def __init__(self, api, pod: Obj) -> None:
        self.api = api
        self.pod = pod
        self.name = pod["metadata"]["name"]
        self.namespace = pod["metadata"].get("namespace", "default")


def check_running(s: Subject) -> list[Finding]:
    status = s.pod.get("status") or {}
    node = (s.pod.get("spec") or {}).get("nodeName") or "<none>"
    if status.get("phase") == "Running":
        return [Finding("running", "ok", f"Running on node {node} at {status.get('podIP', '')}")]
    return [Finding("running", "fail", f"phase {status.get('phase') or '<none>'}: the pod does not run",
                    _from_status(s.api, s.pod), f"kubesim describe pod {s.name} (its Events say why)")]


def check_pod_ready(s: Subject) -> list[Finding]:
    if is_ready(s.pod):
        return [Finding("ready", "ok", "ready: services that select it send it traffic")]
    return [Finding("ready", "fail", "not ready: no service sends it traffic", not_ready_reasons(s.api, s.pod),
                    "a pod gets traffic only once it is ready (its readiness probe succeeds)")]


def check_listening(s: Subject) -> list[Finding]:
    if (s.pod.get("status") or {}).get("phase") != "Running":
        return []
    listening = listening_ports(s.pod)
    declared = sorted({int(p.get("containerPort", 0)) for c in s.pod["spec"].get("containers") or []
                       for p in c.get("ports") or []})
    silent = [p for p in declared if p not in listening]
    ip = (s.pod.get("status") or {}).get("podIP", "")
    if silent:
        return [Finding("listening", "warn", f"declared port(s) {', '.join(map(str, silent))} answer nothing; the app "
                                             f"listens on {', '.join(map(str, listening)) or 'nothing'}",
                        [f"a connection to {ip}:{silent[0]} is refused"],
                        "declare the ports the app really listens on (and make it listen on 0.0.0.0, not only "
                        "localhost)")]
    if not listening:
        return [Finding("listening", "warn", "nothing in the pod listens on a TCP port", [])]
    return [Finding("listening", "ok", f"listens on {', '.join(f'{ip}:{p}' for p in listening)}",
                    [f"try it from another pod: kubesim trace POD http://{ip}:{listening[0]}"])]


def check_services(s: Subject) -> list[Finding]:
    labels = s.pod["metadata"].get("labels") or {}
    services = [svc for svc in s.api.list(kind_named("Service"), s.namespace)
                if (sel := (svc.get("spec") or {}).get("selector")) and all(labels.get(k) == v for k, v in sel.items())]
    if not services:
        return [Finding("services", "info", "no service in its namespace selects it")]
    ip = (s.pod.get("status") or {}).get("podIP", "")
    missing = []
    for svc in services:
        endpoints = s.api.find(kind_named("Endpoints"), s.namespace, svc["metadata"]["name"]) or {}
        addresses = {a.get("ip") for sub in endpoints.get("subsets") or [] for a in sub.get("addresses") or []}
        if ip not in addresses:
            missing.append(svc)
    if missing:
        return [Finding("services", "warn", f"selected by {names(services)}, but not among the ready endpoints of "
                                            f"{names(missing)}", [], "see the ready check")]
    return [Finding("services", "ok", f"selected by {names(services)}, and one of their ready endpoints")]


# Append a function (Subject -> list[Finding]) to add a check.
CHECKS = [check_running, check_pod_ready, check_listening, check_services]


def diagnose(api, namespace: str, name: str) -> Report:
    pod = api.find(kind_named("Pod"), namespace, name)
    if pod is None:
        return Report("Pod", namespace, name, [Finding("pod", "fail", f"pod {name} not found in namespace {namespace}")])
    return Report("Pod", namespace, name, run_checks(CHECKS, Subject(api, pod)))
