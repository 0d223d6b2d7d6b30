"""Which ports a pod listens on, and what its apps answer (through the real network and curl)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubesim.runtime.apps import listens_on
from tests.runtime.podlab import DATE, PodLab, pod


@pytest.fixture
def lab(tmp_path: Path) -> PodLab:
    lab = PodLab(tmp_path / "home")
    lab.create(pod("kubia", "luksa/kubia", ports=[8080]),
               pod("asleep", "luksa/kubia", command=["sleep", "9999"]),
               pod("quiet-nginx", "nginx", args=["sleep", "9999"]),
               pod("kubia-args", "luksa/kubia", args=["--verbose"]),
               pod("app", "example.com/team/app:1.0", ports=[8080, 9090]),
               pod("client", "curlimages/curl", command=["sleep", "infinity"]))
    return lab


def test_known_images_listen_where_the_catalogue_says_whatever_the_declared_ports(lab: PodLab):
    kubia = lab.get("kubia")
    assert listens_on(kubia, 8080) and not listens_on(kubia, 80)


def test_overriding_what_starts_the_app_means_nothing_listens(lab: PodLab):
    assert not listens_on(lab.get("asleep"), 8080)  # command replaces node's entrypoint
    assert not listens_on(lab.get("quiet-nginx"), 80)  # args replace nginx's CMD
    assert listens_on(lab.get("kubia-args"), 8080)  # args after node app.js: still kubia


def test_nothing_listening_is_refused(lab: PodLab):
    ran = lab.run("client", "curl", "-sS", f"http://{lab.ip('asleep')}:8080")
    assert ran.err == f"curl: (7) Failed to connect to {lab.ip('asleep')} port 8080 after 0 ms: " \
                      "Could not connect to server\n"


def test_an_unknown_image_answers_on_its_declared_ports_with_a_recognisable_body(lab: PodLab):
    ip = lab.ip("app")
    ran = lab.run("client", "curl", "-si", f"http://{ip}:9090/healthz?x=1")
    body = 'kubesim: pod app answered GET /healthz?x=1 on port 9090 (image "example.com/team/app:1.0" is not in ' \
           'the catalogue)\n'
    assert ran.out == (f"HTTP/1.1 200 OK\r\nDate: {DATE}\r\nContent-Length: {len(body)}\r\n"
                       f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}")
    assert not listens_on(lab.get("app"), 7070)


def test_each_pod_answers_with_its_own_hostname(lab: PodLab):
    assert lab.run("client", "curl", "-s", f"http://{lab.ip('kubia')}:8080").out == "You've hit kubia\n"


def test_coredns_health_and_metrics(lab: PodLab):
    with lab.cluster.api() as api:
        from kubesim.api.registry import kind_named

        coredns = api.list(kind_named("Pod"), "kube-system")[0]
    ip = coredns["status"]["podIP"]
    assert lab.run("client", "curl", "-s", f"http://{ip}:8080/health").out == "OK"
    assert lab.run("client", "curl", "-s", f"http://{ip}:8181/ready").out == "OK"
    metrics = lab.run("client", "curl", "-s", f"http://{ip}:9153/metrics").out
    assert 'coredns_build_info{goversion="go1.23.3",revision="51e11f1",version="1.12.0"} 1\n' in metrics
    missing = lab.run("client", "curl", "-si", f"http://{ip}:8080/nope").out
    assert missing == (f"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\n"
                       f"X-Content-Type-Options: nosniff\r\nDate: {DATE}\r\nContent-Length: 19\r\n\r\n"
                       "404 page not found\n")


def test_exec_into_coredns_finds_no_shell(lab: PodLab):
    from kubesim.api.registry import kind_named
    from kubesim.runtime.commands import ExecError

    with lab.cluster.api() as api:
        name = api.list(kind_named("Pod"), "kube-system")[0]["metadata"]["name"]
    with pytest.raises(ExecError, match='exec: "sh": executable file not found in \\$PATH: unknown'):
        lab.run(name, "sh", namespace="kube-system")
