"""SuccessFactors end to end: the /googlefeed.xml job feed (+ one job page) on the local server."""

from __future__ import annotations

from tests.api_crawl_helpers import api_requests, crawl, crawl_log, make_config, rows

SITE = "https://careers.lakeshorehealth.example"
NAME = "successfactors:lakeshore"
IDS = ["1167811200", "1167811300", "1167811400", "1167811500", "1167811600"]
JOB_PAGE = "/job/Long-Beach-Senior-PACS-Engineer-CA-90806/1167811500/"


def feed(file: str = "googlefeed.xml", prefix: str = "", **extra) -> dict:
    return {"path": f"{prefix}/googlefeed.xml", "file": f"successfactors/{file}", "content_type": "application/xml",
            **extra}


def job_page(prefix: str = "", **extra) -> dict:
    return {"path": f"{prefix}{JOB_PAGE}", "file": "successfactors/job/1167811500.html", **extra}


def source(server, **options) -> dict:
    entry = {"name": NAME, "platform": "successfactors", "employer": "Lakeshore Health", "base_url": server.url,
             "url": SITE}
    entry.update(options)
    return entry


def test_feed_job_page_only_without_description_recrawl_and_lifecycle(server, tmp_path):
    config = make_config(tmp_path, [source(server)])
    server.routes([feed(), job_page()])
    first = crawl(config, tmp_path, [NAME])[NAME]
    assert first.status == "succeeded", first.message
    stored = rows(config, NAME)
    assert sorted(stored) == IDS and (first.fetched, first.new) == (5, 5)
    assert len(api_requests(server, "/job/")) == 1  # only the item whose description is empty
    admin = stored["1167811200"]
    assert admin.url == f"{SITE}/job/Santa-Monica-PACS-Administrator-CA-90404/1167811200/"
    assert (admin.title, admin.employer, admin.city, admin.state, admin.postal_code) == (
        "PACS Administrator", "Lakeshore Health", "Santa Monica", "CA", "90404")
    assert (admin.salary_min, admin.salary_max, admin.salary_period) == (96000, 118000, "year")
    assert "&lt;" not in admin.description_html and "Epic Radiant" in admin.description_text
    assert str(admin.valid_through) == "2027-01-31" and admin.department == "Information Technology"
    engineer = stored["1167811500"]  # read from its job page (microdata)
    assert "zero-footprint viewer" in engineer.description_text and engineer.is_pacs_role
    assert not stored["1167811400"].is_pacs_role

    second = crawl(config, tmp_path, [NAME])[NAME]
    assert second.status == "succeeded" and second.new == 0 and second.requests_saved == 1
    assert len(api_requests(server, "/job/")) == 1

    server.routes([feed(status=503, headers={"Retry-After": "0"}), job_page()])
    failed = crawl(config, tmp_path, [NAME])[NAME]
    assert failed.status == "failed" and failed.closed == 0
    assert all(r.closed_at is None for r in rows(config, NAME).values())

    server.routes([feed("googlefeed_after.xml"), job_page()])
    after = crawl(config, tmp_path, [NAME])[NAME]
    assert after.status == "succeeded" and after.closed == 1, after.message
    assert {k for k, r in rows(config, NAME).items() if r.closed_at is not None} == {"1167811600"}


def test_html_instead_of_the_feed_a_moved_site_and_a_truncated_feed(server, tmp_path):
    names = ("html", "moved", "truncated", "nopage")
    config = make_config(tmp_path, [source(server, name=n, base_url=f"{server.url}/{n}") for n in names])
    server.routes([
        {"path": "/html/googlefeed.xml", "content_type": "text/html",
         "text": "<!DOCTYPE html><html><body><h1>Careers</h1></body></html>"},
        {"path": "/moved/googlefeed.xml", "status": 301, "headers": {"Location": f"{server.url}/moved/"}},
        {"path": "/moved/", "content_type": "text/html", "text": "<html><body>Welcome</body></html>"},
        {"path": "/truncated/googlefeed.xml", "content_type": "application/xml",
         "text": '<?xml version="1.0"?><rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel>'
                 "<item><title>PACS Administrator</title><g:id>1</g:id>"},
        feed(prefix="/nopage"), job_page("/nopage", status=404, text="Not Found"),
    ])
    results = crawl(config, tmp_path, list(names))
    log = crawl_log(tmp_path)
    assert results["html"].status == "failed" and "expected the googlefeed.xml RSS feed, got an HTML page" in log
    assert results["moved"].status == "failed" and "board moved:" in log
    assert results["truncated"].status == "failed" and "not well-formed XML" in log
    nopage = results["nopage"]
    assert nopage.status == "partial" and nopage.closed == 0 and nopage.new == 5
    assert rows(config, "nopage")["1167811500"].source_updated is None  # its page is asked for again
