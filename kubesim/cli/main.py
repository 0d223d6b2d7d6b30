"""The front door: find the verb, parse its flags the pflag way, run it, report failures.

Only the invoked verb's module is imported, so ``kubesim get pods`` loads no YAML, JSONPath or
describe machinery. Every failure leaves through ``report.describe_failure``: kubectl's words on
stderr and its exit code, never a traceback.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

from kubesim.cli.flags import GLOBAL_FLAGS, Command, parse, render_help
from kubesim.env import Env

PROGRAM = "kubesim"

# verb -> module in kubesim.cli; each module defines COMMAND.
VERBS: dict[str, str] = {
    "create": "create",
    "expose": "expose",
    "run": "run",
    "get": "get",
    "delete": "delete",
    "apply": "apply",
    "label": "label",
    "annotate": "annotate",
    "describe": "describe",
    "exec": "exec",
    "scale": "scale",
    "api-resources": "api_resources",
    "version": "version",
    "cluster": "cluster",
    "clock": "clock",
}

_VALUE_GLOBALS = {f"--{f.long}" for f in GLOBAL_FLAGS if f.kind != "bool"} | {
    f"-{f.short}" for f in GLOBAL_FLAGS if f.short and f.kind != "bool"}


def main(argv: Sequence[str] | None = None) -> None:
    from kubesim.errors import KubectlError

    try:
        env = Env.from_process()
    except KubectlError as error:  # a bad KUBESIM_* variable: there is no Env to report through yet
        sys.stderr.write(f"error: {error.message}\n")
        sys.exit(error.exit_code)
    sys.exit(run(list(sys.argv[1:] if argv is None else argv), env))


def run(argv: list[str], env: Env) -> int:
    from kubesim.cli.context import Invocation

    try:
        verb, rest = _split_verb(argv)
        if verb is None:
            env.stdout.write(_top_level_help())
            return 0
        module_name = VERBS.get(verb)
        if module_name is None:
            env.stderr.write(_unknown_command(verb))
            return 1
        command: Command = importlib.import_module(f"kubesim.cli.{module_name}").COMMAND
        parsed = parse(command, rest, PROGRAM)
        if parsed.options.get("help"):
            env.stdout.write(render_help(command, PROGRAM))
            return 0
        assert command.run is not None
        invocation = Invocation(env, command, parsed)
        try:
            result = command.run(invocation)
        finally:
            invocation.close()
        return int(result or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 141
    except Exception as error:  # noqa: BLE001 - the single place failures become kubectl's lines
        return _report(error, env)


def _report(error: BaseException, env: Env) -> int:
    from kubesim.api.errors import ApiError
    from kubesim.cli.report import describe_failure
    from kubesim.errors import Aggregate, ExitWith, KubectlError

    if isinstance(error, ExitWith):
        return error.code
    if not isinstance(error, ApiError | KubectlError | Aggregate):
        # A bug in kubesim: say so plainly, keep the details for whoever debugs it.
        import traceback

        log = env.path("last-error.txt")
        try:
            import os

            os.makedirs(env.home, exist_ok=True)
            with open(log, "w", encoding="utf-8") as handle:
                handle.write("".join(traceback.format_exception(error)))
            where = f" (details in {log})"
        except OSError:
            where = ""
        env.stderr.write(f"error: internal error in kubesim: {type(error).__name__}: {error}{where}\n")
        return 1
    text, code = describe_failure(error, PROGRAM)
    env.stderr.write(text)
    return code


def _split_verb(argv: list[str]) -> tuple[str | None, list[str]]:
    """Find the verb, allowing global flags (``-n ns``) before it as cobra does."""
    index = 0
    while index < len(argv):
        word = argv[index]
        if word == "--":
            break
        if word.startswith("-"):
            if word in _VALUE_GLOBALS:
                index += 2
            else:
                index += 1
            continue
        return word, argv[:index] + argv[index + 1:]
    return None, argv


def _module_exists(module_name: str) -> bool:
    from importlib.util import find_spec

    return find_spec(f"kubesim.cli.{module_name}") is not None


def _unknown_command(verb: str) -> str:
    suggestions = []
    for known, module_name in VERBS.items():
        if not _module_exists(module_name):
            continue
        command = importlib.import_module(f"kubesim.cli.{module_name}").COMMAND
        if _close(verb, known) or verb.lower() in command.suggest_for:
            suggestions.append(known)
    text = f'error: unknown command "{verb}" for "{PROGRAM}"\n'
    if suggestions:
        text += "\nDid you mean this?\n" + "".join(f"\t{s}\n" for s in suggestions)
    return text


def _close(typed: str, known: str) -> bool:
    """cobra's suggestions: Levenshtein distance at most 2, or a prefix."""
    return _levenshtein(typed.lower(), known.lower()) <= 2 or known.startswith(typed.lower())


def _levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _top_level_help() -> str:
    lines = [
        "kubesim controls a simulated Kubernetes cluster, the way kubectl controls a real one.",
        "",
        "Commands:",
    ]
    for verb, module_name in VERBS.items():
        if _module_exists(module_name):
            command = importlib.import_module(f"kubesim.cli.{module_name}").COMMAND
            lines.append(f"  {verb:<15}{command.summary}")
    lines += ["", "Usage:", f"  {PROGRAM} [flags] [options]", "",
              f'Use "{PROGRAM} <command> --help" for more information about a given command.']
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
