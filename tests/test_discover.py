"""Board discovery (pure): a link of every supported platform gives the platform and its board keys."""

from __future__ import annotations

import pytest

from pacsjobs.sources import PLATFORMS
from pacsjobs.sources.discover import (
    PAGE_MARKERS,
    URL_PATTERNS,
    board_key,
    entry_toml,
    links_in,
    recognise_page,
    recognise_url,
    suggested_name,
)

# (link as people meet it, platform, board keys of its sources entry, suggested name)
LINKS = [
    ("https://ccf.wd1.myworkdayjobs.com/en-US/ClevelandClinicCareers/job/Cleveland-Clinic-Main-Campus/"
     "PACS-Administrator_R123456", "workday", {"url": "https://ccf.wd1.myworkdayjobs.com/ClevelandClinicCareers"},
     "workday:ccf"),
    ("https://ohiohealth.wd5.myworkdayjobs.com/OhioHealthJobs", "workday",
     {"url": "https://ohiohealth.wd5.myworkdayjobs.com/OhioHealthJobs"}, "workday:ohiohealth"),
    ("https://ccf.wd1.myworkdayjobs.com/wday/cxs/ccf/ClevelandClinicCareers/jobs", "workday",
     {"url": "https://ccf.wd1.myworkdayjobs.com/ClevelandClinicCareers"}, "workday:ccf"),
    ("https://wd1.myworkdaysite.com/en-US/recruiting/parexel/Parexel_External_Careers/job/Remote/R1", "workday",
     {"url": "https://parexel.wd1.myworkdayjobs.com/Parexel_External_Careers"}, "workday:parexel"),
    ("https://ejis.fa.us6.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1/job/2200431", "oracle",
     {"host": "ejis.fa.us6.oraclecloud.com", "site": "CX_1"}, "oracle:ejis-cx_1"),
    ("https://eppr.fa.us2.oraclecloud.com/hcmRestApi/resources/latest/recruitingCEJobRequisitions?onlyData=true"
     "&finder=findReqs;siteNumber=CX_2,limit=25", "oracle", {"host": "eppr.fa.us2.oraclecloud.com", "site": "CX_2"},
     "oracle:eppr-cx_2"),
    ("https://boards.greenhouse.io/vizai/jobs/4409817005", "greenhouse", {"board": "vizai"}, "greenhouse:vizai"),
    ("https://job-boards.greenhouse.io/heartflowinc/jobs/6120133003?gh_src=a1", "greenhouse",
     {"board": "heartflowinc"}, "greenhouse:heartflowinc"),
    ("https://boards-api.greenhouse.io/v1/boards/PathAI/jobs?content=true", "greenhouse", {"board": "pathai"},
     "greenhouse:pathai"),
    ("https://boards.greenhouse.io/embed/job_board?for=butterflynetwork&b=https%3A%2F%2Fwww.butterflynetwork.com",
     "greenhouse", {"board": "butterflynetwork"}, "greenhouse:butterflynetwork"),
    ("https://jobs.lever.co/includedhealth/5f3c6a1e-8a44-4b1e-9d0e-2f6c1b7a9e10/apply", "lever",
     {"site": "includedhealth"}, "lever:includedhealth"),
    ("https://api.eu.lever.co/v0/postings/veeva?mode=json", "lever", {"site": "veeva"}, "lever:veeva"),
    ("https://jobs.smartrecruiters.com/HealthPartners1/744000012345678-pacs-administrator", "smartrecruiters",
     {"company": "HealthPartners1"}, "smartrecruiters:healthpartners1"),
    ("https://careers.smartrecruiters.com/TexasHealthResources", "smartrecruiters",
     {"company": "TexasHealthResources"}, "smartrecruiters:texashealthresources"),
    ("https://api.smartrecruiters.com/v1/companies/HealthPartners1/postings?limit=100", "smartrecruiters",
     {"company": "HealthPartners1"}, "smartrecruiters:healthpartners1"),
    ("https://jobs.ashbyhq.com/abridge/8a2f8b3c-0c8e-4a5e-a8f7-8d8e0f1a2b3c", "ashby", {"org": "abridge"},
     "ashby:abridge"),
    ("https://careers-lakeside.icims.com/jobs/10452/pacs-administrator/job?in_iframe=1", "icims",
     {"url": "https://careers-lakeside.icims.com"}, "icims:careers-lakeside"),
    ("https://jobs.jobvite.com/northstar-imaging/job/oQ2zkfwB", "jobvite", {"company": "northstar-imaging"},
     "jobvite:northstar-imaging"),
    ("https://career8.successfactors.com/career?company=LakesideHS&career_job_req_id=4521&career_ns=job_listing",
     "successfactors", {"url": "https://career8.successfactors.com/career?company=LakesideHS"},
     "successfactors:lakesidehs"),
    ("https://recruiting2.ultipro.com/LAK1001LKHS/JobBoard/3f0a2c4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b/"
     "OpportunityDetail?opportunityId=7c1e2d3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f", "ukg",
     {"url": "https://recruiting2.ultipro.com/LAK1001LKHS/JobBoard/3f0a2c4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b"},
     "ukg:lak1001lkhs"),
    ("https://lakeside.taleo.net/careersection/2/jobdetail.ftl?job=2400123&lang=en", "taleo",
     {"url": "https://lakeside.taleo.net/careersection/2"}, "taleo:lakeside-2"),
    ("https://lakesidehealth.hcshiring.com/jobs/148233-pacs-administrator", "healthcaresource",
     {"url": "https://lakesidehealth.hcshiring.com"}, "healthcaresource:lakesidehealth"),
    ("https://www.governmentjobs.com/careers/lakecounty/jobs/4512233/pacs-administrator", "neogov",
     {"agency": "lakecounty"}, "neogov:lakecounty"),
]
PHENOM_PAGE = ('<html><head><script src="https://cdn.phenompeople.com/CareerConnectResources/LAKEUS/en_us/desktop/'
               'common/js/phApp.min.js"></script></head><body><div id="ph-page-element"></div></body></html>')
