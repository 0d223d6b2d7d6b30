"""API errors as the API server builds them; the CLI turns them into kubectl's lines.

``ApiError`` carries a Status (reason, HTTP code, message). Validation failures carry a list of
``FieldError`` causes, rendered exactly as apimachinery's field errors are.
"""

from __future__ import annotations

import json

TYPE_CHECKING = False  # typing costs a few ms per command; annotations alone need it
if TYPE_CHECKING:
    from typing import Any


def go_quote(text: str) -> str:
    """Render a string as Go's %q would (close enough for API values: JSON string escaping)."""
    return json.dumps(text, ensure_ascii=False)


def render_value(value: Any) -> str:
    """Render a bad value in a field error the way apimachinery >= 1.34 does."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, int | float):
        return str(value)
    if value is None:
        return "null"
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


_NO_VALUE = object()


class FieldError:
    """One field error: ``<path>: <body>`` with the body built from the error type.

    A plain class rather than a dataclass: it is imported by every command, and the dataclasses
    module costs more start-up time than the whole table printer.
    """

    __slots__ = ("type", "path", "value", "detail", "supported")

    def __init__(self, type: str, path: str, value: Any = _NO_VALUE, detail: str = "",
                 supported: tuple[str, ...] = ()) -> None:
        self.type = type
        self.path = path
        self.value = value
        self.detail = detail
        self.supported = tuple(supported)

    def _key(self) -> tuple:
        return (type(self), self.type, self.path, repr(self.value), self.detail, self.supported)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldError) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message()!r})"

    def body(self) -> str:
        if self.type == "Required":
            return "Required value" + (f": {self.detail}" if self.detail else "")
        if self.type == "Forbidden":
            return "Forbidden" + (f": {self.detail}" if self.detail else "")
        if self.type == "Invalid":
            text = "Invalid value"
            if self.value is not _NO_VALUE:
                text += f": {render_value(self.value)}"
            return text + (f": {self.detail}" if self.detail else "")
        if self.type == "NotSupported":
            text = f"Unsupported value: {render_value(self.value)}"
            if self.supported:
                text += ": supported values: " + ", ".join(go_quote(s) for s in self.supported)
            return text
        if self.type == "Duplicate":
            return f"Duplicate value: {render_value(self.value)}"
        if self.type == "NotFound":
            return f"Not found: {render_value(self.value)}"
        if self.type == "TooLong":
            return "Too long: " + self.detail
        return f"Internal error: {self.detail}"

    def message(self) -> str:
        return f"{self.path}: {self.body()}"


def required(path: str, detail: str = "") -> FieldError:
    return FieldError("Required", path, detail=detail)


def invalid(path: str, value: Any, detail: str = "") -> FieldError:
    return FieldError("Invalid", path, value, detail)


def not_supported(path: str, value: Any, supported: list[str] | tuple[str, ...]) -> FieldError:
    return FieldError("NotSupported", path, value, supported=tuple(supported))


def duplicate(path: str, value: Any) -> FieldError:
    return FieldError("Duplicate", path, value)


def forbidden(path: str, detail: str) -> FieldError:
    return FieldError("Forbidden", path, detail=detail)


class ApiError(Exception):
    """A failed API request: kubectl prints ``Error from server (<reason>): <message>``."""

    def __init__(self, reason: str, code: int, message: str, kind: str = "", name: str = "",
                 causes: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.code = code
        self.message = message
        self.kind = kind
        self.name = name
        self.causes = list(causes or [])

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"ApiError({self.reason!r}, {self.code}, {self.message!r})"


def not_found(resource: str, name: str) -> ApiError:
    """``resource`` is the plural with its group, e.g. ``services`` or ``deployments.apps``."""
    return ApiError("NotFound", 404, f'{resource} "{name}" not found')


def already_exists(resource: str, name: str) -> ApiError:
    return ApiError("AlreadyExists", 409, f'{resource} "{name}" already exists')


def bad_request(message: str) -> ApiError:
    return ApiError("BadRequest", 400, message)


def internal_error(message: str) -> ApiError:
    return ApiError("InternalError", 500, f"Internal error occurred: {message}")


def conflict(resource: str, name: str, detail: str) -> ApiError:
    return ApiError("Conflict", 409, f'Operation cannot be fulfilled on {resource} "{name}": {detail}')


def invalid_object(kind: str, name: str, errors: list[FieldError], group: str = "") -> ApiError:
    """A 422: ``<Kind>[.<group>] "<name>" is invalid: <errs>`` with duplicate causes dropped.

    The message names the kind with its group; the details (which kubectl prints as
    ``The <Kind> "<name>" is invalid:``) carry the bare kind.
    """
    unique: list[FieldError] = []
    seen: set[str] = set()
    for err in errors:
        text = err.message()
        if text not in seen:
            seen.add(text)
            unique.append(err)
    if len(unique) == 1:
        summary = unique[0].message()
    else:
        summary = "[" + ", ".join(e.message() for e in unique) + "]"
    qualified = f"{kind}.{group}" if group else kind
    return ApiError(
        "Invalid", 422, f'{qualified} "{name}" is invalid: {summary}', kind=kind, name=name, causes=unique,
    )
