"""Issue 11 §2: two ``pacsjobs crawl`` of one source at once (real processes, a 300-posting board).

The second finds the source locked, says who holds it and skips it; each process reports only the
run it started; the first's live run is not marked failed; every posting is stored once.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from pacsjobs.config import load_config
from pacsjobs.store import open_store
from pacsjobs.store.models import CrawlRun
from tests.faults.lifecycle_boards import greenhouse_route, start_cli, wait_for
from tests.faults.lifecycle_db import assert_sound, open_postings
from tests.helpers import write_config
from tests.test_cli_crawl import table_row

COUNT = 300


def _running(db_url: str) -> list[CrawlRun]:
    with open_store(db_url) as store, store.session() as session:
        return list(session.scalars(select(CrawlRun).where(CrawlRun.status == "running")))


def test_a_second_crawl_of_a_locked_source_skips_it_naming_the_holder(db_url, tmp_path, server):
    folder = write_config(tmp_path / "config", database_url=db_url, sources=[
        {"name": "gh", "platform": "greenhouse", "board": "meridianimaging", "base_url": f"{server.url}/gh"}])
    load_config(folder)
    server.routes([greenhouse_route("/gh", COUNT, delay=8.0, times=1), greenhouse_route("/gh", COUNT)])
    # the first crawl holds the lock while its answer is delayed

    first = start_cli(folder, "crawl", "-q", "--log-dir", str(tmp_path / "logs1"))
    [live] = wait_for(lambda: _running(db_url))
    second = start_cli(folder, "crawl", "-q", "--log-dir", str(tmp_path / "logs2"))
    out2, err2 = second.communicate(timeout=120)
    out1, err1 = first.communicate(timeout=120)
    assert (first.returncode, second.returncode) == (0, 0), (err1, err2)

    assert table_row(out1, "gh")[1:] == ["2", str(COUNT), str(COUNT), "0", "0", "0", "0", "succeeded"]
    # the second reports its own outcome (nothing crawled), not the first one's numbers
    assert table_row(out2, "gh")[1:] == ["0", "0", "0", "0", "0", "0", "0", "skipped"]
    line = next(x for x in out2.splitlines() if x.startswith("gh: skipped: "))
    holder = re.search(r"another crawl of gh is running \(pid (\d+) on (\S+), run (\d+) started ", line)
    assert holder, line
    assert (int(holder[1]), holder[2], int(holder[3])) == (live.pid, live.host, live.id)

    runs = assert_sound(db_url)
    assert [(r.id, r.status) for r in runs] == [(live.id, "succeeded")]  # not marked failed by the other
    assert len(open_postings(db_url)["gh"]) == COUNT

    # the lock went with its holder: the next crawl of the source runs
    again = start_cli(folder, "crawl", "-q", "--log-dir", str(tmp_path / "logs3"))
    out3, err3 = again.communicate(timeout=120)
    assert table_row(out3, "gh")[-1] == "succeeded", err3
    assert len(open_postings(db_url)["gh"]) == COUNT


def test_a_crawl_reports_its_own_run_not_a_later_one_of_another_process(db_url, tmp_path, server):
    """Another process's run of the same source, started while ours runs (``scrapy crawl`` by hand
    takes no lock), is neither reported as ours nor marked failed by us."""
    import os
    import socket
    import threading

    from pacsjobs.crawl import run_crawl

    folder = write_config(tmp_path / "config", database_url=db_url, sources=[
        {"name": "gh", "platform": "greenhouse", "board": "meridianimaging", "base_url": f"{server.url}/gh"}])
    config = load_config(folder)
    server.routes([greenhouse_route("/gh", 40, delay=3.0)])
    results = []
    crawl = threading.Thread(target=lambda: results.extend(run_crawl(config, log_dir=tmp_path / "logs")))
    crawl.start()
    [ours] = wait_for(lambda: _running(db_url))
    with open_store(db_url) as store:
        other = store.start_run("gh", pid=os.getpid(), host=socket.gethostname())  # alive: this process
    crawl.join(120)
    [result] = results
    assert (result.run_id, result.status, result.found) == (ours.id, "succeeded", 40)
    with open_store(db_url) as store, store.session() as session:
        assert session.get(CrawlRun, other).status == "running"  # still running: not ours to end


def test_two_writers_without_the_lock_store_every_posting_once(db_url, tmp_path, server):
    """``scrapy crawl`` by hand takes no lock: two at once race on every insert. Each stores
    what it found (a batch that lost the race is done again): no error, nothing lost or doubled."""
    import subprocess
    import sys

    from tests.faults.lifecycle_boards import ROOT, cli_env

    folder = write_config(tmp_path / "config", database_url=db_url, sources=[
        {"name": "gh", "platform": "greenhouse", "board": "meridianimaging", "base_url": f"{server.url}/gh"}])
    open_store(db_url).close()  # migrated once here, not by both at once
    server.routes([greenhouse_route("/gh", COUNT, delay=3.0)])  # both get the board at about the same time
    env = cli_env(PACSJOBS_CONFIG=str(folder), PACSJOBS_BUILD_WORKERS="0")
    cmd = [sys.executable, "-m", "scrapy", "crawl", "greenhouse", "-a", "source=gh", "-a", f"config={folder}",
           "-s", "LOG_LEVEL=INFO"]
    procs = [subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    errs = [p.communicate(timeout=180)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e[-1500:] for e in errs]
    runs = assert_sound(db_url)
    assert [(r.status, r.found, r.closed) for r in runs] == [("succeeded", COUNT, 0)] * 2
    assert sum(r.new for r in runs) == COUNT
    assert len(open_postings(db_url)["gh"]) == COUNT
