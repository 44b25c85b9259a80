"""Phenom parser on saved-format job pages: JSON-LD, the page data (phApp.ddo), URLs, options."""

from __future__ import annotations

from pathlib import Path

import pytest

from pacsjobs.errors import ParseError
from pacsjobs.record import RawPosting
from pacsjobs.sources import phenom

FIX = Path(__file__).parent / "fixtures" / "phenom" / "jobs"
SITE = "https://careers.example-health.org"


def page(job: str) -> bytes:
    return (FIX / f"{job}.html").read_bytes()


def test_json_ld_posting_with_the_url_id():
    url = f"{SITE}/us/en/job/R24-118273/PACS-Administrator"
    [raw] = phenom.parse(page("R24-118273"), url)
    assert (raw.source_id, raw.url, raw.title, raw.employer) == ("R24-118273", url, "PACS Administrator",
                                                                 "Northwest Health")
    assert raw.locations == ["Valparaiso, IN 46383", "La Porte, IN 46350"]
    assert raw.description_html.startswith("<p><b>Job Summary</b></p>")
    assert "description_from" not in raw.extra  # the JSON-LD description is the whole one


def test_a_teaser_in_json_ld_is_completed_from_the_page_data():
    raw = phenom.parse_detail(page("R24-120511"), f"{SITE}/us/en/job/R24-120511/Imaging-Informatics-Analyst")
    assert raw.extra["description_from"] == "phApp.ddo"
    assert "Epic Radiant orders and results interfaces" in raw.description_html
    assert raw.locations == ["Valparaiso, IN 46383"]  # the rest stays from the JSON-LD


def test_page_data_alone_makes_the_posting():
    raw = phenom.parse_detail(page("R24-121340"), f"{SITE}/us/en/job/R24-121340/Senior-PACS-Analyst")
    assert (raw.source_id, raw.title, raw.employer) == ("R24-121340", "Senior PACS Analyst", "Northwest Health")
    assert raw.locations == ["Valparaiso, Indiana, United States"]
    assert (raw.employment_type, raw.department, raw.date_posted) == (
        "Full time", "Information Technology", "2026-11-14T00:00:00.000+0000")
    assert raw.extra["format"] == "phenom-ddo" and "zero-footprint viewer" in raw.description_html


def test_the_sitemap_entry_gives_id_url_and_marker():
    stub = RawPosting(source_id="R24-118273", url=f"{SITE}/us/en/job/R24-118273/PACS-Administrator", title="",
                      updated="2026-11-10")
    raw = phenom.parse_detail(page("R24-118273"), "http://127.0.0.1:9/us/en/job/R24-118273/PACS-Administrator",
                              stub)
    assert (raw.source_id, raw.url, raw.updated) == (stub.source_id, stub.url, "2026-11-10")


def test_page_data_object():
    data = phenom.page_data(page("R24-121340"))
    assert data["jobDetail"]["status"] == 200 and data["siteConfig"]["data"]["refNum"] == "NWHUS"
    assert phenom.page_data(b"<script>phApp.ddo = {broken</script>") is None
    assert phenom.ddo_job(b'<script>phApp.ddo = {"jobDetail": {"status": "failure"}};</script>') is None


def test_a_page_without_posting_data_is_an_error():
    with pytest.raises(ParseError, match="neither JSON-LD nor phApp.ddo"):
        phenom.parse_detail(b"<html><body>This job is no longer available</body></html>", f"{SITE}/us/en/job/R1/x")


@pytest.mark.parametrize(("url", "expected"), [
    (f"{SITE}/us/en/job/R24-118273/PACS-Administrator", "R24-118273"),
    (f"{SITE}/global/en/job/NWHUSR24118273EXTERNALENUS/PACS-Administrator?utm_source=x", "NWHUSR24118273EXTERNALENUS"),
    (f"{SITE}/us/en/search-results", None),
])
def test_job_id(url, expected):
    assert phenom.job_id(url) == expected


def test_job_id_from_a_custom_pattern_group():
    assert phenom.job_id(f"{SITE}/careers/position-4471-pacs", r"/position-(?P<id>\d+)-") == "4471"


@pytest.mark.parametrize(("url", "words", "matches"), [
    ("/us/en/job/R1/Senior-PACS-Analyst", ["pacs"], True),
    ("/us/en/job/R1/Imaging-Informatics-Analyst", ["imaging informatics"], True),
    ("/us/en/job/R1/Spaces-Planner", ["pacs"], False),  # whole words only
    ("/us/en/job/R1/Registered-Nurse", ["pacs", "imaging"], False),
])
def test_slug_keywords(url, words, matches):
    assert phenom.slug_matches(SITE + url, words) is matches


def test_options():
    assert phenom.check_options({"url": SITE + "/"}) == {"url": SITE, "sitemap": "/sitemap.xml",
                                                         "url_pattern": "/job/"}
    with pytest.raises(ValueError, match="url_pattern: invalid regular expression"):
        phenom.check_options({"url": SITE, "url_pattern": "(/job/"})
    with pytest.raises(ValueError, match="slug_keywords: must be a non-empty list"):
        phenom.check_options({"url": SITE, "slug_keywords": "pacs"})
    with pytest.raises(ValueError, match="keywords: unknown key"):
        phenom.check_options({"url": SITE, "keywords": ["PACS"]})
    assert phenom.sitemap_url({"sitemap": "/us/en/sitemap_index.xml"}, SITE) == f"{SITE}/us/en/sitemap_index.xml"
