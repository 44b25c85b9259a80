"""The crawl pipeline when its build worker dies: no posting is lost, nothing is closed wrongly.

The pipeline runs in this process against a real SQLite file; the worker is replaced by a pool
whose worker is gone, the two ways ``concurrent.futures`` reports it: ``submit`` raises, or a
chunk already given to the worker fails.
"""

from __future__ import annotations

from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from crawlers.items import BoardReport, PostingItem
from crawlers.pipelines import PostingPipeline
from crawlers.spiders.jsonld import JsonldSpider
from pacsjobs.config import load_config
from pacsjobs.sources import jsonld
from pacsjobs.store import open_store
from tests.helpers import write_config

SITE = Path(__file__).parent / "fixtures" / "jsonld" / "site"
BOARD = "https://careers.example/careers.html"


class GonePool:
    """A process pool whose worker died before this submit."""

    def submit(self, *args, **kwargs):
        raise BrokenProcessPool("A child process terminated abruptly")

    def shutdown(self, wait=True, cancel_futures=False):
        pass


class DyingPool(GonePool):
    """A pool that takes the chunk, then its worker dies with it."""

    def submit(self, *args, **kwargs):
        future: Future = Future()
        future.set_exception(BrokenProcessPool("A child process terminated abruptly"))
        return future


def raw_postings():
    return [raw for page in sorted((SITE / "jobs").glob("*.html")) if "broken" not in page.name and "changed" not in page.name
            for raw in jsonld.parse(page.read_bytes(), f"https://careers.example/jobs/{page.name}")]


def crawl_with(pool, folder):
    """One crawl of three postings through the pipeline, its worker replaced by ``pool``."""
    crawler = get_crawler(JsonldSpider, {"PACSJOBS_BUILD_WORKERS": 1})
    crawler.spider = crawler._create_spider(source="harbor", config=str(folder))
    pipeline = PostingPipeline.from_crawler(crawler)
    pipeline.open_spider()
    pipeline.pool = pool
    raws = raw_postings()
    for raw in raws:
        pipeline.process_item(PostingItem(source="harbor", raw=raw))
    pipeline.process_item(BoardReport("harbor", BOARD, None, len(raws), True))
    pipeline.close_spider()
    pipeline.spider_closed(crawler.spider, "finished")
    config = load_config(folder)
    with open_store(config.database_url) as store:
        (run,) = store.runs("harbor", limit=1)
    return run, crawler.stats.get_stats()


@pytest.fixture
def folder(tmp_path):
    return write_config(tmp_path / "config", sources=[{"name": "harbor", "platform": "jsonld", "urls": [BOARD]}])


def test_worker_gone_at_submit_builds_here(folder):
    run, stats = crawl_with(GonePool(), folder)
    assert (run.status, run.found, run.new, run.errors) == ("succeeded", 3, 3, 0)
    assert "pacsjobs/build_failed" not in stats


def test_worker_dying_with_a_chunk_fails_that_chunk_and_closes_nothing(folder):
    first, _ = crawl_with(GonePool(), folder)  # three postings stored
    run, stats = crawl_with(DyingPool(), folder)
    assert stats["pacsjobs/build_failed"] == 3
    assert (run.status, run.complete, run.closed) == ("partial", False, 0)
    assert run.errors == 3
    config = load_config(folder)
    with open_store(config.database_url) as store:
        (again,) = store.runs("harbor", limit=1)
        assert store.known_markers("harbor").keys() == {r.source_id for r in raw_postings()}  # still open
    assert again.id == run.id != first.id


def test_the_worker_does_not_import_the_crawl_process_main(tmp_path, folder):
    """crawlers.run imports Scrapy; the worker it spawns must not (it would cost ~0.5 s and 30 MB)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    script = tmp_path / "main_with_scrapy.py"
    script.write_text(
        "import sys\n"
        f"sys.path[:0] = [{str(root)!r}, {str(root / 'src')!r}]\n"
        "import scrapy  # noqa: F401 - as crawlers.run does\n"
        "from crawlers import worker\n"
        "from pacsjobs.config import load_config\n\n"
        "if __name__ == '__main__':\n"
        f"    config = load_config({str(folder)!r})\n"
        "    pool = worker.start_worker(str(config.dir), config.database_url)\n"
        "    here = 'scrapy' in sys.modules\n"
        "    there = pool.submit(eval, \"'scrapy' in __import__('sys').modules\").result(timeout=60)\n"
        "    print(here, there)\n"
        "    worker.stop_workers()\n")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "False"]
