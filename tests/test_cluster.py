"""Crawling on Scrapyd nodes: two real Scrapyd processes on loopback, the local board server and
the local PostgreSQL as the shared store. Skips with a reason where PostgreSQL is absent."""

from __future__ import annotations

import threading
import time

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from pacsjobs.cli import main
from pacsjobs.cluster import deploy as deploy_module
from pacsjobs.cluster.client import NodeError, ScrapydNode
from pacsjobs.cluster.deploy import deploy
from pacsjobs.cluster.dispatch import LOST_MESSAGE, dispatch, node_settings
from pacsjobs.config import load_config, source_entry, source_from_entry
from pacsjobs.errors import ConfigError, PacsjobsError
from pacsjobs.paths import DEFAULTS
from pacsjobs.store import open_store
from pacsjobs.store.models import CrawlRun, PostingRow
from tests.helpers import free_port, write_config
from tests.scrapyd_nodes import ScrapydProcess

BOARDS = ["alpha", "bravo", "charlie", "delta"]
JOBS_PER_BOARD = 5  # tests/fixtures/greenhouse/board.json


def _sources(server) -> list[dict]:
    return [{"name": f"greenhouse:{b}", "platform": "greenhouse", "employer": f"{b.title()} Imaging",
             "board": b, "base_url": server.url} for b in BOARDS]


def _routes(server, delay: float = 0.0) -> None:
    server.routes([{"path": f"/v1/boards/{b}/jobs", "file": "greenhouse/board.json", "delay": delay}
                   for b in BOARDS])


def _config(tmp_path, server, db_url, nodes, **cluster):
    folder = write_config(tmp_path / "config", sources=_sources(server), database_url=db_url,
                          cluster={"nodes": [n.url for n in nodes], "poll_seconds": 0.3,
                                   "node_timeout": 2.0, **cluster})
    return load_config(folder)


@pytest.fixture
def nodes(tmp_path):
    started = [ScrapydProcess(tmp_path / f"node{i}") for i in range(2)]
    yield started
    for node in started:
        node.stop()


# --- configuration -------------------------------------------------------------------------------

def test_cluster_settings_are_checked(tmp_path):
    with pytest.raises(ConfigError, match="cluster.nodes: must be a list of Scrapyd URLs"):
        load_config(write_config(tmp_path / "a", cluster={"nodes": ["not a url"]}))
    with pytest.raises(ConfigError, match=r"cluster.password: node credentials are read only from \$PACSJOBS_SCRAPYD"):
        load_config(write_config(tmp_path / "b", cluster={"password": "x"}))


def test_a_sqlite_database_with_nodes_is_one_clear_error(tmp_path):
    config = load_config(write_config(tmp_path / "c", cluster={"nodes": ["http://127.0.0.1:6800"]}))
    with pytest.raises(PacsjobsError) as err:
        dispatch(config)
    assert str(err.value) == ("the cluster needs a shared PostgreSQL database, not sqlite: set [database] url "
                              "or $PACSJOBS_DATABASE_URL to a postgresql+psycopg:// URL every node can reach")
    result = CliRunner().invoke(main, ["--config", str(tmp_path / "c"), "crawl", "--cluster"])
    assert result.exit_code == 1 and result.stderr.startswith("error: the cluster needs a shared PostgreSQL")


def test_every_registry_entry_travels_to_a_node_unchanged():
    for src in load_config(DEFAULTS).sources:
        assert source_from_entry(source_entry(src), "sent") == src


def test_a_nodes_job_gets_the_crawlers_politeness_and_the_shared_database(tmp_path):
    config = load_config(write_config(tmp_path / "d", database_url="postgresql+psycopg://u@db/pacsjobs",
                                      crawler={"contact": "ops@example.org", "download_delay": 2.5}))
    settings = node_settings(config)
    assert settings["PACSJOBS_DATABASE_URL"] == "postgresql+psycopg://u@db/pacsjobs"
    assert settings["DOWNLOAD_DELAY"] == 2.5 and "ops@example.org" in settings["USER_AGENT"]
    assert "PACSJOBS_CONFIG" not in settings


def test_a_node_that_does_not_answer(tmp_path):
    node = ScrapydNode(f"http://127.0.0.1:{free_port()}", timeout=2)
    with pytest.raises(NodeError) as err:
        node.daemonstatus()
    assert err.value.unreachable and "not answering" in str(err.value)


# --- real Scrapyd nodes --------------------------------------------------------------------------

def _runs(db_url) -> list[CrawlRun]:
    with open_store(db_url) as store, store.session() as s:
        return list(s.scalars(select(CrawlRun).order_by(CrawlRun.id)))


def _postings_per_source(db_url) -> dict[str, int]:
    with open_store(db_url) as store, store.session() as s:
        return dict(s.execute(select(PostingRow.source, func.count()).group_by(PostingRow.source)).all())


