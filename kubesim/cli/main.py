"""The front door: find the verb as cobra does, normalise argv for Click, run the Typer command,
report failures.

Only the invoked verb's module is imported, so ``kubesim get pods`` loads no YAML, JSONPath, rich or
describe machinery. Every failure leaves through ``report.describe_failure``: kubectl's words on
stderr and its exit code, never a traceback and never Click's usage box.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from kubesim.env import Env

TYPE_CHECKING = False
if TYPE_CHECKING:
    from kubesim.cli.context import Request


def main(argv: Sequence[str] | None = None) -> None:
    sys.exit(entry(list(sys.argv[1:] if argv is None else argv)))


def entry(argv: list[str]) -> int:
    """A whole command as a process runs it: shell completion, the environment, then the verb.

    The command server's workers call this too, after adopting the client's process state.
    """
    import os

    from kubesim.cli.completion import COMPLETE_VARIABLE, complete_from_shell

    if COMPLETE_VARIABLE in os.environ:
        return complete_from_shell()
    from kubesim.errors import KubectlError

    try:
        env = Env.from_process()
    except KubectlError as error:  # a bad KUBESIM_* variable: there is no Env to report through yet
        sys.stderr.write(f"error: {error.message}\n")
        return error.exit_code
    return run(argv, env)


def run(argv: list[str], env: Env) -> int:
    try:
        return _dispatch(argv, env)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 141
    except Exception as error:  # noqa: BLE001 - the single place failures become kubectl's lines
        return _report(error, env)


def _dispatch(argv: list[str], env: Env) -> int:
    import click

    from kubesim.cli.app import HelpRequested
    from kubesim.cli.context import Request

    request = Request(env, argv)
    try:
        ctx = parse(request)
        if ctx is None:
            return 0
        with ctx:
            return int(ctx.command.invoke(ctx) or 0)
    except HelpRequested as asked:
        from kubesim.cli.help import render_help

        render_help(asked.ctx, env)
        return 0
    except click.exceptions.Exit as leaving:
        return leaving.exit_code


def parse(request: Request):
    """Find the verb as cobra does, normalise the rest, and let Click parse it into a context.

    Returns ``None`` when there was nothing to run (``kubesim``, ``kubesim cluster``: help is printed).
    """
    import click

    from kubesim.cli.app import PROGRAM, root
    from kubesim.cli.grammar import click_failure, normalise, split_verb

    command: click.Command = root()
    ctx = click.Context(command, info_name=PROGRAM, obj=request)
    words = request.argv
    try:
        while isinstance(command, click.Group):
            level_words = words
            verb, words = split_verb(words, command, ctx)
            if verb is None:
                # No verb: the flags are the group's own (``kubesim --help``, ``kubesim -n x``).
                if words:
                    command.parse_args(ctx, list(normalise(command, ctx, words).argv))
                from kubesim.cli.help import render_help

                render_help(ctx, request.env)
                return None
            sub = command.get_command(ctx, verb)
            if sub is None:
                # cobra parses the group's own flags first: their errors come before "unknown command".
                command.parse_args(ctx, list(normalise(command, ctx, level_words).argv))
                raise _unknown_command(verb, ctx.command_path)
            command, ctx = sub, click.Context(sub, info_name=verb, parent=ctx)
        request.normalised = normalise(command, ctx, words)
        ctx = command.make_context(ctx.info_name, list(request.normalised.argv), parent=ctx.parent)
        for name in request.normalised.set_false:
            ctx.params[name] = False
        return ctx
    except click.ClickException as error:
        spelled = request.normalised.spelled if request.normalised else {}
        raise click_failure(error, spelled, ctx.command_path) from None


def _unknown_command(verb: str, where: str) -> Exception:
    from kubesim.cli.app import suggestions_for
    from kubesim.errors import KubectlError

    text = f'error: unknown command "{verb}" for "{where}"\n'
    suggestions = suggestions_for(verb)
    if suggestions:
        text += "\nDid you mean this?\n" + "".join(f"\t{s}\n" for s in suggestions)
    error = KubectlError(text)
    error.verbatim = text
    return error


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
    from kubesim.cli.app import PROGRAM

    text, code = describe_failure(error, PROGRAM)
    env.stderr.write(text)
    return code


if __name__ == "__main__":
    main()
