"""Named locks across processes, per database: ``with held(store, "digest-guide"): ...``.

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

from sqlalchemy import text

from pacsjobs.errors import PacsjobsError

POLL_SECONDS = 0.1


class LockTimeout(PacsjobsError):
    """Another process held the lock for longer than we wait."""


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
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no OS lock here; one process at a time
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(f"{name}: another process has held {path} for over {timeout:.0f} s"
                                      ) from None
                time.sleep(POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


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
