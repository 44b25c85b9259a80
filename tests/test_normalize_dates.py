"""Dates: ISO, US formats, epochs and Workday's relative "Posted N Days Ago" against crawl time."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from pacsjobs.normalize.dates import parse_date

NOW = datetime(2026, 11, 28, 14, 30)  # the crawl time (naive UTC)

CASES = [
    ("2026-11-03", date(2026, 11, 3)),
    ("2026-11-03T00:00:00.000Z", date(2026, 11, 3)),
    ("2026-11-03T09:15:00Z", date(2026, 11, 3)),
    ("2026-11-03T09:15:00+02:00", date(2026, 11, 3)),
    ("2026-11-03T23:59:59-05:00", date(2026, 11, 3)),
    ("2026-11-03 08:00:00", date(2026, 11, 3)),
    ("2026-11-03T00:00:00.0000000", date(2026, 11, 3)),  # USAJOBS PublicationStartDate
    ("2026-11-03T12:00:00.000+0000", date(2026, 11, 3)),
    ("20261103", date(2026, 11, 3)),
    ("11/03/2026", date(2026, 11, 3)),
    ("11/3/2026", date(2026, 11, 3)),
    ("11-03-2026", date(2026, 11, 3)),
    ("11/3/26", date(2026, 11, 3)),
    ("Nov 3, 2026", date(2026, 11, 3)),
    ("Nov. 3, 2026", date(2026, 11, 3)),
    ("November 3, 2026", date(2026, 11, 3)),
    ("November 3rd, 2026", date(2026, 11, 3)),
    ("Sept 30, 2026", date(2026, 9, 30)),
    ("3 Nov 2026", date(2026, 11, 3)),
    ("03-Nov-2026", date(2026, 11, 3)),
    ("Tuesday, November 3, 2026", date(2026, 11, 3)),
    ("Posted on November 3, 2026", date(2026, 11, 3)),
    (1762128000, date(2025, 11, 3)),  # epoch seconds
    (1762128000000, date(2025, 11, 3)),  # epoch milliseconds (Lever createdAt)
    ("1762128000000", date(2025, 11, 3)),
    ("1762128000", date(2025, 11, 3)),
    (1762128000.5, date(2025, 11, 3)),
    ("Posted Today", date(2026, 11, 28)),
    ("Today", date(2026, 11, 28)),
    ("Just posted", date(2026, 11, 28)),
    ("Posted Yesterday", date(2026, 11, 27)),
    ("Posted 3 Days Ago", date(2026, 11, 25)),
    ("posted 1 day ago", date(2026, 11, 27)),
    ("Posted 30+ Days Ago", date(2026, 10, 29)),
    ("2 weeks ago", date(2026, 11, 14)),
    ("a week ago", date(2026, 11, 21)),
    ("an hour ago", date(2026, 11, 28)),
    ("15 hours ago", date(2026, 11, 27)),
    ("5 minutes ago", date(2026, 11, 28)),
    ("2 months ago", date(2026, 9, 29)),
    ("Updated 4 days ago", date(2026, 11, 24)),
]


@pytest.mark.parametrize(("value", "expected"), CASES)
def test_parse_date(value, expected):
    assert parse_date(value, NOW) == expected


@pytest.mark.parametrize(
    "value",
    [
        None, "", "   ", "garbage", "Posted", "2026", "1899-01-01", "2101-01-01", "9999-99-99",
        "2026-02-30", "13/45/2026", "Posted 3 Fortnights Ago", "soon", True, False, -5, 0,
        float("nan"), float("inf"), 10**30, "1" * 400, "Nov 31, 2026", "31 Feb 2026",
        "Posted 9999999999 days ago", [2026, 11, 3], {"date": "2026-11-03"},
    ],
)  # fmt: skip
def test_not_a_date(value):
    assert parse_date(value, NOW) is None


def test_relative_dates_count_from_now():
    assert parse_date("Posted 3 Days Ago", datetime(2027, 1, 2)) == date(2026, 12, 30)


def test_aware_now_and_date_objects():
    aware = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
    assert parse_date("Posted Yesterday", aware) == date(2026, 11, 27)
    assert parse_date(datetime(2026, 11, 3, 5, tzinfo=UTC), NOW) == date(2026, 11, 3)
    assert parse_date(date(2026, 11, 3), NOW) == date(2026, 11, 3)
