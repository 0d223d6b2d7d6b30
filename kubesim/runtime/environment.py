"""A container's environment as the kubelet builds it when the container starts.

Service links (``KUBIA_SERVICE_HOST`` …) are fixed at that moment: the kubelet snapshots them when the
pod starts (``snapshot_service_links``), so a service created later is not visible until the pod
is recreated — the surprise "Kubernetes in Action" §5.1.2 demonstrates.
"""

from __future__ import annotations

import base64
import json
import re

from kubesim.api.registry import Obj, kind_named

SERVICE_LINKS_MEMO = "kind:Service/service-links"  # forgotten when a Service is written
_SHARED_REFERENCE = "shared:"
_SHARED_LINKS = "service-env-set/"
_SHARED_USERS = "service-env-users/"
_REFERENCE = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)|\$\$")


def _meta_key(pod: Obj) -> str:
    return f"service-env/{pod['metadata']['uid']}"


def service_variable_name(name: str) -> str:
    text = name.upper().replace("-", "_").replace(".", "_")
    return f"_{text}" if text[:1].isdigit() else text


def variables_for_service(service: Obj) -> list[tuple[str, str]]:
    """The docker-link style variables for one service, in the kubelet's order."""
    spec = service.get("spec") or {}
    ip = spec.get("clusterIP")
    ports = spec.get("ports") or []
    if not ip or ip == "None" or not ports:
        return []
    prefix = service_variable_name(service["metadata"]["name"])
    shown = f"[{ip}]" if ":" in ip else ip
    first = ports[0]
    variables = [(f"{prefix}_SERVICE_HOST", ip), (f"{prefix}_SERVICE_PORT", str(first["port"]))]
    for port in ports:
        if port.get("name"):
            variables.append((f"{prefix}_SERVICE_PORT_{service_variable_name(port['name'])}", str(port["port"])))
    protocol = first.get("protocol", "TCP").lower()
    variables.append((f"{prefix}_PORT", f"{protocol}://{shown}:{first['port']}"))
    for port in ports:
        proto = port.get("protocol", "TCP")
        base = f"{prefix}_PORT_{port['port']}_{proto.upper()}"
        variables += [
            (base, f"{proto.lower()}://{shown}:{port['port']}"),
            (f"{base}_PROTO", proto.lower()),
            (f"{base}_PORT", str(port["port"])),
            (f"{base}_ADDR", ip),
        ]
    return variables


def service_link_variables(api, pod: Obj) -> list[tuple[str, str]]:
    """What the kubelet would inject now: the pod's namespace's services (if enabled) and kubernetes."""
    service_kind = kind_named("Service")
    namespace = pod["metadata"].get("namespace", "default")
    services = []
    if pod.get("spec", {}).get("enableServiceLinks", True) is not False:
        services = [s for s in api.list(service_kind, namespace) if (s.get("spec") or {}).get("type") != "ExternalName"]
    if namespace != "default" or not services:
        master = api.find(service_kind, "default", "kubernetes")
        if master is not None and all(s["metadata"]["uid"] != master["metadata"]["uid"] for s in services):
            services.append(master)
    services.sort(key=lambda s: (s["metadata"]["name"] != "kubernetes", s["metadata"]["name"]))
    variables: list[tuple[str, str]] = []
    for service in services:
        variables += variables_for_service(service)
    return variables


def snapshot_service_links(api, pod: Obj) -> None:
    """Keep the links the pod starts with. Pods that start with the same services share one stored
    copy (a namespace of 1,000 services gives each pod ~7,000 variables), counted so the last pod to
    go takes it; within a request the text is worked out once (``ApiServer`` drops the memo entry
    when any Service is written)."""
    links = api.memo.setdefault(SERVICE_LINKS_MEMO, {})
    key = (pod["metadata"].get("namespace", "default"), pod.get("spec", {}).get("enableServiceLinks", True) is False)
    if key not in links:
        import hashlib

        text = json.dumps(service_link_variables(api, pod))
        links[key] = (text, hashlib.sha256(text.encode()).hexdigest()[:32])
    text, digest = links[key]
    users = int(api.tx.meta(f"{_SHARED_USERS}{digest}", "0") or 0)
    if users == 0:
        api.tx.set_meta(f"{_SHARED_LINKS}{digest}", text)
    api.tx.set_meta(f"{_SHARED_USERS}{digest}", str(users + 1))
    api.tx.set_meta(_meta_key(pod), f"{_SHARED_REFERENCE}{digest}")


