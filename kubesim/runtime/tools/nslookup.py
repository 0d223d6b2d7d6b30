"""``nslookup`` in the three flavours pods ship: bind 9.18 (Debian's dnsutils: one
``;; Got recursion not available`` line per answer CoreDNS gives without ``ra``), bind 9.9
(tutum/dnsutils: none) and busybox (every search domain, A then AAAA, exit 1 on any NXDOMAIN).
Texts: dataplane.md §3.2-3.3 (lab transcripts)."""

from __future__ import annotations

from kubesim.runtime.process import Process
from kubesim.runtime.shell import lookup
from kubesim.runtime.shell.image_facts import nslookup_flavour


def run(proc: Process) -> int:
    qtype = "A"
    operands: list[str] = []
    for arg in proc.argv[1:]:
        if arg.startswith("-") and "=" in arg:
            key, value = arg[1:].split("=", 1)
            if key in ("type", "query", "querytype", "q", "t"):
                qtype = value.upper()
        elif not arg.startswith("-"):
            operands.append(arg)
    if not operands:
        proc.err("Usage: nslookup [-opt] NAME [DNS]\n" if nslookup_flavour(proc.image) == "busybox" else
                 "nslookup: interactive mode is not supported by kubesim; give a name\n")
        return 1
    name = operands[0]
    server = lookup.nameserver(proc)
    if lookup.dns_down(proc):
        proc.out(";; connection timed out; no servers could be reached\n\n" if nslookup_flavour(proc.image) != "busybox"
                 else "")
        if nslookup_flavour(proc.image) == "busybox":
            proc.err("nslookup: read: Connection refused\n;; connection timed out; no servers could be reached\n")
        return 1
    if nslookup_flavour(proc.image) == "busybox":
        return _busybox(proc, name, server, qtype)
    return _bind(proc, name, server, qtype, chatty=nslookup_flavour(proc.image) == "bind-9.18",
                 explicit_type=any(a.startswith("-") for a in proc.argv[1:]))


def _bind(proc: Process, name: str, server: str, qtype: str, chatty: bool, explicit_type: bool) -> int:
    recursion = f";; Got recursion not available from {server}\n"
    header = f"Server:\t\t{server}\nAddress:\t{server}#53\n\n"
    if lookup.is_ip(name):
        reverse = lookup.reverse_name(name)
        answer = lookup.query(proc, reverse, "PTR")
        lead = recursion if chatty and answer.authoritative else ""
        if answer.rcode == "NOERROR" and answer.records:
            body = "".join(f"{reverse}\tname = {r.data}\n" for r in answer.records)
            proc.out(lead + header + body + "\n")
            return 0
        proc.out(lead + header + f"** server can't find {reverse}: NXDOMAIN\n\n")
        return 1
    wanted = qtype if qtype in ("A", "AAAA", "SRV", "CNAME", "PTR", "TXT", "ANY") else "A"
    lead = ""
    hit = None
    last_rcode = "NXDOMAIN"
    for candidate in lookup.candidates(proc, name):
        answer = lookup.query(proc, candidate, wanted)
        if chatty and answer.authoritative:
            lead += recursion
        last_rcode = answer.rcode
        if answer.rcode == "NOERROR" and answer.records:
            hit = (candidate, answer)
            break
    if hit is None:
        if last_rcode == "NOERROR":
            proc.out(lead + header + f"*** Can't find {name}: No answer\n\n")
            return 1
        proc.out(lead + header + f"** server can't find {name}: NXDOMAIN\n\n")
        return 1
    fqdn, answer = hit
    body = []
    if not answer.authoritative:
        body.append("Non-authoritative answer:\n")
    for record in answer.records:
        if record.type == "CNAME":
            body.append(f"{fqdn}\tcanonical name = {record.data}\n")
            target = lookup.query(proc, record.data, "A")
            for address in target.records:
                if address.type == "A":
                    body.append(f"Name:\t{record.data.rstrip('.')}\nAddress: {address.data}\n")
        elif record.type == "SRV":
            body.append(f"{fqdn}\tservice = {record.priority} {record.weight} {record.port} {record.data}\n")
        elif record.type == "TXT":
            body.append(f"{fqdn}\ttext = {record.data}\n")
        else:
            body.append(f"Name:\t{fqdn}\nAddress: {record.data}\n")
    trailer = ""
    if chatty and not explicit_type and wanted == "A":
        aaaa = lookup.query(proc, fqdn, "AAAA")
        if aaaa.authoritative:
            trailer = recursion
    proc.out(lead + header + "".join(body) + trailer + "\n")
    return 0


def _busybox(proc: Process, name: str, server: str, qtype: str) -> int:
    out = [f"Server:\t\t{server}\nAddress:\t{server}:53\n\n"]
    if lookup.is_ip(name):
        reverse = lookup.reverse_name(name)
        answer = lookup.query(proc, reverse, "PTR")
        if answer.rcode == "NOERROR" and answer.records:
            out.extend(f"{reverse}\tname = {r.data.rstrip('.')}\n" for r in answer.records)
            proc.out("".join(out) + "\n")
            return 0
        proc.out("".join(out) + f"** server can't find {reverse}: NXDOMAIN\n\n")
        return 1
    if "." in name.rstrip("."):
        queries = [name.rstrip(".")]
    else:
        queries = [f"{name}.{domain}" for domain in lookup.conf(proc).search] or [name]
    failed = False
    types = [qtype] if qtype != "A" else ["A", "AAAA"]
    for kind in types:
        for query_name in queries:
            answer = lookup.query(proc, query_name, kind)
            if answer.rcode == "NXDOMAIN":
                out.append(f"** server can't find {query_name}: NXDOMAIN\n\n")
                failed = True
                continue
            records = [r for r in answer.records if r.type in (kind, "CNAME")]
            for record in records:
                if record.type == "CNAME":
                    out.append(f"{query_name}\tcanonical name = {record.data.rstrip('.')}\n")
                else:
                    out.append(f"Name:\t{query_name}\nAddress: {record.data}\n")
            out.append("\n")
    proc.out("".join(out))
    return 1 if failed else 0
