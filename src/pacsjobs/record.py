"""The records that flow between layers.

``RawPosting`` is what a source parser returns: the source's own values, untouched.
``Posting`` is the normalized, classified record that the store keeps (ARCHITECTURE.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass
class RawSalary:
    """Pay exactly as a source's structured field gives it (strings stay strings)."""

    min: Any = None
    max: Any = None
    currency: str | None = None
    unit: str | None = None  # the source's own period word: "HOUR", "PA", "per-year-salary", ...
    text: str | None = None  # the source's summary text, if any ("$85K – $100K")


@dataclass
class RawPosting:
    """One posting as its source publishes it; parsers fill what the source has."""

    source_id: str
    url: str
    title: str
    employer: str | None = None
    locations: list[str] = field(default_factory=list)  # each location as the source words it
    country: str | None = None  # a separate country field, code or name, as given
    workplace: str | None = None  # "TELECOMMUTE", "remote", "Hybrid", "true" (isRemote), ...
    employment_type: str | None = None  # "FULL_TIME", "Full time", "Per Diem", ...
    salary: RawSalary | None = None
    date_posted: str | None = None  # ISO, US date, epoch or "Posted 3 Days Ago"
    valid_through: str | None = None
    description_html: str | None = None
    updated: str | None = None  # the source's change marker (update time, posted date) for re-crawls
    department: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # platform-specific leftovers worth keeping


@dataclass
class Posting:
    """The normalized posting record: the contract between parse, store, match and digest."""

    source: str
    source_id: str
    url: str
    title: str
    employer: str | None = None
    location_text: str | None = None
    city: str | None = None
    state: str | None = None  # USPS code
    postal_code: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    locations: list[dict[str, Any]] = field(default_factory=list)  # every parsed location
    workplace: str | None = None  # onsite | hybrid | remote
    employment_type: str | None = None  # full_time | part_time | contract | temporary | per_diem | internship
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None
    salary_period: str | None = None  # hour | day | week | biweekly | month | year
    salary_annual_min: float | None = None
    salary_annual_max: float | None = None
    salary_source: str | None = None  # structured | description
    salary_raw: str | None = None
    salary_flag: str | None = None  # why a found figure was not stored as pay ("implausible: ...")
    # pay by location or level, every range with where it applies: [{min, max, period, where, raw}]
    salary_ranges: list[dict[str, Any]] = field(default_factory=list)
    date_posted: date | None = None
    date_posted_raw: str | None = None
    valid_through: date | None = None
    description_html: str | None = None
    description_text: str | None = None
    department: str | None = None
    is_pacs_role: bool = False
    relevance: float = 0.0
    relevance_reasons: list[str] = field(default_factory=list)
    # only a search result's snippet was read, not the full posting (nationwide search sources)
    partial: bool = False
    skills: list[str] = field(default_factory=list)
    certifications: list[str] = field(default_factory=list)
    degree: str | None = None  # associate | bachelor | master | doctorate
    degree_or_experience: bool = False  # "or equivalent experience"
    years_experience_min: float | None = None
    is_staffing_agency: bool = False
    # the job's conditions (pacsjobs.understand.conditions): name -> {value, evidence, ...}; and the three
    # read from it that queries filter on
    conditions: dict[str, Any] = field(default_factory=dict)
    on_call: bool = False
    travel: bool = False
    shift: str | None = None  # shift kinds, comma-joined: "night,rotating"
    source_updated: str | None = None
    # bookkeeping, owned by the store
    id: int | None = None
    first_seen_at: datetime | None = None
    last_seen_at: datetime | None = None
    closed_at: datetime | None = None
    content_hash: str | None = None
    duplicate_of: int | None = None

    BOOKKEEPING = ("id", "first_seen_at", "last_seen_at", "closed_at", "content_hash", "duplicate_of")

    def to_dict(self, bookkeeping: bool = True) -> dict[str, Any]:
        """JSON-ready dict (dates as ISO strings)."""
        out = asdict(self)
        if not bookkeeping:
            for key in self.BOOKKEEPING:
                out.pop(key, None)
        for key, value in out.items():
            if isinstance(value, date | datetime):
                out[key] = value.isoformat()
        return out
