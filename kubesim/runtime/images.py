"""The image catalogue: what a container image serves and which programs it ships.

The data lives in ``images.json`` (one file, easy to extend); this module resolves an image reference
to an ``Image``. Lookup normalises the reference the way the container runtime does
(``docker.io/library/nginx:latest`` is ``nginx``), then tries, in order: the exact ``name:tag`` key, glob
keys (``nginx:*alpine*``), the bare name (any tag of a known image is that image). Anything else is
an *unknown image*, which still runs:

* it ships a busybox-like toolset (``sh`` is busybox ash, ``wget`` is busybox wget, no ``curl``);
* it answers HTTP on every TCP ``containerPort`` the pod declares with a short stand-in body,
  recognisable as kubesim's, e.g. ``GET /healthz`` on port 8080 of pod ``web-6d4f9`` answers
  ``200 OK``, ``Content-Type: text/plain; charset=utf-8`` and the body
  ``kubesim: pod web-6d4f9 answered GET /healthz on port 8080 (image "example/web:1.0" is not in the catalogue)``
  followed by a newline.

Sources for the catalogue's facts: the images' Dockerfiles (docker-library ``node:7`` on
``buildpack-deps:jessie``, ``nginxinc/docker-nginx``, ``curl/curl-container``, ``tutum/dnsutils``),
Debian/Ubuntu/Alpine package contents for which binaries exist and where, and real
``kubectl exec … env`` transcripts for the ENV of ``luksa/kubia`` (``NODE_VERSION=7.10.1``,
``YARN_VERSION=0.24.4``) and ``nginx`` 1.29.0 (bookworm). Details that could not be checked are listed
in the catalogue's ``_about`` notes and the project README.
"""

from __future__ import annotations

import fnmatch
import json
import os
from dataclasses import dataclass, field
from functools import cache
from typing import Any

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
BINARY_PLACEHOLDER = b"\x7fELF\x02\x01\x01\x00"  # what `cat /bin/ls` would start with; never executed
_DICT_FIELDS = ("os", "versions", "tools", "files", "links", "user", "serves")


@dataclass(frozen=True)
class ImageFile:
    content: bytes
    mode: int
    mtime: float


@dataclass(frozen=True)
class ServedApp:
    """One listening port of an image: which app in ``kubesim.runtime.apps`` answers, with its options."""

    app: str
    protocols: tuple[str, ...] = ("TCP",)
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Image:
    reference: str  # as the pod spec names it
    key: str  # the catalogue entry it resolved to ("" for an unknown image)
    description: str
    os_id: str  # debian, ubuntu, alpine, busybox, scratch
    os_name: str  # PRETTY_NAME, for prompts and messages
    shell: str | None  # flavour of /bin/sh: "dash", "bash", "busybox-ash" or None (no shell at all)
    userland: str | None  # "gnu" (coreutils) or "busybox": decides usage and error texts of small tools
    versions: dict[str, str]
    curl_version_text: str
    tools: dict[str, tuple[str, ...]]  # tool name -> installed paths (first is canonical)
    links: dict[str, str]  # directory symlinks, e.g. /bin -> /usr/bin on a merged-/usr Debian
    dirs: tuple[str, ...]
    files: dict[str, ImageFile]
    env: tuple[tuple[str, str], ...]
    user: dict[str, Any]
    workdir: str
    entrypoint: tuple[str, ...]
    cmd: tuple[str, ...]
    server_in: str  # "entrypoint" or "cmd": what a pod's command/args override must keep for the app to run
    serves: dict[int, ServedApp]

    @property
    def known(self) -> bool:
        return bool(self.key)

    @property
    def path_env(self) -> str:
        return dict(self.env).get("PATH", DEFAULT_PATH)

    @property
    def curl_version(self) -> str | None:
        return self.versions.get("curl")

    def ships(self, tool: str) -> bool:
        return tool in self.tools

    def tool_at(self, path: str) -> str | None:
        """The tool installed at an absolute path (following the image's directory symlinks)."""
        wanted = self.canonical(path)
        for name, paths in self.tools.items():
            if any(self.canonical(p) == wanted for p in paths):
                return name
        return None

    def canonical(self, path: str) -> str:
        """A path with the image's directory symlinks resolved (``/bin/ls`` -> ``/usr/bin/ls`` on bookworm)."""
        for link, target in self.links.items():
            if path == link or path.startswith(link + "/"):
                return target + path[len(link):]
        return path


