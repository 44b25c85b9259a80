"""Taleo Enterprise career sections: ``scrapy crawl taleo -a source=taleo:acme-health``.

The section's search page gives the portal number (and the session cookie). Then one board per
search term: ``searchjobs`` pages 1..ceil(totalCount / pageSize) from the first page (a page past
the last repeats the last, so pages are never walked to an empty one). Each new or changed
requisition (marker: its listing columns) gets its ``jobdetail.ftl`` page; unchanged ones are only
marked seen.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy

from crawlers.spiders.base import PlatformSpider
from crawlers.spiders.tally import DetailPaging, Tally
from pacsjobs.record import RawPosting
from pacsjobs.sources import taleo


class TaleoSpider(DetailPaging, PlatformSpider):
    name = "taleo"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.section = taleo.section(self.options["url"], self.source_cfg.base_url)
        self.emitted: set[str] = set()
        self.boards = [self.board_name(term) for term in taleo.keywords(self.options)]  # each must report, or nothing closes

    @staticmethod
    def board_name(term: str) -> str:
        return f"KEYWORD={term}" if term else "all"

    async def start(self) -> AsyncIterator[Any]:
        yield scrapy.Request(
            self.section.search_page_url,
            callback=self.parse_search_page,
            errback=self.request_failed,
            dont_filter=True,
        )

    def parse_search_page(self, response: scrapy.http.Response) -> Iterator[Any]:
        portal = self.parse_safely(taleo.portal_number, response)
        if portal is None:
            return
        for term in taleo.keywords(self.options):
            tally = Tally(self.board_name(term), pending=1)
            yield self.page_request(tally, portal, term, 1)

    def page_request(self, tally: Tally, portal: str, term: str, page_no: int) -> scrapy.Request:
        return scrapy.Request(
            self.section.search_url(portal),
            method="POST",
            body=json.dumps(taleo.search_body(term, page_no)),
            headers={**taleo.HEADERS, "Referer": self.section.search_page_url},
            callback=self.parse_page,
            errback=self.request_errback,
            cb_kwargs={"tally": tally, "portal": portal, "term": term, "page_no": page_no},
            dont_filter=True,
        )

    def parse_page(
        self, response: scrapy.http.Response, tally: Tally, portal: str, term: str, page_no: int
    ) -> Iterator[Any]:
        def read(body: bytes, url: str) -> tuple[list[RawPosting], int | None, int]:
            return (
                taleo.parse(body, url, self.section.url),
                taleo.reported_total(body, url),
                taleo.page_count(body, url),
            )

        result = self.parse_safely(read, response)
        if result is None:
            tally.ok = False
            yield from self.finish(tally)
            return
        postings, total, pages = result
        if page_no == 1:
            tally.reported = total
            yield from self.later_pages(tally, pages, taleo.MAX_PAGES,
                                        lambda later: self.page_request(tally, portal, term, later))
        yield from self.details_of(tally, postings, lambda raw: scrapy.Request(
            self.section.detail_url(raw.source_id), callback=self.parse_job, errback=self.request_errback,
            cb_kwargs={"tally": tally, "listing": raw}))
        yield from self.finish(tally)
