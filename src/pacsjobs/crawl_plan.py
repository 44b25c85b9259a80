"""Which sources a crawl process runs at once: a bounded number, and few per host.

The crawl's one crawler (``crawlers.multiplex``) starts boards as others end: at most ``at_once``
at a time, so a registry of a thousand boards costs the memory of ``at_once`` boards, and at most
``per_host`` of one host (every Greenhouse board is ``boards-api.greenhouse.io``), so the boards
running at a time are spread over many hosts and their shared per-host delay keeps them all busy.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterable
from urllib.parse import urlsplit

from pacsjobs.config import SourceConfig

AT_ONCE = 32
PER_HOST = 2
URL_OPTIONS = ("url", "host", "sitemap")


def source_host(src: SourceConfig) -> str:
    """The host a source's requests go to (its own board, else its platform's API), lower-case."""
    candidates: list[str | None] = [src.base_url]
    candidates += [src.options.get(k) for k in URL_OPTIONS]
    urls = src.options.get("urls")
    if isinstance(urls, list | tuple) and urls:
        candidates.append(urls[0])
    if not any(candidates):
        from pacsjobs.sources import platform_module

        with contextlib.suppress(ValueError, ImportError):  # an unknown platform: its name stands in
            candidates.append(getattr(platform_module(src.platform), "DEFAULT_BASE_URL", None))
    for value in candidates:
        if isinstance(value, str) and value.strip():
            text = value.strip()
            netloc = urlsplit(text if "//" in text else f"//{text}").netloc
            if netloc:
                return netloc.lower()
    return src.platform


class Plan:
    """Hands out sources in order, keeping within ``at_once`` running and ``per_host`` per host."""

    def __init__(self, sources: Iterable[SourceConfig], at_once: int = AT_ONCE, per_host: int = PER_HOST):
        self.waiting = [(s, source_host(s)) for s in sources]
        self.at_once, self.per_host = max(1, at_once), max(1, per_host)
        self.running: Counter[str] = Counter()
        self.hosts = {src.name: host for src, host in self.waiting}

    def __len__(self) -> int:
        return len(self.waiting)

    def next_batch(self) -> list[SourceConfig]:
        """The sources that may start now (and are counted as running)."""
        started = []
        for item in list(self.waiting):
            if sum(self.running.values()) >= self.at_once:
                break
            src, host = item
            if self.running[host] < self.per_host:
                self.waiting.remove(item)
                self.running[host] += 1
                started.append(src)
        return started

    def done(self, src: SourceConfig) -> None:
        host = self.hosts[src.name]
        if self.running[host] > 0:
            self.running[host] -= 1
