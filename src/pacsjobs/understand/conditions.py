"""The job's conditions: on-call, shifts, weekends, travel, workplace, sign-on bonus, relocation,
security clearance and a license or certification required by a date.

``extract_conditions(text, workplace)`` is pure and never raises. Every condition found comes with
the sentence it was read from (``evidence``), so a person can check it. A condition the posting
denies ("no on-call", "no travel required") is stored as ``value: False`` with its sentence; one
the posting does not mention is absent.
"""

from __future__ import annotations

import re
from typing import Any

from pacsjobs.understand.classify import plain

_NUM_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
              "nine": 9, "ten": 10, "twelve": 12, "eighteen": 18, "twenty-four": 24}
_N = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|twelve|eighteen|twenty-four)"
_NEG = re.compile(r"(?i)\b(?:no|not|never|without|non)\b[^.;\n]{0,25}$")
_NEG_AFTER = re.compile(r"(?i)^[^.;\n]{0,30}\b(?:not\s+(?:required|available|offered|provided|eligible)|"
                        r"is\s+not|are\s+not|will\s+not|n/a)\b")

# ---- on-call ----------------------------------------------------------------------------------
_ON_CALL = re.compile(
    r"(?i)\bon[-\s]?call\b|\bafter[-\s]hours?\s+(?:support|coverage|calls?|availability|on[-\s]call)|"
    r"\b(?:24\s*/\s*7|24x7|24\s*x\s*7|24\s+hours?\s+a\s+day)\s+(?:support|coverage|on[-\s]?call|availability)|"
    r"\bcall\s+rotation\b|\bcarr(?:y|ies)\s+a\s+pager\b|\bpager\s+(?:duty|rotation)\b|"
    r"\bavailable\s+(?:24\s*/\s*7|24x7|after\s+hours|nights\s+and\s+weekends)"
)
# the most specific wording first: "1 week in 4" beats "weekly rotation" beats "on-call rotation"
_ROTATIONS = (
    re.compile(rf"(?i)\b{_N}\s+(?:week|weekend|day|night)s?\s+(?:in|out\s+of|of\s+every|every)\s+(?:every\s+)?{_N}"
               r"(?:\s+(?:weeks?|weekends?))?"),
    re.compile(rf"(?i)\bevery\s+(?:{_N}(?:st|nd|rd|th)?\s+|other\s+)(?:week|weekend|month)s?\b"),
    re.compile(r"(?i)\b(?:weekly|bi-?weekly|monthly|rotating)\s+(?:on[-\s]?call\s+)?(?:rotation|basis|schedule)\b"),
    re.compile(r"(?i)\b(?:on[-\s]?)?call\s+rotations?\b"),
)

# ---- shifts and weekends ----------------------------------------------------------------------
_SHIFTS = (
    ("night", re.compile(r"(?i)\b(?:night|overnight|graveyard|nocturnal|third)\s+shifts?\b|\bshift\s*:\s*nights?\b|"
                         r"\bnights?\s*\((?:united\s+states|\d)")),
    ("evening", re.compile(r"(?i)\b(?:evening|second|swing|pm)\s+shifts?\b|\bshift\s*:\s*evenings?\b")),
    ("rotating", re.compile(r"(?i)\brotating\s+(?:shifts?|schedule|hours)\b|\bshift\s*:\s*rotating\b|"
                            r"\bvariable\s+shifts?\b|\bshift\s*:\s*variable\b")),
    ("12-hour", re.compile(r"(?i)\b(?:12|twelve)[-\s]hour\s+shifts?\b|\b12\s*(?:hr|hrs|-hr)\s+shifts?\b")),
    ("day", re.compile(r"(?i)\bday\s+shifts?\b|\bshift\s*:\s*days?\b|\b(?:first)\s+shift\b")),
)
_WEEKENDS = re.compile(
    r"(?i)\b(?:work|working|cover|coverage|including|includes|required\s+on|some|occasional|rotating|every\s+other|"
    r"alternating|and|or)\s+(?:on\s+)?weekends?\b|\bweekends?\s+(?:work|coverage|shifts?|rotation|required|and\s+holidays)\b|"
    r"\bweekend\s+(?:on[-\s]?call|availability)\b|\bnights?,\s+weekends\b"
)
_NO_WEEKENDS = re.compile(r"(?i)\bno\s+(?:nights?\s*(?:,|or|and|/)\s*)?weekends?\b|\bweekends?\s+off\b")

