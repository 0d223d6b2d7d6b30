"""``ping`` in the iputils, inetutils (KiA1's kubia image) and busybox forms (dataplane.md §1.4).

Pods, nodes and the pod itself answer; a service's cluster IP is virtual (iptables only
DNATs TCP/UDP to its ports), so its pings go unanswered: 100% packet loss, exit 1. Without
``-c`` a real ping runs until ^C: kubesim sends 10 packets and then prints what ping prints
when interrupted (``^C`` is shown only on a terminal, where the tty would echo it). The
seconds the pings take are added to the exec's simulated time, not waited for.
"""

from __future__ import annotations

import math
import random as _random

from kubesim.api.registry import kind_named
from kubesim.net import dns
from kubesim.runtime.process import Process
from kubesim.runtime.shell import lookup
from kubesim.runtime.shell import session as sessions
from kubesim.runtime.shell.image_facts import ping_flavour

INTERRUPTED_AFTER = 10


def run(proc: Process) -> int:
    flavour = ping_flavour(proc.image)
    count: int | None = None
    quiet = False
    args = proc.argv[1:]
    target = None
    while args:
        arg = args.pop(0)
        if arg in ("-c", "-i", "-W", "-w", "-s", "-t", "-I") and args:
            value = args.pop(0)
            if arg == "-c":
                if not value.isdigit() or int(value) == 0:
                    proc.err(f"ping: invalid argument: '{value}'\n" if flavour == "iputils" else
                             f"ping: invalid number '{value}'\n")
                    return 1 if flavour != "iputils" else 2
                count = int(value)
        elif arg.startswith("-c") and arg[2:].isdigit():
            count = int(arg[2:])
        elif arg == "-q":
            quiet = True
        elif arg.startswith("-"):
            continue
        else:
            target = arg
    if target is None:
        if flavour == "iputils":
            proc.err("ping: usage error: Destination address required\n")
            return 1
        if flavour == "inetutils":
            proc.err("ping: missing host operand\nTry 'ping --help' or 'ping --usage' for more information.\n")
            return 64
        proc.err("BusyBox v1.37.0 multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n")
        return 1
    try:
        canonical, addresses = lookup.resolve(proc, target)
    except dns.ResolverUnavailable:
        return _unresolved(proc, flavour, target, temporary=True)
    if not addresses:
        return _unresolved(proc, flavour, target, temporary=False)
    address = addresses[0]
    interrupted = count is None
    sent = INTERRUPTED_AFTER if interrupted else count
    ttl = _answers(proc, address)
    rng = proc.api.random if proc.api is not None and hasattr(proc.api, "random") else _random.Random(address)
    times = [round(rng.uniform(0.030, 0.300), 3) for _ in range(sent)] if ttl else []
    shown = target if flavour == "busybox" else (address if lookup.is_ip(target) else canonical)
    out = []
    if flavour == "iputils":
        out.append(f"PING {shown} ({address}) 56(84) bytes of data.\n")
    else:
        out.append(f"PING {shown} ({address}): 56 data bytes\n")
    if not quiet:
        for index, elapsed in enumerate(times):
            if flavour == "iputils":
                out.append(f"64 bytes from {address}: icmp_seq={index + 1} ttl={ttl} time={elapsed:.3f} ms\n")
            elif flavour == "inetutils":
                out.append(f"64 bytes from {address}: icmp_seq={index} ttl={ttl} time={elapsed:.3f} ms\n")
            else:
                out.append(f"64 bytes from {address}: seq={index} ttl={ttl} time={elapsed:.3f} ms\n")
    if interrupted and proc.stdout_is_tty:
        out.append("^C")
    received = len(times)
    loss = 0 if received == sent else round(100 * (sent - received) / sent)
    label = shown if flavour != "iputils" else (address if lookup.is_ip(target) else canonical)
    if flavour == "inetutils":
        out.append(f"--- {label} ping statistics ---\n")
        out.append(f"{sent} packets transmitted, {received} packets received, {loss}% packet loss\n")
    else:
        out.append(f"\n--- {label} ping statistics ---\n")
        if flavour == "iputils":
            duration = (sent - 1) * 1000 + rng.randrange(20, 40)
            out.append(f"{sent} packets transmitted, {received} received, {loss}% packet loss, time {duration}ms\n")
        else:
            out.append(f"{sent} packets transmitted, {received} packets received, {loss}% packet loss\n")
    if times:
        low, high = min(times), max(times)
        mean = sum(times) / len(times)
        deviation = math.sqrt(max(0.0, sum(t * t for t in times) / len(times) - mean * mean))
        if flavour == "iputils":
            out.append(f"rtt min/avg/max/mdev = {low:.3f}/{mean:.3f}/{high:.3f}/{deviation:.3f} ms\n")
        elif flavour == "inetutils":
            out.append(f"round-trip min/avg/max/stddev = {low:.3f}/{mean:.3f}/{high:.3f}/{deviation:.3f} ms\n")
        else:
            out.append(f"round-trip min/avg/max = {low:.3f}/{mean:.3f}/{high:.3f} ms\n")
    elif flavour == "iputils":
        out.append("\n")
    proc.out("".join(out))
    sessions.current().sleep(float(sent))
    return 0 if received else 1


def _unresolved(proc: Process, flavour: str, target: str, temporary: bool) -> int:
    if flavour == "iputils":
        reason = "Temporary failure in name resolution" if temporary else "Name or service not known"
        proc.err(f"ping: {target}: {reason}\n")
        return 2
    if flavour == "inetutils":
        proc.err("ping: unknown host\n")
        return 1
    proc.err(f"ping: bad address '{target}'\n")
    return 1


def _answers(proc: Process, address: str) -> int | None:
    """The TTL a reply arrives with, or None when nothing answers ICMP at that address."""
    if address.startswith("127."):
        return 64
    own = (proc.pod.get("status") or {}).get("podIP")
    if address == own:
        return 64
    api = proc.api
    if api is None:
        return None
    owner = api.tx.owner_of("pod-ip", address)
    if owner is not None:
        _, namespace, name = owner.split("/", 2)
        pod = api.find(kind_named("Pod"), namespace, name)
        if pod is None:
            return None
        same_node = (pod.get("spec") or {}).get("nodeName") == (proc.pod.get("spec") or {}).get("nodeName")
        return 64 if same_node else 63
    for node in api.list(kind_named("Node")):
        for entry in (node.get("status") or {}).get("addresses") or []:
            if entry.get("address") == address:
                return 64
    return None
