"""A burst of deletions is reconciled once, as a real cluster's controllers see it, not once per object."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.conftest import MANIFESTS, Kubesim


@pytest.mark.parametrize("replicas", [3, 30])
def test_delete_all_pods_of_an_rc_syncs_the_rc_and_endpoints_a_fixed_number_of_times(
        kubesim: Kubesim, monkeypatch, replicas: int):
    from kubesim.controllers import endpoints, replication

    kubesim.ok("create", "-f", str(MANIFESTS / "kubia-rc.yaml"))
    kubesim.ok("create", "-f", str(MANIFESTS / "kubia-svc.yaml"))
    kubesim.ok("scale", "rc", "kubia", f"--replicas={replicas}")
    old = set(kubesim.ok("get", "po", "-o", "jsonpath={.items[*].metadata.name}").split())
    synced = []
    for module in (replication, endpoints):
        controller = module.CONTROLLER
        original = type(controller).sync

        def counting(self, api, key, original=original):
            synced.append((self.name, key))
            return original(self, api, key)

        monkeypatch.setattr(type(controller), "sync", counting)
    out = kubesim.ok("delete", "po", "--all")
    assert out == "".join(f'pod "{name}" deleted from default namespace\n' for name in sorted(old))
    # Once for the deletions, and again as the replacements come up and their status lands: the same
    # for 3 pods as for 30 (one at a time it was a few syncs per pod).
    assert Counter(synced) == {("endpoints", ("Service", "default", "kubia")): 2,
                               ("replication", ("ReplicationController", "default", "kubia")): 4}
    now = kubesim.ok("get", "po", "-o", "jsonpath={.items[*].metadata.name}").split()
    assert len(now) == replicas and not set(now) & old
    assert kubesim.ok("get", "ep", "kubia", "-o", "jsonpath={.subsets[0].addresses[*].ip}").count(".") == 3 * replicas
