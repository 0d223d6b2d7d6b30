"""kubectl's grammar (cobra + pflag) in front of Click: the one normalisation step, and pflag's words.

Click parses every verb, from the verb's Typer signature. Where pflag and Click read the same argv
differently, argv is rewritten first, using the Click command's own parameters:

- ``-o=json`` (Click would read the value ``=json``) becomes ``-o json``; a short group such as
  ``-itc main`` is split letter by letter;
- ``--all=true`` / ``--all=false`` on a bool (Click flags take no value) becomes ``--all`` / nothing,
  with the false remembered and set on the context after parsing; a value that is not a Go bool fails
  with strconv's words;
- a bare ``--dry-run`` (pflag's NoOptDefVal, carried by ``options.OptionalValue``) becomes
  ``--dry-run=unchanged`` and never takes the next word;
- the number of positional words before ``--`` is counted (cobra's ArgsLenAtDash): ``exec POD curl``
  and ``exec POD -- curl`` differ only in that.

Anything else, including mistakes, is left for Click, and ``click_failure`` turns Click's errors into
pflag's lines. Flags typed before the verb (``kubesim -n kube-system get po``) are moved after it, as
cobra finds the verb first and parses every flag with the verb's flag set.
"""

from __future__ import annotations

import click

from kubesim.cli.options import OptionalValue
from kubesim.errors import KubectlError

GO_TRUE = ("1", "t", "T", "TRUE", "true", "True")
GO_FALSE = ("0", "f", "F", "FALSE", "false", "False")


class FlagError(KubectlError):
    """A flag problem: kubectl prints it and then ``See '<cmd> --help' for usage.``"""

    def __init__(self, message: str, command: str) -> None:
        super().__init__(message)
        self.command = command


class Normalised:
    """argv as Click should read it, and what pflag knew that Click will not."""

    def __init__(self) -> None:
        self.argv: list[str] = []
        self.args_after_dash: int | None = None
        self.set_false: set[str] = set()  # bool parameters given as --flag=false
        self.spelled: dict[str, str] = {}  # a short flag Click will name in an error -> the word typed


def split_verb(argv: list[str], command: click.Command, ctx: click.Context) -> tuple[str | None, list[str]]:
    """cobra's stripFlags: the first word that no flag before it takes, and the words around it.

    cobra does not know which flags before the verb take values, so ``--x`` and ``-x`` take the next
    word unless they are bools it knows (``kubectl -n kube-system get po``; ``kubectl -A get po`` reads
    ``get`` as -A's value).
    """
    bools = {opt for param in command.get_params(ctx) if isinstance(param, click.Option) and
             (_is_bool(param) or isinstance(param.type, OptionalValue)) for opt in param.opts}
    index = 0
    while index < len(argv):
        word = argv[index]
        if word == "--":
            break
        takes_next = "=" not in word and word not in bools and (
            word.startswith("--") or (word.startswith("-") and len(word) == 2))
        if takes_next:
            if len(argv) - index <= 2:
                break
            index += 2
        elif word == "" or word.startswith("-"):
            index += 1
        else:
            return word, argv[:index] + argv[index + 1:]
    return None, argv


def normalise(command: click.Command, ctx: click.Context, argv: list[str]) -> Normalised:
    if getattr(command, "raw_arguments", False) and argv not in (["-h"], ["--help"]):
        # A verb that hands its words to a program (``kubesim curl -sS URL``): nothing is parsed.
        result = Normalised()
        result.args_after_dash = 0
        result.argv.extend(["--", *argv])
        return result
    longs: dict[str, click.Option] = {}
    shorts: dict[str, click.Option] = {}
    for param in command.get_params(ctx):
        if isinstance(param, click.Option):
            for opt in param.opts:
                if opt.startswith("--"):
                    longs[opt[2:]] = param
                else:
                    shorts[opt[1:]] = param
    result = Normalised()
    out = result.argv
    positionals = 0
    index = 0
    while index < len(argv):
        word = argv[index]
        index += 1
        if word == "--":
            result.args_after_dash = positionals
            out.append(word)
            out.extend(argv[index:])
            break
        if word.startswith("--") and len(word) > 2:
            name, has_value, value = word[2:].partition("=")
            param = longs.get(name)
            if param is None:
                out.append(word)
            elif _is_bool(param):
                if has_value and not _set_bool(result, param, value, ctx):
                    continue
                out.append(f"--{name}")
            elif isinstance(param.type, OptionalValue):
                out.append(word if has_value else f"--{name}={param.type.when_bare}")
            else:
                out.append(word)
                if not has_value and index < len(argv):
                    out.append(argv[index])
                    index += 1
        elif word.startswith("-") and len(word) > 1:
            index = _short_group(result, shorts, word, argv, index, ctx)
        else:
            positionals += 1
            out.append(word)
    return result


