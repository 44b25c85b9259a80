"""How much of the country pacsjobs covers: open PACS openings and employers by state, the
states with none, which kinds of source find the openings, and the employers only nationwide
search has found (the boards to add).

An *opening* is a duplicate cluster (a job posted on three boards is one opening); its place and
employer are its canonical copy's, else any copy's. Kinds of source: ``employer`` (the
employer's own board), ``nationwide`` (CareerOneStop, Adzuna, aggregators) and ``federal``
(USAJOBS).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pacsjobs.normalize.location import US_STATES
from pacsjobs.sources.nationwide import platform_of, source_kind
from pacsjobs.store.models import PostingRow
from pacsjobs.understand.dedupe import normalize_employer

# The 50 states, DC and Puerto Rico: the areas the map and the table cover.
AREAS: dict[str, str] = {code: name for code, name in US_STATES.items() if code not in ("GU", "VI", "AS", "MP")}
KINDS = (("employer", "employer boards"), ("nationwide", "nationwide search"), ("federal", "federal (USAJOBS)"))


@dataclass
class AreaCount:
    code: str
    name: str
    openings: int = 0
    employers: int = 0


@dataclass
class KindShare:
    kind: str
    label: str
    openings: int  # openings found through this kind (an opening may be found by several)
    share: float  # of all open openings, 0..1


@dataclass
class Coverage:
    areas: list[AreaCount]  # every one of AREAS, in code order
    total: int  # open PACS openings
    unplaced: int  # openings in no state (remote, or no place given)
    kinds: list[KindShare]
    nationwide_only: list[tuple[str, int]] = field(default_factory=list)  # employer, openings

    @property
    def empty(self) -> list[str]:
        """Codes of the areas with no open opening."""
        return [a.code for a in self.areas if a.openings == 0]

    @property
    def covered(self) -> list[AreaCount]:
        """Areas with openings, most first."""
        return sorted((a for a in self.areas if a.openings), key=lambda a: (-a.openings, a.code))

    @property
    def most(self) -> int:
        return max((a.openings for a in self.areas), default=0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total, "unplaced": self.unplaced,
            "states": {a.code: {"name": a.name, "openings": a.openings, "employers": a.employers}
                       for a in self.areas},
            "states_without_openings": self.empty,
            "kinds": [{"kind": k.kind, "label": k.label, "openings": k.openings, "share": round(k.share, 4)}
                      for k in self.kinds],
            "employers_only_in_nationwide_search": [{"employer": e, "openings": n} for e, n in self.nationwide_only],
        }


def coverage(session: Session, platforms: Mapping[str, str] | None = None,
             registry_employers: Iterable[str] = ()) -> Coverage:
    """Coverage of the open PACS openings. ``platforms`` maps source names to platforms (the
    config's); ``registry_employers`` are the employers whose boards are configured already."""
    rows = session.execute(
        select(PostingRow.id, PostingRow.duplicate_of, PostingRow.source, PostingRow.state,
               PostingRow.employer)
        .where(PostingRow.closed_at.is_(None), PostingRow.is_pacs_role.is_(True))
    ).all()
    clusters: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        clusters[row.duplicate_of or row.id].append(row)
    return summarize(clusters.values(), platforms, registry_employers)


def summarize(clusters: Iterable[list[Any]], platforms: Mapping[str, str] | None,
              registry_employers: Iterable[str] = ()) -> Coverage:
    """The coverage of clusters of rows (``id``, ``duplicate_of``, ``source``, ``state``, ``employer``)."""
    openings: Counter[str] = Counter()
    employers: dict[str, set[str]] = defaultdict(set)
    found_by: Counter[str] = Counter()
    only_nationwide: Counter[str] = Counter()
    shown_name: dict[str, str] = {}
    elsewhere: set[str] = {normalize_employer(e) for e in registry_employers}
    total = unplaced = 0
    for members in clusters:
        total += 1
        head = sorted(members, key=lambda r: (r.duplicate_of is not None, r.id))
        state = next((r.state for r in head if r.state in AREAS), None)
        employer = next((r.employer for r in head if r.employer), None)
        key = normalize_employer(employer)
        if state is None:
            unplaced += 1
        else:
            openings[state] += 1
            if key:
                employers[state].add(key)
        kinds = {source_kind(platform_of(r.source, platforms)) for r in members}
        found_by.update(kinds)
        if key:
            if kinds == {"nationwide"}:
                only_nationwide[key] += 1
                shown_name.setdefault(key, employer)
            else:
                elsewhere.add(key)
    areas = [AreaCount(code, name, openings[code], len(employers[code])) for code, name in sorted(AREAS.items())]
    kinds_out = [KindShare(kind, label, found_by[kind], found_by[kind] / total if total else 0.0)
                 for kind, label in KINDS]
    to_add = sorted(((shown_name[k], n) for k, n in only_nationwide.items() if k not in elsewhere),
                    key=lambda item: (-item[1], item[0].lower()))
    return Coverage(areas, total, unplaced, kinds_out, to_add)
