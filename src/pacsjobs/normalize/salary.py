"""Pay: from a source's structured salary field, else from the description text.

Amounts stay as posted (min, max, period); ``annual_*`` are USD a year for comparison. A figure that
cannot be pay (under $7 an hour, over $1,000,000 a year) is not stored: ``flag`` says why.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import islice
from typing import Any

from pacsjobs.pay import ANNUAL_FACTOR
from pacsjobs.pay import money as _money  # "$38.50" / "$85,000" for messages
from pacsjobs.record import RawSalary

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


def _raw_of(raw: RawSalary) -> str | None:
    """A readable copy of the structured values, kept beside the parsed figures."""
    if raw.text and isinstance(raw.text, str) and raw.text.strip():
        return raw.text.strip()[:500]
    parts = []
    if raw.min is not None or raw.max is not None:
        parts.append(" - ".join(str(v) for v in (raw.min, raw.max) if v is not None))
    for extra in (raw.currency, raw.unit):
        if extra is not None and str(extra).strip():
            parts.append(str(extra).strip())
    text = " ".join(parts)[:500]
    return text or None


def parse_structured_salary(raw: RawSalary | None) -> Salary | None:
    """Pay from a source's structured field (values as the source gives them, its own unit word)."""
    if raw is None:
        return None
    try:
        low = parse_amount(raw.min)
        high = parse_amount(raw.max)
        currency = _currency(raw.currency)
        unit_key = _unit_key(raw.unit)
        if unit_key == "wc":
            return None  # USAJOBS "without compensation": there is no pay to record
        period = _UNIT_WORDS[unit_key] if unit_key else None
        raw_text = _raw_of(raw)
        if low is None and high is None:
            if not (isinstance(raw.text, str) and raw.text.strip()):
                return None
            found = _best_candidate(raw.text, structured=True)
            if found is None:
                return None
            if found.period is None and period:
                found.period = period
            if found.currency is None and currency:
                found.currency = currency
            return _finish(found, "structured", raw_text)
        if period is None and unit_key is None:
            period = _infer_period(high or low)  # no unit, or a word we do not know
        return _build(low, high, period, currency, "structured", raw_text)
    except Exception:  # noqa: BLE001 - a strange payload must not take the posting down
        return None


# --- text ----------------------------------------------------------------------------------------

_NUM = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]{1,2})?|[0-9]{1,9}(?:\.[0-9]{1,2})?"
_CUR = r"US\s?\$|CA?\$|A\$|USD|CAD|EUR|GBP|[$€£]"
_MULT = r"(?:[kK]|[mM]{1,2})(?![a-zA-Z])"


def _amount(p: str) -> str:
    """Regex of one money amount with group names prefixed by ``p``."""
    return (
        rf"(?P<{p}cur>{_CUR})\s?(?P<{p}num>{_NUM})\s?(?P<{p}mult>{_MULT})?"
        rf"|(?P<{p}bnum>{_NUM})\s?(?P<{p}bmult>{_MULT})?\s?(?P<{p}bcur>USD|dollars)\b"
    )


