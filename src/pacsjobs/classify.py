"""Is a posting a PACS / imaging-informatics role, and what does it ask for.

Pure functions over a title, a text and a ``Vocabulary``; they never raise on any input.
Decisions (docs/matching.md): the title decides first (a PACS or imaging-informatics title is a
PACS role; a clinical, sales, political or packaging title is not, whatever the duties mention);
other titles are judged on how much of the text is PACS work.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from pacsjobs.normalize.jobtype import has_ignorecase_specials
from pacsjobs.vocabulary import Vocabulary, required_literals

# Terms that only imaging-informatics work talks about; generic IT (SQL, Windows) is not evidence.
INFORMATICS_TERMS = frozenset({
    "DICOM", "HL7", "modality worklist", "RIS", "VNA", "IHE", "imaging informatics",
    "GE Centricity", "Philips", "Fujifilm Synapse", "Agfa", "Sectra", "Merge", "Intelerad", "Visage",
    "McKesson", "Siemens syngo", "Carestream", "PowerScribe", "Epic Radiant", "CVIS",
    "advanced visualization", "Mirth Connect", "CIIP", "CPAS", "CPSA", "CPIA", "CPSM", "CDIP",
    "PARCA certification",
})
PACS_TERMS = frozenset({"PACS", "PACS administration"})

_TAG = re.compile(r"<[^>]{0,2000}>")
_WS = re.compile(r"[ \t\r\f\v]+")


def plain(text: object) -> str:
    """Text without HTML tags or entities (descriptions may arrive as HTML); '' for non-text."""
    if not isinstance(text, str):
        return ""
    if "<" in text and ">" in text:
        text = _TAG.sub(" ", re.sub(r"(?i)<(?:br|/p|/li|/div|/h\d)\b[^>]{0,200}>", "\n", text))
    if "&" in text:
        text = html.unescape(text)
    if "  " in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text:
        text = _WS.sub(" ", text)
    return text


def _cue(rx: re.Pattern[str], keys: tuple[str, ...], low: str, text: str) -> bool:
    """``rx`` found in ``text``; a literal pre-check on the lower-cased text skips most scans."""
    return any(k in low for k in keys) and bool(rx.search(text))


# ---- titles ------------------------------------------------------------------------------------

_T_PACS_CASE = re.compile(r"\b(?:PACS|Pacs|pacs)\b|(?i:picture\s+archiv)")  # not "PACs" (packs)
_T_INFORMATICS = re.compile(
    r"(?i:\b(?:imaging|radiology|radiologic)\s+(?:informatics|IT\b|information\s+systems?|"
    r"systems?|applications?|integration)|\benterprise\s+imaging\b|\bDICOM\b|\bimage\s+management\b)"
    r"|\bRIS\b"
)
_T_SALES = re.compile(
    r"(?i)\b(?:sales|account\s+executive|account\s+manager|business\s+development|territory\s+manager|"
    r"inside\s+sales|regional\s+manager,?\s+sales|solutions\s+executive|client\s+executive)\b"
)
# Building, running or selling imaging products is not administering a PACS, even at a PACS vendor
# and even when the title names PACS ("Software Engineer - PACS Viewer", "SRE, Imaging Cloud").
# Interface / integration developers and support or field engineers are judged on the duties.
_T_VENDOR_ROLE = re.compile(
    r"(?i)\b(?:software\s+(?:engineer|developer|architect|development\s+engineer)|(?<!interface\s)(?<!integration\s)"
    r"developer|programmer|site\s+reliability|SRE|dev\s?ops|monitoring\s+engineer|observability|"
    r"data\s+(?:scientist|engineer)|machine\s+learning|(?:ML|AI)\s+engineer|(?:research\s+)?scientist|firmware|"
    r"front[-\s]?end|back[-\s]?end|full[-\s]?stack|QA\s+engineer|quality\s+assurance\s+engineer|test\s+engineer|"
    r"verification\s+engineer|product\s+(?:manager|owner|marketing|specialist)|marketing|UX|UI\s+designer|"
    r"cloud\s+engineer|platform\s+engineer)\b"
)
_T_CLINICAL = re.compile(
    r"(?i)\b(?:technologists?|tech|radiographer|sonographer|nurse|RN|LPN|physician|radiologist|"
    r"therapist|medical\s+assistant|scheduler|receptionist|transporter|phlebotomist|CNA|aide|"
    r"dosimetrist|physicist|sonography|mammographer)\b"
)
_T_POLITICAL = re.compile(r"\bPAC\b|(?i:super\s+PACs?\b)|(?i:\bpolitical\b|government\s+affairs|\bcampaign\b|advocacy)")
_T_PACKAGING = re.compile(r"(?i)packag|\bpacker\b|\bpacks?\b|\bPACs\b")
_T_PACE = re.compile(r"\bPACE\b|(?i:all[-\s]inclusive\s+care)")
_T_IT = re.compile(
    r"(?i)\b(?:IT|information\s+technology|information\s+systems|systems?|applications?|analyst|"
    r"administrator|engineer|specialist|integration|interface|informatics|support|technician|developer|"
    r"architect|field\s+service)\b"
)

# ---- text cues -----------------------------------------------------------------------------------

_X_POLITICAL = re.compile(r"(?i)political\s+action\s+committee|\bsuper\s+PACs?\b|\bFEC\b|campaign\s+finance")
_X_PACKAGING = re.compile(r"(?i)\bpackag(?:ing|ed|e)\b|\b\d+[-\s]?PACs\b|\bcase\s+packs?\b")
_X_ACCESS = re.compile(r"(?i)physical\s+access\s+control|access\s+control\s+systems?|card\s+readers?|\bbadg(?:e|ing)\b")
_CUE_KEYS = {
    "political": ("political action", "super pac", "fec", "campaign finance"),
    "packaging": ("packag", "pacs", "pack"),
    "pace": ("inclusive care", "pace "),
    "access": ("access control", "card reader", "badg"),
}
_X_PACE = re.compile(r"(?i)program\s+of\s+all[-\s]inclusive\s+care|\bPACE\s+(?:program|participants?|center)")


@dataclass
class Relevance:
    """The classifier's verdict: PACS role or not, a 0..1 score and the evidence in words."""

    is_pacs: bool
    score: float
    reasons: list[str] = field(default_factory=list)


