"""``kubectl describe``: kubectl 1.36's layouts, field for field, through kubectl's own tabwriter settings.

Each describer writes tab-separated lines exactly as kubectl's ``pkg/describe`` does (same labels,
same indentation levels, same ``<none>``/``<unset>`` placeholders, same trailing spaces that the
tabwriter leaves behind), and the whole text is aligned once with Go's tabwriter (min width 0,
padding 2). A tab-less line ends an alignment block, which is why ``IPs:`` or ``Containers:`` start
fresh columns - scripts and people see exactly what a real cluster shows.

Printers never query the store, so everything describe needs beyond the object itself (the
EndpointSlices of a Service, the pods of a ReplicaSet, the events of anything) comes through the
``Related`` protocol the CLI implements. Timestamps are printed in ``now``'s time zone, as kubectl
prints them in the local zone of the machine it runs on.
"""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from typing import Any, Protocol

from kubesim.api.duration import human_duration, parse_timestamp
from kubesim.api.selectors import (
    format_label_selector,
    format_labels,
    go_quote,
    selector_from_label_selector,
    selector_from_map,
)
from kubesim.printers.tabwriter import DESCRIBE_MIN_WIDTH, DESCRIBE_PADDING, tabwrite

Obj = dict[str, Any]
Resolver = Callable[[Obj], str]

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
SERVICE_NAME_LABEL = "kubernetes.io/service-name"
MAX_ANNOTATION_LEN = 140


class Related(Protocol):
    """What describe needs from the cluster besides the object; the CLI implements it over the store.

    ``list`` returns the objects of a kind (``group`` "" for core) in ``namespace`` (None = every
    namespace), in the API server's list order (namespace, then name). ``label_selector`` is a
    metav1 LabelSelector dict (``{"matchLabels": …, "matchExpressions": …}``) an implementation may
    use to narrow the read; describe filters again itself, so ignoring it is correct too. A kind the
    cluster does not serve lists as empty: describe asks for Leases (node), ResourceQuotas and
    LimitRanges (namespace) and ResourceSlices (node), which a real cluster always has.

    ``events_for`` returns the Events kubectl's field selector finds for ``obj`` (see
    ``events_matching``), in list order.
    """

    def list(self, kind: str, group: str, namespace: str | None,
             label_selector: dict | None = None) -> list[Obj]: ...

    def events_for(self, obj: Obj) -> list[Obj]: ...


# ---------------------------------------------------------------------------------------------
# Entry points

def describe(obj: Obj, related: Related, now: datetime, show_events: bool = True) -> str:
    """One object's description, as ``kubectl describe TYPE NAME`` prints it."""
    group, kind = _group_kind(obj)
    describer = _DESCRIBERS.get((group, kind), _describe_generic)
    w = _Writer()
    describer(obj, _Context(related, now, show_events), w)
    return tabwrite(w.text(), DESCRIBE_MIN_WIDTH, DESCRIBE_PADDING)


def describe_many(objs: Iterable[Obj], related: Related, now: datetime,
                  show_events: bool | None = None) -> str:
    """Several objects as one ``kubectl describe`` prints them: separated by a blank line pair.

    kubectl hides events when it describes more than one object unless ``--show-events`` was given;
    ``show_events=None`` means "not given".
    """
    objs = list(objs)
    if show_events is None:
        show_events = len(objs) <= 1
    return "\n\n".join(describe(obj, related, now, show_events) for obj in objs)


def describe_matching(objs: Iterable[Obj], related: Related, now: datetime,
                      show_events: bool = False) -> str:
    """``kubectl describe TYPE PREFIX`` when no object is named PREFIX: every match plus a newline.

    kubectl reaches this path after a NotFound, which also switches events off unless the user
    asked for them explicitly.
    """
    return "".join(describe(obj, related, now, show_events) + "\n" for obj in objs)


def events_matching(obj: Obj, events: Iterable[Obj]) -> list[Obj]:
    """The events kubectl's ``searchEvents`` field selector returns for ``obj``, in its order.

    The selector names the object (name, namespace, kind, uid); pods are searched without their
    kind, and nodes are searched twice (by uid, then by name as the kubelet records them) with the
    two results concatenated.
    """
    meta = obj.get("metadata") or {}
    name = meta.get("name", "")
    namespace = meta.get("namespace", "") or ""
    kind = obj.get("kind", "")
    uid = meta.get("uid", "")
    if kind == "Pod":
        uid = (meta.get("annotations") or {}).get("kubernetes.io/config.mirror", uid)
    ordered = sorted(events, key=lambda e: ((e.get("metadata") or {}).get("namespace", ""),
                                            (e.get("metadata") or {}).get("name", "")))

    def search(want_uid: str, with_kind: bool) -> list[Obj]:
        found = []
        for event in ordered:
            ref = event.get("involvedObject") or {}
            if namespace and (event.get("metadata") or {}).get("namespace", "") != namespace:
                continue
            if ref.get("name", "") != name or (ref.get("namespace", "") or "") != namespace:
                continue
            if with_kind and kind and ref.get("kind", "") != kind:
                continue
            if want_uid and ref.get("uid", "") != want_uid:
                continue
            found.append(event)
        return found

    if kind == "Node":
        return search(uid, True) + search(name, True)
    return search(uid, kind != "Pod")


# ---------------------------------------------------------------------------------------------
# Writer: kubectl's PrefixWriter (two spaces per level, terminal escapes neutralised)

class _Writer:
    def __init__(self) -> None:
        self._parts: list[str] = []

    def write(self, level: int, text: str) -> None:
        self._parts.append(_escape_terminal("  " * level + text))

    def line(self, text: str) -> None:
        """``WriteLine``: the text and a newline, no indentation."""
        self._parts.append(_escape_terminal(text + "\n"))

    def text(self) -> str:
        return "".join(self._parts)


def _escape_terminal(text: str) -> str:
    """cli-runtime's WriteEscaped: ESC and CR would let an object rewrite the user's terminal."""
    if "\x1b" in text or "\r" in text:
        return text.replace("\x1b", "^[").replace("\r", "\\r")
    return text


class _Context:
    def __init__(self, related: Related, now: datetime, show_events: bool) -> None:
        self.related = related
        self.now = now if now.tzinfo else now.replace(tzinfo=UTC)
        self.show_events = show_events

    def events(self, obj: Obj) -> list[Obj] | None:
        return self.related.events_for(obj) if self.show_events else None

    def time(self, value: Any) -> str:
        """Go's ``time.RFC1123Z`` in the viewer's zone; a missing time is Go's zero time."""
        moment = parse_timestamp(value) if value else None
        if moment is None:
            return "Mon, 01 Jan 0001 00:00:00 +0000"
        local = moment.astimezone(self.now.tzinfo)
        offset = local.utcoffset() or timedelta(0)
        minutes = int(offset.total_seconds()) // 60
        sign = "-" if minutes < 0 else "+"
        minutes = abs(minutes)
        return (f"{_DAYS[local.weekday()]}, {local.day:02d} {_MONTHS[local.month - 1]} {local.year:04d} "
                f"{local.hour:02d}:{local.minute:02d}:{local.second:02d} {sign}{minutes // 60:02d}{minutes % 60:02d}")

    def since(self, value: Any) -> str:
        """``translateTimestampSince``: HumanDuration up to now, ``<unknown>`` for a zero time."""
        moment = parse_timestamp(value) if value else None
        if moment is None:
            return "<unknown>"
        return human_duration((self.now - moment).total_seconds())


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# ---------------------------------------------------------------------------------------------
# Shared pieces

def _group_kind(obj: Obj) -> tuple[str, str]:
    api_version = str(obj.get("apiVersion", ""))
    group = api_version.rsplit("/", 1)[0] if "/" in api_version else ""
    return group, str(obj.get("kind", ""))


def _meta(obj: Obj) -> Obj:
    return obj.get("metadata") or {}


def _str(value: Any) -> str:
    """Go's ``%v`` for the scalars objects hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _go_float(value)
    return str(value)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _print_bool(value: Any) -> str:
    return "True" if value else "False"


def _go_float(value: float) -> str:
    """``%v`` of a float64 (``strconv`` 'g', shortest): exponent form below 1e-4 and from 1e6 on."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if math.copysign(1, value) < 0 else "0"
    sign, digit_tuple, exponent = Decimal(repr(value)).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    exponent = int(exponent) + len("".join(map(str, digit_tuple))) - len(digits)
    point = len(digits) + exponent
    prefix = "-" if sign else ""
    if point - 1 < -4 or point - 1 >= 6:
        body = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        exp = point - 1
        return f"{prefix}{body}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if point <= 0:
        return f"{prefix}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return f"{prefix}{digits}{'0' * (point - len(digits))}"
    return f"{prefix}{digits[:point]}.{digits[point:]}"


def _go_bytes_len(text: str) -> int:
    try:
        return len(text.encode("utf-8", "surrogateescape"))
    except UnicodeEncodeError:
        return len(text.encode("utf-8", "surrogatepass"))


def _shorten(text: str, limit: int) -> str:
    """Go slices bytes, so a long value may be cut inside a character; kept as surrogate escapes."""
    raw = text.encode("utf-8", "surrogateescape") if _encodable(text) else text.encode("utf-8", "surrogatepass")
    if len(raw) <= limit:
        return text
    return raw[:limit].decode("utf-8", "surrogateescape") + "..."


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return False
    return True


