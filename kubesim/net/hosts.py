"""The hosts file of the user's machine (``/etc/hosts`` for ``kubesim curl``), kept in the cluster's state.

The book makes ``kubia.example.com`` reach the Ingress controller by adding a line to /etc/hosts;
``kubesim hosts add 192.168.49.2 kubia.example.com`` adds the same line here. The machine's resolver
reads it before public DNS, as glibc's ``hosts: files dns`` does. Pods do not see it: they ask the
cluster's DNS.
"""

from __future__ import annotations

import json

HOSTS_KEY = "workstationHosts"


def entries(tx) -> list[tuple[str, list[str]]]:
    raw = tx.meta(HOSTS_KEY)
    return [(ip, list(names)) for ip, names in json.loads(raw)] if raw else []


def save(tx, found: list[tuple[str, list[str]]]) -> None:
    if found:
        tx.set_meta(HOSTS_KEY, json.dumps(found, separators=(",", ":")))
    else:
        tx.delete_meta(HOSTS_KEY)


def lookup(tx, name: str) -> str | None:
    """The first line naming ``name`` (case-insensitive), as the files resolver finds it."""
    wanted = name.lower().rstrip(".")
    return next((ip for ip, names in entries(tx) if wanted in names), None)
