"""UKG Pro Recruiting boards: ``scrapy crawl ukg -a source=ukg:acme-health``.

The board page is fetched first: an unknown tenant or board answers 404 or redirects away from
``/JobBoard/{GUID}``, while its search endpoint would answer an empty list (which, taken at its
word, would close every stored posting). Then one board per search term: ``LoadSearchResults``
in steps of 50 up to ``totalCount``; each new or changed opportunity (marker: the listing's
``PostedDate``) gets its ``OpportunityDetail`` page; unchanged ones are only marked seen.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy

from crawlers.spiders.base import PlatformSpider
from crawlers.spiders.tally import DetailPaging, Tally
from pacsjobs.record import RawPosting
from pacsjobs.sources import ukg


class UkgSpider(DetailPaging, PlatformSpider):
    name = "ukg"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.board = ukg.board(self.options["url"], self.source_cfg.base_url)
        self.emitted: set[str] = set()
        self.boards = [self.board_name(term) for term in ukg.keywords(self.options)]  # each must report, or nothing closes

    @staticmethod
    def board_name(term: str) -> str:
        return f"QueryString={term}" if term else "all"

    async def start(self) -> AsyncIterator[Any]:
        yield scrapy.Request(
            self.board.root, callback=self.parse_board, errback=self.request_failed, dont_filter=True
        )

    def parse_board(self, response: scrapy.http.Response) -> Iterator[Any]:
        if f"/JobBoard/{self.board.guid}".lower() not in response.url.lower():
            self.logger.error(
                "%s: board moved: %s now leads to %s", self.source_name, self.board.url, response.url
            )
            self.crawler.stats.inc_value("pacsjobs/board_moved")
            self.mark_incomplete(f"board moved: {response.url}")
            return
        for term in ukg.keywords(self.options):
            tally = Tally(self.board_name(term), pending=1)
            yield self.page_request(tally, term, 0)

    def page_request(self, tally: Tally, term: str, skip: int) -> scrapy.Request:
        return scrapy.Request(
            self.board.search_url,
            method="POST",
            body=json.dumps(ukg.search_body(term, skip)),
            headers={**ukg.HEADERS, "Referer": self.board.root},
            callback=self.parse_page,
            errback=self.request_errback,
            cb_kwargs={"tally": tally, "term": term, "skip": skip},
            dont_filter=True,
        )

    def parse_page(
        self, response: scrapy.http.Response, tally: Tally, term: str, skip: int
    ) -> Iterator[Any]:
        def read(body: bytes, url: str) -> tuple[list[RawPosting], int | None]:
            return ukg.parse(body, url, self.board.url), ukg.reported_total(body, url)

        result = self.parse_safely(read, response)
        if result is None:
            tally.ok = False
            yield from self.finish(tally)
            return
        postings, total = result
        if skip == 0:
            tally.reported = total
            for later in range(ukg.PAGE_LIMIT, total or 0, ukg.PAGE_LIMIT):
                tally.pending += 1
                yield self.page_request(tally, term, later)
        yield from self.details_of(tally, postings, lambda raw: scrapy.Request(
            self.board.detail_url(raw.source_id), callback=self.parse_job, errback=self.request_errback,
            cb_kwargs={"tally": tally, "listing": raw}))
        yield from self.finish(tally)
