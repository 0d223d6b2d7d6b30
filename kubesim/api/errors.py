"""API errors as the API server builds them; the CLI turns them into kubectl's lines.

``ApiError`` carries a Status (reason, HTTP code, message). Validation failures carry a list of
``FieldError`` causes, rendered exactly as apimachinery's field errors are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class FieldError:
    """One field error: ``<path>: <body>`` with the body built from the error type."""

    type: str
    path: str
    value: Any = _NO_VALUE
    detail: str = ""
    supported: tuple[str, ...] = ()

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


@dataclass
class ApiError(Exception):
    """A failed API request: kubectl prints ``Error from server (<reason>): <message>``."""

    reason: str
    code: int
    message: str
    kind: str = ""
    name: str = ""
    causes: list[FieldError] = field(default_factory=list)

    def __str__(self) -> str:
        return self.message


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
