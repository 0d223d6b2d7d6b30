"""A container's filesystem: the image's files, the kubelet's mounts, and a writable layer in the store.

Lookups go top-down as an overlay filesystem does:

1. the writable layer: rows in the store's ``files`` table owned by ``"<pod uid>/<container>"``; a
   deleted lower file is a ``whiteout`` row, and a directory re-created over a deleted one is marked
   opaque (its content column is ``b"opaque"``) so the image's old children stay hidden;
2. what the kubelet mounts: ``/etc/hosts`` (``managedHostsFileContent``), ``/etc/resolv.conf``,
   ``/etc/hostname``, ``/dev/termination-log`` and the service-account token directory;
3. the image's files and directories from the catalogue.

The layer survives between ``exec`` calls and is dropped with the pod (the kubelet deletes the rows).

resolv.conf's line order: a real kubelet hands DNS settings to the runtime, and the order depends on
it (containerd writes ``search`` first, cri-dockerd ``nameserver`` first — dataplane.md §3.5). Our node
reports ``containerd://…`` as its runtime, so the file is what containerd writes: ``dns.ResolvConf.render``.
"""

from __future__ import annotations

import base64
import errno
import json
import posixpath
from dataclasses import dataclass
from typing import Any

from kubesim.runtime.images import Image

WHITEOUT = "whiteout"
OPAQUE = b"opaque"
SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"
# Mount points the kubelet bind-mounts: removing them fails as rm(1) does on a busy mount.
MOUNT_POINTS = ("/etc/hosts", "/etc/resolv.conf", "/etc/hostname", "/dev/termination-log")
NON_ROOT_WRITABLE = ("/tmp", "/var/tmp", "/dev/termination-log")
DIR_MODES = {"/tmp": 0o1777, "/var/tmp": 0o1777, "/root": 0o700}


@dataclass(frozen=True)
class Entry:
    kind: str  # "file" or "dir"
    mode: int
    mtime: float
    content: bytes | None = None
    opaque: bool = False
    layer: bool = False  # lives in the writable layer


def normalise(path: str, cwd: str = "/") -> str:
    """An absolute, normalised path (``..`` resolved lexically, as the tools here need)."""
    if not path:
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)
    joined = path if path.startswith("/") else posixpath.join(cwd or "/", path)
    normal = posixpath.normpath(joined)
    if normal.startswith("//"):
        normal = "/" + normal.lstrip("/")
    return normal


def _parent(path: str) -> str:
    return posixpath.dirname(path) or "/"


def _ancestors(path: str) -> list[str]:
    """Strict ancestors of a path, nearest first, ending with "/"."""
    found = []
    while path != "/":
        path = _parent(path)
        found.append(path)
    return found


class _ImageTree:
    """The image's files and directories indexed by path, with each directory's children."""

    def __init__(self, image: Image) -> None:
        self.entries: dict[str, Entry] = {}
        self.children: dict[str, set[str]] = {"/": set()}
        mtime = max((f.mtime for f in image.files.values()), default=0.0)
        for directory in image.dirs:
            self._add_dir(image.canonical(directory), mtime)
        for path, spec in image.files.items():
            canonical = image.canonical(path)
            self._add_dir(_parent(canonical), mtime)
            self.entries[canonical] = Entry("file", spec.mode, spec.mtime, spec.content)
            self.children.setdefault(_parent(canonical), set()).add(posixpath.basename(canonical))
        for link in image.links:
            # A directory symlink shows up in its parent listing under its own name.
            self.children.setdefault(_parent(link), set()).add(posixpath.basename(link))

    def _add_dir(self, path: str, mtime: float) -> None:
        while path not in self.entries:
            self.entries[path] = Entry("dir", DIR_MODES.get(path, 0o755), mtime)
            self.children.setdefault(path, set())
            if path == "/":
                return
            parent = _parent(path)
            self.children.setdefault(parent, set()).add(posixpath.basename(path))
            path = parent


_TREES: dict[str, _ImageTree] = {}


def _tree_of(image: Image) -> _ImageTree:
    key = f"{image.key}|{image.reference}"
    if key not in _TREES:
        _TREES[key] = _ImageTree(image)
    return _TREES[key]


