"""Greenhouse Job Board API parser on saved-format payloads: one test per field."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pacsjobs.errors import ParseError
from pacsjobs.sources import greenhouse
from tests.json_fuzz import any_json, assert_parses_or_raises_parse_error, json_object

FIX = Path(__file__).parent / "fixtures" / "greenhouse"
BOARD = (FIX / "board.json").read_bytes()


@pytest.fixture(scope="module")
def jobs():
    return {p.source_id: p for p in greenhouse.parse(BOARD, "https://boards-api.greenhouse.io/v1/boards/x/jobs")}


@pytest.fixture(scope="module")
def pacs(jobs):
    return jobs["4012345002"]


def test_every_job_of_the_envelope_is_parsed(jobs):
    assert sorted(jobs) == sorted(str(j["id"]) for j in json.loads(BOARD)["jobs"])


def test_reported_total_is_meta_total():
    assert greenhouse.reported_total(BOARD) == 5
    assert greenhouse.reported_total(b'{"jobs": []}') is None
    assert greenhouse.reported_total(b"<html>") is None


def test_title_is_kept_as_given(pacs):
    assert pacs.title == "PACS Administrator "


def test_url_may_be_the_employers_site(jobs, pacs):
    assert pacs.url == "https://careers.meridian-imaging.example/open-roles?gh_jid=4012345002"
    assert jobs["4019876002"].url == "https://boards.greenhouse.io/meridianimaging/jobs/4019876002"


def test_employer_from_company_name(pacs):
    assert pacs.employer == "Meridian Imaging Informatics"


def test_location_name_split_on_semicolons_and_bars(pacs):
    assert pacs.locations == ["Nashville, TN", "Louisville, KY", "Remote - US"]


def test_empty_location_falls_back_to_offices(jobs):
    assert jobs["4020011002"].locations == ["Cleveland, Ohio, United States"]


def test_pay_zones_become_one_range_without_a_period(pacs):
    s = pacs.salary
    assert (s.min, s.max, s.currency, s.unit) == (76000.0, 104000.0, "USD", None)
    assert s.text == "Zone A (Nashville, Louisville); Zone B (Remote - US)"
    assert len(pacs.extra["pay_input_ranges"]) == 2


def test_hourly_range_is_left_for_the_normalizer_to_read_by_size(jobs):
    s = jobs["4019876002"].salary
    assert (s.min, s.max, s.unit, s.text) == (55.0, 70.0, None, "Hourly Rate")


def test_no_pay_ranges_means_no_salary(jobs):
    assert jobs["4020011002"].salary is None


def test_content_stays_entity_escaped(pacs):
    assert pacs.description_html.startswith("&lt;div class=&quot;content-intro&quot;&gt;")
    assert "DICOM" in pacs.description_html


def test_dates_and_change_marker(pacs):
    assert pacs.date_posted == "2026-11-02T08:00:12-05:00"
    assert pacs.updated == "2026-11-20T09:14:03-05:00"


def test_department_is_the_first_department(pacs):
    assert pacs.department == "Customer Operations"


def test_employment_type_from_metadata(jobs):
    assert jobs["4012345002"].employment_type == "Full-time"
    assert jobs["4019876002"].employment_type == "Contract"
    assert jobs["4020011002"].employment_type is None  # metadata: null


def test_extra_keeps_requisition_and_offices(pacs):
    assert pacs.extra["requisition_id"] == "IMG-1187"
    assert pacs.extra["internal_job_id"] == 3988120002
    assert pacs.extra["offices"] == ["Nashville", "Remote - US"]
    assert pacs.extra["metadata"]["Remote Eligible"] == "Yes"


def test_no_workplace_or_country_field(pacs):
    assert pacs.workplace is None and pacs.country is None


def test_detail_is_the_job_without_envelope():
    raw = greenhouse.parse_detail((FIX / "job_4012345002.json").read_bytes())
    assert raw.source_id == "4012345002" and raw.salary.max == 104000.0


def test_detail_fills_gaps_from_listing(pacs):
    raw = greenhouse.parse_detail({"id": 4012345002, "title": "PACS Administrator"}, listing=pacs)
    assert raw.title == "PACS Administrator"  # the detail's own value wins
    assert raw.locations == pacs.locations and raw.employer == pacs.employer


@pytest.mark.parametrize("payload", [b"<html><body>Service Unavailable</body></html>", b'{"error": "x"}', b"[]"])
def test_wrong_shapes_raise_parse_error_naming_the_url(payload):
    with pytest.raises(ParseError, match="https://h/v1"):
        greenhouse.parse(payload, "https://h/v1")


def test_jobs_without_id_or_title_are_skipped():
    payload = {"jobs": [{"id": 1, "title": "PACS Analyst"}, {"title": "no id"}, {"id": 2, "title": " "}, "x"]}
    assert [r.source_id for r in greenhouse.parse(payload)] == ["1"]


def test_malformed_pay_values_do_not_raise():
    raw = greenhouse.parse({"jobs": [{"id": 1, "title": "t", "pay_input_ranges": [
        {"min_cents": "abc", "max_cents": None}, {"min_cents": "9000000", "currency_type": "USD"}]}]})[0]
    assert raw.salary.min == 90000.0 and raw.salary.max is None


def test_check_options():
    assert greenhouse.check_options({"board": "meridianimaging"}) == {"board": "meridianimaging"}
    for bad, key in (({}, "board"), ({"board": "a b"}, "board"), ({"board": "x", "site": "y"}, "site"),
                     ({"board": "x", "keywords": ["PACS"]}, "keywords")):
        with pytest.raises(ValueError, match=f"^{key}: "):
            greenhouse.check_options(bad)


def test_first_page_request_uses_base_url_override():
    cfg = SimpleNamespace(base_url="http://127.0.0.1:9/", options={"board": "meridianimaging"})
    method, url, headers, body = greenhouse.first_page_request(cfg)
    assert (method, body) == ("GET", None)
    assert url == "http://127.0.0.1:9/v1/boards/meridianimaging/jobs?content=true&pay_transparency=true"
    assert headers["Accept"] == "application/json"
    cfg.base_url = None
    assert greenhouse.first_page_request(cfg)[1].startswith("https://boards-api.greenhouse.io/v1/boards/")


# -- bad input never escapes as anything but ParseError --------------------------------------
anything = any_json()
FIELDS = ["id", "title", "location", "offices", "departments", "metadata", "pay_input_ranges", "content", "absolute_url", "updated_at", "first_published", "company_name"]
job = json_object(FIELDS)


@settings(max_examples=150, deadline=None)
@given(payload=st.fixed_dictionaries({"jobs": st.lists(job | anything, max_size=3)}) | anything)
def test_any_shape_parses_or_raises_parse_error(payload):
    assert_parses_or_raises_parse_error(greenhouse.parse, payload)
