"""Is a posting a PACS / imaging-informatics role, and what does it ask for.

Pure functions over a title, a text and a ``Vocabulary``; they never raise on any input.
Decisions (docs/matching.md): the title decides first (a PACS or imaging-informatics title is a
PACS role; a clinical, sales, political or packaging title is not, whatever the duties mention);
other titles are judged on how much of the text is PACS work.
What a posting asks for lives in ``pacsjobs.understand.requirements`` (re-exported here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pacsjobs.normalize.jobtype import has_ignorecase_specials
from pacsjobs.understand.plaintext import plain
from pacsjobs.understand.requirements import _PIECE_LITERALS as _PIECE_LITERALS
from pacsjobs.understand.requirements import _WINDOW_LITERALS as _WINDOW_LITERALS
from pacsjobs.understand.requirements import DEGREES as DEGREES
from pacsjobs.understand.requirements import Requirements as Requirements
from pacsjobs.understand.requirements import extract_degree as extract_degree
from pacsjobs.understand.requirements import extract_requirements as extract_requirements
from pacsjobs.understand.requirements import extract_years as extract_years
from pacsjobs.understand.vocabulary import Vocabulary

# Terms that only imaging-informatics work talks about; generic IT (SQL, Windows) is not evidence.
INFORMATICS_TERMS = frozenset({
    "DICOM", "HL7", "modality worklist", "RIS", "VNA", "IHE", "imaging informatics",
    "GE Centricity", "Philips", "Fujifilm Synapse", "Agfa", "Sectra", "Merge", "Intelerad", "Visage",
    "McKesson", "Siemens syngo", "Carestream", "PowerScribe", "Epic Radiant", "CVIS",
    "advanced visualization", "Mirth Connect", "CIIP", "CPAS", "CPSA", "CPIA", "CPSM", "CDIP",
    "PARCA certification",
})
PACS_TERMS = frozenset({"PACS", "PACS administration"})


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
