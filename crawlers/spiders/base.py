"""The base of every platform spider.

A subclass sets ``name`` (== the platform, == the module in ``pacsjobs.sources``) and writes
``start_requests`` / callbacks that fetch and paginate, handing payloads to ``self.parser``.
Hooks it uses, and no others:

- ``self.posting(raw)`` / ``self.seen(source_id)`` / ``self.report(board, reported, fetched, complete)``
  build the items the pipeline stores;
- ``self.unchanged(source_id, marker)`` says whether a stored posting's change marker is the same
  (then skip its detail request and yield ``self.seen``);
- ``self.parse_safely(func, response, *args)`` runs a parser, counting and logging a bad payload
  (or listing entries it could not read: ``Entries.skipped``) instead of stopping the crawl;
  ``self.request_failed`` is the errback for every request.

A board is complete only when every page of it was read, every entry of them was readable, and it
holds at least as many postings as it says it has: otherwise the crawl closes nothing.

Run one with ``scrapy crawl <platform> -a source=<name>``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import scrapy
from twisted.python.failure import Failure

from crawlers.items import BoardReport, PostingItem, SeenItem
from pacsjobs.config import shared_config, source_from_entry
from pacsjobs.errors import PacsjobsError, ParseError, SourceError
from pacsjobs.failures import CAUSE_STAT, cause_of
from pacsjobs.record import RawPosting
from pacsjobs.sources import platform_module
from pacsjobs.sources.common import Entries


class PlatformSpider(scrapy.Spider):
    name = ""  # abstract: no name, so `scrapy list` shows only the platforms

    def __init__(self, source: str | None = None, config: str | None = None, *args: Any,
                 run_id: str | int | None = None, source_json: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not source:
            raise SourceError(f"spider {self.name!r} needs a source: scrapy crawl {self.name} -a source=NAME")
        self.config = shared_config(config)
        # A cluster node is sent the source's table (its registry may differ) and the run to record.
        self.run_id = int(run_id) if run_id not in (None, "") else None
        if source_json:
            sent = source_from_entry(json.loads(source_json), "source_json")
            self.config.sources = [s for s in self.config.sources if s.name != sent.name] + [sent]
        self.source_cfg = self.config.source(source)
        if self.source_cfg.platform != self.name:
            raise SourceError(f"source {source!r} is a {self.source_cfg.platform} source, not {self.name}")
        self.source_name = source
        self.parser = platform_module(self.name)
        self.base_url = (self.source_cfg.base_url or self.parser.DEFAULT_BASE_URL).rstrip("/")
        self.options: dict[str, Any] = self.source_cfg.options
        self.employer = self.source_cfg.employer
        self.incomplete_reasons: list[str] = []
        self._known: dict[str, str | None] | None = None
        self.store: Any = None  # the crawl's open store when a many-board crawler runs this spider

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> PlatformSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        use_crawl_database(spider.config, crawler.settings)
        return spider

    # -- items ---------------------------------------------------------------------------
    def posting(self, raw: RawPosting) -> PostingItem:
        if self.employer and not raw.employer:
            raw.employer = self.employer
        return PostingItem(source=self.source_name, raw=raw)

    def seen(self, source_id: str) -> SeenItem:
        return SeenItem(source=self.source_name, source_id=source_id)

    def report(self, board: str, reported: int | None, fetched: int, complete: bool = True) -> BoardReport:
        if reported is not None and reported != fetched:
            self.logger.warning("%s: board %s reports %d postings, fetched %d", self.source_name, board, reported, fetched)
            self.crawler.stats.inc_value("pacsjobs/count_mismatch")
            if fetched < reported:  # some of what it says it has did not come: they may be open
                self.mark_incomplete(f"board {board} reports {reported} postings, fetched {fetched}")
        return BoardReport(self.source_name, board, reported, fetched, complete and not self.incomplete_reasons)

    # -- incremental crawling ------------------------------------------------------------
    @property
    def known(self) -> dict[str, str | None]:
        """source_id -> change marker of the open postings stored for this source."""
        if self._known is None:
            if self.store is not None:
                self._known = self.store.known_markers(self.source_name)
            else:
                from pacsjobs.store import open_store

                with open_store(self.config.database_url) as store:
                    self._known = store.known_markers(self.source_name)
        return self._known

    def unchanged(self, source_id: str, marker: str | None) -> bool:
        """True when this posting is stored with the same marker: its detail need not be fetched."""
        if marker is None or source_id not in self.known or self.known[source_id] != marker:
            return False
        self.crawler.stats.inc_value("pacsjobs/requests_saved")
        return True

    # -- failures ------------------------------------------------------------------------
    def mark_incomplete(self, reason: str) -> None:
        """Something of this source was not fetched: the pipeline will close nothing."""
        self.incomplete_reasons.append(reason)

    def parse_safely(self, func: Callable[..., Any], response: scrapy.http.Response, *args: Any) -> Any:
        """Run a parser on a response; a bad payload is counted, logged with its URL, and skipped."""
        try:
            result = func(response.body, response.url, *args)
        except (ParseError, PacsjobsError, ValueError, KeyError, TypeError, AttributeError) as exc:
            self.crawler.stats.inc_value("pacsjobs/bad_payload")
            self.logger.error("bad payload from %s: %s", response.url, exc)
            self.mark_incomplete(f"bad payload: {response.url}")
            return None
        skipped = _unreadable(result)
        if skipped:
            self.crawler.stats.inc_value("pacsjobs/unreadable_entries", skipped)
            self.logger.error("%d unreadable listing entr%s in %s", skipped, "y" if skipped == 1 else "ies",
                              response.url)
            self.mark_incomplete(f"unreadable entries: {response.url}")
        return result

    def request_failed(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        self.crawler.stats.inc_value("pacsjobs/request_failed")
        response = getattr(failure.value, "response", None)
        cause = cause_of(type(failure.value).__name__, failure.getErrorMessage(),
                         getattr(response, "status", None))
        self.crawler.stats.inc_value(f"{CAUSE_STAT}{cause}")
        self.logger.error("request failed: %s: %s", url, failure.getErrorMessage())
        self.mark_incomplete(f"request failed: {url}")


def use_crawl_database(config: Any, settings: Any) -> None:
    """The database is the one the crawl's settings name (a node's job: the shared one)."""
    url = settings.get("PACSJOBS_DATABASE_URL")
    if url:
        config.database_url = url


def _unreadable(result: Any) -> int:
    """Listing entries a parser could not read (``Entries.skipped``), in its result or its tuple."""
    parts = result if isinstance(result, tuple) else (result,)
    return sum(part.skipped for part in parts if isinstance(part, Entries))
