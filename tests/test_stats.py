"""Market statistics on both backends, against hand-computed figures."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import update

from pacsjobs.record import Posting
from pacsjobs.store.models import DigestRun, PostingRow
from pacsjobs.store.stats import last_digest_runs, market_stats, pay_stats, top_skills, weekly_new

store_mod = pytest.importorskip("pacsjobs.store", reason="pacsjobs.store (store helper) not present")

NOW = datetime(2026, 11, 25, 15, 0)  # a Wednesday
MONDAY = date(2026, 11, 23)


def posting(i: int, state: str | None, employer: str, pay: tuple[float | None, float | None],
            skills=(), certs=(), pacs=True, source="jsonld:a") -> Posting:
    return Posting(source=source, source_id=str(i), url=f"https://e.org/{i}", title=f"PACS Admin {i}",
                   employer=employer, state=state, salary_annual_min=pay[0], salary_annual_max=pay[1],
                   skills=list(skills), certifications=list(certs), is_pacs_role=pacs, relevance=0.8)


@pytest.fixture
def store(db_url):
    with store_mod.open_store(db_url) as st:
        batches = [  # (first seen, postings)
            (NOW, [posting(1, "OH", "Cleveland Clinic", (50000, 70000), ["DICOM", "HL7"], ["ARRT"]),
                   posting(2, "OH", "Cleveland Clinic", (80000, None), ["DICOM"])]),
            (NOW - timedelta(days=9), [posting(3, "TX", "Baylor", (None, 90000), ["DICOM", "Linux"]),
                                       posting(4, None, "Sectra", (90000, 110000), ["Python"],
                                               source="greenhouse:sectra")]),
            (NOW - timedelta(days=30), [posting(5, "OH", "OhioHealth", (110000, 130000), ["HL7"]),
                                        posting(6, "TX", "Baylor", (None, None), ["DICOM"])]),
            (NOW - timedelta(days=200), [posting(7, "CA", "Kaiser", (200000, 200000), ["DICOM"])]),
            (NOW - timedelta(days=2), [posting(8, "TX", "Houston Methodist", (40000, 40000), ["ARRT"],
                                               pacs=False),
                                       posting(9, "OH", "Cleveland Clinic", (95000, 95000), ["DICOM"],
                                               source="usajobs")]),
        ]
        ids = {}
        for seen, items in batches:
            counts = st.upsert_postings(items, now=seen)
            ids.update(zip([p.source_id for p in items], counts.ids, strict=True))
        with st.engine.begin() as conn:
            conn.execute(update(PostingRow).where(PostingRow.id == ids["7"]).values(closed_at=NOW))
            # 9 is the usajobs copy of 2: a duplicate counts for its source only
            conn.execute(update(PostingRow).where(PostingRow.id == ids["9"]).values(duplicate_of=ids["2"]))
        yield st


def test_market_stats(store):
    stats = market_stats(store, profile_skills={"dicom", "hl7", "arrt"}, now=NOW)
    assert stats.open_total == 6  # 1-6; 7 closed, 8 not PACS, 9 a duplicate
    assert stats.by_state == [("OH", 3), ("TX", 2), (None, 1)]
    assert stats.by_employer[:2] == [("Baylor", 2), ("Cleveland Clinic", 2)]
    assert dict(stats.by_source) == {"jsonld:a": 5, "greenhouse:sectra": 1, "usajobs": 1}
    skills = {(s.skill, s.count, s.in_profile) for s in stats.skills}
    assert ("DICOM", 4, True) in skills and ("Python", 1, False) in skills
    assert ("ARRT", 1, True) in skills  # the certification of posting 1
    assert stats.skills[0].skill == "DICOM"
    data = stats.to_dict()
    assert data["pay"]["percentiles"]["p50"] == stats.pay.percentiles[50]
    assert data["weekly_new"][-1] == {"week": MONDAY.isoformat(), "count": 2}


def test_pay_percentiles_against_the_guide(store):
    pay = pay_stats(store)
    # midpoints: 60000, 80000, 90000, 100000, 120000 (6 has no pay)
    assert pay.count == 5
    assert pay.percentiles == {10: 68000, 25: 80000, 50: 90000, 75: 100000, 90: 112000}
    assert (pay.below, pay.within, pay.above) == (2, 2, 1)
    assert pay_stats(store, guide=(0, 1e9)).within == 5


def test_weekly_new(store):
    weeks = weekly_new(store, now=NOW)
    assert len(weeks) == 12 and weeks[-1][0] == MONDAY and weeks[0][0] == MONDAY - timedelta(weeks=11)
    counts = dict(weeks)
    assert counts[MONDAY] == 2  # 1, 2 (8 is no PACS role, 9 a duplicate)
    assert counts[MONDAY - timedelta(weeks=1)] == 2  # 3, 4 seen 9 days before: the Monday before
    assert counts[date(2026, 10, 26)] == 2  # 5, 6 seen 30 days before
    assert sum(counts.values()) == 6  # 7 is older than 12 weeks
    assert sum(n for _, n in weekly_new(store, now=NOW, relevant_only=False)) == 7


def test_top_skills_without_profile(store):
    skills = top_skills(store, limit=2)
    assert [(s.skill, s.count, s.in_profile) for s in skills] == [("DICOM", 4, None), ("HL7", 2, None)]


def test_last_digest_runs(store):
    with store.session() as session, session.begin():
        session.add_all([DigestRun(profile="guide", created_at=NOW - timedelta(days=1), status="sent", count=3),
                         DigestRun(profile="guide", created_at=NOW, status="empty", count=0),
                         DigestRun(profile="remote", created_at=NOW, status="built", count=1)])
    runs = last_digest_runs(store)
    assert {k: v.status for k, v in runs.items()} == {"guide": "empty", "remote": "built"}
