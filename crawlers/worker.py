"""The build worker of a crawl process: one process beside the crawler that builds, stores and
links the postings of every source the process crawls.

Why a process: the crawler's own thread is what limits a crawl's rate, so it only fetches and
parses pages; normalizing, classifying, storing and duplicate linking run on another core.

Why one, shared by every crawler of the process: batches of a source are stored in order and
duplicate linking must not race with itself; and ``pacsjobs crawl`` runs every source in one
process, where a worker per source would cost a second of start-up and about 120 MB each.

``crawlers.run`` starts it with the process (``start_worker``), so its start-up (importing the
library, loading the vocabulary, opening the database) overlaps the crawler's own instead of
competing with the first pages. A pipeline uses the running one (``running_worker``), or starts it
on demand when its crawl grows past a few postings (``scrapy crawl`` by hand). It is stopped at exit.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing
import os
import sys
import threading
import time
import types
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from pacsjobs.understand.process import init_worker, worker_pid

logger = logging.getLogger(__name__)

PARENT_CHECK_SECONDS = 0.5
WORKERS_SETTING = "PACSJOBS_BUILD_WORKERS"  # 0: build in the crawler's process; else one worker

_POOLS: dict[tuple[str, str], ProcessPoolExecutor] = {}


def _key(config_dir: str, database_url: str) -> tuple[str, str]:
    return str(Path(config_dir).resolve()), database_url


def workers_enabled(settings: Any = None) -> bool:
    """Whether postings go to a worker: not on one core, nor when the setting (or env) says 0."""
    default = int(os.environ.get(WORKERS_SETTING, -1))
    workers = settings.getint(WORKERS_SETTING, default) if settings is not None else default
    if workers >= 0:
        return workers > 0
    return (os.cpu_count() or 1) > 1


def start_worker(config_dir: str, database_url: str) -> ProcessPoolExecutor:
    """The worker for this config and database, started now if it is not running yet."""
    key = _key(config_dir, database_url)
    pool = _POOLS.get(key)
    if pool is not None:
        return pool
    # "spawn": a fresh interpreter; forking a process that runs a reactor and database
    # connections is not safe.
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init, initargs=(*key, os.getpid()))
    with _bare_main():
        pool.submit(worker_pid)  # starts the process now: its start-up runs while the crawler sets up
    if not _POOLS:
        atexit.register(stop_workers)
    _POOLS[key] = pool
    logger.info("build worker started for %s", database_url)
    return pool


def _init(config_dir: str, database_url: str, parent: int) -> None:
    """In the worker: end with the crawl process, then set up as ``init_worker`` does."""
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True, name="parent-watch").start()
    init_worker(config_dir, database_url)


def _exit_with_parent(parent: int) -> None:
    # A crawl process killed with -9 cannot stop its worker, and the worker would wait for work
    # forever (it holds its own end of the task queue). When the parent is gone it goes too: the
    # chunk it was storing is rolled back with its connection, and the next crawl stores it.
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


@contextlib.contextmanager
def _bare_main() -> Iterator[None]:
    """A spawned process first imports its parent's ``__main__``: for ``crawlers.run`` that is
    Scrapy and Twisted (half a second and 30 MB the worker never uses). While the worker is
    spawned, ``__main__`` is a bare module, so the worker imports only what its calls need."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


def running_worker(config_dir: str, database_url: str) -> ProcessPoolExecutor | None:
    """The worker for this config and database if one was started, else None."""
    return _POOLS.get(_key(config_dir, database_url))


def forget_worker(pool: ProcessPoolExecutor) -> None:
    """Drop a broken worker, so the next ``start_worker`` starts a new one."""
    for key, value in list(_POOLS.items()):
        if value is pool:
            del _POOLS[key]
    pool.shutdown(wait=False, cancel_futures=True)


def stop_workers() -> None:
    """Stop every worker after the work it was given (it closes its database connections)."""
    while _POOLS:
        _key, pool = _POOLS.popitem()
        pool.shutdown(wait=True)
