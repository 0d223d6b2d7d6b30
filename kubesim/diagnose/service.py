"""``kubesim diagnose service NAME``: the §5.7 checklist for one service, in the order a request meets it."""

from __future__ import annotations

from collections import Counter
from functools import cached_property

from kubesim.api.registry import Obj, kind_named
from kubesim.diagnose import Finding, Report, count, names, run_checks, similar
from kubesim.diagnose.pods import is_ready, listening_ports, not_ready_reasons


class Subject:
    """One service and what its checks look at, each read once."""

    def __init__(self, api, service: Obj, from_namespace: str | None = None) -> None:
        self.api = api
        self.service = service
        self.name = service["metadata"]["name"]
        self.namespace = service["metadata"].get("namespace", "default")
        self.from_namespace = from_namespace or self.namespace
        self.spec = service.get("spec") or {}

    @property
    def type(self) -> str:
        return self.spec.get("type", "ClusterIP")

    @property
    def external_name(self) -> bool:
        return self.type == "ExternalName"

    @property
    def headless(self) -> bool:
        return self.spec.get("clusterIP") == "None"

    @property
    def ports(self) -> list[dict]:
        return self.spec.get("ports") or []

    @property
    def selector(self) -> dict:
        return self.spec.get("selector") or {}

    @cached_property
    def namespace_pods(self) -> list[Obj]:
        return [p for p in self.api.list(kind_named("Pod"), self.namespace)
                if not p["metadata"].get("deletionTimestamp")]

    @cached_property
    def selected(self) -> list[Obj]:
        if not self.selector:
            return []
        return [p for p in self.namespace_pods if _matches(self.selector, p)]

    @cached_property
    def endpoints(self) -> Obj | None:
        return self.api.find(kind_named("Endpoints"), self.namespace, self.name)

    def ready_addresses(self) -> list[str]:
        return list(dict.fromkeys(f"{a['ip']}:{p['port']}" for s in (self.endpoints or {}).get("subsets") or []
                                  for p in s.get("ports") or [] for a in s.get("addresses") or []))

    def not_ready_addresses(self) -> list[str]:
        return sorted({a["ip"] for s in (self.endpoints or {}).get("subsets") or []
                       for a in s.get("notReadyAddresses") or []})


def _matches(selector: dict, pod: Obj) -> bool:
    labels = pod["metadata"].get("labels") or {}
    return all(labels.get(k) == v for k, v in selector.items())


def _selector_text(selector: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted(selector.items()))


def _port_text(port: dict) -> str:
    return f"{port.get('port')}/{port.get('protocol', 'TCP')}"


# -- the checks, in the order a request meets what they check ----------------------------------------
def check_service(s: Subject) -> list[Finding]:
    ports = ", ".join(f"{_port_text(p)} → {p.get('targetPort', p.get('port'))}" for p in s.ports) or "no ports"
    if s.external_name:
        title = f"ExternalName service: its name is a DNS alias (CNAME) for {s.spec.get('externalName', '')}"
    elif s.headless:
        title = f"headless service (clusterIP: None): DNS answers with the ready pods' own IPs; ports {ports}"
    else:
        title = f"{s.type} service at {s.spec.get('clusterIP', '')}, ports {ports}"
    return [Finding("service", "ok", title)]


def check_selector(s: Subject) -> list[Finding]:
    if s.external_name:
        return []
    if not s.selector:
        return [Finding("selector", "info", "no selector: its Endpoints are not made from pods; whoever writes "
                                            "them (by hand) says where traffic goes")]
    wanted = _selector_text(s.selector)
    if s.selected:
        return [Finding("selector", "ok", f"selector {wanted} matches {count(len(s.selected), 'pod')}: {names(s.selected)}")]
    evidence, fix = _selector_mismatch(s)
    return [Finding("selector", "fail", f"selector {wanted} matches no pod in namespace {s.namespace}", evidence, fix)]


