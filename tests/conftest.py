"""Shared fixtures: the local HTTP server, config folders and databases for tests."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from tests.mockserver.client import MockServer

# Tests never read or write the real user's config and data folders (platformdirs follows XDG).
_USER_DIRS = Path(tempfile.mkdtemp(prefix="pacsjobs-test-home-"))
os.environ["XDG_CONFIG_HOME"] = str(_USER_DIRS / "config")
os.environ["XDG_DATA_HOME"] = str(_USER_DIRS / "data")

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def mockserver():
    server = MockServer(FIXTURES)
    yield server
    server.stop()


@pytest.fixture
def server(mockserver):
    """The session's mock server with routes and log cleared for this test."""
    mockserver.reset()
    return mockserver


PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _pg_admin():
    """A connection to the CI / dev PostgreSQL, or a skip reason."""
    try:
        import psycopg
    except ImportError:
        pytest.skip("psycopg is not installed (pip install '.[postgres]')")
    try:
        return psycopg.connect("host=127.0.0.1 port=5432 dbname=test user=postgres", connect_timeout=3,
                               autocommit=True)
    except Exception as exc:  # noqa: BLE001 - any failure to connect means: no server here
        pytest.skip(f"no PostgreSQL on 127.0.0.1:5432 ({exc.__class__.__name__})")


@pytest.fixture
def pg_url():
    """A SQLAlchemy URL to a fresh, private schema in the local PostgreSQL (dropped afterwards).

    A schema per test keeps parallel test runs and other test modules out of each other's way.
    """
    import uuid

    conn = _pg_admin()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.close()


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'pacsjobs.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """Runs a test on both backends: a SQLite file, and the local PostgreSQL where it answers."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'pacsjobs.db'}"
    return request.getfixturevalue("pg_url")
