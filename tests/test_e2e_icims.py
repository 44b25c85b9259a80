"""iCIMS end to end: the spider against the local server, into a real SQLite file."""

from __future__ import annotations

from tests.api_crawl_helpers import api_requests, crawl, crawl_log, make_config, rows

PORTAL = "https://careers-harborvalley.icims.com"
NAME = "icims:harbor"
SLUGS = {"4101": "pacs-administrator", "4102": "pacs-analyst-ii", "4117": "radiology-pacs-systems-specialist",
         "4130": "senior-pacs-administrator-remote", "4125": "imaging-informatics-analyst"}


def search(term: str, page: int, file: str, prefix: str = "", **extra) -> dict:
    return {"path": f"{prefix}/jobs/search", "query": {"searchKeyword": term, "pr": page, "in_iframe": 1},
            "file": f"icims/{file}", "content_type": "text/html; charset=utf-8", **extra}


def jobs(prefix: str = "") -> list[dict]:
    return [{"path": f"{prefix}/jobs/{i}/{slug}/job", "query": {"in_iframe": 1}, "file": f"icims/jobs/{i}.html"}
            for i, slug in SLUGS.items()]


def job_requests(server, prefix: str = "") -> list[dict]:
    return [r for r in api_requests(server, f"{prefix}/jobs/", "GET") if r["path"].endswith("/job")]


FIRST = [search("PACS", 0, "search_pacs_pr0.html"), search("PACS", 1, "search_pacs_pr1.html"),
         search("imaging informatics", 0, "search_imaging_informatics_pr0.html")]


def source(server, **options) -> dict:
    entry = {"name": NAME, "platform": "icims", "employer": "Harbor Valley Health", "base_url": server.url,
             "url": PORTAL, "keywords": ["PACS", "imaging informatics"]}
    entry.update(options)
    return {k: v for k, v in entry.items() if v is not None}


def test_search_pages_job_pages_incremental_recrawl_and_lifecycle(server, tmp_path):
    config = make_config(tmp_path, [source(server)])
    server.routes(FIRST + jobs())
    first = crawl(config, tmp_path, [NAME])[NAME]
    assert first.status == "succeeded", first.message
    stored = rows(config, NAME)
    assert sorted(stored) == sorted(SLUGS)
    # both pages the pager announced, both terms; the posting found twice is fetched once
    searched = sorted((r["query"]["searchKeyword"], r["query"]["pr"]) for r in api_requests(server, "/jobs/search"))
    assert searched == [("PACS", "0"), ("PACS", "1"), ("imaging informatics", "0")]
    assert (first.fetched, first.new) == (6, 5)
    assert len(job_requests(server)) == 5
    admin = stored["4101"]
    assert admin.url == f"{PORTAL}/jobs/4101/pacs-administrator/job"
    assert (admin.title, admin.employer, admin.city, admin.state) == ("PACS Administrator", "Harbor Valley Health",
                                                                      "Portland", "ME")
    assert "HL7 orders and results interfaces" in admin.description_text and admin.is_pacs_role
    assert stored["4130"].workplace == "remote"
    # the page without JSON-LD is read from the iCIMS markup
    assert "DICOM routing" in stored["4125"].description_text

    # unchanged cards: the search pages again, no job page
    server.routes(FIRST + jobs())
    second = crawl(config, tmp_path, [NAME])[NAME]
    assert second.status == "succeeded" and second.new == 0
    assert (second.requests_saved, len(job_requests(server))) == (5, 5)

    # page 2 fails for good: partial, nothing closed
    down = search("PACS", 1, "search_pacs_pr1.html", status=503, headers={"Retry-After": "0"})
    server.routes([FIRST[0], down, FIRST[2]] + jobs())
    failed = crawl(config, tmp_path, [NAME])[NAME]
    assert failed.status == "partial" and failed.closed == 0
    assert all(r.closed_at is None for r in rows(config, NAME).values())

    # complete again without the Radiology PACS Systems Specialist: closed, no job page fetched
    server.routes([search("PACS", 0, "search_pacs_after_pr0.html"), FIRST[2]] + jobs())
    after = crawl(config, tmp_path, [NAME])[NAME]
    assert after.status == "succeeded" and after.closed == 1, after.message
    assert {k for k, r in rows(config, NAME).items() if r.closed_at is not None} == {"4117"}
    assert len(job_requests(server)) == 5


def test_moved_portal_unknown_tenant_and_a_broken_job_page(server, tmp_path):
    names = ("moved", "gone", "broken")
    config = make_config(tmp_path, [source(server, name=n, base_url=f"{server.url}/{n}", keywords=["PACS"])
                                    for n in names])
    routes = [
        # the portal moved: the search redirects to the employer's home page (an HTML page, 200)
        {"path": "/moved/jobs/search", "status": 302, "headers": {"Location": f"{server.url}/moved/home"}},
        {"path": "/moved/home", "content_type": "text/html",
         "text": "<html><body><h1>Harbor Valley Health</h1><a href='/careers'>Careers</a></body></html>"},
        # a tenant that does not exist
        {"path": "/gone/jobs/search", "status": 404, "text": "Not Found"},
        search("PACS", 0, "search_pacs_after_pr0.html", "/broken"),
        {"path": "/broken/jobs/4130/senior-pacs-administrator-remote/job", "content_type": "text/html",
         "text": "<html><body><p>Service unavailable</p></body></html>"},
    ] + jobs("/broken")
    server.routes(routes)
    results = crawl(config, tmp_path, list(names))
    log = crawl_log(tmp_path)

    moved = results["moved"]
    assert moved.status == "failed" and moved.closed == 0 and moved.new == 0
    assert "board moved:" in log and "/moved/home" in log
    assert results["gone"].status == "failed" and results["gone"].errors >= 1
    assert "404" in log

    broken = results["broken"]
    assert broken.status == "partial" and broken.closed == 0
    assert "no JobPosting data and no iCIMS job markup" in log
    kept = rows(config, "broken")["4130"]  # stored from its card, to be fetched again next time
    assert kept.title == "Senior PACS Administrator - Remote" and kept.source_updated is None


def test_sitemap_index_gzip_and_lastmod_marker(server, tmp_path):
    config = make_config(tmp_path, [source(server, keywords=None, sitemap="/sitemap.xml")])
    server.routes([{"path": "/sitemap-jobs.xml.gz", "file": "icims/sitemap-jobs.xml.gz"},
                   {"path": "/sitemap.xml", "file": "icims/sitemap.xml"}] + jobs())
    first = crawl(config, tmp_path, [NAME])[NAME]
    assert first.status == "succeeded", first.message
    assert sorted(rows(config, NAME)) == sorted(SLUGS)
    assert rows(config, NAME)["4117"].source_updated == "2026-11-18"  # the sitemap's lastmod
    assert len(job_requests(server)) == 5  # /jobs/intro is not a job page

    second = crawl(config, tmp_path, [NAME])[NAME]
    assert second.status == "succeeded" and second.requests_saved == 5
    assert len(job_requests(server)) == 5
