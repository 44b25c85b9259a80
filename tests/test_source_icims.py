"""iCIMS parser on saved-format pages: search result cards, the pager, job pages, options."""

from __future__ import annotations

from pathlib import Path

import pytest

from pacsjobs.errors import ParseError
from pacsjobs.sources import icims

FIX = Path(__file__).parent / "fixtures" / "icims"
PORTAL = "https://careers-harborvalley.icims.com"
PAGE0 = (FIX / "search_pacs_pr0.html").read_bytes()


@pytest.fixture(scope="module")
def cards():
    return {p.source_id: p for p in icims.parse(PAGE0, f"{PORTAL}/jobs/search?ss=1&pr=0&in_iframe=1")}


def test_every_card_of_the_page_with_its_job_id(cards):
    assert list(cards) == ["4101", "4102", "4117"]


def test_card_fields(cards):
    admin = cards["4101"]
    assert admin.url == f"{PORTAL}/jobs/4101/pacs-administrator/job"  # in_iframe=1 dropped: the public page
    assert admin.title == "PACS Administrator"
    assert (admin.locations, admin.country) == (["Portland, ME"], "US")
    assert (admin.department, admin.employment_type, admin.date_posted) == (
        "Information Technology", "Full-Time", "11/2/2026 9:14 AM")
    assert admin.extra["requisition"] == "2026-4101"


def test_relative_links_resolve_on_the_portal():
    page = PAGE0.replace(f"{PORTAL}/jobs/4101/".encode(), b"/jobs/4101/")
    assert icims.parse(page, f"{PORTAL}/jobs/search?ss=1&pr=0")[0].url == f"{PORTAL}/jobs/4101/pacs-administrator/job"


def test_several_locations_and_codes_without_a_region(cards):
    assert cards["4102"].locations == ["Portland, ME", "Biddeford, ME"]
    assert icims.places("US-Remote") == (["Remote"], "US")
    assert icims.place("Portland, Maine") == ("Portland, Maine", None)


def test_marker_changes_with_the_card_only(cards):
    again = {p.source_id: p for p in icims.parse(PAGE0)}
    assert again["4101"].updated == cards["4101"].updated
    edited = icims.parse(PAGE0.replace(b"11/2/2026 9:14 AM", b"11/20/2026 9:14 AM"))
    assert edited[0].updated != cards["4101"].updated


def test_marker_ignores_relative_dates():
    today = icims.marker("PACS Analyst", {"Posted Date": "3 weeks ago (1/5/2026 9:02 AM)"})
    later = icims.marker("PACS Analyst", {"Posted Date": "1 month ago (1/5/2026 9:02 AM)"})
    assert today == later == "PACS Analyst | Posted Date=(1/5/2026 9:02 AM)"
    assert icims.marker("PACS Analyst", {"Posted Date": "Yesterday"}) != icims.marker("PACS Analyst", {})


def test_page_count_from_the_heading_or_the_screen_reader_pager():
    assert icims.page_count(PAGE0) == 2
    only_pager = PAGE0.replace(b"Search Results Page 1 of 2", b"Search Results")
    assert icims.page_count(only_pager) == 2
    assert icims.page_count((FIX / "search_imaging_informatics_pr0.html").read_bytes()) == 1


def test_no_results_is_an_empty_page_but_another_site_is_an_error():
    assert icims.parse((FIX / "search_empty.html").read_bytes()) == []
    with pytest.raises(ParseError, match="not an iCIMS page"):
        icims.parse(b"<html><body><h1>Harbor Valley Health</h1></body></html>", "https://x/jobs/search")
    with pytest.raises(ParseError, match="got JSON"):
        icims.parse(b'{"error": "gone"}')


def test_an_icims_page_that_is_not_a_result_list_is_an_error():
    intro = (b'<html><body class="iCIMS_MainWrapper"><div class="iCIMS_Intro">Welcome! Search our openings.</div>'
             b'<a href="/jobs/search?ss=1">Search</a></body></html>')
    with pytest.raises(ParseError, match="not a search results page"):
        icims.parse(intro, f"{PORTAL}/jobs/search?ss=1&pr=0&in_iframe=1")


