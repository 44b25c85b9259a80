"""SmartRecruiters companies: ``scrapy crawl smartrecruiters -a source=smartrecruiters:acme``.

One board per configured search term (``q=``), or the whole company when ``keywords`` is empty:
``/v1/companies/{id}/postings?limit=100&offset=N``. The first page's ``totalFound`` decides how many
pages to ask for (all at once, so one bad page does not hide the rest). Listing entries carry no
description: each new or changed posting (marker: ``releasedDate``) gets a detail request
``/v1/companies/{id}/postings/{postingId}``; unchanged ones are only marked seen.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy

from crawlers.spiders.base import PlatformSpider
from crawlers.spiders.tally import DetailPaging, Tally
from pacsjobs.record import RawPosting
from pacsjobs.sources import smartrecruiters as sr

HEADERS = {"Accept": "application/json"}


class SmartRecruitersSpider(DetailPaging, PlatformSpider):
    name = "smartrecruiters"
    employer_note = "company_name"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.company = self.options["company"]
        self.page_size = self.options.get("page_size", sr.MAX_PAGE_SIZE)
        self.terms: list[str | None] = list(self.options.get("keywords") or []) or [None]
        self.boards = [self.board_name(term) for term in self.terms]
        self.emitted: set[str] = set()

    def board_name(self, term: str | None) -> str:
        return f"{self.company} q={term}" if term else self.company

    async def start(self) -> AsyncIterator[Any]:
        for term in self.terms:
            yield self.page_request(Tally(self.board_name(term), pending=1), term, 0)

    def page_request(self, tally: Tally, term: str | None, offset: int) -> scrapy.Request:
        url = sr.listing_url(self.base_url, self.company, offset, self.page_size, term)
        return scrapy.Request(url, headers=HEADERS, callback=self.parse_page, errback=self.request_errback,
                              cb_kwargs={"tally": tally, "term": term, "offset": offset}, dont_filter=True)

    def parse_page(self, response: scrapy.http.Response, tally: Tally, term: str | None,
                   offset: int) -> Iterator[Any]:
        def read(body: bytes, url: str) -> tuple[list[RawPosting], int | None]:
            return sr.parse(body, url), sr.reported_total(body)

        result = self.parse_safely(read, response)
        if result is None:
            tally.ok = False
            yield from self.finish(tally)
            return
        postings, total = result
        if offset == 0:
            tally.reported = total
            for later in range(self.page_size, total or 0, self.page_size):
                tally.pending += 1
                yield self.page_request(tally, term, later)
        tally.fetched += len(postings)
        for raw in postings:
            if raw.source_id in self.emitted:  # found by an earlier search term
                continue
            self.emitted.add(raw.source_id)
            if self.unchanged(raw.source_id, raw.updated):
                yield self.seen(raw.source_id)
                continue
            tally.pending += 1
            yield scrapy.Request(sr.detail_url(self.base_url, self.company, raw.source_id), headers=HEADERS,
                                 callback=self.parse_job, errback=self.request_errback,
                                 cb_kwargs={"tally": tally, "listing": raw})
        yield from self.finish(tally)

