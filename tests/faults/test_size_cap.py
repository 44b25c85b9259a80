"""Oversized text fields are cut with a flag, not refused, and cost bounded time (issue 11 §3)."""

from __future__ import annotations

import json
import time
from datetime import datetime

import pytest

from pacsjobs.config import load_config
from pacsjobs.errors import ConfigError
from pacsjobs.sources import greenhouse
from pacsjobs.understand.process import FIELD_MAX_CHARS, MAX_TEXT_CHARS, Processor, build_posting
from tests.api_crawl_helpers import crawl, rows
from tests.conftest import FIXTURES
from tests.helpers import REPO_CONFIG, write_config

BOARD_FILE = FIXTURES / "greenhouse" / "board.json"
TWELVE_MB = 12 * 1024 * 1024
NOW = datetime(2026, 12, 1, 12, 0)


@pytest.fixture(scope="module")
def processor():
    return Processor(REPO_CONFIG)


def pacs_raw():
    """The PACS Administrator posting of the saved Greenhouse board (a real-format description)."""
    return next(r for r in greenhouse.parse(BOARD_FILE.read_bytes()) if r.source_id == "4012345002")


def test_a_12_mb_description_is_classified_in_bounded_time_with_a_flag(processor):
    raw = pacs_raw()
    unit = raw.description_html
    raw.description_html = unit * (TWELVE_MB // len(unit) + 1)
    started = time.perf_counter()
    posting = processor.build(raw, "greenhouse:meridian")
    took = time.perf_counter() - started
    assert took < 3.0, f"{took:.1f}s for a 12 MB description"
    assert posting.is_pacs_role and "DICOM" in posting.skills  # classified on the kept text
    assert len(posting.description_html) <= MAX_TEXT_CHARS + 1_000  # sanitizing may close tags
    flags = [r for r in posting.relevance_reasons if "size cap" in r]
    assert flags == [f"description truncated to its first {MAX_TEXT_CHARS:,} of "
                     f"{len(raw.description_html):,} characters (size cap)"]
    assert len(raw.description_html) > TWELVE_MB  # the caller's raw posting is not changed


def test_a_posting_under_the_cap_is_built_exactly_as_before(processor):
    capped = build_posting(pacs_raw(), "greenhouse:meridian", NOW, processor.vocab)
    uncapped = build_posting(pacs_raw(), "greenhouse:meridian", NOW, processor.vocab, max_text=10**9)
    assert capped == uncapped
    assert not any("size cap" in r for r in capped.relevance_reasons)


def test_a_huge_title_employer_and_place_are_cut_to_a_line(processor):
    raw = pacs_raw()
    raw.title = "PACS Administrator " * 500_000
    raw.employer = "E" * 1_000_000
    raw.locations = ["Cleveland, OH " * 200_000]
    started = time.perf_counter()
    posting = processor.build(raw, "greenhouse:meridian")
    assert time.perf_counter() - started < 3.0
    assert len(posting.title) <= FIELD_MAX_CHARS and len(posting.employer) <= FIELD_MAX_CHARS
    assert {r.split()[0] for r in posting.relevance_reasons if "size cap" in r} == {"title", "employer",
                                                                                   "location"}


def test_the_cap_is_a_config_key(tmp_path):
    cfg = load_config(write_config(tmp_path / "cfg", crawler={"max_text_chars": 5_000}))
    assert cfg.crawler.max_text_chars == 5_000
    raw = pacs_raw()
    raw.description_html = raw.description_html * 10
    posting = Processor(cfg).build(raw, "greenhouse:meridian")
    assert any(r.startswith("description truncated to its first 5,000 of") for r in posting.relevance_reasons)
    with pytest.raises(ConfigError, match="crawler.max_text_chars: must be at least 1000"):
        load_config(write_config(tmp_path / "bad", crawler={"max_text_chars": 10}))


def test_a_crawl_stores_a_12_mb_posting_truncated_and_flagged(tmp_path, server, db_url):
    board = json.loads(BOARD_FILE.read_text())
    job = next(j for j in board["jobs"] if j["id"] == 4012345002)
    job["content"] = job["content"] * (TWELVE_MB // len(job["content"]) + 1)
    server.routes([{"path": "/v1/boards/meridianimaging/jobs", "text": json.dumps(board),
                    "content_type": "application/json"}])
    config = load_config(write_config(tmp_path / "cfg", database_url=db_url, sources=[
        {"name": "greenhouse:meridian", "platform": "greenhouse", "board": "meridianimaging",
         "base_url": server.url}]))
    started = time.perf_counter()
    result = crawl(config, tmp_path, ["greenhouse:meridian"])["greenhouse:meridian"]
    took = time.perf_counter() - started
    assert result.status == "succeeded", result.message
    assert result.found == len(board["jobs"])  # kept, not refused
    stored = rows(config, "greenhouse:meridian")[str(job["id"])]
    assert stored.is_pacs_role
    assert any("size cap" in r for r in stored.relevance_reasons)
    assert len(stored.description_text) < MAX_TEXT_CHARS
    assert took < 30, f"crawl took {took:.1f}s"
