"""Probes on the cluster clock: when they run, what their results change, and what the kubelet says."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS, MANIFESTS, Kubesim


def probed_pod(name: str = "web", **probe) -> str:
    """A kubia pod whose readiness probe is ``ls /var/ready`` with the given timing fields."""
    return json.dumps({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"app": "kubia"}},
                       "spec": {"containers": [{"name": "kubia", "image": "luksa/kubia",
                                                "ports": [{"containerPort": 8080}],
                                                "readinessProbe": {"exec": {"command": ["ls", "/var/ready"]},
                                                                   **probe}}]}})


def ready_column(kubesim: Kubesim, pod: str = "web") -> str:
    return kubesim.ok("get", "po", pod, "--no-headers", "-o", "custom-columns=R:.status.containerStatuses[0].ready")


def advance(kubesim: Kubesim, seconds: float) -> None:
    kubesim.ok("clock", "advance", f"{seconds}s")


# -- readiness timing ---------------------------------------------------------------------------------
# (probe fields, [(seconds since the pod started, file there?, ready expected)]); the file changes at
# that moment, after the probes due then have run, and readiness is read at the same moment.
TIMING = [
    pytest.param({}, [(0, True, False), (9, True, False), (10, True, True)], id="defaults: first tick after the file"),
    pytest.param({"initialDelaySeconds": 5}, [(0, True, False), (9, True, False), (10, True, True)],
                 id="initial delay 5: the first tick at or after it"),
    pytest.param({"initialDelaySeconds": 15}, [(0, True, False), (19, True, False), (20, True, True)],
                 id="initial delay 15 with period 10: tick 20"),
    pytest.param({"periodSeconds": 3}, [(0, True, False), (2, True, False), (3, True, True)], id="period 3"),
    pytest.param({"periodSeconds": 5, "successThreshold": 2}, [(0, True, False), (5, True, False), (9, True, False),
                                                                (10, True, True)], id="two successes in a row"),
    pytest.param({}, [(0, True, False), (10, False, True), (39, False, True), (40, False, False)],
                 id="three failures in a row make it unready"),
    pytest.param({"failureThreshold": 1}, [(0, True, False), (10, False, True), (19, False, True), (20, False, False)],
                 id="failure threshold 1"),
    pytest.param({"successThreshold": 3, "periodSeconds": 1},
                 [(0, True, False), (2, False, False), (3, True, False), (5, True, False), (6, True, True)],
                 id="a failure restarts the count of successes"),
]


@pytest.mark.parametrize(("probe", "steps"), TIMING)
def test_readiness_follows_the_probe_on_the_cluster_clock(kubesim: Kubesim, probe: dict, steps: list):
    kubesim.ok("create", "-f", "-", stdin=probed_pod(**probe))
    elapsed = 0
    seen = []
    for moment, file_there, _ in steps:
        advance(kubesim, moment - elapsed)
        elapsed = moment
        kubesim.ok("exec", "web", "--", "touch" if file_there else "rm", "-f", "/var/ready")
        seen.append((moment, ready_column(kubesim)))
    assert seen == [(moment, f"{str(ready).lower()}\n") for moment, _, ready in steps]


def test_real_time_makes_a_pod_ready_without_clock_advance(kubesim: Kubesim):
    kubesim.ok("create", "-f", "-", stdin=probed_pod())
    kubesim.ok("exec", "web", "--", "touch", "/var/ready")
    kubesim.moment += 9.5
    assert kubesim.ok("get", "po", "web") == (
        "NAME   READY   STATUS    RESTARTS   AGE\nweb    0/1     Running   0          9s\n")
    kubesim.moment += 0.5
    assert kubesim.ok("get", "po", "web") == (
        "NAME   READY   STATUS    RESTARTS   AGE\nweb    1/1     Running   0          10s\n")


def test_readiness_reaches_conditions_endpoints_slices_dns_and_the_controller(kubesim: Kubesim):
    kubesim.ok("create", "-f", str(MANIFESTS / "kubia-rc-readinessprobe.yaml"))
    kubesim.ok("create", "-f", str(MANIFESTS / "kubia-svc-headless.yaml"))
    pods = kubesim.ok("get", "po", "-o", "jsonpath={.items[*].metadata.name}").split()
    kubesim.ok("exec", pods[1], "--", "touch", "/var/ready")
    advance(kubesim, 10)
    conditions = json.loads(kubesim.ok("get", "po", pods[0], "-o", "jsonpath={.status.conditions}"))
    assert [(c["type"], c["status"], c.get("reason"), c.get("message")) for c in conditions] == [
        ("PodReadyToStartContainers", "True", None, None), ("Initialized", "True", None, None),
        ("Ready", "False", "ContainersNotReady", "containers with unready status: [kubia]"),
        ("ContainersReady", "False", "ContainersNotReady", "containers with unready status: [kubia]"),
        ("PodScheduled", "True", None, None)]
    ips = kubesim.ok("get", "po", "-o", "jsonpath={.items[*].status.podIP}").split()
    subsets = json.loads(kubesim.ok("get", "ep", "kubia-headless", "-o", "jsonpath={.subsets}"))
    assert [[a["ip"] for a in s["addresses"]] for s in subsets] == [[ips[1]]]
    assert [sorted(a["ip"] for a in s["notReadyAddresses"]) for s in subsets] == [sorted([ips[0], ips[2]])]
    slices = kubesim.ok("get", "endpointslices", "-l", "kubernetes.io/service-name=kubia-headless", "-o",
                        "jsonpath={range .items[0].endpoints[*]}{.addresses[0]} {.conditions.ready}{'\\n'}{end}")
    assert sorted(slices.splitlines()) == sorted(f"{ip} {str(ip == ips[1]).lower()}" for ip in ips)
    assert kubesim.ok("get", "rc", "kubia") == (
        "NAME    DESIRED   CURRENT   READY   AGE\nkubia   3         3         1       10s\n")
    kubesim.ok("run", "dnsutils", "--image=tutum/dnsutils", "--restart=Never", "--command", "--", "sleep", "infinity")
    assert kubesim.ok("exec", "dnsutils", "--", "dig", "+short", "kubia-headless.default.svc.cluster.local") == \
        f"{ips[1]}\n"


def test_the_books_misspelled_field_is_refused_and_nothing_is_created(kubesim: Kubesim):
    result = kubesim("create", "-f", str(CORPUS / "Chapter05" / "kubia-svc-publish-not-ready.yaml"))
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr.endswith(
        'Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field '
        '"spec.publishNotReadyEndpoints"\n')
    assert kubesim("get", "svc", "kubia-all").code == 1


def test_failed_readiness_events_are_counted_as_describe_shows_them(kubesim: Kubesim):
    kubesim.ok("create", "-f", "-", stdin=probed_pod())
    advance(kubesim, 120)
    events = kubesim.ok("describe", "po", "web").split("Events:\n", 1)[1]
    assert events == (
        "  Type     Reason     Age               From               Message\n"
        "  ----     ------     ----              ----               -------\n"
        "  Normal   Scheduled  2m                default-scheduler  Successfully assigned default/web to minikube\n"
        "  Normal   Pulled     2m                kubelet            spec.containers{kubia}: Container image "
        '"luksa/kubia" already present on machine\n'
        "  Normal   Created    2m                kubelet            spec.containers{kubia}: Created container: kubia\n"
        "  Normal   Started    2m                kubelet            spec.containers{kubia}: Started container kubia\n"
        "  Warning  Unhealthy  0s (x13 over 2m)  kubelet            spec.containers{kubia}: Readiness probe failed: "
        "ls: cannot access /var/ready: No such file or directory\n")


# -- the cost of probes: what is due, not every pod ------------------------------------------------------
def test_a_command_replays_only_the_pods_that_are_due(kubesim: Kubesim, monkeypatch):
    from kubesim.controllers import prober

    kubesim.ok("create", "-f", str(MANIFESTS / "kubia-rc-readinessprobe.yaml"))
    kubesim.ok("scale", "rc", "kubia", "--replicas=20")
    kubesim.ok("get", "po")
    replayed = []
    original = prober._Replay.run

    def counting(self, until):
        replayed.append(self.pod["metadata"]["name"])
        return original(self, until)

    monkeypatch.setattr(prober._Replay, "run", counting)
    kubesim.moment += 5
    kubesim.ok("get", "po")
    assert replayed == []
    kubesim.moment += 5
    kubesim.ok("get", "po")
    assert len(replayed) == 20
    kubesim.ok("get", "po")
    assert len(replayed) == 20


# -- liveness ------------------------------------------------------------------------------------------
LIVENESS_STEPS = [
    # seconds since start, the pod's row in `get po`
    (50, "kubia-liveness   1/1     Running   0          50s"),
    (80, "kubia-liveness   1/1     Running   0          80s"),  # three 500s: killed now, stops at 110
    (109, "kubia-liveness   1/1     Running   0          109s"),
    (110, "kubia-liveness   1/1     Running   1 (0s ago)   110s"),
    (219, "kubia-liveness   1/1     Running   1 (109s ago)   3m39s"),
    (220, "kubia-liveness   1/1     Running   2 (0s ago)   3m40s"),  # back-off 10 s had passed: at once
    (440, "kubia-liveness   1/1     Running   4 (0s ago)   7m20s"),  # back-offs 20 s, 40 s: never waited
    (550, "kubia-liveness   1/1     Running   5 (0s ago)   9m10s"),
    (660, "kubia-liveness   0/1     CrashLoopBackOff   5 (0s ago)   11m"),  # ran 110 s < back-off 160 s
    (819, "kubia-liveness   0/1     CrashLoopBackOff   5 (2m39s ago)   13m"),
    (820, "kubia-liveness   1/1     Running   6 (2m40s ago)   13m"),  # "ago" counts from the exit
]


def test_liveness_restarts_kubia_unhealthy_with_back_off(kubesim: Kubesim):
    kubesim.ok("create", "-f", str(CORPUS / "Chapter04" / "kubia-liveness-probe.yaml"))
    elapsed = 0
    rows = []
    for moment, _ in LIVENESS_STEPS:
        advance(kubesim, moment - elapsed)
        elapsed = moment
        rows.append(" ".join(kubesim.ok("get", "po", "kubia-liveness", "--no-headers").split()))
    assert rows == [" ".join(row.split()) for _, row in LIVENESS_STEPS]


def test_a_liveness_restart_as_describe_and_get_events_show_it(kubesim: Kubesim):
    kubesim.ok("create", "-f", str(CORPUS / "Chapter04" / "kubia-liveness-probe.yaml"))
    uid = kubesim.ok("get", "po", "kubia-liveness", "-o", "jsonpath={.metadata.uid}")
    advance(kubesim, 670)
    described = kubesim.ok("describe", "po", "kubia-liveness")
    state = described.split("    State:", 1)[1].split("    Liveness:", 1)[0]
    assert state == (
        "          Waiting\n"
        "      Reason:       CrashLoopBackOff\n"
        "    Last State:     Terminated\n"
        "      Reason:       Error\n"
        "      Exit Code:    137\n"
        "      Started:      Mon, 01 Jul 2024 10:09:10 +0000\n"
        "      Finished:     Mon, 01 Jul 2024 10:11:00 +0000\n"
        "    Ready:          False\n"
        "    Restart Count:  5\n")
    # Six kills (at 80 s, then every 110 s), each after three 500s; the sixth restart waits 160 s.
    assert kubesim.ok("get", "events", "--field-selector", "involvedObject.name=kubia-liveness") == (
        "LAST SEEN   TYPE      REASON      OBJECT               MESSAGE\n"
        "11m         Normal    Scheduled   pod/kubia-liveness   Successfully assigned default/kubia-liveness to "
        "minikube\n"
        "2m          Normal    Pulled      pod/kubia-liveness   Container image \"luksa/kubia-unhealthy\" already "
        "present on machine\n"
        "2m          Normal    Created     pod/kubia-liveness   Created container: kubia\n"
        "2m          Normal    Started     pod/kubia-liveness   Started container kubia\n"
        "40s         Warning   Unhealthy   pod/kubia-liveness   Liveness probe failed: HTTP probe failed with "
        "statuscode: 500\n"
        "40s         Normal    Killing     pod/kubia-liveness   Container kubia failed liveness probe, will be "
        "restarted\n"
        "10s         Warning   BackOff     pod/kubia-liveness   Back-off restarting failed container kubia in pod "
        f"kubia-liveness_default({uid})\n")
    events = described.split("Events:\n", 1)[1]
    assert events == (
        "  Type     Reason     Age                  From               Message\n"
        "  ----     ------     ----                 ----               -------\n"
        "  Normal   Scheduled  11m                  default-scheduler  Successfully assigned default/kubia-liveness "
        "to minikube\n"
        "  Normal   Pulled     2m (x6 over 11m)     kubelet            spec.containers{kubia}: Container image "
        "\"luksa/kubia-unhealthy\" already present on machine\n"
        "  Normal   Created    2m (x6 over 11m)     kubelet            spec.containers{kubia}: Created container: kubia\n"
        "  Normal   Started    2m (x6 over 11m)     kubelet            spec.containers{kubia}: Started container kubia\n"
        "  Warning  Unhealthy  40s (x18 over 10m)   kubelet            spec.containers{kubia}: Liveness probe failed: "
        "HTTP probe failed with statuscode: 500\n"
        "  Normal   Killing    40s (x6 over 9m50s)  kubelet            spec.containers{kubia}: Container kubia failed "
        "liveness probe, will be restarted\n"
        "  Warning  BackOff    10s                  kubelet            spec.containers{kubia}: Back-off restarting "
        f"failed container kubia in pod kubia-liveness_default({uid})\n")


def test_a_restarted_container_starts_from_its_image_again(kubesim: Kubesim):
    kubesim.ok("create", "-f", str(CORPUS / "Chapter04" / "kubia-liveness-probe.yaml"))
    kubesim.ok("exec", "kubia-liveness", "--", "touch", "/tmp/left-behind")
    advance(kubesim, 110)
    result = kubesim("exec", "kubia-liveness", "--", "ls", "/tmp/left-behind")
    assert (result.code, result.stdout, result.stderr) == (
        2, "", "ls: cannot access /tmp/left-behind: No such file or directory\ncommand terminated with exit code 2\n")
    # The app counts its requests from zero again: five answers of 200 before the next failure.
    assert kubesim.ok("exec", "kubia-liveness", "--", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                      "http://localhost:8080") == "200"


# -- a model of the kubelet's worker, to check the replay against ---------------------------------------
def model_ready(probe: dict, file_at: list[tuple[int, bool]], until: int) -> bool:
    """Readiness at ``until`` by running every tick of the worker, one by one."""
    period = probe.get("periodSeconds", 10)
    delay = probe.get("initialDelaySeconds", 0)
    success, failure = probe.get("successThreshold", 1), probe.get("failureThreshold", 3)
    first = 0 if delay == 0 else max(1, -(-delay // period)) * period
    ready, last, run = False, None, 0
    tick = first
    while tick <= until:
        there = False
        for moment, value in file_at:
            if moment < tick:  # a change at the same moment comes after that moment's probes
                there = value
        result = "success" if there else "failure"
        run = run + 1 if result == last else 1
        last = result
        if result == "success" and run >= success:
            ready = True
        if result == "failure" and run >= failure:
            ready = False
        tick += period
    return ready


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(probe=st.fixed_dictionaries({}, optional={
           "periodSeconds": st.integers(1, 15), "initialDelaySeconds": st.integers(0, 25),
           "successThreshold": st.integers(1, 3), "failureThreshold": st.integers(1, 4)}),
       changes=st.lists(st.tuples(st.integers(1, 40), st.booleans()), max_size=4),
       looks=st.lists(st.integers(1, 200), min_size=1, max_size=3))
def test_replaying_matches_running_every_tick(tmp_path_factory, probe: dict, changes: list, looks: list):
    kubesim = Kubesim(tmp_path_factory.mktemp("home"))
    kubesim.ok("create", "-f", "-", stdin=probed_pod(**probe))
    file_at = []
    elapsed = 0
    for step, there in changes:
        elapsed += step
        kubesim.moment += step
        kubesim.ok("exec", "web", "--", "touch" if there else "rm", "-f", "/var/ready")
        file_at.append((elapsed, there))
    for look in looks:
        elapsed += look
        kubesim.moment += look
        assert ready_column(kubesim) == f"{str(model_ready(probe, file_at, elapsed)).lower()}\n", (file_at, elapsed)


# -- the other handlers, startup probes, restart policies ----------------------------------------------
def pod_with(probes: dict, image: str = "luksa/kubia", restart: str = "Always", name: str = "web") -> str:
    return json.dumps({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"app": "kubia"}},
                       "spec": {"restartPolicy": restart, "containers": [{
                           "name": "kubia", "image": image, "ports": [{"name": "http", "containerPort": 8080}],
                           **probes}]}})


def unhealthy_messages(kubesim: Kubesim, pod: str = "web") -> list[str]:
    return kubesim.ok("get", "events", "--field-selector", f"involvedObject.name={pod},reason=Unhealthy", "-o",
                      "jsonpath={range .items[*]}{.message} x{.count}{'\\n'}{end}").splitlines()


HANDLERS = [
    pytest.param({"httpGet": {"path": "/", "port": "http"}}, "true", [], id="httpGet by port name: kubia answers 200"),
    pytest.param({"httpGet": {"path": "/", "port": 9999}}, "false",
                 ['Readiness probe failed: Get "http://10.244.0.3:9999/": dial tcp 10.244.0.3:9999: connect: '
                  "connection refused x2"], id="httpGet where nothing listens"),
    pytest.param({"httpGet": {"path": "/", "port": 8080, "scheme": "HTTPS"}}, "false",
                 ['Readiness probe failed: Get "https://10.244.0.3:8080/": http: server gave HTTP response to HTTPS '
                  "client x2"], id="httpGet HTTPS to a plain HTTP server"),
    pytest.param({"tcpSocket": {"port": 8080}}, "true", [], id="tcpSocket to the app's port"),
    pytest.param({"tcpSocket": {"port": 8443}}, "false",
                 ["Readiness probe failed: dial tcp 10.244.0.3:8443: connect: connection refused x2"],
                 id="tcpSocket where nothing listens"),
    pytest.param({"exec": {"command": ["cat", "/etc/hostname"]}}, "true", [], id="exec that succeeds"),
    pytest.param({"exec": {"command": ["no-such-tool"]}}, "false",
                 ['Readiness probe errored and resulted in unknown state: rpc error: code = Unknown desc = failed to '
                  'exec in container: failed to start exec "ID": OCI runtime exec failed: exec failed: unable to '
                  'start container process: exec: "no-such-tool": executable file not found in $PATH: unknown x1'] * 2,
                 id="exec of a program the image does not have: an error each time (a new exec ID), not a failure"),
    pytest.param({"grpc": {"port": 8080}}, "false",
                 ["Readiness probe failed: timeout: health rpc did not complete within 1s x2"],
                 id="grpc to a server that does not speak the health protocol"),
]


@pytest.mark.parametrize(("handler", "ready", "messages"), HANDLERS)
def test_each_handler_against_the_app(kubesim: Kubesim, handler: dict, ready: str, messages: list):
    kubesim.ok("create", "-f", "-", stdin=pod_with({"readinessProbe": handler}))
    advance(kubesim, 10)
    assert ready_column(kubesim) == ready + "\n"
    seen = [re.sub(r'exec "[0-9a-f]{64}"', 'exec "ID"', m) for m in unhealthy_messages(kubesim)]
    assert seen == messages


def test_a_startup_probe_holds_back_readiness_and_liveness(kubesim: Kubesim):
    kubesim.ok("create", "-f", "-", stdin=pod_with({
        "startupProbe": {"exec": {"command": ["ls", "/tmp/started"]}, "periodSeconds": 5, "failureThreshold": 4},
        "livenessProbe": {"exec": {"command": ["false"]}, "periodSeconds": 5}}))
    started = "jsonpath={.status.containerStatuses[0].started} {.status.containerStatuses[0].ready}"
    advance(kubesim, 15)
    assert kubesim.ok("get", "po", "web", "-o", started) == "false false"
    assert unhealthy_messages(kubesim) == [
        "Startup probe failed: ls: cannot access /tmp/started: No such file or directory x3"]
    kubesim.ok("exec", "web", "--", "touch", "/tmp/started")
    advance(kubesim, 5)
    assert kubesim.ok("get", "po", "web", "-o", started) == "true true"
    advance(kubesim, 15)  # the liveness probe runs now, and fails three times
    assert kubesim.ok("get", "po", "web", "-o", "jsonpath={.status.containerStatuses[0].lastState}") == "{}"
    assert unhealthy_messages(kubesim)[-1] == "Liveness probe failed:  x3"


def test_a_startup_probe_that_never_succeeds_kills_the_container(kubesim: Kubesim):
    kubesim.ok("create", "-f", "-", stdin=pod_with({
        "startupProbe": {"exec": {"command": ["ls", "/tmp/started"]}, "periodSeconds": 5, "failureThreshold": 2}}))
    advance(kubesim, 10)
    assert kubesim.ok("get", "events", "--field-selector", "involvedObject.name=web,reason=Killing", "-o",
                      "jsonpath={.items[*].message}") == "Container kubia failed startup probe, will be restarted"
    advance(kubesim, 30)
    assert " ".join(kubesim.ok("get", "po", "web", "--no-headers").split()) == "web 0/1 Running 1 (0s ago) 40s"


def test_with_restart_policy_never_a_killed_container_stays_dead(kubesim: Kubesim):
    kubesim.ok("create", "-f", "-", stdin=pod_with(
        {"livenessProbe": {"httpGet": {"path": "/", "port": 8080}}}, image="luksa/kubia-unhealthy", restart="Never"))
    advance(kubesim, 110)
    assert kubesim.ok("get", "po", "web") == (
        "NAME   READY   STATUS   RESTARTS   AGE\nweb    0/1     Error    0          110s\n")
    assert kubesim.ok("get", "po", "web", "-o", "jsonpath={.status.phase} {.status.conditions[?(@.type=="
                      "'Ready')].reason}") == "Failed PodFailed"


def test_nginx_stops_at_once_on_sigterm(kubesim: Kubesim):
    kubesim.ok("create", "-f", "-", stdin=pod_with(
        {"livenessProbe": {"httpGet": {"path": "/missing", "port": 80}, "periodSeconds": 1, "failureThreshold": 1}},
        image="nginx"))
    advance(kubesim, 1)
    assert kubesim.ok("get", "po", "web", "-o", "jsonpath={.status.containerStatuses[0].lastState.terminated}") == \
        json.dumps({"containerID": kubesim.ok("get", "po", "web", "-o", "jsonpath={.status.containerStatuses[0]"
                                              ".lastState.terminated.containerID}"),
                    "exitCode": 0, "finishedAt": "2024-07-01T10:00:01Z", "reason": "Completed",
                    "startedAt": "2024-07-01T10:00:00Z"}, separators=(",", ":"))


def test_headless_dns_with_publish_not_ready_addresses_lists_every_pod(kubesim: Kubesim):
    kubesim.ok("create", "-f", str(MANIFESTS / "kubia-rc-readinessprobe.yaml"))
    service = json.loads(json.dumps({
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "kubia-all-headless"},
        "spec": {"clusterIP": "None", "publishNotReadyAddresses": True, "selector": {"app": "kubia"},
                 "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}}))
    kubesim.ok("create", "-f", "-", stdin=json.dumps(service))
    kubesim.ok("create", "-f", str(MANIFESTS / "kubia-svc-headless.yaml"))
    kubesim.ok("run", "dnsutils", "--image=tutum/dnsutils", "--restart=Never", "--command", "--", "sleep", "infinity")
    ips = sorted(kubesim.ok("get", "po", "-l", "app=kubia", "-o", "jsonpath={.items[*].status.podIP}").split())
    answer = kubesim("exec", "dnsutils", "--", "dig", "+short", "kubia-headless.default.svc.cluster.local")
    assert answer.stdout == ""  # no pod is ready: NXDOMAIN
    every = kubesim.ok("exec", "dnsutils", "--", "dig", "+short", "kubia-all-headless.default.svc.cluster.local")
    assert sorted(every.split()) == ips
    srv = kubesim.ok("exec", "dnsutils", "--", "dig", "+short", "SRV",
                     "_http._tcp.kubia-all-headless.default.svc.cluster.local")
    assert sorted(srv.splitlines()) == sorted(
        f"0 33 80 {ip.replace('.', '-')}.kubia-all-headless.default.svc.cluster.local." for ip in ips)


@pytest.mark.parametrize(("timeout", "ready", "messages"), [
    (1, "false", ['Readiness probe failed: command "sh -c sleep 2; true" timed out x2']),
    (3, "true", []),
])
def test_an_exec_probe_that_outlives_its_timeout_fails(kubesim: Kubesim, timeout: int, ready: str, messages: list):
    kubesim.ok("create", "-f", "-", stdin=pod_with({"readinessProbe": {
        "exec": {"command": ["sh", "-c", "sleep 2; true"]}, "timeoutSeconds": timeout}}))
    advance(kubesim, 10)
    assert ready_column(kubesim) == ready + "\n"
    assert unhealthy_messages(kubesim) == messages


def test_a_changed_image_restarts_the_container_with_it(kubesim: Kubesim):
    kubesim.ok("create", "-f", "-", stdin=pod_with({}, image="luksa/kubia"))
    kubesim.ok("exec", "web", "--", "touch", "/tmp/left-behind")
    kubesim.ok("apply", "-f", "-", stdin=pod_with({}, image="luksa/kubia-unhealthy"))
    image = "jsonpath={.status.containerStatuses[0].image} {.status.containerStatuses[0].restartCount}"
    advance(kubesim, 29)  # Node ignores SIGTERM: the old container runs out its grace period
    assert kubesim.ok("get", "po", "web", "-o", image) == "docker.io/luksa/kubia:latest 0"
    advance(kubesim, 1)
    assert kubesim.ok("get", "po", "web", "-o", image) == "docker.io/luksa/kubia-unhealthy:latest 1"
    assert kubesim("exec", "web", "--", "ls", "/tmp/left-behind").code == 2
    messages = kubesim.ok("get", "events", "--field-selector", "involvedObject.name=web", "-o",
                          "jsonpath={range .items[*]}{.reason}: {.message}{'\\n'}{end}")
    assert "Killing: Container kubia definition changed, will be restarted\n" in messages
    assert 'Pulled: Container image "luksa/kubia-unhealthy" already present on machine\n' in messages
    assert " ".join(kubesim.ok("get", "po", "web", "--no-headers").split()) == "web 1/1 Running 1 (0s ago) 30s"


def test_get_pods_with_a_probe_due_still_loads_neither_rich_nor_yaml_nor_jsonpath(tmp_path):
    import subprocess
    import sys

    home = tmp_path / "home"
    Kubesim(home).ok("create", "-f", str(MANIFESTS / "kubia-rc-readinessprobe.yaml"))
    code = ("import io, sys; from kubesim.cli.main import run; from kubesim.env import Env; "
            f"env = Env(home={str(home)!r}, stdin=io.StringIO(), stdout=io.StringIO(), stderr=io.StringIO(), "
            "wall_clock=lambda: 1719828060.0); "  # one minute after the pods started: six periods due
            "run(['get', 'pods'], env); "
            "print(sorted(m for m in ('rich', 'yaml', 'kubesim.printers.jsonpath', 'kubesim.cli.describe') "
            "if m in sys.modules), 'kubesim.controllers.prober' in sys.modules, env.stdout.getvalue().count('0/1'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout == "[] True 3\n", done.stderr


def test_deployment_and_replicaset_count_only_ready_pods(kubesim: Kubesim):
    manifest = (MANIFESTS / "kubia-deployment.yaml").read_text() + (
        "        readinessProbe:\n          exec:\n            command: [ls, /var/ready]\n")
    kubesim.ok("create", "-f", "-", stdin=manifest)
    pod = kubesim.ok("get", "po", "-o", "jsonpath={.items[0].metadata.name}")
    kubesim.ok("exec", pod, "--", "touch", "/var/ready")
    advance(kubesim, 10)
    assert kubesim.ok("get", "deploy,rs", "--no-headers", "-o", "custom-columns=N:.metadata.name,R:.status."
                      "readyReplicas,A:.status.availableReplicas") == (
        "kubia             1     1\n"
        f"{pod.rsplit('-', 1)[0]}   1     1\n")