def forget_service_links(api, pod: Obj) -> None:
    stored = api.tx.meta(_meta_key(pod))
    api.tx.delete_meta(_meta_key(pod))
    if stored and stored.startswith(_SHARED_REFERENCE):
        digest = stored[len(_SHARED_REFERENCE):]
        users = int(api.tx.meta(f"{_SHARED_USERS}{digest}", "0") or 0) - 1
        if users > 0:
            api.tx.set_meta(f"{_SHARED_USERS}{digest}", str(users))
        else:
            api.tx.delete_meta(f"{_SHARED_USERS}{digest}")
            api.tx.delete_meta(f"{_SHARED_LINKS}{digest}")


def _stored_links(api, pod: Obj) -> list[tuple[str, str]] | None:
    """The pod's snapshot: a shared copy's reference, or (as older states hold it) the JSON itself."""
    stored = api.tx.meta(_meta_key(pod))
    if stored and stored.startswith(_SHARED_REFERENCE):
        stored = api.tx.meta(f"{_SHARED_LINKS}{stored[len(_SHARED_REFERENCE):]}")
    return [tuple(pair) for pair in json.loads(stored)] if stored else None


def container_environment(api, pod: Obj, container: Obj, image_env: list[tuple[str, str]],
                          tty: bool = False) -> dict[str, str]:
    """PATH, HOSTNAME, the image's env, the container's env, service links, TERM (with -t), HOME."""
    links = _stored_links(api, pod)
    if links is None:
        links = service_link_variables(api, pod)
    image = dict(image_env)
    environment: dict[str, str] = {}
    environment["PATH"] = image.get("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
    environment["HOSTNAME"] = pod.get("spec", {}).get("hostname") or pod["metadata"]["name"]
    explicit: dict[str, str] = {}
    lookup = dict(links) | image
    for entry in container.get("env") or []:
        name = entry.get("name", "")
        if "value" in entry or "valueFrom" not in entry:
            value = _expand(str(entry.get("value", "")), {**lookup, **explicit})
        else:
            value = _value_from(api, pod, container, entry["valueFrom"])
            if value is None:
                continue
        explicit[name] = value
    # containerd's order: the image's ENV, then what the kubelet passes (the container's env,
    # then the service links); a later definition of a name replaces the earlier value in place.
    for name, value in image_env:
        environment.setdefault(name, value)
    for name, value in explicit.items():
        environment[name] = value
    for name, value in links:
        environment.setdefault(name, value)
    if tty:
        environment.setdefault("TERM", "xterm")
    environment.setdefault("HOME", image.get("HOME", "/root"))
    if "HOME" in environment:
        environment["HOME"] = environment.pop("HOME")
    return environment


def _expand(text: str, known: dict[str, str]) -> str:
    def replace(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1)
        return known.get(name, match.group(0))

    return _REFERENCE.sub(replace, text)


def _value_from(api, pod: Obj, container: Obj, source: dict) -> str | None:
    if "fieldRef" in source:
        path = source["fieldRef"].get("fieldPath", "")
        meta, spec, status = pod["metadata"], pod.get("spec") or {}, pod.get("status") or {}
        values = {
            "metadata.name": meta.get("name"), "metadata.namespace": meta.get("namespace"),
            "metadata.uid": meta.get("uid"), "spec.nodeName": spec.get("nodeName"),
            "spec.serviceAccountName": spec.get("serviceAccountName"), "status.podIP": status.get("podIP"),
            "status.hostIP": status.get("hostIP"),
        }
        match = re.fullmatch(r"metadata\.(labels|annotations)\['(.+)'\]", path)
        if match:
            return (meta.get(match.group(1)) or {}).get(match.group(2), "")
        return values.get(path) or ""
    if "resourceFieldRef" in source:
        resource = source["resourceFieldRef"].get("resource", "")
        limits = (container.get("resources") or {}).get("limits") or {}
        return str(limits.get(resource.split(".", 1)[-1], "0"))
    for key, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
        if key in source:
            ref = source[key]
            obj = api.find(kind_named(kind), pod["metadata"].get("namespace"), ref.get("name", ""))
            data = (obj or {}).get("data") or {}
            if ref.get("key") not in data:
                return None
            value = data[ref["key"]]
            return base64.b64decode(value).decode("utf-8", "replace") if kind == "Secret" else value
    return None
