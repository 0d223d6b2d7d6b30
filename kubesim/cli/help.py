"""``--help``: Typer's rich help on a terminal, kubectl's plain layout when piped.

Both come from the same Click command, which Typer built from the verb's signature. The plain text
keeps kubectl's sections in kubectl's order (description, Examples, Options, Usage) and its way of
writing a flag (``-o, --output='':`` then the help on a tab-indented line), so scripts and people who
know kubectl read it the same way.
"""

from __future__ import annotations

import click

from kubesim.cli.app import GLOBAL_PANEL, PROGRAM
from kubesim.cli.grammar import flag_display
from kubesim.env import Env


def render_help(ctx: click.Context, env: Env) -> None:
    if env.stdout_is_terminal:
        _rich_help(ctx, env)
    elif isinstance(ctx.command, click.Group):
        env.stdout.write(plain_group_help(ctx))
    else:
        env.stdout.write(plain_help(ctx))


def _rich_help(ctx: click.Context, env: Env) -> None:
    """Typer's rich help, with kubectl's texts shown as written.

    Typer reads help texts as rich markup, where kubectl's ``[-f FILENAME]`` would vanish as a style
    tag, and joins an epilog's lines into one paragraph, where Examples need theirs.
    """
    import contextlib

    from rich.markup import escape
    from typer import rich_utils

    rich_utils.FORCE_TERMINAL = True
    width = env.variables.get("COLUMNS", "")
    rich_utils.MAX_WIDTH = int(width) if width.isdigit() else rich_utils.MAX_WIDTH
    as_markup = rich_utils._make_rich_text
    command = ctx.command
    epilog = command.epilog
    if epilog:
        command.epilog = "\n\n".join(["Examples:", *epilog.rstrip("\n").split("\n")])
    try:
        rich_utils._make_rich_text = lambda *, text, style="", markup_mode: as_markup(
            text=escape(text), style=style, markup_mode=markup_mode)
        with contextlib.redirect_stdout(env.stdout):
            rich_utils.rich_format_help(obj=command, ctx=ctx, markup_mode="rich")
    finally:
        rich_utils._make_rich_text = as_markup
        command.epilog = epilog


def plain_help(ctx: click.Context) -> str:
    command = ctx.command
    lines = [(command.help or "").strip(), ""]
    if command.epilog:
        lines += ["Examples:", command.epilog.rstrip("\n"), ""]
    options = sorted((p for p in command.get_params(ctx) if isinstance(p, click.Option) and not p.hidden
                      and getattr(p, "rich_help_panel", None) != GLOBAL_PANEL and p.name != "help"),
                     key=lambda p: _long_name(p))
    if options:
        lines.append("Options:")
        for option in options:
            lines.append(f"    {flag_display(option)}={_default(option)}:")
            lines.append(f"\t{option.help or ''}")
            lines.append("")
    usage = " ".join(p.metavar or p.name.upper() for p in command.params
                     if isinstance(p, click.Argument) and p.name)
    lines += ["Usage:", f"  {ctx.command_path} {usage + ' ' if usage else ''}[options]", ""]
    lines.append(f'Use "{PROGRAM} options" for a list of global command-line options (applies to all commands).')
    return "\n".join(lines) + "\n"


def plain_group_help(ctx: click.Context) -> str:
    group = ctx.command
    assert isinstance(group, click.Group)
    lines = [(group.help or "").strip(), "", "Commands:" if ctx.parent is None else "Available Commands:"]
    for name in group.list_commands(ctx):
        sub = group.get_command(ctx, name)
        if sub is not None and not sub.hidden:
            lines.append(f"  {name:<15}{sub.get_short_help_str(limit=200)}")
    lines += ["", "Usage:", f"  {ctx.command_path} [flags] [options]", "",
              f'Use "{ctx.command_path} <command> --help" for more information about a given command.']
    if ctx.parent is None:
        lines.append(f'Use "{PROGRAM} options" for a list of global command-line options (applies to all commands).')
    return "\n".join(lines) + "\n"


def plain_global_options(ctx: click.Context) -> str:
    """``kubesim options``: the flags every command accepts, as ``kubectl options`` lists them."""
    from kubesim.cli.app import root

    lines = ["The following options can be passed to any command:", ""]
    for option in sorted((p for p in root().params if isinstance(p, click.Option)), key=_long_name):
        lines += [f"    {flag_display(option)}={_default(option)}:", f"\t{option.help or ''}", ""]
    return "\n".join(lines)


def _long_name(option: click.Parameter) -> str:
    return next((opt for opt in option.opts if opt.startswith("--")), option.opts[0]).lstrip("-")


def _default(option: click.Option) -> str:
    """pflag's DefValue as kubectl's help shows it: ``false``, ``''``, ``[]``, ``500``, ``'none'``."""
    default = option.default
    if option.is_flag and option.type.name == "boolean":
        return "true" if default else "false"
    if option.multiple:
        return "[" + ",".join(default or ()) + "]"
    if default is None:
        return "''"
    if option.type.name in ("int", "duration"):
        return str(default)
    return f"'{default}'"
