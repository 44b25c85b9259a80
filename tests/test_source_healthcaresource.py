"""HealthcareSource parser on real-format payloads (board page, jobs, jobDescriptions)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pacsjobs.config import SourceConfig
from pacsjobs.errors import ParseError
from pacsjobs.sources import healthcaresource as hcs
from tests.json_fuzz import any_json, json_object

FIX = Path(__file__).parent / "fixtures" / "healthcaresource"
BOARD_URL = "https://redlandshospital.hcshiring.com"
PAGE1 = (FIX / "jobs_imaging_page1.json").read_bytes()
ADMIN = "pqV8ib8HDy88YtDtXbiufM"


@pytest.fixture(scope="module")
def listing():
    return {p.source_id: p for p in hcs.parse(PAGE1, "", BOARD_URL)}


def test_version_token_from_the_board_page():
    assert hcs.version_token((FIX / "jobs.html").read_bytes()) == "f0f02cc6"
    assert hcs.version_token("<script>var V={version:\"1b7c9e04\"}</script>") == "1b7c9e04"
    with pytest.raises(ParseError, match="no version token"):
        hcs.version_token("<html><body>Careers at Redlands</body></html>", "u")


def test_every_job_of_the_page_and_the_counts(listing):
    assert len(listing) == 10 == len(json.loads(PAGE1)["jobs"])
    assert (hcs.reported_total(PAGE1), hcs.page_count(PAGE1)) == (12, 2)
    assert hcs.page_count((FIX / "jobs_empty.json").read_bytes()) == 1


def test_listing_fields(listing):
    admin = listing[ADMIN]
    assert admin.url == f"{BOARD_URL}/jobs/{ADMIN}"
    assert (admin.title, admin.locations, admin.country) == (
        "PACS Administrator - Imaging Services", ["Redlands, CA 92373"], "US")
    assert admin.department == "Redlands Community Hospital - Information Systems"
    assert admin.updated == "PACS Administrator - Imaging Services|Redlands Community Hospital - Information Systems|Redlands|CA|92373"
    assert (admin.extra["street"], admin.extra["has_opening"]) == ("350 Terracina Blvd", True)


def test_detail_merges_the_description(listing):
    payload = (FIX / "detail" / f"{ADMIN}.json").read_bytes()
    raw = hcs.parse_detail(payload, "", listing[ADMIN])
    assert "DICOM routing to modalities" in raw.description_html
    assert raw.updated == listing[ADMIN].updated and listing[ADMIN].description_html is None


def test_detail_alone_uses_its_own_id_and_title():
    url = f"{BOARD_URL}/f0f02cc6/api/jobDescriptions?id={ADMIN}&preview=false&ref=&title="
    raw = hcs.parse_detail((FIX / "detail" / f"{ADMIN}.json").read_bytes(), url)
    assert (raw.source_id, raw.url, raw.title) == (ADMIN, f"{BOARD_URL}/jobs/{ADMIN}", "PACS Administrator - Imaging Services")


@pytest.mark.parametrize("payload, problem", [
    (b'{"jobDescriptions": null}', "not a HealthcareSource jobDescriptions"),
    (b'{"jobDescriptions": {"description": ""}}', "without a description"),
    (b"<html>gone</html>", "expected JSON"),
])
def test_unreadable_details_raise(payload, problem):
    with pytest.raises(ParseError, match=problem):
        hcs.parse_detail(payload, "u")


@pytest.mark.parametrize("payload", [b"[]", b'{"jobs": []}', b'{"meta": {}}', b"<html>moved</html>"])
def test_wrong_listing_shapes_raise(payload):
    with pytest.raises(ParseError):
        hcs.parse(payload, "u")


def test_urls_carry_the_version_and_the_title_search():
    b = hcs.board(BOARD_URL + "/jobs", "http://127.0.0.1:9")
    assert b.list_url("f0f02cc6", "PACS", 2) == (
        "http://127.0.0.1:9/f0f02cc6/api/jobs?category=&distance=-1&filters=&internal=false&job=PACS"
        "&jobSelected=false&location=&openOnly=false&orgId=&page=2")
    assert b.detail_url("f0f02cc6", "a b").endswith("/f0f02cc6/api/jobDescriptions?id=a+b&preview=false&ref=&title=")
    src = SourceConfig(name="h", platform="healthcaresource", base_url="http://127.0.0.1:9", options={"url": BOARD_URL})
    assert hcs.first_page_request(src)[:2] == ("GET", "http://127.0.0.1:9/jobs")


@pytest.mark.parametrize("options, problem", [
    ({}, "url: is required"),
    ({"url": "https://redlands.icims.com"}, "not a HealthcareSource board URL"),
    ({"url": BOARD_URL, "keywords": ["PACS", 3]}, "keywords: must be a list"),
    ({"url": BOARD_URL, "version": "f0f02cc6"}, "version: unknown key"),
])
def test_check_options_names_the_key(options, problem):
    with pytest.raises(ValueError, match=problem):
        hcs.check_options(options)


job = json_object(["id", "title", "job_title", "organization", "city", "state", "zip", "summary", "isInternalOnly"])


@settings(max_examples=150, deadline=None)
@given(jobs=st.lists(job | any_json(), max_size=3), meta=any_json() | st.just({"totalJobs": 3, "totalPages": 1}))
def test_any_shape_parses_or_raises_parse_error(jobs, meta):
    payload = json.dumps({"jobs": jobs, "meta": meta})
    try:
        raws = hcs.parse(payload)
        hcs.page_count(payload)
    except ParseError:
        return
    assert all(r.source_id and r.title for r in raws)
