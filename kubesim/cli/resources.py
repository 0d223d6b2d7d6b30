"""Turning what a user typed into the kinds and names a verb acts on (cli-runtime's builder)."""

from __future__ import annotations

from kubesim.api.registry import Kind, all_kinds, resolve_resource
from kubesim.errors import KubectlError

# Category "all" in discovery order: core first, then apps.
CATEGORY_ORDER = ("pods", "replicationcontrollers", "services", "daemonsets", "deployments", "replicasets",
                  "statefulsets", "horizontalpodautoscalers", "cronjobs", "jobs")

NO_RESOURCES = ("You must provide one or more resources by argument or filename.\nExample resource specifications "
                "include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")


class Request:
    """One kind and the names asked for (empty: every object, filtered by selector)."""

    def __init__(self, kind: Kind, names: list[str]) -> None:
        self.kind = kind
        self.names = names


def resolve_type(word: str) -> list[Kind]:
    if word == "all":
        members = [k for k in all_kinds() if "all" in k.categories]
        return sorted(members, key=lambda k: CATEGORY_ORDER.index(k.plural) if k.plural in CATEGORY_ORDER else 99)
    kind = resolve_resource(word)
    if kind is None:
        raise KubectlError(f'the server doesn\'t have a resource type "{word}"')
    return [kind]


def parse_resource_args(args: list[str], program: str = "kubesim", verb: str = "get") -> list[Request]:
    """``TYPE``, ``TYPE NAME…``, ``TYPE1,TYPE2 NAME…``, ``TYPE/NAME…`` as kubectl accepts them."""
    if not args:
        return []
    if any("/" in arg for arg in args):
        if not all("/" in arg for arg in args):
            raise KubectlError(
                "there is no need to specify a resource type as a separate argument when passing arguments "
                f"in resource/name form (e.g. '{program} {verb} resource/<resource_name>' instead of "
                f"'{program} {verb} resource resource/<resource_name>'")
        requests: list[Request] = []
        for arg in args:
            word, _, name = arg.partition("/")
            if not word or not name:
                raise KubectlError("arguments in resource/name form must have a single resource and name")
            for kind in resolve_type(word):
                if requests and requests[-1].kind is kind:
                    requests[-1].names.append(name)
                else:
                    requests.append(Request(kind, [name]))
        return requests
    types = [word for word in args[0].split(",") if word]
    names = args[1:]
    requests = []
    seen: set[str] = set()
    for word in types:
        for kind in resolve_type(word):
            if kind.resource not in seen:
                seen.add(kind.resource)
                requests.append(Request(kind, list(names)))
    return requests


def multiple_types_requested(args: list[str]) -> bool:
    """cli-runtime's MultipleTypesRequested: ``all``, a comma list, or TYPE/NAME of several types."""
    if not args:
        return False
    if args == ["all"]:
        return True
    words: set[str] = set()
    for arg in args:
        if "/" in arg:
            words.add(arg.split("/", 1)[0])
    if not words:
        words = set(args[0].split(","))
        if "all" in words:
            return True
    return len(words) > 1


def label_selector(text: str | None, kind: Kind | None = None):
    """Parse ``-l``; a bad selector fails as kubectl reports it for a list (kind) or for -f sources."""
    if text is None:
        return None
    from kubesim.api.selectors import SelectorError, parse_selector

    try:
        return parse_selector(text)
    except SelectorError as error:
        if kind is None:
            from kubesim.api.errors import go_quote

            raise KubectlError(f"the provided selector {go_quote(text.strip())} is not valid: {error.message}") from None
        from kubesim.api.errors import ApiError

        resource = f"{kind.group}/{kind.version}" if kind.group else f"/{kind.version}"
        raise ApiError("BadRequest", 400, f'Unable to find "{resource}, Resource={kind.plural}" that match label '
                                          f'selector "{text}", field selector "": {error.message}') from None


def field_selector(text: str | None, kind: Kind):
    """Parse ``--field-selector`` for listing ``kind``; refusals read as the API server's, via kubectl."""
    if not text:
        return None
    from kubesim.api.errors import ApiError
    from kubesim.api.fields import FieldSelectorError, parse_field_selector

    try:
        selector = parse_field_selector(text)
        selector.check(kind.kind)
    except FieldSelectorError as error:
        resource = f"{kind.group}/{kind.version}" if kind.group else f"/{kind.version}"
        raise ApiError("BadRequest", 400, f'Unable to find "{resource}, Resource={kind.plural}" that match label '
                                          f'selector "", field selector "{text}": {error.message}') from None
    return selector
