"""Employment type and workplace from the sources' own words (and, when explicit, the text)."""

from __future__ import annotations

import re

EMPLOYMENT_TYPES = ("full_time", "part_time", "contract", "temporary", "per_diem", "internship")
WORKPLACES = ("onsite", "hybrid", "remote")

# Checked in this order inside one value: the more specific kind wins
# ("Part Time Per Diem" is per diem, "Full Time Temporary" is temporary, "Contract to hire" is contract).
_TYPE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("internship", re.compile(r"\bintern(?:ship)?s?\b|\bco ?op\b|\bexternship\b")),
    ("per_diem", re.compile(r"\bper ?diem\b|\bprn\b|\bcasual\b|\bintermittent\b|\bas needed\b")),
    ("contract", re.compile(r"\bcontract(?:or|ors|ed)?\b|\bc2h\b|\b1099\b|\bconsultant\b")),
    ("temporary", re.compile(r"\btemp(?:orary)?\b|\bseasonal\b|\bfixed ?term\b|\blocum")),
    ("part_time", re.compile(r"\bpart ?time\b|\bpt\b|\bjob ?share\b|\bhalf ?time\b")),
    ("full_time", re.compile(r"\bfull ?time\b|\bft\b|\bpermanent\b|\bregular\b|\bsalaried\b")),
)

# Titles (short text): these words say the type ("PACS Administrator - PRN", "Temporary PACS
# Analyst"); "PRN" only in capitals.
TITLE_MAX = 150
_TITLE_TYPE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("per_diem", re.compile(r"(?-i:\bPRN\b)|\bper[ -]diem\b", re.IGNORECASE)),
    ("internship", re.compile(r"\binternship\b|\bintern\b", re.IGNORECASE)),
    (
        "contract",
        re.compile(
            r"\bcontract[ -]to[ -]hire\b|\bcontract\b(?! negotiat| management| admin)|\bcontractor\b",
            re.IGNORECASE,
        ),
    ),
    ("temporary", re.compile(r"\btemporary\b|\btemp\b(?![-/])", re.IGNORECASE)),
    ("part_time", re.compile(r"\bpart[ -]?time\b", re.IGNORECASE)),
    ("full_time", re.compile(r"\bfull[ -]?time\b", re.IGNORECASE)),
)
# Descriptions mention "temporary storage" and "full-time radiologists": only a labelled value
# ("Schedule: Full time") or the word describing the job itself counts there.
_JOB_NOUN = (
    r"(?:position|role|job|opportunity|employment|assignment|schedule|status|basis|contract)"
)
_LABEL = re.compile(
    r"\b(?:schedule|employment type|employment status|job type|work type|position type|"
    r"work schedule|commitment|time type|job status)\s*:\s*(?P<value>[A-Za-z][A-Za-z \-/]{1,40})",
    re.IGNORECASE,
)
_DESCRIPTION_TYPE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("per_diem", re.compile(rf"(?-i:\bPRN\b)|\bper[ -]diem {_JOB_NOUN}\b", re.IGNORECASE)),
    ("internship", re.compile(r"\b(?:this|our|the|paid|summer) internship\b", re.IGNORECASE)),
    (
        "contract",
        re.compile(
            rf"\bcontract[ -]to[ -]hire\b|\bcontract {_JOB_NOUN}\b|\b\d+[ -](?:week|month)s? contract\b",
            re.IGNORECASE,
        ),
    ),
    ("temporary", re.compile(rf"\btemp(?:orary)? {_JOB_NOUN}\b", re.IGNORECASE)),
    ("part_time", re.compile(rf"\bpart[ -]?time {_JOB_NOUN}\b", re.IGNORECASE)),
    ("full_time", re.compile(rf"\bfull[ -]?time {_JOB_NOUN}\b", re.IGNORECASE)),
)

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SEPARATORS = re.compile(r"[\s_\-]+")
_LIST_SPLIT = re.compile(r"[,;|\n]+")


def _squash(value: str) -> str:
    """Lower case with _ - / and camelCase boundaries turned into spaces ("FullTime" -> "full time")."""
    value = _CAMEL.sub(" ", value)
    return _SEPARATORS.sub(" ", value.lower()).strip()


def parse_employment_type(raw: str | None, text: str | None = None) -> str | None:
    """One of EMPLOYMENT_TYPES from the source's type field, else from ``text``.

    ``text`` may be a title (its words count) or a description (only labelled or explicit phrases).
    """
    if raw is not None and not isinstance(raw, str):
        raw = ", ".join(str(v) for v in raw) if isinstance(raw, list | tuple) else str(raw)
    if raw:
        found = _type_of_value(raw)
        if found:
            return found
    if text and isinstance(text, str):
        if len(text) > TITLE_MAX:
            label = _LABEL.search(text)
            found = _type_of_value(label.group("value")) if label else None
            if found:
                return found
        patterns = _TITLE_TYPE_PATTERNS if len(text) <= TITLE_MAX else _DESCRIPTION_TYPE_PATTERNS
        best: tuple[int, str] | None = None
        for kind, pattern in patterns:
            match = pattern.search(text)
            if match and (best is None or match.start() < best[0]):
                best = (match.start(), kind)
        if best:
            return best[1]
    return None


