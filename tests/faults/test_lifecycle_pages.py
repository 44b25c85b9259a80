"""Issue 11 §1, the pure parts: unreadable listing entries are counted; a 200 page that is not the
page (binary, cut off) is told from one that is."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from pacsjobs.sources import platform_module
from pacsjobs.sources.common import Entries, read_entries
from pacsjobs.sources.pagecheck import looks_binary, looks_truncated, page_problem

FIX = Path(__file__).resolve().parent.parent / "fixtures"
PAGE = (FIX / "jsonld" / "site" / "jobs" / "pacs-administrator.html").read_bytes()
MALFORMED = [None, 1, "x", {"id": None}]


def test_read_entries_counts_what_it_cannot_read():
    read = read_entries([1, None, 2, "x"], lambda e: e * 10 if isinstance(e, int) else None)
    assert read == [10, 20] and (read.skipped, read.entries) == (2, 4)
    assert Entries() == [] and Entries().skipped == 0


@pytest.mark.parametrize(("platform", "envelope"), [
    ("greenhouse", lambda jobs: {"jobs": jobs, "meta": {"total": len(jobs)}}),
    ("lever", lambda jobs: jobs),
    ("ashby", lambda jobs: {"apiVersion": "1", "jobs": jobs}),
    ("smartrecruiters", lambda jobs: {"offset": 0, "limit": 100, "totalFound": len(jobs), "content": jobs}),
    ("workday", lambda jobs: {"total": len(jobs), "jobPostings": jobs}),
    ("oracle", lambda jobs: {"items": [{"TotalJobsCount": len(jobs), "requisitionList": jobs}]}),
    ("usajobs", lambda jobs: {"SearchResult": {"SearchResultCount": len(jobs), "SearchResultCountAll": len(jobs),
                                               "SearchResultItems": jobs}}),
])
def test_every_listing_parser_counts_malformed_entries(platform, envelope):
    parsed = platform_module(platform).parse(json.dumps(envelope(MALFORMED)).encode(), "https://x.example/")
    assert isinstance(parsed, Entries) and list(parsed) == [] and parsed.skipped == len(MALFORMED)


def test_ashby_unlisted_jobs_are_left_out_not_unreadable():
    board = json.loads((FIX / "ashby" / "board.json").read_text())
    parsed = platform_module("ashby").parse(json.dumps(board).encode())
    unlisted = sum(1 for job in board["jobs"] if job.get("isListed") is False)
    assert unlisted and parsed.skipped == 0 and len(parsed) == len(board["jobs"]) - unlisted


@pytest.mark.parametrize("page", sorted((FIX / "jsonld").rglob("*.html")), ids=lambda p: p.name)
def test_real_pages_have_no_problem(page):
    assert page_problem(page.read_bytes()) is None


def test_a_page_in_utf16_or_latin1_is_text():
    text = PAGE.decode()
    assert page_problem(b"\xff\xfe" + text.encode("utf-16-le")) is None
    assert not looks_binary(text.replace("PACS", "PACS caf\u00e9 \u00e0 l'h\u00f4pital").encode("latin-1"))


@pytest.mark.parametrize(("body", "why"), [
    (b"", "empty page"),
    (b"  \n", "empty page"),
    (gzip.compress(PAGE, mtime=0), "binary"),
    (bytes(range(256)) * 8, "binary"),
    (PAGE[:len(PAGE) // 2], "cut off"),
    (PAGE[:PAGE.index(b"</a>") if b"</a>" in PAGE else PAGE.index(b"</script>")], "cut off"),
])
def test_a_page_that_is_not_the_page(body, why):
    assert why in (page_problem(body) or "")


def test_only_an_html_document_can_be_cut_off():
    assert not looks_truncated(b"<div class='job'>a fragment</div>")  # no <html>: nothing to end
    assert looks_truncated(b"<!-- a comment -->\n<!doctype html><html><body><p>PACS")
    assert not looks_truncated(b"<!DOCTYPE html><html><body></body></HTML >")
