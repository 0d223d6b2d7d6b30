"""The kubelet's probe workers and container restarts, on the cluster clock.

Each running container with a probe has a worker per probe, as the kubelet's ``prober/worker.go``:
it probes every ``periodSeconds`` from the container's start (readiness once at the start too: the
kubelet triggers it when the container comes up), skips what falls inside ``initialDelaySeconds``,
and changes its result only after ``successThreshold`` / ``failureThreshold`` results in a row.
Readiness and liveness wait for a startup probe to succeed. Every failure is a ``Warning Unhealthy``
event (``Readiness probe failed: …``); a failed liveness or startup probe kills the container
(``Killing``), which stops after the pod's grace period (Node, as PID 1, ignores SIGTERM: exit 137
after 30 s) and is restarted with the kubelet's back-off (10 s doubling to 5 min, forgotten after
10 min of quiet): ``CrashLoopBackOff`` while it waits. A restarted container gets a fresh writable
layer, so its app starts again from nothing.

Nothing runs in the background. A pod's workers keep their state in a setting
(``probes:<namespace>/<name>``) and the pod has one timer for its next due moment; a command that
starts after that moment replays every probe due since, in order, each at its own time. A probe that
gives the same answer again without changing anything (``ls /var/ready`` while nobody creates the
file) repeats until something else is due, so it is counted, not run again.
"""

from __future__ import annotations

import io
import json
from datetime import datetime

from kubesim.api.registry import Obj, kind_named
from kubesim.controllers import Key, timers
from kubesim.controllers.events import record_event

STATE_PREFIX = "probes:"
PROBES = (("startup", "startupProbe", "Startup"), ("readiness", "readinessProbe", "Readiness"),
          ("liveness", "livenessProbe", "Liveness"))
INITIAL_RESULT = {"readiness": "failure", "liveness": "success", "startup": "unknown"}
BACKOFF_INITIAL = 10.0
BACKOFF_MAX = 300.0
DEFAULT_GRACE = 30
# Apps that stop at once on SIGTERM (exit 0); every other PID 1 ignores it until SIGKILL (exit 137).
STOPS_ON_SIGTERM = ("nginx",)


def has_probes(container: Obj) -> bool:
    return any(container.get(field) for _, field, _ in PROBES)


def initially_ready(container: Obj) -> bool:
    """A container is ready at start only when no readiness or startup probe has to say so first."""
    return not container.get("readinessProbe") and not container.get("startupProbe")


def initially_started(container: Obj) -> bool:
    return not container.get("startupProbe")


def sync_pod_conditions(pod: Obj, when: str) -> None:
    """Ready and ContainersReady follow the containers' readiness (``status/generate.go``)."""
    status = pod.get("status") or {}
    unready = [s["name"] for s in status.get("containerStatuses") or [] if not s.get("ready")]
    for condition in status.get("conditions") or []:
        if condition.get("type") not in ("Ready", "ContainersReady"):
            continue
        wanted = "False" if unready else "True"
        if condition.get("status") != wanted:
            condition["status"] = wanted
            condition["lastTransitionTime"] = when
        if unready:
            condition["reason"] = "ContainersNotReady"
            condition["message"] = f"containers with unready status: [{' '.join(unready)}]"
        else:
            condition.pop("reason", None)
            condition.pop("message", None)


# -- the state a pod's workers keep ------------------------------------------------------------------
def _state_key(namespace: str, name: str) -> str:
    return f"{STATE_PREFIX}{namespace}/{name}"


def _load(api, namespace: str, name: str) -> dict | None:
    text = api.tx.meta(_state_key(namespace, name))
    return json.loads(text) if text else None


def _store(api, namespace: str, name: str, state: dict) -> None:
    api.tx.set_meta(_state_key(namespace, name), json.dumps(state, separators=(",", ":"), sort_keys=True))


