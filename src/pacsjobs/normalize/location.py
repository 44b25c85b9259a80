"""Location text to city / USPS state / postal code / ISO country / workplace."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pacsjobs.normalize.jobtype import parse_workplace

US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
    "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
    "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire",
    "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "DC": "District of Columbia",
    "PR": "Puerto Rico", "GU": "Guam", "VI": "U.S. Virgin Islands", "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
}  # fmt: skip
_STATE_NAMES: dict[str, str] = {name.lower(): code for code, name in US_STATES.items()}
_STATE_NAMES.update(
    {
        "washington dc": "DC", "washington d.c.": "DC", "d.c.": "DC", "virgin islands": "VI",
        "us virgin islands": "VI", "united states virgin islands": "VI", "n. carolina": "NC",
        "s. carolina": "SC", "n. dakota": "ND", "s. dakota": "SD", "w. virginia": "WV",
        "mass.": "MA", "calif.": "CA", "penn.": "PA", "fla.": "FL", "wash.": "WA", "ill.": "IL",
    }
)  # fmt: skip
# Territories are US for our purposes (USPS codes), but ISO gives them their own codes too.
_TERRITORY_ISO = {"PR": "PR", "GU": "GU", "VI": "VI", "AS": "AS", "MP": "MP"}

CA_PROVINCES = {
    "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "NT": "Northwest Territories",
    "NU": "Nunavut", "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec",
    "SK": "Saskatchewan", "YT": "Yukon",
}  # fmt: skip
_PROVINCE_NAMES = {name.lower(): code for code, name in CA_PROVINCES.items()}

COUNTRIES: dict[str, str] = {
    "united states": "US", "united states of america": "US", "usa": "US", "u.s.a.": "US",
    "u.s.": "US", "us": "US", "america": "US", "canada": "CA", "mexico": "MX",
    "united kingdom": "GB", "uk": "GB", "great britain": "GB", "england": "GB", "scotland": "GB",
    "ireland": "IE", "israel": "IL", "india": "IN", "germany": "DE", "france": "FR",
    "netherlands": "NL", "the netherlands": "NL", "belgium": "BE", "spain": "ES", "italy": "IT",
    "portugal": "PT", "switzerland": "CH", "austria": "AT", "sweden": "SE", "norway": "NO",
    "denmark": "DK", "finland": "FI", "poland": "PL", "czech republic": "CZ", "czechia": "CZ",
    "hungary": "HU", "romania": "RO", "greece": "GR", "turkey": "TR", "australia": "AU",
    "new zealand": "NZ", "japan": "JP", "china": "CN", "singapore": "SG", "philippines": "PH",
    "brazil": "BR", "argentina": "AR", "colombia": "CO", "chile": "CL", "costa rica": "CR",
    "south africa": "ZA", "united arab emirates": "AE", "uae": "AE", "saudi arabia": "SA",
    "south korea": "KR", "korea": "KR", "taiwan": "TW", "hong kong": "HK", "vietnam": "VN",
    "malaysia": "MY", "thailand": "TH", "indonesia": "ID", "pakistan": "PK", "egypt": "EG",
    "ukraine": "UA", "serbia": "RS", "bulgaria": "BG", "croatia": "HR", "lithuania": "LT",
    "estonia": "EE", "latvia": "LV", "slovakia": "SK", "slovenia": "SI", "luxembourg": "LU",
    "qatar": "QA", "kenya": "KE", "nigeria": "NG", "peru": "PE", "uruguay": "UY",
}  # fmt: skip
_ISO_CODES = set(COUNTRIES.values()) | {"PR", "GU", "VI", "AS", "MP"}
# Alpha-3 codes some sources use (Workday, USAJOBS).
_ALPHA3 = {"USA": "US", "CAN": "CA", "MEX": "MX", "GBR": "GB", "ISR": "IL", "IND": "IN",
           "DEU": "DE", "FRA": "FR", "NLD": "NL", "IRL": "IE", "AUS": "AU", "PRI": "PR"}  # fmt: skip

_WORKPLACE_WORDS = re.compile(
    r"\b(?:fully\s+|100%\s+)?(?:remote|telecommute|telework|work\s+from\s+home|wfh|virtual|hybrid|on[-\s]?site|in[-\s]office)\b",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(
    r"^(?:\d+\s+locations?|multiple\s+locations?|various\s+locations?|several\s+locations?|"
    r"many\s+locations?|locations?\s+vary|multiple|various|nationwide|anywhere|tbd|n/?a|none|"
    r"see\s+(?:job\s+)?description)$",
    re.IGNORECASE,
)
# "US-OH-Cleveland" (iCIMS, Workday) and "USA.VA.Reston" (Workday): country, state, city.
_DASH_CODES = re.compile(
    r"^(?P<c>[A-Za-z]{2,3})(?P<sep>[-.])(?P<s>[A-Za-z]{2})(?:(?P=sep)(?P<city>[^-.].*))?$")
_ZIP = re.compile(r"(?<![\d-])(?P<zip>\d{5})(?:-\d{4})?(?![\d-])")
_CITY_ST_ZIP = re.compile(r"^(?P<city>[A-Za-z .'-]+?)\s+(?P<st>[A-Z]{2})(?:\s+\d{5}(?:-\d{4})?)?$")

# Patterns used on every location, compiled once.
_SPACES = re.compile(r"\s+")
_EMPTY_PARENS = re.compile(r"\(\s*\)")
_EDGE_JUNK = re.compile(r"^\W+|[\s\-–—:,/|(]+$")
_DOUBLE_DASH = re.compile(r"\s*[-–—:]\s*[-–—:]\s*")
_COUNTY_END = re.compile(r"\b(?:county|parish|borough)$", re.IGNORECASE)
_DASH_SPLIT = re.compile(r"\s+[-–—:]\s+")
_LEADING_IN = re.compile(r"^(?:based\s+in|in|within|from)\s+", re.IGNORECASE)
_SEGMENT_SPLIT = re.compile(r"\s+[-–—|]\s+")

@dataclass
class Location:
    """One place a posting is for; ``text`` is the source's own words."""

    text: str | None = None
    city: str | None = None
    state: str | None = None  # USPS code
    postal_code: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    workplace: str | None = None  # onsite | hybrid | remote

    def to_dict(self) -> dict[str, Any]:
        """Plain dict of the fields."""
        # The fields are strings or None: no deep copy (dataclasses.asdict) needed.
        return {"text": self.text, "city": self.city, "state": self.state,
                "postal_code": self.postal_code, "country": self.country, "workplace": self.workplace}


