"""kubectl's flag grammar: every form scripts use must parse the same way."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubesim.cli.flags import Command, Flag, FlagError, parse

GET = Command(
    name="get", summary="", usage="get",
    flags=(Flag("output", "o"), Flag("selector", "l"), Flag("all-namespaces", "A", "bool", False),
           Flag("label-columns", "L", "slice"), Flag("filename", "f", "slice"), Flag("stdin", "i", "bool", False),
           Flag("tty", "t", "bool", False), Flag("container", "c"), Flag("replicas", "", "int", 0),
           Flag("dry-run", "", "string", "none", no_value="unchanged")),
)


@pytest.mark.parametrize("argv", [
    ["-o", "json", "pods"], ["-ojson", "pods"], ["-o=json", "pods"], ["--output=json", "pods"],
    ["--output", "json", "pods"], ["pods", "-o", "json"], ["pods", "--output=json"],
])
def test_every_spelling_of_an_option_value_means_the_same(argv):
    parsed = parse(GET, argv)
    assert parsed.options["output"] == "json"
    assert parsed.args == ["pods"]


def test_the_books_custom_columns_form_keeps_everything_after_the_first_equals():
    parsed = parse(GET, ["po", "-o=custom-columns=NAME:.metadata.name"])
    assert parsed.options["output"] == "custom-columns=NAME:.metadata.name"


def test_double_dash_ends_flags_and_everything_after_is_an_argument():
    parsed = parse(GET, ["kubia-x", "-c", "main", "--", "curl", "-s", "-o", "/dev/null", "http://kubia"])
    assert parsed.options["container"] == "main"
    assert parsed.options["output"] is None
    assert parsed.args == ["kubia-x", "curl", "-s", "-o", "/dev/null", "http://kubia"]
    assert parsed.args_after_dash == 1


def test_bool_shorthands_combine_and_a_value_flag_takes_the_rest_of_the_group():
    parsed = parse(GET, ["-it", "pod"])
    assert parsed.options["stdin"] is True and parsed.options["tty"] is True
    parsed = parse(GET, ["-itc", "main", "pod"])
    assert parsed.options["container"] == "main"
    parsed = parse(GET, ["-itcmain", "pod"])
    assert parsed.options["container"] == "main"


def test_slices_accumulate_and_split_on_commas():
    parsed = parse(GET, ["-L", "app,tier", "-L", "env", "-f", "a.yaml", "--filename=b.yaml,c.yaml"])
    assert parsed.options["label_columns"] == ["app", "tier", "env"]
    assert parsed.options["filename"] == ["a.yaml", "b.yaml", "c.yaml"]


def test_bool_flags_take_explicit_values_only_with_equals():
    assert parse(GET, ["--all-namespaces=false"]).options["all_namespaces"] is False
    parsed = parse(GET, ["-A", "false"])
    assert parsed.options["all_namespaces"] is True and parsed.args == ["false"]


def test_a_flag_with_an_optional_value_is_bare_or_uses_equals():
    assert parse(GET, ["--dry-run"]).options["dry_run"] == "unchanged"
    assert parse(GET, ["--dry-run=client"]).options["dry_run"] == "client"
    assert parse(GET, ["--dry-run", "client"]).args == ["client"]


def test_global_namespace_flag_is_accepted_everywhere():
    assert parse(GET, ["pods", "-n", "kube-system"]).options["namespace"] == "kube-system"
    assert parse(GET, ["-nkube-system", "pods"]).options["namespace"] == "kube-system"


@pytest.mark.parametrize("argv, message", [
    (["--foo"], "unknown flag: --foo"),
    (["-x"], "unknown shorthand flag: 'x' in -x"),
    (["-o"], "flag needs an argument: 'o' in -o"),
    (["--output"], "flag needs an argument: --output"),
    (["--replicas=two"], 'invalid argument "two" for "--replicas" flag: strconv.ParseInt: parsing "two": '
                         "invalid syntax"),
    (["--all-namespaces=maybe"], 'invalid argument "maybe" for "-A, --all-namespaces" flag: '
                                 'strconv.ParseBool: parsing "maybe": invalid syntax'),
])
def test_flag_errors_read_as_pflag_writes_them(argv, message):
    with pytest.raises(FlagError) as caught:
        parse(GET, argv)
    assert caught.value.message == message
    assert caught.value.command == "kubesim get"


@given(st.lists(st.text(max_size=12), max_size=8))
def test_any_argv_either_parses_or_is_a_flag_error(argv):
    try:
        parsed = parse(GET, argv)
    except FlagError:
        return
    assert all(isinstance(arg, str) for arg in parsed.args)
