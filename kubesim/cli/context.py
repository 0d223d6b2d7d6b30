"""What a verb receives: the environment, its parsed flags and arguments, and the cluster."""

from __future__ import annotations

from functools import cached_property

import click
from click.core import ParameterSource

from kubesim.env import Env

TYPE_CHECKING = False  # typing costs a few ms per command; annotations alone need it
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from kubesim.cli.grammar import Normalised
    from kubesim.cli.terminal import ProgressBar


class Request:
    """One command line on its way through the front door: the root context's ``obj``."""

    def __init__(self, env: Env, argv: list[str]) -> None:
        self.env = env
        self.argv = argv
        self.normalised: Normalised | None = None


class Invocation:
    """The running verb's view: ``options`` are Click's parsed values, keyed by flag (``all_namespaces``)."""

    def __init__(self, env: Env, command: click.Command, options: dict[str, Any], args: list[str],
                 args_after_dash: int | None = None, given: set[str] | None = None) -> None:
        self.env = env
        self.command = command
        self.options = options
        self.args = args
        self.args_after_dash = args_after_dash  # cobra's ArgsLenAtDash: positional words before ``--``
        self.given = given or set()  # flags the user actually set
        self._cluster = None
        self._warned: set[str] = set()
        self._bar: ProgressBar | None = None

    @classmethod
    def current(cls) -> Invocation:
        """The invocation of the verb Click is running now."""
        ctx = click.get_current_context()
        request: Request = ctx.find_root().obj
        normalised = request.normalised
        args = [word for param in ctx.command.params if isinstance(param, click.Argument)
                for word in (ctx.params.get(param.name or "") or ())]
        given = {name for name in ctx.params if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE}
        if normalised is not None:
            given |= normalised.set_false
        return cls(request.env, ctx.command, ctx.params, args,
                   normalised.args_after_dash if normalised else None, given)

    @cached_property
    def cluster(self):
        from kubesim.cluster import open_cluster

        self._cluster = open_cluster(self.env)
        return self._cluster

    @property
    def namespace(self) -> str:
        return self.options.get("namespace") or "default"

    @property
    def namespace_given(self) -> bool:
        return bool(self.options.get("namespace"))

    def out(self, text: str) -> None:
        if self._bar is None or not self._bar.write(text):
            self.env.stdout.write(text)

    def progress(self, total: int, description: str) -> ProgressBar:
        """A progress bar on stderr for ``total`` steps of work, drawn only when that is long and seen."""
        from kubesim.cli.terminal import ProgressBar

        self._bar = ProgressBar(self.env, total, description)
        return self._bar

    def err(self, text: str) -> None:
        """stderr, after what stdout holds: kubectl writes both unbuffered, so they interleave in order."""
        self.env.stdout.flush()
        self.env.stderr.write(text)

    def warn(self, warnings: list[str]) -> None:
        """The API server's warnings, each once per command, as kubectl's deduplicating warning writer."""
        for warning in warnings:
            if warning not in self._warned:
                self._warned.add(warning)
                self.err(f"Warning: {warning}\n")

    def close(self) -> None:
        if self._cluster is not None:
            self._cluster.close()


def run_verb(body: Callable[[Invocation], int | None]) -> int:
    """Run a verb's body with the current invocation, and close the cluster after it."""
    invocation = Invocation.current()
    try:
        return int(body(invocation) or 0)
    finally:
        invocation.close()
