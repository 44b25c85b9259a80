"""Migration 0006: postings gain ``partial``; rows whose reasons say they were decided on a snippet
are marked partial, the others stay full, and ``query --partial/--full`` finds them."""

from __future__ import annotations

import json
from datetime import datetime

from alembic import command
from sqlalchemy import create_engine, inspect, text

from pacsjobs.store import open_store
from pacsjobs.store.condition_filters import ConditionFilters
from pacsjobs.store.migrate import alembic_config
from pacsjobs.store.search import SearchFilters, search_postings

T0 = datetime(2026, 11, 1, 6, 0, 0)
# The reason line as builds before 0006 wrote it (with its apostrophe), beside ordinary reasons.
OLD_SNIPPET_REASON = "partial: decided on the search result's snippet (the full posting could not be read)"
INSERT = text(
    "INSERT INTO postings (source, source_id, url, title, locations, is_pacs_role, relevance, "
    "relevance_reasons, skills, certifications, degree_or_experience, is_staffing_agency, "
    "first_seen_at, last_seen_at, content_hash) VALUES (:source, :sid, 'https://x.example/1', "
    "'PACS Administrator', '[]', true, 0.9, :reasons, '[]', '[]', false, false, :t, :t, 'h')")


def _engine(db_url: str):
    return create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))


def test_rows_from_before_0006_are_marked_partial_from_their_reason_line(db_url):
    engine = _engine(db_url)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
        for source, sid, reasons in (
                ("careeronestop", "snippet", ["title names PACS", OLD_SNIPPET_REASON]),
                ("careeronestop", "full", ["title names PACS"]),
                ("jsonld:x", "employer", ["description mentions DICOM, HL7"])):
            conn.execute(INSERT, {"source": source, "sid": sid, "reasons": json.dumps(reasons), "t": T0})
    engine.dispose()
    with open_store(db_url) as st:
        assert "partial" in {c["name"] for c in inspect(st.engine).get_columns("postings")}
        by_id = {p.source_id: p for p in search_postings(st, SearchFilters(limit=None))}
        assert {sid: p.partial for sid, p in by_id.items()} == {"snippet": True, "full": False, "employer": False}
        assert OLD_SNIPPET_REASON in by_id["snippet"].relevance_reasons  # the reason line stays

        def ids(partial: bool) -> list[str]:
            found = search_postings(st, SearchFilters(conditions=ConditionFilters(partial=partial)))
            return sorted(p.source_id for p in found)

        assert ids(True) == ["snippet"]
        assert ids(False) == ["employer", "full"]


def test_0006_downgrades_to_0005(db_url):
    with open_store(db_url):
        pass
    engine = _engine(db_url)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
    with engine.connect() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("postings")}
    engine.dispose()
    assert "partial" not in columns and "on_call" in columns
