"""Jobvite end to end: the whole listing and the job pages on the local server, into SQLite."""

from __future__ import annotations

from tests.api_crawl_helpers import api_requests, crawl, crawl_log, make_config, rows

NAME = "jobvite:harbor"
IDS = ["oKq1wfwA", "oLr2xfwB", "oMs3yfwC", "oNt4zfwD", "oPu5afwE"]


def listing(file: str = "jobs.html", prefix: str = "", **extra) -> dict:
    return {"path": f"{prefix}/harborvalley/jobs", "file": f"jobvite/{file}", **extra}


def job_pages(prefix: str = "") -> list[dict]:
    return [{"path": f"{prefix}/harborvalley/job/{i}", "file": f"jobvite/job/{i}.html"} for i in IDS]


def job_requests(server, prefix: str = "") -> list[dict]:
    return api_requests(server, f"{prefix}/harborvalley/job/", "GET")


def source(server, **options) -> dict:
    entry = {"name": NAME, "platform": "jobvite", "employer": "Harbor Valley Health", "base_url": server.url,
             "company": "harborvalley"}
    entry.update(options)
    return entry


def test_whole_board_job_pages_incremental_recrawl_and_lifecycle(server, tmp_path):
    config = make_config(tmp_path, [source(server)])
    server.routes([listing()] + job_pages())
    first = crawl(config, tmp_path, [NAME])[NAME]
    assert first.status == "succeeded", first.message
    stored = rows(config, NAME)
    assert sorted(stored) == sorted(IDS) and (first.fetched, first.new) == (5, 5)
    assert len(job_requests(server)) == 5
    admin = stored["oKq1wfwA"]
    assert admin.url == f"{server.url}/harborvalley/job/oKq1wfwA"
    assert (admin.title, admin.employer, admin.city, admin.state) == ("PACS Administrator", "Harbor Valley Health",
                                                                      "Portland", "ME")
    assert admin.department == "Information Technology" and admin.is_pacs_role
    # a page without JSON-LD: the Jobvite markup gives the description
    analyst = stored["oLr2xfwB"]
    assert "DICOM routing and modality worklists" in analyst.description_text and analyst.is_pacs_role
    assert not stored["oPu5afwE"].is_pacs_role  # the whole board is kept; the classifier decides

    server.routes([listing()] + job_pages())
    second = crawl(config, tmp_path, [NAME])[NAME]
    assert second.status == "succeeded" and second.new == 0
    assert (second.requests_saved, len(job_requests(server))) == (5, 5)

    # the listing fails for good: nothing closed
    server.routes([listing(status=503, headers={"Retry-After": "0"})] + job_pages())
    failed = crawl(config, tmp_path, [NAME])[NAME]
    assert failed.status == "failed" and failed.closed == 0
    assert all(r.closed_at is None for r in rows(config, NAME).values())

    server.routes([listing("jobs_after.html")] + job_pages())
    after = crawl(config, tmp_path, [NAME])[NAME]
    assert after.status == "succeeded" and after.closed == 1, after.message
    assert {k for k, r in rows(config, NAME).items() if r.closed_at is not None} == {"oMs3yfwC"}
    assert len(job_requests(server)) == 5


def test_unknown_company_maintenance_page_and_a_missing_job_page(server, tmp_path):
    names = ("unknown", "maintenance", "missing")
    config = make_config(tmp_path, [source(server, name=n, base_url=f"{server.url}/{n}") for n in names])
    server.routes([
        # an unknown company is sent to Jobvite's own site
        {"path": "/unknown/harborvalley/jobs", "status": 302,
         "headers": {"Location": f"{server.url}/unknown/search?invalid=1"}},
        {"path": "/unknown/search", "content_type": "text/html",
         "text": "<html><body><div class='jv-page-body'>Find a job</div></body></html>"},
        {"path": "/maintenance/harborvalley/jobs", "content_type": "text/html",
         "text": "<!DOCTYPE html><html><body><h1>Down for maintenance</h1></body></html>"},
        listing("jobs.html", "/missing"),
        {"path": "/missing/harborvalley/job/oNt4zfwD", "status": 404, "text": "Not Found"},
    ] + job_pages("/missing"))
    results = crawl(config, tmp_path, list(names))
    log = crawl_log(tmp_path)
    assert results["unknown"].status == "failed" and "board moved:" in log and "invalid=1" in log
    assert results["maintenance"].status == "failed" and "not a Jobvite board (no jv- markup)" in log
    missing = results["missing"]
    assert missing.status == "partial" and missing.closed == 0 and missing.new == 5
    kept = rows(config, "missing")["oNt4zfwD"]  # stored from its listing row, fetched again next time
    assert kept.title == "Radiologic Technologist - PACS" and kept.source_updated is None


def test_robots_txt_is_obeyed_for_job_pages(server, tmp_path):
    config = make_config(tmp_path, [source(server)])
    server.routes([{"path": "/robots.txt", "text": "User-agent: *\nDisallow: /harborvalley/job/\n"},
                   listing()] + job_pages())
    result = crawl(config, tmp_path, [NAME])[NAME]
    assert job_requests(server) == []  # not one disallowed page was asked for
    assert result.status == "partial" and result.new == 5  # rows stored from the listing, fetched later
    assert "Forbidden by robots.txt" in crawl_log(tmp_path)