def country_code(value: str | None) -> str | None:
    """ISO alpha-2 from a code ("US", "us", "USA") or a name ("United States")."""
    if not value or not isinstance(value, str):
        return None
    text = _SPACES.sub(" ", value).strip().strip(".,").strip()
    if not text:
        return None
    upper = text.upper()
    if len(upper) == 2 and upper.isalpha() and upper in _ISO_CODES:
        return upper
    if upper in _ALPHA3:
        return _ALPHA3[upper]
    return COUNTRIES.get(text.lower()) or COUNTRIES.get(text.lower().rstrip("."))


def state_code(token: str | None, *, allow_name_only: bool = True) -> str | None:
    """USPS code from "OH", "oh", "Ohio", "District of Columbia"."""
    if not token:
        return None
    text = _SPACES.sub(" ", token).strip().strip(",")
    if len(text) == 2 and text.isalpha() and text.upper() in US_STATES:
        return text.upper()
    if text.upper().replace(".", "") in US_STATES and len(text.replace(".", "")) == 2:
        return text.upper().replace(".", "")  # "O.H." is rare but "D.C." is not
    if allow_name_only:
        return _STATE_NAMES.get(text.lower())
    return None


def _province(token: str) -> str | None:
    """Canadian province code from a code or a name."""
    text = token.strip()
    if len(text) == 2 and text.upper() in CA_PROVINCES:
        return text.upper()
    return _PROVINCE_NAMES.get(text.lower())


def _clean(text: str) -> str:
    """Fold whitespace and strip stray separators."""
    return _SPACES.sub(" ", text).strip(" \t,;|-–—/()")


