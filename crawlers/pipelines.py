"""The one item pipeline: raw postings -> posting records -> the store, in batches.

A thin adapter over library calls (``pacsjobs.understand.process``, ``pacsjobs.store``). Problems are counted
in the source's stats under ``pacsjobs/...`` and logged; nothing is printed. Each source being
crawled is a ``SourceRun`` (``crawlers.source_run``): its run record, batches and end. A crawler of
one source (``scrapy crawl <platform> -a source=NAME``) has one, opened and finished with the
spider; a crawler serving many boards (``crawlers.multiplex``) opens and finishes one per board
through the ``source_opened`` / ``source_closed`` signals, while the others go on crawling.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from scrapy import signals

from crawlers import worker
from crawlers.items import BoardReport, PostingItem, SeenItem
from crawlers.signals import source_closed, source_opened
from crawlers.source_run import CHUNK, ERROR_STATS, MAX_PENDING_CHUNKS, SourceRun, run_status
from pacsjobs.store import open_store
from pacsjobs.understand.process import Processor

__all__ = ["BATCH_SIZE", "CHUNK", "ERROR_STATS", "INLINE_LIMIT", "MAX_PENDING_CHUNKS", "SCHEMA_READY_ENV",
           "PostingPipeline", "run_status"]

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
# Postings go to the crawl process's build worker (``crawlers.worker``), which builds, stores and
# links them on another core. When no worker runs yet (``scrapy crawl`` by hand), the first
# INLINE_LIMIT postings of a source are built here and a worker is started only for a crawl that
# grows past them: a small crawl does not pay for starting one.
INLINE_LIMIT = 20
SCHEMA_READY_ENV = "PACSJOBS_SCHEMA_READY"  # set by pacsjobs.crawl after it migrated


def _loop_running() -> bool:
    """True inside a crawl (Scrapy's asyncio reactor runs the event loop)."""
    try:
        return asyncio.get_running_loop().is_running()
    except RuntimeError:
        return False


class PostingPipeline:
    """Builds, batches and stores postings; records each source's run; closes what vanished."""

    def __init__(self, crawler: Any, batch_size: int = BATCH_SIZE):
        self.crawler = crawler
        self.batch_size = batch_size
        self.store: Any = None
        self.runs: dict[str, SourceRun] = {}
        self.processor: Processor | None = None
        settings = crawler.settings
        # Settings, else the environment (how tests and benchmarks reach a child process).
        self.workers = worker.workers_enabled(settings)
        self.inline_limit = settings.getint("PACSJOBS_INLINE_LIMIT",
                                            int(os.environ.get("PACSJOBS_INLINE_LIMIT", INLINE_LIMIT)))
        self.pool: ProcessPoolExecutor | None = None
        self.log_path = settings.get("LOG_FILE") or os.environ.get("PACSJOBS_LOG_FILE")

    @classmethod
    def from_crawler(cls, crawler: Any) -> PostingPipeline:
        pipeline = cls(crawler, crawler.settings.getint("PACSJOBS_BATCH_SIZE", BATCH_SIZE))
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.source_opened, signal=source_opened)
        crawler.signals.connect(pipeline.source_closed, signal=source_closed)
        return pipeline

    # -- lifecycle ---------------------------------------------------------------------------
    def open_spider(self) -> None:
        spider = self.crawler.spider
        config = spider.config
        if self.workers:  # a worker started with the process takes every posting from the first
            self.pool = worker.running_worker(str(config.dir), config.database_url)
        # The parent (pacsjobs crawl) migrated the database already; `scrapy crawl` by hand did not.
        self.store = open_store(config.database_url,
                                migrate_schema=os.environ.get(SCHEMA_READY_ENV) != "1")
        self.store.platforms = {s.name: s.platform for s in config.sources}
        if not getattr(spider, "serves_many", False):
            self.runs[spider.source_name] = SourceRun(self, spider, self.crawler.stats, self.log_path)

    def source_opened(self, spider: Any) -> None:
        """A board of a many-board crawler starts: its run begins (and it reads the shared store)."""
        spider.store = self.store
        self.runs[spider.source_name] = SourceRun(self, spider, spider.crawler.stats, self.log_path)

    async def source_closed(self, spider: Any, reason: str) -> None:
        """A board of a many-board crawler is done: store what it found, then finish its run.

        Its chunks are awaited, not waited for: meanwhile the other boards go on crawling."""
        run = self.runs.get(spider.source_name)
        if run is None:
            return
        await self._chunks_done([run])
        self._end(run, reason)

    def process_item(self, item: Any) -> Any:
        run = self.runs.get(item.source)
        if run is None:
            logger.error("an item of %s, which is not being crawled here: dropped", item.source)
            return item
        if isinstance(item, PostingItem):
            run.posting(item.raw)
        elif isinstance(item, SeenItem):
            run.seen(str(item.source_id))
        elif isinstance(item, BoardReport):
            run.board(item)
        return item

    def close_spider(self) -> Any:
        """Flush what is buffered; the runs are finished in ``spider_closed`` (it knows the reason).

        In a running crawl the worker's last chunks are awaited (a Deferred), not waited for."""
        if self.store is None:
            return None
        runs = list(self.runs.values())
        if self.pool is not None and _loop_running() and any(run.chunk or run.futures for run in runs):
            from twisted.internet.defer import Deferred

            return Deferred.fromCoroutine(self._store_last(runs))
        for run in runs:
            run.flush_last()
        return None

    async def _store_last(self, runs: list[SourceRun]) -> None:
        await self._chunks_done(runs)
        for run in runs:
            run.flush_last()

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.store is None:
            return
        try:
            for run in list(self.runs.values()):
                self._end(run, reason)
        finally:
            self.store.close()
            self.store = None

    def _end(self, run: SourceRun, reason: str) -> None:
        run.flush_last()
        try:
            run.finish(reason)
        finally:
            self.runs.pop(run.source, None)

    async def _chunks_done(self, runs: list[SourceRun]) -> None:
        """The runs' chunks handed to the worker and stored. Awaited, not waited for: meanwhile
        the other sources go on crawling (hundreds of boards would otherwise stall once each)."""
        for run in runs:
            run.submit()
        futures = [f for run in runs for f, _ in run.futures]
        if self.pool is None or not futures:
            return
        started = time.perf_counter()
        await asyncio.gather(*(asyncio.wrap_future(f) for f in futures), return_exceptions=True)
        for run in runs:
            run.timed("waiting_for_workers", started)

    # -- shared by the runs --------------------------------------------------------------------
    def processor_for(self, config: Any) -> Processor:
        if self.processor is None:  # the vocabulary is loaded only where postings are built
            self.processor = Processor(config)
        return self.processor

    def start_workers(self, config: Any) -> None:
        self.pool = worker.start_worker(str(config.dir), config.database_url)
        logger.info("building and storing postings in the worker process from here on")

    def lose_worker(self, pool: ProcessPoolExecutor) -> None:
        """The worker died: forget it and build in this process from now on."""
        worker.forget_worker(pool)
        self.pool, self.workers = None, False
