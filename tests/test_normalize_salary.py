"""Salary: structured fields of each source, and pay as postings write it in their text.

Strings marked "real" are copied from published postings (VA PACS Technologist announcements on
USAJOBS mirrors, an Atrium Health PRN posting); the rest are written in the style of real ones.
"""

from __future__ import annotations

import pytest

from pacsjobs.normalize.salary import (
    Salary,
    annualize,
    normalize_salary,
    parse_amount,
    parse_salary_text,
    parse_structured_salary,
    period_of_unit,
)
from pacsjobs.record import RawSalary

# (text, min, max, period, currency)
TEXT_CASES = [
    ("$38.50 - $52.00 per hour", 38.5, 52.0, "hour", "USD"),
    ("$38.50/hr", 38.5, 38.5, "hour", "USD"),
    ("$38.50/hr - $52.00/hr", 38.5, 52.0, "hour", "USD"),
    ("$85K-$100K", 85000, 100000, "year", "USD"),
    ("$85k – $100k", 85000, 100000, "year", "USD"),
    ("$85-100K", 85000, 100000, "year", "USD"),
    ("$85,000 to $100,000 annually", 85000, 100000, "year", "USD"),
    ("USD 90,000.00/Yr.", 90000, 90000, "year", "USD"),
    ("Pay Range: $31.26 - $48.45", 31.26, 48.45, "hour", "USD"),
    ("Pay Range: $31.26 - $48.45 (Hourly)", 31.26, 48.45, "hour", "USD"),
    ("Pay Range: Minimum: $31.26 Midpoint: $39.86 Maximum: $48.45", 31.26, 48.45, "hour", "USD"),
    (
        "Pay Range\nMinimum hourly: $31.26\nMidpoint hourly: $39.86\nMaximum hourly: $48.45",
        31.26, 48.45, "hour", "USD",
    ),
    (
        "Minimum Annual Salary: $80,615.00 Maximum Annual Salary: $100,189.00",
        80615, 100189, "year", "USD",
    ),
    ("Starting at $30/hour", 30, None, "hour", "USD"),
    ("Starting pay is $27.50 an hour, based on experience.", 27.5, None, "hour", "USD"),
    ("Salary up to $110,000", None, 110000, "year", "USD"),
    ("Compensation: up to $110,000 depending on experience", None, 110000, "year", "USD"),
    ("GS-11 $68,405 - $88,926 per year", 68405, 88926, "year", "USD"),
    # real: VA PACS Technologist, Amarillo (hiring.fm copy of the USAJOBS announcement)
    ("Salary Range: $105280 - $136858 Per Year", 105280, 136858, "year", "USD"),
    # real: the same announcement on federalgovernmentjobs.us
    ("Salary $105,280.00 to $136,858.00 Grade 11 to 11", 105280, 136858, "year", "USD"),
    ("Salary Range: 105280 - 136858 Per Year", 105280, 136858, "year", "USD"),
    ("$45/hr per diem", 45, 45, "hour", "USD"),
    # real phrasing: Atrium Health PRN ultrasound posting
    ("offering a fixed pay rate of $42.00 per hour", 42, 42, "hour", "USD"),
    ("Travel PACS Administrator - $2,100/week, 13-week assignment", 2100, 2100, "week", "USD"),
    ("Weekly pay: $2,450", 2450, 2450, "week", "USD"),
    ("Salary: $3,500 biweekly", 3500, 3500, "biweekly", "USD"),
    ("$3,100 - $3,900 bi-weekly", 3100, 3900, "biweekly", "USD"),
    ("$6,000 per month", 6000, 6000, "month", "USD"),
    ("$7,000 - $8,200 monthly", 7000, 8200, "month", "USD"),
    ("Daily rate: $400 a day", 400, 400, "day", "USD"),
    ("compensation between $85,000 and $100,000", 85000, 100000, "year", "USD"),
    ("Base pay range $92,000—$115,000 USD", 92000, 115000, "year", "USD"),
    ("The hourly rate for this position is $42.00", 42, 42, "hour", "USD"),
    ("Hourly Rate: $31.26-$48.45", 31.26, 48.45, "hour", "USD"),
    ("The salary range for this role is $84,000 − $97,000.", 84000, 97000, "year", "USD"),
    ("Pay: $30 - $40/hr plus $5,000 sign-on bonus", 30, 40, "hour", "USD"),
    ("We offer a $5,000 sign-on bonus. Pay: $30 - $40/hr", 30, 40, "hour", "USD"),
    ("$10,000 sign-on bonus!\nSalary: $85,000 - $100,000", 85000, 100000, "year", "USD"),
    ("Pay Range: $0.00 - $0.00\nSalary: $88,000 - $96,000 per year", 88000, 96000, "year", "USD"),
    ("Salary: $30/hr, night shift", 30, 30, "hour", "USD"),
    ("$45/hr, overtime eligible", 45, 45, "hour", "USD"),
    ("€60,000 - €70,000 per year", 60000, 70000, "year", "EUR"),
    ("Salary: CAD 80,000 - 95,000", 80000, 95000, "year", "CAD"),
    ("$38.50  -  $52.00 / hour", 38.5, 52.0, "hour", "USD"),
    ("Salary: $85,000.00 - $100,000.00/year. 401(k) with 6% match, founded 1921.", 85000, 100000, "year", "USD"),
    ("Tuition reimbursement up to $5,250 a year. Pay range: $36.00 - $50.00", 36, 50, "hour", "USD"),
    ("Hourly and salaried roles are posted here. Salary: $85,000", 85000, 85000, "year", "USD"),
    ("Salary: 85,000 - 100,000 USD per year", 85000, 100000, "year", "USD"),
    ("Up to $40/hr DOE", None, 40, "hour", "USD"),
    ("Pay: $40+/hr", 40, None, "hour", "USD"),
    ("Salary: $85,000+ per year", 85000, None, "year", "USD"),
    ("Grade: GS-11 Salary: $68,405 to $88,926 PA", 68405, 88926, "year", "USD"),
    ("Pay rate: $25.00/hour - $35.00/hour", 25, 35, "hour", "USD"),
    ("Ask about our referral program.\n$30 - $40 per hour", 30, 40, "hour", "USD"),
    ("Salary: $28.00 - $38.00/hour; $58,240 - $79,040/year", 28, 38, "hour", "USD"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "low", "high", "period", "currency"), TEXT_CASES)
