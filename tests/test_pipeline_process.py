"""``pacsjobs.understand.process.build_posting``: raw posting -> normalized, classified record."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from pacsjobs.record import RawPosting, RawSalary
from pacsjobs.sources import jsonld
from pacsjobs.understand.process import Processor, build_posting
from tests.helpers import REPO_CONFIG

FIX = Path(__file__).parent / "fixtures" / "jsonld"
NOW = datetime(2026, 11, 28, 12, 0, 0)


@pytest.fixture(scope="module")
def processor():
    return Processor(REPO_CONFIG)


@pytest.fixture(scope="module")
def phenom(processor):
    (raw,) = jsonld.parse((FIX / "phenom_pacs_administrator.html").read_bytes(), "https://c.example/job/1")
    return build_posting(raw, "northwest", NOW, processor.vocab)


def test_identity(phenom):
    assert (phenom.source, phenom.source_id, phenom.url) == ("northwest", "R24-118273", "https://c.example/job/1")


def test_location_text_joins_the_sources_words(phenom):
    assert phenom.location_text == "Valparaiso, IN 46383; La Porte, IN 46350"


def test_first_location_is_primary(phenom):
    assert (phenom.city, phenom.state, phenom.postal_code, phenom.country) == ("Valparaiso", "IN", "46383", "US")
    assert [loc["city"] for loc in phenom.locations] == ["Valparaiso", "La Porte"]


def test_salary_normalized_and_raw_kept(phenom):
    assert (phenom.salary_min, phenom.salary_max, phenom.salary_period, phenom.salary_source) == (
        82000, 98500, "year", "structured")
    assert phenom.salary_raw == "82000-98500 USD YEAR"


def test_dates(phenom):
    assert (phenom.date_posted, phenom.date_posted_raw) == (date(2026, 11, 10), "2026-11-10T00:00:00.000Z")
    assert phenom.valid_through == date(2027, 1, 9)


def test_description_sanitized_and_text(phenom):
    assert phenom.description_html.startswith("<p><b>Job Summary</b></p>")
    assert "Picture Archiving and Communication System" in phenom.description_text
    assert "<" not in phenom.description_text


def test_classified_as_pacs(phenom):
    assert phenom.is_pacs_role and phenom.relevance >= 0.5 and phenom.relevance_reasons


def test_requirements(phenom):
    assert phenom.degree in ("associate", "bachelor")
    assert phenom.years_experience_min == 2


def test_employment_type(phenom):
    assert phenom.employment_type == "full_time"


def test_remote_workplace_from_telecommute(processor):
    (raw,) = jsonld.parse((FIX / "google_remote.html").read_bytes(), "https://j.example/r")
    posting = processor.build(raw, "remote", NOW)
    assert (posting.workplace, posting.country, posting.location_text) == ("remote", "US", None)


def test_zero_salary_not_stored_as_pay(processor):
    raw = RawPosting(source_id="1", url="https://x.example/1", title="PACS Administrator",
                     salary=RawSalary(min=0.0, max=0.0, currency="USD", unit="YEAR"))
    posting = processor.build(raw, "s", NOW)
    assert posting.salary_min is None and posting.salary_annual_max is None
    assert posting.salary_raw == "0.0 USD YEAR"


def test_unreadable_date_kept_raw(processor):
    raw = RawPosting(source_id="1", url="https://x.example/1", title="PACS Administrator",
                     date_posted="sometime soon")
    posting = processor.build(raw, "s", NOW)
    assert (posting.date_posted, posting.date_posted_raw) == (None, "sometime soon")


def test_minimal_raw_posting(processor):
    posting = processor.build(RawPosting(source_id="9", url="https://x.example/9", title="  PACS \n Analyst "),
                              "s", NOW)
    assert (posting.title, posting.employer, posting.description_text, posting.locations) == (
        "PACS Analyst", None, None, [])
