"""``kubesim options``: the flags every command accepts, as ``kubectl options`` lists them."""

from __future__ import annotations

from typing import Annotated

import typer

from kubesim.cli.app import Verb, verb_app
from kubesim.cli.context import Invocation, run_verb

app = verb_app()


@app.command("options", cls=Verb, help="Print the list of flags inherited by all commands.",
             epilog="  # Print flags inherited by all commands\n  kubesim options\n")
def options(
    words: Annotated[list[str] | None, typer.Argument(metavar="", show_default=False, hidden=True)] = None,
) -> int:
    return run_verb(_list)


def _list(inv: Invocation) -> int:
    import click

    from kubesim.cli.help import plain_global_options

    inv.out(plain_global_options(click.get_current_context()))
    return 0