def _strip_workplace(text: str) -> tuple[str, str | None]:
    """Remove 'Remote' / 'Hybrid' / 'On-site' words; return the rest and the workplace they say."""
    workplace = None
    for match in _WORKPLACE_WORDS.finditer(text):
        found = parse_workplace(match.group(0))
        if found and (workplace is None or found == "hybrid"):
            workplace = found
    if workplace is None:
        return text, None
    rest = _WORKPLACE_WORDS.sub(" ", text)
    rest = _EMPTY_PARENS.sub(" ", rest)
    rest = _EDGE_JUNK.sub("", rest.strip())
    rest = _DOUBLE_DASH.sub(" - ", rest)
    return _clean(rest), workplace


def _parse_tokens(tokens: list[str], loc: Location) -> None:
    """Fill postal code / city / state / country from comma-separated tokens."""
    tokens = [t for t in (_clean(t) for t in tokens) if t]
    if not tokens:
        return
    # Postal code at the end of a token ("OH 44195") or alone.
    for index in range(len(tokens) - 1, -1, -1):
        zip_match = _ZIP.search(tokens[index])
        if zip_match and (zip_match.end() == len(tokens[index]) or index == len(tokens) - 1):
            loc.postal_code = zip_match.group("zip")
            tokens[index] = _clean(
                tokens[index][: zip_match.start()] + tokens[index][zip_match.end() :]
            )
            if not tokens[index]:
                tokens.pop(index)
            break
    if not tokens:
        return
    last = tokens[-1]
    # A two-letter last token is a state before it is a country ("Springfield, Cook County, IL").
    last_is_state = len(last) == 2 and last.upper() in US_STATES
    last_country = None if last_is_state else country_code(last)
    if last_country and (len(last) > 2 or len(tokens) > 1 or last.isupper()):
        loc.country = last_country
        tokens = tokens[:-1]
    elif len(tokens) >= 2:
        first_country = country_code(tokens[0]) if len(tokens[0]) > 2 else None
        if first_country and first_country != "US":
            loc.country = first_country  # Workday writes country first: "Israel, Tel Aviv"
            loc.city = _city(tokens[-1])
            return
    if not tokens:
        return
    if loc.country and loc.country not in ("US", *_TERRITORY_ISO):
        # Abroad the first token is the city; what follows is a region, not a USPS state.
        loc.city = _city(tokens[0]) if country_code(tokens[0]) is None else None
        return
    if len(tokens) == 1:
        only = tokens[0]
        code = state_code(only) if only.lower() != "washington" else None
        if code and (len(only) > 2 or only.isupper()):
            loc.state = code
        elif _province(only) and len(only) > 2:
            loc.country = loc.country or "CA"
        else:
            match = _CITY_ST_ZIP.match(only)
            if match and match.group("st") in US_STATES:
                loc.city, loc.state = _clean(match.group("city")), match.group("st")
        return
    code = state_code(tokens[-1])
    if code:
        loc.state = code
        city_token = tokens[-2]
        if (
            _COUNTY_END.search(city_token)
            and len(tokens) >= 3
        ):
            city_token = tokens[-3]  # "Springfield, Sangamon County, IL"
        loc.city = _city(city_token)
        return
    province = _province(tokens[-1])
    if province and loc.country is None:
        loc.country = "CA"
        loc.city = _city(tokens[-2])


def _city(token: str) -> str | None:
    """A city name from a token, dropping a facility prefix ("Main Campus - Cleveland")."""
    parts = _DASH_SPLIT.split(token)
    city = _clean(parts[-1])
    if not city or any(ch.isdigit() for ch in city) or len(city) > 60:
        return None
    return city


