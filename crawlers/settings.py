"""Scrapy settings of the pacsjobs crawlers: polite defaults.

``crawlers.run`` (the child process ``pacsjobs crawl`` starts) overrides the values that come from
``config/pacsjobs.toml`` (``crawler_settings(config)``); ``scrapy crawl <platform> -a source=NAME``
from the repository root applies them too, through ``PacsjobsConfigAddon``.
"""

from __future__ import annotations

import os
from typing import Any

import pacsjobs
from pacsjobs.scrapy_settings import crawler_settings  # noqa: F401  (crawlers.run and tests use it here)

# A Scrapyd node runs the egg of the version it was deployed with (SCRAPYD_EGG_VERSION); the
# pacsjobs library installed beside it must be that version, or the crawl would write another
# schema's records into the shared database.
_EGG_VERSION = os.environ.get("SCRAPYD_EGG_VERSION")
if _EGG_VERSION and pacsjobs.__version__ != _EGG_VERSION:
    raise RuntimeError(f"version mismatch: this node has pacsjobs {pacsjobs.__version__}, the deployed crawlers "
                       f"are pacsjobs {_EGG_VERSION}: install pacsjobs=={_EGG_VERSION} on the node")

BOT_NAME = "pacsjobs"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

# Identify ourselves with a way to reach the operator (overridden from config.crawler.contact).
USER_AGENT = "pacsjobs (+mailto:pacsjobs-operator@example.org)"
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5  # each delay varies by ±50%, as sites expect from people
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024  # a career page or API page is never this large
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024

AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Retries: our middleware replaces Scrapy's to honour Retry-After and back off exponentially.
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
RETRY_BACKOFF_BASE = 1.0  # seconds; doubled per attempt on 5xx
RETRY_BACKOFF_MAX = 60.0
RETRY_AFTER_MAX = 300.0  # config.crawler.max_retry_after
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.RetryAfterMiddleware": 550,
    # Redirects that drop every credential header (not only Authorization / Cookie) off-origin.
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawlers.middlewares.SafeMetaRefreshMiddleware": 580,
    "crawlers.middlewares.SafeRedirectMiddleware": 600,
}

ITEM_PIPELINES = {"crawlers.pipelines.PostingPipeline": 300}
# A page yields a posting or a few: Scrapy's default of 100 starts 100 asyncio tasks per callback
# output for nothing (our pipeline is synchronous); measured as the largest CPU cost of a crawl.
CONCURRENT_ITEMS = 4

COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # no control port opened by a crawl
LOG_LEVEL = "INFO"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

ADDONS = {"crawlers.settings.PacsjobsConfigAddon": 0}


class PacsjobsConfigAddon:
    """Applies config/pacsjobs.toml to the settings of ``scrapy crawl`` run by hand.

    The folder is ``-s PACSJOBS_CONFIG=DIR``, else ``$PACSJOBS_CONFIG``, else ``./config``; values
    set on the command line (priority ``cmdline``) win.
    """

    def update_settings(self, settings: Any) -> None:
        from pacsjobs.config import load_config

        if settings.getbool("PACSJOBS_CONFIG_APPLIED"):
            return
        try:
            config = load_config(settings.get("PACSJOBS_CONFIG"))
        except Exception:  # noqa: BLE001 - the spider reports a bad config as one clear line
            return
        for key, value in crawler_settings(config).items():
            # "spider" priority: above this module's defaults, below -s on the command line.
            settings.set(key, value, priority="spider")
        settings.set("PACSJOBS_CONFIG_APPLIED", True, priority="spider")
