"""Pods (core/v1), and the pod-spec defaulting and validation that pod templates share.

RC, ReplicaSet and Deployment templates use ``default_pod_template`` / ``validate_pod_template``
from here, as the API server runs the same PodSpec code for pods and templates.
"""

from __future__ import annotations

from datetime import datetime

from kubesim.api import validation as v
from kubesim.api.duration import age, human_duration, parse_timestamp
from kubesim.api.errors import FieldError, forbidden, invalid, not_supported, required
from kubesim.api.registry import Column, Kind, Obj, register

TYPE_CHECKING = False  # typing costs a few ms per command; annotations alone need it
if TYPE_CHECKING:
    from typing import Any

DEFAULT_TERMINATION_GRACE_PERIOD = 30
RESTART_POLICIES = ("Always", "OnFailure", "Never")
DNS_POLICIES = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
TERMINATION_MESSAGE_POLICIES = ("File", "FallbackToLogsOnError")
DEFAULT_MODE = 0o644
ENV_FIELD_PATHS = ("metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName",
                   "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs")
# Volume sources in the order validateVolumeSource visits them, with the path it names on a second one.
VOLUME_SOURCES = (
    ("emptyDir", "emptyDir"), ("hostPath", "hostPath"), ("gitRepo", "gitRepo"),
    ("gcePersistentDisk", "gcePersistentDisk"), ("awsElasticBlockStore", "awsElasticBlockStore"),
    ("secret", "secret"), ("nfs", "nfs"), ("iscsi", "iscsi"), ("glusterfs", "glusterfs"), ("flocker", "flocker"),
    ("persistentVolumeClaim", "persistentVolumeClaim"), ("rbd", "rbd"), ("cinder", "cinder"),
    ("cephfs", "cephFS"), ("quobyte", "quobyte"), ("downwardAPI", "downwarAPI"), ("fc", "fc"),
    ("flexVolume", "flexVolume"), ("configMap", "configMap"), ("azureFile", "azureFile"),
    ("vsphereVolume", "vsphereVolume"), ("photonPersistentDisk", "photonPersistentDisk"),
    ("portworxVolume", "portworxVolume"), ("azureDisk", "azureDisk"), ("storageos", "storageos"),
    ("projected", "projected"), ("scaleIO", "scaleIO"), ("csi", "csi"), ("ephemeral", "ephemeral"),
    ("image", "image"),
)
UPDATABLE_POD_FIELDS = (
    "`spec.containers[*].image`", "`spec.initContainers[*].image`", "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


# -- defaulting ------------------------------------------------------------------------------------


def image_tag(image: str) -> str:
    """The tag ParseImageName finds: ``latest`` when there is neither tag nor digest, "" if unparsable."""
    if not image or image != image.strip() or any(c.isspace() or c.isupper() for c in image.split("@")[0]):
        return ""
    name, _, digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        return last.rsplit(":", 1)[1]
    return "" if digest else "latest"


def default_probe(probe: Any) -> None:
    """SetDefaults_Probe and SetDefaults_HTTPGetAction: zero values become the documented defaults."""
    if not isinstance(probe, dict):
        return
    for key, value in (("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1),
                       ("failureThreshold", 3)):
        if not probe.get(key):
            probe[key] = value
    _default_http_get(probe.get("httpGet"))


def _default_http_get(action: Any) -> None:
    if isinstance(action, dict):
        if not action.get("path"):
            action["path"] = "/"
        if not action.get("scheme"):
            action["scheme"] = "HTTP"


def default_container(container: dict[str, Any]) -> None:
    if not container.get("imagePullPolicy"):
        tag = image_tag(str(container.get("image") or ""))
        container["imagePullPolicy"] = "Always" if tag == "latest" else "IfNotPresent"
    if not container.get("terminationMessagePath"):
        container["terminationMessagePath"] = "/dev/termination-log"
    if not container.get("terminationMessagePolicy"):
        container["terminationMessagePolicy"] = "File"
    if not isinstance(container.get("resources"), dict):
        container["resources"] = {}
    for port in _dicts(container.get("ports")):
        if not port.get("protocol"):
            port["protocol"] = "TCP"
    for env in _dicts(container.get("env")):
        field_ref = (env.get("valueFrom") or {}).get("fieldRef") if isinstance(env.get("valueFrom"), dict) else None
        if isinstance(field_ref, dict) and not field_ref.get("apiVersion"):
            field_ref["apiVersion"] = "v1"
    for key in ("livenessProbe", "readinessProbe", "startupProbe"):
        default_probe(container.get(key))
    lifecycle = container.get("lifecycle")
    if isinstance(lifecycle, dict):
        for hook in ("postStart", "preStop"):
            if isinstance(lifecycle.get(hook), dict):
                _default_http_get(lifecycle[hook].get("httpGet"))


def _default_volume(volume: dict[str, Any]) -> None:
    if not any(key in volume for key, _ in VOLUME_SOURCES):
        volume["emptyDir"] = {}
    for key in ("secret", "configMap", "downwardAPI", "projected"):
        source = volume.get(key)
        if isinstance(source, dict) and source.get("defaultMode") is None:
            source["defaultMode"] = DEFAULT_MODE
    host_path = volume.get("hostPath")
    if isinstance(host_path, dict) and "type" not in host_path:
        host_path["type"] = ""


def default_pod_spec(spec: dict[str, Any]) -> None:
    """SetDefaults_PodSpec and the per-container defaults, shared by pods and templates."""
    if not spec.get("dnsPolicy"):
        spec["dnsPolicy"] = "ClusterFirst"
    if not spec.get("restartPolicy"):
        spec["restartPolicy"] = "Always"
    if spec.get("securityContext") is None:
        spec["securityContext"] = {}
    if spec.get("terminationGracePeriodSeconds") is None:
        spec["terminationGracePeriodSeconds"] = DEFAULT_TERMINATION_GRACE_PERIOD
    if not spec.get("schedulerName"):
        spec["schedulerName"] = "default-scheduler"
    for volume in _dicts(spec.get("volumes")):
        _default_volume(volume)
    for key in ("initContainers", "containers"):
        for container in _dicts(spec.get(key)):
            default_container(container)


def default_pod_template(template: Any) -> None:
    """A template's spec gets PodSpec defaults only (no pod-only ones such as enableServiceLinks)."""
    if isinstance(template, dict) and isinstance(template.get("spec"), dict):
        default_pod_spec(template["spec"])


def _qos_class(spec: dict[str, Any]) -> str:
    """BestEffort without cpu/memory requests or limits; Guaranteed when all are limited and equal."""
    any_set = False
    guaranteed = True
    for container in _dicts(spec.get("containers")) + _dicts(spec.get("initContainers")):
        resources = container.get("resources") if isinstance(container.get("resources"), dict) else {}
        requests = resources.get("requests") if isinstance(resources.get("requests"), dict) else {}
        limits = resources.get("limits") if isinstance(resources.get("limits"), dict) else {}
        for name in ("cpu", "memory"):
            any_set = any_set or name in requests or name in limits
            if name not in limits or str(requests.get(name, "")) != str(limits[name]):
                guaranteed = False
    if not any_set:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


def default_pod(obj: Obj) -> None:
    """Pod defaulting plus what admission adds on create (service account, priority, tolerations)."""
    spec = obj.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    default_pod_spec(spec)
    for key in ("containers", "initContainers"):
        for container in _dicts(spec.get(key)):
            resources = container.get("resources")
            if isinstance(resources, dict) and isinstance(resources.get("limits"), dict):
                requests = resources.setdefault("requests", {})
                if isinstance(requests, dict):
                    for name, quantity in resources["limits"].items():
                        requests.setdefault(name, quantity)
    if spec.get("enableServiceLinks") is None:
        spec["enableServiceLinks"] = True
    if spec.get("hostNetwork") is True:
        for key in ("containers", "initContainers"):
            for container in _dicts(spec.get(key)):
                for port in _dicts(container.get("ports")):
                    if not port.get("hostPort"):
                        port["hostPort"] = port.get("containerPort")
    account = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
    spec["serviceAccountName"] = account
    spec["serviceAccount"] = account
    spec.setdefault("priority", 0)
    spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
    tolerations = spec.setdefault("tolerations", [])
    if isinstance(tolerations, list):
        for key in ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"):
            if not any(isinstance(t, dict) and t.get("key") == key and t.get("effect") in ("NoExecute", None, "")
                       for t in tolerations):
                tolerations.append({"effect": "NoExecute", "key": key, "operator": "Exists",
                                    "tolerationSeconds": 300})
    status = obj.setdefault("status", {})
    if isinstance(status, dict):
        status.setdefault("phase", "Pending")
        status.setdefault("qosClass", _qos_class(spec))


# -- validation ------------------------------------------------------------------------------------


def _validate_volumes(volumes: Any, path: str) -> tuple[set[str], list[FieldError]]:
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, volume in enumerate(_dicts(volumes)):
        vpath = f"{path}[{i}]"
        el: list[FieldError] = []
        count = 0
        for key, name in VOLUME_SOURCES:
            if volume.get(key) is None:
                continue
            if count:
                el.append(forbidden(f"{vpath}.{name}", "may not specify more than 1 volume type"))
                continue
            count += 1
            el += _validate_volume_source(key, volume[key], f"{vpath}.{key}")
        if count == 0:
            el.append(required(vpath, "must specify a volume type"))
        name = volume.get("name") or ""
        if not name:
            el.append(required(f"{vpath}.name"))
        else:
            el += v.validate_dns1123_label(str(name), f"{vpath}.name")
        if name in names:
            el.append(FieldError("Duplicate", f"{vpath}.name", name))
        if el:
            errs += el
        else:
            names.add(str(name))
    return names, errs


def _validate_volume_source(key: str, source: Any, path: str) -> list[FieldError]:
    source = source if isinstance(source, dict) else {}
    required_keys = {"secret": "secretName", "configMap": "name", "hostPath": "path",
                     "persistentVolumeClaim": "claimName"}
    field = required_keys.get(key)
    if field and not source.get(field):
        return [required(f"{path}.{field}")]
    mode = source.get("defaultMode")
    if key in ("secret", "configMap", "downwardAPI", "projected") and _is_int(mode) and not 0 <= mode <= 0o777:
        return [invalid(f"{path}.defaultMode", mode, "must be a number between 0 and 0777 (octal), both inclusive")]
    return []


def _validate_container_ports(ports: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, port in enumerate(_dicts(ports)):
        ppath = f"{path}[{i}]"
        name = port.get("name") or ""
        if name:
            messages = v.is_valid_port_name(str(name))
            if messages:
                errs += [invalid(f"{ppath}.name", name, m) for m in messages]
            else:
                errs += v.check_duplicate(names, name, f"{ppath}.name")
        container_port = port.get("containerPort") or 0
        if container_port == 0:
            errs.append(required(f"{ppath}.containerPort"))
        else:
            errs += [invalid(f"{ppath}.containerPort", container_port, m)
                     for m in v.is_valid_port_num(container_port)]
        host_port = port.get("hostPort") or 0
        if host_port != 0:
            errs += [invalid(f"{ppath}.hostPort", host_port, m) for m in v.is_valid_port_num(host_port)]
        errs += v.validate_protocol(port.get("protocol"), f"{ppath}.protocol")
    return errs


def _validate_env(env: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, var in enumerate(_dicts(env)):
        epath = f"{path}[{i}]"
        name = var.get("name") or ""
        if not name:
            errs.append(required(f"{epath}.name"))
        else:
            errs += [invalid(f"{epath}.name", name, m) for m in v.is_env_var_name(str(name))]
        value_from = var.get("valueFrom")
        if isinstance(value_from, dict):
            errs += _validate_value_from(value_from, var.get("value") or "", f"{epath}.valueFrom")
    return errs


def _validate_value_from(value_from: dict[str, Any], value: str, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    sources = 0
    field_ref = value_from.get("fieldRef")
    if isinstance(field_ref, dict):
        sources += 1
        if not field_ref.get("apiVersion"):
            errs.append(required(f"{path}.fieldRef.apiVersion"))
        elif not field_ref.get("fieldPath"):
            errs.append(required(f"{path}.fieldRef.fieldPath"))
        else:
            field_path = str(field_ref["fieldPath"])
            subscripted = field_path.startswith(("metadata.labels[", "metadata.annotations["))
            if not subscripted and field_path not in ENV_FIELD_PATHS:
                errs.append(not_supported(f"{path}.fieldRef.fieldPath", field_path, ENV_FIELD_PATHS))
    if isinstance(value_from.get("resourceFieldRef"), dict):
        sources += 1
        if not value_from["resourceFieldRef"].get("resource"):
            errs.append(required(f"{path}.resourceFieldRef.resource"))
    for key in ("configMapKeyRef", "secretKeyRef"):
        selector = value_from.get(key)
        if not isinstance(selector, dict):
            continue
        sources += 1
        name = str(selector.get("name") or "")
        errs += [invalid(f"{path}.{key}.name", name, m) for m in v.is_dns1123_subdomain(name)]
        if not selector.get("key"):
            errs.append(required(f"{path}.{key}.key"))
        else:
            errs += [invalid(f"{path}.{key}.key", selector["key"], m) for m in v.is_config_map_key(str(selector["key"]))]
    if sources == 0:
        errs.append(invalid(path, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or "
                                      "`secretKeyRef`"))
    elif value:
        errs.append(invalid(path, "", "may not be specified when `value` is not empty"))
    elif sources > 1:
        errs.append(invalid(path, "", "may not have more than one field specified at a time"))
    return errs


def _validate_volume_mounts(mounts: Any, volumes: set[str], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, mount in enumerate(_dicts(mounts)):
        mpath = f"{path}[{i}]"
        name = mount.get("name") or ""
        if not name:
            errs.append(required(f"{mpath}.name"))
        if name not in volumes:
            errs.append(FieldError("NotFound", f"{mpath}.name", name))
        mount_path = mount.get("mountPath") or ""
        if not mount_path:
            errs.append(required(f"{mpath}.mountPath"))
        if mount_path in seen:
            errs.append(invalid(f"{mpath}.mountPath", mount_path, "must be unique"))
        seen.add(mount_path)
    return errs


def _validate_handler(handler: dict[str, Any], path: str, kinds: tuple[str, ...]) -> list[FieldError]:
    """validateHandler: exactly one of the handler kinds; the second one names the path."""
    errs: list[FieldError] = []
    count = 0
    for key in kinds:
        action = handler.get(key)
        if action is None:
            continue
        if count:
            errs.append(forbidden(f"{path}.{key}", "may not specify more than 1 handler type"))
            continue
        count += 1
        action = action if isinstance(action, dict) else {}
        if key == "exec":
            if not action.get("command"):
                errs.append(required(f"{path}.exec.command"))
        elif key == "httpGet":
            if not action.get("path"):
                errs.append(required(f"{path}.httpGet.path"))
            errs += v.validate_port_num_or_name(action.get("port"), f"{path}.httpGet.port")
            scheme = action.get("scheme") or ""
            if scheme not in ("HTTP", "HTTPS"):
                errs.append(not_supported(f"{path}.httpGet.scheme", scheme, ("HTTP", "HTTPS")))
            for header in _dicts(action.get("httpHeaders")):
                errs += [invalid(f"{path}.httpGet.httpHeaders", header.get("name", ""), m)
                         for m in v.is_http_header_name(str(header.get("name", "")))]
        elif key == "tcpSocket":
            errs += v.validate_port_num_or_name(action.get("port"), f"{path}.tcpSocket.port")
        elif key == "grpc":
            port = action.get("port") if _is_int(action.get("port")) else 0
            errs += [invalid(f"{path}.grpc.port", port, m) for m in v.is_valid_port_num(port)]
    if count == 0:
        errs.append(required(path, "must specify a handler type"))
    return errs


def _validate_probe(probe: Any, path: str, kind: str) -> list[FieldError]:
    if not isinstance(probe, dict):
        return []
    errs = _validate_handler(probe, path, ("exec", "httpGet", "tcpSocket", "grpc"))
    for key in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"):
        errs += v.validate_nonnegative(probe.get(key, 0), f"{path}.{key}")
    grace = probe.get("terminationGracePeriodSeconds")
    if _is_int(grace) and grace <= 0:
        errs.append(invalid(f"{path}.terminationGracePeriodSeconds", grace, "must be greater than 0"))
    if kind in ("liveness", "startup") and probe.get("successThreshold", 0) != 1:
        errs.append(invalid(f"{path}.successThreshold", probe.get("successThreshold", 0), "must be 1"))
    if kind == "readiness" and grace is not None:
        errs.append(invalid(f"{path}.terminationGracePeriodSeconds", grace, "must not be set for readinessProbes"))
    return errs


def _validate_container_common(container: dict[str, Any], volumes: set[str], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    name = container.get("name") or ""
    if not name:
        errs.append(required(f"{path}.name"))
    else:
        errs += v.validate_dns1123_label(str(name), f"{path}.name")
    if not container.get("image"):
        errs.append(required(f"{path}.image"))
    policy = container.get("terminationMessagePolicy") or ""
    if not policy:
        errs.append(required(f"{path}.terminationMessagePolicy"))
    elif policy not in TERMINATION_MESSAGE_POLICIES:
        errs.append(not_supported(f"{path}.terminationMessagePolicy", policy, TERMINATION_MESSAGE_POLICIES))
    errs += _validate_container_ports(container.get("ports"), f"{path}.ports")
    errs += _validate_env(container.get("env"), f"{path}.env")
    errs += _validate_volume_mounts(container.get("volumeMounts"), volumes, f"{path}.volumeMounts")
    pull = container.get("imagePullPolicy") or ""
    if not pull:
        errs.append(required(f"{path}.imagePullPolicy"))
    elif pull not in PULL_POLICIES:
        errs.append(not_supported(f"{path}.imagePullPolicy", pull, PULL_POLICIES))
    return errs


def _host_port_conflicts(containers: list[dict[str, Any]], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for ci, container in enumerate(containers):
        for pi, port in enumerate(_dicts(container.get("ports"))):
            if not port.get("hostPort"):
                continue
            key = f"{port.get('protocol', '')}/{port.get('hostIP', '')}/{port['hostPort']}"
            errs += v.check_duplicate(seen, key, f"{path}[{ci}].ports[{pi}].hostPort")
    return errs


def _validate_containers(containers: Any, volumes: set[str], path: str) -> list[FieldError]:
    items = _dicts(containers)
    if not items:
        return [required(path)]
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, container in enumerate(items):
        cpath = f"{path}[{i}]"
        errs += _validate_container_common(container, volumes, cpath)
        errs += v.check_duplicate(names, container.get("name") or "", f"{cpath}.name")
        lifecycle = container.get("lifecycle")
        if isinstance(lifecycle, dict):
            for hook in ("postStart", "preStop"):
                if isinstance(lifecycle.get(hook), dict):
                    errs += _validate_handler(lifecycle[hook], f"{cpath}.lifecycle.{hook}",
                                              ("exec", "httpGet", "tcpSocket", "sleep"))
        errs += _validate_probe(container.get("livenessProbe"), f"{cpath}.livenessProbe", "liveness")
        errs += _validate_probe(container.get("readinessProbe"), f"{cpath}.readinessProbe", "readiness")
        errs += _validate_probe(container.get("startupProbe"), f"{cpath}.startupProbe", "startup")
        if container.get("restartPolicy") is not None:
            errs.append(forbidden(f"{cpath}.restartPolicy", "may not be set for non-init containers"))
    return errs + _host_port_conflicts(items, path)


def _validate_init_containers(containers: Any, regular: Any, volumes: set[str], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    names = {c.get("name") for c in _dicts(regular)}
    for i, container in enumerate(_dicts(containers)):
        cpath = f"{path}[{i}]"
        errs += _validate_container_common(container, volumes, cpath)
        restart = container.get("restartPolicy")
        if restart is not None and restart != "Always":
            errs.append(not_supported(f"{cpath}.restartPolicy", restart, ("Always",)))
        name = container.get("name") or ""
        if name in names:
            errs.append(FieldError("Duplicate", f"{cpath}.name", name))
        elif name:
            names.add(name)
        errs += _host_port_conflicts([container], path)
        if restart == "Always":
            errs += _validate_probe(container.get("livenessProbe"), f"{cpath}.livenessProbe", "liveness")
            errs += _validate_probe(container.get("readinessProbe"), f"{cpath}.readinessProbe", "readiness")
            errs += _validate_probe(container.get("startupProbe"), f"{cpath}.startupProbe", "startup")
        else:
            for key in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe"):
                if container.get(key) is not None:
                    errs.append(forbidden(f"{cpath}.{key}",
                                          "may not be set for init containers without restartPolicy=Always"))
    return errs


def _validate_tolerations(tolerations: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, toleration in enumerate(_dicts(tolerations)):
        tpath = f"{path}[{i}]"
        key = toleration.get("key") or ""
        operator = toleration.get("operator") or ""
        if key:
            errs += [invalid(f"{tpath}.key", key, m) for m in v.is_label_key(str(key))]
        if not key and operator != "Exists":
            errs.append(invalid(f"{tpath}.operator", operator,
                                'operator must be Exists when `key` is empty, which means "match all values and '
                                'all keys"'))
        effect = toleration.get("effect") or ""
        if toleration.get("tolerationSeconds") is not None and effect != "NoExecute":
            errs.append(invalid(f"{tpath}.effect", effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"))
        value = str(toleration.get("value") or "")
        if operator in ("Equal", ""):
            messages = v.is_label_value(value)
            if messages:
                errs.append(invalid(f"{tpath}.operator", value, ";".join(messages)))
        elif operator == "Exists":
            if value:
                errs.append(invalid(f"{tpath}.operator", value, "value must be empty when `operator` is 'Exists'"))
        else:
            errs.append(not_supported(f"{tpath}.operator", operator, ("Equal", "Exists")))
        if effect and effect not in ("NoSchedule", "PreferNoSchedule", "NoExecute"):
            errs.append(not_supported(f"{tpath}.effect", effect, ("NoSchedule", "PreferNoSchedule", "NoExecute")))
    return errs


def validate_pod_spec(spec: Any, path: str, *, is_pod: bool) -> list[FieldError]:
    """ValidatePodSpec, in the API server's order, for the fields kubesim simulates."""
    spec = spec if isinstance(spec, dict) else {}
    errs: list[FieldError] = []
    if spec.get("terminationGracePeriodSeconds") is None:
        errs.append(required(f"{path}.terminationGracePeriodSeconds"))
    volumes, volume_errs = _validate_volumes(spec.get("volumes"), f"{path}.volumes")
    errs += volume_errs
    errs += _validate_containers(spec.get("containers"), volumes, f"{path}.containers")
    errs += _validate_init_containers(spec.get("initContainers"), spec.get("containers"), volumes,
                                      f"{path}.initContainers")
    if spec.get("hostNetwork") is True:
        for ci, container in enumerate(_dicts(spec.get("containers"))):
            for pi, port in enumerate(_dicts(container.get("ports"))):
                host, cport = port.get("hostPort") or 0, port.get("containerPort") or 0
                if (is_pod or host != 0) and host != cport:
                    errs.append(invalid(f"{path}.containers[{ci}].ports[{pi}].hostPort", host,
                                        "must match `containerPort` when `hostNetwork` is true"))
    restart = spec.get("restartPolicy") or ""
    if not restart:
        errs.append(required(f"{path}.restartPolicy"))
    elif restart not in RESTART_POLICIES:
        errs.append(not_supported(f"{path}.restartPolicy", restart, RESTART_POLICIES))
    dns = spec.get("dnsPolicy") or ""
    if not dns:
        errs.append(required(f"{path}.dnsPolicy"))
    elif dns not in DNS_POLICIES:
        errs.append(not_supported(f"{path}.dnsPolicy", dns, DNS_POLICIES))
    errs += v.validate_labels(spec.get("nodeSelector"), f"{path}.nodeSelector")
    if dns == "None" and not isinstance(spec.get("dnsConfig"), dict):
        errs.append(required(f"{path}.dnsConfig", "must provide `dnsConfig` when `dnsPolicy` is None"))
    for i, gate in enumerate(_dicts(spec.get("readinessGates"))):
        errs += v.validate_qualified_name(str(gate.get("conditionType", "")),
                                          f"{path}.readinessGates[{i}].conditionType")
    for key, check in (("serviceAccountName", v.is_dns1123_subdomain), ("nodeName", v.is_dns1123_subdomain)):
        if spec.get(key):
            errs += [invalid(f"{path}.{key}", spec[key], m) for m in check(str(spec[key]))]
    deadline = spec.get("activeDeadlineSeconds")
    if _is_int(deadline) and not 1 <= deadline <= 2**31 - 1:
        errs.append(invalid(f"{path}.activeDeadlineSeconds", deadline, v.inclusive_range_error(1, 2**31 - 1)))
    for key in ("hostname", "subdomain"):
        if spec.get(key):
            errs += v.validate_dns1123_label(str(spec[key]), f"{path}.{key}")
    errs += _validate_tolerations(spec.get("tolerations"), f"{path}.tolerations")
    if spec.get("priorityClassName"):
        errs += [invalid(f"{path}.priorityClassName", spec["priorityClassName"], m)
                 for m in v.is_dns1123_subdomain(str(spec["priorityClassName"]))]
    preemption = spec.get("preemptionPolicy")
    if preemption is not None and preemption not in ("PreemptLowerPriority", "Never"):
        errs.append(not_supported(f"{path}.preemptionPolicy", preemption, ("PreemptLowerPriority", "Never")))
    return errs


def validate_pod_template(template: Any, path: str) -> list[FieldError]:
    """ValidatePodTemplateSpec: note its labels are reported at ``<path>.labels``, as the server does."""
    template = template if isinstance(template, dict) else {}
    meta = template.get("metadata") if isinstance(template.get("metadata"), dict) else {}
    errs = v.validate_labels(meta.get("labels"), f"{path}.labels")
    errs += v.validate_annotations(meta.get("annotations"), f"{path}.annotations")
    spec = template.get("spec")
    errs += validate_pod_spec(spec, f"{path}.spec", is_pod=False)
    if isinstance(spec, dict) and spec.get("ephemeralContainers"):
        errs.append(forbidden(f"{path}.spec.ephemeralContainers", "ephemeral containers not allowed in pod template"))
    return errs


def _mutable_view(spec: dict[str, Any]) -> dict[str, Any]:
    view = v.semantic(spec)
    for key in ("containers", "initContainers"):
        for container in view.get(key, []):
            if isinstance(container, dict):
                container.pop("image", None)
    for key in ("activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds", "nodeName"):
        view.pop(key, None)
    return view


def validate_pod(obj: Obj, old: Obj | None) -> list[FieldError]:
    spec = obj.get("spec")
    errs = validate_pod_spec(spec, "spec", is_pod=True)
    for key in ("containers", "initContainers"):
        for i, container in enumerate(_dicts((spec or {}).get(key) if isinstance(spec, dict) else None)):
            image = container.get("image")
            if isinstance(image, str) and image != image.strip():
                errs.append(invalid(f"spec.{key}[{i}].image", image, "must not have leading or trailing whitespace"))
    if old is not None and isinstance(spec, dict) and isinstance(old.get("spec"), dict):
        new_spec, old_spec = spec, old["spec"]
        if _mutable_view(new_spec) != _mutable_view(old_spec) or len(_dicts(new_spec.get("containers"))) != len(
                _dicts(old_spec.get("containers"))):
            errs.append(forbidden("spec", "pod updates may not change fields other than "
                                  + ",".join(UPDATABLE_POD_FIELDS)))
    return errs


# -- table cells -----------------------------------------------------------------------------------


def _status(obj: Obj) -> dict[str, Any]:
    status = obj.get("status")
    return status if isinstance(status, dict) else {}


def _spec(obj: Obj) -> dict[str, Any]:
    spec = obj.get("spec")
    return spec if isinstance(spec, dict) else {}


def _finished_at(container_status: dict[str, Any]) -> datetime | None:
    last = container_status.get("lastState")
    terminated = last.get("terminated") if isinstance(last, dict) else None
    if isinstance(terminated, dict) and terminated.get("finishedAt"):
        return parse_timestamp(terminated["finishedAt"])
    return None


def _state(container_status: dict[str, Any], name: str) -> dict[str, Any] | None:
    state = container_status.get("state")
    if isinstance(state, dict) and isinstance(state.get(name), dict):
        return state[name]
    return None


def _terminated_reason(terminated: dict[str, Any], prefix: str = "") -> str:
    if terminated.get("reason"):
        return prefix + str(terminated["reason"])
    if terminated.get("signal"):
        return f"{prefix}Signal:{terminated['signal']}"
    return f"{prefix}ExitCode:{terminated.get('exitCode', 0)}"


def _condition_true(status: dict[str, Any], kind: str) -> bool:
    return any(isinstance(c, dict) and c.get("type") == kind and c.get("status") == "True"
               for c in status.get("conditions") or [])


def pod_summary(obj: Obj, now: datetime) -> tuple[str, str, str]:
    """READY, STATUS and RESTARTS as the server's pod printer derives them."""
    spec, status = _spec(obj), _status(obj)
    init_specs = {c.get("name"): c for c in _dicts(spec.get("initContainers"))}
    total = len(_dicts(spec.get("containers"))) + sum(
        1 for c in init_specs.values() if c.get("restartPolicy") == "Always")
    ready = 0
    restarts = 0
    sidecar_restarts = 0
    last_restart: datetime | None = None
    last_sidecar_restart: datetime | None = None
    reason = str(status.get("reason") or status.get("phase") or "")
    for condition in _dicts(status.get("conditions")):
        if condition.get("type") == "PodScheduled" and condition.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"

    def later(current: datetime | None, moment: datetime | None) -> datetime | None:
        return moment if moment and (current is None or moment > current) else current

    initializing = False
    init_statuses = _dicts(status.get("initContainerStatuses"))
    for i, cs in enumerate(init_statuses):
        restarts += int(cs.get("restartCount") or 0)
        last_restart = later(last_restart, _finished_at(cs))
        sidecar = init_specs.get(cs.get("name"), {}).get("restartPolicy") == "Always"
        if sidecar:
            sidecar_restarts += int(cs.get("restartCount") or 0)
            last_sidecar_restart = later(last_sidecar_restart, _finished_at(cs))
        terminated, waiting = _state(cs, "terminated"), _state(cs, "waiting")
        if terminated is not None and terminated.get("exitCode", 0) == 0:
            continue
        if sidecar and cs.get("started") is True:
            if cs.get("ready") is True:
                ready += 1
            continue
        if terminated is not None:
            reason = _terminated_reason(terminated, "Init:")
        elif waiting is not None and waiting.get("reason") and waiting["reason"] != "PodInitializing":
            reason = f"Init:{waiting['reason']}"
        else:
            reason = f"Init:{i}/{len(init_specs)}"
        initializing = True
        break
    if not initializing or _condition_true(status, "Initialized"):
        restarts = sidecar_restarts
        last_restart = last_sidecar_restart
        has_running = False
        for cs in reversed(_dicts(status.get("containerStatuses"))):
            restarts += int(cs.get("restartCount") or 0)
            last_restart = later(last_restart, _finished_at(cs))
            waiting, terminated = _state(cs, "waiting"), _state(cs, "terminated")
            if waiting is not None and waiting.get("reason"):
                reason = str(waiting["reason"])
            elif terminated is not None:
                reason = _terminated_reason(terminated)
            elif cs.get("ready") is True and _state(cs, "running") is not None:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            reason = "Running" if _condition_true(status, "Ready") else "NotReady"
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    if meta.get("deletionTimestamp") and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif meta.get("deletionTimestamp") and status.get("phase") not in ("Succeeded", "Failed"):
        reason = "Terminating"
    restarts_text = str(restarts)
    if restarts and last_restart is not None:
        restarts_text = f"{restarts} ({human_duration((now - last_restart).total_seconds())} ago)"
    return f"{ready}/{total}", reason, restarts_text


def _name(obj: Obj, now: datetime) -> str:
    return str((obj.get("metadata") or {}).get("name", ""))


def _ip(obj: Obj, now: datetime) -> str:
    ips = _dicts(_status(obj).get("podIPs"))
    return str(ips[0].get("ip") or "<none>") if ips else "<none>"


def _readiness_gates(obj: Obj, now: datetime) -> str:
    gates = _dicts(_spec(obj).get("readinessGates"))
    if not gates:
        return "<none>"
    conditions = _dicts(_status(obj).get("conditions"))
    true = 0
    for gate in gates:
        for condition in conditions:
            if condition.get("type") == gate.get("conditionType"):
                true += condition.get("status") == "True"
                break
    return f"{true}/{len(gates)}"


_last_summary: list = [None, None, None]  # the pod, the moment, its summary


def _summary(obj: Obj, now: datetime) -> tuple[str, str, str]:
    """pod_summary for the three columns of one row, worked out once (the pod is held, so it is the same)."""
    if _last_summary[0] is not obj or _last_summary[1] != now:
        _last_summary[:] = [obj, now, pod_summary(obj, now)]
    return _last_summary[2]


COLUMNS = (
    Column("Name", _name),
    Column("Ready", lambda o, now: _summary(o, now)[0]),
    Column("Status", lambda o, now: _summary(o, now)[1]),
    Column("Restarts", lambda o, now: _summary(o, now)[2]),
    Column("Age", age),
    Column("IP", _ip, priority=1),
    Column("Node", lambda o, now: str(_spec(o).get("nodeName") or "<none>"), priority=1),
    Column("Nominated Node", lambda o, now: str(_status(o).get("nominatedNodeName") or "<none>"), priority=1),
    Column("Readiness Gates", _readiness_gates, priority=1),
)

POD = register(Kind(
    kind="Pod", version="v1", plural="pods", singular="pod", short_names=("po",), categories=("all",),
    columns=COLUMNS, name_rule="dns1123-subdomain", tracks_generation=True,
    default=default_pod, validate=validate_pod,
))