def _short_group(result: Normalised, shorts: dict[str, click.Option], word: str, argv: list[str], index: int,
                 ctx: click.Context) -> int:
    """``-it``, ``-itc main``, ``-itcmain``, ``-c=main``, ``-A=false``: one Click token per letter."""
    out = result.argv
    group = word[1:]
    position = 0
    while position < len(group):
        letter = group[position]
        position += 1
        param = shorts.get(letter)
        rest = group[position:]
        if param is None:
            result.spelled[f"-{letter}"] = word
            out.append(f"-{letter}")
            return index
        if _is_bool(param):
            if rest.startswith("="):
                if _set_bool(result, param, rest[1:], ctx):
                    out.append(f"-{letter}")
                return index
            out.append(f"-{letter}")
            continue
        out.append(f"-{letter}")
        value = rest[1:] if rest.startswith("=") else rest
        if rest:
            out.append(value)
        elif isinstance(param.type, OptionalValue):
            out[-1] = f"-{letter}{param.type.when_bare}"
        elif index < len(argv):
            out.append(argv[index])
            index += 1
        return index
    return index


def _is_bool(param: click.Option) -> bool:
    return bool(param.is_flag) and not isinstance(param.type, OptionalValue)


def _set_bool(result: Normalised, param: click.Option, value: str, ctx: click.Context) -> bool:
    """``--flag=value`` on a bool: True to keep the flag, False when it was set to false."""
    if value in GO_TRUE:
        return True
    if value in GO_FALSE:
        result.set_false.add(param.name or "")
        return False
    raise FlagError(f'invalid argument "{value}" for "{flag_display(param)}" flag: strconv.ParseBool: '
                    f'parsing "{value}": invalid syntax', ctx.command_path)


def flag_display(param: click.Parameter) -> str:
    """How pflag names a flag in its messages: ``-A, --all-namespaces`` or ``--replicas``."""
    short = next((opt for opt in param.opts if not opt.startswith("--")), None)
    long = next((opt for opt in param.opts if opt.startswith("--")), "")
    return f"{short}, {long}" if short else long


def click_failure(error: click.ClickException, spelled: dict[str, str], where: str) -> KubectlError:
    """Click's parse errors in pflag's and cobra's words."""
    path = error.ctx.command_path if getattr(error, "ctx", None) is not None else where
    if isinstance(error, click.NoSuchOption):
        name = error.option_name
        if name.startswith("--"):
            return FlagError(f"unknown flag: {name}", path)
        return FlagError(f"unknown shorthand flag: '{name[1:]}' in {spelled.get(name, name)}", path)
    if isinstance(error, click.BadOptionUsage) and "requires an argument" in error.message:
        name = error.option_name
        if name.startswith("--"):
            return FlagError(f"flag needs an argument: {name}", path)
        return FlagError(f"flag needs an argument: '{name[1:]}' in {name}", path)
    if isinstance(error, click.BadParameter) and error.param is not None:
        value = getattr(error, "value", "")
        return FlagError(f'invalid argument "{value}" for "{flag_display(error.param)}" flag: {error.message}', path)
    if isinstance(error, click.UsageError) and "unexpected extra argument" in error.message:
        extra = error.message.split("(", 1)[-1].rstrip(").")
        return KubectlError(f"extra arguments: [{extra}]")
    return FlagError(error.format_message(), path)
