"""Property tests for the front door: whatever bytes arrive, reading ends in objects or KubectlError.

Random, truncated and hostile YAML and JSON must never raise anything else (no PyYAML exception,
no RecursionError, no traceback for a user) and must finish quickly (alias bombs, deep nesting).
What we print must read back as the same object, as it does for kubectl.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubesim.cli.manifests import decode_text
from kubesim.errors import KubectlError
from kubesim.printers.json_output import json_float, to_json
from kubesim.printers.yaml_output import to_yaml

FAST = settings(max_examples=150, deadline=5000, suppress_health_check=[HealthCheck.too_slow])

YAML_BITS = [
    "apiVersion: v1\n", "kind: Service\n", "metadata:\n", "  name: x\n", "---\n", "--- x\n", "...\n", "- ", "? ", ": ",
    "a: ", "{", "}", "[", "]", ",", "&a ", "*a", "<<: ", "!!int ", "!!binary ", "!foo ", "|\n", ">-\n", "'", '"',
    "\\", "#", "%YAML 1.1\n", "\t", "  ", "\n", "\r\n", "yes", "~", "1e3", "0x1F", "2024-01-01", ".nan", "\x00",
    "\x85", "\ufeff", "é", "😀", "\ud800", "items:\n", "- kind: Pod\n",
]


def read(text: str) -> list[dict[str, Any]] | None:
    """decode_text, where the only acceptable failure is KubectlError."""
    for validate in (False, True):
        try:
            objs = decode_text(text, "prop.yaml", validate=validate)
        except KubectlError as exc:
            assert isinstance(exc.message, str) and exc.message
            continue
        assert all(isinstance(o, dict) for o in objs)
    try:
        return decode_text(text, "prop.yaml", validate=False)
    except KubectlError:
        return None


@FAST
@given(st.text())
def test_any_text_reads_or_fails_cleanly(text: str) -> None:
    read(text)


@FAST
@given(st.lists(st.sampled_from(YAML_BITS), max_size=40))
def test_yaml_shaped_noise_reads_or_fails_cleanly(bits: list[str]) -> None:
    read("".join(bits))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=25,
)


@FAST
@given(json_values, st.integers(min_value=0, max_value=400), st.sampled_from(["", "x", "}", "]", ",", "\n---\n", "{"]))
def test_truncated_json_reads_or_fails_cleanly(value: Any, cut: int, tail: str) -> None:
    text = json.dumps({"apiVersion": "v1", "kind": "X", "v": value})
    read(text[:cut] + tail)
    read(text + tail)


@FAST
@given(st.integers(min_value=1, max_value=12), st.integers(min_value=2, max_value=12))
def test_alias_bombs_fail_fast(levels: int, width: int) -> None:
    lines = ["a0: &a0 [x]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    read("apiVersion: v1\nkind: X\ndata:\n" + "".join("  " + line + "\n" for line in lines))


@settings(max_examples=12, deadline=10000)
@given(st.integers(min_value=900, max_value=10100), st.sampled_from(["[", "{a: ", "- "]))
def test_deep_nesting_fails_or_reads_cleanly(depth: int, opener: str) -> None:
    if opener == "- ":
        body = "".join("  " * 0 + "- " * 1 for _ in range(depth)) + "x\n"
    else:
        closer = "]" if opener == "[" else "}"
        body = opener * depth + ("x" if opener == "[" else "1") + closer * depth + "\n"
    read("apiVersion: v1\nkind: X\ndata: " + body)


printable_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x85" + "".join(map(chr, range(0x7F, 0xA0)))
                  + "\ufffe\uffff"),
)
plain_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | printable_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(printable_text, children, max_size=4),
    max_leaves=30,
)


def as_kubectl_holds(value: Any) -> Any:
    """Floats that are whole numbers read back as ints, as they do in kubectl."""
    if isinstance(value, float):
        text = json_float(value)  # kubectl re-reads Go's JSON text: whole numbers come back as int64
        if "." not in text and "e" not in text and -(2**63) <= int(text) < 2**63:
            return int(text)
        return value
    if isinstance(value, list):
        return [as_kubectl_holds(v) for v in value]
    if isinstance(value, dict):
        return {k: as_kubectl_holds(v) for k, v in value.items()}
    return value


@FAST
@given(plain_values)
def test_what_we_print_as_yaml_reads_back(value: Any) -> None:
    obj = {"apiVersion": "v1", "kind": "X", "metadata": {"name": "x"}, "data": value}
    [back] = decode_text(to_yaml(obj), "round.yaml")
    assert as_kubectl_holds(back) == as_kubectl_holds(obj)


@FAST
@given(plain_values)
def test_what_we_print_as_json_reads_back(value: Any) -> None:
    obj = {"apiVersion": "v1", "kind": "X", "metadata": {"name": "x"}, "data": value}
    [back] = decode_text(to_json(obj), "round.json")
    assert back == obj or as_kubectl_holds(back) == as_kubectl_holds(obj)
