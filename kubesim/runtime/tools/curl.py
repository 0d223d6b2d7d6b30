"""curl, printing exactly what the curl version of the image prints.

Texts that changed between releases are chosen by the image's curl version (dataplane.md §2): the
``-v`` trace (``Rebuilt URL`` and ``Hostname was NOT found in DNS cache`` in 7.38, ``Trying ip:port``
from 7.5x, ``Host … was resolved`` from 8.5, no ``(#0)`` from 8.2, ``using HTTP/1.x`` from 8.12), the
connect-failure line (errno text up to 7.85, ``Couldn't connect to server`` 7.86–8.8, ``Could not …``
from 8.9) and the request header order (``User-Agent`` before ``Host`` in 7.38).

Time is simulated: a connection nobody answers fails at once with the message curl prints after its
timeout (``--connect-timeout``, ``-m``, or the kernel's SYN retries, ~130 s), and the progress meter
shows the seconds curl would have waited. The meter goes to stderr when not ``-s`` and the body does
not go to a terminal; header and trace lines keep their CRLF as curl passes them through.
"""

from __future__ import annotations

import base64
import posixpath
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin

from kubesim.net.network import ConnectionRefused, ConnectionTimeout, HostNotFound, HostUnreachable, is_ip
from kubesim.runtime.apps import Request, Response, respond, speaks_tls
from kubesim.runtime.process import Process

KERNEL_CONNECT_TIMEOUT_MS = 129976  # default tcp_syn_retries=6: the kernel gives up after ~130 s
RESOLVER_GIVE_UP_MS = 40003  # glibc: 5 s timeout x 2 attempts for each of the search-list names
TRANSFER_SECONDS = 0.001344  # how long a simulated in-cluster transfer takes (sets the meter's speeds)
TRY = "curl: try 'curl --help' or 'curl --manual' for more information\n"
HTTP_SCHEMES = {"http": 80, "https": 443}
# Protocols a real curl speaks that kubesim's curl does not simulate (say so instead of pretending).
OTHER_PROTOCOLS = ("dict", "ftp", "ftps", "gopher", "gophers", "imap", "imaps", "ldap", "ldaps", "mqtt", "pop3",
                   "pop3s", "rtmp", "rtsp", "scp", "sftp", "smb", "smbs", "smtp", "smtps", "telnet", "tftp", "ws",
                   "wss")

Version = tuple[int, int, int]


def parse_version(text: str | None) -> Version:
    parts = [int(p) for p in (text or "8.14.1").split(".")[:3] if p.isdigit()]
    while len(parts) < 3:
        parts.append(0)
    return parts[0], parts[1], parts[2]


# -- options -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Option:
    long: str
    short: str = ""
    takes: str = ""  # "" (a switch), "text", "number"
    since: Version = (0, 0, 0)
    simulated: bool = True


OPTIONS = (
    Option("silent", "s"), Option("show-error", "S"), Option("verbose", "v"), Option("include", "i"),
    Option("head", "I"), Option("output", "o", "text"), Option("remote-name", "O"), Option("header", "H", "text"),
    Option("request", "X", "text"), Option("data", "d", "text"), Option("data-ascii", "", "text"),
    Option("data-binary", "", "text"), Option("data-raw", "", "text", (7, 43, 0)),
    Option("data-urlencode", "", "text"), Option("get", "G"), Option("max-time", "m", "number"),
    Option("connect-timeout", "", "number"), Option("insecure", "k"), Option("location", "L"),
    Option("fail", "f"), Option("fail-with-body", "", "", (7, 76, 0)), Option("write-out", "w", "text"),
    Option("user-agent", "A", "text"), Option("user", "u", "text"), Option("referer", "e", "text"),
    Option("dump-header", "D", "text"), Option("ipv4", "4"), Option("ipv6", "6"), Option("version", "V"),
    Option("help", "h"), Option("disable", "q"), Option("no-buffer", "N"), Option("http1.0", "0"),
    Option("http1.1"), Option("max-redirs", "", "number"), Option("resolve", "", "text"),
    Option("cacert", "", "text"), Option("capath", "", "text"), Option("url", "", "text"),
    Option("no-progress-meter", "", "", (7, 67, 0)), Option("raw"), Option("no-keepalive"),
    Option("tcp-nodelay"), Option("noproxy", "", "text"), Option("manual", "M"),
    # Real curl options kubesim's curl does not simulate: refused with a clear message.
    Option("proxy", "x", "text", simulated=False), Option("retry", "", "text", simulated=False),
    Option("http2", "", "", simulated=False), Option("compressed", "", "", simulated=False),
    Option("cookie", "b", "text", simulated=False), Option("cookie-jar", "c", "text", simulated=False),
    Option("trace", "", "text", simulated=False), Option("trace-ascii", "", "text", simulated=False),
    Option("progress-bar", "#", "", simulated=False), Option("upload-file", "T", "text", simulated=False),
    Option("form", "F", "text", simulated=False), Option("cert", "E", "text", simulated=False),
    Option("key", "", "text", simulated=False), Option("interface", "", "text", simulated=False),
    Option("limit-rate", "", "text", simulated=False), Option("range", "r", "text", simulated=False),
    Option("continue-at", "C", "text", simulated=False), Option("config", "K", "text", simulated=False),
    Option("unix-socket", "", "text", simulated=False), Option("http3", "", "", simulated=False),
)
_BY_SHORT = {o.short: o for o in OPTIONS if o.short}
_BY_LONG = {o.long: o for o in OPTIONS}


class UsageProblem(Exception):
    """A command-line problem: curl prints it with the 'try --help' hint and exits 2."""


@dataclass
class Options:
    urls: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    outputs: list[str] = field(default_factory=list)
    remote_names: int = 0
    headers: list[str] = field(default_factory=list)
    data: list[tuple[str, str]] = field(default_factory=list)
    method: str | None = None
    max_time: float | None = None
    connect_timeout: float | None = None
    write_out: str | None = None
    user_agent: str | None = None
    user: str | None = None
    referer: str | None = None
    dump_header: str | None = None
    max_redirs: int = 50
    resolve: list[str] = field(default_factory=list)
    cacert: str | None = None

    def on(self, name: str) -> bool:
        return name in self.flags


