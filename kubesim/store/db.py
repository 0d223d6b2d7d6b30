"""The cluster's state in one SQLite file: objects, allocations and a few counters.

Every request runs in one transaction. Writers take the write lock up front (``BEGIN IMMEDIATE``)
so two processes never deadlock upgrading a read lock, and a busy timeout makes the second one
wait instead of failing with "database is locked". The store knows nothing of Kubernetes rules.

The file says what it is in its header: ``application_id`` marks it as kubesim's and ``user_version``
is the schema version. Nothing is written to a file until those say it is a state this kubesim
can use, so a damaged file, somebody else's database or a newer kubesim's state is left as it was.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

TYPE_CHECKING = False  # typing costs a few ms per command; annotations alone need it
if TYPE_CHECKING:
    from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS objects (
    resource TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    uid TEXT NOT NULL,
    rv INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (resource, namespace, name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS objects_by_uid ON objects (uid);
CREATE TABLE IF NOT EXISTS files (
    owner TEXT NOT NULL,
    path TEXT NOT NULL,
    kind TEXT NOT NULL,
    mode INTEGER NOT NULL,
    mtime REAL NOT NULL,
    content BLOB,
    PRIMARY KEY (owner, path)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS affinity (
    service TEXT NOT NULL,
    client TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    expires REAL NOT NULL,
    PRIMARY KEY (service, client)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS allocations (
    pool TEXT NOT NULL,
    value TEXT NOT NULL,
    owner TEXT NOT NULL,
    PRIMARY KEY (pool, value)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS owners (
    owner TEXT NOT NULL,
    resource TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (owner, resource, namespace, name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS owners_by_object ON owners (resource, namespace, name);
CREATE TABLE IF NOT EXISTS labels (
    resource TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (resource, key, value, namespace, name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS labels_by_object ON labels (resource, namespace, name);
"""

# The schema this kubesim writes (PRAGMA user_version). Version 2 added `owners` (the garbage
# collector's index of ownerReferences), version 3 `labels` (objects by label, in the order a list
# prints them); versions 1 and 2 and a state from before versions were recorded (perhaps without
# `files` and `affinity`) are upgraded in place.
SCHEMA_VERSION = 3
UPGRADABLE_VERSIONS = (1, 2)
# Indexes worked out from the objects, each filled when an upgrade adds its table.
DERIVED_TABLES = ("owners", "labels")
RESOURCE_VERSION = "resourceVersion"  # the meta key of the cluster-wide write counter
APPLICATION_ID = 0x6B53696D  # "kSim" in the file header: this SQLite file is a kubesim state
# Tables every kubesim state has held since the first one.
CORE_TABLES = ("meta", "objects", "allocations")

BUSY_TIMEOUT_SECONDS = 60.0


class KeyExists(Exception):
    """An insert found an object with the same resource, namespace and name."""


class UnusableState(Exception):
    """The file is not a state this kubesim can use: damaged, another program's, or another version's.

    ``problem`` completes the sentence "<path> …"; ``aside`` names the copy if it is moved aside.
    """

    def __init__(self, problem: str, aside: str = "damaged", newer: bool = False) -> None:
        super().__init__(problem)
        self.problem = problem
        self.aside = aside
        self.newer = newer