def _selector_mismatch(s: Subject) -> tuple[list[str], str]:
    evidence: list[str] = []
    elsewhere = [p for p in s.api.list(kind_named("Pod")) if p["metadata"].get("namespace") != s.namespace
                 and _matches(s.selector, p)]
    if elsewhere:
        spaces = sorted({p["metadata"].get("namespace", "") for p in elsewhere})
        evidence.append(f"pods with these labels run in namespace {', '.join(spaces)}: a service selects pods of "
                        "its own namespace only")
    if not s.namespace_pods:
        evidence.append(f"namespace {s.namespace} has no pods at all")
        return evidence, "create the pods (or the service) in the same namespace"
    fixes: list[str] = []
    for key, value in sorted(s.selector.items()):
        values = Counter(v for p in s.namespace_pods if (v := (p["metadata"].get("labels") or {}).get(key)) is not None)
        if value in values:
            continue
        if not values:
            near = similar(key, {k for p in s.namespace_pods for k in (p["metadata"].get("labels") or {})})
            hint = f" (did you mean {' or '.join(near)}?)" if near else ""
            evidence.append(f"no pod has a label {key}{hint}")
            continue
        shown = ", ".join(f"{key}={v} ({n} pod{'s' if n != 1 else ''})" for v, n in values.most_common(3))
        near = similar(value, values)
        evidence.append(f"{key}: the selector wants {value!r}; pods have {shown}"
                        + (f": a typo of {near[0]!r}?" if near else ""))
        actual = near[0] if near else values.most_common(1)[0][0]
        fixes.append(f"{key}={actual}")
    nearest = sorted(s.namespace_pods, key=lambda p: (_mismatches(s.selector, p), p["metadata"]["name"]))[0]
    labels = nearest["metadata"].get("labels") or {}
    evidence.append(f"nearest pod: {nearest['metadata']['name']} ({_selector_text(labels) or 'no labels'}), "
                    f"{_mismatches(s.selector, nearest)} of {len(s.selector)} selector label(s) differ")
    if fixes:
        fix = (f"set the service's selector to {_selector_text({**s.selector, **dict(f.split('=', 1) for f in fixes)})} "
               f"(fix the manifest, then kubesim apply -f), or label the pods to match")
    else:
        fix = "give the pods the selector's labels (kubesim label pod NAME KEY=VALUE), or fix the selector"
    return evidence, fix


def _mismatches(selector: dict, pod: Obj) -> int:
    labels = pod["metadata"].get("labels") or {}
    return sum(labels.get(k) != v for k, v in selector.items())


def check_ready(s: Subject) -> list[Finding]:
    if not s.selected:
        return []
    unready = [p for p in s.selected if not is_ready(p)]
    if not unready:
        return [Finding("ready", "ok", "the selected pod is ready" if len(s.selected) == 1 else
                        f"all {len(s.selected)} selected pods are ready")]
    evidence = [f"{p['metadata']['name']}: {reason}" for p in unready for reason in not_ready_reasons(s.api, p)]
    fix = ("see why with kubesim describe pod NAME: a pod gets traffic only once it is ready "
           "(its readiness probe succeeds)")
    if len(unready) == len(s.selected):
        return [Finding("ready", "fail", f"none of the {count(len(s.selected), 'selected pod')} is ready: a pod that is "
                                          "not ready is not part of the service", evidence, fix)]
    return [Finding("ready", "warn", f"{len(unready)} of the {len(s.selected)} selected pods are not ready: they get "
                                      "no traffic until they are", evidence, fix)]


def check_endpoints(s: Subject) -> list[Finding]:
    if s.external_name:
        return []
    if s.endpoints is None:
        how = "a service without a selector needs an Endpoints object of the same name, written by hand" \
            if not s.selector else "the endpoints controller has not written one"
        return [Finding("endpoints", "fail", f"there is no Endpoints object {s.name}: {how}",
                        [f"kubesim get endpoints {s.name} finds nothing"],
                        "create the Endpoints (same name and namespace as the service)" if not s.selector else "")]
    ready = s.ready_addresses()
    not_ready = s.not_ready_addresses()
    if ready:
        shown = ", ".join(ready[:6]) + (f" and {len(ready) - 6} more" if len(ready) > 6 else "")
        extra = [f"not ready (no traffic): {', '.join(not_ready)}"] if not_ready else []
        return [Finding("endpoints", "ok", f"Endpoints {s.name}: {shown}", extra)]
    effect = "DNS has no address for the name" if s.headless else "connections to the service are refused"
    evidence = [f"kubesim get endpoints {s.name} shows <none>: {effect}"]
    if not_ready:
        evidence.append(f"notReadyAddresses: {', '.join(not_ready)} (pods that are selected but not ready)")
    if s.selected and all(is_ready(p) for p in s.selected):
        fix = "the selected pods are ready, so their ports keep them out: see the target-port check"
    elif s.selector:
        fix = "the selector must match pods, and they must be ready: see the checks above"
    else:
        fix = f"write the addresses into Endpoints {s.name} (a service without a selector)"
    return [Finding("endpoints", "fail", f"Endpoints {s.name} has no ready address", evidence, fix)]


