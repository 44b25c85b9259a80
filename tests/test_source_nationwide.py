"""The CareerOneStop and Adzuna parsers on saved responses, and what the nationwide sources share."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from pacsjobs.errors import ParseError
from pacsjobs.record import RawPosting
from pacsjobs.sources import adzuna, careeronestop
from pacsjobs.sources.nationwide import (
    SNIPPET_ONLY,
    SNIPPET_REASON,
    best_match,
    check_search_options,
    is_partial,
    with_full_posting,
)
from pacsjobs.understand.process import build_posting
from pacsjobs.understand.vocabulary import load_vocabulary

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 12, 1, 12, 0)


def load(path: str) -> bytes:
    return (FIXTURES / path).read_bytes()


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary(Path(__file__).parent.parent / "config")


def test_careeronestop_results_keep_the_sources_values():
    page = load("careeronestop/search_pacs_administrator_page1.json")
    assert careeronestop.reported_total(page) == 3  # "Jobcount" is a string
    first, second = careeronestop.parse(page)
    assert (first.source_id, first.title, first.employer) == (
        "A3F2C9D1B0E74A55B1C2D3E4F5061728", "PACS Administrator", "Harbor Valley Health System")
    assert first.locations == ["Columbus, OH"] and first.country == "US"
    assert first.date_posted == first.updated == "2026-11-20T08:14:00"
    assert first.url == "{{BASE_URL}}/nationwide/employer/harbor-valley-pacs-administrator.html"
    assert first.description_html.startswith("Harbor Valley Health is seeking a <b>PACS Administrator</b>")
    assert first.extra[SNIPPET_ONLY] is True and second.employer == "Lakeshore Medical Center"


def test_careeronestop_result_without_company_or_location_is_kept_without_them():
    no_company, no_place = careeronestop.parse(load("careeronestop/search_missing_fields.json"))
    assert no_company.employer is None and no_company.locations == ["Toledo, OH"]
    assert no_place.employer == "Great Lakes Regional Health" and no_place.locations == []
    assert careeronestop.parse(load("careeronestop/search_empty.json")) == []
    assert careeronestop.reported_total('{"Jobcount": 7, "Jobs": []}') == 7


def test_careeronestop_one_job_record_completes_the_result():
    (listing,) = careeronestop.parse(load("careeronestop/search_pacs_administrator_page2.json"))
    url = careeronestop.detail_url("https://api.careeronestop.org", "u 1", listing.source_id)
    assert url == "https://api.careeronestop.org/v2/jobsearch/u%201/0C9D8E7F6A5B4C3D2E1F00112233AA44"
    full = careeronestop.with_detail(listing, load("careeronestop/job_riverbend.json"), url)
    assert SNIPPET_ONLY not in full.extra and full.extra["full_posting_from"] == careeronestop.DETAIL_FROM
    assert full.description_html.startswith("<p>Riverbend Imaging Partners is hiring a PACS Administrator")
    assert "<p>Requirements:<br>Bachelor&#x27;s degree" in full.description_html  # its lines kept
    assert (full.source_id, full.updated, full.url) == (listing.source_id, listing.updated, listing.url)
    assert listing.extra[SNIPPET_ONLY] is True  # the result itself is left as it was
    no_company, _ = careeronestop.parse(load("careeronestop/search_missing_fields.json"))
    assert careeronestop.with_detail(no_company, load("careeronestop/job_riverbend.json")).employer == (
        "Riverbend Imaging Partners")  # the record fills what the result lacked


@pytest.mark.parametrize("payload", [b'{"JvId": "X", "JobTitle": "PACS Administrator"}', b"[]",
                                     b'{"Jobcount": "1", "Jobs": []}', b"<html>Not Found</html>"])
def test_careeronestop_one_job_record_without_a_description_is_a_parse_error(payload):
    (listing,) = careeronestop.parse(load("careeronestop/search_pacs_administrator_page2.json"))
    with pytest.raises(ParseError):
        careeronestop.with_detail(listing, payload, "https://api.careeronestop.org/v2/jobsearch/u/X")


@pytest.mark.parametrize("payload, why", [
    (b"", "expected JSON"),
    (b'{"Jobcount": "3", "Jobs": [{"JvId": "A3F2', "expected JSON"),  # truncated
    (b"<html><body>Service Unavailable</body></html>", "an HTML page"),
    (b'{"Message": "Authorization has been denied"}', "not a CareerOneStop job search response"),
    (b'{"Jobcount": "1", "Jobs": {"JvId": "x"}}', "Jobs is not a list"),
])
def test_careeronestop_bad_responses_are_one_clear_error(payload, why):
    with pytest.raises(ParseError, match=why):
        careeronestop.parse(payload, "https://api.careeronestop.org/v2/jobsearch/u/PACS")


def test_careeronestop_search_url_is_the_documented_path():
    url = careeronestop.search_url("https://api.careeronestop.org", "u-1", "PACS administrator", 100,
                                   {"page_size": 50})
    assert url == ("https://api.careeronestop.org/v2/jobsearch/u-1/PACS%20administrator/US/25/0/0/100/50/30"
                   "?enableJobDescriptionSnippet=true&showFilters=false")


def test_adzuna_results_and_the_predicted_salary():
    page = load("adzuna/search_pacs_administrator_page1.json")
    assert adzuna.reported_total(page) == 3
    predicted, stated = adzuna.parse(page)
    assert predicted.salary is None  # Adzuna's guess is never the employer's pay
    assert predicted.extra[adzuna.ESTIMATE]["min"] == 81234.56
    assert predicted.locations == ["Columbus, Ohio"] and predicted.employment_type == "full time"
    assert predicted.employer == "Harbor Valley Health" and predicted.date_posted == "2026-11-20T09:31:12Z"
    assert (stated.salary.min, stated.salary.max, stated.salary.unit) == (78000, 92000, "year")
    (contract,) = adzuna.parse(load("adzuna/search_pacs_administrator_page2.json"))
    assert contract.employer == "Meridian Imaging Staffing" and contract.locations == ["US"]
    assert contract.employment_type == "contract" and contract.salary is None
    no_company, no_place = adzuna.parse(load("adzuna/search_missing_fields.json"))
    assert no_company.employer is None and no_company.locations == ["Toledo, Ohio"]
    assert no_place.employer == "Great Lakes Regional Health" and no_place.locations == []


def test_a_predicted_salary_is_stored_as_a_labelled_estimate_not_as_pay(vocab):
    predicted, stated = adzuna.parse(load("adzuna/search_pacs_administrator_page1.json"))
    posting = build_posting(predicted, "adzuna", NOW, vocab)
    assert posting.salary_min is None and posting.salary_annual_max is None
    assert posting.salary_flag == ("estimate by Adzuna (predicted, not stated by the employer): "
                                   "$81,235 a year")
    assert build_posting(stated, "adzuna", NOW, vocab).salary_flag is None


def test_adzuna_error_body_is_not_a_search_response():
    with pytest.raises(ParseError, match="not an Adzuna search response"):
        adzuna.parse(load("adzuna/auth_error.json"))


def test_adzuna_redacts_its_key_from_urls(monkeypatch):
    monkeypatch.setenv(adzuna.APP_KEY_ENV, "s3cret-key")
    url = adzuna.search_url("https://api.adzuna.com", "id1", "s3cret-key", "PACS", 2, {"where": "Ohio"})
    assert "app_key=s3cret-key" in url and "where=Ohio" in url and "/search/2?" in url
    assert "s3cret-key" not in adzuna.redact(url)


def test_options_are_checked():
    assert adzuna.check_options({"max_requests": 10, "keywords": ["PACS"]}) == {"max_requests": 10, "keywords": ["PACS"]}
    with pytest.raises(ValueError, match="results_per_page: must be a whole number from 1 to 50"):
        adzuna.check_options({"results_per_page": 100})
    with pytest.raises(ValueError, match="page: unknown key"):
        careeronestop.check_options({"page": 1})
    with pytest.raises(ValueError, match="keywords: must be a list"):
        check_search_options({"keywords": "PACS"}, "x", {})


def test_a_snippet_is_marked_partial_and_the_full_posting_clears_it(vocab):
    listing = careeronestop.parse(load("careeronestop/search_pacs_administrator_page1.json"))[0]
    snippet = build_posting(listing, "careeronestop", NOW, vocab)
    assert is_partial(snippet) and SNIPPET_REASON in snippet.relevance_reasons
    from pacsjobs.sources import jsonld

    pages = jsonld.parse(load("nationwide/employer/harbor-valley-pacs-administrator.html"), "https://e.example/j/1")
    page = best_match(listing, pages)
    full = with_full_posting(listing, page, "https://e.example/j/1")
    assert full.source_id == listing.source_id and full.url == listing.url
    assert full.extra["full_posting_url"] == "https://e.example/j/1" and SNIPPET_ONLY not in full.extra
    posting = build_posting(full, "careeronestop", NOW, vocab)
    assert not is_partial(posting) and posting.salary_min == 85000 and posting.postal_code == "43210"


def test_best_match_takes_the_same_title_or_the_only_posting():
    listing = RawPosting(source_id="1", url="", title="PACS  Administrator")
    a, b = RawPosting("a", "", "PACS Analyst"), RawPosting("b", "", "pacs administrator")
    assert best_match(listing, [a, b]) is b
    assert best_match(listing, [a]) is a
    assert best_match(RawPosting("1", "", "Nurse"), [a, b]) is None
    assert best_match(listing, []) is None


def test_the_matcher_says_when_it_decided_on_a_snippet(vocab):
    from pacsjobs.profile import load_profile
    from pacsjobs.understand.match import score_posting

    profile = load_profile(Path(__file__).parent.parent / "config", "guide")
    listing = careeronestop.parse(load("careeronestop/search_pacs_administrator_page1.json"))[0]
    partial = build_posting(listing, "careeronestop", NOW, vocab)
    reasons = score_posting(partial, profile).reasons
    assert reasons[-1] == "decided on a snippet only: open the posting to check what it asks for"
    listing.extra.pop(SNIPPET_ONLY)
    assert "decided on a snippet" not in " ".join(score_posting(build_posting(listing, "x", NOW, vocab), profile).reasons)


def test_only_links_to_public_hosts_are_followed():
    from pacsjobs.sources.nationwide import followable

    assert followable("https://careers.harborvalley.example/jobs/1")
    assert followable("http://8.8.8.8/job")
    for url in ("http://127.0.0.1:8080/admin", "http://localhost/x", "http://10.0.0.5/job",
                "http://[::1]/job", "http://169.254.169.254/latest/meta-data", "ftp://example.org/job",
                "javascript:alert(1)", "", "http://printer.local/"):
        assert not followable(url), url
    assert followable("http://127.0.0.1:8080/job", api_host="127.0.0.1")  # the API's own (test) host
