"""kubectl's file front door: what ``-f`` reads, in which order, and its errors word for word.

Expected texts come from kubectl 1.36 (``label --local -f …`` for reading, ``create --dry-run=client``
for validation); tests/cli/test_manifests_differential.py re-checks many more against the binary.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kubesim.cli.manifests import (
    STDIN,
    Manifest,
    ManifestErrors,
    ReadFailure,
    decode_text,
    format_failures,
    read_manifests,
    scan_manifests,
)
from kubesim.errors import KubectlError
from tests.conftest import CORPUS

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {}\n"


def no_stdin() -> str:
    raise AssertionError("stdin must not be read")


def names(manifests: list[Manifest]) -> list[tuple[str, str, int]]:
    return [(m.source, m.obj["metadata"]["name"], m.index) for m in manifests]


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_book_service_reads_as_kubectl_decodes_it() -> None:
    [manifest] = read_manifests([str(CORPUS / "Chapter05" / "kubia-svc.yaml")], no_stdin)
    assert manifest == Manifest(
        source=str(CORPUS / "Chapter05" / "kubia-svc.yaml"),
        obj={
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "kubia"},
            "spec": {"ports": [{"port": 80, "targetPort": 8080}], "selector": {"app": "kubia"}},
        },
        index=0,
    )


def test_a_directory_reads_its_manifests_in_name_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS)
    read = read_manifests(["Chapter05/"], no_stdin)
    assert [(m.source, m.obj["kind"], m.obj["metadata"]["name"]) for m in read] == [
        ("Chapter05/external-service-endpoints.yaml", "Endpoints", "external-service"),
        ("Chapter05/external-service-externalname.yaml", "Service", "external-service"),
        ("Chapter05/external-service.yaml", "Service", "external-service"),
        ("Chapter05/kubia-ingress-tls.yaml", "Ingress", "kubia"),
        ("Chapter05/kubia-ingress.yaml", "Ingress", "kubia"),
        ("Chapter05/kubia-rc-readinessprobe.yaml", "ReplicationController", "kubia"),
        ("Chapter05/kubia-svc-client-ip-session-affinity.yaml", "Service", "kubia"),
        ("Chapter05/kubia-svc-headless.yaml", "Service", "kubia-headless"),
        ("Chapter05/kubia-svc-loadbalancer.yaml", "Service", "kubia-loadbalancer"),
        ("Chapter05/kubia-svc-named-ports.yaml", "Service", "kubia"),
        ("Chapter05/kubia-svc-nodeport-onlylocal.yaml", "Service", "kubia-nodeport-onlylocal"),
        ("Chapter05/kubia-svc-nodeport.yaml", "Service", "kubia-nodeport"),
        ("Chapter05/kubia-svc-publish-not-ready.yaml", "Service", "kubia-all"),
        ("Chapter05/kubia-svc.yaml", "Service", "kubia"),
    ]


def test_directory_walk_filters_extensions_and_recurses_only_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("d/b.yaml", "d/a.yml", "d/E.YAML", "d/notes.txt", "d/sub/s.yaml", "d/z/z.json", "d/.h.yaml", "d/noext"):
        write(tmp_path, name, CM.format(Path(name).stem.strip(".").lower()))
    assert names(read_manifests(["d"], no_stdin)) == [("d/.h.yaml", "h", 0), ("d/a.yml", "a", 0), ("d/b.yaml", "b", 0)]
    assert [m.source for m in read_manifests(["./d/"], no_stdin, recursive=True)] == [
        "d/.h.yaml", "d/a.yml", "d/b.yaml", "d/sub/s.yaml", "d/z/z.json",
    ]
    # A file named explicitly is read whatever its extension.
    assert names(read_manifests(["d/noext", "d/notes.txt"], no_stdin)) == [("d/noext", "noext", 0), ("d/notes.txt", "notes", 0)]
    assert [m.source for m in read_manifests(["d/[ab].y*", "d/*/s.yaml"], no_stdin)] == ["d/a.yml", "d/b.yaml", "d/sub/s.yaml"]


def test_multi_document_yaml_and_repeated_paths(tmp_path: Path) -> None:
    path = write(tmp_path, "m.yaml", "---\n" + CM.format("a") + "--- # comment\n\n---\n" + CM.format("b") + "...\n")
    assert [(m.obj["metadata"]["name"], m.index) for m in read_manifests([path, path], no_stdin)] == [
        ("a", 0), ("b", 1), ("a", 0), ("b", 1),
    ]


def test_stdin_is_read_once_and_named_STDIN() -> None:
    calls = []

    def stdin() -> str:
        calls.append(1)
        return CM.format("in")

    assert names(read_manifests(["-"], stdin)) == [(STDIN, "in", 0)]
    assert calls == [1]
    with pytest.raises(KubectlError) as info:
        read_manifests(["-", "-"], stdin)
    assert info.value.message == "standard input cannot be used for multiple arguments"


def test_lists_expand_into_their_items() -> None:
    text = (
        "apiVersion: v1\nkind: List\nitems:\n"
        "- apiVersion: v1\n  kind: Service\n  metadata: {name: a}\n"
        "- apiVersion: v1\n  kind: Pod\n  metadata: {name: b}\n"
        "---\n"
        "apiVersion: v1\nkind: ServiceList\nitems:\n- metadata: {name: c}\n"
    )
    assert decode_text(text, "l.yaml") == [
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"}},
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "b"}},
        # items without kind and apiVersion take them from a <Kind>List
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "c"}},
    ]


def test_json_streams_and_json_that_is_really_yaml() -> None:
    two = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}\n{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}}'
    assert [o["metadata"]["name"] for o in decode_text(two, "j")] == ["a", "b"]
    then_yaml = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}\n' + CM.format("b")
    assert [o["metadata"]["name"] for o in decode_text(then_yaml, "j")] == ["a", "b"]
    trailing_comma = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"},}'
    assert [o["metadata"]["name"] for o in decode_text(trailing_comma, "j")] == ["a"]


def test_values_become_what_kubectl_decodes() -> None:
    text = CM.format("x") + (
        "data:\n"
        "  off: yes\n"
        "  y: n\n"
        "  ts: 2024-07-01T10:00:00Z\n"
        "  date: 2024-7-1\n"
        "  float1: 1.0\n"
        "  float2: 1.5\n"
        "  exp: 1e3\n"
        "  hex: 0x1F\n"
        "  octal: 017\n"
        "  big: 12345678901234567890\n"
        "  huge: 1e400\n"
        "  sexagesimal: 1:20\n"
        "  tilde: ~\n"
        "  1: one\n"
        "  1.5: onepointfive\n"
        "  3.14159265: pi\n"
        "  2024-01-01: newyear\n"
        "  tagged: !!str 12\n"
        "  custom: !foo 12\n"
        "  binary: !!binary aGk=\n"
        "  base: &b {p: 1, q: 2}\n"
        "  merged:\n"
        "    q: 0\n"
        "    <<: *b\n"
        "    r: 3\n"
        "  copy: *b\n"
    )
    [obj] = decode_text(text, "v.yaml")
    assert obj["data"] == {
        "false": True,
        "true": False,
        "ts": "2024-07-01T10:00:00Z",
        "date": "2024-7-1",
        "float1": 1,
        "float2": 1.5,
        "exp": 1000,
        "hex": 31,
        "octal": 15,
        "big": 12345678901234567000.0,
        "huge": "1e400",
        "sexagesimal": "1:20",
        "tilde": None,
        "1": "one",
        "1.5": "onepointfive",
        "3.1415927": "pi",
        "2024-01-01": "newyear",
        "tagged": "12",
        "custom": "12",
        "binary": "hi",
        "base": {"p": 1, "q": 2},
        "merged": {"p": 1, "q": 2, "r": 3},  # go-yaml v2 lets merged keys overwrite earlier ones
        "copy": {"p": 1, "q": 2},
    }
    assert type(obj["data"]["float1"]) is int and type(obj["data"]["exp"]) is int
    assert obj["data"]["copy"] is not obj["data"]["base"]


def test_flow_scalars_follow_go_yaml_not_libyaml() -> None:
    """Inside [...] and {...} a ':' before an indicator stays in the scalar, and '?' ends it."""
    [obj] = decode_text(CM.format("x") + "data:\n  a: [x:, y]\n  b: {a:, b}\n", "f.yaml")
    assert obj["data"] == {"a": ["x:", True], "b": {"a:": None, "b": None}}
    assert failures_of(CM.format("x") + "data:\n  a: [a?b]\n")[1] == (
        "error: error parsing in.yaml: error converting YAML to JSON: yaml: line 5: did not find expected ',' or ']'"
    )


def test_json_numbers_follow_the_unstructured_decoder() -> None:
    [obj] = decode_text('{"apiVersion": "v1", "kind": "X", "a": 1, "b": 1.0, "c": 1e2, "d": -0, "e": 12345678901234567890, "f": "\\ud800"}', "j")
    assert obj == {"apiVersion": "v1", "kind": "X", "a": 1, "b": 1.0, "c": 100.0, "d": 0, "e": 12345678901234567890.0, "f": "\ufffd"}
    assert [type(obj[k]) for k in "abcd"] == [int, float, float, int]


def test_encodings_crlf_and_bom(tmp_path: Path) -> None:
    body = CM.format("enc")
    for name, data in {
        "crlf.yaml": body.replace("\n", "\r\n").encode(),
        "bom.yaml": b"\xef\xbb\xbf" + body.encode(),
        "utf16.yaml": b"\xff\xfe" + body.encode("utf-16-le"),
        "latin1.yaml": body.replace("enc", "caf\xe9").encode("latin-1"),
    }.items():
        (tmp_path / name).write_bytes(data)
        [manifest] = read_manifests([str(tmp_path / name)], no_stdin)
        assert manifest.obj["metadata"]["name"] == ("caf\ufffd" if name == "latin1.yaml" else "enc")


# --- errors ------------------------------------------------------------------------------------


def failures_of(text: str, source: str = "in.yaml", validate: bool = False) -> tuple[list[str], str]:
    """(names of the objects still read, kubectl's stderr) for one stream."""
    try:
        objs = decode_text(text, source, validate=validate)
    except ManifestErrors as exc:
        return [m.obj["metadata"]["name"] for m in exc.manifests], exc.stderr
    return [o["metadata"]["name"] for o in objs], ""


@pytest.mark.parametrize(
    ("text", "stderr"),
    [
        (
            CM.format("x") + "data:\n  a: b: c\n",
            "error: error parsing in.yaml: error converting YAML to JSON: yaml: line 6: mapping values are not allowed in this context",
        ),
        (
            CM.format("x") + "data:\n\ta: b\n",
            "error: error parsing in.yaml: error converting YAML to JSON: yaml: line 6: found character that cannot start any token",
        ),
        (
            "apiVersion: v1\nkind\n",
            "error: error parsing in.yaml: error converting YAML to JSON: yaml: line 3: could not find expected ':'",
        ),
        (
            CM.format("x") + "data:\n  a: b\n   c: d\n",
            "error: error parsing in.yaml: error converting YAML to JSON: yaml: line 7: mapping values are not allowed in this context",
        ),
        (
            CM.format("x") + "data: [a, b\n",
            "error: error parsing in.yaml: error converting YAML to JSON: yaml: line 5: did not find expected ',' or ']'",
        ),
        (
            CM.format("x") + 'data:\n  a: "abc\n',
            "error: error parsing in.yaml: error converting YAML to JSON: yaml: line 7: found unexpected end of stream",
        ),
        (
            CM.format("x") + "spec:\n  ports:\n  - port: 80\n   targetPort: 8080\n",
            "error: error parsing in.yaml: error converting YAML to JSON: yaml: line 7: did not find expected key",
        ),
        ("%YAML 1.3\n---\n" + CM.format("x"), "error: error parsing in.yaml: error converting YAML to JSON: yaml: found incompatible YAML document"),
        (CM.format("x") + "data:\n  a: *nope\n", "error: error parsing in.yaml: error converting YAML to JSON: yaml: unknown anchor 'nope' referenced"),
        (CM.format("x") + "data:\n  a: &a [*a]\n", "error: error parsing in.yaml: error converting YAML to JSON: yaml: anchor 'a' value contains itself"),
        (CM.format("x") + "data:\n  <<: 5\n", "error: error parsing in.yaml: error converting YAML to JSON: yaml: map merge requires map or sequence of maps as the value"),
        (CM.format("x") + "data:\n  a: !!int abc\n", "error: error parsing in.yaml: error converting YAML to JSON: yaml: cannot decode !!str `abc` as a !!int"),
        (CM.format("x") + "data:\n  a: .nan\n", "error: error parsing in.yaml: error converting YAML to JSON: json: unsupported value: NaN"),
        (CM.format("x") + "data:\n  ~: a\n", 'error: error parsing in.yaml: error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: "a"'),
        (CM.format("x") + "data:\n  [a]: a\n", 'error: error parsing in.yaml: error converting YAML to JSON: yaml: invalid map key: []interface {}{"a"}'),
        (CM.format("x") + "data:\n  a: \x01\n", "error: error parsing in.yaml: error converting YAML to JSON: yaml: control characters are not allowed"),
        (CM.format("x") + "--- x\n" + CM.format("y"), "error: error parsing in.yaml: invalid Yaml document separator: x"),
        (CM.format("x") + "----\n", "error: error parsing in.yaml: invalid Yaml document separator: -"),
        ("hello\n", 'error: unable to decode "in.yaml": json: cannot unmarshal string into Go value of type unstructured.detector'),
        ("apiVersion: v1\nmetadata:\n  name: x\n", 'error: unable to decode "in.yaml": Object \'Kind\' is missing in \'{"apiVersion":"v1","metadata":{"name":"x"}}\''),
        ("apiVersion: 5\nkind: X\n", 'error: unable to decode "in.yaml": json: cannot unmarshal number into Go struct field metadataOnlyObject.TypeMeta.apiVersion of type string'),
        ("apiVersion: v1\nkind: X\nmetadata:\n  name: 5\n  labels: {a: 1}\n", 'error: unable to decode "in.yaml": json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string'),
        ("apiVersion: v1\nkind: X\nmetadata:\n  creationTimestamp: foo\n", 'error: unable to decode "in.yaml": parsing time "foo" as "2006-01-02T15:04:05Z07:00": cannot parse "foo" as "2006"'),
        ("apiVersion: v1\nkind: X\nmetadata:\n  creationTimestamp: '2024-13-01T00:00:00Z'\n", 'error: unable to decode "in.yaml": parsing time "2024-13-01T00:00:00Z": month out of range'),
        ("apiVersion: v1\nkind: List\nitems: 5\n", 'error: unable to decode "in.yaml": json: cannot unmarshal number into Go struct field decodeList.items of type []json.RawMessage'),
        ('{"apiVersion": "v1",\n"kind": "X"', "error: error parsing in.yaml: unexpected EOF"),
        ('{"apiVersion": "v1", "kind": "X", "metadata": {"name": "a"}} x', "error: error parsing in.yaml: json: offset 62: invalid character 'x' looking for beginning of value"),
        ('{"apiVersion": "v1", "kind": "X", "n": 1e400}', 'error: unable to decode "in.yaml": json: cannot unmarshal number 1e400 into Go value of type float64'),
    ],
)
def test_stream_errors_word_for_word(text: str, stderr: str) -> None:
    assert failures_of(text)[1] == stderr


def test_a_broken_document_ends_its_stream_but_a_kindless_one_fails_alone() -> None:
    broken = CM.format("a") + "---\n" + CM.format("b") + "  bad: [\n---\n" + CM.format("c")
    assert failures_of(broken) == (
        ["a"],
        "error: error parsing in.yaml: error converting YAML to JSON: yaml: line 5: did not find expected node content",
    )
    kindless = CM.format("a") + "---\napiVersion: v1\nmetadata:\n  name: b\n---\n" + CM.format("c")
    assert failures_of(kindless) == (
        ["a", "c"],
        'error: unable to decode "in.yaml": Object \'Kind\' is missing in \'{"apiVersion":"v1","metadata":{"name":"b"}}\'',
    )


def test_validation_stops_the_stream_with_kubectls_advice() -> None:
    text = CM.format("a") + "---\nmetadata:\n  name: b\n---\nkind: X\n"
    assert failures_of(text, validate=True) == (
        ["a"],
        'error: error validating "in.yaml": error validating data: [apiVersion not set, kind not set]; '
        "if you choose to ignore these errors, turn validation off with --validate=false",
    )
    assert failures_of("apiVersion: v1\nkind: 5\n", validate=True)[1] == (
        'error: error validating "in.yaml": error validating data: kind isn\'t string type; '
        "if you choose to ignore these errors, turn validation off with --validate=false"
    )
    listed = "apiVersion: v1\nkind: List\nitems:\n- metadata: {name: a}\n- kind: Service\n- 5\n"
    assert failures_of(listed, validate=True)[1] == (
        'error: error validating "in.yaml": error validating data: [apiVersion not set, kind not set, '
        "invalid object to validate]; if you choose to ignore these errors, turn validation off with --validate=false"
    )


def test_failed_list_items_print_bare_lines() -> None:
    text = "apiVersion: v1\nkind: List\nitems:\n- metadata: {name: a}\n- kind: Pod\n  metadata: {name: b}\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: c}\n"
    assert failures_of(text) == (
        ["c"],
        'unable to get type info from the object "*unstructured.Unstructured": Object \'Kind\' is missing in \'object has no kind field \'\n'
        'unable to get type info from the object "*unstructured.Unstructured": Object \'apiVersion\' is missing in \'object has no apiVersion field\'',
    )


def test_errors_across_sources_are_collected_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "bad.yaml", "a: [\n")
    write(tmp_path, "mid.yaml", CM.format("a") + "---\napiVersion: v1\n---\n" + CM.format("c"))
    write(tmp_path, "ok.yaml", CM.format("ok"))
    manifests, failures = scan_manifests(["bad.yaml", "mid.yaml", "ok.yaml"], no_stdin, validate=False)
    assert names(manifests) == [("mid.yaml", "a", 0), ("mid.yaml", "c", 1), ("ok.yaml", "ok", 0)]
    assert format_failures(failures) == (
        "error parsing bad.yaml: error converting YAML to JSON: yaml: line 1: did not find expected node content\n"
        'unable to decode "mid.yaml": Object \'Kind\' is missing in \'{"apiVersion":"v1"}\''
    )
    with pytest.raises(ManifestErrors) as info:
        read_manifests(["bad.yaml", "ok.yaml"], no_stdin)
    assert info.value.message == "error parsing bad.yaml: error converting YAML to JSON: yaml: line 1: did not find expected node content"
    assert names(info.value.manifests) == [("ok.yaml", "ok", 0)]