def test_salary_text(text, low, high, period, currency):
    salary = parse_salary_text(text)
    assert salary is not None, text
    assert salary.flag is None
    assert (salary.min, salary.max, salary.period, salary.currency) == (low, high, period, currency)
    assert salary.source == "description"
    assert salary.raw and salary.raw in text


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "No pay information in this posting.",
        "Pay: $0.00",
        "Pay Range: $0.00 - $0.00",
        "401k match up to 6%. Founded 2024. Call 216-444-2200.",
        "$500 referral bonus",
        "Earn a $500 referral bonus for every hire.",
        "Up to $5,000 sign-on bonus",
        "Sign-on bonus: $10,000",
        "Tuition reimbursement of up to $5,250 per year",
        "Shift differential: $2.00/hr for nights",
        "$2/hr shift differential",
        "Our foundation raised $50 million last year.",
        "Parking costs $45 a month.",
        "Relocation assistance up to $7,500.",
        "We serve 2,000,000 patients across 250 locations",
        "Call (216) 444-2200 or visit 9500 Euclid Ave, Cleveland, OH 44195",
        "GS-11 grade, series 2210",
        "$$$",
    ],
)
def test_not_pay_is_ignored(text):
    assert parse_salary_text(text) is None


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("pay rate $3.00 an hour", "implausible: $3.00 an hour"),
        ("Salary: $2,500,000 per year", "implausible: $2,500,000 a year"),
        ("Salary range $1,500 - $2,000 per year", "implausible: $1,500 a year"),
        ("Pay: $900 per hour", "implausible: $900 an hour"),
        ("$100,000 - $85,000 per year", "min above max: 100000 > 85000"),
    ],
)
def test_implausible_text_is_flagged_not_stored(text, flag):
    salary = parse_salary_text(text)
    assert salary is not None
    assert salary.flag == flag
    assert (salary.min, salary.max, salary.annual_min, salary.annual_max) == (None,) * 4


