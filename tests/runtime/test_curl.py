"""curl in a pod: whole stdout/stderr transcripts per curl version (7.38 kubia, 7.88.1 nginx, 8.14.1 curlimages).

Expected texts come from dataplane.md §2 (LAB transcripts of curl 7.88.1, curl's sources at the
release tags for the others) and real transcripts of curl 7.38 (`Rebuilt URL`, `Hostname was NOT
found in DNS cache`, `User-Agent` before `Host`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.runtime.podlab import DATE, EMPTY_IP, KUBIA_IP, PodLab, pod, service

METER = ("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
         "                                 Dload  Upload   Total   Spent    Left  Speed\n")
ZERO = "\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0"
KUBIA_DONE = "\r100    23    0    23    0     0  17113      0 --:--:-- --:--:-- --:--:-- 23000\n"
KUBIA_HEADERS = (f"HTTP/1.1 200 OK\r\nDate: {DATE}\r\nConnection: keep-alive\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n")


@pytest.fixture
def lab(tmp_path: Path) -> PodLab:
    lab = PodLab(tmp_path / "home")
    lab.kubia()
    lab.create(pod("web", "nginx", {"app": "web"}, [80]), service("web", "10.96.50.50", {"app": "web"}, 80, 80),
               pod("curl", "curlimages/curl", command=["sleep", "infinity"]),
               service("kubia-none", EMPTY_IP, {"app": "nothing"}))
    return lab


def hit(out: str) -> str:
    """Which kubia pod answered."""
    assert out.startswith("You've hit kubia-") and out.endswith("\n"), out
    return out[len("You've hit "):-1]


# -- success ---------------------------------------------------------------------------------------------
def test_the_books_command_prints_only_the_body(lab: PodLab):
    ran = lab.run("kubia-7nog1", "curl", "-s", f"http://{KUBIA_IP}")
    assert ran.code == 0 and ran.err == ""
    assert hit(ran.out) in ("kubia-7nog1", "kubia-bf50t", "kubia-gzwli")


def test_a_pod_reaches_itself_on_localhost(lab: PodLab):
    ran = lab.run("kubia-bf50t", "curl", "-s", "http://localhost:8080")
    assert (ran.out, ran.err, ran.code) == ("You've hit kubia-bf50t\n", "", 0)


def test_without_s_and_without_a_terminal_the_meter_goes_to_stderr(lab: PodLab):
    ran = lab.run("kubia-7nog1", "curl", f"http://{KUBIA_IP}")
    assert ran.err == METER + ZERO + KUBIA_DONE
    hit(ran.out)


def test_in_a_terminal_there_is_no_meter(lab: PodLab):
    ran = lab.run("kubia-7nog1", "curl", f"http://{KUBIA_IP}", tty=True)
    hit(ran.out)


def test_curl_7_38_verbose_in_a_terminal(lab: PodLab):
    ran = lab.run("kubia-7nog1", "curl", "-v", "http://kubia", tty=True)
    answered = ran.out.split("You've hit ")[1].split("\n")[0]
    assert ran.out == (
        "* Rebuilt URL to: http://kubia/\n"
        "* Hostname was NOT found in DNS cache\n"
        f"*   Trying {KUBIA_IP}...\n"
        f"* Connected to kubia ({KUBIA_IP}) port 80 (#0)\n"
        "> GET / HTTP/1.1\r\n"
        "> User-Agent: curl/7.38.0\r\n"
        "> Host: kubia\r\n"
        "> Accept: */*\r\n"
        "> \r\n"
        "< HTTP/1.1 200 OK\r\n"
        f"< Date: {DATE}\r\n"
        "< Connection: keep-alive\r\n"
        "< Transfer-Encoding: chunked\r\n"
        "< \r\n"
        f"You've hit {answered}\n"
        "* Connection #0 to host kubia left intact\n")


def test_curl_7_88_verbose_without_a_terminal(lab: PodLab):
    ran = lab.run("web", "curl", "-v", "http://kubia")
    hit(ran.out)
    assert ran.err == (
        METER + ZERO + f"*   Trying {KUBIA_IP}:80...\n"
        f"* Connected to kubia ({KUBIA_IP}) port 80 (#0)\n"
        "> GET / HTTP/1.1\r\n> Host: kubia\r\n> User-Agent: curl/7.88.1\r\n> Accept: */*\r\n> \r\n"
        "< HTTP/1.1 200 OK\r\n"
        f"< Date: {DATE}\r\n< Connection: keep-alive\r\n< Transfer-Encoding: chunked\r\n< \r\n"
        "{ [34 bytes data]\n" + KUBIA_DONE +
        "* Connection #0 to host kubia left intact\n")


def test_curl_8_14_verbose_shows_the_resolution_and_no_connection_number(lab: PodLab):
    ran = lab.run("curl", "curl", "-sv", "http://kubia")
    hit(ran.out)
    assert ran.err == (
        "* Host kubia:80 was resolved.\n* IPv6: (none)\n"
        f"* IPv4: {KUBIA_IP}\n"
        f"*   Trying {KUBIA_IP}:80...\n"
        f"* Connected to kubia ({KUBIA_IP}) port 80\n"
        "* using HTTP/1.x\n"
        "> GET / HTTP/1.1\r\n> Host: kubia\r\n> User-Agent: curl/8.14.1\r\n> Accept: */*\r\n> \r\n"
        "* Request completely sent off\n"
        "< HTTP/1.1 200 OK\r\n"
        f"< Date: {DATE}\r\n< Connection: keep-alive\r\n< Transfer-Encoding: chunked\r\n< \r\n"
        "{ [34 bytes data]\n"
        "* Connection #0 to host kubia left intact\n")


def test_include_prints_node_7s_headers_with_crlf(lab: PodLab):
    ran = lab.run("kubia-7nog1", "curl", "-si", "http://localhost:8080/")
    assert ran.out == KUBIA_HEADERS + "You've hit kubia-7nog1\n"


def test_head_has_no_transfer_encoding_from_node(lab: PodLab):
    ran = lab.run("kubia-7nog1", "curl", "-sI", "http://localhost:8080/")
    assert ran.out == f"HTTP/1.1 200 OK\r\nDate: {DATE}\r\nConnection: keep-alive\r\n\r\n"


def test_nginx_answers_with_its_welcome_page_and_headers(lab: PodLab):
    ran = lab.run("curl", "curl", "-si", "http://web")
    head, body = ran.out.split("\r\n\r\n", 1)
    assert head == ("HTTP/1.1 200 OK\r\nServer: nginx/1.29.0\r\n"
                    f"Date: {DATE}\r\nContent-Type: text/html\r\nContent-Length: 615\r\n"
                    "Last-Modified: Tue, 24 Jun 2025 17:22:41 GMT\r\nConnection: keep-alive\r\n"
                    'ETag: "685adee1-267"\r\nAccept-Ranges: bytes')
    assert body.startswith("<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>") and len(body) == 615


def test_nginx_meter_knows_the_size(lab: PodLab):
    ran = lab.run("curl", "curl", "-o", "/dev/null", "http://web")
    assert ran.out == ""
    assert ran.err == METER + ZERO + "\r100   615  100   615    0     0   446k      0 --:--:-- --:--:-- --:--:--  600k\n"


def test_nginx_serves_what_was_written_into_the_container(lab: PodLab):
    assert lab.run("web", "sh", "-c", "echo hello > /usr/share/nginx/html/hello.txt").code == 0
    ran = lab.run("curl", "curl", "-si", "http://web/hello.txt")
    assert "\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n" in ran.out
    assert ran.out.endswith("\r\n\r\nhello\n")


def test_nginx_404_page(lab: PodLab):
    ran = lab.run("curl", "curl", "-s", "http://web/nope")
    assert ran.out == ("<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
                       "<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.29.0</center>\r\n"
                       "</body>\r\n</html>\r\n")


def test_write_out_http_code(lab: PodLab):
    ran = lab.run("curl", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}\\n", "http://web/nope")
    assert (ran.out, ran.err, ran.code) == ("404\n", "", 0)


def test_post_with_data_is_traced_with_its_headers(lab: PodLab):
    ran = lab.run("kubia-7nog1", "curl", "-sv", "-d", "a=1", "http://localhost:8080/", tty=True)
    assert ("> POST / HTTP/1.1\r\n> User-Agent: curl/7.38.0\r\n> Host: localhost:8080\r\n> Accept: */*\r\n"
            "> Content-Length: 3\r\n> Content-Type: application/x-www-form-urlencoded\r\n> \r\n"
            "* upload completely sent off: 3 out of 3 bytes\n") in ran.out


def test_output_file_lands_in_the_container_filesystem(lab: PodLab):
    assert lab.run("kubia-7nog1", "curl", "-s", "-o", "/tmp/page", "http://localhost:8080").out == ""
    assert lab.run("kubia-7nog1", "cat", "/tmp/page").out == "You've hit kubia-7nog1\n"


def test_location_follows_nginx_directory_redirect(lab: PodLab):
    lab.run("web", "sh", "-c", "mkdir /usr/share/nginx/html/docs && echo d > /usr/share/nginx/html/docs/index.html")
    assert lab.run("curl", "curl", "-s", "http://web/docs").out.startswith("<html>\r\n<head><title>301 Moved")
    assert lab.run("curl", "curl", "-sL", "http://web/docs").out == "d\n"


def test_file_urls_read_the_containers_files(lab: PodLab):
    assert lab.run("curl", "curl", "-s", "file:///etc/hostname").out == "curl\n"


# -- errors ----------------------------------------------------------------------------------------------
def test_silent_hides_the_error_and_keeps_the_exit_code(lab: PodLab):
    ran = lab.run("kubia-7nog1", "curl", "-s", f"http://{EMPTY_IP}")
    assert (ran.out, ran.err, ran.code) == ("", "", 7)


@pytest.mark.parametrize(("pod_name", "line"), [
    ("kubia-7nog1", f"curl: (7) Failed to connect to {EMPTY_IP} port 80: Connection refused\n"),
    ("web", f"curl: (7) Failed to connect to {EMPTY_IP} port 80 after 0 ms: Couldn't connect to server\n"),
    ("curl", f"curl: (7) Failed to connect to {EMPTY_IP} port 80 after 0 ms: Could not connect to server\n"),
])
def test_service_without_endpoints_is_refused_in_each_versions_words(lab: PodLab, pod_name: str, line: str):
    ran = lab.run(pod_name, "curl", "-sS", f"http://{EMPTY_IP}")
    assert (ran.out, ran.err, ran.code) == ("", line, 7)


def test_refused_verbose_7_88(lab: PodLab):
    ran = lab.run("web", "curl", "-sSv", f"http://{EMPTY_IP}")
    assert ran.err == (f"*   Trying {EMPTY_IP}:80...\n"
                       f"* connect to {EMPTY_IP} port 80 failed: Connection refused\n"
                       f"* Failed to connect to {EMPTY_IP} port 80 after 0 ms: Couldn't connect to server\n"
                       "* Closing connection 0\n"
                       f"curl: (7) Failed to connect to {EMPTY_IP} port 80 after 0 ms: Couldn't connect to server\n")


def test_refused_with_the_meter_ends_the_meter_line_first(lab: PodLab):
    ran = lab.run("web", "curl", f"http://{EMPTY_IP}")
    assert ran.err == (METER + ZERO + "\n"
                       f"curl: (7) Failed to connect to {EMPTY_IP} port 80 after 0 ms: Couldn't connect to server\n")


@pytest.mark.parametrize(("pod_name", "line"), [
    ("kubia-7nog1", "curl: (6) Could not resolve host: foo\n"),
    ("web", "curl: (6) Could not resolve host: foo\n"),
    ("curl", "curl: (6) Could not resolve host: foo\n"),
])
def test_unknown_names_exit_6(lab: PodLab, pod_name: str, line: str):
    ran = lab.run(pod_name, "curl", "-sS", "http://foo")
    assert (ran.err, ran.code) == (line, 6)


def test_wrong_port_on_a_cluster_ip_times_out_after_the_kernels_syn_retries(lab: PodLab):
    new = lab.run("web", "curl", "-sS", f"http://{KUBIA_IP}:8080")
    assert (new.err, new.code) == (
        f"curl: (28) Failed to connect to {KUBIA_IP} port 8080 after 129976 ms: Couldn't connect to server\n", 28)
    old = lab.run("kubia-7nog1", "curl", "-sS", f"http://{KUBIA_IP}:8080")
    assert (old.err, old.code) == (f"curl: (7) Failed to connect to {KUBIA_IP} port 8080: Connection timed out\n", 7)


def test_curls_own_timeouts(lab: PodLab):
    connect = lab.run("web", "curl", "-sS", "--connect-timeout", "3", f"http://{KUBIA_IP}:8080")
    assert (connect.err, connect.code) == (
        f"curl: (28) Failed to connect to {KUBIA_IP} port 8080 after 3001 ms: Timeout was reached\n", 28)
    overall = lab.run("web", "curl", "-sS", "-m", "3", f"http://{KUBIA_IP}:8080")
    assert (overall.err, overall.code) == ("curl: (28) Connection timed out after 3001 milliseconds\n", 28)
    old = lab.run("kubia-7nog1", "curl", "-sS", "--connect-timeout", "5", f"http://{KUBIA_IP}:8080")
    assert (old.err, old.code) == ("curl: (28) Connection timed out after 5001 milliseconds\n", 28)


def test_a_timeout_shows_the_seconds_curl_waited_in_the_meter(lab: PodLab):
    ran = lab.run("web", "curl", "-m", "2", f"http://{KUBIA_IP}:8080")
    assert ran.err == (METER + ZERO +
                       "\r  0     0    0     0    0     0      0      0 --:--:--  0:00:01 --:--:--     0"
                       "\r  0     0    0     0    0     0      0      0 --:--:--  0:00:02 --:--:--     0\n"
                       "curl: (28) Connection timed out after 2001 milliseconds\n")


def test_fail_on_http_errors_per_version(lab: PodLab):
    old = lab.run("kubia-7nog1", "curl", "-sSf", "http://web/nope")
    new = lab.run("curl", "curl", "-sSf", "http://web/nope")
    assert (old.out, old.err, old.code) == ("", "curl: (22) The requested URL returned error: 404 Not Found\n", 22)
    assert (new.out, new.err, new.code) == ("", "curl: (22) The requested URL returned error: 404\n", 22)


def test_kubia_unhealthy_answers_500_after_five_requests(tmp_path: Path):
    lab = PodLab(tmp_path / "home")
    lab.create(pod("sick", "luksa/kubia-unhealthy", ports=[8080]))
    answers = [lab.run("sick", "curl", "-s", "-w", " %{http_code}", "http://localhost:8080").out for _ in range(7)]
    assert answers[:5] == ["You've hit sick\n 200"] * 5
    assert answers[5:] == ["I'm not well. Please restart me! 500"] * 2
    failing = lab.run("sick", "curl", "-sSf", "http://localhost:8080")
    assert (failing.err, failing.code) == (
        "curl: (22) The requested URL returned error: 500 Internal Server Error\n", 22)


def test_empty_reply_from_a_dns_port(lab: PodLab):
    with lab.cluster.api() as api:
        from kubesim.api.registry import kind_named

        coredns = api.list(kind_named("Pod"), "kube-system")[0]["status"]["podIP"]
    ran = lab.run("curl", "curl", "-sS", f"http://{coredns}:53")
    assert (ran.err, ran.code) == ("curl: (52) Empty reply from server\n", 52)


def test_plain_http_to_the_api_server(lab: PodLab):
    ran = lab.run("curl", "curl", "-si", "http://kubernetes:443")
    assert ran.out == "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"


def test_https_to_the_api_server_needs_its_ca(lab: PodLab):
    ran = lab.run("curl", "curl", "-sS", "https://kubernetes")
    assert ran.code == 60
    assert ran.err.startswith("curl: (60) SSL certificate problem: unable to get local issuer certificate\n")
    anonymous = lab.run("curl", "curl", "-s", "--cacert", "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt",
                        "https://kubernetes/api/v1/namespaces/default/pods")
    assert '"message": "pods is forbidden: User \\"system:anonymous\\" cannot list resource \\"pods\\" in API ' \
           'group \\"\\" in the namespace \\"default\\""' in anonymous.out
    healthz = lab.run("curl", "curl", "-sk", "https://kubernetes/healthz")
    assert (healthz.out, healthz.code) == ("ok", 0)


@pytest.mark.parametrize(("argv", "err", "code"), [
    (["-Z"], "curl: option -Z: is unknown\n", 2),
    (["--max-time=5", "http://x"], "curl: option --max-time=5: is unknown\n", 2),
    (["-o"], "curl: option -o: requires parameter\n", 2),
    (["-m", "soon", "http://x"], "curl: option -m: expected a proper numerical parameter\n", 2),
    ([], "curl: no URL specified!\n", 2),
])
def test_usage_errors(lab: PodLab, argv: list[str], err: str, code: int):
    ran = lab.run("web", "curl", *argv)
    assert (ran.err, ran.code) == (err + "curl: try 'curl --help' or 'curl --manual' for more information\n", code)


@pytest.mark.parametrize(("pod_name", "line"), [
    ("kubia-7nog1", "curl: (3) <url> malformed\n"),
    ("web", "curl: (3) URL using bad/illegal format or missing URL\n"),
    ("curl", "curl: (3) URL rejected: No host part in the URL\n"),
])
def test_malformed_urls_exit_3(lab: PodLab, pod_name: str, line: str):
    ran = lab.run(pod_name, "curl", "-sS", "http://")
    assert (ran.out, ran.err, ran.code) == ("", line, 3)


def test_combined_short_flags_and_attached_values(lab: PodLab):
    ran = lab.run("curl", "curl", "-sSo/dev/null", "-w%{http_code}", "-XHEAD", "http://kubia")
    assert (ran.out, ran.err, ran.code) == ("200", "", 0)


def test_version_banner_is_the_images(lab: PodLab):
    assert lab.run("kubia-7nog1", "curl", "-V").out.startswith("curl 7.38.0 (x86_64-pc-linux-gnu) libcurl/7.38.0 ")


def test_write_out_still_reports_after_a_failure(lab: PodLab):
    failed = lab.run("curl", "curl", "-sf", "-w", "%{http_code} %{exitcode}", "http://web/nope")
    assert (failed.out, failed.code) == ("404 22", 22)
    refused = lab.run("curl", "curl", "-s", "-w", "%{http_code}", f"http://{EMPTY_IP}")
    assert (refused.out, refused.code) == ("000", 7)


def test_curl_7_38_says_the_server_is_not_blacklisted(lab: PodLab):
    ran = lab.run("kubia-7nog1", "curl", "-svI", "http://web")
    assert "< HTTP/1.1 200 OK\r\n* Server nginx/1.29.0 is not blacklisted\n< Server: nginx/1.29.0\r\n" in ran.err
    assert ran.out.startswith("HTTP/1.1 200 OK\r\nServer: nginx/1.29.0\r\n")


def test_in_a_terminal_trace_and_included_headers_interleave_as_they_arrive(lab: PodLab):
    ran = lab.run("curl", "curl", "-svi", "http://kubia", tty=True)
    assert "< HTTP/1.1 200 OK\r\nHTTP/1.1 200 OK\r\n< Date: " in ran.out
    assert ran.out.endswith("\r\n< \r\n\r\nYou've hit " + ran.out.split("You've hit ")[1].split("\n")[0] +
                            "\n* Connection #0 to host kubia left intact\n")


def test_fail_verbose_shows_the_headers_only_in_newer_curls(lab: PodLab):
    old = lab.run("kubia-7nog1", "curl", "-svf", "http://web/nope")
    assert "< HTTP/1.1 404" not in old.err
    assert old.err.endswith("> \r\n* The requested URL returned error: 404 Not Found\n* Closing connection 0\n")
    new = lab.run("curl", "curl", "-svf", "http://web/nope")
    assert "< HTTP/1.1 404 Not Found\r\n" in new.err
    assert new.err.endswith("< \r\n* The requested URL returned error: 404\n* closing connection #0\n")


def test_a_kernel_timeout_traced_by_a_modern_curl(lab: PodLab):
    ran = lab.run("curl", "curl", "-sSv", f"http://{KUBIA_IP}:8080")
    lines = ran.err.splitlines()
    assert lines[0] == f"*   Trying {KUBIA_IP}:8080..."
    assert lines[1].startswith(f"* connect to {KUBIA_IP} port 8080 from {lab.ip('curl')} port ")
    assert lines[1].endswith(" failed: Connection timed out")
    assert lines[2:] == [f"* Failed to connect to {KUBIA_IP} port 8080 after 129976 ms: Could not connect to server",
                         "* closing connection #0",
                         f"curl: (28) Failed to connect to {KUBIA_IP} port 8080 after 129976 ms: Could not connect "
                         "to server"]
