"""What a posting asks for: degree, years of experience, and whether experience may replace the degree.

Pure functions over a text and a ``Vocabulary``; they never raise on any input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pacsjobs.normalize.jobtype import has_ignorecase_specials
from pacsjobs.understand.plaintext import plain
from pacsjobs.understand.vocabulary import Vocabulary, required_literals

DEGREES = ("associate", "bachelor", "master", "doctorate")

_DEGREE_RX = {
    "doctorate": re.compile(
        r"(?i)\bdoctora(?:te|l\s+degree)\b|\bPh\.?\s?D\b|\bdoctor\s+of\s+(?!the\b)\w+|\b(?:DPT|DNP|Pharm\.?\s?D)\b"
    ),
    "master": re.compile(
        r"(?i)\bmaster(?:'|’)?s(?:'|’)?\s+(?:degree|in|of)\b|\bmaster(?:'|’)s\b|\bmaster\s+of\s+"
        r"(?:science|arts|business|health)|\bMBA\b|\bMHA\b|\bM\.S\.(?=\s|,|;|$)|\bgraduate\s+degree\b"
    ),
    "bachelor": re.compile(
        r"(?i)\bbachelor(?:'|’)?s?\b|\bbaccalaureate\b|\bB\.?S\.?\s+(?:degree|in)\b|\bB\.A\.|\bB\.S\.|"
        r"\bBA\s*/\s*BS\b|\bBS\s*/\s*BA\b|\bBSN\b|\bBSc\b|\bundergraduate\s+degree\b|\b(?:four|4)[-\s]year\s+(?:college\s+|university\s+)?degree\b"
    ),
    "associate": re.compile(
        r"(?i)\bassociate(?:'|’)s\b|\bassociates?\s+(?:\w+\s+){0,2}degree\b|\bassociate\s+of\s+"
        r"(?:applied\s+)?(?:science|arts)\b|\b(?:two|2)[-\s]year\s+(?:college\s+)?degree\b|\bA\.?A\.?S\.?\s+degree\b"
    ),
}
_BENEFIT = re.compile(r"(?i)tuition|reimburs|loan\s+repayment|scholarship|education\s+assistance|debt\s+reduction")
_OR_EXPERIENCE = re.compile(
    r"(?i)\bor\s+(?:an?\s+)?equivalent\b|\bin\s+lieu\s+of\b|equivalent\s+combination|"
    r"may\s+(?:be\s+)?substitut|experience\s+may\s+be\s+substituted|or\s+equivalent\s+(?:work\s+)?experience"
)

_NUMWORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
}
_NUM = r"(\d{1,2}(?:\.\d)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen)"
_PAREN = r"(?:\s*\(\d{1,2}\))?"
_YEARS = re.compile(
    rf"(?i)(?<![\d$.,/]){_NUM}{_PAREN}\s*(?:\+|plus)?\s*(?:(?:-|–|—|to|or)\s*{_NUM}{_PAREN}\s*\+?\s*)?"
    r"(?:or\s+more\s+|full[-\s]time\s+)?(?:years?\b|yrs?\b\.?)(?:'|’)?"
)
_ONE_YEAR = re.compile(r"(?i)\b(?:a|one)\s+(?:full\s+)?year\s+of\s+(?:\w+\s+){0,3}experience")
_YEARS_BAD_BEFORE = re.compile(r"(?i)(?:last|past|within|every|after|age|aged|for\s+over|for|founded|nearly|almost)\s*$")
_YEARS_BAD_AFTER = re.compile(
    r"(?i)^\s*(?:of\s+)?(?:service|history|old|of\s+age|age|ago|in\s+business|anniversary|of\s+hire|"
    r"of\s+employment|of\s+college|of\s+(?:high\s+)?school|of\s+university|degree|program|"
    r"and\s+older|warranty|contract|term)\b"
)
_YEARS_CONTINUE = re.compile(
    r"(?i)^\s*(?:\+|plus|or\s+more|of\b|in\b|as\b|with\b|working|supporting|experience|exp\b|progressive|"
    r"related|relevant|professional|recent|clinical|hands|post|direct|combined|minimum|required|preferred|'|’|:)"
)
# "3 years managing radiology systems": a gerund continues the figure only in a requirement (a
# "required" / "preferred" word in the sentence, or the figure leads a bullet line).
_GERUND = re.compile(r"(?i)^\s*(?:of\s+)?[a-z]{3,}ing\b")
_BULLET_LEAD = re.compile(r"(?:^|\n)[ \t]*(?:[-*\u2022\u00b7][ \t]*)?(?:(?i:a\s+)?(?i:minimum|at\s+least)(?:\s+of)?\s*)?$")
_LATER_MINIMUM = re.compile(r"(?i)\b(?:min(?:imum)?|at\s+least)\b\.?\s*(?:of\s+)?$")
_ALTERNATIVE = re.compile(r"(?i)\bor\b|in\s+lieu|without\s+(?:a\s+)?degree|instead")
_EXPERIENCE = re.compile(r"(?i)\bexperience|\bexp\b|\bwork(?:ing)?\s+(?:as|in)\b")
_PREFERRED = re.compile(r"(?i)prefer|desired|\bideal|\bplus\b|a\s+plus|nice\s+to\s+have")
_REQUIRED = re.compile(r"(?i)requir|\bmust\b|minimum|at\s+least|mandatory")
_SEGMENT_END = re.compile(r"[\n;]|\.\s")


@dataclass
class Requirements:
    """What a posting asks for: skills, certifications, minimum degree and years."""

    skills: list[str] = field(default_factory=list)
    certifications: list[str] = field(default_factory=list)
    degree: str | None = None  # associate | bachelor | master | doctorate (the minimum asked)
    degree_or_experience: bool = False  # "or equivalent experience"
    years_min: float | None = None


# Literal keywords found in the lower-cased text first (fast); the full patterns then run only
# in windows around them, which keeps requirement extraction to a fraction of a millisecond.
_DEGREE_KEYS = re.compile(
    r"bachelor|baccalaureate|master|associate|doctor|degree|mba|mha|ph\.? ?d|dpt|dnp|pharm|bsn|bsc|"
    r"b\.s|b\.a|m\.s\.|bs ?/|ba ?/|bs in|bs degree"
)
_YEAR_KEYS = re.compile(r"years?|yrs?")
# Words one of which each match of these patterns contains: a window without them is not scanned.
_WINDOW_LITERALS = {rx: required_literals(rx.pattern, lookaround=False) for rx in (*_DEGREE_RX.values(), _ONE_YEAR)}


def _windows(text: str, keys: re.Pattern[str], before: int, after: int, low: str | None = None) -> list[tuple[int, int]]:
    """Merged (start, end) windows around keyword hits in the lower-cased text (``low``, if given)."""
    return _merge_windows([m.span() for m in keys.finditer(text.lower() if low is None else low)],
                          len(text), before, after)


def _merge_windows(spans: list[tuple[int, int]], size: int, before: int, after: int) -> list[tuple[int, int]]:
    """Merged (start, end) windows around the keyword spans, within 0..size."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        lo, hi = max(0, start - before), min(size, end + after)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _finditer_windows(rx: re.Pattern[str], text: str, windows: list[tuple[int, int]],
                      low: str | None = None) -> list[re.Match[str]]:
    """Matches of ``rx`` inside the windows (offsets are those of the whole text).

    ``low``: text.lower() when it matches text character for character and text has no
    IGNORECASE_SPECIALS; windows without any of rx's required words are then skipped.
    """
    keys = _WINDOW_LITERALS.get(rx) if low is not None else None
    out: list[re.Match[str]] = []
    for lo, hi in windows:
        if keys is not None:
            piece = low[lo:hi]
            for key in keys:
                if key in piece:
                    break
            else:
                continue
        out.extend(rx.finditer(text, lo, hi))
    return out


