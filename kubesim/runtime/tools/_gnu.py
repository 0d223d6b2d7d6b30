"""What GNU coreutils programs print for ``--version``, by the coreutils release of the image."""

from __future__ import annotations

from kubesim.runtime.process import Process

AUTHORS = {"echo": "Brian Fox and Chet Ramey", "cat": "Torbjorn Granlund and Richard M. Stallman",
           "env": "Richard Mlynarik, David MacKenzie, and Assaf Gordon",
           "printenv": "David MacKenzie and Richard Mlynarik"}
COPYRIGHT_YEARS = {"8.21": "2013", "8.23": "2014", "9.1": "2022"}


def coreutils_version(proc: Process) -> str:
    return str((getattr(proc.image, "versions", None) or {}).get("coreutils", "9.1"))


def version_text(proc: Process, program: str) -> str:
    release = coreutils_version(proc)
    year = COPYRIGHT_YEARS.get(release, "2022")
    modern = not release.startswith("8.2")
    url = "https://gnu.org/licenses/gpl.html" if modern else "http://gnu.org/licenses/gpl.html"
    authors = AUTHORS.get(program, "the GNU project")
    if program == "env" and not modern:
        authors = "Richard Mlynarik and David MacKenzie"
    return (f"{program} (GNU coreutils) {release}\nCopyright (C) {year} Free Software Foundation, Inc.\n"
            f"License GPLv3+: GNU GPL version 3 or later <{url}>.\n"
            "This is free software: you are free to change and redistribute it.\n"
            "There is NO WARRANTY, to the extent permitted by law.\n\n"
            f"Written by {authors}.\n")


def quote(proc: Process, name: str) -> str:
    """coreutils' quote(): 'name' since 8.25 (ASCII quotes in the C locale), bare before."""
    release = coreutils_version(proc)
    if release.startswith("8.2") and release < "8.25":
        return name
    return "'" + name.replace("'", "'\\''") + "'"


def invalid_option(proc: Process, program: str, option: str, long: bool = False) -> int:
    if long:
        proc.err(f"{program}: unrecognized option '{option}'\n")
    else:
        proc.err(f"{program}: invalid option -- '{option}'\n")
    proc.err(f"Try '{program} --help' for more information.\n")
    return 1
