"""Pure parts of the crawl core: Retry-After parsing, the run status rule, settings from config."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawlers.items import BoardReport
from crawlers.middlewares import retry_after_seconds
from crawlers.pipelines import run_status
from crawlers.settings import crawler_settings
from pacsjobs.config import load_config
from pacsjobs.crawl import default_log_dir, select_sources
from tests.helpers import write_config

NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(("value", "seconds"), [
    ("120", 120.0),
    (b"5", 5.0),
    ("0", 0.0),
    ("1.5", 1.5),
    ("Sat, 28 Nov 2026 12:01:30 GMT", 90.0),
    ("Sat, 28 Nov 2026 11:59:00 GMT", 0.0),  # a date in the past: retry now
    ("soon", None),
    ("", None),
    (None, None),
])
def test_retry_after_seconds(value, seconds):
    assert retry_after_seconds(value, NOW) == seconds


def board(complete: bool = True) -> BoardReport:
    return BoardReport("s", "https://b.example/", None, 3, complete)


@pytest.mark.parametrize(("reason", "incomplete", "boards", "expected", "found", "status"), [
    ("finished", [], {"a": board()}, None, 3, ("succeeded", True)),
    ("finished", ["request failed: x"], {"a": board()}, None, 3, ("partial", False)),
    ("finished", [], {"a": board(), "b": board(False)}, None, 3, ("partial", False)),
    ("finished", [], {}, None, 0, ("failed", False)),  # nothing reported: nothing known
    ("finished", ["request failed: x"], {"a": board(False)}, None, 0, ("failed", False)),
    ("finished", [], {"a": board()}, ["a", "b"], 3, ("partial", False)),  # board b never ended
    ("shutdown", [], {"a": board()}, None, 3, ("interrupted", False)),
    ("closespider_timeout", [], {"a": board()}, None, 3, ("failed", False)),
])
def test_run_status(reason, incomplete, boards, expected, found, status):
    assert run_status(reason, incomplete, boards, expected, found) == status


def test_settings_from_config(tmp_path):
    folder = write_config(tmp_path, crawler={"contact": "ops@hospital.example", "download_delay": 2.0,
                                             "concurrency_per_domain": 1, "obey_robots": True,
                                             "max_retry_after": 60.0, "timeout": 15.0})
    settings = crawler_settings(load_config(folder))
    assert settings["USER_AGENT"] == "pacsjobs/0.1.0 (+mailto:ops@hospital.example)"
    assert (settings["DOWNLOAD_DELAY"], settings["CONCURRENT_REQUESTS_PER_DOMAIN"]) == (2.0, 1)
    assert (settings["ROBOTSTXT_OBEY"], settings["RETRY_AFTER_MAX"], settings["DOWNLOAD_TIMEOUT"]) == (
        True, 60.0, 15.0)
    assert settings["DOWNLOAD_DELAY_JITTER"] == 0.5


def test_project_settings_are_polite():
    from crawlers import settings

    assert settings.ROBOTSTXT_OBEY and settings.AUTOTHROTTLE_ENABLED
    assert settings.TELNETCONSOLE_ENABLED is False and settings.REMOTE_CONTROL_ENABLED is False
    assert {429, 500, 503} <= set(settings.RETRY_HTTP_CODES)
    assert settings.DOWNLOADER_MIDDLEWARES["crawlers.middlewares.RetryAfterMiddleware"]
    assert settings.DOWNLOADER_MIDDLEWARES["scrapy.downloadermiddlewares.retry.RetryMiddleware"] is None


def test_select_sources_enabled_only(tmp_path):
    folder = write_config(tmp_path, sources=[
        {"name": "a", "platform": "jsonld", "urls": ["https://a.example/jobs"]},
        {"name": "b", "platform": "jsonld", "urls": ["https://b.example/jobs"], "enabled": False}])
    config = load_config(folder)
    assert [s.name for s in select_sources(config, None)] == ["a"]
    assert [s.name for s in select_sources(config, ["b", "a", "b"])] == ["b", "a"]


def test_log_dir_next_to_sqlite_file(tmp_path):
    folder = write_config(tmp_path / "cfg", database_url=f"sqlite:///{tmp_path / 'db' / 'jobs.db'}")
    assert default_log_dir(load_config(folder)) == (tmp_path / "db" / "logs").resolve()