def test_job_page_json_ld_keeps_the_card_id_url_and_marker(cards):
    page = (FIX / "jobs" / "4101.html").read_bytes()
    raw = icims.parse_detail(page, "http://127.0.0.1:9/jobs/4101/pacs-administrator/job?in_iframe=1", cards["4101"])
    assert (raw.source_id, raw.url, raw.updated) == ("4101", cards["4101"].url, cards["4101"].updated)
    assert raw.employer == "Harbor Valley Health System, Inc." and raw.extra["jsonld_identifier"] == "2026-4101"
    assert "HL7 orders and results interfaces" in raw.description_html
    assert raw.locations == ["Portland, ME 04102"]


def test_job_page_without_json_ld_reads_the_icims_markup():
    page = (FIX / "jobs" / "4125.html").read_bytes()
    raw = icims.parse_detail(page, f"{PORTAL}/jobs/4125/imaging-informatics-analyst/job?in_iframe=1")
    assert (raw.source_id, raw.title, raw.locations) == ("4125", "Imaging Informatics Analyst", ["Lewiston, ME"])
    assert "<h2>Qualifications</h2>" in raw.description_html and "CIIP preferred" in raw.description_html
    with pytest.raises(ParseError, match="no JobPosting data and no iCIMS job markup"):
        icims.parse_detail(b"<html><body>Sorry</body></html>", f"{PORTAL}/jobs/1/x/job")


def test_portal_urls():
    p = icims.portal(PORTAL, "http://127.0.0.1:9")
    assert p.search_url("imaging informatics", 2) == (
        "http://127.0.0.1:9/jobs/search?ss=1&searchKeyword=imaging+informatics&in_iframe=1&pr=2")
    assert p.search_url("", 0) == "http://127.0.0.1:9/jobs/search?ss=1&in_iframe=1&pr=0"
    assert p.job_url(f"{PORTAL}/jobs/4101/pacs-administrator/job") == (
        "http://127.0.0.1:9/jobs/4101/pacs-administrator/job?in_iframe=1")
    assert icims.job_id(f"{PORTAL}/jobs/4101/pacs-administrator/job?in_iframe=1") == "4101"
    assert icims.job_id(f"{PORTAL}/jobs/intro") is None


@pytest.mark.parametrize(("options", "problem"), [
    ({}, "url: is required"),
    ({"url": "https://careers.harborvalley.org"}, "is not an iCIMS portal"),
    ({"url": f"{PORTAL}/jobs/search"}, "is not a site root URL"),
    ({"url": PORTAL, "keywords": "PACS"}, "keywords: must be a list"),
    ({"url": PORTAL, "keywords": ["PACS"], "sitemap": "/sitemap.xml"}, "not both"),
    ({"url": PORTAL, "board": "x"}, "board: unknown key"),
])
def test_bad_options(options, problem):
    with pytest.raises(ValueError, match=problem):
        icims.check_options(options)


def test_options_and_keywords():
    assert icims.check_options({"url": PORTAL + "/"}) == {"url": PORTAL}
    assert icims.keywords({}) == icims.DEFAULT_KEYWORDS
    assert icims.keywords({"keywords": []}) == [""] == icims.keywords({"keywords": [""]})


def test_a_card_whose_link_is_no_url_is_left_out_not_a_crash():
    """Found by the fuzz campaign: a bracket in a link's host made urljoin raise ValueError."""
    page = PAGE0.replace(b"https://careers-harborvalley.icims.com/jobs/4102/", b"https://[harborvalley/jobs/4102/")
    assert [p.source_id for p in icims.parse(page, f"{PORTAL}/jobs/search?pr=0")] == ["4101", "4117"]


def test_a_listing_link_that_is_no_url_costs_only_itself():
    """The same fault in JSON-LD career pages and Jobvite rows: the other links and rows are read."""
    from pacsjobs.sources import jobvite, jsonld

    page = b'<html><body><a href="http://[bad/job/1">x</a><a href="/job/2">y</a></body></html>'
    assert jsonld.links(page, "https://careers.example/jobs", "/job/") == ["https://careers.example/job/2"]
    assert jobvite._job_url("https://[bad/", "job/3") == "job/3"
