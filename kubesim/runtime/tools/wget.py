"""``wget``: busybox's (alpine, busybox, curlimages/curl) or GNU wget (the kubia image's Debian), by image.

The texts users meet most are exact (dataplane.md §2.4): busybox ``wget: bad address 'foo'`` and
``wget: can't connect to remote host (IP): Connection refused`` (exit 1), GNU's ``--DATE--  URL`` /
``Connecting to IP:80... failed: Connection refused.`` (exit 4), ``wget: unable to resolve host
address 'foo'`` (exit 4) and ``ERROR 500: Internal Server Error.`` (exit 8). Time is simulated: GNU
wget's 20 tries against a host that never answers are printed with the times they would take.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urljoin

from kubesim.net.network import ConnectionRefused, ConnectionTimeout, HostNotFound, HostUnreachable, is_ip
from kubesim.runtime.apps import Request, Response, respond, speaks_tls
from kubesim.runtime.process import Process
from kubesim.runtime.tools import _busybox

KERNEL_CONNECT_TIMEOUT = 127.0  # seconds of SYN retries before the kernel gives up (tcp_syn_retries=6)
TRANSFER_SECONDS = 0.0001
DEFAULT_PORTS = {"http": 80, "https": 443}


class Stop(Exception):
    """wget gives up: print nothing more and exit with ``code``."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Target:
    scheme: str
    host: str
    port: int
    path: str
    text: str

    @property
    def host_header(self) -> str:
        return self.host if self.port == DEFAULT_PORTS[self.scheme] else f"{self.host}:{self.port}"


def parse_target(text: str) -> Target | None:
    scheme, rest = ("http", text)
    if "://" in text:
        scheme, rest = text.split("://", 1)
        scheme = scheme.lower()
    if scheme not in DEFAULT_PORTS:
        return None
    authority, slash, path = rest.partition("/")
    authority = authority.rsplit("@", 1)[-1]
    host, _, port_text = authority.partition(":")
    if not host or (port_text and not port_text.isdigit()):
        return None
    port = int(port_text) if port_text else DEFAULT_PORTS[scheme]
    path = "/" + path if slash else "/"
    path = path.split("#", 1)[0]
    shown = f"{scheme}://{authority}{path}"
    return Target(scheme, host.lower(), port, path, shown)


@dataclass
class Settings:
    quiet: bool = False
    no_verbose: bool = False
    output: str | None = None
    server_response: bool = False
    spider: bool = False
    timeout: float | None = None
    tries: int = 20
    agent: str | None = None
    headers: list[str] = field(default_factory=list)
    post_data: str | None = None
    directory: str = "."
    insecure: bool = False
    urls: list[str] = field(default_factory=list)


def run(proc: Process) -> int:
    flavour = str((getattr(proc.image, "versions", None) or {}).get("wget", "busybox"))
    if flavour == "busybox":
        if _busybox.help_requested(proc, "wget"):
            return 0
        return BusyboxWget(proc).main()
    return GnuWget(proc, flavour).main()


def _exchange(proc: Process, destination, target: Target, method: str, headers: list[tuple[str, str]],
              body: bytes) -> Response:
    request = Request(method, target.path, headers, body, "HTTP/1.1", target.scheme,
                      getattr(proc.network, "client_ip", ""))
    return respond(proc.api, destination, request)


def _write_file(proc: Process, name: str, data: bytes) -> None:
    proc.fs.write(posixpath.normpath(posixpath.join(proc.cwd or "/", name)), data)


