"""The shell against golden outputs: quoting, expansions, redirections, control flow,
pipelines, and each flavour's own error texts."""

from __future__ import annotations

import io

import pytest

from kubesim.runtime.shell import main
from tests.runtime.fakes import process, sh

GOLDEN = [
    ("quoting", "echo 'a  b' \"c  $HOME\" d\\ e", "a  b c  /root d e\n"),
    ("defaults", 'x=5; echo "${x:-no} ${y:-def} ${#x}"', "5 def 1\n"),
    ("patterns", 'f=/a/b/c.txt; echo ${f##*/} ${f%.*} ${f#/a}', "c.txt /a/b/c /b/c.txt\n"),
    ("arithmetic", "i=3; echo $((i * 2 + 1)) $(( (1<<4) % 5 ))", "7 1\n"),
    ("substitution", "echo $(echo a; echo b) `echo c`", "a b c\n"),
    ("splitting", 'v="1  2 3"; for w in $v; do echo "[$w]"; done', "[1]\n[2]\n[3]\n"),
    ("positional", 'set -- a "b c"; echo $#; for x in "$@"; do echo "<$x>"; done', "2\n<a>\n<b c>\n"),
    ("status", "false; echo $?; true && echo yes || echo no", "1\nyes\n"),
    ("if-elif", "x=2; if [ $x = 1 ]; then echo one; elif [ $x = 2 ]; then echo two; else echo many; fi", "two\n"),
    ("while", "i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo $i; done", "1\n2\n3\n"),
    ("until-break", "i=0; until false; do i=$((i+1)); [ $i -ge 2 ] && break; done; echo $i", "2\n"),
    ("case", "for x in ab c; do case $x in a*) echo A;; *) echo other;; esac; done", "A\nother\n"),
    ("function", 'f() { local v=in; echo "$1 $v"; return 3; }; f arg; echo $?', "arg in\n3\n"),
    ("pipeline", "printf 'b\\na\\nb\\n' | sort | uniq -c", "      1 a\n      2 b\n"),
    ("subshell", "x=1; (x=2; echo $x); echo $x", "2\n1\n"),
    ("redirect", "echo a > /tmp/f; echo b >> /tmp/f; wc -l < /tmp/f; read first < /tmp/f; echo $first", "2\na\n"),
    ("stderr-dup", "ls /nope 2>&1 | wc -l", "1\n"),
    ("devnull", "ls /nope 2>/dev/null || echo failed", "failed\n"),
    ("heredoc", "cat_() { while read l; do echo \"> $l\"; done; }; cat_ <<EOF\nhi $HOME\nEOF", "> hi /root\n"),
    ("export", "export A=1; sh -c 'echo $A'", "1\n"),
    ("nested-sh", "sh -c 'exit 4'; echo $?", "4\n"),
    ("cd-pwd", "cd /tmp && pwd; cd; pwd", "/tmp\n/root\n"),
    ("glob", "touch /tmp/a1 /tmp/a2 /tmp/b; echo /tmp/a*", "/tmp/a1 /tmp/a2\n"),
]


@pytest.mark.parametrize("name,script,expected", GOLDEN, ids=[g[0] for g in GOLDEN])
@pytest.mark.parametrize("image,shell", [("nginx", "sh"), ("nginx", "bash"), ("busybox", "sh")])
def test_language(name: str, script: str, expected: str, image: str, shell: str) -> None:
    result = sh(script, image, shell)
    assert (result.out, result.err) == (expected, "")


ERRORS = [
    # (image, shell, script, stderr, status)
    ("nginx", "sh", "foo", "sh: 1: foo: not found\n", 127),
    ("nginx", "bash", "foo", "bash: line 1: foo: command not found\n", 127),
    ("luksa/kubia", "bash", "foo", "bash: foo: command not found\n", 127),
    ("busybox", "sh", "foo", "sh: foo: not found\n", 127),
    ("nginx", "sh", "for i in; done", 'sh: 1: Syntax error: "done" unexpected (expecting "do")\n', 2),
    ("nginx", "bash", "for i in; done",
     "bash: -c: line 1: syntax error near unexpected token `done'\nbash: -c: line 1: `for i in; done'\n", 2),
    ("luksa/kubia", "bash", "for i in; done",
     "bash: -c: line 0: syntax error near unexpected token `done'\nbash: -c: line 0: `for i in; done'\n", 2),
    ("busybox", "sh", "for i in; done", 'sh: syntax error: unexpected "done" (expecting "do")\n', 2),
    ("nginx", "sh", "echo 'abc", "sh: 1: Syntax error: Unterminated quoted string\n", 2),
    ("nginx", "bash", "echo 'abc", "bash: -c: line 1: unexpected EOF while looking for matching `''\n", 2),
    ("luksa/kubia", "bash", "echo 'abc", "bash: -c: line 0: unexpected EOF while looking for matching `''\n"
                                          "bash: -c: line 1: syntax error: unexpected end of file\n", 2),
    ("busybox", "sh", "echo 'abc", "sh: syntax error: unterminated quoted string\n", 2),
    ("nginx", "sh", "if true; then echo", 'sh: 1: Syntax error: end of file unexpected (expecting "fi")\n', 2),
    ("nginx", "bash", "if true; then echo", "bash: -c: line 1: syntax error: unexpected end of file\n", 2),
    ("nginx", "sh", "echo a; done", 'sh: 1: Syntax error: "done" unexpected\n', 2),
    ("nginx", "sh", "cd /nope", "sh: 1: cd: can't cd to /nope\n", 2),
    ("nginx", "bash", "cd /nope", "bash: line 1: cd: /nope: No such file or directory\n", 1),
    ("busybox", "sh", "cd /nope", "sh: cd: line 1: can't cd to /nope: No such file or directory\n", 2),
    ("nginx", "sh", "exit abc", "sh: 1: exit: Illegal number: abc\n", 2),
    ("nginx", "bash", "exit abc", "bash: line 1: exit: abc: numeric argument required\n", 2),
    ("nginx", "sh", "[ a == a ]", "sh: 1: [: ==: unexpected operator\n", 2),
    ("nginx", "sh", "echo ${x!}", "sh: 1: Bad substitution\n", 2),
    ("nginx", "sh", "echo hi > /nodir/f", "sh: 1: cannot create /nodir/f: Directory nonexistent\n", 2),
    ("nginx", "bash", "echo hi > /nodir/f", "bash: line 1: /nodir/f: No such file or directory\n", 1),
    ("nginx", "sh", "cat < /nope", "sh: 1: cannot open /nope: No such file\n", 2),
]


