"""Lever Postings API parser on saved-format payloads: one test per field."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pacsjobs.errors import ParseError
from pacsjobs.sources import lever
from tests.json_fuzz import any_json, assert_parses_or_raises_parse_error, json_object

FIX = Path(__file__).parent / "fixtures" / "lever"
PAGES = [FIX / f"postings_skip{n}.json" for n in (0, 2, 4)]
CAS = "a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601"
ADMIN = "b7e2d9a0-1c3f-4b5a-9d8e-7f6a5b4c3d02"
ANALYST = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e03"
ENGINEER = "e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a05"


@pytest.fixture(scope="module")
def posts():
    return {p.source_id: p for page in PAGES for p in lever.parse(page.read_bytes(), str(page))}


def test_every_posting_of_every_page(posts):
    ids = [item["id"] for page in PAGES for item in json.loads(page.read_text())]
    assert sorted(posts) == sorted(ids) and len(ids) == 5


def test_no_total_in_the_api():
    assert lever.reported_total(PAGES[0].read_bytes()) is None


def test_title_and_public_url(posts):
    assert posts[CAS].title == "Clinical Applications Specialist - PACS"
    assert posts[CAS].url == f"https://jobs.lever.co/northstar-rad/{CAS}"


def test_locations_from_all_locations_then_location(posts):
    assert posts[CAS].locations == ["Denver, CO", "Salt Lake City, UT"]
    assert posts[ANALYST].locations == ["Tampa, FL"]  # no allLocations


def test_all_locations_as_objects_are_read():
    raw = lever.parse([{"id": "x", "text": "t", "categories": {"allLocations": [{"text": "Reno, NV"}]}}])[0]
    assert raw.locations == ["Reno, NV"]
    one = lever.parse([{"id": "x", "text": "t", "categories": {"allLocations": "Reno, NV"}}])[0]
    assert one.locations == ["Reno, NV"]  # a bare string is one place, not letters


def test_country(posts):
    assert posts[CAS].country == "US" and posts[ENGINEER].country is None


def test_workplace_type_and_unspecified(posts):
    assert posts[CAS].workplace == "hybrid"
    assert posts[ADMIN].workplace == "remote"
    assert posts[ANALYST].workplace == "on-site"
    assert posts[ENGINEER].workplace is None


def test_commitment_is_the_employment_type(posts):
    assert posts[CAS].employment_type == "Full-time"


def test_salary_range_with_lever_interval(posts):
    s = posts[CAS].salary
    assert (s.min, s.max, s.currency, s.unit) == (85000, 105000, "USD", "per-year-salary")
    assert s.text == "The base salary range for this role is $85,000 - $105,000 plus bonus."


def test_pay_only_in_prose(posts):
    s = posts[ADMIN].salary
    assert (s.min, s.max, s.unit) == (None, None, None)
    assert s.text == "Pay for this role is $38 to $46 per hour depending on experience."


def test_hourly_range_with_empty_description(posts):
    s = posts[ANALYST].salary
    assert (s.min, s.max, s.unit, s.text) == (36, 44, "per-hour-wage", None)


def test_salary_description_html_only_is_read_as_text():
    raw = lever.parse([{"id": "x", "text": "t", "salaryDescription": "<div>$90,000&nbsp;a year</div>"}])[0]
    assert raw.salary.text == "$90,000 a year"


def test_no_pay_at_all(posts):
    assert posts[ENGINEER].salary is None


def test_created_at_epoch_ms_is_date_posted_and_marker(posts):
    assert posts[CAS].date_posted == "1793872800000"
    assert posts[CAS].updated == "1793872800000"


def test_description_joins_body_lists_and_additional(posts):
    d = posts[CAS].description_html
    assert d.index("Northstar Radiology Systems") < d.index("<h3>What you&#x27;ll do</h3>")
    assert "<ul><li>Lead on-site PACS go-lives" in d
    assert d.rstrip().endswith("We participate in E-Verify.</div>")


def test_description_from_plain_text_when_no_html():
    raw = lever.parse([{"id": "x", "text": "t", "descriptionPlain": "PACS & RIS.\n\nOn call."}])[0]
    assert raw.description_html == "<p>PACS &amp; RIS.</p><p>On call.</p>"


def test_department_and_team(posts):
    assert posts[CAS].department == "Customer Success"
    assert posts[CAS].extra["team"] == "Clinical Applications"
    assert posts[CAS].extra["apply_url"].endswith("/apply")


def test_detail_is_one_posting():
    raw = lever.parse_detail((FIX / f"posting_{CAS}.json").read_bytes())
    assert raw.source_id == CAS and raw.salary.max == 105000


def test_not_found_body_is_a_parse_error():
    with pytest.raises(ParseError, match="Document not found"):
        lever.parse((FIX / "not_found.json").read_bytes(), "https://api.lever.co/v0/postings/x")


@pytest.mark.parametrize("payload", [b"<!DOCTYPE html><html>Bad gateway</html>", b'{"data": []}', b"nul"])
def test_wrong_shapes_raise(payload):
    with pytest.raises(ParseError):
        lever.parse(payload, "u")


def test_check_options():
    assert lever.check_options({"site": "northstar-rad"}) == {"site": "northstar-rad", "page_size": 100}
    assert lever.check_options({"site": "x", "page_size": 2})["page_size"] == 2
    for bad, key in (({}, "site"), ({"site": "x", "page_size": 0}, "page_size"),
                     ({"site": "x", "page_size": True}, "page_size"), ({"site": "x", "keywords": ["a"]}, "keywords"),
                     ({"site": "x", "board": "y"}, "board")):
        with pytest.raises(ValueError, match=f"^{key}: "):
            lever.check_options(bad)


def test_first_page_request():
    cfg = SimpleNamespace(base_url=None, options={"site": "northstar-rad", "page_size": 50})
    assert lever.first_page_request(cfg) == (
        "GET", "https://api.lever.co/v0/postings/northstar-rad?mode=json&skip=0&limit=50",
        {"Accept": "application/json"}, None)


# -- bad input never escapes as anything but ParseError --------------------------------------
anything = any_json()
FIELDS = ["id", "text", "categories", "country", "workplaceType", "description", "descriptionPlain", "lists", "additional", "hostedUrl", "createdAt", "salaryRange", "salaryDescription", "salaryDescriptionPlain"]
job = json_object(FIELDS)


@settings(max_examples=150, deadline=None)
@given(payload=st.lists(job | anything, max_size=3) | anything)
def test_any_shape_parses_or_raises_parse_error(payload):
    assert_parses_or_raises_parse_error(lever.parse, payload)
