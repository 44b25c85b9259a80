"""NEOGOV parser on a real-format agency RSS feed: one test per field."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pacsjobs.config import SourceConfig
from pacsjobs.errors import ParseError
from pacsjobs.sources import neogov

FIX = Path(__file__).parent / "fixtures" / "neogov"
FEED = (FIX / "jobsfeed.xml").read_bytes()


@pytest.fixture(scope="module")
def jobs():
    return {p.source_id: p for p in neogov.parse(FEED)}


def test_every_item_is_parsed(jobs):
    assert sorted(jobs) == ["5101120", "5109932", "5118870", "5120311", "5123456"]
    assert neogov.agency_name(FEED) == "San Bernardino County, CA"


def test_item_fields(jobs):
    admin = jobs["5123456"]
    assert admin.url.endswith("/careers/sanbernardino/jobs/5123456/pacs-administrator-arrowhead-regional-medical-center")
    assert (admin.title, admin.locations, admin.employment_type) == (
        "PACS Administrator - Arrowhead Regional Medical Center", ["Colton, CA"], "Full-time")
    assert (admin.salary.min, admin.salary.max, admin.salary.currency, admin.salary.unit) == ("41.67", "56.09", "USD", "Hour")
    assert admin.date_posted == "Mon, 23 Nov 2026 08:00:00 GMT"
    assert admin.valid_through == "Mon, 07 Dec 2026 07:59:00 GMT"
    assert admin.updated == "Mon, 23 Nov 2026 18:04:11 GMT"
    assert (admin.department, admin.extra["job_number"], admin.extra["division"]) == (
        "Arrowhead Regional Medical Center", "26-3114", "Imaging Services")


def test_description_joins_the_rich_text_fields(jobs):
    html = jobs["5123456"].description_html
    assert html.startswith("<p>Arrowhead Regional Medical Center is recruiting a <b>PACS Administrator</b>")
    assert "<h3>Examples of duties</h3><ul><li>Administers PACS" in html
    assert "<h3>Qualifications</h3><p>Two years" in html
    assert "<h3>Supplemental information</h3>" in html


def test_an_item_without_job_id_takes_it_from_the_link():
    feed = FEED.replace(b"<joblisting:jobId>5123456</joblisting:jobId>", b"")
    assert "5123456" in {p.source_id for p in neogov.parse(feed)}


def test_an_empty_channel_is_no_jobs():
    assert neogov.parse((FIX / "jobsfeed_empty.xml").read_bytes()) == []


@pytest.mark.parametrize("payload, problem", [
    (b"<!DOCTYPE html><html><body>Page not found</body></html>", "expected an RSS feed, got an HTML page"),
    (b'{"jobs": []}', "not an RSS feed"),
    (b"<feed xmlns='http://www.w3.org/2005/Atom'></feed>", "no rss/channel"),
    (b"<rss><channel><item><title>x</rss>", "not an RSS feed"),
])
def test_wrong_shapes_raise(payload, problem):
    with pytest.raises(ParseError, match=problem):
        neogov.parse(payload, "u")


def test_entities_are_not_expanded():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            b"<rss><channel><item><title>&b;</title><link>https://x/jobs/1</link></item></channel></rss>")
    try:
        raws = neogov.parse(bomb)
    except ParseError:
        return
    assert all("aaaa" not in r.title for r in raws)


def test_keywords_match_title_or_text(jobs):
    assert neogov.matches(jobs["5120311"], ["pacs"])  # in the text
    assert not neogov.matches(jobs["5118870"], ["PACS", "imaging informatics"])
    assert neogov.matches(jobs["5118870"], [])  # no keywords: every job


@pytest.mark.parametrize("options, problem", [
    ({}, "agency: required"),
    ({"agency": "san bernardino"}, "agency: required"),
    ({"agency": "sanbernardino", "keywords": "PACS"}, "keywords: must be a list"),
    ({"agency": "sanbernardino", "url": "x"}, "url: unknown key"),
])
def test_check_options_names_the_key(options, problem):
    with pytest.raises(ValueError, match=problem):
        neogov.check_options(options)


def test_first_page_request_is_the_feed():
    src = SourceConfig(name="n", platform="neogov", options={"agency": "sanbernardino"})
    assert neogov.first_page_request(src)[:2] == (
        "GET", "https://www.governmentjobs.com/SearchEngine/JobsFeed?agency=sanbernardino")


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60) | st.binary(max_size=60))
def test_any_bytes_parse_or_raise_parse_error(payload):
    try:
        raws = neogov.parse(payload)
    except ParseError:
        return
    assert all(r.source_id and r.title for r in raws)
