"""The one place where failures become kubectl's stderr lines and exit codes."""

from __future__ import annotations

from kubesim.api.errors import ApiError
from kubesim.errors import Aggregate, KubectlError, UsageError


def describe_failure(error: BaseException, program: str = "kubesim") -> tuple[str, int]:
    """kubectl's checkErr: the text for stderr (ending in a newline) and the exit code."""
    if isinstance(error, KubectlError) and error.verbatim is not None:
        return _line(error.verbatim), error.exit_code
    if isinstance(error, Aggregate):
        if len(error.errors) == 1:
            return describe_failure(error.errors[0], program)
        return "".join(_line(_standard_message(each)) for each in error.errors), 1
    if isinstance(error, ApiError) and error.reason == "Invalid":
        named = bool(error.kind or error.name)
        prefix = f'The {error.kind} "{error.name}" is invalid: ' if named else "The request is invalid: "
        causes = [cause.message() for cause in error.causes]
        if not causes:
            # A bare 422 (a JSON patch that does not apply): kubectl adds the server's message.
            return (prefix.rstrip(": ") if named else prefix + error.message) + "\n", 1
        if len(causes) == 1:
            return prefix + causes[0] + "\n", 1
        return prefix + "\n" + "".join(f"* {cause}\n" for cause in causes), 1
    if isinstance(error, UsageError):
        command = error.command or program
        return f"error: {error.message}\nSee '{command} -h' for help and examples\n", 1
    from kubesim.cli.grammar import FlagError

    if isinstance(error, FlagError):
        return f"error: {error.message}\nSee '{error.command} --help' for usage.\n", 1
    if isinstance(error, KubectlError):
        return _line(_with_error_prefix(error.message)), error.exit_code
    return _line(_standard_message(error)), 1


def _line(message: str) -> str:
    """kubectl ends a fatal message with a newline unless it already has one (jsonpath's do)."""
    return message if message.endswith("\n") else message + "\n"


def _standard_message(error: BaseException) -> str:
    if isinstance(error, ApiError):
        if error.reason:
            return f"Error from server ({error.reason}): {error.message}"
        return f"Error from server: {error.message}"
    if isinstance(error, KubectlError):
        return error.message
    return str(error)


def _with_error_prefix(message: str) -> str:
    return message if message.startswith("error: ") else f"error: {message}"


def with_source(error: ApiError, verb: str, source: str) -> ApiError:
    """kubectl's AddSourceToErr: ``error when creating "file.yaml": <message>``."""
    if not source:
        return error
    return ApiError(error.reason, error.code, f'error when {verb} "{source}": {error.message}',
                    error.kind, error.name, list(error.causes))
