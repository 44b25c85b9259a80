"""Workday CXS boards: ``scrapy crawl workday -a source=workday:cleveland-clinic``.

One board per search term: ``POST {api}/jobs`` with offset steps of 20 (Workday's maximum).
``total`` comes only with the first page (later pages say 0), so the first page decides how
many pages to ask for. Each new or changed posting (``workday.marker``: title + location text)
gets a detail ``GET {api}{externalPath}``; unchanged ones are only marked seen.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy

from crawlers.spiders.base import PlatformSpider
from crawlers.spiders.tally import DetailPaging, Tally
from pacsjobs.record import RawPosting
from pacsjobs.sources import workday


class WorkdaySpider(DetailPaging, PlatformSpider):
    name = "workday"
    employer_note = "hiring_organization"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.board = workday.board(self.options["url"], self.source_cfg.base_url)
        self.emitted: set[str] = set()

    async def start(self) -> AsyncIterator[Any]:
        for term in workday.keywords(self.options):
            tally = Tally(f"searchText={term}" if term else "all", pending=1)
            yield self.page_request(tally, term, 0)

    def page_request(self, tally: Tally, term: str, offset: int) -> scrapy.Request:
        return scrapy.Request(
            self.board.jobs_url,
            method="POST",
            body=json.dumps(workday.search_body(term, offset)),
            headers=workday.HEADERS,
            callback=self.parse_page,
            errback=self.request_errback,
            cb_kwargs={"tally": tally, "term": term, "offset": offset},
            dont_filter=True,
        )

    def parse_page(
        self, response: scrapy.http.Response, tally: Tally, term: str, offset: int
    ) -> Iterator[Any]:
        def read(body: bytes, url: str) -> tuple[list[RawPosting], int | None]:
            return workday.parse(body, url, self.board.url), workday.reported_total(body, url)

        result = self.parse_safely(read, response)
        if result is None:
            tally.ok = False
            yield from self.finish(tally)
            return
        postings, total = result
        if offset == 0 and total is not None:
            tally.reported = total
            for later in range(workday.PAGE_LIMIT, total, workday.PAGE_LIMIT):
                tally.pending += 1
                yield self.page_request(tally, term, later)
        elif tally.reported is None and postings.entries == workday.PAGE_LIMIT:
            # no count on the first page: walk on page by page until a short one
            tally.pending += 1
            yield self.page_request(tally, term, offset + workday.PAGE_LIMIT)
        tally.fetched += len(postings)
        for raw in postings:
            if raw.source_id in self.emitted:
                continue
            self.emitted.add(raw.source_id)
            if self.unchanged(raw.source_id, raw.updated):
                yield self.seen(raw.source_id)
                continue
            tally.pending += 1
            yield scrapy.Request(
                self.board.detail_url(raw.extra["external_path"]),
                headers=workday.HEADERS,
                callback=self.parse_job,
                errback=self.request_errback,
                cb_kwargs={"tally": tally, "listing": raw},
            )
        yield from self.finish(tally)