def test_deploy_then_dispatch_over_two_nodes(tmp_path, server, pg_url, nodes):
    _routes(server, delay=0.5)
    config = _config(tmp_path, server, pg_url, nodes)
    reports = deploy(config)
    assert [(r.node, r.ok) for r in reports] == [(n.url, True) for n in nodes]
    results = dispatch(config)
    assert [(r.source, r.status, r.found) for r in results] == [(f"greenhouse:{b}", "succeeded", 5) for b in BOARDS]
    runs = _runs(pg_url)
    assert sorted(r.source for r in runs) == sorted(f"greenhouse:{b}" for b in BOARDS)  # one run each
    assert all(r.status == "succeeded" and r.complete for r in runs)
    assert _postings_per_source(pg_url) == {f"greenhouse:{b}": JOBS_PER_BOARD for b in BOARDS}
    # balanced: both nodes crawled
    used = [n for n in nodes if ScrapydNode(n.url).listjobs("pacsjobs")]
    assert len(used) == 2


def test_a_node_killed_mid_crawl_has_its_sources_crawled_by_the_other(tmp_path, server, pg_url, nodes):
    _routes(server, delay=4.0)  # long enough to kill a node while its crawls wait for the boards
    config = _config(tmp_path, server, pg_url, nodes)
    assert all(r.ok for r in deploy(config))
    victim = nodes[0]

    def kill_when_busy() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if any(j.state == "running" for j in ScrapydNode(victim.url).listjobs("pacsjobs")):
                    time.sleep(0.5)
                    victim.kill()
                    return
            except NodeError:
                return
            time.sleep(0.2)

    killer = threading.Thread(target=kill_when_busy)
    killer.start()
    results = dispatch(config)
    killer.join()
    assert [(r.source, r.status) for r in results] == [(f"greenhouse:{b}", "succeeded") for b in BOARDS]
    runs = _runs(pg_url)
    lost = [r for r in runs if r.status == "failed"]
    assert lost and all(r.message.startswith(LOST_MESSAGE) and not r.complete and r.closed == 0 for r in lost)
    assert all(r.status in ("succeeded", "failed") for r in runs)  # none left "running"
    assert _postings_per_source(pg_url) == {f"greenhouse:{b}": JOBS_PER_BOARD for b in BOARDS}


def test_a_node_with_another_pacsjobs_version_is_refused_in_one_line(tmp_path, server, pg_url, nodes, monkeypatch):
    config = _config(tmp_path, server, pg_url, nodes[:1])
    monkeypatch.setattr(deploy_module, "egg_version", lambda: "9.9.9")
    (report,) = deploy(config)
    assert not report.ok
    assert "version mismatch: this node has pacsjobs 0.1.0, the deployed crawlers are pacsjobs 9.9.9: " \
           "install pacsjobs==9.9.9 on the node" in report.message


def test_the_same_source_on_two_nodes_at_once_stores_each_posting_once(tmp_path, server, pg_url, nodes):
    """A re-dispatched source whose first job still runs: two writers of the same postings."""
    _routes(server, delay=0.5)
    config = _config(tmp_path, server, pg_url, nodes)
    assert all(r.ok for r in deploy(config))
    src = config.source("greenhouse:alpha")
    import json

    with open_store(pg_url) as store:
        run_ids = [store.start_run(src.name) for _ in nodes]
    for node, run_id in zip(nodes, run_ids, strict=True):
        ScrapydNode(node.url).schedule("pacsjobs", "greenhouse", "0.1.0", settings=node_settings(config),
                                       source=src.name, run_id=str(run_id), source_json=json.dumps(source_entry(src)))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(r.status == "running" for r in _runs(pg_url)):
        time.sleep(0.3)
    runs = _runs(pg_url)
    assert [r.id for r in runs] == run_ids and all(r.status != "running" for r in runs)
    assert _postings_per_source(pg_url) == {src.name: JOBS_PER_BOARD}


def test_the_cluster_commands_deploy_show_and_crawl(tmp_path, server, pg_url, nodes):
    _routes(server)
    config = _config(tmp_path, server, pg_url, nodes)
    folder = str(config.dir)
    runner = CliRunner()
    deployed = runner.invoke(main, ["--config", folder, "cluster", "deploy"])
    assert deployed.exit_code == 0, deployed.output
    assert deployed.output.splitlines() == [f"{n.url}: ok: pacsjobs 0.1.0: {len(deployed_spiders(n))} spiders"
                                            for n in nodes]
    crawled = runner.invoke(main, ["--config", folder, "crawl", "--cluster", "-q"])
    assert crawled.exit_code == 0, crawled.output
    assert all(f"greenhouse:{b}" in crawled.output for b in BOARDS) and "succeeded" in crawled.output
    status = runner.invoke(main, ["--config", folder, "cluster", "status"])
    assert status.exit_code == 0, status.output
    lines = status.output.splitlines()
    assert len(lines) == len(nodes) and all(line.startswith(f"{n.url}: ") for line, n in zip(lines, nodes, strict=True))
    assert sum(int(line.split("running, ")[1].split(" finished")[0]) for line in lines) == len(BOARDS)
    assert _postings_per_source(pg_url) == {f"greenhouse:{b}": JOBS_PER_BOARD for b in BOARDS}


def deployed_spiders(node) -> list[str]:
    return ScrapydNode(node.url).listspiders("pacsjobs")
