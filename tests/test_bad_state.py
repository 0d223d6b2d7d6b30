"""A bad KUBESIM_* variable or a state.db kubesim cannot use: one error line, exit 1, the files untouched.

Every case runs the installed entry point in a real process, as a new user would meet it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import MANIFESTS, run_process

RESET_HINT = "run 'kubesim cluster reset' to move it aside and start a fresh cluster"
KUBESIM_COLUMNS = "resource, namespace, name, uid, rv, body"


def files_in(home: Path) -> dict[str, bytes]:
    """Everything in KUBESIM_HOME, byte for byte: a refused state must leave all of it as it was."""
    return {path.name: path.read_bytes() for path in sorted(home.iterdir())}


def refused(args: list[str], home: Path, extra_env: dict | None = None) -> str:
    """Run a command that must fail before doing anything; return its one stderr line."""
    result = run_process(args, home, extra_env=extra_env)
    assert "Traceback" not in result.stderr
    assert (result.stdout, result.returncode) == ("", 1), result
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n"), result.stderr
    return result.stderr


def write_sqlite(path: Path, *statements: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            connection.execute(statement)
    finally:
        connection.close()


def header(path: Path) -> tuple[int, int]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT * FROM pragma_application_id(), pragma_user_version()").fetchone()
    finally:
        connection.close()


def make_cluster(home: Path) -> None:
    result = run_process(["create", "namespace", "keep-me"], home)
    assert (result.stdout, result.stderr, result.returncode) == ("namespace/keep-me created\n", "", 0)


# -- the environment ----------------------------------------------------------------------------

def test_a_wall_clock_that_is_not_a_time_is_named_and_nothing_is_created(tmp_path: Path):
    home = tmp_path / "home"
    line = refused(["get", "po"], home, {"KUBESIM_WALL_CLOCK": "garbage"})
    assert line == 'error: KUBESIM_WALL_CLOCK="garbage" is not an RFC 3339 time (e.g. 2024-07-01T10:00:00Z)\n'
    assert not home.exists()


def test_a_seed_that_is_not_an_integer_is_named_instead_of_ignored(tmp_path: Path):
    home = tmp_path / "home"
    line = refused(["get", "po"], home, {"KUBESIM_SEED": "abc"})
    assert line == 'error: KUBESIM_SEED="abc" is not an integer (e.g. 42)\n'
    assert not home.exists()


def test_an_empty_seed_or_clock_means_unset_and_a_negative_seed_is_a_seed(tmp_path: Path):
    result = run_process(["get", "ns", "-o", "name"], tmp_path / "home",
                         extra_env={"KUBESIM_SEED": "", "KUBESIM_WALL_CLOCK": ""})
    assert (result.stderr, result.returncode) == ("", 0)
    result = run_process(["get", "ns", "default", "-o", "name"], tmp_path / "home", extra_env={"KUBESIM_SEED": "-7"})
    assert (result.stdout, result.stderr, result.returncode) == ("namespace/default\n", "", 0)


def test_a_home_that_is_a_regular_file_is_refused_and_kept(tmp_path: Path):
    home = tmp_path / "home"
    home.write_bytes(b"my notes\n")
    assert refused(["get", "po"], home) == (
        f"error: KUBESIM_HOME={home} is not a directory; point KUBESIM_HOME at a directory "
        "(kubesim creates it if it is missing)\n")
    assert home.read_bytes() == b"my notes\n"


def test_the_default_home_is_named_by_its_path_when_kubesim_home_is_unset(tmp_path: Path):
    (tmp_path / ".kubesim").write_bytes(b"my notes\n")
    assert refused(["get", "po"], tmp_path / "unused", {"KUBESIM_HOME": "", "HOME": str(tmp_path)}) == (
        f"error: {tmp_path}/.kubesim is not a directory; point KUBESIM_HOME at a directory "
        "(kubesim creates it if it is missing)\n")
    assert (tmp_path / ".kubesim").read_bytes() == b"my notes\n"


def test_a_home_below_a_regular_file_cannot_be_created(tmp_path: Path):
    (tmp_path / "file").write_bytes(b"my notes\n")
    home = tmp_path / "file" / "kubesim"
    assert refused(["get", "po"], home) == (
        f"error: cannot create KUBESIM_HOME={home} (Not a directory); point KUBESIM_HOME at a directory you "
        "can write\n")
    assert (tmp_path / "file").read_bytes() == b"my notes\n"


def test_a_home_nobody_can_write_in_is_refused(tmp_path: Path):
    # Tests run as root, whom file modes do not stop; /proc refuses new files to everyone (kubesim, like
    # its command server, is for Linux).
    assert refused(["get", "po"], Path("/proc")) == (
        "error: cannot use /proc/state.db (unable to open database file); make sure you can read and write "
        "KUBESIM_HOME=/proc and the files in it\n")


# -- the state file ---------------------------------------------------------------------------

def test_a_state_that_is_not_a_database_is_refused_and_left_as_it_was(tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "state.db").write_bytes(b"apiVersion: v1\nkind: Pod\n")
    before = files_in(home)
    for args in (["get", "po"], ["create", "namespace", "x"], ["cluster", "info"]):
        assert refused(args, home) == (
            f"error: {home}/state.db is not a kubesim state database (file is not a database); {RESET_HINT}\n")
    assert files_in(home) == before


def test_a_state_that_is_a_directory_is_refused(tmp_path: Path):
    home = tmp_path / "home"
    (home / "state.db").mkdir(parents=True)
    assert refused(["get", "po"], home) == (
        f"error: {home}/state.db is a directory, not a kubesim state database; {RESET_HINT}\n")
    assert [path.name for path in home.iterdir()] == ["state.db"] and list((home / "state.db").iterdir()) == []


@pytest.mark.parametrize(("statements", "problem"), [
    (["CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
      "CREATE TABLE objects (resource TEXT, name TEXT, body TEXT)",
      "CREATE TABLE allocations (pool TEXT, value TEXT, owner TEXT)",
      "INSERT INTO objects VALUES ('pods', 'web', '{}')"],
     f"table objects does not have kubesim's columns: {KUBESIM_COLUMNS}"),
    (["CREATE TABLE objects (a, b)"], "it has no table meta"),
    (["CREATE TABLE users (name TEXT, email TEXT)", "INSERT INTO users VALUES ('ann', 'ann@example.com')"],
     "it holds users, which kubesim does not use"),
    (["PRAGMA user_version = 7", "CREATE TABLE notes (body TEXT)"],
     "it is another program's SQLite database: user_version 7"),
    (["PRAGMA application_id = 1179603015", "CREATE TABLE meta (key, value)"],
     "it is another program's SQLite database: application_id 1179603015"),
], ids=["objects-without-uid", "objects-alone", "unrelated", "other-user-version", "other-application-id"])
def test_a_sqlite_database_of_another_schema_is_refused_and_left_as_it_was(tmp_path: Path, statements, problem):
    home = tmp_path / "home"
    write_sqlite(home / "state.db", *statements)
    before = files_in(home)
    assert refused(["get", "po"], home) == (
        f"error: {home}/state.db is not a kubesim state database ({problem}); {RESET_HINT}\n")
    assert refused(["create", "namespace", "x"], home).startswith(f"error: {home}/state.db is not a kubesim")
    assert files_in(home) == before


def test_a_state_with_damaged_pages_is_refused_and_left_as_it_was(tmp_path: Path):
    home = tmp_path / "home"
    make_cluster(home)
    state = home / "state.db"
    damaged = bytearray(state.read_bytes())
    damaged[100:4096] = bytes(index * 13 % 256 for index in range(100, 4096))  # page 1 after the header
    state.write_bytes(bytes(damaged))
    before = files_in(home)
    assert refused(["get", "ns"], home) == (
        f"error: {state} is damaged (database disk image is malformed); {RESET_HINT}\n")
    assert files_in(home) == before


def test_a_state_from_a_newer_kubesim_is_refused_and_left_as_it_was(tmp_path: Path):
    home = tmp_path / "home"
    make_cluster(home)
    write_sqlite(home / "state.db", "PRAGMA user_version = 4")
    before = files_in(home)
    assert refused(["get", "ns"], home) == (
        f"error: {home}/state.db was written by a newer kubesim (state schema version 4; this kubesim reads "
        f"version 3); use that kubesim, or {RESET_HINT}\n")
    assert files_in(home) == before


def test_a_state_from_before_versions_were_recorded_is_upgraded_in_place(tmp_path: Path):
    home = tmp_path / "home"
    make_cluster(home)
    # What the first kubesim left: no version in the header, no container files, no session affinity.
    write_sqlite(home / "state.db", "PRAGMA application_id = 0", "PRAGMA user_version = 0",
                 "DROP TABLE files", "DROP TABLE affinity")
    result = run_process(["get", "ns", "-o", "name"], home)
    assert (result.stdout, result.stderr, result.returncode) == (
        "namespace/default\nnamespace/keep-me\nnamespace/kube-node-lease\nnamespace/kube-public\n"
        "namespace/kube-system\n", "", 0)
    assert header(home / "state.db") == (0x6B53696D, 3)
    result = run_process(["run", "web", "--image=luksa/kubia"], home)
    assert (result.stdout, result.stderr, result.returncode) == ("pod/web created\n", "", 0)
    result = run_process(["exec", "web", "--", "sh", "-c", "echo hi > /tmp/note && cat /tmp/note"], home)
    assert (result.stdout, result.stderr, result.returncode) == ("hi\n", "", 0)


def test_a_version_1_state_gets_its_owner_index_and_cascading_deletes_still_find_the_pods(tmp_path: Path):
    home = tmp_path / "home"
    result = run_process(["create", "-f", str(MANIFESTS / "kubia-rc.yaml")], home)
    assert result.returncode == 0, result
    # What version 1 wrote: the same objects, no owners table.
    write_sqlite(home / "state.db", "PRAGMA user_version = 1", "DROP TABLE owners")
    result = run_process(["delete", "rc", "kubia"], home)
    assert (result.stdout, result.stderr, result.returncode) == (
        'replicationcontroller "kubia" deleted from default namespace\n', "", 0)
    assert header(home / "state.db") == (0x6B53696D, 3)
    result = run_process(["get", "po", "-o", "name"], home)
    assert (result.stdout, result.stderr, result.returncode) == ("", "", 0)


def test_a_version_2_state_gets_its_label_index_and_selectors_still_find_the_pods(tmp_path: Path):
    home = tmp_path / "home"
    result = run_process(["create", "-f", str(MANIFESTS / "kubia-rc.yaml")], home)
    assert result.returncode == 0, result
    names = run_process(["get", "po", "-o", "name"], home).stdout
    # What version 2 wrote: the same objects, no labels table.
    write_sqlite(home / "state.db", "PRAGMA user_version = 2", "DROP TABLE labels")
    result = run_process(["get", "po", "-l", "app=kubia", "-o", "name"], home)
    assert (result.stdout, result.stderr, result.returncode) == (names, "", 0)
    assert header(home / "state.db") == (0x6B53696D, 3)
    result = run_process(["create", "-f", str(MANIFESTS / "kubia-svc.yaml")], home)
    assert result.returncode == 0, result
    result = run_process(["get", "endpointslices", "-l", "kubernetes.io/service-name=kubia", "-o",
                          "jsonpath={.items[0].endpoints[*].targetRef.name}"], home)
    assert sorted(result.stdout.split()) == sorted(name.removeprefix("pod/") for name in names.split())


def test_a_state_of_an_older_recorded_version_is_refused_when_no_upgrade_is_known(kubesim, monkeypatch):
    from kubesim.store import db

    kubesim.ok("get", "ns")
    monkeypatch.setattr(db, "SCHEMA_VERSION", 4)  # as the next kubesim will see today's states
    result = kubesim("get", "ns")
    assert (result.stdout, result.stderr, result.code) == ("", (
        f"error: {kubesim.home}/state.db was written by an older kubesim (state schema version 3), which this "
        f"kubesim cannot upgrade; {RESET_HINT}\n"), 1)


# -- cluster reset ----------------------------------------------------------------------------

def test_reset_moves_a_damaged_state_aside_and_never_over_an_earlier_one(tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    state = home / "state.db"
    aside = f"{state}.damaged-20240701T100000Z"
    for number, (content, moved_to) in enumerate([(b"first\n", aside), (b"second\n", aside + ".2")]):
        state.write_bytes(content)
        (home / "state.db-wal").write_bytes(b"its wal\n")
        result = run_process(["cluster", "reset"], home)
        assert (result.stdout, result.stderr, result.returncode) == (
            f"Cluster reset: {state} is not a kubesim state database (file is not a database); moved it aside to "
            f"{moved_to}\nCluster reset: a fresh cluster is ready in {state}\n", "", 0), number
        assert Path(moved_to).read_bytes() == content
        assert Path(moved_to + "-wal").read_bytes() == b"its wal\n"
    assert Path(aside).read_bytes() == b"first\n"
    result = run_process(["get", "ns", "-o", "name"], home)
    assert (result.stdout, result.stderr, result.returncode) == (
        "namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n", "", 0)


def test_reset_moves_a_state_with_damaged_pages_aside(tmp_path: Path):
    home = tmp_path / "home"
    make_cluster(home)
    state = home / "state.db"
    damaged = bytearray(state.read_bytes())
    damaged[4096:] = bytes(index * 7 % 256 for index in range(4096, len(damaged)))  # all but page 1
    state.write_bytes(bytes(damaged))
    result = run_process(["cluster", "reset"], home)
    aside = home / "state.db.damaged-20240701T100000Z"
    # What SQLite's integrity check reports in the parentheses varies with its version.
    assert result.stdout.startswith(f"Cluster reset: {state} is damaged (")
    assert result.stdout.endswith(f"); moved it aside to {aside}\nCluster reset: a fresh cluster is ready in "
                                  f"{state}\n")
    assert (result.stdout.count("\n"), result.stderr, result.returncode) == (2, "", 0)
    assert aside.read_bytes() == bytes(damaged)
    result = run_process(["get", "ns", "keep-me"], home)
    assert (result.stdout, result.stderr, result.returncode) == (
        "", 'Error from server (NotFound): namespaces "keep-me" not found\n', 1)


def test_reset_moves_a_newer_kubesims_state_aside_under_its_version(tmp_path: Path):
    home = tmp_path / "home"
    make_cluster(home)
    write_sqlite(home / "state.db", "PRAGMA user_version = 4")
    kept = (home / "state.db").read_bytes()
    result = run_process(["cluster", "reset"], home)
    aside = home / "state.db.schema-v4-20240701T100000Z"
    assert (result.stdout, result.stderr, result.returncode) == (
        f"Cluster reset: {home}/state.db was written by a newer kubesim (state schema version 4; this kubesim "
        f"reads version 3); moved it aside to {aside}\nCluster reset: a fresh cluster is ready in "
        f"{home}/state.db\n", "", 0)
    assert aside.read_bytes() == kept
    assert header(home / "state.db") == (0x6B53696D, 3)


def test_reset_replaces_a_healthy_state_as_before(tmp_path: Path):
    home = tmp_path / "home"
    make_cluster(home)
    result = run_process(["cluster", "reset"], home)
    assert (result.stdout, result.stderr, result.returncode) == (
        f"Cluster reset: a fresh cluster is ready in {home}/state.db\n", "", 0)
    assert sorted(path.name for path in home.iterdir()) == ["state.db"]
    result = run_process(["get", "ns", "keep-me"], home)
    assert (result.stdout, result.stderr, result.returncode) == (
        "", 'Error from server (NotFound): namespaces "keep-me" not found\n', 1)
