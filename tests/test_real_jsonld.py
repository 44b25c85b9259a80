"""The JSON-LD / microdata reader and the normalizer on published JobPosting markup (tests/fixtures/real/jsonld).

Origins and wrapping of every page are in tests/fixtures/real/README.md: schema.org's own published
examples, and JobPosting blocks of LinkedIn job pages (2021) saved by a public project. Each value
asserted here can be read in the page itself. These pages found three faults of the reader, fixed:
an identifier's issuer name taken for the id, a numeric-string salary read as words, and
employmentUnit not read as the department.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pacsjobs.record import Posting, RawPosting
from pacsjobs.sources import jsonld
from pacsjobs.understand.process import Processor
from tests.helpers import REPO_CONFIG

PAGES = Path(__file__).parent / "fixtures" / "real" / "jsonld"
# The LinkedIn pages' own URLs were not saved with them, so every page is read under a stand-in URL.
BASE_URL = "https://jobs.example.test/"


@dataclass(frozen=True)
class Page:
    """What one page says, field by field (raw values as published)."""

    file: str
    format: str
    title: str
    source_id: str | None  # None: the page gives no id of its own, so the page URL is the id
    employer: str | None
    locations: list[str]
    country: str | None
    employment_type: str | None
    salary: tuple[Any, Any, str | None, str | None] | None  # min, max, currency, unit
    date_posted: str | None
    valid_through: str | None
    normalized: dict[str, Any] = field(default_factory=dict)


LEDGENT = Page(
    file="linkedin_ledgent_network_system_engineer_2021.html", format="json-ld",
    title="Network System Engineer", source_id=None, employer="Ledgent Technology",
    locations=["Laguna Beach, CA 92651"], country="US", employment_type="CONTRACTOR",
    salary=(80000, 100000, "USD", "YEAR"),
    date_posted="2021-10-05T17:30:23.000Z", valid_through="2021-11-04T17:30:22.000Z",
    normalized={"salary_min": 80000.0, "salary_max": 100000.0, "salary_currency": "USD",
                "salary_period": "year", "salary_annual_min": 80000.0, "salary_annual_max": 100000.0,
                "salary_source": "structured", "city": "Laguna Beach", "state": "CA", "postal_code": "92651",
                "country": "US", "employment_type": "contract", "date_posted": date(2021, 10, 5),
                "valid_through": date(2021, 11, 4), "degree": "bachelor",
                # industry "Staffing and Recruiting"; the posting is for "a MSP Company"
                "is_staffing_agency": True, "is_pacs_role": False},
)
INSIGHT_GLOBAL = Page(
    file="linkedin_insight_global_clinical_research_coordinator_2021.html", format="json-ld",
    title="Clinical Research Coordinator", source_id=None, employer="Insight Global",
    locations=["Huntington Park, CA 90255"], country="US", employment_type="CONTRACTOR",
    salary=(28, 37, "USD", "HOUR"),
    date_posted="2021-08-25T17:24:47.000Z", valid_through="2021-09-24T17:24:46.000Z",
    # "Hours: M-F -40 Hours a week!": 28 and 37 an hour over 52 weeks of 40 hours
    normalized={"salary_min": 28.0, "salary_max": 37.0, "salary_currency": "USD", "salary_period": "hour",
                "salary_annual_min": 28.0 * 40 * 52, "salary_annual_max": 37.0 * 40 * 52,
                "city": "Huntington Park", "state": "CA", "country": "US", "employment_type": "contract",
                "date_posted": date(2021, 8, 25), "valid_through": date(2021, 9, 24), "is_pacs_role": False},
)
OPTELLO = Page(
    file="linkedin_optello_imaging_research_scientist_2021.html", format="json-ld",
    title="REMOTE Imaging Research Scientist", source_id="BL1-16390547", employer="Optello",
    locations=["Newark, CA 94560"], country="US", employment_type="FULL_TIME", salary=None,
    date_posted="2021-07-31T07:26:21.000Z", valid_through="2021-08-30T07:26:19.000Z",
    # An imaging algorithm scientist (C++, CT image generation) is no PACS role.
    normalized={"salary_min": None, "salary_max": None, "salary_annual_min": None, "salary_annual_max": None,
                "salary_period": None, "city": "Newark", "state": "CA", "postal_code": "94560",
                "employment_type": "full_time", "date_posted": date(2021, 7, 31),
                "valid_through": date(2021, 8, 30), "years_experience_min": 2.0,  # monthsOfExperience 24
                "is_pacs_role": False},
)
# schema.org example eg-0028 publishes baseSalary as the string "100000" beside salaryCurrency "USD"
# (the microdata form can only give strings); its JSON-LD form has no hiringOrganization.
EG0028_JSONLD = Page(
    file="schemaorg_eg0028_jsonld.html", format="json-ld", title="Software Engineer", source_id=None,
    employer=None, locations=["Kirkland, WA"], country=None, employment_type="Full-time",
    salary=("100000", "100000", "USD", None), date_posted="2011-10-31", valid_through=None,
    normalized={"city": "Kirkland", "state": "WA", "country": "US", "employment_type": "full_time",
                "date_posted": date(2011, 10, 31), "degree": "bachelor",
                "years_experience_min": 3.0,  # "Minumum 3 years experience"
                "is_pacs_role": False},
)
EG0028_MICRODATA = Page(
    file="schemaorg_eg0028_microdata.html", format="microdata", title="Software Engineer", source_id=None,
    employer="ABC Company Inc.", locations=["Kirkland, WA"], country=None, employment_type="Full-time",
    salary=("100000", "100000", "USD", None), date_posted="2011-10-31", valid_through=None,
    normalized=EG0028_JSONLD.normalized,
)
EG0281 = Page(
    file="schemaorg_eg0281_employment_unit.html", format="json-ld", title="Junior software developer",
    source_id=None, employer="ACME Corp.", locations=[], country=None, employment_type=None, salary=None,
    date_posted=None, valid_through=None,
    normalized={"state": None, "salary_min": None, "date_posted": None, "is_pacs_role": False},
)
ALL = [LEDGENT, INSIGHT_GLOBAL, OPTELLO, EG0028_JSONLD, EG0028_MICRODATA, EG0281]


def _id(page: Page) -> str:
    return page.file.removesuffix(".html")


def _url(page: Page) -> str:
    return BASE_URL + _id(page)


def _read(page: Page) -> tuple[list[RawPosting], int]:
    return jsonld.parse_page((PAGES / page.file).read_bytes(), _url(page))


def _one(page: Page) -> RawPosting:
    postings, _ = _read(page)
    assert len(postings) == 1
    return postings[0]


def _amount(value: Any) -> float | None:
    """A raw amount as a number (sources give numbers or numeric strings; both are the same pay)."""
    return None if value is None else float(value)


@pytest.fixture(scope="module")
def processor() -> Processor:
    return Processor(REPO_CONFIG)


def test_every_page_saved() -> None:
    assert sorted(p.name for p in PAGES.glob("*.html")) == sorted(p.file for p in ALL)


@pytest.mark.parametrize("page", ALL, ids=_id)
def test_one_posting_nothing_broken(page: Page) -> None:
    postings, broken = _read(page)
    assert broken == 0
    assert len(postings) == 1
    assert postings[0].extra["format"] == page.format


@pytest.mark.parametrize("page", ALL, ids=_id)
def test_fields_as_published(page: Page) -> None:
    raw = _one(page)
    assert raw.title == page.title
    assert raw.url == _url(page)  # no page has a url of its own
    assert raw.employer == page.employer
    assert raw.locations == page.locations
    assert raw.country == page.country
    assert raw.employment_type == page.employment_type
    assert raw.date_posted == page.date_posted
    assert raw.valid_through == page.valid_through
    if page.salary is None:
        assert raw.salary is None


@pytest.mark.parametrize("page", ALL, ids=_id)
def test_source_id(page: Page) -> None:
    assert _one(page).source_id == (page.source_id or _url(page))


@pytest.mark.parametrize("page", [p for p in ALL if p.salary], ids=_id)
def test_salary(page: Page) -> None:
    salary = _one(page).salary
    assert page.salary is not None and salary is not None
    low, high, currency, unit = page.salary
    assert (_amount(salary.min), _amount(salary.max)) == (_amount(low), _amount(high))
    assert (salary.currency, salary.unit) == (currency, unit)


@pytest.mark.parametrize("page", [EG0028_JSONLD, EG0028_MICRODATA], ids=_id)
def test_string_salary_normalized(page: Page, processor: Processor) -> None:
    posting = processor.build(_one(page), "real")
    # "Salary: USD 100000" for a full-time post of 40 hours a week: a year's pay
    assert (posting.salary_min, posting.salary_max, posting.salary_currency) == (100000.0, 100000.0, "USD")
    assert (posting.salary_period, posting.salary_annual_min, posting.salary_annual_max) == ("year", 100000.0,
                                                                                             100000.0)


@pytest.mark.parametrize("page", ALL, ids=_id)
def test_normalized(page: Page, processor: Processor) -> None:
    posting: Posting = processor.build(_one(page), "real")
    assert posting.title == page.title
    assert posting.employer == page.employer
    got = {key: getattr(posting, key) for key in page.normalized}
    assert got == page.normalized


def test_identifier_value_wins_over_description_job_id() -> None:
    # The description cites "JobID: linkedin : BL1-1639054"; the identifier value has one more digit.
    raw = _one(OPTELLO)
    assert raw.source_id == "BL1-16390547"
    assert raw.extra["identifier_name"] == "Optello"


def test_microdata_keeps_nested_organization_out_of_employer_text() -> None:
    # The hiringOrganization scope sits inside the description paragraph; only its name is the employer.
    raw = _one(EG0028_MICRODATA)
    assert raw.employer == "ABC Company Inc."
    assert raw.description_html is not None and "seeks a full-time mid-level software engineer" in raw.description_html
    assert raw.extra["work_hours"] == "40 hours per week"
    assert raw.extra["occupational_category"] == "15-1132.00 Software Developers, Application"


def test_employment_unit_is_department() -> None:
    assert _one(EG0281).department == "ITS - Division C"