def test_plausible_figure_wins_over_implausible_one():
    salary = parse_salary_text(
        "Rate: $3.00 per hour meal credit. Pay range: $31.00 - $45.00 per hour"
    )
    assert (salary.min, salary.max, salary.flag) == (31.0, 45.0, None)


def test_pay_word_beats_other_money_in_the_text():
    text = (
        "Benefits include $1,200 per year wellness funds. "
        "The pay range for this position is $36.25 - $54.40 per hour."
    )
    salary = parse_salary_text(text)
    assert (salary.min, salary.max, salary.period) == (36.25, 54.40, "hour")


def test_description_raw_keeps_the_period_words():
    assert parse_salary_text("Pay: $38.50 - $52.00 per hour.").raw == "$38.50 - $52.00 per hour"


# (RawSalary, min, max, period, currency)
STRUCTURED_CASES = [
    # schema.org baseSalary
    (RawSalary(min=85000, max=100000, currency="USD", unit="YEAR"), 85000, 100000, "year", "USD"),
    (RawSalary(min="38.50", max="52.00", currency="USD", unit="HOUR"), 38.5, 52.0, "hour", "USD"),
    (RawSalary(min=2100, currency="USD", unit="WEEK"), 2100, None, "week", "USD"),
    (RawSalary(min=400, max=450, currency="USD", unit="DAY"), 400, 450, "day", "USD"),
    (RawSalary(min=7000, max=8000, currency="USD", unit="MONTH"), 7000, 8000, "month", "USD"),
    (RawSalary(min="85,000.00", max="$100,000", currency="usd", unit="Year"), 85000, 100000, "year", "USD"),
    # USAJOBS PositionRemuneration
    (RawSalary(min="68405.0", max="88926.0", currency=None, unit="PA"), 68405, 88926, "year", "USD"),
    (RawSalary(min="68405", max="88926", unit="PA"), 68405, 88926, "year", "USD"),
    (RawSalary(min="31.26", max="40.64", unit="PH"), 31.26, 40.64, "hour", "USD"),
    (RawSalary(min="3600", max="4200", unit="BW"), 3600, 4200, "biweekly", "USD"),
    (RawSalary(min="450", max="500", unit="PD"), 450, 500, "day", "USD"),
    (RawSalary(min="7500", max="9000", unit="PM"), 7500, 9000, "month", "USD"),
    # Lever salaryRange
    (RawSalary(min=120000, max=150000, currency="USD", unit="per-year-salary"), 120000, 150000, "year", "USD"),
    (RawSalary(min=40, max=55, currency="USD", unit="per-hour-wage"), 40, 55, "hour", "USD"),
    (RawSalary(min=8000, max=9000, currency="USD", unit="per-month-salary"), 8000, 9000, "month", "USD"),
    (RawSalary(min=3000, max=3500, currency="USD", unit="bi-week-salary"), 3000, 3500, "biweekly", "USD"),
    # Greenhouse pay_input_ranges (cents already divided by the parser)
    (RawSalary(min=95000.0, max=120000.0, currency="USD", unit=None), 95000, 120000, "year", "USD"),
    # Ashby compensation
    (RawSalary(min=150000, max=250000, currency="EUR", unit="1 YEAR"), 150000, 250000, "year", "EUR"),
    (RawSalary(min=45, max=60, currency="USD", unit="1 HOUR"), 45, 60, "hour", "USD"),
    (RawSalary(text="$85K – $100K", unit="1 YEAR"), 85000, 100000, "year", "USD"),
    (RawSalary(text="$85K – $100K • Offers Equity"), 85000, 100000, "year", "USD"),
    (RawSalary(text="$40 – $55", unit="HOUR"), 40, 55, "hour", "USD"),
    # min/max zero but a summary text: the text is read
    (RawSalary(min=0, max=0, unit="YEAR", text="$90,000 - $110,000"), 90000, 110000, "year", "USD"),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "low", "high", "period", "currency"), STRUCTURED_CASES)
