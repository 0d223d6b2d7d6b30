"""What the shell and its tools need to know about an image, read from the image catalogue
(``kubesim.runtime.images.Image``): which shell ``sh`` is, GNU or busybox tools, and the versions
that change what a tool prints (bash 4.3 vs 5.2, coreutils quoting, bind, iputils vs inetutils).
"""

from __future__ import annotations

from typing import Any


def _versions(image: Any) -> dict[str, str]:
    return dict(getattr(image, "versions", None) or {})


def shell_flavour(image: Any) -> str:
    """``dash``, ``bash`` or ``busybox-ash``: the shell that answers to ``sh``."""
    value = getattr(image, "shell", None)
    return value if value in ("dash", "bash", "busybox-ash") else "busybox-ash"


def is_busybox(image: Any) -> bool:
    """Whether the small tools are busybox applets (busybox, alpine, curlimages/curl …)."""
    return getattr(image, "userland", None) != "gnu"


def version_tuple(text: str | None, default: tuple[int, ...]) -> tuple[int, ...]:
    if not text:
        return default
    digits = []
    for piece in text.replace("-", ".").split("."):
        if not piece.isdigit():
            break
        digits.append(int(piece))
    return tuple(digits) or default


def bash_version(image: Any) -> tuple[int, int]:
    major, minor, *_ = version_tuple(_versions(image).get("bash"), (5, 2)) + (0,)
    return major, minor


def coreutils_quotes(image: Any) -> bool:
    """coreutils 8.25+ quotes file names in messages (``cannot access 'x'``); 8.2x did not."""
    return version_tuple(_versions(image).get("coreutils"), (9, 1)) >= (8, 25)


def nslookup_flavour(image: Any) -> str:
    """``busybox``, ``bind-9.9`` (tutum/dnsutils, no 'Got recursion' lines) or ``bind-9.18``."""
    value = _versions(image).get("nslookup")
    if value:
        return "busybox" if "busybox" in value else ("bind-9.9" if "9.9" in value else "bind-9.18")
    return "busybox" if is_busybox(image) else "bind-9.18"


def bind_version(image: Any) -> str:
    """The version dig prints in its banner."""
    return _versions(image).get("bind") or "9.18.49-1~deb12u3-Debian"


def ping_flavour(image: Any) -> str:
    """``busybox``, ``inetutils`` (the KiA1 kubia image) or ``iputils`` (modern Debian/Ubuntu)."""
    value = _versions(image).get("ping") or ""
    if "busybox" in value or (not value and is_busybox(image)):
        return "busybox"
    if "inetutils" in value:
        return "inetutils"
    return "iputils"


def user(image: Any) -> tuple[str, str]:
    """(user name, home) the image's processes run as."""
    info = getattr(image, "user", None) or {}
    return str(info.get("name", "root")), str(info.get("home", "/root"))
