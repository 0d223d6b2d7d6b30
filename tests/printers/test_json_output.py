"""``-o json`` printing: whole outputs as kubectl prints them (checked against kubectl 1.36)."""

from __future__ import annotations

import sys

import pytest

from kubesim.printers.json_output import go_format_float, json_float, to_compact_json, to_json

SERVICE = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "annotations": {"note": "<a & b>"},
        "creationTimestamp": "2024-07-01T10:00:00Z",
        "name": "kubia",
        "namespace": "default",
        "resourceVersion": "1234",
    },
    "spec": {
        "type": "ClusterIP",
        "selector": {"app": "kubia"},
        "ports": [{"targetPort": 8080, "port": 80, "protocol": "TCP"}],
        "clusterIPs": ["10.111.249.153"],
        "clusterIP": "10.111.249.153",
        "sessionAffinity": "None",
    },
    "status": {"loadBalancer": {}},
}

SERVICE_JSON = """\
{
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "annotations": {
            "note": "\\u003ca \\u0026 b\\u003e"
        },
        "creationTimestamp": "2024-07-01T10:00:00Z",
        "name": "kubia",
        "namespace": "default",
        "resourceVersion": "1234"
    },
    "spec": {
        "clusterIP": "10.111.249.153",
        "clusterIPs": [
            "10.111.249.153"
        ],
        "ports": [
            {
                "port": 80,
                "protocol": "TCP",
                "targetPort": 8080
            }
        ],
        "selector": {
            "app": "kubia"
        },
        "sessionAffinity": "None",
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
"""


def test_service_prints_as_kubectl_prints_it() -> None:
    assert to_json(SERVICE) == SERVICE_JSON


def test_empty_list_wrapper() -> None:
    wrapper = {"apiVersion": "v1", "items": [], "kind": "List", "metadata": {"resourceVersion": ""}}
    assert to_json(wrapper) == (
        '{\n    "apiVersion": "v1",\n    "items": [],\n    "kind": "List",\n'
        '    "metadata": {\n        "resourceVersion": ""\n    }\n}\n'
    )


def test_strings_escape_as_go_does() -> None:
    text = "<>&\u2028\u2029\x00\x01\x1f\x7f\b\f\n\r\t\"\\/é😀\ud800"
    assert to_json({"s": text}) == (
        '{\n    "s": "\\u003c\\u003e\\u0026\\u2028\\u2029\\u0000\\u0001\\u001f\x7f'
        '\\b\\f\\n\\r\\t\\"\\\\/é😀\\ufffd"\n}\n'
    )


def test_keys_sort_by_byte_order_at_every_level() -> None:
    obj = {"b": {"é": 1, "z": 2, "Z": 3}, "B": [{"y": 1, "x": 2}], "a": 0, "_": 1, "10": 2, "9": 3}
    assert to_json(obj) == (
        "{\n"
        '    "10": 2,\n'
        '    "9": 3,\n'
        '    "B": [\n'
        "        {\n"
        '            "x": 2,\n'
        '            "y": 1\n'
        "        }\n"
        "    ],\n"
        '    "_": 1,\n'
        '    "a": 0,\n'
        '    "b": {\n'
        '        "Z": 3,\n'
        '        "z": 2,\n'
        '        "é": 1\n'
        "    }\n"
        "}\n"
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (-7, "-7"),
        (9223372036854775807, "9223372036854775807"),
        (12345678901234567890, "12345678901234567000"),  # beyond int64 kubectl holds a float64
        (1.0, "1"),
        (-0.0, "-0"),
        (1.5, "1.5"),
        (0.1, "0.1"),
        (100.0, "100"),
        (1e20, "100000000000000000000"),
        (1e21, "1e+21"),
        (1.5e300, "1.5e+300"),
        (0.000001, "0.000001"),
        (1e-7, "1e-7"),
        (1.25e-10, "1.25e-10"),
        (5e-324, "5e-324"),
        (123456789.125, "123456789.125"),
    ],
)
def test_numbers(value: float, text: str) -> None:
    assert to_json({"n": value}) == '{\n    "n": ' + text + "\n}\n"


def test_scalars_and_empties() -> None:
    assert to_json({"t": True, "f": False, "n": None, "m": {}, "l": [], "ll": [[]]}) == (
        '{\n    "f": false,\n    "l": [],\n    "ll": [\n        []\n    ],\n    "m": {},\n'
        '    "n": null,\n    "t": true\n}\n'
    )


def test_top_level_values() -> None:
    assert to_json([]) == "[]\n"
    assert to_json("x") == '"x"\n'
    assert to_json([1, "a"]) == '[\n    1,\n    "a"\n]\n'


def test_compact_form_is_json_marshal() -> None:
    assert to_compact_json({"b": [1, 1.5, None], "a": "<"}) == '{"a":"\\u003c","b":[1,1.5,null]}'


def test_nan_and_infinity_are_refused() -> None:
    with pytest.raises(ValueError, match="json: unsupported value: NaN"):
        to_json({"x": float("nan")})
    with pytest.raises(ValueError, match=r"json: unsupported value: \+Inf"):
        json_float(float("inf"))


def test_go_float_formats() -> None:
    assert [go_format_float(v, "g") for v in (1e6, 123456.0, 1234567.0, 1e-5, 0.0001, -2.5)] == [
        "1e+06", "123456", "1.234567e+06", "1e-05", "0.0001", "-2.5",
    ]
    assert go_format_float(1e21, "f") == "1000000000000000000000"
    assert go_format_float(float("-inf"), "g") == "-Inf"


def test_import_stays_cheap() -> None:
    import subprocess

    code = "import sys, kubesim.printers.json_output; print(sorted(m for m in ('yaml', 'typer', 'rich') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
