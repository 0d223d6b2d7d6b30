"""``kubesim trace POD URL`` / ``kubesim trace --from-outside URL``: the path one request takes, hop by hop.

The request is a real one: kubesim's curl runs in the pod (or on your machine) through the same
network code as ``kubesim exec POD -- curl URL``, with a recorder listening on the network
(``kubesim.net.hops``). So the trace draws the same random choices as that curl would at this
point under ``KUBESIM_SEED``, and it counts as a request: with ``sessionAffinity: ClientIP`` it sets
or renews the client's affinity, as any connection does.

Exit code: 0 when an HTTP answer came back (whatever its status), else curl's own exit code
(6 name not resolved, 7 refused, 28 timed out, 35/60 TLS problems).
"""

from __future__ import annotations

import io
import json
from typing import Annotated

import typer

from kubesim.cli.app import Verb, verb_app
from kubesim.cli.completion import complete_pods
from kubesim.cli.context import Invocation, run_verb
from kubesim.cli.options import ReportOutput, report_format
from kubesim.errors import ExitWith, KubectlError, UsageError

EXAMPLES = """
  # From a pod to a service by name: DNS, the service, the endpoint kube-proxy chose, the pod, the answer
  kubesim trace kubia-6b9wj http://kubia

  # From your machine to a node port
  kubesim trace --from-outside http://192.168.49.2:30123

  # For a script
  kubesim trace kubia-6b9wj http://kubia -o json
"""

KIND_STYLES = {"refused": "bold red", "dropped": "bold red", "failed": "bold red", "answer": "bold green",
               "dns": "cyan", "service": "magenta", "endpoint": "yellow", "pod": "green", "node": "blue"}
FAILURES = ("refused", "dropped", "failed")

app = verb_app()


@app.command("trace", cls=Verb, epilog=EXAMPLES,
             help="Follow one HTTP request (from a pod, or from your machine) and explain every hop.")
def trace(
    pod_and_url: Annotated[list[str] | None, typer.Argument(
        metavar="(POD | TYPE/NAME) URL", show_default=False, autocompletion=complete_pods)] = None,
    from_outside: Annotated[bool, typer.Option(
        "--from-outside", help="Send the request from your machine, outside the cluster (as kubesim curl)")] = False,
    container: Annotated[str | None, typer.Option(
        "-c", "--container", show_default=False, help="The container of POD the request leaves from")] = None,
    header: Annotated[list[str] | None, typer.Option(
        "-H", "--header", show_default=False, help="An extra request header, as curl's -H ('Host: kubia.example.com')")] = None,
    output: ReportOutput = None,
) -> int:
    return run_verb(run)


