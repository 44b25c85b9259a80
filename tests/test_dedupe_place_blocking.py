"""Duplicate linking reads candidates by employer block and place in SQL: what places_match allows."""

from __future__ import annotations

import pytest

from pacsjobs.store import open_store
from tests.test_store import make


@pytest.fixture
def store(db_url):
    with open_store(db_url) as st:
        yield st


def _group(store, posting_id):
    return {p.source_id for p in store.duplicates_of(posting_id)}


def test_same_state_in_other_case_and_remote_copies_are_linked(store):
    first = store.upsert_postings([
        make("1", state="oh"),
        make("r1", city=None, state="WA", location_text="Remote", workplace="remote"),
        make("tx", city="Austin", state="TX", location_text="Austin, TX"),
    ])
    store.link_duplicates(first.changed_ids)
    # A later batch from another board: the same jobs (the first wrote its state in lower case).
    second = store.upsert_postings([
        make("2", source="indeed:acme", state="OH"),
        make("r2", source="indeed:acme", city=None, state="CA", location_text="Remote",
             workplace="REMOTE"),
    ])
    store.link_duplicates(second.changed_ids)
    one, remote, texas = first.ids
    two, remote_two = second.ids
    assert _group(store, two) == {"1", "2"}
    assert _group(store, remote_two) == {"r1", "r2"}
    assert _group(store, texas) == set()  # same employer and title, another place: not a copy