_INLINE_UNIT = r"(?:\s?(?:/|per)\s?(?:hr|hour|yr|year|wk|week|mo|month|day|annum)\.?)?"
_SEP = r"\s{0,3}(?:to\s{0,3}[-–—]|-{1,2}|–|—|−|~|to|through|thru|and)\s{0,3}"
_RANGE_RE = re.compile(
    rf"(?:{_amount('a')}){_INLINE_UNIT}\s?{_SEP}\s?"
    rf"(?:(?:{_amount('b')})|(?P<bare>{_NUM})\s?(?P<baremult>{_MULT})?)",
    re.IGNORECASE,
)
# "85,000 - 100,000 USD per year": the code follows the second figure only.
_RANGE_SUFFIX_RE = re.compile(
    rf"(?P<anum>{_NUM})\s?(?P<amult>{_MULT})?{_SEP}(?P<bnum>{_NUM})\s?(?P<bmult>{_MULT})?\s?"
    rf"(?P<bcur>USD|CAD|EUR|GBP|dollars)\b",
    re.IGNORECASE,
)
_SINGLE_RE = re.compile(rf"(?:{_amount('a')})", re.IGNORECASE)
# "Salary Range: 105280 - 136858 Per Year" with no currency sign: only right after a pay label.
_LABELLED_RE = re.compile(
    rf"\b(?:salary|pay|wage|compensation|rate)(?:\s(?:range|rate|scale))?\s?(?:\([a-z ]+\))?\s?[:=]\s?"
    rf"(?P<anum>{_NUM})\s?(?P<amult>{_MULT})?(?:\s?{_SEP}\s?(?P<bare>{_NUM})\s?(?P<baremult>{_MULT})?)?",
    re.IGNORECASE,
)
_MINMAX_RE = re.compile(
    rf"\bmin(?:imum)?\b[^$0-9\n]{{0,30}}(?:{_amount('a')})"
    rf"(?:[\s\S]{{0,120}}?\bmid(?:point)?\b[^$0-9\n]{{0,30}}(?:{_CUR})\s?{_NUM}\s?(?:{_MULT})?)?"
    rf"[\s\S]{{0,120}}?\bmax(?:imum)?\b[^$0-9\n]{{0,30}}(?:{_amount('b')})",
    re.IGNORECASE,
)

_PERIOD_AFTER: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "biweekly",
        re.compile(
            r"^[\s.,()+]*(?:/\s?|per\s|a\s|every\s)?(?:bi-?weekly|bi-?week|two weeks|2 weeks|pay period)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "hour",
        re.compile(r"^[\s.,()+]*(?:/\s?|per\s|an?\s|p/)?(?:hours?|hrs?|hourly|h)\b", re.IGNORECASE),
    ),
    (
        "day",
        re.compile(
            r"^[\s.,()+]*(?:/\s?|per\s|a\s)(?:day|shift)\b|^[\s.,()+]*daily\b", re.IGNORECASE
        ),
    ),
    (
        "week",
        re.compile(
            r"^[\s.,()+]*(?:/\s?|per\s|a\s)(?:weeks?|wk)\b|^[\s.,()+]*weekly\b", re.IGNORECASE
        ),
    ),
    (
        "month",
        re.compile(
            r"^[\s.,()+]*(?:/\s?|per\s|a\s)(?:months?|mo|mth)\b|^[\s.,()+]*monthly\b", re.IGNORECASE
        ),
    ),
    (
        "year",
        re.compile(
            r"^[\s.,()+]*(?:/\s?|per\s|a\s|an\s)(?:years?|yr|annum|annual)\b|^[\s.,()+]*(?:annually|annual(?:ly)?|yearly|p\.?a\.?(?![a-z]))|^[\s.,()+]*(?:base\s)?salary\b",
            re.IGNORECASE,
        ),
    ),
)
_PERIOD_BEFORE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("biweekly", re.compile(r"\bbi-?weekly\b", re.IGNORECASE)),
    ("hour", re.compile(r"\bhourly\b|\bper hour\b|\bhour(?:ly)? rate\b", re.IGNORECASE)),
    ("day", re.compile(r"\bdaily\b|\bper day\b", re.IGNORECASE)),
    ("week", re.compile(r"\bweekly\b|\bper week\b", re.IGNORECASE)),
    ("month", re.compile(r"\bmonthly\b|\bper month\b", re.IGNORECASE)),
    (
        "year",
        re.compile(r"\bannual(?:ly|ized)?\b|\byearly\b|\bper year\b|\bper annum\b", re.IGNORECASE),
    ),
)
_PAY_WORDS = re.compile(
    r"\b(?:salary|salaries|pay|paid|compensation|rate|range|wages?|hourly|earn(?:ings)?|base|"
    r"starting|annual(?:ly)?|income|per diem|GS-?\d+|grade)\b",
    re.IGNORECASE,
)
# Money that is not the job's pay.
_NOT_PAY = re.compile(
    r"\b(?:bonus(?:es)?|sign[- ]?on|signing|referral|relocation|reloc|tuition|reimburse\w*|"
    r"retention|incentive|differential|diff|allowance|stipend|401\s?\(?k\)?|"
    r"(?:employer|company)\s+match(?:ing)?|"
    r"pension|credit|donat\w*|revenue|budget|funding|raised|grant|investment|sales|"
    r"premium|premiums|deductible|copay|fee|fees|gift|award|prize|cost|costs|savings|"
    r"per mile|mileage)\b",
    re.IGNORECASE,
)
_MIN_ONLY = re.compile(
    r"\b(?:start(?:ing|s)?(?:\s(?:pay|rate|salary|wage))?\s(?:at|from|of|is)|from|minimum(?:\sof)?|"
    r"at least|no less than|min\.?|beginning at)\s?:?\s?$",
    re.IGNORECASE,
)
_MAX_ONLY = re.compile(
    r"\b(?:up to|maximum(?:\sof)?|as much as|not to exceed|max\.?|upwards of)\s?:?\s?$",
    re.IGNORECASE,
)


