"""``hostname``: the pod's host name and what /etc/hosts says about it (Debian's hostname or busybox).

``-i`` resolves the name through /etc/hosts (the kubelet's entry gives the pod IP), ``-f`` prints the
canonical name from that entry (the FQDN only when the pod sets ``subdomain``), ``-I`` lists the
pod's interface addresses. A container may not set the host name.
"""

from __future__ import annotations

from kubesim.runtime.process import Process
from kubesim.runtime.tools import _busybox

GNU_LONG = {"--short": "s", "--ip-address": "i", "--all-ip-addresses": "I", "--fqdn": "f", "--long": "f",
            "--domain": "d", "--all-fqdns": "A"}
GNU_USAGE = ("Usage: hostname [-b] {hostname|-F file}         set host name (from file)\n"
             "       hostname [-a|-A|-d|-f|-i|-I|-s|-y]       display formatted name\n"
             "       hostname                                 display host name\n\n"
             "       {yp,nis,}domainname {nisdomain|-F file}  set NIS domain name (from file)\n"
             "       {yp,nis,}domainname                      display NIS domain name\n\n"
             "       dnsdomainname                            display dns domain name\n\n"
             "       hostname -V|--version|-h|--help          print info and exit\n\n"
             "Program name:\n       {yp,nis,}domainname=hostname -y\n       dnsdomainname=hostname -d\n\n"
             "Program options:\n    -a, --alias            alias names\n"
             "    -A, --all-fqdns        all long host names (FQDNs)\n    -b, --boot             set default hostname if none available\n"
             "    -d, --domain           DNS domain name\n    -f, --fqdn, --long     long host name (FQDN)\n"
             "    -F, --file             read host name or NIS domain name from given file\n"
             "    -i, --ip-address       addresses for the host name\n"
             "    -I, --all-ip-addresses all addresses for the host\n    -s, --short            short host name\n"
             "    -y, --yp, --nis        NIS/YP domain name\n\n"
             "Description:\n   This command can get or set the host name or the NIS domain name. You can\n"
             "   also get the DNS domain or the FQDN (fully qualified domain name).\n"
             "   Unless you are using bind or NIS for host lookups you can change the\n"
             "   FQDN (Fully Qualified Domain Name) and the DNS domain name (which is\n"
             "   part of the FQDN) in the /etc/hosts file.\n")


def run(proc: Process) -> int:
    if _busybox.help_requested(proc, "hostname"):
        return 0
    gnu = getattr(proc.image, "userland", None) == "gnu"
    modes: list[str] = []
    operands: list[str] = []
    for arg in proc.argv[1:]:
        if gnu and arg in GNU_LONG:
            modes.append(GNU_LONG[arg])
        elif gnu and arg in ("-V", "--version"):
            version = (getattr(proc.image, "versions", None) or {}).get("hostname", "3.23")
            proc.out(f"hostname {version}\n")
            return 0
        elif gnu and arg in ("-h", "--help"):
            proc.out(GNU_USAGE)
            return 0
        elif arg.startswith("-") and len(arg) > 1:
            allowed = "sifdIAa" if gnu else "sidf"
            for letter in arg[1:]:
                if letter not in allowed:
                    if gnu:
                        proc.err(f"hostname: invalid option -- '{letter}'\n" + GNU_USAGE)
                        return 1
                    return _busybox.usage_error(proc, "hostname", f"invalid option -- '{letter}'")
                modes.append(letter)
        else:
            operands.append(arg)
    if operands:
        if gnu:
            proc.err("hostname: you must be root to change the host name\n")
        else:
            proc.err("hostname: sethostname: Operation not permitted\n")
        return 1
    name = proc.hostname
    mode = modes[-1] if modes else ""
    entry = _hosts_entry(proc, name)
    canonical = entry[1][0] if entry else name
    if mode == "":
        proc.out(name + "\n")
    elif mode == "s":
        proc.out(name.split(".", 1)[0] + "\n")
    elif mode == "i":
        if entry is None:
            proc.err("hostname: Name or service not known\n" if gnu else f"hostname: {name}: Unknown host\n")
            return 1
        proc.out(entry[0] + ("\n" if gnu else " \n"))
    elif mode == "I":
        ip = (proc.pod.get("status") or {}).get("podIP", "")
        proc.out((ip + " " if ip else "") + "\n")
    elif mode in ("f", "A"):
        proc.out(canonical + ("\n" if mode == "f" else " \n"))
    elif mode == "d":
        proc.out((canonical.split(".", 1)[1] if "." in canonical else "") + "\n")
    elif mode == "a":
        proc.out(" ".join(entry[1][1:]) + "\n" if entry else "\n")
    return 0


def _hosts_entry(proc: Process, name: str) -> tuple[str, list[str]] | None:
    """(address, names) of the first /etc/hosts line naming the host, as the resolver reads the file."""
    try:
        text = proc.fs.read("/etc/hosts").decode("utf-8", "replace")
    except OSError:
        return None
    for line in text.splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) >= 2 and name in fields[1:] and ":" not in fields[0]:
            return fields[0], fields[1:]
    return None