def _exact_low(text: str, low: str) -> str | None:
    """``low`` when pre-checks on it are sound for ``text`` (see _finditer_windows), else None."""
    return low if len(low) == len(text) and not has_ignorecase_specials(text) else None


# Pre-checks for searches of short pieces (segments, the words after a figure): the words one of
# which each match contains; the regex runs only when one is there.
_PIECE_LITERALS = {rx: required_literals(rx.pattern) for rx in (_BENEFIT, _OR_EXPERIENCE, _EXPERIENCE, _PREFERRED, _REQUIRED)}


def _found(rx: re.Pattern[str], piece: str, exact: bool) -> bool:
    """``bool(rx.search(piece))``; ``exact``: piece has no IGNORECASE_SPECIALS, so the pre-check is sound."""
    keys = _PIECE_LITERALS[rx]
    if exact and keys is not None:
        low = piece.lower()
        for key in keys:
            if key in low:
                break
        else:
            return False
    return rx.search(piece) is not None


def _segment(text: str, start: int, end: int) -> str:
    """The sentence or line around text[start:end] (at most 300 characters each side)."""
    lo = max(text.rfind("\n", 0, start), text.rfind(";", 0, start), text.rfind(". ", 0, start)) + 1
    lo = max(lo, start - 300)
    m = _SEGMENT_END.search(text, end, end + 300)
    hi = m.start() if m else min(len(text), end + 300)
    return text[lo:hi]


def _num(word: str) -> float | None:
    word = word.lower()
    if word in _NUMWORDS:
        return float(_NUMWORDS[word])
    try:
        return float(word)
    except ValueError:
        return None


