"""Ashby end to end: a whole-board crawl through the local HTTP server into a real SQLite file."""

from __future__ import annotations

import pytest

pytest.importorskip("pacsjobs.crawl", reason="pacsjobs.crawl (run_crawl) is not written yet")

from sqlalchemy import select  # noqa: E402

from pacsjobs.config import load_config  # noqa: E402
from pacsjobs.crawl import run_crawl  # noqa: E402
from pacsjobs.store import open_store  # noqa: E402
from pacsjobs.store.models import PostingRow  # noqa: E402
from tests.helpers import write_config  # noqa: E402

PATH = "/posting-api/job-board/lumenrad"
QUERY = {"includeCompensation": "true"}
SOURCE = "ashby:lumenrad"
ENG = "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a01"
SALES = "9c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e04"


def _rows(config):
    with open_store(config.database_url) as store, store.session() as s:
        return {r.source_id: r for r in s.scalars(select(PostingRow).where(PostingRow.source == SOURCE))}


def test_board_crawl_skips_unlisted_and_a_recrawl_closes_what_vanished(tmp_path, server):
    server.routes([{"path": PATH, "query": QUERY, "file": "ashby/board.json", "times": 1},
                   {"path": PATH, "query": QUERY, "status": 503, "headers": {"Retry-After": "1"},
                    "text": "unavailable", "times": 1},
                   {"path": PATH, "query": QUERY, "file": "ashby/board_later.json"}])
    config = load_config(write_config(tmp_path / "config", sources=[{
        "name": SOURCE, "platform": "ashby", "employer": "LumenRad", "group": "vendors", "org": "lumenrad",
        "base_url": server.url}]))
    [first] = run_crawl(config, [SOURCE])
    assert first.status == "succeeded", first.message
    assert (first.found, first.fetched, first.reported) == (4, 4, None)  # the unlisted job is not stored
    assert first.requests == len(server.log())
    rows = _rows(config)
    eng = rows[ENG]
    assert eng.title == "Enterprise Imaging Engineer"
    assert eng.workplace == "hybrid"  # workplaceType wins over isRemote: true
    assert (eng.salary_min, eng.salary_max, eng.salary_period) == (108000, 150000, "year")
    assert eng.employment_type == "full_time" and eng.employer == "LumenRad"

    [second] = run_crawl(config, [SOURCE])  # a 503 with Retry-After first, then the board
    assert second.status == "succeeded", second.message
    assert second.closed == 1 and _rows(config)[SALES].closed_at is not None
    assert len([r for r in server.log() if r["path"] == PATH]) == 3
