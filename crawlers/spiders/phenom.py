"""Phenom career sites: ``scrapy crawl phenom -a source=phenom:northwest-health``.

One board: the site's sitemap (an index is followed, gzip read; see ``sitemaps``). Job pages
(``url_pattern``, default ``/job/``), pre-filtered by their URL slug only when ``slug_keywords``
is set, are fetched unless their ``<lastmod>`` is the stored marker. The search API is
bot-protected and not used; every job page fetched goes to the classifier.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

from crawlers.spiders.base import PlatformSpider
from crawlers.spiders.sitemaps import SitemapReading
from crawlers.spiders.tally import DetailPaging, Tally
from pacsjobs.sources import phenom


class PhenomSpider(SitemapReading, DetailPaging, PlatformSpider):
    name = "phenom"
    employer_note = "hiring_organization"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.site_url = self.options["url"].rstrip("/")
        self.fetch_root = (self.source_cfg.base_url or self.site_url).rstrip("/")
        self.pattern = self.options.get("url_pattern") or phenom.DEFAULT_URL_PATTERN
        self.matcher = re.compile(self.pattern)
        self.slug_keywords: list[str] | None = self.options.get("slug_keywords")
        self.boards = ["sitemap"]
        self.emitted: set[str] = set()

    async def start(self) -> AsyncIterator[Any]:
        url = self.fetch_url(phenom.sitemap_url(self.options, self.site_url))
        yield self.sitemap_request(url, Tally("sitemap", pending=1))

    def sitemap_entry(self, loc: str, lastmod: str | None, tally: Tally) -> Iterator[Any]:
        if not self.matcher.search(loc):
            return
        if self.slug_keywords and not phenom.slug_matches(loc, self.slug_keywords):
            self.crawler.stats.inc_value("pacsjobs/slug_skipped")
            return
        source_id = phenom.job_id(loc, self.pattern)
        if not source_id or source_id in self.emitted:
            return
        self.emitted.add(source_id)
        yield from self.sitemap_job(loc, source_id, lastmod, tally)
