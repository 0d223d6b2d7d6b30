"""``-o yaml`` printing: go-yaml v2's layout, quoting, folding and key order, as kubectl 1.36 prints.

Every expected text below was printed by the real kubectl (``label --local ... -o yaml``).
"""

from __future__ import annotations

import pytest

from kubesim.printers.yaml_output import (
    YAMLError,
    is_timestamp,
    resolve_plain,
    sort_keys,
    to_yaml,
    to_yaml_documents,
)

LAST_APPLIED = (
    '{"apiVersion":"v1","kind":"Service","metadata":{"annotations":{},"name":"kubia","namespace":"default"},'
    '"spec":{"ports":[{"port":80,"targetPort":8080}],"selector":{"app":"kubia"}}}\n'
)

SERVICE = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "annotations": {"kubectl.kubernetes.io/last-applied-configuration": LAST_APPLIED},
        "creationTimestamp": "2024-07-01T10:00:00Z",
        "name": "kubia",
        "namespace": "default",
        "resourceVersion": "1234",
        "uid": "6a1b2c3d-0000-4000-8000-000000000001",
    },
    "spec": {
        "clusterIP": "10.111.249.153",
        "clusterIPs": ["10.111.249.153"],
        "internalTrafficPolicy": "Cluster",
        "ipFamilies": ["IPv4"],
        "ipFamilyPolicy": "SingleStack",
        "ports": [{"port": 80, "protocol": "TCP", "targetPort": 8080}],
        "selector": {"app": "kubia"},
        "sessionAffinity": "None",
        "type": "ClusterIP",
    },
    "status": {"loadBalancer": {}},
}

SERVICE_YAML = """\
apiVersion: v1
kind: Service
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"v1","kind":"Service","metadata":{"annotations":{},"name":"kubia","namespace":"default"},"spec":{"ports":[{"port":80,"targetPort":8080}],"selector":{"app":"kubia"}}}
  creationTimestamp: "2024-07-01T10:00:00Z"
  name: kubia
  namespace: default
  resourceVersion: "1234"
  uid: 6a1b2c3d-0000-4000-8000-000000000001
spec:
  clusterIP: 10.111.249.153
  clusterIPs:
  - 10.111.249.153
  internalTrafficPolicy: Cluster
  ipFamilies:
  - IPv4
  ipFamilyPolicy: SingleStack
  ports:
  - port: 80
    protocol: TCP
    targetPort: 8080
  selector:
    app: kubia
  sessionAffinity: None
  type: ClusterIP
status:
  loadBalancer: {}
"""


def test_service_prints_as_kubectl_prints_it() -> None:
    assert to_yaml(SERVICE) == SERVICE_YAML


WORDS = (
    "Kubernetes Services give a set of pods one stable address and a name, and spread the connections "
    "over the pods that are ready to serve them right now"
)

