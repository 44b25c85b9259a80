"""Phenom end to end: sitemap index (plain + gzip) and job pages on the local server, into SQLite."""

from __future__ import annotations

import time
from pathlib import Path

from tests.api_crawl_helpers import api_requests, crawl, crawl_log, make_config, rows

SITE = "https://careers.example-health.org"
NAME = "phenom:northwest"
JOBS = {"R24-118273": "PACS-Administrator", "R24-119002": "Registered-Nurse-ICU-Nights",
        "R24-120511": "Imaging-Informatics-Analyst", "R24-121340": "Senior-PACS-Analyst",
        "R24-121777": "Patient-Access-Representative"}


def sitemaps(second: str = "sitemap2.xml.gz", prefix: str = "", **extra) -> list[dict]:
    return [{"path": f"{prefix}/sitemap.xml", "file": "phenom/sitemap.xml"},
            {"path": f"{prefix}/us/en/sitemap1.xml", "file": "phenom/sitemap1.xml"},
            {"path": f"{prefix}/us/en/sitemap2.xml.gz", "file": f"phenom/{second}", **extra}]


def job_pages(prefix: str = "") -> list[dict]:
    return [{"path": f"{prefix}/us/en/job/{i}/{slug}", "file": f"phenom/jobs/{i}.html"} for i, slug in JOBS.items()]


def job_requests(server, prefix: str = "") -> list[str]:
    return [r["path"] for r in api_requests(server, f"{prefix}/us/en/job/", "GET")]


def source(server, **options) -> dict:
    entry = {"name": NAME, "platform": "phenom", "employer": "Northwest Health", "base_url": server.url,
             "url": SITE}
    entry.update(options)
    return entry


def test_sitemap_job_pages_lastmod_recrawl_and_lifecycle(server, tmp_path):
    config = make_config(tmp_path, [source(server)])
    server.routes(sitemaps() + job_pages())
    first = crawl(config, tmp_path, [NAME])[NAME]
    assert first.status == "succeeded", first.message
    stored = rows(config, NAME)
    assert sorted(stored) == sorted(JOBS)
    assert len(job_requests(server)) == 5  # the home, search and category pages are not fetched
    admin = stored["R24-118273"]
    assert admin.url == f"{SITE}/us/en/job/R24-118273/PACS-Administrator"
    assert (admin.title, admin.employer, admin.source_updated) == ("PACS Administrator", "Northwest Health",
                                                                    "2026-11-10")
    assert (admin.salary_min, admin.salary_max) == (82000, 98500)
    # the JSON-LD had a teaser: the page data's full description is kept
    assert "Epic Radiant orders and results" in stored["R24-120511"].description_text
    # no JSON-LD at all: the page data is the posting
    assert "zero-footprint viewer" in stored["R24-121340"].description_text
    assert stored["R24-121340"].is_pacs_role and not stored["R24-119002"].is_pacs_role

    # same lastmods: the sitemaps again, no job page
    second = crawl(config, tmp_path, [NAME])[NAME]
    assert second.status == "succeeded" and second.requests_saved == 5
    assert len(job_requests(server)) == 5

    # the gzipped sitemap fails for good: not complete (only unchanged pages seen), nothing closed
    server.routes(sitemaps(status=503, headers={"Retry-After": "0"}) + job_pages())
    failed = crawl(config, tmp_path, [NAME])[NAME]
    assert failed.status in ("partial", "failed") and failed.closed == 0 and failed.errors >= 1
    assert all(r.closed_at is None for r in rows(config, NAME).values())

    # complete again without the Patient Access Representative: closed, no job page fetched
    server.routes(sitemaps("sitemap2_after.xml.gz") + job_pages())
    after = crawl(config, tmp_path, [NAME])[NAME]
    assert after.status == "succeeded" and after.closed == 1, after.message
    assert {k for k, r in rows(config, NAME).items() if r.closed_at is not None} == {"R24-121777"}
    assert len(job_requests(server)) == 5


