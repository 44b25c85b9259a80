"""SmartRecruiters Posting API parser on saved-format payloads: one test per field."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pacsjobs.errors import ParseError
from pacsjobs.sources import smartrecruiters as sr
from tests.json_fuzz import any_json, assert_parses_or_raises_parse_error, json_object

FIX = Path(__file__).parent / "fixtures" / "smartrecruiters"
PAGE0 = (FIX / "postings_offset0.json").read_bytes()
PAGE1 = (FIX / "postings_offset2.json").read_bytes()
ADMIN, ANALYST, RN, CT = "744000091234567", "744000091299881", "744000090871200", "744000090911455"


@pytest.fixture(scope="module")
def posts():
    return {p.source_id: p for page in (PAGE0, PAGE1) for p in sr.parse(page)}


@pytest.fixture(scope="module")
def detail(posts):
    return sr.parse_detail((FIX / f"posting_{ADMIN}.json").read_bytes(), "u", posts[ADMIN])


def test_pages_hold_every_posting(posts):
    assert sorted(posts) == sorted([ADMIN, ANALYST, RN, CT])


def test_reported_total_is_total_found():
    assert sr.reported_total(PAGE0) == 4 and sr.reported_total(b"<html>") is None


def test_title_keeps_trailing_space(posts):
    assert posts[ADMIN].title == "PACS Administrator "


def test_public_url_built_from_company_identifier(posts):
    assert posts[ADMIN].url == f"https://jobs.smartrecruiters.com/LakesideHealthSystem/{ADMIN}"


def test_employer_from_company_name(posts):
    assert posts[ADMIN].employer == "Lakeside Health System"


def test_locations_and_lowercase_country(posts):
    assert posts[ADMIN].locations == ["Madison, WI, United States"]
    assert posts[ADMIN].country == "us"


def test_full_location_with_empty_part_is_rebuilt(posts):
    assert posts[CT].locations == ["Janesville, WI, us"]


@pytest.mark.parametrize(("pid", "expected"), [(ADMIN, "hybrid"), (ANALYST, "remote"), (RN, "onsite"), (CT, "onsite")])
def test_workplace_from_remote_and_hybrid_flags(posts, pid, expected):
    assert posts[pid].workplace == expected


def test_employment_type_label(posts):
    assert posts[ADMIN].employment_type == "Full-time" and posts[RN].employment_type == "Part-time"


def test_released_date_is_date_posted_and_marker(posts):
    assert posts[ADMIN].date_posted == posts[ADMIN].updated == "2026-11-19T14:05:32.118Z"


def test_department_label_and_empty_department(posts):
    assert posts[ADMIN].department == "Radiology Information Systems"
    assert posts[RN].department is None


def test_extra_fields(posts):
    extra = posts[ADMIN].extra
    assert extra["ref_number"] == "R-10442" and extra["experience_level"] == "Mid-Senior Level"
    assert extra["custom_fields"] == {"Shift": "Day", "FTE": "1.0"}
    assert extra["api_ref"].startswith("https://api.smartrecruiters.com/v1/companies/")


def test_listing_has_no_description(posts):
    assert posts[ADMIN].description_html is None and posts[ADMIN].salary is None


def test_detail_description_sections_in_order(detail):
    d = detail.description_html
    order = ["Company Description", "Job Description", "Qualifications", "Additional Information"]
    assert [d.index(f"<h3>{t}</h3>") for t in order] == sorted(d.index(f"<h3>{t}</h3>") for t in order)
    assert "CIIP or PARCA" in d and "$38.75 - $52.31 per hour" in d


def test_detail_posting_url_and_apply_url(detail):
    assert detail.url == f"https://jobs.smartrecruiters.com/LakesideHealthSystem/{ADMIN}-pacs-administrator"
    assert detail.extra["apply_url"].endswith("?oga=true")


def test_detail_without_job_ad_keeps_listing_values(posts):
    raw = sr.parse_detail({"id": ADMIN, "name": "PACS Administrator"}, listing=posts[ADMIN])
    assert raw.locations == posts[ADMIN].locations and raw.description_html is None


def test_inactive_detail_is_marked():
    raw = sr.parse_detail({"id": "1", "name": "x", "active": False})
    assert raw.extra["active"] is False


@pytest.mark.parametrize("payload", [b"<html><title>Error</title></html>", b'{"message": "Not found"}', b"[]"])
def test_wrong_shapes_raise(payload):
    with pytest.raises(ParseError):
        sr.parse(payload, "u")
    with pytest.raises(ParseError):
        sr.parse_detail(payload, "u")


def test_listing_url_with_search():
    assert sr.listing_url("http://h", "Acme", 100, 50, "PACS administrator") == (
        "http://h/v1/companies/Acme/postings?limit=50&offset=100&q=PACS+administrator")
    assert sr.detail_url("http://h/", "Acme", "7") == "http://h/v1/companies/Acme/postings/7"


def test_check_options():
    assert sr.check_options({"company": "Acme1"}) == {"company": "Acme1", "keywords": [], "page_size": 100}
    assert sr.check_options({"company": "A", "keywords": "PACS"})["keywords"] == ["PACS"]
    for bad, key in (({}, "company"), ({"company": "A", "keywords": [1]}, "keywords"),
                     ({"company": "A", "page_size": 101}, "page_size"), ({"company": "A", "q": "x"}, "q")):
        with pytest.raises(ValueError, match=f"^{key}: "):
            sr.check_options(bad)


def test_first_page_request_searches_first_keyword():
    cfg = SimpleNamespace(base_url="http://127.0.0.1:1", options={"company": "A", "keywords": ["PACS"], "page_size": 100})
    assert sr.first_page_request(cfg)[1] == "http://127.0.0.1:1/v1/companies/A/postings?limit=100&offset=0&q=PACS"


# -- bad input never escapes as anything but ParseError --------------------------------------
anything = any_json()
FIELDS = ["id", "name", "company", "location", "typeOfEmployment", "department", "experienceLevel", "customField", "releasedDate", "ref", "refNumber", "function", "industry"]
job = json_object(FIELDS)


@settings(max_examples=150, deadline=None)
@given(payload=st.fixed_dictionaries({"totalFound": anything, "content": st.lists(job | anything, max_size=3)}) | anything)
def test_any_shape_parses_or_raises_parse_error(payload):
    assert_parses_or_raises_parse_error(sr.parse, payload)