# ---- travel -----------------------------------------------------------------------------------
_TRAVEL = re.compile(
    r"(?i)\btravel(?:ing|ling|s)?\b(?!\s+(?:nurse|nursing|assignment|contract|agency|insurance|time\s+is\s+paid|"
    r"reimbursement|expenses?\s+(?:are|will)))"
)
_TRAVEL_PCT = re.compile(r"(?i)(?:up\s+to|approximately|about|around|less\s+than|under|<|~)?\s*(\d{1,3})\s*(?:%|percent)")
_TRAVEL_CONTEXT = re.compile(
    r"(?i)\btravel(?:ing|ling)?\s+(?:is\s+)?(?:required|expected|involved|necessary|up\s+to|between|to\s+(?:other\s+)?(?:sites?|facilities|"
    r"locations|hospitals|clinics|customer|client)|within|throughout|may\s+be|will\s+be|of\s+up\s+to|percentage|"
    r"requirements?|\d)|\btravel\s*:|\b(?:ability|able|willing(?:ness)?|requires?|required|occasional|some|regional|"
    r"national|overnight|frequent|local|minimal|extensive|limited)\s+(?:to\s+)?travel\b|\d{1,3}\s*%\s+(?:of\s+(?:the\s+)?time\s+)?travel\b|"
    r"\bno\s+travel\b"
)
_NO_TRAVEL = re.compile(r"(?i)\bno\s+travel\b|\btravel\s*:\s*(?:no|none|0\s*%|not\s+required)\b|"
                        r"\btravel\s+(?:is\s+)?not\s+required\b|\b0\s*%\s+travel\b")

# ---- money and moves --------------------------------------------------------------------------
_SIGN_ON = re.compile(r"(?i)\b(?:sign[-\s]?on|signing|hiring)\s+bonus(?:es)?\b")
_AMOUNT = re.compile(r"\$\s?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*([kK])?")
_RELOCATION = re.compile(r"(?i)\breloca(?:tion|te)\s+(?:assistance|package|support|allowance|bonus|benefits?|"
                         r"reimbursement|(?:is\s+)?(?:available|offered|provided|negotiable|considered))|"
                         r"\b(?:paid|offer(?:s|ing)?|provide[sd]?|includ(?:es|ing))\s+relocation\b|\brelocation\s*:")
_NO_RELOCATION = re.compile(r"(?i)\b(?:no|not)\s+(?:\w+\s+){0,2}relocation\b|\brelocation\s+(?:assistance\s+|package\s+)?"
                            r"(?:is\s+|will\s+)?not\s+(?:be\s+)?(?:available|offered|provided)|\brelocation\s*:\s*no\b")

# ---- clearance --------------------------------------------------------------------------------
_CLEARANCE = re.compile(
    r"(?i)\b(?P<level>TS\s*/\s*SCI|top\s+secret(?:\s*/\s*SCI)?|secret|public\s+trust|DOE\s+[LQ]|Q)\s+"
    r"(?:security\s+)?(?:clearance|position|background|investigation|eligib)|"
    r"\b(?:security\s+clearance|clearance)\s+(?:is\s+)?(?:required|needed|must|of\s+(?P<level2>[A-Za-z/ ]{3,20}))|"
    r"\b(?:active|current|obtain|maintain|hold)\s+(?:an?\s+)?(?:active\s+)?(?:DoD\s+)?(?P<level3>TS\s*/\s*SCI|top\s+secret|"
    r"secret)?\s*(?:security\s+)?clearance\b"
)

