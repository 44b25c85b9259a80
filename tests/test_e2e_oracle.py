"""Oracle Recruiting Cloud end to end: the spider against the local server, into a real SQLite file."""

from __future__ import annotations

import json
import time
from pathlib import Path

from pacsjobs.sources import oracle
from tests.api_crawl_helpers import api_requests, crawl, crawl_log, make_config, rows

FIX = Path(__file__).parent / "fixtures" / "oracle"
HOST = "https://evac.fa.us2.oraclecloud.com"
LIST = "/hcmRestApi/resources/latest/recruitingCEJobRequisitions"
DETAIL = "/hcmRestApi/resources/latest/recruitingCEJobRequisitionDetails"
ALL_IDS = sorted(p.stem for p in (FIX / "detail").glob("*.json"))


def listing(term: str, offset: int, file: str, prefix: str = "", **extra) -> dict:
    return {
        "path": f"{prefix}{LIST}",
        "query": {"finder": oracle.list_finder("CX_1", term, offset)},
        "file": f"oracle/{file}",
        **extra,
    }


def detail(job_id: str, prefix: str = "", **extra) -> dict:
    return {
        "path": f"{prefix}{DETAIL}",
        "query": {"finder": oracle.detail_finder("CX_1", job_id)},
        "file": f"oracle/detail/{job_id}.json",
        **extra,
    }


def details(prefix: str = "") -> list[dict]:
    return [detail(job_id, prefix) for job_id in ALL_IDS]


FIRST = [
    listing("PACS", 0, "reqs_pacs_offset0.json"),
    listing("PACS", 25, "reqs_pacs_offset25.json"),
    listing("imaging informatics", 0, "reqs_imaging_informatics.json"),
]


def source(server, **options) -> dict:
    entry = {
        "name": "oracle:providence",
        "platform": "oracle",
        "employer": "Providence",
        "base_url": server.url,
        "host": "evac.fa.us2.oraclecloud.com",
        "site": "CX_1",
        "keywords": ["PACS", "imaging informatics"],
    }
    entry.update(options)
    return entry


def test_crawl_pages_to_the_end_recrawls_incrementally_and_closes_only_after_a_complete_crawl(
    server, tmp_path
):
    name = "oracle:providence"
    config = make_config(tmp_path, [source(server)])
    server.routes(FIRST + details())
    first = crawl(config, tmp_path, [name])[name]
    assert first.status == "succeeded", first.message
    stored = rows(config, name)
    assert sorted(stored) == ALL_IDS and len(ALL_IDS) == 27
    assert (first.reported, first.fetched, first.new) == (29, 29, 27)
    pages = sorted(r["query"]["finder"] for r in api_requests(server, LIST))
    assert pages == sorted(
        oracle.list_finder("CX_1", t, o)
        for t, o in (("PACS", 0), ("PACS", 25), ("imaging informatics", 0))
    )
    assert all(r["query"]["onlyData"] == "true" for r in api_requests(server, LIST))
    assert len(api_requests(server, DETAIL)) == 27
    admin = stored["25041873"]
    assert admin.url == f"{HOST}/hcmUI/CandidateExperience/en/sites/CX_1/job/25041873"
    assert (admin.title, admin.employer, admin.workplace) == (
        "PACS Administrator",
        "Providence",
        "onsite",
    )
    assert "maintain DICOM connectivity with modalities" in admin.description_text
    assert (admin.city, admin.state) == ("Portland", "OR")

    # unchanged re-crawl: three listing pages, no detail request
    server.routes(FIRST + details())
    second = crawl(config, tmp_path, [name])[name]
    assert second.status == "succeeded" and second.new == 0 and second.requests_saved == 27
    assert (len(api_requests(server, LIST)), len(api_requests(server, DETAIL))) == (6, 27)

    # the second page fails for good (every retry answered 503): not complete, nothing closed
    down = listing("PACS", 25, "reqs_empty.json", status=503, headers={"Retry-After": "0"})
    server.routes([FIRST[0], down, FIRST[2]] + details())
    failed = crawl(config, tmp_path, [name])[name]
    assert failed.status == "partial" and failed.closed == 0
    assert all(r.closed_at is None for r in rows(config, name).values())

    # complete again without the Imaging Informatics Analyst (both searches): closed
    server.routes(
        [
            listing("PACS", 0, "reqs_pacs_after_offset0.json"),
            listing("PACS", 25, "reqs_pacs_after_offset25.json"),
            listing("imaging informatics", 0, "reqs_empty.json"),
        ]
        + details()
    )
    after = crawl(config, tmp_path, [name])[name]
    assert after.status == "succeeded" and after.closed == 1
    assert {k for k, r in rows(config, name).items() if r.closed_at is not None} == {"25039920"}
    assert len(api_requests(server, DETAIL)) == 27


def test_a_changed_posted_date_fetches_the_detail_again(server, tmp_path):
    name = "oracle:providence"
    config = make_config(tmp_path, [source(server, keywords=["imaging informatics"])])
    server.routes([FIRST[2]] + details())
    assert crawl(config, tmp_path, [name])[name].new == 2
    page = json.loads((FIX / "reqs_imaging_informatics.json").read_text())
    page["items"][0]["requisitionList"][0]["PostedDate"] = "2026-11-27"  # re-posted
    server.routes(
        [{"path": LIST, "text": json.dumps(page), "content_type": "application/json"}] + details()
    )
    again = crawl(config, tmp_path, [name])[name]
    assert again.requests_saved == 1
    assert [r["query"]["finder"] for r in api_requests(server, DETAIL)][2:] == [
        oracle.detail_finder("CX_1", "25039920")
    ]
    assert rows(config, name)["25039920"].source_updated == "2026-11-27"


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
    imaging = "reqs_imaging_informatics.json"
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
        detail("25042210", "/r500", status=500, times=1),
        listing("imaging informatics", 0, imaging, "/bad"),
        {
            "path": f"/bad{DETAIL}",
            "query": {"finder": oracle.detail_finder("CX_1", "25042210")},
            "content_type": "text/html",
            "text": "<html><head><title>Oracle Cloud - Error</title></head><body>Error 503</body></html>",
        },
        listing("PACS", 0, "reqs_pacs_offset0.json", "/mm"),
        listing("PACS", 25, "reqs_pacs_after_offset25.json", "/mm"),  # 26 in all, page 1 said 27
    ]
    for n in names:
        routes += details(f"/{n}")
    server.routes(routes)
    started = time.monotonic()
    results = crawl(config, tmp_path, list(names))

    assert results["r429"].status == "succeeded" and results["r429"].new == 2, results[
        "r429"
    ].message
    assert len(api_requests(server, f"/r429{LIST}")) == 2
    assert time.monotonic() - started >= 1.0
    assert results["r500"].status == "succeeded" and results["r500"].new == 2
    assert len(api_requests(server, f"/r500{DETAIL}")) == 3  # 2 details, one of them twice

    bad = results["bad"]
    assert bad.status == "partial" and bad.errors >= 1 and bad.closed == 0
    assert "bad payload from" in crawl_log(tmp_path)
    kept = rows(config, "bad")["25042210"]  # stored from its listing, marked to be fetched again
    assert kept.title == "Senior PACS Systems Engineer" and kept.source_updated is None

    mm = results["mm"]
    assert (mm.reported, mm.fetched, mm.new) == (27, 26, 26)
    assert "board keyword=PACS reports 27 postings, fetched 26" in crawl_log(tmp_path)
