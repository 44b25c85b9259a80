"""Issue 11 §1: a crawl that would close too much of a source closes nothing and says why —
in the run record, the crawl summary and the digest's source-health footer."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from pacsjobs.cli import main
from pacsjobs.config import load_config
from pacsjobs.crawl import run_crawl
from pacsjobs.digest.summary import source_health
from pacsjobs.store import CloseRefused, open_store
from pacsjobs.store.closing import close_refusal
from tests.faults.lifecycle_db import assert_sound, open_postings
from tests.helpers import write_config
from tests.test_store import make

FIX = Path(__file__).resolve().parent.parent / "fixtures"
BOARD = "/v1/boards/meridianimaging/jobs"
QUERY = {"content": "true", "pay_transparency": "true"}
T0 = datetime(2026, 11, 1, 6, 0)


@pytest.mark.parametrize(("open_count", "missing", "share", "refused"), [
    (10, 0, 0.5, None),
    (10, 5, 0.5, None),  # half is allowed
    (10, 6, 0.5, "would close 6 of 10 open postings (more than max_close_share 0.5)"),
    (10, 10, 1.0, "would close all 10 open postings"),  # never all of a source with more than a few
    (4, 4, 1.0, "would close all 4 open postings"),
    (3, 3, 0.5, None),  # a source of a few may lose them all
    (1, 1, 0.5, None),
    (10, 9, 1.0, None),
])
def test_close_refusal(open_count, missing, share, refused):
    why = close_refusal(open_count, missing, share)
    assert (why is None) == (refused is None)
    if refused:
        assert why.startswith("close guard: ") and refused in why and why.endswith("; closed none")


def test_store_refuses_and_closes_nothing(db_url):
    with open_store(db_url) as store:
        store.upsert_postings([make(str(i)) for i in range(10)], now=T0)
        with pytest.raises(CloseRefused, match="would close 6 of 10"):
            store.close_missing("greenhouse:acme-imaging", {"0", "1", "2", "3"}, max_share=0.5,
                                now=T0 + timedelta(hours=1))
        assert len(open_postings(db_url)["greenhouse:acme-imaging"]) == 10
        assert store.close_missing("greenhouse:acme-imaging", {str(i) for i in range(5)}, max_share=0.5) == 5


def _source(name, base):
    return {"name": name, "platform": "greenhouse", "board": "meridianimaging", "base_url": f"{base}/{name}"}


def _board(name, jobs, total=None):
    return {"path": f"/{name}{BOARD}", "query": QUERY, "content_type": "application/json",
            "text": json.dumps({"jobs": jobs, "meta": {"total": len(jobs) if total is None else total}})}


def test_a_crawl_that_would_close_most_of_a_source_closes_nothing(db_url, tmp_path, server):
    jobs = json.loads((FIX / "greenhouse" / "board.json").read_text())["jobs"]
    later = json.loads((FIX / "greenhouse" / "board_later.json").read_text())["jobs"]
    names = ("most", "all", "normal")
    folder = write_config(tmp_path / "config", database_url=db_url, sources=[_source(n, server.url) for n in names])
    config = load_config(folder)
    server.routes([_board(n, jobs) for n in names])
    assert {r.status for r in run_crawl(config, log_dir=tmp_path / "logs")} == {"succeeded"}
    before = open_postings(db_url)
    assert all(len(before[n]) == 5 for n in names)

    # consistent answers (the count agrees), but two of five, none of five, and a normal day
    server.routes([_board("most", jobs[:2]), _board("all", []), _board("normal", later)])
    result = CliRunner().invoke(main, ["--config", str(folder), "crawl", "-q", "--log-dir", str(tmp_path / "logs")])
    assert result.exit_code == 0, result.output  # partial is not a failure
    lines = result.stdout.splitlines()
    assert "most: partial: close guard: would close 3 of 5 open postings (more than max_close_share 0.5); " \
           "closed none" in lines
    assert "all: partial: close guard: would close all 5 open postings; closed none" in lines

    runs = {r.source: r for r in assert_sound(db_url)[-3:]}
    assert runs["most"].closed == 0 and "close guard" in runs["most"].message
    assert runs["all"].closed == 0 and runs["all"].status == "partial"
    assert runs["normal"].status == "succeeded" and runs["normal"].closed == 1  # the guard lets a normal day be
    now_open = open_postings(db_url)
    assert now_open["most"] == before["most"] and now_open["all"] == before["all"]

    with open_store(db_url) as store, store.session() as session:
        health = {h.source: h for h in source_health(session, list(names), datetime.now())}
    assert health["most"].warning.startswith("close guard: would close 3 of 5 open postings")
    assert health["all"].warning == "close guard: would close all 5 open postings; closed none"
    assert health["normal"].warning is None


def test_max_close_share_is_checked(tmp_path):
    from pacsjobs.errors import ConfigError

    folder = write_config(tmp_path / "config", crawler={"max_close_share": 1.5})
    with pytest.raises(ConfigError, match="crawler.max_close_share: must be more than 0 and at most 1"):
        load_config(folder)
    assert load_config(write_config(tmp_path / "c2", crawler={"max_close_share": 1})).crawler.max_close_share == 1.0


def test_close_after_missing_from_two_complete_crawls_in_a_row(db_url):
    source = "greenhouse:acme-imaging"
    t = [T0 + timedelta(hours=6 * i) for i in range(5)]
    with open_store(db_url) as store:
        def crawl(i: int, seen: list[str], status: str = "succeeded") -> int:
            run = store.start_run(source, now=t[i])
            store.upsert_postings([make(s) for s in seen], run_id=run, now=t[i])
            closed = 0
            if status == "succeeded":
                closed = store.close_missing(source, seen, run_id=run, now=t[i], after_missing=2)
            store.finish_run(run, status, status == "succeeded", now=t[i] + timedelta(minutes=5))
            return closed

        everything = [str(i) for i in range(8)]
        assert crawl(0, everything) == 0  # the first crawl: too few complete crawls to close anything
        assert crawl(1, everything[:7]) == 0  # "7" missed once: still open
        assert crawl(2, everything[:6], status="partial") == 0  # a partial crawl does not count
        assert crawl(3, everything[:6]) == 1  # "7" missed by two complete crawls in a row; "6" once
        assert open_postings(db_url)[source] == set(everything[:7])
        assert crawl(4, everything[:6]) == 1  # now "6" too
    assert open_postings(db_url)[source] == set(everything[:6])
    assert_sound(db_url)


def test_close_after_missing_is_checked(tmp_path):
    from pacsjobs.errors import ConfigError

    with pytest.raises(ConfigError, match="crawler.close_after_missing: must be at least 1"):
        load_config(write_config(tmp_path / "config", crawler={"close_after_missing": 0}))
