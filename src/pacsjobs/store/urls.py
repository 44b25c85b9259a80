"""Database URLs: parse them, mask their passwords, and say in one line what is wrong and the fix."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from pacsjobs.errors import PacsjobsError

SQLITE_MAGIC = b"SQLite format 3\x00"


class DatabaseURLError(PacsjobsError):
    """The database URL cannot be used: unparsable, a missing driver, a server that does not answer."""


def mask_password(url: str) -> str:
    """The URL as it may be printed: any password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL: hide what looks like user:password@
        head, sep, tail = url.partition("@")
        if sep and ":" in head.split("//", 1)[-1]:
            scheme, _, creds = head.rpartition("//")
            return f"{scheme}//{creds.split(':', 1)[0]}:***@{tail}"
        return url


def normalize(url: str) -> str:
    """postgresql:// and postgres:// mean the psycopg 3 driver (the one pacsjobs depends on)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def parse(url: str) -> URL:
    """A usable SQLAlchemy URL, or one line naming the (masked) URL and the fix."""
    shown = mask_password(url)
    try:
        parsed = make_url(normalize(url))
    except ArgumentError:
        raise DatabaseURLError(f"database URL {shown!r} cannot be parsed; write it as "
                               "sqlite:///path/to/file.db or postgresql+psycopg://user@host/dbname") from None
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        if importlib.util.find_spec("psycopg") is None:
            raise DatabaseURLError(f"database URL {shown!r} needs the PostgreSQL driver: "
                                   "pip install 'pacsjobs[postgres]' (psycopg 3)")
    elif backend != "sqlite":
        raise DatabaseURLError(f"database URL {shown!r}: pacsjobs supports sqlite:/// and "
                               f"postgresql+psycopg:// URLs, not {backend}")
    return parsed


def sqlite_file(parsed: URL) -> Path | None:
    """The file of a SQLite URL (None for an in-memory or URI database)."""
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:" \
            or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def absolute_sqlite_url(url: str, home: Path) -> str:
    """A SQLite URL naming a relative file (or ``~``) made absolute under ``home``; other URLs unchanged."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return url  # parse() says what is wrong with it when the database is opened
    path = sqlite_file(parsed)
    if path is None or str(home / path) == parsed.database:
        return url  # in memory, a URI filename, another database, or already absolute
    return parsed.set(database=str(home / path)).render_as_string(hide_password=False)


def check_sqlite_file(path: Path, shown: str) -> None:
    """A file that exists must be a SQLite database (not a text file, not a folder)."""
    if path.is_dir():
        raise DatabaseURLError(f"database URL {shown!r} names a folder, not a SQLite file")
    if path.exists() and path.stat().st_size:
        with path.open("rb") as fh:
            if fh.read(16) != SQLITE_MAGIC:
                raise DatabaseURLError(f"database URL {shown!r}: {path} is not a SQLite database "
                                       "(point [database] url at another file)")


def require_existing(url: str) -> None:
    """Reading commands never create a database: a missing SQLite file is one line and a hint."""
    parsed = parse(url)
    path = sqlite_file(parsed)
    if path is not None and not path.exists():
        raise DatabaseURLError(f"no database at {path} yet: run `pacsjobs crawl` (or `pacsjobs run`) "
                               "first, or check --config / [database] url (`pacsjobs where`)")


def explain_connect_error(url: str, exc: BaseException) -> DatabaseURLError:
    """A failure to connect or to read the schema, as one line with the fix."""
    shown = mask_password(url)
    lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    text = lines[0] if lines else type(exc).__name__  # the driver's own first line says what failed
    if "postgresql" in shown:
        return DatabaseURLError(f"cannot connect to the database {shown!r}: {text} "
                                "(is the PostgreSQL server running and the URL right?)")
    return DatabaseURLError(f"cannot open the database {shown!r}: {text}")
