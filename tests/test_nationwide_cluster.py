"""One opening seen through the employer's board, USAJOBS, CareerOneStop and Adzuna: one cluster,
the employer's own copy canonical, one digest row listing every source."""

from __future__ import annotations

import pytest

from pacsjobs.digest.select import select_postings
from pacsjobs.store import open_store
from tests.api_crawl_helpers import crawl, make_config, rows
from tests.test_e2e_nationwide import HARBOR, VA, adz_routes, adz_source, cos_routes, cos_source


@pytest.fixture
def keyed(monkeypatch):
    for name, value in (("CAREERONESTOP_USER_ID", "test-user-42"), ("CAREERONESTOP_TOKEN", "t"),
                        ("ADZUNA_APP_ID", "app-1234"), ("ADZUNA_APP_KEY", "k"),
                        ("USAJOBS_API_KEY", "key"), ("USAJOBS_EMAIL", "seeker@example.org")):
        monkeypatch.setenv(name, value)


def test_aggregator_copies_join_the_employer_copy_which_stays_canonical(server, tmp_path, keyed):
    page = f"{server.url}/nationwide/employer/harbor-valley-pacs-administrator.html"
    sources = [
        cos_source(server),
        adz_source(server),
        {"name": "jsonld:harbor-valley", "platform": "jsonld", "employer": "Harbor Valley Health",
         "urls": [page]},
        {"name": "usajobs", "platform": "usajobs", "base_url": server.url,
         "keywords": ["imaging informatics"]},
    ]
    config = make_config(tmp_path, sources)
    server.routes([*cos_routes(), *adz_routes(server),
                   {"path": "/api/Search", "query": {"Keyword": "imaging informatics"},
                    "file": "usajobs/search_imaging_informatics.json"}])
    # the aggregators first: the employer's copy arrives last and still becomes canonical
    for name in ("careeronestop", "adzuna", "usajobs", "jsonld:harbor-valley"):
        result = crawl(config, tmp_path, [name])[name]
        assert result.status == "succeeded", (name, result.message)

    employer = next(iter(rows(config, "jsonld:harbor-valley").values()))
    assert employer.duplicate_of is None
    assert rows(config, "careeronestop")[HARBOR].duplicate_of == employer.id
    assert rows(config, "adzuna")["4921877301"].duplicate_of == employer.id
    # a federal job: USAJOBS is the agency's own board, CareerOneStop's copy joins it
    federal = rows(config, "usajobs")["854410200"]
    assert federal.duplicate_of is None and rows(config, "careeronestop")[VA].duplicate_of == federal.id

    with open_store(config.database_url) as store, store.session() as session:
        selection = select_postings(session, "guide", 0.0)
    harbor_rows = [p for p in selection.postings if p.employer and "Harbor" in p.employer]
    assert [p.id for p in harbor_rows] == [employer.id]  # one row in the digest
    assert sorted(a.source for a in selection.also_posted[employer.id]) == ["adzuna", "careeronestop"]
    assert [a.source for a in selection.also_posted[federal.id]] == ["careeronestop"]


def test_nationwide_search_is_never_canonical_when_another_copy_exists():
    from datetime import datetime

    from pacsjobs.record import Posting
    from pacsjobs.understand.dedupe import canonical_key

    def copy(source: str, day: int, pid: int) -> Posting:
        return Posting(source=source, source_id=str(pid), url="https://example.org/j", title="PACS Administrator",
                       id=pid, first_seen_at=datetime(2026, 11, day))

    platforms = {"careeronestop": "careeronestop", "adzuna": "adzuna", "phenom:acme": "phenom"}
    # seen first through the search APIs; a board of a platform dedupe does not know yet still wins
    group = [copy("careeronestop", 1, 1), copy("adzuna", 2, 2), copy("phenom:acme", 9, 3)]
    assert min(group, key=lambda p: canonical_key(p, platforms)).source == "phenom:acme"
    assert min(group[:2], key=lambda p: canonical_key(p, platforms)).source == "careeronestop"
    federal = [copy("careeronestop", 1, 1), copy("usajobs", 5, 4)]
    assert min(federal, key=lambda p: canonical_key(p, platforms)).source == "usajobs"
    # without the config's mapping the source names say it too
    assert min(group, key=lambda p: canonical_key(p, None)).source == "phenom:acme"