def _title_hint(rx: re.Pattern[str], title: str) -> str:
    m = rx.search(title)
    return m.group(0) if m else ""


def _names(items: list[str], limit: int = 6) -> str:
    shown = items[:limit]
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(shown) + more


def classify_role(title: str, text: str, vocab: Vocabulary) -> Relevance:
    """Decide whether a posting is a PACS / imaging-informatics role, with the evidence."""
    title = plain(title).strip()
    body = plain(text)
    # the same string extract_requirements scans, so the vocabulary's cache serves both
    offset = len(title) + 1 if title else 0
    hits = [h for h in vocab.find(f"{title}\n{body}" if title else body) if h.start >= offset]  # body only
    low = body.lower()
    pacs_mentions = sum(1 for h in hits if h.term.name in PACS_TERMS)
    info: list[str] = []
    for h in hits:
        if h.term.name in INFORMATICS_TERMS and h.term.name not in info:
            info.append(h.term.name)
    reasons: list[str] = []
    strength = 0.15 * min(pacs_mentions, 4) + 0.12 * min(len(info), 5)  # 0 .. 1.2

    def evidence() -> None:
        if pacs_mentions:
            times = "once" if pacs_mentions == 1 else f"{pacs_mentions} times"
            reasons.append(f"description names PACS {times}")
        if info:
            reasons.append(f"description mentions {_names(info)}")
        if not pacs_mentions and not info:
            reasons.append("no PACS or imaging-informatics terms in the description")

    def verdict(score: float) -> Relevance:
        score = round(max(0.0, min(1.0, score)), 2)
        return Relevance(score >= 0.5, score, reasons)

    title_pacs = bool(_T_PACS_CASE.search(title))
    title_info = bool(_T_INFORMATICS.search(title))

    sales = _title_hint(_T_SALES, title)
    if sales:
        # A quota-carrying seller of PACS is not doing PACS work; the vendor's field engineers are.
        reasons.append(f'title is a sales role ("{sales}")')
        evidence()
        return verdict(min(0.3, 0.1 + strength * 0.2))

    vendor = _title_hint(_T_VENDOR_ROLE, title)
    if vendor:
        reasons.append(f'title is a product engineering or marketing role ("{vendor}"), not PACS administration')
        evidence()
        return verdict(min(0.3, 0.1 + strength * 0.2))

    if not title_pacs and not title_info:
        for rx, cue, keys, why in (
            (_T_POLITICAL, _X_POLITICAL, _CUE_KEYS["political"], '"PAC" here is a political action committee'),
            (_T_PACKAGING, _X_PACKAGING, _CUE_KEYS["packaging"], '"PACs" here means packs (packaging)'),
            (_T_PACE, _X_PACE, _CUE_KEYS["pace"], '"PACE" here is the elder-care program, not PACS'),
        ):
            if rx.search(title) or (not pacs_mentions and _cue(cue, keys, low, body)):
                reasons.append(why)
                evidence()
                return verdict(min(0.1, strength * 0.1))

    if title_pacs or title_info:
        if not info and not pacs_mentions:
            for cue, keys, why in ((_X_POLITICAL, _CUE_KEYS["political"], "political committees"),
                                   (_X_PACKAGING, _CUE_KEYS["packaging"], "packaging"),
                                   (_X_ACCESS, _CUE_KEYS["access"], "physical access control (badges, card readers)")):
                if _cue(cue, keys, low, body):
                    reasons.append(f'title "{title}" says PACS but the text is about {why}')
                    return verdict(0.1)
        reasons.append(f'title says "{title}"')
        evidence()
        return verdict(0.8 + 0.2 * min(1.0, strength))

    clinical = _title_hint(_T_CLINICAL, title)
    if clinical:
        # Technologists, nurses and sonographers use PACS; their postings say so in passing.
        reasons.append(f'title is a clinical role ("{clinical}") without PACS in it')
        evidence()
        return verdict(min(0.35, 0.05 + strength * 0.25))

    evidence()
    if _T_IT.search(title):
        if pacs_mentions == 0:
            return verdict(min(0.3, 0.05 + strength * 0.4))
        return verdict(min(0.95, 0.1 + strength))
    return verdict(min(0.45, strength * 0.5))


