"""The image catalogue: lookup by reference, inheritance, and that each image ships only what it really does."""

from __future__ import annotations

import importlib.util

import pytest

from kubesim.runtime.commands import find_tool, tool_named
from kubesim.runtime.images import catalogue_keys, lookup, normalise

# Every tool the catalogue may list: the ones kubesim simulates (this list is the brief's).
SIMULATED_TOOLS = {"sh", "bash", "echo", "printf", "cat", "ls", "touch", "rm", "mkdir", "grep", "head", "tail", "wc",
                   "sort", "uniq", "cut", "tr", "seq", "sleep", "env", "printenv", "hostname", "which", "curl", "wget",
                   "nslookup", "dig", "host", "getent", "ping", "true", "false"}


@pytest.mark.parametrize(("reference", "expected"), [
    ("nginx", ("nginx", "latest")), ("nginx:1.27", ("nginx", "1.27")), ("docker.io/library/nginx", ("nginx", "latest")),
    ("docker.io/luksa/kubia:latest", ("luksa/kubia", "latest")), ("luksa/kubia@sha256:abc", ("luksa/kubia", "")),
    ("registry.k8s.io/coredns/coredns:v1.12.0", ("registry.k8s.io/coredns/coredns", "v1.12.0")),
    ("localhost:5000/app", ("localhost:5000/app", "latest")),
])
def test_references_normalise_as_the_runtime_reads_them(reference, expected):
    assert normalise(reference) == expected


@pytest.mark.parametrize(("reference", "key"), [
    ("luksa/kubia", "luksa/kubia"), ("luksa/kubia:latest", "luksa/kubia"), ("luksa/kubia:v2", "luksa/kubia"),
    ("docker.io/luksa/kubia", "luksa/kubia"), ("nginx:1.25", "nginx"), ("nginx:alpine", "nginx:*alpine*"),
    ("nginx:1.29-alpine", "nginx:*alpine*"), ("registry.k8s.io/coredns/coredns:v1.12.0",
                                              "registry.k8s.io/coredns/coredns:v1.12.0"),
    ("registry.k8s.io/coredns/coredns:v1.11.3", "registry.k8s.io/coredns/coredns:*"),
    ("example.com/team/app:1.0", ""),
])
def test_lookup_finds_the_entry_or_none(reference, key):
    assert lookup(reference).key == key


def test_every_catalogued_tool_is_one_kubesim_simulates():
    for key in catalogue_keys():
        image = lookup(key.replace("*", "x"))
        assert set(image.tools) <= SIMULATED_TOOLS, (key, set(image.tools) - SIMULATED_TOOLS)


def test_every_catalogued_tool_has_its_module():
    listed = set(lookup("example.com/unknown").tools)
    for key in catalogue_keys():
        listed |= set(lookup(key.replace("*", "x")).tools)
    assert {name for name in listed if importlib.util.find_spec(f"kubesim.runtime.tools.{name}") is None} == set()


def test_kubia_is_node_7_on_jessie():
    image = lookup("luksa/kubia")
    assert (image.shell, image.userland, image.curl_version) == ("dash", "gnu", "7.38.0")
    assert image.os_name == "Debian GNU/Linux 8 (jessie)"
    assert image.versions["ping"].startswith("inetutils") and image.versions["wget"] == "1.16"
    assert dict(image.env) == {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                               "NPM_CONFIG_LOGLEVEL": "info", "NODE_VERSION": "7.10.1", "YARN_VERSION": "0.24.4"}
    assert {"bash", "curl", "wget", "ping", "getent"} <= set(image.tools)
    assert not {"nslookup", "dig", "host"} & set(image.tools)
    assert image.serves[8080].app == "kubia"


def test_what_each_image_ships():
    assert set(lookup("busybox").tools) == {"sh", "echo", "printf", "cat", "ls", "touch", "rm", "mkdir", "grep",
                                            "head", "tail", "wc", "sort", "uniq", "cut", "tr", "seq", "sleep", "env",
                                            "printenv", "hostname", "which", "wget", "nslookup", "ping", "true",
                                            "false"}
    assert "getent" in lookup("alpine").tools and "curl" not in lookup("alpine").tools
    nginx = lookup("nginx")
    assert "curl" in nginx.tools and not {"wget", "ping", "nslookup"} & set(nginx.tools)
    assert nginx.curl_version == "7.88.1" and nginx.serves[80].app == "nginx"
    dnsutils = lookup("tutum/dnsutils")
    assert {"nslookup", "dig", "host"} <= set(dnsutils.tools) and "curl" not in dnsutils.tools
    assert lookup("curlimages/curl").user["name"] == "curl_user"
    assert lookup("registry.k8s.io/coredns/coredns:v1.12.0").tools == {}


def test_shell_flavours_decide_not_found_messages():
    assert [lookup(r).shell for r in ("luksa/kubia", "nginx", "tutum/dnsutils", "busybox", "alpine")] == \
        ["dash", "dash", "dash", "busybox-ash", "busybox-ash"]
    assert lookup("registry.k8s.io/coredns/coredns:v1.12.0").shell is None


def test_an_unknown_image_gets_a_busybox_toolset():
    image = lookup("example.com/team/app:1.0")
    assert not image.known and image.shell == "busybox-ash" and "wget" in image.tools and "curl" not in image.tools


def test_tools_are_found_by_name_along_path_or_by_path():
    kubia = lookup("luksa/kubia")
    assert tool_named(kubia, "curl") == "curl"
    assert tool_named(kubia, "/usr/bin/curl") == "curl"
    assert tool_named(kubia, "/bin/sh") == "sh" and tool_named(kubia, "dash") == "sh"
    assert tool_named(kubia, "/bin/curl") is None
    assert tool_named(kubia, "nslookup") is None
    assert tool_named(kubia, "curl", path="/nowhere") is None
    bookworm = lookup("nginx")
    assert tool_named(bookworm, "/bin/curl") == "curl"  # /bin is a symlink to /usr/bin there
    assert find_tool(kubia, "curl") is not None and find_tool(kubia, "dig") is None
