"""Issue 11 §4: kill -9 of the crawl process, of its build worker, and of the whole process tree,
in the middle of a 300-posting crawl; then a normal re-crawl (SQLite and PostgreSQL).

Nothing is lost, nothing is stored twice, the killed run closes nothing and is shown as what it
is: failed (its parent saw it die); partial when it lost its worker with a chunk in hand, or
succeeded when the worker died between chunks and the crawl built the rest itself; or died until
the next crawl marks it failed (nobody was left to see it). An orphaned worker ends with its crawl.
"""

from __future__ import annotations

import contextlib
import os
import signal

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from pacsjobs.cli import main
from pacsjobs.config import load_config
from pacsjobs.crawl import run_crawl
from pacsjobs.store import ORPHANED_MESSAGE, open_store
from pacsjobs.store.models import CrawlRun
from tests.faults.lifecycle_boards import children, lever_routes, start_cli, wait_for
from tests.faults.lifecycle_db import assert_sound, open_postings
from tests.helpers import write_config

COUNT, PAGE = 300, 20


def _running_with(db_url: str, found: int) -> list[CrawlRun]:
    with open_store(db_url) as store, store.session() as session:
        return list(session.scalars(select(CrawlRun).where(CrawlRun.status == "running", CrawlRun.found >= found)))


def _worker(crawl_pid: int) -> int:
    return wait_for(lambda: next((pid for pid, cmd in children(crawl_pid) if "spawn_main" in cmd), None))


@pytest.mark.parametrize("target", ["crawl", "worker", "tree"])
def test_kill_9_mid_crawl_then_a_normal_recrawl(target, db_url, tmp_path, server):
    folder = write_config(tmp_path / "config", database_url=db_url, sources=[
        {"name": "ls", "platform": "lever", "site": "northstar-rad", "page_size": PAGE,
         "base_url": f"{server.url}/ls"}])
    server.routes(lever_routes("/ls", COUNT, PAGE, delay=0.3))
    cli = start_cli(folder, "crawl", "-q", "--log-dir", str(tmp_path / "logs"), PACSJOBS_BUILD_WORKERS="1")
    [killed] = wait_for(lambda: _running_with(db_url, 100), timeout=90)  # a chunk is stored, more to come
    worker = _worker(killed.pid)
    try:
        if target == "crawl":
            os.kill(killed.pid, signal.SIGKILL)
        elif target == "worker":
            os.kill(worker, signal.SIGKILL)
        else:
            os.kill(cli.pid, signal.SIGKILL)
            os.killpg(killed.pid, signal.SIGKILL)  # the crawl's own session: it and its worker
        out, err = cli.communicate(timeout=120)
        wait_for(lambda: not os.path.exists(f"/proc/{worker}") or _zombie(worker), timeout=30)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker, signal.SIGKILL)
    stored = open_postings(db_url).get("ls", set())
    assert 100 <= len(stored) <= COUNT

    if target == "tree":  # nobody was left to record the end: status tells the truth
        status = CliRunner().invoke(main, ["--config", str(folder), "status"], env={"COLUMNS": "250"})
        row = next(line for line in status.output.splitlines() if line.startswith("ls "))
        assert " died " in row and " running " not in row, status.output
    else:
        assert cli.returncode in (0, 1), err  # the summary was printed, the run recorded

    server.routes(lever_routes("/ls", COUNT, PAGE))
    [again] = run_crawl(load_config(folder), log_dir=tmp_path / "logs")
    assert again.status == "succeeded", again.message
    runs = {r.id: r for r in assert_sound(db_url, still_open={"ls": stored})}
    first = runs[killed.id]
    assert first.closed == 0
    if target == "worker" and first.status == "succeeded":
        # killed between chunks: the crawl built the rest itself and lost nothing, so it is complete
        assert len(stored) == COUNT and first.found == COUNT
    else:
        expected = {"crawl": ("failed", "crawl process ended (-9)"),
                    "worker": ("partial", "could not build"),  # killed with a chunk in hand
                    "tree": ("failed", ORPHANED_MESSAGE)}[target]
        assert first.status == expected[0] and expected[1] in first.message, (first.status, first.message)
    assert len(open_postings(db_url)["ls"]) == COUNT  # nothing lost
    assert again.closed == 0


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True
