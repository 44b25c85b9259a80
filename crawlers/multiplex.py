"""One crawler for many boards: every source of a ``pacsjobs crawl`` shares one downloader.

A crawler per board cost ~20 ms of set-up and tear-down each (settings copied, middlewares built,
robots.txt fetched again for the same host) and, worse, gave each board its own per-host slot: two
boards of one host each waited ``DOWNLOAD_DELAY`` for themselves only. Here one crawler runs the
boards' own spiders (unchanged ``PlatformSpider`` subclasses) side by side: their requests share
the per-host slots and robots.txt cache, so politeness holds across boards as it does on the web.

Each board keeps what is its own: its spider object (state, ``incomplete_reasons``, ``known``), its
stats (``SourceCrawler``: the real crawler with the board's stats), its run (``source_opened`` /
``source_closed``, which the pipeline turns into a ``SourceRun``). A board ends when its start
requests are out and every request and item of it is done: each request it yields is tagged with
the board and routed back through ``_callback`` / ``_errback``, which count it done when its
output is spent; each item is done when the pipeline has it (``item_scraped`` and kin). Boards
start in the order of ``pacsjobs.crawl_plan.Plan``: at most ``at_once`` at a time (memory stays
that of a few boards), at most ``per_host`` per host.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.httpobj import urlparse_cached
from twisted.python.failure import Failure

from crawlers.signals import source_closed, source_opened
from crawlers.spiders.base import use_crawl_database
from pacsjobs.config import SourceConfig, shared_config
from pacsjobs.crawl_plan import Plan

logger = logging.getLogger(__name__)

BOARD = "pacsjobs_board"  # request meta: the board a request belongs to
CALLBACK = "pacsjobs_callback"  # request meta: the board spider's own callback and errback
ERRBACK = "pacsjobs_errback"
QUIET_SECONDS = 1.0  # how often a waiting start checks that the crawler is not idle with boards open


class Hooks(Protocol):
    """What the crawl process does around each board (``crawlers.run``)."""

    def begin(self, name: str) -> scrapy.Spider | None:
        """The board's spider, ready to crawl (its lock taken), or None: skipped, already said why."""

    def end(self, name: str) -> None:
        """The board is done and stored (its lock may go)."""

    def failed(self, name: str, line: str) -> None:
        """The board could not start; ``line`` says why."""


class SourceCrawler:
    """What a board's spider sees as its crawler: the shared one, with the board's own stats."""

    def __init__(self, crawler: Any):
        self._crawler = crawler
        self.stats = MemoryStatsCollector(crawler)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._crawler, name)


@dataclass(eq=False)
class Board:
    src: SourceConfig
    spider: Any
    open: int = 0  # its requests and items not done yet
    started: bool = False  # every start request of it is out
    ending: bool = False


