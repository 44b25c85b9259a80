"""Crawl history: runs start, count, finish; orphans of a dead crawl process are marked failed."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from pacsjobs.record import Posting
from pacsjobs.store import ORPHANED_MESSAGE, StoreError, open_store

T0 = datetime(2026, 11, 1, 6, 0, 0)


@pytest.fixture
def store(db_url):
    with open_store(db_url) as st:
        yield st


def dead_pid() -> int:
    """The pid of a process that has run and exited (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_run_lifecycle(store):
    run = store.start_run("usajobs", pid=os.getpid(), log_path="/var/log/pacsjobs/1.log", now=T0)
    (started,) = store.runs("usajobs")
    assert (started.id, started.status, started.complete, started.started_at, started.pid) == (
        run, "running", False, T0, os.getpid())
    assert started.log_path == "/var/log/pacsjobs/1.log" and started.finished_at is None
    store.upsert_postings([Posting(source="usajobs", source_id="812345600", url="https://www.usajobs.gov/job/812345600",
                                   title="IT Specialist (PACS)")], run_id=run, now=T0)
    store.finish_run(run, "succeeded", True, now=T0 + timedelta(minutes=3), requests=4, errors=0,
                     reported=1, fetched=1, requests_saved=2, message=None,
                     stats={"downloader/request_count": 4})
    (done,) = store.runs("usajobs")
    assert (done.status, done.complete, done.finished_at) == ("succeeded", True, T0 + timedelta(minutes=3))
    assert (done.requests, done.found, done.new, done.reported, done.fetched, done.requests_saved) == (
        4, 1, 1, 1, 1, 2)
    assert done.stats == {"downloader/request_count": 4}


def test_finish_run_refuses_bad_input(store):
    run = store.start_run("lever:acme", now=T0)
    with pytest.raises(StoreError, match="unknown run status 'done'"):
        store.finish_run(run, "done", True)
    with pytest.raises(StoreError, match="unknown crawl run field"):
        store.finish_run(run, "failed", False, pages=3)
    with pytest.raises(StoreError, match="no crawl run with id 999"):
        store.finish_run(999, "failed", False)
    assert store.runs("lever:acme")[0].status == "running"


def test_runs_newest_first_and_last_runs(store):
    ids = {}
    for minutes, source in [(0, "a"), (1, "b"), (2, "a"), (3, "c"), (4, "a")]:
        ids[(source, minutes)] = store.start_run(source, now=T0 + timedelta(minutes=minutes))
    assert [r.id for r in store.runs("a")] == [ids[("a", 4)], ids[("a", 2)], ids[("a", 0)]]
    assert [r.id for r in store.runs(limit=2)] == [ids[("a", 4)], ids[("c", 3)]]
    last = store.last_runs()
    assert {s: r.id for s, r in last.items()} == {"a": ids[("a", 4)], "b": ids[("b", 1)],
                                                  "c": ids[("c", 3)]}


def test_orphaned_runs_are_failed(store):
    now = T0 + timedelta(hours=3)
    dead = store.start_run("workday:clinic", pid=dead_pid(), now=T0)
    alive = store.start_run("workday:other", pid=os.getpid(), now=T0)
    old_no_pid = store.start_run("greenhouse:a", now=T0)
    fresh_no_pid = store.start_run("greenhouse:b", now=now - timedelta(minutes=5))
    finished = store.start_run("lever:c", pid=dead_pid(), now=T0)
    store.finish_run(finished, "succeeded", True, now=T0 + timedelta(minutes=1))

    assert store.fail_orphaned_runs(now=now, time_limit=3600) == 2
    status = {r.id: (r.status, r.message) for r in store.runs(limit=10)}
    assert status[dead] == ("failed", ORPHANED_MESSAGE)
    assert status[old_no_pid] == ("failed", ORPHANED_MESSAGE)
    assert status[alive] == ("running", None)
    assert status[fresh_no_pid] == ("running", None)
    assert status[finished] == ("succeeded", None)
    assert store.fail_orphaned_runs(now=now) == 0  # nothing left to mark
