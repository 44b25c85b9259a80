"""The real scheduler in a subprocess, on second-level schedules, crawling the local server.

Asserts runs recorded, next run times kept across a restart, one scheduler per database, a
clean stop on SIGTERM (a crawl in flight recorded as interrupted) and orphaned runs failed.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from click.testing import CliRunner
from sqlalchemy import select

from pacsjobs.cli import main
from pacsjobs.config import load_config
from pacsjobs.record import Posting
from pacsjobs.schedule import JOBS_TABLE, _scheduler
from pacsjobs.store.models import CrawlRun, PostingRow
from tests.helpers import write_config

store_mod = pytest.importorskip("pacsjobs.store", reason="pacsjobs.store (store helper) not present")
pytest.importorskip("pacsjobs.crawl", reason="pacsjobs.crawl (crawl helper) not present")

PAGE = "/schedule/pacs-administrator.html"
SOURCE = "jsonld:lakeshore"
YEARLY = "0 0 1 1 *"  # never fires during a test
PACSJOBS = [sys.executable, "-c", "from pacsjobs.cli import main; main()"]


def make_config(tmp_path: Path, url: str, crawl: str = YEARLY, database_url: str | None = None) -> Path:
    return write_config(tmp_path / "cfg", database_url=database_url,
                        sources=[{"name": SOURCE, "platform": "jsonld", "urls": [url]}],
                        schedule={"timezone": "UTC", "crawl": crawl, "digest": YEARLY,
                                  "misfire_grace_time": 60})


class Scheduler:
    """``pacsjobs schedule`` in a child process; its log is a file."""

    def __init__(self, cfg: Path, name: str = "scheduler"):
        self.log = cfg.parent / f"{name}.log"
        env = {k: v for k, v in os.environ.items() if k not in ("PACSJOBS_DATABASE_URL", "PACSJOBS_CONFIG")}
        # its own session: a "Ctrl-C" can go to its process group, as a terminal sends it
        self.proc = subprocess.Popen([*PACSJOBS, "--config", str(cfg), "schedule"], cwd=cfg.parent, env=env,
                                     stdout=subprocess.DEVNULL, stderr=self.log.open("w"),
                                     start_new_session=True)

    def text(self) -> str:
        return self.log.read_text()

    def wait_started(self, timeout: float = 20) -> None:
        wait_for(lambda: "scheduler started" in self.text() or self.proc.poll() is not None, timeout)
        assert "scheduler started" in self.text(), self.text()

    def stop(self, timeout: float = 40, ctrl_c: bool = False) -> int:
        if self.proc.poll() is None and ctrl_c:
            os.killpg(self.proc.pid, signal.SIGINT)  # the scheduler and its crawl, like a terminal
        elif self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise


@pytest.fixture
def schedulers():
    started: list[Scheduler] = []
    yield started
    for s in started:  # a failed test must not leave schedulers (or their crawls) behind
        if s.proc.poll() is None:
            s.proc.kill()
            s.proc.wait(10)


def wait_for(predicate, timeout: float, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def runs(url: str) -> list[CrawlRun]:
    with store_mod.open_store(url) as store:
        return store.runs(SOURCE)


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.mark.parametrize("ctrl_c", [False, True], ids=["sigterm", "ctrl-c"])
def test_stop_interrupts_a_running_crawl_and_closes_nothing(tmp_path, server, schedulers, ctrl_c):
    server.routes([{"method": "GET", "path": "/schedule/slow.html", "file": PAGE.lstrip("/"), "delay": 2}])
    cfg = make_config(tmp_path, server.url + "/schedule/slow.html", crawl="*/2 * * * * *")
    db = load_config(cfg).database_url
    with store_mod.open_store(db) as store:  # a posting the slow page does not list
        store.upsert_postings([Posting(source=SOURCE, source_id="OLD-1", url="https://e.org/old",
                                       title="PACS Analyst", is_pacs_role=True)])
    sched = Scheduler(cfg)
    schedulers.append(sched)
    assert wait_for(lambda: any(e["path"] == "/schedule/slow.html" for e in server.log()), 40), sched.text()
    assert [r.status for r in runs(db)] == ["running"]
    started = time.monotonic()
    assert sched.stop(ctrl_c=ctrl_c) == 0, sched.text()
    assert time.monotonic() - started < 30
    (run,) = runs(db)
    assert (run.status, run.complete) == ("interrupted", False), sched.text()
    with store_mod.open_store(db) as store, store.session() as session:
        old = session.scalars(select(PostingRow).where(PostingRow.source_id == "OLD-1")).one()
        assert old.closed_at is None  # an interrupted crawl proves nothing about what vanished


def _jobstore(store, cfg: Path) -> SQLAlchemyJobStore:
    jobstore = SQLAlchemyJobStore(engine=store.engine, tablename=JOBS_TABLE)
    jobstore.start(_scheduler(load_config(cfg), store, ZoneInfo("UTC")), "default")
    return jobstore


def test_next_run_times_survive_a_restart_and_the_crawl_runs(tmp_path, server, schedulers):
    cfg = make_config(tmp_path, server.url + PAGE)
    db = load_config(cfg).database_url
    runner = CliRunner()
    listing = runner.invoke(main, ["--config", str(cfg), "schedule", "--list"], env={"COLUMNS": "200"})
    assert listing.exit_code == 0, listing.output
    new_year = f"{datetime.now(ZoneInfo('UTC')).year + 1}-01-01 00:00:00"
    assert re.search(rf"crawl:default\s.*{new_year}\s", listing.output)
    assert "(stored)" not in listing.output

    sched = Scheduler(cfg, "first")
    schedulers.append(sched)
    sched.wait_started()
    assert sched.stop() == 0, sched.text()

    # Move the stored crawl to two seconds from now: only a kept next run time can fire it.
    soon = (datetime.now(ZoneInfo("UTC")) + timedelta(seconds=2)).replace(microsecond=0)
    with store_mod.open_store(db) as store:
        jobstore = _jobstore(store, cfg)
        job = jobstore.lookup_job("crawl:default")
        assert job.next_run_time.strftime("%Y-%m-%d %H:%M:%S") == new_year
        job._modify(next_run_time=soon)
        jobstore.update_job(job)
    listing = runner.invoke(main, ["--config", str(cfg), "schedule", "--list"], env={"COLUMNS": "200"})
    assert re.search(rf"crawl:default\s.*{soon:%Y-%m-%d %H:%M:%S} \(stored\)", listing.output), listing.output

    sched = Scheduler(cfg, "second")
    schedulers.append(sched)
    sched.wait_started()
    assert "job crawl:default kept" in sched.text()
    done = wait_for(lambda: [r for r in runs(db) if r.status == "succeeded"], timeout=40)
    assert len(done) == 1, sched.text()
    assert done[0].complete and done[0].found == 1 and done[0].new == 1
    assert sched.stop() == 0, sched.text()
    assert "scheduler stopped" in sched.text()
    with store_mod.open_store(db) as store, store.session() as session:
        row = session.scalars(select(PostingRow).where(PostingRow.source == SOURCE)).one()
        assert (row.title, row.state, row.salary_annual_min) == ("PACS Administrator", "OH", 82000)
    with store_mod.open_store(db) as store:  # after its run the job is back on its cron
        assert _jobstore(store, cfg).lookup_job("crawl:default").next_run_time.strftime(
            "%Y-%m-%d %H:%M:%S") == new_year


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_one_scheduler_per_database_and_orphans_failed(tmp_path, server, schedulers, backend, request):
    database_url = request.getfixturevalue("pg_url") if backend == "postgresql" else None
    cfg = make_config(tmp_path, server.url + PAGE, database_url=database_url)
    db = load_config(cfg).database_url
    with store_mod.open_store(db) as store:  # a crawl whose process was kill -9'd
        orphan = store.start_run(SOURCE, pid=dead_pid())

    first = Scheduler(cfg, "first")
    schedulers.append(first)
    first.wait_started()
    (run,) = [r for r in runs(db) if r.id == orphan]
    assert run.status == "failed" and run.finished_at is not None

    second = Scheduler(cfg, "second")
    schedulers.append(second)
    assert second.proc.wait(30) == 1
    assert re.search(rf"^error: another scheduler is running \(pid {first.proc.pid} on ", second.text(), re.M), \
        second.text()

    status = CliRunner().invoke(main, ["--config", str(cfg), "status"], env={"COLUMNS": "200"})
    assert f"scheduler: running (pid {first.proc.pid} on " in status.output

    # kill -9: the lock dies with its holder, and the next scheduler takes over
    first.proc.kill()
    first.proc.wait(10)
    third = Scheduler(cfg, "third")
    schedulers.append(third)
    third.wait_started()
    assert third.stop() == 0, third.text()
    status = CliRunner().invoke(main, ["--config", str(cfg), "status"], env={"COLUMNS": "200"})
    assert "scheduler: not running" in status.output


def test_bad_cron_is_one_line(tmp_path, server):
    cfg = write_config(tmp_path / "cfg", schedule={"crawl": "every six hours"},
                       sources=[{"name": SOURCE, "platform": "jsonld", "urls": [server.url + PAGE]}])
    result = CliRunner().invoke(main, ["--config", str(cfg), "schedule", "--list"])
    assert result.exit_code == 1
    assert result.output == (f"error: {cfg / 'pacsjobs.toml'}: schedule.crawl: invalid cron expression "
                             "'every six hours': has 3 fields; expected 5 (minute hour day month weekday) "
                             "or 6 (with seconds first)\n")


def test_status_lists_last_runs(tmp_path, server):
    cfg = make_config(tmp_path, server.url + PAGE)
    db = load_config(cfg).database_url
    with store_mod.open_store(db) as store:
        first = store.start_run(SOURCE)
        store.finish_run(first, "failed", False, message="boom")
        second = store.start_run(SOURCE)
        store.finish_run(second, "succeeded", True, found=7, new=3, updated=1, unchanged=3, closed=2)
    result = CliRunner().invoke(main, ["--config", str(cfg), "status"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith(SOURCE))
    cells = [c.strip() for c in line.split("│")]
    assert cells[3:11] == ["succeeded", "0", "7", "3", "1", "3", "2", "0"]
    assert re.search(r"^guide\s+│ never", result.output, re.M)
    assert "scheduler: not running" in result.output
