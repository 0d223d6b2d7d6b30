"""kubectl's command-line grammar (cobra + pflag), driven by each verb's declared flags.

Scripts depend on pflag's forms: ``-o json``, ``-ojson``, ``-o=json``, ``--output=json``, flags before
or after positional arguments, bool groups like ``-it``, and ``--`` ending the flags (``exec POD --
curl -s …``). Each verb declares its flags once (``Command.flags``); this module parses argv with
them and renders ``--help`` from the same declaration, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable

from kubesim.errors import KubectlError

TYPE_CHECKING = False  # typing costs a few ms per command; annotations alone need it
if TYPE_CHECKING:
    from typing import Any

# Value kinds: "string", "bool", "int", "array" (repeatable, each use one value),
# "slice" (repeatable, values split on commas), "duration".


class Flag:
    """One flag as a verb declares it."""

    __slots__ = ("long", "short", "kind", "default", "help", "no_value")

    def __init__(self, long: str, short: str = "", kind: str = "string", default: Any = None, help: str = "",
                 no_value: str | None = None) -> None:
        self.long = long
        self.short = short
        self.kind = kind
        self.default = default
        self.help = help
        # For flags with an optional value, what a bare ``--flag`` means (``--dry-run`` is "unchanged").
        self.no_value = no_value

    @property
    def dest(self) -> str:
        return self.long.replace("-", "_")

    @property
    def takes_value(self) -> bool:
        return self.kind != "bool" and self.no_value is None


class Command:
    """A verb: its name, help texts, flags and the function that runs it."""

    def __init__(self, name: str, summary: str, usage: str, flags: tuple[Flag, ...] = (),
                 run: Callable[..., int | None] | None = None, examples: str = "",
                 suggest_for: tuple[str, ...] = ()) -> None:
        self.name = name
        # Mistyped verbs that should suggest this one (cobra's SuggestFor: "list" → get).
        self.suggest_for = suggest_for
        self.summary = summary
        self.usage = usage
        self.flags = flags
        self.run = run
        self.examples = examples


GLOBAL_FLAGS = (
    Flag("namespace", "n", help="If present, the namespace scope for this CLI request"),
    Flag("help", "h", "bool", False, help="help for this command"),
    Flag("kubeconfig", help="Accepted for compatibility; kubesim's cluster lives in $KUBESIM_HOME"),
    Flag("context", help="Accepted for compatibility; kubesim has one cluster"),
    Flag("v", "v", "string", "0", help="number for the log level verbosity"),
)


class Parsed:
    def __init__(self, options: dict[str, Any], args: list[str], args_after_dash: int | None = None,
                 given: set[str] | None = None) -> None:
        self.options = options
        self.args = args
        self.args_after_dash = args_after_dash  # index in args where ``--`` was seen (cobra's ArgsLenAtDash)
        self.given = given or set()  # flags the user actually set


class FlagError(KubectlError):
    """A flag problem: kubectl prints it and then ``See '<cmd> --help' for usage.``"""

    def __init__(self, message: str, command: str) -> None:
        super().__init__(message)
        self.command = command


def parse(command: Command, argv: list[str], program: str = "kubesim") -> Parsed:
    flags = (*command.flags, *GLOBAL_FLAGS)
    by_long = {f.long: f for f in flags}
    by_short = {f.short: f for f in flags if f.short}
    options: dict[str, Any] = {f.dest: _initial(f) for f in flags}
    given: set[str] = set()
    args: list[str] = []
    dash_at: int | None = None
    where = f"{program} {command.name}"
    index = 0
    while index < len(argv):
        word = argv[index]
        index += 1
        if word == "--":
            dash_at = len(args)
            args.extend(argv[index:])
            break
        if word.startswith("--") and len(word) > 2:
            name, has_value, value = word[2:].partition("=")
            flag = by_long.get(name)
            if flag is None:
                raise FlagError(f"unknown flag: --{name}", where)
            if flag.takes_value:
                if not has_value:
                    if index >= len(argv):
                        raise FlagError(f"flag needs an argument: --{name}", where)
                    value = argv[index]
                    index += 1
                _store(options, flag, value, where, f"--{name}")
            else:
                _store(options, flag, value if has_value else None, where, f"--{name}")
            given.add(flag.dest)
        elif word.startswith("-") and len(word) > 1:
            group = word[1:]
            position = 0
            while position < len(group):
                letter = group[position]
                position += 1
                flag = by_short.get(letter)
                if flag is None:
                    raise FlagError(f"unknown shorthand flag: '{letter}' in {word}", where)
                given.add(flag.dest)
                rest = group[position:]
                if flag.takes_value:
                    if rest.startswith("="):
                        rest = rest[1:]
                    if rest:
                        value = rest
                    elif index < len(argv):
                        value = argv[index]
                        index += 1
                    else:
                        raise FlagError(f"flag needs an argument: '{letter}' in -{letter}", where)
                    _store(options, flag, value, where, f"-{letter}")
                    break
                if rest.startswith("="):
                    _store(options, flag, rest[1:], where, f"-{letter}")
                    break
                _store(options, flag, None, where, f"-{letter}")
        else:
            args.append(word)
    return Parsed(options, args, dash_at, given)


def _initial(flag: Flag) -> Any:
    if flag.kind in ("array", "slice"):
        return list(flag.default or [])
    return flag.default


def _store(options: dict[str, Any], flag: Flag, value: str | None, where: str, spelled: str) -> None:
    dest = flag.dest
    if flag.kind == "bool" or flag.no_value is not None:
        if value is None:
            options[dest] = True if flag.no_value is None else flag.no_value
            return
        if flag.no_value is not None:
            options[dest] = value
            return
        lowered = value.lower()
        if lowered in ("true", "t", "1"):
            options[dest] = True
        elif lowered in ("false", "f", "0"):
            options[dest] = False
        else:
            raise FlagError(
                f'invalid argument "{value}" for "{_display(flag)}" flag: strconv.ParseBool: parsing '
                f'"{value}": invalid syntax', where)
        return
    assert value is not None
    if flag.kind == "int":
        try:
            options[dest] = int(value)
        except ValueError:
            raise FlagError(
                f'invalid argument "{value}" for "{_display(flag)}" flag: strconv.ParseInt: parsing '
                f'"{value}": invalid syntax', where) from None
    elif flag.kind == "array":
        options[dest].append(value)
    elif flag.kind == "slice":
        options[dest].extend(part for part in value.split(",") if part != "" or value == "")
    else:
        options[dest] = value


def _display(flag: Flag) -> str:
    return f"-{flag.short}, --{flag.long}" if flag.short else f"--{flag.long}"


def render_help(command: Command, program: str = "kubesim") -> str:
    """``--help`` in kubectl's layout, from the same declaration the parser uses."""
    lines = [command.summary, ""]
    if command.examples:
        lines += ["Examples:", command.examples.rstrip("\n"), ""]
    if command.flags:
        lines.append("Options:")
        for flag in command.flags:
            names = f"-{flag.short}, --{flag.long}" if flag.short else f"--{flag.long}"
            default = "" if flag.default in (None, False, [], "") else f"={flag.default}"
            lines.append(f"    {names}{default}:")
            lines.append(f"\t{flag.help}")
            lines.append("")
    lines += ["Usage:", f"  {program} {command.usage} [options]", ""]
    lines.append(f'Use "{program} options" for a list of global command-line options (applies to all commands).')
    return "\n".join(lines) + "\n"
