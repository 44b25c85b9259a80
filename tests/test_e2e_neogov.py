"""NEOGOV end to end: the spider reads an agency's RSS feed on the local server into a real SQLite file."""

from __future__ import annotations

from pathlib import Path

from tests.api_crawl_helpers import api_requests, crawl, crawl_log, make_config, rows

FIX = Path(__file__).parent / "fixtures" / "neogov"
FEED = "/SearchEngine/JobsFeed"
ALL_IDS = ["5101120", "5109932", "5118870", "5120311", "5123456"]
ADMIN, ANALYST = "5123456", "5120311"


def feed(file: str, prefix: str = "", **extra) -> dict:
    return {"path": f"{prefix}{FEED}", "query": {"agency": "sanbernardino"}, "file": f"neogov/{file}", **extra}


def source(server, **options) -> dict:
    entry = {
        "name": "neogov:san-bernardino-county",
        "platform": "neogov",
        "employer": "San Bernardino County (Arrowhead Regional Medical Center)",
        "base_url": server.url,
        "agency": "sanbernardino",
    }
    entry.update(options)
    return entry


def test_feed_is_stored_whole_recrawled_incrementally_and_closes_only_after_a_complete_crawl(server, tmp_path):
    name = "neogov:san-bernardino-county"
    config = make_config(tmp_path, [source(server)])
    server.routes([feed("jobsfeed.xml")])
    first = crawl(config, tmp_path, [name])[name]
    assert first.status == "succeeded", first.message
    stored = rows(config, name)
    assert sorted(stored) == ALL_IDS and (first.fetched, first.new) == (5, 5)
    admin = stored[ADMIN]
    assert admin.url == "https://www.governmentjobs.com/careers/sanbernardino/jobs/5123456/pacs-administrator-arrowhead-regional-medical-center"
    assert (admin.city, admin.state, admin.salary_min, admin.salary_max, admin.salary_period) == (
        "Colton", "CA", 41.67, 56.09, "hour")
    assert "Maintains DICOM connectivity with modalities" in admin.description_text
    assert admin.is_pacs_role and not stored["5101120"].is_pacs_role

    # unchanged: every job only seen
    second = crawl(config, tmp_path, [name])[name]
    assert second.status == "succeeded" and second.new == 0 and second.requests_saved == 5

    # the feed is missing (404; 5xx answers are retried as for every source): nothing closed
    server.routes([feed("jobsfeed_after.xml", status=404)])
    failed = crawl(config, tmp_path, [name])[name]
    assert failed.status == "failed" and failed.closed == 0

    # an empty feed while postings are open is not believed
    server.routes([feed("jobsfeed_empty.xml")])
    empty = crawl(config, tmp_path, [name])[name]
    assert empty.status == "failed" and empty.closed == 0
    assert "feed of agency sanbernardino is empty but 5 postings are open" in crawl_log(tmp_path)
    assert all(r.closed_at is None for r in rows(config, name).values())

    # complete without the RIS analyst: closed, with one request
    server.routes([feed("jobsfeed_after.xml")])
    before = len(api_requests(server, FEED))
    after = crawl(config, tmp_path, [name])[name]
    assert after.status == "succeeded" and after.closed == 1
    assert {k for k, r in rows(config, name).items() if r.closed_at is not None} == {ANALYST}
    assert len(api_requests(server, FEED)) == before + 1


def test_keywords_keep_the_jobs_that_name_them_and_bad_feeds_fail_alone(server, tmp_path):
    config = make_config(
        tmp_path,
        [
            source(server, name="kw", base_url=f"{server.url}/kw", keywords=["PACS"]),
            source(server, name="html", base_url=f"{server.url}/html"),
            source(server, name="gone", base_url=f"{server.url}/gone"),
        ],
    )
    server.routes([
        feed("jobsfeed.xml", "/kw"),
        {"path": f"/html{FEED}", "content_type": "text/html",
         "text": "<!DOCTYPE html><html><body>Page not found</body></html>"},
        feed("jobsfeed.xml", "/gone", status=404),
    ])
    results = crawl(config, tmp_path, ["kw", "html", "gone"])
    assert sorted(rows(config, "kw")) == [ANALYST, ADMIN]  # both name PACS; the nurse does not
    assert results["kw"].status == "succeeded"
    assert results["html"].status == "failed" and results["gone"].status == "failed"
    assert "expected an RSS feed, got an HTML page" in crawl_log(tmp_path)
