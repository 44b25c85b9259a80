"""Ranking by match score, tiers by threshold, and the summary's numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from pacsjobs.digest.rank import STRONG_MIN, WORTH_MIN, group, rank, tier_of
from pacsjobs.digest.summary import by_state, pay_chart, source_health, top_skills
from pacsjobs.store import open_store
from tests.digest_helpers import NOW, posting


@dataclass
class FakeMatch:
    score: float
    components: list = field(default_factory=list)
    reasons: list = field(default_factory=list)


def test_tiers_by_threshold():
    assert tier_of(100) == tier_of(STRONG_MIN) == "strong"
    assert tier_of(STRONG_MIN - 0.01) == tier_of(WORTH_MIN) == "worth"
    assert tier_of(WORTH_MIN - 0.01) == tier_of(0) == "other"


def test_rank_orders_by_score_then_newest_and_groups():
    scores = {"a": 77, "b": 91, "c": 12, "d": 91, "e": 90}
    postings = [posting(k, id=i, date_posted=date(2026, 11, 1) + timedelta(days=i))
                for i, k in enumerate(scores, start=1)]
    calls = []

    def scorer(p, profile):
        calls.append(p.source_id)
        return FakeMatch(scores[p.source_id], reasons=[f"reason {p.source_id}"])

    ranked = rank(postings, object(), scorer)
    assert sorted(calls) == sorted(scores)  # each posting scored exactly once
    assert [r.posting.source_id for r in ranked] == ["d", "b", "e", "a", "c"]  # tie: newer first
    assert [r.tier for r in ranked] == ["strong", "strong", "strong", "worth", "other"]
    assert ranked[0].reasons == ["reason d"]
    tiers = group(ranked)
    assert [(t.key, [r.posting.source_id for r in t.items]) for t in tiers] == [
        ("strong", ["d", "b", "e"]), ("worth", ["a"]), ("other", ["c"])]


def test_rank_with_the_real_matcher_puts_the_guide_fit_first():
    match = pytest.importorskip("pacsjobs.understand.match", reason="pacsjobs.understand.match is not in this checkout yet")
    profile_mod = pytest.importorskip("pacsjobs.profile", reason="pacsjobs.profile is not in this checkout yet")
    from tests.helpers import REPO_CONFIG

    profile = profile_mod.load_profile(REPO_CONFIG, "guide")
    fit = posting("fit", id=1, salary_min=85000.0, salary_max=98000.0, salary_period="year",
                  salary_annual_min=85000.0, salary_annual_max=98000.0, salary_source="structured",
                  skills=["PACS", "DICOM", "HL7"], certifications=["ARRT"], degree="bachelor",
                  years_experience_min=3)
    poor = posting("poor", id=2, title="Imaging Informatics Director", salary_min=40000.0,
                   salary_max=45000.0, salary_period="year", salary_annual_min=40000.0,
                   salary_annual_max=45000.0, skills=["Kubernetes", "Terraform"], certifications=[],
                   degree="doctorate", years_experience_min=12)
    ranked = rank([poor, fit], profile, match.score_posting)
    assert [r.posting.source_id for r in ranked] == ["fit", "poor"]
    assert ranked[0].score > ranked[1].score
    assert all(r.reasons for r in ranked)  # every score explains itself
    assert [r.tier for r in ranked] == [tier_of(r.score) for r in ranked]


def _paid(source_id, low, high, **kw):
    return posting(source_id, salary_annual_min=low, salary_annual_max=high, salary_min=low,
                   salary_max=high, salary_period="year", **kw)


def test_pay_chart_positions_and_scale():
    chart = pay_chart([
        _paid("below", 60000.0, 70000.0), _paid("within", 85000.0, 95000.0),
        _paid("over", 75000.0, 90000.0), _paid("above", 110000.0, 130000.0),
        posting("unpaid"), _paid("one", 90000.0, None),
    ], (80615.0, 100189.0))
    assert [b.position for b in chart.bars] == ["below", "within", "overlaps", "above", "within"]
    assert chart.unpaid == 1
    assert chart.counts == {"below": 1, "overlaps": 1, "within": 2, "above": 1}
    assert chart.scale_min == 50000.0 and chart.scale_max == 140000.0
    assert chart.pct(50000.0) == 0 and chart.pct(140000.0) == 100
    assert chart.pct(95000.0) == 50.0
    assert chart.width(90000.0, 90000.0) == 1.0  # one figure still shows
    assert chart.ticks[0] >= chart.scale_min and chart.ticks[-1] <= chart.scale_max


def test_pay_chart_clips_an_outlier():
    chart = pay_chart([_paid("x", 90000.0, 2_000_000.0)], (80615.0, 100189.0))
    assert chart.bars[0].clipped and chart.scale_max <= 270000.0


def test_top_skills_marks_what_the_profile_lacks():
    skills = top_skills([
        posting("1", skills=["PACS", "DICOM", "Epic Radiant"], certifications=["ARRT"]),
        posting("2", skills=["PACS", "Epic Radiant", "Epic Radiant"], certifications=["CIIP"]),
        posting("3", skills=["pacs", "SQL"], certifications=[]),
    ], covered=["PACS", "DICOM", "ARRT", "HL7"])
    got = {s.name: (s.count, s.covered) for s in skills}
    assert got["PACS"] == (2, True)
    assert got["Epic Radiant"] == (2, False)  # counted once per posting
    assert got["CIIP"] == (1, False) and got["ARRT"] == (1, True) and got["pacs"] == (1, True)
    assert [s.name for s in skills][:2] == ["Epic Radiant", "PACS"]


def test_by_state_counts():
    assert by_state([posting("1"), posting("2", state="MA"), posting("3"),
                     posting("4", state=None, workplace="remote"), posting("5", state=None, workplace=None)]) \
        == [("TX", 2), ("MA", 1), ("Remote", 1), ("Unknown", 1)]


def test_source_health_from_crawl_runs(sqlite_url):
    with open_store(sqlite_url) as store:
        ok_old = store.start_run("good", now=NOW - timedelta(days=1))
        store.finish_run(ok_old, "succeeded", True, now=NOW - timedelta(days=1), fetched=10, reported=10)
        ok = store.start_run("good", now=NOW - timedelta(hours=2))
        store.finish_run(ok, "succeeded", True, now=NOW - timedelta(hours=1), fetched=12, reported=12)
        old = store.start_run("short", now=NOW - timedelta(days=2))
        store.finish_run(old, "succeeded", True, now=NOW - timedelta(days=2), fetched=5, reported=5)
        short = store.start_run("short", now=NOW - timedelta(hours=2))
        store.finish_run(short, "partial", False, now=NOW - timedelta(hours=1), fetched=180,
                         reported=250, errors=3)
        bad = store.start_run("broken", now=NOW - timedelta(hours=2))
        store.finish_run(bad, "failed", False, now=NOW - timedelta(hours=1), errors=1, message="HTTP 403")
        stale = store.start_run("stale", now=NOW - timedelta(days=9))
        store.finish_run(stale, "succeeded", True, now=NOW - timedelta(days=9), fetched=3, reported=3)
        with store.session() as session:
            health = {h.source: h for h in source_health(session, ["good", "short", "never"], NOW)}
    assert list(health)[:3] == ["good", "short", "never"]  # configured sources first
    assert health["good"].warning is None and health["good"].fetched == 12
    assert health["good"].last_success_at == NOW - timedelta(hours=1)
    assert health["short"].warning == "fetched 180 of 250 reported"
    assert health["short"].last_success_at == NOW - timedelta(days=2)
    assert health["broken"].warning == "last crawl failed" and health["broken"].message == "HTTP 403"
    assert health["broken"].last_success_at is None
    assert health["stale"].warning == "no successful crawl for 9 days"
    assert health["never"].status == "never crawled" and health["never"].warning


def test_the_profile_sets_the_strong_fit_score():
    postings = [posting("a", id=1), posting("b", id=2)]
    scores = {"a": 65.0, "b": 80.0}

    def scorer(p, profile):
        return FakeMatch(scores[p.source_id])

    assert [r.tier for r in rank(postings, SimpleNamespace(strong_fit=60.0), scorer)] == ["strong", "strong"]
    assert [r.tier for r in rank(postings, SimpleNamespace(strong_fit=90.0), scorer)] == ["worth", "other"]


def test_a_strong_score_needs_a_close_role_and_fitting_pay():
    from pacsjobs.digest.rank import tier_for

    def match(role, salary):
        return SimpleNamespace(score=95.0, components=[SimpleNamespace(name="role", score=role),
                                                       SimpleNamespace(name="salary", score=salary)])
    assert tier_for(match(1.0, 1.0)) == "strong"
    assert tier_for(match(0.4, 1.0)) == "worth"  # a technologist role
    assert tier_for(match(1.0, None)) == "worth"  # pay not stated
    assert tier_for(match(1.0, 0.3)) == "worth"  # pay below the range
