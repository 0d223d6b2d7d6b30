"""Validators shared by the kinds, with apimachinery's exact texts (Kubernetes v1.36).

The ``is_*`` functions return message strings, as apimachinery's ``Is*`` helpers do; the
``validate_*`` functions turn them into ``FieldError``s on a path. Names and DNS labels count
bytes but say "characters" (``util/validation``); label keys and values say "bytes" (the
``validate/content`` package that 1.35 moved them to).
"""

from __future__ import annotations

import json
import re

from kubesim.api.errors import FieldError, duplicate, forbidden, invalid, not_supported, required

TYPE_CHECKING = False  # typing costs a few ms per command; annotations alone need it
if TYPE_CHECKING:
    import ipaddress
    from typing import Any

    from kubesim.api.registry import Kind

if TYPE_CHECKING:
    Obj = dict[str, Any]
else:
    Obj = dict

DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*"
DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
WILDCARD_DNS1123_SUBDOMAIN_FMT = "\\*\\." + DNS1123_SUBDOMAIN_FMT
LABEL_KEY_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
LABEL_VALUE_FMT = "(" + LABEL_KEY_FMT + ")?"
CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+"
PERCENT_FMT = "[0-9]+%"
HTTP_HEADER_NAME_FMT = "[-A-Za-z0-9]+"

DNS1123_LABEL_MSG = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                     "and must start and end with an alphanumeric character")
DNS1123_SUBDOMAIN_MSG = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
                         "'-' or '.', and must start and end with an alphanumeric character")
DNS1035_LABEL_MSG = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with "
                     "an alphabetic character, and end with an alphanumeric character")
WILDCARD_MSG = ("a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which "
                "must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric "
                "character")
LABEL_KEY_MSG = ("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                 "alphanumeric character")
LABEL_VALUE_MSG = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
                   "'.', and must start and end with an alphanumeric character")
CONFIG_MAP_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
PERCENT_MSG = "a valid percent string must be a numeric string followed by an ending '%'"
HTTP_HEADER_NAME_MSG = "a valid HTTP header must consist of alphanumeric characters or '-'"

IS_NEGATIVE_MSG = "must be greater than or equal to 0"
FIELD_IMMUTABLE_MSG = "field is immutable"
INVALID_IP_MSG = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
INVALID_CIDR_MSG = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024
PORT_PROTOCOLS = ("SCTP", "TCP", "UDP")

_RE: dict[str, re.Pattern[str]] = {}


def matches_regex(fmt: str, value: str) -> bool:
    """Go's ``^fmt$`` MatchString: the whole string, no trailing-newline leniency."""
    pattern = _RE.get(fmt)
    if pattern is None:
        pattern = _RE[fmt] = re.compile(fmt)
    return pattern.fullmatch(value) is not None


def _bytes(value: str) -> int:
    """Go measures strings in bytes."""
    return len(value.encode("utf-8", "surrogatepass"))


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    """apimachinery's RegexError: note the two spaces before each ``or`` between examples."""
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    return msg + " (e.g. " + " or ".join(f"'{e}', " for e in examples) + f"regex used for validation is '{fmt}')"


def max_len_error(length: int) -> str:
    return f"must be no more than {length} characters"


def max_bytes_error(length: int) -> str:
    return f"must be no more than {length} bytes"


def inclusive_range_error(lo: int, hi: int) -> str:
    return f"must be between {lo} and {hi}, inclusive"


# -- names ----------------------------------------------------------------------------------------


def is_dns1123_label(value: str) -> list[str]:
    errs = []
    if _bytes(value) > 63:
        errs.append(max_len_error(63))
    if not matches_regex(DNS1123_LABEL_FMT, value):
        if matches_regex(DNS1123_SUBDOMAIN_FMT, value):
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errs


