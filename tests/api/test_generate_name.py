"""generateName collisions: the API server draws again (RetryGenerateName) before it answers AlreadyExists."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubesim.api import server
from kubesim.api.errors import ApiError
from kubesim.api.registry import kind_named
from tests.runtime.podlab import PodLab as Lab


def _drawing(monkeypatch, names: list[str]) -> list[str]:
    drawn: list[str] = []

    def generate_name(self, base: str) -> str:
        drawn.append(names[len(drawn)])
        return drawn[-1]

    monkeypatch.setattr(server.ApiServer, "generate_name", generate_name)
    return drawn


def _create_generated(lab: Lab) -> dict:
    with lab.cluster.api(write=True) as api:
        return api.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"generateName": "kubia-"}})


def test_a_taken_generated_name_is_drawn_again(tmp_path: Path, monkeypatch):
    lab = Lab(tmp_path)
    with lab.cluster.api(write=True) as api:
        api.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kubia-aaaaa"}})
    drawn = _drawing(monkeypatch, ["kubia-aaaaa", "kubia-aaaaa", "kubia-bbbbb"])
    assert _create_generated(lab)["metadata"]["name"] == "kubia-bbbbb"
    assert drawn == ["kubia-aaaaa", "kubia-aaaaa", "kubia-bbbbb"]


def test_eight_taken_draws_answer_already_exists_and_change_nothing(tmp_path: Path, monkeypatch):
    lab = Lab(tmp_path)
    with lab.cluster.api(write=True) as api:
        api.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kubia-aaaaa"}})
    drawn = _drawing(monkeypatch, ["kubia-aaaaa"] * 9)
    with pytest.raises(ApiError) as raised:
        _create_generated(lab)
    assert (raised.value.reason, raised.value.message) == (
        "AlreadyExists", 'configmaps "kubia-aaaaa" already exists')
    assert len(drawn) == server.GENERATE_NAME_ATTEMPTS == 8
    with lab.cluster.api() as api:
        assert [c["metadata"]["name"] for c in api.list(kind_named("ConfigMap"), "default")
                if c["metadata"]["name"].startswith("kubia-")] == ["kubia-aaaaa"]


def test_a_chosen_name_that_is_taken_is_not_drawn_again(tmp_path: Path, monkeypatch):
    lab = Lab(tmp_path)
    with lab.cluster.api(write=True) as api:
        api.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kubia-aaaaa"}})
    drawn = _drawing(monkeypatch, [])
    with pytest.raises(ApiError), lab.cluster.api(write=True) as api:
        api.create({"apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": {"name": "kubia-aaaaa", "generateName": "kubia-"}})
    assert drawn == []