def _workers_for(container: Obj, started: float) -> dict:
    workers = {}
    for kind, field, _ in PROBES:
        probe = container.get(field)
        if not probe:
            continue
        period = float(probe.get("periodSeconds") or 10)
        delay = float(probe.get("initialDelaySeconds") or 0)
        # The first tick at or after the initial delay; readiness also probes at the start itself.
        first = 0 if kind == "readiness" and delay == 0 else max(1, -(-delay // period)) * period
        workers[kind] = {"next": started + first, "run": 0, "last": None, "result": INITIAL_RESULT[kind]}
    return workers


def container_started(api, pod: Obj, container: Obj, started: float, state: dict | None = None) -> dict:
    """Start the workers of a container that has just (re)started; returns the pod's worker state."""
    meta = pod["metadata"]
    if state is None:
        state = _load(api, meta.get("namespace", ""), meta["name"]) or {"uid": meta["uid"], "containers": {}}
    entry = state["containers"].setdefault(container["name"], {})
    entry.update({"started": started, "workers": _workers_for(container, started), "exitAt": None,
                  "restartAt": None})
    return state


def start_pod(api, pod: Obj, started: float) -> None:
    """The kubelet has started a pod's containers: schedule the first probes of those that have any."""
    state = None
    for container in pod["spec"].get("containers") or []:
        if has_probes(container):
            state = container_started(api, pod, container, started, state)
    if state is not None:
        meta = pod["metadata"]
        _store(api, meta.get("namespace", ""), meta["name"], state)
        timers.schedule(api, CONTROLLER.name, ("Pod", meta.get("namespace", ""), meta["name"]), _next_due(state))


def _next_due(state: dict) -> float | None:
    moments = [moment for entry in state["containers"].values() for moment in _moments(entry)]
    return min(moments) if moments else None


def _moments(entry: dict) -> list[float]:
    if entry.get("restartAt") is not None:
        return [entry["restartAt"]]
    if entry.get("exitAt") is not None:
        return [entry["exitAt"]]
    return [w["next"] for w in entry.get("workers", {}).values() if not w.get("hold")]


# -- the controller ----------------------------------------------------------------------------------
class Prober:
    name = "prober"

    def keys_for(self, api, kind: str, obj: Obj, deleted: bool):
        if kind != "Pod":
            return ()
        meta = obj["metadata"]
        key = ("Pod", meta.get("namespace", ""), meta["name"])
        if deleted:
            api.tx.delete_meta(_state_key(key[1], key[2]))
            timers.cancel(api, self.name, key)
            return ()
        return (key,) if _changed_images(obj) else ()

    def on_clock(self, api):
        return timers.due_keys(api, self.name)

    def sync(self, api, key: Key) -> None:
        _, namespace, name = key
        pod = api.find(kind_named("Pod"), namespace, name)
        state = _load(api, namespace, name)
        changed_images = _changed_images(pod) if pod is not None else []
        if changed_images and state is None:
            state = {"uid": pod["metadata"]["uid"], "containers": {}}
        if pod is None or state is None or state.get("uid") != pod["metadata"]["uid"]:
            api.tx.delete_meta(_state_key(namespace, name))
            timers.cancel(api, self.name, key)
            return
        now = api.now
        try:
            replay = _Replay(api, pod, state)
            changed = replay.run(now.timestamp())
            if any([replay.replace(c["name"], now.timestamp()) for c in changed_images]):
                changed = replay.run(now.timestamp()) or changed
        finally:
            api.now = now
        _store(api, namespace, name, state)
        due = _next_due(state)
        if due is None:
            timers.cancel(api, self.name, key)
        else:
            timers.schedule(api, self.name, key, due)
        if changed:
            api.write_status(pod)


class _Replay:
    """Everything due for one pod up to a moment, in time order, each at its own cluster time."""

    def __init__(self, api, pod: Obj, state: dict) -> None:
        self.api = api
        self.pod = pod
        self.state = state
        self.changed = False
        self.specs = {c["name"]: c for c in pod["spec"].get("containers") or []}

    def run(self, until: float) -> bool:
        while True:
            moment, name, what = self._next()
            if moment is None or moment > until:
                return self.changed
            self._at(moment)
            entry = self.state["containers"][name]
            if what == "restart":
                self._restart(name, entry, moment)
            elif what == "exit":
                self._exit(name, entry, moment)
            else:
                self._probe(name, entry, what, moment, until)

    def _next(self) -> tuple[float | None, str, str]:
        best: tuple[float | None, str, str] = (None, "", "")
        best_rank = 0
        order = {"startup": 0, "readiness": 1, "liveness": 2}
        for name, entry in self.state["containers"].items():
            if name not in self.specs:
                continue
            candidates = []
            if entry.get("restartAt") is not None:
                candidates.append((entry["restartAt"], 0, "restart"))
            elif entry.get("exitAt") is not None:
                candidates.append((entry["exitAt"], 0, "exit"))
            else:
                candidates += [(w["next"], 1 + order[kind], kind) for kind, w in entry["workers"].items()
                               if not w.get("hold")]
            for moment, rank, what in candidates:
                if best[0] is None or (moment, rank) < (best[0], best_rank):
                    best, best_rank = (moment, name, what), rank
        return best

    def _at(self, moment: float) -> None:
        self.api.now = datetime.fromtimestamp(moment, self.api.now.tzinfo)

    def _status(self, name: str) -> dict:
        return next(s for s in self.pod["status"]["containerStatuses"] if s["name"] == name)

    def _event(self, name: str, event_type: str, reason: str, message: str, count: int = 1) -> None:
        record_event(self.api, self.pod, event_type, reason, message, "kubelet",
                     field_path=f"spec.containers{{{name}}}", count=count)

    # -- probing ---------------------------------------------------------------------------------
    def _probe(self, name: str, entry: dict, kind: str, moment: float, until: float) -> None:
        container = self.specs[name]
        worker = entry["workers"][kind]
        field, title = next((f, t) for k, f, t in PROBES if k == kind)
        probe = container[field]
        period = float(probe.get("periodSeconds") or 10)
        worker["next"] = moment + period
        startup = entry["workers"].get("startup")
        if kind != "startup" and startup is not None and startup["result"] != "success":
            return
        before = self.api.tx.connection.total_changes
        result, message = run_probe(self.api, self.pod, container, probe)
        pure = self.api.tx.connection.total_changes == before
        if result == "error":
            self._event(name, "Warning", "Unhealthy", f"{title} probe errored and resulted in unknown state: {message}")
            return
        if result == worker["last"]:
            worker["run"] += 1
        else:
            worker["last"], worker["run"] = result, 1
        if result == "failure":
            self._event(name, "Warning", "Unhealthy", f"{title} probe failed: {message}")
        threshold = int(probe.get("failureThreshold" if result == "failure" else "successThreshold") or 1)
        if worker["run"] < threshold:
            return
        if worker["result"] != result:
            worker["result"] = result
            if kind == "readiness":
                self._set(name, ready=result == "success")
            elif kind == "startup" and result == "success":
                self._set(name, started=True, ready=not container.get("readinessProbe"))
            elif result == "failure":
                self._kill(name, entry, kind, probe, moment)
                return
        # Settled: the same answer again changes nothing, so its repeats are counted, not run.
        repeats = self._repeats(name, kind, moment, period, until) if pure else 0
        if repeats:
            worker["run"] += repeats
            worker["next"] = moment + (repeats + 1) * period
            if result == "failure":
                self._at(moment + repeats * period)
                self._event(name, "Warning", "Unhealthy", f"{title} probe failed: {message}", count=repeats)

    def _repeats(self, name: str, kind: str, moment: float, period: float, until: float) -> int:
        """How many more times this probe comes due by ``until`` with nothing else due in between."""
        horizon = until
        for other, entry in self.state["containers"].items():
            if other != name:
                moments = _moments(entry)
            else:
                moments = [w["next"] for k, w in entry["workers"].items() if k != kind and not w.get("hold")]
            for due in moments:
                horizon = min(horizon, due - 1e-6)
        if horizon < moment + period:
            return 0
        return int((horizon - moment) // period)

    def _set(self, name: str, **fields) -> None:
        status = self._status(name)
        if all(status.get(k) == v for k, v in fields.items()):
            return
        status.update(fields)
        sync_pod_conditions(self.pod, self.api.timestamp())
        self.changed = True

    # -- killing and restarting --------------------------------------------------------------------
    def replace(self, name: str, moment: float) -> bool:
        """The container's image changed in the pod's spec: the kubelet kills it to start the new one."""
        entry = self.state["containers"].get(name)
        if entry is not None and (entry.get("exitAt") is not None or entry.get("restartAt") is not None):
            return False  # already on its way out; it restarts with the new image
        if entry is None:
            entry = self.state["containers"][name] = {"started": moment, "workers": {}}
        self._at(moment)
        self._event(name, "Normal", "Killing", f"Container {name} definition changed, will be restarted")
        self._stop(name, entry, "definition", None, moment)
        return True

    def _kill(self, name: str, entry: dict, kind: str, probe: Obj, moment: float) -> None:
        self._event(name, "Normal", "Killing", f"Container {name} failed {kind} probe, will be restarted")
        self._stop(name, entry, kind, probe.get("terminationGracePeriodSeconds"), moment)

    def _stop(self, name: str, entry: dict, cause: str, grace, moment: float) -> None:
        for worker in entry["workers"].values():
            worker["hold"] = True
        from kubesim.runtime.images import image_of

        image = image_of(self._running_image(name))
        stops = any(served.app in STOPS_ON_SIGTERM for served in image.serves.values())
        if grace is None:
            grace = self.pod["spec"].get("terminationGracePeriodSeconds", DEFAULT_GRACE)
        entry["exitAt"] = moment if stops else moment + float(grace)
        entry["exitCode"] = 0 if stops else 137
        entry["killedBy"] = cause

    def _running_image(self, name: str) -> Obj:
        """The container as it runs now: its spec, with the image it was started from."""
        return {**self.specs[name], "image": self._status(name).get("image", "")}

    def _exit(self, name: str, entry: dict, moment: float) -> None:
        status = self._status(name)
        running = (status.get("state") or {}).get("running") or {}
        code = int(entry.get("exitCode", 137))
        status["lastState"] = {"terminated": {
            "containerID": status.get("containerID", ""), "exitCode": code, "finishedAt": self.api.timestamp(),
            "reason": "Completed" if code == 0 else "Error", "startedAt": running.get("startedAt", "")}}
        previous = entry.get("lastExit")
        entry["lastExit"] = moment
        entry["exitAt"] = None
        policy = self.pod["spec"].get("restartPolicy", "Always")
        # A changed definition restarts the container whatever the restart policy says.
        if entry.get("killedBy") != "definition" and (policy == "Never" or (policy == "OnFailure" and code == 0)):
            status["state"] = {"terminated": status.pop("lastState")["terminated"]}
            status["lastState"] = {}
            status.update(ready=False, started=False)
            entry["workers"] = {}
            sync_pod_conditions(self.pod, self.api.timestamp())
            if all("terminated" in (s.get("state") or {}) for s in self.pod["status"]["containerStatuses"]):
                self.pod["status"]["phase"] = "Failed" if code else "Succeeded"
                for condition in self.pod["status"].get("conditions") or []:
                    if condition.get("type") in ("Ready", "ContainersReady"):
                        condition["reason"] = "PodFailed" if code else "PodCompleted"
                        condition.pop("message", None)
            self.changed = True
            return
        # A container that exits on its own waits out its back-off. One killed for a failed probe is
        # restarted in the kill's own sync, which judges the back-off by the exit before this one.
        since = previous if entry.get("killedBy") else moment
        backoff = float(entry.get("backoff") or 0)
        expired = entry.get("backoffAt") is None or moment - float(entry["backoffAt"]) > 2 * BACKOFF_MAX
        waits = bool(backoff) and not expired and since is not None and moment - since < backoff
        entry["restartAt"] = moment + backoff if waits else moment
        if waits:
            pod_name = f"{self.pod['metadata']['name']}_{self.pod['metadata'].get('namespace', '')}" \
                       f"({self.pod['metadata']['uid']})"
            status["state"] = {"waiting": {
                "message": f"back-off {_go_duration(backoff)} restarting failed container={name} pod={pod_name}",
                "reason": "CrashLoopBackOff"}}
            status.update(ready=False, started=False)
            sync_pod_conditions(self.pod, self.api.timestamp())
            self._event(name, "Warning", "BackOff", f"Back-off restarting failed container {name} in pod {pod_name}")
            self.changed = True

    def _restart(self, name: str, entry: dict, moment: float) -> None:
        backoff = float(entry.get("backoff") or 0)
        expired = entry.get("backoffAt") is None or moment - float(entry["backoffAt"]) > 2 * BACKOFF_MAX
        entry["backoff"] = BACKOFF_INITIAL if not backoff or expired else min(backoff * 2, BACKOFF_MAX)
        entry["backoffAt"] = moment
        entry["killedBy"] = None
        container = self.specs[name]
        status = self._status(name)
        uid = self.pod["metadata"]["uid"]
        # The new container's writable layer is the image's, and its app starts again from nothing.
        self.api.tx.drop_files_owned(f"{uid}/{name}")
        self.api.tx.drop_files_owned(f"{uid}/{name}#app")
        restarts = int(status.get("restartCount") or 0) + 1
        from kubesim.controllers.kubelet import container_id, image_fields, record_container_start

        status.update(image_fields(container.get("image", "")))
        status.update(containerID=container_id(uid, name, restarts), restartCount=restarts,
                      ready=initially_ready(container), started=initially_started(container),
                      state={"running": {"startedAt": self.api.timestamp()}})
        if "terminated" not in status.get("lastState", {}):
            status["lastState"] = {}
        record_container_start(self.api, self.pod, container)
        container_started(self.api, self.pod, container, moment, self.state)
        sync_pod_conditions(self.pod, self.api.timestamp())
        self.changed = True


def _changed_images(pod: Obj) -> list[Obj]:
    """Running containers whose spec now names another image than the one they run."""
    status = pod.get("status") or {}
    if status.get("phase") != "Running":
        return []
    from kubesim.controllers.kubelet import image_fields

    running = {s.get("name"): s.get("image") for s in status.get("containerStatuses") or []}
    return [c for c in pod["spec"].get("containers") or []
            if c["name"] in running and image_fields(c.get("image", ""))["image"] != running[c["name"]]]


def _go_duration(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}m{rest}s" if minutes else f"{rest}s"


# -- one probe ---------------------------------------------------------------------------------------
def run_probe(api, pod: Obj, container: Obj, probe: Obj) -> tuple[str, str]:
    """("success" | "failure" | "error", message) for one run of a probe against the container."""
    if probe.get("exec") is not None:
        return _exec_probe(api, pod, container, probe)
    if probe.get("httpGet") is not None:
        return _http_probe(api, pod, container, probe["httpGet"])
    if probe.get("tcpSocket") is not None:
        return _tcp_probe(api, pod, container, probe["tcpSocket"])
    if probe.get("grpc") is not None:
        return _grpc_probe(api, pod, container, probe["grpc"], probe)
    return "error", "missing probe handler"


def _exec_probe(api, pod: Obj, container: Obj, probe: Obj) -> tuple[str, str]:
    from kubesim.runtime.commands import ExecError, run_in_container
    from kubesim.runtime.shell.session import activate

    output = io.StringIO()
    command = [str(part) for part in (probe["exec"].get("command") or [])]
    with activate() as session:
        started = session.elapsed
        try:
            code = run_in_container(api, pod, container, command, stdout=output, stderr=output)
        except ExecError as error:
            return "error", f"rpc error: code = Unknown desc = {error.message}"
        took = session.elapsed - started
    if took > int(probe.get("timeoutSeconds") or 1):
        # What the CRI client says when ExecSync outlives the probe's timeout (ExecProbeTimeout, GA).
        return "failure", f"command {json.dumps(' '.join(command))} timed out"
    text = output.getvalue()
    if code == 0:
        return "success", text
    return "failure", text.rstrip("\n")


def _port_number(container: Obj, port) -> int | None:
    if isinstance(port, int):
        return port
    if isinstance(port, str) and port.isdigit():
        return int(port)
    for declared in container.get("ports") or []:
        if declared.get("name") == port:
            return int(declared.get("containerPort"))
    return None


def _refused(ip: str, port: int) -> str:
    return f"dial tcp {ip}:{port}: connect: connection refused"


def _http_probe(api, pod: Obj, container: Obj, action: Obj) -> tuple[str, str]:
    from kubesim.net.network import Destination
    from kubesim.runtime.apps import Request, respond, server_for

    port = _port_number(container, action.get("port"))
    if port is None:
        return "error", f"unable to find port {action.get('port')!r}"
    ip = action.get("host") or pod["status"].get("podIP", "")
    path = str(action.get("path") or "/")
    scheme = str(action.get("scheme") or "HTTP").lower()
    url = f"{scheme}://{ip}:{port}{path}"
    if server_for(pod, port) is None:
        return "failure", f'Get "{url}": {_refused(ip, port)}'
    if scheme == "https":
        return "failure", f'Get "{url}": http: server gave HTTP response to HTTPS client'
    headers = [("Host", f"{ip}:{port}"), ("User-Agent", "kube-probe/1.36"), ("Accept", "*/*")]
    headers += [(str(h.get("name", "")), str(h.get("value", ""))) for h in action.get("httpHeaders") or []]
    request = Request("GET", path, headers=headers, client_ip=pod["status"].get("hostIP", ""))
    response = respond(api, Destination(ip=ip, port=port, pod=pod), request)
    if response.empty_reply:
        return "failure", f'Get "{url}": EOF'
    if 200 <= response.status < 400:
        return "success", ""
    return "failure", f"HTTP probe failed with statuscode: {response.status}"


def _tcp_probe(api, pod: Obj, container: Obj, action: Obj) -> tuple[str, str]:
    from kubesim.runtime.apps import server_for

    port = _port_number(container, action.get("port"))
    if port is None:
        return "error", f"unable to find port {action.get('port')!r}"
    ip = action.get("host") or pod["status"].get("podIP", "")
    if server_for(pod, port) is None:
        return "failure", _refused(ip, port)
    return "success", ""


def _grpc_probe(api, pod: Obj, container: Obj, action: Obj, probe: Obj) -> tuple[str, str]:
    """No image in the catalogue serves the gRPC health protocol: a listener that speaks anything
    else does not answer it in time; nothing listening is a refused connection."""
    from kubesim.runtime.apps import server_for

    port = int(action.get("port") or 0)
    ip = pod["status"].get("podIP", "")
    timeout = int(probe.get("timeoutSeconds") or 1)
    if server_for(pod, port) is None:
        return "failure", f'timeout: failed to connect service "{ip}:{port}" within {timeout}s: context deadline exceeded'
    return "failure", f"timeout: health rpc did not complete within {timeout}s"


CONTROLLER = Prober()
