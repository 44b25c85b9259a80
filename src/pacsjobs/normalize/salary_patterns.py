"""The patterns pay is written in: amounts, ranges, min/mid/max tables, period words, pay and
not-pay words, and the joining of spaced thousands. Used by ``salary_text``.
"""

from __future__ import annotations

import re

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
    rf"\bmin(?:imum)?\b[^$0-9\n]{{0,30}}(?:\n\s*)?(?:{_amount('a')})"
    rf"(?:[\s\S]{{0,120}}?\bmid(?:point)?\b[^$0-9\n]{{0,30}}(?:\n\s*)?(?:{_CUR})\s?{_NUM}\s?(?:{_MULT})?)?"
    rf"[\s\S]{{0,120}}?\bmax(?:imum)?\b[^$0-9\n]{{0,30}}(?:\n\s*)?(?:{_amount('b')})",
    re.IGNORECASE,
)
# "Pay Minimum23.10 Pay Midpoint27.50 Pay Maximum31.90": labels glued to bare figures (no currency,
# no colon). A pay word must lead the minimum, so "minimum 3 years ... maximum 5" is not pay.
_LABEL = r"(?:pay|salary|wage|rate|hourly|base)\s?(?:range\s?|rate\s?|scale\s?)?"
_MINMAX_BARE_RE = re.compile(
    rf"\b{_LABEL}min(?:imum)?(?![a-z])[^$0-9\n]{{0,20}}?(?:{_CUR})?\s?(?P<anum>{_NUM})"
    rf"(?:[^\n]{{0,60}}?\bmid(?:point)?(?![a-z])[^$0-9\n]{{0,20}}?(?:{_CUR})?\s?{_NUM})?"
    rf"[^\n]{{0,60}}?\b(?:{_LABEL})?max(?:imum)?(?![a-z])[^$0-9\n]{{0,20}}?(?:{_CUR})?\s?(?P<bnum>{_NUM})",
    re.IGNORECASE,
)
# A midpoint alone is never the top (or the whole) of the range.
_MID_BEFORE = re.compile(r"\bmid(?:point)?(?![a-z])[^$0-9\n]{0,20}$", re.IGNORECASE)
# Thousands grouped by spaces: a no-break / thin space between digit groups always, a plain space
# after a currency sign ("$58 400") or after the range separator that follows one ("- 96 250").
_NBSP_GROUP = re.compile(r"(?<=\d)[\u00a0\u202f\u2009](?=\d{3}(?![\d]))")
_SPACE_GROUP = re.compile(rf"(?:(?:{_CUR})\s?|(?<=\d,\d{{3}})\s{{0,3}}(?:-|–|—|to)\s{{0,3}}(?:{_CUR})?\s?)\d{{1,3}}(?:,\d{{3}})*(?P<gap> )(?=\d{{3}}(?!\d))",
                          re.IGNORECASE)


def _join_spaced_thousands(text: str) -> str:
    """``text`` with spaces that group thousands turned into commas (same length, same offsets)."""
    if "\u00a0" in text or "\u202f" in text or "\u2009" in text:
        text = _NBSP_GROUP.sub(",", text)
    if " " not in text:
        return text
    chars = None
    for _ in range(3):  # "$1 234 567": one group per pass
        changed = False
        for m in _SPACE_GROUP.finditer(text):
            chars = chars or list(text)
            chars[m.start("gap")] = ","
            changed = True
        if not changed:
            break
        text = "".join(chars)
        chars = None
    return text


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
