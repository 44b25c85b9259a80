"""The one item pipeline: raw postings -> posting records -> the store, in batches.

A thin adapter over library calls (``pacsjobs.process``, ``pacsjobs.store``). Problems are counted
in crawler stats under ``pacsjobs/...`` and logged; nothing is printed. The crawl run's status is
decided when the spider closes (the close reason is only known then):

- ``succeeded``: the spider finished, nothing went wrong, and every board reported complete.
  Only then are postings the crawl did not see closed.
- ``partial``: finished, but some page or board was not fetched or not readable, or the crawl
  would have closed too much of the source (``[crawler] max_close_share``): it closed nothing.
- ``failed``: nothing could be fetched, or the spider stopped for another reason.
- ``interrupted``: stopped from outside (time limit, Ctrl-C: reason ``shutdown``).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from scrapy import signals

from crawlers import worker
from crawlers.items import BoardReport, PostingItem, SeenItem
from pacsjobs.process import Built, ChunkResult, Processor, build_and_store
from pacsjobs.record import Posting, RawPosting
from pacsjobs.store import CloseRefused, open_store
from pacsjobs.timeutil import utcnow

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
# Postings go to the crawl process's build worker (``crawlers.worker``), which builds, stores and
# links them on another core. When no worker runs yet (``scrapy crawl`` by hand), the first
# INLINE_LIMIT postings are built here and a worker is started only for a crawl that grows past
# them: a small crawl does not pay for starting one.
INLINE_LIMIT = 20
# What counts as an error of this source's crawl (each crawler has its own stats).
ERROR_STATS = ("pacsjobs/request_failed", "pacsjobs/bad_payload", "pacsjobs/store_failed",
               "pacsjobs/build_failed", "spider_exceptions/count")
# Postings a worker call builds and stores in one transaction: large enough that statements and
# commits are a small part of it, small enough that the crawl's end waits little (~0.1 s). A slow
# crawl hands over what it has after CHUNK_SECONDS, so postings reach the database as it goes.
CHUNK = 100
CHUNK_SECONDS = 5.0
MAX_PENDING_CHUNKS = 8  # beyond this the crawler waits for the worker (memory stays bounded)
SCHEMA_READY_ENV = "PACSJOBS_SCHEMA_READY"  # set by pacsjobs.crawl after it migrated


def _loop_running() -> bool:
    """True inside a crawl (Scrapy's asyncio reactor runs the event loop)."""
    try:
        return asyncio.get_running_loop().is_running()
    except RuntimeError:
        return False


def run_status(reason: str, incomplete: list[str], boards: dict[str, BoardReport],
               expected_boards: list[str] | None, found: int) -> tuple[str, bool]:
    """``(status, complete)`` of a crawl from its close reason and what it reported."""
    if reason == "shutdown":
        return "interrupted", False
    every_board = bool(boards) and all(b.complete for b in boards.values())
    if expected_boards:
        every_board = every_board and all(b in boards for b in expected_boards)
    complete = reason == "finished" and not incomplete and every_board
    if complete:
        return "succeeded", True
    if reason != "finished":
        return "failed", False
    return ("partial" if (found or any(b.complete for b in boards.values())) else "failed"), False


class PostingPipeline:
    """Builds, batches and stores postings; records the crawl run; closes what vanished."""

    def __init__(self, crawler: Any, batch_size: int = BATCH_SIZE):
        self.crawler = crawler
        self.stats = crawler.stats
        self.batch_size = batch_size
        self.store: Any = None
        self.run_id: int | None = None
        self.source: str | None = None
        self.buffer: list[Posting] = []
        self.seen_buffer: list[str] = []
        self.seen_ids: set[str] = set()
        self.boards: dict[str, BoardReport] = {}
        self.found = 0
        self.processor: Processor | None = None
        settings = crawler.settings
        # Settings, else the environment (how tests and benchmarks reach a child process).
        self.workers = worker.workers_enabled(settings)
        self.inline_limit = settings.getint("PACSJOBS_INLINE_LIMIT",
                                            int(os.environ.get("PACSJOBS_INLINE_LIMIT", INLINE_LIMIT)))
        self.pool: ProcessPoolExecutor | None = None
        self.chunk: list[RawPosting] = []
        self.chunk_started = 0.0
        self.futures: deque[tuple[Future, list[RawPosting]]] = deque()

    @classmethod
    def from_crawler(cls, crawler: Any) -> PostingPipeline:
        pipeline = cls(crawler, crawler.settings.getint("PACSJOBS_BATCH_SIZE", BATCH_SIZE))
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    # -- lifecycle ---------------------------------------------------------------------------
    def open_spider(self) -> None:
        spider = self.crawler.spider
        config = spider.config
        self.source = spider.source_name
        if self.workers:  # a worker started with the process takes every posting from the first
            self.pool = worker.running_worker(str(config.dir), config.database_url)
        # The parent (pacsjobs crawl) migrated the database already; `scrapy crawl` by hand did not.
        self.store = open_store(config.database_url,
                                migrate_schema=os.environ.get(SCHEMA_READY_ENV) != "1")
        self.store.platforms = {s.name: s.platform for s in config.sources}
        log_path = self.crawler.settings.get("LOG_FILE") or os.environ.get("PACSJOBS_LOG_FILE")
        given = getattr(spider, "run_id", None)
        if given is not None and self.store.adopt_run(given, self.source):
            self.run_id = given  # recorded by the cluster dispatcher, which follows it
        else:
            self.run_id = self.store.start_run(self.source, pid=os.getpid(), host=socket.gethostname(),
                                               log_path=log_path)
        logger.info("crawl run %s of %s started", self.run_id, self.source)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, PostingItem):
            self._posting(item)
        elif isinstance(item, SeenItem):
            self.seen_ids.add(str(item.source_id))
            self.seen_buffer.append(str(item.source_id))
            if len(self.seen_buffer) >= self.batch_size:
                self._flush_seen()
        elif isinstance(item, BoardReport):
            self.boards[item.board] = item
            if not item.complete:
                self.stats.inc_value("pacsjobs/board_incomplete")
        return item

    def close_spider(self) -> Any:
        """Flush what is buffered; the run is finished in ``spider_closed`` (it knows the reason).

        In a running crawl the worker's last chunks are awaited (a Deferred), not waited for: while
        this source's chunks are stored, the other sources of the process go on crawling (a
        registry of hundreds of boards would otherwise stall once per board)."""
        if self.store is None:
            return None
        if self.pool is not None:
            self._submit()
            if self.futures and _loop_running():
                from twisted.internet.defer import Deferred

                started = time.perf_counter()
                pending = asyncio.gather(*(asyncio.wrap_future(f) for f, _ in self.futures), return_exceptions=True)

                def done(_: Any) -> None:
                    self._timed("waiting_for_workers", started)
                    self._flush_last()

                return Deferred.fromFuture(asyncio.ensure_future(pending)).addBoth(done)
        self._flush_last()
        return None

    def _flush_last(self) -> None:
        try:
            self._drain_workers()
            self._flush()
            self._flush_seen()
        except Exception:  # noqa: BLE001 - a failed write must still end the run as failed
            logger.exception("storing the last batch of %s failed", self.source)
            self.stats.inc_value("pacsjobs/store_failed")

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.store is None or self.run_id is None:
            return
        try:
            self._finish(spider, reason)
        finally:
            self.store.close()
            self.store = None

    # -- items -------------------------------------------------------------------------------
    def _posting(self, item: PostingItem) -> None:
        if self.pool is None and self.workers and self.found >= self.inline_limit:
            self._start_workers()
        if self.pool is not None:
            if not self.chunk:
                self.chunk_started = time.monotonic()
            self.chunk.append(item.raw)
            if len(self.chunk) >= CHUNK or time.monotonic() - self.chunk_started >= CHUNK_SECONDS:
                self._submit()
            self._harvest(wait=False)
            return
        self._build_here(item.raw, item.source)

    def _build_here(self, raw: RawPosting, source: str) -> None:
        if self.processor is None:  # the vocabulary is loaded only where postings are built
            self.processor = Processor(self.crawler.spider.config)
        started = time.perf_counter()
        try:
            posting = self.processor.build(raw, source)
        except Exception as exc:  # noqa: BLE001 - one bad record must not stop the crawl
            self._build_failed(raw, f"{type(exc).__name__}: {exc}")
            return
        finally:
            self._timed("build", started)
        self._accept(posting, raw)

    def _timed(self, what: str, started: float) -> None:
        """Seconds spent in the pipeline's parts (stats ``pacsjobs/seconds/<what>``)."""
        self.stats.inc_value(f"pacsjobs/seconds/{what}", time.perf_counter() - started)

    def _accept(self, posting: Posting, raw: RawPosting) -> None:
        self._count_problems(Built.of(posting), raw)
        self.found += 1
        self.seen_ids.add(posting.source_id)
        self.buffer.append(posting)
        if len(self.buffer) >= self.batch_size:
            self._flush()

    def _build_failed(self, raw: RawPosting, why: str) -> None:
        self.stats.inc_value("pacsjobs/build_failed")
        self.crawler.spider.mark_incomplete(f"could not build {raw.source_id}")
        logger.error("could not build posting %s from %s: %s", raw.source_id, raw.url, why)

    # -- the worker process ----------------------------------------------------------------------
    def _start_workers(self) -> None:
        # What was built here is stored first: the worker's batches come after it.
        self._flush()
        config = self.crawler.spider.config
        self.pool = worker.start_worker(str(config.dir), config.database_url)
        logger.info("building and storing postings of %s in the worker process from here on", self.source)

    def _submit(self) -> None:
        if not self.chunk or self.pool is None:
            return
        chunk, self.chunk = self.chunk, []
        try:
            future = self.pool.submit(build_and_store, chunk, self.source, self.run_id)
        except (BrokenProcessPool, RuntimeError) as exc:  # the worker died: go on without it
            logger.error("the build worker is gone (%s); building %s here", exc, self.source)
            worker.forget_worker(self.pool)
            self.pool, self.workers = None, False
            for raw in chunk:
                self._build_here(raw, self.source)
            return
        self.futures.append((future, chunk))
        if len(self.futures) > MAX_PENDING_CHUNKS:
            self._harvest(wait=True, limit=1)

    def _harvest(self, wait: bool, limit: int | None = None) -> None:
        """Take finished chunks in order (all of them, or wait for ``limit`` chunks)."""
        taken = 0
        while self.futures and (wait or self.futures[0][0].done()):
            if limit is not None and taken >= limit:
                break
            future, raws = self.futures.popleft()
            taken += 1
            started = time.perf_counter()
            try:
                result: ChunkResult = future.result()
            except Exception as exc:  # noqa: BLE001 - a dead worker fails its chunk, not the crawl
                result = ChunkResult(built=[f"worker failed: {type(exc).__name__}: {exc}"] * len(raws))
            self._timed("waiting_for_workers", started)
            self._take(result, raws)

    def _take(self, result: ChunkResult, raws: list[RawPosting]) -> None:
        """Count and record what the worker did with a chunk, as ``_accept`` and ``_flush`` do."""
        for raw, built in zip(raws, result.built, strict=True):
            if isinstance(built, str):
                self._build_failed(raw, built)
                continue
            self._count_problems(built, raw)
            self.found += 1
            self.seen_ids.add(built.source_id)
        for what, seconds in result.seconds.items():
            self.stats.inc_value(f"pacsjobs/seconds/{what}", seconds)
        if result.worker_pid:
            self.stats.set_value("pacsjobs/worker_pid", result.worker_pid)
        if result.store_error:
            self.stats.inc_value("pacsjobs/store_failed")
            logger.error("storing a batch of %s failed: %s", self.source, result.store_error)
            return
        if result.dedupe_error:
            self.stats.inc_value("pacsjobs/dedupe_failed")
            logger.error("linking duplicates of %s failed: %s", self.source, result.dedupe_error)
        self.stats.inc_value("pacsjobs/new", result.new)
        self.stats.inc_value("pacsjobs/updated", result.updated)
        self.stats.inc_value("pacsjobs/unchanged", result.unchanged)

    def _drain_workers(self) -> None:
        """Wait for this crawl's chunks (the worker is shared: other crawls may still use it)."""
        if self.pool is None:
            return
        self._submit()
        self._harvest(wait=True)

    def _count_problems(self, posting: Built, raw: RawPosting) -> None:
        stats = self.stats
        stats.inc_value("pacsjobs/postings")
        if not posting.is_pacs_role:
            stats.inc_value("pacsjobs/not_pacs")
        if raw.salary is not None and not posting.salary_parsed:
            stats.inc_value("pacsjobs/salary/unparsed")
            logger.warning("salary not understood for %s: %r", posting.url, posting.salary_raw)
        if posting.salary_flag:
            stats.inc_value("pacsjobs/salary/flagged")
            logger.warning("salary flagged for %s: %s", posting.url, posting.salary_flag)
        if raw.date_posted and not posting.date_parsed:
            stats.inc_value("pacsjobs/date/unparsed")
            logger.warning("date not understood for %s: %r", posting.url, raw.date_posted)
        if raw.locations and not posting.placed:
            stats.inc_value("pacsjobs/location/unparsed")

    def _flush(self) -> None:
        if not self.buffer:
            return
        batch, self.buffer = self.buffer, []
        started = time.perf_counter()
        try:
            counts = self.store.upsert_postings(batch, run_id=self.run_id, now=utcnow())
        except Exception:  # noqa: BLE001 - a lost batch must make the run incomplete, not vanish
            # (raised out of process_item, Scrapy would log it and the crawl would still close)
            self.stats.inc_value("pacsjobs/store_failed")
            logger.exception("storing a batch of %d postings of %s failed", len(batch), self.source)
            return
        finally:
            self._timed("store", started)
        if counts.changed_ids:
            # Linked batch by batch: memory stays bounded however large the crawl is.
            started = time.perf_counter()
            try:
                self.store.link_duplicates(counts.changed_ids)
            except Exception:  # noqa: BLE001 - duplicates are a convenience, postings are stored
                self.stats.inc_value("pacsjobs/dedupe_failed")
                logger.exception("linking duplicates of %s failed", self.source)
            finally:
                self._timed("dedupe", started)
        self.stats.inc_value("pacsjobs/new", counts.new)
        self.stats.inc_value("pacsjobs/updated", counts.updated)
        self.stats.inc_value("pacsjobs/unchanged", counts.unchanged)

    def _flush_seen(self) -> None:
        if not self.seen_buffer:
            return
        batch, self.seen_buffer = self.seen_buffer, []
        try:
            touched = self.store.touch_seen(self.source, batch, run_id=self.run_id, now=utcnow())
        except Exception:  # noqa: BLE001 - as in _flush: the run is incomplete, nothing is closed
            self.stats.inc_value("pacsjobs/store_failed")
            logger.exception("marking %d postings of %s seen failed", len(batch), self.source)
            return
        self.stats.inc_value("pacsjobs/seen_unchanged", touched)

    # -- the end -----------------------------------------------------------------------------
    def _finish(self, spider: Any, reason: str) -> None:
        stats = self.stats
        incomplete = list(getattr(spider, "incomplete_reasons", []))
        if stats.get_value("pacsjobs/store_failed"):
            incomplete.append("storing postings failed")
        expected = getattr(spider, "boards", None)
        status, complete = run_status(reason, incomplete, self.boards, expected, self.found)
        closed = 0
        message_parts: list[str] = []
        try:
            if complete:
                crawler = spider.config.crawler
                closed = self.store.close_missing(self.source, self.seen_ids, run_id=self.run_id,
                                                  max_share=crawler.max_close_share,
                                                  after_missing=crawler.close_after_missing)
        except CloseRefused as exc:
            logger.warning("crawl of %s: %s", self.source, exc)
            status, complete = "partial", False
            message_parts.append(str(exc))
        except Exception as exc:  # noqa: BLE001 - record the failure in the run, do not lose it
            logger.exception("finishing the crawl of %s failed", self.source)
            status, complete = "failed", False
            message_parts.append(f"store error: {exc}")
        if reason not in ("finished", "shutdown"):
            message_parts.append(f"stopped: {reason}")
        elif reason == "shutdown":
            message_parts.append("interrupted (time limit or stop signal)")
        if incomplete:
            more = f" (+{len(incomplete) - 1} more)" if len(incomplete) > 1 else ""
            message_parts.append(f"incomplete: {incomplete[0]}{more}")
        if status != "interrupted" and not self.boards:
            message_parts.append("no board finished")
        reported = [b.reported for b in self.boards.values() if b.reported is not None]
        # Not log_count/ERROR: every crawler of the process counts every crawler's log lines.
        errors = sum(int(stats.get_value(key, 0) or 0) for key in ERROR_STATS)
        pacs_stats = {k: v for k, v in stats.get_stats().items()
                      if k.startswith(("pacsjobs/", "downloader/response_status_count/", "retry/"))
                      or k in ("item_scraped_count", "response_received_count", "finish_reason")}
        pacs_stats["finish_reason"] = reason
        self.store.finish_run(
            self.run_id, status, complete,
            requests=int(stats.get_value("downloader/request_count", 0) or 0),
            errors=errors,
            reported=sum(reported) if reported else None,
            fetched=sum(b.fetched for b in self.boards.values()) if self.boards else None,
            requests_saved=int(stats.get_value("pacsjobs/requests_saved", 0) or 0),
            message="; ".join(message_parts) or None,
            stats={k: (v if isinstance(v, int | float | str | bool) or v is None else str(v))
                   for k, v in pacs_stats.items()},
        )
        log = logger.info if status == "succeeded" else logger.warning
        log("crawl run %s of %s %s: found %d, closed %d%s", self.run_id, self.source, status,
            self.found, closed, f" ({'; '.join(message_parts)})" if message_parts else "")
