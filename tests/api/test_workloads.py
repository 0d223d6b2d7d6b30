"""ReplicationControllers, ReplicaSets and Deployments: defaults, validation texts, columns."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kubesim.api.errors import invalid_object
from kubesim.api.registry import kind_named
from kubesim.api.validation import validate_object_meta
from tests.api.corpus import manifest

RC = kind_named("ReplicationController")
RS = kind_named("ReplicaSet", "apps")
DEPLOY = kind_named("Deployment", "apps")
NOW = datetime(2024, 7, 10, 12, 0, 0, tzinfo=UTC)
TEMPLATE_SPEC = {"dnsPolicy": "ClusterFirst", "restartPolicy": "Always", "schedulerName": "default-scheduler",
                 "securityContext": {}, "terminationGracePeriodSeconds": 30}
KUBIA = {"name": "kubia", "image": "luksa/kubia", "imagePullPolicy": "Always", "resources": {},
         "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}


def defaulted(kind, obj: dict[str, Any]) -> dict[str, Any]:
    obj = copy.deepcopy(obj)
    kind.default(obj)
    return obj


def errors(kind, spec: dict[str, Any], old: dict[str, Any] | None = None) -> list[str]:
    obj = defaulted(kind, {"apiVersion": kind.api_version, "kind": kind.kind,
                           "metadata": {"name": "kubia", "namespace": "default"}, "spec": spec})
    return [e.message() for e in validate_object_meta(kind, obj) + kind.validate(obj, old)]


def template(labels: dict[str, str] | None = None, **spec: Any) -> dict[str, Any]:
    meta = {"labels": labels} if labels is not None else {}
    return {"metadata": meta, "spec": {"containers": [{"name": "kubia", "image": "luksa/kubia"}], **spec}}


MISMATCH = "`selector` does not match template `labels`"


# -- ReplicationController -------------------------------------------------------------------------


def test_rc_defaulting_of_the_books_rc():
    assert defaulted(RC, manifest("Chapter04/kubia-rc.yaml")) == {
        "apiVersion": "v1", "kind": "ReplicationController",
        "metadata": {"name": "kubia", "labels": {"app": "kubia"}},
        "spec": {"replicas": 3, "selector": {"app": "kubia"}, "template": {
            "metadata": {"labels": {"app": "kubia"}},
            "spec": {"containers": [{**KUBIA, "ports": [{"containerPort": 8080, "protocol": "TCP"}]}],
                     **TEMPLATE_SPEC}}},
        "status": {"replicas": 0},
    }


def test_rc_selector_labels_and_replicas_come_from_the_template():
    obj = defaulted(RC, {"metadata": {"name": "kubia"}, "spec": {"template": template({"app": "kubia"})}})
    assert obj["spec"]["selector"] == {"app": "kubia"}
    assert obj["spec"]["replicas"] == 1
    assert obj["metadata"]["labels"] == {"app": "kubia"}


@pytest.mark.parametrize("spec, messages", [
    ({"selector": {"app": "kubia"}, "template": template({"app": "foo"})},
     ['spec.template.metadata.labels: Invalid value: {"app":"foo"}: ' + MISMATCH]),
    ({"template": template()}, ["spec.selector: Required value"]),
    ({}, ["spec.selector: Required value", "spec.template: Required value"]),
    ({"replicas": -1, "template": template({"app": "kubia"})},
     ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"]),
    ({"template": template({"app": "kubia"}, restartPolicy="Never")},
     ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']),
    ({"template": template({"app": "kubia"}, activeDeadlineSeconds=5)},
     ["spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicationController is not "
      "Supported"]),
    ({"template": template({"app": "-"})},
     [f'{path}: Invalid value: "-": a valid label must be an empty string or consist of alphanumeric '
      "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
      "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
      for path in ("metadata.labels", "spec.template.labels")]),
    ({"template": {"metadata": {"labels": {"app": "kubia"}}, "spec": {}}},
     ["spec.template.spec.containers: Required value"]),
])
def test_rc_rules(spec, messages):
    assert errors(RC, spec) == messages


def test_rc_from_the_book_is_valid_and_readiness_probe_too():
    for path in ("Chapter04/kubia-rc.yaml", "Chapter05/kubia-rc-readinessprobe.yaml"):
        obj = defaulted(RC, manifest(path))
        obj["metadata"]["namespace"] = "default"
        assert validate_object_meta(RC, obj) + RC.validate(obj, None) == []


# -- ReplicaSet ------------------------------------------------------------------------------------


def as_apps_v1(path: str) -> dict[str, Any]:
    obj = manifest(path)
    obj["apiVersion"] = "apps/v1"
    return obj


def test_rs_defaulting():
    obj = defaulted(RS, as_apps_v1("Chapter04/kubia-replicaset.yaml"))
    assert obj == {
        "apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "kubia"},
        "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "kubia"}}, "template": {
            "metadata": {"labels": {"app": "kubia"}}, "spec": {"containers": [KUBIA], **TEMPLATE_SPEC}}},
        "status": {"replicas": 0},
    }


def test_rs_from_the_book_are_valid_under_apps_v1():
    for path in ("Chapter04/kubia-replicaset.yaml", "Chapter04/kubia-replicaset-matchexpressions.yaml"):
        obj = defaulted(RS, as_apps_v1(path))
        obj["metadata"]["namespace"] = "default"
        assert validate_object_meta(RS, obj) + RS.validate(obj, None) == []


@pytest.mark.parametrize("spec, messages", [
    ({"template": template({"app": "kubia"})},
     ["spec.selector: Required value", 'spec.template.metadata.labels: Invalid value: {"app":"kubia"}: ' + MISMATCH]),
    ({"selector": {}, "template": template({"app": "kubia"})},
     ["spec.selector: Invalid value: {}: empty selector is invalid for deployment"]),
    ({"selector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["a", "b"]}]},
      "template": template({"app": "c"})},
     ['spec.template.metadata.labels: Invalid value: {"app":"c"}: ' + MISMATCH]),
    ({"selector": {"matchExpressions": [{"key": "app", "operator": "In"}]}, "template": template({"app": "c"})},
     ["spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or "
      "'NotIn'",
      'spec.selector: Invalid value: {"matchExpressions":[{"key":"app","operator":"In"}]}: invalid label selector']),
    ({"selector": {"matchLabels": {"app": "kubia"}}, "template": template({"app": "kubia"}, restartPolicy="OnFailure")},
     ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"']),
    ({"replicas": -2, "minReadySeconds": -1, "selector": {"matchLabels": {"app": "kubia"}},
      "template": template({"app": "kubia"})},
     ["spec.replicas: Invalid value: -2: must be greater than or equal to 0",
      "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0"]),
])
def test_rs_rules(spec, messages):
    assert errors(RS, spec) == messages


def test_rs_selector_is_immutable():
    old = defaulted(RS, {"metadata": {"name": "kubia"}, "spec": {
        "selector": {"matchLabels": {"app": "kubia"}}, "template": template({"app": "kubia", "tier": "web"})}})
    new_spec = {"selector": {"matchLabels": {"tier": "web", "app": "kubia"}},
                "template": template({"app": "kubia", "tier": "web"})}
    assert errors(RS, new_spec, old=old) == [
        'spec.selector: Invalid value: {"matchLabels":{"app":"kubia","tier":"web"}}: field is immutable']
    same = {"selector": {"matchLabels": {"app": "kubia"}, "matchExpressions": []},
            "template": template({"app": "kubia"})}
    assert errors(RS, same, old=old) == []


# -- Deployment ------------------------------------------------------------------------------------


def deployment(**spec: Any) -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "kubia"},
            "spec": {"selector": {"matchLabels": {"app": "kubia"}}, "template": template({"app": "kubia"}), **spec}}


def test_deployment_defaulting():
    assert defaulted(DEPLOY, deployment()) == {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "kubia"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "kubia"}}, "progressDeadlineSeconds": 600,
                 "revisionHistoryLimit": 10,
                 "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
                 "template": {"metadata": {"labels": {"app": "kubia"}},
                              "spec": {"containers": [KUBIA], **TEMPLATE_SPEC}}},
        "status": {},
    }
    recreate = defaulted(DEPLOY, deployment(strategy={"type": "Recreate"}))
    assert recreate["spec"]["strategy"] == {"type": "Recreate"}


@pytest.mark.parametrize("spec, messages", [
    ({}, []),
    ({"strategy": {"type": "Blue"}},
     ['spec.strategy: Unsupported value: {"Type":"Blue","RollingUpdate":null}: supported values: "Recreate", '
      '"RollingUpdate"']),
    ({"strategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}}},
     ["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"]),
    ({"strategy": {"rollingUpdate": {"maxSurge": "abc", "maxUnavailable": "200%"}}},
     ['spec.strategy.rollingUpdate.maxSurge: Invalid value: "abc": a valid percent string must be a numeric string '
      "followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "200%": must not be greater than 100%']),
    ({"strategy": {"type": "Recreate", "rollingUpdate": {}}},
     ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]),
    ({"minReadySeconds": 600},
     ["spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds"]),
])
def test_deployment_rules(spec, messages):
    obj = defaulted(DEPLOY, deployment(**spec))
    obj["metadata"]["namespace"] = "default"
    assert [e.message() for e in DEPLOY.validate(obj, None)] == messages


def test_deployment_error_names_its_group():
    obj = defaulted(DEPLOY, deployment(selector={"matchLabels": {"app": "other"}}))
    err = invalid_object(DEPLOY.qualified_kind, "kubia", DEPLOY.validate(obj, None))
    assert err.message == ('Deployment.apps "kubia" is invalid: spec.template.metadata.labels: Invalid value: '
                           '{"app":"kubia"}: ' + MISMATCH)


# -- columns ---------------------------------------------------------------------------------------


def row(kind, obj: dict[str, Any], wide: bool = False) -> list[str]:
    return [c.cell(obj, NOW) for c in kind.columns if wide or c.priority == 0]


def created(seconds: int) -> str:
    return (NOW - timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_rc_and_rs_rows():
    rc = defaulted(RC, manifest("Chapter04/kubia-rc.yaml"))
    rc["metadata"]["creationTimestamp"] = created(7)
    rc["status"] = {"replicas": 3, "readyReplicas": 3}
    assert [c.name.upper() for c in RC.columns] == ["NAME", "DESIRED", "CURRENT", "READY", "AGE", "CONTAINERS",
                                                    "IMAGES", "SELECTOR"]
    assert row(RC, rc, wide=True) == ["kubia", "3", "3", "3", "7s", "kubia", "luksa/kubia", "app=kubia"]
    rs = defaulted(RS, as_apps_v1("Chapter04/kubia-replicaset-matchexpressions.yaml"))
    rs["metadata"]["creationTimestamp"] = created(70)
    assert row(RS, rs, wide=True) == ["kubia", "3", "0", "0", "70s", "kubia", "luksa/kubia", "app in (kubia)"]


def test_deployment_row():
    obj = defaulted(DEPLOY, deployment(replicas=3))
    obj["metadata"]["creationTimestamp"] = created(125)
    obj["status"] = {"readyReplicas": 2, "updatedReplicas": 3, "availableReplicas": 2}
    assert [c.name.upper() for c in DEPLOY.columns] == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE",
                                                        "CONTAINERS", "IMAGES", "SELECTOR"]
    assert row(DEPLOY, obj, wide=True) == ["kubia", "2/3", "3", "2", "2m5s", "kubia", "luksa/kubia", "app=kubia"]
