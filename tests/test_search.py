"""Search: the FTS text language, filters and ranking, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import text, update

from pacsjobs.errors import PacsjobsError
from pacsjobs.record import Posting
from pacsjobs.store.models import PostingRow
from pacsjobs.store.search import (
    SearchFilters,
    fts5_query,
    parse_duration,
    parse_money,
    parse_state,
    search_postings,
    search_statement,
)

store_mod = pytest.importorskip("pacsjobs.store", reason="pacsjobs.store (store helper) not present")

NOW = datetime(2026, 11, 20, 12, 0, 0)
TODAY = NOW.date()


def make(source_id: str, title: str, **kw) -> Posting:
    kw.setdefault("source", "jsonld:cleveland-clinic")
    kw.setdefault("is_pacs_role", True)
    kw.setdefault("relevance", 0.9)
    return Posting(source_id=source_id, url=f"https://jobs.example.org/{source_id}", title=title, **kw)


CORPUS = [
    make("1", "PACS Administrator", employer="Cleveland Clinic", city="Cleveland", state="OH",
         workplace="onsite", salary_annual_min=85000, salary_annual_max=100000,
         date_posted=TODAY - timedelta(days=2), skills=["DICOM", "HL7", "PACS"],
         description_text="Administer the PACS; troubleshoot DICOM routing and HL7 interfaces."),
    make("2", "Imaging Informatics Analyst", employer="OhioHealth", city="Columbus", state="OH",
         workplace="hybrid", salary_annual_min=70000, salary_annual_max=90000,
         date_posted=TODAY - timedelta(days=20), skills=["HL7", "Epic Radiant"],
         source="workday:ohiohealth",
         description_text="Support Epic Radiant and imaging informatics workflows across 12 hospitals."),
    make("3", "Senior PACS Engineer", employer="Sectra 100% Remote", workplace="remote",
         salary_annual_min=110000, salary_annual_max=130000, date_posted=TODAY - timedelta(days=1),
         skills=["DICOM", "Linux"], source="greenhouse:sectra",
         description_text="Deploy vendor neutral archives on Linux; DICOM and IHE profiles."),
    make("4", "Radiologic Technologist", employer="Houston Methodist", city="Houston", state="TX",
         workplace="onsite", salary_annual_min=72800, salary_annual_max=72800, is_pacs_role=False,
         relevance=0.1, date_posted=TODAY - timedelta(days=3), skills=["ARRT"],
         description_text="Perform x-ray exams; send images to PACS."),
    make("5", "PACS Administrator II", employer="Baylor Scott & White", city="Dallas", state="TX",
         salary_annual_max=95000, date_posted=TODAY - timedelta(days=40), skills=["DICOM"],
         description_text="Maintain the PACS and DICOM modality worklists."),
    make("6", "Radiology Systems Administrator", employer="VA Medical Center", city="Cleveland",
         state="OH", salary_annual_min=80000, date_posted=None, skills=["PACS", "HL7"],
         source="usajobs", description_text="Radiology information systems and PACS administration."),
]


@pytest.fixture
def store(db_url):
    with store_mod.open_store(db_url) as st:
        counts = st.upsert_postings(CORPUS, now=NOW - timedelta(days=30))
        ids = dict(zip([p.source_id for p in CORPUS], counts.ids, strict=True))
        with st.engine.begin() as conn:
            conn.execute(update(PostingRow).where(PostingRow.id == ids["5"]).values(closed_at=NOW))
            # posting 6 has no date: its first sighting decides whether it is recent
            conn.execute(update(PostingRow).where(PostingRow.id == ids["6"])
                         .values(first_seen_at=NOW - timedelta(days=1)))
        st.ids = ids  # type: ignore[attr-defined]
        yield st


def found(store, **kw) -> list[str]:
    kw.setdefault("limit", None)
    return [p.source_id for p in search_postings(store, SearchFilters(**kw))]


def test_default_is_open_pacs_roles_newest_first(store):
    # 4 is not a PACS role, 5 is closed; 6 has no date so it sorts after dated postings
    assert found(store) == ["3", "1", "2", "6"]


def test_text_ranks_title_matches_first(store):
    result = found(store, text="dicom", include_closed=True)
    assert set(result) == {"1", "3", "5"}
    pacs = found(store, text="pacs")
    assert set(pacs[:2]) == {"1", "3"} and pacs[2:] == ["6"]  # 6 says PACS only in its description


def test_text_stems_words(store):
    assert found(store, text="administrators") == found(store, text="administrator")
    assert "1" in found(store, text="administrators")


def test_text_phrase_or_and_exclusion(store):
    assert found(store, text='"imaging informatics"') == ["2"]
    assert found(store, text='"informatics imaging"') == []
    assert sorted(found(store, text="radiant or linux")) == ["2", "3"]
    assert sorted(found(store, text="dicom -senior")) == ["1"]
    assert found(store, text="pacs radiology") == ["6"]


@pytest.mark.parametrize("weird", ['"unbalanced', "title:dicom", "NEAR(dicom pacs)", "dicom*", "AND",
                                   "OR OR dicom", "(dicom", "c++ dicom"])
def test_text_with_fts_syntax_never_fails(store, weird):
    assert isinstance(found(store, text=weird), list)


@pytest.mark.parametrize("bad, message", [
    ("-dicom", "an excluded word (-word) needs a word to search for"),
    ("!!! ...", "no words to search for"),
])
def test_text_errors_are_one_clear_line(store, bad, message):
    with pytest.raises(PacsjobsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        found(store, text=bad)


def test_filters(store):
    assert found(store, states=["oh"]) == ["1", "2", "6"]
    assert found(store, states=["OH", "Texas"], include_closed=True) == ["1", "2", "5", "6"]
    assert found(store, city="CLEVELAND") == ["1", "6"]
    assert found(store, remote=True) == ["3"]
    assert found(store, employer="ohio") == ["2"]
    assert found(store, employer="100%") == ["3"]  # % is literal, not a wildcard
    assert found(store, employer="%") == ["3"]
    assert found(store, source="greenhouse") == ["3"]
    assert found(store, source="greenhouse:sectra") == ["3"]
    assert found(store, source="greenhouse:sec") == []
    assert found(store, skills=["hl7"]) == ["1", "2", "6"]
    assert found(store, skills=["HL7", "DICOM"]) == ["1"]
    assert found(store, min_salary=95000) == ["3", "1"]
    assert found(store, min_salary=80000) == ["3", "1", "2", "6"]  # 6 posts only a minimum
    assert found(store, relevant_only=False, states=["TX"], include_closed=True) == ["4", "5"]
    assert found(store, limit=2) == ["3", "1"]


def test_posted_within(store):
    filters = SearchFilters(posted_within=timedelta(days=7), limit=None)
    stmt_ids = [p.source_id for p in search_postings(store, filters)]
    # relative to the real clock: the corpus dates are relative to NOW, so compare with NOW's age
    age = (date.today() - TODAY).days
    expected = [sid for sid, days in (("3", 1), ("1", 2), ("2", 20)) if days + age <= 7]
    assert [s for s in stmt_ids if s != "6"] == expected


def test_combined_text_and_filters(store):
    assert found(store, text="pacs", states=["OH"], min_salary=85000) == ["1"]
    assert found(store, text="pacs", states=["OH"], min_salary=85000, skills=["Linux"]) == []


def test_unknown_state_is_an_error(store):
    with pytest.raises(PacsjobsError, match="unknown state 'XX': use a two-letter USPS code"):
        found(store, states=["XX"])


def test_records_are_complete(store):
    (posting,) = search_postings(store, SearchFilters(text="radiant"))
    assert posting.id == store.ids["2"]
    assert posting.employer == "OhioHealth" and posting.skills == ["HL7", "Epic Radiant"]
    assert posting.date_posted == TODAY - timedelta(days=20)
    assert posting.first_seen_at == NOW - timedelta(days=30)


def test_postgres_uses_the_fts_index(pg_url):
    # without the open/relevant filters no other index can serve the query
    stmt = search_statement(SearchFilters(text="dicom", include_closed=True, relevant_only=False),
                            "postgresql")
    with store_mod.open_store(pg_url) as store, store.engine.connect() as conn:
        compiled = stmt.compile(store.engine, compile_kwargs={"literal_binds": True})
        conn.execute(text("SET enable_seqscan = off"))
        plan = "\n".join(r[0] for r in conn.execute(text(f"EXPLAIN {compiled}")))
    assert "ix_postings_fts" in plan


@pytest.mark.parametrize("user, expected", [
    ("dicom", '("dicom")'),
    ("dicom hl7", '("dicom" AND "hl7")'),
    ('"vendor neutral" archive', '("vendor neutral" AND "archive")'),
    ("radiant or linux", '("radiant") OR ("linux")'),
    ("pacs -senior -lead", '("pacs" NOT "senior" NOT "lead")'),
    ('-"night shift" pacs', '("pacs" NOT "night shift")'),
    ("or dicom or", '("dicom")'),
    ('say "hi', '("say" AND "hi")'),
    ("x-ray", '("x-ray")'),
    ('a"b', '("a b")'),
])
def test_fts5_query(user, expected):
    assert fts5_query(user) == expected


@pytest.mark.parametrize("value, expected", [
    ("7d", timedelta(days=7)), ("12h", timedelta(hours=12)), ("2w", timedelta(weeks=2)),
    ("3 days", timedelta(days=3)), ("1D", timedelta(days=1)),
])
def test_parse_duration(value, expected):
    assert parse_duration(value) == expected


@pytest.mark.parametrize("value", ["7x", "d", "", "-3d", "0d", "7.5d"])
def test_parse_duration_rejects(value):
    with pytest.raises(PacsjobsError, match=f"invalid duration {value!r}: use a number and h, d or w"):
        parse_duration(value)


def test_parse_state_and_money():
    assert parse_state(" oh ") == "OH" and parse_state("new york") == "NY"
    assert parse_money("80,000") == 80000 and parse_money("$85k") == 85000 and parse_money("1.5M") == 1.5e6
    with pytest.raises(PacsjobsError, match="invalid amount 'lots'"):
        parse_money("lots")