class ContainerFileSystem:
    """The ``FileSystem`` of one container, read and written inside the caller's transaction."""

    def __init__(self, api, pod: dict, container: dict, image: Image) -> None:
        self.api = api
        self.pod = pod
        self.container = container
        self.image = image
        self.owner = f"{pod['metadata']['uid']}/{container['name']}"
        self.uid = _effective_uid(pod, container, image)
        self.home = str(image.user.get("home", "/root")) if self.uid == image.user.get("uid", 0) else "/"
        self._tree = _tree_of(image)
        self._mounts: dict[str, Entry] | None = None

    # -- the protocol ------------------------------------------------------------------------------
    def read(self, path: str) -> bytes:
        path = self._path(path)
        entry = self._lookup(path)
        if entry.kind == "dir":
            raise IsADirectoryError(errno.EISDIR, "Is a directory", path)
        self._check_readable(path)
        return entry.content or b""

    def write(self, path: str, data: bytes, append: bool = False) -> None:
        path = self._path(path)
        existing = self._find(path)
        if existing is not None and existing.kind == "dir":
            raise IsADirectoryError(errno.EISDIR, "Is a directory", path)
        parent = self._find(_parent(path))
        if parent is None:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)
        if parent.kind != "dir":
            raise NotADirectoryError(errno.ENOTDIR, "Not a directory", path)
        self._check_writable(path, existing)
        content = ((existing.content or b"") if append and existing is not None else b"") + data
        mode = existing.mode if existing is not None else 0o644
        self.api.tx.put_file(self.owner, path, "file", mode, self._now(), content)

    def exists(self, path: str) -> bool:
        try:
            return self._find(self._path(path)) is not None
        except OSError:
            return False

    def is_dir(self, path: str) -> bool:
        try:
            entry = self._find(self._path(path))
        except OSError:
            return False
        return entry is not None and entry.kind == "dir"

    def list_dir(self, path: str) -> list[str]:
        path = self._path(path)
        entry = self._lookup(path)
        if entry.kind != "dir":
            raise NotADirectoryError(errno.ENOTDIR, "Not a directory", path)
        self._check_readable(path)
        names: set[str] = set()
        if not self._hidden_below(path):
            names |= self._tree.children.get(path, set())
            names |= {posixpath.basename(p) for p in self._mount_entries() if _parent(p) == path}
        for row_path, kind, _mode, _mtime, _content in self.api.tx.files_under(self.owner, path):
            relative = row_path[len(path.rstrip("/")) + 1:]
            if "/" in relative:
                continue
            if kind == WHITEOUT:
                names.discard(relative)
            else:
                names.add(relative)
        return sorted(names)

    def mkdir(self, path: str, parents: bool = False) -> None:
        path = self._path(path)
        existing = self._find(path)
        if existing is not None:
            if parents and existing.kind == "dir":
                return
            raise FileExistsError(errno.EEXIST, "File exists", path)
        parent_path = _parent(path)
        parent = self._find(parent_path)
        if parent is None:
            if not parents:
                raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)
            self.mkdir(parent_path, parents=True)
        elif parent.kind != "dir":
            raise NotADirectoryError(errno.ENOTDIR, "Not a directory", path)
        self._check_writable(path, None)
        row = self.api.tx.file(self.owner, path)
        opaque = row is not None and row[0] == WHITEOUT
        self.api.tx.put_file(self.owner, path, "dir", 0o755, self._now(), OPAQUE if opaque else None)

    def remove(self, path: str, recursive: bool = False) -> None:
        path = self._path(path)
        entry = self._lookup(path)
        if path == "/" or path in MOUNT_POINTS or path == SERVICE_ACCOUNT_DIR:
            raise OSError(errno.EBUSY, "Device or resource busy", path)
        if entry.kind == "dir":
            if not recursive:
                raise IsADirectoryError(errno.EISDIR, "Is a directory", path)
            for child in self.list_dir(path):
                self.remove(posixpath.join(path, child), recursive=True)
        self._check_writable(path, entry)
        lower = self._lower(path)
        if lower is None:
            self.api.tx.drop_file(self.owner, path)
        else:
            self.api.tx.put_file(self.owner, path, WHITEOUT, 0, self._now(), None)

    def stat(self, path: str) -> dict[str, Any]:
        path = self._path(path)
        entry = self._lookup(path)
        size = len(entry.content or b"") if entry.kind == "file" else 4096
        return {"kind": entry.kind, "mode": entry.mode, "size": size, "mtime": entry.mtime}

    # -- lookups -----------------------------------------------------------------------------------
    def _path(self, path: str) -> str:
        return self.image.canonical(normalise(path))

    def _lookup(self, path: str) -> Entry:
        entry = self._find(path)
        if entry is None:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)
        return entry

    def _find(self, path: str) -> Entry | None:
        """The entry visible at a path, or None; a file used as a directory raises NotADirectoryError."""
        for ancestor in _ancestors(path):
            found = self._find_one(ancestor, check_ancestors=False)
            if found is None:
                return None
            if found.kind != "dir":
                raise NotADirectoryError(errno.ENOTDIR, "Not a directory", path)
        return self._find_one(path, check_ancestors=False)

    def _find_one(self, path: str, check_ancestors: bool = True) -> Entry | None:
        row = self.api.tx.file(self.owner, path)
        if row is not None:
            kind, mode, mtime, content = row
            if kind == WHITEOUT:
                return None
            return Entry(kind, mode, mtime, content if kind == "file" else None,
                         opaque=kind == "dir" and content == OPAQUE, layer=True)
        if self._hidden_below(_parent(path)) and path != "/":
            return None
        return self._lower(path)

    def _lower(self, path: str) -> Entry | None:
        """What the kubelet's mounts or the image have at a path (ignoring the writable layer)."""
        mounts = self._mount_entries()
        if path in mounts:
            return mounts[path]
        return self._tree.entries.get(path)

    def _hidden_below(self, directory: str) -> bool:
        """Whether lower layers are hidden under a directory (it or an ancestor is opaque in the layer)."""
        for path in (directory, *_ancestors(directory)):
            row = self.api.tx.file(self.owner, path)
            if row is not None and row[0] == "dir" and row[3] == OPAQUE:
                return True
        return False

    # -- the kubelet's mounts ----------------------------------------------------------------------
    def _mount_entries(self) -> dict[str, Entry]:
        if self._mounts is None:
            self._mounts = kubelet_files(self.pod, self.container)
        return self._mounts

    # -- permissions -------------------------------------------------------------------------------
    def _check_readable(self, path: str) -> None:
        if self.uid != 0 and (path == "/root" or path.startswith("/root/")):
            raise PermissionError(errno.EACCES, "Permission denied", path)

    def _check_writable(self, path: str, existing: Entry | None) -> None:
        if path.startswith("/proc/") or path.startswith("/sys/") or path in ("/proc", "/sys"):
            raise PermissionError(errno.EROFS, "Read-only file system", path)
        if self.uid == 0:
            return
        if existing is not None and existing.layer:
            return
        allowed = (*NON_ROOT_WRITABLE, self.home) if self.home != "/" else NON_ROOT_WRITABLE
        for root in allowed:
            if path == root and existing is None:
                break
            if path.startswith(root.rstrip("/") + "/"):
                return
        raise PermissionError(errno.EACCES, "Permission denied", path)

    def _now(self) -> float:
        return self.api.now.timestamp()