def is_dns1123_subdomain(value: str, *, limit_message: str = "characters") -> list[str]:
    errs = []
    if _bytes(value) > 253:
        errs.append(max_len_error(253) if limit_message == "characters" else max_bytes_error(253))
    if not matches_regex(DNS1123_SUBDOMAIN_FMT, value):
        errs.append(regex_error(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


def is_dns1035_label(value: str) -> list[str]:
    errs = []
    if _bytes(value) > 63:
        errs.append(max_len_error(63))
    if not matches_regex(DNS1035_LABEL_FMT, value):
        errs.append(regex_error(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errs


def is_wildcard_dns1123_subdomain(value: str) -> list[str]:
    errs = []
    if _bytes(value) > 253:
        errs.append(max_len_error(253))
    if not matches_regex(WILDCARD_DNS1123_SUBDOMAIN_FMT, value):
        errs.append(regex_error(WILDCARD_MSG, WILDCARD_DNS1123_SUBDOMAIN_FMT, "*.example.com"))
    return errs


def _mask_trailing_dash(name: str) -> str:
    """generateName prefixes may end in '-': apimachinery swaps the last two characters for 'a'."""
    if name.endswith("-"):
        return name[:-2] + "a" if len(name) >= 2 else "a"
    return name


NAME_RULES = {
    "dns1035-label": is_dns1035_label,
    "dns1123-label": is_dns1123_label,
    "dns1123-subdomain": is_dns1123_subdomain,
}


def name_messages(rule: str, name: str, *, prefix: bool = False) -> list[str]:
    """The messages of a kind's name validator; ``prefix`` for generateName."""
    return NAME_RULES[rule](_mask_trailing_dash(name) if prefix else name)


# -- labels, annotations, qualified names ---------------------------------------------------------


def is_label_key(value: str) -> list[str]:
    """A label key, also called a qualified name: ``[prefix/]name`` (v1.36 wording)."""
    errs: list[str] = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            errs += ["prefix part " + m for m in is_dns1123_subdomain(prefix, limit_message="bytes")]
    else:
        return [
            "a valid label key "
            + regex_error(LABEL_KEY_MSG, LABEL_KEY_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ]
    if not name:
        errs.append("name part must be non-empty")
    elif _bytes(name) > 63:
        errs.append("name part " + max_bytes_error(63))
    if not matches_regex(LABEL_KEY_FMT, name):
        errs.append("name part " + regex_error(LABEL_KEY_MSG, LABEL_KEY_FMT, "MyName", "my.name", "123-abc"))
    return errs


is_qualified_name = is_label_key


def is_label_value(value: str) -> list[str]:
    errs = []
    if _bytes(value) > 63:
        errs.append(max_bytes_error(63))
    if not matches_regex(LABEL_VALUE_FMT, value):
        errs.append(regex_error(LABEL_VALUE_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


def is_config_map_key(value: str) -> list[str]:
    errs = []
    if _bytes(value) > 253:
        errs.append(max_len_error(253))
    if not matches_regex(CONFIG_MAP_KEY_FMT, value):
        errs.append(regex_error(CONFIG_MAP_KEY_MSG, CONFIG_MAP_KEY_FMT, "key.name", "KEY_NAME", "key-name"))
    if value == ".":
        errs.append("must not be '.'")
    elif value == "..":
        errs.append("must not be '..'")
    elif value.startswith(".."):
        errs.append("must not start with '..'")
    return errs


def is_valid_percent(value: str) -> list[str]:
    if not matches_regex(PERCENT_FMT, value):
        return [regex_error(PERCENT_MSG, PERCENT_FMT, "1%", "93%")]
    return []


def is_http_header_name(value: str) -> list[str]:
    if not matches_regex(HTTP_HEADER_NAME_FMT, value):
        return [regex_error(HTTP_HEADER_NAME_MSG, HTTP_HEADER_NAME_FMT, "X-Header-Name")]
    return []


def is_env_var_name(value: str) -> list[str]:
    """The relaxed rule (RelaxedEnvironmentVariableValidation, on by default since 1.32)."""
    errs = []
    if not value:
        errs.append("environment variable name must be non-empty")
    if any(ord(c) > 126 or ord(c) < 32 or c == "=" for c in value):
        errs.append("a valid environment variable name must consist only of printable ASCII characters "
                    "other than '='")
    return errs


def validate_labels(labels: Any, path: str) -> list[FieldError]:
    """metav1 ValidateLabels: the path is the map itself; the bad value is the key or the value."""
    errs: list[FieldError] = []
    if not isinstance(labels, dict):
        return errs
    for key, value in labels.items():
        errs += [invalid(path, key, m) for m in is_label_key(str(key))]
        errs += [invalid(path, value, m) for m in is_label_value(str(value))]
    return errs


def validate_annotations(annotations: Any, path: str) -> list[FieldError]:
    """Keys are qualified names compared in lower case; keys and values together at most 256 KiB."""
    errs: list[FieldError] = []
    if not isinstance(annotations, dict):
        return errs
    total = 0
    for key, value in annotations.items():
        errs += [invalid(path, key, m) for m in is_label_key(str(key).lower())]
        total += _bytes(str(key)) + _bytes(str(value))
    if total > TOTAL_ANNOTATION_SIZE_LIMIT:
        errs.append(FieldError("TooLong", path, detail=f"must have at most {TOTAL_ANNOTATION_SIZE_LIMIT} bytes"))
    return errs


def validate_qualified_name(value: str, path: str) -> list[FieldError]:
    return [invalid(path, value, m) for m in is_label_key(value)]


def validate_dns1123_label(value: str, path: str) -> list[FieldError]:
    return [invalid(path, value, m) for m in is_dns1123_label(value)]


def validate_dns1123_subdomain(value: str, path: str) -> list[FieldError]:
    return [invalid(path, value, m) for m in is_dns1123_subdomain(value)]


# -- Go structs as bad values ----------------------------------------------------------------------


class StructFieldError(FieldError):
    """A field error whose bad value is a Go struct: rendered as JSON in field order, not sorted.

    apimachinery >= 1.34 renders composite bad values with ``json.Marshal``; a struct keeps its
    declaration order (internal types even keep their Go field names), only maps are sorted.
    Build the value as a dict in that order.
    """

    def body(self) -> str:
        rendered = json.dumps(self.value, separators=(",", ":"), ensure_ascii=False)
        if self.type == "NotSupported":
            text = f"Unsupported value: {rendered}"
            if self.supported:
                text += ": supported values: " + ", ".join(json.dumps(s) for s in self.supported)
            return text
        label = "Duplicate value" if self.type == "Duplicate" else "Invalid value"
        return f"{label}: {rendered}" + (f": {self.detail}" if self.detail else "")


def label_selector_value(selector: Any) -> Any:
    """A metav1.LabelSelector as Go marshals it: matchLabels then matchExpressions, empties omitted."""
    if not isinstance(selector, dict):
        return selector
    out: dict[str, Any] = {}
    if selector.get("matchLabels"):
        out["matchLabels"] = dict(sorted(selector["matchLabels"].items()))
    if selector.get("matchExpressions"):
        out["matchExpressions"] = [
            {k: e[k] for k in ("key", "operator", "values") if k in e and (k != "values" or e[k])}
            for e in selector["matchExpressions"] if isinstance(e, dict)
        ]
    return out


def validate_label_selector(selector: Any, path: str) -> list[FieldError]:
    """metav1 ValidateLabelSelector: matchLabels as labels, each expression's operator and key."""
    errs: list[FieldError] = []
    if not isinstance(selector, dict):
        return errs
    errs += validate_labels(selector.get("matchLabels") or {}, f"{path}.matchLabels")
    for i, expr in enumerate(selector.get("matchExpressions") or []):
        epath = f"{path}.matchExpressions[{i}]"
        if not isinstance(expr, dict):
            continue
        operator = expr.get("operator", "")
        values = expr.get("values") or []
        if operator in ("In", "NotIn"):
            if not values:
                errs.append(required(f"{epath}.values", "must be specified when `operator` is 'In' or 'NotIn'"))
        elif operator in ("Exists", "DoesNotExist"):
            if values:
                errs.append(forbidden(f"{epath}.values",
                                      "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
        else:
            errs.append(invalid(f"{epath}.operator", operator, "not a valid selector operator"))
        errs += [invalid(f"{epath}.key", expr.get("key", ""), m) for m in is_label_key(str(expr.get("key", "")))]
    return errs


def selector_is_empty(selector: Any) -> bool:
    return not isinstance(selector, dict) or not (selector.get("matchLabels") or selector.get("matchExpressions"))


# -- numbers and ports -----------------------------------------------------------------------------


def is_valid_port_num(port: Any) -> list[str]:
    if isinstance(port, int) and not isinstance(port, bool) and 1 <= port <= 65535:
        return []
    return [inclusive_range_error(1, 65535)]


def is_valid_port_name(port: str) -> list[str]:
    """IANA_SVC_NAME: at most 15 of ``[-a-z0-9]``, a letter, no ``--``, no dash at either end."""
    errs = []
    if _bytes(port) > 15:
        errs.append(max_len_error(15))
    if not matches_regex("[-a-z0-9]+", port):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not re.search("[a-z]", port):
        errs.append("must contain at least one letter (a-z)")
    if "--" in port:
        errs.append("must not contain consecutive hyphens")
    if port and (port[0] == "-" or port[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def validate_port_num_or_name(port: Any, path: str) -> list[FieldError]:
    """An int-or-string port: a number 1–65535 or an IANA service name."""
    if isinstance(port, str):
        return [invalid(path, port, m) for m in is_valid_port_name(port)]
    value = port if isinstance(port, int) and not isinstance(port, bool) else 0
    return [invalid(path, value, m) for m in is_valid_port_num(value)]


def validate_nonnegative(value: Any, path: str) -> list[FieldError]:
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return [invalid(path, value, IS_NEGATIVE_MSG)]
    return []


def validate_immutable(new: Any, old: Any, path: str) -> list[FieldError]:
    """Semantic equality: like apimachinery, an empty list or map equals a missing one."""
    if semantic(new) != semantic(old):
        return [invalid(path, new, FIELD_IMMUTABLE_MSG)]
    return []


def semantic(value: Any) -> Any:
    """The value as apimachinery's semantic equality sees it: empty lists and maps dropped."""
    if isinstance(value, dict):
        return {k: semantic(v) for k, v in value.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [semantic(v) for v in value]
    return value


# -- IP addresses and CIDRs ------------------------------------------------------------------------


def _parse_ipv4_sloppy(text: str) -> int | None:
    """Dotted quad as the legacy Go parser reads it: decimal octets, leading zeros allowed."""
    parts = text.split(".")
    if len(parts) != 4:
        return None
    value = 0
    for part in parts:
        if not part or not part.isascii() or not part.isdigit():
            return None
        octet = int(part)
        if octet > 255:
            return None
        value = value * 256 + octet
    return value


def parse_ip_sloppy(text: Any) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """netutils.ParseIPSloppy: an IPv4 (possibly with leading zeros) or IPv6 address, no zone.

    IPv4-mapped IPv6 addresses come back as IPv4, as Go's ``To4`` sees them.
    """
    import ipaddress

    if not isinstance(text, str) or not text:
        return None
    if ":" not in text:
        value = _parse_ipv4_sloppy(text)
        return None if value is None else ipaddress.IPv4Address(value)
    if "%" in text:
        return None
    head, _, tail = text.rpartition(":")
    if "." in tail:
        v4 = _parse_ipv4_sloppy(tail)
        if v4 is None:
            return None
        text = f"{head}:{ipaddress.IPv4Address(v4)}"
    try:
        address = ipaddress.IPv6Address(text)
    except ValueError:
        return None
    return address.ipv4_mapped or address


def is_ipv6(text: str) -> bool:
    address = parse_ip_sloppy(text)
    return address is not None and address.version == 6


def validate_ip(value: Any, path: str) -> list[FieldError]:
    """IsValidIPForLegacyField without strict checks (StrictIPCIDRValidation is still alpha in 1.36)."""
    if parse_ip_sloppy(value) is None:
        return [invalid(path, value, INVALID_IP_MSG)]
    return []


def validate_ip_strict(value: Any, path: str) -> list[FieldError]:
    """IsValidIP for newer fields: no leading zeros, no IPv4-mapped IPv6, canonical form."""
    import ipaddress

    if parse_ip_sloppy(value) is None:
        return [invalid(path, value, INVALID_IP_MSG)]
    errs = []
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        errs.append(invalid(path, value, "must not have leading 0s"))
        address = parse_ip_sloppy(value)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        errs.append(invalid(path, value, "must not be an IPv4-mapped IPv6 address"))
    if not errs and str(address) != value:
        errs.append(invalid(path, value, f'must be in canonical form ("{address}")'))
    return errs


def validate_non_special_ip(value: Any, path: str) -> list[FieldError]:
    """ValidateNonSpecialIP: not unspecified, loopback, link-local unicast or link-local multicast."""
    address = parse_ip_sloppy(value)
    if address is None:
        return [invalid(path, value, "must be a valid IP address")]
    errs = []
    if address.is_unspecified:
        errs.append(invalid(path, value, f"may not be unspecified ({value})"))
    if address.is_loopback:
        errs.append(invalid(path, value, "may not be in the loopback range (127.0.0.0/8, ::1/128)"))
    if address.is_link_local:
        errs.append(invalid(path, value, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"))
    if _link_local_multicast(address):
        errs.append(invalid(path, value,
                            "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"))
    return errs


def _link_local_multicast(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    packed = address.packed
    if address.version == 4:
        return packed[:3] == b"\xe0\x00\x00"
    return packed[0] == 0xFF and packed[1] & 0x0F == 0x02


def parse_cidr_sloppy(text: Any) -> tuple[ipaddress.IPv4Address | ipaddress.IPv6Address, int] | None:
    """ParseCIDRSloppy: an address (leading zeros allowed) and a prefix length that fits it."""
    if not isinstance(text, str) or "/" not in text:
        return None
    address_text, _, bits = text.partition("/")
    if not bits or not bits.isascii() or not bits.isdigit():
        return None
    address = parse_ip_sloppy(address_text)
    if address is None:
        return None
    limit = 32 if ":" not in address_text else 128
    prefix = int(bits)
    if prefix > limit:
        return None
    if ":" in address_text and address.version == 4:
        if prefix < 96:
            return None
        prefix -= 96
    return address, prefix


def validate_cidr(value: Any, path: str) -> list[FieldError]:
    """IsValidCIDRForLegacyField without strict checks."""
    if parse_cidr_sloppy(value) is None:
        return [invalid(path, value, INVALID_CIDR_MSG)]
    return []


# -- object metadata -------------------------------------------------------------------------------

STANDARD_FINALIZERS = frozenset({"kubernetes", "orphan", "foregroundDeletion"})


def validate_finalizer(value: str, path: str) -> list[FieldError]:
    """A finalizer is a qualified name; an unprefixed one must be one of the standard names."""
    errs = [invalid(path, value, m) for m in is_label_key(value)]
    if "/" not in value and value not in STANDARD_FINALIZERS:
        errs.append(invalid(path, value, "name is neither a standard finalizer name nor is it fully qualified"))
    return errs


def validate_object_meta(kind: Kind, obj: Obj) -> list[FieldError]:
    """ValidateObjectMeta: generateName, name (by the kind's rule), namespace, labels, annotations…"""
    meta = obj.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    errs: list[FieldError] = []
    generate_name = meta.get("generateName") or ""
    if generate_name:
        errs += [invalid("metadata.generateName", generate_name, m)
                 for m in name_messages(kind.name_rule, str(generate_name), prefix=True)]
    name = meta.get("name") or ""
    if not name:
        errs.append(required("metadata.name", "name or generateName is required"))
    else:
        errs += [invalid("metadata.name", name, m) for m in name_messages(kind.name_rule, str(name))]
    namespace = meta.get("namespace") or ""
    if kind.namespaced:
        if not namespace:
            errs.append(required("metadata.namespace"))
        else:
            errs += [invalid("metadata.namespace", namespace, m) for m in is_dns1123_label(str(namespace))]
    elif namespace:
        errs.append(forbidden("metadata.namespace", "not allowed on this type"))
    errs += validate_nonnegative(meta.get("generation", 0), "metadata.generation")
    errs += validate_labels(meta.get("labels"), "metadata.labels")
    errs += validate_annotations(meta.get("annotations"), "metadata.annotations")
    errs += _validate_owner_references(meta.get("ownerReferences"), "metadata.ownerReferences")
    finalizers = meta.get("finalizers") or []
    for finalizer in finalizers:
        errs += [invalid("metadata.finalizers", finalizer, m) for m in is_label_key(str(finalizer))]
    if "orphan" in finalizers and "foregroundDeletion" in finalizers:
        errs.append(invalid("metadata.finalizers", finalizers,
                            "finalizer orphan and foregroundDeletion cannot be both set"))
    for i, finalizer in enumerate(finalizers):
        if "/" not in str(finalizer) and finalizer not in STANDARD_FINALIZERS:
            errs.append(invalid(f"metadata.finalizers[{i}]", finalizer,
                                "name is neither a standard finalizer name nor is it fully qualified"))
    return errs


def _validate_owner_references(refs: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    controller = ""
    for ref in refs if isinstance(refs, list) else []:
        if not isinstance(ref, dict):
            continue
        api_version = str(ref.get("apiVersion", ""))
        if not api_version.rpartition("/")[2]:
            errs.append(invalid(f"{path}.apiVersion", api_version, "version must not be empty"))
        for key in ("kind", "name", "uid"):
            if not ref.get(key):
                errs.append(invalid(f"{path}.{key}", ref.get(key, ""), "must not be empty"))
        if ref.get("controller") is True:
            current = f"{ref.get('kind', '')}/{ref.get('name', '')}"
            if controller:
                errs.append(invalid(path, refs, "Only one reference can have Controller set to true. Found "
                                    f'"true" in references for {controller} and {current}'))
            else:
                controller = current
    return errs


# -- shared small checks ---------------------------------------------------------------------------


def validate_protocol(protocol: Any, path: str) -> list[FieldError]:
    if not protocol:
        return [required(path)]
    if protocol not in PORT_PROTOCOLS:
        return [not_supported(path, protocol, PORT_PROTOCOLS)]
    return []


def check_duplicate(seen: set[Any], value: Any, path: str) -> list[FieldError]:
    """Record ``value``; a repeat is a Duplicate error."""
    if value in seen:
        return [duplicate(path, value)]
    seen.add(value)
    return []


def decoded_length(value: Any) -> int:
    """Bytes a base64 value decodes to (its text length when it is not valid base64)."""
    import base64
    import binascii

    try:
        return len(base64.b64decode(str(value), validate=True))
    except (binascii.Error, ValueError):
        return len(str(value))
