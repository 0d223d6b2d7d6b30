"""Shell completion on Click's machinery: ``kubesim completion bash|zsh|fish`` and the answers.

The script a shell sources runs ``kubesim`` again with ``_KUBESIM_COMPLETE`` set, and Click walks
the same commands the front door runs, asking each parameter for its candidates: verbs and flags from
the Typer declarations, fixed values (``-o`` formats, ``--dry-run`` modes) from the options, resource
types under every name kubectl accepts, and names read from the live cluster (pods for ``exec``,
services after ``expose svc``, namespaces for ``-n``). Completion never creates a cluster.
"""

from __future__ import annotations

from typing import Annotated

import click
import typer

from kubesim.cli.app import Verb, verb_app

COMPLETE_VARIABLE = "_KUBESIM_COMPLETE"
SHELLS = ("bash", "zsh", "fish")


def resource_words(metavar: str) -> typer.models.ArgumentInfo:
    """The ``TYPE [NAME…]`` / ``TYPE/NAME`` words of get, describe, delete, label …, completed."""
    return typer.Argument(metavar=metavar, show_default=False, autocompletion=complete_resource_words)


def complete_resource_words(ctx: typer.Context, incomplete: str) -> list[str]:
    typed = [word for param in ctx.command.params if isinstance(param, click.Argument)
             for word in (ctx.params.get(param.name or "") or ())]
    if "/" in incomplete:
        type_word, _, partial = incomplete.partition("/")
        return [f"{type_word}/{name}" for name in live_names(type_word, _namespace(ctx), partial)]
    if not typed:
        return resource_type_names(incomplete)
    return live_names(typed[0].split(",")[0], _namespace(ctx), incomplete)


def complete_pods(ctx: typer.Context, incomplete: str) -> list[str]:
    """``exec POD``: the pods of the namespace, before ``--``; nothing after the pod."""
    typed = [word for word in (ctx.params.get("pod_and_command") or ())]
    return [] if typed else live_names("pods", _namespace(ctx), incomplete)


def resource_type_names(incomplete: str) -> list[str]:
    from kubesim.api.registry import all_kinds

    names = {"all"}
    for kind in all_kinds():
        names.update((kind.plural, kind.singular, *kind.short_names))
        if kind.group:
            names.add(f"{kind.plural}.{kind.group}")
    return sorted(name for name in names if name.startswith(incomplete))


def live_names(type_word: str, namespace: str | None, incomplete: str) -> list[str]:
    """Names of one type in the cluster of ``$KUBESIM_HOME``; none when there is no cluster yet."""
    import os

    from kubesim.api.registry import resolve_resource
    from kubesim.env import Env

    kind = resolve_resource(type_word)
    env = Env.from_process()
    if kind is None or not os.path.exists(env.path("state.db")):
        return []
    from kubesim.cluster import open_cluster

    cluster = open_cluster(env)
    try:
        with cluster.api() as api:
            objects = api.list(kind, (namespace or "default") if kind.namespaced else None)
    finally:
        cluster.close()
    return sorted(name for obj in objects if (name := obj["metadata"]["name"]).startswith(incomplete))


def _namespace(ctx: click.Context) -> str | None:
    while ctx is not None:
        if ctx.params.get("namespace"):
            return ctx.params["namespace"]
        ctx = ctx.parent
    return None


def complete_from_shell() -> int:
    """Answer the shell's completion request (``_KUBESIM_COMPLETE=bash_complete`` …)."""
    import os

    from click.shell_completion import shell_complete

    from kubesim.cli.app import PROGRAM, root

    return shell_complete(root(), {}, PROGRAM, COMPLETE_VARIABLE, os.environ[COMPLETE_VARIABLE])


def completion_script(shell: str) -> str:
    from click.shell_completion import get_completion_class

    from kubesim.cli.app import PROGRAM, root

    completer = get_completion_class(shell)
    assert completer is not None
    return completer(root(), {}, PROGRAM, COMPLETE_VARIABLE).source() + "\n"


app = verb_app()

EXAMPLES = """  # Load the kubesim completion code for bash into the current shell
  source <(kubesim completion bash)

  # Write it to a file and source it from .bash_profile
  kubesim completion bash > ~/.kube/kubesim_completion.bash.inc
  printf "source '$HOME/.kube/kubesim_completion.bash.inc'\\n" >> ~/.bash_profile

  # Load the kubesim completion code for zsh into the current shell
  source <(kubesim completion zsh)

  # Load the kubesim completion code for fish into the current shell
  kubesim completion fish | source
"""


def _complete_shells(incomplete: str) -> list[str]:
    return [shell for shell in SHELLS if shell.startswith(incomplete)]


@app.command("completion", cls=Verb, epilog=EXAMPLES,
             help="Output shell completion code for the specified shell (bash, zsh or fish).")
def completion(
    shell: Annotated[list[str] | None, typer.Argument(metavar="SHELL", show_default=False,
                                                      autocompletion=_complete_shells)] = None,
) -> int:
    from kubesim.cli.context import run_verb

    return run_verb(_print_script)


def _print_script(inv) -> int:
    from kubesim.errors import UsageError

    if not inv.args:
        raise UsageError("Shell not specified.", "kubesim completion")
    if len(inv.args) > 1:
        raise UsageError("Too many arguments. Expected only the shell type.", "kubesim completion")
    shell = inv.args[0]
    if shell not in SHELLS:
        raise UsageError(f'Unsupported shell type "{shell}".', "kubesim completion")
    inv.out(completion_script(shell))
    return 0
