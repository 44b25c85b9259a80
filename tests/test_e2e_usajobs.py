"""USAJOBS end to end: the spider against the local server, into a real SQLite file."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from pacsjobs.sources import usajobs
from tests.api_crawl_helpers import api_requests, crawl, crawl_log, make_config, rows

PAGE = {"path": "/api/Search"}
FIXTURES = Path(__file__).parent / "fixtures" / "usajobs"


def page(term: str, number: int, file: str, **extra) -> dict:
    return {
        **PAGE,
        "query": {"Keyword": term, "Page": str(number)},
        "file": f"usajobs/{file}",
        **extra,
    }


FIRST = [
    page("PACS", 1, "search_pacs_page1.json"),
    page("PACS", 2, "search_pacs_page2.json"),
    page("imaging informatics", 1, "search_imaging_informatics.json"),
]


@pytest.fixture
def keyed(monkeypatch):
    monkeypatch.setenv("USAJOBS_API_KEY", "test-key-123")
    monkeypatch.setenv("USAJOBS_EMAIL", "seeker@example.org")


def source(server, **options) -> dict:
    entry = {
        "name": "usajobs",
        "platform": "usajobs",
        "employer": "U.S. federal government",
        "base_url": server.url,
        "keywords": ["PACS", "imaging informatics"],
        "results_per_page": 2,
    }
    entry.update(options)
    return entry


def test_crawl_pages_to_the_end_recrawls_and_closes_only_after_a_complete_crawl(
    server, tmp_path, keyed
):
    config = make_config(tmp_path, [source(server)])
    server.routes(FIRST)
    first = crawl(config, tmp_path, ["usajobs"])["usajobs"]
    assert first.status == "succeeded", first.message
    for req in api_requests(server, "/api/Search"):  # the registered user, from the environment
        assert req["headers"]["authorization-key"] == "test-key-123"
        assert req["headers"]["user-agent"] == "seeker@example.org"
        assert req["headers"]["host"] == server.url.removeprefix("http://")
        assert req["query"]["ResultsPerPage"] == "2"
    stored = rows(config, "usajobs")
    # 4 + 2 results, one posting found by both terms: stored once
    assert sorted(stored) == ["851234500", "852200300", "853377700", "854410200", "855001900"]
    assert (first.reported, first.fetched, first.new) == (6, 6, 5)
    searches = api_requests(server, "/api/Search")
    assert sorted((r["query"]["Keyword"], r["query"]["Page"]) for r in searches) == [
        ("PACS", "1"),
        ("PACS", "2"),
        ("imaging informatics", "1"),
    ]
    tech = stored["851234500"]
    assert (tech.title, tech.employer, tech.url) == (
        "Picture Archiving and Communication Systems (PACS) Technologist",
        "Veterans Health Administration",
        "https://www.usajobs.gov:443/GetJob/ViewDetails/851234500",
    )
    assert (tech.salary_min, tech.salary_max, tech.salary_period) == (71955, 93539, "year")
    assert stored["855001900"].salary_period == "hour"
    assert tech.source_updated == "2026-11-10T00:00:00.0000|2026-12-09T23:59:59.9970"

    # an unchanged re-crawl asks for the same three pages (the listing is the whole posting)
    server.routes(FIRST)
    second = crawl(config, tmp_path, ["usajobs"])["usajobs"]
    assert second.status == "succeeded" and second.new == 0
    assert len(api_requests(server, "/api/Search")) == 6

    # page 2 of PACS fails for good (every retry answered 503): not complete, nothing closed
    server.routes(
        [
            page("PACS", 1, "search_pacs_page1.json"),
            {
                **PAGE,
                "query": {"Page": "2"},
                "status": 503,
                "headers": {"Retry-After": "0"},
                "text": "Service Unavailable",
            },
            FIRST[2],
        ]
    )
    failed = crawl(config, tmp_path, ["usajobs"])["usajobs"]
    assert failed.status in ("partial", "failed") and failed.closed == 0
    assert all(r.closed_at is None for r in rows(config, "usajobs").values())

    # the job closes between the two pages: page 1 still says 4, page 2 holds the last of 3.
    # Fewer fetched than stated is not a complete crawl: nothing is closed yet.
    later = [page("PACS", 1, "search_pacs_page1.json"), page("PACS", 2, "search_pacs_page2_after.json"),
             FIRST[2]]
    server.routes(later)
    between = crawl(config, tmp_path, ["usajobs"])["usajobs"]
    assert between.status == "partial" and between.closed == 0
    assert "reports 4 postings, fetched 3" in between.message

    # complete again (every page says 3), and the intermittent radiologic technologist job is gone
    first_page = json.loads((FIXTURES / "search_pacs_page1.json").read_text())
    first_page["SearchResult"]["SearchResultCountAll"] = 3
    later[0] = {**page("PACS", 1, "-"), "text": json.dumps(first_page), "content_type": "application/json"}
    del later[0]["file"]
    server.routes(later)
    after = crawl(config, tmp_path, ["usajobs"])["usajobs"]
    assert after.status == "succeeded" and after.closed == 1, after.message
    closed = {k for k, r in rows(config, "usajobs").items() if r.closed_at is not None}
    assert closed == {"855001900"}


def test_missing_key_skips_usajobs_and_the_others_go_on(server, tmp_path, monkeypatch):
    monkeypatch.delenv("USAJOBS_API_KEY", raising=False)
    monkeypatch.delenv("USAJOBS_EMAIL", raising=False)
    wd = {
        "name": "wd",
        "platform": "workday",
        "base_url": server.url,
        "url": "https://ccf.wd1.myworkdayjobs.com/ClevelandClinicCareers",
        "keywords": ["imaging informatics"],
    }
    config = make_config(tmp_path, [source(server), wd])
    server.routes(
        [
            *FIRST,
            {
                "method": "POST",
                "path": "/wday/cxs/ccf/ClevelandClinicCareers/jobs",
                "file": "workday/jobs_empty.json",
            },
        ]
    )
    results = crawl(config, tmp_path, ["usajobs", "wd"])
    assert results["usajobs"].status == "skipped"
    assert results["usajobs"].message == usajobs.MISSING_KEY
    assert api_requests(server, "/api/Search") == []
    assert results["wd"].status == "succeeded", results["wd"].message


def test_retries_count_check_and_bad_pages_each_board_on_its_own(server, tmp_path, keyed):
    """One crawl, four sources, each on its own path prefix of the local server."""
    sources = [
        source(server, name=name, base_url=f"{server.url}/{name}", keywords=["imaging informatics"])
        for name in ("r429", "r500", "bad")
    ]
    sources.append(source(server, name="mm", base_url=f"{server.url}/mm", keywords=["PACS"]))
    config = make_config(tmp_path, sources)
    imaging = FIRST[2]
    server.routes(
        [
            # 429 with Retry-After: 1, then the page
            {
                **imaging,
                "path": "/r429/api/Search",
                "status": 429,
                "headers": {"Retry-After": "1"},
                "text": "Too Many Requests",
                "times": 1,
            },
            {**imaging, "path": "/r429/api/Search"},
            # 500, then the page
            {
                **imaging,
                "path": "/r500/api/Search",
                "status": 500,
                "text": "Internal Server Error",
                "times": 1,
            },
            {**imaging, "path": "/r500/api/Search"},
            # an HTML error page with status 200
            {
                "path": "/bad/api/Search",
                "content_type": "text/html",
                "text": "<html><body><h1>Service Unavailable</h1></body></html>",
            },
            # page 2 comes from a later moment of the search: 3 in all, while page 1 said 4
            {**page("PACS", 1, "search_pacs_page1.json"), "path": "/mm/api/Search"},
            {**page("PACS", 2, "search_pacs_page2_after.json"), "path": "/mm/api/Search"},
        ]
    )
    started = time.monotonic()
    results = crawl(config, tmp_path, ["r429", "r500", "bad", "mm"])
    for name in ("r429", "r500"):
        assert results[name].status == "succeeded" and results[name].new == 2, results[name].message
        assert len(api_requests(server, f"/{name}/api/Search")) == 2
    assert time.monotonic() - started >= 1.0  # the Retry-After was honoured

    bad = results["bad"]
    assert bad.status == "failed" and bad.errors >= 1 and bad.new == 0
    assert "bad payload from" in crawl_log(tmp_path)

    mm = results["mm"]
    assert (mm.reported, mm.fetched, mm.new) == (4, 3, 3)
    assert "board Keyword=PACS reports 4 postings, fetched 3" in crawl_log(tmp_path)


def test_a_bad_page_does_not_stop_the_other_pages(server, tmp_path, keyed):
    config = make_config(tmp_path, [source(server)])
    server.routes(
        [
            FIRST[0],
            FIRST[1],
            {
                **PAGE,
                "query": {"Keyword": "imaging informatics"},
                "content_type": "text/html",
                "text": "<html><body><h1>Service Unavailable</h1></body></html>",
            },
        ]
    )
    result = crawl(config, tmp_path, ["usajobs"])["usajobs"]
    assert result.status == "partial" and result.errors >= 1 and result.closed == 0
    assert len(rows(config, "usajobs")) == 4  # both pages of the other term were stored
