"""The store: open the database, upsert postings in batches, keep crawl history, link duplicates."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from pacsjobs.store import migrate
from pacsjobs.store import urls as db_urls
from pacsjobs.store.duplicates import DuplicatesMixin
from pacsjobs.store.errors import CloseRefused, StoreError
from pacsjobs.store.postings import PostingsMixin, UpsertCounts, content_hash
from pacsjobs.store.postings import _lost_a_race as _lost_a_race
from pacsjobs.store.runs import ORPHANED_MESSAGE, RUN_STATUSES, RunsMixin


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    try:
        # WAL lets readers (pacsjobs query) run while a crawl writes; the busy timeout makes a
        # second writer wait instead of failing at once.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def open_store(url: str, *, migrate_schema: bool = True, echo: bool = False, create: bool = True) -> Store:
    """Open (and create on first use, unless ``create`` is False) the database at ``url``.

    Every URL mistake and connection failure is one ``DatabaseURLError`` line naming the URL
    (password masked) and the fix.
    """
    parsed = db_urls.parse(url)
    shown = db_urls.mask_password(url)
    path = db_urls.sqlite_file(parsed)
    if not create:
        db_urls.require_existing(url)
    if parsed.get_backend_name() == "sqlite":
        if path is not None:
            db_urls.check_sqlite_file(path, shown)
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, echo=echo)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(parsed, echo=echo, pool_pre_ping=True)
    store = Store(engine)
    if migrate_schema:
        try:
            migrate.upgrade(engine, parsed.render_as_string(hide_password=True))
        except (OperationalError, InterfaceError) as exc:
            engine.dispose()
            raise db_urls.explain_connect_error(url, exc) from None
        except Exception:
            engine.dispose()
            raise
    return store


class Store(PostingsMixin, DuplicatesMixin, RunsMixin):
    """The job database: postings, their skills, crawl runs. One instance per process."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.platforms: dict[str, str] = {}  # source name -> platform, for choosing canonicals

    # -- lifecycle -----------------------------------------------------------------------------

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self) -> Session:
        return self._sessions()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["ORPHANED_MESSAGE", "RUN_STATUSES", "CloseRefused", "Store", "StoreError", "UpsertCounts",
           "content_hash", "open_store"]