def check_target_ports(s: Subject) -> list[Finding]:
    pods = [p for p in s.selected if (p.get("status") or {}).get("phase") == "Running"]
    findings = []
    for port in s.ports if pods and not s.external_name else []:
        target = port.get("targetPort", port.get("port"))
        problems = []
        for pod in pods:
            number = _container_port(pod, target)
            listening = listening_ports(pod)
            shown = ", ".join(map(str, listening)) or "nothing"
            if number is None:
                declared = ", ".join(f"{p.get('containerPort')}/{p.get('protocol', 'TCP')}"
                                     + (f" ({p['name']})" if p.get("name") else "")
                                     for c in pod["spec"].get("containers") or [] for p in c.get("ports") or [])
                problems.append(f"{pod['metadata']['name']}: no container port is named {target!r} "
                                f"(its ports: {declared or '<none>'})")
            elif number not in listening:
                problems.append(f"{pod['metadata']['name']}: nothing listens on {number}; the app listens on {shown}")
        label = f"port {_port_text(port)} → targetPort {target}"
        if not problems:
            findings.append(Finding("target-port", "ok", f"{label}: the selected pods listen there"))
            continue
        if isinstance(target, str):
            fix = f"name a container port {target!r} in the pod template, or set targetPort to the port number"
        else:
            fix = (f"set targetPort to the port the app listens on; if it should be {target}, make the app listen on "
                   "it on all addresses (0.0.0.0), not only localhost")
        findings.append(Finding("target-port", "fail", f"{label}: the pods do not answer there", problems, fix))
    return findings


def _container_port(pod: Obj, target) -> int | None:
    if isinstance(target, int) or str(target).isdigit():
        return int(target)
    for container in pod["spec"].get("containers") or []:
        for port in container.get("ports") or []:
            if port.get("name") == target:
                return int(port.get("containerPort", 0))
    return None


def address_of(host: str, port: int) -> str:
    """How a client names a service port: a URL for the web's ports, ``host:port`` for the others."""
    return {80: f"http://{host}", 443: f"https://{host}"}.get(port, f"{host}:{port}")


def check_call_port(s: Subject) -> list[Finding]:
    if s.external_name or not s.ports:
        return []
    first = s.ports[0]
    port, target = first.get("port"), first.get("targetPort", first.get("port"))
    ways = [f"from pods in namespace {s.namespace}: {address_of(s.name, port)}; from other namespaces: "
            f"{address_of(f'{s.name}.{s.namespace}', port)}"]
    if not s.headless:
        ways.append(f"{s.spec.get('clusterIP')}:{port} answers only inside the cluster (from a pod or a node), "
                    "never from your machine")
    for p in s.ports:
        if p.get("nodePort"):
            ways.append(f"from outside: any node's address, port {p['nodePort']} (kubesim curl http://NODE_IP:"
                        f"{p['nodePort']})")
    for ingress in (s.service.get("status") or {}).get("loadBalancer", {}).get("ingress") or []:
        if ingress.get("ip"):
            ways.append(f"from outside: the load balancer, http://{ingress['ip']}:{port}")
    whose = "the pods' port" if s.selector else "the endpoints' port"
    title = f"call the service's port {port}" + (f", not the targetPort {target} ({whose})" if target != port else "")
    return [Finding("port", "info", title, ways)]


def check_dns(s: Subject) -> list[Finding]:
    from kubesim.net import dns

    if s.external_name:
        return []
    client = {"metadata": {"name": "diagnose", "namespace": s.from_namespace}, "spec": {}}
    if not dns.cluster_dns_answers(s.api):
        return [Finding("dns", "fail", "cluster DNS (kube-system/kube-dns) has no ready endpoint: no name resolves",
                        [], "kubesim get pods -n kube-system: the coredns pods must be ready")]
    fqdn = f"{s.name}.{s.namespace}.svc.{dns.ZONE}"
    short = _lookup(s.api, client, s.name)
    full = _lookup(s.api, client, fqdn)
    if full is None:
        if s.headless:
            return [Finding("dns", "fail", f"{fqdn} does not resolve: a headless service has no cluster IP, so with "
                                           "no ready pod its name has no address at all (NXDOMAIN)",
                            ["DNS answers a headless service's name with the ready pods' IPs, and there are none"],
                            "make the selected pods ready (or set publishNotReadyAddresses: true)")]
        return [Finding("dns", "fail", f"{fqdn} does not resolve", [], "")]
    if s.from_namespace != s.namespace:
        if short is None or short[1] != full[1]:
            seen = "does not resolve" if short is None else f"resolves to {short[0]}, another service"
            return [Finding("dns", "fail", f"from namespace {s.from_namespace}, {s.name!r} {seen}: the search list "
                                           f"looks in {s.from_namespace} first",
                            [f"{fqdn} → {', '.join(full[1])}"],
                            f"call it {s.name}.{s.namespace} (or {fqdn}) from namespace {s.from_namespace}")]
    matched, addresses = short or full
    return [Finding("dns", "ok", f"{s.name!r} resolves from namespace {s.from_namespace}: {matched} → "
                                 f"{', '.join(addresses)}",
                    [] if s.headless else [f"if the name fails in a client, try the cluster IP "
                                           f"{s.spec.get('clusterIP')} to tell DNS from routing apart"])]


