"""``host`` (bind): ``NAME has address IP`` per A record, ``is an alias for`` per CNAME,
``Host NAME not found: 3(NXDOMAIN)`` (exit 1); an address gets its PTR. dataplane.md §3.4."""

from __future__ import annotations

from kubesim.runtime.process import Process
from kubesim.runtime.shell import lookup


def run(proc: Process) -> int:
    operands = [a for a in proc.argv[1:] if not a.startswith("-")]
    if not operands:
        proc.err("Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n"
                 "            [-R number] [-m flag] [-p port] hostname [server]\n")
        return 1
    name = operands[0]
    if lookup.dns_down(proc):
        proc.out(";; connection timed out; no servers could be reached\n")
        return 1
    if lookup.is_ip(name):
        reverse = lookup.reverse_name(name)
        answer = lookup.query(proc, reverse, "PTR")
        if answer.rcode == "NOERROR" and answer.records:
            proc.out("".join(f"{reverse} domain name pointer {r.data}\n" for r in answer.records))
            return 0
        proc.out(f"Host {reverse}. not found: 3(NXDOMAIN)\n")
        return 1
    for candidate in lookup.candidates(proc, name):
        answer = lookup.query(proc, candidate)
        if answer.rcode != "NOERROR" or not answer.records:
            continue
        out = []
        owner = candidate
        for _ in range(8):
            cname = next((r for r in answer.records if r.type == "CNAME"), None)
            out.extend(f"{owner} has address {r.data}\n" for r in answer.records if r.type == "A")
            if cname is None:
                break
            out.append(f"{owner} is an alias for {cname.data}\n")
            owner = cname.data.rstrip(".")
            answer = lookup.query(proc, cname.data)
            if answer.rcode != "NOERROR":
                break
        proc.out("".join(out))
        return 0
    proc.out(f"Host {name} not found: 3(NXDOMAIN)\n")
    return 1
