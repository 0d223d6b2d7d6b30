"""The Typer application: the verbs, loaded one at a time, the global flags, and help.

Each verb is a Typer command in its own module (``kubesim.cli.get`` …), whose function signature is
the one declaration of its flags. The root group imports a verb's module only when that verb is
asked for, so ``kubesim get pods`` builds one command, not sixteen; the listing in ``--help`` and
shell completion load the rest.

kubectl's global flags (``-n``, ``--kubeconfig``, ``--context``, ``-v``) are declared once, on the root
callback, and given to every verb: cobra accepts them anywhere on the line.
"""

from __future__ import annotations

import importlib
from typing import Annotated

import click
import typer
from typer.core import TyperCommand, TyperGroup

PROGRAM = "kubesim"

# verb -> (module in kubesim.cli, mistyped words that should suggest it: cobra's SuggestFor)
VERBS: dict[str, tuple[str, tuple[str, ...]]] = {
    "create": ("create", ()),
    "expose": ("expose", ()),
    "run": ("run", ()),
    "get": ("get", ("list", "ps")),
    "delete": ("delete", ()),
    "apply": ("apply", ()),
    "label": ("label", ()),
    "annotate": ("annotate", ()),
    "describe": ("describe", ()),
    "exec": ("exec", ()),
    "scale": ("scale", ()),
    "patch": ("patch", ()),
    "replace": ("replace", ()),
    "edit": ("edit", ()),
    "wait": ("wait", ()),
    "rollout": ("rollout", ()),
    "api-resources": ("api_resources", ()),
    "version": ("version", ()),
    "completion": ("completion", ()),
    "options": ("global_options", ()),
    "cluster": ("cluster", ()),
    "clock": ("clock", ()),
    "server": ("server", ()),
    "world": ("world", ()),
    "curl": ("curl", ()),
    "ssh": ("ssh", ()),
    "diagnose": ("diagnose", ()),
    "trace": ("trace", ()),
    "graph": ("graph", ()),
    "addons": ("addons", ()),
    "hosts": ("hosts", ()),
}

GLOBAL_PANEL = "Global options"


class HelpRequested(Exception):
    """``-h``/``--help`` was given: the front door prints the help of ``ctx``'s command."""

    def __init__(self, ctx: click.Context) -> None:
        super().__init__(ctx.command_path)
        self.ctx = ctx


def _ask_for_help(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        raise HelpRequested(ctx)


def _help_option() -> click.Option:
    return click.Option(["-h", "--help"], is_flag=True, is_eager=True, expose_value=False,
                        callback=_ask_for_help, help="help for this command")


class Verb(TyperCommand):
    """A kubectl verb: Typer's command, with help handed to the front door."""

    def get_help_option(self, ctx: click.Context) -> click.Option:
        return _help_option()

    def invoke(self, ctx: click.Context):
        """Call the verb's function with its own flags; the global ones stay in ``ctx.params`` for it."""
        globals_ = {param.name for param in root().params}
        if self.callback is None:
            return None
        return ctx.invoke(self.callback, **{k: v for k, v in ctx.params.items() if k not in globals_})


class RawVerb(Verb):
    """A verb whose words all go to a program it runs (``kubesim curl``): no flags of its own or global."""

    raw_arguments = True


class VerbGroup(TyperGroup):
    """A verb with verbs of its own (``cluster info``), with help handed to the front door."""

    def get_help_option(self, ctx: click.Context) -> click.Option:
        return _help_option()


class Verbs(TyperGroup):
    """The root group: a verb's module is imported when the verb is looked up."""

    def get_help_option(self, ctx: click.Context) -> click.Option:
        return _help_option()

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(VERBS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return load_verb(name)


def verb_app(**settings) -> typer.Typer:
    """A verb module's Typer app: kubesim has its own ``completion`` verb, so no --install-completion."""
    return typer.Typer(add_completion=False, rich_markup_mode="rich", **settings)


def complete_namespaces(incomplete: str) -> list[str]:
    from kubesim.cli.completion import live_names

    return live_names("namespaces", None, incomplete)


root_app = typer.Typer(cls=Verbs, add_completion=False, rich_markup_mode="rich",
                       help="kubesim controls a simulated Kubernetes cluster, the way kubectl controls a real one.")


@root_app.callback()
def global_flags(
    namespace: Annotated[str | None, typer.Option(
        "-n", "--namespace", show_default=False, rich_help_panel=GLOBAL_PANEL, autocompletion=complete_namespaces,
        help="If present, the namespace scope for this CLI request")] = None,
    kubeconfig: Annotated[str | None, typer.Option(
        "--kubeconfig", show_default=False, rich_help_panel=GLOBAL_PANEL,
        help="Accepted for compatibility; kubesim's cluster lives in $KUBESIM_HOME")] = None,
    context: Annotated[str | None, typer.Option(
        "--context", show_default=False, rich_help_panel=GLOBAL_PANEL,
        help="Accepted for compatibility; kubesim has one cluster")] = None,
    v: Annotated[str, typer.Option(
        "-v", "--v", rich_help_panel=GLOBAL_PANEL, help="number for the log level verbosity")] = "0",
) -> None:
    """kubectl's global flags; every verb accepts them too."""


_root: Verbs | None = None
_loaded: dict[str, click.Command] = {}


def root() -> Verbs:
    global _root
    if _root is None:
        built = typer.main.get_command(root_app)
        assert isinstance(built, Verbs)
        _root = built
    return _root


def load_verb(name: str) -> click.Command | None:
    """Build one verb's Click command from its Typer declaration, with the global flags added."""
    if name in _loaded:
        return _loaded[name]
    entry = VERBS.get(name)
    if entry is None:
        return None
    module = importlib.import_module(f"kubesim.cli.{entry[0]}")
    command = typer.main.get_command(module.app)
    _add_global_flags(command, root().params)
    _loaded[name] = command
    return command


def _add_global_flags(command: click.Command, flags: list[click.Parameter]) -> None:
    if getattr(command, "raw_arguments", False):
        return
    own = {opt for param in command.params for opt in param.opts}
    command.params.extend(flag for flag in flags if not own.intersection(flag.opts))
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _add_global_flags(sub, flags)


def suggestions_for(typed: str) -> list[str]:
    """cobra's suggestions: Levenshtein distance at most 2, a prefix, or the verb's SuggestFor."""
    lowered = typed.lower()
    return [verb for verb, (_, suggest_for) in VERBS.items()
            if _levenshtein(lowered, verb) <= 2 or verb.startswith(lowered) or lowered in suggest_for]


def _levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
