"""End to end: ``run_crawl`` against the local HTTP server into a real SQLite file.

The site (tests/fixtures/jsonld/site/) is a listing page linking to three posting pages, plus a
sitemap. Each crawl is a real child process (``python -m crawlers.run``), so these tests cost a few
seconds each; scenarios are grouped to keep the count of crawls low.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from pacsjobs.config import load_config
from pacsjobs.crawl import CrawlResult, run_crawl
from pacsjobs.errors import SourceError
from pacsjobs.sources import PLATFORMS
from pacsjobs.store import open_store
from pacsjobs.store.models import CrawlRun, PostingRow
from tests.helpers import write_config

LISTING = "/jsonld/site/careers.html"
PACS = "/jsonld/site/jobs/pacs-administrator.html"
ANALYST = "/jsonld/site/jobs/imaging-informatics-analyst.html"
NURSE = "/jsonld/site/jobs/registered-nurse.html"
HTML = "text/html; charset=utf-8"
ROOT = Path(__file__).resolve().parent.parent  # where scrapy.cfg is


def harbor(server, **extra):
    entry = {"name": "harbor", "platform": "jsonld", "employer": "Harbor Valley Health",
             "urls": [server.url + LISTING], "follow": "/jobs/"}
    entry.update(extra)
    return entry


@pytest.fixture
def config_dir(tmp_path, server):
    return write_config(tmp_path / "config", sources=[harbor(server)])


def crawl(folder, sources=None, **kw) -> dict[str, CrawlResult]:
    config = load_config(folder)
    return {r.source: r for r in run_crawl(config, sources, log_dir=folder / "logs", **kw)}


def rows(folder) -> dict[str, PostingRow]:
    config = load_config(folder)
    with open_store(config.database_url) as store, store.session() as session:
        return {r.source_id: r for r in session.scalars(select(PostingRow))}


def run_row(folder, run_id: int) -> CrawlRun:
    config = load_config(folder)
    with open_store(config.database_url) as store, store.session() as session:
        return session.get(CrawlRun, run_id)


def requests_to(server, path: str) -> int:
    return sum(1 for entry in server.log() if entry["path"] == path)


def test_crawl_recrawl_change_and_close(config_dir, server):
    # 1. first crawl: three postings stored, field by field
    first = crawl(config_dir)["harbor"]
    assert (first.status, first.found, first.new, first.updated, first.closed) == ("succeeded", 3, 3, 0, 0)
    assert first.requests == 5  # robots.txt, listing, three posting pages
    stored = rows(config_dir)
    assert sorted(stored) == ["HVH-1001", "HVH-1002", "HVH-1003"]
    pacs = stored["HVH-1001"]
    assert pacs.source == "harbor"
    assert pacs.url == server.url + PACS
    assert pacs.title == "PACS Administrator"
    assert pacs.employer == "Harbor Valley Health"
    assert pacs.location_text == "Portland, ME 04102"
    assert (pacs.city, pacs.state, pacs.postal_code, pacs.country) == ("Portland", "ME", "04102", "US")
    assert pacs.employment_type == "full_time"
    assert (pacs.salary_min, pacs.salary_max, pacs.salary_currency, pacs.salary_period) == (
        84000, 99500, "USD", "year")
    assert (pacs.salary_annual_min, pacs.salary_annual_max, pacs.salary_source) == (84000, 99500, "structured")
    assert pacs.salary_raw == "84000-99500 USD YEAR"
    assert (pacs.date_posted, pacs.date_posted_raw) == (date(2026, 11, 16), "2026-11-16")
    assert pacs.valid_through == date(2026, 12, 31)
    assert "<script" not in pacs.description_html and "<strong>PACS Administrator</strong>" in pacs.description_html
    assert "alert" not in pacs.description_text and "DICOM routing" in pacs.description_text
    assert pacs.is_pacs_role is True and pacs.relevance >= 0.5
    assert {"PACS", "DICOM", "HL7"} <= set(pacs.skills)
    assert pacs.certifications == ["ARRT"]
    assert (pacs.degree, pacs.years_experience_min) == ("bachelor", 3)
    assert pacs.first_seen_at == pacs.last_seen_at and pacs.closed_at is None
    analyst = stored["HVH-1002"]
    assert (analyst.workplace, analyst.country, analyst.location_text) == ("remote", "US", None)
    assert (analyst.salary_period, analyst.salary_annual_min, analyst.salary_annual_max) == ("hour", 83200, 99840)
    nurse = stored["HVH-1003"]
    assert (nurse.is_pacs_role, nurse.employment_type, nurse.salary_min) == (False, "part_time", None)
    run = run_row(config_dir, first.run_id)
    assert (run.status, run.complete, run.fetched, run.reported) == ("succeeded", True, 3, None)
    assert run.log_path and run.stats["pacsjobs/not_pacs"] == 1
    agents = {e["headers"].get("user-agent") for e in server.log()}
    assert agents == {"pacsjobs/0.1.0 (+mailto:tests@example.org)"}

    # 2. the same site again: nothing new, nothing duplicated, last_seen moves
    second = crawl(config_dir)["harbor"]
    assert (second.status, second.found, second.new, second.updated, second.unchanged) == (
        "succeeded", 3, 0, 0, 3)
    again = rows(config_dir)
    assert len(again) == 3
    assert again["HVH-1001"].first_seen_at == pacs.first_seen_at
    assert again["HVH-1001"].last_seen_at > pacs.last_seen_at

    # 3. the nurse is gone from the listing, but the analyst page fails every retry: the crawl is
    #    partial and closes nothing
    server.routes([{"path": LISTING, "file": "jsonld/site/careers-without-nurse.html"},
                   {"path": ANALYST, "status": 500, "text": "Internal Server Error"}])
    third = crawl(config_dir)["harbor"]
    assert (third.status, third.closed, third.found) == ("partial", 0, 1)
    assert "incomplete: request failed" in third.message
    assert requests_to(server, ANALYST) == 2 + 1 + 2  # two crawls, then 1 try + retry_times=2
    assert all(r.closed_at is None for r in rows(config_dir).values())

    # 4. complete again, with one posting changed (pay): one update, and the nurse is closed
    server.routes([{"path": PACS, "file": "jsonld/site/jobs/pacs-administrator-changed.html"},
                   {"path": LISTING, "file": "jsonld/site/careers-without-nurse.html"}])
    fourth = crawl(config_dir)["harbor"]
    assert (fourth.status, fourth.found, fourth.new, fourth.updated, fourth.unchanged, fourth.closed) == (
        "succeeded", 2, 0, 1, 1, 1)
    last = rows(config_dir)
    assert last["HVH-1001"].salary_max == 104000
    assert last["HVH-1003"].closed_at is not None
    assert last["HVH-1001"].closed_at is None and last["HVH-1002"].closed_at is None


def test_robots_retry_after_and_backoff(tmp_path, server, monkeypatch):
    monkeypatch.delenv("USAJOBS_API_KEY", raising=False)
    monkeypatch.delenv("USAJOBS_EMAIL", raising=False)
    folder = write_config(tmp_path / "config", sources=[
        harbor(server), {"name": "federal", "platform": "usajobs", "base_url": server.url}])
    server.routes([
        {"path": "/robots.txt", "text": "User-agent: *\nDisallow: /jsonld/site/jobs/registered-nurse"},
        {"path": PACS, "status": 429, "headers": {"Retry-After": "1"}, "text": "slow down", "times": 1},
        {"path": ANALYST, "status": 503, "text": "busy", "times": 1},
    ])
    results = crawl(folder)
    result = results["harbor"]
    assert (result.status, result.found, result.new) == ("succeeded", 2, 2)
    assert requests_to(server, NURSE) == 0  # robots.txt obeyed
    assert requests_to(server, PACS) == 2 and requests_to(server, ANALYST) == 2
    stats = run_row(folder, result.run_id).stats
    assert stats["pacsjobs/robots_disallowed"] == 1
    assert stats["retry/count"] == 2
    assert stats["pacsjobs/retry_delay_seconds"] == pytest.approx(2.0)  # Retry-After 1 + backoff 1
    assert sorted(rows(folder)) == ["HVH-1001", "HVH-1002"]
    # A source that cannot run is skipped with its one line; the other crawled.
    skipped = results["federal"]
    assert skipped.status == "skipped" and "USAJOBS_API_KEY" in skipped.message


def test_malformed_page_and_too_long_retry_after(config_dir, server):
    server.routes([
        {"path": ANALYST, "file": "jsonld/site/jobs/imaging-informatics-analyst-broken.html"},
        {"path": NURSE, "status": 429, "headers": {"Retry-After": "3600"}, "text": "come back later"},
    ])
    result = crawl(config_dir)["harbor"]
    assert (result.status, result.found, result.new) == ("partial", 1, 1)
    assert result.errors >= 2
    stats = run_row(config_dir, result.run_id).stats
    assert stats["pacsjobs/broken_jsonld"] == 1
    assert stats["pacsjobs/retry_after_too_long"] == 1
    assert requests_to(server, NURSE) == 1  # not retried: the server asked for an hour
    assert list(rows(config_dir)) == ["HVH-1001"]


def test_sitemap_recrawl_skips_unchanged_pages(tmp_path, server, monkeypatch):
    # Built in the crawl process itself (no worker): the path of a one-core machine.
    monkeypatch.setenv("PACSJOBS_BUILD_WORKERS", "0")
    folder = write_config(tmp_path / "config", sources=[{
        "name": "harbor-sitemap", "platform": "jsonld", "sitemap": server.url + "/jsonld/site/sitemap.xml",
        "follow": r"/jobs/"}])
    first = crawl(folder)["harbor-sitemap"]
    assert (first.status, first.found, first.new, first.requests_saved) == ("succeeded", 3, 3, 0)
    assert requests_to(server, LISTING) == 0  # filtered out of the sitemap by `follow`
    stored = rows(folder)
    assert stored["HVH-1001"].source_updated == "2026-11-16T09:30:00+00:00"
    assert [stored[i].is_pacs_role for i in ("HVH-1001", "HVH-1002", "HVH-1003")] == [True, True, False]
    assert stored["HVH-1002"].salary_annual_max == 99840
    second = crawl(folder)["harbor-sitemap"]
    assert (second.status, second.found, second.new, second.unchanged, second.requests_saved) == (
        "succeeded", 3, 0, 3, 3)
    assert requests_to(server, PACS) == 1  # only the first crawl fetched the posting pages
    assert second.requests == first.requests - 3
    assert "pacsjobs/worker_pid" not in run_row(folder, first.run_id).stats


def test_time_limit_interrupts(tmp_path, server):
    folder = write_config(tmp_path / "config", sources=[harbor(server)], crawler={"time_limit": 5})
    server.routes([{"path": PACS, "delay": 8, "file": "jsonld/site/jobs/pacs-administrator.html"}])
    result = crawl(folder)["harbor"]
    assert result.status == "interrupted"
    assert "time limit" in result.message and result.closed == 0


def test_unknown_source(config_dir):
    with pytest.raises(SourceError) as info:
        crawl(config_dir, ["nope"])
    assert str(info.value) == "unknown source 'nope' (known: harbor)"


def test_one_worker_builds_for_every_source(tmp_path, server, monkeypatch):
    """The crawl process starts one build worker; both sources' postings are built and stored there."""
    monkeypatch.setenv("PACSJOBS_BUILD_WORKERS", "1")
    sitemap = {"name": "harbor-sitemap", "platform": "jsonld", "sitemap": server.url + "/jsonld/site/sitemap.xml",
               "follow": r"/jobs/"}
    folder = write_config(tmp_path / "config", sources=[harbor(server), sitemap])
    results = crawl(folder)
    runs = {name: run_row(folder, r.run_id) for name, r in results.items()}
    assert {name: (r.status, r.found, r.new) for name, r in results.items()} == {
        "harbor": ("succeeded", 3, 3), "harbor-sitemap": ("succeeded", 3, 3)}
    workers = {run.stats["pacsjobs/worker_pid"] for run in runs.values()}
    assert len(workers) == 1 and workers != {runs["harbor"].pid}  # one worker, not the crawler
    config = load_config(folder)
    with open_store(config.database_url) as store, store.session() as session:
        stored = [(r.source, r.source_id, r.is_pacs_role) for r in session.scalars(select(PostingRow))]
    assert sorted(stored) == [(source, f"HVH-100{i}", i < 3) for source in ("harbor", "harbor-sitemap")
                              for i in (1, 2, 3)]


