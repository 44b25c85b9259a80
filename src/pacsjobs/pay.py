"""Pay in one place: the periods-per-year table, money formatting, and where pay sits against a range.

The normalizer (annual equivalents), the matcher (the salary reason), the digest cards and the pay
chart all use these, so a card, a reason and a chart bar can never disagree about one posting.
"""

from __future__ import annotations

from typing import Any

# How many of each pay period make a year (40-hour weeks, 52 weeks).
ANNUAL_FACTOR = {"hour": 2080, "day": 260, "week": 52, "biweekly": 26, "month": 12, "year": 1}
PERIOD_WORDS = {"hour": "an hour", "day": "a day", "week": "a week", "biweekly": "every two weeks",
                "month": "a month", "year": "a year"}
CURRENCY_SIGNS = {"USD": "$", None: "$"}

# Where a pay range sits against the profile's range, and the words a card shows for it.
POSITIONS = ("below", "overlaps", "within", "above")
POSITION_LABELS = {"below": "below guide pay", "overlaps": "overlaps guide pay",
                   "within": "within guide pay", "above": "above guide pay"}


def position(low: float, high: float, band: tuple[float, float]) -> str:
    """below | within | overlaps | above: where ``low..high`` (annual) sits against ``band``."""
    low, high = min(low, high), max(low, high)
    band_min, band_max = band
    if high < band_min:
        return "below"
    if low > band_max:
        return "above"
    if low >= band_min and high <= band_max:
        return "within"
    return "overlaps"


def needs_cents(value: float) -> bool:
    """$38.50 and $45.00 (hourly-size figures) keep cents; $900 and $85,000 do not."""
    return value < 100 or (value < 1000 and value != int(value))


def money(value: float | None, currency: str | None = "USD", cents: bool | None = None) -> str:
    """$85,000, $41.25 (``cents=None`` decides by size); other currencies as a code suffix."""
    if value is None:
        return ""
    if cents is None:
        cents = needs_cents(value)
    figure = f"{value:,.2f}" if cents else f"{value:,.0f}"
    sign = CURRENCY_SIGNS.get(currency)
    return f"{sign}{figure}" if sign else f"{figure} {currency}"


def money_range(low: float | None, high: float | None, currency: str | None = "USD",
                cents: bool | None = None, dash: str = "–") -> str:
    """"$80,000–$95,000", "from $80,000", "up to $95,000" or one figure; both ends alike in cents."""
    if cents is None:
        cents = any(needs_cents(v) for v in (low, high) if v is not None)
    if low is not None and high is not None and low != high:
        return f"{money(low, currency, cents)}{dash}{money(high, currency, cents)}"
    if low is not None and high is None:
        return f"from {money(low, currency, cents)}"
    if low is None and high is not None:
        return f"up to {money(high, currency, cents)}"
    return money(low if low is not None else high, currency, cents)


def short_money(value: float) -> str:
    """$85k, for chart axes."""
    return f"${value / 1000:,.0f}k"


def as_amount(value: Any) -> float | None:
    """A finite positive number, or None (a record from an old or foreign store may hold anything)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if 0 < value < float("inf") else None


def annual_range(posting: Any) -> tuple[float, float] | None:
    """The posting's annual pay as (low, high), from the annual fields or the posted period; else None."""
    lo, hi = as_amount(posting.salary_annual_min), as_amount(posting.salary_annual_max)
    if lo is None and hi is None and posting.salary_period in ANNUAL_FACTOR:
        factor = ANNUAL_FACTOR[posting.salary_period]
        pmin, pmax = as_amount(posting.salary_min), as_amount(posting.salary_max)
        lo = pmin * factor if pmin is not None else None
        hi = pmax * factor if pmax is not None else None
    if lo is None and hi is None:
        return None
    lo = lo if lo is not None else hi
    hi = hi if hi is not None else lo
    assert lo is not None and hi is not None
    return (lo, hi) if lo <= hi else (hi, lo)
