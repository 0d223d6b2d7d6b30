"""What busybox applets print on a usage error: the banner and the applet's usage text."""

from __future__ import annotations

from kubesim.runtime.process import Process

USAGE = {
    "echo": "Usage: echo [-neE] [ARG]...\n\nPrint the specified ARGs to stdout\n\n"
            "\t-n\tNo trailing newline\n\t-e\tInterpret backslash escapes (i.e., \\t=tab)\n"
            "\t-E\tDon't interpret backslash escapes (default)\n",
    "cat": "Usage: cat [-nbvteA] [FILE]...\n\nPrint FILEs to stdout\n\n"
           "\t-n\tNumber output lines\n\t-b\tNumber nonempty lines\n\t-v\tShow nonprinting characters as ^x or M-x\n"
           "\t-t\t...and tabs as ^I\n\t-e\t...and end lines with $\n\t-A\tSame as -vte\n",
    "env": "Usage: env [-i] [-u NAME]... [-] [NAME=VALUE]... [PROG ARGS]\n\n"
           "Print current environment or run PROG after setting up environment\n\n"
           "\t-, -i\tStart with empty environment\n\t-u NAME\tRemove variable from environment\n",
    "printenv": "Usage: printenv [VARIABLE]...\n\nPrint environment VARIABLEs.\n"
                "If no VARIABLE specified, print all.\n",
    "hostname": "Usage: hostname [-sidf] [HOSTNAME | -F FILE]\n\nShow or set hostname or DNS domain name\n\n"
                "\t-s\tShort\n\t-i\tAddresses for the hostname\n\t-d\tDNS domain name\n"
                "\t-f\tFully qualified domain name\n\t-F FILE\tUse FILE's content as hostname\n",
    "wget": "Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n"
            "\t[--post-data STR | --post-file FILE] [-Y on/off]\n"
            "\t[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...\n\n"
            "Retrieve files via HTTP or FTP\n\n"
            "\t--spider\tOnly check URL existence: $? is 0 if exists\n"
            "\t--header STR\tAdd STR (of form 'header: value') to headers\n"
            "\t--post-data STR\tSend STR using POST method\n"
            "\t--post-file FILE\tSend FILE using POST method\n"
            "\t--no-check-certificate\tDon't validate the server's certificate\n"
            "\t-c\t\tContinue retrieval of aborted transfer\n\t-q\t\tQuiet\n"
            "\t-P DIR\t\tSave to DIR (default .)\n\t-S    \t\tShow server response\n"
            "\t-T SEC\t\tNetwork read timeout is SEC seconds\n\t-O FILE\t\tSave to FILE ('-' for stdout)\n"
            "\t-o LOGFILE\tLog messages to FILE\n\t-U STR\t\tUse STR for User-Agent header\n"
            "\t-Y on/off\tUse proxy\n",
}


def version(proc: Process) -> str:
    return str((getattr(proc.image, "versions", None) or {}).get("busybox", "1.37.0"))


def banner(proc: Process) -> str:
    return f"BusyBox v{version(proc)} (2024-09-30 10:39:57 UTC) multi-call binary.\n\n"


def usage_error(proc: Process, applet: str, message: str | None) -> int:
    """``applet: message`` (when there is one), then the banner and usage on stderr; exit 1."""
    if message:
        proc.err(f"{applet}: {message}\n")
    proc.err(banner(proc) + USAGE.get(applet, f"Usage: {applet}\n"))
    return 1


def help_requested(proc: Process, applet: str) -> bool:
    """``applet --help`` (alone): busybox prints the usage on stderr and exits 0. Callers return 0."""
    if getattr(proc.image, "userland", None) == "gnu" or proc.argv[1:] != ["--help"]:
        return False
    proc.err(banner(proc) + USAGE.get(applet, f"Usage: {applet}\n"))
    return True
