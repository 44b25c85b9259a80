"""Schema migrations: run on first use, idempotent, match the models, refuse a future schema."""

from __future__ import annotations

from datetime import datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from pacsjobs.record import Posting
from pacsjobs.store import SchemaError, open_store
from pacsjobs.store.migrate import MIGRATIONS, alembic_config, current_revision, head_revision
from pacsjobs.store.models import Base

T0 = datetime(2026, 11, 1, 6, 0, 0)


def version(url: str) -> list[str]:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            return list(conn.scalars(text("SELECT version_num FROM alembic_version")))
    finally:
        engine.dispose()


def test_first_open_creates_every_table_at_head(db_url):
    with open_store(db_url) as st:
        tables = set(inspect(st.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables
    assert version(db_url) == [head_revision()]


def test_opening_twice_is_idempotent_and_keeps_data(db_url):
    with open_store(db_url) as st:
        st.upsert_postings([Posting(source="ashby:acme", source_id="a1", url="https://jobs.ashbyhq.com/acme/a1",
                                    title="Imaging Informatics Engineer")], now=T0)
    with open_store(db_url) as st:
        assert st.known_markers("ashby:acme") == {"a1": None}
        assert current_revision(st.engine) == head_revision()
    assert version(db_url) == [head_revision()]


def test_migrated_schema_matches_the_models(db_url):
    """A model change without a migration fails here (the FTS objects are the migration's own)."""
    with open_store(db_url) as st, st.engine.connect() as conn:
        def include(obj, name, type_, reflected, compare_to):
            return not (name or "").startswith("postings_fts") and name != "ix_postings_fts"

        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include})
        diffs = compare_metadata(ctx, Base.metadata)
    assert diffs == []


def test_a_database_at_0001_is_upgraded_with_its_data(db_url):
    """Build a database at the first revision with Alembic itself, then let open_store upgrade it."""
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    cfg = alembic_config()
    insert = text(
        "INSERT INTO postings (source, source_id, url, title, employer, state, description_text, "
        "locations, is_pacs_role, relevance, relevance_reasons, skills, certifications, "
        "degree_or_experience, is_staffing_agency, first_seen_at, last_seen_at, content_hash) "
        "VALUES (:source, :sid, :url, 'PACS Administrator', :employer, 'OH', :text, '[]', true, 0.9, "
        "'[]', '[]', '[]', false, false, :t, :t, 'x')")
    text_ = ("Maintain the Sectra PACS and vendor neutral archive, build modality worklists, resolve "
             "DICOM and HL7 interface errors and manage user access for radiology.")
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(insert, [
            {"source": "workday:ccf", "sid": "R1", "url": "https://ccf.wd1.myworkdayjobs.com/x/R1",
             "employer": "Cleveland Clinic", "text": text_, "t": T0},
            {"source": "jsonld:agg", "sid": "9", "url": "https://www.indeed.com/viewjob?jk=9",
             "employer": "The Cleveland Clinic Foundation", "text": text_, "t": T0},
        ])
    engine.dispose()
    with open_store(db_url) as st:
        posting = st.get_posting(1)
        assert posting is not None and posting.title == "PACS Administrator"
        assert posting.first_seen_at == T0
        with st.session() as s:
            blocks = list(s.scalars(text("SELECT employer_block FROM postings ORDER BY id")))
        assert blocks == ["cleveland", "cleveland"]  # filled in by 0002
        assert st.link_duplicates([2]) == 1  # and duplicate detection finds the old rows
        assert st.get_posting(2).duplicate_of == 1
    assert version(db_url) == [head_revision()]


def test_a_database_from_a_newer_pacsjobs_is_refused(db_url):
    with open_store(db_url):
        pass
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_future'"))
    engine.dispose()
    with pytest.raises(SchemaError, match="schema revision '0099_future'.*newer pacsjobs; upgrade pacsjobs"):
        open_store(db_url)


def test_the_migrations_ship_inside_the_package():
    assert (MIGRATIONS / "env.py").is_file()
    names = sorted(p.name for p in (MIGRATIONS / "versions").glob("0*.py"))
    assert names[:2] == ["0001_initial.py", "0002_employer_block.py"]
    assert head_revision() == names[-1].split("_", 1)[0]


def test_tables_made_without_migrations_are_refused(sqlite_url):
    engine = create_engine(sqlite_url)
    Base.metadata.create_all(engine)
    engine.dispose()
    with pytest.raises(SchemaError, match="has a postings table but no schema version"):
        open_store(sqlite_url)


OPEN_AND_WRITE = """
import sys
from pacsjobs.record import Posting
from pacsjobs.store import open_store
with open_store(sys.argv[1]) as st:
    st.upsert_postings([Posting(source="greenhouse:x", source_id=sys.argv[2], url="https://x", title="PACS Analyst")])
"""


def test_processes_opening_a_new_database_together_all_succeed(db_url):
    """A scheduler and a crawl child may both be first to open a new database."""
    import subprocess
    import sys

    procs = [subprocess.Popen([sys.executable, "-c", OPEN_AND_WRITE, db_url, str(i)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(2)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    assert [code for code, _ in results] == [0, 0], results
    with open_store(db_url) as st:
        assert sorted(st.known_markers("greenhouse:x")) == ["0", "1"]
    assert version(db_url) == [head_revision()]
