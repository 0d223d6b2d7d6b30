"""``dig``: ``+short`` answers, or the sectioned report with CoreDNS's flags (``aa``, no ``ra``:
``;; WARNING: recursion requested but not available``). No search list unless ``+search``.
Layout: dataplane.md §3.4 (bind 9.18 lab transcript); bind 9.9 omits the mDNS warning and the
transport after SERVER."""

from __future__ import annotations

from datetime import UTC, datetime

from kubesim.net import dns
from kubesim.runtime.process import Process
from kubesim.runtime.shell import lookup
from kubesim.runtime.shell.image_facts import bind_version

TYPES = {"A", "AAAA", "SRV", "PTR", "CNAME", "TXT", "SOA", "NS", "MX", "ANY"}


def run(proc: Process) -> int:
    short = search = False
    qtype = "A"
    name = None
    args = proc.argv[1:]
    while args:
        arg = args.pop(0)
        if arg.startswith("@"):
            continue
        if arg in ("+short",):
            short = True
        elif arg == "+search":
            search = True
        elif arg.startswith("+"):
            continue
        elif arg == "-t" and args:
            qtype = args.pop(0).upper()
        elif arg == "-x" and args:
            name, qtype = lookup.reverse_name(args.pop(0)), "PTR"
        elif arg.upper() in TYPES and name is not None:
            qtype = arg.upper()
        elif arg.upper() in TYPES and name is None and arg.upper() not in ("A",):
            qtype = arg.upper()
        elif name is None:
            name = arg
    if name is None:
        name = "."
        qtype = "NS"
    if lookup.dns_down(proc):
        proc.out(";; connection timed out; no servers could be reached\n")
        return 9
    queried = name.rstrip(".")
    answer = lookup.query(proc, queried, qtype) if queried else dns.Answer("NOERROR", authoritative=False)
    if search and not name.endswith("."):
        for candidate in lookup.candidates(proc, name):
            answer = lookup.query(proc, candidate, qtype)
            queried = candidate
            if answer.rcode == "NOERROR" and answer.records:
                break
    if short:
        proc.out("".join(_short(record) + "\n" for record in answer.records))
        return 0
    proc.out(_report(proc, " ".join(proc.argv[1:]), queried, qtype, answer))
    return 0


def _short(record: dns.Record) -> str:
    if record.type == "SRV":
        return f"{record.priority} {record.weight} {record.port} {record.data}"
    return record.data


def _columns(fields: list[tuple[str, int]]) -> str:
    """bind's master-file layout: each field padded with tabs to its column, or one space."""
    out = ""
    for text, column in fields:
        out += text
        if column:
            if len(out.expandtabs()) < column:
                while len(out.expandtabs()) < column:
                    out += "\t"
            else:
                out += " "
    return out


def _rdata(record: dns.Record) -> str:
    if record.type == "SRV":
        return f"{record.priority} {record.weight} {record.port} {record.data}"
    return record.data


def _wire_length(name: str) -> int:
    labels = [label for label in name.rstrip(".").split(".") if label]
    return sum(len(label) + 1 for label in labels) + 1


def _report(proc: Process, arguments: str, name: str, qtype: str, answer: dns.Answer) -> str:
    version = bind_version(proc.image)
    modern = not version.startswith("9.9")
    server = lookup.nameserver(proc)
    fqdn = name.rstrip(".") + "." if name.strip(".") else "."
    authority: list[str] = []
    if answer.rcode == "NXDOMAIN" and answer.authoritative:
        soa = f"{dns.SOA} {int(proc.api.now.timestamp()) if proc.api is not None else 0} 7200 1800 86400 30"
        authority.append(_columns([(f"{dns.ZONE}.", 24), (str(dns.TTL), 32), ("IN", 40), ("SOA", 48), (soa, 0)]))
    flags = "qr aa rd" if answer.authoritative else "qr rd ra"
    random = getattr(proc.api, "random", None)
    ident = random.randrange(65536) if random is not None else 4242
    lines = ["", f"; <<>> DiG {version} <<>> {arguments}", ";; global options: +cmd", ";; Got answer:"]
    if modern and fqdn.endswith(".local."):
        lines += [";; WARNING: .local is reserved for Multicast DNS",
                  ";; You are currently testing what happens when an mDNS query is leaked to DNS"]
    lines += [f";; ->>HEADER<<- opcode: QUERY, status: {answer.rcode}, id: {ident}",
              f";; flags: {flags}; QUERY: 1, ANSWER: {len(answer.records)}, AUTHORITY: {len(authority)}, ADDITIONAL: 0"]
    if answer.authoritative:
        lines.append(";; WARNING: recursion requested but not available")
    lines += ["", ";; QUESTION SECTION:", _columns([(";" + fqdn, 24), ("IN", 40), (qtype, 0)]), ""]
    size = 12 + _wire_length(fqdn) + 4
    if answer.records:
        lines.append(";; ANSWER SECTION:")
        for record in answer.records:
            lines.append(_columns([(record.name, 24), (str(record.ttl), 32), ("IN", 40), (record.type, 48),
                                   (_rdata(record), 0)]))
            size += _wire_length(record.name) + 10 + (4 if record.type == "A" else _wire_length(record.data) + (
                6 if record.type == "SRV" else 0))
        lines.append("")
    if authority:
        lines.append(";; AUTHORITY SECTION:")
        lines.extend(authority)
        lines.append("")
        size += _wire_length(dns.ZONE) + 10 + _wire_length(f"ns.dns.{dns.ZONE}") + _wire_length(
            f"hostmaster.{dns.ZONE}") + 20
    now = proc.api.now if proc.api is not None else datetime.now(UTC)
    when = now.astimezone(UTC).strftime("%a %b %d %H:%M:%S UTC %Y")
    lines += [";; Query time: 0 msec", f";; SERVER: {server}#53({server})" + (" (UDP)" if modern else ""),
              f";; WHEN: {when}", f";; MSG SIZE  rcvd: {size}", "", ""]
    return "\n".join(lines)
