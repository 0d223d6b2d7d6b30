"""The programs that answer inside pods: which ports a pod listens on and what its apps reply.

A container listens where its image's catalogue entry says it serves (``images.json``'s ``serves``),
and only while that app is what the container runs: a pod that overrides the image's entrypoint
(``command:``) — or its CMD (``args:``) when the app is started by CMD, as nginx's is — runs
something else. An image the catalogue does not know answers on each declared TCP containerPort
(see ``kubesim.runtime.images``).

``respond`` answers one HTTP request with the headers the real servers send: Node.js 7's ``http``
module for kubia (``Date``, ``Connection``, ``Transfer-Encoding: chunked`` — no ``Keep-Alive``, which
Node only added in v15), nginx's for nginx, Go's ``net/http`` for CoreDNS and the API server.
``Date`` comes from the cluster clock.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from kubesim.runtime.images import Image, ServedApp, image_of

REASONS = {
    200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently", 302: "Found", 304: "Not Modified",
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
    500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
}
NGINX_REASONS = {405: "Not Allowed"}
# The part of nginx's mime.types a pod is likely to serve (the host's own table is never consulted).
NGINX_TYPES = {
    ".html": "text/html", ".htm": "text/html", ".shtml": "text/html", ".css": "text/css", ".xml": "text/xml",
    ".txt": "text/plain", ".js": "application/javascript", ".json": "application/json", ".png": "image/png",
    ".gif": "image/gif", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml",
    ".ico": "image/x-icon", ".pdf": "application/pdf", ".zip": "application/zip",
}
GO_TEXT = "text/plain; charset=utf-8"


@dataclass
class Request:
    method: str
    target: str  # the request-target as sent: path and query
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    version: str = "HTTP/1.1"
    scheme: str = "http"
    client_ip: str = ""

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)

    @property
    def path(self) -> str:
        return urlsplit(self.target).path or "/"

    @property
    def keep_alive(self) -> bool:
        connection = (self.header("Connection") or "").lower()
        if self.version == "HTTP/1.0":
            return connection == "keep-alive"
        return connection != "close"


@dataclass
class Response:
    status: int
    reason: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    version: str = "HTTP/1.1"
    chunked: bool = False  # sent with Transfer-Encoding: chunked (changes the bytes on the wire)
    empty_reply: bool = False  # the server closed the connection without a byte of answer

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)

    @property
    def status_line(self) -> str:
        if self.version == "HTTP/2":
            return f"HTTP/2 {self.status} "  # no reason phrase in HTTP/2; curl keeps the space
        return f"{self.version} {self.status} {self.reason}".rstrip()

    def head_bytes(self) -> bytes:
        """Status line and headers as they cross the wire, ending with the empty line."""
        lines = [self.status_line] + [f"{name}: {value}" for name, value in self.headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def wire_body_size(self) -> int:
        if not self.chunked:
            return len(self.body)
        if not self.body:
            return len(b"0\r\n\r\n")
        return len(f"{len(self.body):x}\r\n".encode()) + len(self.body) + len(b"\r\n0\r\n\r\n")

    @property
    def closes(self) -> bool:
        return (self.header("Connection") or "").lower() == "close" or self.version == "HTTP/1.0"


@dataclass(frozen=True)
class Certificate:
    """What a TLS server presents, as far as a client's verification needs to know."""

    subject: str
    issuer: str
    trusted_by: bytes  # the CA bundle content that verifies it (b"": none does)
    details: Any = None  # kubesim.net.tls.CertificateInfo of a real certificate, for curl's verbose handshake
    alpn: str = "http/1.1"  # the protocol the server picks when a client offers h2 and http/1.1


# -- who listens where --------------------------------------------------------------------------------
def listens_on(pod: dict, port: int, protocol: str = "TCP") -> bool:
    return server_for(pod, port, protocol) is not None