def parse_options(args: list[str], version: Version) -> Options:
    options = Options()
    index = 0
    still_flags = True
    while index < len(args):
        word = args[index]
        index += 1
        if still_flags and word == "--":
            still_flags = False
            continue
        if still_flags and word.startswith("--") and len(word) > 2:
            name = word[2:]
            negated = False
            option = _long_option(name, version)
            if option is None and name.startswith("no-"):
                option = _long_option(name[3:], version)
                negated = option is not None and not option.takes
                if not negated:
                    option = None
            if option is None:
                raise UsageProblem(f"option {word}: is unknown")
            value = None
            if option.takes:
                if index >= len(args):
                    raise UsageProblem(f"option {word}: requires parameter")
                value = args[index]
                index += 1
            _apply(options, option, value, word, negated)
            continue
        if still_flags and word.startswith("-") and len(word) > 1:
            letters = word[1:]
            position = 0
            while position < len(letters):
                letter = letters[position]
                position += 1
                option = _BY_SHORT.get(letter)
                if option is None or option.since > version:
                    raise UsageProblem(f"option {word}: is unknown")
                value = None
                if option.takes:
                    value = letters[position:]
                    if not value:
                        if index >= len(args):
                            raise UsageProblem(f"option -{letter}: requires parameter")
                        value = args[index]
                        index += 1
                    position = len(letters)
                _apply(options, option, value, f"-{letter}", False)
            continue
        options.urls.append(word)
    return options


def _long_option(name: str, version: Version) -> Option | None:
    exact = _BY_LONG.get(name)
    if exact is not None:
        return exact if exact.since <= version else None
    matches = [o for o in OPTIONS if o.long.startswith(name) and o.since <= version]
    if len(matches) > 1:
        raise UsageProblem(f"option --{name}: is ambiguous")
    return matches[0] if matches else None


def _apply(options: Options, option: Option, value: str | None, spelled: str, negated: bool) -> None:
    if not option.simulated:
        raise UsageProblem(f"option {spelled}: is not supported by kubesim's simulated curl")
    name = option.long
    if option.takes == "number":
        assert value is not None
        try:
            number = float(value)
        except ValueError:
            raise UsageProblem(f"option {spelled}: expected a proper numerical parameter") from None
        if number < 0:
            raise UsageProblem(f"option {spelled}: expected a proper numerical parameter")
        if name == "max-time":
            options.max_time = number
        elif name == "connect-timeout":
            options.connect_timeout = number
        elif name == "max-redirs":
            options.max_redirs = int(number)
        return
    if not option.takes:
        if name == "remote-name":
            options.remote_names += 1
        elif negated:
            options.flags.discard(name)
        else:
            options.flags.add(name)
        return
    assert value is not None
    if name == "output":
        options.outputs.append(value)
    elif name == "header":
        options.headers.append(value)
    elif name == "request":
        options.method = value
    elif name in ("data", "data-ascii", "data-binary", "data-raw", "data-urlencode"):
        options.data.append((name, value))
    elif name == "write-out":
        options.write_out = value
    elif name == "user-agent":
        options.user_agent = value
    elif name == "user":
        options.user = value
    elif name == "referer":
        options.referer = value
    elif name == "dump-header":
        options.dump_header = value
    elif name == "resolve":
        options.resolve.append(value)
    elif name == "cacert":
        options.cacert = value
    elif name == "url":
        options.urls.append(value)


# -- URLs ----------------------------------------------------------------------------------------------
class Failure(Exception):
    """A transfer that ends with curl's error line ``curl: (code) message``."""

    def __init__(self, code: int, message: str, verbose: list[str] | None = None, waited: float = 0.0,
                 close: bool = True) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.verbose = verbose or []  # "* " lines printed before the closing line
        self.waited = waited  # seconds curl spent before giving up (progress-meter lines)
        self.close = close


@dataclass
class Url:
    scheme: str
    host: str
    port: int
    target: str  # path and query
    text: str  # the URL as curl shows it (effective URL)
    rebuilt: str  # what 7.38 reports as "Rebuilt URL to:" when it had to add the "/" ("" if not)

    @property
    def default_port(self) -> bool:
        return self.port == HTTP_SCHEMES.get(self.scheme)

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.default_port else f"{host}:{self.port}"


def parse_url(text: str, version: Version) -> Url:
    original = text
    if "://" in text:
        scheme, rest = text.split("://", 1)
        scheme = scheme.lower()
    else:
        scheme, rest = "http", text
        text = "http://" + text
    if scheme not in HTTP_SCHEMES and scheme != "file":
        if scheme in OTHER_PROTOCOLS:
            raise Failure(1, f'Protocol "{scheme}" is not simulated by kubesim\'s curl')
        if version < (8, 0, 0):
            raise Failure(1, f'Protocol "{scheme}" not supported or disabled in libcurl')
        raise Failure(1, f'Protocol "{scheme}" not supported')
    authority, slash, path = rest.partition("/")
    authority = authority.split("#", 1)[0]
    path = (slash + path).split("#", 1)[0]
    query_start = authority.find("?")
    if query_start >= 0:
        path = "/" + authority[query_start:] + path
        authority = authority[:query_start]
    if "@" in authority:
        authority = authority.rsplit("@", 1)[1]
    host, port_text = authority, ""
    if authority.startswith("["):
        close = authority.find("]")
        if close < 0:
            raise Failure(3, _malformed(version, "Bad IPv6 address"))
        host, port_text = authority[1:close], authority[close + 1:].lstrip(":")
    elif ":" in authority:
        host, port_text = authority.rsplit(":", 1)
    if scheme == "file":
        return Url("file", "", 0, path or "/", f"file://{authority}{path or '/'}", "")
    if not host:
        raise Failure(3, _malformed(version, "No host part in the URL"))
    if port_text and (not port_text.isdigit() or not 0 < int(port_text) < 65536):
        raise Failure(3, _malformed(version, "Port number was not a decimal number between 0 and 65535"))
    port = int(port_text) if port_text else HTTP_SCHEMES[scheme]
    rebuilt = not path
    target = path or "/"
    if target.startswith("?"):
        target = "/" + target
    shown_port = f":{port_text}" if port_text else ""
    shown_host = f"[{host}]" if ":" in host else host
    effective = f"{scheme}://{shown_host}{shown_port}{target}"
    return Url(scheme, host.lower(), port, target, effective, original + "/" if rebuilt else "")


