"""The ``-o`` formats: which printer a format names, and how objects and lists are printed."""

from __future__ import annotations

from kubesim.api.registry import Kind, Obj
from kubesim.errors import KubectlError

ALLOWED = ("custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,"
           "jsonpath-file,kyaml,name,template,templatefile,wide,yaml")


class OutputFormat:
    """A parsed ``-o`` value: the printer's name and its argument (template, spec or file)."""

    __slots__ = ("name", "argument")

    def __init__(self, name: str, argument: str = "") -> None:
        self.name = name  # "", "wide", "json", "yaml", "name", "jsonpath", "custom-columns", …
        self.argument = argument

    @property
    def human(self) -> bool:
        return self.name in ("", "wide")

    @classmethod
    def parse_generic(cls, text: str | None) -> OutputFormat:
        """``-o`` for verbs that print the objects they changed (no tables, no custom-columns)."""
        fmt = cls.parse(text)
        check_generic(fmt, text)
        return fmt

    @classmethod
    def parse(cls, text: str | None, template: str | None = None) -> OutputFormat:
        if not text:
            if template:
                raise KubectlError("go-template output is not supported by kubesim; use -o jsonpath=…")
            return cls("")
        name, _, argument = text.partition("=")
        lowered = name.lower()
        if lowered in ("json", "yaml") and not argument:
            return cls(lowered)
        if name in ("wide", "name") and not argument:
            return cls(name)
        if name in ("jsonpath", "jsonpath-as-json", "custom-columns"):
            if not argument and not _has_equals(text):
                raise _no_printer(text)
            if not argument:
                if name == "custom-columns":
                    raise KubectlError("custom-columns format specified but no custom columns given")
                raise KubectlError("template format specified but no template given")
            return cls(name, argument)
        if name in ("jsonpath-file", "custom-columns-file"):
            if not argument:
                raise KubectlError("template format specified but no template given")
            try:
                with open(argument, encoding="utf-8") as handle:
                    content = handle.read()
            except OSError as error:
                raise KubectlError(f"error reading --template {argument}, {_os_text(error)}") from None
            return cls(name, content)
        if name in ("go-template", "go-template-file", "template", "templatefile", "kyaml"):
            raise KubectlError(f"the {name} output format is not supported by kubesim; use -o jsonpath=…")
        raise _no_printer(text)


def _has_equals(text: str) -> bool:
    return "=" in text


def _no_printer(text: str) -> KubectlError:
    return KubectlError(
        f'unable to match a printer suitable for the output format "{text}", allowed formats are: {ALLOWED}')


def _os_text(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return f"open {error.filename}: no such file or directory"
    return str(error.strerror or error)


def as_list(objects: list[Obj]) -> Obj:
    return {"apiVersion": "v1", "items": objects, "kind": "List", "metadata": {"resourceVersion": ""}}


def name_of(kind: Kind, obj: Obj) -> str:
    return f"{kind.name_prefix}/{obj.get('metadata', {}).get('name', '')}"


def render_data(fmt: OutputFormat, data: Obj, allow_missing_keys: bool = True) -> str:
    """Print one object or one List in a machine format (json, yaml, jsonpath)."""
    if fmt.name == "json":
        from kubesim.printers.json_output import to_json

        return to_json(data)
    if fmt.name == "yaml":
        from kubesim.printers.yaml_output import to_yaml

        return to_yaml(data)
    if fmt.name in ("jsonpath", "jsonpath-file", "jsonpath-as-json"):
        from kubesim.printers import jsonpath

        try:
            if fmt.name != "jsonpath-as-json":
                return jsonpath.render(fmt.argument, data, allow_missing_keys)
            return jsonpath.render_as_json(fmt.argument, data, allow_missing_keys)
        except jsonpath.JsonPathError as error:
            raise KubectlError(error.message) from None
    raise AssertionError(fmt.name)


def success_line(kind: Kind, obj: Obj, operation: str, fmt: OutputFormat | None = None,
                 dry_run: str = "") -> str:
    """``service/kubia created`` (``(dry run)`` / ``(server dry run)`` appended when asked)."""
    if fmt is not None and fmt.name == "name":
        return name_of(kind, obj) + "\n"
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry_run, "")
    return f"{name_of(kind, obj)} {operation}{suffix}\n"


GENERIC_ALLOWED = ("go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,"
                   "templatefile,yaml")


def check_generic(fmt: OutputFormat, text: str | None) -> None:
    """create, apply, label … print objects with kubectl's generic printers: no tables, no custom-columns."""
    if fmt.name in ("wide", "custom-columns", "custom-columns-file"):
        raise KubectlError(f'unable to match a printer suitable for the output format "{text}", allowed formats '
                           f"are: {GENERIC_ALLOWED}")


def render_results(fmt: OutputFormat, results: list[tuple[Kind, Obj]], operation: str,
                   dry_run: str = "") -> str:
    """What create/apply/label print for the objects they touched, per ``-o``."""
    if fmt.human:
        return "".join(success_line(kind, obj, operation, dry_run=dry_run) for kind, obj in results)
    if fmt.name == "name":
        return "".join(name_of(kind, obj) + "\n" for kind, obj in results)
    if fmt.name == "yaml":
        from kubesim.printers.yaml_output import to_yaml

        return "---\n".join(to_yaml(obj) for _, obj in results)
    return "".join(render_data(fmt, obj) for _, obj in results)


def custom_columns_of(fmt: OutputFormat):
    """The columns of ``-o custom-columns=SPEC`` or ``-o custom-columns-file=FILE``."""
    from kubesim.printers import custom_columns

    try:
        if fmt.name == "custom-columns-file":
            return custom_columns.parse_file(fmt.argument)
        return custom_columns.parse_spec(fmt.argument)
    except (custom_columns.CustomColumnsError, _jsonpath_error()) as error:
        raise KubectlError(error.message) from None


def _jsonpath_error() -> type[Exception]:
    from kubesim.printers.jsonpath import JsonPathError

    return JsonPathError
