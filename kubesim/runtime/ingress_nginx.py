"""The ingress-nginx controller's nginx: the app on its pod's ports 80 and 443.

Per request: pick the route (``kubesim.net.ingress``), then answer as the controller's generated
nginx.conf does -

- no rule matches: the default backend's ``404 Not Found`` page;
- plain HTTP to a host listed in an Ingress's ``tls``: ``308 Permanent Redirect`` to https
  (``ssl-redirect`` is on by default);
- the Service is missing, its port unknown, or it has no ready endpoint: ``503 Service Temporarily
  Unavailable``;
- else a ready endpoint of the Service, chosen at random (the controller proxies to pod endpoints
  directly, not to the cluster IP) gets the request with the headers ingress-nginx sets
  (``X-Request-ID``, ``X-Real-IP``, ``X-Forwarded-For/-Host/-Port/-Proto/-Scheme``, ``X-Scheme``) over
  HTTP/1.1, and its answer comes back with nginx's own ``Date`` and ``Connection`` (no ``Server``:
  ``server_tokens`` is off and the header cleared). An endpoint that refuses gives ``502 Bad Gateway``.

Error pages are nginx's built-ins with CRLF line endings (dataplane.md §4.1). Over TLS the
controller accepts HTTP/2 (ALPN ``h2``, ``use-http2`` on by default), so an HTTP/2 client gets
lower-case header names and no hop-by-hop headers.
"""

from __future__ import annotations

from kubesim.api.registry import Obj, kind_named
from kubesim.runtime.apps import Certificate, Request, Response, http_date

REASONS = {308: "Permanent Redirect", 404: "Not Found", 502: "Bad Gateway",
           503: "Service Temporarily Unavailable"}
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "date", "server", "content-length"}
FIRST = ("content-type", "content-length", "last-modified", "location")


def served_ingresses(api) -> list[Obj]:
    from kubesim.net.ingress import served_by_nginx

    return [i for i in api.list(kind_named("Ingress", "networking.k8s.io")) if served_by_nginx(i)]


def serve(api, destination, container, image, served, request: Request) -> Response:
    from kubesim.net.ingress import route

    scheme = str(served.options.get("scheme", "http"))
    ingresses = served_ingresses(api)
    chosen = route(ingresses, request.header("Host"), request.path)
    if scheme == "http" and chosen.tls_hosts:
        host = (request.header("Host") or "").rsplit(":", 1)[0]
        return _page(api, request, 308, [("Location", f"https://{host}{request.target}")])
    if chosen.backend is None or chosen.ingress is None:
        return _page(api, request, 404)
    namespace = chosen.ingress["metadata"].get("namespace", "")
    service_ref = chosen.backend.get("service") or {}
    service = api.find(kind_named("Service"), namespace, str(service_ref.get("name", "")))
    if service is None:
        return _page(api, request, 503)
    wanted = service_ref.get("port") or {}
    service_port = next((p for p in (service.get("spec") or {}).get("ports") or []
                         if (wanted.get("number") and p.get("port") == wanted["number"])
                         or (wanted.get("name") and p.get("name") == wanted["name"])), None)
    if service_port is None:
        return _page(api, request, 503)
    from kubesim.net import proxy

    endpoints = proxy.ready_endpoints(api, service, service_port)
    if not endpoints:
        return _page(api, request, 503)
    target = endpoints[api.random.randrange(len(endpoints))] if len(endpoints) > 1 else endpoints[0]
    upstream = _to_upstream(api, destination, request, scheme)
    answer = _proxy(api, destination.pod, service, target, upstream)
    if answer is None:
        return _page(api, request, 502)
    return _finish(_rewrap(api, request, answer), request)


def _to_upstream(api, destination, request: Request, scheme: str) -> Request:
    """The request as nginx passes it on: its proxy_set_header lines, then the client's own headers."""
    client = destination.source or request.client_ip
    host = request.header("Host") or destination.ip
    request_id = f"{api.random.getrandbits(128):032x}"
    port = "443" if scheme == "https" else "80"
    headers = [("Host", host), ("X-Request-ID", request_id), ("X-Real-IP", client), ("X-Forwarded-For", client),
               ("X-Forwarded-Host", host), ("X-Forwarded-Port", port), ("X-Forwarded-Proto", scheme),
               ("X-Forwarded-Scheme", scheme), ("X-Scheme", scheme)]
    incoming = request.header("X-Forwarded-For")
    if incoming:
        headers.append(("X-Original-Forwarded-For", incoming))
    skip = {"host", "connection", "x-request-id", "x-real-ip", "x-forwarded-for", "x-forwarded-host",
            "x-forwarded-port", "x-forwarded-proto", "x-forwarded-scheme", "x-scheme", "proxy", "upgrade"}
    headers += [(name, value) for name, value in request.headers if name.lower() not in skip]
    if request.body and not any(name.lower() == "content-length" for name, _ in headers):
        headers.append(("Content-Length", str(len(request.body))))
    return Request(request.method, request.target, headers, request.body, "HTTP/1.1", "http",
                   str((destination.pod.get("status") or {}).get("podIP", "")))


