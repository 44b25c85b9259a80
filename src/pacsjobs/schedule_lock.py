"""One scheduler per database: ``SchedulerLock`` (an OS file lock beside a SQLite file, a PostgreSQL
advisory lock) and the table that names the holder."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    insert,
    select,
    text,
)

from pacsjobs.errors import PacsjobsError
from pacsjobs.timeutil import utcnow

log = logging.getLogger("pacsjobs.schedule")

_lock_metadata = MetaData()
LOCK_TABLE = Table(
    "scheduler_lock", _lock_metadata,
    Column("id", Integer, primary_key=True),  # always 1: the one scheduler of this database
    Column("pid", Integer, nullable=False),
    Column("hostname", String(255), nullable=False),
    Column("started_at", DateTime, nullable=False),
)


# The advisory lock's key. Advisory locks are per database; the key includes the schema so that
# separate pacsjobs schemas in one database each get their own scheduler.
_PG_KEY = "hashtextextended('pacsjobs-scheduler:' || current_database() || ':' || current_schema(), 0)"


class SchedulerBusy(PacsjobsError):
    """Another scheduler holds this database's scheduler lock."""




class SchedulerLock:
    """Only one scheduler per database: an OS file lock beside a SQLite file, a PostgreSQL advisory lock.

    Both are released by the operating system or the server when the holder dies (kill -9 too), so
    a stale lock never blocks. The ``scheduler_lock`` row only says who holds it (pid, host).
    """

    def __init__(self, store):
        self.store = store
        self._fd: Any = None  # the filelock.FileLock held beside a SQLite file
        self._conn = None

    def _lock_file(self) -> Path:
        database = self.store.engine.url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            raise PacsjobsError("the scheduler needs a database file or server, not an in-memory database")
        return Path(database).expanduser().resolve().with_name(Path(database).name + ".scheduler.lock")

    def holder(self) -> str:
        """Who holds the lock, from the ``scheduler_lock`` row: "pid N on HOST"."""
        _lock_metadata.create_all(self.store.engine)
        with self.store.engine.connect() as conn:
            row = conn.execute(select(LOCK_TABLE).where(LOCK_TABLE.c.id == 1)).first()
        if row is None:
            return "pid unknown"
        return f"pid {row.pid} on {row.hostname}, since {row.started_at:%Y-%m-%d %H:%M:%S} UTC"

    def acquire(self) -> None:
        """Take the lock, or raise SchedulerBusy naming the holder."""
        if self.store.dialect == "sqlite":
            from filelock import FileLock, Timeout

            lock = FileLock(self._lock_file(), timeout=0)  # fcntl here, msvcrt on Windows
            try:
                lock.acquire()
            except Timeout:
                raise SchedulerBusy(f"another scheduler is running ({self.holder()})") from None
            self._fd = lock
        else:
            conn = self.store.engine.connect()
            got = conn.execute(text(f"SELECT pg_try_advisory_lock({_PG_KEY})")).scalar()
            conn.commit()
            if not got:
                conn.close()
                raise SchedulerBusy(f"another scheduler is running ({self.holder()})")
            self._conn = conn
        _lock_metadata.create_all(self.store.engine)
        with self.store.engine.begin() as conn:
            conn.execute(delete(LOCK_TABLE))
            conn.execute(insert(LOCK_TABLE).values(id=1, pid=os.getpid(), hostname=socket.gethostname(),
                                                   started_at=utcnow()))

    def release(self) -> None:
        """Give the lock back (and clear the row that names this process)."""
        if self._fd is None and self._conn is None:
            return
        with contextlib.suppress(Exception), self.store.engine.begin() as conn:
            conn.execute(delete(LOCK_TABLE).where(LOCK_TABLE.c.pid == os.getpid()))
        if self._fd is not None:
            self._fd.release()
            self._fd = None
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.execute(text(f"SELECT pg_advisory_unlock({_PG_KEY})"))
                self._conn.commit()
            self._conn.close()
            self._conn = None

    def running(self) -> str | None:
        """The holder when a scheduler runs now, else None (a probe that writes nothing)."""
        if self.store.dialect == "sqlite":
            import fcntl

            path = self._lock_file()
            if not path.exists():
                return None
            fd = os.open(path, os.O_RDONLY)
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return self.holder()
            finally:
                os.close(fd)  # closing also drops a shared lock we got
            return None
        with self.store.engine.connect() as conn:
            got = conn.execute(text(f"SELECT pg_try_advisory_lock({_PG_KEY})")).scalar()
            if got:
                conn.execute(text(f"SELECT pg_advisory_unlock({_PG_KEY})"))
            conn.commit()
        return None if got else self.holder()


# --- the scheduler ------------------------------------------------------------------------------
