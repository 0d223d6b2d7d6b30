"""Golden outputs of the in-pod tools: text tools on a fake container, DNS and ping tools on
answers shaped like CoreDNS's (dataplane.md §1.4, §3)."""

from __future__ import annotations

import pytest

from kubesim.net import dns
from tests.runtime.fakes import run, sh


def test_text_tools() -> None:
    assert sh("seq 2 4; seq -s, 3").out == "2\n3\n4\n1,2,3\n"
    assert sh("printf '3\\n10\\n2\\n' | sort -n | head -2; echo x | tail -n 1").out == "2\n3\nx\n"
    assert sh("printf 'a b\\nc\\n' | wc").out == "      2       3       6\n"
    assert sh("echo a:b:c | cut -d: -f1,3; echo Hello | tr a-z A-Z; printf 'x\\ny\\n' | grep -n y").out == \
        "a:c\nHELLO\n2:y\n"


def test_gnu_and_busybox_error_texts() -> None:
    assert run(["ls", "/var/ready"], image="luksa/kubia").err == "ls: cannot access /var/ready: No such file or directory\n"
    assert run(["ls", "/var/ready"], image="nginx").err == "ls: cannot access '/var/ready': No such file or directory\n"
    busybox = run(["ls", "/var/ready"], image="busybox")
    assert (busybox.err, busybox.status) == ("ls: /var/ready: No such file or directory\n", 1)
    assert run(["seq", "x"], image="busybox").err == "seq: invalid number 'x'\n"
    assert run(["sleep", "x"], image="nginx").err == "sleep: invalid time interval 'x'\nTry 'sleep --help' for more information.\n"


@pytest.fixture
def coredns(monkeypatch: pytest.MonkeyPatch) -> None:
    """kubia (10.111.249.153) in default; everything else NXDOMAIN, as CoreDNS answers."""
    records = {"kubia.default.svc.cluster.local.": "10.111.249.153"}

    def query(api, name: str, qtype: str = "A") -> dns.Answer:
        fqdn = name.lower().rstrip(".") + "."
        if not fqdn.endswith(".cluster.local."):
            return dns.Answer("NXDOMAIN", authoritative=False)
        if fqdn in records:
            found = [dns.Record(fqdn, "A", records[fqdn])] if qtype in ("A", "ANY") else []
            return dns.Answer("NOERROR", found)
        return dns.Answer("NXDOMAIN")

    monkeypatch.setattr(dns, "query", query)
    monkeypatch.setattr(dns, "cluster_dns_answers", lambda api: True)


def test_nslookup_bind_9_18(coredns: None) -> None:
    result = run(["nslookup", "kubia"], image="tutum/dnsutils")
    assert result.out == ("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tkubia.default.svc.cluster.local\n"
                          "Address: 10.111.249.153\n\n")


def test_nslookup_nxdomain_and_busybox(coredns: None) -> None:
    busybox = run(["nslookup", "kubia"], image="busybox")
    assert busybox.out == ("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
                           "Name:\tkubia.default.svc.cluster.local\nAddress: 10.111.249.153\n\n"
                           "** server can't find kubia.svc.cluster.local: NXDOMAIN\n\n"
                           "** server can't find kubia.cluster.local: NXDOMAIN\n\n\n"
                           "** server can't find kubia.svc.cluster.local: NXDOMAIN\n\n"
                           "** server can't find kubia.cluster.local: NXDOMAIN\n\n")
    assert busybox.status == 1
    missing = run(["nslookup", "foo"], image="tutum/dnsutils")
    assert missing.out.endswith("** server can't find foo: NXDOMAIN\n\n") and missing.status == 1


def test_dig_short_host_getent(coredns: None) -> None:
    assert run(["dig", "+short", "kubia.default.svc.cluster.local"], image="tutum/dnsutils").out == "10.111.249.153\n"
    assert run(["dig", "+short", "kubia"], image="tutum/dnsutils").out == ""
    assert run(["host", "kubia"], image="tutum/dnsutils").out == "kubia.default.svc.cluster.local has address 10.111.249.153\n"
    host = run(["host", "foo"], image="tutum/dnsutils")
    assert (host.out, host.status) == ("Host foo not found: 3(NXDOMAIN)\n", 1)


def test_ping_a_service_ip_loses_everything(coredns: None) -> None:
    result = run(["ping", "-c", "3", "kubia"], image="busybox")
    assert result.out == ("PING kubia (10.111.249.153): 56 data bytes\n\n--- kubia ping statistics ---\n"
                          "3 packets transmitted, 0 packets received, 100% packet loss\n")
    assert result.status == 1
    kubia = run(["ping", "kubia"], image="luksa/kubia")
    assert kubia.out == ("PING kubia.default.svc.cluster.local (10.111.249.153): 56 data bytes\n"
                         "--- kubia.default.svc.cluster.local ping statistics ---\n"
                         "10 packets transmitted, 0 packets received, 100% packet loss\n")
    assert run(["ping", "-c", "1", "nothere"], image="busybox").err == "ping: bad address 'nothere'\n"
