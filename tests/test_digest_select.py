"""Which postings a digest selects: open, relevant, US, canonical, not yet sent; --since."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import event

from pacsjobs.digest.select import count_closed_since, last_digest_at, select_postings
from pacsjobs.store import open_store
from pacsjobs.store.models import DigestRun, DigestSent
from tests.digest_helpers import NOW, add, posting, set_fields


def _select(url, profile="guide", **kw):
    with open_store(url) as store, store.session() as session:
        return select_postings(session, profile, 0.5, **kw)


def _mark_sent(url, profile, ids):
    with open_store(url) as store, store.session() as session, session.begin():
        session.add_all(DigestSent(profile=profile, posting_id=i, sent_at=NOW) for i in ids)


def test_selection_keeps_only_open_relevant_us_canonical_unsent(db_url):
    ids = dict(zip(
        ["ok", "closed", "dupe", "canada", "no_country_tx", "no_place", "not_pacs", "low_rel",
         "sent", "sent_other_profile", "remote_us"],
        add(db_url, [
            posting("ok"),
            posting("closed"),
            posting("dupe", source="greenhouse:mercy"),
            posting("canada", city="Toronto", state=None, country="CA", location_text="Toronto, ON"),
            posting("no_country_tx", country=None),
            posting("no_place", country=None, state=None, city=None, location_text=None),
            posting("not_pacs", is_pacs_role=False, relevance=0.9),
            posting("low_rel", relevance=0.3),
            posting("sent"),
            posting("sent_other_profile"),
            posting("remote_us", city=None, state=None, workplace="remote"),
        ]), strict=True))
    set_fields(db_url, ids["closed"], closed_at=NOW)
    set_fields(db_url, ids["dupe"], duplicate_of=ids["ok"])
    _mark_sent(db_url, "guide", [ids["sent"]])
    _mark_sent(db_url, "other", [ids["sent_other_profile"]])

    chosen = {p.id for p in _select(db_url).postings}
    assert chosen == {ids["ok"], ids["no_country_tx"], ids["sent_other_profile"], ids["remote_us"]}

    # a profile that takes non-US postings also gets Canada and the posting without a place
    wide = {p.id for p in _select(db_url, include_non_us=True).postings}
    assert wide == chosen | {ids["canada"], ids["no_place"]}

    # what was sent to one profile is still new for another
    other = {p.id for p in _select(db_url, profile="other").postings}
    assert ids["sent"] in other and ids["sent_other_profile"] not in other


def test_since_takes_everything_first_seen_since_sent_or_not(sqlite_url):
    old = add(sqlite_url, [posting("old")], now=datetime(2026, 11, 1, 9, 0))
    recent = add(sqlite_url, [posting("recent-sent"), posting("recent")], now=datetime(2026, 11, 20, 9, 0))
    _mark_sent(sqlite_url, "guide", [recent[0]])

    assert {p.id for p in _select(sqlite_url).postings} == {old[0], recent[1]}
    assert {p.id for p in _select(sqlite_url, since=date(2026, 11, 20)).postings} == set(recent)
    assert {p.id for p in _select(sqlite_url, since=date(2026, 11, 1)).postings} == {old[0], *recent}
    assert _select(sqlite_url, since=date(2026, 11, 21)).postings == []


def test_newest_first_and_limit(sqlite_url):
    for day in (3, 1, 2):
        add(sqlite_url, [posting(f"d{day}")], now=datetime(2026, 11, day, 8, 0))
    got = _select(sqlite_url).postings
    assert [p.source_id for p in got] == ["d3", "d2", "d1"]
    assert [p.source_id for p in _select(sqlite_url, limit=2).postings] == ["d3", "d2"]


def test_duplicates_come_in_one_extra_query(sqlite_url):
    ids = add(sqlite_url, [posting(f"p{i}") for i in range(6)]
              + [posting("dup-a", source="greenhouse:mercy", url="https://boards.example.com/a"),
                 posting("dup-b", source="usajobs", url="https://www.usajobs.example.gov/b"),
                 posting("dup-closed", source="lever:mercy"),
                 posting("dup-c", source="workday:mercy")])
    canon = ids[:6]
    set_fields(sqlite_url, ids[6], duplicate_of=canon[0])
    set_fields(sqlite_url, ids[7], duplicate_of=canon[0])
    set_fields(sqlite_url, ids[8], duplicate_of=canon[0], closed_at=NOW)
    set_fields(sqlite_url, ids[9], duplicate_of=canon[3])

    statements: list[str] = []
    with open_store(sqlite_url) as store:
        event.listen(store.engine, "before_cursor_execute",
                     lambda conn, cur, stmt, *a: statements.append(stmt))
        with store.session() as session:
            sel = select_postings(session, "guide", 0.5)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 2, selects  # the postings, then all their duplicates at once
    assert {p.id for p in sel.postings} == set(canon)
    assert [(a.source, a.url) for a in sel.also_posted[canon[0]]] == [
        ("greenhouse:mercy", "https://boards.example.com/a"),
        ("usajobs", "https://www.usajobs.example.gov/b"),
    ]  # the closed duplicate is left out: its link is dead
    assert [a.source for a in sel.also_posted[canon[3]]] == ["workday:mercy"]
    assert canon[1] not in sel.also_posted


def test_last_digest_and_closed_since(sqlite_url):
    ids = add(sqlite_url, [posting("a"), posting("b"), posting("c", relevance=0.1), posting("d")])
    with open_store(sqlite_url) as store, store.session() as session:
        assert last_digest_at(session, "guide") is None
    with open_store(sqlite_url) as store, store.session() as session, session.begin():
        session.add(DigestRun(profile="guide", created_at=NOW, status="sent", count=2))
        session.add(DigestRun(profile="guide", created_at=NOW + timedelta(hours=5), status="failed", count=2))
        session.add(DigestRun(profile="other", created_at=NOW + timedelta(hours=6), status="sent", count=2))
    set_fields(sqlite_url, ids[0], closed_at=NOW + timedelta(hours=1))  # counts
    set_fields(sqlite_url, ids[1], closed_at=NOW - timedelta(hours=1))  # closed before the digest
    set_fields(sqlite_url, ids[2], closed_at=NOW + timedelta(hours=1))  # not relevant
    with open_store(sqlite_url) as store, store.session() as session:
        last = last_digest_at(session, "guide")
        assert last == NOW  # a failed send is not a digest the reader got
        assert count_closed_since(session, last, 0.5) == 1