def _malformed(version: Version, reason: str) -> str:
    if version < (7, 62, 0):
        return "<url> malformed"
    if version < (8, 0, 0):
        return "URL using bad/illegal format or missing URL"
    return f"URL rejected: {reason}"


# -- the progress meter ----------------------------------------------------------------------------------
def _size5(value: int) -> str:
    """curl's max5data: a size or speed in five characters."""
    if value < 100000:
        return f"{value:5d}"
    if value < 10000 * 1024:
        return f"{value // 1024:4d}k"
    if value < 100 * 1024 * 1024:
        return f"{value // (1024 * 1024):2d}.{(value % (1024 * 1024)) // (1024 * 1024 // 10)}M"
    return f"{value // (1024 * 1024):4d}M"


def _clock(seconds: int) -> str:
    if seconds <= 0:
        return "--:--:--"
    hours, rest = divmod(seconds, 3600)
    return f"{hours:2d}:{rest // 60:02d}:{rest % 60:02d}"


METER_HEADER = ("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
                "                                 Dload  Upload   Total   Spent    Left  Speed\n")


def meter_line(expected: int, received: int, size_known: bool, spent: int = 0, speed: int = 0,
               current: int = 0) -> str:
    total_percent = received * 100 // expected if expected else 0
    received_percent = received * 100 // expected if size_known and expected else 0
    return (f"\r{total_percent:3d} {_size5(expected)}  {received_percent:3d} {_size5(received)}  "
            f"{0:3d} {_size5(0)}  {_size5(speed)}  {_size5(0)} {_clock(0)} {_clock(spent)} {_clock(0)} "
            f"{_size5(current)}")


# -- one run of curl -------------------------------------------------------------------------------------
def run(proc: Process) -> int:
    version = parse_version(getattr(proc.image, "curl_version", None))
    try:
        options = parse_options(proc.argv[1:], version)
    except UsageProblem as problem:
        proc.err(f"curl: {problem}\n{TRY}")
        return 2
    if options.on("version"):
        proc.out(getattr(proc.image, "curl_version_text", "") or f"curl {'.'.join(map(str, version))}\n")
        return 0
    if options.on("help") or options.on("manual"):
        proc.out(_help(version))
        return 0
    if not options.urls:
        proc.err(("curl: no URL specified!\n" if version < (8, 0, 0) else "curl: no URL specified\n") + TRY)
        return 2
    if options.on("head") and options.data:
        proc.err("Warning: You can only select one HTTP request method! You asked for both POST \n"
                 "Warning: (-d, --data) and HEAD (-I, --head).\n")
        return 2
    curl = Curl(proc, options, version)
    for host, port in curl.resolved:
        curl.info(f"Added {host}:{port}:{','.join(curl.resolved[(host, port)])} to DNS cache")
    code = 0
    for index, url in enumerate(options.urls):
        code = curl.transfer(url, index)
    return code


@dataclass
class Outcome:
    response: Response | None = None
    url: Url | None = None
    remote: tuple[str, int] = ("", 0)
    local_port: int = 0
    redirects: int = 0
    downloaded: int = 0
    header_size: int = 0
    request_size: int = 0
    uploaded: int = 0