_GO_SPACE = frozenset("\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                      "\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def _go_trim_space(text: str) -> str:
    start, end = 0, len(text)
    while start < end and text[start] in _GO_SPACE:
        start += 1
    while end > start and text[end - 1] in _GO_SPACE:
        end -= 1
    return text[start:end]


def _labels_multiline(w: _Writer, title: str, labels: Mapping[str, Any] | None,
                      initial_indent: str = "", inner_indent: str = "\t") -> None:
    """printLabelsMultilineWithIndent: sorted ``k=v``, continuation lines start with the inner indent."""
    w.write(0, f"{initial_indent}{title}:{inner_indent}")
    if not labels:
        w.line("<none>")
        return
    for index, key in enumerate(sorted(labels)):
        if index:
            w.write(0, initial_indent)
            w.write(0, inner_indent)
        w.write(0, f"{key}={_str(labels[key])}\n")


def _annotations_multiline(w: _Writer, title: str, annotations: Mapping[str, Any] | None) -> None:
    """printAnnotationsMultiline: last-applied hidden; long or multi-line values go under the key."""
    w.write(0, f"{title}:\t")
    keys = sorted(key for key in (annotations or {}) if key != LAST_APPLIED)
    if not keys:
        w.line("<none>")
        return
    for index, key in enumerate(keys):
        if index:
            w.write(0, "\t")
        value = _str(annotations[key])  # type: ignore[index]
        if value.endswith("\n"):
            value = value[:-1]
        if _go_bytes_len(value) + _go_bytes_len(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            w.write(0, f"{key}:\n")
            for part in value.split("\n"):
                w.write(0, f"\t  {_shorten(part, MAX_ANNOTATION_LEN - 2)}\n")
        else:
            w.write(0, f"{key}: {value}\n")


def _controller_of(obj: Obj) -> Obj | None:
    for ref in _meta(obj).get("ownerReferences") or []:
        if ref.get("controller"):
            return ref
    return None


def _controlled_by(obj: Obj) -> str:
    ref = _controller_of(obj)
    return f"{ref.get('kind', '')}/{ref.get('name', '')}" if ref else ""


def _event_time(event: Obj) -> datetime:
    """kubectl's event sort key: the series' last observation, else lastTimestamp, else eventTime."""
    series = event.get("series")
    if series is not None:
        value = series.get("lastObservedTime")
    elif event.get("lastTimestamp"):
        value = event["lastTimestamp"]
    else:
        value = event.get("eventTime")
    moment = parse_timestamp(value) if value else None
    return moment or datetime.min.replace(tzinfo=UTC)


def _describe_events(w: _Writer, events: list[Obj] | None, ctx: _Context) -> None:
    """DescribeEvents: ``Events:  <none>`` or a table sorted by when each event last happened."""
    if events is None:
        return
    if not events:
        w.write(0, "Events:\t<none>\n")
        return
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(1, "----\t------\t----\t----\t-------\n")
    for event in sorted(events, key=_event_time):
        first = ctx.since(event.get("eventTime")) if event.get("eventTime") else ctx.since(event.get("firstTimestamp"))
        series = event.get("series")
        if series is not None:
            interval = f"{ctx.since(series.get('lastObservedTime'))} (x{_int(series.get('count'))} over {first})"
        elif _int(event.get("count")) > 1:
            interval = f"{ctx.since(event.get('lastTimestamp'))} (x{_int(event.get('count'))} over {first})"
        else:
            interval = first
        source = (event.get("source") or {}).get("component", "") or event.get("reportingController", "") or ""
        message = _go_trim_space(_str(event.get("message")))
        field_path = (event.get("involvedObject") or {}).get("fieldPath", "")
        if field_path:
            message = f"{field_path}: {message}"
        w.write(1, f"{_str(event.get('type'))}\t{_str(event.get('reason'))}\t{interval}\t{source}\t{message}\n")


def _selector_text(selector: Mapping[str, Any] | None) -> str:
    """``Selector.String()`` of a LabelSelectorAsSelector result; errors surface as kubectl's would."""
    return str(selector_from_label_selector(selector))


def _owned_pod_counts(owner: Obj, selector_matches: Callable[[Mapping[str, str]], bool], ctx: _Context,
                      selector: dict | None) -> tuple[int, int, int, int]:
    """getPodStatusForController: pods the selector finds whose controller is ``owner``, by phase."""
    namespace = _meta(owner).get("namespace")
    uid = _meta(owner).get("uid")
    counts = {"Running": 0, "Pending": 0, "Succeeded": 0, "Failed": 0}
    for pod in ctx.related.list("Pod", "", namespace, selector):
        if not selector_matches(_meta(pod).get("labels") or {}):
            continue
        ref = _controller_of(pod)
        if ref is None or ref.get("uid") != uid:
            continue
        phase = (pod.get("status") or {}).get("phase", "")
        if phase in counts:
            counts[phase] += 1
    return counts["Running"], counts["Pending"], counts["Succeeded"], counts["Failed"]


# ---------------------------------------------------------------------------------------------
# Quantities (apimachinery resource.Quantity: parse, add, compare, canonical String())

_DECIMAL_SUFFIXES = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL_NAMES = {exp: suffix for suffix, exp in _DECIMAL_SUFFIXES.items()}
_BINARY_NAMES = {exp // 10: suffix for suffix, exp in _BINARY_SUFFIXES.items()}
_NANO = Decimal("1e-9")


class Quantity:
    """A resource quantity with apimachinery's canonical rendering (``0.5`` → ``500m``, ``1.5Gi`` → ``1536Mi``)."""

    __slots__ = ("value", "format")

    def __init__(self, value: Decimal = Decimal(0), fmt: str = "DecimalSI") -> None:
        self.value = value
        self.format = fmt

    @classmethod
    def parse(cls, text: Any) -> Quantity:
        """``resource.ParseQuantity``: number, then an SI, binary or exponent suffix; sub-nano rounds up."""
        if isinstance(text, bool) or text is None:
            raise ValueError(f"invalid quantity {text!r}")
        raw = repr(text) if isinstance(text, float) else str(text)
        number_end = 0
        while number_end < len(raw) and raw[number_end] in "+-.0123456789":
            number_end += 1
        number, suffix = raw[:number_end], raw[number_end:]
        fmt = "DecimalSI"
        if suffix in _BINARY_SUFFIXES:
            multiplier = Decimal(2) ** _BINARY_SUFFIXES[suffix]
            fmt = "BinarySI"
        elif suffix in _DECIMAL_SUFFIXES:
            multiplier = Decimal(10) ** _DECIMAL_SUFFIXES[suffix]
        elif suffix[:1] in ("e", "E") and _is_int(suffix[1:]):
            multiplier = Decimal(10) ** int(suffix[1:])
            fmt = "DecimalExponent"
        else:
            raise ValueError(f"invalid quantity {raw!r}")
        try:
            value = Decimal(number) * multiplier
        except InvalidOperation:
            raise ValueError(f"invalid quantity {raw!r}") from None
        rounded = value.quantize(_NANO, rounding=ROUND_CEILING)
        return cls(rounded if rounded != value else value, fmt)

    def copy(self) -> Quantity:
        return Quantity(self.value, self.format)

    def add(self, other: Quantity) -> None:
        self.value += other.value

    def milli_value(self) -> int:
        return int((self.value * 1000).to_integral_value(rounding=ROUND_CEILING))

    def int_value(self) -> int:
        return int(self.value.to_integral_value(rounding=ROUND_CEILING))

    def __str__(self) -> str:
        if self.value == 0:
            return "0"
        fmt = self.format
        if fmt == "BinarySI":
            if -1024 < self.value < 1024 or self.value != self.value.to_integral_value():
                fmt = "DecimalSI"
            else:
                amount, power = int(self.value), 0
                while amount % 1024 == 0 and amount != 0:
                    amount //= 1024
                    power += 1
                if power in _BINARY_NAMES:
                    return f"{amount}{_BINARY_NAMES[power]}"
                fmt = "DecimalSI"
        sign, digits, exponent = self.value.normalize().as_tuple()
        mantissa = int("".join(map(str, digits)))
        exp = int(exponent)
        while mantissa % 10 == 0 and mantissa:
            mantissa //= 10
            exp += 1
        if exp % 3 == 1:
            mantissa, exp = mantissa * 10, exp - 1
        elif exp % 3 == 2:
            mantissa, exp = mantissa * 100, exp - 2
        text = f"{'-' if sign else ''}{mantissa}"
        if fmt == "DecimalSI" and exp in _DECIMAL_NAMES:
            return text + _DECIMAL_NAMES[exp]
        return text if exp == 0 else f"{text}e{exp}"


def _is_int(text: str) -> bool:
    body = text[1:] if text[:1] in ("+", "-") else text
    return body.isdigit() and body.isascii()


def _quantity_text(value: Any) -> str:
    try:
        return str(Quantity.parse(value))
    except ValueError:
        return _str(value)


def _quantity(value: Any) -> Quantity:
    try:
        return Quantity.parse(value)
    except ValueError:
        return Quantity()


def _sorted_resource_list(resources: Mapping[str, Any] | None) -> list[str]:
    return sorted(resources or {})


def _describe_resources(w: _Writer, resources: Obj | None, level: int) -> None:
    if resources is None:
        return
    limits = resources.get("limits") or {}
    requests = resources.get("requests") or {}
    if limits:
        w.write(level, "Limits:\n")
    for name in _sorted_resource_list(limits):
        w.write(level + 1, f"{name}:\t{_quantity_text(limits[name])}\n")
    if requests:
        w.write(level, "Requests:\n")
    for name in _sorted_resource_list(requests):
        w.write(level + 1, f"{name}:\t{_quantity_text(requests[name])}\n")


def _add_resources(total: dict[str, Quantity], resources: Mapping[str, Any] | None) -> None:
    for name, value in (resources or {}).items():
        quantity = _quantity(value)
        if name in total:
            total[name].add(quantity)
        else:
            total[name] = quantity.copy()


def _max_resources(total: dict[str, Quantity], resources: Mapping[str, Quantity]) -> None:
    for name, quantity in resources.items():
        if name not in total or quantity.value > total[name].value:
            total[name] = quantity.copy()


def _pod_resources(pod: Obj, field: str) -> dict[str, Quantity]:
    """component-helpers PodRequests/PodLimits: pod-level resources, else containers + init max + overhead."""
    spec = pod.get("spec") or {}
    pod_level = (spec.get("resources") or {}).get(field)
    if pod_level:
        return {name: _quantity(value) for name, value in pod_level.items()
                if name in ("cpu", "memory", "hugepages") or name.startswith("hugepages-")}
    total: dict[str, Quantity] = {}
    for container in spec.get("containers") or []:
        _add_resources(total, (container.get("resources") or {}).get(field))
    sidecars: dict[str, Quantity] = {}
    init_max: dict[str, Quantity] = {}
    for container in spec.get("initContainers") or []:
        own = (container.get("resources") or {}).get(field)
        if container.get("restartPolicy") == "Always":
            _add_resources(total, own)
            _add_resources(sidecars, own)
            candidate = {name: q.copy() for name, q in sidecars.items()}
        else:
            candidate = {}
            _add_resources(candidate, own)
            for name, quantity in sidecars.items():
                _add_resources(candidate, {name: str(quantity)})
        _max_resources(init_max, candidate)
    _max_resources(total, init_max)
    if field == "requests" or spec.get("overhead"):
        _add_resources(total, spec.get("overhead"))
    return total


def _qos_class(pod: Obj) -> str:
    """kubectl's GetPodQOS: the status field, else computed from cpu/memory requests and limits."""
    recorded = (pod.get("status") or {}).get("qosClass")
    if recorded:
        return str(recorded)
    spec = pod.get("spec") or {}
    requests: dict[str, Quantity] = {}
    limits: dict[str, Quantity] = {}
    guaranteed = True
    pod_level = spec.get("resources")
    if pod_level:
        for name in ("cpu", "memory"):
            for field, target in (("requests", requests), ("limits", limits)):
                value = (pod_level.get(field) or {}).get(name)
                if value is not None and _quantity(value).value > 0:
                    target[name] = _quantity(value)
        if set(limits) != {"cpu", "memory"}:
            guaranteed = False
    else:
        for container in (spec.get("containers") or []) + (spec.get("initContainers") or []):
            resources = container.get("resources") or {}
            for name, value in (resources.get("requests") or {}).items():
                if name in ("cpu", "memory") and _quantity(value).value > 0:
                    _add_resources(requests, {name: value})
            found = set()
            for name, value in (resources.get("limits") or {}).items():
                if name in ("cpu", "memory") and _quantity(value).value > 0:
                    found.add(name)
                    _add_resources(limits, {name: value})
            if found != {"cpu", "memory"}:
                guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed:
        for name, request in requests.items():
            if name not in limits or limits[name].value != request.value:
                guaranteed = False
                break
    if guaranteed and len(requests) == len(limits):
        return "Guaranteed"
    return "Burstable"


# ---------------------------------------------------------------------------------------------
# Pods and pod templates

def _describe_pod(pod: Obj, ctx: _Context, w: _Writer) -> None:
    meta, spec, status = _meta(pod), pod.get("spec") or {}, pod.get("status") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    if spec.get("priority") is not None:
        w.write(0, f"Priority:\t{_int(spec['priority'])}\n")
    if spec.get("priorityClassName"):
        w.write(0, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    if spec.get("runtimeClassName"):
        w.write(0, f"Runtime Class Name:\t{spec['runtimeClassName']}\n")
    if spec.get("serviceAccountName"):
        w.write(0, f"Service Account:\t{spec['serviceAccountName']}\n")
    if not spec.get("nodeName"):
        w.write(0, "Node:\t<none>\n")
    else:
        w.write(0, f"Node:\t{spec['nodeName']}/{status.get('hostIP', '')}\n")
    if status.get("startTime"):
        w.write(0, f"Start Time:\t{ctx.time(status['startTime'])}\n")
    _labels_multiline(w, "Labels", meta.get("labels"))
    _annotations_multiline(w, "Annotations", meta.get("annotations"))
    phase = status.get("phase", "")
    if meta.get("deletionTimestamp") and phase not in ("Failed", "Succeeded"):
        w.write(0, f"Status:\tTerminating (lasts {ctx.since(meta['deletionTimestamp'])})\n")
        w.write(0, f"Termination Grace Period:\t{_int(meta.get('deletionGracePeriodSeconds'))}s\n")
    else:
        w.write(0, f"Status:\t{phase}\n")
    if status.get("reason"):
        w.write(0, f"Reason:\t{status['reason']}\n")
    if status.get("message"):
        w.write(0, f"Message:\t{status['message']}\n")
    seccomp = (spec.get("securityContext") or {}).get("seccompProfile")
    if seccomp is not None:
        w.write(0, f"SeccompProfile:\t{seccomp.get('type', '')}\n")
        if seccomp.get("type") == "Localhost":
            w.write(0, f"LocalhostProfile:\t{seccomp.get('localhostProfile', '')}\n")
    w.write(0, f"IP:\t{status.get('podIP', '')}\n")
    pod_ips = status.get("podIPs") or []
    if not pod_ips:
        w.write(0, "IPs:\t<none>\n")
    else:
        w.write(0, "IPs:\n")
        for entry in pod_ips:
            w.write(1, f"IP:\t{entry.get('ip', '')}\n")
    controlled_by = _controlled_by(pod)
    if controlled_by:
        w.write(0, f"Controlled By:\t{controlled_by}\n")
    if status.get("nominatedNodeName"):
        w.write(0, f"NominatedNodeName:\t{status['nominatedNodeName']}\n")
    if spec.get("resources") is not None:
        w.write(0, "Resources:\n")
        _describe_resources(w, spec["resources"], 1)
    resolver = _env_resolver(pod)
    if spec.get("initContainers"):
        _describe_containers(w, "Init Containers", spec["initContainers"], status.get("initContainerStatuses"),
                             resolver, "", ctx)
    _describe_containers(w, "Containers", spec.get("containers") or [], status.get("containerStatuses"),
                         resolver, "", ctx)
    if spec.get("ephemeralContainers"):
        _describe_containers(w, "Ephemeral Containers", spec["ephemeralContainers"],
                             status.get("ephemeralContainerStatuses"), resolver, "", ctx)
    conditions = status.get("conditions") or []
    if spec.get("readinessGates"):
        w.write(0, "Readiness Gates:\n  Type\tStatus\n")
        for gate in spec["readinessGates"]:
            state = "<none>"
            for condition in conditions:
                if condition.get("type") == gate.get("conditionType"):
                    state = _str(condition.get("status"))
                    break
            w.write(1, f"{gate.get('conditionType', '')} \t{state} \n")
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\n")
        for condition in conditions:
            w.write(1, f"{condition.get('type', '')} \t{condition.get('status', '')} \n")
    _describe_volumes(w, spec.get("volumes") or [], "")
    w.write(0, f"QoS Class:\t{_qos_class(pod)}\n")
    _labels_multiline(w, "Node-Selectors", spec.get("nodeSelector"))
    _tolerations_multiline(w, "Tolerations", spec.get("tolerations"))
    _topology_spread(w, spec.get("topologySpreadConstraints"), "")
    if spec.get("schedulingGroup") is not None:
        _scheduling_group(w, spec["schedulingGroup"], "")
    _describe_events(w, ctx.events(pod), ctx)


def _describe_pod_template(w: _Writer, template: Obj | None, ctx: _Context) -> None:
    """DescribePodTemplate: the template's labels, containers and scheduling, indented one level."""
    w.write(0, "Pod Template:\n")
    if template is None:
        w.write(1, "<unset>")
        return
    meta, spec = template.get("metadata") or {}, template.get("spec") or {}
    _labels_multiline(w, "  Labels", meta.get("labels"))
    if meta.get("annotations"):
        _annotations_multiline(w, "  Annotations", meta["annotations"])
    if spec.get("serviceAccountName"):
        w.write(1, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("initContainers"):
        _describe_containers(w, "Init Containers", spec["initContainers"], None, None, "  ", ctx)
    _describe_containers(w, "Containers", spec.get("containers") or [], None, None, "  ", ctx)
    _describe_volumes(w, spec.get("volumes") or [], "  ")
    _topology_spread(w, spec.get("topologySpreadConstraints"), "  ")
    if spec.get("priorityClassName"):
        w.write(1, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    _labels_multiline(w, "  Node-Selectors", spec.get("nodeSelector"))
    _tolerations_multiline(w, "  Tolerations", spec.get("tolerations"))
    if spec.get("schedulingGroup") is not None:
        _scheduling_group(w, spec["schedulingGroup"], "  ")


def _scheduling_group(w: _Writer, group: Obj, space: str) -> None:
    w.write(0, f"{space}SchedulingGroup:\n")
    w.write(1, f"PodGroupName:\t{group.get('podGroupName', '')}\n")


def _env_resolver(pod: Obj) -> Resolver:
    """kubectl resolves only what its scheme can convert: metadata.name and metadata.namespace."""
    def resolve(env: Obj) -> str:
        path = ((env.get("valueFrom") or {}).get("fieldRef") or {}).get("fieldPath", "")
        if path == "metadata.name":
            return str(_meta(pod).get("name", ""))
        if path == "metadata.namespace":
            return str(_meta(pod).get("namespace", ""))
        return ""
    return resolve


def _describe_containers(w: _Writer, label: str, containers: list[Obj], statuses: list[Obj] | None,
                         resolver: Resolver | None, space: str, ctx: _Context) -> None:
    by_name = {status.get("name"): status for status in statuses or []}
    w.write(0, f"{space}{label}:{'' if containers else ' <none>'}\n")
    for container in containers:
        status = by_name.get(container.get("name"))
        _container_basic_info(w, container, status, space)
        _container_command(w, container)
        if status is not None:
            _describe_state(w, "State", status.get("state") or {}, ctx)
            last = status.get("lastState") or {}
            if last.get("terminated") is not None:
                _describe_state(w, "Last State", last, ctx)
            w.write(2, f"Ready:\t{_print_bool(status.get('ready'))}\n")
            w.write(2, f"Restart Count:\t{_int(status.get('restartCount'))}\n")
        _describe_resources(w, container.get("resources") or {}, 2)
        for title, key in (("Liveness", "livenessProbe"), ("Readiness", "readinessProbe"), ("Startup", "startupProbe")):
            if container.get(key) is not None:
                w.write(2, f"{title}:\t{describe_probe(container[key])}\n")
        if container.get("envFrom"):
            _container_env_from(w, container["envFrom"])
        _container_env(w, container, resolver)
        _container_mounts(w, container)


def _port_list(ports: list[Obj], field: str) -> str:
    rendered = []
    for port in ports:
        text = f"{_int(port.get(field))}/{port.get('protocol', 'TCP')}"
        if port.get("name"):
            text = f"{text} ({port['name']})"
        rendered.append(text)
    return ", ".join(rendered)


def _container_basic_info(w: _Writer, container: Obj, status: Obj | None, space: str) -> None:
    w.write(1, f"{' ' if space else ''}{container.get('name', '')}:\n")
    if status is not None:
        w.write(2, f"Container ID:\t{status.get('containerID', '')}\n")
    w.write(2, f"Image:\t{container.get('image', '')}\n")
    if status is not None:
        w.write(2, f"Image ID:\t{status.get('imageID', '')}\n")
    ports = container.get("ports") or []
    ports_text = _port_list(ports, "containerPort")
    if "," in ports_text:
        w.write(2, f"Ports:\t{ports_text}\n")
    else:
        w.write(2, f"Port:\t{ports_text or '<none>'}\n")
    host_ports = _port_list(ports, "hostPort")
    if "," in host_ports:
        w.write(2, f"Host Ports:\t{host_ports}\n")
    else:
        w.write(2, f"Host Port:\t{host_ports or '<none>'}\n")
    seccomp = (container.get("securityContext") or {}).get("seccompProfile")
    if seccomp is not None:
        w.write(2, f"SeccompProfile:\t{seccomp.get('type', '')}\n")
        if seccomp.get("type") == "Localhost":
            w.write(3, f"LocalhostProfile:\t{seccomp.get('localhostProfile', '')}\n")


def _container_command(w: _Writer, container: Obj) -> None:
    for title, key in (("Command", "command"), ("Args", "args")):
        if container.get(key):
            w.write(2, f"{title}:\n")
            for item in container[key]:
                for part in _str(item).split("\n"):
                    w.write(3, f"{part}\n")


def _describe_state(w: _Writer, name: str, state: Obj, ctx: _Context) -> None:
    if state.get("running") is not None:
        w.write(2, f"{name}:\tRunning\n")
        w.write(3, f"Started:\t{ctx.time(state['running'].get('startedAt'))}\n")
    elif state.get("waiting") is not None:
        w.write(2, f"{name}:\tWaiting\n")
        if state["waiting"].get("reason"):
            w.write(3, f"Reason:\t{state['waiting']['reason']}\n")
    elif state.get("terminated") is not None:
        terminated = state["terminated"]
        w.write(2, f"{name}:\tTerminated\n")
        if terminated.get("reason"):
            w.write(3, f"Reason:\t{terminated['reason']}\n")
        if terminated.get("message"):
            w.write(3, f"Message:\t{terminated['message']}\n")
        w.write(3, f"Exit Code:\t{_int(terminated.get('exitCode'))}\n")
        if _int(terminated.get("signal")) > 0:
            w.write(3, f"Signal:\t{_int(terminated.get('signal'))}\n")
        w.write(3, f"Started:\t{ctx.time(terminated.get('startedAt'))}\n")
        w.write(3, f"Finished:\t{ctx.time(terminated.get('finishedAt'))}\n")
    else:
        w.write(2, f"{name}:\tWaiting\n")


def describe_probe(probe: Obj) -> str:
    """kubectl's DescribeProbe (1.36 still prints ``#success``/``#failure``)."""
    attrs = (f"delay={_int(probe.get('initialDelaySeconds'))}s timeout={_int(probe.get('timeoutSeconds'))}s "
             f"period={_int(probe.get('periodSeconds'))}s #success={_int(probe.get('successThreshold'))} "
             f"#failure={_int(probe.get('failureThreshold'))}")
    if probe.get("exec") is not None:
        command = " ".join(_str(part) for part in probe["exec"].get("command") or [])
        return f"exec [{command}] {attrs}"
    if probe.get("httpGet") is not None:
        action = probe["httpGet"]
        scheme = _str(action.get("scheme")).lower()
        port = _str(action.get("port", 0))
        host = _str(action.get("host"))
        if port:
            host = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        return f"http-get {_url(scheme, host, _str(action.get('path')))} {attrs}"
    if probe.get("tcpSocket") is not None:
        action = probe["tcpSocket"]
        return f"tcp-socket {_str(action.get('host'))}:{_str(action.get('port', 0))} {attrs}"
    if probe.get("grpc") is not None:
        action = probe["grpc"]
        return f"grpc <pod>:{_int(action.get('port'))} {_str(action.get('service'))} {attrs}"
    return f"unknown {attrs}"


def _url(scheme: str, host: str, path: str) -> str:
    """net/url's ``URL{Scheme, Host, Path}.String()``."""
    text = f"{scheme}:" if scheme else ""
    escaped = _escape_url_path(path)
    if scheme or host:
        if host or escaped:
            text += "//"
        text += host
    if escaped and not escaped.startswith("/") and host:
        text += "/"
    if not text and ":" in escaped.split("/", 1)[0]:
        text = "./"
    return text + escaped


_URL_PATH_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~$&+,/:;=@")


def _escape_url_path(path: str) -> str:
    """net/url's path escaping (encodePath): only ``?`` among the reserved characters is escaped."""
    out = []
    for byte in path.encode("utf-8", "surrogateescape" if _encodable(path) else "surrogatepass"):
        char = chr(byte)
        out.append(char if byte < 0x80 and char in _URL_PATH_SAFE else f"%{byte:02X}")
    return "".join(out)


def _container_env_from(w: _Writer, sources: list[Obj]) -> None:
    w.write(2, "Environment Variables from:\n")
    for source in sources:
        origin, name, optional = "", "", False
        if source.get("configMapRef") is not None:
            origin, name = "ConfigMap", source["configMapRef"].get("name", "")
            optional = bool(source["configMapRef"].get("optional"))
        elif source.get("secretRef") is not None:
            origin, name = "Secret", source["secretRef"].get("name", "")
            optional = bool(source["secretRef"].get("optional"))
        flag = "true" if optional else "false"
        if source.get("prefix"):
            w.write(3, f"{name}\t{origin} with prefix '{source['prefix']}'\tOptional: {flag}\n")
        else:
            w.write(3, f"{name}\t{origin}\tOptional: {flag}\n")


def _container_env(w: _Writer, container: Obj, resolver: Resolver | None) -> None:
    env = container.get("env") or []
    w.write(2, f"Environment:{'' if env else chr(9) + '<none>'}\n")
    for var in env:
        name = var.get("name", "")
        source = var.get("valueFrom")
        if source is None:
            for index, part in enumerate(_str(var.get("value")).split("\n")):
                w.write(3, f"{name}:\t{part}\n" if index == 0 else f"\t{part}\n")
            continue
        if source.get("fieldRef") is not None:
            ref = source["fieldRef"]
            value = resolver(var) if resolver is not None else ""
            w.write(3, f"{name}:\t{value} ({ref.get('apiVersion', '')}:{ref.get('fieldPath', '')})\n")
        elif source.get("resourceFieldRef") is not None:
            ref = source["resourceFieldRef"]
            resource = ref.get("resource", "")
            value = _container_resource_value(ref, container)
            if value == "0" and resource in ("limits.cpu", "limits.memory"):
                value = "node allocatable"
            w.write(3, f"{name}:\t{value} ({resource})\n")
        elif source.get("secretKeyRef") is not None:
            ref = source["secretKeyRef"]
            flag = "true" if ref.get("optional") else "false"
            w.write(3, f"{name}:\t<set to the key '{ref.get('key', '')}' in secret '{ref.get('name', '')}'>\t"
                       f"Optional: {flag}\n")
        elif source.get("configMapKeyRef") is not None:
            ref = source["configMapKeyRef"]
            flag = "true" if ref.get("optional") else "false"
            w.write(3, f"{name}:\t<set to the key '{ref.get('key', '')}' of config map '{ref.get('name', '')}'>\t"
                       f"Optional: {flag}\n")


def _container_resource_value(ref: Obj, container: Obj) -> str:
    """ExtractContainerResourceValue: the limit or request divided by the divisor, rounded up."""
    divisor = _quantity(ref.get("divisor")) if ref.get("divisor") not in (None, "", 0, "0") else Quantity(Decimal(1))
    if divisor.value == 0:
        divisor = Quantity(Decimal(1))
    resource = str(ref.get("resource", ""))
    field, _, name = resource.partition(".")
    if field not in ("limits", "requests") or not (name in ("cpu", "memory", "ephemeral-storage")
                                                     or name.startswith("hugepages-")):
        return ""
    amount = _quantity(((container.get("resources") or {}).get(field) or {}).get(name, 0))
    if name == "cpu":
        return str(math.ceil(amount.milli_value() / divisor.milli_value()))
    return str(math.ceil(amount.int_value() / divisor.int_value())) if divisor.int_value() else "0"


def _container_mounts(w: _Writer, container: Obj) -> None:
    mounts = container.get("volumeMounts") or []
    none = "" if mounts else "\t<none>"
    w.write(2, f"Mounts:{none}\n")
    for mount in sorted(mounts, key=lambda m: str(m.get("mountPath", ""))):
        flags = ["ro" if mount.get("readOnly") else "rw"]
        if mount.get("subPath"):
            flags.append(f"path={go_quote(str(mount['subPath']))}")
        w.write(3, f"{mount.get('mountPath', '')} from {mount.get('name', '')} ({','.join(flags)})\n")
    devices = container.get("volumeDevices") or []
    if devices:
        w.write(2, f"Devices:{none}\n")
        for device in sorted(devices, key=lambda d: str(d.get("devicePath", ""))):
            w.write(3, f"{device.get('devicePath', '')} from {device.get('name', '')}\n")


def _describe_volumes(w: _Writer, volumes: list[Obj], space: str) -> None:
    if not volumes:
        w.write(0, f"{space}Volumes:\t<none>\n")
        return
    w.write(0, f"{space}Volumes:\n")
    for volume in volumes:
        w.write(1, f"{' ' if space else ''}{volume.get('name', '')}:\n")
        for key, printer in _VOLUME_PRINTERS:
            if volume.get(key) is not None:
                printer(w, volume[key])
                break
        else:
            w.write(1, "<unknown>\n")


def _fields(w: _Writer, heading: str, *rows: tuple[str, Any]) -> None:
    """A volume source block: ``Type:`` at level 2, then four-space indented ``Field:`` rows."""
    text = f"Type:\t{heading}\n" + "".join(f"    {name}:\t{_str(value)}\n" for name, value in rows)
    w.write(2, text)


def _optional(source: Obj) -> str:
    return "true" if source.get("optional") else "false"


def _host_path(w: _Writer, source: Obj) -> None:
    _fields(w, "HostPath (bare host directory volume)", ("Path", source.get("path", "")),
            ("HostPathType", source.get("type") if source.get("type") is not None else "<none>"))


def _empty_dir(w: _Writer, source: Obj) -> None:
    limit = source.get("sizeLimit")
    size = _quantity_text(limit) if limit is not None and _quantity(limit).value > 0 else "<unset>"
    _fields(w, "EmptyDir (a temporary directory that shares a pod's lifetime)",
            ("Medium", source.get("medium", "")), ("SizeLimit", size))


def _gce_pd(w: _Writer, source: Obj) -> None:
    _fields(w, "GCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)",
            ("PDName", source.get("pdName", "")), ("FSType", source.get("fsType", "")),
            ("Partition", _int(source.get("partition"))), ("ReadOnly", bool(source.get("readOnly"))))


def _aws_ebs(w: _Writer, source: Obj) -> None:
    _fields(w, "AWSElasticBlockStore (a Persistent Disk resource in AWS)",
            ("VolumeID", source.get("volumeID", "")), ("FSType", source.get("fsType", "")),
            ("Partition", _int(source.get("partition"))), ("ReadOnly", bool(source.get("readOnly"))))


def _git_repo(w: _Writer, source: Obj) -> None:
    _fields(w, "GitRepo (a volume that is pulled from git when the pod is created)",
            ("Repository", source.get("repository", "")), ("Revision", source.get("revision", "")))


def _secret_volume(w: _Writer, source: Obj) -> None:
    _fields(w, "Secret (a volume populated by a Secret)", ("SecretName", source.get("secretName", "")),
            ("Optional", _optional(source)))


def _config_map_volume(w: _Writer, source: Obj) -> None:
    _fields(w, "ConfigMap (a volume populated by a ConfigMap)", ("Name", source.get("name", "")),
            ("Optional", _optional(source)))


def _nfs(w: _Writer, source: Obj) -> None:
    _fields(w, "NFS (an NFS mount that lasts the lifetime of a pod)", ("Server", source.get("server", "")),
            ("Path", source.get("path", "")), ("ReadOnly", bool(source.get("readOnly"))))


def _pvc(w: _Writer, source: Obj) -> None:
    _fields(w, "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            ("ClaimName", source.get("claimName", "")), ("ReadOnly", bool(source.get("readOnly"))))


def _downward_api(w: _Writer, source: Obj) -> None:
    w.write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n")
    for item in source.get("items") or []:
        if item.get("fieldRef") is not None:
            w.write(3, f"{item['fieldRef'].get('fieldPath', '')} -> {item.get('path', '')}\n")
        if item.get("resourceFieldRef") is not None:
            w.write(3, f"{item['resourceFieldRef'].get('resource', '')} -> {item.get('path', '')}\n")


def _projected(w: _Writer, source: Obj) -> None:
    w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
    for part in source.get("sources") or []:
        if part.get("secret") is not None:
            w.write(2, f"SecretName:\t{part['secret'].get('name', '')}\n    Optional:\t{_optional(part['secret'])}\n")
        elif part.get("downwardAPI") is not None:
            w.write(2, "DownwardAPI:\ttrue\n")
        elif part.get("configMap") is not None:
            w.write(2, f"ConfigMapName:\t{part['configMap'].get('name', '')}\n"
                       f"    Optional:\t{_optional(part['configMap'])}\n")
        elif part.get("serviceAccountToken") is not None:
            w.write(2, f"TokenExpirationSeconds:\t{_int(part['serviceAccountToken'].get('expirationSeconds'))}\n")


def _csi(w: _Writer, source: Obj) -> None:
    _fields(w, "CSI (a Container Storage Interface (CSI) volume source)", ("Driver", source.get("driver", "")),
            ("FSType", source.get("fsType") or ""), ("ReadOnly", bool(source.get("readOnly"))))
    attributes = source.get("volumeAttributes") or {}
    w.write(2, "VolumeAttributes:\t")
    if not attributes:
        w.line("<none>")
        return
    for index, key in enumerate(sorted(attributes)):
        if index:
            w.write(2, "")
            w.write(2, "\t")
        w.write(2, f"{_shorten(f'{key}={_str(attributes[key])}', MAX_ANNOTATION_LEN)}\n")


def _image_volume(w: _Writer, source: Obj) -> None:
    _fields(w, "Image (a container image or OCI artifact)", ("Reference", source.get("reference", "")),
            ("PullPolicy", source.get("pullPolicy", "")))


_VOLUME_PRINTERS = (
    ("hostPath", _host_path), ("emptyDir", _empty_dir), ("gcePersistentDisk", _gce_pd),
    ("awsElasticBlockStore", _aws_ebs), ("gitRepo", _git_repo), ("secret", _secret_volume),
    ("configMap", _config_map_volume), ("nfs", _nfs), ("persistentVolumeClaim", _pvc),
    ("downwardAPI", _downward_api), ("projected", _projected), ("csi", _csi), ("image", _image_volume),
)


def _tolerations_multiline(w: _Writer, title: str, tolerations: list[Obj] | None) -> None:
    w.write(0, f"{title}:\t")
    if not tolerations:
        w.line("<none>")
        return
    for index, toleration in enumerate(sorted(tolerations, key=lambda t: str(t.get("key", "")))):
        if index:
            w.write(0, "\t")
        key, value, effect = toleration.get("key", ""), toleration.get("value", ""), toleration.get("effect", "")
        text = str(key)
        if value:
            text += f"={value}"
        if effect:
            text += f":{effect}"
        if toleration.get("operator") == "Exists" and not value:
            text += " op=Exists" if key or effect else "op=Exists"
        if toleration.get("tolerationSeconds") is not None:
            text += f" for {_int(toleration['tolerationSeconds'])}s"
        w.write(0, text + "\n")


def _topology_spread(w: _Writer, constraints: list[Obj] | None, space: str) -> None:
    if not constraints:
        return
    w.write(0, f"{space}Topology Spread Constraints:\t")
    for index, item in enumerate(sorted(constraints, key=lambda c: str(c.get("topologyKey", "")))):
        if index:
            w.write(0, space)
            w.write(0, "\t")
        text = f"{item.get('topologyKey', '')}:{item.get('whenUnsatisfiable', '')} when max skew " \
               f"{_int(item.get('maxSkew'))} is exceeded"
        if item.get("labelSelector") is not None:
            text += f" for selector {format_label_selector(item['labelSelector'])}"
        w.write(0, text + "\n")


# ---------------------------------------------------------------------------------------------
# Workloads

def _describe_replication_controller(rc: Obj, ctx: _Context, w: _Writer) -> None:
    meta, spec, status = _meta(rc), rc.get("spec") or {}, rc.get("status") or {}
    selector_map = spec.get("selector") or {}
    selector = selector_from_map(selector_map)
    running, waiting, succeeded, failed = _owned_pod_counts(rc, selector.matches, ctx,
                                                             {"matchLabels": dict(selector_map)})
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"Selector:\t{format_labels(selector_map)}\n")
    _labels_multiline(w, "Labels", meta.get("labels"))
    _annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Replicas:\t{_int(status.get('replicas'))} current / {_int(spec.get('replicas', 1))} desired\n")
    w.write(0, f"Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n")
    _describe_pod_template(w, spec.get("template"), ctx)
    _workload_conditions(w, status.get("conditions"))
    _describe_events(w, ctx.events(rc), ctx)


def _workload_conditions(w: _Writer, conditions: list[Obj] | None) -> None:
    if not conditions:
        return
    w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
    w.write(1, "----\t------\t------\n")
    for condition in conditions:
        w.write(1, f"{condition.get('type', '')} \t{condition.get('status', '')}\t{condition.get('reason', '')}\n")


def _describe_replica_set(rs: Obj, ctx: _Context, w: _Writer) -> None:
    meta, spec, status = _meta(rs), rs.get("spec") or {}, rs.get("status") or {}
    label_selector = spec.get("selector")
    selector = selector_from_label_selector(label_selector)
    matches = selector.matches if label_selector is not None else (lambda labels: True)
    running, waiting, succeeded, failed = _owned_pod_counts(rs, matches, ctx, label_selector)
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"Selector:\t{format_label_selector(label_selector)}\n")
    _labels_multiline(w, "Labels", meta.get("labels"))
    _annotations_multiline(w, "Annotations", meta.get("annotations"))
    controlled_by = _controlled_by(rs)
    if controlled_by:
        w.write(0, f"Controlled By:\t{controlled_by}\n")
    w.write(0, f"Replicas:\t{_int(status.get('replicas'))} current / {_int(spec.get('replicas', 1))} desired\n")
    w.write(0, "Pods Status:\t")
    w.write(0, f"{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n")
    _describe_pod_template(w, spec.get("template") or {}, ctx)
    _workload_conditions(w, status.get("conditions"))
    _describe_events(w, ctx.events(rs), ctx)


def _int_or_string(value: Any) -> str:
    if value is None:
        return "<nil>"
    return _str(value)


def _semantic_equal(left: Any, right: Any) -> bool:
    """apimachinery's Semantic.DeepEqual over JSON: absent, null and empty/zero values are the same."""
    if isinstance(left, Mapping) or isinstance(right, Mapping):
        left = left if isinstance(left, Mapping) else {}
        right = right if isinstance(right, Mapping) else {}
        return all(_semantic_equal(left.get(key), right.get(key)) for key in set(left) | set(right))
    if isinstance(left, list) or isinstance(right, list):
        left, right = left or [], right or []
        return len(left) == len(right) and all(_semantic_equal(a, b) for a, b in zip(left, right, strict=True))
    if _is_zero(left) and _is_zero(right):
        return True
    return left == right


def _is_zero(value: Any) -> bool:
    return value is None or value == "" or value is False or (isinstance(value, int | float) and value == 0)


def _template_without_hash(template: Obj | None) -> Obj:
    template = dict(template or {})
    metadata = dict(template.get("metadata") or {})
    labels = dict(metadata.get("labels") or {})
    labels.pop("pod-template-hash", None)
    metadata["labels"] = labels
    template["metadata"] = metadata
    return template


def _deployment_replica_sets(deployment: Obj, ctx: _Context) -> tuple[list[Obj], list[Obj]]:
    """deploymentutil.GetAllReplicaSetsInChunks: (all old, [new]) among the RSes the deployment controls."""
    meta, spec = _meta(deployment), deployment.get("spec") or {}
    label_selector = spec.get("selector")
    selector = selector_from_label_selector(label_selector)
    owned = []
    for rs in ctx.related.list("ReplicaSet", "apps", meta.get("namespace"), label_selector):
        if label_selector is not None and not selector.matches(_meta(rs).get("labels") or {}):
            continue
        ref = _controller_of(rs)
        if ref is not None and ref.get("uid") == meta.get("uid"):
            owned.append(rs)
    owned.sort(key=lambda rs: (parse_timestamp(_meta(rs).get("creationTimestamp") or "")
                               or datetime.min.replace(tzinfo=UTC), _meta(rs).get("name", "")))
    wanted = _template_without_hash(spec.get("template"))
    new = next((rs for rs in owned
                if _semantic_equal(_template_without_hash((rs.get("spec") or {}).get("template")), wanted)), None)
    old = [rs for rs in owned if new is None or _meta(rs).get("uid") != _meta(new).get("uid")]
    return old, [new] if new is not None else []


def _replica_sets_text(replica_sets: list[Obj]) -> str:
    text = ", ".join(f"{_meta(rs).get('name', '')} ({_int((rs.get('status') or {}).get('replicas'))}/"
                     f"{_int((rs.get('spec') or {}).get('replicas', 1))} replicas created)" for rs in replica_sets)
    return text or "<none>"


def _describe_deployment(deployment: Obj, ctx: _Context, w: _Writer) -> None:
    meta, spec, status = _meta(deployment), deployment.get("spec") or {}, deployment.get("status") or {}
    selector = _selector_text(spec.get("selector"))
    old, new = _deployment_replica_sets(deployment, ctx)
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"CreationTimestamp:\t{ctx.time(meta.get('creationTimestamp'))}\n")
    _labels_multiline(w, "Labels", meta.get("labels"))
    _annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Selector:\t{selector}\n")
    w.write(0, f"Replicas:\t{_int(spec.get('replicas', 1))} desired | {_int(status.get('updatedReplicas'))} updated | "
               f"{_int(status.get('replicas'))} total | {_int(status.get('availableReplicas'))} available | "
               f"{_int(status.get('unavailableReplicas'))} unavailable\n")
    strategy = spec.get("strategy") or {}
    w.write(0, f"StrategyType:\t{strategy.get('type', '')}\n")
    w.write(0, f"MinReadySeconds:\t{_int(spec.get('minReadySeconds'))}\n")
    rolling = strategy.get("rollingUpdate")
    if rolling is not None:
        w.write(0, f"RollingUpdateStrategy:\t{_int_or_string(rolling.get('maxUnavailable'))} max unavailable, "
                   f"{_int_or_string(rolling.get('maxSurge'))} max surge\n")
    _describe_pod_template(w, spec.get("template") or {}, ctx)
    _workload_conditions(w, status.get("conditions"))
    if old or new:
        w.write(0, f"OldReplicaSets:\t{_replica_sets_text(old)}\n")
        w.write(0, f"NewReplicaSet:\t{_replica_sets_text(new)}\n")
    _describe_events(w, ctx.events(deployment), ctx)


# ---------------------------------------------------------------------------------------------
# Services, endpoints, ingress

def format_endpoint_slices(slices: list[Obj], ports: set[str] | None) -> str:
    """formatEndpointSlices: ready ``ip:port`` of the named ports, first three then ``+ N more...``."""
    if not slices:
        return "<none>"
    listed: list[str] = []
    limit, more, count = 3, False, 0
    for endpoint_slice in slices:
        endpoints = endpoint_slice.get("endpoints") or []
        slice_ports = endpoint_slice.get("ports") or []
        if not slice_ports:
            for endpoint in endpoints:
                if len(listed) == limit:
                    more = True
                if not _endpoint_ready(endpoint):
                    continue
                if not more:
                    listed.append(str((endpoint.get("addresses") or [""])[0]))
                count += 1
            continue
        for port in slice_ports:
            if ports is not None and (port.get("name") or "") not in ports:
                continue
            for endpoint in endpoints:
                if len(listed) == limit:
                    more = True
                address = str((endpoint.get("addresses") or [""])[0])
                if not _endpoint_ready(endpoint):
                    continue
                if not more:
                    host = f"[{address}]" if ":" in address else address
                    listed.append(f"{host}:{_int(port.get('port'))}")
                count += 1
    text = ",".join(listed)
    return f"{text} + {count - limit} more..." if more else text


def _endpoint_ready(endpoint: Obj) -> bool:
    ready = (endpoint.get("conditions") or {}).get("ready")
    return ready is None or bool(ready)


def _service_slices(ctx: _Context, namespace: str | None, service_name: str) -> list[Obj]:
    selector = {"matchLabels": {SERVICE_NAME_LABEL: service_name}}
    found = [s for s in ctx.related.list("EndpointSlice", "discovery.k8s.io", namespace, selector)
             if (_meta(s).get("labels") or {}).get(SERVICE_NAME_LABEL) == service_name]
    return sorted(found, key=lambda s: _meta(s).get("name", ""))


def _describe_service(service: Obj, ctx: _Context, w: _Writer) -> None:
    meta, spec, status = _meta(service), service.get("spec") or {}, service.get("status") or {}
    slices = _service_slices(ctx, meta.get("namespace"), meta.get("name", ""))
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _labels_multiline(w, "Labels", meta.get("labels"))
    _annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Selector:\t{format_labels(spec.get('selector'))}\n")
    w.write(0, f"Type:\t{spec.get('type', '')}\n")
    if spec.get("ipFamilyPolicy") is not None:
        w.write(0, f"IP Family Policy:\t{spec['ipFamilyPolicy']}\n")
    families = spec.get("ipFamilies") or []
    w.write(0, f"IP Families:\t{','.join(families) if families else '<none>'}\n")
    w.write(0, f"IP:\t{spec.get('clusterIP', '')}\n")
    cluster_ips = spec.get("clusterIPs") or []
    w.write(0, f"IPs:\t{','.join(cluster_ips) if cluster_ips else '<none>'}\n")
    if spec.get("externalIPs"):
        w.write(0, f"External IPs:\t{','.join(spec['externalIPs'])}\n")
    if spec.get("loadBalancerIP"):
        w.write(0, f"Desired LoadBalancer IP:\t{spec['loadBalancerIP']}\n")
    if spec.get("externalName"):
        w.write(0, f"External Name:\t{spec['externalName']}\n")
    ingress = (status.get("loadBalancer") or {}).get("ingress") or []
    if ingress:
        parts = []
        for entry in ingress:
            if entry.get("ip"):
                parts.append(entry["ip"] + (f" ({entry['ipMode']})" if entry.get("ipMode") is not None else ""))
            else:
                parts.append(str(entry.get("hostname", "")))
        w.write(0, f"LoadBalancer Ingress:\t{', '.join(parts)}\n")
    for port in spec.get("ports") or []:
        name = port.get("name") or "<unset>"
        protocol = port.get("protocol", "TCP")
        w.write(0, f"Port:\t{name}\t{_int(port.get('port'))}/{protocol}\n")
        w.write(0, f"TargetPort:\t{_str(port.get('targetPort', port.get('port')))}/{protocol}\n")
        if port.get("appProtocol") is not None:
            w.write(0, f"AppProtocol:\t{port['appProtocol']}\n")
        if _int(port.get("nodePort")):
            w.write(0, f"NodePort:\t{name}\t{_int(port['nodePort'])}/{protocol}\n")
        w.write(0, f"Endpoints:\t{format_endpoint_slices(slices, {port.get('name') or ''})}\n")
    w.write(0, f"Session Affinity:\t{spec.get('sessionAffinity', '')}\n")
    if spec.get("externalTrafficPolicy"):
        w.write(0, f"External Traffic Policy:\t{spec['externalTrafficPolicy']}\n")
    if spec.get("internalTrafficPolicy") is not None:
        w.write(0, f"Internal Traffic Policy:\t{spec['internalTrafficPolicy']}\n")
    if _int(spec.get("healthCheckNodePort")):
        w.write(0, f"HealthCheck NodePort:\t{_int(spec['healthCheckNodePort'])}\n")
    if spec.get("loadBalancerSourceRanges"):
        w.write(0, f"LoadBalancer Source Ranges:\t{','.join(spec['loadBalancerSourceRanges'])}\n")
    if spec.get("trafficDistribution") is not None:
        w.write(0, f"Traffic Distribution:\t{spec['trafficDistribution']}\n")
    _describe_events(w, ctx.events(service), ctx)


def _describe_endpoints(endpoints: Obj, ctx: _Context, w: _Writer) -> None:
    meta = _meta(endpoints)
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _labels_multiline(w, "Labels", meta.get("labels"))
    _annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "Subsets:\n")
    for subset in endpoints.get("subsets") or []:
        ready = ",".join(str(a.get("ip", "")) for a in subset.get("addresses") or [])
        w.write(1, f"Addresses:\t{ready or '<none>'}\n")
        not_ready = ",".join(str(a.get("ip", "")) for a in subset.get("notReadyAddresses") or [])
        w.write(1, f"NotReadyAddresses:\t{not_ready or '<none>'}\n")
        ports = subset.get("ports") or []
        if ports:
            w.write(1, "Ports:\n")
            w.write(2, "Name\tPort\tProtocol\n")
            w.write(2, "----\t----\t--------\n")
            for port in ports:
                w.write(2, f"{port.get('name') or '<unset>'}\t{_int(port.get('port'))}\t{port.get('protocol', 'TCP')}\n")
        w.write(0, "\n")
    _describe_events(w, ctx.events(endpoints), ctx)


def _describe_endpoint_slice(endpoint_slice: Obj, ctx: _Context, w: _Writer) -> None:
    meta = _meta(endpoint_slice)
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _labels_multiline(w, "Labels", meta.get("labels"))
    _annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"AddressType:\t{endpoint_slice.get('addressType', '')}\n")
    ports = endpoint_slice.get("ports") or []
    if not ports:
        w.write(0, "Ports: <unset>\n")
    else:
        w.write(0, "Ports:\n")
        w.write(1, "Name\tPort\tProtocol\n")
        w.write(1, "----\t----\t--------\n")
        for port in ports:
            number = str(_int(port["port"])) if port.get("port") is not None else "<unset>"
            w.write(1, f"{port.get('name') or '<unset>'}\t{number}\t{port.get('protocol', 'TCP')}\n")
    endpoints = endpoint_slice.get("endpoints") or []
    if not endpoints:
        w.write(0, "Endpoints: <none>\n")
    else:
        w.write(0, "Endpoints:\n")
        for endpoint in endpoints:
            addresses = ", ".join(str(a) for a in endpoint.get("addresses") or [])
            w.write(1, f"- Addresses:\t{addresses or '<none>'}\n")
            w.write(2, "Conditions:\n")
            ready = (endpoint.get("conditions") or {}).get("ready")
            w.write(3, f"Ready:\t{'<unset>' if ready is None else _str(bool(ready))}\n")
            hostname = endpoint.get("hostname")
            w.write(2, f"Hostname:\t{'<unset>' if hostname is None else hostname}\n")
            target = endpoint.get("targetRef")
            if target is not None:
                w.write(2, f"TargetRef:\t{target.get('kind', '')}/{target.get('name', '')}\n")
            node_name = endpoint.get("nodeName")
            w.write(2, f"NodeName:\t{'<unset>' if node_name is None else node_name}\n")
            zone = endpoint.get("zone")
            w.write(2, f"Zone:\t{'<unset>' if zone is None else zone}\n")
    _describe_events(w, ctx.events(endpoint_slice), ctx)


def _ingress_backend(ctx: _Context, namespace: str | None, backend: Obj) -> str:
    """describeBackendV1: ``svc:port (endpoints)``, or the resource backend's reference."""
    service = backend.get("service")
    if service is not None:
        port = service.get("port") or {}
        number = _int(port.get("number"))
        label = f"{service.get('name', '')}:{number if number else port.get('name', '')}"
        slices = _service_slices(ctx, namespace, service.get("name", ""))
        target = next((s for s in ctx.related.list("Service", "", namespace)
                       if _meta(s).get("name") == service.get("name")), None)
        if target is None:
            return f'{label} (<error: services "{service.get("name", "")}" not found>)'
        port_name = ""
        for service_port in (target.get("spec") or {}).get("ports") or []:
            if number and number == _int(service_port.get("port")):
                port_name = service_port.get("name") or ""
            elif port.get("name") and port.get("name") == service_port.get("name"):
                port_name = service_port.get("name") or ""
        return f"{label} ({format_endpoint_slices(slices, {port_name})})"
    resource = backend.get("resource")
    if resource is not None:
        group = resource.get("apiGroup")
        return (f"APIGroup: {'<none>' if group is None else group}, Kind: {resource.get('kind', '')}, "
                f"Name: {resource.get('name', '')}")
    return ""


def _describe_ingress(ingress: Obj, ctx: _Context, w: _Writer) -> None:
    meta, spec, status = _meta(ingress), ingress.get("spec") or {}, ingress.get("status") or {}
    namespace = meta.get("namespace")
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    _labels_multiline(w, "Labels", meta.get("labels"))
    w.write(0, f"Namespace:\t{namespace or ''}\n")
    addresses = set()
    for entry in (status.get("loadBalancer") or {}).get("ingress") or []:
        if entry.get("ip"):
            addresses.add(entry["ip"])
        elif entry.get("hostname"):
            addresses.add(entry["hostname"])
    w.write(0, f"Address:\t{','.join(sorted(addresses))}\n")
    class_name = spec.get("ingressClassName")
    w.write(0, f"Ingress Class:\t{'<none>' if class_name is None else class_name}\n")
    default = spec.get("defaultBackend")
    default_text = _ingress_backend(ctx, namespace, default) if default is not None else "<default>"
    w.write(0, f"Default backend:\t{default_text}\n")
    if spec.get("tls"):
        w.write(0, "TLS:\n")
        for tls in spec["tls"]:
            hosts = ",".join(tls.get("hosts") or [])
            if not tls.get("secretName"):
                w.write(1, f"SNI routes {hosts}\n")
            else:
                w.write(1, f"{tls['secretName']} terminates {hosts}\n")
    w.write(0, "Rules:\n  Host\tPath\tBackends\n")
    w.write(1, "----\t----\t--------\n")
    count = 0
    for rule in spec.get("rules") or []:
        if rule.get("http") is None:
            continue
        count += 1
        w.write(1, f"{rule.get('host') or '*'}\t\n")
        for path in rule["http"].get("paths") or []:
            w.write(2, f"\t{path.get('path', '')} \t{_ingress_backend(ctx, namespace, path.get('backend') or {})}\n")
    if count == 0:
        w.write(1, f"*\t*\t{default_text}\n")
    _annotations_multiline(w, "Annotations", meta.get("annotations"))
    _describe_events(w, ctx.events(ingress), ctx)


def _describe_ingress_class(ingress_class: Obj, ctx: _Context, w: _Writer) -> None:
    meta, spec = _meta(ingress_class), ingress_class.get("spec") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    _labels_multiline(w, "Labels", meta.get("labels"))
    _annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Controller:\t{spec.get('controller', '')}\n")
    parameters = spec.get("parameters")
    if parameters is not None:
        w.write(0, "Parameters:\n")
        if parameters.get("apiGroup") is not None:
            w.write(1, f"APIGroup:\t{parameters['apiGroup']}\n")
        w.write(1, f"Kind:\t{parameters.get('kind', '')}\n")
        w.write(1, f"Name:\t{parameters.get('name', '')}\n")
    _describe_events(w, ctx.events(ingress_class), ctx)


# ---------------------------------------------------------------------------------------------
# Config and cluster objects

def _decoded(value: Any) -> bytes:
    """Secret and binary ConfigMap values travel base64-encoded; the API server only stores valid ones."""
    try:
        return base64.b64decode(str(value or ""), validate=False)
    except (binascii.Error, ValueError):
        return str(value or "").encode("utf-8", "surrogateescape")


def _decoded_length(value: Any) -> int:
    return len(_decoded(value))


def _describe_secret(secret: Obj, ctx: _Context, w: _Writer) -> None:
    meta = _meta(secret)
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _labels_multiline(w, "Labels", meta.get("labels"))
    _annotations_multiline(w, "Annotations", meta.get("annotations"))
    secret_type = secret.get("type", "")
    w.write(0, f"\nType:\t{secret_type}\n")
    w.write(0, "\nData\n====\n")
    data = secret.get("data") or {}
    for key in sorted(data):
        if key == "token" and secret_type == "kubernetes.io/service-account-token":
            token = _decoded(data[key]).decode("utf-8", "surrogateescape")
            w.write(0, f"{key}:\t{token}\n")
        else:
            w.write(0, f"{key}:\t{_decoded_length(data[key])} bytes\n")


def _describe_config_map(config_map: Obj, ctx: _Context, w: _Writer) -> None:
    meta = _meta(config_map)
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _labels_multiline(w, "Labels", meta.get("labels"))
    _annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "\nData\n====\n")
    data = config_map.get("data") or {}
    for key in sorted(data):
        w.write(0, f"{key}:\n----\n")
        w.write(0, f"{_str(data[key])}\n")
        w.write(0, "\n")
    w.write(0, "\nBinaryData\n====\n")
    binary = config_map.get("binaryData") or {}
    for key in sorted(binary):
        w.write(0, f"{key}: {_decoded_length(binary[key])} bytes\n")
    w.write(0, "\n")
    _describe_events(w, ctx.events(config_map), ctx)


def _describe_namespace(namespace: Obj, ctx: _Context, w: _Writer) -> None:
    meta, status = _meta(namespace), namespace.get("status") or {}
    name = meta.get("name", "")
    w.write(0, f"Name:\t{name}\n")
    _labels_multiline(w, "Labels", meta.get("labels"))
    _annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Status:\t{status.get('phase', '')}\n")
    if status.get("conditions"):
        w.write(0, "Conditions:\n")
        w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t------------------\t------\t-------\n")
        for condition in status["conditions"]:
            w.write(1, f"{condition.get('type', '')}\t{condition.get('status', '')}\t"
                       f"{ctx.time(condition.get('lastTransitionTime'))}\t{condition.get('reason', '')}\t"
                       f"{condition.get('message', '')}\n")
    w.write(0, "\n")
    _describe_resource_quotas(w, ctx.related.list("ResourceQuota", "", name))
    w.write(0, "\n")
    _describe_limit_ranges(w, ctx.related.list("LimitRange", "", name))


def _describe_resource_quotas(w: _Writer, quotas: list[Obj]) -> None:
    if not quotas:
        w.write(0, "No resource quota.\n")
        return
    w.write(0, "Resource Quotas\n")
    for quota in sorted(quotas, key=lambda q: _meta(q).get("name", "")):
        spec, status = quota.get("spec") or {}, quota.get("status") or {}
        w.write(1, f"Name:\t{_meta(quota).get('name', '')}\n")
        scopes = sorted(spec.get("scopes") or [])
        if scopes:
            w.write(1, f"Scopes:\t{', '.join(scopes)}\n")
            for scope in scopes:
                if scope in _QUOTA_SCOPE_HELP:
                    w.write(1, f"* {_QUOTA_SCOPE_HELP[scope]}\n")
        w.write(1, "Resource\tUsed\tHard\n")
        w.write(1, "--------\t---\t---\n")
        hard, used = status.get("hard") or {}, status.get("used") or {}
        for resource in sorted(hard):
            used_text = _quantity_text(used[resource]) if resource in used else "0"
            w.write(1, f"{resource}\t{used_text}\t{_quantity_text(hard[resource])}\n")


_QUOTA_SCOPE_HELP = {
    "Terminating": "Matches all pods that have an active deadline. These pods have a limited lifespan on a node "
                   "before being actively terminated by the system.",
    "NotTerminating": "Matches all pods that do not have an active deadline. These pods usually include long "
                      "running pods whose container command is not expected to terminate.",
    "BestEffort": "Matches all pods that do not have resource requirements set. These pods have a best effort "
                  "quality of service.",
    "NotBestEffort": "Matches all pods that have at least one resource requirement set. These pods have a burstable "
                     "or guaranteed quality of service.",
}


def _describe_limit_ranges(w: _Writer, limit_ranges: list[Obj]) -> None:
    if not limit_ranges:
        w.write(0, "No LimitRange resource.\n")
        return
    w.write(0, "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n")
    w.write(0, " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n")
    for limit_range in limit_ranges:
        for item in (limit_range.get("spec") or {}).get("limits") or []:
            columns = [item.get(field) or {} for field in
                       ("min", "max", "defaultRequest", "default", "maxLimitRequestRatio")]
            # kubectl walks a Go map here, so its row order is random; sorted is one of its orders.
            for resource in sorted(set().union(*columns)):
                cells = [_quantity_text(column[resource]) if resource in column else "-" for column in columns]
                w.write(0, f" {item.get('type', '')}\t{resource}\t" + "\t".join(cells) + "\n")


def _describe_node(node: Obj, ctx: _Context, w: _Writer) -> None:
    meta, spec, status = _meta(node), node.get("spec") or {}, node.get("status") or {}
    name = meta.get("name", "")
    w.write(0, f"Name:\t{name}\n")
    roles = set()
    for key, value in (meta.get("labels") or {}).items():
        if key.startswith("node-role.kubernetes.io/"):
            role = key[len("node-role.kubernetes.io/"):]
            if role:
                roles.add(role)
        elif key == "kubernetes.io/role" and value != "":
            roles.add(value)
    w.write(0, f"Roles:\t{','.join(sorted(roles)) if roles else '<none>'}\n")
    _labels_multiline(w, "Labels", meta.get("labels"))
    _annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"CreationTimestamp:\t{ctx.time(meta.get('creationTimestamp'))}\n")
    _taints_multiline(w, "Taints", spec.get("taints"))
    w.write(0, f"Unschedulable:\t{_str(bool(spec.get('unschedulable')))}\n")
    lease = next((lease for lease in ctx.related.list("Lease", "coordination.k8s.io", "kube-node-lease")
                  if _meta(lease).get("name") == name), None)
    if lease is None:
        w.write(0, f'Lease:\tFailed to get lease: leases.coordination.k8s.io "{name}" not found\n')
    else:
        lease_spec = lease.get("spec") or {}
        w.write(0, "Lease:\n")
        holder = lease_spec.get("holderIdentity")
        w.write(1, f"HolderIdentity:\t{'<unset>' if holder is None else holder}\n")
        for title, key in (("AcquireTime", "acquireTime"), ("RenewTime", "renewTime")):
            value = lease_spec.get(key)
            w.write(1, f"{title}:\t{'<unset>' if value is None else ctx.time(value)}\n")
    conditions = status.get("conditions") or []
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for condition in conditions:
            w.write(1, f"{condition.get('type', '')} \t{condition.get('status', '')} \t"
                       f"{ctx.time(condition.get('lastHeartbeatTime'))} \t"
                       f"{ctx.time(condition.get('lastTransitionTime'))} \t{condition.get('reason', '')} \t"
                       f"{condition.get('message', '')}\n")
    w.write(0, "Addresses:\n")
    for address in status.get("addresses") or []:
        w.write(1, f"{address.get('type', '')}:\t{address.get('address', '')}\n")
    for title, key in (("Capacity", "capacity"), ("Allocatable", "allocatable")):
        resources = status.get(key) or {}
        if resources:
            w.write(0, f"{title}:\n")
            for resource in sorted(resources):
                w.write(0, f"  {resource}:\t{_quantity_text(resources[resource])}\n")
    slices = [s for s in ctx.related.list("ResourceSlice", "resource.k8s.io", None)
              if (s.get("spec") or {}).get("nodeName") == name]
    if slices:
        _node_resource_slices(w, slices)
    info = status.get("nodeInfo") or {}
    w.write(0, "System Info:\n")
    for title, key in (("Machine ID", "machineID"), ("System UUID", "systemUUID"), ("Boot ID", "bootID"),
                       ("Kernel Version", "kernelVersion"), ("OS Image", "osImage"),
                       ("Operating System", "operatingSystem"), ("Architecture", "architecture"),
                       ("Container Runtime Version", "containerRuntimeVersion"),
                       ("Kubelet Version", "kubeletVersion")):
        w.write(0, f"  {title}:\t{info.get(key, '')}\n")
    if spec.get("podCIDR"):
        w.write(0, f"PodCIDR:\t{spec['podCIDR']}\n")
    if spec.get("podCIDRs"):
        w.write(0, f"PodCIDRs:\t{','.join(spec['podCIDRs'])}\n")
    if spec.get("providerID"):
        w.write(0, f"ProviderID:\t{spec['providerID']}\n")
    pods = [pod for pod in ctx.related.list("Pod", "", None)
            if (pod.get("spec") or {}).get("nodeName") == name
            and (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]
    pods.sort(key=lambda pod: (_meta(pod).get("namespace", ""), _meta(pod).get("name", "")))
    _node_resources(w, node, pods, ctx)
    _describe_events(w, ctx.events(node), ctx)


def _taints_multiline(w: _Writer, title: str, taints: list[Obj] | None) -> None:
    w.write(0, f"{title}:\t")
    if not taints:
        w.line("<none>")
        return
    ordered = sorted(taints, key=lambda t: f"{t.get('effect', '')},{t.get('key', '')}")
    for index, taint in enumerate(ordered):
        if index:
            w.write(0, "\t")
        key, value, effect = taint.get("key", ""), taint.get("value", ""), taint.get("effect", "")
        if not effect:
            text = key if not value else f"{key}={value}:"
        else:
            text = f"{key}:{effect}" if not value else f"{key}={value}:{effect}"
        w.write(0, f"{text}\n")


def _node_resource_slices(w: _Writer, slices: list[Obj]) -> None:
    pools: dict[str, list] = {}
    for resource_slice in slices:
        spec = resource_slice.get("spec") or {}
        driver, pool = spec.get("driver", ""), (spec.get("pool") or {}).get("name", "")
        entry = pools.setdefault(f"{driver}/{pool}", [driver, pool, 0, 0])
        entry[2] += 1
        entry[3] += len(spec.get("devices") or [])
    w.write(0, "Node-Local ResourceSlices:\n")
    w.write(1, "Driver\tPool\tSlices\tDevices\n")
    w.write(1, "------\t----\t------\t-------\n")
    keys = sorted(pools)
    for shown, key in enumerate(keys):
        if shown >= 10:
            w.write(1, f"...and {len(keys) - 10} more pools\n")
            break
        driver, pool, count, devices = pools[key]
        w.write(1, f"{driver}\t{pool}\t{count}\t{devices}\n")


def _percent(numerator: int, denominator: int) -> int:
    """``int64(float64(a)/float64(b)*100)`` on amd64, including its answer for a zero denominator."""
    if denominator == 0:
        return -(2**63)
    return int(numerator / denominator * 100)


def _node_resources(w: _Writer, node: Obj, pods: list[Obj], ctx: _Context) -> None:
    status = node.get("status") or {}
    allocatable = status.get("allocatable") or status.get("capacity") or {}
    cpu_total = _quantity(allocatable.get("cpu", 0))
    memory_total = _quantity(allocatable.get("memory", 0))
    w.write(0, f"Non-terminated Pods:\t({len(pods)} in total)\n")
    w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
    w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
    total_requests: dict[str, Quantity] = {}
    total_limits: dict[str, Quantity] = {}
    zero = Quantity()
    for pod in pods:
        requests, limits = _pod_resources(pod, "requests"), _pod_resources(pod, "limits")
        for source, total in ((requests, total_requests), (limits, total_limits)):
            for resource, quantity in source.items():
                if resource in total:
                    total[resource].add(quantity)
                else:
                    total[resource] = quantity.copy()
        cells = []
        for quantity, whole, milli in ((requests.get("cpu", zero), cpu_total, True),
                                       (limits.get("cpu", zero), cpu_total, True),
                                       (requests.get("memory", zero), memory_total, False),
                                       (limits.get("memory", zero), memory_total, False)):
            numerator = quantity.milli_value() if milli else quantity.int_value()
            denominator = whole.milli_value() if milli else whole.int_value()
            cells.append(f"{quantity} ({_percent(numerator, denominator)}%)")
        meta = _meta(pod)
        w.write(1, f"{meta.get('namespace', '')}\t{meta.get('name', '')}\t\t" + "\t".join(cells)
                   + f"\t{ctx.since(meta.get('creationTimestamp'))}\n")
    w.write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n")
    w.write(1, "Resource\tRequests\tLimits\n")
    w.write(1, "--------\t--------\t------\n")
    for resource, milli in (("cpu", True), ("memory", False), ("ephemeral-storage", False)):
        whole = _quantity(allocatable.get(resource, 0))
        denominator = whole.milli_value() if milli else whole.int_value()
        cells = []
        for total in (total_requests, total_limits):
            quantity = total.get(resource, zero)
            numerator = quantity.milli_value() if milli else quantity.int_value()
            share = int(numerator / denominator * 100) if denominator else 0
            cells.append(f"{quantity} ({share}%)")
        w.write(1, f"{resource}\t{cells[0]}\t{cells[1]}\n")
    huge_pages = sorted(r for r in allocatable if r.startswith("hugepages-"))
    extended = sorted(r for r in allocatable if not r.startswith("hugepages-")
                      and r not in ("cpu", "memory", "ephemeral-storage", "pods"))
    for resource in huge_pages:
        whole = _quantity(allocatable[resource]).int_value()
        cells = []
        for total in (total_requests, total_limits):
            quantity = total.get(resource, zero)
            share = int(quantity.int_value() / whole * 100) if whole else 0
            cells.append(f"{quantity} ({share}%)")
        w.write(1, f"{resource}\t{cells[0]}\t{cells[1]}\n")
    for resource in extended:
        w.write(1, f"{resource}\t{total_requests.get(resource, zero)}\t{total_limits.get(resource, zero)}\n")


# ---------------------------------------------------------------------------------------------
# Everything else: kubectl's generic describer (Events, and kinds without a describer)

def _smart_label(field: str) -> str:
    """smartLabelFor: ``involvedObject`` → ``Involved Object``, ``apiVersion`` → ``API Version``."""
    if any(not (ch.isalpha() or ch == "-") for ch in field):
        return field
    runs: list[list[str]] = []
    last = 0
    for ch in field:
        cls = 1 if ch.islower() else 2 if ch.isupper() else 3 if ch.isdigit() else 4
        if cls == last:
            runs[-1].append(ch)
        else:
            runs.append([ch])
        last = cls
    for index in range(len(runs) - 1):
        if runs[index] and runs[index + 1] and runs[index][0].isupper() and runs[index + 1][0].islower():
            runs[index + 1].insert(0, runs[index].pop())
    parts = ["".join(run) for run in runs if run]
    merged: list[str] = []
    index = 0
    while index < len(parts):
        part = parts[index]
        if (index + 1 < len(parts) and len(part) >= 2 and all(not ch.isalpha() or ch.isupper() for ch in part)
                and parts[index + 1][:1].isupper()):
            merged.append(part + parts[index + 1])
            index += 2
            continue
        merged.append(part)
        index += 1
    words = []
    for part in merged:
        if part == "_":
            continue
        if part.upper() in ("API", "URL", "UID", "GUID"):
            part = part.upper()
        elif part.lower() == part:
            part = part[:1].upper() + part[1:]
        words.append(part)
    return " ".join(words)


def _go_value(value: Any) -> str:
    """``%v`` of an unstructured value: nil, numbers, lists and maps as Go prints them."""
    if value is None:
        return "<nil>"
    if isinstance(value, list):
        return "[" + " ".join(_go_value(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "map[" + " ".join(f"{key}:{_go_value(value[key])}" for key in sorted(value)) + "]"
    return _str(value)


def _print_unstructured(w: _Writer, level: int, content: Mapping[str, Any], prefix: str, skip: set[str]) -> None:
    for field in sorted(content):
        value = content[field]
        path = f"{prefix}.{field}"
        if path in skip:
            continue
        if isinstance(value, Mapping):
            w.write(level, f"{_smart_label(field)}:\n")
            _print_unstructured(w, level + 1, value, path, skip)
        elif isinstance(value, list):
            w.write(level, f"{_smart_label(field)}:\n")
            for child in value:
                if isinstance(child, Mapping):
                    _print_unstructured(w, level + 1, child, path, skip)
                else:
                    w.write(level + 1, f"{_go_value(child)}\n")
        else:
            w.write(level, f"{_smart_label(field)}:\t{_go_value(value)}\n")


_GENERIC_SKIP = {".metadata.managedFields", ".metadata.name", ".metadata.namespace", ".metadata.labels",
                 ".metadata.annotations"}


def _describe_generic(obj: Obj, ctx: _Context, w: _Writer) -> None:
    meta = _meta(obj)
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _labels_multiline(w, "Labels", meta.get("labels"))
    _annotations_multiline(w, "Annotations", meta.get("annotations"))
    _print_unstructured(w, 0, obj, "", _GENERIC_SKIP)
    _describe_events(w, ctx.events(obj), ctx)


_DESCRIBERS = {
    ("", "Pod"): _describe_pod,
    ("", "ReplicationController"): _describe_replication_controller,
    ("", "Secret"): _describe_secret,
    ("", "Service"): _describe_service,
    ("", "Node"): _describe_node,
    ("", "Namespace"): _describe_namespace,
    ("", "Endpoints"): _describe_endpoints,
    ("", "ConfigMap"): _describe_config_map,
    ("discovery.k8s.io", "EndpointSlice"): _describe_endpoint_slice,
    ("networking.k8s.io", "Ingress"): _describe_ingress,
    ("networking.k8s.io", "IngressClass"): _describe_ingress_class,
    ("apps", "Deployment"): _describe_deployment,
    ("apps", "ReplicaSet"): _describe_replica_set,
}
