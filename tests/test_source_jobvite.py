"""Jobvite parser on saved-format pages: search rows (two themes), the pager, job pages, options."""

from __future__ import annotations

from pathlib import Path

import pytest

from pacsjobs.errors import ParseError
from pacsjobs.sources import jobvite

FIX = Path(__file__).parent / "fixtures" / "jobvite"
SEARCH_URL = "https://jobs.jobvite.com/harborvalley/search?q=PACS&p=0"
PAGE0 = (FIX / "search_pacs_p0.html").read_bytes()


@pytest.fixture(scope="module")
def rows():
    return {p.source_id: p for p in jobvite.parse(PAGE0, SEARCH_URL)}


def test_every_row_of_the_page(rows):
    assert list(rows) == ["oKq1wfwA", "oNt4zfwD", "oQv6bfwF"]


def test_row_fields(rows):
    admin = rows["oKq1wfwA"]
    assert admin.url == "https://jobs.jobvite.com/harborvalley/job/oKq1wfwA"
    assert (admin.title, admin.locations) == ("PACS Administrator", ["Portland, Maine"])  # whitespace folded
    assert admin.updated == "PACS Administrator @ Portland, Maine"


def test_several_locations_name_none_on_the_list(rows):
    assert rows["oQv6bfwF"].locations == [] and rows["oQv6bfwF"].updated == "PACS Analyst @ 2 Locations"


def test_pager_gives_the_range_and_the_count():
    assert jobvite.page_range(PAGE0) == (1, 3, 4) and jobvite.reported_total(PAGE0) == 4
    assert jobvite.reported_total((FIX / "search_pacs_p1.html").read_bytes()) == 4
    assert jobvite.reported_total((FIX / "search_none.html").read_bytes()) is None


def test_newer_theme_list_items():
    page = ('<ul class="jv-job-list jv-search-list"><li class="row"><a href="/medspeed/job/oBYfAfw8" class="flex-row">'
            '<div class="jv-job-list-name"> PACS Courier </div><div class="ml-auto jv-job-list-location"> Little Rock,'
            ' Arkansas </div></a></li></ul>')
    [raw] = jobvite.parse(page, "https://jobs.jobvite.com/medspeed/search?p=0")
    assert (raw.source_id, raw.title, raw.locations) == ("oBYfAfw8", "PACS Courier", ["Little Rock, Arkansas"])


def test_rows_opened_by_a_click_handler():
    page = ('<table class="jv-job-list"><tr onclick="location.href=\'/acme/job/oAb1cfwZ\'">'
            '<td class="jv-job-list-name">PACS Analyst</td><td class="jv-job-list-location">Remote</td></tr></table>')
    [raw] = jobvite.parse(page, "https://jobs.jobvite.com/acme/search")
    assert (raw.source_id, raw.url) == ("oAb1cfwZ", "https://jobs.jobvite.com/acme/job/oAb1cfwZ")


def test_no_hits_and_another_site():
    assert jobvite.parse((FIX / "search_none.html").read_bytes()) == []
    with pytest.raises(ParseError, match="no jv- markup"):
        jobvite.parse("<html><body><h1>Down for maintenance</h1></body></html>", SEARCH_URL)


def test_job_page_json_ld(rows):
    raw = jobvite.parse_detail((FIX / "job" / "oKq1wfwA.html").read_bytes(), rows["oKq1wfwA"].url, rows["oKq1wfwA"])
    assert (raw.source_id, raw.employer, raw.locations, raw.date_posted) == (
        "oKq1wfwA", "Harbor Valley Health", ["Portland, ME"], "2026-11-08")
    assert raw.updated == rows["oKq1wfwA"].updated


def test_job_page_json_ld_names_every_place(rows):
    raw = jobvite.parse_detail((FIX / "job" / "oQv6bfwF.html").read_bytes(), rows["oQv6bfwF"].url, rows["oQv6bfwF"])
    assert raw.locations == ["Portland, ME", "Biddeford, ME"]


def test_job_page_markup_without_json_ld():
    raw = jobvite.parse_detail((FIX / "job" / "oLr2xfwB.html").read_bytes(),
                               "https://jobs.jobvite.com/harborvalley/job/oLr2xfwB")
    assert (raw.source_id, raw.title, raw.department, raw.locations) == (
        "oLr2xfwB", "Imaging Informatics Analyst", "Information Technology", ["Lewiston, Maine"])
    assert "DICOM routing and modality worklists" in raw.description_html
    with pytest.raises(ParseError, match="no JobPosting data and no Jobvite job markup"):
        jobvite.parse_detail("<html><body><h2 class='jv-header'>Job not found</h2></body></html>", "https://x/a/job/b")


def test_options_and_search_urls():
    assert jobvite.check_options({"company": "harborvalley"}) == {"company": "harborvalley"}
    assert jobvite.check_options({"company": "x", "keywords": []}) == {"company": "x", "keywords": []}
    for options, problem in (({}, "company: required"), ({"company": "a/b"}, "company: required"),
                             ({"company": "x", "keywords": "PACS"}, "keywords: must be a list"),
                             ({"company": "x", "url": "y"}, "url: unknown key")):
        with pytest.raises(ValueError, match=problem):
            jobvite.check_options(options)
    assert jobvite.search_url("https://jobs.jobvite.com/", "acme", "imaging informatics", 1) == (
        "https://jobs.jobvite.com/acme/search?q=imaging+informatics&p=1")
    assert jobvite.search_url("https://jobs.jobvite.com", "acme", "", 0) == "https://jobs.jobvite.com/acme/search?p=0"
    assert jobvite.keywords({}) == jobvite.DEFAULT_KEYWORDS and jobvite.keywords({"keywords": []}) == [""]