CSB_PAGE = ('<html><head><link rel="stylesheet" href="https://rmkcdn.successfactors.com/c1a2b3c4/main.css">'
            '</head><body>Search jobs</body></html>')
JSONLD_PAGE = ('<html><head><script type="application/ld+json">{"@context": "https://schema.org/", '
               '"@type": "JobPosting", "title": "PACS Administrator"}</script></head><body></body></html>')
GH_EMBED_PAGE = '<script src="https://boards.greenhouse.io/embed/job_board/js?for=lakesideimaging"></script>'


@pytest.mark.parametrize(("link", "platform", "options", "name"), LINKS, ids=[f"{x[1]}-{i}" for i, x in enumerate(LINKS)])
def test_a_link_of_every_platform_gives_its_board_keys(link, platform, options, name):
    board = recognise_url(link)
    assert board is not None, link
    assert (board.platform, board.options, board.name, board.via) == (platform, options, name, "url")


@pytest.mark.parametrize(("url", "html", "platform", "options"), [
    ("https://careers.lakesidehealth.org/us/en/job/R1/PACS-Administrator", PHENOM_PAGE, "phenom",
     {"url": "https://careers.lakesidehealth.org"}),
    ("https://jobs.lakesidehealth.org/job/Columbus-PACS-Administrator-OH/1044/", CSB_PAGE, "successfactors",
     {"url": "https://jobs.lakesidehealth.org"}),
    ("https://www.lakesideimaging.com/careers", GH_EMBED_PAGE, "greenhouse", {"board": "lakesideimaging"}),
    ("https://www.harborradiology.org/jobs/pacs-admin", JSONLD_PAGE, "jsonld",
     {"urls": ["https://www.harborradiology.org/jobs/pacs-admin"]}),
])
def test_career_sites_on_the_employers_domain_are_recognised_by_page_markers(url, html, platform, options):
    assert recognise_url(url) is None  # the address alone says nothing
    board = recognise_page(url, html)
    assert board is not None and (board.platform, board.options, board.via) == (platform, options, "page")


@pytest.mark.parametrize("link", [
    "https://www.indeed.com/viewjob?jk=9f1a2b3c4d5e6f70",
    "https://careers.lakesidehealth.org/us/en/job/R1/PACS-Administrator",
    "https://www.linkedin.com/jobs/view/3901234567",
    "https://example.myworkdayjobs.com.evil.example/Careers",  # a look-alike host is not Workday
    "https://lakeside.taleo.net/careersection/rest/jobboard/searchjobs",  # the API, not a career section
    "https://career8.successfactors.com/career",  # no company: not enough to name a board
    "not a link",
])
def test_unknown_hosts_and_incomplete_links_are_refused(link):
    assert recognise_url(link) is None
    assert recognise_page(link, "<html><body><h1>Careers</h1><p>JobPosting</p></body></html>") is None


def test_the_pattern_tables_cover_every_platform_and_each_pattern_is_used():
    platforms = {p for p, _, _ in URL_PATTERNS} | {p for p, _, _ in PAGE_MARKERS}
    # USAJOBS and the nationwide search APIs are searched, not boards an employer links to
    assert platforms == (set(PLATFORMS) - {"usajobs", "careeronestop", "adzuna"}) | {
        "icims", "jobvite", "phenom", "successfactors", "ukg", "taleo", "healthcaresource", "neogov"}
    assert len(platforms) == 15
    for platform, pattern, _ in URL_PATTERNS:
        assert any(pattern.match(link) for link, *_ in LINKS), f"no test link for a {platform} pattern"


def test_the_same_board_from_different_links_has_one_key():
    keys = {recognise_url(link).key for link, platform, *_ in LINKS if platform == "workday" and "ccf" in link}
    assert keys == {"workday:ccf.wd1.myworkdayjobs.com/clevelandcliniccareers"}
    assert board_key("workday", {"url": "https://CCF.wd1.myworkdayjobs.com/en-US/ClevelandClinicCareers/"}) in keys
    assert board_key("oracle", {"host": "https://eppr.fa.us2.oraclecloud.com/", "site": "CX_2"}) == \
        recognise_url(LINKS[5][0]).key
    assert board_key("greenhouse", {"board": "VizAI"}) == board_key("greenhouse", {"board": "vizai"})


def test_suggested_names_are_valid_source_names():
    import re

    for link, platform, options, _ in LINKS:
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.:-]*", suggested_name(platform, options)), link


def test_entry_toml_is_a_disabled_entry_with_evidence():
    import tomllib

    board = recognise_url(LINKS[6][0])
    text = entry_toml(board, "greenhouse:vizai", 'discovered from "x" on 2026-12-04')
    assert tomllib.loads(text)["sources"] == [{"name": "greenhouse:vizai", "platform": "greenhouse", "enabled": False,
                                                "evidence": 'discovered from "x" on 2026-12-04', "board": "vizai"}]


def test_links_in_reads_links_out_of_any_text():
    lines = ["# from the nurse recruiter's email", "See https://jobs.lever.co/acme/1 and <https://boards.greenhouse.io/x>",
             "", "no link here"]
    assert links_in(lines) == ["https://jobs.lever.co/acme/1", "https://boards.greenhouse.io/x"]
