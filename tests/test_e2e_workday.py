"""Workday CXS end to end: the spider against the local server, into a real SQLite file."""

from __future__ import annotations

import json
import time
from pathlib import Path

from tests.api_crawl_helpers import api_requests, crawl, crawl_log, make_config, rows

FIX = Path(__file__).parent / "fixtures" / "workday"
BOARD_URL = "https://ccf.wd1.myworkdayjobs.com/ClevelandClinicCareers"
API = "/wday/cxs/ccf/ClevelandClinicCareers"
ALL_IDS = sorted(p.stem for p in (FIX / "detail").glob("*.json"))


def listing(term: str, offset: int, file: str, prefix: str = "", **extra) -> dict:
    return {
        "method": "POST",
        "path": f"{prefix}{API}/jobs",
        "body": {"searchText": term, "offset": offset},
        "file": f"workday/{file}",
        **extra,
    }


def details(prefix: str = "") -> list[dict]:
    """A detail route for every posting of the fixtures."""
    routes = []
    for page in ("jobs_pacs_offset0.json", "jobs_pacs_offset20.json"):
        for post in json.loads((FIX / page).read_text())["jobPostings"]:
            req = post["bulletFields"][0]
            routes.append(
                {
                    "path": f"{prefix}{API}{post['externalPath']}",
                    "file": f"workday/detail/{req}.json",
                }
            )
    return routes


FIRST = [
    listing("PACS", 0, "jobs_pacs_offset0.json"),
    listing("PACS", 20, "jobs_pacs_offset20.json"),
    listing("imaging informatics", 0, "jobs_imaging_informatics.json"),
]


def source(server, **options) -> dict:
    entry = {
        "name": "workday:cleveland-clinic",
        "platform": "workday",
        "employer": "Cleveland Clinic",
        "base_url": server.url,
        "url": BOARD_URL,
        "keywords": ["PACS", "imaging informatics"],
    }
    entry.update(options)
    return entry


def test_crawl_pages_to_the_end_recrawls_incrementally_and_closes_only_after_a_complete_crawl(
    server, tmp_path
):
    name = "workday:cleveland-clinic"
    config = make_config(tmp_path, [source(server)])
    server.routes(FIRST + details())
    first = crawl(config, tmp_path, [name])[name]
    assert first.status == "succeeded", first.message
    stored = rows(config, name)
    assert sorted(stored) == ALL_IDS and len(ALL_IDS) == 22
    # 22 + 2 reported; the second term's two postings were already found by the first
    assert (first.reported, first.fetched, first.new) == (24, 24, 22)
    posts = api_requests(server, API, "POST")
    # page 2 says total 0 (as real boards do): no third page is asked for
    assert sorted(
        (r["body"]["searchText"], r["body"]["offset"], r["body"]["limit"]) for r in posts
    ) == [("PACS", 0, 20), ("PACS", 20, 20), ("imaging informatics", 0, 20)]
    assert len(api_requests(server, f"{API}/job/", "GET")) == 22
    admin = stored["R2601234"]
    assert admin.url == f"{BOARD_URL}/job/Cleveland-Clinic-Main-Campus/PACS-Administrator_R2601234"
    assert (admin.title, admin.employer, admin.workplace) == (
        "PACS Administrator",
        "Cleveland Clinic",
        "onsite",
    )
    assert "DICOM and HL7 interface troubleshooting" in admin.description_text
    assert stored["R2601502"].workplace == "remote"

    # unchanged re-crawl: the three listing pages, no detail request
    server.routes(FIRST + details())
    second = crawl(config, tmp_path, [name])[name]
    assert second.status == "succeeded" and second.new == 0
    assert (second.requests_saved, len(api_requests(server, f"{API}/job/", "GET"))) == (22, 22)
    assert len(api_requests(server, API, "POST")) == 6

    # the second page fails for good (every retry answered 503): not complete, nothing closed
    down = listing("PACS", 20, "jobs_empty.json", status=503, headers={"Retry-After": "0"})
    server.routes([FIRST[0], down, FIRST[2]] + details())
    failed = crawl(config, tmp_path, [name])[name]
    assert failed.status == "partial" and failed.closed == 0
    assert all(r.closed_at is None for r in rows(config, name).values())

    # complete again without the Senior PACS Analyst: closed, and still no detail request
    server.routes(
        [
            listing("PACS", 0, "jobs_pacs_after_offset0.json"),
            listing("PACS", 20, "jobs_pacs_after_offset20.json"),
            FIRST[2],
        ]
        + details()
    )
    after = crawl(config, tmp_path, [name])[name]
    assert after.status == "succeeded" and after.closed == 1
    assert {k for k, r in rows(config, name).items() if r.closed_at is not None} == {"R2600871"}
    assert len(api_requests(server, f"{API}/job/", "GET")) == 22


def test_retries_count_check_and_bad_payloads_each_board_on_its_own(server, tmp_path):
    """One crawl, four sources, each on its own path prefix of the local server."""
    names = ("r429", "r500", "bad", "mm")
    config = make_config(
        tmp_path,
        [
            source(
                server,
                name=n,
                base_url=f"{server.url}/{n}",
                keywords=["PACS" if n == "mm" else "imaging informatics"],
            )
            for n in names
        ],
    )
    imaging = "jobs_imaging_informatics.json"
    remote_detail = f"{API}/job/Remote/Imaging-Informatics-Analyst-II_R2601502"
    routes = [
        listing(
            "imaging informatics",
            0,
            imaging,
            "/r429",
            status=429,
            headers={"Retry-After": "1"},
            times=1,
        ),
        listing("imaging informatics", 0, imaging, "/r429"),
        listing("imaging informatics", 0, imaging, "/r500"),
        {
            "path": f"/r500{remote_detail}",
            "status": 500,
            "text": "Internal Server Error",
            "times": 1,
        },
        listing("imaging informatics", 0, imaging, "/bad"),
        {
            "path": f"/bad{remote_detail}",
            "content_type": "text/html",
            "text": "<!DOCTYPE html><html><body>Workday is down for maintenance</body></html>",
        },
        listing("PACS", 0, "jobs_pacs_offset0.json", "/mm"),
        listing("PACS", 20, "jobs_pacs_after_offset20.json", "/mm"),  # 21 in all, page 1 said 22
    ]
    for n in names:
        routes += details(f"/{n}")
    server.routes(routes)
    started = time.monotonic()
    results = crawl(config, tmp_path, list(names))

    assert results["r429"].status == "succeeded" and results["r429"].new == 2, results[
        "r429"
    ].message
    assert len(api_requests(server, f"/r429{API}/jobs")) == 2
    assert time.monotonic() - started >= 1.0
    assert results["r500"].status == "succeeded" and results["r500"].new == 2
    assert len(api_requests(server, f"/r500{remote_detail}")) == 2

    bad = results["bad"]
    assert bad.status == "partial" and bad.errors >= 1 and bad.closed == 0
    assert "bad payload from" in crawl_log(tmp_path)
    kept = rows(config, "bad")["R2601502"]  # stored from its listing, marked to be fetched again
    assert kept.title == "Imaging Informatics Analyst II" and kept.source_updated is None

    mm = results["mm"]
    assert (mm.reported, mm.fetched, mm.new) == (22, 21, 21)
    assert "board searchText=PACS reports 22 postings, fetched 21" in crawl_log(tmp_path)
