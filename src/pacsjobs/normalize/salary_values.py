"""Pay values: the Salary record, amounts, units, currencies, plausibility, structured fields.

The text side (figures found in a description) is ``salary_text``; ``salary`` joins both.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from pacsjobs.pay import ANNUAL_FACTOR
from pacsjobs.pay import money as _money  # "$38.50" / "$85,000" for messages

PERIODS = ("hour", "day", "week", "biweekly", "month", "year")

MIN_HOURLY = 7.0
MAX_ANNUAL = 1_000_000.0
MIN_ANNUAL_FOR_YEAR = 10_000.0
# Without a period word: below this an amount is hourly, at or above YEAR_FROM it is yearly.
HOURLY_BELOW = 300.0
YEAR_FROM = 10_000.0
# Longer descriptions are cut: pay is stated within the first 200 kB of any real posting.
MAX_TEXT = 200_000
MAX_FIGURES = 200  # money figures looked at per pattern; real postings have a handful


@dataclass
class Salary:
    """Pay as posted plus its annual USD equivalent; ``raw`` is what it was read from."""

    min: float | None = None
    max: float | None = None
    currency: str | None = None
    period: str | None = None  # hour | day | week | biweekly | month | year
    annual_min: float | None = None
    annual_max: float | None = None
    source: str = "description"  # structured | description
    raw: str | None = None
    flag: str | None = None  # why a found figure is not stored as pay
    # pay by location or level: every range with the words saying where it applies
    # ({"min", "max", "period", "where", "raw"}); empty when the posting states one range
    ranges: list[dict[str, Any]] = field(default_factory=list)


def annualize(amount: float | None, period: str | None) -> float | None:
    """``amount`` paid per ``period`` as a yearly figure (hour x 2080, day x 260, ...)."""
    if amount is None or period not in ANNUAL_FACTOR:
        return None
    try:
        value = float(amount) * ANNUAL_FACTOR[period]
    except (TypeError, ValueError, OverflowError):
        return None
    return round(value, 2) if math.isfinite(value) else None


# --- structured values -------------------------------------------------------------------------

_UNIT_WORDS: dict[str, str | None] = {
    # schema.org unitText, Ashby ("1 YEAR"), plain words
    "hour": "hour", "hours": "hour", "hourly": "hour", "hr": "hour", "hrs": "hour", "h": "hour",
    "day": "day", "days": "day", "daily": "day",
    "week": "week", "weeks": "week", "weekly": "week", "wk": "week",
    "biweekly": "biweekly", "bi weekly": "biweekly", "2 week": "biweekly", "2 weeks": "biweekly",
    "fortnight": "biweekly", "fortnightly": "biweekly",
    "month": "month", "months": "month", "monthly": "month", "mo": "month",
    "year": "year", "years": "year", "yearly": "year", "annual": "year", "annually": "year",
    "yr": "year", "annum": "year", "per annum": "year", "salary": "year",
    # USAJOBS RateIntervalCode
    "pa": "year", "ph": "hour", "pd": "day", "bw": "biweekly", "pm": "month", "pw": None,
    "wc": None, "fb": None, "sy": None, "st": None,
    # Lever salaryRange.interval
    "per year salary": "year", "per month salary": "month", "per week salary": "week",
    "bi week salary": "biweekly", "per day wage": "day", "per hour wage": "hour",
    "per hour salary": "hour", "per day salary": "day",
    "semi month salary": None, "bi month salary": None, "one time": None,
}  # fmt: skip


def _unit_key(unit: Any) -> str | None:
    """The _UNIT_WORDS key for a unit word, or None when the word is not known."""
    if not isinstance(unit, str):
        return None
    word = re.sub(r"[\s_\-/.]+", " ", unit.strip().lower()).strip()
    if word in _UNIT_WORDS:
        return word
    word = re.sub(r"^(?:1|one|per|a|an|every)\s+", "", word)  # Ashby "1 YEAR", "per hour"
    return word if word in _UNIT_WORDS else None


def period_of_unit(unit: Any) -> str | None:
    """Our period from a source's unit word ("HOUR", "PA", "per-year-salary", "1 YEAR")."""
    key = _unit_key(unit)
    return _UNIT_WORDS[key] if key else None


