"""Ashby Posting API parser on saved-format payloads: one test per field."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pacsjobs.errors import ParseError
from pacsjobs.sources import ashby
from tests.json_fuzz import any_json, assert_parses_or_raises_parse_error, json_object

FIX = Path(__file__).parent / "fixtures" / "ashby"
BOARD = (FIX / "board.json").read_bytes()
ENG, SPEC, CONTRACT, SALES, UNLISTED = (
    "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a01", "7a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c02",
    "8b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d03", "9c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e04",
    "0d5e6f7a-8b9c-4dae-9f0a-3b4c5d6e7f05")


@pytest.fixture(scope="module")
def jobs():
    return {p.source_id: p for p in ashby.parse(BOARD)}


def test_unlisted_jobs_are_skipped(jobs):
    assert sorted(jobs) == sorted([ENG, SPEC, CONTRACT, SALES]) and UNLISTED not in jobs


def test_no_count_in_the_api():
    assert ashby.reported_total(BOARD) is None


def test_title_keeps_stray_whitespace(jobs):
    assert jobs[ENG].title == "  Enterprise Imaging Engineer "


def test_job_url(jobs):
    assert jobs[ENG].url == f"https://jobs.ashbyhq.com/lumenrad/{ENG}"
    assert jobs[ENG].extra["apply_url"].endswith("/application")


def test_locations_primary_then_secondary(jobs):
    assert jobs[ENG].locations == ["Chicago, IL", "Remote (US)"]
    assert jobs[SALES].locations == ["New York, NY", "Boston, MA"]


def test_country_from_postal_address(jobs):
    assert jobs[ENG].country == "USA" and jobs[SPEC].country == "United States"


def test_workplace_type_wins_over_is_remote(jobs):
    assert jobs[ENG].workplace == "Hybrid" and jobs[ENG].extra["is_remote"] is True
    assert jobs[SPEC].workplace == "Remote" and jobs[SALES].workplace == "OnSite"


def test_is_remote_used_when_workplace_type_absent():
    raw = ashby.parse({"jobs": [{"id": "1", "title": "t", "isRemote": True}]})[0]
    assert raw.workplace == "Remote"


def test_employment_type(jobs):
    assert jobs[ENG].employment_type == "FullTime" and jobs[CONTRACT].employment_type == "Contract"


def test_salary_spans_zones_of_salary_components(jobs):
    s = jobs[ENG].salary
    assert (s.min, s.max, s.currency, s.unit) == (108000, 150000, "USD", "1 YEAR")
    assert s.text == "$120K – $150K • Offers Equity"


def test_single_tier_salary_and_summary(jobs):
    s = jobs[SPEC].salary
    assert (s.min, s.max, s.text) == (85000, 100000, "$85K – $100K")


def test_hourly_salary(jobs):
    s = jobs[CONTRACT].salary
    assert (s.min, s.max, s.unit) == (70, 85, "1 HOUR")


def test_no_compensation(jobs):
    assert jobs[SALES].salary is None


def test_summary_components_when_tiers_hold_no_salary():
    comp = {"compensationTierSummary": "$90K – $110K", "compensationTiers": [],
            "summaryComponents": [{"compensationType": "Salary", "interval": "1 YEAR", "currencyCode": "USD",
                                   "minValue": 90000, "maxValue": 110000}]}
    s = ashby.parse({"jobs": [{"id": "1", "title": "t", "compensation": comp}]})[0].salary
    assert (s.min, s.max) == (90000, 110000)


def test_summary_only():
    s = ashby.parse({"jobs": [{"id": "1", "title": "t", "compensation": {"compensationTierSummary": "$85K – $100K"}}]})[0].salary
    assert (s.min, s.text) == (None, "$85K – $100K")


def test_published_at_is_date_and_marker(jobs):
    assert jobs[ENG].date_posted == jobs[ENG].updated == "2026-11-21T15:32:10.441+00:00"


def test_description_html(jobs):
    assert "DICOMweb" in jobs[ENG].description_html


def test_description_from_plain_text():
    raw = ashby.parse({"jobs": [{"id": "1", "title": "t", "descriptionPlain": "PACS <admin>\n\nDICOM"}]})[0]
    assert raw.description_html == "<p>PACS &lt;admin&gt;</p><p>DICOM</p>"


def test_department_and_team(jobs):
    assert jobs[ENG].department == "Engineering" and jobs[ENG].extra["team"] == "Integrations"


@pytest.mark.parametrize("payload", [b"<html>502</html>", b'{"success": false}', b"[1]"])
def test_wrong_shapes_raise(payload):
    with pytest.raises(ParseError):
        ashby.parse(payload, "u")


def test_detail_reads_one_job():
    raw = ashby.parse_detail({"id": "1", "title": "PACS Analyst", "jobUrl": "https://jobs.ashbyhq.com/x/1"})
    assert raw.url == "https://jobs.ashbyhq.com/x/1"


def test_check_options():
    assert ashby.check_options({"org": "lumenrad"}) == {"org": "lumenrad"}
    for bad, key in (({}, "org"), ({"org": "x", "keywords": ["a"]}, "keywords"), ({"org": "x", "site": "y"}, "site")):
        with pytest.raises(ValueError, match=f"^{key}: "):
            ashby.check_options(bad)


def test_first_page_request():
    cfg = SimpleNamespace(base_url=None, options={"org": "lumenrad"})
    assert ashby.first_page_request(cfg)[1] == (
        "https://api.ashbyhq.com/posting-api/job-board/lumenrad?includeCompensation=true")


# -- bad input never escapes as anything but ParseError --------------------------------------
anything = any_json()
FIELDS = ["id", "title", "location", "secondaryLocations", "address", "isRemote", "workplaceType", "isListed", "compensation", "descriptionHtml", "descriptionPlain", "employmentType", "publishedAt", "jobUrl"]
job = json_object(FIELDS)


@settings(max_examples=150, deadline=None)
@given(payload=st.fixed_dictionaries({"apiVersion": st.just("1"), "jobs": st.lists(job | anything, max_size=3)}) | anything)
def test_any_shape_parses_or_raises_parse_error(payload):
    assert_parses_or_raises_parse_error(ashby.parse, payload)