def _effective_uid(pod: dict, container: dict, image: Image) -> int:
    for context in (container.get("securityContext") or {}, (pod.get("spec") or {}).get("securityContext") or {}):
        if isinstance(context.get("runAsUser"), int):
            return int(context["runAsUser"])
    return int(image.user.get("uid", 0))


# -- what the kubelet writes -------------------------------------------------------------------------
def hosts_file(pod: dict) -> str:
    """/etc/hosts exactly as the kubelet's managedHostsFileContent builds it."""
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    if spec.get("hostNetwork"):
        return ("# Kubernetes-managed hosts file (host network).\n127.0.0.1\tlocalhost\n"
                "::1\tlocalhost ip6-localhost ip6-loopback\n")
    hostname = pod_hostname(pod)
    lines = ["# Kubernetes-managed hosts file.\n", "127.0.0.1\tlocalhost\n",
             "::1\tlocalhost ip6-localhost ip6-loopback\n", "fe00::0\tip6-localnet\n",
             "fe00::0\tip6-mcastprefix\n", "fe00::1\tip6-allnodes\n", "fe00::2\tip6-allrouters\n"]
    ips = [entry.get("ip") for entry in status.get("podIPs") or [] if entry.get("ip")]
    if not ips and status.get("podIP"):
        ips = [status["podIP"]]
    domain = pod_domain(pod)
    for ip in ips:
        lines.append(f"{ip}\t{hostname}.{domain}\t{hostname}\n" if domain else f"{ip}\t{hostname}\n")
    aliases = spec.get("hostAliases") or []
    if aliases:
        lines.append("\n# Entries added by HostAliases.\n")
        for alias in aliases:
            lines.append(f"{alias.get('ip', '')}\t" + "\t".join(alias.get("hostnames") or []) + "\n")
    return "".join(lines)