def server_for(pod: dict, port: int, protocol: str = "TCP") -> tuple[dict, Image, ServedApp] | None:
    """The container and app listening on a pod's port, or None (connections are refused)."""
    if (pod.get("status") or {}).get("phase") != "Running":
        return None
    for container in (pod.get("spec") or {}).get("containers") or []:
        if not _container_running(pod, container):
            continue
        image = image_of(container)
        if image.known:
            served = image.serves.get(port)
            if served is not None and protocol in served.protocols and _app_runs(container, image):
                return container, image, served
            continue
        for declared in container.get("ports") or []:
            if declared.get("containerPort") == port and declared.get("protocol", "TCP") == protocol == "TCP":
                return container, image, ServedApp("default")
    return None


def _container_running(pod: dict, container: dict) -> bool:
    statuses = (pod.get("status") or {}).get("containerStatuses")
    if statuses is None:
        return True
    status = next((s for s in statuses if s.get("name") == container.get("name")), None)
    return status is not None and "running" in (status.get("state") or {})


def _app_runs(container: dict, image: Image) -> bool:
    command = container.get("command")
    if command and list(command) != list(image.entrypoint):
        return False
    args = container.get("args")
    return not (image.server_in == "cmd" and args and list(args) != list(image.cmd))


def speaks_tls(destination, api=None, server_name: str = "") -> Certificate | None:
    """The certificate a TLS client meets at a destination (for the SNI ``server_name``), or None when
    it speaks plain HTTP."""
    if destination.pod is None and destination.node_address:
        from kubesim.runtime.filesystem import _ca_certificate

        return Certificate("CN=minikube", "CN=minikubeCA", _ca_certificate().encode())
    if destination.pod is not None and api is not None:
        found = server_for(destination.pod, destination.port)
        if found is not None and found[2].app == "ingress-nginx" and found[2].options.get("scheme") == "https":
            from kubesim.runtime import ingress_nginx

            return ingress_nginx.certificate(api, destination.pod, server_name)
    return None


# -- answering ----------------------------------------------------------------------------------------
def respond(api, destination, request: Request) -> Response:
    """What the program at ``destination`` answers to one request (one request per connection)."""
    if getattr(destination, "world", None) is not None:
        return _world_host(api, destination.world, request)
    if destination.pod is None:
        if destination.node_address:
            return _api_server(api, request)
        return Response(0, "", empty_reply=True)
    found = server_for(destination.pod, destination.port)
    if found is None:
        return Response(0, "", empty_reply=True)
    container, image, served = found
    handler = _APPS.get(served.app, _default_app)
    return handler(api, destination, container, image, served, request)


def _world_host(api, host, request: Request) -> Response:
    """A host on the internet, as the user declared it: its status and body, a plain web server's headers."""
    from kubesim.net.world import default_body

    body = (host.body + "\n" if host.body else default_body(host)).encode()
    headers = [("Date", http_date(api.now)), ("Content-Type", "text/plain; charset=utf-8"),
               ("Content-Length", str(len(body)))]
    return Response(host.status, _reason(host.status), headers, b"" if request.method == "HEAD" else body)


def http_date(moment: datetime) -> str:
    return moment.strftime("%a, %d %b %Y %H:%M:%S GMT")


def _reason(status: int) -> str:
    return REASONS.get(status, "")


def _kubia(api, destination, container, image, served, request: Request) -> Response:
    hostname = _hostname(destination.pod)
    return _node_response(api, request, 200, f"You've hit {hostname}\n".encode())


def _kubia_unhealthy(api, destination, container, image, served, request: Request) -> Response:
    """200 for the first five requests the process gets, then 500 — the count is per container run."""
    pod = destination.pod
    restarts = next((s.get("restartCount", 0) for s in (pod.get("status") or {}).get("containerStatuses") or []
                     if s.get("name") == container["name"]), 0)
    owner = f"{pod['metadata']['uid']}/{container['name']}#app"
    path = f"/requests/{destination.port}/{restarts}"
    row = api.tx.file(owner, path)
    count = int((row[3] or b"0").decode()) + 1 if row else 1
    api.tx.put_file(owner, path, "file", 0o600, api.now.timestamp(), str(count).encode())
    if count > 5:
        return _node_response(api, request, 500, b"I'm not well. Please restart me!")
    return _node_response(api, request, 200, f"You've hit {_hostname(pod)}\n".encode())


