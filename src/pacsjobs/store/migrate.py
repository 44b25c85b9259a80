"""Run the schema migrations programmatically (no alembic.ini needed at runtime)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from pacsjobs.errors import PacsjobsError

if TYPE_CHECKING:  # Alembic is imported when a migration runs: a crawl's worker never needs it
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any fixed number: PostgreSQL advisory lock that serializes concurrent first-time migrations.
_PG_LOCK_KEY = 0x70A5_0B5


class SchemaError(PacsjobsError):
    """The database's schema is one this version of pacsjobs cannot use."""


def alembic_config() -> Config:
    """An Alembic config pointing at the migrations folder inside the package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    """The newest revision this version of pacsjobs knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, url_for_messages: str = "") -> str:
    """Migrate the database to head; returns the head revision.

    Serialized across processes (SQLite: an immediate write transaction; PostgreSQL: an advisory
    lock), so a scheduler and a crawl starting together on a new database do not race.
    """
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = alembic_config()
    script = ScriptDirectory.from_config(cfg)
    head = script.get_current_head()
    current = current_revision(engine)
    _check_known(script, current, url_for_messages)
    if current == head:
        return head
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        # Someone else may have migrated while we waited for the lock: read the version, and look
        # for tables made without one, only now (before the lock another process's migration may
        # be half visible: its tables committed, its version not yet read).
        current = MigrationContext.configure(conn).get_current_revision()
        _check_known(script, current, url_for_messages)
        if current is None and inspect(conn).has_table("postings"):
            where = f" {url_for_messages}" if url_for_messages else ""
            raise SchemaError(
                f"the database{where} has a postings table but no schema version (alembic_version): "
                "it was not created by pacsjobs; point database_url at a new file or an empty database"
            )
        if current != head:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        conn.commit()
    return head


def _check_known(script: ScriptDirectory, current: str | None, url: str) -> None:
    if current is None:
        return
    try:
        known = script.get_revision(current) is not None
    except Exception:  # noqa: BLE001 - alembic raises several kinds for an unknown revision
        known = False
    if not known:
        where = f" {url}" if url else ""
        raise SchemaError(
            f"the database{where} has schema revision {current!r}, which this version of pacsjobs "
            "does not know: it was written by a newer pacsjobs; upgrade pacsjobs "
            f"(this version knows up to {script.get_current_head()!r})"
        )