# ---- a license or certification required by a date --------------------------------------------
_BY_DATE = re.compile(
    rf"(?i)\b(?:within|in\s+the\s+first|no\s+later\s+than|by\s+the\s+end\s+of)\s+(?:the\s+first\s+)?"
    rf"(?:{_N}\s*(?:\(\d{{1,2}}\)\s*)?(?:months?|years?|days?)|(?:a|one)\s+year|six\s+months)"
    r"(?:\s+(?:of|from|after|following)\s+(?:the\s+)?(?:date\s+of\s+)?(?:hire|employment|start|starting|"
    r"appointment|placement|transfer|entering|eligibility))?"
)
_CREDENTIAL = re.compile(
    r"(?i)\b(?:certif(?:ication|ied)|licen[cs](?:e|ure)|registr(?:y|ation)|registered|credential|CIIP|PARCA|CPAS|CPSA|"
    r"ARRT|Epic|Radiant|BLS|ACLS|CompTIA|Security\+|Network\+|A\+)\b"
)

_WORKPLACE_WORDS = {
    "remote": re.compile(r"(?i)\b(?:fully\s+)?remote\b|\btelecommut\w*|\bwork\s+from\s+home\b|\btelework\b"),
    "hybrid": re.compile(r"(?i)\bhybrid\b"),
    "onsite": re.compile(r"(?i)\bon[-\s]?site\b|\bin[-\s]office\b|\bin[-\s]person\b"),
}


def _sentence(text: str, start: int, end: int, limit: int = 240) -> str:
    """The sentence or line around text[start:end], trimmed to about ``limit`` characters."""
    lo = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start), text.rfind("; ", 0, start),
             text.rfind("• ", 0, start)) + 1
    if lo < start - limit // 2:  # a long sentence: start at a word near the hit
        lo = start - limit // 2
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else lo
    m = re.compile(r"\n|\.\s|;\s|•").search(text, end)
    hi = m.start() + (1 if m and text[m.start()] == "." else 0) if m else len(text)
    if hi > end + limit // 2:
        hi = end + limit // 2
        space = text.rfind(" ", end, hi)
        hi = space if space > end else hi
    out = " ".join(text[lo:hi].split())
    return out.strip(" -*•·:")


def _negated(text: str, start: int, end: int) -> bool:
    """'no on-call', 'travel is not required': the words around a hit deny it."""
    before = text[max(0, start - 40):start]
    before = before[max(before.rfind("."), before.rfind("\n"), before.rfind(";")) + 1:]
    return bool(_NEG.search(before) or _NEG_AFTER.match(text[end:end + 60]))