def normalise(reference: str) -> tuple[str, str]:
    """(name, tag) the way the runtime reads a reference: docker.io and library/ dropped, tag defaults to latest."""
    name = reference.strip()
    digest = ""
    if "@" in name:
        name, digest = name.split("@", 1)
    tag = "latest" if not digest else ""
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag = name.rsplit(":", 1)
    for prefix in ("docker.io/library/", "index.docker.io/library/", "docker.io/", "index.docker.io/"):
        if name.startswith(prefix):
            name = name[len(prefix):]
            break
    if name.startswith("library/"):
        name = name[len("library/"):]
    return name.lower(), tag


@cache
def _catalogue() -> dict[str, Any]:
    # A path next to this module, not importlib.resources: that import alone costs ~15 ms per exec.
    with open(os.path.join(os.path.dirname(__file__), "images.json"), encoding="utf-8") as handle:
        text = handle.read()
    return json.loads(text)


def catalogue_keys() -> list[str]:
    return list(_catalogue()["images"])


def _resolve_key(name: str, tag: str) -> str:
    images = _catalogue()["images"]
    full = f"{name}:{tag}" if tag else name
    if full in images:
        return full
    for key in images:
        if any(ch in key for ch in "*?[") and fnmatch.fnmatchcase(full, key):
            return key
    return name if name in images else ""


@cache
def lookup(reference: str) -> Image:
    """The catalogue's image for a reference; an unknown image gets the documented stand-in."""
    name, tag = normalise(reference)
    key = _resolve_key(name, tag)
    data = _catalogue()["images"][key] if key else {"from": "unknown"}
    return _build(reference, key, _flatten(data))


def image_of(container: dict) -> Image:
    return lookup(str(container.get("image", "")))


def _flatten(entry: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    if depth > 10:
        raise ValueError("images.json: 'from' chain too deep")
    parent_name = entry.get("from")
    if not parent_name:
        return dict(entry)
    parent = _flatten(_catalogue()["templates"][parent_name], depth + 1)
    merged = dict(parent)
    for key, value in entry.items():
        if key == "from":
            continue
        if key in _DICT_FIELDS and isinstance(value, dict):
            combined = dict(parent.get(key) or {})
            for inner, inner_value in value.items():
                if inner_value is None:
                    combined.pop(inner, None)
                else:
                    combined[inner] = inner_value
            merged[key] = combined
        elif key == "env":
            variables = dict(parent.get("env") or [])
            for variable, variable_value in value:
                variables[variable] = variable_value
            merged[key] = [[k, v] for k, v in variables.items()]
        elif key == "dirs":
            merged[key] = list(dict.fromkeys([*(parent.get("dirs") or []), *value]))
        else:
            merged[key] = value
    return merged


def _build(reference: str, key: str, data: dict[str, Any]) -> Image:
    default_mtime = float(data.get("mtime", 0))
    files: dict[str, ImageFile] = {}
    for path, spec in (data.get("files") or {}).items():
        if isinstance(spec, str):
            spec = {"text": spec}
        content = BINARY_PLACEHOLDER if spec.get("binary") else str(spec.get("text", "")).encode()
        mode = int(str(spec.get("mode", "0755" if spec.get("binary") else "0644")), 8)
        files[path] = ImageFile(content, mode, float(spec.get("mtime", default_mtime)))
    tools = {name: tuple(paths if isinstance(paths, list) else [paths])
             for name, paths in (data.get("tools") or {}).items()}
    for paths in tools.values():
        for path in paths:
            files.setdefault(path, ImageFile(BINARY_PLACEHOLDER, 0o755, default_mtime))
    serves = {int(port): ServedApp(spec["app"], tuple(spec.get("protocols") or ["TCP"]),
                                   {k: v for k, v in spec.items() if k not in ("app", "protocols")})
              for port, spec in (data.get("serves") or {}).items()}
    os_info = data.get("os") or {}
    return Image(
        reference=reference, key=key, description=str(data.get("description", "")),
        os_id=str(os_info.get("id", "")), os_name=str(os_info.get("name", "")),
        shell=data.get("shell"), userland=data.get("userland"),
        versions=dict(data.get("versions") or {}), curl_version_text=str(data.get("curl_version_text", "")),
        tools=tools, links=dict(data.get("links") or {}), dirs=tuple(data.get("dirs") or ()), files=files,
        env=tuple((str(k), str(v)) for k, v in data.get("env") or []),
        user=dict(data.get("user") or {"name": "root", "uid": 0, "gid": 0, "home": "/root"}),
        workdir=str(data.get("workdir") or "/"), entrypoint=tuple(data.get("entrypoint") or ()),
        cmd=tuple(data.get("cmd") or ()), server_in=str(data.get("server_in") or "cmd"), serves=serves,
    )