@dataclass
class _Found:
    """A pay figure found in text, before plausibility checks."""

    low: float | None
    high: float | None
    period: str | None
    period_explicit: bool
    currency: str | None
    start: int
    end: int
    score: int
    raw: str


def _amount_from(
    groups: dict[str, str | None], prefix: str
) -> tuple[float | None, str | None, bool]:
    """(amount, currency, had a K/M multiplier) from one named amount in a match."""
    num = groups.get(f"{prefix}num") or groups.get(f"{prefix}bnum")
    if not num:
        return None, None, False
    mult = (groups.get(f"{prefix}mult") or groups.get(f"{prefix}bmult") or "").lower()
    cur_raw = groups.get(f"{prefix}cur") or groups.get(f"{prefix}bcur")
    try:
        value = float(num.replace(",", ""))
    except ValueError:
        return None, None, False
    if mult == "k":
        value *= 1_000
    elif mult in ("m", "mm"):
        value *= 1_000_000
    currency = None
    if cur_raw:
        key = re.sub(r"\s", "", cur_raw.lower())
        currency = "USD" if key == "dollars" else _CURRENCY_SYMBOLS.get(key, key.upper())
    return value, currency, bool(mult)


def _period_near(text: str, start: int, end: int) -> tuple[str | None, int]:
    """The period word right after the figure, else one shortly before it.

    Returns (period, length of the period words after the figure, or -1 when found before / none).
    """
    after = text[end : end + 30]
    for period, pattern in _PERIOD_AFTER:
        match = pattern.search(after)
        if match:
            return period, match.end()
    before = text[max(0, start - 50) : start]
    # Only this sentence/line: a period word of a previous line says nothing here.
    before = re.split(r"[\n;]|\.\s", before)[-1]
    best: tuple[int, str] | None = None
    for period, pattern in _PERIOD_BEFORE:
        for match in pattern.finditer(before):
            if best is None or match.start() > best[0]:
                best = (match.start(), period)
    return (best[1], -1) if best else (None, -1)


def _context_score(text: str, start: int, end: int) -> int | None:
    """How surely a figure is pay: +3 pay word before it; None when it is a bonus, fee, etc."""
    before = text[max(0, start - 60) : start]
    before = re.split(r"\n\s*\n", before)[-1]
    following = text[end : end + 40]
    # "... per year plus travel bonus": what follows a connector is another benefit, not this figure.
    cut = re.search(r"[$€£]|\n|(?<![0-9])\.\s|;|\b(?:plus|with|and|in addition)\b|\+", following)
    if cut:
        following = following[: cut.start()]
    if _NOT_PAY.search(following):
        return None
    # Bonus words count within this sentence only ("We have a referral program. Pay: $30/hr");
    # pay words may head the line above ("Pay Range:\n$31.26 - $48.45").
    sentence = re.split(r"[\n;!?]|(?<![0-9])\.\s", before)[-1]
    last_pay = max((m.end() for m in _PAY_WORDS.finditer(sentence)), default=-1)
    last_not = max((m.end() for m in _NOT_PAY.finditer(sentence)), default=-1)
    if last_not > last_pay:
        return None  # "sign-on bonus of $5,000", "shift differential: $2.00/hr"
    return 3 if _PAY_WORDS.search(before) else 0


