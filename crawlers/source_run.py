"""One source's crawl inside the pipeline: its run record, its batches, its end.

``PostingPipeline`` holds one ``SourceRun`` per source it is crawling: one for a ``scrapy crawl``
of a single source, many at once when a crawler serves many boards (``crawlers.multiplex``). A run
keeps everything that belongs to its source: the run row, the postings it found and saw, its boards'
reports, the chunks it gave the build worker, and its stats (the source's own, so that counts and
errors of one board never reach another's run).

The run's status is decided at its end (``finish``), from the close reason:

- ``succeeded``: the source finished, nothing went wrong, and every board reported complete.
  Only then are postings the crawl did not see closed.
- ``partial``: finished, but some page or board was not fetched or not readable, or the crawl
  would have closed too much of the source (``[crawler] max_close_share``): it closed nothing.
- ``failed``: nothing could be fetched, or the crawl stopped for another reason.
- ``interrupted``: stopped from outside (time limit, Ctrl-C: reason ``shutdown``).
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections import deque
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from crawlers.items import BoardReport
from pacsjobs.record import Posting, RawPosting
from pacsjobs.store import CloseRefused
from pacsjobs.timeutil import utcnow
from pacsjobs.understand.process import Built, ChunkResult, build_and_store

if TYPE_CHECKING:
    from crawlers.pipelines import PostingPipeline

logger = logging.getLogger("crawlers.pipelines")

# What counts as an error of a source's crawl (in the source's own stats).
ERROR_STATS = ("pacsjobs/request_failed", "pacsjobs/bad_payload", "pacsjobs/store_failed",
               "pacsjobs/build_failed", "spider_exceptions/count")
# Postings a worker call builds and stores in one transaction: large enough that statements and
# commits are a small part of it, small enough that the crawl's end waits little (~0.1 s). A slow
# crawl hands over what it has after CHUNK_SECONDS, so postings reach the database as it goes.
CHUNK = 100
CHUNK_SECONDS = 5.0
MAX_PENDING_CHUNKS = 8  # beyond this the crawler waits for the worker (memory stays bounded)


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


class SourceRun:
    """The crawl of one source: built by the pipeline when the source's spider opens."""

    def __init__(self, owner: PostingPipeline, spider: Any, stats: Any, log_path: str | None):
        self.owner = owner
        self.spider = spider
        self.stats = stats
        self.store = owner.store
        self.source: str = spider.source_name
        self.buffer: list[Posting] = []
        self.seen_buffer: list[str] = []
        self.seen_ids: set[str] = set()
        self.boards: dict[str, BoardReport] = {}
        self.found = 0
        self.chunk: list[RawPosting] = []
        self.chunk_started = 0.0
        self.futures: deque[tuple[Future, list[RawPosting]]] = deque()
        given = getattr(spider, "run_id", None)
        if given is not None and self.store.adopt_run(given, self.source):
            self.run_id: int = given  # recorded by the cluster dispatcher, which follows it
        else:
            self.run_id = self.store.start_run(self.source, pid=os.getpid(), host=socket.gethostname(),
                                               log_path=log_path)
        logger.info("crawl run %s of %s started", self.run_id, self.source)

    # -- items -------------------------------------------------------------------------------
    def posting(self, raw: RawPosting) -> None:
        owner = self.owner
        if owner.pool is None and owner.workers and self.found >= owner.inline_limit:
            self._flush()  # what was built here is stored first: the worker's batches come after it
            owner.start_workers(self.spider.config)
        if owner.pool is not None:
            if not self.chunk:
                self.chunk_started = time.monotonic()
            self.chunk.append(raw)
            if len(self.chunk) >= CHUNK or time.monotonic() - self.chunk_started >= CHUNK_SECONDS:
                self.submit()
            self._harvest(wait=False)
            return
        self._build_here(raw)

    def seen(self, source_id: str) -> None:
        self.seen_ids.add(source_id)
        self.seen_buffer.append(source_id)
        if len(self.seen_buffer) >= self.owner.batch_size:
            self._flush_seen()

    def board(self, report: BoardReport) -> None:
        self.boards[report.board] = report
        if not report.complete:
            self.stats.inc_value("pacsjobs/board_incomplete")

    def _build_here(self, raw: RawPosting) -> None:
        started = time.perf_counter()
        try:
            posting = self.owner.processor_for(self.spider.config).build(raw, self.source)
        except Exception as exc:  # noqa: BLE001 - one bad record must not stop the crawl
            self._build_failed(raw, f"{type(exc).__name__}: {exc}")
            return
        finally:
            self.timed("build", started)
        self._count_problems(Built.of(posting), raw)
        self.found += 1
        self.seen_ids.add(posting.source_id)
        self.buffer.append(posting)
        if len(self.buffer) >= self.owner.batch_size:
            self._flush()

    def timed(self, what: str, started: float) -> None:
        """Seconds spent in the pipeline's parts (stats ``pacsjobs/seconds/<what>``)."""
        self.stats.inc_value(f"pacsjobs/seconds/{what}", time.perf_counter() - started)

    def _build_failed(self, raw: RawPosting, why: str) -> None:
        self.stats.inc_value("pacsjobs/build_failed")
        self.spider.mark_incomplete(f"could not build {raw.source_id}")
        logger.error("could not build posting %s from %s: %s", raw.source_id, raw.url, why)

    # -- the worker process ----------------------------------------------------------------------
    def submit(self) -> None:
        pool = self.owner.pool
        if not self.chunk or pool is None:
            return
        chunk, self.chunk = self.chunk, []
        try:
            future = pool.submit(build_and_store, chunk, self.source, self.run_id)
        except (BrokenProcessPool, RuntimeError) as exc:  # the worker died: go on without it
            logger.error("the build worker is gone (%s); building %s here", exc, self.source)
            self.owner.lose_worker(pool)
            for raw in chunk:
                self._build_here(raw)
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
            self.timed("waiting_for_workers", started)
            self._take(result, raws)

    def _take(self, result: ChunkResult, raws: list[RawPosting]) -> None:
        """Count and record what the worker did with a chunk, as ``_build_here`` and ``_flush`` do."""
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
        self._counted(result.new, result.updated, result.unchanged)

    def _counted(self, new: int, updated: int, unchanged: int) -> None:
        self.stats.inc_value("pacsjobs/new", new)
        self.stats.inc_value("pacsjobs/updated", updated)
        self.stats.inc_value("pacsjobs/unchanged", unchanged)

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

    # -- storing -----------------------------------------------------------------------------
    def flush_last(self) -> None:
        """Everything buffered or with the worker, stored (a failed write fails the run, later)."""
        try:
            if self.owner.pool is not None:
                self.submit()
                self._harvest(wait=True)
            self._flush()
            self._flush_seen()
        except Exception:  # noqa: BLE001 - a failed write must still end the run as failed
            logger.exception("storing the last batch of %s failed", self.source)
            self.stats.inc_value("pacsjobs/store_failed")

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
            self.timed("store", started)
        if counts.changed_ids:
            # Linked batch by batch: memory stays bounded however large the crawl is.
            started = time.perf_counter()
            try:
                self.store.link_duplicates(counts.changed_ids)
            except Exception:  # noqa: BLE001 - duplicates are a convenience, postings are stored
                self.stats.inc_value("pacsjobs/dedupe_failed")
                logger.exception("linking duplicates of %s failed", self.source)
            finally:
                self.timed("dedupe", started)
        self._counted(counts.new, counts.updated, counts.unchanged)

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
    def finish(self, reason: str) -> None:
        """Decide the run's status, close what vanished (complete crawls only), record the run."""
        spider, stats = self.spider, self.stats
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
        # Not log_count/ERROR: every source of the process counts every source's log lines.
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
