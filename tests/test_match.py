"""Fit scoring: each component's behaviour and wording, neutral unknowns, weights, speed."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest

from pacsjobs.profile import Profile, load_profile
from pacsjobs.record import Posting
from pacsjobs.understand.match import Match, score_posting

CONFIG = Path(__file__).resolve().parent.parent / "config"


@pytest.fixture(scope="module")
def guide() -> Profile:
    return load_profile(CONFIG)


def posting(**kw) -> Posting:
    base = dict(source="test:x", source_id="1", url="https://example.org/1", title="PACS Administrator")
    base.update(kw)
    return Posting(**base)


def yearly(lo, hi):
    return dict(salary_min=lo, salary_max=hi, salary_period="year", salary_annual_min=lo, salary_annual_max=hi)


def component(match: Match, name: str):
    return next(c for c in match.components if c.name == name)


def test_the_issue_example(guide):
    p = posting(skills=["HL7", "DICOM", "RIS", "Epic Radiant"], **yearly(84000, 97000))
    m = score_posting(p, guide)
    n = len(guide.skills)
    assert component(m, "skills").reason == (
        f"asks for HL7, DICOM, RIS (3 of {n} guide skills); also wants Epic Radiant, which the guide does not cover")
    assert component(m, "salary").reason == "pay $84,000-$97,000 a year sits inside the guide range"
    assert component(m, "salary").score == 1.0
    assert m.reasons == [c.reason for c in m.components]
    assert [c.name for c in m.components] == ["role", "skills", "salary", "experience", "education",
                                              "certification", "location"]


def test_nothing_known_is_not_half_credit(guide):
    m = score_posting(posting(), guide)
    assert all(c.score is None for c in m.components if c.name != "role")
    # silence on pay, skills and place earns little; unstated requirements more (no known barrier)
    w = guide.weights
    expected = (0.2 * (w["skills"] + w["salary"] + w["location"])
                + 0.7 * (w["experience"] + w["education"] + w["certification"])) / sum(w.values())
    assert m.score == round(100 * expected, 1) < 50
    assert component(m, "salary").reason == "pay not stated"
    assert component(m, "experience").reason == "experience not stated"
    assert component(m, "education").reason == "no degree stated"
    assert component(m, "certification").reason == "no certification asked"
    assert component(m, "location").reason == "location not stated"


@pytest.mark.parametrize(
    ("lo", "hi", "words", "score"),
    [
        (84000, 97000, "sits inside the guide range", 1.0),
        (105000, 130000, "is above the guide range ($80,615-$100,189)", 1.0),
        (90000, 120000, "reaches above the guide range", 1.0),
        (70000, 90000, "overlaps the guide range ($80,615-$100,189), starting $10,615 below it", None),
        (60000, 70000, "is below the guide range ($80,615-$100,189) by $10,615", None),
        (30000, 40000, "is below", 0.0),
    ],
)
def test_salary_range(guide, lo, hi, words, score):
    c = component(score_posting(posting(**yearly(lo, hi)), guide), "salary")
    assert words in c.reason
    if score is not None:
        assert c.score == score
    else:
        assert 0 < c.score < 1


def test_salary_order(guide):
    def s(lo, hi):
        return component(score_posting(posting(**yearly(lo, hi)), guide), "salary").score
    assert s(110000, 120000) == s(85000, 95000) == 1.0  # above the range is good, not a miss
    assert 1.0 > s(75000, 95000) > s(70000, 78000) > s(60000, 65000)


def test_stated_pay_in_range_beats_unknown_pay(guide):
    known = score_posting(posting(**yearly(85000, 95000)), guide)
    unknown = score_posting(posting(), guide)
    low = score_posting(posting(**yearly(40000, 45000)), guide)
    assert known.score > unknown.score > low.score


def test_hourly_pay_shown_as_posted_with_annual(guide):
    p = posting(salary_min=38.5, salary_max=52.0, salary_period="hour",
                salary_annual_min=80080.0, salary_annual_max=108160.0)
    reason = component(score_posting(p, guide), "salary").reason
    assert reason.startswith("pay $38.50-$52.00 an hour ($80,080-$108,160 a year) overlaps the guide range")


def test_annual_computed_when_missing(guide):
    p = posting(salary_min=45.0, salary_max=None, salary_period="hour")
    c = component(score_posting(p, guide), "salary")
    assert c.reason == "pay $45.00 an hour ($93,600 a year) sits inside the guide range"


def test_salary_floor(guide):
    floor = replace(guide, name="floor", salary_floor=90000.0)
    c = component(score_posting(posting(**yearly(80000, 85000)), floor), "salary")
    assert c.score == 0.0 and "under the floor profile's floor of $90,000" in c.reason


@pytest.mark.parametrize(
    ("years", "words", "score"),
    [
        (1, "asks for 1 year, less than the guide's 3-5", 1.0),
        (4, "asks for 4 years, within the guide's 3-5", 1.0),
        (5, "asks for 5 years, within the guide's 3-5", 1.0),
        (7, "asks for 7 years, more than the guide's 3-5", 0.6),
        (12, "asks for 12 years, more than the guide's 3-5", 0.0),
    ],
)
def test_experience(guide, years, words, score):
    c = component(score_posting(posting(years_experience_min=years), guide), "experience")
    assert (c.reason, c.score) == (words, score)


@pytest.mark.parametrize(
    ("degree", "or_exp", "words", "score"),
    [
        ("associate", False, "asks for an associate degree, below the guide's bachelor's", 1.0),
        ("bachelor", False, "asks for a bachelor's degree, as the guide has", 1.0),
        ("master", True, "asks for a master's degree (or equivalent experience), above the guide's bachelor's", 0.6),
        ("master", False, "asks for a master's degree, above the guide's bachelor's", 0.2),
    ],
)
def test_education(guide, degree, or_exp, words, score):
    c = component(score_posting(posting(degree=degree, degree_or_experience=or_exp), guide), "education")
    assert (c.reason, c.score) == (words, score)


def test_certification(guide):
    c = component(score_posting(posting(certifications=["ARRT"]), guide), "certification")
    assert (c.reason, c.score) == ("asks for ARRT, which the guide has", 1.0)
    c = component(score_posting(posting(certifications=["ARRT", "CIIP"]), guide), "certification")
    assert c.reason == "asks for ARRT, which the guide has; also CIIP, which the guide lacks"
    assert 0.5 < c.score < 1
    c = component(score_posting(posting(certifications=["CIIP"]), guide), "certification")
    assert c.reason == "asks for CIIP, which the guide lacks" and c.score < 0.5


def test_skills(guide):
    none = component(score_posting(posting(skills=["SQL", "Linux"]), guide), "skills")
    assert none.reason.startswith("asks for none of the") and none.reason.endswith(
        "also wants SQL, Linux, which the guide does not cover")
    assert none.score == 0.0
    full = component(score_posting(posting(skills=["PACS", "DICOM", "HL7", "RIS", "modality worklist"]), guide), "skills")
    assert full.score == 1.0
    some = component(score_posting(posting(skills=["PACS", "DICOM", "SQL"]), guide), "skills")
    assert 0 < some.score < full.score


def test_location(guide):
    def loc(profile, **kw):
        return component(score_posting(posting(**kw), profile), "location")
    c = loc(guide, city="Cleveland", state="OH", country="US", workplace="onsite")
    assert (c.reason, c.score) == ("any US state suits the guide", 1.0)  # the same for every US posting
    c = loc(guide, city="Toronto", state="ON", country="CA")
    assert (c.reason, c.score) == ("outside the US (CA)", 0.0)
    abroad = replace(guide, include_non_us=True)
    assert loc(abroad, city="Toronto", country="CA").score == 0.5
    ohio = load_profile(CONFIG, "remote-ohio")
    assert loc(ohio, workplace="remote", country="US").score == 1.0
    in_state = loc(ohio, city="Columbus", state="OH", workplace="onsite")
    out_state = loc(ohio, city="Dallas", state="TX", workplace="onsite")
    assert 0 < out_state.score < in_state.score < 1.0  # onsite: the profile prefers remote
    assert "outside the remote-ohio profile's states (OH)" in out_state.reason
    only = replace(guide, remote="only")
    assert loc(only, state="OH", workplace="onsite").score == 0.0
    assert loc(only, workplace="remote").score == 1.0


def test_weights_and_zero_weight(guide):
    p = posting(skills=["PACS"], **yearly(40000, 45000))
    only_salary = replace(guide, weights={"role": 0, "skills": 0, "salary": 1, "experience": 0, "education": 0,
                                          "certification": 0, "location": 0})
    m = score_posting(p, only_salary)
    assert [c.name for c in m.components] == ["salary"]
    assert m.score == round(100 * m.components[0].score, 1)


def test_score_bounds_and_rounding(guide):
    p = posting(skills=["PACS", "DICOM"], certifications=["ARRT"], degree="bachelor", years_experience_min=3,
                state="OH", country="US", **yearly(85000, 95000))
    m = score_posting(p, guide)
    assert 0 <= m.score <= 100 and m.score == round(m.score, 1)


def test_malformed_record_does_not_raise(guide):
    p = posting(salary_min="lots", salary_period="hour", skills=None, certifications=None, degree="phd",
                years_experience_min=None)
    m = score_posting(p, guide)
    assert 0 <= m.score <= 100
    assert component(m, "salary").reason == "pay not stated"
    assert component(m, "education").reason == "no degree stated"


def test_fast(guide):
    postings = [posting(source_id=str(i), skills=["PACS", "DICOM", "SQL"], certifications=["ARRT"],
                        degree="bachelor", years_experience_min=i % 8, state="OH", country="US",
                        **yearly(60000 + 50 * i, 90000 + 50 * i)) for i in range(2000)]
    start = time.perf_counter()
    for p in postings:
        score_posting(p, guide)
    assert time.perf_counter() - start < 2.0  # thousands per second, with room for a busy machine


@pytest.mark.parametrize(
    ("title", "is_pacs", "family", "score"),
    [
        ("PACS Administrator", True, "administrator", 1.0),
        ("RIS/PACS Administrator", True, "administrator", 1.0),
        ("Radiology Systems Administrator", True, "administrator", 1.0),
        ("PACS Analyst II", True, "informatics", 0.7),
        ("Imaging Informatics Analyst", True, "informatics", 0.7),
        ("Enterprise Imaging Analyst", True, "informatics", 0.7),
        ("Diagnostic Radiologic Technologist (PACS)", True, "technologist", 0.4),
        ("PACS Technologist", True, "technologist", 0.4),
        ("IT Specialist (SYSADMIN)", True, "it", 0.25),
        ("Field Service Engineer - Healthcare IT", True, "it", 0.25),
        ("Systems Administrator", False, "other", 0.0),
    ],
)
def test_role_family_and_closeness(guide, title, is_pacs, family, score):
    from pacsjobs.understand.match import role_family

    p = posting(title=title, is_pacs_role=is_pacs)
    assert role_family(p) == family
    assert component(score_posting(p, guide), "role").score == score


def test_role_reasons_in_words(guide):
    def reason(title):
        return component(score_posting(posting(title=title, is_pacs_role=True), guide), "role").reason
    assert reason("PACS Administrator") == "role: a PACS / imaging systems administrator, the guide's target"
    assert reason("PACS Analyst") == (
        "role: a PACS analyst / imaging informatics / enterprise imaging role, close to the guide's target")
    assert reason("Diagnostic Radiologic Technologist (PACS)") == (
        'role: a technologist role with PACS duties ("Diagnostic Radiologic Technologist (PACS)"), '
        "further from the guide's target")


def test_admin_with_fitting_pay_outranks_technologist_with_pacs_duties(guide):
    same = dict(is_pacs_role=True, skills=["PACS", "DICOM", "HL7", "RIS"], certifications=["ARRT"],
                degree="bachelor", years_experience_min=3, state="FL", country="US", **yearly(85000, 95000))
    admin = score_posting(posting(title="PACS Administrator", **same), guide)
    tech = score_posting(posting(title="Diagnostic Radiologic Technologist (PACS)", **same), guide)
    assert admin.score > tech.score


def test_a_profile_targets_another_role(guide):
    analyst = replace(guide, role="informatics")
    p = posting(title="Imaging Informatics Analyst", is_pacs_role=True)
    assert component(score_posting(p, analyst), "role").score == 1.0
    assert component(score_posting(p, guide), "role").score < 1.0


def test_unstated_pay_ranks_below_fitting_pay(guide):
    known = score_posting(posting(title="PACS Administrator", is_pacs_role=True, **yearly(85000, 95000)), guide)
    silent = score_posting(posting(title="PACS Administrator", is_pacs_role=True), guide)
    assert known.score - silent.score >= 0.8 * guide.weights["salary"] * 100 / sum(guide.weights.values()) - 0.1
    assert component(silent, "salary").reason == "pay not stated"
