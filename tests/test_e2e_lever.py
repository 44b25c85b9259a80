"""Lever end to end: paginated crawls through the local HTTP server into a real SQLite file."""

from __future__ import annotations

from datetime import date

import pytest

pytest.importorskip("pacsjobs.crawl", reason="pacsjobs.crawl (run_crawl) is not written yet")

from sqlalchemy import select  # noqa: E402

from pacsjobs.config import load_config  # noqa: E402
from pacsjobs.crawl import run_crawl  # noqa: E402
from pacsjobs.store import open_store  # noqa: E402
from pacsjobs.store.models import PostingRow  # noqa: E402
from tests.helpers import write_config  # noqa: E402

PATH = "/v0/postings/northstar-rad"
SOURCE = "lever:northstar"
GONE = "d4c3b2a1-0f9e-4d8c-b7a6-5e4d3c2b1a04"


def _page(skip: int, **route):
    return {"path": PATH, "query": {"mode": "json", "skip": skip, "limit": 2}, **route}


def _config(tmp_path, server):
    folder = write_config(tmp_path / "config", sources=[{
        "name": SOURCE, "platform": "lever", "employer": "Northstar Radiology Systems", "group": "vendors",
        "site": "northstar-rad", "page_size": 2, "base_url": server.url}])
    return load_config(folder)


def _rows(config):
    with open_store(config.database_url) as store, store.session() as s:
        return {r.source_id: r for r in s.scalars(select(PostingRow).where(PostingRow.source == SOURCE))}


def _skips(server):
    return [int(r["query"]["skip"]) for r in server.log() if r["path"] == PATH]


def test_pages_to_the_short_page_then_a_recrawl_closes_what_vanished(tmp_path, server):
    server.routes([_page(0, file="lever/postings_skip0.json", times=1),
                   _page(2, file="lever/postings_skip2.json", times=1),
                   _page(4, file="lever/postings_skip4.json", times=1),
                   _page(0, file="lever/later_skip0.json"), _page(2, file="lever/later_skip2.json"),
                   _page(4, text="[]", content_type="application/json")])
    config = _config(tmp_path, server)
    [first] = run_crawl(config, [SOURCE])
    assert first.status == "succeeded", first.message
    assert _skips(server) == [0, 2, 4]  # 2 + 2 + 1: the short page ends the site
    assert (first.found, first.new, first.fetched, first.reported) == (5, 5, 5, None)  # Lever has no count
    assert first.requests == len(server.log())
    rows = _rows(config)
    cas = rows["a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601"]
    assert (cas.salary_min, cas.salary_max, cas.salary_period) == (85000, 105000, "year")
    assert cas.workplace == "hybrid" and cas.employer == "Northstar Radiology Systems"
    assert cas.date_posted == date(2026, 11, 5)  # createdAt is epoch milliseconds
    assert cas.url == "https://jobs.lever.co/northstar-rad/a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601"
    assert cas.is_pacs_role and not rows[GONE].is_pacs_role

    [second] = run_crawl(config, [SOURCE])
    assert second.status == "succeeded", second.message
    assert _skips(server)[3:] == [0, 2, 4]  # a full last page: one more, empty, page
    assert (second.closed, second.unchanged, second.found) == (1, 4, 4)
    assert _rows(config)[GONE].closed_at is not None


def test_a_malformed_page_is_counted_and_the_pages_after_it_are_read(tmp_path, server):
    server.routes([_page(0, file="lever/postings_skip0.json"),
                   _page(2, text="<html><body>Bad gateway</body></html>", content_type="text/html"),
                   _page(4, file="lever/postings_skip4.json")])
    config = _config(tmp_path, server)
    [result] = run_crawl(config, [SOURCE])
    assert result.status == "partial"
    assert result.errors >= 1 and "bad payload" in (result.message or "")
    assert _skips(server) == [0, 2, 4]
    assert sorted(_rows(config)) == sorted(["a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601",
                                            "b7e2d9a0-1c3f-4b5a-9d8e-7f6a5b4c3d02",
                                            "e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a05"])
