"""``getent hosts|ahosts``: /etc/hosts first, then DNS, printed as glibc's getent prints them
(address padded to 15 columns). Unknown key: no output, exit 2. dataplane.md §3.4."""

from __future__ import annotations

from kubesim.net import dns
from kubesim.runtime.process import Process
from kubesim.runtime.shell import lookup


def run(proc: Process) -> int:
    args = [a for a in proc.argv[1:] if not a.startswith("-")]
    if not args:
        proc.err("Usage: getent [OPTION...] database [key ...]\nTry `getent --help' or `getent --usage' "
                 "for more information.\n")
        return 1
    database, keys = args[0], args[1:]
    if database not in ("hosts", "ahosts", "ahostsv4"):
        if database in ("passwd", "group", "services", "protocols", "networks"):
            return 2
        proc.err(f"Unknown database: {database}\n")
        return 1
    if not keys:
        if database != "hosts":
            return 0
        proc.out("".join(f"{address:<15} {' '.join(names)}\n" for address, names in lookup.hosts_entries(proc)))
        return 0
    status = 0
    for key in keys:
        found = _find(proc, key, database)
        if found is None:
            status = 2
            continue
        canonical, addresses, aliases = found
        if database == "hosts":
            proc.out("".join(f"{address:<15} {' '.join([canonical, *aliases])}\n" for address in addresses))
        else:
            for address in addresses:
                proc.out(f"{address:<15} STREAM {canonical}\n{address:<15} DGRAM  \n{address:<15} RAW    \n")
    return status


def _find(proc: Process, key: str, database: str) -> tuple[str, list[str], list[str]] | None:
    if lookup.is_ip(key):
        for address, names in lookup.hosts_entries(proc):
            if address == key:
                return names[0], [address], names[1:]
        answer = lookup.query(proc, lookup.reverse_name(key), "PTR")
        if answer.records:
            return answer.records[0].data.rstrip("."), [key], []
        return None
    if database == "hosts":
        hosted6 = lookup.from_hosts(proc, key, family=6)
        if hosted6 is not None:
            return hosted6[1][0], [hosted6[0]], hosted6[1][1:]
    hosted = lookup.from_hosts(proc, key)
    if hosted is not None:
        return hosted[1][0], [hosted[0]], hosted[1][1:]
    try:
        canonical, addresses = lookup.resolve(proc, key)
    except dns.ResolverUnavailable:
        return None
    return (canonical, addresses, []) if addresses else None
