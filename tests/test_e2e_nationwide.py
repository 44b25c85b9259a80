"""CareerOneStop and Adzuna end to end: the spiders against the local server, into a real SQLite file."""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pacsjobs.config import load_config
from pacsjobs.sources import adzuna, careeronestop
from pacsjobs.sources.nationwide import SNIPPET_REASON
from tests.api_crawl_helpers import api_requests, crawl, crawl_log, make_config, rows
from tests.helpers import write_config

USER, TOKEN = "test-user-42", "test-token-abc"
APP_ID, APP_KEY = "app-1234", "secretkey987654"
HARBOR = "A3F2C9D1B0E74A55B1C2D3E4F5061728"
LAKESHORE = "7B1E0D2C3A4F45968877665544332211"
RIVERBEND = "0C9D8E7F6A5B4C3D2E1F00112233AA44"  # its link answers 404: the one-job endpoint has it
VA = "55AA66BB77CC88DD99EE00FF11223344"


@pytest.fixture
def keyed(monkeypatch):
    monkeypatch.setenv(careeronestop.USER_ID_ENV, USER)
    monkeypatch.setenv(careeronestop.TOKEN_ENV, TOKEN)
    monkeypatch.setenv(adzuna.APP_ID_ENV, APP_ID)
    monkeypatch.setenv(adzuna.APP_KEY_ENV, APP_KEY)


def cos_source(server, **options) -> dict:
    entry = {"name": "careeronestop", "platform": "careeronestop", "group": "nationwide",
             "base_url": server.url, "keywords": ["PACS administrator", "imaging informatics"],
             "page_size": 2}
    entry.update(options)
    return entry


def adz_source(server, **options) -> dict:
    entry = {"name": "adzuna", "platform": "adzuna", "group": "nationwide", "base_url": server.url,
             "keywords": ["PACS administrator"], "results_per_page": 2}
    entry.update(options)
    return entry


def cos_path(keyword: str, start: int, size: int = 2) -> str:
    return urlsplit(careeronestop.search_url("http://x", USER, keyword, start, {"page_size": size})).path


def cos_detail_path(jv_id: str) -> str:
    return urlsplit(careeronestop.detail_url("http://x", USER, jv_id)).path


def cos_searches(server) -> list[dict]:
    """The search requests (the one-job requests share the prefix: /v2/jobsearch/{user}/{JvId})."""
    return [r for r in api_requests(server, "/v2/jobsearch/") if r["path"].count("/") > 4]


def cos_details(server) -> list[str]:
    """The JvIds asked of the one-job endpoint, in order."""
    return [r["path"].rsplit("/", 1)[1] for r in api_requests(server, "/v2/jobsearch/")
            if r["path"].count("/") == 4]


def cos_routes() -> list[dict]:
    return [
        {"path": cos_path("PACS administrator", 0), "file": "careeronestop/search_pacs_administrator_page1.json"},
        {"path": cos_path("PACS administrator", 2), "file": "careeronestop/search_pacs_administrator_page2.json"},
        {"path": cos_path("imaging informatics", 0), "file": "careeronestop/search_imaging_informatics.json"},
        {"path": cos_detail_path(RIVERBEND), "file": "careeronestop/job_riverbend.json"},
    ]


ADZ_PATH = "/v1/api/jobs/us/search/"


def adz_routes(server, keyword: str = "PACS administrator") -> list[dict]:
    employer = f"{server.url}/nationwide/employer"
    return [
        {"path": ADZ_PATH + "1", "query": {"what": keyword}, "file": "adzuna/search_pacs_administrator_page1.json"},
        {"path": ADZ_PATH + "2", "query": {"what": keyword}, "file": "adzuna/search_pacs_administrator_page2.json"},
        # redirect_url leads through Adzuna's landing page to wherever the job was published
        {"path": "/nationwide/land/ad/4921877301", "status": 302,
         "headers": {"Location": f"{employer}/harbor-valley-pacs-administrator.html"}},
        {"path": "/nationwide/land/ad/4930115562", "status": 302,
         "headers": {"Location": f"{employer}/desert-sun-no-jobposting.html"}},
    ]