class InaccessibleState(Exception):
    """SQLite cannot open or write the file: ``cause`` is "access", "space" or "disk"."""

    def __init__(self, reason: str, cause: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.cause = cause


class Store:
    """One SQLite database in WAL mode; hands out transactions."""

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            self.connection = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
            )
            self.connection.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.DatabaseError as error:
            # Close it now, not whenever the half-made store is collected: an open connection can
            # leave -wal and -shm files beside a file that is being refused untouched.
            if getattr(self, "connection", None) is not None:
                self.connection.close()
            if os.path.isdir(path):
                raise UnusableState("is a directory, not a kubesim state database") from error
            raise_if_unusable(error)
            raise

    def schema_state(self) -> str:
        """What the file holds, without writing to it: "current" (this kubesim's schema), "new" (no
        tables yet: a new file, or one another process is creating) or "unversioned" (an older
        kubesim's, to be upgraded by ``ensure_schema``). Anything else raises ``UnusableState``."""
        try:
            application_id, version = self.connection.execute(
                "SELECT * FROM pragma_application_id(), pragma_user_version()").fetchone()
            if application_id == APPLICATION_ID and version == SCHEMA_VERSION:
                return "current"
            return self._older_state(application_id, version)
        except sqlite3.DatabaseError as error:
            raise_if_unusable(error)
            raise

    def _older_state(self, application_id: int, version: int) -> str:
        if application_id not in (0, APPLICATION_ID):
            raise UnusableState("is not a kubesim state database (it is another program's SQLite database: "
                                f"application_id {application_id})")
        if application_id == 0 and version != 0:
            raise UnusableState("is not a kubesim state database (it is another program's SQLite database: "
                                f"user_version {version})")
        if version > SCHEMA_VERSION:
            raise UnusableState(f"was written by a newer kubesim (state schema version {version}; this kubesim "
                                f"reads version {SCHEMA_VERSION})", aside=f"schema-v{version}", newer=True)
        if version != 0 and version not in UPGRADABLE_VERSIONS:
            raise UnusableState(f"was written by an older kubesim (state schema version {version}), which this "
                                f"kubesim cannot upgrade", aside=f"schema-v{version}")
        tables = {row[0]: row[1] for row in self.connection.execute(
            "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'")}
        if not tables:
            return "new"
        expected = _expected_columns()
        unknown = sorted(name for name in tables if name not in expected or tables[name] != "table")
        if unknown:
            raise UnusableState(f"is not a kubesim state database (it holds {', '.join(unknown)}, which kubesim "
                                "does not use)")
        for name in CORE_TABLES:
            if name not in tables:
                raise UnusableState(f"is not a kubesim state database (it has no table {name})")
        for name in tables:
            if self._columns(name) != expected[name]:
                wanted = ", ".join(column[1] for column in expected[name])
                raise UnusableState(f"is not a kubesim state database (table {name} does not have kubesim's "
                                    f"columns: {wanted})")
        return "unversioned"

    def _columns(self, table: str) -> list[tuple]:
        return [tuple(row) for row in self.connection.execute(f"PRAGMA table_info({table})")]

    def ensure_schema(self) -> None:
        """Create the tables (or add those an older kubesim lacked), record the schema version and
        switch to WAL; safe when many processes start at once."""
        connection = self.connection
        try:
            if connection.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("BEGIN IMMEDIATE")
            try:
                if self.schema_state() != "current":  # again, now that this process holds the write lock
                    had = {row[0] for row in connection.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table'")}
                    for statement in SCHEMA.split(";"):
                        if statement.strip():
                            connection.execute(statement)
                    _index_objects(connection, [t for t in DERIVED_TABLES if t not in had])
                    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as error:
            raise_if_unusable(error)
            raise

    def check_integrity(self) -> None:
        """Read every page (``PRAGMA quick_check``); raise ``UnusableState`` when any is damaged."""
        try:
            verdict = self.connection.execute("PRAGMA quick_check(1)").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise_if_unusable(error)
            raise
        if verdict != "ok":
            findings = "; ".join(line for line in verdict.splitlines() if not line.startswith("***"))
            raise UnusableState(f"is damaged ({findings})")

    @contextmanager
    def transaction(self, write: bool) -> Iterator[Transaction]:
        connection = self.connection
        try:
            connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            tx = Transaction(connection)
            try:
                yield tx
            except BaseException:
                if connection.in_transaction:  # SQLite has rolled back already after some failures
                    connection.execute("ROLLBACK")
                raise
            tx.flush()
            connection.execute("COMMIT")
        except sqlite3.DatabaseError as error:
            raise_if_unusable(error)
            raise

    def close(self) -> None:
        self.connection.close()


class Transaction:
    """Reads and writes inside one SQLite transaction. Objects go in and out as dicts."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        # The resourceVersion counter, read once and written back at commit: a bulk request bumps it
        # tens of thousands of times.
        self._resource_version: int | None = None

    def flush(self) -> None:
        """Write back what is held in memory (before a commit)."""
        if self._resource_version is not None:
            self.set_meta(RESOURCE_VERSION, str(self._resource_version))

    def checkpoint(self, write: bool) -> None:
        """Commit what was done so far and go on in a new transaction (read-only or writing).

        An interactive shell waits for input without holding the write lock, and takes it again for
        each line it runs.
        """
        self.flush()
        self.connection.execute("COMMIT")
        self._resource_version = None  # another process may write while the lock is let go
        self.connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")

    # -- counters and settings --------------------------------------------------------------
    def meta(self, key: str, default: str | None = None) -> str | None:
        if key == RESOURCE_VERSION and self._resource_version is not None:
            return str(self._resource_version)
        row = self.connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.connection.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def delete_meta(self, key: str) -> None:
        self.connection.execute("DELETE FROM meta WHERE key = ?", (key,))

    def meta_with_prefix(self, prefix: str) -> list[tuple[str, str]]:
        """(key, value) of every setting whose key starts with ``prefix``: a range scan of the key index."""
        return [tuple(row) for row in self.connection.execute(
            "SELECT key, value FROM meta WHERE key >= ? AND key < ? ORDER BY key", (prefix, prefix + "\uffff"))]

    def next_draw(self) -> int:
        """A counter for requests that draw random choices without writing an object (exec's routing)."""
        current = int(self.meta("randomDraws", "0") or 0) + 1
        self.set_meta("randomDraws", str(current))
        return current

    def next_resource_version(self) -> int:
        """One cluster-wide counter, bumped on every write, as etcd's revision is."""
        if self._resource_version is None:
            self._resource_version = int(self.meta(RESOURCE_VERSION, "0") or 0)
        self._resource_version += 1
        return self._resource_version

    # -- objects ------------------------------------------------------------------------------
    def get(self, resource: str, namespace: str, name: str) -> dict[str, Any] | None:
        row = self.connection.execute(
            "SELECT body FROM objects WHERE resource = ? AND namespace = ? AND name = ?",
            (resource, namespace, name),
        ).fetchone()
        return json.loads(row[0]) if row else None

    def exists(self, resource: str, namespace: str, name: str) -> bool:
        """Whether the object is stored, without reading (or decoding) its body."""
        return self.connection.execute(
            "SELECT 1 FROM objects WHERE resource = ? AND namespace = ? AND name = ?", (resource, namespace, name),
        ).fetchone() is not None

    def list(self, resource: str, namespace: str | None = None) -> list[dict[str, Any]]:
        """Objects of one resource, ordered by namespace then name (etcd key order)."""
        return list(self.iterate(resource, namespace))

    def iterate(self, resource: str, namespace: str | None = None,
                labels: Mapping[str, str] | None = None) -> Iterator[dict[str, Any]]:
        """The objects ``list`` returns, decoded one at a time as they are read: a caller that prints
        each and lets it go holds one object, not the whole list. ``labels`` (key → value) narrows the
        read to objects carrying all of them, found through the ``labels`` index (a service selecting 3
        pods among 10,000 reads 3); the caller still applies its whole selector."""
        if not labels:
            query = "SELECT body FROM objects WHERE resource = ?"
            arguments: list[Any] = [resource]
            if namespace is not None:
                query += " AND namespace = ?"
                arguments.append(namespace)
            query += " ORDER BY namespace, name"
        else:
            (first_key, first_value), *others = sorted(labels.items())
            query = ("SELECT o.body FROM labels AS l JOIN objects AS o ON o.resource = l.resource "
                     "AND o.namespace = l.namespace AND o.name = l.name "
                     "WHERE l.resource = ? AND l.key = ? AND l.value = ?")
            arguments = [resource, first_key, first_value]
            if namespace is not None:
                query += " AND l.namespace = ?"
                arguments.append(namespace)
            for key, value in others:
                query += (" AND EXISTS (SELECT 1 FROM labels AS m WHERE m.resource = l.resource AND m.key = ? "
                          "AND m.value = ? AND m.namespace = l.namespace AND m.name = l.name)")
                arguments += [key, value]
            query += " ORDER BY l.namespace, l.name"
        for row in self.connection.execute(query, arguments):
            yield json.loads(row[0])

    def list_namespace(self, namespace: str) -> list[tuple[str, dict[str, Any]]]:
        rows = self.connection.execute(
            "SELECT resource, body FROM objects WHERE namespace = ? ORDER BY resource, name", (namespace,)
        )
        return [(row[0], json.loads(row[1])) for row in rows]

    def insert(self, resource: str, obj: dict[str, Any]) -> None:
        meta = obj["metadata"]
        try:
            self.connection.execute(
                "INSERT INTO objects (resource, namespace, name, uid, rv, body) VALUES (?, ?, ?, ?, ?, ?)",
                (resource, meta.get("namespace", ""), meta["name"], meta["uid"],
                 int(meta["resourceVersion"]), _dump(obj)),
            )
        except sqlite3.IntegrityError as error:
            raise KeyExists(meta["name"]) from error
        _record_owners(self.connection, resource, obj)
        _record_labels(self.connection, resource, obj)

    def replace(self, resource: str, obj: dict[str, Any]) -> None:
        meta = obj["metadata"]
        namespace = meta.get("namespace", "")
        self.connection.execute(
            "UPDATE objects SET uid = ?, rv = ?, body = ? WHERE resource = ? AND namespace = ? AND name = ?",
            (meta["uid"], int(meta["resourceVersion"]), _dump(obj), resource, namespace, meta["name"]),
        )
        self.connection.execute("DELETE FROM owners WHERE resource = ? AND namespace = ? AND name = ?",
                                (resource, namespace, meta["name"]))
        _record_owners(self.connection, resource, obj)
        self.connection.execute("DELETE FROM labels WHERE resource = ? AND namespace = ? AND name = ?",
                                (resource, namespace, meta["name"]))
        _record_labels(self.connection, resource, obj)

    def remove(self, resource: str, namespace: str, name: str) -> None:
        self.connection.execute(
            "DELETE FROM objects WHERE resource = ? AND namespace = ? AND name = ?", (resource, namespace, name)
        )
        self.connection.execute("DELETE FROM owners WHERE resource = ? AND namespace = ? AND name = ?",
                                (resource, namespace, name))
        self.connection.execute("DELETE FROM labels WHERE resource = ? AND namespace = ? AND name = ?",
                                (resource, namespace, name))

    def find_owned_by(self, uid: str) -> list[tuple[str, dict[str, Any]]]:
        """Objects whose ownerReferences name this uid (the garbage collector's question), by index."""
        rows = self.connection.execute(
            "SELECT o.resource, o.body FROM owners AS w JOIN objects AS o ON o.resource = w.resource "
            "AND o.namespace = w.namespace AND o.name = w.name WHERE w.owner = ? "
            "ORDER BY o.resource, o.namespace, o.name", (uid,))
        return [(resource, json.loads(body)) for resource, body in rows]

    # -- container filesystems (the writable layer; the image's files are data in the catalogue) --
    def file(self, owner: str, path: str) -> tuple[str, int, float, bytes | None] | None:
        """(kind, mode, mtime, content) of one entry; kind is "file", "dir", "link" or "whiteout"."""
        row = self.connection.execute(
            "SELECT kind, mode, mtime, content FROM files WHERE owner = ? AND path = ?", (owner, path)
        ).fetchone()
        return (row[0], row[1], row[2], row[3]) if row else None

    def files_under(self, owner: str, directory: str) -> list[tuple[str, str, int, float, bytes | None]]:
        """Entries below a directory (any depth): (path, kind, mode, mtime, content)."""
        prefix = directory.rstrip("/") + "/"
        rows = self.connection.execute(
            "SELECT path, kind, mode, mtime, content FROM files WHERE owner = ? AND path >= ? AND path < ? "
            "ORDER BY path", (owner, prefix, prefix[:-1] + "0"),
        )
        return [tuple(row) for row in rows]

    def put_file(self, owner: str, path: str, kind: str, mode: int, mtime: float, content: bytes | None) -> None:
        self.connection.execute(
            "INSERT INTO files (owner, path, kind, mode, mtime, content) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(owner, path) DO UPDATE SET kind = excluded.kind, mode = excluded.mode, "
            "mtime = excluded.mtime, content = excluded.content",
            (owner, path, kind, mode, mtime, content),
        )

    def drop_file(self, owner: str, path: str) -> None:
        self.connection.execute("DELETE FROM files WHERE owner = ? AND path = ?", (owner, path))

    def drop_files_of(self, owner_prefix: str) -> None:
        """Forget every container filesystem whose owner starts with this prefix (a deleted pod's)."""
        self.connection.execute(
            "DELETE FROM files WHERE owner >= ? AND owner < ?", (owner_prefix, owner_prefix + "\uffff"))

    def drop_files_owned(self, owner: str) -> None:
        """Forget one container's writable layer (a restarted container starts from its image)."""
        self.connection.execute("DELETE FROM files WHERE owner = ?", (owner,))

    # -- session affinity ------------------------------------------------------------------------
    def affinity(self, service: str, client: str) -> tuple[str, float] | None:
        row = self.connection.execute(
            "SELECT endpoint, expires FROM affinity WHERE service = ? AND client = ?", (service, client)
        ).fetchone()
        return (row[0], row[1]) if row else None

    def remember_affinity(self, service: str, client: str, endpoint: str, expires: float) -> None:
        self.connection.execute(
            "INSERT INTO affinity (service, client, endpoint, expires) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(service, client) DO UPDATE SET endpoint = excluded.endpoint, expires = excluded.expires",
            (service, client, endpoint, expires),
        )

    def forget_affinity(self, service: str) -> None:
        self.connection.execute("DELETE FROM affinity WHERE service = ?", (service,))

    # -- allocations --------------------------------------------------------------------------
    def allocate(self, pool: str, value: str, owner: str) -> bool:
        """Claim a value (an IP, a port) in a pool; False when somebody holds it already."""
        cursor = self.connection.execute(
            "INSERT OR IGNORE INTO allocations (pool, value, owner) VALUES (?, ?, ?)", (pool, value, owner)
        )
        return cursor.rowcount == 1

    def release(self, pool: str, value: str) -> None:
        self.connection.execute("DELETE FROM allocations WHERE pool = ? AND value = ?", (pool, value))

    def allocated(self, pool: str) -> set[str]:
        return {row[0] for row in self.connection.execute("SELECT value FROM allocations WHERE pool = ?", (pool,))}

    def first_allocated(self, pool: str, limit: int) -> list[tuple[str, str]]:
        """The lowest values held in a pool, with their owners: the head of a queue kept as a pool."""
        return [(row[0], row[1]) for row in self.connection.execute(
            "SELECT value, owner FROM allocations WHERE pool = ? ORDER BY value LIMIT ?", (pool, limit))]

    def owner_of(self, pool: str, value: str) -> str | None:
        """Who holds a value: the index behind routing (cluster IP -> service, pod IP -> pod)."""
        row = self.connection.execute(
            "SELECT owner FROM allocations WHERE pool = ? AND value = ?", (pool, value)
        ).fetchone()
        return row[0] if row else None

    def is_allocated(self, pool: str, value: str) -> bool:
        row = self.connection.execute(
            "SELECT 1 FROM allocations WHERE pool = ? AND value = ?", (pool, value)
        ).fetchone()
        return row is not None


def raise_if_unusable(error: sqlite3.DatabaseError) -> None:
    """Say it in the state's terms when the file is at fault; return (for a plain ``raise``) otherwise."""
    name = error.sqlite_errorname or ""
    if name.startswith("SQLITE_NOTADB"):
        raise UnusableState(f"is not a kubesim state database ({error})") from error
    if name.startswith("SQLITE_CORRUPT"):
        raise UnusableState(f"is damaged ({error})") from error
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH", "SQLITE_READONLY")):
        raise InaccessibleState(str(error), "access") from error
    if name.startswith("SQLITE_FULL"):
        raise InaccessibleState(str(error), "space") from error
    if name.startswith("SQLITE_IOERR"):
        raise InaccessibleState(str(error), "disk") from error


def _expected_columns() -> dict[str, list[tuple]]:
    """Each table's PRAGMA table_info as SCHEMA makes it (asked of SQLite, so nothing is said twice)."""
    reference = sqlite3.connect(":memory:")
    try:
        reference.executescript(SCHEMA)
        names = [row[0] for row in reference.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: [tuple(row) for row in reference.execute(f"PRAGMA table_info({name})")] for name in names}
    finally:
        reference.close()


def _record_owners(connection: sqlite3.Connection, resource: str, obj: dict[str, Any]) -> None:
    meta = obj["metadata"]
    owners = {str(ref.get("uid")) for ref in meta.get("ownerReferences") or [] if ref.get("uid")}
    if owners:
        connection.executemany(
            "INSERT OR IGNORE INTO owners (owner, resource, namespace, name) VALUES (?, ?, ?, ?)",
            [(owner, resource, meta.get("namespace", ""), meta["name"]) for owner in sorted(owners)])


def _record_labels(connection: sqlite3.Connection, resource: str, obj: dict[str, Any]) -> None:
    meta = obj["metadata"]
    labels = meta.get("labels")
    if labels:
        connection.executemany(
            "INSERT OR IGNORE INTO labels (resource, key, value, namespace, name) VALUES (?, ?, ?, ?, ?)",
            [(resource, str(key), str(value), meta.get("namespace", ""), meta["name"])
             for key, value in labels.items()])


RECORDERS = {"owners": _record_owners, "labels": _record_labels}


def _index_objects(connection: sqlite3.Connection, tables: list[str]) -> None:
    """Fill derived indexes (``owners``, ``labels``) from the objects of a state written before they existed."""
    if not tables:
        return
    for resource, body in connection.execute("SELECT resource, body FROM objects").fetchall():
        obj = json.loads(body)
        for table in tables:
            RECORDERS[table](connection, resource, obj)


def _dump(obj: dict[str, Any]) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
