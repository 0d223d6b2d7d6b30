"""Beyond ClusterIP: node ports, load balancers, externalTrafficPolicy and clients outside the cluster."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import MANIFESTS, Kubesim, kubesim_binary

NODE_PORT = """apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  type: {type}
  selector:
    app: kubia
  ports:
  - port: 80
    targetPort: 8080
{node_port}"""


def service(name: str, kind: str = "NodePort", node_port: int | None = None) -> str:
    extra = f"    nodePort: {node_port}\n" if node_port else ""
    return NODE_PORT.format(name=name, type=kind, node_port=extra)


def node_ports(kubesim: Kubesim) -> list[int]:
    items = json.loads(kubesim.ok("get", "svc", "-o", "json"))["items"]
    return [p["nodePort"] for item in items for p in item["spec"].get("ports") or [] if p.get("nodePort")]


# -- allocation --------------------------------------------------------------------------------------------
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.none(), st.integers(29990, 30010), st.sampled_from([30123, 32767, 32768])),
                min_size=1, max_size=8))
def test_node_ports_are_never_shared_and_refusals_carry_the_api_server_message(tmp_path_factory, requests):
    kubesim = Kubesim(tmp_path_factory.mktemp("home"))
    held: set[int] = set()
    for index, wanted in enumerate(requests):
        result = kubesim("create", "-f", "-", stdin=service(f"s{index}", node_port=wanted))
        name = f"s{index}"
        if wanted is not None and not 30000 <= wanted <= 32767:
            assert result.code == 1
            assert result.stderr == (f'The Service "{name}" is invalid: spec.ports[0].nodePort: Invalid value: '
                                     f"{wanted}: provided port is not in the valid range. The range of valid "
                                     "ports is 30000-32767\n")
        elif wanted is not None and wanted in held:
            assert result.code == 1
            assert result.stderr == (f'The Service "{name}" is invalid: spec.ports[0].nodePort: Invalid value: '
                                     f"{wanted}: provided port is already allocated\n")
        else:
            assert result.code == 0, result
            port = json.loads(kubesim.ok("get", "svc", name, "-o", "json"))["spec"]["ports"][0]["nodePort"]
            assert wanted is None or port == wanted
            assert wanted is not None or 30086 <= port <= 32767  # the dynamic band first
            held.add(port)
    ports = node_ports(kubesim)
    assert len(ports) == len(set(ports)) == len(held)


def test_a_full_node_port_range_reports_the_api_server_message(kubesim):
    from kubesim.store.db import Store

    kubesim.ok("get", "ns")
    store = Store(str(kubesim.home / "state.db"))
    with store.transaction(write=True) as tx:
        for port in range(30000, 32768):
            if port != 30500:
                tx.allocate("node-port", str(port), "services/default/filler")
    store.close()
    assert kubesim.ok("create", "-f", "-", stdin=service("last")) == "service/last created\n"
    assert node_ports(kubesim) == [30500]
    result = kubesim("create", "-f", "-", stdin=service("one-too-many"))
    assert (result.code, result.stderr) == (1, "Error from server (InternalError): error when creating \"STDIN\": "
                                               "Internal error occurred: failed to allocate a nodePort: range is full\n")


def test_twenty_node_port_and_load_balancer_creators_at_once_never_share(tmp_path: Path):
    home = tmp_path / "home"
    env = dict(os.environ, KUBESIM_HOME=str(home))
    subprocess.run([kubesim_binary(), "cluster", "reset", "--lb-delay", "0s"], env=env, check=True,
                   capture_output=True)
    processes = [
        subprocess.Popen([kubesim_binary(), "create", "-f", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env)
        for _ in range(20)
    ]
    documents = [service(f"svc-{i}", "LoadBalancer" if i % 2 else "NodePort", 30100 if i < 2 else None)
                 for i in range(20)]
    results = [p.communicate(documents[i], timeout=120) for i, p in enumerate(processes)]
    codes = [p.returncode for p in processes]
    # Two asked for 30100: exactly one has it, the other gets the API server's refusal.
    refused = [err for (_, err), code in zip(results, codes, strict=True) if code]
    assert len(refused) == 1 and refused[0].endswith("spec.ports[0].nodePort: Invalid value: 30100: provided port "
                                                     "is already allocated\n"), refused
    listed = subprocess.run([kubesim_binary(), "get", "svc", "-o", "json"], capture_output=True, text=True, env=env,
                            check=True)
    items = json.loads(listed.stdout)["items"]
    ports = [p["nodePort"] for item in items for p in item["spec"]["ports"] if p.get("nodePort")]
    assert len(ports) == 19 and len(set(ports)) == 19
    balancers = [i for i in items if i["spec"]["type"] == "LoadBalancer"]
    addresses = [i["status"]["loadBalancer"]["ingress"][0]["ip"] for i in balancers]
    assert len(addresses) == len(set(addresses)) == len(balancers)
    assert all(a.startswith("192.168.49.1") for a in addresses)


def test_an_exhausted_load_balancer_pool_leaves_the_service_pending_and_says_why(kubesim):
    kubesim.ok("cluster", "reset", "--lb-pool", "192.168.49.200/32", "--lb-delay", "0s")
    kubesim.ok("create", "-f", "-", stdin=service("first", "LoadBalancer"))
    kubesim.ok("create", "-f", "-", stdin=service("second", "LoadBalancer"))
    table = kubesim.ok("get", "svc", "first", "second", "-o", "custom-columns=NAME:.metadata.name,IP:.status."
                       "loadBalancer.ingress[0].ip")
    assert table == "NAME     IP\nfirst    192.168.49.200\nsecond   <none>\n"
    events = kubesim.ok("get", "events", "--field-selector", "involvedObject.name=second", "-o",
                        "custom-columns=REASON:.reason,MESSAGE:.message")
    assert "SyncLoadBalancerFailed   Error syncing load balancer: failed to ensure load balancer: no address left " \
           "in the load-balancer pool 192.168.49.200/32" in events
    kubesim.ok("delete", "svc", "first")
    kubesim.ok("clock", "advance", "1s")
    assert kubesim.ok("get", "svc", "second", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}") == \
        "192.168.49.200"


def test_a_load_balancer_is_pending_until_its_delay_passes_on_the_cluster_clock(kubesim):
    kubesim.ok("create", "-f", "-", stdin=service("lb", "LoadBalancer"))
    assert kubesim.ok("get", "svc", "lb", "-o", "jsonpath={.status}") == '{"loadBalancer":{}}'
    kubesim.ok("clock", "advance", "29s")
    assert "<pending>" in kubesim.ok("get", "svc", "lb")
    kubesim.ok("clock", "advance", "1s")
    assert kubesim.ok("get", "svc", "lb", "-o", "jsonpath={.status.loadBalancer}") == \
        '{"ingress":[{"ip":"192.168.49.100","ipMode":"VIP"}]}'
    kubesim.ok("delete", "svc", "lb")
    kubesim.ok("create", "-f", "-", stdin=service("lb2", "LoadBalancer"))
    kubesim.ok("clock", "advance", "30s")
    assert kubesim.ok("get", "svc", "lb2", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}") == \
        "192.168.49.100"  # the address came back to the pool


# -- externalTrafficPolicy on three nodes ---------------------------------------------------------------
def _three_node_cluster_with_two_pods(kubesim: Kubesim) -> dict[str, str]:
    kubesim.ok("cluster", "reset", "--profile", "gke")
    kubesim.ok("create", "-f", "kubia-rc.yaml", cwd=MANIFESTS)
    kubesim.ok("scale", "rc", "kubia", "--replicas=2")
    pods = json.loads(kubesim.ok("get", "po", "-o", "json"))["items"]
    nodes = json.loads(kubesim.ok("get", "nodes", "-o", "json"))["items"]
    external = {n["metadata"]["name"]: next(a["address"] for a in n["status"]["addresses"] if a["type"] == "ExternalIP")
                for n in nodes}
    return {external[p["spec"]["nodeName"]]: p["metadata"]["name"] for p in pods}


def test_local_policy_answers_exactly_on_the_nodes_with_a_local_endpoint(kubesim):
    local = _three_node_cluster_with_two_pods(kubesim)
    assert len(local) == 2
    kubesim.ok("create", "-f", "kubia-svc-nodeport-onlylocal.yaml", cwd=MANIFESTS)
    for ip in ("130.211.97.55", "130.211.99.206", "130.211.101.12"):
        for _ in range(5):
            result = kubesim("curl", "-sS", f"http://{ip}:30124")
            if ip in local:
                assert (result.code, result.stdout) == (0, f"You've hit {local[ip]}\n")
            else:
                assert result.code == 28
                assert result.stderr == (f"curl: (28) Failed to connect to {ip} port 30124 after 129976 ms: "
                                         "Could not connect to server\n")
    # From a pod, Local does not apply: kube-proxy sends pod traffic to the cluster-wide chain.
    pod = next(iter(local.values()))
    assert kubesim.ok("exec", pod, "--", "curl", "-s", "http://10.128.0.2:30124").startswith("You've hit kubia-")


INTERNAL_LOCAL = """apiVersion: v1
kind: Service
metadata:
  name: kubia-internal-local
