"""USAJOBS Search API parser on real-format payloads: one test per field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pacsjobs.config import SourceConfig
from pacsjobs.errors import ParseError, SourceError
from pacsjobs.sources import usajobs

FIX = Path(__file__).parent / "fixtures" / "usajobs"
PAGE1 = (FIX / "search_pacs_page1.json").read_bytes()
PAGE2 = (FIX / "search_pacs_page2.json").read_bytes()
IMAGING = (FIX / "search_imaging_informatics.json").read_bytes()


@pytest.fixture(scope="module")
def jobs():
    out = {}
    for payload in (PAGE1, PAGE2, IMAGING):
        out.update(
            {p.source_id: p for p in usajobs.parse(payload, "https://data.usajobs.gov/api/Search")}
        )
    return out


@pytest.fixture(scope="module")
def tech(jobs):
    return jobs["851234500"]


def test_every_item_of_the_envelope_is_parsed():
    items = json.loads(PAGE1)["SearchResult"]["SearchResultItems"]
    assert [p.source_id for p in usajobs.parse(PAGE1)] == [i["MatchedObjectId"] for i in items]


def test_reported_total_and_pages():
    assert usajobs.reported_total(PAGE1) == 4
    assert usajobs.number_of_pages(PAGE1) == 2
    assert usajobs.number_of_pages(IMAGING) == 1


def test_pages_computed_when_user_area_is_missing():
    data = json.loads(PAGE1)
    del data["SearchResult"]["UserArea"]
    assert usajobs.number_of_pages(json.dumps(data), per_page=3) == 2


def test_title_and_url(tech):
    assert tech.title == "Picture Archiving and Communication Systems (PACS) Technologist"
    assert tech.url == "https://www.usajobs.gov:443/GetJob/ViewDetails/851234500"


def test_employer_is_the_organization_and_department_kept(tech):
    assert tech.employer == "Veterans Health Administration"
    assert tech.department == "Department of Veterans Affairs"


def test_country_code_holds_a_country_name(tech):
    assert tech.country == "United States"


def test_placeholder_location_is_skipped(jobs):
    assert jobs["852200300"].locations == ["Hines, Illinois"]


def test_several_locations_are_kept(jobs):
    assert jobs["853377700"].locations == ["Joint Base San Antonio, Texas", "Bethesda, Maryland"]


@pytest.mark.parametrize(
    ("job_id", "low", "high", "unit"),
    [
        ("851234500", "71955", "93539", "PA"),
        ("852200300", "66154.0", "86000.0", "PA"),
        ("855001900", "28.50", "37.05", "PH"),
    ],
)
def test_salary_kept_as_strings_with_rate_interval(jobs, job_id, low, high, unit):
    s = jobs[job_id].salary
    assert (s.min, s.max, s.currency, s.unit) == (low, high, "USD", unit)


def test_schedule_is_the_employment_type(jobs, tech):
    assert tech.employment_type == "Full-time"
    assert jobs["855001900"].employment_type == "Intermittent"


@pytest.mark.parametrize(
    ("job_id", "workplace"), [("851234500", "onsite"), ("853377700", "hybrid")]
)
def test_workplace_from_telework_and_remote_flags(jobs, job_id, workplace):
    assert jobs[job_id].workplace == workplace


def test_remote_indicator_wins():
    data = json.loads(PAGE1)
    data["SearchResult"]["SearchResultItems"][0]["MatchedObjectDescriptor"]["UserArea"]["Details"][
        "RemoteIndicator"
    ] = True
    assert usajobs.parse(json.dumps(data))[0].workplace == "remote"


def test_dates_and_change_marker(tech):
    assert tech.date_posted == "2026-11-10T00:00:00.0000"
    assert tech.valid_through == "2026-12-09T23:59:59.9970"
    assert tech.updated == "2026-11-10T00:00:00.0000|2026-12-09T23:59:59.9970"


def test_description_joins_summary_duties_and_qualifications_as_html(tech):
    html = tech.description_html
    assert html.startswith("<h3>Summary</h3><p>The PACS Technologist is responsible")
    assert "<li>Troubleshoots DICOM connectivity" in html
    assert (
        "<h3>Qualifications</h3><p>Basic Requirements: Registration with the American Registry"
        in html
    )
    assert "<h3>Education</h3>" in html


def test_plain_text_is_escaped_not_trusted():
    data = json.loads(PAGE1)
    data["SearchResult"]["SearchResultItems"][0]["MatchedObjectDescriptor"]["UserArea"]["Details"][
        "JobSummary"
    ] = "PACS <script>alert(1)</script> & DICOM"
    html = usajobs.parse(json.dumps(data))[0].description_html
    assert (
        "<script>" not in html and "PACS &lt;script&gt;alert(1)&lt;/script&gt; &amp; DICOM" in html
    )


def test_grades_and_ids_in_extra(tech, jobs):
    assert tech.extra["job_grade"] == ["GS"]
    assert (tech.extra["low_grade"], tech.extra["high_grade"]) == ("10", "10")
    assert tech.extra["position_id"] == "CTXS-12618845-26-RK"
    assert jobs["853377700"].extra["security_clearance"] == "Secret"


def test_position_id_is_the_fallback_id():
    data = json.loads(PAGE1)
    del data["SearchResult"]["SearchResultItems"][0]["MatchedObjectId"]
    assert usajobs.parse(json.dumps(data))[0].source_id == "CTXS-12618845-26-RK"


def test_items_without_title_are_skipped_not_fatal():
    data = json.loads(PAGE1)
    data["SearchResult"]["SearchResultItems"][0]["MatchedObjectDescriptor"]["PositionTitle"] = "  "
    data["SearchResult"]["SearchResultItems"].append("not an object")
    assert [p.source_id for p in usajobs.parse(json.dumps(data))] == ["852200300"]


@pytest.mark.parametrize(
    "payload", [b"<html><body>Service Unavailable</body></html>", b'{"error": "x"}', b"[]"]
)
def test_wrong_shapes_raise_parse_error(payload):
    with pytest.raises(ParseError):
        usajobs.parse(payload, "https://data.usajobs.gov/api/Search")


def test_empty_result_is_no_postings():
    assert usajobs.parse((FIX / "search_empty.json").read_bytes()) == []
    assert usajobs.reported_total((FIX / "search_empty.json").read_bytes()) == 0


def test_search_terms_default_and_configured():
    assert ("Keyword", "PACS") in usajobs.searches({})
    assert ("Keyword", "Picture Archiving and Communication") in usajobs.searches({})
    assert usajobs.searches({"titles": ["PACS Administrator"]}) == [
        ("PositionTitle", "PACS Administrator")
    ]
    assert usajobs.searches({"keywords": ["PACS"], "titles": ["X"]}) == [
        ("Keyword", "PACS"),
        ("PositionTitle", "X"),
    ]


def test_search_url():
    url = usajobs.search_url(
        "https://data.usajobs.gov/",
        "Keyword",
        "imaging informatics",
        3,
        {"results_per_page": 100, "params": {"WhoMayApply": "public"}},
    )
    assert url == (
        "https://data.usajobs.gov/api/Search?Keyword=imaging+informatics&Page=3"
        "&ResultsPerPage=100&WhoMayApply=public"
    )


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"keyword": ["PACS"]}, "keyword: unknown key"),
        ({"keywords": "PACS"}, "keywords: must be a list"),
        ({"keywords": [""]}, "keywords: must be a list"),
        ({"results_per_page": 501}, "results_per_page: must be a whole number from 1 to 500"),
        ({"params": ["x"]}, "params: must be a table"),
    ],
)
def test_check_options_names_the_key(options, problem):
    with pytest.raises(ValueError, match=problem):
        usajobs.check_options(options)


def test_auth_headers_from_the_environment_only(monkeypatch):
    monkeypatch.delenv(usajobs.API_KEY_ENV, raising=False)
    monkeypatch.setenv(usajobs.EMAIL_ENV, "me@example.org")
    with pytest.raises(SourceError) as err:
        usajobs.auth_headers("https://data.usajobs.gov")
    assert str(err.value) == (
        "usajobs: set USAJOBS_API_KEY and USAJOBS_EMAIL "
        "(free key: https://developer.usajobs.gov/apirequest/)"
    )
    monkeypatch.setenv(usajobs.API_KEY_ENV, "k1")
    assert usajobs.auth_headers("https://data.usajobs.gov") == {
        "Host": "data.usajobs.gov",
        "User-Agent": "me@example.org",
        "Authorization-Key": "k1",
        "Accept": "application/json",
    }


def test_first_page_request(monkeypatch):
    monkeypatch.setenv(usajobs.API_KEY_ENV, "k1")
    monkeypatch.setenv(usajobs.EMAIL_ENV, "me@example.org")
    src = SourceConfig(
        name="usajobs",
        platform="usajobs",
        base_url="http://127.0.0.1:9",
        options={"keywords": ["PACS"], "results_per_page": 50},
    )
    method, url, headers, body = usajobs.first_page_request(src)
    assert (method, url, body) == (
        "GET",
        "http://127.0.0.1:9/api/Search?Keyword=PACS&Page=1&ResultsPerPage=50",
        None,
    )
    assert headers["Authorization-Key"] == "k1" and headers["Host"] == "127.0.0.1:9"
