"""Pay stated in description text: figures, ranges, min/mid/max tables, period words.

Spaced thousands ("$58 400", no-break spaces) are joined before scanning; a posting with pay by
location or level keeps every range with the words that say where it applies (``pay_ranges``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import islice
from typing import Any

from pacsjobs.normalize.salary_patterns import (
    _LABELLED_RE,
    _MAX_ONLY,
    _MID_BEFORE,
    _MIN_ONLY,
    _MINMAX_BARE_RE,
    _MINMAX_RE,
    _NOT_PAY,
    _PAY_WORDS,
    _PERIOD_AFTER,
    _PERIOD_BEFORE,
    _RANGE_RE,
    _RANGE_SUFFIX_RE,
    _SINGLE_RE,
    _join_spaced_thousands,
)
from pacsjobs.normalize.salary_values import (
    _CURRENCY_SYMBOLS,
    MAX_FIGURES,
    MAX_TEXT,
    Salary,
    _build,
    _implausible,
    _infer_period,
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
    for match in islice(_MINMAX_BARE_RE.finditer(text), MAX_FIGURES):
        if overlaps(match.start(), match.end()):
            continue
        low, _, _ = _amount_from({"num": match.group("anum")}, "")
        high, _, _ = _amount_from({"num": match.group("bnum")}, "")
        add(low, high, "USD" if re.search(r"[$]|USD", match.group(0)) else None, match.start(), match.end(), 4)
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
        if _MID_BEFORE.search(before):
            cover(match.start(), match.end())  # "Midpoint: $77,325" is neither bottom nor top
            continue
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


def _document_period(text: str) -> str | None:
    """The one pay period the posting names anywhere ("paid per hour"), or None (none or several)."""
    found = {name for name, pattern in _PERIOD_BEFORE if pattern.search(text, 0, 20_000)}
    return found.pop() if len(found) == 1 else None


def _choose_period(found: _Found, document: str | None = None) -> str | None:
    """The stated period; a period word before the figure yields to magnitude when it cannot fit.

    Without a period at the figure, the posting's one period word elsewhere ("This is an hourly
    position") decides when the amounts fit it, else the magnitude does.
    """
    top = found.high if found.high is not None else found.low
    if found.period and (found.period_explicit or found.currency not in (None, "USD")):
        return found.period
    inferred = _infer_period(top)
    if found.period is None:
        if document and not _implausible(found.low, found.high, document, "USD"):
            return document
        return inferred
    if (
        _implausible(found.low, found.high, found.period, "USD")
        and inferred
        and not _implausible(found.low, found.high, inferred, "USD")
    ):
        return inferred  # "Hourly and salaried roles ... Salary: $85,000"
    return found.period


def _pay_figures(text: str, structured: bool = False) -> list[_Found]:
    """Every figure that can be the job's pay, best first (``raw`` in the text's own spelling)."""
    if not isinstance(text, str) or not text:
        return []
    text = text[:MAX_TEXT]
    scanned = _join_spaced_thousands(text)  # same length: offsets hold for ``text``
    document = _document_period(scanned)
    found = []
    for cand in _candidates(scanned, structured):
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
        cand.period = _choose_period(cand, document)
        if scanned is not text:
            cand.raw = text[cand.start:cand.end].strip()
        found.append(cand)
    if not found:
        return []
    plausible = [c for c in found if not _implausible(c.low, c.high, c.period, c.currency)]
    pool = plausible or found
    return sorted(pool, key=lambda c: (-c.score, c.start))


def _best_candidate(text: str, structured: bool = False) -> _Found | None:
    """The figure most likely to be the job's pay."""
    figures = _pay_figures(text, structured)
    return figures[0] if figures else None


_WHERE_NOISE = re.compile(
    r"(?i)\b(?:the\s+)?(?:base\s+)?(?:pay|salary|compensation|hourly|wage|rate)(?:\s+(?:range|rate|scale))?s?\b|"
    r"\b(?:is|are|for|of|from|between)\s*$|[:=\-–—•*|]+"
)


def _where(text: str, start: int) -> str | None:
    """The words before a figure on its line that say where it applies ("Boston, MA", "PACS Analyst II")."""
    line_start = max(text.rfind("\n", 0, start), text.rfind(";", 0, start), text.rfind(". ", 0, start)) + 1
    words = _WHERE_NOISE.sub(" ", text[line_start:start])
    words = " ".join(words.split()).strip(" ,")
    if words.count(")") > words.count("("):
        words = words.rstrip(")").strip(" ,")
    if words.count("(") > words.count(")"):
        words = words.lstrip("(").strip(" ,")
    return words[-80:] or None


def pay_ranges(text: str | None) -> list[dict[str, Any]]:
    """Every distinct pay range of a posting that states more than one (by location or level).

    Each: ``{"min", "max", "period", "where", "raw"}``; ``where`` is the line's words before the
    figure. One range (or none) gives an empty list: ``parse_salary_text`` already has it.
    """
    try:
        figures = [f for f in _pay_figures(text or "") if f.score >= 3 and f.low != f.high]
    except Exception:  # noqa: BLE001 - never let odd text take a posting down
        return []
    seen: set[tuple[Any, ...]] = set()
    out: list[dict[str, Any]] = []
    for f in sorted(figures, key=lambda c: c.start):
        key = (f.low, f.high, f.period)
        if key in seen:
            continue
        seen.add(key)
        out.append({"min": f.low, "max": f.high, "period": f.period, "where": _where(text, f.start), "raw": f.raw})
    return out if len(out) > 1 else []


def _finish(found: _Found, source: str, raw: str | None) -> Salary | None:
    """Salary from a chosen figure."""
    return _build(found.low, found.high, found.period, found.currency, source, raw or found.raw)


def parse_salary_text(text: str | None) -> Salary | None:
    """Pay stated in description text ("$38.50 - $52.00 per hour", "up to $110,000"), or None.

    With pay by location or level, ``ranges`` keeps every range and where it applies.
    """
    try:
        found = _best_candidate(text) if isinstance(text, str) else None
        salary = _finish(found, "description", None) if found else None
        if salary is not None:
            salary.ranges = pay_ranges(text)
        return salary
    except Exception:  # noqa: BLE001 - never let odd text take a posting down
        return None
