"""Jobvite end to end: server-side search pages and job pages on the local server, into SQLite."""

from __future__ import annotations

from tests.api_crawl_helpers import api_requests, crawl, crawl_log, make_config, rows

NAME = "jobvite:harbor"
IDS = ["oKq1wfwA", "oLr2xfwB", "oMs3yfwC", "oNt4zfwD", "oPu5afwE", "oQv6bfwF", "oRw7cfwG"]
FOUND = ["oKq1wfwA", "oLr2xfwB", "oNt4zfwD", "oQv6bfwF", "oRw7cfwG"]  # by "PACS" and "imaging informatics"


def search(term: str | None, page: int, file: str, prefix: str = "", **extra) -> dict:
    query = {"p": page} | ({"q": term} if term else {})
    return {"path": f"{prefix}/harborvalley/search", "query": query, "file": f"jobvite/{file}", **extra}


def job_pages(prefix: str = "") -> list[dict]:
    return [{"path": f"{prefix}/harborvalley/job/{i}", "file": f"jobvite/job/{i}.html"} for i in IDS]


def job_requests(server, prefix: str = "") -> list[dict]:
    return api_requests(server, f"{prefix}/harborvalley/job/", "GET")


FIRST = [search("PACS", 0, "search_pacs_p0.html"), search("PACS", 1, "search_pacs_p1.html"),
         search("imaging informatics", 0, "search_imaging_informatics_p0.html")]


def source(server, **options) -> dict:
    entry = {"name": NAME, "platform": "jobvite", "employer": "Harbor Valley Health", "base_url": server.url,
             "company": "harborvalley", "keywords": ["PACS", "imaging informatics"]}
    entry.update(options)
    return entry


def test_search_pages_job_pages_count_check_incremental_recrawl_and_lifecycle(server, tmp_path):
    config = make_config(tmp_path, [source(server)])
    server.routes(FIRST + job_pages())
    first = crawl(config, tmp_path, [NAME])[NAME]
    assert first.status == "succeeded", first.message
    stored = rows(config, NAME)
    assert sorted(stored) == sorted(FOUND)
    # "1-3 of 4" asks for a second page; 4 + 2 reported and fetched, the posting found twice stored once
    searched = sorted((r["query"].get("q"), r["query"]["p"]) for r in api_requests(server, "/harborvalley/search"))
    assert searched == [("PACS", "0"), ("PACS", "1"), ("imaging informatics", "0")]
    assert (first.reported, first.fetched, first.new) == (6, 6, 5)
    assert len(job_requests(server)) == 5
    admin = stored["oKq1wfwA"]
    assert admin.url == f"{server.url}/harborvalley/job/oKq1wfwA"
    assert (admin.title, admin.employer, admin.city, admin.state) == ("PACS Administrator", "Harbor Valley Health",
                                                                      "Portland", "ME")
    assert admin.is_pacs_role
    # "2 Locations" on the list: the job page names both
    assert stored["oQv6bfwF"].location_text.startswith("Portland, ME")
    # a page without JSON-LD: the Jobvite markup gives the description
    analyst = stored["oLr2xfwB"]
    assert "DICOM routing and modality worklists" in analyst.description_text and analyst.is_pacs_role

    server.routes(FIRST + job_pages())
    second = crawl(config, tmp_path, [NAME])[NAME]
    assert second.status == "succeeded" and second.new == 0
    assert (second.requests_saved, len(job_requests(server))) == (5, 5)

    # the second page fails for good: nothing closed
    server.routes([FIRST[0], search("PACS", 1, "search_pacs_p1.html", status=503, headers={"Retry-After": "0"}),
                   FIRST[2]] + job_pages())
    failed = crawl(config, tmp_path, [NAME])[NAME]
    assert failed.status in ("partial", "failed") and failed.closed == 0 and failed.errors >= 1
    assert all(r.closed_at is None for r in rows(config, NAME).values())

    # complete again ("1-3 of 3") without the Radiologic Technologist: closed, no job page fetched
    server.routes([search("PACS", 0, "search_pacs_after_p0.html"), FIRST[2]] + job_pages())
    after = crawl(config, tmp_path, [NAME])[NAME]
    assert after.status == "succeeded" and after.closed == 1, after.message
    assert {k for k, r in rows(config, NAME).items() if r.closed_at is not None} == {"oNt4zfwD"}
    assert len(job_requests(server)) == 5


def test_whole_board_unknown_company_maintenance_page_and_a_missing_job_page(server, tmp_path):
    names = ("whole", "unknown", "maintenance", "missing", "short")
    config = make_config(tmp_path, [source(server, name=n, base_url=f"{server.url}/{n}",
                                           keywords=[] if n == "whole" else ["PACS"]) for n in names])
    server.routes([
        search(None, 0, "search_all_p0.html", "/whole"),
        # an unknown company is sent to Jobvite's own site
        {"path": "/unknown/harborvalley/search", "status": 302,
         "headers": {"Location": f"{server.url}/unknown/support?invalid=1"}},
        {"path": "/unknown/support", "content_type": "text/html",
         "text": "<html><body><div class='jv-page-body'>This company is not hiring here</div></body></html>"},
        {"path": "/maintenance/harborvalley/search", "content_type": "text/html",
         "text": "<!DOCTYPE html><html><body><h1>Down for maintenance</h1></body></html>"},
        search("PACS", 0, "search_pacs_after_p0.html", "/missing"),
        {"path": "/missing/harborvalley/job/oRw7cfwG", "status": 404, "text": "Not Found"},
        # says "1-3 of 4" but no second page is served: the count check and the failed page both show
        search("PACS", 0, "search_pacs_p0.html", "/short"),
    ] + job_pages("/whole") + job_pages("/missing") + job_pages("/short"))
    results = crawl(config, tmp_path, list(names))
    log = crawl_log(tmp_path)
    whole = results["whole"]
    assert whole.status == "succeeded" and (whole.reported, whole.new) == (7, 7), whole.message
    assert [r["query"] for r in api_requests(server, "/whole/harborvalley/search")] == [{"p": "0"}]
    assert results["unknown"].status == "failed" and "board moved:" in log and "invalid=1" in log
    assert results["maintenance"].status == "failed" and "not a Jobvite board (no jv- markup)" in log
    missing = results["missing"]
    assert missing.status == "partial" and missing.closed == 0 and missing.new == 3
    kept = rows(config, "missing")["oRw7cfwG"]  # stored from its row, its page asked for again next time
    assert kept.title == "Senior PACS Engineer" and kept.source_updated is None
    short = results["short"]
    assert short.status == "partial" and (short.reported, short.fetched) == (4, 3)
    assert "board q=PACS reports 4 postings, fetched 3" in log


def test_robots_txt_is_obeyed_for_job_pages(server, tmp_path):
    config = make_config(tmp_path, [source(server, keywords=["PACS"])])
    server.routes([{"path": "/robots.txt", "text": "User-agent: *\nDisallow: /harborvalley/job/\n"},
                   FIRST[0], FIRST[1]] + job_pages())
    result = crawl(config, tmp_path, [NAME])[NAME]
    assert job_requests(server) == []  # not one disallowed page was asked for
    assert result.status == "partial" and result.new == 4  # rows stored from the search, fetched later
    assert "Forbidden by robots.txt" in crawl_log(tmp_path)
