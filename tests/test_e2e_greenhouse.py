"""Greenhouse end to end: crawls through the local HTTP server into a real SQLite file."""

from __future__ import annotations

import pytest

pytest.importorskip("pacsjobs.crawl", reason="pacsjobs.crawl (run_crawl) is not written yet")

from sqlalchemy import select  # noqa: E402

from pacsjobs.config import load_config  # noqa: E402
from pacsjobs.crawl import run_crawl  # noqa: E402
from pacsjobs.store import open_store  # noqa: E402
from pacsjobs.store.models import PostingRow  # noqa: E402
from tests.helpers import write_config  # noqa: E402

PATH = "/v1/boards/meridianimaging/jobs"
QUERY = {"content": "true", "pay_transparency": "true"}
SOURCE = "greenhouse:meridian"


def _config(tmp_path, server):
    folder = write_config(tmp_path / "config", sources=[{
        "name": SOURCE, "platform": "greenhouse", "employer": "Meridian Imaging Informatics",
        "group": "vendors", "board": "meridianimaging", "base_url": server.url}])
    return load_config(folder)


def _rows(config):
    with open_store(config.database_url) as store, store.session() as s:
        return {r.source_id: r for r in s.scalars(select(PostingRow).where(PostingRow.source == SOURCE))}


def _listings(server):
    return [r for r in server.log() if r["path"] == PATH]


def test_whole_board_then_a_failed_crawl_closes_nothing_then_retries_and_closes(tmp_path, server):
    server.routes([{"path": PATH, "query": QUERY, "file": "greenhouse/board.json"}])
    config = _config(tmp_path, server)
    [first] = run_crawl(config, [SOURCE])
    assert first.status == "succeeded", first.message
    assert (first.reported, first.fetched, first.found, first.new) == (5, 5, 5, 5)  # meta.total checked
    assert len(_listings(server)) == 1  # the whole board in one request (plus robots.txt)
    assert first.requests == len(server.log())
    rows = _rows(config)
    pacs = rows["4012345002"]
    assert pacs.title == "PACS Administrator"
    assert (pacs.salary_min, pacs.salary_max) == (76000, 104000)
    assert pacs.url.endswith("gh_jid=4012345002")
    assert "&lt;" not in (pacs.description_html or "") and "DICOM" in pacs.description_text
    assert pacs.is_pacs_role and not rows["4001122002"].is_pacs_role  # whole board kept, classified

    # an HTML error page with status 200: counted, the run is not complete, nothing is closed
    server.routes([{"path": PATH, "query": QUERY, "content_type": "text/html",
                    "text": "<html><body><h1>We'll be right back</h1></body></html>"}])
    [bad] = run_crawl(config, [SOURCE])
    assert bad.status in ("partial", "failed") and bad.closed == 0
    assert "bad payload" in (bad.message or "") and bad.errors >= 1
    assert all(r.closed_at is None for r in _rows(config).values())

    # 429 with Retry-After: 1, then 500, then the board a week later: retried, complete, closes
    server.reset()
    server.routes([{"path": PATH, "query": QUERY, "status": 429, "headers": {"Retry-After": "1"},
                    "text": "slow down", "times": 1},
                   {"path": PATH, "query": QUERY, "status": 500, "text": "oops", "times": 1},
                   {"path": PATH, "query": QUERY, "file": "greenhouse/board_later.json"}])
    [later] = run_crawl(config, [SOURCE])
    assert later.status == "succeeded", later.message
    assert len(_listings(server)) == 3
    assert (later.closed, later.updated, later.reported, later.fetched) == (1, 1, 4, 4)
    rows = _rows(config)
    assert rows["4001122002"].closed_at is not None
    assert rows["4012345002"].title == "PACS Administrator II" and rows["4012345002"].closed_at is None
