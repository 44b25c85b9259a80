"""Reading a career site's sitemap with Scrapy's own machinery (``scrapy.utils.sitemap.Sitemap``,
which streams with ``iterparse`` and frees each entry once read; ``scrapy.utils.gz.gunzip`` for
``.xml.gz`` files, bounded by ``DOWNLOAD_MAXSIZE``).

A mixin of ``DetailPaging`` spiders (iCIMS, Phenom): a sitemap index is followed to its sitemaps
(``MAX_DEPTH`` deep), each ``<url>`` entry is handed to the spider's ``sitemap_entry(loc, lastmod,
tally)``. At most ``MAX_URLS`` entries are read per board (the sitemap protocol's limit for one
file): a site listing more is read that far, and the run is reported incomplete, so nothing closes
on a board that was not read to its end.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import Sitemap

from crawlers.spiders.redirects import moved_to
from crawlers.spiders.tally import Tally
from pacsjobs.record import RawPosting
from pacsjobs.sources.jobpage import is_html, rebase
from pacsjobs.sources.jsonld import sitemap_ends

MAX_URLS = 50_000
MAX_DEPTH = 3


class SitemapReading:
    """Mixin: ``sitemap_request`` starts a board's sitemap; the spider defines ``sitemap_entry``."""

    max_sitemap_urls = MAX_URLS
    sitemap_urls_read = 0  # entries read so far by this crawl (one sitemap board per spider)

    def sitemap_request(self, url: str, tally: Tally, depth: int = 0) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_sitemap, errback=self.request_errback,  # type: ignore[attr-defined]
                              cb_kwargs={"tally": tally, "depth": depth}, dont_filter=True)

    def sitemap_entry(self, loc: str, lastmod: str | None, tally: Tally) -> Iterator[Any]:
        raise NotImplementedError

    def parse_sitemap(self, response: scrapy.http.Response, tally: Tally, depth: int) -> Iterator[Any]:
        body, problem = self._sitemap_body(response)
        sitemap = self._sitemap(body) if body is not None else None
        if sitemap is None:
            tally.ok = False
            self.crawler.stats.inc_value("pacsjobs/bad_payload")  # type: ignore[attr-defined]
            what = problem or ("an HTML page" if body is not None and is_html(body) else "no sitemap XML")
            self.logger.error("bad payload from %s: expected a sitemap, got %s", response.url, what)  # type: ignore[attr-defined]
            self.mark_incomplete(f"bad sitemap: {response.url}")  # type: ignore[attr-defined]
            yield from self.finish(tally)  # type: ignore[attr-defined]
            return
        if not sitemap_ends(body):  # type: ignore[arg-type]
            # what it lists is still read; the run closes nothing
            tally.ok = False
            self.crawler.stats.inc_value("pacsjobs/bad_payload")  # type: ignore[attr-defined]
            self.logger.error("bad payload from %s: the sitemap is cut short (no closing </%s>)",  # type: ignore[attr-defined]
                              response.url, sitemap.type)
            self.mark_incomplete(f"sitemap cut short: {response.url}")  # type: ignore[attr-defined]
        if sitemap.type == "sitemapindex":
            for entry in sitemap:
                if depth + 1 > MAX_DEPTH:
                    self.mark_incomplete(f"sitemap index nested too deep: {response.url}")  # type: ignore[attr-defined]
                    tally.ok = False
                    break
                tally.pending += 1
                yield self.sitemap_request(self.fetch_url(entry["loc"]), tally, depth + 1)
        else:
            for entry in sitemap:
                if self.sitemap_urls_read >= self.max_sitemap_urls:
                    self.crawler.stats.inc_value("pacsjobs/sitemap_truncated")  # type: ignore[attr-defined]
                    self.logger.error("%s: the sitemap lists more than %d URLs; read the first %d (%s)",  # type: ignore[attr-defined]
                                      self.source_name, self.max_sitemap_urls, self.max_sitemap_urls,  # type: ignore[attr-defined]
                                      response.url)
                    self.mark_incomplete(f"sitemap over {self.max_sitemap_urls} URLs: {response.url}")  # type: ignore[attr-defined]
                    tally.ok = False
                    break
                self.sitemap_urls_read += 1
                yield from self.sitemap_entry(entry["loc"], entry.get("lastmod") or None, tally)
        yield from self.finish(tally)  # type: ignore[attr-defined]

    # -- job pages listed by a sitemap ---------------------------------------------------------
    def sitemap_job(self, loc: str, source_id: str, lastmod: str | None, tally: Tally) -> Iterator[Any]:
        """A job page of the sitemap: seen when its lastmod is the stored marker, else fetched."""
        tally.fetched += 1
        if self.unchanged(source_id, lastmod):  # type: ignore[attr-defined]
            yield self.seen(source_id)  # type: ignore[attr-defined]
            return
        tally.pending += 1
        # the page's posting takes this id, public URL and marker (``parse_detail``'s listing);
        # dont_filter: ids are deduplicated here, and every request must end for the board to report
        stub = RawPosting(source_id=source_id, url=loc, title="", updated=lastmod)
        yield scrapy.Request(self.job_page_url(loc), callback=self.parse_sitemap_job, errback=self.sitemap_job_failed,
                             cb_kwargs={"tally": tally, "stub": stub}, dont_filter=True)

    def parse_sitemap_job(self, response: scrapy.http.Response, tally: Tally, stub: RawPosting) -> Iterator[Any]:
        if moved_to(response):
            # a job page that redirects away (to the search page) is a posting taken down after
            # the sitemap was written: not seen, so it closes after this crawl if it is complete
            self.crawler.stats.inc_value("pacsjobs/job_page_gone")  # type: ignore[attr-defined]
            self.logger.info("job page gone: %s redirected to %s", response.meta["redirect_urls"][0], response.url)  # type: ignore[attr-defined]
            yield from self.finish(tally)  # type: ignore[attr-defined]
            return
        raw = self.parse_safely(self.parser.parse_detail, response, stub)  # type: ignore[attr-defined]
        if raw is None:
            tally.ok = False
            yield from self._keep_known(stub)
        else:
            yield self.posting(self.prefer_configured_employer(raw))  # type: ignore[attr-defined]
        yield from self.finish(tally)  # type: ignore[attr-defined]

    def sitemap_job_failed(self, failure: Any) -> Iterator[Any]:
        self.request_failed(failure)  # type: ignore[attr-defined]
        kwargs = failure.request.cb_kwargs
        kwargs["tally"].ok = False
        yield from self._keep_known(kwargs["stub"])
        yield from self.finish(kwargs["tally"])  # type: ignore[attr-defined]

    def _keep_known(self, stub: RawPosting) -> Iterator[Any]:
        # a page we could not read tells nothing new: a stored posting stays as it is
        if stub.source_id in self.known:  # type: ignore[attr-defined]
            yield self.seen(stub.source_id)  # type: ignore[attr-defined]

    def job_page_url(self, loc: str) -> str:
        """Where a job page of the sitemap is fetched (a spider may ask for another variant)."""
        return self.fetch_url(loc)

    def fetch_url(self, url: str) -> str:
        return rebase(url, self.site_url, self.fetch_root)  # type: ignore[attr-defined]

    def _sitemap_body(self, response: scrapy.http.Response) -> tuple[bytes | None, str | None]:
        """The sitemap's XML (gunzipped within DOWNLOAD_MAXSIZE), or None and why not."""
        if not gzip_magic_number(response):
            return response.body, None
        limit = self.settings.getint("DOWNLOAD_MAXSIZE")  # type: ignore[attr-defined]
        try:
            return gunzip(response.body, max_size=limit), None
        except ValueError:  # scrapy's _DecompressionMaxSizeExceeded
            return None, f"a gzip file larger than {limit} bytes once uncompressed"
        except (OSError, EOFError, zlib.error):  # zlib's own error: a corrupt deflate stream
            return None, "a broken gzip file"

    @staticmethod
    def _sitemap(body: bytes) -> Sitemap | None:
        if not body.strip() or is_html(body):
            return None
        try:
            sitemap = Sitemap(body)
        except Exception:  # noqa: BLE001 - lxml raises several kinds on a body that is not XML
            return None
        return sitemap if sitemap.type in ("sitemapindex", "urlset") else None
