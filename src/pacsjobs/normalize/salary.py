"""Pay: from a source's structured salary field, else from the description text.

Amounts stay as posted (min, max, period); ``annual_*`` are USD a year for comparison. A figure that
cannot be pay (under $7 an hour, over $1,000,000 a year) is not stored: ``flag`` says why.
The work is split in two modules (``salary_values``: amounts, units, structured fields;
``salary_text``: figures in descriptions); every name stays importable from here.
"""

from __future__ import annotations

from pacsjobs.normalize.salary_text import (  # noqa: F401 - re-exported
    _MINMAX_RE,
    _RANGE_RE,
    _best_candidate,
    _candidates,
    _finish,
    _Found,
    parse_salary_text,
    pay_ranges,
)
from pacsjobs.normalize.salary_values import (  # noqa: F401 - re-exported
    _UNIT_WORDS,
    ANNUAL_FACTOR,
    HOURLY_BELOW,
    MAX_ANNUAL,
    MAX_FIGURES,
    MAX_TEXT,
    MIN_ANNUAL_FOR_YEAR,
    MIN_HOURLY,
    PERIODS,
    YEAR_FROM,
    Salary,
    _build,
    _currency,
    _implausible,
    _infer_period,
    _unit_key,
    annualize,
    parse_amount,
    period_of_unit,
)
from pacsjobs.record import RawSalary


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


def normalize_salary(raw: RawSalary | None, description_text: str | None) -> Salary | None:
    """Structured pay first; the description text when the source has none (or none usable)."""
    structured = parse_structured_salary(raw)
    if structured is not None and structured.flag is None:
        return structured
    from_text = parse_salary_text(description_text)
    if from_text is not None and from_text.flag is None:
        return from_text
    return structured or from_text