spec:
  internalTrafficPolicy: Local
  selector:
    app: kubia
  ports:
  - port: 80
    targetPort: 8080
"""


def test_internal_local_policy_keeps_pod_traffic_on_its_own_node(kubesim):
    local = _three_node_cluster_with_two_pods(kubesim)
    kubesim.ok("create", "-f", "-", stdin=INTERNAL_LOCAL)
    nodes = {n["metadata"]["name"] for n in json.loads(kubesim.ok("get", "nodes", "-o", "json"))["items"]}
    kubia_nodes = {p["spec"]["nodeName"] for p in json.loads(kubesim.ok("get", "po", "-o", "json"))["items"]}
    (lonely,) = nodes - kubia_nodes
    kubesim.ok("run", "client", "--image=curlimages/curl", "--overrides", json.dumps({"spec": {"nodeName": lonely}}),
               "--command", "--", "sleep", "1d")
    for pod in local.values():
        for _ in range(4):  # each kubia pod reaches itself, never the other node's pod
            assert kubesim.ok("exec", pod, "--", "curl", "-s", "http://kubia-internal-local") == f"You've hit {pod}\n"
    result = kubesim("exec", "client", "--", "curl", "-sS", "--connect-timeout", "2", "http://kubia-internal-local")
    assert (result.code, result.stderr) == (28, "curl: (28) Failed to connect to kubia-internal-local port 80 after "
                                                "2001 ms: Timeout was reached\ncommand terminated with exit code 28\n")


def test_cluster_policy_answers_on_every_node_and_the_app_sees_a_node_address(kubesim):
    kubesim.ok("cluster", "reset", "--profile", "gke")
    kubesim.ok("run", "echo", "--image=registry.k8s.io/echoserver:1.4", "--port=8080")
    kubesim.ok("expose", "pod", "echo", "--type=NodePort", "--port=80", "--target-port=8080")
    port = kubesim.ok("get", "svc", "echo", "-o", "jsonpath={.spec.ports[0].nodePort}")
    node = kubesim.ok("get", "po", "echo", "-o", "jsonpath={.spec.nodeName}")
    seen = set()
    for ip in ("130.211.97.55", "130.211.99.206", "130.211.101.12"):
        page = kubesim.ok("curl", "-s", f"http://{ip}:{port}")
        seen.add(page.split("\n")[1])
    pod_node_bridge = {"gke-kubia-default-pool-b46381f1-opc5": "10.244.0.1",
                       "gke-kubia-default-pool-b46381f1-s8gj": "10.244.1.1"}[node]
    others = {"10.128.0.2", "10.128.0.3", "10.128.0.4"} - {{"gke-kubia-default-pool-b46381f1-opc5": "10.128.0.2",
                                                           "gke-kubia-default-pool-b46381f1-s8gj": "10.128.0.3"}[node]}
    assert seen == {f"client_address={a}" for a in {pod_node_bridge, *others}}


# -- the outside world ----------------------------------------------------------------------------------
def test_outside_the_cluster_only_node_ports_and_load_balancers_answer(kubesim):
    kubesim.ok("cluster", "reset", "--lb-delay", "0s")
    kubesim.ok("create", "-f", "kubia-rc.yaml", "-f", "kubia-svc-loadbalancer.yaml", cwd=MANIFESTS)
    spec = json.loads(kubesim.ok("get", "svc", "kubia-loadbalancer", "-o", "json"))
    pod_ip = json.loads(kubesim.ok("get", "po", "-o", "json"))["items"][0]["status"]["podIP"]
    node_port = spec["spec"]["ports"][0]["nodePort"]
    assert kubesim.ok("curl", "-s", "http://192.168.49.100").startswith("You've hit kubia-")
    assert kubesim.ok("curl", "-s", f"http://192.168.49.2:{node_port}").startswith("You've hit kubia-")
    for url in (f"http://{spec['spec']['clusterIP']}", f"http://{pod_ip}:8080", "http://8.8.8.8"):
        assert kubesim("curl", "-s", url).code == 28
    assert kubesim("curl", "-s", "http://192.168.49.2:31999").code == 7  # a closed port on a node
    assert kubesim("curl", "-s", "http://kubia-loadbalancer").code == 6  # cluster names do not resolve outside
    # On a node, the cluster's virtual addresses answer.
    assert kubesim.ok("ssh", "minikube", "--", "curl", "-s", f"http://{spec['spec']['clusterIP']}").startswith(
        "You've hit kubia-")


def test_world_hosts_answer_by_name_and_address_and_bad_input_gets_one_line(kubesim):
    assert kubesim.ok("world", "add", "api.example.com", "--ip", "11.11.11.11", "--status", "503", "--body", "no") == \
        "host/api.example.com added (11.11.11.11:80)\n"
    result = kubesim("curl", "-s", "-w", "%{http_code}\\n", "http://api.example.com/x")
    assert (result.code, result.stdout) == (0, "no\n503\n")
    assert kubesim.ok("curl", "-s", "http://11.11.11.11") == "no\n"
    assert kubesim("curl", "-s", "http://11.11.11.11:81").code == 7
    failures = {
        ("world", "add", "api.example.com"): 'error: host "api.example.com" already exists at 11.11.11.11; '
                                             "remove it first\n",
        ("world", "add", "10.96.0.5"): "error: 10.96.0.5 is inside the cluster's service range (10.96.0.0/12); "
                                       "the world is outside it\n",
        ("world", "add", "192.168.49.2"): "error: 192.168.49.2 is an address of node minikube\n",
        ("world", "add", "x.cluster.local"): 'error: invalid host name "x.cluster.local": names under '
                                             "cluster.local belong to the cluster\n",
        ("world", "add", "bad_name"): 'error: invalid host name "bad_name": a world host needs a DNS name like '
                                      "api.example.com\n",
        ("world", "remove", "nope"): 'error: host "nope" not found\n',
        ("cluster", "reset", "--profile", "eks"): 'error: unknown profile "eks": use one of minikube, gke\n',
        ("ssh", "nope", "--", "ls"): 'Error from server (NotFound): nodes "nope" not found\n',
    }
    for args, message in failures.items():
        result = kubesim(*args)
        assert (result.code, result.stderr) == (1, message), args
    assert kubesim.ok("world", "remove", "api.example.com") == "host/api.example.com removed\n"
    assert kubesim("curl", "-sS", "http://api.example.com").stderr == \
        "curl: (6) Could not resolve host: api.example.com\n"


WARNING = "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n"


def test_every_request_for_endpoints_carries_the_deprecation_warning_and_a_controller_s_do_not(kubesim):
    created = kubesim("create", "-f", "external-service.yaml", "-f", "external-service-endpoints.yaml", cwd=MANIFESTS)
    assert (created.code, created.stderr) == (0, WARNING)
    labelled = kubesim("label", "ep", "external-service", "a=b")
    assert (labelled.stdout, labelled.stderr) == ("endpoints/external-service labeled\n", WARNING)
    kubesim.ok("create", "-f", "kubia-rc.yaml", "-f", "kubia-svc.yaml", cwd=MANIFESTS)
    gone = kubesim("delete", "svc", "kubia")  # the endpoints controller deletes its Endpoints: nobody's request
    assert (gone.code, gone.stderr) == (0, "")
    deleted = kubesim("delete", "ep/external-service", "svc/external-service")
    assert (deleted.code, deleted.stderr) == (0, WARNING)
