"""Listing by label through the store's label index finds exactly what the whole selector matches."""

from __future__ import annotations

import io
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubesim.api.selectors import parse_selector
from kubesim.cli.main import run as run_cli
from kubesim.env import Env

KEYS = ("app", "tier", "example.com/role")
VALUES = ("a", "b", "c-1")


def kubesim(home: Path, *argv: str, stdin: str = "") -> str:
    out, err = io.StringIO(), io.StringIO()
    env = Env(home=str(home), stdin=io.StringIO(stdin), stdout=out, stderr=err, seed=3)
    code = run_cli(list(argv), env)
    assert code == 0, (argv, err.getvalue())
    return out.getvalue()


LABELS = st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES), max_size=3)
TERM = st.one_of(
    st.builds(lambda k, v: f"{k}={v}", st.sampled_from(KEYS), st.sampled_from(VALUES)),
    st.builds(lambda k, v: f"{k}=={v}", st.sampled_from(KEYS), st.sampled_from(VALUES)),
    st.builds(lambda k, v: f"{k}!={v}", st.sampled_from(KEYS), st.sampled_from(VALUES)),
    st.builds(lambda k, vs: f"{k} in ({','.join(vs)})", st.sampled_from(KEYS),
              st.lists(st.sampled_from(VALUES), min_size=1, max_size=2, unique=True)),
    st.builds(lambda k, vs: f"{k} notin ({','.join(vs)})", st.sampled_from(KEYS),
              st.lists(st.sampled_from(VALUES), min_size=1, max_size=2, unique=True)),
    st.sampled_from(KEYS), st.builds(lambda k: f"!{k}", st.sampled_from(KEYS)))
SELECTOR = st.lists(TERM, min_size=1, max_size=3).map(",".join)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(objects=st.lists(LABELS, min_size=1, max_size=8), relabel=LABELS, selectors=st.lists(SELECTOR, min_size=1,
                                                                                             max_size=4))
def test_a_selector_lists_what_it_matches_after_creates_relabels_and_deletes(tmp_path_factory, objects, relabel,
                                                                             selectors):
    home = tmp_path_factory.mktemp("labels")
    manifest = "".join(
        "---\n" + json.dumps({"apiVersion": "v1", "kind": "ConfigMap",
                              "metadata": {"name": f"cm{i}", **({"labels": labels} if labels else {})}}) + "\n"
        for i, labels in enumerate(objects))
    kubesim(home, "create", "-f", "-", stdin=manifest)
    changes = [f"{k}-" for k in objects[0] if k not in relabel] + [f"{k}={v}" for k, v in relabel.items()]
    if changes:
        kubesim(home, "label", "cm", "cm0", *changes, "--overwrite")
    if len(objects) > 1:
        kubesim(home, "delete", "cm", "cm1")
    stored = json.loads(kubesim(home, "get", "cm", "-o", "json"))["items"]
    for text in selectors:
        expected = "".join(f"configmap/{cm['metadata']['name']}\n" for cm in stored
                           if parse_selector(text).matches(cm["metadata"].get("labels") or {}))
        assert kubesim(home, "get", "cm", "-l", text, "-o", "name") == expected, text