def _node_response(api, request: Request, status: int, body: bytes) -> Response:
    """Node.js 7 after ``writeHead(status)`` then ``end(body)``: headers fixed before the body is known."""
    headers = [("Date", http_date(api.now))]
    keep_alive = request.keep_alive
    headers.append(("Connection", "keep-alive" if keep_alive else "close"))
    head = request.method == "HEAD"
    chunked = request.version != "HTTP/1.0" and not head
    if chunked:
        headers.append(("Transfer-Encoding", "chunked"))
    return Response(status, _reason(status), headers, b"" if head else body, chunked=chunked)


def _nginx(api, destination, container, image, served, request: Request) -> Response:
    """nginx's default server: static files from the container's own filesystem under ``root``."""
    from kubesim.runtime.filesystem import ContainerFileSystem

    server = str(served.options.get("server", "nginx"))
    root = str(served.options.get("root", "/usr/share/nginx/html"))
    fs = ContainerFileSystem(api, destination.pod, container, image)
    path = posixpath.normpath("/" + unquote(request.path).lstrip("/")) + ("/" if request.path.endswith("/") else "")
    path = path.replace("//", "/")
    target = root + path
    if path.endswith("/"):
        target = root + path + "index.html"
    exists = fs.exists(target)
    if exists and fs.is_dir(target):
        host = request.header("Host") or destination.ip
        location = f"http://{host}{path}/"
        return _nginx_error(api, request, server, 301, [("Location", location)])
    if not exists:
        directory = target[: -len("index.html")] if path.endswith("/") else ""
        # A directory without an index: nginx refuses to list it (autoindex is off).
        return _nginx_error(api, request, server, 403 if directory and fs.is_dir(directory) else 404)
    if request.method not in ("GET", "HEAD"):
        return _nginx_error(api, request, server, 405)
    try:
        content = fs.read(target)
        info = fs.stat(target)
    except OSError:
        return _nginx_error(api, request, server, 403)
    mtime = datetime.fromtimestamp(int(info["mtime"]), api.now.tzinfo)
    kind = NGINX_TYPES.get(posixpath.splitext(target)[1].lower(), "application/octet-stream")
    headers = [("Server", server), ("Date", http_date(api.now)), ("Content-Type", kind),
               ("Content-Length", str(len(content))), ("Last-Modified", http_date(mtime)),
               ("Connection", "keep-alive" if request.keep_alive else "close"),
               ("ETag", f'"{int(info["mtime"]):x}-{len(content):x}"'), ("Accept-Ranges", "bytes")]
    return Response(200, "OK", headers, b"" if request.method == "HEAD" else content)


def _nginx_error(api, request: Request, server: str, status: int,
                 extra: list[tuple[str, str]] | None = None) -> Response:
    reason = NGINX_REASONS.get(status, _reason(status))
    title = f"{status} {reason}"
    body = (f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n"
            f"<hr><center>{server}</center>\r\n</body>\r\n</html>\r\n").encode()
    headers = [("Server", server), ("Date", http_date(api.now)), ("Content-Type", "text/html"),
               ("Content-Length", str(len(body))), *(extra or []),
               ("Connection", "keep-alive" if request.keep_alive else "close")]
    return Response(status, reason, headers, b"" if request.method == "HEAD" else body)


def _go_response(api, request: Request, status: int, body: bytes, content_type: str = GO_TEXT,
                 explicit: list[tuple[str, str]] | None = None) -> Response:
    """Go's net/http: handler-set headers (sorted), then Date, Content-Length, and a sniffed Content-Type."""
    headers = sorted(explicit or [])
    headers += [("Date", http_date(api.now)), ("Content-Length", str(len(body)))]
    if not any(name == "Content-Type" for name, _ in headers):
        headers.append(("Content-Type", content_type))
    if not request.keep_alive:
        headers.append(("Connection", "close"))
    return Response(status, _reason(status), headers, b"" if request.method == "HEAD" else body)


def _go_not_found(api, request: Request) -> Response:
    return _go_response(api, request, 404, b"404 page not found\n",
                        explicit=[("Content-Type", GO_TEXT), ("X-Content-Type-Options", "nosniff")])


def _coredns_health(api, destination, container, image, served, request: Request) -> Response:
    if request.path != "/health":
        return _go_not_found(api, request)
    return _go_response(api, request, 200, b"OK")


