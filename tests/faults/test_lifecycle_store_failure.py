"""Issue 11 §1/§2: a batch the store could not write (locked database, lost connection, a race
that outlived its retries) makes the run incomplete: it is never a silent loss followed by closing."""

from __future__ import annotations

from scrapy.utils.test import get_crawler
from sqlalchemy.exc import OperationalError

from crawlers.items import BoardReport, PostingItem, SeenItem
from crawlers.pipelines import PostingPipeline
from crawlers.spiders.jsonld import JsonldSpider
from pacsjobs.config import load_config
from pacsjobs.store import open_store
from tests.faults.lifecycle_db import assert_sound, open_postings
from tests.helpers import write_config
from tests.test_pipeline_worker import BOARD, raw_postings


def _crawl(folder, fail: str | None = None, seen_only: bool = False):
    """One crawl of three postings through the pipeline (built here, batches of one)."""
    crawler = get_crawler(JsonldSpider, {"PACSJOBS_BUILD_WORKERS": 0, "PACSJOBS_BATCH_SIZE": 1})
    crawler.spider = crawler._create_spider(source="harbor", config=str(folder))
    pipeline = PostingPipeline.from_crawler(crawler)
    pipeline.open_spider()
    if fail:
        calls = {"n": 0}
        real = getattr(pipeline.store, fail)

        def second_call_fails(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == 2:
                raise OperationalError("UPDATE postings ...", {}, Exception("database is locked"))
            return real(*args, **kwargs)

        setattr(pipeline.store, fail, second_call_fails)
    raws = raw_postings()
    for raw in raws:
        item = SeenItem("harbor", raw.source_id) if seen_only else PostingItem(source="harbor", raw=raw)
        pipeline.process_item(item)
    pipeline.process_item(BoardReport("harbor", BOARD, None, len(raws), True))
    pipeline.close_spider()
    pipeline.spider_closed(crawler.spider, "finished")
    with open_store(load_config(folder).database_url) as store:
        (run,) = store.runs("harbor", limit=1)
    return run


def test_a_batch_that_cannot_be_stored_makes_the_run_incomplete(db_url, tmp_path):
    folder = write_config(tmp_path / "config", database_url=db_url,
                          sources=[{"name": "harbor", "platform": "jsonld", "urls": [BOARD]}])
    assert _crawl(folder).status == "succeeded"
    before = open_postings(db_url)
    for fail, seen_only in (("upsert_postings", False), ("touch_seen", True)):
        run = _crawl(folder, fail, seen_only)
        assert (run.status, run.complete, run.closed) == ("partial", False, 0), (fail, run.message)
        assert "storing postings failed" in run.message and run.errors >= 1
    assert_sound(db_url, still_open=before)
