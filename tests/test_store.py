"""The store on both backends: upserts, change detection, skills, lifecycle, full-text sync, WAL."""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from pacsjobs.record import Posting
from pacsjobs.store import Store, StoreError, UpsertCounts, content_hash, open_store
from pacsjobs.store.models import CrawlRun, PostingRow, PostingSkill

T0 = datetime(2026, 11, 1, 6, 0, 0)
T1 = T0 + timedelta(hours=6)
T2 = T1 + timedelta(hours=6)

DESCRIPTION = (
    "The PACS Administrator maintains the picture archiving and communication system for the "
    "radiology and cardiology departments: DICOM routing, HL7 interfaces with the RIS and Epic "
    "Radiant, modality worklist configuration and image quality control. Requires ARRT "
    "registration and three years of PACS experience."
)


def make(source_id: str, source: str = "greenhouse:acme-imaging", **changes) -> Posting:
    """A realistic posting record; ``changes`` override fields."""
    base = Posting(
        source=source, source_id=source_id,
        url=f"https://boards.greenhouse.io/acmeimaging/jobs/{source_id}",
        title="PACS Administrator", employer="Acme Imaging", location_text="Cleveland, OH",
        city="Cleveland", state="OH", country="US",
        locations=[{"city": "Cleveland", "state": "OH", "country": "US"}], workplace="onsite",
        employment_type="full_time", salary_min=38.5, salary_max=52.0, salary_currency="USD",
        salary_period="hour", salary_annual_min=80080.0, salary_annual_max=108160.0,
        salary_source="structured", salary_raw="$38.50 - $52.00 per hour",
        date_posted=date(2026, 10, 28), date_posted_raw="2026-10-28",
        description_html=f"<p>{DESCRIPTION}</p>", description_text=DESCRIPTION,
        is_pacs_role=True, relevance=0.93, relevance_reasons=["title says PACS Administrator"],
        skills=["DICOM", "HL7", "RIS"], certifications=["ARRT"], degree="bachelor",
        years_experience_min=3.0, source_updated="2026-10-28T12:00:00Z",
    )
    return replace(base, **changes)


@pytest.fixture
def store(db_url):
    with open_store(db_url) as st:
        yield st


def rows(store: Store, source: str = "greenhouse:acme-imaging") -> dict[str, PostingRow]:
    with store.session() as s:
        return {r.source_id: r for r in s.scalars(select(PostingRow).where(PostingRow.source == source))}


def test_upsert_counts_new_updated_unchanged(store):
    run = store.start_run("greenhouse:acme-imaging", now=T0)
    first = store.upsert_postings([make("1"), make("2"), make("3")], run_id=run, now=T0)
    assert (first.new, first.updated, first.unchanged) == (3, 0, 0)
    assert len(set(first.ids)) == 3
    again = store.upsert_postings([make("1"), make("2", title="Senior PACS Administrator"), make("3"),
                                   make("4")], run_id=run, now=T1)
    assert (again.new, again.updated, again.unchanged) == (1, 1, 2)
    assert again.ids[:3] == first.ids  # same rows, same ids, in the order given
    assert sorted(again.changed_ids) == sorted([first.ids[1], again.ids[3]])
    with store.session() as s:
        run_row = s.get(CrawlRun, run)
    assert (run_row.found, run_row.new, run_row.updated, run_row.unchanged) == (7, 4, 1, 2)


def test_first_seen_kept_last_seen_updated(store):
    store.upsert_postings([make("1")], now=T0)
    store.upsert_postings([make("1")], now=T1)
    row = rows(store)["1"]
    assert row.first_seen_at == T0
    assert row.last_seen_at == T1
    assert row.closed_at is None


@pytest.mark.parametrize("field,value", [
    ("title", "PACS Administrator II"),
    ("salary_max", 55.0),
    ("description_text", DESCRIPTION + " Night shift differential."),
    ("state", "PA"),
    ("employment_type", "part_time"),
    ("valid_through", date(2026, 12, 31)),
])
def test_one_changed_field_is_exactly_one_update(store, field, value):
    postings = [make(str(i)) for i in range(5)]
    store.upsert_postings(postings, now=T0)
    postings[2] = replace(postings[2], **{field: value})
    counts = store.upsert_postings(postings, now=T1)
    assert (counts.new, counts.updated, counts.unchanged) == (0, 1, 4)
    row = rows(store)["2"]
    assert getattr(row, field) == value
    assert row.content_hash == content_hash(postings[2])
    assert row.first_seen_at == T0