_CURRENCY_SYMBOLS = {"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP",
                     "gbp": "GBP", "c$": "CAD", "ca$": "CAD", "cad": "CAD", "₪": "ILS", "ils": "ILS",
                     "₹": "INR", "inr": "INR", "a$": "AUD", "aud": "AUD"}  # fmt: skip


def _currency(value: Any) -> str | None:
    """An ISO currency code from a code or symbol; None when not given."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    known = _CURRENCY_SYMBOLS.get(text.lower())
    if known:
        return known
    return text.upper() if re.fullmatch(r"[A-Za-z]{3}", text) else None


def parse_amount(value: Any) -> float | None:
    """A positive finite amount from 85000, "85,000.00", "$85K", "USD 90,000.00"; 0 / junk -> None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip().lower().replace("\u00a0", " ")
        if len(text) > 40:
            return None
        match = re.fullmatch(
            r"(?:usd|us\$|c\$|ca\$|a\$|cad|eur|gbp|[$€£₪₹])?\s*"
            r"(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+)\s*"
            r"(?P<mult>k|m|mm)?\s*(?:usd|cad|eur|gbp)?",
            text,
        )
        if not match:
            return None
        number = float(match.group("num").replace(",", ""))
        mult = match.group("mult")
        if mult == "k":
            number *= 1_000
        elif mult in ("m", "mm"):
            number *= 1_000_000
    else:
        return None
    if not math.isfinite(number) or number <= 0:
        return None  # 0 / "0.00" are placeholders, never pay
    return number


def _infer_period(amount: float | None) -> str | None:
    """Period from magnitude alone: small figures are hourly, large ones yearly, others unknown."""
    if amount is None:
        return None
    if amount < HOURLY_BELOW:
        return "hour"
    if amount >= YEAR_FROM:
        return "year"
    return None


_PERIOD_PHRASE = {"hour": "an hour", "day": "a day", "week": "a week", "biweekly": "every two weeks",
                  "month": "a month", "year": "a year"}  # fmt: skip


def _implausible(
    low: float | None, high: float | None, period: str | None, currency: str | None
) -> str | None:
    """Why a figure cannot be pay, or None when it can."""
    values = [v for v in (low, high) if v is not None]
    if not values:
        return None
    if currency not in (None, "USD"):
        # Other currencies are not converted; only absurd magnitudes are refused.
        return f"implausible: {max(values):,.0f} {currency}" if max(values) > 1e9 else None
    phrase = _PERIOD_PHRASE.get(period or "", "")
    if period == "hour" and min(values) < MIN_HOURLY:
        return f"implausible: {_money(min(values))} {phrase}".strip()
    if period == "year" and min(values) < MIN_ANNUAL_FOR_YEAR:
        return f"implausible: {_money(min(values))} {phrase}".strip()
    top = annualize(max(values), period) if period else max(values)
    if top is not None and top > MAX_ANNUAL:
        return f"implausible: {_money(max(values))} {phrase}".strip()
    if period is None and max(values) > MAX_ANNUAL:
        return f"implausible: {_money(max(values))}"
    return None


def _build(
    low: float | None,
    high: float | None,
    period: str | None,
    currency: str | None,
    source: str,
    raw: str | None,
) -> Salary | None:
    """A Salary with annual figures, or a flagged one when the figures cannot be pay."""
    if low is None and high is None:
        return None
    currency = currency or "USD"
    if low is not None and high is not None and high < low:
        # Never swapped: a source that says max < min has a mistake we cannot resolve.
        return Salary(currency=currency, period=period, source=source, raw=raw,
                      flag=f"min above max: {low:g} > {high:g}")  # fmt: skip
    flag = _implausible(low, high, period, currency)
    if flag:
        return Salary(currency=currency, period=period, source=source, raw=raw, flag=flag)
    usd = currency == "USD"
    return Salary(
        min=low,
        max=high,
        currency=currency,
        period=period,
        annual_min=annualize(low, period) if usd else None,
        annual_max=annualize(high, period) if usd else None,
        source=source,
        raw=raw,
    )