def _coredns_ready(api, destination, container, image, served, request: Request) -> Response:
    if request.path != "/ready":
        return _go_not_found(api, request)
    return _go_response(api, request, 200, b"OK")


def _coredns_metrics(api, destination, container, image, served, request: Request) -> Response:
    if request.path != "/metrics":
        return _go_not_found(api, request)
    version = served.options.get("version", "1.12.0")
    body = ("# HELP coredns_build_info A metric with a constant '1' value labeled by version, revision, and "
            "goversion from which CoreDNS was built.\n# TYPE coredns_build_info gauge\n"
            f'coredns_build_info{{goversion="go1.23.3",revision="51e11f1",version="{version}"}} 1\n'
            "# HELP coredns_plugin_enabled A metric that indicates whether a plugin is enabled on per server "
            "and zone basis.\n# TYPE coredns_plugin_enabled gauge\n"
            'coredns_plugin_enabled{name="cache",server="dns://:53",view="",zone="."} 1\n'
            'coredns_plugin_enabled{name="errors",server="dns://:53",view="",zone="."} 1\n'
            'coredns_plugin_enabled{name="forward",server="dns://:53",view="",zone="."} 1\n'
            'coredns_plugin_enabled{name="kubernetes",server="dns://:53",view="",zone="."} 1\n'
            'coredns_plugin_enabled{name="prometheus",server="dns://:53",view="",zone="."} 1\n').encode()
    return _go_response(api, request, 200, body, "text/plain; version=0.0.4; charset=utf-8; escaping=underscores")


def _coredns_dns(api, destination, container, image, served, request: Request) -> Response:
    """DNS over TCP reads the first two bytes as a length and gives up on an HTTP request: no answer."""
    return Response(0, "", empty_reply=True)


def _default_app(api, destination, container, image, served, request: Request) -> Response:
    pod = destination.pod
    body = (f"kubesim: pod {pod['metadata']['name']} answered {request.method} {request.target} on port "
            f'{destination.port} (image "{container.get("image", "")}" is not in the catalogue)\n').encode()
    return _go_response(api, request, 200, body)


def _hostname(pod: dict) -> str:
    from kubesim.runtime.filesystem import pod_hostname

    return pod_hostname(pod)


def _echoserver(api, destination, container, image, served, request: Request) -> Response:
    """echoserver 1.4 (nginx + lua), as the source-IP tutorial prints it: the client address the pod saw."""
    client = destination.source or request.client_ip
    host = request.header("Host") or f"{destination.ip}:{destination.port}"
    query = request.target.partition("?")[2]
    lines = ["CLIENT VALUES:", f"client_address={client}", f"command={request.method}", f"real path={request.path}",
             f"query={query or 'nil'}", f"request_version={request.version.split('/')[-1]}",
             f"request_uri=http://{host}:8080{request.target}" if ":" not in host else
             f"request_uri=http://{host.rsplit(':', 1)[0]}:8080{request.target}",
             "", "SERVER VALUES:", "server_version=nginx: 1.10.0 - lua: 10001", "", "HEADERS RECEIVED:"]
    lines += [f"{name.lower()}={value}" for name, value in sorted(request.headers, key=lambda h: h[0].lower())]
    lines += ["BODY:", request.body.decode(errors="replace") if request.body else "-no body in request-"]
    body = ("\n".join(lines)).encode()
    headers = [("Server", "nginx/1.10.0"), ("Date", http_date(api.now)), ("Content-Type", "text/plain"),
               ("Transfer-Encoding", "chunked"), ("Connection", "keep-alive" if request.keep_alive else "close")]
    return Response(200, "OK", headers, b"" if request.method == "HEAD" else body, chunked=True)


def _ingress_nginx(api, destination, container, image, served, request: Request) -> Response:
    from kubesim.runtime import ingress_nginx

    return ingress_nginx.serve(api, destination, container, image, served, request)


def _ingress_nginx_health(api, destination, container, image, served, request: Request) -> Response:
    from kubesim.runtime import ingress_nginx

    return ingress_nginx.health(api, destination, container, image, served, request)


