"""SuccessFactors parser on a saved-format /googlefeed.xml and a job page."""

from __future__ import annotations

from pathlib import Path

import pytest

from pacsjobs.errors import ParseError
from pacsjobs.sources import successfactors as sf

FIX = Path(__file__).parent / "fixtures" / "successfactors"
FEED = (FIX / "googlefeed.xml").read_bytes()
SITE = "https://careers.lakeshorehealth.example"


@pytest.fixture(scope="module")
def items():
    return {p.source_id: p for p in sf.parse(FEED, f"{SITE}/googlefeed.xml")}


def test_every_item_by_its_g_id(items):
    assert list(items) == ["1167811200", "1167811300", "1167811400", "1167811500", "1167811600"]


def test_item_fields(items):
    admin = items["1167811200"]
    assert admin.title == "PACS Administrator"  # the "(Santa Monica, CA, US, 90404)" suffix dropped
    assert admin.url == f"{SITE}/job/Santa-Monica-PACS-Administrator-CA-90404/1167811200/"
    assert (admin.locations, admin.country) == (["Santa Monica, CA 90404"], "US")
    assert (admin.employer, admin.department, admin.valid_through) == (
        "Lakeshore Health Medical Group", "Information Technology", "2027-01-31")
    assert admin.extra["location_text"] == "Santa Monica, CA, US, 90404"


def test_description_escaped_once_more_is_unescaped(items):
    html = items["1167811200"].description_html
    assert html.startswith("<p><b>About the role</b></p>") and "&lt;" not in html
    assert items["1167811500"].description_html is None  # empty: its job page is read


@pytest.mark.parametrize(("text", "expected"), [
    ("Santa Monica, CA, US, 90404", ("Santa Monica, CA 90404", "US")),
    ("Haifa, IL", ("Haifa", "IL")),
    ("Tel Aviv, Israel, 6944020", ("Tel Aviv, Israel 6944020", None)),
    ("Remote", ("Remote", None)),
    (None, (None, None)),
])
def test_place(text, expected):
    assert sf.place(text) == expected


def test_a_title_keeps_parentheses_that_are_not_the_location():
    feed = FEED.replace(b"PACS Administrator (Santa Monica, CA, US, 90404)", b"PACS Administrator (Nights)")
    assert sf.parse(feed)[0].title == "PACS Administrator (Nights)"


def test_marker_follows_what_the_feed_shows(items):
    again = sf.parse(FEED.replace(b"2027-02-28", b"2027-03-31"))
    assert again[3].updated != items["1167811500"].updated
    assert sf.parse(FEED)[3].updated == items["1167811500"].updated


@pytest.mark.parametrize(("payload", "problem"), [
    (b"<!DOCTYPE html><html><body>Careers</body></html>", "got an HTML page"),
    (b'<?xml version="1.0"?><rss><channel><item><title>x', "not well-formed XML"),
    (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>', "not an RSS job feed"),
    (b"", "empty answer"),
    (b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&e;</title>'
     b"<g:id xmlns:g='http://base.google.com/ns/1.0'>1</g:id></item></channel></rss>", None),
])
def test_bad_feeds(payload, problem):
    if problem is None:  # an external entity is never read
        assert all("root:" not in (p.title or "") for p in sf.parse(payload))
        return
    with pytest.raises(ParseError, match=problem):
        sf.parse(payload, f"{SITE}/googlefeed.xml")


def test_job_page_microdata_takes_the_feed_id(items):
    listing = items["1167811500"]
    raw = sf.parse_detail((FIX / "job" / "1167811500.html").read_bytes(), listing.url, listing)
    assert (raw.source_id, raw.url, raw.updated) == (listing.source_id, listing.url, listing.updated)
    assert raw.extra["format"] == "microdata" and "zero-footprint viewer" in raw.description_html
    with pytest.raises(ParseError, match="no JobPosting data"):
        sf.parse_detail(b"<html><body>Job not found</body></html>", listing.url, listing)


def test_options():
    assert sf.check_options({"url": "https://career4.successfactors.com/"}) == {
        "url": "https://career4.successfactors.com"}
    with pytest.raises(ValueError, match="keywords: the job feed cannot be searched"):
        sf.check_options({"url": SITE, "keywords": ["PACS"]})
    with pytest.raises(ValueError, match="url: is required"):
        sf.check_options({})
