"""Ingress (book §5.4): the ingress addon, the Ingress API's path and host rules, ingress-nginx's answers,
TLS from secrets, and ``create secret tls|generic``."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubesim.net.ingress import best_path, host_matches, path_matches, route
from tests.conftest import MANIFESTS, Kubesim, modules_loaded_by

ADDRESS = "192.168.49.2"
PAGE = ("<html>\r\n<head><title>{0}</title></head>\r\n<body>\r\n<center><h1>{0}</h1></center>\r\n"
        "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
NOT_FOUND = PAGE.format("404 Not Found")
UNAVAILABLE = PAGE.format("503 Service Temporarily Unavailable")
DATE = "Mon, 01 Jul 2024 10:00:00 GMT"


def paths(*entries: tuple[str, str]) -> list[dict]:
    return [{"path": path, "pathType": kind, "backend": {"service": {"name": f"{kind}:{path}",
                                                                      "port": {"number": 80}}}}
            for kind, path in entries]


# -- the Ingress API's matching rules (kubernetes.io/docs/concepts/services-networking/ingress, "Examples") --
DOCS_EXAMPLES = [
    # (path types and paths, request path, the path that matches or None)
    ([("Prefix", "/")], "/anything/at/all", ("Prefix", "/")),
    ([("Exact", "/foo")], "/foo", ("Exact", "/foo")),
    ([("Exact", "/foo")], "/bar", None),
    ([("Exact", "/foo")], "/foo/", None),
    ([("Exact", "/foo/")], "/foo", None),
    ([("Prefix", "/foo")], "/foo", ("Prefix", "/foo")),
    ([("Prefix", "/foo")], "/foo/", ("Prefix", "/foo")),
    ([("Prefix", "/foo/")], "/foo", ("Prefix", "/foo/")),
    ([("Prefix", "/foo/")], "/foo/", ("Prefix", "/foo/")),
    ([("Prefix", "/aaa/bb")], "/aaa/bbb", None),
    ([("Prefix", "/aaa/bbb")], "/aaa/bbb", ("Prefix", "/aaa/bbb")),
    ([("Prefix", "/aaa/bbb/")], "/aaa/bbb", ("Prefix", "/aaa/bbb/")),
    ([("Prefix", "/aaa/bbb")], "/aaa/bbb/", ("Prefix", "/aaa/bbb")),
    ([("Prefix", "/aaa/bbb")], "/aaa/bbb/ccc", ("Prefix", "/aaa/bbb")),
    ([("Prefix", "/aaa/bbb")], "/aaa/bbbxyz", None),
    ([("Prefix", "/"), ("Prefix", "/aaa")], "/aaa/ccc", ("Prefix", "/aaa")),
    ([("Prefix", "/"), ("Prefix", "/aaa"), ("Prefix", "/aaa/bbb")], "/aaa/bbb", ("Prefix", "/aaa/bbb")),
    ([("Prefix", "/"), ("Prefix", "/aaa"), ("Prefix", "/aaa/bbb")], "/ccc", ("Prefix", "/")),
    ([("Prefix", "/aaa")], "/ccc", None),
    ([("Prefix", "/foo"), ("Exact", "/foo")], "/foo", ("Exact", "/foo")),
    # ingress-nginx's ImplementationSpecific is nginx's own "location /path": a plain string prefix.
    ([("ImplementationSpecific", "/aaa/bb")], "/aaa/bbb", ("ImplementationSpecific", "/aaa/bb")),
]


@pytest.mark.parametrize(("rules", "request_path", "expected"), DOCS_EXAMPLES)
def test_path_matching_follows_the_kubernetes_documentation_s_examples(rules, request_path, expected):
    chosen = best_path(paths(*rules), request_path)
    assert (None if chosen is None else (chosen["pathType"], chosen["path"])) == expected


@pytest.mark.parametrize(("rule_host", "host", "matches"), [
    ("foo.bar.com", "foo.bar.com", True), ("*.foo.com", "bar.foo.com", True),
    ("*.foo.com", "baz.bar.foo.com", False), ("*.foo.com", "foo.com", False), ("foo.bar.com", "bar.com", False)])
def test_hosts_match_exactly_or_by_one_wildcard_label(rule_host, host, matches):
    assert host_matches(rule_host, host) is matches


segment = st.text("abz-._", min_size=1, max_size=4).filter(lambda s: s not in (".", ".."))
request_paths = st.lists(segment, max_size=5).map(lambda parts: "/" + "/".join(parts)) | \
    st.lists(segment, min_size=1, max_size=5).map(lambda parts: "/" + "/".join(parts) + "/")


@given(request_paths, request_paths)
def test_a_prefix_matches_exactly_when_its_elements_lead_the_request_s(rule_path, request_path):
    wanted = [p for p in rule_path.split("/") if p]
    got = [p for p in request_path.split("/") if p]
    assert path_matches("Prefix", rule_path, request_path) == (got[:len(wanted)] == wanted)
    assert path_matches("Prefix", rule_path.rstrip("/") + "/", request_path) == \
        path_matches("Prefix", rule_path, request_path)  # a trailing slash never matters
    if path_matches("Exact", rule_path, request_path):
        assert path_matches("Prefix", rule_path, request_path)
    assert path_matches("Prefix", "/", request_path)


@given(st.lists(request_paths, min_size=1, max_size=6), request_paths)
def test_the_longest_matching_path_wins(rule_paths, request_path):
    entries = paths(*[("Prefix", p) for p in rule_paths])
    chosen = best_path(entries, request_path)
    matching = [p for p in rule_paths if path_matches("Prefix", p, request_path)]
    if not matching:
        assert chosen is None
        return
    assert chosen is not None and chosen["path"] in matching
    assert len(chosen["path"].rstrip("/")) == max(len(p.rstrip("/")) for p in matching)


def test_a_host_s_server_answers_only_its_own_paths_and_the_catch_all_holds_the_rules_without_host():
    def ingress(name: str, rules: list, default: str | None = None) -> dict:
        spec: dict = {"rules": rules}
        if default:
            spec["defaultBackend"] = {"service": {"name": default, "port": {"number": 80}}}
        return {"metadata": {"name": name, "namespace": "default", "creationTimestamp": f"2024-07-01T10:00:0{name[-1]}Z"},
                "spec": spec}

    def rule(host: str | None, path: str, service: str) -> dict:
        found: dict = {"http": {"paths": [{"path": path, "pathType": "Prefix",
                                           "backend": {"service": {"name": service, "port": {"number": 80}}}}]}}
        if host:
            found["host"] = host
        return found

    ingresses = [ingress("i1", [rule("kubia.example.com", "/kubia", "kubia"), rule(None, "/", "anyhost")]),
                 ingress("i2", [rule("*.example.com", "/", "wild"), rule("kubia.example.com", "/foo", "foo")], "fallback")]

    def service_for(host: str, path: str) -> str | None:
        found = route(ingresses, host, path)
        return None if found.backend is None else found.backend["service"]["name"]

    assert service_for("kubia.example.com", "/kubia/x") == "kubia"
    assert service_for("KUBIA.example.com:80", "/foo") == "foo"
    assert service_for("kubia.example.com", "/") == "fallback"  # i2 has rules for the host: its defaultBackend
    assert service_for("bar.example.com", "/anything") == "wild"
    assert service_for("a.b.example.com", "/") == "anyhost"
    assert service_for("", "/") == "anyhost"


# -- the addon, the controller, get and describe ------------------------------------------------------------
def book_ingress(kubesim: Kubesim) -> None:
    kubesim.ok("addons", "enable", "ingress")
    kubesim.ok("create", "-f", "kubia-rc.yaml", cwd=MANIFESTS)
    kubesim.ok("create", "-f", "kubia-svc-nodeport.yaml", cwd=MANIFESTS)
    kubesim.ok("create", "-f", "kubia-ingress.yaml", cwd=MANIFESTS)


def test_without_the_addon_an_ingress_has_no_class_no_address_and_nothing_answers(kubesim):
    kubesim.ok("create", "-f", "kubia-ingress.yaml", cwd=MANIFESTS)
    assert kubesim.ok("get", "ing") == ("NAME    CLASS    HOSTS               ADDRESS   PORTS   AGE\n"
                                        "kubia   <none>   kubia.example.com             80      0s\n")
    result = kubesim("curl", "-sS", "-H", "Host: kubia.example.com", f"http://{ADDRESS}")
    assert (result.code, result.stdout, result.stderr) == (
        7, "", "curl: (7) Failed to connect to 192.168.49.2 port 80 after 0 ms: Could not connect to server\n")
    assert kubesim.ok("get", "po", "-A") == (
        "NAMESPACE     NAME                       READY   STATUS    RESTARTS   AGE\n"
        "kube-system   coredns-6bd8785b57-6hw2d   1/1     Running   0          0s\n")


def test_the_addon_installs_what_minikube_s_does_and_publishes_the_node_address(kubesim):
    book_ingress(kubesim)
    pods = json.loads(kubesim.ok("get", "po", "-n", "ingress-nginx", "-o", "json"))["items"]
    assert [p["spec"]["containers"][0]["image"] for p in pods] == ["registry.k8s.io/ingress-nginx/controller:v1.13.2"]
    assert kubesim.ok("get", "ing") == ("NAME    CLASS   HOSTS               ADDRESS        PORTS   AGE\n"
                                        "kubia   nginx   kubia.example.com   192.168.49.2   80      0s\n")
    assert kubesim.ok("get", "ingressclass", "nginx", "-o", "jsonpath={.metadata.annotations}") == \
        '{"ingressclass.kubernetes.io/is-default-class":"true"}'
    assert kubesim.ok("addons", "list") == ("ADDON NAME   STATUS    MAINTAINER\n"
                                            "ingress      enabled   Kubernetes\n")
    assert kubesim.ok("addons", "enable", "ingress") == "The 'ingress' addon is already enabled\n"
    assert kubesim.ok("addons", "disable", "ingress") == "* The 'ingress' addon is disabled\n"
    assert kubesim.ok("get", "ing") == ("NAME    CLASS   HOSTS               ADDRESS   PORTS   AGE\n"
                                        "kubia   nginx   kubia.example.com             80      0s\n")
    assert kubesim("get", "ns", "ingress-nginx").stderr == 'Error from server (NotFound): namespaces "ingress-nginx" not found\n'
    assert kubesim("get", "ingressclass").stderr == "No resources found\n"
    result = kubesim("addons", "enable", "dashboard")
    assert (result.code, result.stderr) == (1, 'error: addon "dashboard" is not known to kubesim (known: ingress)\n')


def test_an_ingress_of_another_class_is_left_alone(kubesim):
    book_ingress(kubesim)
    other = (MANIFESTS / "kubia-ingress.yaml").read_text().replace("name: kubia\nspec:\n",
                                                                   "name: other\nspec:\n  ingressClassName: traefik\n")
    kubesim.ok("create", "-f", "-", stdin=other.replace("kubia.example.com", "other.example.com"))
    assert kubesim.ok("get", "ing", "other") == ("NAME    CLASS     HOSTS               ADDRESS   PORTS   AGE\n"
                                                 "other   traefik   other.example.com             80      0s\n")
    result = kubesim("curl", "-s", "-H", "Host: other.example.com", f"http://{ADDRESS}")
    assert result.stdout == NOT_FOUND


def test_describe_shows_backends_with_endpoints_the_tls_section_and_the_controller_s_events(kubesim):
    book_ingress(kubesim)
    kubesim.ok("create", "secret", "tls", "tls-secret", "--cert=tls.cert", "--key=tls.key", cwd=MANIFESTS)
    kubesim.ok("apply", "-f", "kubia-ingress-tls.yaml", cwd=MANIFESTS)
    pad = "  "  # the host cell is tab-terminated: kubectl's tabwriter leaves its padding
    assert kubesim.ok("describe", "ing", "kubia") == f"""Name:             kubia
