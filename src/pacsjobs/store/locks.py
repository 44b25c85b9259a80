"""Named locks across processes, per database: ``with held(store, "digest-guide"): ...``.

``HeldLocks`` takes many locks without waiting and holds them together (a crawl takes one per
source: ``crawl-<source>``); a lock that is taken names its holder.

A digest of one profile must not be built by two processes at once (a scheduled run and a
``pacsjobs digest`` by hand): both would select the same unsent postings and mail them twice.
SQLite: an OS file lock beside the database file; PostgreSQL: an advisory lock of the session.
Both are released by the operating system or the server when the holder dies, so a stale lock
never blocks. An in-memory database belongs to one process and needs none.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from filelock import FileLock
from filelock import Timeout as FileLockTimeout
from sqlalchemy import text

from pacsjobs.errors import PacsjobsError

POLL_SECONDS = 0.1


def crawl_lock(source: str) -> str:
    """The lock a crawl of ``source`` holds while it runs: one crawl of a source at a time."""
    return f"crawl-{source}"


class LockTimeout(PacsjobsError):
    """Another process held the lock for longer than we wait."""


def _who_path(database: str, name: str) -> Path:
    """Beside a lock file: who holds it ("pid 123 on host, run 7"), for the process that finds it taken."""
    path = lock_path(database, name)
    return path.with_name(path.name + ".who")


def lock_path(database: str, name: str) -> Path:
    """The lock file of ``name`` beside a SQLite database file."""
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
    path = Path(database).expanduser().resolve()
    return path.with_name(f"{path.name}.{safe}.lock")


@contextlib.contextmanager
def held(store: Any, name: str, timeout: float = 600.0) -> Iterator[None]:
    """Hold the lock ``name`` of the store's database; wait up to ``timeout`` seconds for it."""
    if store.dialect == "sqlite":
        database = store.engine.url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            yield
            return
        with _file_lock(lock_path(database, name), name, timeout):
            yield
    elif store.dialect == "postgresql":
        with _advisory_lock(store, name, timeout):
            yield
    else:  # pragma: no cover - the store supports only the two
        yield


@contextlib.contextmanager
def _file_lock(path: Path, name: str, timeout: float) -> Iterator[None]:
    # filelock: fcntl on POSIX, msvcrt on Windows; released by the OS when the holder dies.
    try:
        with FileLock(path, timeout=timeout):
            yield
    except FileLockTimeout:
        raise LockTimeout(f"{name}: another process has held {path} for over {timeout:.0f} s") from None


# Advisory locks are per database: the key names the schema too, so that separate pacsjobs schemas
# in one database each have their own locks.
_KEY = "hashtextextended('pacsjobs-lock:' || :name || ':' || current_database() || ':' || current_schema(), 0)"


@contextlib.contextmanager
def _advisory_lock(store: Any, name: str, timeout: float) -> Iterator[None]:
    with store.engine.connect() as conn:
        key = conn.execute(text(f"SELECT {_KEY}"), {"name": name}).scalar()
        deadline = time.monotonic() + timeout
        while not conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar():
            conn.commit()
            if time.monotonic() >= deadline:
                raise LockTimeout(f"{name}: another process has held the database's lock for over "
                                  f"{timeout:.0f} s")
            time.sleep(POLL_SECONDS)
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            conn.commit()


class HeldLocks:
    """Locks taken without waiting and held until ``close``: one file each beside SQLite, one
    connection for all of them on PostgreSQL. ``who`` ("pid 123 on host") is what a process that
    finds one of them taken is told."""

    def __init__(self, store: Any, who: str):
        self.store = store
        self.who = who
        self._files: dict[str, FileLock] = {}
        self._conn: Any = None
        self._keys: dict[str, int] = {}

    def __enter__(self) -> HeldLocks:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _database(self) -> str | None:
        database = self.store.engine.url.database
        if self.store.dialect != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
            return None
        return database

    def _connection(self) -> Any:
        if self._conn is None:
            self._conn = self.store.engine.connect()
            self._conn.execute(text("SELECT set_config('application_name', :who, false)"),
                               {"who": f"pacsjobs {self.who}"[:63]})
            self._conn.commit()
        return self._conn

    def take(self, name: str) -> bool:
        """Take the lock ``name`` if no other process holds it; False when one does."""
        if name in self._files or name in self._keys:
            return True
        if self.store.dialect == "postgresql":
            conn = self._connection()
            key = conn.execute(text(f"SELECT {_KEY}"), {"name": name}).scalar()
            taken = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar()
            conn.commit()
            if taken:
                self._keys[name] = key
            return bool(taken)
        database = self._database()
        if database is None:
            return True  # an in-memory database belongs to this process
        lock = FileLock(lock_path(database, name), timeout=0)
        try:
            lock.acquire()
        except FileLockTimeout:
            return False
        # filelock truncates the lock file when it tries it: who holds it goes in a file of its own
        _who_path(database, name).write_text(self.who)
        self._files[name] = lock
        return True

    def holder(self, name: str) -> str | None:
        """Who holds ``name`` (as its holder described itself), when that can be read."""
        if self.store.dialect == "postgresql":
            conn = self._connection()
            found = conn.execute(text(f"""
                SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database()
                  AND ((l.classid::bigint << 32) | l.objid::bigint) = {_KEY}"""), {"name": name}).scalar()
            conn.commit()
            return found.removeprefix("pacsjobs ") if found else None
        database = self._database()
        try:
            return (_who_path(database, name).read_text().strip() or None) if database else None
        except OSError:
            return None

    def release(self, name: str) -> None:
        """Release one lock taken here (a crawl that ended frees its source for the next)."""
        lock = self._files.pop(name, None)
        if lock is not None:
            lock.release()
        key = self._keys.pop(name, None)
        if key is not None and self._conn is not None:
            self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            self._conn.commit()

    def close(self) -> None:
        """Release every lock taken (a process that dies releases them too: the OS, the server)."""
        for lock in self._files.values():
            lock.release()
        self._files.clear()
        if self._conn is not None:
            for key in self._keys.values():
                self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            self._conn.commit()
            self._conn.close()
            self._conn = None
        self._keys.clear()


def is_free(store: Any, name: str) -> bool:
    """True when no process holds ``name`` now (taken and released at once)."""
    with HeldLocks(store, f"pid {os.getpid()} (probe)") as probe:
        return probe.take(name)
