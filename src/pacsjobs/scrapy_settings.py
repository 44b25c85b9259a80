"""The Scrapy settings that come from a pacsjobs ``Config`` (its ``[crawler]`` table).

Used by the local crawl (``crawlers.run``, ``PacsjobsConfigAddon``) and by the cluster dispatcher,
which sends them to Scrapyd nodes as job settings.
"""

from __future__ import annotations

from typing import Any


def crawler_settings(config: Any) -> dict[str, Any]:
    """The Scrapy settings that come from a pacsjobs ``Config`` (its ``[crawler]`` table)."""
    c = config.crawler
    return {
        "USER_AGENT": c.agent(),
        "ROBOTSTXT_OBEY": c.obey_robots,
        "DOWNLOAD_DELAY": c.download_delay,
        "DOWNLOAD_DELAY_JITTER": 0.5 if c.download_delay > 0 else 0.0,
        "CONCURRENT_REQUESTS_PER_DOMAIN": c.concurrency_per_domain,
        "AUTOTHROTTLE_ENABLED": c.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(c.download_delay, 0.1),
        "DOWNLOAD_TIMEOUT": c.timeout,
        "RETRY_TIMES": c.retry_times,
        "RETRY_AFTER_MAX": c.max_retry_after,
        "PACSJOBS_CONFIG": str(config.dir),
        "PACSJOBS_DATABASE_URL": config.database_url,
    }