def test_careeronestop_pages_to_the_end_and_reads_the_full_posting_behind_each_link(server, tmp_path, keyed):
    config = make_config(tmp_path, [cos_source(server)])
    server.routes(cos_routes())
    first = crawl(config, tmp_path, ["careeronestop"])["careeronestop"]
    assert first.status == "succeeded", first.message  # a link that cannot be read is no failure
    searches = cos_searches(server)
    assert len(searches) == 3
    for req in api_requests(server, "/v2/jobsearch/"):
        assert req["headers"]["authorization"] == f"Bearer {TOKEN}"
    for req in searches:
        assert req["query"]["enableJobDescriptionSnippet"] == "true"
    assert (first.reported, first.fetched, first.new) == (5, 5, 4)  # one job found by both keywords

    stored = rows(config, "careeronestop")
    assert sorted(stored) == sorted([HARBOR, LAKESHORE, RIVERBEND, VA])
    harbor = stored[HARBOR]
    # the employer's page gave the whole posting: its text, its pay, its place
    assert "disaster recovery" in harbor.description_text
    assert (harbor.salary_min, harbor.salary_max, harbor.salary_period) == (85000, 98000, "year")
    assert (harbor.city, harbor.state, harbor.postal_code) == ("Columbus", "OH", "43210")
    assert harbor.url.endswith("/nationwide/employer/harbor-valley-pacs-administrator.html")
    assert SNIPPET_REASON not in harbor.relevance_reasons
    assert "PARCA" in stored[LAKESHORE].description_text  # escaped HTML inside the JSON-LD
    assert not any(stored[jv].partial for jv in (HARBOR, LAKESHORE))
    # the two links without a posting (a 404, a page without JobPosting data) went to the one-job
    # endpoint: it had Riverbend's whole description, and answered 404 for the VA's
    assert sorted(cos_details(server)) == sorted([RIVERBEND, VA])
    riverbend = stored[RIVERBEND]
    assert "vendor neutral archive migration" in riverbend.description_text
    assert "Requirements:" in riverbend.description_text and riverbend.years_experience_min == 3
    assert riverbend.partial is False and SNIPPET_REASON not in riverbend.relevance_reasons
    va = stored[VA]
    assert va.partial is True and SNIPPET_REASON in va.relevance_reasons

    # a re-crawl: unchanged results are only marked seen; the partial one tries again
    server.routes(cos_routes())
    second = crawl(config, tmp_path, ["careeronestop"])["careeronestop"]
    assert second.status == "succeeded" and second.new == 0
    pages = [r["path"] for r in server.log() if r["path"].startswith("/nationwide/")]
    assert pages.count("/nationwide/employer/harbor-valley-pacs-administrator.html") == 1
    assert pages.count("/nationwide/gone/0C9D8E7F.html") == 1
    assert pages.count("/nationwide/employer/va-no-jobposting.html") == 2
    assert sorted(cos_details(server)) == sorted([RIVERBEND, VA, VA])


def test_careeronestop_one_job_requests_keep_to_the_run_budget(server, tmp_path, keyed):
    config = make_config(tmp_path, [cos_source(server, follow_links=0, max_details=2)])
    server.routes(cos_routes())
    result = crawl(config, tmp_path, ["careeronestop"])["careeronestop"]
    assert result.status == "succeeded", result.message
    # no link followed: each of the 4 results would ask the one-job endpoint; 2 may
    assert len(cos_details(server)) == 2
    stored = rows(config, "careeronestop")
    assert len(stored) == 4 and sum(r.partial for r in stored.values()) >= 2


def test_careeronestop_refused_one_job_requests_leave_snippets_and_the_run_complete(server, tmp_path, keyed):
    config = make_config(tmp_path, [cos_source(server, follow_links=0)])
    server.routes([*cos_routes()[:3], *({"path": cos_detail_path(jv), "status": 429, "text": "Too Many Requests"}
                                        for jv in (HARBOR, LAKESHORE, RIVERBEND, VA))])
    result = crawl(config, tmp_path, ["careeronestop"])["careeronestop"]
    assert result.status == "succeeded", result.message  # the search itself was read whole
    stored = rows(config, "careeronestop")
    assert sorted(stored) == sorted([HARBOR, LAKESHORE, RIVERBEND, VA])
    assert all(r.partial and SNIPPET_REASON in r.relevance_reasons for r in stored.values())
    assert crawl_log(tmp_path).count("the one-job endpoint refused us (HTTP 429)") == 1


def test_careeronestop_search_that_never_ends_stops_at_max_pages(server, tmp_path, keyed):
    config = make_config(tmp_path, [cos_source(server, keywords=["PACS"], max_pages=3, follow_links=0)])
    endless = json.loads(Path("tests/fixtures/careeronestop/search_pacs_administrator_page1.json").read_text())
    endless["Jobcount"] = "100000"
    server.routes([{"path": cos_path("PACS", start), "text": json.dumps(endless).replace("{{BASE_URL}}", server.url),
                    "content_type": "application/json"} for start in range(0, 40, 2)])
    result = crawl(config, tmp_path, ["careeronestop"])["careeronestop"]
    assert len(cos_searches(server)) == 3
    assert result.status == "partial" and result.closed == 0
    assert "'PACS' has 50000 pages of results; read the first 3 (max_pages)" in result.message