def test_structured_salary(raw, low, high, period, currency):
    salary = parse_structured_salary(raw)
    assert salary is not None
    assert salary.flag is None
    assert (salary.min, salary.max, salary.period, salary.currency) == (low, high, period, currency)
    assert salary.source == "structured"
    assert salary.raw


def test_structured_annual_is_usd_only():
    usd = parse_structured_salary(RawSalary(min=40, max=55, currency="USD", unit="per-hour-wage"))
    assert (usd.annual_min, usd.annual_max) == (83200.0, 114400.0)
    eur = parse_structured_salary(RawSalary(min=60000, max=70000, currency="EUR", unit="YEAR"))
    assert (eur.annual_min, eur.annual_max) == (None, None)


@pytest.mark.parametrize(
    "raw",
    [
        None,
        RawSalary(),
        RawSalary(min="0.00", max="0.00", currency="USD", unit="HOUR"),
        RawSalary(min=0, max=0, unit="PA"),
        RawSalary(min="", max=None, unit="YEAR"),
        RawSalary(min="n/a", max="TBD", unit="YEAR"),
        RawSalary(min="1", max="1", unit="WC"),  # USAJOBS: without compensation
        RawSalary(min=True, max=False, unit="YEAR"),
        RawSalary(min={"value": 5}, max=[1, 2], unit={"x": 1}),
    ],
)
def test_structured_placeholders_are_none(raw):
    assert parse_structured_salary(raw) is None


@pytest.mark.parametrize(
    ("raw", "flag"),
    [
        (RawSalary(min=3, max=3, unit="HOUR"), "implausible: $3.00 an hour"),
        (RawSalary(min=100000, max=90000, unit="YEAR"), "min above max: 100000 > 90000"),
        (RawSalary(min=1_500_000, max=2_000_000, unit="YEAR"), "implausible: $2,000,000 a year"),
        (RawSalary(min=8000, max=9000, unit="YEAR"), "implausible: $8,000 a year"),
    ],
)
def test_structured_implausible_flagged(raw, flag):
    salary = parse_structured_salary(raw)
    assert salary.flag == flag
    assert (salary.min, salary.max, salary.annual_min, salary.annual_max) == (None,) * 4


def test_min_and_max_never_swapped():
    salary = parse_structured_salary(RawSalary(min="52.00", max="38.50", unit="HOUR"))
    assert salary.min is None and salary.max is None
    assert salary.flag.startswith("min above max")


def test_unknown_period_keeps_amounts_without_annual():
    salary = parse_structured_salary(RawSalary(min=5000, max=6000, unit="semi-month-salary"))
    assert (salary.min, salary.max, salary.period, salary.annual_min) == (5000, 6000, None, None)


@pytest.mark.parametrize(
    ("unit", "period"),
    [
        ("HOUR", "hour"), ("hour", "hour"), ("PH", "hour"), ("per-hour-wage", "hour"),
        ("1 HOUR", "hour"), ("Hourly", "hour"), ("DAY", "day"), ("PD", "day"),
        ("per-day-wage", "day"), ("WEEK", "week"), ("per-week-salary", "week"),
        ("BW", "biweekly"), ("bi-week-salary", "biweekly"), ("MONTH", "month"), ("PM", "month"),
        ("per-month-salary", "month"), ("YEAR", "year"), ("PA", "year"), ("per-year-salary", "year"),
        ("1 YEAR", "year"), ("Annually", "year"), ("WC", None), ("FB", None), ("PW", None),
        ("semi-month-salary", None), ("one-time", None), ("", None), (None, None), (12, None),
    ],
)  # fmt: skip
def test_period_of_unit(unit, period):
    assert period_of_unit(unit) == period


@pytest.mark.parametrize(
    ("amount", "period", "annual"),
    [
        (38.5, "hour", 80080.0),
        (400, "day", 104000.0),
        (2100, "week", 109200.0),
        (3500, "biweekly", 91000.0),
        (7000, "month", 84000.0),
        (85000, "year", 85000.0),
        (None, "year", None),
        (85000, None, None),
        (85000, "fortnight", None),
    ],
)
def test_annualize(amount, period, annual):
    assert annualize(amount, period) == annual


