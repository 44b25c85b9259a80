"""HealthcareSource end to end: the spider against the local server, into a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

from tests.api_crawl_helpers import api_requests, crawl, crawl_log, make_config, rows

FIX = Path(__file__).parent / "fixtures" / "healthcaresource"
BOARD_URL = "https://redlandshospital.hcshiring.com"
OLD, NEW = "f0f02cc6", "1b7c9e04"
ALL_IDS = sorted(p.stem for p in (FIX / "detail").glob("*.json"))
ADMIN, ANALYST = "pqV8ib8HDy88YtDtXbiufM", "XdI8X2Y4rUmer_BH3M1XS0"


def board_page(prefix: str = "", file: str = "jobs.html", **extra) -> dict:
    return {"path": f"{prefix}/jobs", "file": f"healthcaresource/{file}", **extra}


def listing(term: str, page: int, file: str, prefix: str = "", version: str = OLD, **extra) -> dict:
    return {
        "path": f"{prefix}/{version}/api/jobs",
        "query": {"job": term, "page": page, "internal": "false"},
        "file": f"healthcaresource/{file}",
        **extra,
    }


def details(prefix: str = "", version: str = OLD) -> list[dict]:
    return [
        {"path": f"{prefix}/{version}/api/jobDescriptions", "query": {"id": i},
         "file": f"healthcaresource/detail/{i}.json"}
        for i in ALL_IDS
    ]


FIRST = [
    board_page(),
    listing("imaging", 1, "jobs_imaging_page1.json"),
    listing("imaging", 2, "jobs_imaging_page2.json"),
    listing("PACS", 1, "jobs_pacs_page1.json"),
]


def source(server, **options) -> dict:
    entry = {
        "name": "healthcaresource:redlands",
        "platform": "healthcaresource",
        "employer": "Redlands Community Hospital",
        "base_url": server.url,
        "url": BOARD_URL,
        "keywords": ["imaging", "PACS"],
    }
    entry.update(options)
    return entry


def test_crawl_pages_to_the_count_recrawls_incrementally_and_closes_only_after_a_complete_crawl(
    server, tmp_path
):
    name = "healthcaresource:redlands"
    config = make_config(tmp_path, [source(server)])
    server.routes(FIRST + details())
    first = crawl(config, tmp_path, [name])[name]
    assert first.status == "succeeded", first.message
    stored = rows(config, name)
    assert sorted(stored) == ALL_IDS and len(ALL_IDS) == 12
    assert (first.reported, first.fetched, first.new) == (14, 14, 12)
    pages = sorted((r["query"]["job"], r["query"]["page"]) for r in api_requests(server, f"/{OLD}/api/jobs"))
    assert pages == [("PACS", "1"), ("imaging", "1"), ("imaging", "2")]
    assert len(api_requests(server, f"/{OLD}/api/jobDescriptions")) == 12
    admin = stored[ADMIN]
    assert admin.url == f"{BOARD_URL}/jobs/{ADMIN}"
    assert (admin.title, admin.employer, admin.city, admin.state, admin.postal_code) == (
        "PACS Administrator - Imaging Services", "Redlands Community Hospital", "Redlands", "CA", "92373",
    )
    assert "DICOM routing to modalities" in admin.description_text
    assert (admin.salary_min, admin.salary_period) == (45.1, "hour")  # from the text

    # unchanged re-crawl: the board page and three listing pages, no detail request
    server.routes(FIRST + details())
    second = crawl(config, tmp_path, [name])[name]
    assert second.status == "succeeded" and second.new == 0 and second.requests_saved == 12
    assert len(api_requests(server, f"/{OLD}/api/jobDescriptions")) == 12

    # the second page fails for good: not complete, nothing closed
    down = listing("imaging", 2, "jobs_empty.json", status=503, headers={"Retry-After": "0"})
    server.routes([FIRST[0], FIRST[1], down, FIRST[3]] + details())
    failed = crawl(config, tmp_path, [name])[name]
    assert failed.status == "partial" and failed.closed == 0
    assert all(r.closed_at is None for r in rows(config, name).values())

    # complete again without the Imaging Informatics Analyst (both searches): closed
    server.routes(
        [
            board_page(),
            listing("imaging", 1, "jobs_imaging_after_page1.json"),
            listing("imaging", 2, "jobs_imaging_after_page2.json"),
            listing("PACS", 1, "jobs_empty.json"),
        ]
        + details()
    )
    after = crawl(config, tmp_path, [name])[name]
    assert after.status == "succeeded" and after.closed == 1
    assert {k for k, r in rows(config, name).items() if r.closed_at is not None} == {ANALYST}


def test_a_changed_version_token_is_read_again_once_then_reported(server, tmp_path):
    """'new': the release changed after the page was read (the re-read finds it); 'stale': the
    page still names the token that answers 404 (reported, nothing closed)."""
    config = make_config(
        tmp_path,
        [source(server, name=n, base_url=f"{server.url}/{n}", keywords=["PACS"]) for n in ("new", "stale", "keep")],
    )
    routes = [
        board_page("/new", times=1),
        board_page("/new", "jobs_new_release.html"),
        listing("PACS", 1, "jobs_empty.json", "/new", status=404),
        listing("PACS", 1, "jobs_pacs_page1.json", "/new", version=NEW),
        board_page("/stale"),
        listing("PACS", 1, "jobs_empty.json", "/stale", status=404),
        board_page("/keep"),
        listing("PACS", 1, "jobs_pacs_page1.json", "/keep"),
    ]
    routes += details("/new", NEW) + details("/keep")
    server.routes(routes)
    results = crawl(config, tmp_path, ["new", "stale", "keep"])
    log = crawl_log(tmp_path)
    assert results["new"].status == "succeeded" and results["new"].new == 2, results["new"].message
    assert f"API version changed from {OLD} to {NEW}" in log
    assert len(api_requests(server, "/new/jobs")) == 2
    assert results["stale"].status == "failed" and results["stale"].new == 0
    assert f"version token {OLD} answered 404 and the board page still names it" in log
    assert len(api_requests(server, "/stale/jobs")) == 2  # read again once, not more

    # a stored board whose token goes stale: nothing closed
    server.routes([board_page("/keep"), listing("PACS", 1, "jobs_empty.json", "/keep", status=404)])
    again = crawl(config, tmp_path, ["keep"])["keep"]
    assert again.status == "failed" and again.closed == 0
    kept = rows(config, "keep")
    assert len(kept) == 2 and all(r.closed_at is None for r in kept.values())


def test_bad_boards_each_fail_on_their_own_with_one_clear_line(server, tmp_path):
    names = ("gone", "moved", "html", "mm", "r500")
    config = make_config(
        tmp_path,
        [source(server, name=n, base_url=f"{server.url}/{n}", keywords=["imaging"]) for n in names],
    )
    page1 = json.loads((FIX / "jobs_imaging_page1.json").read_text())
    routes = [
        board_page("/gone", status=404),
        {"path": "/moved/jobs", "status": 302, "headers": {"Location": "/moved/careers"}},
        {"path": "/moved/careers", "content_type": "text/html", "text": "<html><body>Careers at Redlands</body></html>"},
        board_page("/html"),
        {"path": f"/html/{OLD}/api/jobs", "content_type": "text/html", "text": "<html><body>Error</body></html>"},
        board_page("/mm"),
        listing("imaging", 1, "jobs_imaging_page1.json", "/mm"),
        {"path": f"/mm/{OLD}/api/jobs", "query": {"page": 2}, "content_type": "application/json",
         "text": json.dumps({"jobs": [], "meta": {**page1["meta"], "page": 2}})},  # 10 of 12
        board_page("/r500"),
        listing("imaging", 1, "jobs_empty.json", "/r500", status=500, times=1),
        listing("imaging", 1, "jobs_imaging_page1.json", "/r500"),
        listing("imaging", 2, "jobs_imaging_page2.json", "/r500"),
    ] + details("/mm") + details("/r500")
    server.routes(routes)
    results = crawl(config, tmp_path, list(names))
    log = crawl_log(tmp_path)
    for n in ("gone", "moved", "html"):
        assert results[n].status == "failed" and results[n].new == 0, (n, results[n].message)
    assert "not a HealthcareSource board page (moved, or no such tenant?)" in log
    assert "expected JSON, got an HTML page" in log
    assert (results["mm"].reported, results["mm"].fetched) == (12, 10)
    assert "board job=imaging reports 12 postings, fetched 10" in log
    assert results["r500"].status == "succeeded" and results["r500"].new == 12  # a 500, then the page
