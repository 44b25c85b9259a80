"""Bad input: random and adversarial text into every normalizer; they answer, never raise."""

from __future__ import annotations

import time
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pacsjobs.normalize.dates import MAX_YEAR, MIN_YEAR, parse_date
from pacsjobs.normalize.jobtype import (
    EMPLOYMENT_TYPES,
    WORKPLACES,
    parse_employment_type,
    parse_workplace,
)
from pacsjobs.normalize.location import US_STATES, is_us, parse_location, parse_locations
from pacsjobs.normalize.salary import (
    ANNUAL_FACTOR,
    PERIODS,
    Salary,
    annualize,
    normalize_salary,
    parse_salary_text,
    parse_structured_salary,
)
from pacsjobs.normalize.text import clean_text, html_to_text, sanitize_html
from pacsjobs.record import RawSalary

SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
NOW = datetime(2026, 11, 28, 12, 0)

# Pieces real pay text is made of, plus the traps: unicode digits, huge numbers, stray signs.
PIECES = [
    "$", "$$$", "USD", "€", "-", "–", "—", "−", "--", " to ", " and ", "between ", "per hour",
    "/hr", "/yr", "an hour", "annually", "per year", "weekly", "bi-weekly", "monthly", "K", "k",
    "M", ",", ".", "000", "0.00", "00", "1", "7", "38.50", "52", "85", "100", "2024", "401(k)",
    "6%", "Pay Range:", "Salary:", "Minimum", "Midpoint", "Maximum", "Starting at", "up to",
    "sign-on bonus", "referral", "GS-11", "\n", " ", "\t", "٣٤٥", "１２３", "9" * 40, "1e308",
    "(216) 444-2200", "Posted", "Days Ago", "30+", "Remote", "Hybrid", ", OH", "Cleveland",
    "IN", "OR", "ME", "Washington", "US-", "United States", ";", " | ", "/", "<p>", "</p>",
    "&lt;", "&amp;", "<script>", "javascript:", "\x00", "\u202e", "🙂",
]  # fmt: skip
pieces_text = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
any_text = st.one_of(st.text(max_size=300), pieces_text)
LONG = [
    "$1," * 3400,
    "Minimum $1 " * 1000,
    "$5 - " * 2000,
    "$85K-" * 2000,
    "9" * 10_000,
    "&lt;p" * 2000,
    "<p>" * 3000,
    "Cleveland, OH and " * 500,
    "٣٤٥,٠٠٠ $١٢ " * 800,
    "x" * 10_000,
]


def check_salary(salary: Salary | None) -> None:
    """The invariants every Salary keeps."""
    if salary is None:
        return
    assert isinstance(salary, Salary)
    assert salary.source in ("structured", "description")
    assert salary.period in (*PERIODS, None)
    if salary.flag:
        assert (salary.min, salary.max, salary.annual_min, salary.annual_max) == (None,) * 4
        return
    assert salary.min is not None or salary.max is not None
    if salary.min is not None and salary.max is not None:
        assert salary.min <= salary.max
    for value in (salary.min, salary.max):
        assert value is None or value > 0
    if salary.currency == "USD" and salary.period:
        assert salary.annual_min == annualize(salary.min, salary.period)
        assert salary.annual_max == annualize(salary.max, salary.period)
        for annual in (salary.annual_min, salary.annual_max):
            assert annual is None or 10_000 <= annual <= 1_000_000 or salary.period != "year"
            assert annual is None or annual <= 1_000_000
        if salary.period == "hour":
            assert all(v >= 7 for v in (salary.min, salary.max) if v is not None)
    else:
        assert salary.annual_min is None and salary.annual_max is None


@SETTINGS
@given(any_text)
@example("$38.50 - $52.00 per hour")
@example("$" + "9" * 400 + " per hour")
@example("Pay: $100,000 - $1 per year")
def test_salary_text_never_raises(text):
    check_salary(parse_salary_text(text))


amounts = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    pieces_text,
    st.text(max_size=20),
)
units = st.one_of(
    st.none(),
    st.sampled_from(["HOUR", "DAY", "WEEK", "MONTH", "YEAR", "PA", "PH", "PD", "BW", "PM", "WC",
                     "FB", "per-year-salary", "per-hour-wage", "1 YEAR", "semi-month-salary"]),
    st.text(max_size=15),
    st.integers(),
)  # fmt: skip


@SETTINGS
@given(
    amounts,
    amounts,
    st.one_of(st.none(), st.text(max_size=5)),
    units,
    st.one_of(st.none(), any_text),
)
def test_structured_salary_never_raises(low, high, currency, unit, text):
    raw = RawSalary(min=low, max=high, currency=currency, unit=unit, text=text)
    check_salary(parse_structured_salary(raw))
    check_salary(normalize_salary(raw, text))


