"""UKG Pro Recruiting parser on real-format payloads (listing + detail page): one test per field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pacsjobs.config import SourceConfig
from pacsjobs.errors import ParseError
from pacsjobs.sources import ukg
from tests.json_fuzz import any_json, assert_parses_or_raises_parse_error, json_object

FIX = Path(__file__).parent / "fixtures" / "ukg"
BOARD_URL = "https://recruiting2.ultipro.com/BAP1001BAPT/JobBoard/5b9e2c1f-7a3d-4c1e-9f60-2d8a41b7c3e5"
PAGE1 = (FIX / "search_pacs_skip0.json").read_bytes()
ADMIN, ANALYST = "87751d4c-a850-4e2c-84dc-da6a797d76de", "61b339ff-2481-44e5-998b-88dbaa99e079"
SPECIALIST = "7b87a9e2-5fef-4911-bf22-a27b02c7bff2"


@pytest.fixture(scope="module")
def listing():
    return {p.source_id: p for p in ukg.parse(PAGE1, "", BOARD_URL)}


def detail(job_id, listing=None):
    page = (FIX / "detail" / f"{job_id}.html").read_bytes()
    return ukg.parse_detail(page, ukg.board(BOARD_URL).detail_url(job_id), listing)


def test_every_opportunity_of_the_page_is_parsed(listing):
    ids = [o["Id"] for o in json.loads(PAGE1)["opportunities"]]
    assert sorted(listing) == sorted(ids) and len(ids) == 50


def test_reported_total_is_total_count():
    assert ukg.reported_total(PAGE1) == 52
    assert ukg.reported_total(b'{"opportunities": [], "totalCount": "52"}') is None


def test_listing_fields(listing):
    admin = listing[ADMIN]
    assert admin.url == f"{BOARD_URL}/OpportunityDetail?opportunityId={ADMIN}"
    assert (admin.title, admin.locations, admin.country) == ("PACS Administrator", ["Memphis, TN 38120"], "USA")
    assert (admin.workplace, admin.employment_type, admin.department) == ("On-site", "Full time", "Information Technology")
    assert admin.updated == admin.date_posted == "2026-11-28T00:00:00.000Z"
    assert admin.extra["requisition_number"].startswith("INFO")
    assert admin.description_html.startswith("<p>Baptist Memorial Health Care is seeking")


def test_location_type_enum_and_several_locations(listing):
    assert listing[SPECIALIST].workplace == "Remote"
    assert listing[ANALYST].workplace == "Hybrid"
    assert listing[ANALYST].locations == ["Memphis, TN 38120", "Jackson, MS 39202"]


def test_a_non_us_state_code_is_not_taken_for_a_us_state():
    page = {"totalCount": 1, "opportunities": [{"Id": "x", "Title": "PACS Analyst", "Locations": [
        {"Address": {"City": "Perth", "State": {"Code": "WA", "Name": "Western Australia"},
                     "Country": {"Code": "AUS", "Name": "Australia"}}}]}]}
    (raw,) = ukg.parse(json.dumps(page))
    assert raw.locations == ["Perth, Western Australia, Australia"] and raw.country == "AUS"


def test_detail_description_pay_and_marker(listing):
    admin = detail(ADMIN, listing[ADMIN])
    assert "<li>Maintain DICOM connectivity with modalities" in admin.description_html
    assert (admin.salary.min, admin.salary.max, admin.salary.currency) == (82000.0, 104000.0, "USD")
    assert admin.updated == listing[ADMIN].updated and admin.url == listing[ADMIN].url
    assert admin.extra["opportunity_is_closed"] is False


def test_hidden_or_empty_pay_is_not_pay(listing):
    assert detail(ANALYST, listing[ANALYST]).salary is None  # PayRangeVisible false
    assert detail(SPECIALIST, listing[SPECIALIST]).salary is None  # zeros


def test_detail_without_listing_stands_alone():
    raw = detail(ADMIN)
    assert raw.url == f"{BOARD_URL}/OpportunityDetail?opportunityId={ADMIN}"
    assert raw.title == "PACS Administrator" and raw.locations == ["Memphis, TN 38120"]


@pytest.mark.parametrize(
    "page, problem",
    [
        ("<html><body>Opportunity.OpportunityError.NotFoundErrorMessage</body></html>", "not a UKG opportunity page"),
        ("<script>new US.Opportunity.CandidateOpportunityDetail({Id: 'x'});</script>", "unreadable"),
        ('<script>new US.Opportunity.CandidateOpportunityDetail({"Title": "x"});</script>', "without Id or Title"),
    ],
)
def test_unreadable_detail_pages_raise(page, problem):
    with pytest.raises(ParseError, match=problem):
        ukg.parse_detail(page, "u")


def test_a_detail_of_another_opportunity_is_refused(listing):
    with pytest.raises(ParseError, match="not " + ANALYST):
        detail(ADMIN, listing[ANALYST])


@pytest.mark.parametrize("payload", [b"[]", b'{"totalCount": 3}', b"<html>moved</html>", b'{"opportunities": {}}'])
def test_wrong_listing_shapes_raise(payload):
    with pytest.raises(ParseError):
        ukg.parse(payload, "u")


def test_search_body_is_the_board_pages_own():
    body = ukg.search_body("PACS", 100)["opportunitySearch"]
    assert (body["Top"], body["Skip"], body["QueryString"]) == (50, 100, "PACS")
    assert body["OrderBy"][0]["Value"] == "postedDateDesc"


@pytest.mark.parametrize(
    "options, problem",
    [
        ({}, "url: is required"),
        ({"url": "https://recruiting2.ultipro.com/BAP1001BAPT/"}, "not a UKG Pro job board URL"),
        ({"url": BOARD_URL, "keywords": "PACS"}, "keywords: must be a list"),
        ({"url": BOARD_URL, "site": "x"}, "site: unknown key"),
    ],
)
def test_check_options_names_the_key(options, problem):
    with pytest.raises(ValueError, match=problem):
        ukg.check_options(options)


def test_board_and_first_page_request_point_at_base_url():
    assert ukg.check_options({"url": BOARD_URL + "/"}) == {"url": BOARD_URL}
    src = SourceConfig(name="ukg:x", platform="ukg", base_url="http://127.0.0.1:9", options={"url": BOARD_URL})
    method, url, headers, body = ukg.first_page_request(src)
    assert (method, url) == ("POST", "http://127.0.0.1:9/BAP1001BAPT/JobBoard/5b9e2c1f-7a3d-4c1e-9f60-2d8a41b7c3e5/JobBoardView/LoadSearchResults")
    assert json.loads(body)["opportunitySearch"]["QueryString"] == "PACS"


anything = any_json()
job = json_object(["Id", "Title", "Locations", "FullTime", "JobLocationType", "PostedDate", "BriefDescription"])


@settings(max_examples=150, deadline=None)
@given(payload=st.fixed_dictionaries({"opportunities": st.lists(job | anything, max_size=3)}) | anything)
def test_any_shape_parses_or_raises_parse_error(payload):
    assert_parses_or_raises_parse_error(ukg.parse, payload)


def test_odd_field_types_are_ignored_not_fatal():
    page = {"opportunities": [{"Id": "a", "Title": "PACS Analyst", "JobLocationType": [1], "Locations": 5}]}
    (raw,) = ukg.parse(json.dumps(page))
    assert (raw.workplace, raw.locations) == (None, [])