Labels:           <none>
Namespace:        default
Address:          192.168.49.2
Ingress Class:    nginx
Default backend:  <default>
TLS:
  tls-secret terminates kubia.example.com
Rules:
  Host               Path  Backends
  ----               ----  --------
  kubia.example.com{pad}
                     /   kubia-nodeport:80 (10.244.0.4:8080,10.244.0.5:8080,10.244.0.6:8080)
Annotations:         <none>
Events:
  Type    Reason  Age              From                      Message
  ----    ------  ----             ----                      -------
  Normal  Sync    0s (x2 over 0s)  nginx-ingress-controller  Scheduled for sync
"""


# -- routing from outside and from a pod ----------------------------------------------------------------------
def test_host_header_resolve_and_the_hosts_file_all_reach_the_rule(kubesim):
    book_ingress(kubesim)
    hit = "You've hit kubia-"
    assert kubesim.ok("curl", "-s", "-H", "Host: kubia.example.com", f"http://{ADDRESS}").startswith(hit)
    assert kubesim.ok("curl", "-s", "--resolve", f"kubia.example.com:80:{ADDRESS}",
                      "http://kubia.example.com/").startswith(hit)
    result = kubesim("curl", "-sS", "http://kubia.example.com/")
    assert (result.code, result.stderr) == (6, "curl: (6) Could not resolve host: kubia.example.com\n")
    assert kubesim.ok("hosts", "add", ADDRESS, "kubia.example.com") == "192.168.49.2\tkubia.example.com\n"
    assert kubesim.ok("curl", "-s", "http://kubia.example.com/").startswith(hit)
    assert kubesim.ok("hosts", "list") == "192.168.49.2\tkubia.example.com\n"
    assert kubesim.ok("hosts", "remove", "kubia.example.com") == "kubia.example.com removed\n"
    result = kubesim("hosts", "remove", "kubia.example.com")
    assert (result.code, result.stderr) == (1, 'error: "kubia.example.com" is not in the hosts file\n')
    pod = kubesim.ok("get", "po", "-l", "app=kubia", "-o", "jsonpath={.items[0].metadata.name}")
    out = kubesim.ok("exec", pod, "--", "curl", "-s", "-H", "Host: kubia.example.com", f"http://{ADDRESS}")
    assert out.startswith(hit)


def test_no_rule_gives_the_default_backend_s_404_and_no_ready_endpoint_a_503(kubesim):
    book_ingress(kubesim)
    assert kubesim.ok("curl", "-si", f"http://{ADDRESS}/") == (
        f"HTTP/1.1 404 Not Found\r\nDate: {DATE}\r\nContent-Type: text/html\r\nContent-Length: 146\r\n"
        f"Connection: keep-alive\r\n\r\n{NOT_FOUND}")
    kubesim.ok("scale", "rc", "kubia", "--replicas=0")
    assert kubesim.ok("curl", "-si", "-H", "Host: kubia.example.com", f"http://{ADDRESS}/") == (
        f"HTTP/1.1 503 Service Temporarily Unavailable\r\nDate: {DATE}\r\nContent-Type: text/html\r\n"
        f"Content-Length: 190\r\nConnection: keep-alive\r\n\r\n{UNAVAILABLE}")
    result = kubesim("curl", "-sSf", "-H", "Host: kubia.example.com", f"http://{ADDRESS}/")
    assert (result.code, result.stderr) == (22, "curl: (22) The requested URL returned error: 503\n")


def test_the_app_gets_the_headers_ingress_nginx_adds_and_a_backend_by_port_name(kubesim):
    kubesim.ok("addons", "enable", "ingress")
    kubesim.ok("run", "echo", "--image=registry.k8s.io/echoserver:1.4", "--port=8080")
    kubesim.ok("expose", "pod", "echo", "--port=80", "--target-port=8080", "--name=echo")
    kubesim.ok("create", "-f", "-", stdin="""apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: echo