def test_paths_kubectl_refuses_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "ok.yaml", CM.format("ok"))
    with pytest.raises(KubectlError) as info:
        read_manifests(["nope.yaml", "ok.yaml"], no_stdin)
    assert info.value.message == 'the path "nope.yaml" does not exist'
    with pytest.raises(ManifestErrors) as many:
        read_manifests(["a.yaml", "b*.yaml"], no_stdin)
    assert many.value.stderr == 'the path "a.yaml" does not exist\nthe path "b*.yaml" does not exist'
    with pytest.raises(KubectlError) as pattern:
        read_manifests(["x/[a"], no_stdin)
    assert pattern.value.message == 'pattern "x/[a" is not valid: syntax error in pattern'
    with pytest.raises(KubectlError) as url:
        read_manifests(["https://example.com/svc.yaml"], no_stdin)
    assert url.value.message.startswith('unable to read URL "https://example.com/svc.yaml": ')


def test_empty_inputs_read_as_nothing(tmp_path: Path) -> None:
    for text in ("", "\n\n", "# only a comment\n", "---\n---\n", "null\n---\n~\n", "null"):
        assert decode_text(text, "e.yaml") == []
    assert read_manifests([str(tmp_path)], no_stdin) == []


def test_hostile_documents_fail_fast() -> None:
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join(f"*{chr(97 + i)}" for _ in range(9)) + "]\n" for i in range(8)
    )
    started = time.monotonic()
    assert failures_of(laughs)[1] == (
        "error: error parsing in.yaml: error converting YAML to JSON: yaml: document contains excessive aliasing"
    )
    deep_flow = CM.format("x") + "data:\n  a: " + "[" * 10001 + "]" * 10001 + "\n"
    assert failures_of(deep_flow)[1] == (
        "error: error parsing in.yaml: error converting YAML to JSON: yaml: line 6: exceeded max depth of 10000"
    )
    deep_json = CM.format("x") + "data:\n  a: " + "[" * 9999 + "]" * 9999 + "\n"
    assert failures_of(deep_json)[1] == (
        "error: error parsing in.yaml: error unmarshaling JSON: while decoding JSON: invalid character '[' exceeded max depth"
    )
    assert time.monotonic() - started < 30


def test_read_failure_formatting() -> None:
    assert format_failures([ReadFailure("x")]) == "error: x"
    assert format_failures([ReadFailure("error: x")]) == "error: x"
    assert format_failures([ReadFailure("x"), ReadFailure("[a, b]", ("a", "b"))]) == "x\n[a, b]"
