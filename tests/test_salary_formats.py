"""Pay and experience in the harder wordings real postings use (issue 15)."""

from __future__ import annotations

import pytest

from pacsjobs.normalize.salary import normalize_salary, parse_salary_text, pay_ranges
from pacsjobs.normalize.salary_patterns import _join_spaced_thousands
from pacsjobs.understand.classify import extract_degree, extract_years


@pytest.mark.parametrize("text, low, high, period", [
    # labels glued to bare figures; the midpoint is neither end
    ("Pay Minimum23.10 Pay Midpoint27.50 Pay Maximum31.90", 23.10, 31.90, "hour"),
    ("Pay Minimum: $23.10 Pay Midpoint: $27.50 Pay Maximum: $31.90", 23.10, 31.90, "hour"),
    ("Salary Minimum 58,400 Salary Midpoint 77,325 Salary Maximum 96,250", 58400.0, 96250.0, "year"),
    ("Pay Range Minimum:\n$31.26\nPay Range Midpoint:\n$39.86\nPay Range Maximum:\n$48.45", 31.26, 48.45, "hour"),
    # thousands grouped with spaces or no-break spaces
    ("$58 400 - 96 250 per year", 58400.0, 96250.0, "year"),
    ("$58\u00a0400 - $96\u00a0250 per year", 58400.0, 96250.0, "year"),
    ("Salary: $ 105 280 to $ 136 858 annually", 105280.0, 136858.0, "year"),
    # no unit at the figure: the posting's one period word elsewhere decides
    ("This is an hourly position. Pay Range: 23.10 - 31.90", 23.10, 31.90, "hour"),
    ("Pay range: $150 - $250. This role is paid per day.", 150.0, 250.0, "day"),
])
def test_pay_formats(text, low, high, period):
    s = parse_salary_text(text)
    assert s is not None, text
    assert (s.min, s.max, s.period) == (low, high, period)
    assert s.flag is None


def test_raw_keeps_the_posting_spelling():
    s = parse_salary_text("Pay: $58\u00a0400 - $96\u00a0250 per year")
    assert s.raw == "$58\u00a0400 - $96\u00a0250 per year"


def test_midpoint_alone_is_not_pay():
    s = parse_salary_text("Pay Minimum: $58,400 Pay Midpoint: $77,325")
    assert s is not None and s.min == 58400.0 and s.max is None  # a minimum, never the midpoint


@pytest.mark.parametrize("text", [
    "Minimum of 3 years experience, maximum 5 years preferred.",
    "Ages 18 100 percent covered",  # spaced digits without money are not joined
    "Call 555 123 4567 to apply.",
])
def test_no_pay_read_from_non_pay(text):
    assert parse_salary_text(text) is None


def test_spaced_join_keeps_length_and_phone_numbers():
    for text in ("$58 400 - 96 250", "call 555 123 4567", "$1 234 567 a year"):
        assert len(_join_spaced_thousands(text)) == len(text)
    assert _join_spaced_thousands("$1 234 567 a year") == "$1,234,567 a year"
    assert _join_spaced_thousands("call 555 123 4567") == "call 555 123 4567"


def test_two_ranges_by_location_are_both_kept():
    text = ("Compensation\nBoston, MA: $85,000 - $110,000 per year\n"
            "Remote (outside Massachusetts): $75,000 - $95,000 per year")
    s = normalize_salary(None, text)
    assert (s.min, s.max, s.period) == (85000.0, 110000.0, "year")
    assert [(r["where"], r["min"], r["max"]) for r in s.ranges] == [
        ("Boston, MA", 85000.0, 110000.0), ("Remote (outside Massachusetts)", 75000.0, 95000.0)]


def test_two_ranges_by_level():
    text = ("Pay range:\nPACS Analyst I: $30.00 - $40.00 per hour\nPACS Analyst II: $36.00 - $48.00 per hour")
    assert [(r["where"], r["period"]) for r in pay_ranges(text)] == [("PACS Analyst I", "hour"),
                                                                     ("PACS Analyst II", "hour")]


def test_one_range_gives_no_ranges_list():
    assert parse_salary_text("Pay: $38.50 - $52.00 per hour").ranges == []
    assert pay_ranges("Pay: $38.50 - $52.00 per hour, $2,500 sign-on bonus") == []


@pytest.mark.parametrize("text, years", [
    ("5+ years of clinical systems implementation experience", 5.0),
    ("Requires a minimum of three (3) years in a hospital imaging environment.", 3.0),
    ("5+ years of experience in healthcare IT, clinical informatics, or EHR implementation/project management "
     "(required)", 5.0),
    ("3 years managing radiology information systems required.", 3.0),
    ("- 5 years administering enterprise PACS in a multi-hospital system", 5.0),
    ("Minimum of 5 years\u2019 progressive responsibility for the design, implementation and support of "
     "enterprise imaging systems.", 5.0),
    ("7-10 years with min 5 years experience & In-depth understanding of data structures", 5.0),
    ("5 years of experience, including 2 years in PACS", 5.0),
    ("Our team has spent 20 years serving patients in Ohio.", None),
    ("We celebrate 50 years caring for the community.", None),
])
def test_experience_after_long_phrases(text, years):
    assert extract_years(text) == years


@pytest.mark.parametrize("text, degree", [
    ("Graduate degree or publication record in a relevant field", "master"),
    ("Undergraduate degree in computer science required", "bachelor"),
    ("Must be a high school graduate.", None),
])
def test_degree_wordings(text, degree):
    assert extract_degree(text)[0] == degree
