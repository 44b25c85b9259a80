"""Alembic environment: runs on the connection that ``pacsjobs.store.migrate`` hands over.

From the command line (``alembic -c src/pacsjobs/store/alembic.ini -x url=sqlite:///x.db ...``)
it opens its own connection to the ``-x url=`` database instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from pacsjobs.store.models import Base

config = context.config
target_metadata = Base.metadata


def _include(obj, name, type_, reflected, compare_to) -> bool:
    """Leave alone what the models do not describe: the full-text objects (made by hand in the
    migrations) and other tables sharing the database (the scheduler's job store and lock)."""
    if type_ == "table" and reflected and compare_to is None:
        return False
    return not (name or "").startswith(("postings_fts", "ix_postings_fts"))


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=_include,
        # SQLite cannot ALTER most things in place; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("give the database as: alembic -x url=sqlite:///path/to.db ...")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()
