"""A listing whose entries cannot be read is a failure of that listing, not the postings' absence:
every platform's parser counts such entries (``Entries.skipped``) so the crawl closes nothing."""

from __future__ import annotations

import json

import pytest

from pacsjobs.sources import platform_module

MALFORMED = [None, 1, "x", {"Id": None, "id": None, "JvId": None}]

JSON_LISTINGS = {
    "ukg": ({"opportunities": MALFORMED, "totalCount": 4}, "https://recruiting2.ultipro.com/ACME/JobBoard/"
            "11111111-2222-3333-4444-555555555555/JobBoardView/LoadSearchResults"),
    "taleo": ({"requisitionList": MALFORMED, "pagingData": {"currentPageNo": 1, "pageSize": 25, "totalCount": 4}},
              "https://acme.taleo.net/careersection/rest/jobboard/searchjobs?lang=en&portal=8"),
    "healthcaresource": ({"jobs": MALFORMED, "meta": {"page": 1, "perPage": 25, "totalJobs": 4, "totalPages": 1}},
                         "https://acme.hcshiring.com/abc123/api/jobs?page=1"),
    "careeronestop": ({"Jobcount": "4", "Jobs": MALFORMED}, "https://api.careeronestop.org/v2/jobsearch/u/PACS/US/25/0/0/0/100/30"),
    "adzuna": ({"count": 4, "results": MALFORMED}, "https://api.adzuna.com/v1/api/jobs/us/search/1"),
}

RSS_ITEMS = "".join(f"<item>{body}</item>" for body in ("", "<description>no title, no link</description>",
                                                        "<title></title>", "<link></link>"))
FEEDS = {
    "neogov": f'<?xml version="1.0"?><rss version="2.0"><channel><title>Acme County</title>{RSS_ITEMS}</channel></rss>',
    "successfactors": ('<?xml version="1.0"?><rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">'
                       f"<channel><title>Acme Health</title>{RSS_ITEMS}</channel></rss>"),
}


@pytest.mark.parametrize("platform", sorted(JSON_LISTINGS))
def test_malformed_json_entries_are_counted_not_dropped(platform):
    payload, url = JSON_LISTINGS[platform]
    result = platform_module(platform).parse(json.dumps(payload).encode(), url)
    assert list(result) == [] and result.skipped == 4


@pytest.mark.parametrize("platform", sorted(FEEDS))
def test_feed_items_that_cannot_be_read_are_counted(platform):
    result = platform_module(platform).parse(FEEDS[platform].encode(), "https://example.org/feed")
    assert list(result) == [] and result.skipped == 4