class BoardsSpider(scrapy.Spider):
    """Crawls the named sources, each with its platform's spider, in one crawler."""

    name = "pacsjobs-boards"
    serves_many = True  # the pipeline opens and finishes one run per board (``source_opened``)

    def __init__(self, sources: list[str], config: str, hooks: Hooks, at_once: int, per_host: int, **kwargs: Any):
        super().__init__(**kwargs)
        self.config = shared_config(config)
        self.plan = Plan([self.config.source(n) for n in sources], at_once=at_once, per_host=per_host)
        self.hooks = hooks
        self.boards: dict[str, Board] = {}
        self._wake = asyncio.Event()
        self._unowned: Counter[str] = Counter()  # requests of no board yet, by host

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> BoardsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        use_crawl_database(spider.config, crawler.settings)
        for handler, signal in ((spider._reached, signals.request_reached_downloader),
                                (spider._received, signals.response_received),
                                (spider._item_done, signals.item_scraped),
                                (spider._item_done, signals.item_dropped),
                                (spider._item_done, signals.item_error),
                                (spider._dropped, signals.request_dropped)):
            crawler.signals.connect(handler, signal=signal)
        return spider

    # -- boards start and end ----------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        # Returns only when every board has ended: until then the crawler is not idle.
        while len(self.plan) or self.boards:
            self._wake.clear()
            for src in self.plan.next_batch():
                board = self._open(src)
                if board is None:
                    self.plan.done(src)
                    continue
                try:
                    async for out in board.spider.start():
                        yield self._tag(board, out)
                except Exception as exc:  # noqa: BLE001 - one board's start must not stop the others
                    board.spider.logger.error("start of %s failed: %s", src.name, exc, exc_info=True)
                    board.spider.crawler.stats.inc_value("spider_exceptions/count")
                board.started = True
                self._maybe_end(board)
            if not self._wake.is_set() and (len(self.plan) or self.boards):
                try:
                    await asyncio.wait_for(self._wake.wait(), QUIET_SECONDS)
                except TimeoutError:
                    self._end_forgotten()

    def _open(self, src: SourceConfig) -> Board | None:
        spider = self.hooks.begin(src.name)
        if spider is None:
            return None
        spider.crawler = SourceCrawler(self.crawler)
        spider.settings = self.crawler.settings
        spider.config.database_url = self.config.database_url
        board = Board(src, spider)
        for _, result in self.crawler.signals.send_catch_log(source_opened, spider=spider):
            if isinstance(result, Failure):
                self.hooks.failed(src.name, f"its crawl run could not start: {result.getErrorMessage()}")
                self.hooks.end(src.name)
                return None
        self.boards[src.name] = board
        return board

    def _maybe_end(self, board: Board) -> None:
        if board.started and board.open <= 0 and not board.ending:
            board.ending = True
            # Not inside the callback that did the last of its work: once that has returned.
            asyncio.get_running_loop().call_soon(self._end, board, "finished")

    def _end(self, board: Board, reason: str) -> None:
        if not getattr(self.crawler, "crawling", True):
            reason = "shutdown"  # it ended while the crawl was being stopped: it may have been cut short
        name = board.src.name
        storing = asyncio.ensure_future(
            self.crawler.signals.send_catch_log_async(source_closed, spider=board.spider, reason=reason))

        def ended(_: Any) -> None:
            closed = getattr(board.spider, "closed", None)
            if callable(closed):
                closed(reason)
            self.boards.pop(name, None)
            self.plan.done(board.src)
            self.hooks.end(name)
            self._wake.set()

        storing.add_done_callback(ended)

    def _end_forgotten(self) -> None:
        """Boards still counted open while the crawler has nothing left to do for anyone: a request
        of theirs went where no callback reports it (a bug, not a bad day); end them as finished."""
        engine = self.crawler.engine
        try:  # as Scrapy's own idle check (spider_is_idle), less the start requests: ours
            quiet = (not engine.downloader.active and engine.scraper.slot.is_idle()
                     and not engine._slot.inprogress and not engine._slot.scheduler.has_pending_requests())
        except AttributeError:
            return
        if not quiet:
            return
        for board in list(self.boards.values()):
            if board.started and not board.ending:
                logger.warning("%s: %d of its requests or items went unreported; ended as finished",
                               board.src.name, board.open)
                board.open = 0
                self._maybe_end(board)

    # -- a board's requests and items ----------------------------------------------------------------
    def _tag(self, board: Board, out: Any) -> Any:
        """A request or item a board's spider yielded, counted open for its board."""
        board.open += 1
        if isinstance(out, Request) and out.callback != self._callback:
            out.meta[BOARD] = board.src.name
            out.meta[CALLBACK], out.meta[ERRBACK] = out.callback, out.errback
            out.callback, out.errback = self._callback, self._errback
        return out

    def _relay(self, board: Board, result: Iterable[Any] | AsyncIterable[Any] | None) -> Any:
        """The callback's output, each request and item counted for its board; the callback is
        done (``_done``) when its output is spent, or broke off."""
        if isinstance(result, AsyncIterable):
            return self._relay_async(board, result)
        return self._relay_sync(board, result)

    def _relay_sync(self, board: Board, result: Iterable[Any] | None) -> Iterator[Any]:
        try:
            for out in result or ():
                yield self._tag(board, out)
        except Exception:
            board.spider.crawler.stats.inc_value("spider_exceptions/count")
            raise
        finally:
            self._done(board)

    async def _relay_async(self, board: Board, result: AsyncIterable[Any]) -> AsyncIterator[Any]:
        try:
            async for out in result:
                yield self._tag(board, out)
        except Exception:
            board.spider.crawler.stats.inc_value("spider_exceptions/count")
            raise
        finally:
            self._done(board)

    def _callback(self, response: Response, **kwargs: Any) -> Any:
        board = self.boards.get(response.meta.get(BOARD))
        if board is None:  # its board ended already (it was given up on)
            return iter(())
        return self._call(board, response.meta.get(CALLBACK) or board.spider.parse, response, **kwargs)

    def _errback(self, failure: Failure) -> Any:
        request = failure.request  # type: ignore[attr-defined] - Scrapy sets it before errbacks
        board = self.boards.get(request.meta.get(BOARD))
        if board is None:
            return iter(())
        errback = request.meta.get(ERRBACK)
        if errback is None:
            # What Scrapy does for a request without an errback: say so, nothing more.
            level = logging.INFO if failure.check(HttpError, IgnoreRequest) else logging.ERROR
            board.spider.logger.log(level, "request failed: %s: %s", request.url, failure.getErrorMessage())
            self._done(board)
            return iter(())
        return self._call(board, errback, failure)

    def _call(self, board: Board, func: Any, *args: Any, **kwargs: Any) -> Any:
        """A board spider's callback or errback, its output relayed; an exception is the board's."""
        try:
            result = func(*args, **kwargs)
        except Exception:
            board.spider.crawler.stats.inc_value("spider_exceptions/count")
            self._done(board)
            raise
        return self._relay(board, result)

    def _done(self, board: Board) -> None:
        board.open -= 1
        self._maybe_end(board)

    # -- per-board stats and bookkeeping (signals) --------------------------------------------------
    def spider_for(self, request: Request) -> Any:
        """The spider ``request`` belongs to (its board's), for middlewares that count its events."""
        board = self.boards.get(request.meta.get(BOARD))
        return board.spider if board is not None else self

    def stats_for(self, request: Request) -> Any:
        return self.spider_for(request).crawler.stats

    def _reached(self, request: Request, spider: Any) -> None:
        host = urlparse_cached(request).netloc
        if request.meta.get(BOARD) not in self.boards:
            # robots.txt, fetched once for every board of the host: counted to the board whose
            # request made the crawler fetch it (that request reaches the downloader next)
            self._unowned[host] += 1
            return
        self.stats_for(request).inc_value("downloader/request_count", 1 + self._unowned.pop(host, 0))

    def _received(self, response: Response, request: Request, spider: Any) -> None:
        stats = self.stats_for(request)
        stats.inc_value("response_received_count")
        stats.inc_value(f"downloader/response_status_count/{response.status}")

    def _item_done(self, item: Any, **kwargs: Any) -> None:
        board = self.boards.get(getattr(item, "source", None))
        if board is not None:
            board.spider.crawler.stats.inc_value("item_scraped_count")
            self._done(board)

    def _dropped(self, request: Request, spider: Any) -> None:
        board = self.boards.get(request.meta.get(BOARD))
        if board is not None:  # the scheduler refused it (a duplicate): no callback will come
            self._done(board)
