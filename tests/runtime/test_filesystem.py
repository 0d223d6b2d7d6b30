"""A container's filesystem: image files, the kubelet's mounts, and the writable layer in the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubesim.api.registry import kind_named
from kubesim.runtime.filesystem import ContainerFileSystem, hosts_file
from kubesim.runtime.images import lookup
from tests.runtime.podlab import PodLab, pod


@pytest.fixture
def lab(tmp_path: Path) -> PodLab:
    lab = PodLab(tmp_path / "home")
    lab.create(pod("kubia-7nog1", "luksa/kubia", {"app": "kubia"}, [8080]),
               pod("web-0", "nginx", hostname="web-0", subdomain="nginx"),
               pod("curl", "curlimages/curl", command=["sleep", "infinity"]))
    return lab


def filesystem(lab: PodLab, api, name: str) -> ContainerFileSystem:
    target = api.get(kind_named("Pod"), "default", name)
    container = target["spec"]["containers"][0]
    return ContainerFileSystem(api, target, container, lookup(container["image"]))


def test_kubelet_hosts_file_is_exact(lab: PodLab):
    ip = lab.ip("kubia-7nog1")
    with lab.cluster.api() as api:
        assert filesystem(lab, api, "kubia-7nog1").read("/etc/hosts").decode() == (
            "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
            "fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n"
            f"{ip}\tkubia-7nog1\n")


def test_hostname_and_subdomain_give_the_fqdn_line(lab: PodLab):
    assert hosts_file(lab.get("web-0")).endswith(f"{lab.ip('web-0')}\tweb-0.nginx.default.svc.cluster.local\tweb-0\n")


def test_resolv_conf_is_what_containerd_writes(lab: PodLab):
    with lab.cluster.api() as api:
        assert filesystem(lab, api, "kubia-7nog1").read("/etc/resolv.conf").decode() == (
            "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\n"
            "options ndots:5\n")


def test_image_files_and_directories_are_there(lab: PodLab):
    with lab.cluster.api() as api:
        fs = filesystem(lab, api, "kubia-7nog1")
        assert fs.read("/etc/os-release").decode().startswith('PRETTY_NAME="Debian GNU/Linux 8 (jessie)"\n')
        assert {"app.js", "bin", "etc", "tmp", "usr", "var"} <= set(fs.list_dir("/"))
        assert "curl" in fs.list_dir("/usr/bin") and fs.is_dir("/usr/bin")
        assert fs.stat("/tmp")["mode"] == 0o1777
        assert fs.read("/var/run/secrets/kubernetes.io/serviceaccount/namespace") == b"default"
        with pytest.raises(IsADirectoryError):
            fs.read("/etc")
        with pytest.raises(FileNotFoundError):
            fs.read("/nope")
        with pytest.raises(NotADirectoryError):
            fs.read("/etc/hosts/x")


def test_writes_survive_between_transactions_and_deletions_are_whiteouts(lab: PodLab):
    with lab.cluster.api(write=True) as api:
        fs = filesystem(lab, api, "kubia-7nog1")
        fs.mkdir("/var/ready")
        fs.write("/tmp/note", b"one\n")
        fs.write("/tmp/note", b"two\n", append=True)
        fs.remove("/etc/os-release")
    with lab.cluster.api() as api:
        fs = filesystem(lab, api, "kubia-7nog1")
        assert fs.read("/tmp/note") == b"one\ntwo\n"
        assert fs.is_dir("/var/ready")
        assert not fs.exists("/etc/os-release") and "os-release" not in fs.list_dir("/etc")
    with lab.cluster.api() as api:
        other = filesystem(lab, api, "web-0")
        assert not other.exists("/tmp/note") and other.exists("/etc/os-release")


def test_a_directory_recreated_after_removal_hides_the_images_children(lab: PodLab):
    with lab.cluster.api(write=True) as api:
        fs = filesystem(lab, api, "web-0")
        fs.remove("/usr/share/nginx/html", recursive=True)
        fs.mkdir("/usr/share/nginx/html")
        assert fs.list_dir("/usr/share/nginx/html") == []
        fs.write("/usr/share/nginx/html/index.html", b"mine\n")
        assert fs.list_dir("/usr/share/nginx/html") == ["index.html"]


def test_errors_match_the_kernels(lab: PodLab):
    with lab.cluster.api(write=True) as api:
        fs = filesystem(lab, api, "kubia-7nog1")
        with pytest.raises(FileNotFoundError):
            fs.write("/no/such/dir/file", b"x")
        with pytest.raises(FileExistsError):
            fs.mkdir("/etc")
        with pytest.raises(IsADirectoryError):
            fs.remove("/etc")
        with pytest.raises(OSError, match="busy"):
            fs.remove("/etc/hosts")
        fs.mkdir("/a/b/c", parents=True)
        assert fs.is_dir("/a/b")


def test_merged_usr_paths_are_one_directory(lab: PodLab):
    with lab.cluster.api(write=True) as api:
        fs = filesystem(lab, api, "web-0")
        assert fs.exists("/bin/curl") and fs.list_dir("/bin") == fs.list_dir("/usr/bin")
        fs.write("/bin/tool-note", b"x")
        assert fs.read("/usr/bin/tool-note") == b"x"


def test_a_non_root_user_writes_only_home_and_tmp(lab: PodLab):
    with lab.cluster.api(write=True) as api:
        fs = filesystem(lab, api, "curl")
        fs.write("/home/curl_user/ok", b"1")
        fs.write("/tmp/ok", b"1")
        with pytest.raises(PermissionError):
            fs.write("/etc/passwd", b"evil")
        with pytest.raises(PermissionError):
            fs.list_dir("/root")


def test_the_layer_goes_with_the_pod(lab: PodLab):
    with lab.cluster.api(write=True) as api:
        filesystem(lab, api, "kubia-7nog1").write("/tmp/x", b"1")
        uid = api.get(kind_named("Pod"), "default", "kubia-7nog1")["metadata"]["uid"]
        assert api.tx.file(f"{uid}/kubia", "/tmp/x") is not None
    with lab.cluster.api(write=True) as api:
        api.delete(kind_named("Pod"), "default", "kubia-7nog1")
    with lab.cluster.api() as api:
        assert api.tx.file(f"{uid}/kubia", "/tmp/x") is None