def _lookup(api, client: Obj, name: str) -> tuple[str, list[str]] | None:
    from kubesim.net import dns
    from kubesim.net.network import HostNotFound, NetworkError

    try:
        addresses = dns.resolve_in_pod(api, client, name)
    except HostNotFound:
        return None
    except NetworkError:
        return None
    matched, _ = dns.lookup_in_pod(api, client, name)
    return matched, addresses


def check_external_name(s: Subject) -> list[Finding]:
    if not s.external_name:
        return []
    target = str(s.spec.get("externalName", "")).rstrip(".")
    client = {"metadata": {"name": "diagnose", "namespace": s.from_namespace}, "spec": {}}
    found = _lookup(s.api, client, target + ".")
    if found is None:
        return [Finding("external-name", "fail", f"{target} resolves nowhere: pods asking for {s.name} get a CNAME "
                                                 "to a name nobody answers for",
                        [f"{s.name}.{s.namespace}.svc.cluster.local → CNAME {target} → NXDOMAIN"],
                        f"correct spec.externalName, or declare the host: kubesim world add {target} --ip ADDRESS")]
    return [Finding("external-name", "ok", f"{target} resolves to {', '.join(found[1])}")]


def check_local_policy(s: Subject) -> list[Finding]:
    from kubesim.net.nodeports import has_local_endpoint, internal_ip

    if s.type not in ("NodePort", "LoadBalancer") or s.spec.get("externalTrafficPolicy") != "Local":
        return []
    nodes = s.api.list(kind_named("Node"))
    port = next((p for p in s.ports if p.get("nodePort")), None)
    if port is None:
        return []
    without = [n for n in nodes if not has_local_endpoint(s.api, n, s.service, port)]
    if not without:
        return [Finding("traffic-policy", "ok", "externalTrafficPolicy: Local, and every node runs a ready pod of the "
                                                "service")]
    evidence = [f"node {n['metadata']['name']} ({internal_ip(n)}) runs no ready pod of the service: from outside, "
                f"{internal_ip(n)}:{port['nodePort']} times out" for n in without]
    with_pods = [n for n in nodes if n not in without]
    verdict = "fail" if not with_pods else "warn"
    good = ", ".join(f"{n['metadata']['name']} ({internal_ip(n)})" for n in with_pods)
    fix = (f"connect to a node that runs one ({good}), or " if with_pods else "") + \
        "set externalTrafficPolicy: Cluster (an extra hop, and the app no longer sees the client's address)"
    return [Finding("traffic-policy", verdict, f"externalTrafficPolicy: Local: {len(without)} of {count(len(nodes), 'node')} "
                                               "drop outside connections", evidence, fix)]


def check_ping(s: Subject) -> list[Finding]:
    if s.external_name or s.headless:
        return []
    first = s.ports[0].get("port") if s.ports else 80
    return [Finding("ping", "info", f"don't ping {s.spec.get('clusterIP')}: a cluster IP is virtual, it answers only "
                                    "on the service's ports, so ping fails even when the service works",
                    [f"test with a request from a pod instead: kubesim trace POD "
                     f"{address_of(s.name, first) if first in (80, 443) else f'http://{s.name}:{first}'}"])]


# The checklist: append a function (Subject -> list[Finding]) to add a check.
CHECKS = [check_service, check_selector, check_ready, check_endpoints, check_target_ports, check_call_port,
          check_dns, check_external_name, check_local_policy, check_ping]


def diagnose(api, namespace: str, name: str, from_namespace: str | None = None) -> Report:
    service = api.find(kind_named("Service"), namespace, name)
    if service is None:
        return Report("Service", namespace, name, [_missing(api, namespace, name)])
    return Report("Service", namespace, name, run_checks(CHECKS, Subject(api, service, from_namespace)))


def _missing(api, namespace: str, name: str) -> Finding:
    services = api.list(kind_named("Service"))
    elsewhere = sorted(s["metadata"].get("namespace", "") for s in services if s["metadata"]["name"] == name)
    evidence, fix = [], ""
    if elsewhere:
        evidence.append(f"a service {name} exists in namespace {', '.join(elsewhere)}")
        fix = (f"diagnose it with -n {elsewhere[0]}; from pods in namespace {namespace}, call it "
               f"{name}.{elsewhere[0]} (the short name only resolves in its own namespace)")
    near = similar(name, [s["metadata"]["name"] for s in services if s["metadata"].get("namespace") == namespace])
    if near:
        evidence.append(f"services with similar names in namespace {namespace}: {', '.join(near)}")
        fix = fix or f"did you mean {near[0]}?"
    return Finding("service", "fail", f"service {name} not found in namespace {namespace}", evidence, fix)
