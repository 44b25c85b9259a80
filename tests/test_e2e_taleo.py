"""Taleo Enterprise end to end: the spider against the local server, into a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

from pacsjobs.sources import taleo
from tests.api_crawl_helpers import api_requests, crawl, crawl_log, make_config, rows

FIX = Path(__file__).parent / "fixtures" / "taleo"
SECTION_URL = "https://tenet.taleo.net/careersection/10000"
SEARCH_PAGE = "/careersection/10000/jobsearch.ftl"
SEARCH = "/careersection/rest/jobboard/searchjobs"
DETAIL = "/careersection/10000/jobdetail.ftl"
ALL_IDS = sorted(p.stem for p in (FIX / "detail").glob("*.html"))
ADMIN, ANALYST = "260012A", "260013B"


def search_page(prefix: str = "", **extra) -> dict:
    return {"path": f"{prefix}{SEARCH_PAGE}", "query": {"lang": "en"}, "file": "taleo/jobsearch.html", **extra}


def search(term: str, page_no: int, file: str, prefix: str = "", **extra) -> dict:
    body = taleo.search_body(term, page_no)
    return {
        "method": "POST",
        "path": f"{prefix}{SEARCH}",
        "query": {"lang": "en", "portal": "560110087"},
        "body": {"pageNo": page_no, "fieldData": body["fieldData"]},
        "file": f"taleo/{file}",
        **extra,
    }


def details(prefix: str = "") -> list[dict]:
    return [
        {"path": f"{prefix}{DETAIL}", "query": {"job": j}, "file": f"taleo/detail/{j}.html"}
        for j in ALL_IDS
    ]


FIRST = [
    search_page(),
    search("PACS", 1, "search_pacs_page1.json"),
    search("PACS", 2, "search_pacs_page2.json"),
    search("imaging informatics", 1, "search_imaging_informatics_page1.json"),
]


def source(server, **options) -> dict:
    entry = {
        "name": "taleo:tenet",
        "platform": "taleo",
        "employer": "Tenet Healthcare",
        "base_url": server.url,
        "url": SECTION_URL,
        "keywords": ["PACS", "imaging informatics"],
    }
    entry.update(options)
    return entry


def test_crawl_pages_to_the_count_recrawls_incrementally_and_closes_only_after_a_complete_crawl(
    server, tmp_path
):
    name = "taleo:tenet"
    config = make_config(tmp_path, [source(server)])
    server.routes(FIRST + details())
    first = crawl(config, tmp_path, [name])[name]
    assert first.status == "succeeded", first.message
    stored = rows(config, name)
    assert sorted(stored) == ALL_IDS and len(ALL_IDS) == 27
    assert (first.reported, first.fetched, first.new) == (29, 29, 27)
    posts = api_requests(server, SEARCH, "POST")
    assert sorted((r["body"]["fieldData"]["fields"]["KEYWORD"], r["body"]["pageNo"]) for r in posts) == [
        ("PACS", 1), ("PACS", 2), ("imaging informatics", 1)
    ]
    assert all(r["headers"].get("tz") for r in posts)  # without it Taleo answers 500
    assert len(api_requests(server, DETAIL)) == 27
    admin = stored[ADMIN]
    assert admin.url == f"{SECTION_URL}/jobdetail.ftl?job={ADMIN}"
    assert (admin.title, admin.employer, admin.city, admin.state) == (
        "PACS Administrator", "Tenet Healthcare", "Dallas", "TX",
    )
    assert "maintains DICOM connectivity with modalities" in admin.description_text
    assert "3 years of PACS administration" in admin.description_text
    assert str(admin.date_posted) == "2026-11-01"

    # unchanged re-crawl: the search page and three listing pages, no detail request
    server.routes(FIRST + details())
    second = crawl(config, tmp_path, [name])[name]
    assert second.status == "succeeded" and second.new == 0 and second.requests_saved == 27
    assert (len(api_requests(server, SEARCH)), len(api_requests(server, DETAIL))) == (6, 27)

    # the second page fails for good (every retry answered 503): not complete, nothing closed
    down = search("PACS", 2, "search_empty.json", status=503, headers={"Retry-After": "0"})
    server.routes([FIRST[0], FIRST[1], down, FIRST[3]] + details())
    failed = crawl(config, tmp_path, [name])[name]
    assert failed.status == "partial" and failed.closed == 0
    assert all(r.closed_at is None for r in rows(config, name).values())

    # complete again without the Imaging Informatics Analyst (both searches): closed
    server.routes(
        [
            search_page(),
            search("PACS", 1, "search_pacs_after_page1.json"),
            search("PACS", 2, "search_pacs_after_page2.json"),
            search("imaging informatics", 1, "search_empty.json"),
        ]
        + details()
    )
    after = crawl(config, tmp_path, [name])[name]
    assert after.status == "succeeded" and after.closed == 1
    assert {k for k, r in rows(config, name).items() if r.closed_at is not None} == {ANALYST}
    assert len(api_requests(server, DETAIL)) == 27


def test_a_reposted_requisition_fetches_its_detail_again(server, tmp_path):
    name = "taleo:tenet"
    config = make_config(tmp_path, [source(server, keywords=["imaging informatics"])])
    server.routes([FIRST[0], FIRST[3]] + details())
    assert crawl(config, tmp_path, [name])[name].new == 2
    page = json.loads((FIX / "search_imaging_informatics_page1.json").read_text())
    page["requisitionList"][1]["column"][2] = "Dec 2, 2026"  # re-posted
    server.routes(
        [FIRST[0], {"method": "POST", "path": SEARCH, "text": json.dumps(page), "content_type": "application/json"}]
        + details()
    )
    again = crawl(config, tmp_path, [name])[name]
    assert again.requests_saved == 1
    assert [r["query"]["job"] for r in api_requests(server, DETAIL)][2:] == [ANALYST]
    assert str(rows(config, name)[ANALYST].date_posted) == "2026-12-02"


def test_bad_sections_each_fail_on_their_own_with_one_clear_line_and_close_nothing(server, tmp_path):
    """One crawl, six sources on their own path prefixes: gone, unpublished, moved, HTML, short,
    and one answered 429 with Retry-After once."""
    names = ("gone", "unpub", "moved", "html", "mm", "r429")
    config = make_config(
        tmp_path,
        [
            source(server, name=n, base_url=f"{server.url}/{n}",
                   keywords=["PACS" if n == "mm" else "imaging informatics"])
            for n in names
        ],
    )
    routes = [
        search_page("/gone", status=404),
        {"path": f"/unpub{SEARCH_PAGE}", "content_type": "text/html",
         "text": "<html><head><title>Career Section Unavailable</title></head><body></body></html>"},
        {"path": f"/moved{SEARCH_PAGE}", "status": 301, "headers": {"Location": "/moved/"}},
        {"path": "/moved/", "content_type": "text/html", "text": "<html><body>Tenet Health - Home</body></html>"},
        search_page("/html"),
        {"method": "POST", "path": f"/html{SEARCH}", "content_type": "text/html",
         "text": "<html><body>Taleo is down for maintenance</body></html>"},
        search_page("/mm"),
        search("PACS", 1, "search_pacs_page1.json", "/mm"),
        search("PACS", 2, "search_pacs_after_page2.json", "/mm"),  # 26 in all, page 1 said 27
        search_page("/r429"),
        search("imaging informatics", 1, "search_imaging_informatics_page1.json", "/r429",
               status=429, headers={"Retry-After": "1"}, times=1),
        search("imaging informatics", 1, "search_imaging_informatics_page1.json", "/r429"),
    ]
    for n in names:
        routes += details(f"/{n}")
    server.routes(routes)
    results = crawl(config, tmp_path, list(names))
    log = crawl_log(tmp_path)
    for n in ("gone", "unpub", "moved", "html"):
        assert results[n].status == "failed" and results[n].new == 0, (n, results[n].message)
    assert "Career Section Unavailable (the section is not published)" in log
    assert "no portalNo on the page" in log
    assert "expected JSON, got an HTML page" in log
    mm = results["mm"]
    assert (mm.reported, mm.fetched) == (27, 26)
    assert "board KEYWORD=PACS reports 27 postings, fetched 26" in log
    assert results["r429"].status == "succeeded" and results["r429"].new == 2
    assert len(api_requests(server, f"/r429{SEARCH}")) == 2
