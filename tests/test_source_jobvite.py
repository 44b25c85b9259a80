"""Jobvite parser on saved-format pages: the listing by department, job pages, options."""

from __future__ import annotations

from pathlib import Path

import pytest

from pacsjobs.errors import ParseError
from pacsjobs.sources import jobvite

FIX = Path(__file__).parent / "fixtures" / "jobvite"
LISTING_URL = "https://jobs.jobvite.com/harborvalley/jobs"


@pytest.fixture(scope="module")
def rows():
    return {p.source_id: p for p in jobvite.parse((FIX / "jobs.html").read_bytes(), LISTING_URL)}


def test_every_row_of_every_department(rows):
    assert list(rows) == ["oKq1wfwA", "oLr2xfwB", "oMs3yfwC", "oNt4zfwD", "oPu5afwE"]
    assert rows["oKq1wfwA"].department == "Information Technology"
    assert rows["oNt4zfwD"].department == "Imaging Services"


def test_row_fields(rows):
    admin = rows["oKq1wfwA"]
    assert admin.url == "https://jobs.jobvite.com/harborvalley/job/oKq1wfwA"
    assert (admin.title, admin.locations) == ("PACS Administrator", ["Portland, Maine"])  # whitespace folded
    assert admin.updated == "PACS Administrator @ Portland, Maine / Information Technology"


def test_rows_opened_by_a_click_handler():
    page = ('<div class="jv-page-body"><table class="jv-job-list"><tr onclick="location.href=\'/acme/job/oAb1cfwZ\'">'
            '<td class="jv-job-list-name">PACS Analyst</td><td class="jv-job-list-location">Remote</td></tr></table></div>')
    [raw] = jobvite.parse(page, "https://jobs.jobvite.com/acme/jobs")
    assert (raw.source_id, raw.title, raw.url) == ("oAb1cfwZ", "PACS Analyst", "https://jobs.jobvite.com/acme/job/oAb1cfwZ")


def test_an_empty_board_and_another_site():
    assert jobvite.parse('<div class="jv-page-body"><p class="jv-no-jobs">No open jobs</p></div>') == []
    with pytest.raises(ParseError, match="no jv- markup"):
        jobvite.parse("<html><body><h1>Down for maintenance</h1></body></html>", LISTING_URL)


def test_job_page_json_ld(rows):
    raw = jobvite.parse_detail((FIX / "job" / "oKq1wfwA.html").read_bytes(), rows["oKq1wfwA"].url, rows["oKq1wfwA"])
    assert (raw.source_id, raw.employer, raw.employment_type, raw.locations) == (
        "oKq1wfwA", "Harbor Valley Health", "FULL_TIME", ["Portland, ME"])
    assert raw.updated == rows["oKq1wfwA"].updated and raw.department == "Information Technology"


def test_job_page_markup_without_json_ld():
    raw = jobvite.parse_detail((FIX / "job" / "oLr2xfwB.html").read_bytes(),
                               "https://jobs.jobvite.com/harborvalley/job/oLr2xfwB")
    assert (raw.source_id, raw.title, raw.department, raw.locations) == (
        "oLr2xfwB", "Imaging Informatics Analyst", "Information Technology", ["Lewiston, Maine"])
    assert "DICOM routing and modality worklists" in raw.description_html
    with pytest.raises(ParseError, match="no JobPosting data and no Jobvite job markup"):
        jobvite.parse_detail("<html><body><h2 class='jv-header'>Job not found</h2></body></html>", "https://x/a/job/b")


def test_options():
    assert jobvite.check_options({"company": "harborvalley"}) == {"company": "harborvalley"}
    for options, problem in (({}, "company: required"), ({"company": "a/b"}, "company: required"),
                             ({"company": "x", "keywords": ["PACS"]}, "read whole"),
                             ({"company": "x", "url": "y"}, "url: unknown key")):
        with pytest.raises(ValueError, match=problem):
            jobvite.check_options(options)
    assert jobvite.listing_url("https://jobs.jobvite.com/", "acme") == "https://jobs.jobvite.com/acme/jobs"