def test_scrapy_list_from_the_repository_root():
    done = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == sorted(PLATFORMS)  # one spider per platform, named after it


def test_scrapy_crawl_by_hand_starts_a_worker_when_the_crawl_grows(tmp_path, server):
    """`scrapy crawl` from the repository root: the first posting is built in the crawler, the
    rest in a worker started on demand (PACSJOBS_INLINE_LIMIT=1), and the process still ends."""
    folder = write_config(tmp_path / "config", sources=[harbor(server)])
    env = dict(os.environ, PACSJOBS_INLINE_LIMIT="1", PACSJOBS_BUILD_WORKERS="1", PACSJOBS_CONFIG=str(folder))
    done = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "jsonld", "-a", "source=harbor",
                           "-a", f"config={folder}", "-s", "LOG_LEVEL=INFO"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "in the worker process from here on" in done.stderr
    config = load_config(folder)
    with open_store(config.database_url) as store:
        (run,) = store.runs("harbor", limit=5)
    assert (run.status, run.found, run.new) == ("succeeded", 3, 3)
    assert run.stats["pacsjobs/worker_pid"] != run.pid
    assert sorted(rows(folder)) == ["HVH-1001", "HVH-1002", "HVH-1003"]


def test_errors_are_counted_per_source(tmp_path, server):
    """Sources crawled in one process each count only their own errors."""
    broken = {"name": "broken", "platform": "jsonld", "urls": [server.url + "/status/500"]}
    folder = write_config(tmp_path / "config", sources=[harbor(server), broken],
                          crawler={"retry_times": 0})
    results = crawl(folder)
    assert results["harbor"].status == "succeeded"
    assert results["harbor"].errors == 0
    assert results["broken"].status != "succeeded"
    assert results["broken"].errors == 1