def test_slug_keywords_prefilter_and_a_job_page_taken_down(server, tmp_path):
    config = make_config(tmp_path, [source(server, slug_keywords=["pacs", "imaging informatics"])])
    gone = {"path": "/us/en/job/R24-121340/Senior-PACS-Analyst", "status": 302,
            "headers": {"Location": f"{server.url}/us/en/search-results"}}
    server.routes(sitemaps() + [gone, {"path": "/us/en/search-results", "content_type": "text/html",
                                       "text": "<html><body>Search our jobs</body></html>"}] + job_pages())
    result = crawl(config, tmp_path, [NAME])[NAME]
    assert result.status == "succeeded", result.message
    assert sorted(job_requests(server)) == sorted(f"/us/en/job/{i}/{JOBS[i]}" for i in
                                                  ("R24-118273", "R24-120511", "R24-121340"))
    assert sorted(rows(config, NAME)) == ["R24-118273", "R24-120511"]
    assert "job page gone:" in crawl_log(tmp_path)


def test_bad_sitemaps_fail_with_one_line_and_a_huge_sitemap_is_read_bounded(server, tmp_path):
    names = ("home", "missing", "huge", "cut")
    whole = (Path(__file__).parent / "fixtures" / "phenom" / "sitemap1.xml").read_text()
    config = make_config(tmp_path, [
        source(server, name="cut", base_url=f"{server.url}/cut", sitemap="/us/en/sitemap1.xml"),
        source(server, name="home", base_url=f"{server.url}/home"),
        source(server, name="missing", base_url=f"{server.url}/missing"),
        source(server, name="huge", base_url=f"{server.url}/huge", sitemap="/sitemap_100k.xml.gz",
               slug_keywords=["pacs"]),
    ])
    server.routes([
        # the site moved: the sitemap redirects to the employer's home page
        {"path": "/home/sitemap.xml", "status": 301, "headers": {"Location": f"{server.url}/home/index.html"}},
        {"path": "/home/index.html", "content_type": "text/html",
         "text": "<!DOCTYPE html><html><body><h1>Welcome to Northwest Health</h1></body></html>"},
        {"path": "/missing/sitemap.xml", "status": 404, "text": "Not Found"},
        {"path": "/huge/sitemap_100k.xml.gz", "file": "phenom/sitemap_100k.xml.gz"},
        # a sitemap cut short after its second job: what it lists is read, the rest is not known
        {"path": "/cut/us/en/sitemap1.xml", "content_type": "application/xml",
         "text": whole[:whole.index("R24-120511") - 60]},
    ] + job_pages("/huge") + job_pages("/cut"))
    started = time.monotonic()
    results = crawl(config, tmp_path, list(names))
    elapsed = time.monotonic() - started
    log = crawl_log(tmp_path)

    assert results["home"].status == "failed" and results["home"].closed == 0
    assert "expected a sitemap, got an HTML page" in log
    assert results["missing"].status == "failed" and "404" in log

    huge = results["huge"]
    # 100,000 URLs: the first 50,000 are read (one PACS page among them), the run says so
    assert huge.status == "partial" and huge.closed == 0 and huge.new == 1
    assert job_requests(server, "/huge") == ["/huge/us/en/job/R24-118273/PACS-Administrator"]
    assert "the sitemap lists more than 50000 URLs" in log
    assert elapsed < 60

    cut = results["cut"]
    assert cut.status == "partial" and cut.closed == 0 and cut.new == 2
    assert "the sitemap is cut short (no closing </urlset>)" in log


def test_a_corrupt_gzip_sitemap_is_a_bad_sitemap_not_a_crash(server, tmp_path):
    config = make_config(tmp_path, [source(server)])
    server.routes(sitemaps("sitemap2_corrupt.xml.gz") + job_pages())
    result = crawl(config, tmp_path, [NAME])[NAME]
    log = crawl_log(tmp_path)
    # the plain sitemap's jobs are read; the broken one is named and nothing is closed
    assert result.status == "partial" and result.closed == 0 and result.new == 3, result.message
    assert "expected a sitemap, got a broken gzip file" in log
    assert "Traceback" not in log