@pytest.mark.parametrize(
    ("value", "amount"),
    [
        (85000, 85000.0), ("85,000", 85000.0), ("$85,000.00", 85000.0), ("85K", 85000.0),
        ("$85k", 85000.0), ("USD 90,000.00", 90000.0), ("1.2M", 1_200_000.0), ("38.50", 38.5),
        ("0.00", None), (0, None), (-5, None), ("", None), ("abc", None), (float("nan"), None),
        (float("inf"), None), (True, None), ("1e400", None),
    ],
)  # fmt: skip
def test_parse_amount(value, amount):
    assert parse_amount(value) == amount


def test_normalize_prefers_structured():
    salary = normalize_salary(
        RawSalary(min=85000, max=100000, currency="USD", unit="YEAR"), "Pay Range: $31.26 - $48.45"
    )
    assert (salary.source, salary.min) == ("structured", 85000)


def test_normalize_falls_back_to_text():
    salary = normalize_salary(RawSalary(min=0, max=0, unit="HOUR"), "Pay Range: $31.26 - $48.45")
    assert (salary.source, salary.min, salary.max) == ("description", 31.26, 48.45)
    assert normalize_salary(None, "Salary: $85,000 - $100,000").source == "description"


def test_normalize_flagged_structured_then_text():
    salary = normalize_salary(RawSalary(min=3, max=3, unit="HOUR"), "Pay: $30.00 - $35.00 per hour")
    assert (salary.min, salary.max, salary.flag) == (30.0, 35.0, None)
    flagged = normalize_salary(RawSalary(min=3, max=3, unit="HOUR"), "no pay here")
    assert flagged.flag == "implausible: $3.00 an hour" and flagged.source == "structured"


def test_normalize_nothing():
    assert normalize_salary(None, None) is None
    assert normalize_salary(RawSalary(), "Great benefits!") is None


def test_salary_is_a_plain_dataclass():
    salary = Salary(min=1.0)
    assert salary.source == "description" and salary.flag is None


# Whole descriptions in the style of real postings (constructed): pay among other numbers.
WORKDAY_STYLE = """PACS Administrator
Cleveland Clinic Main Campus, 9500 Euclid Ave, Cleveland, OH 44195. Call 216.444.2200.
Job Summary: Supports 2,400 imaging studies a day across 23 modalities since 2019.
Requirements: 3-5 years of PACS experience; ARRT (R) preferred.
Benefits: 401(k) with up to 6% match, $1,500 tuition assistance, $5,000 sign-on bonus for eligible hires.

Pay Range
Minimum hourly: $38.50
Midpoint hourly: $45.25
Maximum hourly: $52.00
The pay range displayed on this job posting reflects the anticipated range for new hires."""

USAJOBS_STYLE = """Open & closing dates: 11/03/2026 to 11/17/2026
Salary $68,405 - $88,926 per year
Pay scale & grade GS 11
Series 2210. Appointment type Permanent. Work schedule Full-time.
Relocation expenses reimbursed: No. Telework eligible: No. 1 vacancy.
Recruitment incentive of $5,000 may be authorized."""

GREENHOUSE_STYLE = """<p>About us: founded in 2012, we serve 1,200 hospitals.</p>
<p>We offer a $2,000 home-office stipend and an annual $1,000 learning budget.</p>
<p>The base salary range for this position is $92,000 - $115,000 per year. Individual pay is
determined by location and experience. This role is eligible for an annual bonus of up to 10%.</p>"""


@pytest.mark.parametrize(
    ("text", "low", "high", "period"),
    [
        (WORKDAY_STYLE, 38.5, 52.0, "hour"),
        (USAJOBS_STYLE, 68405, 88926, "year"),
        (GREENHOUSE_STYLE, 92000, 115000, "year"),
    ],
    ids=["workday", "usajobs", "greenhouse"],
)
def test_pay_found_in_a_whole_description(text, low, high, period):
    salary = parse_salary_text(text)
    assert (salary.min, salary.max, salary.period, salary.flag) == (low, high, period, None)