def _candidates(text: str, structured: bool) -> list[_Found]:
    """Every pay-like figure in ``text`` with its context score."""
    found: list[_Found] = []
    covered = bytearray(len(text) + 1)  # characters already part of a figure

    def overlaps(start: int, end: int) -> bool:
        return any(covered[start:end])

    def cover(start: int, end: int) -> None:
        covered[start:end] = b"\x01" * (end - start)

    def add(low: float | None, high: float | None, currency: str | None, start: int, end: int,
            bonus: int, low_has_mult: bool = True) -> None:  # fmt: skip
        score = _context_score(text, start, end)
        if score is None and not structured:
            cover(start, end)
            return
        period, after = _period_near(text, start, end)
        if period is None:
            # "Minimum hourly: $31.26 ... Maximum hourly: $48.45": the period word is inside.
            for name, pattern in _PERIOD_BEFORE:
                if pattern.search(text, start, end):
                    period = name
                    break
        raw_end = end + after if after >= 0 else end
        if (
            text.count("(", start, raw_end) > text.count(")", start, raw_end)
            and text[raw_end : raw_end + 1] == ")"
        ):
            raw_end += 1  # "$31.26 - $48.45 (Hourly)"
        found.append(
            _Found(low, high, period, after >= 0, currency, start, raw_end,
                   (score or 0) + bonus + (2 if period else 0), text[start:raw_end].strip())
        )  # fmt: skip
        cover(start, end)

    for match in islice(_MINMAX_RE.finditer(text), MAX_FIGURES):
        groups = match.groupdict()
        low, cur_a, _ = _amount_from(groups, "a")
        high, cur_b, _ = _amount_from(groups, "b")
        add(low, high, cur_a or cur_b, match.start(), match.end(), 4)
    for match in islice(_RANGE_RE.finditer(text), MAX_FIGURES):
        if overlaps(match.start(), match.end()):
            continue
        groups = match.groupdict()
        low, cur_a, low_mult = _amount_from(groups, "a")
        high, cur_b, high_mult = _amount_from(groups, "b")
        if high is None and groups.get("bare"):
            high, _, high_mult = _amount_from(
                {"num": groups["bare"], "mult": groups.get("baremult")}, ""
            )
        if low is None or high is None:
            continue
        if high_mult and not low_mult and low < 1000 and high >= 1000:
            low *= 1000 if high < 1_000_000 else 1_000_000  # "$85-100K"
        separator = text[match.start() : match.end()].lower()
        if " and " in separator and not re.search(
            r"between\s*$", text[max(0, match.start() - 12) : match.start()], re.IGNORECASE
        ):
            continue  # "$500 and $1,000" without "between" is a list, not a range
        add(low, high, cur_a or cur_b, match.start(), match.end(), 1)
    for match in islice(_RANGE_SUFFIX_RE.finditer(text), MAX_FIGURES):
        if overlaps(match.start(), match.end()):
            continue
        groups = match.groupdict()
        low, _, low_mult = _amount_from({"num": groups["anum"], "mult": groups.get("amult")}, "")
        high, currency, high_mult = _amount_from(
            {"num": groups["bnum"], "mult": groups.get("bmult"), "cur": groups["bcur"]}, ""
        )
        if low is None or high is None:
            continue
        if high_mult and not low_mult and low < 1000 and high >= 1000:
            low *= 1000 if high < 1_000_000 else 1_000_000
        add(low, high, currency, match.start(), match.end(), 1)
    for match in islice(_SINGLE_RE.finditer(text), MAX_FIGURES):
        if overlaps(match.start(), match.end()):
            continue
        value, currency, _ = _amount_from(match.groupdict(), "a")
        if value is None:
            continue
        before = text[max(0, match.start() - 30) : match.start()]
        if text[match.end() : match.end() + 1] == "+":
            add(value, None, currency, match.start(), match.end() + 1, 0)  # "$40+/hr": at least
        elif _MAX_ONLY.search(before):
            add(None, value, currency, match.start(), match.end(), 0)
        elif _MIN_ONLY.search(before):
            add(value, None, currency, match.start(), match.end(), 0)
        else:
            add(value, value, currency, match.start(), match.end(), 0)
    if not found:
        for match in islice(_LABELLED_RE.finditer(text), MAX_FIGURES):
            groups = match.groupdict()
            low, _, low_mult = _amount_from(
                {"num": groups["anum"], "mult": groups.get("amult")}, ""
            )
            high = low
            if groups.get("bare"):
                high, _, _ = _amount_from(
                    {"num": groups["bare"], "mult": groups.get("baremult")}, ""
                )
            num_start = match.start("anum")
            add(low, high, None, num_start, match.end(), 1)
    return found