# -- busybox ---------------------------------------------------------------------------------------------
class BusyboxWget:
    def __init__(self, proc: Process) -> None:
        self.proc = proc

    def main(self) -> int:
        try:
            settings = self._parse(self.proc.argv[1:])
        except Stop as stop:
            return stop.code
        if not settings.urls:
            return _busybox.usage_error(self.proc, "wget", None)
        for url in settings.urls:
            try:
                self._fetch(settings, url)
            except Stop as stop:
                return stop.code
        return 0

    def _parse(self, args: list[str]) -> Settings:
        settings = Settings()
        takes = {"O": "output", "o": "log", "P": "directory", "U": "agent", "T": "timeout", "Y": "proxy"}
        long_takes = {"--output-document": "output", "--header": "header", "--post-data": "post", "--user-agent":
                      "agent", "--timeout": "timeout", "--directory-prefix": "directory", "--output-file": "log",
                      "--post-file": "post-file", "--proxy": "proxy"}
        index = 0
        while index < len(args):
            arg = args[index]
            index += 1
            if arg.startswith("--") and len(arg) > 2:
                name, equals, value = arg.partition("=")
                if name in long_takes:
                    if not equals:
                        if index >= len(args):
                            raise Stop(_busybox.usage_error(self.proc, "wget", f"option '{name}' requires an "
                                                                               "argument"))
                        value = args[index]
                        index += 1
                    self._set(settings, long_takes[name], value)
                elif name in ("--quiet",):
                    settings.quiet = True
                elif name == "--spider":
                    settings.spider = True
                elif name == "--server-response":
                    settings.server_response = True
                elif name in ("--no-check-certificate", "--continue", "--no-verbose"):
                    settings.insecure = settings.insecure or name == "--no-check-certificate"
                else:
                    raise Stop(_busybox.usage_error(self.proc, "wget", f"unrecognized option '{arg}'"))
                continue
            if arg.startswith("-") and len(arg) > 1:
                position = 1
                while position < len(arg):
                    letter = arg[position]
                    position += 1
                    if letter in takes:
                        value = arg[position:]
                        if not value:
                            if index >= len(args):
                                raise Stop(_busybox.usage_error(self.proc, "wget", f"option requires an argument "
                                                                                   f"-- '{letter}'"))
                            value = args[index]
                            index += 1
                        self._set(settings, takes[letter], value)
                        break
                    if letter == "q":
                        settings.quiet = True
                    elif letter == "S":
                        settings.server_response = True
                    elif letter == "c":
                        continue
                    else:
                        raise Stop(_busybox.usage_error(self.proc, "wget", f"invalid option -- '{letter}'"))
                continue
            settings.urls.append(arg)
        return settings

    def _set(self, settings: Settings, what: str, value: str) -> None:
        if what == "output":
            settings.output = value
        elif what == "directory":
            settings.directory = value
        elif what == "agent":
            settings.agent = value
        elif what == "header":
            settings.headers.append(value)
        elif what == "post":
            settings.post_data = value
        elif what == "timeout":
            try:
                settings.timeout = float(value)
            except ValueError:
                self.proc.err(f"wget: invalid number '{value}'\n")
                raise Stop(1) from None

    def _fetch(self, settings: Settings, url: str) -> None:
        proc = self.proc
        target = parse_target(url)
        if target is None:
            proc.err(f"wget: not an http or ftp url: {url}\n")
            raise Stop(1)
        for _hop in range(20):
            try:
                addresses = proc.network.resolve(target.host)
            except (HostNotFound, ConnectionTimeout):
                proc.err(f"wget: bad address '{target.host}'\n")
                raise Stop(1) from None
            ip = addresses[0]
            if not settings.quiet:
                proc.err(f"Connecting to {target.host} ({ip}:{target.port})\n")
            try:
                destination = proc.network.connect(ip, target.port, "TCP")
            except ConnectionRefused:
                proc.err(f"wget: can't connect to remote host ({ip}): Connection refused\n")
                raise Stop(1) from None
            except HostUnreachable:
                proc.err(f"wget: can't connect to remote host ({ip}): No route to host\n")
                raise Stop(1) from None
            except ConnectionTimeout:
                if settings.timeout is not None and settings.timeout < KERNEL_CONNECT_TIMEOUT:
                    proc.err("wget: download timed out\n")
                else:
                    proc.err(f"wget: can't connect to remote host ({ip}): Connection timed out\n")
                raise Stop(1) from None
            if target.scheme == "https" and speaks_tls(destination) is None:
                proc.err("wget: error getting response: Connection reset by peer\n")
                raise Stop(1)
            headers = [("Host", target.host_header), ("User-Agent", settings.agent or "Wget")]
            for line in settings.headers:
                name, _, value = line.partition(":")
                headers.append((name.strip(), value.strip()))
            body = (settings.post_data or "").encode()
            method = "POST" if settings.post_data is not None else ("HEAD" if settings.spider else "GET")
            if settings.post_data is not None:
                headers += [("Content-Type", "application/x-www-form-urlencoded"),
                            ("Content-Length", str(len(body)))]
            headers.append(("Connection", "close"))
            response = _exchange(proc, destination, target, method, headers, body)
            if response.empty_reply:
                proc.err("wget: error getting response\n")
                raise Stop(1)
            if settings.server_response:
                proc.err(f"  {response.status_line}\n" + "".join(f"  {n}: {v}\n" for n, v in response.headers))
            location = response.header("Location")
            if response.status in (301, 302, 303, 307, 308) and location:
                target = parse_target(urljoin(target.text, location)) or target
                continue
            if response.status not in (200, 204):
                proc.err(f"wget: server returned error: {response.status_line}\n")
                raise Stop(1)
            if settings.spider:
                if not settings.quiet:
                    proc.err("remote file exists\n")
                return
            self._save(settings, target, response)
            return
        proc.err("wget: too many redirections\n")
        raise Stop(1)

    def _save(self, settings: Settings, target: Target, response: Response) -> None:
        proc = self.proc
        output = settings.output
        explicit = output is not None
        if output is None:
            output = posixpath.basename(target.path) or "index.html"
            if settings.directory != ".":
                output = posixpath.join(settings.directory, output)
        to_stdout = output == "-"
        if not to_stdout:
            path = posixpath.normpath(posixpath.join(proc.cwd or "/", output))
            if not explicit and proc.fs.exists(path):
                proc.err(f"wget: can't open '{output}': File exists\n")
                raise Stop(1)
        if not settings.quiet:
            proc.err("writing to stdout\n" if to_stdout else f"saving to '{output}'\n")
        if to_stdout:
            proc.out(response.body.decode("utf-8", "replace"))
        else:
            try:
                _write_file(proc, output, response.body)
            except OSError as error:
                proc.err(f"wget: can't open '{output}': {error.strerror or 'No such file or directory'}\n")
                raise Stop(1) from None
        if not settings.quiet:
            size = len(response.body)
            name = "-" if to_stdout else posixpath.basename(output)
            proc.err(f"{name:<20.20s}100% |{'*' * 32}| {size:5d}  0:00:00 ETA\n")
            proc.err("written to stdout\n" if to_stdout else f"'{output}' saved\n")


