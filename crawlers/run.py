"""The crawl child process: ``python -m crawlers.run --config DIR --source A --source B``.

``pacsjobs crawl`` starts this (pacsjobs never imports Scrapy's reactor into its own process).
All sources run in one Scrapy process, one crawler each, a bounded number at a time
(``pacsjobs.crawl_plan``: ``[crawler] sources_at_once``, ``sources_per_host``). A source whose spider cannot start
(unknown platform spider, missing credentials: ``SourceError``) is skipped with its one line; the
others go on. So is a source whose crawl lock another crawl holds (one crawl of a source at a
time): the line names the holder. The locks are held until every posting is stored. ``--results FILE`` receives a JSON object ``{"skipped": {name: line}, "failed":
{name: line}}`` for the parent; every other outcome is in the ``crawl_runs`` table.
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
from crawlers.pipelines import SCHEMA_READY_ENV  # noqa: E402
from crawlers.settings import crawler_settings  # noqa: E402
from pacsjobs.config import SourceConfig, load_config  # noqa: E402
from pacsjobs.crawl import locked_message, process_name  # noqa: E402
from pacsjobs.crawl_plan import Plan  # noqa: E402
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


def _root_cause(failure: Any) -> BaseException:
    exc = failure.value
    # Scrapy may wrap the spider's own exception; the user's line is the innermost PacsjobsError.
    while not isinstance(exc, PacsjobsError) and (exc.__cause__ or exc.__context__):
        exc = exc.__cause__ or exc.__context__
    return exc


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
        # Started first: its start-up overlaps the set-up of the crawlers (crawlers.worker).
        worker.start_worker(str(config.dir), config.database_url)
    process = CrawlerProcess(settings)
    loader = SpiderLoader.from_settings(settings)
    outcome: dict[str, dict[str, str]] = {"skipped": {}, "failed": {}}

    def record(name: str, kind: str, line: str) -> None:
        outcome[kind][name] = line
        (logger.warning if kind == "skipped" else logger.error)("%s %s: %s", name, kind, line)

    plan = Plan([config.source(n) for n in names], at_once=config.crawler.sources_at_once,
                per_host=config.crawler.sources_per_host)

    def start_more(_: Any = None) -> Any:
        # Sources start as others end: memory stays that of a bounded number of crawlers.
        for src in plan.next_batch():
            deferred = start(src)
            if deferred is None:
                plan.done(src)
                continue

            def finished(result: Any, src: SourceConfig = src) -> Any:
                held.release(crawl_lock(src.name))
                plan.done(src)
                start_more()
                return result

            deferred.addBoth(finished)
        return _

    def start(src: SourceConfig) -> Any:
        name = src.name
        try:
            spidercls = loader.load(src.platform)
        except KeyError:
            record(name, "skipped", f"no spider for platform {src.platform!r} yet")
            return None
        # Build the spider once before its crawler: a spider that cannot start (SourceError) is
        # skipped here. Letting the first crawler fail inside Scrapy would leave the reactor
        # uninstalled and fail every source after it.
        try:
            spidercls(source=name, config=str(config.dir))
        except PacsjobsError as exc:
            record(name, "skipped", str(exc))
            return None
        except Exception as exc:  # noqa: BLE001 - one broken spider must not stop the others
            logger.error("spider of %s cannot start", name, exc_info=True)
            record(name, "failed", f"{type(exc).__name__}: {exc}")
            return None
        if not held.take(crawl_lock(name)):
            record(name, "skipped", locked_message(store, held.holder(crawl_lock(name)), name))
            return None
        deferred = process.crawl(spidercls, source=name, config=str(config.dir))

        def on_error(failure: Any, name: str = name) -> None:
            exc = _root_cause(failure)
            if isinstance(exc, PacsjobsError):
                record(name, "skipped", str(exc))
            else:
                logger.error("crawl of %s crashed", name, exc_info=(type(exc), exc, exc.__traceback__))
                record(name, "failed", f"{type(exc).__name__}: {exc}")

        deferred.addErrback(on_error)
        return deferred

    while len(plan) and not process.crawlers:
        start_more()  # until one crawler runs (or every source was skipped)

    try:
        if process.crawlers:
            process.start()
    finally:
        worker.stop_workers()  # after the work it was given: every batch is stored
    return outcome


if __name__ == "__main__":
    sys.exit(main())
