"""kubectl's JSONPath dialect: whole outputs and whole error texts, as the real kubectl 1.36 prints them.

Every expected string here was produced by the real binary (see test_jsonpath_differential.py for
the suite that runs it); these tests pin the behaviour without it, including the map order we
chose where kubectl's is random.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kubesim.printers.jsonpath import (
    JsonPathError,
    find_values,
    relaxed_expression,
    render,
    render_as_json,
)

SERVICE = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "name": "kubia",
        "namespace": "default",
        "labels": {"app": "kubia", "kubernetes.io/name": "web", "k8s-app": "kubia", "web/html": "yes"},
    },
    "spec": {
        "ports": [
            {"name": "http", "port": 80, "targetPort": 8080},
            {"name": "https", "port": 443, "targetPort": 8443},
        ],
        "selector": {"app": "kubia"},
    },
}

NODES = {
    "apiVersion": "v1",
    "kind": "List",
    "metadata": {"resourceVersion": ""},
    "items": [
        {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {"name": "127.0.0.1", "labels": {"kubernetes.io/hostname": "127.0.0.1"}},
            "status": {
                "capacity": {"cpu": "4"},
                "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.1"}],
            },
        },
        {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {"name": "127.0.0.2", "labels": {"kubernetes.io/hostname": "127.0.0.2"}},
            "status": {
                "capacity": {"cpu": "8"},
                "addresses": [
                    {"type": "LegacyHostIP", "address": "127.0.0.2"},
                    {"type": "ExternalIP", "address": "203.0.113.2"},
                ],
            },
        },
    ],
}

SERVICE_DUMP = (
    'map[string]interface {}{"apiVersion":"v1", "kind":"Service", "metadata":map[string]interface {}{'
    '"labels":map[string]interface {}{"app":"kubia", "k8s-app":"kubia", "kubernetes.io/name":"web", '
    '"web/html":"yes"}, "name":"kubia", "namespace":"default"}, "spec":map[string]interface {}{'
    '"ports":[]interface {}{map[string]interface {}{"name":"http", "port":80, "targetPort":8080}, '
    'map[string]interface {}{"name":"https", "port":443, "targetPort":8443}}, '
    '"selector":map[string]interface {}{"app":"kubia"}}}'
)


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        # text and actions; one action's results joined by one space; no newline unless asked
        ("{.metadata.name}", "kubia"),
        ("svc/{.metadata.name} in {$.metadata.namespace}", "svc/kubia in default"),
        ('{.kind}{"\\n"}', "Service\n"),
        ("{.spec.ports[*].name}", "http https"),
        ("{ .spec.ports[*].port }", "80 443"),
        ("{@.spec.ports[0].name}", "http"),
        # maps and lists as compact JSON with sorted keys
        ("{.spec.selector}", '{"app":"kubia"}'),
        ("{.spec.ports[0]}", '{"name":"http","port":80,"targetPort":8080}'),
        # field names: escaped dots, dashes and slashes
        ("{.metadata.labels.kubernetes\\.io/name}", "web"),
        ("{.metadata.labels.k8s-app} {.metadata.labels.web/html}", "kubia yes"),
        ("{.metadata.labels['kubernetes\\.io/name']}", "web"),
        # a quoted key is read as a path: its dots separate fields
        ("{.metadata['labels.app']}", "kubia"),
        ("{.metadata.labels['kubernetes.io/name']}", ""),
        # indexes and slices
        ("{.spec.ports[-1].name}", "https"),
        ("{.spec.ports[1:].name} {.spec.ports[:1].name} {.spec.ports[-1:].name}", "https http https"),
        ("{.spec.ports[0:2:2].name} {.spec.ports[::2].port}", "http 80"),
        ("{.spec.ports[1:1].name}", ""),
        ("{.spec.ports[].name}", "http"),
        # unions
        ("{.spec.ports[1,0].name}", "https http"),
        ("{.spec.ports[*]['name', 'port']}", "http https 80 443"),
        # wildcard and recursive descent; we walk maps in sorted key order
        ("{.metadata.labels.*}", "kubia kubia web yes"),
        ("{..name}", "kubia http https"),
        ("{.spec..port}", "80 443"),
        # filters
        ('{.spec.ports[?(@.name=="https")].port}', "443"),
        ("{.spec.ports[?(@.name!='https')].port}", "80"),
        ("{.spec.ports[?(@.port>80)].name} {.spec.ports[?(@.port<443)].name}", "https http"),
        ("{.spec.ports[?(@.port>=80)].name} {.spec.ports[?(@.port<=80)].name}", "http https http"),
        ("{.spec.ports[?(@.targetPort)].name} {.spec.ports[?(@.nodePort)].name}", "http https "),
        ("{.spec.ports[?(@.targetPort==@.port)].name}", ""),
        # range … end, nested, and an unclosed range (its body runs again at the top level)
        ("{range .spec.ports[*]}{.name}={.port};{end}", "http=80;https=443;"),
        ("{range .spec.ports[*]}[{range @}<{.port}>{end}]{end}!", "[<80>][<443>]!"),
        ("{range .spec.ports[*]}{.name} {end}{.kind}", "http https Service"),
        ("{range .spec.ports[*]}{.name}", "httphttps"),
        ("{range .missing[*]}never{end}after", "after"),
        # literals
        ("{'\\t'}{\"\\u00e9\\x41\\101\"}", "\téAA"),
        ("{5} {-1.5} {true}", "5 -1.5 true"),
        # missing keys print nothing
        ("before-{.hello}after", "before-after"),
        ("{.spec.nope.deeper}{.spec.ports[*].nope}", ""),
    ],
)
def test_render(template: str, expected: str) -> None:
    assert render(template, SERVICE) == expected


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        # the examples of client-go's own jsonpath tests, as kubectl prints them
        ("{range .items[*]}{.metadata.name}, {end}{.kind}", "127.0.0.1, 127.0.0.2, List"),
        ("{.items[*]['metadata.name', 'status.capacity']}", '127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}'),
        ("{.items[*].metadata.labels.kubernetes\\.io/hostname}", "127.0.0.1 127.0.0.2"),
        ('{.items[*].status.addresses[?(@.type=="ExternalIP")].address}', "203.0.113.2"),
        ('{.items[?(@.status.capacity.cpu=="8")].metadata.name}', "127.0.0.2"),
        ("{.kind} {.metadata}", 'List {"resourceVersion":""}'),
    ],
)
def test_render_list(template: str, expected: str) -> None:
    assert render(template, NODES) == expected


def test_values_print_like_go() -> None:
    data = {
        "i": 80,
        "f": [0.25, 2.0, 1234567.5, 1.5e22, 1e-7, -0.0],
        "b": True,
        "n": None,
        "s": "<a&b>\u2028\té",
        "e": {},
        "big": 12345678901234567890,
    }
    assert render("{.i} {.f[*]} {.b} {.n} {.big}", data) == (
        "80 0.25 2 1.2345675e+06 1.5e+22 1e-07 -0 true null 1.2345678901234567e+19"
    )
    assert render("{.s}", data) == "<a&b>\u2028\té"
    assert render("{@}", data) == (
        '{"b":true,"big":12345678901234567000,"e":{},"f":[0.25,2,1234567.5,1.5e+22,1e-7,-0],"i":80,'
        '"n":null,"s":"\\u003ca\\u0026b\\u003e\\u2028\\té"}'
    )
    assert render("{range .l[*]}<{@}>{end}", {"l": [None, 1]}) == "<<no value>><1>"


def test_strings_are_walked_by_byte() -> None:
    assert render("{.metadata.name.*}", SERVICE) == "107 117 98 105 97"


def test_render_as_json_wraps_each_action() -> None:
    assert render_as_json("{.spec.ports[*].name}", SERVICE) == '[\n    "http",\n    "https"\n]\n'
    assert render_as_json("x{.nope}{.spec.ports[0]}", SERVICE) == (
        '[\n    "x"\n]\n[]\n[\n    {\n        "name": "http",\n        "port": 80,\n        "targetPort": 8080\n    }\n]\n'
    )


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ("{.a", "unclosed action"),
        ("{.a\n}", "unclosed action"),
        ("{.spec.ports[", "unterminated array"),
        ("{.spec.ports[?(@.a==1)", "unclosed array expect ]"),
        ("{.spec.ports[?(@.a==1", "unterminated filter"),
        ('{"abc}', "unterminated quoted string"),
        ('{"abc\\', "unterminated quoted string"),
        ('{"\\q"}', 'unquote string "\\q" error invalid syntax'),
        ("{'\\\"'}", "unquote string '\\\"' error invalid syntax"),
        ("{.spec.ports[x]}", "invalid array index x"),
        ("{.spec.ports[ 0 ]}", "invalid array index  0 "),
        ("{.spec.ports[-]}", "array index - is not a number"),
        ("{.spec.ports[99999999999999999999]}", "array index 99999999999999999999 is not a number"),
        ("{#}", "unrecognized character in action: U+0023 '#'"),
        ("{\t.kind}", "unrecognized character in action: U+0009"),
        ("{..*}", "unrecognized character in action: U+002A '*'"),
        ("{....a}", "invalid multiple recursive descent"),
        ("{1.2.3}", "cannot parse number 1.2.3"),
        ("{+}", "cannot parse number +"),
    ],
)
def test_parse_errors(template: str, reason: str) -> None:
    with pytest.raises(JsonPathError) as caught:
        render(template, SERVICE)
    assert caught.value.message == f"error parsing jsonpath {template}, {reason}\n"


def test_empty_template() -> None:
    with pytest.raises(JsonPathError) as caught:
        render("", SERVICE)
    assert caught.value.message == "template format specified but no template given"


@pytest.mark.parametrize(
    ("template", "allow_missing", "reason"),
    [
        ("{.missing}", False, "missing is not found"),
        ("{.spec.ports[*].nope}", False, "nope is not found"),
        ("{range .spec.ports[*]}{.name}", False, "name is not found"),
        ("{.spec.ports[5]}", True, "array index out of bounds: index 5, length 2"),
        ("{.spec.ports[-3]}", True, "array index out of bounds: index -1, length 2"),
        ("{.spec.ports[0:5]}", True, "array index out of bounds: index 4, length 2"),
        ("{.spec.ports[1:0]}", True, "starting index 1 is greater than ending index 0"),
        ("{.spec.ports[::0]}", True, "step must be > 0"),
        ("{.metadata.name[0]}", True, "string is not array or slice"),
        ("{.spec[0]}", True, "map[string]interface {} is not array or slice"),
        ("{5[0]}", True, "int is not array or slice"),
        (
            "{.spec[?(@.x)]}",
            True,
            "map[ports:[map[name:http port:80 targetPort:8080] map[name:https port:443 "
            "targetPort:8443]] selector:map[app:kubia]] is not array or slice and cannot be filtered",
        ),
        ("{hello}", True, "unrecognized identifier hello"),
        ("{.a b}", True, "unrecognized identifier b"),
        ("{end}", True, "not in range, nothing to end"),
        ("{range .spec.ports[*]}{end}{end}", True, "not in range, nothing to end"),
        ("{.spec.ports[?(@.name==80)]}", True, "incompatible types for comparison"),
        ("{.spec.ports[?(@.port==80.0)]}", True, "incompatible types for comparison"),
        ("{.spec.ports[?(@==1)]}", True, "invalid type for comparison"),
        (
            '{.spec.ports[?(@.name<"x")].port}{.spec.ports[?(@.port<true)]}',
            True,
            "incompatible types for comparison",
        ),
        ("{.spec.ports[?(@.name<>80)]}", True, "unrecognized filter operator <>"),
        ("{.spec.ports[?(@.*==80)]}", True, "can only compare one element at a time"),
    ],
)
def test_execution_errors(template: str, allow_missing: bool, reason: str) -> None:
    with pytest.raises(JsonPathError) as caught:
        render(template, SERVICE, allow_missing_keys=allow_missing)
    quoted = '"' + template.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'
    assert caught.value.message == (
        f"error executing jsonpath {quoted}: Error executing template: {reason}. "
        "Printing more information for debugging the template:\n"
        f"\ttemplate was:\n\t\t{template}\n"
        f"\tobject given to jsonpath engine was:\n\t\t{SERVICE_DUMP}\n\n\n"
    )


def test_error_dump_uses_go_syntax() -> None:
    data = {"s": 'q"\x01\u2028é', "n": None, "l": [], "f": 1e21, "t": True}
    with pytest.raises(JsonPathError) as caught:
        render('{.x}{"\\n"}', data, allow_missing_keys=False)
    assert caught.value.message == (
        'error executing jsonpath "{.x}{\\"\\\\n\\"}": Error executing template: x is not found. '
        "Printing more information for debugging the template:\n"
        '\ttemplate was:\n\t\t{.x}{"\\n"}\n'
        "\tobject given to jsonpath engine was:\n"
        '\t\tmap[string]interface {}{"f":1e+21, "l":[]interface {}{}, "n":interface {}(nil), '
        '"s":"q\\"\\x01\\u2028é", "t":true}\n\n\n'
    )


def test_existence_filter_ignores_errors_of_its_path() -> None:
    # client-go hands the input back with the error, so the filter sees a value and keeps the item
    assert render("{.spec.ports[?(@.name[0])].port}", SERVICE, allow_missing_keys=False) == "80 443"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("metadata.name", "{.metadata.name}"),
        (".metadata.name", "{.metadata.name}"),
        ("{metadata.name}", "{.metadata.name}"),
        ("{.metadata.name}", "{.metadata.name}"),
        (".", "{..}"),
        ("..name", "{..name}"),
        ("", ""),
    ],
)
def test_relaxed_expression(path: str, expected: str) -> None:
    assert relaxed_expression(path) == expected


@pytest.mark.parametrize("path", ["{.a}x", "{a", "a}", "{.a}{.b}", ".a\n}"])
def test_relaxed_expression_rejects(path: str) -> None:
    with pytest.raises(JsonPathError) as caught:
        relaxed_expression(path)
    assert caught.value.message == (
        "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'"
    )


def test_find_values() -> None:
    assert find_values(".spec.ports[*].port", SERVICE) == [80, 443]
    assert find_values("metadata.labels.app", SERVICE) == ["kubia"]
    assert find_values("{.spec.selector}", SERVICE) == [{"app": "kubia"}]
    assert find_values(".nope", SERVICE) == []
    with pytest.raises(JsonPathError) as caught:
        find_values(".spec.ports[", SERVICE)
    assert caught.value.message == "unterminated array"
    with pytest.raises(JsonPathError) as caught:
        find_values(".metadata.name[0]", SERVICE)
    assert caught.value.message == "string is not array or slice"


# --------------------------------------------------------------------------------------------
# Property: whatever the template, the only failure is a JsonPathError (never a traceback).

# fmt: off
_FRAGMENTS = [
    "{", "}", ".", "..", "[", "]", "[*]", "[0]", "[-1]", "[1:]", "[::2]", "[0,1]", "['name','port']",
    "[?(", ")]", "@", "$", "==", "!=", "<", ">=", "'", '"', "\\", "range ", "end", " ", ",", "*",
    "metadata", "name", "spec", "ports", "port", "labels", "kubernetes\\.io/name", "80", "1.5", "true",
    "-", "+", "/", "\n", "\t", "{range .spec.ports[*]}", "{end}", '{"\\n"}', "\\x41", "\\u00e9", ":",
]
# fmt: on

_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(
    template=st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=3), max_size=12).map("".join),
    data=st.one_of(st.just(SERVICE), st.just(NODES), _JSON),
    allow_missing=st.booleans(),
)
def test_random_templates_fail_only_with_jsonpath_error(
    template: str, data: object, allow_missing: bool
) -> None:
    for function in (render, render_as_json):
        try:
            assert isinstance(function(template, data, allow_missing), str)
        except JsonPathError as error:
            assert isinstance(error.message, str) and error.message
    try:
        assert isinstance(find_values(template, data), list)
    except JsonPathError as error:
        assert error.message
