"""Migration 0005: a database with postings gains the conditions columns; old rows read as stating none."""

from __future__ import annotations

from datetime import datetime

from alembic import command
from sqlalchemy import create_engine, inspect, text

from pacsjobs.store import open_store
from pacsjobs.store.condition_filters import ConditionFilters
from pacsjobs.store.migrate import alembic_config
from pacsjobs.store.search import SearchFilters, search_postings
from pacsjobs.understand.conditions import condition_words, flags

T0 = datetime(2026, 11, 1, 6, 0, 0)


def test_rows_from_before_0005_upgrade_and_can_be_filtered(db_url):
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
        conn.execute(text(
            "INSERT INTO postings (source, source_id, url, title, locations, is_pacs_role, relevance, "
            "relevance_reasons, skills, certifications, degree_or_experience, is_staffing_agency, "
            "first_seen_at, last_seen_at, content_hash) VALUES ('jsonld:x', '1', 'https://x.example/1', "
            "'PACS Administrator', '[]', true, 0.9, '[]', '[]', '[]', false, false, :t, :t, 'h')"), {"t": T0})
    engine.dispose()
    with open_store(db_url) as st:
        columns = {c["name"] for c in inspect(st.engine).get_columns("postings")}
        assert {"conditions", "on_call", "travel", "shift", "salary_ranges"} <= columns
        old = st.get_posting(1)
        assert old.on_call is False and old.travel is False and old.shift is None
        assert flags(old.conditions) == (False, False, None) and condition_words(old.conditions) == []
        assert [p.id for p in search_postings(st, SearchFilters(conditions=ConditionFilters(on_call=False)))] == [1]
        assert search_postings(st, SearchFilters(conditions=ConditionFilters(on_call=True))) == []


def test_0005_downgrades_to_0002(db_url):
    with open_store(db_url):
        pass
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    with engine.connect() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("postings")}
    engine.dispose()
    assert not {"conditions", "on_call", "travel", "shift", "salary_ranges"} & columns