class Curl:
    def __init__(self, proc: Process, options: Options, version: Version) -> None:
        self.proc = proc
        self.options = options
        self.version = version
        self.verbose = options.on("verbose")
        self.show_errors = not options.on("silent") or options.on("show-error")
        self.resolved: dict[tuple[str, int], list[str]] = {}
        for entry in options.resolve:
            parts = entry.split(":", 2)
            if len(parts) == 3 and parts[1].isdigit():
                self.resolved[(parts[0].lower(), int(parts[1]))] = parts[2].split(",")
        self.connection = 0
        self.buffer: bytearray | None = None
        self.current = Outcome()  # the transfer so far, for --write-out after a failure
        self.http2 = False  # the TLS handshake agreed on h2 (ALPN)
        self.pending_connected: tuple | None = None  # curl 8 says "Connected" once TLS is up

    # -- output helpers ---------------------------------------------------------------------------------
    def info(self, text: str) -> None:
        if self.verbose:
            self.proc.err(f"* {text}\n")

    def closing_line(self, number: int, why: str) -> str:
        """The trace line for a connection curl drops: ``why`` is "failure", "resolve" or "closed"."""
        if self.version < (8, 2, 0):
            return f"Closing connection {number}"
        if self.version < (8, 10, 0):
            return "Closing connection"
        if why == "failure":
            return f"closing connection #{number}"
        return f"shutting down connection #{number}"

    def meter_wanted(self, to_file: bool) -> bool:
        if self.options.on("silent") or self.options.on("no-progress-meter"):
            return False
        return to_file or not self.proc.stdout_is_tty

    # -- a transfer -------------------------------------------------------------------------------------
    def transfer(self, text: str, index: int) -> int:
        output = self.options.outputs[index] if index < len(self.options.outputs) else None
        remote_name = index < self.options.remote_names
        meter = self.meter_wanted(output is not None or remote_name)
        if self.verbose and self.options.method == "POST" and self.options.data and self.version >= (7, 47, 0):
            self.proc.err("Note: Unnecessary use of -X or --request, POST is already inferred.\n")
        outcome = self.current = Outcome()
        try:
            url = parse_url(text, self.version)
        except Failure as failure:
            return self._fail(failure, False, outcome)
        if remote_name and output is None:
            output = posixpath.basename(url.target.split("?", 1)[0])
            if not output:
                return self._fail(Failure(23, "Remote file name has no length!"), False, outcome)
        # Output for the terminal is written as it arrives (between trace lines, as curl does);
        # output for a file is collected and written when the transfer ends.
        self.buffer = None if output in (None, "-", "/dev/stdout") else bytearray()
        if meter:
            self.proc.err(METER_HEADER + meter_line(0, 0, False))
        try:
            outcome = self._fetch(url)
            if self.buffer is not None and output is not None:
                self._write_to(output, bytes(self.buffer), for_body=True)
            if self.options.dump_header is not None and outcome.response is not None:
                self._write_to(self.options.dump_header, outcome.response.head_bytes())
        except Failure as failure:
            return self._fail(failure, meter, self.current)
        if meter:
            size = outcome.downloaded
            expected = _expected_size(outcome.response, size)
            speed = int(size / TRANSFER_SECONDS)
            self.proc.err(meter_line(expected, size, _size_known(outcome.response), speed=speed,
                                     current=size * 1000 if size else 0) + "\n")
        if outcome.response is not None and outcome.url is not None:
            host = outcome.url.host if self.version < (8, 18, 0) else f"{outcome.url.host}:{outcome.url.port}"
            if outcome.response.closes:
                self.info(self.closing_line(self.connection, "closed"))
            else:
                self.info(f"Connection #{self.connection} to host {host} left intact")
        self.connection += 1
        self._write_out(outcome, 0)
        return 0

    def _fail(self, failure: Failure, meter: bool, outcome: Outcome) -> int:
        for line in failure.verbose:
            self.info(line)
        if meter:
            for second in range(1, int(failure.waited) + 1):
                self.proc.err(meter_line(0, 0, False, spent=second))
            self.proc.err("\n")
        if failure.close and failure.code not in (1, 2, 3, 23):
            self.info(self.closing_line(self.connection, "resolve" if failure.code == 6 else "failure"))
        self.connection += 1
        self._write_out(outcome, failure.code, failure.message, failure.waited)
        if self.show_errors:
            self.proc.err(f"curl: ({failure.code}) {failure.message}\n")
        return failure.code

    def _emit(self, data: bytes) -> None:
        if self.buffer is None:
            self.proc.out(data.decode("utf-8", "replace"))
        else:
            self.buffer.extend(data)

    def _write_to(self, target: str, data: bytes, for_body: bool = False) -> None:
        if target in ("-", "/dev/stdout"):
            self.proc.out(data.decode("utf-8", "replace"))
            return
        if target == "/dev/stderr":
            self.proc.err(data.decode("utf-8", "replace"))
            return
        if target == "/dev/null":
            return
        path = posixpath.normpath(posixpath.join(self.proc.cwd or "/", target))
        try:
            self.proc.fs.write(path, data)
        except OSError as error:
            if not for_body:
                return
            reason = error.strerror or "No such file or directory"
            if self.version < (7, 60, 0):
                raise Failure(23, f"Failed writing body (0 != {len(data)})") from None
            self.proc.err(f"Warning: Failed to open the file {target}: {reason}\n")
            if self.version < (8, 0, 0):
                raise Failure(23, "Failure writing output to destination") from None
            raise Failure(23, f"client returned ERROR on write of {len(data)} bytes") from None

    # -- fetching, with redirects -------------------------------------------------------------------------
    def _fetch(self, url: Url) -> Outcome:
        if url.scheme == "file":
            return self._file(url)
        method, body = self._method_and_body(url)
        outcome = Outcome()
        redirects = 0
        while True:
            response, remote, local_port, request_size = self._exchange(url, method, body)
            outcome = Outcome(response, url, remote, local_port, redirects, outcome.downloaded,
                              outcome.header_size + len(response.head_bytes()), outcome.request_size + request_size,
                              len(body or b""))
            self.current = outcome
            location = response.header("Location")
            follow = self.options.on("location") and bool(location) and response.status in (301, 302, 303, 307, 308)
            want_body = not follow and method != "HEAD" and not self.options.on("head")
            self._receive(response, want_body)
            if follow:
                if redirects >= self.options.max_redirs:
                    raise Failure(47, f"Maximum ({self.options.max_redirs}) redirects followed")
                redirects += 1
                new_text = urljoin(url.text, location or "")
                self.info(f"Issue another request to this URL: '{new_text}'")
                if response.status in (301, 302, 303) and method == "POST" and self.options.method is None:
                    method, body = "GET", None
                url = parse_url(new_text, self.version)
                continue
            if want_body:
                outcome.downloaded += len(response.body)
            return outcome

    def _receive(self, response: Response, want_body: bool) -> None:
        """The response as curl meets it: each header traced then (with -i) written, then the body."""
        failing = self._fails(response)
        if self.verbose:
            if response.version == "HTTP/1.0":
                self.info("HTTP 1.0, assume close after body")
            if (7, 60, 0) <= self.version < (7, 87, 0):
                self.info("Mark bundle as not supporting multiuse")
        if failing and self.version < (7, 76, 0):
            raise Failure(22, self._http_error(response), [self._http_error(response)])
        include = (self.options.on("include") or self.options.on("head")) and not failing
        lines = [response.status_line] + [f"{name}: {value}" for name, value in response.headers] + [""]
        for position, line in enumerate(lines):
            if self.verbose:
                if 0 < position < len(lines) - 1 and self.version < (7, 50, 0):
                    name, _, value = line.partition(": ")
                    if name.lower() == "server":
                        self.info(f"Server {value} is not blacklisted")
                self.proc.err(f"< {line}\r\n")
            if include:
                self._emit(f"{line}\r\n".encode("latin-1"))
        if failing:
            raise Failure(22, self._http_error(response), [self._http_error(response)])
        if want_body and response.body:
            if self.verbose and not self.proc.stdout_is_tty:
                shown = "[data not shown]" if self.version < (7, 43, 0) else f"[{response.wire_body_size()} bytes data]"
                self.proc.err(f"{{ {shown}\n")
            self._emit(response.body)

    def _method_and_body(self, url: Url) -> tuple[str, bytes | None]:
        body = self._request_body()
        if self.options.on("get") and body is not None:
            separator = "&" if "?" in url.target else "?"
            url.target = url.target + separator + body.decode("utf-8", "replace")
            body = None
        if self.options.method:
            return self.options.method, body
        if self.options.on("head"):
            return "HEAD", None
        return ("POST" if body is not None else "GET"), body

    def _request_body(self) -> bytes | None:
        if not self.options.data:
            return None
        pieces = []
        for kind, value in self.options.data:
            if kind == "data-urlencode":
                name, equals, content = value.partition("=")
                pieces.append((f"{name}=" if equals else "") + quote(content if equals else value, safe=""))
                continue
            if kind != "data-raw" and value.startswith("@"):
                source = value[1:]
                if source == "-":
                    raw = self.proc.stdin.encode()
                else:
                    try:
                        raw = self.proc.fs.read(posixpath.normpath(posixpath.join(self.proc.cwd or "/", source)))
                    except OSError:
                        self.proc.err(f"Warning: Couldn't read data from file \"{source}\", this makes an empty "
                                      "POST.\n")
                        raw = b""
                text = raw.decode("utf-8", "replace")
                if kind != "data-binary":
                    text = text.replace("\r", "").replace("\n", "")
                pieces.append(text)
            else:
                pieces.append(value)
        return "&".join(pieces).encode()

    def _fails(self, response: Response) -> bool:
        return self.options.on("fail") and not self.options.on("fail-with-body") and response.status >= 400

    def _http_error(self, response: Response) -> str:
        if self.version < (7, 76, 0):
            return f"The requested URL returned error: {response.status} {response.reason}".rstrip()
        return f"The requested URL returned error: {response.status}"

    def _file(self, url: Url) -> Outcome:
        path = url.target.split("?", 1)[0]
        try:
            data = self.proc.fs.read(path)
        except (FileNotFoundError, NotADirectoryError):
            raise Failure(37, f"Couldn't open file {path}") from None
        except (IsADirectoryError, PermissionError):
            raise Failure(37, f"Couldn't open file {path}") from None
        self._emit(data)
        return Outcome(None, url, downloaded=len(data))

    # -- one request/response on one connection ---------------------------------------------------------------
    def _exchange(self, url: Url, method: str, body: bytes | None) -> tuple[Response, tuple[str, int], int, int]:
        number = self.connection
        if url.rebuilt and self.version < (7, 50, 0):
            self.info(f"Rebuilt URL to: {url.rebuilt}")
        addresses = self._resolve(url)
        self.http2 = False
        destination, ip, local_port = self._connect(url, addresses, number)
        if url.scheme == "https":
            self._handshake(url, destination, ip)
        request = self._request(url, method, body)
        if self.http2:
            request.version = "HTTP/2"
            self._trace_http2_stream(url, request)
        elif self.version >= (8, 12, 0):
            self.info("using HTTP/1.x")
        request_bytes = self._trace_request(request)
        if self.http2 and self.verbose:
            for _ in range(2):  # TLS 1.3 session tickets arrive once the request is off
                self.info("TLSv1.3 (IN), TLS handshake, Newsession Ticket (4):")
        response = respond(self.proc.api, destination, request)
        if response.empty_reply:
            raise Failure(52, "Empty reply from server", ["Empty reply from server"])
        return response, (ip, url.port), local_port, request_bytes

    def _resolve(self, url: Url) -> list[str]:
        host = url.host
        pinned = self.resolved.get((host, url.port))
        if self.version < (7, 50, 0):
            self.info("Hostname was found in DNS cache" if pinned else "Hostname was NOT found in DNS cache")
        if pinned:
            return pinned
        if self.options.on("ipv6") and not is_ip(host.strip("[]")):
            raise Failure(6, f"Could not resolve host: {host}", [f"Could not resolve host: {host}"])
        try:
            addresses = self.proc.network.resolve(host)
        except HostNotFound:
            raise Failure(6, f"Could not resolve host: {host}", [f"Could not resolve host: {host}"]) from None
        except ConnectionTimeout:
            limit = self.options.max_time
            if limit is not None and limit * 1000 < RESOLVER_GIVE_UP_MS:
                ms = int(limit * 1000) + 3
                message = f"Resolving timed out after {ms} milliseconds"
                raise Failure(28, message, [message], waited=limit) from None
            raise Failure(6, f"Could not resolve host: {host}", [f"Could not resolve host: {host}"],
                          waited=RESOLVER_GIVE_UP_MS / 1000) from None
        if self.version >= (8, 5, 0) and not is_ip(host.strip("[]")):
            self.info(f"Host {host}:{url.port} was resolved.")
            self.info("IPv6: (none)")
            self.info("IPv4: " + ", ".join(addresses))
        return addresses

    def _connect(self, url: Url, addresses: list[str], number: int):
        client_ip = getattr(self.proc.network, "client_ip", "") or "0.0.0.0"
        last_reason = "refused"
        for ip in addresses:
            local_port = self.proc.api.random.randint(32768, 60999)
            local_ip = "127.0.0.1" if ip.startswith("127.") else client_ip
            if self.version < (7, 50, 0):
                self.info(f"  Trying {ip}...")
            else:
                self.info(f"  Trying {ip}:{url.port}...")
            try:
                destination = self.proc.network.connect(ip, url.port, "TCP")
            except ConnectionRefused:
                self.info(self._connect_failed(ip, url.port, local_ip, local_port, "Connection refused"))
                last_reason = "refused"
                continue
            except HostUnreachable:
                self.info(self._connect_failed(ip, url.port, local_ip, local_port, "No route to host"))
                last_reason = "unreachable"
                continue
            except ConnectionTimeout:
                kernel_line = self._connect_failed(ip, url.port, local_ip, local_port, "Connection timed out")
                raise self._timed_out(url, kernel_line) from None
            if (7, 51, 0) <= self.version < (7, 69, 0):
                self.info("TCP_NODELAY set")
            if url.scheme == "https" and self._traces_tls(destination):
                self.pending_connected = (url, ip, number, local_ip, local_port)
                return destination, ip, local_port
            self._connected(url, ip, number, local_ip, local_port)
            return destination, ip, local_port
        errno_text = "Connection refused" if last_reason == "refused" else "No route to host"
        message = self._connect_message(url, 0, errno_text)
        raise Failure(7, message, [message])

    def _connected(self, url: Url, ip: str, number: int, local_ip: str, local_port: int) -> None:
        if self.version < (8, 2, 0):
            self.info(f"Connected to {url.host} ({ip}) port {url.port} (#{number})")
        elif self.version < (8, 16, 0):
            self.info(f"Connected to {url.host} ({ip}) port {url.port}")
        else:
            self.info(f"Established connection to {url.host} ({ip} port {url.port}) from {local_ip} port "
                      f"{local_port} ")

    def _connect_failed(self, ip: str, port: int, local_ip: str, local_port: int, reason: str) -> str:
        if self.version >= (8, 3, 0):
            return f"connect to {ip} port {port} from {local_ip} port {local_port} failed: {reason}"
        return f"connect to {ip} port {port} failed: {reason}"

    def _connect_message(self, url: Url, ms: int, errno_text: str) -> str:
        where = f"{url.host}:{url.port}" if self.version >= (8, 21, 0) else f"{url.host} port {url.port}"
        if self.version < (7, 78, 0):
            return f"Failed to connect to {url.host} port {url.port}: {errno_text}"
        if self.version < (7, 86, 0):
            return f"Failed to connect to {where} after {ms} ms: {errno_text}"
        text = "Couldn't connect to server" if self.version < (8, 9, 0) else "Could not connect to server"
        return f"Failed to connect to {where} after {ms} ms: {text}"

    def _timed_out(self, url: Url, kernel_line: str) -> Failure:
        """A SYN nobody answers: whichever of curl's timeouts or the kernel's gives up first.

        When the kernel gives up, the socket reports ETIMEDOUT and curl traces it (``kernel_line``).
        """
        limits = [(t, kind) for t, kind in ((self.options.connect_timeout, "connect"), (self.options.max_time, "max"))
                  if t is not None and t > 0 and t * 1000 < KERNEL_CONNECT_TIMEOUT_MS]
        if not limits:
            ms = KERNEL_CONNECT_TIMEOUT_MS
            message = self._connect_message(url, ms, "Connection timed out")
            code = 7 if self.version < (7, 78, 0) else 28
            return Failure(code, message, [kernel_line, message], waited=ms / 1000)
        seconds, kind = min(limits, key=lambda item: (item[0], item[1] != "connect"))
        ms = int(seconds * 1000) + 1
        if kind == "connect" and self.version >= (7, 78, 0):
            where = f"{url.host}:{url.port}" if self.version >= (8, 21, 0) else f"{url.host} port {url.port}"
            message = f"Failed to connect to {where} after {ms} ms: Timeout was reached"
        else:
            message = f"Connection timed out after {ms} milliseconds"
        return Failure(28, message, [message], waited=seconds)

    def _traces_tls(self, destination) -> bool:
        """Whether this curl prints a handshake for the server: a real certificate, curl 8 with OpenSSL 3."""
        if self.version < (8, 0, 0):
            return False
        certificate = speaks_tls(destination, self.proc.api, "")
        return certificate is not None and certificate.details is not None

    def _handshake(self, url: Url, destination, ip: str = "") -> None:
        certificate = speaks_tls(destination, self.proc.api, url.host)
        if certificate is not None and certificate.details is not None and self.version >= (8, 0, 0):
            self._handshake_traced(url, certificate)
            return
        if certificate is None:
            if self.version < (7, 50, 0):
                message = f"Unknown SSL protocol error in connection to {url.host}:{url.port} "
            else:
                message = "error:0A00010B:SSL routines::wrong version number"
            raise Failure(35, message, [message])
        if self.options.on("insecure"):
            return
        if self.options.cacert:
            try:
                bundle = self.proc.fs.read(posixpath.normpath(posixpath.join(self.proc.cwd or "/",
                                                                             self.options.cacert)))
            except OSError:
                raise Failure(77, f"error setting certificate verify locations:  CAfile: {self.options.cacert} "
                                  "CApath: none") from None
            if certificate.trusted_by.strip() and bundle.strip() == certificate.trusted_by.strip():
                return
        raise Failure(60, self._certificate_problem(), ["SSL certificate problem: unable to get local issuer "
                                                        "certificate"])

    def _handshake_traced(self, url: Url, certificate) -> None:
        """A TLS 1.3 handshake with OpenSSL 3 as curl 8 traces it, then verification (or -k's pass)."""
        info = certificate.details
        offers_h2 = "HTTP2" in (getattr(self.proc.image, "curl_version_text", "") or "") and \
            not self.options.on("http1.1") and not self.options.on("http1.0")
        self.info("ALPN: curl offers h2,http/1.1" if offers_h2 else "ALPN: curl offers http/1.1")
        self.info("TLSv1.3 (OUT), TLS handshake, Client hello (1):")
        if not self.options.on("insecure"):
            bundle = self.options.cacert or self.proc.env.get("CURL_CA_BUNDLE")
            debian = getattr(self.proc.image, "os_id", "") in ("debian", "ubuntu")
            self.info(f" CAfile: {bundle or '/etc/ssl/certs/ca-certificates.crt'}")
            self.info(f" CApath: {'/etc/ssl/certs' if debian and not bundle else 'none'}")
        self.info("TLSv1.3 (IN), TLS handshake, Server hello (2):")
        self.info("TLSv1.3 (IN), TLS change cipher, Change cipher spec (1):")
        self.info("TLSv1.3 (IN), TLS handshake, Encrypted Extensions (8):")
        self.info("TLSv1.3 (IN), TLS handshake, Certificate (11):")
        trusted = False
        if self.options.cacert and not self.options.on("insecure"):
            try:
                file = self.proc.fs.read(posixpath.normpath(posixpath.join(self.proc.cwd or "/", self.options.cacert)))
            except OSError:
                raise Failure(77, f"error setting certificate verify locations:  CAfile: {self.options.cacert} "
                                  "CApath: none") from None
            trusted = bool(certificate.trusted_by.strip()) and certificate.trusted_by.strip() in file
        problem = "self-signed certificate" if info.self_signed else "unable to get local issuer certificate"
        code = 18 if info.self_signed else 20
        if not trusted and not self.options.on("insecure"):
            alert = "TLSv1.3 (OUT), TLS alert, unknown CA (560):"
            raise Failure(60, self._certificate_problem(problem), [alert, f"SSL certificate problem: {problem}"])
        from kubesim.net.tls import curl_date

        self.info("TLSv1.3 (IN), TLS handshake, CERT verify (15):")
        self.info("TLSv1.3 (IN), TLS handshake, Finished (20):")
        self.info("TLSv1.3 (OUT), TLS change cipher, Change cipher spec (1):")
        self.info("TLSv1.3 (OUT), TLS handshake, Finished (20):")
        self.info("SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384 / x25519 / RSASSA-PSS")
        self.http2 = offers_h2 and certificate.alpn == "h2"
        self.info(f"ALPN: server accepted {'h2' if self.http2 else 'http/1.1'}")
        self.info("Server certificate:")
        self.info(f" subject: {info.subject}")
        self.info(f" start date: {curl_date(info.not_before)}")
        self.info(f" expire date: {curl_date(info.not_after)}")
        self.info(f" issuer: {info.issuer}")
        if trusted:
            self.info(" SSL certificate verify ok.")
        else:
            self.info(f" SSL certificate verify result: {problem} ({code}), continuing anyway.")
        self.info(f"  Certificate level 0: Public key type {info.public_key}, signed using {info.signature}")
        pending = getattr(self, "pending_connected", None)
        if pending is not None:
            self._connected(*pending)
            self.pending_connected = None

    def _trace_http2_stream(self, url: Url, request: Request) -> None:
        if not self.verbose:
            return
        self.info("using HTTP/2")
        self.info(f"[HTTP/2] [1] OPENED stream for {url.text}")
        authority = request.header("Host") or url.host_header
        pseudo = [(":method", request.method), (":scheme", "https"), (":authority", authority),
                  (":path", request.target)]
        pseudo += [(name.lower(), value) for name, value in request.headers if name.lower() != "host"]
        for name, value in pseudo:
            self.info(f"[HTTP/2] [1] [{name}: {value}]")

    def _certificate_problem(self, problem: str = "unable to get local issuer certificate") -> str:
        if self.version < (7, 60, 0):
            return ("SSL certificate problem: unable to get local issuer certificate\n"
                    "More details here: http://curl.haxx.se/docs/sslcerts.html\n\n"
                    "curl performs SSL certificate verification by default, using a \"bundle\"\n"
                    " of Certificate Authority (CA) public keys (CA certs). If the default\n"
                    " bundle file isn't adequate, you can specify an alternate file\n"
                    " using the --cacert option.\n"
                    "If this HTTPS server uses a certificate signed by a CA represented in\n"
                    " the bundle, the certificate verification probably failed due to a\n"
                    " problem with the certificate (it might be expired, or the name might\n"
                    " not match the domain name in the URL).\n"
                    "If you'd like to turn off curl's verification of the certificate, use\n"
                    " the -k (or --insecure) option.")
        return (f"SSL certificate problem: {problem}\n"
                "More details here: https://curl.se/docs/sslcerts.html\n\n"
                "curl failed to verify the legitimacy of the server and therefore could not\n"
                "establish a secure connection to it. To learn more about this situation and\n"
                "how to fix it, please visit the web page mentioned above.")

    # -- the request and response on the wire ---------------------------------------------------------------
    def _request(self, url: Url, method: str, body: bytes | None) -> Request:
        custom: list[tuple[str, str]] = []
        removed: set[str] = set()
        for line in self.options.headers:
            name, colon, value = line.partition(":")
            if colon:
                if value.strip():
                    custom.append((name.strip(), value.strip()))
                else:
                    removed.add(name.strip().lower())
            elif line.endswith(";"):
                custom.append((line[:-1].strip(), ""))
        custom_names = {name.lower() for name, _ in custom} | removed
        agent = self.options.user_agent if self.options.user_agent is not None else \
            f"curl/{'.'.join(map(str, self.version))}"
        host_value = next((v for n, v in custom if n.lower() == "host"), url.host_header)
        defaults: list[tuple[str, str]] = []
        authorization = None
        if self.options.user is not None:
            authorization = ("Authorization", "Basic " + base64.b64encode(self.options.user.encode()).decode())
        if self.version < (7, 45, 0):
            if authorization:
                defaults.append(authorization)
            if agent:
                defaults.append(("User-Agent", agent))
            defaults.append(("Host", host_value))
        else:
            defaults.append(("Host", host_value))
            if authorization:
                defaults.append(authorization)
            if agent:
                defaults.append(("User-Agent", agent))
        defaults.append(("Accept", "*/*"))
        if self.options.referer:
            defaults.append(("Referer", self.options.referer))
        headers = [(n, v) for n, v in defaults if n.lower() not in custom_names or n == "Host"]
        headers += [(n, v) for n, v in custom if n.lower() != "host"]
        if body is not None:
            if "content-length" not in custom_names:
                headers.append(("Content-Length", str(len(body))))
            if "content-type" not in custom_names:
                headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        version = "HTTP/1.0" if self.options.on("http1.0") else "HTTP/1.1"
        client = getattr(self.proc.network, "client_ip", "")
        return Request(method, url.target, headers, body or b"", version, url.scheme, client)

    def _trace_request(self, request: Request) -> int:
        head = f"{request.method} {request.target} {request.version}\r\n" + "".join(
            f"{name}: {value}\r\n" for name, value in request.headers) + "\r\n"
        if self.verbose:
            for line in head.split("\r\n")[:-1]:
                self.proc.err(f"> {line}\r\n")
            if request.body:
                if not self.proc.stdout_is_tty:
                    shown = "[data not shown]" if self.version < (7, 43, 0) else f"[{len(request.body)} bytes data]"
                    self.proc.err(f"}} {shown}\n")
                if self.version < (8, 0, 0):
                    self.info(f"upload completely sent off: {len(request.body)} out of {len(request.body)} bytes")
                else:
                    self.info(f"upload completely sent off: {len(request.body)} bytes")
            elif self.version >= (8, 7, 0):
                self.info("Request completely sent off")
        return len(head.encode()) + len(request.body)

    # -- --write-out -----------------------------------------------------------------------------------------
    def _write_out(self, outcome: Outcome, code: int, message: str = "", waited: float = 0.0) -> None:
        template = self.options.write_out
        if template is None:
            return
        if template.startswith("@"):
            source = template[1:]
            try:
                template = self.proc.stdin if source == "-" else self.proc.fs.read(
                    posixpath.normpath(posixpath.join(self.proc.cwd or "/", source))).decode("utf-8", "replace")
            except OSError:
                return
        response = outcome.response
        url = outcome.url
        connected = outcome.remote[0] != ""
        values = {
            "http_code": f"{response.status:03d}" if response else "000",
            "response_code": f"{response.status:03d}" if response else "000",
            "http_version": {"HTTP/1.1": "1.1", "HTTP/2": "2"}.get(response.version, "1") if response else "0",
            "size_download": str(outcome.downloaded), "size_header": str(outcome.header_size),
            "size_request": str(outcome.request_size), "size_upload": str(outcome.uploaded),
            "time_namelookup": "0.000021" if url and not is_ip(url.host.strip("[]")) else "0.000016",
            "time_connect": "0.000190" if connected else "0.000000",
            "time_appconnect": "0.000000", "time_pretransfer": "0.000201" if connected else "0.000000",
            "time_starttransfer": "0.001214" if response else "0.000000",
            "time_redirect": "0.000000", "time_total": f"{max(waited, TRANSFER_SECONDS):.6f}",
            "speed_download": str(int(outcome.downloaded / TRANSFER_SECONDS)) if outcome.downloaded else "0",
            "speed_upload": "0", "remote_ip": outcome.remote[0], "remote_port": str(outcome.remote[1] or ""),
            "local_ip": getattr(self.proc.network, "client_ip", "") if connected else "",
            "local_port": str(outcome.local_port or ""),
            "url_effective": url.text if url else "", "url": url.text if url else "",
            "content_type": (response.header("Content-Type") or "") if response else "",
            "num_redirects": str(outcome.redirects), "num_connects": "1" if connected else "0",
            "redirect_url": "", "scheme": (url.scheme.upper() if url else ""), "method": "",
            "exitcode": str(code), "errormsg": message, "ssl_verify_result": "0", "filename_effective": "",
        }
        if response is not None and response.header("Location") and not self.options.on("location"):
            values["redirect_url"] = urljoin(url.text if url else "", response.header("Location") or "")
        out = []
        target = self.proc.out
        index = 0
        while index < len(template):
            char = template[index]
            if char == "%" and template.startswith("%{", index):
                end = template.find("}", index)
                if end < 0:
                    out.append(template[index:])
                    break
                name = template[index + 2:end]
                index = end + 1
                if name in ("stdout", "stderr"):
                    target(_flush(out))
                    target = self.proc.out if name == "stdout" else self.proc.err
                    continue
                if name.startswith("header{"):
                    header = name[len("header{"):]
                    out.append((response.header(header) or "") if response else "")
                    continue
                if name in values:
                    out.append(values[name])
                else:
                    target(_flush(out))
                    prefix = "curl: unknown --write-out variable" if self.version < (7, 80, 0) else \
                        "Warning: unknown --write-out variable"
                    self.proc.err(f"{prefix}: '{name}'\n")
                continue
            if char == "%" and template.startswith("%%", index):
                out.append("%")
                index += 2
                continue
            if char == "\\" and index + 1 < len(template) and template[index + 1] in "nrt\\":
                out.append({"n": "\n", "r": "\r", "t": "\t", "\\": "\\"}[template[index + 1]])
                index += 2
                continue
            out.append(char)
            index += 1
        target(_flush(out))