_APPS = {
    "echoserver": _echoserver, "ingress-nginx": _ingress_nginx, "ingress-nginx-health": _ingress_nginx_health,
    "kubia": _kubia, "kubia-unhealthy": _kubia_unhealthy, "nginx": _nginx, "coredns-dns": _coredns_dns,
    "coredns-health": _coredns_health, "coredns-ready": _coredns_ready, "coredns-metrics": _coredns_metrics,
    "default": _default_app,
}


# -- the API server (10.96.0.1:443 -> 192.168.49.2:8443) ------------------------------------------------
PUBLIC_PATHS = ("/healthz", "/livez", "/readyz", "/version")


def _api_server(api, request: Request) -> Response:
    if request.scheme != "https":
        # Go's TLS server answers a plain-HTTP request with this fixed text and closes.
        return Response(400, "Bad Request", version="HTTP/1.0",
                        body=b"Client sent an HTTP request to an HTTPS server.\n")
    user = _authenticated_user(request)
    path = request.path
    if path in ("/healthz", "/livez", "/readyz"):
        return _api_reply(api, request, 200, b"ok", GO_TEXT)
    if path == "/version":
        from kubesim.cluster import KUBERNETES_VERSION

        major, minor = KUBERNETES_VERSION.lstrip("v").split(".")[:2]
        version = {"major": major, "minor": minor, "emulationMajor": major, "emulationMinor": minor,
                   "minCompatibilityMajor": major, "minCompatibilityMinor": str(int(minor) - 1),
                   "gitVersion": KUBERNETES_VERSION, "gitCommit": "0" * 40, "gitTreeState": "clean",
                   "buildDate": "2026-04-22T00:00:00Z", "goVersion": "go1.25.9", "compiler": "gc",
                   "platform": "linux/amd64"}
        return _api_reply(api, request, 200, json.dumps(version, indent=2).encode(), "application/json")
    message = f'forbidden: User "{user}" cannot get path "{path}"'
    resource = _resource_of(path)
    if resource is not None:
        verb, plural, group, namespace = resource
        scope = f' in the namespace "{namespace}"' if namespace else ""
        message = (f'{plural} is forbidden: User "{user}" cannot {verb} resource "{plural}" in API group '
                   f'"{group}"{scope}')
    status = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message,
              "reason": "Forbidden", "details": {}, "code": 403}
    if resource is not None:
        status["details"] = {"kind": resource[1]}
    return _api_reply(api, request, 403, json.dumps(status, indent=2).encode(), "application/json")


def _authenticated_user(request: Request) -> str:
    authorization = request.header("Authorization") or ""
    if authorization.startswith("Bearer "):
        token = authorization[len("Bearer "):].strip()
        parts = token.split(".")
        if len(parts) == 3:
            import base64

            try:
                claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
                return str(claims["sub"])
            except (ValueError, KeyError, TypeError):
                pass
    return "system:anonymous"


def _resource_of(path: str) -> tuple[str, str, str, str] | None:
    parts = [p for p in path.split("/") if p]
    if parts[:2] == ["api", "v1"]:
        rest, group = parts[2:], ""
    elif len(parts) >= 3 and parts[0] == "apis":
        rest, group = parts[3:], parts[1]
    else:
        return None
    namespace = ""
    if len(rest) >= 3 and rest[0] == "namespaces":
        namespace, rest = rest[1], rest[2:]
    if not rest:
        return None
    return ("get" if len(rest) > 1 else "list"), rest[0], group, namespace


def _api_reply(api, request: Request, status: int, body: bytes, content_type: str) -> Response:
    def new_id() -> str:
        import uuid

        return str(uuid.UUID(int=api.random.getrandbits(128), version=4))

    headers = [("Audit-Id", new_id()), ("Cache-Control", "no-cache, private"), ("Content-Type", content_type),
               ("X-Content-Type-Options", "nosniff"), ("X-Kubernetes-Pf-Flowschema-Uid", new_id()),
               ("X-Kubernetes-Pf-Prioritylevel-Uid", new_id()), ("Date", http_date(api.now)),
               ("Content-Length", str(len(body)))]
    return Response(status, _reason(status), headers, b"" if request.method == "HEAD" else body)
