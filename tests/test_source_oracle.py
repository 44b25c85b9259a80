"""Oracle Recruiting Cloud parser on real-format payloads (listing + detail): one test per field."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from pacsjobs.config import SourceConfig
from pacsjobs.errors import ParseError
from pacsjobs.sources import oracle

FIX = Path(__file__).parent / "fixtures" / "oracle"
HOST = "https://evac.fa.us2.oraclecloud.com"
JOB_BASE = f"{HOST}/hcmUI/CandidateExperience/en/sites/CX_1"
PAGE1 = (FIX / "reqs_pacs_offset0.json").read_bytes()
PAGE2 = (FIX / "reqs_pacs_offset25.json").read_bytes()


@pytest.fixture(scope="module")
def listing():
    return {p.source_id: p for p in oracle.parse(PAGE1, oracle.list_url(HOST, "CX_1", "PACS"))}


@pytest.fixture(scope="module")
def analyst(listing):
    payload = (FIX / "detail" / "25039920.json").read_bytes()
    return oracle.parse_detail(
        payload, oracle.detail_url(HOST, "CX_1", "25039920"), listing["25039920"]
    )


def test_every_requisition_of_the_page_is_parsed(listing):
    ids = [r["Id"] for r in json.loads(PAGE1)["items"][0]["requisitionList"]]
    assert sorted(listing) == sorted(ids) and len(ids) == 25


def test_reported_total_is_total_jobs_count_not_count():
    assert oracle.reported_total(PAGE1) == 27
    assert oracle.reported_total(PAGE2) == 27
    assert json.loads(PAGE1)["count"] == 1  # describes items (the one search object), not postings
    assert oracle.reported_total(b'{"items": []}') is None


def test_public_url_on_the_candidate_experience_site(listing):
    assert listing["25041873"].url == f"{JOB_BASE}/job/25041873"
    first = oracle.parse(
        PAGE1, "", "https://x.fa.ocs.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_2"
    )[0]
    assert first.url.startswith(
        "https://x.fa.ocs.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_2/job/"
    )


def test_listing_fields(listing):
    p = listing["25039920"]
    assert p.title == "Imaging Informatics Analyst"
    assert p.locations == [
        "Renton, WA, United States",
        "Everett, WA, United States",
        "Spokane, WA, United States",
    ]
    assert (p.country, p.workplace, p.date_posted, p.updated) == (
        "US",
        "Hybrid",
        "2026-11-18",
        "2026-11-18",
    )
    assert p.description_html.startswith("<p>The Imaging Informatics Analyst supports")


def test_detail_description_joins_description_responsibilities_qualifications(analyst):
    html = analyst.description_html
    assert html.startswith(
        "<p>The Imaging Informatics Analyst supports enterprise imaging applications"
    )
    assert "Pay Range: $41.95 - $65.03" in html
    assert html.index("<h3>Responsibilities</h3>") < html.index("<h3>Qualifications</h3>")
    assert "2 years of imaging informatics or PACS experience" in html


def test_detail_keeps_listing_id_url_and_marker(analyst, listing):
    assert (analyst.source_id, analyst.url, analyst.updated) == (
        "25039920",
        listing["25039920"].url,
        "2026-11-18",
    )


def test_detail_schedule_department_employer(analyst):
    assert analyst.employment_type == "Full time"
    assert analyst.department == "Providence Imaging Services"
    assert analyst.employer == "Providence Health & Services - Oregon"
    assert analyst.date_posted == "2026-11-18"


def test_detail_work_location_and_flex_fields_in_extra(analyst):
    assert analyst.extra["work_locations"] == [
        {
            "LocationName": "Providence Imaging Services",
            "TownOrCity": "Renton",
            "Region2": "WA",
            "PostalCode": "98057",
            "Country": "US",
        }
    ]
    assert analyst.extra["flex_fields"] == {"Requisition Number": "25039920-P"}


def test_detail_without_listing_stands_alone():
    url = oracle.detail_url(HOST, "CX_1", "25042210")
    d = oracle.parse_detail((FIX / "detail" / "25042210.json").read_bytes(), url)
    assert (d.source_id, d.url, d.workplace) == ("25042210", f"{JOB_BASE}/job/25042210", "Remote")
    assert d.date_posted == "2026-11-26T15:04:11+00:00"  # ExternalPostedStartDate, as given


def test_empty_detail_is_a_parse_error():
    with pytest.raises(ParseError, match="not found"):
        oracle.parse_detail(b'{"items": [], "count": 0}', "u")


@pytest.mark.parametrize(
    "payload",
    [
        b"<html><title>Oracle Cloud - Error</title></html>",
        b'{"title": "Bad Request", "status": "400"}',
        b'{"items": ["x"]}',
    ],
)
def test_wrong_listing_shapes_raise(payload):
    with pytest.raises(ParseError):
        oracle.parse(payload, "u")


def test_requisitions_without_id_or_title_are_skipped():
    data = json.loads(PAGE2)
    data["items"][0]["requisitionList"][0]["Title"] = None
    assert len(oracle.parse(json.dumps(data), "", JOB_BASE)) == 1


def test_list_url_carries_the_finder():
    url = oracle.list_url(HOST, "CX_1", "imaging informatics", 25)
    parts = urlsplit(url)
    assert parts.path == "/hcmRestApi/resources/latest/recruitingCEJobRequisitions"
    query = parse_qs(parts.query)
    assert query["onlyData"] == ["true"]
    assert query["finder"] == [
        'findReqs;siteNumber=CX_1,limit=25,keyword="imaging informatics",offset=25,'
        "sortBy=POSTING_DATES_DESC"
    ]
    assert "keyword" not in oracle.list_finder("CX_1", "")


def test_detail_url_carries_the_by_id_finder():
    query = parse_qs(urlsplit(oracle.detail_url(HOST, "CX_2", "123")).query)
    assert query["finder"] == ['ById;Id="123",siteNumber=CX_2'] and query["expand"] == ["all"]


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({}, "host: is required"),
        ({"host": "evac.fa.us2.oraclecloud.com", "site": "CX 1"}, "site: .* is not a site number"),
        (
            {"host": "evac.fa.us2.oraclecloud.com", "keywords": ['"PACS"']},
            "keywords: must be a list",
        ),
        ({"host": "evac.fa.us2.oraclecloud.com", "url": "x"}, "url: unknown key"),
    ],
)
def test_check_options_names_the_key(options, problem):
    with pytest.raises(ValueError, match=problem):
        oracle.check_options(options)


def test_check_options_defaults_and_host_normalized():
    assert oracle.check_options({"host": "evac.fa.us2.oraclecloud.com/"}) == {
        "host": HOST,
        "site": "CX_1",
        "lang": "en",
    }


def test_first_page_request():
    src = SourceConfig(
        name="o",
        platform="oracle",
        base_url="http://127.0.0.1:9",
        options={"host": HOST, "site": "CX_1", "keywords": ["PACS"]},
    )
    method, url, headers, body = oracle.first_page_request(src)
    assert method == "GET" and body is None and headers == {"Accept": "application/json"}
    assert url == oracle.list_url("http://127.0.0.1:9", "CX_1", "PACS")


def test_a_detail_response_is_not_taken_for_a_listing():
    with pytest.raises(ParseError, match="parse_detail"):
        oracle.parse((FIX / "detail" / "25041873.json").read_bytes(), "u")