def _proxy(api, controller: Obj, service: Obj, target: tuple, upstream: Request) -> Response | None:
    """One upstream exchange from the controller pod to the endpoint; None when it is refused or drops."""
    from kubesim.net.network import Network, NetworkError
    from kubesim.net.proxy import deliver
    from kubesim.runtime.apps import respond

    network = Network(api, controller)
    try:
        reached = deliver(network, service, target, "")
    except NetworkError:
        return None
    answer = respond(api, reached, upstream)
    return None if answer.empty_reply else answer


def _rewrap(api, request: Request, answer: Response) -> Response:
    """nginx's header filter: Date, the entity headers, chunking, Connection, then the rest as they came."""
    head = request.method == "HEAD"
    kept = [(n, v) for n, v in answer.headers if n.lower() not in HOP_BY_HOP]
    length = answer.header("Content-Length")
    if length is None and not answer.chunked:
        length = str(len(answer.body))
    chunked = length is None or (answer.chunked and answer.header("Content-Length") is None)
    headers = [("Date", http_date(api.now))]
    for wanted in FIRST:
        if wanted == "content-length":
            if not chunked:
                headers.append(("Content-Length", str(length)))
            continue
        headers += [(n, v) for n, v in kept if n.lower() == wanted]
    if chunked and request.version != "HTTP/1.0":
        headers.append(("Transfer-Encoding", "chunked"))
    headers.append(("Connection", "keep-alive" if request.keep_alive else "close"))
    headers += [(n, v) for n, v in kept if n.lower() not in FIRST]
    return Response(answer.status, answer.reason, headers, b"" if head else answer.body,
                    chunked=chunked and request.version != "HTTP/1.0")


def _page(api, request: Request, status: int, extra: list[tuple[str, str]] | None = None) -> Response:
    reason = REASONS[status]
    title = f"{status} {reason}"
    body = (f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n"
            "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n").encode()
    headers = [("Date", http_date(api.now)), ("Content-Type", "text/html"), ("Content-Length", str(len(body))),
               *(extra or []), ("Connection", "keep-alive" if request.keep_alive else "close")]
    return _finish(Response(status, reason, headers, b"" if request.method == "HEAD" else body), request)


def _finish(response: Response, request: Request) -> Response:
    """Over HTTP/2: the same answer framed as h2 (lower-case names, no hop-by-hop headers, no reason)."""
    if request.version != "HTTP/2":
        return response
    headers = [(n.lower(), v) for n, v in response.headers if n.lower() not in ("connection", "transfer-encoding")]
    return Response(response.status, "", headers, response.body, "HTTP/2")


def health(api, destination, container, image, served, request: Request) -> Response:
    """The controller's own /healthz on 10254 (Go's net/http): ``ok``."""
    from kubesim.runtime.apps import _go_not_found, _go_response

    if request.path != "/healthz":
        return _go_not_found(api, request)
    return _go_response(api, request, 200, b"ok")


# -- TLS ----------------------------------------------------------------------------------------------
def certificate(api, controller: Obj, server_name: str) -> Certificate:
    """The certificate nginx presents for an SNI name: the TLS secret of the Ingress listing the host, else
    (no entry, no such secret, or not a usable kubernetes.io/tls secret) the controller's fake one."""
    from kubesim.net import tls
    from kubesim.net.ingress import tls_secret_for

    found = tls_secret_for(served_ingresses(api), server_name)
    if found is not None:
        ingress, secret_name = found
        secret = api.find(kind_named("Secret"), ingress["metadata"].get("namespace", ""), secret_name)
        data = (secret or {}).get("data") or {}
        cert_pem = tls.decode_secret_value(str(data.get("tls.crt", "")))
        key_pem = tls.decode_secret_value(str(data.get("tls.key", "")))
        try:
            tls.check_pair(cert_pem, key_pem)
            info = tls.describe(cert_pem)
        except (tls.TLSError, StopIteration, ValueError):
            info = None
        if info is not None:
            return Certificate(info.subject, info.issuer, info.pem, info, "h2")
    from datetime import datetime

    from kubesim.addons.ingress import STARTED_KEY

    started = float(api.tx.meta(STARTED_KEY) or api.now.timestamp())
    fake = tls.fake_certificate(datetime.fromtimestamp(started, api.now.tzinfo))
    return Certificate(fake.subject, fake.issuer, b"", fake, "h2")