def test_whitespace_and_relative_dates_are_not_changes(store):
    store.upsert_postings([make("1", date_posted_raw="Posted 3 Days Ago")], now=T0)
    counts = store.upsert_postings([make("1", title="  PACS   Administrator ",
                                         date_posted_raw="Posted 4 Days Ago")], now=T1)
    assert (counts.updated, counts.unchanged) == (0, 1)


def test_new_change_marker_is_stored_without_counting_an_update(store):
    store.upsert_postings([make("1", source_updated="2026-10-28T12:00:00Z")], now=T0)
    counts = store.upsert_postings([make("1", source_updated="2026-10-30T08:00:00Z")], now=T1)
    assert (counts.updated, counts.unchanged) == (0, 1)
    assert store.known_markers("greenhouse:acme-imaging") == {"1": "2026-10-30T08:00:00Z"}


def test_a_failing_batch_writes_nothing(store):
    store.upsert_postings([make("1")], now=T0)
    # The run id is checked last, after every row of the batch was written: all must roll back.
    with pytest.raises(StoreError, match="no crawl run with id 4242"):
        store.upsert_postings([make("1", title="Changed title"), make("2"),
                               make("3", skills=["PACS"])], run_id=4242, now=T1)
    got = rows(store)
    assert set(got) == {"1"}
    assert got["1"].title == "PACS Administrator"
    assert got["1"].last_seen_at == T0
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(PostingSkill)) == 4


def test_a_posting_without_title_is_refused_with_its_name(store):
    with pytest.raises(StoreError, match="'greenhouse:acme-imaging'/'9' has no title"):
        store.upsert_postings([make("8"), make("9", title=None)], now=T0)
    assert rows(store) == {}


def test_duplicate_ids_in_one_batch_keep_the_last(store):
    counts = store.upsert_postings([make("1", title="First"), make("1", title="Second")], now=T0)
    assert counts.new == 1 and len(counts.ids) == 1
    assert rows(store)["1"].title == "Second"


def skills_of(store: Store, posting_id: int) -> set[tuple[str, str]]:
    with store.session() as s:
        return {(r.skill, r.kind) for r in
                s.scalars(select(PostingSkill).where(PostingSkill.posting_id == posting_id))}


def test_skills_table_follows_the_posting(store):
    (pid,) = store.upsert_postings([make("1")], now=T0).ids
    assert skills_of(store, pid) == {("DICOM", "skill"), ("HL7", "skill"), ("RIS", "skill"),
                                     ("ARRT", "certification")}
    store.upsert_postings([make("1", skills=["DICOM", "SQL"], certifications=["CIIP"])], now=T1)
    assert skills_of(store, pid) == {("DICOM", "skill"), ("SQL", "skill"), ("CIIP", "certification")}
    store.upsert_postings([make("1", skills=[], certifications=[])], now=T2)
    assert skills_of(store, pid) == set()


def test_close_missing_and_reopen(store):
    run = store.start_run("greenhouse:acme-imaging", now=T0)
    store.upsert_postings([make("1"), make("2"), make("3")], now=T0)
    store.upsert_postings([make("1", source="lever:other")], now=T0)
    closed = store.close_missing("greenhouse:acme-imaging", {"1", "3"}, run_id=run, now=T1)
    assert closed == 1
    got = rows(store)
    assert got["2"].closed_at == T1
    assert got["1"].closed_at is None and got["3"].closed_at is None
    assert rows(store, "lever:other")["1"].closed_at is None  # other sources untouched
    assert store.close_missing("greenhouse:acme-imaging", {"1", "3"}, now=T2) == 0  # already closed
    with store.session() as s:
        assert s.get(CrawlRun, run).closed == 1
    # It comes back: reopened, unchanged content, first_seen kept.
    counts = store.upsert_postings([make("2")], now=T2)
    assert counts.unchanged == 1
    row = rows(store)["2"]
    assert row.closed_at is None and row.last_seen_at == T2 and row.first_seen_at == T0


def test_touch_seen_reopens_and_counts(store):
    run = store.start_run("greenhouse:acme-imaging", now=T0)
    store.upsert_postings([make("1"), make("2")], now=T0)
    store.close_missing("greenhouse:acme-imaging", {"1"}, now=T1)
    touched = store.touch_seen("greenhouse:acme-imaging", ["1", "2", "404"], run_id=run, now=T2)
    assert touched == 2
    got = rows(store)
    assert got["2"].closed_at is None and got["2"].last_seen_at == T2
    with store.session() as s:
        r = s.get(CrawlRun, run)
        assert (r.unchanged, r.found) == (2, 2)


