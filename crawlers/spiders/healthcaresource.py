"""HealthcareSource (Symplr) boards: ``scrapy crawl healthcaresource -a source=healthcaresource:acme``.

The board page ``/jobs`` names the API release (``var V = {version: '...'}``). Then one board per
title search term: ``/{version}/api/jobs`` pages 1..``meta.totalPages`` from the first page, and a
``jobDescriptions`` request for each new or changed job (marker: title, organization, place).
A release token that answers 404 (a new release went out mid-crawl or since the page was read)
makes the spider read ``/jobs`` once more: a new token resumes the searches, the same one is
reported and the search counts as incomplete.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from twisted.python.failure import Failure

from crawlers.spiders.base import PlatformSpider
from crawlers.spiders.tally import DetailPaging, Tally
from pacsjobs.record import RawPosting
from pacsjobs.sources import healthcaresource as hcs


class HealthcaresourceSpider(DetailPaging, PlatformSpider):
    name = "healthcaresource"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.board = hcs.board(self.options["url"], self.source_cfg.base_url)
        self.version = ""
        self.reread_done = False
        self.waiting: list[tuple[Tally, str, int]] | None = None  # pages waiting for a re-read
        self.emitted: set[str] = set()
        self.boards = [self.board_name(term) for term in hcs.keywords(self.options)]  # each must report, or nothing closes

    @staticmethod
    def board_name(term: str) -> str:
        return f"job={term}" if term else "all"

    async def start(self) -> AsyncIterator[Any]:
        yield self.board_page_request(self.parse_board)

    def board_page_request(self, callback: Any) -> scrapy.Request:
        errback = self.request_failed if callback == self.parse_board else self.reread_failed
        return scrapy.Request(self.board.jobs_page_url, callback=callback, errback=errback, dont_filter=True)

    def parse_board(self, response: scrapy.http.Response) -> Iterator[Any]:
        version = self.parse_safely(hcs.version_token, response)
        if version is None:
            return
        self.version = version
        for term in hcs.keywords(self.options):
            tally = Tally(self.board_name(term), pending=1)
            yield self.page_request(tally, term, 1)

    def page_request(self, tally: Tally, term: str, page: int) -> scrapy.Request:
        return scrapy.Request(
            self.board.list_url(self.version, term, page),
            headers=hcs.HEADERS,
            callback=self.parse_page,
            errback=self.request_errback,
            cb_kwargs={"tally": tally, "term": term, "page": page, "version": self.version},
            meta={"handle_httpstatus_list": [404]},  # a stale release token: read /jobs again
            dont_filter=True,
        )

    def parse_page(
        self, response: scrapy.http.Response, tally: Tally, term: str, page: int, version: str
    ) -> Iterator[Any]:
        if response.status == 404:
            yield from self.version_gone(tally, term, page, version)
            return

        def read(body: bytes, url: str) -> tuple[list[RawPosting], int | None, int]:
            return (
                hcs.parse(body, url, self.board.url),
                hcs.reported_total(body, url),
                hcs.page_count(body, url),
            )

        result = self.parse_safely(read, response)
        if result is None:
            tally.ok = False
            yield from self.finish(tally)
            return
        postings, total, pages = result
        if page == 1:
            tally.reported = total
            yield from self.later_pages(tally, pages, hcs.MAX_PAGES, lambda later: self.page_request(tally, term, later))
        yield from self.details_of(tally, postings, lambda raw: scrapy.Request(
            self.board.detail_url(self.version, raw.source_id), headers=hcs.HEADERS, callback=self.parse_job,
            errback=self.request_errback, cb_kwargs={"tally": tally, "listing": raw}))
        yield from self.finish(tally)

    # -- a release token that answers 404 ---------------------------------------------------
    def version_gone(self, tally: Tally, term: str, page: int, version: str) -> Iterator[Any]:
        if version != self.version:  # a re-read already found the new token
            yield self.page_request(tally, term, page)
            return
        if self.reread_done:
            yield from self.give_up(tally, f"version token {version} answered 404 again")
            return
        first = self.waiting is None
        self.waiting = (self.waiting or []) + [(tally, term, page)]
        if first:
            self.logger.warning("%s: API version %s answered 404: reading %s again",
                                self.source_name, version, self.board.jobs_page_url)
            yield self.board_page_request(self.parse_reread)

    def parse_reread(self, response: scrapy.http.Response) -> Iterator[Any]:
        waiting, self.waiting, self.reread_done = self.waiting or [], None, True
        token = self.parse_safely(hcs.version_token, response)
        if token and token != self.version:
            self.logger.warning("%s: API version changed from %s to %s", self.source_name, self.version, token)
            self.version = token
            for tally, term, page in waiting:
                yield self.page_request(tally, term, page)
            return
        why = f"version token {self.version} answered 404 and the board page still names it" if token else \
            "version token answered 404 and the board page names none"
        for tally, _term, _page in waiting:
            yield from self.give_up(tally, why)

    def reread_failed(self, failure: Failure) -> Iterator[Any]:
        self.request_failed(failure)
        waiting, self.waiting, self.reread_done = self.waiting or [], None, True
        for tally, _term, _page in waiting:
            yield from self.give_up(tally, "the board page could not be read again")

    def give_up(self, tally: Tally, why: str) -> Iterator[Any]:
        self.logger.error("%s: %s", self.source_name, why)
        self.crawler.stats.inc_value("pacsjobs/version_changed")
        self.mark_incomplete(why)
        tally.ok = False
        yield from self.finish(tally)
