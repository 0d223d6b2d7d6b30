"""Client-side failures: what kubectl prints as ``error: …`` before or without a server call."""

from __future__ import annotations


class KubectlError(Exception):
    """A client-side error; printed as ``error: <message>`` and exit code 1."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        # When set, printed exactly as it is instead of ``error: <message>`` (several read errors).
        self.verbatim: str | None = None


class UsageError(KubectlError):
    """A usage error: kubectl adds ``See '<cmd> -h' for help and examples``."""

    def __init__(self, message: str, command: str = "") -> None:
        super().__init__(message)
        self.command = command


class ExitWith(Exception):
    """Leave with a given exit code after output was already written (e.g. exec's remote code)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class Aggregate(Exception):
    """Several failures from one command (kubectl's utilerrors.Aggregate): one line each."""

    def __init__(self, errors: list[Exception]) -> None:
        super().__init__(errors)
        self.errors = errors
