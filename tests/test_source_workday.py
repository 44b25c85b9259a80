"""Workday CXS parser on real-format payloads (listing + detail): one test per field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pacsjobs.config import SourceConfig
from pacsjobs.errors import ParseError
from pacsjobs.sources import workday

FIX = Path(__file__).parent / "fixtures" / "workday"
BOARD_URL = "https://ccf.wd1.myworkdayjobs.com/ClevelandClinicCareers"
API = "https://ccf.wd1.myworkdayjobs.com/wday/cxs/ccf/ClevelandClinicCareers"
PAGE1 = (FIX / "jobs_pacs_offset0.json").read_bytes()
PAGE2 = (FIX / "jobs_pacs_offset20.json").read_bytes()


@pytest.fixture(scope="module")
def listing():
    return {p.source_id: p for p in workday.parse(PAGE1, f"{API}/jobs", BOARD_URL)}


@pytest.fixture(scope="module")
def admin(listing):
    payload = (FIX / "detail" / "R2601234.json").read_bytes()
    return workday.parse_detail(
        payload, API + listing["R2601234"].extra["external_path"], listing["R2601234"]
    )


def test_every_posting_of_the_page_is_parsed(listing):
    paths = [p["externalPath"] for p in json.loads(PAGE1)["jobPostings"]]
    assert len(listing) == len(paths) == 20
    assert sorted(p.extra["external_path"] for p in listing.values()) == sorted(paths)


def test_total_only_on_the_first_page():
    assert workday.reported_total(PAGE1) == 22
    assert workday.reported_total(PAGE2) is None  # real boards answer total 0 after the first page
    assert workday.reported_total((FIX / "jobs_empty.json").read_bytes()) == 0


def test_id_is_the_req_number_ending_external_path(listing):
    assert "R2601234" in listing
    assert workday.req_id("/job/Remote/Analyst_JR0286635-1") == "JR0286635-1"
    assert workday.req_id("/job/Remote/Analyst", ["Analyst"]) == "Analyst"
    assert workday.req_id("/job/Remote/x") == "/job/Remote/x"


def test_public_url_is_board_url_plus_external_path(listing):
    assert (
        listing["R2601234"].url
        == f"{BOARD_URL}/job/Cleveland-Clinic-Main-Campus/PACS-Administrator_R2601234"
    )


def test_board_url_derived_from_the_api_url_when_not_given():
    first = workday.parse(PAGE1, f"{API}/jobs")[0]
    assert first.url.startswith("https://ccf.wd1.myworkdayjobs.com/ClevelandClinicCareers/job/")


def test_listing_fields(listing):
    p = listing["R2601234"]
    assert (p.title, p.locations, p.date_posted) == (
        "PACS Administrator",
        ["Cleveland Clinic Main Campus"],
        "Posted 3 Days Ago",
    )


def test_n_locations_text_names_no_location(listing):
    assert listing["R2600871"].locations == []
    assert listing["R2600871"].extra["locations_text"] == "2 Locations"


def test_marker_ignores_the_drifting_posted_on(listing):
    data = json.loads(PAGE1)
    for post in data["jobPostings"]:
        post["postedOn"] = "Posted 30+ Days Ago"
    again = {p.source_id: p.updated for p in workday.parse(json.dumps(data), "", BOARD_URL)}
    assert again == {k: p.updated for k, p in listing.items()}
    assert listing["R2601234"].updated == "PACS Administrator @ Cleveland Clinic Main Campus"


def test_detail_title_description_and_dates(admin):
    assert admin.title == "PACS Administrator"
    assert admin.description_html.startswith(
        "<p><b>Job Summary:</b></p><p>The PACS Administrator supports"
    )
    assert "Maximum Annual Salary: $100,189.00" in admin.description_html
    assert admin.date_posted == "2026-11-25"
    assert admin.salary is None  # Workday has no structured pay


def test_detail_keeps_listing_id_url_and_marker(admin, listing):
    assert admin.source_id == "R2601234"
    assert admin.url == listing["R2601234"].url
    assert admin.updated == listing["R2601234"].updated


def test_detail_workplace_time_type_country_employer(admin):
    assert (admin.workplace, admin.employment_type) == ("On-site", "Full time")
    assert admin.country == "United States of America"
    assert admin.employer == "Cleveland Clinic"
    assert admin.extra["job_req_id"] == "R2601234"


def test_detail_lists_additional_locations(listing):
    detail = workday.parse_detail(
        (FIX / "detail" / "R2600871.json").read_bytes(), "", listing["R2600871"]
    )
    assert detail.locations == ["Cleveland Clinic Main Campus", "Cleveland Clinic Weston Hospital"]
    assert detail.workplace == "Hybrid"


def test_detail_without_listing_stands_alone():
    detail = workday.parse_detail((FIX / "detail" / "R2601502.json").read_bytes())
    assert (detail.source_id, detail.workplace) == ("R2601502", "Fully Remote")
    assert detail.url == f"{BOARD_URL}/job/Remote/Imaging-Informatics-Analyst-II_R2601502"


def test_remote_type_as_descriptor_object():
    data = json.loads((FIX / "detail" / "R2601502.json").read_bytes())
    data["jobPostingInfo"]["remoteType"] = {"descriptor": "Hybrid", "id": "abc"}
    assert workday.parse_detail(json.dumps(data)).workplace == "Hybrid"


@pytest.mark.parametrize(
    "payload", [b"<!DOCTYPE html><html>Maintenance</html>", b'{"errorCode": "HTTP_400"}', b"[]"]
)
def test_wrong_listing_shapes_raise(payload):
    with pytest.raises(ParseError):
        workday.parse(payload, f"{API}/jobs")


def test_wrong_detail_shape_raises():
    with pytest.raises(ParseError, match="jobPostingInfo"):
        workday.parse_detail(b'{"title": "x"}', "u")


def test_postings_without_path_or_title_are_skipped():
    data = json.loads(PAGE1)
    data["jobPostings"][0].pop("externalPath")
    data["jobPostings"][1]["title"] = ""
    assert len(workday.parse(json.dumps(data), "", BOARD_URL)) == 18


@pytest.mark.parametrize(
    ("url", "tenant", "site", "public"),
    [
        (BOARD_URL, "ccf", "ClevelandClinicCareers", BOARD_URL),
        (
            "https://msk.wd108.myworkdayjobs.com/en-US/MSKCC_Careers_Primary/",
            "msk",
            "MSKCC_Careers_Primary",
            "https://msk.wd108.myworkdayjobs.com/MSKCC_Careers_Primary",
        ),
    ],
)
def test_board_from_public_url(url, tenant, site, public):
    b = workday.board(url)
    assert (b.tenant, b.site, b.url) == (tenant, site, public)
    assert b.jobs_url == f"https://{public.split('/')[2]}/wday/cxs/{tenant}/{site}/jobs"


def test_base_url_replaces_only_the_api_host():
    b = workday.board(BOARD_URL, "http://127.0.0.1:8000/")
    assert b.jobs_url == "http://127.0.0.1:8000/wday/cxs/ccf/ClevelandClinicCareers/jobs"
    assert b.url == BOARD_URL
    assert (
        b.detail_url("/job/x/y_R1")
        == "http://127.0.0.1:8000/wday/cxs/ccf/ClevelandClinicCareers/job/x/y_R1"
    )


def test_search_body_and_keywords():
    assert workday.search_body("PACS", 40) == {
        "appliedFacets": {},
        "limit": 20,
        "offset": 40,
        "searchText": "PACS",
    }
    assert workday.keywords({}) == [
        "PACS",
        "imaging informatics",
        "radiology informatics",
        "enterprise imaging",
    ]
    assert workday.keywords({"keywords": []}) == [""]


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({}, "url: is required"),
        ({"url": "https://example.org/careers"}, "url: .* is not a Workday board URL"),
        ({"url": BOARD_URL, "site": "x"}, "site: unknown key"),
        ({"url": BOARD_URL, "keywords": "PACS"}, "keywords: must be a list"),
    ],
)
def test_check_options_names_the_key(options, problem):
    with pytest.raises(ValueError, match=problem):
        workday.check_options(options)


def test_check_options_normalizes_url():
    assert workday.check_options({"url": BOARD_URL + "/"})["url"] == BOARD_URL


def test_first_page_request():
    src = SourceConfig(
        name="w",
        platform="workday",
        base_url="http://127.0.0.1:9",
        options={"url": BOARD_URL, "keywords": ["PACS"]},
    )
    method, url, headers, body = workday.first_page_request(src)
    assert (method, url) == ("POST", "http://127.0.0.1:9/wday/cxs/ccf/ClevelandClinicCareers/jobs")
    assert json.loads(body) == {"appliedFacets": {}, "limit": 20, "offset": 0, "searchText": "PACS"}
    assert headers["Content-Type"] == "application/json"