def extract_degree(text: str) -> tuple[str | None, bool]:
    """The lowest degree a posting names (not in benefit sentences) and whether experience may replace it."""
    return _degree(plain(text))


def _degree(text: str) -> tuple[str | None, bool]:
    found: list[str] = []
    or_exp = False
    low = text.lower()
    windows = _windows(text, _DEGREE_KEYS, 45, 45, low)
    if not windows:
        return None, False
    # window by window, low matches text character for character (else every window is scanned)
    exact = not has_ignorecase_specials(text)
    checked = _exact_low(text, low)
    for level in DEGREES:
        for m in _finditer_windows(_DEGREE_RX[level], text, windows, checked):
            seg = _segment(text, m.start(), m.end())
            if _found(_BENEFIT, seg, exact):
                continue
            found.append(level)
            if _found(_OR_EXPERIENCE, seg, exact):
                or_exp = True
            break
    if not found:
        return None, False
    return min(found, key=DEGREES.index), or_exp


def extract_years(text: str) -> float | None:
    """Minimum years of experience a posting requires; None when it states none.

    Required lines add up (the largest wins: "5 years in imaging. 2 years PACS." asks for 5);
    an alternative introduced by "or" / "in lieu" can lower that ("or 3 years with a degree");
    a later figure in the same sentence without "or" qualifies the first ("5 years, including 2
    in PACS"); preferred figures count only when nothing is required.
    """
    return _years(plain(text))


def _years(text: str) -> float | None:
    main: list[float] = []
    alternative: list[float] = []
    preferred: list[float] = []
    candidates: list[tuple[int, int, float]] = []
    low = text.lower()
    keys = [m.span() for m in _YEAR_KEYS.finditer(low)]  # one scan for both sets of windows
    windows = _merge_windows(keys, len(text), 45, 8)
    if not windows:
        return None
    for m in _finditer_windows(_YEARS, text, windows):
        value = _num(m.group(1))
        if value is None or value <= 0 or value > 40:
            continue
        candidates.append((m.start(), m.end(), value))
    for m in _finditer_windows(_ONE_YEAR, text, _merge_windows(keys, len(text), 20, 60), _exact_low(text, low)):
        if not any(s <= m.start() < e for s, e, _ in candidates):
            candidates.append((m.start(), m.end(), 1.0))
    candidates.sort()
    exact = not has_ignorecase_specials(text)  # (has_ignorecase_specials is cheap on ASCII text)
    last_end = -1
    for start, end, value in candidates:
        if _YEARS_BAD_BEFORE.search(text[max(0, start - 20):start]):
            continue
        after = text[end:end + 90]
        if _YEARS_BAD_AFTER.match(after):
            continue
        cut = _SEGMENT_END.search(after)
        after = after[:cut.start()] if cut else after
        before = text[max(0, start - 40):start]
        before = before[before.rfind("\n") + 1:]
        if _found(_BENEFIT, after, exact) or not (
            _YEARS_CONTINUE.match(after) or _found(_EXPERIENCE, after, exact)
            or re.search(r"(?i)experience[^.]{0,25}$", before)
            or (_GERUND.match(after) and (_BULLET_LEAD.search(text, max(0, start - 40), start)
                                          or _found(_REQUIRED, _segment(text, start, end), exact)
                                          or _found(_PREFERRED, _segment(text, start, end), exact)))
        ):
            continue  # "(one to five years) are set by ...", "for 25 years." are not requirements
        seg_start = max(text.rfind("\n", 0, start), text.rfind(";", 0, start), text.rfind(". ", 0, start)) + 1
        same_sentence = last_end >= seg_start
        lead = text[max(seg_start, last_end if same_sentence else seg_start):start]
        # "7-10 years with min 5 years": a later minimum in the sentence is what is required
        is_alternative = bool(_ALTERNATIVE.search(lead) or (same_sentence and _LATER_MINIMUM.search(lead)))
        if same_sentence and not is_alternative:
            continue  # a qualifier of the figure before it ("including 2 years in PACS")
        last_end = end
        seg = _segment(text, start, end)
        if _found(_PREFERRED, seg, exact) and not _found(_REQUIRED, seg, exact):
            preferred.append(value)
        elif is_alternative:
            alternative.append(value)
        else:
            main.append(value)
    if main:
        return min([max(main), *alternative])
    pool = alternative or preferred
    return min(pool) if pool else None


def extract_requirements(text: str, vocab: Vocabulary, title: str = "") -> Requirements:
    """Skills, certifications, degree and years a posting asks for; never raises."""
    body = plain(text)
    title = plain(title).strip()
    full = f"{title}\n{body}" if title else body
    degree, or_exp = _degree(body)
    return Requirements(
        skills=vocab.skills(full),
        certifications=vocab.certifications(full),  # same text: find() answers from its cache
        degree=degree,
        degree_or_experience=or_exp,
        years_min=_years(body),
    )
