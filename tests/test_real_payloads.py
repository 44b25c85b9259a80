"""Parsers and ``pacsjobs extract`` on payloads captured from the live APIs (tests/fixtures/real).

Origins and trims of every file are in tests/fixtures/real/README.md; each value asserted here can
be read in the payload itself.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pacsjobs.cli import main
from pacsjobs.record import RawPosting, RawSalary
from pacsjobs.sources import (
    ashby,
    greenhouse,
    lever,
    oracle,
    platform_module,
    smartrecruiters,
    usajobs,
    workday,
)
from tests.helpers import write_config

REAL = Path(__file__).parent / "fixtures" / "real"
WORKDAY_LIST_URL = "https://workday.wd5.myworkdayjobs.com/wday/cxs/workday/Workday/jobs"
ORACLE_HOST = "https://emje.fa.us6.oraclecloud.com"
ORACLE_LIST_URL = (
    f"{ORACLE_HOST}/hcmRestApi/resources/latest/recruitingCEJobRequisitions?onlyData=true"
    "&finder=findReqs;siteNumber=CX_1001,limit=25,offset=0"
)
ORACLE_DETAIL_URL = (
    f"{ORACLE_HOST}/hcmRestApi/resources/latest/recruitingCEJobRequisitionDetails?expand=all"
    '&onlyData=true&finder=ById;Id="16280",siteNumber=CX_1001'
)

# (platform, file, kind, url the payload came from)
PAYLOADS: list[tuple[str, str, str, str]] = [
    ("usajobs", "usajobs/jobpress_it_specialists_2016.json", "listing", ""),
    ("usajobs", "usajobs/va_psychiatrist_milwaukee_2018.json", "listing", ""),
    ("lever", "lever/nisum_postings_2020.json", "listing", ""),
    ("lever", "lever/outreach_postings_2026.json", "listing", ""),
    ("workday", "workday/workday_jobs_2026.json", "listing", WORKDAY_LIST_URL),
    ("workday", "workday/workday_detail_JR-0105486.json", "detail", ""),
    ("greenhouse", "greenhouse/gongio_board_2026.json", "listing", ""),
    ("greenhouse", "greenhouse/gongio_job_4679941006.json", "detail", ""),
    ("smartrecruiters", "smartrecruiters/hirevue_postings_2026.json", "listing", ""),
    ("smartrecruiters", "smartrecruiters/hirevue_posting_744000138728139.json", "detail", ""),
    ("ashby", "ashby/board_2026.json", "listing", ""),
    ("oracle", "oracle/southern_co_reqs_2026.json", "listing", ORACLE_LIST_URL),
    ("oracle", "oracle/southern_co_req_16280_detail.json", "detail", ORACLE_DETAIL_URL),
]
IDS = [f"{p}:{Path(f).name}" for p, f, _, _ in PAYLOADS]


def payload(name: str) -> bytes:
    return (REAL / name).read_bytes()


def run_parser(platform: str, name: str, kind: str, url: str) -> list[RawPosting]:
    module = platform_module(platform)
    if kind == "detail":
        return [module.parse_detail(payload(name), url)]
    return module.parse(payload(name), url)


def by_id(postings: list[RawPosting]) -> dict[str, RawPosting]:
    return {p.source_id: p for p in postings}


@pytest.fixture(scope="module")
def cfg(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(write_config(tmp_path_factory.mktemp("real") / "config"))


def extract(cfg: str, platform: str, name: str, kind: str, url: str) -> list[dict[str, Any]]:
    args = ["--config", cfg, "extract", "--source", platform, str(REAL / name)]
    args += ["--detail"] if kind == "detail" else ["--listing"]
    args += ["--url", url] if url else []
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


# -- every payload ------------------------------------------------------------------------------


@pytest.mark.parametrize(("platform", "name", "kind", "url"), PAYLOADS, ids=IDS)
def test_every_real_posting_has_id_url_and_title(platform, name, kind, url):
    postings = run_parser(platform, name, kind, url)
    assert postings
    for p in postings:
        assert p.source_id and p.title and p.title == p.title.strip()
        assert p.url.startswith("https://"), p.url
    assert len({p.source_id for p in postings}) == len(postings)


@pytest.mark.parametrize(("platform", "name", "kind", "url"), PAYLOADS, ids=IDS)
def test_extract_prints_every_real_posting(cfg, platform, name, kind, url):
    lines = extract(cfg, platform, name, kind, url)
    parsed = run_parser(platform, name, kind, url)
    assert [line["source_id"] for line in lines] == [p.source_id for p in parsed]
    assert [line["title"] for line in lines] == [p.title for p in parsed]
    for line in lines:
        assert line["source"] == platform
        assert line["url"].startswith("https://")


# -- USAJOBS ------------------------------------------------------------------------------------


def test_usajobs_2016_search_response():
    data = payload("usajobs/jobpress_it_specialists_2016.json")
    jobs = by_id(usajobs.parse(data))
    assert list(jobs) == ["441132200", "441027400", "438866500", "438900300"]
    assert usajobs.reported_total(data) == 8
    cfpb = jobs["441132200"]
    assert cfpb.title == "IT Specialist (INET) (Web Developer)"
    assert cfpb.url == "https://www.usajobs.gov:443/GetJob/ViewDetails/441132200"
    assert cfpb.employer == "Consumer Financial Protection Bureau"
    assert cfpb.department is None  # DepartmentName is ""
    # the second location's name starts with a space in the response
    assert cfpb.locations == ["Washington DC, District of Columbia",
                              "Location Negotiable After Selection, United States"]
    assert cfpb.country == "United States"
    assert (cfpb.salary.min, cfpb.salary.max, cfpb.salary.unit) == ("92166", "161600", "Per Year")
    assert (cfpb.date_posted, cfpb.valid_through) == ("2016-06-08T00:00:00Z", "2016-06-15T00:00:00Z")
    assert cfpb.extra["position_id"] == "16-CFPB-439-P"
    assert (cfpb.extra["low_grade"], cfpb.extra["high_grade"]) == ("52", "53")
    assert "<h3>Summary</h3>" in cfpb.description_html
    cdc = jobs["441027400"]
    assert cdc.department == "Department Of Health And Human Services"
    assert cdc.employment_type == "Full Time"
    assert cdc.locations == ["Atlanta, Georgia"]


def test_usajobs_schedule_named_by_tenure_falls_back_to_its_code():
    # PositionSchedule {"Name": "Career/Career Conditional", "Code": "1"}: code 1 is full time
    cfpb = by_id(usajobs.parse(payload("usajobs/jobpress_it_specialists_2016.json")))["441132200"]
    assert cfpb.employment_type == "Full-Time"


def test_usajobs_2018_va_psychiatrist():
    data = payload("usajobs/va_psychiatrist_milwaukee_2018.json")
    (job,) = usajobs.parse(data)
    assert usajobs.reported_total(data) == 64
    assert (job.source_id, job.title) == ("510569800", "Physician - Psychiatrist")
    assert job.employer == "Veterans Affairs, Veterans Health Administration"
    assert job.department == "Department of Veterans Affairs"
    assert job.locations == ["Milwaukee, Wisconsin"]
    assert job.employment_type == "Full-Time"
    assert (job.salary.min, job.salary.max, job.salary.unit) == ("110000.00", "264000.00", "Per Year")
    assert (job.date_posted, job.valid_through) == ("2018-09-11", "2019-09-11")
    assert job.extra["job_category"] == ["0602"]
    assert "Clement J. Zablocki VA Medical Center" in job.description_html


def test_usajobs_real_records_normalize(cfg):
    cfpb = extract(cfg, "usajobs", "usajobs/jobpress_it_specialists_2016.json", "listing", "")[0]
    assert (cfpb["city"], cfpb["state"], cfpb["country"]) == ("Washington DC", "DC", "US")
    assert (cfpb["salary_min"], cfpb["salary_max"], cfpb["salary_period"]) == (92166, 161600, "year")
    assert cfpb["employment_type"] == "full_time"
    assert (cfpb["date_posted"], cfpb["valid_through"]) == ("2016-06-08", "2016-06-15")
    (va,) = extract(cfg, "usajobs", "usajobs/va_psychiatrist_milwaukee_2018.json", "listing", "")
    assert (va["city"], va["state"]) == ("Milwaukee", "WI")
    assert (va["salary_annual_min"], va["salary_annual_max"]) == (110000, 264000)
    assert va["employment_type"] == "full_time"


# -- Lever --------------------------------------------------------------------------------------


def test_lever_2020_nisum_postings():
    jobs = lever.parse(payload("lever/nisum_postings_2020.json"))
    assert [j.source_id for j in jobs] == [
        "e742f4ba-8319-4f33-b0a3-20971c81eba0", "0dd55697-3453-40bf-a11c-451f4f212dfa",
        "4cb56f2d-2d64-4bc6-8be8-1f6d0493e38c", "213991c5-8b46-41db-a09f-8c71bb2e3fbe",
        "99270acc-f94d-4d8c-965e-025c9029479b",
    ]
    first = jobs[0]
    assert first.title == "*DevOps Engineer"
    assert first.url == "https://jobs.lever.co/nisum/e742f4ba-8319-4f33-b0a3-20971c81eba0"
    assert first.extra["apply_url"] == first.url + "/apply"
    assert (first.department, first.extra["team"]) == ("Nisum US", "DevOps & QE")
    assert (first.employment_type, first.locations) == ("Full Time", ["San Francisco, CA"])
    assert first.date_posted == "1581962968184"
    assert first.salary is None and first.country is None and first.workplace is None
    # description and additional are empty: the whole text is in lists
    assert "What You’ll Do" in first.description_html
    assert "<li>5+ years of solid DevOps experience</li>" in first.description_html
    assert jobs[4].locations == ["Hyderabad, India"]
    assert jobs[4].department == "Nisum India"


def test_lever_2026_outreach_postings():
    jobs = by_id(lever.parse(payload("lever/outreach_postings_2026.json")))
    ae = jobs["a60fb104-ce93-4ba0-8763-ffb075b3eed1"]
    assert ae.title == "Account Executive, Commercial"
    assert (ae.country, ae.workplace, ae.locations) == ("US", "remote", ["United States"])
    assert ae.salary == RawSalary(min=140000, max=160000, currency="USD", unit="per-year-salary")
    assert ae.date_posted == "1782753306506"
    emea = jobs["f9e62dad-44bf-4e52-88ca-854a2b26fa58"]
    assert (emea.country, emea.workplace, emea.locations, emea.salary) == ("GB", "hybrid", ["London"], None)
    sci = jobs["aa98974b-096f-403c-8d38-ba08961f0fd2"]
    assert (sci.locations, sci.salary.min, sci.salary.max) == (["Seattle, WA"], 130000, 160000)


def test_lever_real_records_normalize(cfg):
    lines = extract(cfg, "lever", "lever/nisum_postings_2020.json", "listing", "")
    assert lines[0]["date_posted"] == "2020-02-17"
    assert (lines[0]["city"], lines[0]["state"]) == ("San Francisco", "CA")
    assert (lines[4]["city"], lines[4]["country"]) == ("Hyderabad", "IN")
    out = {line["source_id"]: line for line in
           extract(cfg, "lever", "lever/outreach_postings_2026.json", "listing", "")}
    ae = out["a60fb104-ce93-4ba0-8763-ffb075b3eed1"]
    assert (ae["salary_min"], ae["salary_max"], ae["salary_period"]) == (140000, 160000, "year")
    assert (ae["workplace"], ae["date_posted"]) == ("remote", "2026-06-29")
    assert out["f9e62dad-44bf-4e52-88ca-854a2b26fa58"]["workplace"] == "hybrid"


# -- Workday ------------------------------------------------------------------------------------


def test_workday_real_listing():
    data = payload("workday/workday_jobs_2026.json")
    jobs = workday.parse(data, WORKDAY_LIST_URL)
    # re-posted requisitions carry a "-1" suffix in the path that the bullet field lacks
    assert [j.source_id for j in jobs] == ["JR-0105489-1", "JR-0105486", "JR-0105490-1", "JR-0105494"]
    assert workday.reported_total(data, WORKDAY_LIST_URL) == 347
    first = jobs[0]
    assert first.title == "Sr Site Reliability Engineer (US Federal)"  # the path keeps the old title
    assert first.url == ("https://workday.wd5.myworkdayjobs.com/Workday/job/USAVAReston/"
                         "Analytics-Sr-Software-Engineer--US-Federal-_JR-0105489-1")
    assert first.extra["bullet_fields"] == ["JR-0105489"]
    assert first.locations == ["USA.VA.Reston"]
    assert first.date_posted == "Posted Yesterday"
    assert jobs[3].date_posted == "Posted 2 Days Ago"


def test_workday_real_detail_merges_into_its_listing():
    listing = workday.parse(payload("workday/workday_jobs_2026.json"), WORKDAY_LIST_URL)[1]
    job = workday.parse_detail(payload("workday/workday_detail_JR-0105486.json"), "", listing)
    assert (job.source_id, job.url) == (listing.source_id, listing.url)
    assert job.title == "Sr. Site Reliability Engineer (US Federal)"
    assert job.employer == "Workday Government, LLC"
    assert (job.country, job.workplace, job.employment_type) == (
        "United States of America", "Onsite", "Full Time")
    assert job.date_posted == "2026-07-25"
    assert job.locations == ["USA.VA.Reston"]
    assert job.extra["job_req_id"] == "JR-0105486"
    assert job.description_html.startswith("<p><b>Your work days are brighter here.</b></p>")
    assert job.updated == listing.updated


def test_workday_real_detail_alone_and_normalized(cfg):
    job = workday.parse_detail(payload("workday/workday_detail_JR-0105486.json"))
    assert job.source_id == "JR-0105486"
    assert job.url == ("https://workday.wd5.myworkdayjobs.com/Workday/job/USAVAReston/"
                       "Sr-Site-Reliability-Engineer--US-Federal-_JR-0105486")
    (line,) = extract(cfg, "workday", "workday/workday_detail_JR-0105486.json", "detail", "")
    assert (line["country"], line["workplace"], line["employment_type"]) == ("US", "onsite", "full_time")
    # pay is only in the text: "Primary Location Base Pay Range:  $151,500 USD - $227,300 USD"
    assert (line["salary_min"], line["salary_max"], line["salary_period"]) == (151500, 227300, "year")


# -- Greenhouse ---------------------------------------------------------------------------------


def test_greenhouse_real_board():
    data = payload("greenhouse/gongio_board_2026.json")
    jobs = by_id(greenhouse.parse(data))
    assert list(jobs) == ["4679941006", "4678879006"]
    assert greenhouse.reported_total(data) is None  # the saved board has no "meta"
    arch = jobs["4679941006"]
    assert arch.title == "Commercial Revenue Architect"
    assert arch.url == "https://job-boards.greenhouse.io/gongio/jobs/4679941006"
    assert arch.employer == "Gong.io"
    assert arch.locations == ["Austin", "Chicago", "New York City", "Salt Lake City", "San Francisco"]
    assert (arch.date_posted, arch.updated) == ("2026-05-07T14:53:31-04:00", "2026-07-16T14:44:23-04:00")
    assert arch.description_html is None  # listed without ?content=true
    growth = jobs["4678879006"]
    assert growth.locations == ["Remote (US)"]
    assert growth.employment_type == "Full time"  # the "Time Type" metadata field
    assert (growth.extra["requisition_id"], growth.extra["internal_job_id"]) == ("JR102762", 4546390006)


def test_greenhouse_real_job(cfg):
    job = greenhouse.parse_detail(payload("greenhouse/gongio_job_4679941006.json"))
    assert (job.source_id, job.title) == ("4679941006", "Commercial Revenue Architect")
    assert job.department == "Customer Success"
    assert job.description_html.startswith("&lt;div&gt;&lt;p&gt;Trimmed for fixture.")
    (line,) = extract(cfg, "greenhouse", "greenhouse/gongio_job_4679941006.json", "detail", "")
    # "The annual OTE for this position is $90,000 - $120,000 USD." inside the escaped content
    assert (line["salary_min"], line["salary_max"], line["salary_period"]) == (90000, 120000, "year")
    assert "&lt;" not in line["description_html"] and "Education & learning stipend" in line["description_text"]


# -- SmartRecruiters ----------------------------------------------------------------------------


def test_smartrecruiters_real_postings():
    data = payload("smartrecruiters/hirevue_postings_2026.json")
    jobs = by_id(smartrecruiters.parse(data))
    assert list(jobs) == ["744000138728139", "744000136509359", "744000133640099"]
    assert smartrecruiters.reported_total(data) == 5
    intern = jobs["744000138728139"]
    assert intern.title == "Data Science Intern | Fully Remote US"
    assert intern.url == "https://jobs.smartrecruiters.com/HireVue/744000138728139"
    assert (intern.employer, intern.department) == ("HireVue Inc", "Data Science")
    assert (intern.locations, intern.country) == (["Sandy, UT, United States"], "us")
    assert (intern.employment_type, intern.workplace) == ("Part-time", "remote")
    assert intern.date_posted == "2026-07-20T20:54:18.136Z"
    assert intern.extra["ref_number"] == "REF307T"
    # fullLocation "Warsaw, , Poland" has an empty region: no empty part may survive
    warsaw = jobs["744000136509359"].locations
    assert warsaw and warsaw[0].startswith("Warsaw") and ", ," not in warsaw[0]


def test_smartrecruiters_real_detail():
    job = smartrecruiters.parse_detail(payload("smartrecruiters/hirevue_posting_744000138728139.json"))
    assert job.source_id == "744000138728139"
    assert job.url == ("https://jobs.smartrecruiters.com/HireVue/"
                       "744000138728139-data-science-intern-fully-remote-us")
    assert job.extra["apply_url"] == job.url + "?oga=true"
    assert "Hirevue is where hiring happens" in job.description_html


# -- Ashby --------------------------------------------------------------------------------------


def test_ashby_real_board(cfg):
    jobs = by_id(ashby.parse(payload("ashby/board_2026.json")))
    assert len(jobs) == 3
    gtm = jobs["c46c1464-d1e3-4fb7-9ace-7f1b9b65774c"]
    assert gtm.title == "GTM Engineer"
    assert gtm.url == "https://jobs.ashbyhq.com/wealth-com/c46c1464-d1e3-4fb7-9ace-7f1b9b65774c"
    assert (gtm.locations, gtm.workplace, gtm.employment_type) == (["Phoenix, AZ"], "Remote", "FullTime")
    assert gtm.salary == RawSalary(min=130000, max=180000, currency="USD", unit="1 YEAR",
                                   text="$130K - $180K • Offers Equity")
    hourly = jobs["fcd184e8-d7c9-4c58-b5f5-56b7ee5c80ac"]
    assert (hourly.salary.min, hourly.salary.max, hourly.salary.unit) == (30, 38, "1 HOUR")
    oai = jobs["2cba0d45-7a4f-4f38-ac73-3f8633bf0349"]
    assert oai.locations == ["San Francisco", "New York City", "Seattle"]  # secondaryLocations
    assert oai.workplace is None and oai.date_posted == "2025-03-27T16:44:10.676+00:00"
    lines = {line["source_id"]: line for line in extract(cfg, "ashby", "ashby/board_2026.json", "listing", "")}
    tech = lines["fcd184e8-d7c9-4c58-b5f5-56b7ee5c80ac"]
    assert (tech["salary_min"], tech["salary_max"], tech["salary_period"]) == (30, 38, "hour")
    assert lines["c46c1464-d1e3-4fb7-9ace-7f1b9b65774c"]["salary_period"] == "year"


# -- Oracle -------------------------------------------------------------------------------------


def test_oracle_real_requisitions():
    data = payload("oracle/southern_co_reqs_2026.json")
    jobs = by_id(oracle.parse(data, ORACLE_LIST_URL))
    assert list(jobs) == ["16280", "17305", "18868"]
    assert oracle.reported_total(data, ORACLE_LIST_URL) == 105
    rp = jobs["16280"]
    assert rp.title == "Radiation Protection Supervisor - Plant Hatch"
    assert rp.url == f"{ORACLE_HOST}/hcmUI/CandidateExperience/en/sites/CX_1001/job/16280"
    assert (rp.locations, rp.country, rp.date_posted) == (["Baxley, GA, United States"], "US", "2026-06-23")
    assert rp.workplace is None  # WorkplaceType "" and WorkplaceTypeCode null
    assert rp.description_html is None  # ShortDescriptionStr ""
    assert jobs["18868"].title == "Solar Operations Technician – Henrietta Solar Project"


def test_oracle_real_detail(cfg):
    listing = oracle.parse(payload("oracle/southern_co_reqs_2026.json"), ORACLE_LIST_URL)[0]
    job = oracle.parse_detail(payload("oracle/southern_co_req_16280_detail.json"), ORACLE_DETAIL_URL, listing)
    assert (job.source_id, job.url) == (listing.source_id, listing.url)
    assert job.employment_type == "Full time"
    assert job.valid_through == "2026-07-08T03:55:00+00:00"
    assert job.locations == ["Baxley, GA, United States"]
    assert "<strong>JOB SUMMARY:</strong>" in job.description_html
    (line,) = extract(cfg, "oracle", "oracle/southern_co_req_16280_detail.json", "detail", ORACLE_DETAIL_URL)
    assert (line["city"], line["state"], line["country"]) == ("Baxley", "GA", "US")
    assert (line["employment_type"], line["valid_through"]) == ("full_time", "2026-07-08")
    assert line["url"] == f"{ORACLE_HOST}/hcmUI/CandidateExperience/en/sites/CX_1001/job/16280"
