"""Golden texts of the shared validators, and properties of the name and label rules."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubesim.api import validation as v
from kubesim.api.errors import invalid_object
from kubesim.api.registry import kind_named

DNS1035 = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
           "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex "
           "used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")
DNS1123_LABEL = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
                 "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
                 "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
DNS1123_SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
                     "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
                     "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
WILDCARD = ("a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must "
            "consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character "
            "(e.g. '*.example.com', regex used for validation is "
            "'\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
NAME_PART = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
             "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
             "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
LABEL_VALUE = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
               "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
               "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
LABEL_KEY_SLASHES = ("a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start "
                     "and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
                     "used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS "
                     "subdomain prefix and '/' (e.g. 'example.com/MyName')")


def messages(errors):
    return [e.message() for e in errors]


# -- names -----------------------------------------------------------------------------------------


def test_dns1035_label_message_and_kubectl_line():
    service = kind_named("Service")
    obj = {"metadata": {"name": "Kubia", "namespace": "default"}}
    errs = v.validate_object_meta(service, obj)
    assert messages(errs) == [f'metadata.name: Invalid value: "Kubia": {DNS1035}']
    assert invalid_object(service.qualified_kind, "Kubia", errs).message == (
        f'Service "Kubia" is invalid: metadata.name: Invalid value: "Kubia": {DNS1035}')


def test_dns1123_label_with_dots_says_so():
    assert v.is_dns1123_label("kube.system") == ["must not contain dots"]
    assert v.is_dns1123_label("Kube") == [DNS1123_LABEL]


def test_dns1123_subdomain_message():
    assert v.is_dns1123_subdomain("my_pod") == [DNS1123_SUBDOMAIN]
    assert v.is_dns1123_subdomain("a.b-c.d") == []


def test_too_long_names_report_both_problems():
    assert v.is_dns1035_label("a" * 64) == ["must be no more than 63 characters"]
    assert v.is_dns1123_label("A" * 64) == ["must be no more than 63 characters", DNS1123_LABEL]
    assert v.is_dns1123_subdomain("a" * 254) == ["must be no more than 253 characters"]


def test_wildcard_subdomain_message():
    assert v.is_wildcard_dns1123_subdomain("*.example.com") == []
    assert v.is_wildcard_dns1123_subdomain("*.*.example.com") == [WILDCARD]


def test_generate_name_prefix_may_end_with_a_dash():
    pod = kind_named("Pod")
    ok = {"metadata": {"generateName": "kubia-", "name": "kubia-x7vrd", "namespace": "default"}}
    assert v.validate_object_meta(pod, ok) == []
    bad = {"metadata": {"generateName": "Kubia-", "name": "kubia-x7vrd", "namespace": "default"}}
    assert messages(v.validate_object_meta(pod, bad)) == [
        f'metadata.generateName: Invalid value: "Kubia-": {DNS1123_SUBDOMAIN}']


def test_name_required():
    pod = kind_named("Pod")
    assert messages(v.validate_object_meta(pod, {"metadata": {"namespace": "default"}})) == [
        "metadata.name: Required value: name or generateName is required"]


def test_namespace_rules_per_scope():
    namespace = kind_named("Namespace")
    assert messages(v.validate_object_meta(namespace, {"metadata": {"name": "a", "namespace": "b"}})) == [
        "metadata.namespace: Forbidden: not allowed on this type"]
    assert messages(v.validate_object_meta(namespace, {"metadata": {"name": "a.b"}})) == [
        'metadata.name: Invalid value: "a.b": must not contain dots']
    pod = kind_named("Pod")
    assert messages(v.validate_object_meta(pod, {"metadata": {"name": "a"}})) == [
        "metadata.namespace: Required value"]


def test_finalizers_must_be_qualified_or_standard():
    pod = kind_named("Pod")
    obj = {"metadata": {"name": "a", "namespace": "default", "finalizers": ["kubernetes", "mine", "x.io/ok"]}}
    assert messages(v.validate_object_meta(pod, obj)) == [
        'metadata.finalizers[1]: Invalid value: "mine": name is neither a standard finalizer name nor is it '
        "fully qualified"]


# -- labels and annotations ------------------------------------------------------------------------


def test_label_key_messages_v136():
    assert v.is_label_key("app") == []
    assert v.is_label_key("example.com/app") == []
    assert v.is_label_key("-app") == [NAME_PART]
    assert v.is_label_key("/app") == ["prefix part must be non-empty"]
    assert v.is_label_key("example.com/") == ["name part must be non-empty", NAME_PART]
    assert v.is_label_key("a" * 64) == ["name part must be no more than 63 bytes"]
    assert v.is_label_key("a/b/c") == [LABEL_KEY_SLASHES]
    assert v.is_label_key("Ex_ample/app") == ["prefix part " + DNS1123_SUBDOMAIN]


def test_label_value_messages_v136():
    assert v.is_label_value("") == []
    assert v.is_label_value("a" * 64) == ["must be no more than 63 bytes"]
    assert v.is_label_value("-x") == [LABEL_VALUE]


def test_labels_report_the_map_path_and_the_bad_key_or_value():
    errs = v.validate_labels({"app": "kubia", "bad key": "x", "tier": "-web"}, "metadata.labels")
    assert messages(errs) == [
        f'metadata.labels: Invalid value: "bad key": {NAME_PART}',
        f'metadata.labels: Invalid value: "-web": {LABEL_VALUE}',
    ]


def test_annotations_keys_are_case_insensitive_and_bounded():
    assert v.validate_annotations({"Example.COM/Key": "x"}, "metadata.annotations") == []
    errs = v.validate_annotations({"a": "x" * (256 * 1024)}, "metadata.annotations")
    assert messages(errs) == ["metadata.annotations: Too long: must have at most 262144 bytes"]


def test_label_selector_expressions():
    errs = v.validate_label_selector({"matchExpressions": [
        {"key": "app", "operator": "In"},
        {"key": "tier", "operator": "Exists", "values": ["x"]},
        {"key": "env", "operator": "Near", "values": ["x"]},
    ]}, "spec.selector")
    assert messages(errs) == [
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' "
        "or 'NotIn'",
        "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' "
        "or 'DoesNotExist'",
        'spec.selector.matchExpressions[2].operator: Invalid value: "Near": not a valid selector operator',
    ]


# -- ports -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, expected", [
    ("http", []),
    ("a-very-long-port-name", ["must be no more than 15 characters"]),
    ("HTTP", ["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
              "must contain at least one letter (a-z)"]),
    ("8080", ["must contain at least one letter (a-z)"]),
    ("a--b", ["must not contain consecutive hyphens"]),
    ("-web", ["must not begin or end with a hyphen"]),
])
def test_iana_service_names(name, expected):
    assert v.is_valid_port_name(name) == expected


def test_port_num_or_name():
    assert messages(v.validate_port_num_or_name(70000, "spec.ports[0].targetPort")) == [
        "spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive"]
    assert messages(v.validate_port_num_or_name("Http", "p")) == [
        'p: Invalid value: "Http": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']
    assert v.validate_port_num_or_name("http", "p") == []


# -- IP addresses and CIDRs ------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["10.96.0.10", "010.096.000.010", "2001:db8::1", "::ffff:1.2.3.4",
                                   "FE80:0:0:0:0:0:0:0abc"])
def test_legacy_ip_fields_accept_sloppy_forms(value):
    assert v.validate_ip(value, "p") == []


@pytest.mark.parametrize("value", ["abc", "1.2.3", "1.2.3.256", "fe80::1%eth0", "", "1.2.3.4/24", " 1.2.3.4"])
def test_invalid_ips(value):
    assert messages(v.validate_ip(value, "spec.clusterIPs[0]")) == [
        f'spec.clusterIPs[0]: Invalid value: "{value}": must be a valid IP address, (e.g. 10.9.8.7 or '
        '2001:db8::ffff)']


def test_strict_ip_wants_canonical_form():
    assert messages(v.validate_ip_strict("2001:DB8::1", "p")) == [
        'p: Invalid value: "2001:DB8::1": must be in canonical form ("2001:db8::1")']
    assert messages(v.validate_ip_strict("010.1.2.3", "p")) == ['p: Invalid value: "010.1.2.3": must not have leading 0s']
    assert messages(v.validate_ip_strict("::ffff:1.2.3.4", "p")) == [
        'p: Invalid value: "::ffff:1.2.3.4": must not be an IPv4-mapped IPv6 address']


@pytest.mark.parametrize("value, detail", [
    ("0.0.0.0", "may not be unspecified (0.0.0.0)"),
    ("::", "may not be unspecified (::)"),
    ("127.0.0.1", "may not be in the loopback range (127.0.0.0/8, ::1/128)"),
    ("::1", "may not be in the loopback range (127.0.0.0/8, ::1/128)"),
    ("169.254.169.254", "may not be in the link-local range (169.254.0.0/16, fe80::/10)"),
    ("fe80::1", "may not be in the link-local range (169.254.0.0/16, fe80::/10)"),
    ("224.0.0.5", "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"),
    ("ff02::1", "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"),
])
def test_special_ips(value, detail):
    assert messages(v.validate_non_special_ip(value, "p")) == [f'p: Invalid value: "{value}": {detail}']


def test_ordinary_ips_are_not_special():
    assert v.validate_non_special_ip("11.11.11.11", "p") == []
    assert v.validate_non_special_ip("224.0.1.1", "p") == []


@pytest.mark.parametrize("value, ok", [("10.0.0.0/8", True), ("10.1.2.3/8", True), ("2001:db8::/64", True),
                                       ("10.0.0.0/33", False), ("10.0.0.0", False), ("10.0.0.0/", False),
                                       ("::ffff:10.0.0.0/104", True), ("::ffff:10.0.0.0/90", False)])
def test_cidrs(value, ok):
    errs = v.validate_cidr(value, "spec.LoadBalancerSourceRanges[0]")
    expected = [] if ok else [f'spec.LoadBalancerSourceRanges[0]: Invalid value: "{value}": must be a valid '
                              "CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"]
    assert messages(errs) == expected


# -- properties ------------------------------------------------------------------------------------

LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
LABEL_1035 = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")
SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")
NAMEISH = st.text(alphabet="abcXYZ019-._/ \n*", max_size=70)


@given(st.from_regex(r"\A[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\Z"))
def test_every_short_dns1123_label_is_accepted(name):
    assert v.is_dns1123_label(name) == []


@given(NAMEISH)
def test_dns1123_label_agrees_with_its_regex_and_length(name):
    valid = LABEL.fullmatch(name) is not None and len(name) <= 63
    assert (v.is_dns1123_label(name) == []) == valid


@given(NAMEISH)
def test_dns1035_label_agrees_with_its_regex_and_length(name):
    valid = LABEL_1035.fullmatch(name) is not None and len(name) <= 63
    assert (v.is_dns1035_label(name) == []) == valid


@given(st.text(alphabet="ab09-.X_", max_size=300))
def test_dns1123_subdomain_agrees_with_its_regex_and_length(name):
    valid = SUBDOMAIN.fullmatch(name) is not None and len(name) <= 253
    assert (v.is_dns1123_subdomain(name) == []) == valid


@given(st.text(max_size=70))
def test_label_value_agrees_with_its_regex_and_byte_length(value):
    valid = VALUE.fullmatch(value) is not None and len(value.encode()) <= 63
    assert (v.is_label_value(value) == []) == valid


@given(st.from_regex(r"\A[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?\Z"), st.from_regex(r"\A[A-Za-z0-9]([-A-Za-z0-9_.]{0,30}[A-Za-z0-9])?\Z"))
def test_prefixed_label_keys_are_accepted(prefix, name):
    assert v.is_label_key(f"{prefix}/{name}") == []
    assert v.is_label_key(name) == []


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_sloppy_ipv4_round_trips(value):
    text = ".".join(str((value >> shift) & 255) for shift in (24, 16, 8, 0))
    assert str(v.parse_ip_sloppy(text)) == text
