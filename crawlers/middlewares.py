"""Downloader middlewares: retries that honour Retry-After, and redirects that keep secrets home.

Scrapy's own RetryMiddleware retries at once. Servers that answer 429 / 503 with ``Retry-After``
ask us to wait; we wait that long (seconds or an HTTP date, capped by ``RETRY_AFTER_MAX`` =
``crawler.max_retry_after``) without blocking the reactor, and give up, counted in stats, when they
ask for longer. Other 5xx answers are retried after ``RETRY_BACKOFF_BASE * 2**attempt`` seconds.

Scrapy's redirect middlewares drop only ``Authorization`` and ``Cookie`` when a redirect leaves the
origin; the APIs we call carry keys in other headers (USAJOBS ``Authorization-Key``, ``X-Api-Key``
...). ``SafeRedirectMiddleware`` / ``SafeMetaRefreshMiddleware`` drop every header of
``CREDENTIAL_HEADERS`` on a redirect to another scheme, host or port, and a stale ``Host``.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.http import Request, Response
from scrapy.utils.asyncio import sleep
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message

logger = logging.getLogger(__name__)


def retry_after_seconds(value: str | bytes | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or HTTP date); None if unreadable."""
    if value is None:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if not text:
        return None
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def spider_of(crawler: Any, request: Request) -> Any:
    """The spider a request belongs to: its board's, when one crawler serves many (``crawlers.multiplex``)."""
    spider = crawler.spider
    find = getattr(spider, "spider_for", None)
    return find(request) if find is not None else spider


def stats_of(crawler: Any, request: Request) -> Any:
    """Where a request's retries and waits are counted: its spider's stats (its board's)."""
    spider = spider_of(crawler, request)
    return spider.crawler.stats if spider is not None else crawler.stats


class RetryAfterMiddleware(RetryMiddleware):
    """Retry 429 / 5xx after the server's Retry-After, else with exponential backoff."""

    def __init__(self, settings: Any):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 300.0)

    def _delay(self, request: Request, response: Response) -> float | None:
        """How long to wait before retrying; None when the server asks for more than the cap."""
        attempt = request.meta.get("retry_times", 0)
        if response.status in (429, 503):
            asked = retry_after_seconds(response.headers.get(b"Retry-After"))
            if asked is not None:
                if asked > self.retry_after_max:
                    return None
                return asked
        if response.status == 429 or response.status >= 500:
            return min(self.backoff_max, self.backoff_base * (2 ** attempt))
        return 0.0

    def _retry(self, request: Request, reason: str | Exception | type[Exception]) -> Request | None:
        # Scrapy's, with the retry counted for the request's own spider (its board's stats).
        meta = request.meta
        return get_retry_request(request, reason=reason, spider=spider_of(self.crawler, request),
                                 max_retry_times=meta.get("max_retry_times", self.max_retry_times),
                                 priority_adjust=meta.get("priority_adjust", self.priority_adjust),
                                 give_up_log_level=meta.get("give_up_log_level", self.give_up_log_level))

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        stats = stats_of(self.crawler, request)
        delay = self._delay(request, response)
        if delay is None:
            stats.inc_value("pacsjobs/retry_after_too_long")
            logger.error("giving up on %s: Retry-After %s exceeds the %ss cap (crawler.max_retry_after)",
                         request.url, response.headers.get(b"Retry-After", b"").decode("latin-1"),
                         self.retry_after_max)
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        if delay > 0:
            stats.inc_value("pacsjobs/retry_delay_seconds", round(delay, 3))
            logger.info("retrying %s in %.1fs (HTTP %d)", request.url, delay, response.status)
            # An asynchronous sleep: other requests go on while this one waits.
            await sleep(delay)
        return retry


# Headers that carry a credential: never sent to an origin other than the one they were meant for.
CREDENTIAL_HEADERS = (
    "Authorization", "Proxy-Authorization", "Cookie", "Authorization-Key", "Api-Key", "X-Api-Key",
    "App-Key", "App_Key", "X-App-Key", "App-Id", "App_Id", "X-App-Id", "X-Auth-Token", "X-Access-Token",
    "Access-Token", "X-Csrf-Token", "X-Client-Secret", "Client-Secret", "Ocp-Apim-Subscription-Key",
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(request: Request) -> tuple[str, str | None, int | None]:
    parts = urlparse_cached(request)
    return parts.scheme, parts.hostname, parts.port or _DEFAULT_PORTS.get(parts.scheme)


def strip_cross_origin_secrets(source: Request, redirected: Request) -> list[str]:
    """Drop credential headers (and a ``Host`` set by hand) from a redirect leaving the origin.

    Returns the names of the headers dropped, for the log.
    """
    if _origin(source) == _origin(redirected):
        return []
    dropped = [name for name in CREDENTIAL_HEADERS if redirected.headers.pop(name, None) is not None]
    # An explicit Host names the old server; without it Scrapy sends the new URL's host.
    if urlparse_cached(source).netloc != urlparse_cached(redirected).netloc and \
            redirected.headers.pop("Host", None) is not None:
        dropped.append("Host")
    return dropped


class _StripSecretsOnRedirect:
    """Mixin over Scrapy's redirect middlewares: one place where a redirect request is built."""

    def _build_redirect_request(self, source_request: Request, response: Response, *, url: str,
                                **kwargs: Any) -> Request:
        redirected = super()._build_redirect_request(  # type: ignore[misc]
            source_request, response, url=url, **kwargs)
        dropped = strip_cross_origin_secrets(source_request, redirected)
        if dropped:
            stats_of(self.crawler, source_request).inc_value(  # type: ignore[attr-defined]
                "pacsjobs/redirect_secrets_dropped")
            logger.info("redirect %s -> %s: not forwarding %s", source_request.url, url, ", ".join(dropped))
        return redirected


class SafeRedirectMiddleware(_StripSecretsOnRedirect, RedirectMiddleware):
    """Scrapy's 3xx redirects, without forwarding credentials to another origin."""


class SafeMetaRefreshMiddleware(_StripSecretsOnRedirect, MetaRefreshMiddleware):
    """Scrapy's meta-refresh redirects, without forwarding credentials to another origin."""
