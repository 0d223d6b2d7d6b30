"""Two kubesim processes at once never lose a write, never share an address, never see a lock."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.conftest import kubesim_binary

SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: svc-{index}
spec:
  selector:
    app: app-{index}
  ports:
  - port: 80
    targetPort: 8080
"""


def test_twenty_creates_started_at_once_on_a_new_cluster_all_land(tmp_path: Path):
    home = tmp_path / "home"
    env = dict(os.environ, KUBESIM_HOME=str(home))
    processes = [
        subprocess.Popen([kubesim_binary(), "create", "-f", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env)
        for _ in range(20)
    ]
    results = [p.communicate(SERVICE.format(index=i), timeout=120) for i, p in enumerate(processes)]
    for index, ((out, err), process) in enumerate(zip(results, processes, strict=True)):
        assert process.returncode == 0, err
        assert out == f"service/svc-{index} created\n"
        assert "locked" not in err and err == ""
    listed = subprocess.run([kubesim_binary(), "get", "svc", "-o", "json"], capture_output=True, text=True,
                            env=env, check=True)
    items = json.loads(listed.stdout)["items"]
    created = [item for item in items if item["metadata"]["name"].startswith("svc-")]
    assert sorted(item["metadata"]["name"] for item in created) == sorted(f"svc-{i}" for i in range(20))
    versions = [item["metadata"]["resourceVersion"] for item in created]
    assert len(set(versions)) == 20
    cluster_ips = [item["spec"]["clusterIP"] for item in items]
    assert len(set(cluster_ips)) == len(cluster_ips)
    namespaces = subprocess.run([kubesim_binary(), "get", "ns", "-o", "name"], capture_output=True, text=True,
                                env=env, check=True)
    assert namespaces.stdout == ("namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\n"
                                 "namespace/kube-system\n")