# (value, what kubectl prints under "data:\n" for {"k": value})
CASES = [
    ("plain", "  k: plain\n"),
    ("1234", '  k: "1234"\n'),
    ("0x1F", '  k: "0x1F"\n'),
    ("1e3", '  k: "1e3"\n'),
    ("true", '  k: "true"\n'),
    ("yes", '  k: "yes"\n'),
    ("on", '  k: "on"\n'),
    ("y", '  k: "y"\n'),
    ("~", '  k: "~"\n'),
    ("null", '  k: "null"\n'),
    ("", '  k: ""\n'),
    (" ", "  k: ' '\n"),
    ("2024-07-01T10:00:00Z", '  k: "2024-07-01T10:00:00Z"\n'),
    ("2024-02-30", "  k: 2024-02-30\n"),
    ("1:20", '  k: "1:20"\n'),
    ("<<", "  k: <<\n"),
    ("a: b", "  k: 'a: b'\n"),
    ("a:b", "  k: a:b\n"),
    ("- x", "  k: '- x'\n"),
    ("-x", "  k: -x\n"),
    ("#x", "  k: '#x'\n"),
    ("a #b", "  k: 'a #b'\n"),
    ("a#b", "  k: a#b\n"),
    ("containers with unready status: [kubia]", "  k: 'containers with unready status: [kubia]'\n"),
    ("it's", "  k: it's\n"),
    ("*x", "  k: '*x'\n"),
    ("&x", "  k: '&x'\n"),
    ("!x", "  k: '!x'\n"),
    ("%x", "  k: '%x'\n"),
    ("@x", "  k: '@x'\n"),
    ("`x", "  k: '`x'\n"),
    ("|x", "  k: '|x'\n"),
    (">x", "  k: '>x'\n"),
    ("[x", "  k: '[x'\n"),
    ("{x", "  k: '{x'\n"),
    ("x]", "  k: x]\n"),
    ("?x", "  k: ?x\n"),
    ("? x", "  k: '? x'\n"),
    (":x", "  k: :x\n"),
    ("---", "  k: '---'\n"),
    ("...", "  k: '...'\n"),
    (" lead", "  k: ' lead'\n"),
    ("trail ", "  k: 'trail '\n"),
    ("a\tb", '  k: "a\\tb"\n'),
    ("a\rb", '  k: "a\\rb"\n'),
    ("\x00", '  k: "\\0"\n'),
    ("\x1b", '  k: "\\e"\n'),
    ("\ufeffx", '  k: "\\uFEFF\\x78"\n'),
    ("café", "  k: café\n"),
    ("😀", '  k: "\\U0001F600"\n'),
    ("\xa0", "  k: \xa0\n"),
    ("\u2028", "  k: '\u2028'\n"),
    ("line1\nline2", "  k: |-\n    line1\n    line2\n"),
    ("line\n", "  k: |\n    line\n"),
    ("line\n\n", "  k: |+\n    line\n\n"),
    ("\n", "  k: |2+\n\n"),
    (" lead\nx", "  k: |2-\n     lead\n    x\n"),
    ("a \nb", '  k: "a \\nb"\n'),
    ("a\n b", "  k: |-\n    a\n     b\n"),
    ("trail\nx ", '  k: "trail\\nx "\n'),
    ("x\x85y", "  k: x y\n"),
    ('"q"', "  k: '\"q\"'\n"),
    ("back\\slash", "  k: back\\slash\n"),
    (1, "  k: 1\n"),
    (-7, "  k: -7\n"),
    (1.5, "  k: 1.5\n"),
    (1e-07, "  k: 1e-07\n"),
    (1e21, "  k: 1e+21\n"),
    (123456789.5, "  k: 1.234567895e+08\n"),
    (12345678901234567890, "  k: 12345678901234567000\n"),
    (1e20, "  k: 1e+20\n"),
    (-0.0, "  k: 0\n"),
    (True, "  k: true\n"),
    (None, "  k: null\n"),
    ([], "  k: []\n"),
    ({}, "  k: {}\n"),
    (["a", ["b"], {"c": 1}], "  k:\n  - a\n  - - b\n  - c: 1\n"),
    ({"b": 1, "a": {}}, "  k:\n    a: {}\n    b: 1\n"),
    (
        WORDS,
        "  k: Kubernetes Services give a set of pods one stable address and a name, and spread\n"
        "    the connections over the pods that are ready to serve them right now\n",
    ),
    (
        "note: " + WORDS,
        "  k: 'note: Kubernetes Services give a set of pods one stable address and a name,\n"
        "    and spread the connections over the pods that are ready to serve them right now'\n",
    ),
    (
        WORDS + "\t and a tab",
        '  k: "Kubernetes Services give a set of pods one stable address and a name, and spread\n'
        '    the connections over the pods that are ready to serve them right now\\t and a tab"\n',
    ),
    (WORDS.replace(" ", "  "), "  k: " + WORDS.replace(" ", "  ") + "\n"),
    ("x" * 100 + " tail", "  k: " + "x" * 100 + "\n    tail\n"),
]


@pytest.mark.parametrize(("value", "body"), CASES)
def test_scalar_styles(value: object, body: str) -> None:
    assert to_yaml({"data": {"k": value}}) == "data:\n" + body