def _type_of_value(raw: str) -> str | None:
    """The type a structured value names; lists ("FULL_TIME, PART_TIME") give their first."""
    for item in re.split(r"[,;|/\n]+|\band\b", raw):
        squashed = _squash(item)
        if not squashed:
            continue
        for kind, pattern in _TYPE_PATTERNS:
            if pattern.search(squashed):
                return kind
    return None


_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0", "unspecified", "none", "null", "n/a", "other", ""}


def _workplace_of_value(value: str) -> str | None:
    """Workplace from one short structured value."""
    squashed = _squash(value)
    if squashed in _TRUE:
        return "remote"  # a boolean remote flag (Ashby isRemote)
    if squashed in _FALSE:
        return None
    if re.search(r"\bhybrid\b|\bpartially remote\b|\bpartial remote\b|\bflex(?:ible)?\b", squashed):
        return "hybrid"
    if re.search(r"\bnot remote\b|\bno remote\b|\bnon remote\b", squashed):
        return "onsite"
    if re.search(
        r"\bremote\b|\btelecommut|\bwork from home\b|\bwfh\b|\bvirtual\b|\btelework", squashed
    ):
        return "remote"
    if re.search(r"\bon ?site\b|\bin ?office\b|\bin person\b|\bon premises\b|\boffice\b", squashed):
        return "onsite"
    return None


# Free text: only sentences that say it outright.
_TEXT_WORKPLACE: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "hybrid",
        re.compile(
            r"\bhybrid (?:position|role|schedule|work|model|opportunity|arrangement)\b|\b(?:position|role|job) is hybrid\b|\bthis is a hybrid\b",
            re.IGNORECASE,
        ),
    ),
    (
        "remote",
        re.compile(
            r"\b(?:fully|100%|completely|entirely|full[ -]time) remote\b|\bremote (?:position|role|job|opportunity)\b|\b(?:position|role|job) is (?:fully )?remote\b|\bwork (?:fully )?remotely\b|\bwork from home (?:position|role)\b|\btelecommut(?:e|ing) (?:position|role)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "onsite",
        re.compile(
            r"\b(?:fully |100% )?on[ -]?site (?:position|role|job)\b|\b(?:position|role|job) is (?:fully |100% )?on[ -]?site\b|\bin[ -]office (?:position|role)\b|\bnot (?:a )?remote\b|\bno remote\b",
            re.IGNORECASE,
        ),
    ),
)
_NEGATION = re.compile(r"\b(?:not|no|non|never)\b[\w\s-]{0,12}$", re.IGNORECASE)
# Words every match of each pattern contains: a pattern whose words are absent is not run.
_TEXT_KEYS = {"hybrid": ("hybrid",), "remote": ("remote", "work from home", "telecommut"),
              "onsite": ("site", "office", "remote")}
# The only non-ASCII characters re.IGNORECASE matches to ASCII letters (K, i, s): with them
# present a lower-cased substring test could miss a match, so every pattern runs.
IGNORECASE_SPECIALS = re.compile("[\u212a\u0131\u017f\u0130]")


def has_ignorecase_specials(text: str) -> bool:
    """IGNORECASE_SPECIALS in ``text``; ASCII text (the usual case) is answered without a scan."""
    return not text.isascii() and IGNORECASE_SPECIALS.search(text) is not None


def parse_workplace(raw: str | None, text: str | None = None) -> str | None:
    """onsite / hybrid / remote from the source's field, else from an explicit sentence in ``text``."""
    if isinstance(raw, bool):
        return "remote" if raw else None
    if raw is not None and not isinstance(raw, str):
        raw = str(raw)
    if raw:
        for item in _LIST_SPLIT.split(raw):
            found = _workplace_of_value(item)
            if found:
                return found
    if text and isinstance(text, str):
        best: tuple[int, str] | None = None
        low = None if has_ignorecase_specials(text) else text.lower()
        for kind, pattern in _TEXT_WORKPLACE:
            if low is not None and not any(key in low for key in _TEXT_KEYS[kind]):
                continue
            for match in pattern.finditer(text):
                if kind != "onsite" and _NEGATION.search(
                    text[max(0, match.start() - 20) : match.start()]
                ):
                    continue  # "this is not a remote position"
                if best is None or match.start() < best[0]:
                    best = (match.start(), kind)
                break
        if best:
            return best[1]
    return None
