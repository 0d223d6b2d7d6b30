"""``-o custom-columns``: specs, files, whole tables and error texts as kubectl 1.36 prints them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kubesim.printers.custom_columns import CustomColumnsError, parse_file, parse_spec, render
from kubesim.printers.jsonpath import JsonPathError

PODS = [
    {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "kubia-6b9wj", "labels": {"app": "kubia", "tier": "web"}},
        "spec": {
            "containers": [
                {"name": "kubia", "image": "luksa/kubia", "ports": [{"containerPort": 8080}]},
                {
                    "name": "sidecar",
                    "image": "busybox",
                    "ports": [{"containerPort": 9000}, {"containerPort": 9001}],
                },
            ]
        },
        "status": {"podIP": "10.244.1.7", "containerStatuses": [{"ready": True}, {"ready": False}]},
    },
    {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "plain"},
        "spec": {"containers": [{"name": "main", "image": "nginx", "args": ["-g", "daemon off;"]}]},
    },
]

RELAXED_ERROR = "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'"


def test_parse_spec_normalises_every_path_form() -> None:
    assert parse_spec("A:metadata.name,B:.metadata.name,C:{metadata.name},D:{.metadata.name}") == [
        ("A", "{.metadata.name}"),
        ("B", "{.metadata.name}"),
        ("C", "{.metadata.name}"),
        ("D", "{.metadata.name}"),
    ]
    # the header keeps its case and spaces; the path is split off at the first colon only
    assert parse_spec("long Name:.a,X:b:c,EMPTY:") == [("long Name", "{.a}"), ("X", "{.b:c}"), ("EMPTY", "")]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "custom-columns format specified but no custom columns given"),
        ("NAME", "unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>"),
        ("A:.a,,B:.b", "unexpected custom-columns spec: , expected <header>:<json-path-expr>"),
        ("A:.items[0,1]", "unexpected custom-columns spec: 1], expected <header>:<json-path-expr>"),
    ],
)
def test_parse_spec_errors(spec: str, message: str) -> None:
    with pytest.raises(CustomColumnsError) as caught:
        parse_spec(spec)
    assert caught.value.message == message
    assert isinstance(caught.value, ValueError)


def test_parse_spec_rejects_templates() -> None:
    with pytest.raises(JsonPathError) as caught:
        parse_spec("NAME:{.a}x")
    assert caught.value.message == RELAXED_ERROR


def test_parse_file() -> None:
    text = "NAME   IMAGES\r\n.metadata.name\t{.spec.containers[*].image}\nignored third line\n"
    assert parse_file(text) == [("NAME", "{.metadata.name}"), ("IMAGES", "{.spec.containers[*].image}")]
    assert parse_file("  A  \n  b  ") == [("A", "{.b}")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "",
            "invalid template, missing header line. Expected format is one line of space separated headers, "
            "one line of space separated column specs.",
        ),
        (
            "NAME\n",
            "invalid template, missing spec line. Expected format is one line of space separated headers, "
            "one line of space separated column specs.",
        ),
        ("A B\n.a", "number of headers (2) and field specifications (1) don't match"),
        ("A\n.a .b .c\n", "number of headers (1) and field specifications (3) don't match"),
    ],
)
def test_parse_file_errors(text: str, message: str) -> None:
    with pytest.raises(CustomColumnsError) as caught:
        parse_file(text)
    assert caught.value.message == message


def test_parse_file_rejects_templates() -> None:
    with pytest.raises(JsonPathError) as caught:
        parse_file("A\n{.a}x\n")
    assert caught.value.message == RELAXED_ERROR


def test_render_table() -> None:
    columns = parse_spec(
        "NAME:.metadata.name,IMAGES:.spec.containers[*].image,PORTS:.spec.containers[*].ports[*].containerPort,"
        "LABELS:.metadata.labels,ARGS:.spec.containers[0].args,READY:status.containerStatuses[*].ready,IP:status.podIP"
    )
    assert render(PODS, columns) == (
        "NAME          IMAGES                PORTS            LABELS                    ARGS               READY        IP\n"
        "kubia-6b9wj   luksa/kubia,busybox   8080,9000,9001   map[app:kubia tier:web]   <none>             true,false   10.244.1.7\n"
        "plain         nginx                 <none>           <none>                    [-g daemon off;]   <none>       <none>\n"
    )


def test_render_reference_examples() -> None:
    obj = {"apiVersion": "baz", "kind": "Pod", "metadata": {"name": "foo"}}
    assert render([obj], parse_spec("NAME:.metadata.name,API_VERSION:.apiVersion,NOT_FOUND:.notFound")) == (
        "NAME   API_VERSION   NOT_FOUND\nfoo    baz           <none>\n"
    )
    two = [{"metadata": {"name": "foo"}}, {"metadata": {"name": "bar"}}]
    spec = "NAME:{.metadata.name},LONG COLUMN NAME:{.metadata.name},LABEL 2:{.metadata.name}"
    assert render(two, parse_spec(spec)) == (
        "NAME   LONG COLUMN NAME   LABEL 2\nfoo    foo                foo\nbar    bar                bar\n"
    )


def test_render_values_like_go_fmt() -> None:
    obj = {"v": {"f": 2.5, "whole": 3.0, "n": None, "b": False, "e": {}, "l": [], "m": {"k": [1, "x"]}}}
    columns = parse_spec("V:.v,F:.v.f,W:.v.whole,N:.v.n,B:.v.b,E:.v.e,L:.v.l,ALL:.v.m.k[*]")
    assert render([obj], columns, no_headers=True) == (
        "map[b:false e:map[] f:2.5 l:[] m:map[k:[1 x]] n:<nil> whole:3]   2.5   3     <nil>   false   map[]   []    1,x\n"
    )


def test_render_header_only_and_no_headers() -> None:
    columns = parse_spec("NAME:.metadata.name,A:,:.kind")
    assert render([], columns) == "NAME   A     \n"
    assert render([], columns, no_headers=True) == ""
    assert (
        render(PODS, columns, no_headers=True) == "kubia-6b9wj   <none>   Pod\nplain         <none>   Pod\n"
    )


def test_render_errors_keep_what_kubectl_printed_first() -> None:
    # kubectl parses the paths after writing the header, and stops at the first row that fails
    with pytest.raises(JsonPathError) as caught:
        render(PODS, parse_spec("NAME:.metadata.name,BAD:.spec.containers["))
    assert (caught.value.message, caught.value.output) == ("unterminated array", "NAME   BAD\n")

    with pytest.raises(JsonPathError) as caught:
        render(PODS, parse_spec("NAME:.metadata.name,SECOND:.spec.containers[1].name"))
    assert caught.value.message == "array index out of bounds: index 1, length 1"
    assert caught.value.output == "NAME          SECOND\nkubia-6b9wj   sidecar\n"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=":,.{}[]*?()@'\"=\\ \tabc01\n-", max_size=30))
def test_random_specs_fail_only_with_kubectl_errors(spec: str) -> None:
    try:
        columns = parse_spec(spec)
        assert isinstance(render(PODS, columns), str)
    except (CustomColumnsError, JsonPathError) as error:
        assert error.message