def pod_hostname(pod: dict) -> str:
    spec = pod.get("spec") or {}
    return str(spec.get("hostname") or pod["metadata"]["name"])[:63].rstrip("-.")


def pod_domain(pod: dict) -> str:
    """``<subdomain>.<namespace>.svc.cluster.local`` when spec.subdomain is set, else ""."""
    subdomain = (pod.get("spec") or {}).get("subdomain")
    if not subdomain:
        return ""
    return f"{subdomain}.{pod['metadata'].get('namespace', 'default')}.svc.cluster.local"


def resolv_conf_text(pod: dict) -> str:
    from kubesim.net.dns import resolv_conf

    return resolv_conf(pod).render()


def kubelet_files(pod: dict, container: dict) -> dict[str, Entry]:
    """The files and directories the kubelet mounts into every container of a pod."""
    started = _pod_start(pod)
    entries: dict[str, Entry] = {
        "/etc/hosts": Entry("file", 0o644, started, hosts_file(pod).encode()),
        "/etc/resolv.conf": Entry("file", 0o644, started, resolv_conf_text(pod).encode()),
        "/etc/hostname": Entry("file", 0o644, started, (pod_hostname(pod) + "\n").encode()),
        "/etc": Entry("dir", 0o755, started),
        "/dev": Entry("dir", 0o755, started),
    }
    message_path = str(container.get("terminationMessagePath") or "/dev/termination-log")
    entries[message_path] = Entry("file", 0o666, started, b"")
    spec = pod.get("spec") or {}
    if spec.get("automountServiceAccountToken") is not False:
        namespace = pod["metadata"].get("namespace", "default")
        for directory in ("/var", "/var/run", "/var/run/secrets", "/var/run/secrets/kubernetes.io", SERVICE_ACCOUNT_DIR):
            entries[directory] = Entry("dir", 0o755 if directory != SERVICE_ACCOUNT_DIR else 0o1777, started)
        entries[f"{SERVICE_ACCOUNT_DIR}/namespace"] = Entry("file", 0o644, started, namespace.encode())
        entries[f"{SERVICE_ACCOUNT_DIR}/token"] = Entry("file", 0o644, started, _token(pod).encode())
        entries[f"{SERVICE_ACCOUNT_DIR}/ca.crt"] = Entry("file", 0o644, started, _ca_certificate().encode())
    return entries


def _pod_start(pod: dict) -> float:
    from kubesim.api.duration import parse_timestamp

    text = (pod.get("status") or {}).get("startTime") or pod["metadata"].get("creationTimestamp")
    try:
        return parse_timestamp(text).timestamp() if text else 0.0
    except (TypeError, ValueError):
        return 0.0


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _token(pod: dict) -> str:
    """A bound service-account token's shape (header.claims.signature); not signed by anything real."""
    import hashlib

    meta = pod["metadata"]
    namespace = meta.get("namespace", "default")
    account = (pod.get("spec") or {}).get("serviceAccountName") or "default"
    header = {"alg": "RS256", "kid": _b64url(hashlib.sha256(b"kubesim-sa-key").digest())[:43]}
    claims = {
        "aud": ["https://kubernetes.default.svc.cluster.local"],
        "iss": "https://kubernetes.default.svc.cluster.local",
        "kubernetes.io": {"namespace": namespace, "pod": {"name": meta["name"], "uid": meta.get("uid", "")},
                          "serviceaccount": {"name": account}},
        "sub": f"system:serviceaccount:{namespace}:{account}",
    }
    signature = hashlib.sha512(json.dumps(claims, sort_keys=True).encode()).digest() * 4
    return ".".join((_b64url(json.dumps(header, separators=(",", ":")).encode()),
                     _b64url(json.dumps(claims, separators=(",", ":")).encode()), _b64url(signature)))


def _ca_certificate() -> str:
    import hashlib

    body = base64.b64encode(hashlib.sha512(b"kubesim cluster CA minikubeCA").digest() * 12).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"