def test_rejected_keys_and_a_truncated_response_each_stop_only_their_source(server, tmp_path, keyed):
    sources = [cos_source(server, keywords=["PACS administrator"]),
               adz_source(server, name="adzuna-badkey", base_url=f"{server.url}/bad"),
               adz_source(server, name="adzuna-cut", base_url=f"{server.url}/cut"),
               adz_source(server, follow_links=0)]
    config = make_config(tmp_path, sources)
    server.routes([
        {"path": cos_path("PACS administrator", 0), "status": 401, "text": "Unauthorized"},
        {"path": "/bad" + ADZ_PATH + "1", "status": 401, "file": "adzuna/auth_error.json"},
        {"path": "/cut" + ADZ_PATH + "1", "text": '{"__CLASS__": "Adzuna::API::Response::JobSearchResults", "count": 3, "results": [{"id": "49',
         "content_type": "application/json"},
        *adz_routes(server),
    ])
    results = crawl(config, tmp_path, ["careeronestop", "adzuna-badkey", "adzuna-cut", "adzuna"])
    cos = results["careeronestop"]
    assert cos.status == "failed" and cos.closed == 0
    assert cos.message.startswith("incomplete: the key was rejected (HTTP 401): check "
                                  "CAREERONESTOP_USER_ID and CAREERONESTOP_TOKEN")
    assert len(api_requests(server, "/v2/jobsearch/")) == 1  # refused: nothing more asked of it
    bad = results["adzuna-badkey"]
    assert bad.status == "failed"
    assert "the key was rejected (HTTP 401): check ADZUNA_APP_ID and ADZUNA_APP_KEY" in bad.message
    cut = results["adzuna-cut"]
    assert cut.status == "failed" and "bad payload" in cut.message
    assert APP_KEY not in cut.message and "app_key=***" in cut.message
    assert results["adzuna"].status == "succeeded", results["adzuna"].message
    assert APP_KEY not in crawl_log(tmp_path)


def test_missing_keys_skip_both_with_where_to_get_one(server, tmp_path, monkeypatch):
    for name in (careeronestop.USER_ID_ENV, careeronestop.TOKEN_ENV, adzuna.APP_ID_ENV, adzuna.APP_KEY_ENV):
        monkeypatch.delenv(name, raising=False)
    config = make_config(tmp_path, [cos_source(server), adz_source(server)])
    results = crawl(config, tmp_path, ["careeronestop", "adzuna"])
    assert (results["careeronestop"].status, results["careeronestop"].message) == ("skipped", careeronestop.MISSING_KEY)
    assert (results["adzuna"].status, results["adzuna"].message) == ("skipped", adzuna.MISSING_KEY)
    assert server.log() == []


def test_adzuna_pages_to_the_end_follows_redirects_and_keeps_a_predicted_salary_as_an_estimate(server, tmp_path, keyed):
    config = make_config(tmp_path, [adz_source(server)])
    server.routes(adz_routes(server))
    result = crawl(config, tmp_path, ["adzuna"])["adzuna"]
    assert result.status == "succeeded", result.message
    calls = api_requests(server, ADZ_PATH)
    assert [r["path"] for r in calls] == [ADZ_PATH + "1", ADZ_PATH + "2"]
    assert calls[0]["query"] == {"app_id": APP_ID, "app_key": APP_KEY, "what": "PACS administrator",
                                 "results_per_page": "2", "max_days_old": "30", "sort_by": "date"}
    assert (result.reported, result.fetched) == (3, 3)
    stored = rows(config, "adzuna")
    harbor = stored["4921877301"]  # behind the redirect: the employer's posting, with its stated pay
    assert (harbor.salary_min, harbor.salary_source) == (85000, "structured")
    assert harbor.salary_flag is None and "disaster recovery" in harbor.description_text
    desert = stored["4930115562"]  # a page without JobPosting data: the snippet and the stated pay
    assert SNIPPET_REASON in desert.relevance_reasons
    assert (desert.salary_min, desert.salary_max) == (78000, 92000)
    contract = stored["4899920417"]
    assert contract.employer == "Meridian Imaging Staffing" and contract.employment_type == "contract"
    assert contract.partial is True and SNIPPET_REASON in contract.relevance_reasons
    assert desert.partial is True and harbor.partial is False


def test_adzuna_request_budget_stops_the_run_cleanly(server, tmp_path, keyed):
    config = make_config(tmp_path, [adz_source(server, keywords=["PACS administrator", "imaging informatics"],
                                               max_requests=2, follow_links=0)])
    server.routes([*adz_routes(server), *adz_routes(server, "imaging informatics")])
    result = crawl(config, tmp_path, ["adzuna"])["adzuna"]
    assert len(api_requests(server, ADZ_PATH)) == 2
    assert result.status == "partial" and result.closed == 0
    assert ("request budget spent (2 API calls, max_requests): the rest waits for the next run"
            in result.message)


