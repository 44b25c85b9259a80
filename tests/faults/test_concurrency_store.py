"""Issue 11 §2: an insert race never drops a batch (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import datetime

from sqlalchemy import func, select

from pacsjobs.store import open_store
from pacsjobs.store.models import PostingRow
from tests.faults.lifecycle_db import assert_sound
from tests.test_store import make

T0 = datetime(2026, 12, 1, 6, 0)
SOURCE = "greenhouse:acme-imaging"


def _count(url: str) -> int:
    with open_store(url) as store, store.session() as session:
        return session.scalar(select(func.count()).select_from(PostingRow))


def test_a_batch_that_loses_the_insert_race_is_stored_not_dropped(db_url, monkeypatch):
    """B read "nothing stored" before A committed the same postings: B's insert hits the unique
    key, and B does its batch again instead of losing it."""
    batch = [make(str(i)) for i in range(50)]
    with open_store(db_url) as a, open_store(db_url) as b:
        real = type(b)._existing
        calls = {"n": 0}

        def stale_then_real(session, keys, *args):
            calls["n"] += 1
            if calls["n"] == 1:  # B's first look, before A's commit: nothing there yet
                a.upsert_postings(batch[:30], now=T0)
                return {}
            return real(session, keys, *args)

        monkeypatch.setattr(b, "_existing", stale_then_real)
        run_id = b.start_run(SOURCE)
        counts = b.upsert_postings(batch, run_id=run_id, now=T0)
    assert calls["n"] >= 2  # it did the batch again
    assert (counts.new, counts.unchanged + counts.updated) == (20, 30)
    assert _count(db_url) == 50
    with open_store(db_url) as store:
        store.finish_run(run_id, "succeeded", True)
    assert_sound(db_url)


def test_many_writers_of_the_same_batch_store_it_once(db_url):
    batch = [make(str(i)) for i in range(200)]
    writers = 4
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []
    news: list[int] = []

    def write() -> None:
        try:
            with open_store(db_url, migrate_schema=False) as store:
                barrier.wait()
                news.append(store.upsert_postings(batch, now=T0).new)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    open_store(db_url).close()  # migrated once, before the writers start
    threads = [threading.Thread(target=write) for _ in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and len(news) == writers
    assert sum(news) == 200 and _count(db_url) == 200
    assert_sound(db_url)


def test_which_errors_are_a_lost_race():
    from sqlalchemy.exc import IntegrityError, OperationalError

    from pacsjobs.store.core import _lost_a_race

    class PgError(Exception):
        def __init__(self, sqlstate):
            super().__init__(sqlstate)
            self.sqlstate = sqlstate

    assert _lost_a_race(IntegrityError("INSERT", {}, PgError("23505")))
    assert _lost_a_race(OperationalError("UPDATE", {}, PgError("40P01")))  # deadlock detected
    assert _lost_a_race(OperationalError("UPDATE", {}, PgError("40001")))  # serialization failure
    assert not _lost_a_race(OperationalError("UPDATE", {}, PgError("57P01")))  # the server shut down
    assert not _lost_a_race(OperationalError("UPDATE", {}, Exception("disk I/O error")))
