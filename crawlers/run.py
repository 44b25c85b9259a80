"""The crawl child process: ``python -m crawlers.run --config DIR --source A --source B``.

``pacsjobs crawl`` starts this (pacsjobs never imports Scrapy's reactor into its own process).
All sources run in one Scrapy crawler (``crawlers.multiplex``: one downloader, so per-host
politeness and robots.txt hold across boards), each with its platform's spider, a bounded number at
a time (``pacsjobs.crawl_plan``: ``[crawler] sources_at_once``, ``sources_per_host``). A source whose
spider cannot start (unknown platform spider, missing credentials: ``SourceError``) is skipped with
its one line; the others go on. So is a source whose crawl lock another crawl holds (one crawl of a
source at a time): the line names the holder. A source's lock is held until its postings are
stored. ``--results FILE`` receives a JSON object ``{"skipped": {name: line}, "failed": {name: line}}``
for the parent; every other outcome is in the ``crawl_runs`` table.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawlers.settings")

from scrapy.crawler import CrawlerProcess  # noqa: E402 - after the settings module is chosen
from scrapy.spiderloader import SpiderLoader  # noqa: E402
from scrapy.utils.project import get_project_settings  # noqa: E402

from crawlers import worker  # noqa: E402
from crawlers.multiplex import BoardsSpider  # noqa: E402
from crawlers.pipelines import SCHEMA_READY_ENV  # noqa: E402
from crawlers.settings import crawler_settings  # noqa: E402
from pacsjobs.config import load_config  # noqa: E402
from pacsjobs.crawl import locked_message, process_name  # noqa: E402
from pacsjobs.errors import PacsjobsError  # noqa: E402
from pacsjobs.store import open_store  # noqa: E402
from pacsjobs.store.locks import HeldLocks, crawl_lock  # noqa: E402

logger = logging.getLogger("crawlers.run")


def build_settings(config: Any, log_file: str | None = None) -> Any:
    """Project settings with the config's crawler values on top."""
    settings = get_project_settings()
    for key, value in crawler_settings(config).items():
        settings.set(key, value, priority="cmdline")
    settings.set("PACSJOBS_CONFIG_APPLIED", True, priority="cmdline")
    if log_file:
        settings.set("LOG_FILE", log_file, priority="cmdline")
    return settings


def _cache_callback_checks() -> None:
    """Scrapy reads the source of a spider's callbacks to warn about generators that return a value,
    cached per bound method, so once per spider: ~30 ms a board. Cache it per function instead."""
    import scrapy.utils.misc as misc

    check = misc.is_generator_with_return_value
    seen: dict[Any, bool] = {}

    def cached(callable: Any) -> bool:  # noqa: A002 - Scrapy's name
        key = getattr(callable, "__func__", callable)
        if key not in seen:
            seen[key] = check(callable)
        return seen[key]

    misc.is_generator_with_return_value = cached


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawlers.run")
    parser.add_argument("--config", default=os.environ.get("PACSJOBS_CONFIG"))
    parser.add_argument("--source", action="append", default=[], required=True)
    parser.add_argument("--results", help="write skipped/failed sources here (JSON)")
    parser.add_argument("--log-file")
    args = parser.parse_args(argv)

    try:
        config = load_config(args.config)
        names = [config.source(name).name for name in args.source]
    except PacsjobsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    with contextlib.ExitStack() as stack:
        store = stack.enter_context(open_store(config.database_url,
                                               migrate_schema=os.environ.get(SCHEMA_READY_ENV) != "1"))
        held = stack.enter_context(HeldLocks(store, process_name()))
        outcome = _crawl(config, names, args.log_file, store, held)
    if args.results:
        Path(args.results).write_text(json.dumps(outcome))
    return 0


def _crawl(config: Any, names: list[str], log_file: str | None, store: Any,
           held: HeldLocks) -> dict[str, dict[str, str]]:
    """Crawl the sources whose locks we get; what was skipped or failed before crawling, by name."""
    settings = build_settings(config, log_file)
    _cache_callback_checks()
    if names and worker.workers_enabled(settings):
        # Started first: its start-up overlaps the set-up of the crawler (crawlers.worker).
        worker.start_worker(str(config.dir), config.database_url)
    hooks = _Hooks(config, store, held, SpiderLoader.from_settings(settings))
    process = CrawlerProcess(settings)
    deferred = process.crawl(BoardsSpider, sources=names, config=str(config.dir), hooks=hooks,
                             at_once=config.crawler.sources_at_once, per_host=config.crawler.sources_per_host)

    def crashed(failure: Any) -> None:
        logger.error("the crawl crashed", exc_info=(failure.type, failure.value, failure.getTracebackObject()))
        for name in names:
            if name not in hooks.begun and name not in hooks.outcome["skipped"]:
                hooks.failed(name, f"the crawl crashed: {failure.getErrorMessage()}")

    deferred.addErrback(crashed)
    try:
        process.start()
    finally:
        worker.stop_workers()  # after the work it was given: every batch is stored
    return hooks.outcome


class _Hooks:
    """What this process does as each board starts and ends (``crawlers.multiplex.Hooks``)."""

    def __init__(self, config: Any, store: Any, held: HeldLocks, loader: SpiderLoader):
        self.config, self.store, self.held, self.loader = config, store, held, loader
        self.outcome: dict[str, dict[str, str]] = {"skipped": {}, "failed": {}}
        self.begun: set[str] = set()

    def record(self, name: str, kind: str, line: str) -> None:
        self.outcome[kind][name] = line
        (logger.warning if kind == "skipped" else logger.error)("%s %s: %s", name, kind, line)

    def failed(self, name: str, line: str) -> None:
        self.record(name, "failed", line)

    def begin(self, name: str) -> Any:
        src = self.config.source(name)
        try:
            spidercls = self.loader.load(src.platform)
        except KeyError:
            self.record(name, "skipped", f"no spider for platform {src.platform!r} yet")
            return None
        try:
            spider = spidercls(source=name, config=str(self.config.dir))
        except PacsjobsError as exc:  # missing credentials, a source the spider cannot read: one line
            self.record(name, "skipped", str(exc))
            return None
        except Exception as exc:  # noqa: BLE001 - one broken spider must not stop the others
            logger.error("spider of %s cannot start", name, exc_info=True)
            self.record(name, "failed", f"{type(exc).__name__}: {exc}")
            return None
        if not self.held.take(crawl_lock(name)):
            self.record(name, "skipped", locked_message(self.store, self.held.holder(crawl_lock(name)), name))
            return None
        self.begun.add(name)
        return spider

    def end(self, name: str) -> None:
        self.held.release(crawl_lock(name))


if __name__ == "__main__":
    sys.exit(main())
