"""A real simulated cluster for runtime tests: create pods and services, run commands in them.

Commands run through ``commands.run_in_container`` in one write transaction each, exactly as
``kubesim exec`` runs them, but without the CLI around them — so a test sees the tool's own stdout,
stderr and exit status.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kubesim.api.registry import kind_named
from kubesim.cluster import open_cluster
from kubesim.env import Env

FROZEN = "2024-07-01T10:00:00+00:00"
DATE = "Mon, 01 Jul 2024 10:00:00 GMT"
KUBIA_IP = "10.111.249.153"
EMPTY_IP = "10.96.120.15"


@dataclass
class Ran:
    out: str
    err: str
    code: int


def pod(name: str, image: str, labels: dict[str, str] | None = None, ports: list[int] | None = None,
        **spec: Any) -> dict:
    container: dict[str, Any] = {"name": spec.pop("container_name", name.split("-")[0]), "image": image}
    if ports:
        container["ports"] = [{"containerPort": p} for p in ports]
    for key in ("command", "args", "env", "securityContext", "workingDir"):
        if key in spec:
            container[key] = spec.pop(key)
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "labels": labels or {}, **spec.pop("metadata", {})},
            "spec": {"containers": [container], **spec}}


def service(name: str, cluster_ip: str, selector: dict[str, str], port: int = 80, target: int = 8080,
            **spec: Any) -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
            "spec": {"clusterIP": cluster_ip, "selector": selector,
                     "ports": [{"port": port, "targetPort": target}], **spec}}


class PodLab:
    def __init__(self, home: Path, seed: int = 1) -> None:
        moment = datetime.fromisoformat(FROZEN).timestamp()
        self.env = Env(home=home, stdin=io.StringIO(), stdout=io.StringIO(), stderr=io.StringIO(), seed=seed,
                       wall_clock=lambda: moment)
        self.cluster = open_cluster(self.env)

    def create(self, *objects: dict) -> None:
        with self.cluster.api(write=True) as api:
            for obj in objects:
                api.create(obj)

    def get(self, name: str, kind: str = "Pod", namespace: str = "default") -> dict:
        with self.cluster.api() as api:
            return api.get(kind_named(kind), namespace, name)

    def ip(self, name: str) -> str:
        return self.get(name)["status"]["podIP"]

    def run(self, name: str, *argv: str, stdin: str = "", tty: bool = False, namespace: str = "default",
            container: str | None = None) -> Ran:
        from kubesim.runtime.commands import run_in_container

        out, err = io.StringIO(), io.StringIO()
        with self.cluster.api(write=True) as api:
            api.tx.next_resource_version()
            target = api.get(kind_named("Pod"), namespace, name)
            chosen = next(c for c in target["spec"]["containers"] if container in (None, c["name"]))
            code = run_in_container(api, target, chosen, list(argv), stdin=stdin, stdout=out, stderr=err, tty=tty)
        return Ran(out.getvalue(), err.getvalue(), code)

    def kubia(self, replicas: int = 3, image: str = "luksa/kubia", **service_spec: Any) -> list[str]:
        """The book's setup: kubia pods behind the kubia service at 10.111.249.153:80 -> 8080."""
        names = [f"kubia-{suffix}" for suffix in ("7nog1", "bf50t", "gzwli", "3inly", "8jfd8")[:replicas]]
        self.create(*(pod(n, image, {"app": "kubia"}, [8080]) for n in names),
                    service("kubia", KUBIA_IP, {"app": "kubia"}, **service_spec))
        return names