def run(inv: Invocation) -> int:
    opts = inv.options
    args = list(inv.args)
    wanted = 1 if opts["from_outside"] else 2
    if len(args) != wanted:
        usage = "trace --from-outside URL" if opts["from_outside"] else "trace POD URL (or trace --from-outside URL)"
        raise UsageError(f"expected '{usage}'", "kubesim trace")
    report_format(opts["output"])
    url = args[-1]
    scheme = url.split("://", 1)[0].lower() if "://" in url else "http"
    if not url or scheme not in ("http", "https"):
        raise KubectlError(f'cannot trace "{url}": trace follows http:// and https:// URLs (a bare host is http)')
    curl_args = ["curl", "-sSi"] + [word for value in opts["header"] or () for word in ("-H", value)] + ["--", url]
    from kubesim.net.hops import Recorder

    recorder = Recorder()
    out, err = io.StringIO(), io.StringIO()
    with inv.cluster.api(write=True) as api:
        if opts["from_outside"]:
            origin, code = _from_outside(api, curl_args, recorder, out, err)
        else:
            origin, code = _from_pod(inv, api, args[0], curl_args, recorder, out, err)
    report = _report(origin, url, recorder, out.getvalue(), err.getvalue(), code)
    if opts["output"] == "json":
        inv.out(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    else:
        _print(inv, report)
    if report["exitCode"]:
        raise ExitWith(report["exitCode"])
    return 0


def _from_outside(api, curl_args: list[str], recorder, out, err) -> tuple[dict, int]:
    from kubesim.cli.curl import WORKSTATION_IMAGE, workstation
    from kubesim.net.outside import OutsideNetwork
    from kubesim.runtime.commands import run_on_host

    network = OutsideNetwork(api)
    network.recorder = recorder
    code = run_on_host(api, workstation(api), WORKSTATION_IMAGE, curl_args, network=network, stdout=out, stderr=err)
    return {"outside": network.client_ip, "text": f"your machine ({network.client_ip})"}, code


def _from_pod(inv: Invocation, api, resource: str, curl_args: list[str], recorder, out, err) -> tuple[dict, int]:
    from kubesim.cli.exec import _choose_container, _find_pod, _running
    from kubesim.runtime.commands import build_process, load_tool

    pod = _find_pod(api, inv.namespace, resource)
    container = _choose_container(inv, pod, inv.options["container"], quiet=False)
    if not (pod.get("spec") or {}).get("nodeName") or not _running(pod, container):
        raise KubectlError(f"pod {pod['metadata']['name']} is not running: a request cannot leave from it")
    proc = build_process(api, pod, container, curl_args, stdout=out, stderr=err)
    proc.network.recorder = recorder
    code = load_tool("curl")(proc) & 0xFF  # the trace's own curl, whether or not the image ships one
    meta = pod["metadata"]
    ip = (pod.get("status") or {}).get("podIP", "")
    return {"pod": f"{meta.get('namespace', '')}/{meta['name']}", "ip": ip,
            "text": f"pod {meta.get('namespace', '')}/{meta['name']} ({ip})"}, code


def _report(origin: dict, url: str, recorder, stdout: str, stderr: str, code: int) -> dict:
    hops = [hop.as_json() for hop in recorder.hops]
    answer = None
    if code == 0:
        head, _, body = stdout.partition("\r\n\r\n")
        status_line = head.split("\r\n", 1)[0]
        parts = status_line.split(" ", 2)
        first = body.strip().split("\n", 1)[0] if body.strip() else ""
        answer = {"status": int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0,
                  "statusLine": status_line, "body": body}
        shown = first if len(first) <= 72 else first[:69] + "..."
        hops.append({"kind": "answer", "text": status_line + (f": {shown}" if shown else "")})
    else:
        message = stderr.strip().splitlines()[-1] if stderr.strip() else f"curl exited with {code}"
        hops.append({"kind": "failed", "text": message})
    origin_facts = {k: v for k, v in origin.items() if k != "text"}
    return {"from": origin_facts, "fromText": origin["text"], "url": url, "hops": hops, "answer": answer,
            "exitCode": code}


def _print(inv: Invocation, report: dict) -> None:
    hops = report["hops"]
    title = f"trace from {report['fromText']} to {report['url']}"
    if not inv.env.stdout_is_terminal:
        width = max(len(h["kind"]) for h in hops)
        inv.out(title + "\n" + "".join(f"{n:>3}  {h['kind']:<{width}}  {h['text']}\n"
                                       for n, h in enumerate(hops, 1)))
        return
    from rich.markup import escape
    from rich.table import Table

    from kubesim.cli.terminal import console_for

    table = Table(title=escape(title), title_justify="left", title_style="bold", show_header=False, box=None)
    table.add_column(justify="right", style="dim")
    table.add_column(no_wrap=True)
    table.add_column()
    for number, hop in enumerate(hops, 1):
        style = KIND_STYLES.get(hop["kind"], "")
        table.add_row(str(number), f"[{style}]{escape(hop['kind'])}[/]" if style else escape(hop["kind"]),
                      escape(hop["text"]))
    console_for(inv.env).print(table)
