"""kubectl's flag grammar through the Typer front door: every form scripts use must parse as pflag does.

Each case goes through ``kubesim.cli.main.parse`` (cobra's verb search, the normalisation step and
Click), so what is checked is what a command line really becomes.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubesim.cli.context import Request
from kubesim.cli.grammar import FlagError
from kubesim.cli.main import parse
from kubesim.env import Env
from kubesim.errors import KubectlError


def parsed(*argv: str):
    request = Request(Env(home="/nonexistent", stdin=io.StringIO(), stdout=io.StringIO(),
                          stderr=io.StringIO()), list(argv))
    ctx = parse(request)
    assert ctx is not None
    args = [w for p in ctx.command.params if p.__class__.__name__.endswith("Argument")
            for w in (ctx.params.get(p.name) or ())]
    return ctx.params, args, request.normalised


@pytest.mark.parametrize("argv", [
    ["-o", "json", "pods"], ["-ojson", "pods"], ["-o=json", "pods"], ["--output=json", "pods"],
    ["--output", "json", "pods"], ["pods", "-o", "json"], ["pods", "--output=json"],
])
def test_every_spelling_of_an_option_value_means_the_same(argv):
    options, args, _ = parsed("get", *argv)
    assert options["output"] == "json"
    assert args == ["pods"]


def test_the_books_custom_columns_form_keeps_everything_after_the_first_equals():
    options, args, _ = parsed("get", "po", "-o=custom-columns=NAME:.metadata.name")
    assert options["output"] == "custom-columns=NAME:.metadata.name"
    assert args == ["po"]


def test_double_dash_ends_flags_and_everything_after_is_an_argument():
    options, args, normalised = parsed("exec", "kubia-x", "-c", "main", "--", "curl", "-s", "-o", "/dev/null",
                                       "http://kubia")
    assert options["container"] == "main"
    assert args == ["kubia-x", "curl", "-s", "-o", "/dev/null", "http://kubia"]
    assert normalised.args_after_dash == 1


def test_without_double_dash_the_book_s_old_exec_form_has_no_dash_position():
    options, args, normalised = parsed("exec", "kubia-x", "curl", "-s", "http://kubia")
    assert options["server"] == "http://kubia"  # -s is kubectl's global --server
    assert args == ["kubia-x", "curl"] and normalised.args_after_dash is None


def test_bool_shorthands_combine_and_a_value_flag_takes_the_rest_of_the_group():
    options, args, _ = parsed("exec", "-it", "pod", "--", "bash")
    assert options["stdin"] is True and options["tty"] is True and args == ["pod", "bash"]
    assert parsed("exec", "-itc", "main", "pod", "--", "sh")[0]["container"] == "main"
    assert parsed("exec", "-itcmain", "pod", "--", "sh")[0]["container"] == "main"
    assert parsed("exec", "-c=main", "pod", "--", "sh")[0]["container"] == "main"


def test_slices_accumulate_and_split_on_commas():
    options, _, _ = parsed("get", "-L", "app,tier", "-L", "env", "-f", "a.yaml", "--filename=b.yaml,c.yaml")
    assert options["label_columns"] == ["app", "tier", "env"]
    assert options["filename"] == ["a.yaml", "b.yaml", "c.yaml"]


def test_arrays_keep_commas_inside_each_value():
    options, _, _ = parsed("run", "x", "--image=busybox", "--env", "A=1,2", "--env=B=3")
    assert options["env"] == ["A=1,2", "B=3"]


def test_a_selector_is_one_string_with_its_commas():
    assert parsed("get", "po", "-l", "a=b,c!=d")[0]["selector"] == "a=b,c!=d"


def test_bool_flags_take_explicit_values_only_with_equals():
    options, _, normalised = parsed("get", "--all-namespaces=false", "po")
    assert options["all_namespaces"] is False and "all_namespaces" in normalised.set_false
    options, args, _ = parsed("get", "-A", "false")
    assert options["all_namespaces"] is True and args == ["false"]
    assert parsed("delete", "po", "--all=true")[0]["all"] is True
    assert parsed("delete", "po", "--all=false")[0]["all"] is False
    assert parsed("get", "po", "-A=T")[0]["all_namespaces"] is True


def test_a_bool_that_defaults_to_true_can_be_turned_off():
    assert parsed("get", "po")[0]["allow_missing_template_keys"] is True
    assert parsed("get", "po", "--allow-missing-template-keys=false")[0]["allow_missing_template_keys"] is False
    assert parsed("describe", "po", "--show-events=false")[0]["show_events"] is False


def test_a_flag_with_an_optional_value_is_bare_or_uses_equals():
    assert parsed("create", "--dry-run", "-f", "x.yaml")[0]["dry_run"] == "unchanged"
    assert parsed("create", "-f", "x.yaml", "--dry-run=client")[0]["dry_run"] == "client"
    options, args, _ = parsed("create", "--dry-run", "client")
    assert options["dry_run"] == "unchanged" and args == ["client"]
    assert parsed("delete", "po", "x", "--cascade")[0]["cascade"] == "background"


def test_global_namespace_flag_is_accepted_everywhere():
    assert parsed("get", "pods", "-n", "kube-system")[0]["namespace"] == "kube-system"
    assert parsed("get", "-nkube-system", "pods")[0]["namespace"] == "kube-system"
    assert parsed("-n", "kube-system", "get", "pods")[0]["namespace"] == "kube-system"
    assert parsed("--namespace=kube-system", "get", "pods")[0]["namespace"] == "kube-system"


def test_any_flag_of_the_verb_may_come_before_it_as_cobra_allows():
    options, args, _ = parsed("-ojson", "get", "pods")
    assert options["output"] == "json" and args == ["pods"]


def test_subcommands_parse_their_own_words():
    _, args, _ = parsed("clock", "advance", "2m29s")
    assert args == ["2m29s"]


@pytest.mark.parametrize("argv, message, where", [
    (["get", "--foo"], "unknown flag: --foo", "kubesim get"),
    (["get", "-x"], "unknown shorthand flag: 'x' in -x", "kubesim get"),
    (["get", "-ix"], "unknown shorthand flag: 'i' in -ix", "kubesim get"),
    (["get", "-Ax"], "unknown shorthand flag: 'x' in -Ax", "kubesim get"),
    (["get", "-o"], "flag needs an argument: 'o' in -o", "kubesim get"),
    (["get", "--output"], "flag needs an argument: --output", "kubesim get"),
    (["exec", "-itc"], "flag needs an argument: 'c' in -c", "kubesim exec"),
    (["scale", "--replicas=two"], 'invalid argument "two" for "--replicas" flag: strconv.ParseInt: parsing "two": '
                                  "invalid syntax", "kubesim scale"),
    (["get", "--all-namespaces=maybe"], 'invalid argument "maybe" for "-A, --all-namespaces" flag: '
                                        'strconv.ParseBool: parsing "maybe": invalid syntax', "kubesim get"),
    (["-A", "get", "pods"], "unknown shorthand flag: 'A' in -A", "kubesim"),
])
def test_flag_errors_read_as_pflag_writes_them(argv, message, where):
    with pytest.raises(FlagError) as caught:
        parsed(*argv)
    assert caught.value.message == message
    assert caught.value.command == where


def test_an_unknown_verb_gets_cobra_s_suggestions():
    with pytest.raises(KubectlError) as caught:
        parsed("gett", "pods")
    assert caught.value.verbatim == 'error: unknown command "gett" for "kubesim"\n\nDid you mean this?\n\tget\n'
    with pytest.raises(KubectlError) as caught:
        parsed("list")
    assert "\tget\n" in caught.value.verbatim


def test_extra_words_for_a_verb_without_arguments_are_kubectl_s_extra_arguments():
    with pytest.raises(KubectlError) as caught:
        parsed("version", "foo")
    assert caught.value.message == "extra arguments: [foo]"


# A model of pflag: any mix of these flags and positional words, in any order, means the same.
FLAG_FORMS = {
    "output": (["-o", "{v}"], ["-o{v}"], ["-o={v}"], ["--output", "{v}"], ["--output={v}"]),
    "selector": (["-l", "{v}"], ["-l={v}"], ["--selector={v}"]),
    "label_columns": (["-L", "{v}"], ["--label-columns={v}"]),
    "namespace": (["-n", "{v}"], ["-n{v}"], ["--namespace={v}"]),
}
BOOLS = {"all_namespaces": (["-A"], ["--all-namespaces"], ["--all-namespaces=true"]),
         "show_labels": (["--show-labels"],), "no_headers": (["--no-headers"],)}
VALUE = st.from_regex(r"[a-z][a-z0-9=.]{0,6}", fullmatch=True)
WORD = st.from_regex(r"[a-z][a-z0-9./]{0,8}", fullmatch=True)
ITEM = st.one_of(
    st.tuples(st.just("word"), WORD),
    st.tuples(st.sampled_from(sorted(FLAG_FORMS)), VALUE, st.integers(0, 4)),
    st.tuples(st.sampled_from(sorted(BOOLS)), st.integers(0, 2)),
)


@given(st.lists(ITEM, max_size=10))
def test_any_mix_of_flags_and_words_parses_as_pflag_would(items):
    argv: list[str] = []
    expected: dict = {"output": None, "selector": None, "label_columns": [], "namespace": None,
                      "all_namespaces": False, "show_labels": False, "no_headers": False}
    words: list[str] = []
    for item in items:
        if item[0] == "word":
            words.append(item[1])
            argv.append(item[1])
        elif item[0] in FLAG_FORMS:
            name, value, form = item
            forms = FLAG_FORMS[name]
            argv += [part.format(v=value) for part in forms[form % len(forms)]]
            if name == "label_columns":
                expected[name] += value.split(",")
            else:
                expected[name] = value
        else:
            name, form = item
            argv += BOOLS[name][form % len(BOOLS[name])]
            expected[name] = True
    options, args, _ = parsed("get", *argv)
    assert args == words
    for name, value in expected.items():
        assert options[name] == value, (argv, name)


@given(st.lists(st.text(max_size=12), max_size=8))
def test_any_argv_either_parses_or_is_a_kubectl_error(argv):
    try:
        parsed("get", *argv)
    except KubectlError:
        return