@SETTINGS
@given(st.floats(min_value=0.01, max_value=1e6), st.sampled_from(PERIODS))
def test_annualize_is_amount_times_factor(amount, period):
    assert annualize(amount, period) == pytest.approx(amount * ANNUAL_FACTOR[period], abs=0.01)


@SETTINGS
@given(
    st.floats(min_value=7, max_value=400).map(lambda v: round(v, 2)),
    st.floats(min_value=0, max_value=60).map(lambda v: round(v, 2)),
)
def test_generated_hourly_ranges_read_back(low, spread):
    high = round(low + spread, 2)
    salary = parse_salary_text(f"Pay Range: ${low:,.2f} - ${high:,.2f} per hour")
    assert (salary.min, salary.max, salary.period) == (low, high, "hour")


@SETTINGS
@given(st.integers(min_value=10_000, max_value=990_000), st.integers(min_value=0, max_value=9_000))
def test_generated_annual_ranges_read_back(low, spread):
    salary = parse_salary_text(
        f"Salary: ${low:,} to ${low + spread:,} annually. $5,000 sign-on bonus."
    )
    assert (salary.min, salary.max, salary.annual_max) == (low, low + spread, low + spread)


@SETTINGS
@given(
    any_text,
    st.one_of(st.none(), st.text(max_size=20), st.sampled_from(["US", "us", "United States"])),
)
@example("x" * 10_000, None)
def test_location_never_raises(text, country):
    loc = parse_location(text, country)
    assert loc.state is None or loc.state in US_STATES
    assert loc.country is None or (len(loc.country) == 2 and loc.country.isupper())
    assert loc.workplace in (*WORKPLACES, None)
    assert is_us(loc) in (True, False, None)
    assert loc.to_dict()["text"] == loc.text


@SETTINGS
@given(st.lists(any_text, max_size=6), st.one_of(st.none(), st.text(max_size=10)),
       st.one_of(st.none(), st.text(max_size=10), st.sampled_from(["TELECOMMUTE", "true"])))  # fmt: skip
def test_locations_never_raise(texts, country, hint):
    locations = parse_locations(texts, country, hint)
    assert all(loc.workplace in (*WORKPLACES, None) for loc in locations)
    keys = [(loc.city, loc.state, loc.country, loc.postal_code, loc.workplace) for loc in locations]
    placed = [key for key in keys if key[0] or key[1] or key[3]]
    assert len(placed) == len(set(placed))  # de-duplicated


dates_in = st.one_of(
    st.none(),
    any_text,
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.isoformat() + "Z"),
    st.integers(min_value=0, max_value=10**6).map(lambda n: f"Posted {n} Days Ago"),
    st.integers(min_value=0, max_value=10**6).map(lambda n: f"{n} weeks ago"),
)


@SETTINGS
@given(dates_in, st.datetimes(min_value=datetime(1995, 1, 1), max_value=datetime(2099, 1, 1)))
@example("Posted 30+ Days Ago", NOW)
def test_dates_never_raise_and_stay_in_range(value, now):
    parsed = parse_date(value, now)
    assert parsed is None or (isinstance(parsed, date) and MIN_YEAR <= parsed.year <= MAX_YEAR)


@SETTINGS
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_dates_round_trip_in_every_format(day):
    for text in (day.isoformat(), day.strftime("%m/%d/%Y"), day.strftime("%B %d, %Y"),
                 day.strftime("%d %b %Y"), f"{day.isoformat()}T00:00:00.000Z"):  # fmt: skip
        assert parse_date(text, NOW) == day


@SETTINGS
@given(st.one_of(any_text, st.text(alphabet="<>/&;ltgpascript =\"'", max_size=200)))
@example("<scr<script>ipt>alert(1)</script>")
@example("&lt;scr&lt;script&gt;ipt&gt;alert(1)&lt;/script&gt;")
def test_text_functions_never_raise(html):
    safe = sanitize_html(html)
    assert "<script" not in safe.lower()
    assert "javascript:" not in safe.lower() or "href" not in safe.lower()
    text = html_to_text(html)
    assert "\n\n\n" not in text
    one_line = clean_text(html)
    assert one_line is None or ("\n" not in one_line and one_line == one_line.strip())


@SETTINGS
@given(st.one_of(st.none(), any_text), st.one_of(st.none(), any_text))
def test_jobtype_never_raises(raw, text):
    assert parse_employment_type(raw, text) in (*EMPLOYMENT_TYPES, None)
    assert parse_workplace(raw, text) in (*WORKPLACES, None)


@pytest.mark.parametrize("text", LONG, ids=range(len(LONG)))
def test_long_adversarial_strings_are_quick(text):
    # Catastrophic regex backtracking shows up as seconds on 10k characters.
    started = time.perf_counter()
    check_salary(parse_salary_text(text))
    parse_locations([text])
    parse_date(text, NOW)
    sanitize_html(text)
    html_to_text(text)
    clean_text(text)
    parse_employment_type(text, text)
    parse_workplace(text, text)
    assert time.perf_counter() - started < 2.0
