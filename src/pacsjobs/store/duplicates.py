"""Duplicate detection in the store: link postings of one job into groups with a canonical."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import (
    or_,
    select,
)
from sqlalchemy.orm import Session

from pacsjobs.store.models import PostingRow
from pacsjobs.store.statements import (
    _BLOCK_IN_STATES,
    _BLOCK_IN_STATES_OR_REMOTE,
    _FULL_BY_ID,
    _GROUPS_OF,
    _LIGHT_BY_ID,
    _OTHER_MEMBERS,
    _P,
    _POINT_AT,
    _SELECT_LIGHT,
    _chunks,
    _light_record,
)
from pacsjobs.understand import dedupe


class _UnionFind:
    """Groups of posting ids joined by matches (disjoint sets)."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def __contains__(self, item: int) -> bool:
        return item in self.parent

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def _close_keys(key: str, keys: Iterable[str], match: Any) -> list[str]:
    """The keys equal or close to ``key`` (exact first; fuzzy only among distinct keys)."""
    return [k for k in keys if k == key or match(key, k)]


class DuplicatesMixin:
    """``Store`` methods that link duplicates and keep each group's canonical."""

    def link_duplicates(self, ids: Sequence[int] | None = None, window_days: int = 60,
                        platforms: Mapping[str, str] | None = None,
                        max_candidates: int = 50) -> int:
        """Link the given postings (all when None) to duplicates seen within ``window_days``.

        Candidates are blocked in SQL by employer (``employer_block``) and time window, then by
        employer, title and place in memory, before descriptions are read and compared; so the
        cost follows the batch and its employers, not the table.
        Returns how many postings had their ``duplicate_of`` changed.
        """
        platforms = {**self.platforms, **(platforms or {})}
        window = timedelta(days=window_days)
        with self.session() as session, session.begin():
            if ids is None:
                targets = session.execute(_SELECT_LIGHT).all()
            else:
                targets = [r for chunk in _chunks(list(dict.fromkeys(ids)))
                           for r in session.execute(_LIGHT_BY_ID, {"ids": list(chunk)}).all()]
            if not targets:
                return 0
            light: dict[int, dedupe.Fingerprint] = {}

            def fp(row: Any) -> dedupe.Fingerprint:
                f = light.get(row.id)
                if f is None:
                    f = light[row.id] = dedupe.place_and_names(row.employer, row.title, row.workplace,
                                                               row.state, row.city, row.location_text)
                return f

            # Block by employer (first word of the normalized name) and time window, in SQL.
            blocks: dict[str, list[Any]] = defaultdict(list)
            for row in targets:
                block = dedupe.employer_block(row.employer)
                if block:
                    blocks[block].append(row)
            work: list[tuple[Any, list[Any]]] = []
            for name, rows in blocks.items():
                earliest = min(r.first_seen_at for r in rows) - window
                latest = max(r.last_seen_at for r in rows) + window
                # A candidate must match some row's place (places_match): the same state, or
                # both remote. Filtering on it in SQL keeps the read to the rows' states, not the
                # employer's whole history.
                states = sorted({fp(r).state for r in rows})
                block_query = (_BLOCK_IN_STATES_OR_REMOTE if any(fp(r).remote for r in rows)
                               else _BLOCK_IN_STATES)
                params = {"block": name, "earliest": earliest, "latest": latest, "states": states}
                # employer key -> title key -> candidates with their fingerprints
                index: dict[str, dict[str, list[tuple[Any, dedupe.Fingerprint]]]] = defaultdict(
                    lambda: defaultdict(list))
                for cand in session.execute(block_query, params).all():
                    f = fp(cand)
                    if f.title:
                        index[f.employer][f.title].append((cand, f))
                for row in rows:
                    f = fp(row)
                    low, high = row.first_seen_at - window, row.last_seen_at + window
                    cands = [cand
                             for employer in _close_keys(f.employer, index.keys(),
                                                         dedupe.employers_key_match)
                             for title in _close_keys(f.title, index[employer].keys(),
                                                      dedupe.titles_key_match)
                             for cand, fc in index[employer][title]
                             if cand.id != row.id and cand.last_seen_at >= low
                             and cand.first_seen_at <= high and dedupe.places_match(f, fc)]
                    if len(cands) > max_candidates:
                        # A board with hundreds of same-titled jobs in one city (nurses): a repost
                        # or a copy appears close in time, so the nearest in time are compared.
                        cands.sort(key=lambda c, r=row: abs((c.first_seen_at - r.first_seen_at)
                                                            .total_seconds()))
                        del cands[max_candidates:]
                    if cands:
                        work.append((row, cands))
            # Only now read descriptions, and only of postings that have a candidate.
            needed = {r.id for r, _ in work} | {c.id for _, cands in work for c in cands}
            full = self._full_fingerprints(session, needed)
            groups = _UnionFind()
            for row, cands in work:
                f = full[row.id]
                for cand in cands:
                    # Already joined through other matches: comparing cannot change the group.
                    if (groups.find(cand.id) != groups.find(row.id)
                            and dedupe.fingerprints_match(f, full[cand.id])):
                        groups.union(row.id, cand.id)
            changed = self._unlink_stale(session, targets, groups)
            changed += self._link_groups(session, groups, platforms)
        return changed

    @staticmethod
    def _full_fingerprints(session: Session, ids: set[int]) -> dict[int, dedupe.Fingerprint]:
        out: dict[int, dedupe.Fingerprint] = {}
        for chunk in _chunks(sorted(ids)):
            for row in session.execute(_FULL_BY_ID, {"ids": list(chunk)}).all():
                record = _light_record(row)
                record.description_text = row.description_text
                out[row.id] = dedupe.fingerprint(record)
        return out

    def _unlink_stale(self, session: Session, targets: Sequence[Any], groups: _UnionFind) -> int:
        """A changed posting that matches nobody of its group any more leaves the group."""
        changed = 0
        for row in targets:
            if row.duplicate_of is None:
                continue
            members = set(session.scalars(_OTHER_MEMBERS, {"head": row.duplicate_of, "id": row.id}))
            members.add(row.duplicate_of)
            mine = groups.find(row.id)
            if not any(groups.find(m) == mine for m in members if m in groups):
                session.execute(_POINT_AT, {"ids": [row.id], "head": None})
                changed += 1
        return changed

    def _link_groups(self, session: Session, groups: _UnionFind, platforms: Mapping[str, str]) -> int:
        """Merge matched postings and their existing groups; point all at one canonical."""
        if not groups.parent:
            return 0
        # Pull in the existing groups of every posting involved, so groups merge, never chain.
        rows = {r.id: r for chunk in _chunks(sorted(groups.parent))
                for r in session.execute(_LIGHT_BY_ID, {"ids": list(chunk)}).all()}
        heads = {r.duplicate_of or r.id for r in rows.values()}
        for chunk in _chunks(sorted(heads)):
            for r in session.execute(_GROUPS_OF, {"ids": list(chunk)}).all():
                rows.setdefault(r.id, r)
        for r in list(rows.values()):
            head = r.duplicate_of or r.id
            if head in rows:
                groups.union(r.id, head)
        by_root: dict[int, list[Any]] = defaultdict(list)
        for r in rows.values():
            by_root[groups.find(r.id)].append(r)
        return sum(self._point_at_canonical(session, group, platforms) for group in by_root.values())

    @staticmethod
    def _point_at_canonical(session: Session, group: Sequence[Any], platforms: Mapping[str, str]) -> int:
        """Make the best posting of the group its canonical and point the others at it."""
        if len(group) < 2:
            return 0
        canonical = min(group, key=lambda r: dedupe.canonical_key(_light_record(r), platforms))
        moves: dict[int | None, list[int]] = defaultdict(list)
        for r in group:
            want = None if r.id == canonical.id else canonical.id
            if r.duplicate_of != want:
                moves[want].append(r.id)
        for want, ids in moves.items():
            for chunk in _chunks(ids):
                session.execute(_POINT_AT, {"ids": list(chunk), "head": want})
        return sum(len(ids) for ids in moves.values())

    def _reelect(self, session: Session, closed_ids: Sequence[int]) -> None:
        """Groups whose canonical just closed get a new canonical (an open member, if any)."""
        for chunk in _chunks(list(closed_ids)):
            heads = list(session.scalars(select(PostingRow.duplicate_of).where(
                PostingRow.duplicate_of.in_(chunk)).distinct()))
            for head in heads:
                group = list(session.execute(_SELECT_LIGHT.where(
                    or_(_P.id == head, _P.duplicate_of == head))))
                self._point_at_canonical(session, group, self.platforms)