@pytest.mark.parametrize("image,shell,script,stderr,status", ERRORS)
def test_error_texts(image: str, shell: str, script: str, stderr: str, status: int) -> None:
    result = sh(script, image, shell)
    assert (result.err, result.status) == (stderr, status)


def test_lines_before_a_syntax_error_have_run() -> None:
    result = sh("echo first\nfi")
    assert result.out == "first\n"
    assert result.err == 'sh: 2: Syntax error: "fi" unexpected\n'


def test_named_dash_c_changes_the_prefix() -> None:
    assert sh("foo", args=["myname"]).err == "myname: 1: foo: not found\n"
    assert sh("foo", "busybox", args=["myname"]).err == "myname: line 1: foo: not found\n"


def test_echo_flavours() -> None:
    assert sh(r"echo 'a\tb'").out == "a\tb\n"  # dash interprets escapes
    assert sh(r"echo 'a\tb'", shell="bash").out == "a\\tb\n"
    assert sh(r"echo -e 'a\tb'", shell="bash").out == "a\tb\n"


def test_bash_extensions() -> None:
    script = 'x=hello; [[ $x == h* ]] && echo match; (( 2 > 1 )) && echo arith; echo ${x^^} ${x:1:3} ${x/l/L}'
    assert sh(script, shell="bash").out == "match\narith\nHELLO ell heLlo\n"
    assert sh("[[ a ]]").err == "sh: 1: [[: not found\n"


def test_piped_commands_read_the_rest_of_stdin() -> None:
    proc = process("nginx", ["bash"], stdin="read name\nkubia\necho hello $name\nfoo\n")
    status = main(proc, "bash")
    assert proc.stdout.getvalue() == "hello kubia\n"
    assert proc.stderr.getvalue() == "bash: line 4: foo: command not found\n"
    assert status == 127


def test_interactive_session_with_prompt() -> None:
    lines = iter(["cd /tmp", "pwd", "if true; then", "echo yes", "fi", "exit 3"])
    proc = process("luksa/kubia", ["bash"], tty=True)
    prompts: list[str] = []

    def reader(prompt: str) -> str | None:
        prompts.append(prompt)
        return next(lines, None)

    status = main(proc, "bash", reader=reader)
    assert status == 3
    assert prompts == ["root@kubia-3inly:/# ", "root@kubia-3inly:/tmp# ", "root@kubia-3inly:/tmp# ", "> ", "> ",
                       "root@kubia-3inly:/tmp# "]
    assert proc.stdout.getvalue() == "/tmp\nyes\n"
    assert proc.stderr.getvalue() == "exit\n"


def test_interactive_busybox_prompt_and_eof() -> None:
    proc = process("busybox", ["sh"], tty=True)
    seen: list[str] = []
    status = main(proc, "busybox-ash", reader=lambda p: seen.append(p) or (None if len(seen) > 1 else "foo"))
    assert seen == ["/ # ", "/ # "]
    assert proc.stderr.getvalue() == "sh: foo: not found\n\n"
    assert status == 127


def test_runaway_loop_is_stopped() -> None:
    result = sh("while true; do :; done")
    assert result.status == 130
    assert "stopped after 250000 steps" in result.err


def test_thousand_requests_loop_stays_within_budget() -> None:
    from kubesim.runtime.shell.session import Session, activate

    proc = process("nginx", ["sh", "-c", "for i in $(seq 1 1000); do echo hit; done | sort | uniq -c"])
    with activate(Session()) as session:
        status = main(proc, "dash")
        steps = session.steps
    assert (proc.stdout.getvalue(), status) == ("   1000 hit\n", 0)
    assert steps < 3000


def test_sleep_moves_the_exec_clock_only() -> None:
    from kubesim.runtime.shell.session import Session, activate

    proc = process("nginx", ["sh", "-c", "sleep 2; sleep 1.5"])
    with activate(Session()) as session:
        main(proc, "dash")
    assert session.elapsed == 3.5


def test_output_goes_to_the_given_stream() -> None:
    proc = process("nginx", ["sh", "-c", "echo out; echo err >&2"])
    proc.stdout, proc.stderr = io.StringIO(), io.StringIO()
    main(proc, "dash")
    assert (proc.stdout.getvalue(), proc.stderr.getvalue()) == ("out\n", "err\n")