# -- GNU wget --------------------------------------------------------------------------------------------
class GnuWget:
    def __init__(self, proc: Process, version: str) -> None:
        self.proc = proc
        self.version = version
        self.clock = proc.api.now

    def stamp(self) -> str:
        return self.clock.strftime("%Y-%m-%d %H:%M:%S")

    def log(self, settings: Settings, text: str) -> None:
        if not settings.quiet:
            self.proc.err(text)

    def main(self) -> int:
        try:
            settings = self._parse(self.proc.argv[1:])
        except Stop as stop:
            return stop.code
        if not settings.urls:
            self.proc.err("wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\n"
                          "Try `wget --help' for more options.\n")
            return 1
        status = 0
        for url in settings.urls:
            status = self._fetch(settings, url) or status
        return status

    def _parse(self, args: list[str]) -> Settings:
        settings = Settings()
        takes = {"O": "output", "T": "timeout", "t": "tries", "U": "agent", "P": "directory", "o": "log"}
        long_takes = {"--output-document": "output", "--timeout": "timeout", "--tries": "tries",
                      "--user-agent": "agent", "--header": "header", "--post-data": "post",
                      "--directory-prefix": "directory", "--connect-timeout": "timeout", "--output-file": "log"}
        switches = {"--quiet": "quiet", "--spider": "spider", "--server-response": "server", "--no-verbose":
                    "nv", "--no-check-certificate": "insecure", "--continue": "", "--verbose": ""}
        index = 0
        while index < len(args):
            arg = args[index]
            index += 1
            if arg.startswith("--") and len(arg) > 2:
                name, equals, value = arg.partition("=")
                if name in long_takes:
                    if not equals:
                        if index >= len(args):
                            self.proc.err(f"wget: option '{name}' requires an argument\n"
                                          "Usage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n")
                            raise Stop(2)
                        value = args[index]
                        index += 1
                    self._set(settings, long_takes[name], value)
                elif name in switches:
                    self._switch(settings, switches[name])
                else:
                    self.proc.err(f"wget: unrecognized option '{arg}'\nUsage: wget [OPTION]... [URL]...\n\n"
                                  "Try `wget --help' for more options.\n")
                    raise Stop(2)
                continue
            if arg.startswith("-") and len(arg) > 1:
                position = 1
                while position < len(arg):
                    letter = arg[position]
                    position += 1
                    if letter in takes:
                        value = arg[position:]
                        if not value:
                            if index >= len(args):
                                self.proc.err(f"wget: option requires an argument -- '{letter}'\n"
                                              "Usage: wget [OPTION]... [URL]...\n\n"
                                              "Try `wget --help' for more options.\n")
                                raise Stop(2)
                            value = args[index]
                            index += 1
                        self._set(settings, takes[letter], value)
                        break
                    short = {"q": "quiet", "S": "server", "c": "", "v": ""}
                    if letter in short:
                        self._switch(settings, short[letter])
                    elif letter == "n" and arg[position:position + 1] == "v":
                        self._switch(settings, "nv")
                        position += 1
                    else:
                        self.proc.err(f"wget: invalid option -- '{letter}'\nUsage: wget [OPTION]... [URL]...\n\n"
                                      "Try `wget --help' for more options.\n")
                        raise Stop(2)
                continue
            settings.urls.append(arg)
        return settings

    def _switch(self, settings: Settings, what: str) -> None:
        if what == "quiet":
            settings.quiet = True
        elif what == "spider":
            settings.spider = True
        elif what == "server":
            settings.server_response = True
        elif what == "nv":
            settings.no_verbose = True
        elif what == "insecure":
            settings.insecure = True

    def _set(self, settings: Settings, what: str, value: str) -> None:
        try:
            if what == "output":
                settings.output = value
            elif what == "timeout":
                settings.timeout = float(value)
            elif what == "tries":
                settings.tries = int(value) if value not in ("0", "inf") else 20
            elif what == "agent":
                settings.agent = value
            elif what == "header":
                settings.headers.append(value)
            elif what == "post":
                settings.post_data = value
            elif what == "directory":
                settings.directory = value
        except ValueError:
            self.proc.err(f"wget: {what}: Invalid number '{value}'.\n")
            raise Stop(2) from None

    def _fetch(self, settings: Settings, url: str) -> int:
        proc = self.proc
        target = parse_target(url)
        if target is None:
            scheme = url.split("://", 1)[0]
            proc.err(f"{url}: Unsupported scheme '{scheme}'.\n")
            return 1
        attempt = 1
        while True:
            try_note = f"(try:{attempt:2d})  " if attempt > 1 else ""
            self.log(settings, f"--{self.stamp()}--  {try_note}{target.text}\n")
            ip = target.host
            if not is_ip(target.host):
                self.log(settings, f"Resolving {target.host} ({target.host})... ")
                try:
                    addresses = proc.network.resolve(target.host)
                except (HostNotFound, ConnectionTimeout):
                    self.log(settings, "failed: Name or service not known.\n")
                    self.log(settings, f"wget: unable to resolve host address '{target.host}'\n")
                    return 4
                self.log(settings, ", ".join(addresses) + "\n")
                ip = addresses[0]
                self.log(settings, f"Connecting to {target.host} ({target.host})|{ip}|:{target.port}... ")
            else:
                self.log(settings, f"Connecting to {ip}:{target.port}... ")
            try:
                destination = proc.network.connect(ip, target.port, "TCP")
            except ConnectionRefused:
                self.log(settings, "failed: Connection refused.\n")
                return 4
            except HostUnreachable:
                self.log(settings, "failed: No route to host.\n")
                return 4
            except ConnectionTimeout:
                waited = min(settings.timeout or KERNEL_CONNECT_TIMEOUT, KERNEL_CONNECT_TIMEOUT)
                self.clock += timedelta(seconds=waited)
                self.log(settings, "failed: Connection timed out.\n")
                if attempt >= settings.tries:
                    self.log(settings, "Giving up.\n\n")
                    return 4
                self.log(settings, "Retrying.\n\n")
                self.clock += timedelta(seconds=min(attempt, 10))
                attempt += 1
                continue
            self.log(settings, "connected.\n")
            if target.scheme == "https" and speaks_tls(destination) is None:
                self.log(settings, "Unable to establish SSL connection.\n")
                return 4
            response = self._request(settings, destination, target)
            if response.empty_reply:
                self.log(settings, "HTTP request sent, awaiting response... No data received.\n")
                if attempt >= settings.tries:
                    self.log(settings, "Giving up.\n\n")
                    return 4
                self.log(settings, "Retrying.\n\n")
                self.clock += timedelta(seconds=min(attempt, 10))
                attempt += 1
                continue
            self.log(settings, f"HTTP request sent, awaiting response... {response.status} {response.reason}\n")
            if settings.server_response and not settings.quiet:
                proc.err(f"  {response.status_line}\n" + "".join(f"  {n}: {v}\n" for n, v in response.headers))
            location = response.header("Location")
            if response.status in (301, 302, 303, 307, 308) and location:
                self.log(settings, f"Location: {location} [following]\n")
                target = parse_target(urljoin(target.text, location)) or target
                attempt = 1
                continue
            if response.status >= 400:
                self.log(settings, f"{self.stamp()} ERROR {response.status}: {response.reason}.\n\n")
                return 8
            return self._save(settings, target, response)

    def _request(self, settings: Settings, destination, target: Target) -> Response:
        agent = settings.agent or f"Wget/{self.version} (linux-gnu)"
        headers = [("User-Agent", agent), ("Accept", "*/*"), ("Host", target.host_header),
                   ("Connection", "Keep-Alive")]
        for line in settings.headers:
            name, _, value = line.partition(":")
            headers.append((name.strip(), value.strip()))
        body = (settings.post_data or "").encode()
        method = "POST" if settings.post_data is not None else ("HEAD" if settings.spider else "GET")
        if settings.post_data is not None:
            headers += [("Content-Type", "application/x-www-form-urlencoded"), ("Content-Length", str(len(body)))]
        return _exchange(self.proc, destination, target, method, headers, body)

    def _save(self, settings: Settings, target: Target, response: Response) -> int:
        proc = self.proc
        length = response.header("Content-Length")
        kind = response.header("Content-Type")
        size = len(response.body)
        if length is not None:
            self.log(settings, f"Length: {length}" + (f" [{kind}]" if kind else "") + "\n")
        else:
            self.log(settings, "Length: unspecified" + (f" [{kind}]" if kind else "") + "\n")
        if settings.spider:
            self.log(settings, "Remote file exists.\n\n")
            return 0
        to_stdout = settings.output == "-"
        name = settings.output
        if name is None:
            base = posixpath.basename(target.path) or "index.html"
            name = base if settings.directory == "." else posixpath.join(settings.directory, base)
            candidate, suffix = name, 0
            while proc.fs.exists(posixpath.normpath(posixpath.join(proc.cwd or "/", candidate))):
                suffix += 1
                candidate = f"{name}.{suffix}"
            name = candidate
        shown = "STDOUT" if to_stdout else name
        self.log(settings, f"Saving to: '{shown}'\n")
        if to_stdout:
            proc.out(response.body.decode("utf-8", "replace"))
        else:
            try:
                _write_file(proc, name, response.body)
            except OSError as error:
                self.log(settings, f"{name}: {error.strerror or 'No such file or directory'}\n")
                return 3
        rate, unit = _rate(size / TRANSFER_SECONDS)
        percent = "100%" if length is not None else ""
        spaces = " " * 55
        self.log(settings, f"\n     0K{spaces}{percent} {_dot_rate(size / TRANSFER_SECONDS)}=0s\n\n")
        amount = f"[{size}/{length}]" if length is not None else f"[{size}]"
        where = "written to stdout" if to_stdout else f"'{name}' saved"
        self.log(settings, f"{self.stamp()} ({rate} {unit}) - {where} {amount}\n\n")
        return 0


def _rate(bytes_per_second: float) -> tuple[str, str]:
    units = ["B/s", "KB/s", "MB/s", "GB/s"]
    index = 0
    while bytes_per_second >= 1024 and index < len(units) - 1:
        bytes_per_second /= 1024
        index += 1
    precision = 0 if bytes_per_second >= 99.95 else 1 if bytes_per_second >= 9.995 else 2
    return f"{bytes_per_second:.{precision}f}", units[index]


def _dot_rate(bytes_per_second: float) -> str:
    names = " KMG"
    index = 0
    while bytes_per_second >= 1024 and index < len(names) - 1:
        bytes_per_second /= 1024
        index += 1
    precision = 0 if bytes_per_second >= 99.95 else 1 if bytes_per_second >= 9.995 else 2
    return f"{bytes_per_second:4.{precision}f}{names[index]}"