spec:
  defaultBackend:
    service:
      name: echo
      port:
        name: ""
        number: 80
""")
    controller_ip = kubesim.ok("get", "po", "-n", "ingress-nginx", "-o", "jsonpath={.items[0].status.podIP}")
    out = kubesim.ok("curl", "-s", "-H", "X-Forwarded-For: 1.2.3.4", f"http://{ADDRESS}/any/path?q=1")
    assert out == f"""CLIENT VALUES:
client_address={controller_ip}
command=GET
real path=/any/path
query=q=1
request_version=1.1
request_uri=http://192.168.49.2:8080/any/path?q=1

SERVER VALUES:
server_version=nginx: 1.10.0 - lua: 10001

HEADERS RECEIVED:
accept=*/*
host=192.168.49.2
user-agent=curl/8.14.1
x-forwarded-for=192.168.49.1
x-forwarded-host=192.168.49.2
x-forwarded-port=80
x-forwarded-proto=http
x-forwarded-scheme=http
x-original-forwarded-for=1.2.3.4
x-real-ip=192.168.49.1
x-request-id=805362583c6cf67fd9905470d976bb30
x-scheme=http
BODY:
-no body in request-"""


# -- validation and the old API versions -------------------------------------------------------------------
def empty_ingress(api_version: str) -> str:
    return f"apiVersion: {api_version}\nkind: Ingress\nmetadata:\n  name: kubia\nspec: {{}}\n"


def test_the_book_s_ingress_is_refused_as_a_current_cluster_refuses_it(kubesim):
    result = kubesim("create", "-f", "tests/book/Chapter05/kubia-ingress-tls.yaml", cwd=MANIFESTS.parent)
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == (
        'error: resource mapping not found for name: "kubia" namespace: "" from '
        '"tests/book/Chapter05/kubia-ingress-tls.yaml": no matches for kind "Ingress" in version "extensions/v1beta1"\n'
        "ensure CRDs are installed first\n")
    result = kubesim("create", "-f", "-", stdin=empty_ingress("networking.k8s.io/v1beta1"))
    assert result.stderr == ('error: resource mapping not found for name: "kubia" namespace: "" from "STDIN": no '
                             'matches for kind "Ingress" in version "networking.k8s.io/v1beta1"\n'
                             "ensure CRDs are installed first\n")


def test_bad_ingresses_get_the_api_server_s_messages_and_change_nothing(kubesim):
    bad = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: kubia
spec:
  rules:
  - host: 1.2.3.4
    http:
      paths:
      - path: kubia
        pathType: Prefix
        backend:
          service:
            name: kubia
      - path: /a//b
        backend:
          service:
            name: kubia
            port:
              number: 80
"""
    result = kubesim("create", "-f", "-", stdin=bad)
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == (
        'The Ingress "kubia" is invalid: \n'
        '* spec.rules[0].host: Invalid value: "1.2.3.4": must be a DNS name, not an IP address\n'
        '* spec.rules[0].http.paths[0].path: Invalid value: "kubia": must be an absolute path\n'
        "* spec.rules[0].http.paths[0].backend: Required value: port name or number is required\n"
        "* spec.rules[0].http.paths[1].pathType: Required value: pathType must be specified\n")
    result = kubesim("create", "-f", "-", stdin=empty_ingress("networking.k8s.io/v1"))
    assert result.stderr == ('The Ingress "kubia" is invalid: spec: Invalid value: null: either `defaultBackend` '
                             "or `rules` must be specified\n")
    result = kubesim("get", "ing")
    assert (result.stdout, result.stderr) == ("", "No resources found in default namespace.\n")


# -- create secret -----------------------------------------------------------------------------------------
def book_certificate(directory: Path, name: str = "kubia.example.com") -> tuple[Path, Path]:
    """What `openssl genrsa -out tls.key 2048; openssl req -new -x509 -key tls.key -out tls.cert -days 360
    -subj /CN=kubia.example.com` makes: a self-signed CA certificate (OpenSSL's v3_ca defaults)."""
    from datetime import timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    start = datetime(2024, 7, 1, 9, 30, 5, tzinfo=UTC)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start)
            .not_valid_after(start + timedelta(days=360)).add_extension(ski, critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "tls.cert", directory / "tls.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.mark.parametrize(("args", "message"), [
    (["--cert=other/tls.cert", "--key=tls.key"], "error: tls: private key does not match public key\n"),
    (["--cert=notes.txt", "--key=tls.key"], "error: tls: failed to find any PEM data in certificate input\n"),
    (["--cert=tls.cert", "--key=notes.txt"], "error: tls: failed to find any PEM data in key input\n"),
    (["--cert=tls.key", "--key=tls.cert"], "error: tls: failed to find certificate PEM data in certificate input, "
                                           "but did find a private key; PEM inputs may have been switched\n"),
    (["--cert=tls.cert", "--key=tls.cert"], "error: tls: found a certificate rather than a key in the PEM for the "
                                            "private key\n"),
    (["--cert=missing.crt", "--key=tls.key"], "error: Cannot read file missing.crt, open missing.crt: no such file "
                                              "or directory\n"),
    (["--cert=tls.cert"], "error: key and cert must be specified\n"),
])
def test_create_secret_tls_refuses_what_kubectl_refuses_and_creates_nothing(kubesim, tmp_path, args, message):
    book_certificate(tmp_path)
    (tmp_path / "other").mkdir()
    book_certificate(tmp_path / "other")
    (tmp_path / "notes.txt").write_text("not a certificate\n")
    result = kubesim("create", "secret", "tls", "tls-secret", *args, cwd=tmp_path)
    assert (result.code, result.stdout, result.stderr) == (1, "", message)
    assert kubesim("get", "secrets").stderr == "No resources found in default namespace.\n"


def test_create_secret_tls_and_generic_print_what_kubectl_prints(kubesim, tmp_path):
    cert, key = book_certificate(tmp_path)
    out = kubesim.ok("create", "secret", "tls", "tls-secret", "--cert", "tls.cert", "--key", "tls.key",
                     "--dry-run=client", "-o", "json", cwd=tmp_path)
    import base64

    assert json.loads(out) == {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "tls-secret"},
                               "type": "kubernetes.io/tls",
                               "data": {"tls.crt": base64.b64encode(cert.read_bytes()).decode(),
                                        "tls.key": base64.b64encode(key.read_bytes()).decode()}}
    assert kubesim.ok("create", "secret", "tls", "tls-secret", "--cert=tls.cert", "--key=tls.key",
                      cwd=tmp_path) == "secret/tls-secret created\n"
    result = kubesim("create", "secret", "tls", "tls-secret", "--cert=tls.cert", "--key=tls.key", cwd=tmp_path)
    assert result.stderr == 'error: failed to create secret secrets "tls-secret" already exists\n'
    assert kubesim.ok("create", "secret", "generic", "creds", "--from-literal=user=kubia",
                      "--from-file=pw=tls.key", "--from-file=tls.cert", cwd=tmp_path) == "secret/creds created\n"
    assert kubesim.ok("get", "secrets") == ("NAME         TYPE                DATA   AGE\n"
                                            "creds        Opaque              3      0s\n"
                                            "tls-secret   kubernetes.io/tls   2      0s\n")
    for args, message in [
            (["generic", "x", "--from-literal=user"], "error: invalid literal source user, expected key=value\n"),
            (["generic", "x", "--from-literal=a=1", "--from-literal=a=2"],
             "error: cannot add key a, another key by that name already exists\n"),
            (["generic", "x", "--from-file=missing"], "error: error reading missing: no such file or directory\n"),
            (["tls", "x", "--cert=tls.cert", "--key=tls.key", "--from-literal=a=b"],
             "error: unknown flag: --from-literal\nSee 'kubesim create secret tls --help' for usage.\n"),
            (["generic"], "error: exactly one NAME is required, got 0\n"
                          "See 'kubesim create secret generic -h' for help and examples\n")]:
        result = kubesim("create", "secret", *args, cwd=tmp_path)
        assert (result.code, result.stderr) == (1, message), args


# -- TLS at the controller ---------------------------------------------------------------------------------
def test_https_with_the_book_s_certificate_fake_certificate_and_redirect(kubesim, tmp_path):
    book_ingress(kubesim)
    book_certificate(tmp_path)
    kubesim.ok("create", "secret", "tls", "tls-secret", "--cert=tls.cert", "--key=tls.key", cwd=tmp_path)
    kubesim.ok("apply", "-f", "kubia-ingress-tls.yaml", cwd=MANIFESTS)
    kubesim.ok("hosts", "add", ADDRESS, "kubia.example.com", "www.example.com")
    result = kubesim("curl", "-sS", "https://kubia.example.com/")
    assert (result.code, result.stdout, result.stderr) == (60, "", (
        "curl: (60) SSL certificate problem: self-signed certificate\n"
        "More details here: https://curl.se/docs/sslcerts.html\n\n"
        "curl failed to verify the legitimacy of the server and therefore could not\n"
        "establish a secure connection to it. To learn more about this situation and\n"
        "how to fix it, please visit the web page mentioned above.\n"))
    assert kubesim.ok("curl", "-sk", "https://kubia.example.com/").startswith("You've hit kubia-")
    verbose = kubesim("curl", "-skv", "https://kubia.example.com/").stderr
    assert "\n".join(line for line in verbose.splitlines() if line.startswith("*  ") and "Trying" not in line) == (
        "*  subject: CN=kubia.example.com\n"
        "*  start date: Jul  1 09:30:05 2024 GMT\n"
        "*  expire date: Jun 26 09:30:05 2025 GMT\n"
        "*  issuer: CN=kubia.example.com\n"
        "*  SSL certificate verify result: self-signed certificate (18), continuing anyway.\n"
        "*   Certificate level 0: Public key type RSA (2048/112 Bits/secBits), signed using sha256WithRSAEncryption")
    fake = kubesim("curl", "-skv", "https://www.example.com/").stderr
    assert [line for line in fake.splitlines() if line.startswith(("*  subject", "*  issuer", "< HTTP"))] == [
        "*  subject: O=Acme Co; CN=Kubernetes Ingress Controller Fake Certificate",
        "*  issuer: O=Acme Co; CN=Kubernetes Ingress Controller Fake Certificate", "< HTTP/2 404 "]
    assert kubesim.ok("curl", "-si", "http://kubia.example.com/kubia?x=1") == (
        f"HTTP/1.1 308 Permanent Redirect\r\nDate: {DATE}\r\nContent-Type: text/html\r\nContent-Length: 164\r\n"
        "Location: https://kubia.example.com/kubia?x=1\r\nConnection: keep-alive\r\n\r\n"
        + PAGE.format("308 Permanent Redirect"))
    assert kubesim.ok("curl", "-skL", "http://kubia.example.com/").startswith("You've hit kubia-")
    kubesim.ok("world", "add", "certs.example.com", "--body", (tmp_path / "tls.cert").read_text())
    kubesim.ok("curl", "-so", "ca.pem", "http://certs.example.com")  # the bundle, on your machine's kubesim disk
    trusted = kubesim("curl", "-sv", "--cacert", "ca.pem", "https://kubia.example.com/")
    assert trusted.code == 0 and trusted.stdout.startswith("You've hit kubia-")
    assert [line for line in trusted.stderr.splitlines() if "CA" in line or "verify" in line] == [
        "*  CAfile: ca.pem", "*  CApath: none", "* TLSv1.3 (IN), TLS handshake, CERT verify (15):",
        "*  SSL certificate verify ok."]
    assert kubesim.ok("curl", "-ski", "--http1.1", "https://kubia.example.com/").startswith(
        f"HTTP/1.1 200 OK\r\nDate: {DATE}\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\nYou've hit")


def test_get_pods_and_plain_http_through_the_controller_import_no_x509(kubesim):
    book_ingress(kubesim)
    kubesim.ok("create", "secret", "tls", "tls-secret", "--cert=tls.cert", "--key=tls.key", cwd=MANIFESTS)

    watched = ("cryptography", "yaml", "rich", "kubesim.net.ingress", "kubesim.runtime.ingress_nginx",
               "kubesim.net.tls")

    assert modules_loaded_by(kubesim.home, ["get", "pods", "-A"], watched) == "[]\n"
    http = ["curl", "-s", "-H", "Host: kubia.example.com", f"http://{ADDRESS}/"]
    assert modules_loaded_by(kubesim.home, http, watched) == "['kubesim.net.ingress', 'kubesim.runtime.ingress_nginx']\n"


# -- create secret against the real kubectl 1.36 ------------------------------------------------------------
SECRET_CASES = [
    ["tls", "tls-secret", "--cert=tls.cert", "--key=tls.key", "-o", "yaml"],
    ["tls", "tls-secret", "--cert", "tls.cert", "--key", "tls.key"],
    ["tls", "tls-secret", "--cert=other/tls.cert", "--key=tls.key"],
    ["tls", "tls-secret", "--cert=notes.txt", "--key=tls.key"],
    ["tls", "tls-secret", "--cert=tls.cert", "--key=notes.txt"],
    ["tls", "tls-secret", "--cert=tls.key", "--key=tls.cert"],
    ["tls", "tls-secret", "--cert=tls.cert", "--key=tls.cert"],
    ["tls", "tls-secret", "--cert=missing.crt", "--key=tls.key"],
    ["tls", "tls-secret", "--key=tls.key"],
    ["tls", "--cert=tls.cert", "--key=tls.key"],
    ["generic", "creds", "--from-literal=user=kubia", "--from-file=pw=tls.key", "--from-file=notes.txt", "-o", "json"],
    ["generic", "creds", "--from-literal=a", "-o", "name"],
    ["generic", "creds", "--from-literal=a=1", "--from-literal=a=2"],
    ["generic", "creds", "--from-literal=a/b=1"],
    ["generic", "creds", "--from-file=missing"],
    ["generic", "creds", "--type=kubernetes.io/tls", "--from-literal=tls.crt=x", "-o", "yaml"],
]


def test_create_secret_prints_what_the_real_kubectl_prints(kubesim, tmp_path):
    from tests.test_kubectl_differential import kubectl

    book_certificate(tmp_path)
    (tmp_path / "other").mkdir()
    book_certificate(tmp_path / "other")
    (tmp_path / "notes.txt").write_text("not a certificate\n")
    for case in SECRET_CASES:
        args = ["create", "secret", *case, "--dry-run=client"]
        real = subprocess.run([kubectl(), *args], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                              env={"KUBECONFIG": "/dev/null", "PATH": "/usr/bin:/bin"})
        ours = kubesim(*args, cwd=tmp_path)
        assert (ours.code, ours.stdout) == (real.returncode, real.stdout), case
        assert ours.stderr == real.stderr.replace("kubectl", "kubesim"), case


def test_a_backend_named_by_service_port_name_reaches_that_port_s_target(kubesim):
    kubesim.ok("addons", "enable", "ingress")
    kubesim.ok("create", "-f", "kubia-named-ports-pod.yaml", cwd=MANIFESTS)
    kubesim.ok("create", "-f", "kubia-svc-named-ports.yaml", cwd=MANIFESTS)
    manifest = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: named
spec:
  rules:
  - host: named.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: kubia-named
            port:
              name: {port}
"""
    kubesim.ok("create", "-f", "-", stdin=manifest.format(port="http"))
    out = kubesim.ok("curl", "-s", "-H", "Host: named.example.com", f"http://{ADDRESS}/")
    assert out == "You've hit kubia-named-ports\n"
    kubesim.ok("delete", "ing", "named")
    kubesim.ok("create", "-f", "-", stdin=manifest.format(port="grpc"))  # no such port on the Service
    assert kubesim.ok("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Host: named.example.com",
                      f"http://{ADDRESS}/") == "503"
