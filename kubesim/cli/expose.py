"""``kubesim expose``: make a Service for a pod, RC, ReplicaSet, Deployment or Service, as kubectl does.

The selector and the ports come from the object unless given: an RC's selector, a pod's labels, a
ReplicaSet's or Deployment's matchLabels; the containers' unique ports (or a service's ports). Several
ports are named ``port-1``, ``port-2`` …; a port used with several protocols ``port-1-tcp`` ….
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from kubesim.api.registry import Kind, Obj, kind_named
from kubesim.cli.app import Verb, verb_app
from kubesim.cli.completion import resource_words
from kubesim.cli.context import Invocation, run_verb
from kubesim.cli.options import DryRun, Output, Recursive, split_commas
from kubesim.cli.resources import parse_resource_args
from kubesim.cli.writing import dry_run_mode
from kubesim.errors import KubectlError
from kubesim.printers.output import OutputFormat, render_results

EXPOSABLE = {"Pod", "Service", "ReplicationController", "Deployment", "ReplicaSet"}



def run(inv: Invocation) -> int:
    opts = inv.options
    fmt = OutputFormat.parse_generic(opts["output"])
    dry_run = dry_run_mode(inv)
    if opts["session_affinity"] not in (None, "", "None", "ClientIP"):
        raise KubectlError(f"unknown session affinity: {opts['session_affinity']}")
    with inv.cluster.api(write=dry_run != "client") as api:
        source_kind, source = _source(inv, api)
        if source_kind.kind not in EXPOSABLE:
            raise KubectlError(f"cannot expose a {source_kind.qualified_kind}")
        service = build_service(inv, source_kind, source)
        service_kind = kind_named("Service")
        if dry_run != "client":
            service = api.create(service, inv.namespace, dry_run=dry_run == "server")
    inv.out(render_results(fmt, [(service_kind, service)], "exposed", dry_run))
    return 0


def _source(inv: Invocation, api) -> tuple[Kind, Obj]:
    if inv.options["filename"]:
        from kubesim.cli.manifests import read_manifests
        from kubesim.cli.mapping import kind_of_manifest

        manifests = read_manifests(inv.options["filename"], inv.env.stdin.read, inv.options["recursive"])
        if len(manifests) != 1:
            raise KubectlError("cannot expose multiple objects at a time" if manifests else
                               "no objects passed to expose")
        kind = kind_of_manifest(manifests[0])
        return kind, manifests[0].obj
    requests = parse_resource_args(inv.args, verb="expose")
    if not requests:
        raise KubectlError("You must provide one or more resources by argument or filename.\nExample resource "
                           "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   "
                           "'<resource> <name>'\n   '<resource>'")
    if len(requests) != 1 or len(requests[0].names) != 1:
        if len(requests) == 1 and not requests[0].names:
            raise KubectlError("resource(s) were provided, but no name was specified")
        raise KubectlError("cannot expose multiple objects at a time")
    request = requests[0]
    if request.kind.kind not in EXPOSABLE:
        raise KubectlError(f"cannot expose a {request.kind.qualified_kind}")
    return request.kind, api.get(request.kind, inv.namespace, request.names[0])


def _selector(inv: Invocation, kind: Kind, obj: Obj) -> dict:
    given = inv.options["selector"]
    if given:
        return _parse_pairs(given, "label spec")
    spec = obj.get("spec") or {}
    prefix = "couldn't retrieve selectors via --selector flag or introspection: "
    if kind.kind == "Pod":
        labels = obj.get("metadata", {}).get("labels") or {}
        if not labels:
            raise KubectlError(prefix + "the pod has no labels and cannot be exposed")
        return dict(labels)
    if kind.kind == "Service":
        if spec.get("selector") is None:
            raise KubectlError(prefix + "the service has no pod selector set")
        return dict(spec["selector"])
    if kind.kind == "ReplicationController":
        return dict(spec.get("selector") or {})
    selector = spec.get("selector") or {}
    word = kind.kind.lower()
    if selector.get("matchExpressions"):
        expressions = json.dumps(selector["matchExpressions"], separators=(",", ":"))
        raise KubectlError(prefix + f"couldn't convert expressions - \"{expressions}\" to map-based selector format")
    if not selector.get("matchLabels"):
        raise KubectlError(prefix + f"invalid {word}: no selectors, therefore cannot be exposed")
    return dict(selector["matchLabels"])


def _parse_pairs(text: str, what: str) -> dict:
    pairs = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        if not sep or not key:
            raise KubectlError(f"unexpected {what}: {part}")
        pairs[key.strip()] = value.strip()
    return pairs


def _containers(kind: Kind, obj: Obj) -> list[dict]:
    spec = obj.get("spec") or {}
    if kind.kind != "Pod":
        spec = ((spec.get("template") or {}).get("spec")) or {}
    return spec.get("containers") or []


def _ports_and_protocols(kind: Kind, obj: Obj) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    if kind.kind == "Service":
        for port in (obj.get("spec") or {}).get("ports") or []:
            found.append((port.get("port"), port.get("protocol", "TCP")))
        return found
    seen: set[int] = set()
    for container in _containers(kind, obj):
        for port in container.get("ports") or []:
            number = port.get("containerPort")
            if number not in seen:
                seen.add(number)
            found.append((number, port.get("protocol", "TCP")))
    return found


def build_service(inv: Invocation, kind: Kind, source: Obj) -> Obj:
    opts = inv.options
    selector = _selector(inv, kind, source)
    introspected = _ports_and_protocols(kind, source)
    if opts["port"]:
        try:
            numbers = [int(part) for part in opts["port"].split(",")]
        except ValueError:
            bad = next(p for p in opts["port"].split(",") if not p.lstrip("-").isdigit())
            raise KubectlError(f'strconv.Atoi: parsing "{bad}": invalid syntax') from None
        protocol_of = {number: protocol for number, protocol in introspected}
        pairs = [(number, opts["protocol"] or protocol_of.get(number, "TCP")) for number in numbers]
    else:
        pairs = [(n, opts["protocol"] or p) for n, p in introspected]
    if not pairs and opts["cluster_ip"] != "None":
        raise KubectlError("couldn't find port via --port flag or introspection")
    numbers_in_order: list[int] = []
    protocols_by_port: dict[int, list[str]] = {}
    for number, protocol in pairs:
        if number not in protocols_by_port:
            numbers_in_order.append(number)
            protocols_by_port[number] = []
        if protocol not in protocols_by_port[number]:
            protocols_by_port[number].append(protocol)
    ports = []
    for index, number in enumerate(numbers_in_order, 1):
        protocols = protocols_by_port[number]
        for protocol in protocols:
            port: dict = {}
            if len(numbers_in_order) > 1 or len(protocols) > 1:
                port["name"] = f"port-{index}" + (f"-{protocol.lower()}" if len(protocols) > 1 else "")
            port["port"] = number
            port["protocol"] = protocol
            target = opts["target_port"]
            port["targetPort"] = (int(target) if target.isdigit() else target) if target else number
            ports.append(port)
    name = opts["name"] or source.get("metadata", {}).get("name", "")[:63]
    metadata: dict = {"name": name}
    labels = _parse_pairs(opts["labels"], "label spec") if opts["labels"] else \
        dict(source.get("metadata", {}).get("labels") or {})
    if labels:
        metadata["labels"] = labels
    spec: dict = {}
    if ports:
        spec["ports"] = ports
    spec["selector"] = selector
    if opts["type"]:
        spec["type"] = opts["type"]
    if opts["session_affinity"]:
        spec["sessionAffinity"] = opts["session_affinity"]
    if opts["cluster_ip"]:
        spec["clusterIP"] = opts["cluster_ip"]
    if opts["external_ip"]:
        spec["externalIPs"] = [opts["external_ip"]]
    if opts["load_balancer_ip"] and opts["type"] == "LoadBalancer":
        spec["loadBalancerIP"] = opts["load_balancer_ip"]
    service = {"apiVersion": "v1", "kind": "Service", "metadata": metadata, "spec": spec,
               "status": {"loadBalancer": {}}}
    if opts["overrides"]:
        try:
            overrides = json.loads(opts["overrides"])
        except ValueError as error:
            raise KubectlError(f"unable to parse --overrides: {error}") from None
        from kubesim.api.merge import json_merge

        service = json_merge(service, overrides)
    return service


app = verb_app()

EXAMPLES = """  # Create a service for a replicated nginx, which serves on port 80 and connects to the containers on port 8000
  kubesim expose rc nginx --port=80 --target-port=8000

  # Create a service for the replication controller kubia, serving on port 80 and connecting to the containers on port 8080
  kubesim expose rc kubia --port=80 --target-port=8080

  # Create a LoadBalancer service for the replication controller kubia
  kubesim expose rc kubia --type=LoadBalancer --name kubia-http
