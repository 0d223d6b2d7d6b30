"""The options several verbs share, declared once as Typer ``Annotated`` types, and pflag's value rules.

A verb's signature is the one declaration of its flags: ``output: Output = None`` is ``-o, --output``
with its help text. Two things Click does not have are carried by the Click types here, where the
front door's normalisation step (``grammar.py``) reads them: ``OptionalValue`` is pflag's
``NoOptDefVal`` (a bare ``--dry-run`` means ``unchanged`` and never takes the next word), and
``PflagInt`` fails with strconv's words instead of Click's.
"""

from __future__ import annotations

from typing import Annotated

import click
import typer


class OptionalValue(click.ParamType):
    """A string flag that may stand alone: ``--dry-run`` is ``--dry-run=<when_bare>``."""

    name = "string"

    def __init__(self, when_bare: str) -> None:
        self.when_bare = when_bare

    def convert(self, value, param, ctx):
        return value


class PflagInt(click.ParamType):
    """An integer flag that rejects what Go's strconv.ParseInt rejects, in its words."""

    name = "int"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        text = str(value)
        digits = text[1:] if text[:1] in "+-" else text
        if digits.isascii() and digits.isdigit():
            return int(text)
        error = click.BadParameter(f'strconv.ParseInt: parsing "{text}": invalid syntax', ctx, param)
        error.value = text  # pflag names the value: invalid argument "two" for "--replicas" flag
        raise error


class Duration(click.ParamType):
    """A Go duration kept as typed (``1m0s``); verbs that use one parse it."""

    name = "duration"

    def convert(self, value, param, ctx):
        return value


def split_commas(values: list[str] | None) -> list[str]:
    """pflag's string slices: every use adds its comma-separated parts (``-L a,b -L c``)."""
    parts: list[str] = []
    for value in values or ():
        parts.extend(part for part in value.split(",") if part != "" or value == "")
    return parts


def every_value(values: list[str] | None) -> list[str]:
    """pflag's string arrays: every use adds one value, commas and all (``--env A=1,2``)."""
    return list(values or ())


def completing(*values: str):
    """A flag's fixed values, for shell completion."""

    def complete(incomplete: str) -> list[str]:
        return [value for value in values if value.startswith(incomplete)]

    return complete


OUTPUT_FORMATS = ("json", "yaml", "name", "wide", "jsonpath=", "jsonpath-file=", "jsonpath-as-json=",
                  "custom-columns=", "custom-columns-file=")


Output = Annotated[str | None, typer.Option(
    "-o", "--output", show_default=False, autocompletion=completing(*OUTPUT_FORMATS),
    help="Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, "
         "jsonpath, jsonpath-as-json, jsonpath-file, custom-columns, custom-columns-file, wide).")]
Filename = Annotated[list[str] | None, typer.Option(
    "-f", "--filename", callback=split_commas, show_default=False,
    help="Filename, directory, or URL to files to use.")]
Recursive = Annotated[bool, typer.Option(
    "-R", "--recursive",
    help="Process the directory used in -f, --filename recursively. Useful when you want to manage related "
         "manifests organized within the same directory.")]
DryRun = Annotated[str, typer.Option(
    "--dry-run", click_type=OptionalValue("unchanged"), autocompletion=completing("none", "server", "client"),
    help='Must be "none", "server", or "client". If client strategy, only print the object that would be sent, '
         "without sending it. If server strategy, submit server-side request without persisting the resource.")]
Validate = Annotated[str, typer.Option(
    "--validate", click_type=OptionalValue("strict"), autocompletion=completing("strict", "warn", "ignore"),
    help='Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a schema to '
         'validate the input and fail the request if invalid. "warn" will warn about unknown or duplicate '
         'fields without blocking the request. "false" or "ignore" will not perform any schema validation.')]
Selector = Annotated[str | None, typer.Option(
    "-l", "--selector", show_default=False,
    help="Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l "
         "key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label "
         "constraints.")]
FieldSelector = Annotated[str | None, typer.Option(
    "--field-selector", show_default=False,
    help="Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector "
         "key1=value1,key2=value2). The server only supports a limited number of field queries per type.")]
FieldManager = Annotated[str | None, typer.Option(
    "--field-manager", show_default=False, help="Name of the manager used to track field ownership.")]
AllNamespaces = Annotated[bool, typer.Option(
    "-A", "--all-namespaces",
    help="If present, list the requested object(s) across all namespaces. Namespace in current context is "
         "ignored even if specified with --namespace.")]
ShowManagedFields = Annotated[bool, typer.Option(
    "--show-managed-fields", help="If true, keep the managedFields when printing objects in JSON or YAML format.")]
AllowMissingTemplateKeys = Annotated[bool, typer.Option(
    "--allow-missing-template-keys",
    help="If true, ignore any errors in templates when a field or map key is missing in the template. Only "
         "applies to golang and jsonpath output formats.")]
Template = Annotated[str | None, typer.Option(
    "--template", show_default=False,
    help="Template string or path to template file to use when -o=go-template, -o=go-template-file "
         "(go-template is not supported by kubesim).")]
Timeout = Annotated[str, typer.Option(
    "--timeout", click_type=Duration(),
    help="The length of time to wait before giving up, zero means don't wait. Any other values should contain "
         "a corresponding time unit (e.g. 1s, 2m, 3h).")]

Cascade = Annotated[str, typer.Option(
    "--cascade", click_type=OptionalValue("background"), autocompletion=completing("background", "orphan", "foreground"),
    help='Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the '
         'dependents (e.g. Pods created by a ReplicationController). Defaults to background.')]
GracePeriod = Annotated[int, typer.Option(
    "--grace-period", click_type=PflagInt(),
    help="Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set "
         "to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).")]

# kubesim's own reports (diagnose, trace, graph): text for people, or another format for scripts.
ReportOutput = Annotated[str | None, typer.Option(
    "-o", "--output", show_default=False, help="Output format: json, or text when not given")]


def report_format(value: str | None, allowed: tuple[str, ...] = ("json",)) -> str | None:
    from kubesim.errors import KubectlError

    if value not in (None, *allowed):
        raise KubectlError(f'unable to match a printer suitable for the output format "{value}", allowed formats '
                           f"are: {','.join(allowed)}")
    return value