def test_key_order_and_key_quoting() -> None:
    keys = {"a10": 1, "a2": 2, "a1": 3, "B": 4, "b": 5, "_x": 6, "-y": 7, "9": 8, "10": 9, "z.1": 10, "z-1": 11, "": 12}
    assert to_yaml({"k": keys}) == (
        "k:\n"
        '  "": 12\n'
        "  -y: 7\n"
        "  _x: 6\n"
        '  "9": 8\n'
        '  "10": 9\n'
        "  B: 4\n"
        "  a1: 3\n"
        "  a2: 2\n"
        "  a10: 1\n"
        "  b: 5\n"
        "  z-1: 11\n"
        "  z.1: 10\n"
    )
    assert sort_keys(["port10", "port9", "Port", "port", "p-1"]) == ["Port", "p-1", "port", "port9", "port10"]


def test_long_and_multiline_keys_become_complex_keys() -> None:
    obj = {"k" * 130: "v", "multi\nline": {"x": 1}, "short": [1], "k" * 128: "fits"}
    assert to_yaml({"k": obj}) == (
        "k:\n"
        "  " + "k" * 128 + ": fits\n"
        "  ? " + "k" * 130 + "\n"
        "  : v\n"
        "  ? |-\n"
        "    multi\n"
        "    line\n"
        "  : x: 1\n"
        "  short:\n"
        "  - 1\n"
    )


def test_lists_of_maps_and_lists() -> None:
    obj = {"items": [{"b": [], "a": [{"z": 1}, [1, [2]]]}, [], {}, None]}
    assert to_yaml(obj) == (
        "items:\n"
        "- a:\n"
        "  - z: 1\n"
        "  - - 1\n"
        "    - - 2\n"
        "  b: []\n"
        "- []\n"
        "- {}\n"
        "- null\n"
    )


def test_top_level_shapes() -> None:
    assert to_yaml({}) == "{}\n"
    assert to_yaml([1, "a b"]) == "- 1\n- a b\n"


def test_documents_are_separated_like_kubectl() -> None:
    a = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}}
    b = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "b"}}
    assert to_yaml_documents([a, b]) == (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\n"
    )
    assert to_yaml_documents([]) == ""


def test_characters_kubectl_cannot_print() -> None:
    with pytest.raises(YAMLError, match="^yaml: control characters are not allowed$"):
        to_yaml({"k": "a\x80b"})
    with pytest.raises(YAMLError, match="^yaml: line 1: did not find expected ',' or '}'$"):
        to_yaml({"data": {"a\x85": "x"}})
    with pytest.raises(YAMLError, match="NaN"):
        to_yaml({"k": float("nan")})


@pytest.mark.parametrize(
    ("text", "tag", "value"),
    [
        ("yes", "!!bool", True),
        ("Off", "!!bool", False),
        ("~", "!!null", None),
        ("", "!!null", None),
        ("0x1F", "!!int", 31),
        ("0o17", "!!int", 15),
        ("017", "!!int", 15),
        ("0b_-0", "!!int", 0),
        ("1_000", "!!int", 1000),
        ("08", "!!float", 8.0),
        ("1e3", "!!float", 1000.0),
        (".5", "!!float", 0.5),
        (".1_0", "!!float", 0.1),
        ("18446744073709551615", "!!int", 18446744073709551615),
        ("1e400", "!!str", "1e400"),
        ("1:20", "!!str", "1:20"),
        ("<<", "!!str", "<<"),
        ("2024-7-1 1:2:3.5", "!!timestamp", "2024-7-1 1:2:3.5"),
        ("2000-02-29", "!!timestamp", "2000-02-29"),
        ("1900-02-29", "!!str", "1900-02-29"),
        ("2024-01-01T24:00:00Z", "!!str", "2024-01-01T24:00:00Z"),
    ],
)
def test_go_yaml_reads_plain_scalars(text: str, tag: str, value: object) -> None:
    assert resolve_plain(text) == (tag, value)


def test_timestamp_layouts() -> None:
    good = ["2001-12-14t21:59:43.10Z", "2001-12-14 21:59:43.10", "2001-12-14T21:59:43+05:30", "2002-12-14"]
    bad = ["2001-12-14 21:59:43.10 -5", "2001-13-01", "200-01-01", "2001-01-01T01:02:03"]
    assert [is_timestamp(t) for t in good] == [True] * 4
    assert [is_timestamp(t) for t in bad] == [False] * 4