# ---- requirements --------------------------------------------------------------------------------

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


# ---- staffing agencies ---------------------------------------------------------------------------

_AGENCY_NAMES = re.compile(
    r"(?i)\b(?:aya\s+healthcare|AMN\s+healthcare|cross\s+country|kforce|robert\s+half|teksystems|"
    r"insight\s+global|actalent|aerotek|randstad|adecco|manpower|apex\s+systems|kelly\s+services|"
    r"medical\s+solutions|trusted\s+health|vivian|fastaff|host\s+healthcare|triage\s+staffing|"
    r"jackson\s+(?:healthcare|nurse)|soliant|maxim\s+healthcare|cynet\s+systems|hays|modis|"
    r"akkodis|experis|collabera|beacon\s+hill|motion\s+recruitment|the\s+judge\s+group|"
    r"staffing|recruiting|recruitment|talent\s+solutions)\b"
)
_AGENCY_TEXT = re.compile(
    r"(?i)\bour\s+client\b|on\s+behalf\s+of\s+(?:our|a)\s+client|\bour\s+(?:healthcare\s+)?client'?s\b|"
    r"contract[-\s]to[-\s]hire|staffing\s+(?:agency|firm)|travel\s+(?:assignment|contract)|"
    r"we\s+are\s+(?:a\s+)?(?:staffing|recruiting)"
)


_AGENCY_TEXT_KEYS = ("client", "contract", "staffing", "travel", "recruiting")  # one is in every match


def is_staffing_agency(employer: str | None, text: str) -> bool:
    """True when a staffing agency / recruiter posts for a client rather than the employer itself."""
    if isinstance(employer, str) and _AGENCY_NAMES.search(employer):
        return True
    body = plain(text)[:20000]
    if not has_ignorecase_specials(body):
        low = body.lower()
        if not any(key in low for key in _AGENCY_TEXT_KEYS):
            return False
    return bool(_AGENCY_TEXT.search(body))