def test_known_markers_include_closed(store):
    store.upsert_postings([make("1", source_updated="a"), make("2", source_updated=None)], now=T0)
    store.close_missing("greenhouse:acme-imaging", {"1"}, now=T1)
    assert store.known_markers("greenhouse:acme-imaging") == {"1": "a", "2": None}
    assert store.known_markers("nothing") == {}


def test_get_posting_roundtrip(store):
    original = make("1")
    (pid,) = store.upsert_postings([original], now=T0).ids
    got = store.get_posting(pid)
    assert got is not None
    assert got.to_dict(bookkeeping=False) == original.to_dict(bookkeeping=False)
    assert (got.id, got.first_seen_at, got.last_seen_at, got.closed_at) == (pid, T0, T0, None)
    assert store.get_posting(pid + 1000) is None


def fts_ids(store: Store, words: str) -> set[int]:
    """The other helper's query shape on each backend (the names are the contract)."""
    with store.session() as s:
        if store.dialect == "sqlite":
            sql = "SELECT rowid FROM postings_fts WHERE postings_fts MATCH :q"
            return set(s.scalars(text(sql), {"q": words}))
        sql = ("SELECT id FROM postings WHERE to_tsvector('english', coalesce(title,'') || ' ' || "
               "coalesce(employer,'') || ' ' || coalesce(description_text,'')) @@ "
               "plainto_tsquery('english', :q)")
        return set(s.scalars(text(sql), {"q": words}))


def test_full_text_search_follows_insert_update_delete(store):
    ids = store.upsert_postings([make("1"), make("2", title="Imaging Informatics Analyst",
                                                   description_text="Supports Sectra and Visage.")],
                                now=T0).ids
    assert fts_ids(store, "sectra") == {ids[1]}
    assert fts_ids(store, "administrators") == {ids[0]}  # stemmed: porter / english
    store.upsert_postings([make("2", title="Imaging Informatics Analyst",
                                description_text="Supports Fujifilm Synapse.")], now=T1)
    assert fts_ids(store, "sectra") == set()
    assert fts_ids(store, "synapse") == {ids[1]}
    store.touch_seen("greenhouse:acme-imaging", ["1", "2"], now=T2)  # bookkeeping only
    assert fts_ids(store, "synapse") == {ids[1]}
    with store.session() as s, s.begin():
        s.execute(text("DELETE FROM postings WHERE id = :id"), {"id": ids[1]})
    assert fts_ids(store, "synapse") == set()
    assert fts_ids(store, "acme") == {ids[0]}


def test_postgres_fts_index_exists(pg_url):
    with open_store(pg_url) as st, st.engine.connect() as conn:
        indexdef = conn.scalar(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_postings_fts' "
                                    "AND schemaname = current_schema()"))
    assert indexdef is not None and "gin" in indexdef and "to_tsvector" in indexdef


def test_sqlite_pragmas(sqlite_url):
    with open_store(sqlite_url) as st, st.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


def test_sqlite_creates_the_parent_folder(tmp_path):
    path = tmp_path / "deep" / "er" / "jobs.db"
    with open_store(f"sqlite:///{path}") as st:
        st.upsert_postings([make("1")], now=T0)
    assert path.exists()


def test_reader_reads_while_a_writer_holds_a_write_transaction(sqlite_url, tmp_path):
    with open_store(sqlite_url) as st:
        st.upsert_postings([make("1")], now=T0)
        path = str(tmp_path / "pacsjobs.db")
        writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            writer.execute("BEGIN IMMEDIATE")
            writer.execute("UPDATE postings SET title = 'Being rewritten' WHERE source_id = '1'")
            started = time.monotonic()
            with st.session() as s:  # the store's own connection, with its 30 s busy timeout
                titles = list(s.scalars(select(PostingRow.title)))
            assert titles == ["PACS Administrator"]  # the last committed state, not the writer's
            assert time.monotonic() - started < 2  # read at once, did not wait for the writer

            # A second writer waits for the first instead of failing.
            done = threading.Event()

            def finish_writer() -> None:
                time.sleep(0.3)
                writer.execute("COMMIT")
                done.set()

            threading.Thread(target=finish_writer).start()
            counts = st.upsert_postings([make("2")], now=T1)
            assert done.is_set() and counts.new == 1
        finally:
            writer.close()
        assert rows(st)["1"].title == "Being rewritten"


def test_upsert_counts_is_the_contract_type(store):
    counts = store.upsert_postings([], now=T0)
    assert isinstance(counts, UpsertCounts)
    assert (counts.new, counts.updated, counts.unchanged, counts.ids) == (0, 0, 0, [])
