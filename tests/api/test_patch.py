"""The three patch types: JSON merge patch (RFC 7386), JSON patch (RFC 6902, as evanphx/json-patch v4
applies it for the API server and kubectl) and strategic merge patch with Kubernetes' list strategies."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubesim.api.patch import PatchError, json_patch, merge_patch, strategic_merge

# -- generated JSON documents ----------------------------------------------------------------------
keys = st.sampled_from(["a", "b", "c", "spec", "x/y", "t~1"])
scalars = st.one_of(st.booleans(), st.integers(-5, 5), st.text(max_size=3))
documents = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                          st.dictionaries(keys, inner, max_size=3)),
                         max_leaves=12)
objects = st.dictionaries(keys, documents, max_size=4)


def merge_diff(source, target):
    """The RFC 7386 patch that turns ``source`` into ``target`` (maps recurse, removals are null)."""
    if not isinstance(source, dict) or not isinstance(target, dict):
        return copy.deepcopy(target)
    patch = {key: None for key in source if key not in target}
    for key, value in target.items():
        if key not in source:
            patch[key] = copy.deepcopy(value)
        elif source[key] != value or type(source[key]) is not type(value):
            patch[key] = merge_diff(source[key], value)
    return patch


def pointer(*tokens: str) -> str:
    return "".join("/" + token.replace("~", "~0").replace("/", "~1") for token in tokens)


def json_diff(source, target, path: tuple[str, ...] = ()):
    """A JSON patch from ``source`` to ``target``: per key of nested maps, else replace the whole value."""
    if isinstance(source, dict) and isinstance(target, dict):
        ops = [{"op": "remove", "path": pointer(*path, key)} for key in source if key not in target]
        for key, value in target.items():
            if key not in source:
                ops.append({"op": "add", "path": pointer(*path, key), "value": value})
            else:
                ops += json_diff(source[key], value, (*path, key))
        return ops
    if source == target and type(source) is type(target):
        return []
    return [{"op": "replace", "path": pointer(*path), "value": target}]


@given(objects, objects)
def test_the_merge_patch_between_two_documents_turns_one_into_the_other(source, target):
    assert merge_patch(source, merge_diff(source, target)) == target


@given(objects)
def test_an_empty_merge_patch_changes_nothing_and_a_patch_applies_idempotently(doc):
    assert merge_patch(doc, {}) == doc
    patch = merge_diff({}, doc)
    assert merge_patch(merge_patch(doc, patch), patch) == merge_patch(doc, patch)


@given(objects, objects)
def test_the_json_patch_between_two_documents_turns_one_into_the_other(source, target):
    ops = json_diff(source, target)
    assert json_patch(source, ops) == target
    assert source == json_patch(source, [])  # patching never touches its input


@given(objects, st.data())
def test_a_json_patch_test_op_passes_on_every_value_the_document_holds(doc, data):
    if not doc:
        return
    key = data.draw(st.sampled_from(sorted(doc)))
    assert json_patch(doc, [{"op": "test", "path": pointer(key), "value": doc[key]}]) == doc
    with pytest.raises(PatchError, match="test failed"):
        json_patch(doc, [{"op": "test", "path": pointer(key), "value": ["never", "there"]}])


@given(objects, st.data())
def test_move_then_move_back_is_the_identity_and_copy_duplicates(doc, data):
    if not doc:
        return
    key = data.draw(st.sampled_from(sorted(doc)))
    there = [{"op": "move", "from": pointer(key), "path": "/moved-away"}]
    moved = json_patch(doc, there)
    assert "moved-away" in moved and (key == "moved-away" or key not in moved)
    back = json_patch(moved, [{"op": "move", "from": "/moved-away", "path": pointer(key)}])
    assert back == doc
    copied = json_patch(doc, [{"op": "copy", "from": pointer(key), "path": "/copied"}])
    assert copied["copied"] == doc[key]


def test_json_patch_on_lists_inserts_appends_and_removes_by_index():
    doc = {"items": ["a", "b"]}
    assert json_patch(doc, [{"op": "add", "path": "/items/1", "value": "x"}]) == {"items": ["a", "x", "b"]}
    assert json_patch(doc, [{"op": "add", "path": "/items/-", "value": "z"}]) == {"items": ["a", "b", "z"]}
    assert json_patch(doc, [{"op": "remove", "path": "/items/0"}]) == {"items": ["b"]}
    assert json_patch(doc, [{"op": "replace", "path": "/items/1", "value": "y"}]) == {"items": ["a", "y"]}


@pytest.mark.parametrize(("ops", "message"), [
    ([{"op": "remove", "path": "/spec/nope"}],
     "error in remove for path: '/spec/nope': Unable to remove nonexistent key: nope: missing value"),
    ([{"op": "remove", "path": "/items/5"}],
     "error in remove for path: '/items/5': Unable to access invalid index: 5: invalid index referenced"),
    ([{"op": "add", "path": "/spec/x/y", "value": 1}],
     'add operation does not apply: doc is missing path: "/spec/x/y": missing value'),
    ([{"op": "add", "path": "/items/7", "value": 1}],
     "error in add for path: '/items/7': Unable to access invalid index: 7: invalid index referenced"),
    ([{"op": "remove", "path": "/items/x"}],
     "error in remove for path: '/items/x': strconv.Atoi: parsing \"x\": invalid syntax"),
    ([{"op": "replace", "path": "/items/01", "value": 1}],
     "replace operation does not apply: doc is missing path: /items/01: missing value"),
    ([{"op": "test", "path": "/spec/replicas", "value": "3"}], "testing value /spec/replicas failed: test failed"),
    ([{"op": "bogus", "path": "/x"}], "Unexpected kind: bogus"),
    ([{"op": "add"}], "add operation failed to decode path: missing value"),
    ({"op": "add"}, "json: cannot unmarshal object into Go value of type jsonpatch.Patch"),
    ([1], "json: cannot unmarshal number into Go value of type jsonpatch.Operation"),
])
def test_a_json_patch_that_does_not_apply_fails_in_the_library_s_words(ops, message):
    doc = {"spec": {"replicas": 3}, "items": ["a"]}
    with pytest.raises(PatchError) as failure:
        json_patch(doc, ops)
    assert failure.value.message == message


def test_json_patch_keeps_the_libraries_lenient_corners():
    doc = {"spec": {"replicas": 3}}
    assert json_patch(doc, [{"op": "replace", "path": "/spec/nope", "value": 1}])["spec"]["nope"] == 1
    assert json_patch(doc, [{"op": "copy", "from": "/spec/nope", "path": "/spec/x"}])["spec"]["x"] is None
    assert json_patch(doc, [{"op": "add", "path": "/spec/x"}])["spec"]["x"] is None
    assert json_patch(doc, [{"op": "test", "path": "/spec/nope", "value": None}]) == doc


POD_SPEC = {"spec": {"containers": [
    {"name": "kubia", "image": "luksa/kubia", "ports": [{"containerPort": 8080, "protocol": "TCP"}],
     "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]},
    {"name": "sidecar", "image": "busybox"},
], "volumes": [{"name": "data", "emptyDir": {}}], "finalizers": ["a", "b", "c"]}}


def test_strategic_merge_merges_containers_env_and_ports_by_their_keys():
    patch = {"spec": {"containers": [{"name": "kubia", "image": "luksa/kubia:v2",
                                      "env": [{"name": "B", "value": "20"}, {"name": "C", "value": "3"}],
                                      "ports": [{"containerPort": 8443}]}]}}
    result = strategic_merge(POD_SPEC, patch)
    kubia, sidecar = result["spec"]["containers"]
    assert kubia["image"] == "luksa/kubia:v2" and sidecar == POD_SPEC["spec"]["containers"][1]
    # The patch's items first, in its order, then those only the original has (kubectl --local agrees).
    assert kubia["env"] == [{"name": "B", "value": "20"}, {"name": "C", "value": "3"}, {"name": "A", "value": "1"}]
    assert [p["containerPort"] for p in kubia["ports"]] == [8443, 8080]


def test_strategic_merge_directives_delete_replace_retain_and_delete_from_primitive_lists():
    deleted = strategic_merge(POD_SPEC, {"spec": {"containers": [{"name": "sidecar", "$patch": "delete"}]}})
    assert [c["name"] for c in deleted["spec"]["containers"]] == ["kubia"]
    replaced = strategic_merge(POD_SPEC, {"spec": {"containers": [{"name": "only", "image": "x"},
                                                                  {"$patch": "replace"}]}})
    assert replaced["spec"]["containers"] == [{"name": "only", "image": "x"}]
    volume = strategic_merge(POD_SPEC, {"spec": {"volumes": [
        {"name": "data", "hostPath": {"path": "/d"}, "$retainKeys": ["name", "hostPath"]}]}})
    assert volume["spec"]["volumes"] == [{"name": "data", "hostPath": {"path": "/d"}}]
    whole_map = strategic_merge({"spec": {"selector": {"a": "1", "b": "2"}}},
                                {"spec": {"selector": {"c": "3", "$patch": "replace"}}})
    assert whole_map == {"spec": {"selector": {"c": "3"}}}
    primitives = strategic_merge(POD_SPEC, {"spec": {"$deleteFromPrimitiveList/finalizers": ["b"],
                                                     "$setElementOrder/containers": [{"name": "sidecar"}]}})
    assert primitives["spec"]["finalizers"] == ["a", "c"]
    assert strategic_merge(POD_SPEC, {"spec": {"volumes": None}})["spec"].get("volumes") is None


def test_strategic_merge_merges_service_ports_by_port_and_replaces_other_lists():
    service = {"spec": {"ports": [{"port": 80, "targetPort": 8080}], "externalIPs": ["1.2.3.4"]}}
    result = strategic_merge(service, {"spec": {"ports": [{"port": 80, "name": "http"}, {"port": 443}],
                                                "externalIPs": ["5.6.7.8"]}})
    assert result["spec"]["ports"] == [{"port": 80, "targetPort": 8080, "name": "http"}, {"port": 443}]
    reordered = strategic_merge(result, {"spec": {"ports": [{"port": 443, "name": "https"}]}})
    assert [p["port"] for p in reordered["spec"]["ports"]] == [443, 80]
    assert result["spec"]["externalIPs"] == ["5.6.7.8"]


def test_strategic_merge_refuses_an_item_without_its_merge_key_and_an_unknown_directive():
    with pytest.raises(PatchError, match="does not contain declared merge key: name"):
        strategic_merge(POD_SPEC, {"spec": {"containers": [{"image": "x"}]}})
    with pytest.raises(PatchError, match=r"unknown patch type: bogus in map: map\[\$patch:bogus\]"):
        strategic_merge(POD_SPEC, {"spec": {"$patch": "bogus"}})


@given(objects, objects)
def test_strategic_merge_of_maps_without_lists_is_the_json_merge_patch(source, target):
    def no_lists(value):
        if isinstance(value, dict):
            return {k: no_lists(v) for k, v in value.items()}
        return "list" if isinstance(value, list) else value

    source, target = no_lists(source), no_lists(target)
    patch = merge_diff(source, target)
    if isinstance(patch, dict):
        assert strategic_merge(source, patch) == merge_patch(source, patch) == target
