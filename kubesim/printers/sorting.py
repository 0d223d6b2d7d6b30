"""``--sort-by``: kubectl's client-side ordering of list items by a JSONPath expression."""

from __future__ import annotations

import functools
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from kubesim.errors import KubectlError

_QUANTITY = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$")
_SUFFIX = {"": 1, "n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "k": 10**3, "M": 10**6,
           "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30,
           "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}


def relaxed_expression(expression: str) -> str:
    """``metadata.name``, ``.metadata.name`` and ``{.metadata.name}`` all mean ``{.metadata.name}``."""
    text = expression.strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    if not text.startswith("."):
        text = "." + text
    return "{" + text + "}"


def quantity(text: str) -> Decimal | None:
    match = _QUANTITY.match(text)
    if not match:
        return None
    try:
        number = Decimal(match.group(1))
    except InvalidOperation:
        return None
    suffix = match.group(2) or ""
    if suffix[:1] in ("e", "E"):
        return number * Decimal(10) ** int(suffix[1:])
    return number * Decimal(_SUFFIX[suffix])


def _less(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return (not a) and bool(b)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a < b
    if isinstance(a, str) and isinstance(b, str):
        qa, qb = quantity(a), quantity(b)
        if qa is not None and qb is not None:
            return qa < qb
        return natural_less(a, b)
    return str(a) < str(b)


def natural_less(a: str, b: str) -> bool:
    """kubectl's string order (sortorder.NaturalLess): runs of digits compare as numbers, so
    ``p2 < p10`` and ``10.244.0.3 < 10.244.0.10``; with equal values, fewer leading zeros first."""
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i].isdigit() and b[j].isdigit():
            start_a, start_b = i, j
            while i < len(a) and a[i] == "0":
                i += 1
            while j < len(b) and b[j] == "0":
                j += 1
            digits_a, digits_b = i, j
            while i < len(a) and a[i].isdigit():
                i += 1
            while j < len(b) and b[j].isdigit():
                j += 1
            number_a, number_b = a[digits_a:i], b[digits_b:j]
            if len(number_a) != len(number_b):
                return len(number_a) < len(number_b)
            if number_a != number_b:
                return number_a < number_b
            if (digits_a - start_a) != (digits_b - start_b):
                return (digits_a - start_a) < (digits_b - start_b)
            continue
        if a[i] != b[j]:
            return a[i] < b[j]
        i += 1
        j += 1
    return len(a) - i < len(b) - j


def sort_objects(objects: list[dict], expression: str) -> list[dict]:
    from kubesim.printers.jsonpath import JsonPathError, find_values

    path = relaxed_expression(expression)
    try:
        keyed = [(find_values(path, obj), obj) for obj in objects]
    except JsonPathError as error:
        raise KubectlError(error.message) from None
    if objects and not any(values for values, _ in keyed):
        raise KubectlError(f'couldn\'t find any field with path "{path}" in the list of objects')

    def compare(left, right) -> int:
        a, b = left[0], right[0]
        if not a:
            return 0 if not b else -1
        if not b:
            return 1
        if _less(a[0], b[0]):
            return -1
        if _less(b[0], a[0]):
            return 1
        return 0

    return [obj for _, obj in sorted(keyed, key=functools.cmp_to_key(compare))]