def _flush(parts: list[str]) -> str:
    text = "".join(parts)
    parts.clear()
    return text


def _expected_size(response: Response | None, received: int) -> int:
    if response is not None and response.header("Content-Length") is not None and not response.chunked:
        try:
            return int(response.header("Content-Length") or 0)
        except ValueError:
            return received
    return received


def _size_known(response: Response | None) -> bool:
    return response is not None and response.header("Content-Length") is not None



def _help(version: Version) -> str:
    """``curl --help`` trimmed to the options kubesim's curl simulates (the real list is much longer)."""
    lines = ["Usage: curl [options...] <url>"]
    described = {
        "data": "HTTP POST data", "fail": "Fail fast with no output on HTTP errors", "head": "Show document info only",
        "header": "Pass custom header(s) to server", "include": "Include protocol response headers in the output",
        "insecure": "Allow insecure server connections", "location": "Follow redirects",
        "max-time": "Maximum time allowed for transfer", "output": "Write to file instead of stdout",
        "remote-name": "Write output to a file named as the remote file", "request": "Specify request method to use",
        "show-error": "Show error even when -s is used", "silent": "Silent mode",
        "user-agent": "Send User-Agent <name> to server", "verbose": "Make the operation more talkative",
        "version": "Show version number and quit", "write-out": "Use output FORMAT after completion",
        "connect-timeout": "Maximum time allowed for connection",
    }
    for option in OPTIONS:
        if option.long in described and option.since <= version:
            short = f"-{option.short}, " if option.short else "    "
            arg = " <value>" if option.takes else ""
            lines.append(f" {short}--{option.long}{arg}".ljust(40) + described[option.long])
    return "\n".join(lines) + "\n"