def _number(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return _NUM_WORDS.get(word)


def on_call(text: str) -> dict[str, Any] | None:
    """On-call or after-hours support, its rotation where stated."""
    denied: dict[str, Any] | None = None
    for m in _ON_CALL.finditer(text):
        sentence = _sentence(text, m.start(), m.end())
        if _negated(text, m.start(), m.end()):
            denied = denied or {"value": False, "evidence": sentence}
            continue
        found: dict[str, Any] = {"value": True, "evidence": sentence}
        # the rotation may be said in the same sentence or the next few words after it
        window = text[max(0, m.start() - 120):m.end() + 160]
        for rx in _ROTATIONS:
            rot = rx.search(window)
            if rot:
                found["rotation"] = " ".join(rot.group(0).split())
                break
        return found
    return denied


def shifts(text: str) -> dict[str, Any] | None:
    """Shift kinds the posting names (night, evening, rotating, 12-hour, day)."""
    kinds: list[str] = []
    evidence = ""
    for kind, rx in _SHIFTS:
        m = rx.search(text)
        if m and not _negated(text, m.start(), m.end()):
            kinds.append(kind)
            evidence = evidence or _sentence(text, m.start(), m.end())
    if not kinds:
        return None
    return {"value": kinds, "evidence": evidence}


def weekends(text: str) -> dict[str, Any] | None:
    """Weekend work required (or explicitly not)."""
    m = _NO_WEEKENDS.search(text)
    if m and "weekend" in m.group(0).lower():
        return {"value": False, "evidence": _sentence(text, m.start(), m.end())}
    m = _WEEKENDS.search(text)
    if m and not _negated(text, m.start(), m.end()) and not _NO_WEEKENDS.search(text[m.start():m.end() + 5]):
        return {"value": True, "evidence": _sentence(text, m.start(), m.end())}
    return None


def travel(text: str) -> dict[str, Any] | None:
    """Travel required, with its percentage when stated."""
    m = _NO_TRAVEL.search(text)
    if m:
        return {"value": False, "evidence": _sentence(text, m.start(), m.end())}
    for m in _TRAVEL_CONTEXT.finditer(text):
        if _negated(text, m.start(), m.end()):
            continue
        sentence = _sentence(text, m.start(), m.end())
        found: dict[str, Any] = {"value": True, "evidence": sentence}
        pct = _TRAVEL_PCT.search(sentence)
        if pct and 0 < int(pct.group(1)) <= 100:
            found["percent"] = int(pct.group(1))
        return found
    return None


def sign_on_bonus(text: str) -> dict[str, Any] | None:
    """A sign-on bonus, with its amount when stated."""
    for m in _SIGN_ON.finditer(text):
        if _negated(text, m.start(), m.end()):
            continue
        sentence = _sentence(text, m.start(), m.end())
        found: dict[str, Any] = {"value": True, "evidence": sentence}
        amounts = []
        for a in _AMOUNT.finditer(sentence):
            value = float(a.group(1).replace(",", "")) * (1000 if a.group(2) else 1)
            if 100 <= value <= 100000:
                amounts.append(value)
        if amounts:
            found["amount"] = max(amounts)
        return found
    return None


def relocation(text: str) -> dict[str, Any] | None:
    """Relocation help offered (or said not to be)."""
    m = _NO_RELOCATION.search(text)
    if m:
        return {"value": False, "evidence": _sentence(text, m.start(), m.end())}
    m = _RELOCATION.search(text)
    if m and not _negated(text, m.start(), m.end()):
        return {"value": True, "evidence": _sentence(text, m.start(), m.end())}
    return None


def clearance(text: str) -> dict[str, Any] | None:
    """A security clearance or a public-trust investigation the job requires."""
    for m in _CLEARANCE.finditer(text):
        if _negated(text, m.start(), m.end()):
            continue
        level = m.group("level") or m.group("level3") or ""
        level = " ".join(level.split())
        if level.upper() == "Q" and "DOE" not in text[max(0, m.start() - 5):m.end()]:
            level = "Q"
        found: dict[str, Any] = {"value": True, "evidence": _sentence(text, m.start(), m.end())}
        if level:
            found["level"] = level.upper() if level.upper() in ("TS/SCI", "Q") else level.title()
        return found
    return None


def credential_by_date(text: str) -> dict[str, Any] | None:
    """A license or certification the hire must obtain within a time ("CIIP within 12 months of hire")."""
    for m in _BY_DATE.finditer(text):
        sentence = _sentence(text, m.start(), m.end())
        cred = _CREDENTIAL.search(sentence)
        if not cred:
            continue
        return {"value": True, "within": " ".join(m.group(0).split()), "evidence": sentence}
    return None


def workplace_evidence(text: str, workplace: str | None) -> dict[str, Any] | None:
    """The stored workplace (normalize.jobtype decides it) with the sentence that says so, if any."""
    if workplace not in _WORKPLACE_WORDS:
        return None
    m = _WORKPLACE_WORDS[workplace].search(text)
    found: dict[str, Any] = {"value": workplace}
    if m:
        found["evidence"] = _sentence(text, m.start(), m.end())
    return found


_EXTRACTORS = (("on_call", on_call), ("shift", shifts), ("weekends", weekends), ("travel", travel),
               ("sign_on_bonus", sign_on_bonus), ("relocation", relocation), ("clearance", clearance),
               ("credential_by_date", credential_by_date))
NAMES = tuple(name for name, _ in _EXTRACTORS) + ("workplace",)
# Lower-case words one of which every match of an extractor's patterns holds: a posting without
# any of them is not scanned for that condition (most postings state two or three conditions).
_KEYS = {
    "on_call": ("call", "after-hour", "after hour", "24/7", "24x7", "24 x 7", "24 hours", "pager",
                "nights and weekends"),
    "shift": ("shift", "nights (", "rotating", "variable"),
    "weekends": ("weekend",),
    "travel": ("travel",),
    "sign_on_bonus": ("bonus",),
    "relocation": ("relocat",),
    "clearance": ("clearance", "secret", "public trust", "doe", "ts/", "ts /"),
    "credential_by_date": ("within", "no later than", "by the end of", "in the first"),
}


def extract_conditions(text: str, workplace: str | None = None) -> dict[str, Any]:
    """Every condition the posting states, each a dict with ``value`` and ``evidence``; never raises."""
    body = plain(text)
    low = body.lower()
    out: dict[str, Any] = {}
    for name, fn in _EXTRACTORS:
        if not any(key in low for key in _KEYS[name]):
            continue
        try:
            found = fn(body)
        except (re.error, ValueError, IndexError):  # pragma: no cover - a pattern bug must not stop a crawl
            found = None
        if found is not None:
            out[name] = found
    place = workplace_evidence(body, workplace)
    if place is not None:
        out["workplace"] = place
    return out


def flags(conditions: dict[str, Any] | None) -> tuple[bool, bool, str | None]:
    """The indexed columns: (on_call, travel, shift kinds comma-joined) of a conditions dict."""
    conditions = conditions or {}
    on = bool((conditions.get("on_call") or {}).get("value"))
    away = bool((conditions.get("travel") or {}).get("value"))
    kinds = (conditions.get("shift") or {}).get("value") or []
    return on, away, (",".join(kinds) if kinds else None)


_LABELS = {"night": "night shift", "evening": "evening shift", "rotating": "rotating shifts",
           "12-hour": "12-hour shifts", "day": "day shift"}


def condition_lines(conditions: dict[str, Any] | None) -> list[str]:
    """One line per condition with the sentence it came from (``pacsjobs show``)."""
    lines = []
    for name, c in (conditions or {}).items():
        if not isinstance(c, dict):
            continue
        value = c.get("value")
        shown = ", ".join(value) if isinstance(value, list) else ("yes" if value is True else "no" if value is False
                                                                  else str(value))
        extra = "; ".join(f"{k} {v}" for k, v in c.items() if k not in ("value", "evidence"))
        said = f' — "{c["evidence"]}"' if c.get("evidence") else ""
        lines.append(f"{name.replace('_', ' ')}: {shown}{f' ({extra})' if extra else ''}{said}")
    return lines


def condition_words(conditions: dict[str, Any] | None) -> list[str]:
    """Short phrases for a digest card ("on-call (1 week in 4)", "travel up to 25%")."""
    c = conditions or {}
    words: list[str] = []
    oc = c.get("on_call")
    if oc:
        words.append(("on-call" + (f" ({oc['rotation']})" if oc.get("rotation") else "")) if oc.get("value")
                     else "no on-call")
    if c.get("shift"):
        words.extend(_LABELS.get(k, k) for k in c["shift"].get("value", []))
    if c.get("weekends"):
        words.append("weekends" if c["weekends"].get("value") else "no weekends")
    tr = c.get("travel")
    if tr:
        words.append((f"travel up to {tr['percent']}%" if tr.get("percent") else "travel") if tr.get("value")
                     else "no travel")
    so = c.get("sign_on_bonus")
    if so and so.get("value"):
        words.append("sign-on bonus" + (f" ${so['amount']:,.0f}" if so.get("amount") else ""))
    rl = c.get("relocation")
    if rl:
        words.append("relocation help" if rl.get("value") else "no relocation help")
    cl = c.get("clearance")
    if cl and cl.get("value"):
        words.append(f"{cl['level']} clearance" if cl.get("level") else "security clearance")
    cr = c.get("credential_by_date")
    if cr and cr.get("value"):
        words.append(f"certification required {cr['within']}")
    return words