def _sane(found: _Found) -> bool:
    """Figures that are money at all (0 placeholders and years do not count)."""
    values = [v for v in (found.low, found.high) if v is not None]
    return bool(values) and all(v > 0 and math.isfinite(v) for v in values)


def _choose_period(found: _Found) -> str | None:
    """The stated period; a period word before the figure yields to magnitude when it cannot fit."""
    top = found.high if found.high is not None else found.low
    if found.period and (found.period_explicit or found.currency not in (None, "USD")):
        return found.period
    inferred = _infer_period(top)
    if found.period is None:
        return inferred
    if (
        _implausible(found.low, found.high, found.period, "USD")
        and inferred
        and not _implausible(found.low, found.high, inferred, "USD")
    ):
        return inferred  # "Hourly and salaried roles ... Salary: $85,000"
    return found.period


def _best_candidate(text: str, structured: bool = False) -> _Found | None:
    """The figure most likely to be the job's pay."""
    if not isinstance(text, str) or not text:
        return None
    text = text[:MAX_TEXT]
    found = []
    for cand in _candidates(text, structured):
        cand.low = None if cand.low is not None and cand.low <= 0 else cand.low
        cand.high = None if cand.high is not None and cand.high <= 0 else cand.high
        if not _sane(cand):
            continue
        if (
            cand.low is not None
            and cand.high is not None
            and cand.low == cand.high
            and cand.score < 2
            and not structured
        ):
            continue  # a lone "$500" with no pay word or period is not pay
        if not structured and cand.score < 1:
            continue
        cand.period = _choose_period(cand)
        found.append(cand)
    if not found:
        return None
    plausible = [c for c in found if not _implausible(c.low, c.high, c.period, c.currency)]
    pool = plausible or found
    return max(pool, key=lambda c: (c.score, -c.start))


def _finish(found: _Found, source: str, raw: str | None) -> Salary | None:
    """Salary from a chosen figure."""
    return _build(found.low, found.high, found.period, found.currency, source, raw or found.raw)


def parse_salary_text(text: str | None) -> Salary | None:
    """Pay stated in description text ("$38.50 - $52.00 per hour", "up to $110,000"), or None."""
    try:
        found = _best_candidate(text) if isinstance(text, str) else None
        return _finish(found, "description", None) if found else None
    except Exception:  # noqa: BLE001 - never let odd text take a posting down
        return None


def normalize_salary(raw: RawSalary | None, description_text: str | None) -> Salary | None:
    """Structured pay first; the description text when the source has none (or none usable)."""
    structured = parse_structured_salary(raw)
    if structured is not None and structured.flag is None:
        return structured
    from_text = parse_salary_text(description_text)
    if from_text is not None and from_text.flag is None:
        return from_text
    return structured or from_text
