"""Taleo Enterprise parser on real-format payloads (search page, searchjobs, jobdetail.ftl)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pacsjobs.config import SourceConfig
from pacsjobs.errors import ParseError
from pacsjobs.sources import taleo
from tests.json_fuzz import any_json, json_object

FIX = Path(__file__).parent / "fixtures" / "taleo"
SECTION_URL = "https://tenet.taleo.net/careersection/10000"
PAGE1 = (FIX / "search_pacs_page1.json").read_bytes()
ADMIN_PAGE = (FIX / "detail" / "260012A.html").read_bytes()


@pytest.fixture(scope="module")
def listing():
    return {p.source_id: p for p in taleo.parse(PAGE1, "", SECTION_URL)}


def test_portal_number_from_the_search_page():
    assert taleo.portal_number((FIX / "jobsearch.html").read_bytes()) == "560110087"
    assert taleo.portal_number("var s = {portalNo:'101430233'};") == "101430233"


@pytest.mark.parametrize(
    "page, problem",
    [
        ("<html><title>Career Section Unavailable</title></html>", "Career Section Unavailable"),
        ("<html><body>Welcome to Tenet Health</body></html>", "no portalNo on the page"),
    ],
)
def test_search_pages_without_a_portal_raise(page, problem):
    with pytest.raises(ParseError, match=problem):
        taleo.portal_number(page, "u")


def test_every_requisition_of_the_page_is_parsed(listing):
    numbers = [r["contestNo"] for r in json.loads(PAGE1)["requisitionList"]]
    assert sorted(listing) == sorted(numbers) and len(numbers) == 25


def test_count_and_pages_come_from_paging_data():
    assert taleo.reported_total(PAGE1) == 27 and taleo.page_count(PAGE1) == 2
    assert taleo.page_count((FIX / "search_empty.json").read_bytes()) == 1


def test_listing_fields_follow_linked_and_location_columns(listing):
    admin = listing["260012A"]
    assert admin.url == f"{SECTION_URL}/jobdetail.ftl?job=260012A"
    assert (admin.title, admin.locations, admin.date_posted) == ("PACS Administrator", ["Dallas, Texas, US"], "Nov 1, 2026")
    assert admin.updated == 'PACS Administrator|["US-Texas-Dallas"]|Nov 1, 2026'
    assert (admin.extra["job_id"], admin.extra["hot_job"]) == ("311600", True)
    assert listing["260013B"].locations == ["Dallas, Texas, US", "Frisco, Texas, US"]


def test_a_section_whose_columns_are_title_only():
    page = {"requisitionList": [{"jobId": "1014544", "contestNo": "00110645", "column": ["Metrology Engineer (Calibration)"],
                                 "linkedColumn": 0, "locationsColumns": []}],
            "pagingData": {"currentPageNo": 1, "pageSize": 25, "totalCount": 1}}
    (raw,) = taleo.parse(json.dumps(page))
    assert (raw.title, raw.locations, raw.date_posted) == ("Metrology Engineer (Calibration)", [], None)


@pytest.mark.parametrize("code, text", [
    ("US-Maryland-Hunt Valley", "Hunt Valley, Maryland, US"),
    ("United States-Florida-Miami", "Miami, Florida, United States"),
    ("US-TX-Winston-Salem", "Winston-Salem, TX, US"),
    ("Kenya", "Kenya"),
])
def test_location_codes_read_country_first(code, text):
    assert taleo.location_text(code) == text


def test_detail_description_and_qualifications_once_each(listing):
    raw = taleo.parse_detail(ADMIN_PAGE, "", listing["260012A"])
    assert raw.description_html.count("Administers the PACS and VNA") == 1
    assert "<h3>Qualifications</h3><ul><li>Bachelor's degree" in raw.description_html
    assert raw.updated == listing["260012A"].updated and listing["260012A"].description_html is None


def test_detail_alone_takes_title_and_number_from_the_page():
    raw = taleo.parse_detail(ADMIN_PAGE, f"{SECTION_URL}/jobdetail.ftl?job=260012A&lang=en")
    assert (raw.source_id, raw.title, raw.url) == ("260012A", "PACS Administrator", f"{SECTION_URL}/jobdetail.ftl?job=260012A")


def test_escaped_colons_are_unescaped():
    page = ('<input type="hidden" id="initialHistory" value="ftlx0!|!x!*!%3Cp style=%22margin%5C:0%22%3EDo it.%3C/p%3E'
            '!*!%3Cp style=%22margin%5C:0%22%3EDo it.%3C/p%3E!|!false" />')
    assert taleo.rich_fields(page) == ['<p style="margin:0">Do it.</p>']


@pytest.mark.parametrize("page, problem", [
    ("<html><body>This job is no longer available.</body></html>", "not a Taleo job page"),
    ('<input type="hidden" id="initialHistory" value="ftlx0!|!false" />', "without a description"),
])
def test_unreadable_detail_pages_raise(page, problem):
    with pytest.raises(ParseError, match=problem):
        taleo.parse_detail(page, "u")


@pytest.mark.parametrize("payload", [b"[]", b'{"requisitionList": []}', b"<html>moved</html>",
                                     b'{"careerSectionUnAvailable": true}'])
def test_wrong_listing_shapes_raise(payload):
    with pytest.raises(ParseError):
        taleo.parse(payload, "u")


@pytest.mark.parametrize("options, problem", [
    ({}, "url: is required"),
    ({"url": "https://tenet.taleo.net/careers"}, "not a Taleo career section URL"),
    ({"url": SECTION_URL, "keywords": "PACS"}, "keywords: must be a list"),
    ({"url": SECTION_URL, "portal": "1"}, "portal: unknown key"),
])
def test_check_options_names_the_key(options, problem):
    with pytest.raises(ValueError, match=problem):
        taleo.check_options(options)


def test_section_url_forms_and_first_page_request():
    assert taleo.check_options({"url": SECTION_URL + "/jobsearch.ftl?lang=en"}) == {"url": SECTION_URL}
    src = SourceConfig(name="t", platform="taleo", base_url="http://127.0.0.1:9", options={"url": SECTION_URL})
    assert taleo.first_page_request(src)[:2] == ("GET", "http://127.0.0.1:9/careersection/10000/jobsearch.ftl?lang=en")


req = json_object(["jobId", "contestNo", "column", "linkedColumn", "locationsColumns", "hotJob"])


@settings(max_examples=150, deadline=None)
@given(reqs=st.lists(req | any_json(), max_size=3), paging=any_json() | st.just({"pageSize": 25, "totalCount": 3}))
def test_any_shape_parses_or_raises_parse_error(reqs, paging):
    payload = json.dumps({"requisitionList": reqs, "pagingData": paging})
    try:
        raws = taleo.parse(payload)
        taleo.page_count(payload)
    except ParseError:
        return
    assert all(r.source_id and r.title for r in raws)
