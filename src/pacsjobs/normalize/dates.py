"""Dates as sources write them: ISO, US formats, epoch seconds/milliseconds, "Posted 3 Days Ago"."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta

MIN_YEAR = 1990
MAX_YEAR = 2100

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_NAME = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:$|[T\s])")
_ISO_COMPACT = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")
_US = re.compile(r"^(?P<m>\d{1,2})[/-](?P<d>\d{1,2})[/-](?P<y>\d{4}|\d{2})(?:$|[\s,T])")
_MDY = re.compile(
    _MONTH_NAME + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})\b", re.IGNORECASE
)
_DMY = re.compile(
    r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?[\s-]+" + _MONTH_NAME + r",?[\s-]+(?P<y>\d{4})\b",
    re.IGNORECASE,
)
_EPOCH = re.compile(r"^-?\d{9,13}(?:\.\d+)?$")
_RELATIVE = re.compile(
    r"^(?:(?:posted|updated|listed|added|published|reposted)\s*:?\s*)?(?:on\s+)?"
    r"(?P<n>\d+|an?|one)\s*(?P<plus>\+)?\s*"
    r"(?P<unit>minute|min|hour|hr|day|week|wk|month|mo|year|yr)s?\.?\s+ago\b",
    re.IGNORECASE,
)


def _make(year: int, month: int, day: int) -> date | None:
    """A date inside MIN_YEAR..MAX_YEAR, or None."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _from_epoch(number: float) -> date | None:
    """Epoch seconds, or milliseconds when the number is too large to be seconds."""
    if not math.isfinite(number) or number <= 0:
        return None
    if number >= 1e11:  # seconds would be past year 5000: these are milliseconds (Lever createdAt)
        number /= 1000.0
    if number >= 1e11:
        return None
    try:
        moment = datetime.fromtimestamp(number, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return _make(moment.year, moment.month, moment.day)


def _today(now: datetime | date) -> date:
    """The calendar day of ``now``."""
    return now.date() if isinstance(now, datetime) else now


def _relative(text: str, now: datetime | date) -> date | None:
    """'Posted Today', 'Posted 30+ Days Ago', '2 weeks ago' against ``now``."""
    lowered = re.sub(r"\s+", " ", text.lower()).strip()
    lowered = re.sub(r"^(?:posted|updated|listed|added|published|reposted)\s*:?\s*", "", lowered)
    today = _today(now)
    if lowered in ("today", "just now", "just posted", "new", "now") or lowered.startswith("today"):
        return today
    if lowered.startswith("yesterday"):
        return today - timedelta(days=1)
    match = _RELATIVE.match(lowered)
    if not match:
        return None
    raw_n = match.group("n")
    count = 1 if raw_n in ("a", "an", "one") else int(raw_n)
    unit = match.group("unit")
    days_per = {"minute": 0, "min": 0, "hour": 0, "hr": 0, "day": 1, "week": 7, "wk": 7,
                "month": 30, "mo": 30, "year": 365, "yr": 365}[unit]  # fmt: skip
    if unit in ("minute", "min"):
        delta = timedelta(minutes=count)
    elif unit in ("hour", "hr"):
        delta = timedelta(hours=count)
    else:
        if count > 100_000:
            return None
        delta = timedelta(days=count * days_per)
    if isinstance(now, datetime):
        try:
            return (now - delta).date()
        except OverflowError:
            return None
    try:
        return today - timedelta(days=delta.days)
    except OverflowError:
        return None


def parse_date(value: str | int | float | None, now: datetime) -> date | None:
    """A date from whatever a source gives, or None; relative text is counted back from ``now``."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return _make(value.year, value.month, value.day)
    if isinstance(value, date):
        return _make(value.year, value.month, value.day)
    if isinstance(value, int | float):
        try:
            return _from_epoch(float(value))
        except (OverflowError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 200:
        return None
    if _EPOCH.match(text):
        try:
            return _from_epoch(float(text))
        except (OverflowError, ValueError):
            return None
    for pattern in (_ISO, _US, _ISO_COMPACT):
        match = pattern.match(text)
        if match:
            year = int(match.group("y"))
            if year < 100:
                year += 2000  # "11/3/26": two-digit years on job boards are this century
            return _make(year, int(match.group("m")), int(match.group("d")))
    for pattern in (_MDY, _DMY):
        match = pattern.search(text)
        if match:
            month = _MONTHS.get(match.group("mon").lower().rstrip(".")[:3])
            return _make(int(match.group("y")), month or 0, int(match.group("d")))
    found = _relative(text, now)
    return _make(found.year, found.month, found.day) if found else None