def test_adzuna_quota_exhausted_waits_once_then_stops_and_closes_nothing(server, tmp_path, keyed):
    config = make_config(tmp_path, [adz_source(server, follow_links=0)])
    server.routes(adz_routes(server))
    assert crawl(config, tmp_path, ["adzuna"])["adzuna"].status == "succeeded"
    server.routes([{"path": ADZ_PATH + "1", "status": 429, "headers": {"Retry-After": "1"},
                    "text": "Too Many Requests"}])
    before = len(api_requests(server, ADZ_PATH))
    started = time.monotonic()
    result = crawl(config, tmp_path, ["adzuna"])["adzuna"]
    assert time.monotonic() - started >= 1.0  # the Retry-After was honoured, once
    assert len(api_requests(server, ADZ_PATH)) - before == 2  # the call and its one retry
    assert result.status == "failed" and result.closed == 0
    assert "quota exhausted (HTTP 429, after waiting once as asked)" in result.message
    assert all(r.closed_at is None for r in rows(config, "adzuna").values())


def test_sources_check_reads_both_first_pages_and_keeps_the_adzuna_key_out_of_messages(server, tmp_path, keyed):
    from pacsjobs.cli.sources import check_source

    config = make_config(tmp_path, [cos_source(server), adz_source(server)])
    server.routes([*cos_routes(), {"path": ADZ_PATH + "1", "status": 403, "file": "adzuna/auth_error.json"}])
    cos, adz = (check_source(s, config) for s in config.sources)
    assert (cos.verdict, cos.count) == ("ok", 3)
    assert adz.verdict == "failed" and adz.detail.startswith("HTTP 403: ")
    assert APP_KEY not in adz.detail and "app_key=***" in adz.detail


NO_COMPANY = {"careeronestop": "9E8D7C6B5A4F43218765FEDCBA098765", "adzuna": "4950033118"}
NO_PLACE = {"careeronestop": "1A2B3C4D5E6F47A8B9C0D1E2F3A4B5C6", "adzuna": "4951207745"}


def test_a_result_without_company_or_location_leaves_its_run_incomplete_and_closes_nothing(server, tmp_path, keyed):
    sources = [cos_source(server, follow_links=0, max_details=0), adz_source(server, follow_links=0),
               adz_source(server, name="adzuna-other", base_url=f"{server.url}/other", follow_links=0)]
    # no close guard: this test is about the incomplete run closing nothing by itself
    config = load_config(write_config(tmp_path / "cfg", sources=sources, crawler={"max_close_share": 1.0}))
    other = [{**r, "path": "/other" + r["path"]} for r in adz_routes(server) if r["path"].startswith(ADZ_PATH)]
    server.routes([*cos_routes(), *adz_routes(server), *other])
    first = crawl(config, tmp_path, ["careeronestop", "adzuna", "adzuna-other"])
    assert {name: r.status for name, r in first.items()} == dict.fromkeys(first, "succeeded")
    before = {name: set(rows(config, name)) for name in ("careeronestop", "adzuna")}

    # the next searches answer with one result lacking its company, one lacking its location;
    # what the first run stored is not among them, and would be closed by a complete run
    server.routes([
        {"path": cos_path("PACS administrator", 0), "file": "careeronestop/search_missing_fields.json"},
        {"path": cos_path("imaging informatics", 0), "file": "careeronestop/search_imaging_informatics.json"},
        {"path": ADZ_PATH + "1", "query": {"what": "PACS administrator"}, "file": "adzuna/search_missing_fields.json"},
        *other,
    ])
    second = crawl(config, tmp_path, ["careeronestop", "adzuna", "adzuna-other"])
    log = crawl_log(tmp_path)
    for name in ("careeronestop", "adzuna"):
        result = second[name]
        assert result.status == "partial" and result.closed == 0, (name, result.message)
        assert result.message.startswith(f"incomplete: result {NO_COMPANY[name]} (")
        assert "has no company (+1 more)" in result.message
        assert f"{name}: result {NO_PLACE[name]} (" in log and ") has no location" in log
        stored = rows(config, name)
        assert all(stored[sid].closed_at is None for sid in before[name])  # nothing closed
        assert {NO_COMPANY[name], NO_PLACE[name]} <= set(stored)  # both kept, with what they have
        assert stored[NO_COMPANY[name]].employer is None and stored[NO_COMPANY[name]].state == "OH"
        assert stored[NO_PLACE[name]].employer == "Great Lakes Regional Health"
    assert second["adzuna-other"].status == "succeeded", second["adzuna-other"].message
