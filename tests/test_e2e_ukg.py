"""UKG Pro Recruiting end to end: the spider against the local server, into a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

from pacsjobs.sources import ukg
from tests.api_crawl_helpers import api_requests, crawl, crawl_log, make_config, rows

FIX = Path(__file__).parent / "fixtures" / "ukg"
BOARD = "/BAP1001BAPT/JobBoard/5b9e2c1f-7a3d-4c1e-9f60-2d8a41b7c3e5"
BOARD_URL = f"https://recruiting2.ultipro.com{BOARD}"
SEARCH = f"{BOARD}/JobBoardView/LoadSearchResults"
DETAIL = f"{BOARD}/OpportunityDetail"
ALL_IDS = sorted(p.stem for p in (FIX / "detail").glob("*.html"))
ADMIN, ANALYST = "87751d4c-a850-4e2c-84dc-da6a797d76de", "61b339ff-2481-44e5-998b-88dbaa99e079"
BOARD_PAGE = "<!DOCTYPE html><html><head><title>Careers</title></head><body>job board</body></html>"


def board_page(prefix: str = "", **extra) -> dict:
    return {"path": f"{prefix}{BOARD}", "text": BOARD_PAGE, "content_type": "text/html", **extra}


def search(term: str, skip: int, file: str, prefix: str = "", **extra) -> dict:
    return {
        "method": "POST",
        "path": f"{prefix}{SEARCH}",
        "body": {"opportunitySearch": ukg.search_body(term, skip)["opportunitySearch"]},
        "file": f"ukg/{file}",
        **extra,
    }


def details(prefix: str = "") -> list[dict]:
    return [
        {"path": f"{prefix}{DETAIL}", "query": {"opportunityId": i}, "file": f"ukg/detail/{i}.html"}
        for i in ALL_IDS
    ]


FIRST = [
    board_page(),
    search("PACS", 0, "search_pacs_skip0.json"),
    search("PACS", 50, "search_pacs_skip50.json"),
    search("imaging informatics", 0, "search_imaging_informatics.json"),
]


def source(server, **options) -> dict:
    entry = {
        "name": "ukg:baptist",
        "platform": "ukg",
        "employer": "Baptist Memorial Health Care",
        "base_url": server.url,
        "url": BOARD_URL,
        "keywords": ["PACS", "imaging informatics"],
    }
    entry.update(options)
    return entry


def test_crawl_pages_to_the_end_recrawls_incrementally_and_closes_only_after_a_complete_crawl(
    server, tmp_path
):
    name = "ukg:baptist"
    config = make_config(tmp_path, [source(server)])
    server.routes(FIRST + details())
    first = crawl(config, tmp_path, [name])[name]
    assert first.status == "succeeded", first.message
    stored = rows(config, name)
    assert sorted(stored) == ALL_IDS and len(ALL_IDS) == 52
    assert (first.reported, first.fetched, first.new) == (54, 54, 52)
    pages = sorted(
        (r["body"]["opportunitySearch"]["QueryString"], r["body"]["opportunitySearch"]["Skip"])
        for r in api_requests(server, SEARCH, "POST")
    )
    assert pages == [("PACS", 0), ("PACS", 50), ("imaging informatics", 0)]
    assert len(api_requests(server, DETAIL)) == 52
    admin = stored[ADMIN]
    assert admin.url == f"{BOARD_URL}/OpportunityDetail?opportunityId={ADMIN}"
    assert (admin.title, admin.employer, admin.workplace, admin.state) == (
        "PACS Administrator", "Baptist Memorial Health Care", "onsite", "TN",
    )
    assert (admin.salary_min, admin.salary_max, admin.salary_period) == (82000, 104000, "year")
    assert "Maintain DICOM connectivity with modalities" in admin.description_text
    assert stored[ANALYST].salary_min is None  # PayRangeVisible false: not published pay

    # unchanged re-crawl: the board page and three listing pages, no detail request
    server.routes(FIRST + details())
    second = crawl(config, tmp_path, [name])[name]
    assert second.status == "succeeded" and second.new == 0 and second.requests_saved == 52
    assert (len(api_requests(server, SEARCH)), len(api_requests(server, DETAIL))) == (6, 52)

    # the second page fails for good (every retry answered 503): not complete, nothing closed
    down = search("PACS", 50, "search_empty.json", status=503, headers={"Retry-After": "0"})
    server.routes([FIRST[0], FIRST[1], down, FIRST[3]] + details())
    failed = crawl(config, tmp_path, [name])[name]
    assert failed.status == "partial" and failed.closed == 0
    assert all(r.closed_at is None for r in rows(config, name).values())

    # complete again without the Imaging Informatics Analyst (both searches): closed
    server.routes(
        [
            board_page(),
            search("PACS", 0, "search_pacs_after_skip0.json"),
            search("PACS", 50, "search_pacs_after_skip50.json"),
            search("imaging informatics", 0, "search_empty.json"),
        ]
        + details()
    )
    after = crawl(config, tmp_path, [name])[name]
    assert after.status == "succeeded" and after.closed == 1
    assert {k for k, r in rows(config, name).items() if r.closed_at is not None} == {ANALYST}
    assert len(api_requests(server, DETAIL)) == 52


def test_a_reposted_opportunity_fetches_its_detail_again(server, tmp_path):
    name = "ukg:baptist"
    config = make_config(tmp_path, [source(server, keywords=["imaging informatics"])])
    server.routes([FIRST[0], FIRST[3]] + details())
    assert crawl(config, tmp_path, [name])[name].new == 2
    page = json.loads((FIX / "search_imaging_informatics.json").read_text())
    moved = next(o for o in page["opportunities"] if o["Id"] == ANALYST)
    moved["PostedDate"] = "2026-12-01T08:00:00.000Z"  # re-published to the board
    server.routes(
        [
            FIRST[0],
            {"method": "POST", "path": SEARCH, "text": json.dumps(page), "content_type": "application/json"},
        ]
        + details()
    )
    again = crawl(config, tmp_path, [name])[name]
    assert again.requests_saved == 1
    assert [r["query"]["opportunityId"] for r in api_requests(server, DETAIL)][2:] == [ANALYST]
    assert rows(config, name)[ANALYST].source_updated == "2026-12-01T08:00:00.000Z"


def test_bad_boards_each_fail_on_their_own_with_one_clear_line_and_close_nothing(server, tmp_path):
    """One crawl, seven sources on their own path prefixes: gone, moved, HTML, bad detail, short,
    and two that recover (a 429 with Retry-After, a 500 then the detail)."""
    names = ("gone", "moved", "html", "bad", "mm", "r429", "r500")
    config = make_config(
        tmp_path,
        [
            source(server, name=n, base_url=f"{server.url}/{n}",
                   keywords=["PACS" if n == "mm" else "imaging informatics"])
            for n in names
        ],
    )
    imaging = "search_imaging_informatics.json"
    routes = [
        # a tenant that does not exist: the board page is 404 (its search would answer empty)
        board_page("/gone", status=404),
        search("imaging informatics", 0, "search_empty.json", "/gone"),
        # the board moved: its page redirects to the employer's home page
        {"path": f"/moved{BOARD}", "status": 302, "headers": {"Location": "/moved/home"}},
        {"path": "/moved/home", "text": "<html><body>Welcome</body></html>", "content_type": "text/html"},
        search("imaging informatics", 0, "search_empty.json", "/moved"),  # would read as "no jobs"
        # HTML where JSON was expected
        board_page("/html"),
        {"method": "POST", "path": f"/html{SEARCH}", "content_type": "text/html",
         "text": "<!DOCTYPE html><html><body>Service Unavailable</body></html>"},
        # a detail page without the opportunity data (taken down between listing and detail)
        board_page("/bad"),
        search("imaging informatics", 0, imaging, "/bad"),
        {"path": f"/bad{DETAIL}", "query": {"opportunityId": ANALYST}, "content_type": "text/html",
         "text": "<html><body><div>Opportunity.OpportunityError.OpportunityUnavailableMessage</div></body></html>"},
        # 51 in all where the first page said 52
        board_page("/mm"),
        search("PACS", 0, "search_pacs_skip0.json", "/mm"),
        search("PACS", 50, "search_pacs_after_skip50.json", "/mm"),
        board_page("/r429"),
        search("imaging informatics", 0, imaging, "/r429", status=429, headers={"Retry-After": "1"}, times=1),
        search("imaging informatics", 0, imaging, "/r429"),
        board_page("/r500"),
        search("imaging informatics", 0, imaging, "/r500"),
        {"path": f"/r500{DETAIL}", "query": {"opportunityId": ADMIN}, "status": 500, "text": "error", "times": 1},
    ]
    for n in names:
        routes += details(f"/{n}")
    server.routes(routes)
    results = crawl(config, tmp_path, list(names))
    log = crawl_log(tmp_path)

    assert results["gone"].status == "failed" and results["gone"].new == 0
    assert not api_requests(server, f"/gone{SEARCH}")  # never searched, so never read as empty
    assert results["moved"].status == "failed" and not api_requests(server, f"/moved{SEARCH}")
    assert f"board moved: {BOARD_URL} now leads to {server.url}/moved/home" in log
    assert results["html"].status == "failed"
    assert "expected JSON, got an HTML page" in log
    bad = results["bad"]
    assert bad.status == "partial" and bad.closed == 0 and bad.new == 2
    assert "not a UKG opportunity page" in log
    kept = rows(config, "bad")[ANALYST]  # stored from its listing, marked to be fetched again
    assert kept.title == "Imaging Informatics Analyst" and kept.source_updated is None
    mm = results["mm"]
    assert (mm.reported, mm.fetched) == (52, 51)
    assert "board QueryString=PACS reports 52 postings, fetched 51" in log
    assert results["r429"].status == "succeeded" and results["r429"].new == 2
    assert len(api_requests(server, f"/r429{SEARCH}")) == 2
    assert results["r500"].status == "succeeded" and results["r500"].new == 2
    assert len(api_requests(server, f"/r500{DETAIL}")) == 3  # 2 details, one of them twice