"""


@app.command("expose", cls=Verb, epilog=EXAMPLES,
             help="Expose a resource as a new Kubernetes service: a replication controller, service, replica set, "
                  "deployment or pod, looked up by type and name, whose selector becomes the new service's.")
def expose(
    resources: Annotated[list[str] | None, resource_words(
        "(-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] "
        "[--name=name] [--external-ip=external-ip-of-service] [--type=type]")] = None,
    port: Annotated[str | None, typer.Option(
        "--port", show_default=False,
        help="The port that the service should serve on. Copied from the resource being exposed, if "
             "unspecified")] = None,
    target_port: Annotated[str | None, typer.Option(
        "--target-port", show_default=False,
        help="Name or number for the port on the container that the service should direct traffic to. "
             "Optional.")] = None,
    name: Annotated[str | None, typer.Option(
        "--name", show_default=False, help="The name for the newly created object.")] = None,
    type: Annotated[str | None, typer.Option(
        "--type", show_default=False,
        help="Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is "
             "'ClusterIP'.")] = None,
    protocol: Annotated[str | None, typer.Option(
        "--protocol", show_default=False,
        help="The network protocol for the service to be created. Default is 'TCP'.")] = None,
    selector: Annotated[str | None, typer.Option(
        "--selector", show_default=False,
        help="A label selector to use for this service. Only equality-based selector requirements are "
             "supported. If empty (the default) infer the selector from the replication controller or replica "
             "set.)")] = None,
    session_affinity: Annotated[str | None, typer.Option(
        "--session-affinity", show_default=False,
        help="If non-empty, set the session affinity for the service to this; legal values: 'None', "
             "'ClientIP'")] = None,
    labels: Annotated[str | None, typer.Option(
        "-l", "--labels", show_default=False, help="Labels to apply to the service created by this call.")] = None,
    cluster_ip: Annotated[str | None, typer.Option(
        "--cluster-ip", show_default=False,
        help="ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set to 'None' to create "
             "a headless service.")] = None,
    external_ip: Annotated[str | None, typer.Option(
        "--external-ip", show_default=False,
        help="Additional external IP address (not managed by Kubernetes) to accept for the service. If this IP "
             "is routed to a node, the service can be accessed by this IP in addition to its generated service "
             "IP.")] = None,
    load_balancer_ip: Annotated[str | None, typer.Option(
        "--load-balancer-ip", show_default=False,
        help="IP to assign to the LoadBalancer. If empty, an ephemeral IP will be created and used "
             "(cloud-provider specific).")] = None,
    overrides: Annotated[str | None, typer.Option(
        "--overrides", show_default=False,
        help="An inline JSON override for the generated object. If this is non-empty, it is used to override "
             "the generated object. Requires that the object supply a valid apiVersion field.")] = None,
    filename: Annotated[list[str] | None, typer.Option(
        "-f", "--filename", callback=split_commas, show_default=False,
        help="Filename, directory, or URL to files identifying the resource to expose a service")] = None,
    recursive: Recursive = False,
    dry_run: DryRun = "none",
    output: Output = None,
    field_manager: Annotated[str, typer.Option(
        "--field-manager", help="Name of the manager used to track field ownership.")] = "kubectl-expose",
) -> int:
    return run_verb(run)
