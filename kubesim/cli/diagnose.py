"""``kubesim diagnose service|pod|ingress NAME``: the book's §5.7 troubleshooting checklist, run for you.

Every check prints one line with its verdict; a failing one adds the evidence and the fix. Exit
codes, for CI: 0 when no check failed (warnings and advice allowed), 3 when at least one failed,
1 when the command could not run (bad arguments), as for any kubectl error.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from kubesim.cli.app import Verb, verb_app
from kubesim.cli.completion import resource_words
from kubesim.cli.context import Invocation, run_verb
from kubesim.cli.options import ReportOutput, report_format
from kubesim.errors import ExitWith, KubectlError, UsageError

EXAMPLES = """
  # Why does service kubia not answer?
  kubesim diagnose svc kubia

  # The same, for clients in another namespace, as JSON for a script
  kubesim diagnose service/kubia --from-namespace web -o json

  # A pod, and an ingress
  kubesim diagnose pod kubia-6b9wj
  kubesim diagnose ingress kubia
"""

MARKS = {"ok": ("ok", "[bold green]✔ ok[/]"), "fail": ("FAIL", "[bold red]✘ FAIL[/]"),
         "warn": ("warn", "[bold yellow]! warn[/]"), "info": ("info", "[cyan]i info[/]"),
         "skip": ("skip", "[dim]- skip[/]")}
SUPPORTED = {"Service": "service", "Pod": "pod", "Ingress": "ingress"}

app = verb_app()


@app.command("diagnose", cls=Verb, epilog=EXAMPLES,
             help="Walk the troubleshooting checklist for a service, pod or ingress; exit 3 when a check fails.")
def diagnose(
    resource: Annotated[list[str] | None, resource_words("(TYPE NAME | TYPE/NAME)")] = None,
    from_namespace: Annotated[str | None, typer.Option(
        "--from-namespace", show_default=False,
        help="The namespace the clients run in, for the DNS check (default: the service's own)")] = None,
    output: ReportOutput = None,
) -> int:
    return run_verb(run)


def run(inv: Invocation) -> int:
    from kubesim.cli.resources import parse_resource_args

    opts = inv.options
    report_format(opts["output"])
    args = list(inv.args)
    if not args:
        raise UsageError("expected 'diagnose TYPE NAME' (a service, pod or ingress)", "kubesim diagnose")
    requests = parse_resource_args(args, verb="diagnose")
    if len(requests) != 1 or len(requests[0].names) != 1:
        raise UsageError("expected one object: 'diagnose TYPE NAME' or 'diagnose TYPE/NAME'", "kubesim diagnose")
    kind, name = requests[0].kind, requests[0].names[0]
    if kind.kind not in SUPPORTED:
        raise KubectlError(f"diagnose knows services, pods and ingresses, not {kind.resource}")
    with inv.cluster.api() as api:
        if kind.kind == "Service":
            from kubesim.diagnose.service import diagnose as check

            report = check(api, inv.namespace, name, opts["from_namespace"])
        elif kind.kind == "Pod":
            from kubesim.diagnose.pods import diagnose as check

            report = check(api, inv.namespace, name)
        else:
            from kubesim.diagnose.ingress import diagnose as check

            report = check(api, inv.namespace, name)
    if opts["output"] == "json":
        inv.out(json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n")
    else:
        _print(inv, report)
    if report.exit_code:
        raise ExitWith(report.exit_code)
    return 0


def _summary(report) -> str:
    failed = report.failed
    if not failed:
        warned = [f for f in report.findings if f.verdict == "warn"]
        return "no check failed" + (f" ({len(warned)} warning{'s' if len(warned) != 1 else ''})" if warned else "")
    checks = ", ".join(dict.fromkeys(f.check for f in failed))
    return f"{len(failed)} check{'s' if len(failed) != 1 else ''} failed: {checks}"


def _print(inv: Invocation, report) -> None:
    title = f"diagnose {SUPPORTED[report.kind]} {report.namespace}/{report.name}"
    width = max(len(f.check) for f in report.findings)
    if not inv.env.stdout_is_terminal:
        lines = [title]
        indent = " " * (2 + 4 + 2 + width + 2)
        for f in report.findings:
            lines.append(f"  {MARKS[f.verdict][0]:<4}  {f.check:<{width}}  {f.title}")
            lines += [f"{indent}- {line}" for line in f.evidence]
            if f.fix:
                lines.append(f"{indent}fix: {f.fix}")
        lines.append(f"result: {_summary(report)}")
        inv.out("\n".join(lines) + "\n")
        return
    from rich.markup import escape
    from rich.table import Table

    from kubesim.cli.terminal import console_for

    table = Table(title=escape(title), title_justify="left", title_style="bold", show_header=False, box=None)
    table.add_column(no_wrap=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for f in report.findings:
        details = escape(f.title) + "".join(f"\n[dim]- {escape(line)}[/]" for line in f.evidence)
        if f.fix:
            details += f"\n[bold]fix:[/] {escape(f.fix)}"
        table.add_row(MARKS[f.verdict][1], escape(f.check), details)
    console = console_for(inv.env)
    console.print(table)
    style = "bold red" if report.failed else "bold green"
    console.print(f"[{style}]result: {escape(_summary(report))}[/]")