def parse_location(text: str | None, country: str | None = None) -> Location:
    """Parse one location string; ``country`` is a separate country field (code or name)."""
    loc = Location()
    default_country = country_code(country) if isinstance(country, str) else None
    if not isinstance(text, str):
        loc.country = default_country
        return loc
    original = _SPACES.sub(" ", text).strip()
    if not original:
        loc.country = default_country
        return loc
    loc.text = original[:500]
    if len(original) > 500:
        loc.country = default_country
        return loc
    rest, loc.workplace = _strip_workplace(original)
    rest = _LEADING_IN.sub("", rest)
    if not rest or _PLACEHOLDER.match(rest):
        loc.country = default_country
        return loc
    dash = _DASH_CODES.match(rest)
    if dash and country_code(dash.group("c")) and dash.group("s").upper() in US_STATES:
        # Workday / iCIMS style "US-OH-Cleveland".
        loc.country = country_code(dash.group("c"))
        loc.state = dash.group("s").upper()
        loc.city = _city(dash.group("city")) if dash.group("city") else None
        return loc
    whole_country = country_code(rest)
    if whole_country and (len(rest) > 2 or rest.isupper()):
        loc.country = whole_country
        return loc
    # Facility prefixes end at " - " ("Main Campus - Cleveland, OH 44195"): the last segment that
    # names a state is the place.
    segments = [s for s in _SEGMENT_SPLIT.split(rest) if s.strip()]
    chosen = segments[-1] if segments else rest
    for segment in reversed(segments):
        probe = Location()
        _parse_tokens(segment.split(","), probe)
        if probe.state or probe.country:
            chosen = segment
            break
    _parse_tokens(chosen.split(","), loc)
    if loc.country is None:
        if loc.state:
            loc.country = (
                "US" if default_country in (None, "US", *_TERRITORY_ISO) else default_country
            )
        else:
            loc.country = default_country
    if loc.state and loc.country not in ("US", *_TERRITORY_ISO):
        # A USPS-looking code in a non-US place is a region ("Cordoba, CO, Argentina"): not a state.
        loc.state = None
    return loc


def is_us(loc: Location) -> bool | None:
    """True for the US (and its territories), False for another country, None when unknown."""
    if loc.country:
        return loc.country in ("US", *_TERRITORY_ISO)
    if loc.state:
        return True
    return None


_SPLIT = re.compile(r"\s*;\s*|\s+\|\s+|\s*\|\s*|\n+")
_AND_OR_SLASH = re.compile(r"\s+(?:and|&)\s+|\s*/\s*")


def _split_one(text: str) -> list[str]:
    """Split a multi-location string into one string per place."""
    parts = [p.strip() for p in _SPLIT.split(text) if p and p.strip()]
    out: list[str] = []
    for part in parts:
        pieces = [p.strip() for p in _AND_OR_SLASH.split(part) if p and p.strip()]
        # Only split on "and" / "/" when every piece is a place by itself ("Cleveland, OH and
        # Akron, OH"), not "Imaging and Radiology Center" or "Remote/Hybrid".
        if len(pieces) > 1 and all(
            (lambda p: p.state is not None or (p.country is not None and p.city is not None))(
                parse_location(p)
            )
            for p in pieces
        ):
            out.extend(pieces)
        else:
            out.append(part)
    return out


def _is_placeholder(loc: Location) -> bool:
    """A location entry that names no place ("2 Locations", "Multiple Locations")."""
    if loc.city or loc.state or loc.postal_code or not loc.text:
        return False
    rest, _ = _strip_workplace(loc.text)
    return bool(_PLACEHOLDER.match(rest)) if rest else False


def parse_locations(
    texts: list[str] | None, country: str | None = None, workplace_hint: str | None = None
) -> list[Location]:
    """Parse every location of a posting (splitting multi-location strings); the first is primary."""
    if isinstance(texts, str):
        texts = [texts]
    hint = parse_workplace(workplace_hint) if workplace_hint is not None else None
    pieces: list[str] = []
    for text in texts or []:
        if isinstance(text, str) and text.strip():
            pieces.extend(_split_one(text[:5000]))
    locations: list[Location] = []
    seen: set[tuple[Any, ...]] = set()
    for piece in pieces[:200]:
        loc = parse_location(piece, country)
        if hint and loc.workplace is None:
            loc.workplace = hint
        key = (
            ((loc.city or "").lower(), loc.state, loc.country, loc.postal_code, loc.workplace)
            if (loc.city or loc.state or loc.postal_code)
            else ((loc.text or "").lower(), loc.country, loc.workplace)
        )
        if key in seen:
            continue
        seen.add(key)
        locations.append(loc)
    # A placeholder ("2 Locations") is noise when the real places are listed beside it.
    placeholders = [loc for loc in locations if _is_placeholder(loc)]
    if placeholders and len(placeholders) < len(locations):
        locations = [loc for loc in locations if not _is_placeholder(loc)]
    if not locations and (hint or country_code(country)):
        locations = [Location(country=country_code(country), workplace=hint)]
    return locations
