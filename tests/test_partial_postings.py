"""A posting read from a search snippet alone (``Posting.partial``): the build marks it, ``query
--partial/--full`` and ``export`` filter on it, ``show`` and every digest card say "snippet only"."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import update

from pacsjobs.config import load_config
from pacsjobs.digest.build import build_digest
from pacsjobs.digest.render import render_email_html, render_page, render_text
from pacsjobs.profile import load_profile
from pacsjobs.record import RawPosting
from pacsjobs.sources.nationwide import MATCH_SNIPPET_REASON, SNIPPET_ONLY, SNIPPET_REASON
from pacsjobs.store import open_store
from pacsjobs.store.models import PostingRow
from pacsjobs.understand.process import build_posting
from pacsjobs.understand.vocabulary import load_vocabulary
from tests.digest_helpers import NOW, Page, add, config_dir, posting
from tests.helpers import REPO_CONFIG, json_query, write_config
from tests.test_search import CORPUS

LABEL = "snippet only"


def test_the_build_marks_a_snippet_partial_and_keeps_the_reason_line():
    vocab = load_vocabulary(REPO_CONFIG)
    raw = RawPosting(source_id="1", url="https://x.example/1", title="PACS Administrator",
                     description_html="<p>Supports the PACS and DICOM routing...</p>",
                     extra={SNIPPET_ONLY: True})
    snippet = build_posting(raw, "careeronestop", NOW, vocab)
    assert snippet.partial is True and SNIPPET_REASON in snippet.relevance_reasons
    raw.extra = {}
    full = build_posting(raw, "careeronestop", NOW, vocab)
    assert full.partial is False and SNIPPET_REASON not in full.relevance_reasons


@pytest.fixture
def run(tmp_path, db_url):
    cfg = write_config(tmp_path / "cfg", database_url=db_url)
    with open_store(db_url) as store:
        ids = dict(zip([p.source_id for p in CORPUS],
                       store.upsert_postings(CORPUS, now=NOW - timedelta(days=30)).ids, strict=True))
        with store.engine.begin() as conn:
            conn.execute(update(PostingRow).where(PostingRow.id == ids["2"]).values(partial=True))
    invoke = json_query(cfg, {v: k for k, v in ids.items()})
    invoke.ids = ids  # type: ignore[attr-defined]
    return invoke


def test_query_and_export_filter_on_partial(run):
    everything = run("query", "--format", "json")
    assert run("query", "--format", "json", "--partial") == ["2"]
    assert run("query", "--format", "json", "--full") == [sid for sid in everything if sid != "2"]
    assert run("export", "--format", "json", "--full") == [sid for sid in everything if sid != "2"]


def test_show_says_snippet_only(run):
    partial = run.raw("show", str(run.ids["2"]))
    assert partial.exit_code == 0, partial.output
    assert "snippet only: its full text could not be fetched" in partial.output
    assert json.loads(run.raw("show", str(run.ids["2"]), "--format", "json").stdout)["posting"]["partial"] is True
    full = run.raw("show", str(run.ids["1"]))
    assert full.exit_code == 0 and "snippet only" not in full.output


@pytest.fixture
def digest(tmp_path):
    cfg = load_config(config_dir(tmp_path))
    add(cfg.database_url, [posting("snippet", title="PACS Administrator Snippet", partial=True),
                           posting("full", title="PACS Administrator Full")])
    with open_store(cfg.database_url) as store, store.session() as session:
        return build_digest(session, cfg, load_profile(REPO_CONFIG, "guide"), "guide", now=NOW)


@pytest.mark.parametrize("render", [render_page, render_email_html, render_text])
def test_the_card_of_a_partial_posting_says_snippet_only(digest, render):
    out = render(digest)
    text = Page(out).all_text() if render is not render_text else " ".join(out.split())
    titles = ("PACS Administrator Snippet", "PACS Administrator Full")
    starts = sorted((text.index(t), t) for t in titles)
    cards = {t: text[at:(starts[i + 1][0] if i + 1 < len(starts) else len(text))]
             for i, (at, t) in enumerate(starts)}
    # the matcher's own reason line also says "snippet only": the label must be there besides it
    labels = {t: card.replace(MATCH_SNIPPET_REASON, "") for t, card in cards.items()}
    assert LABEL in labels["PACS Administrator Snippet"]
    assert LABEL not in labels["PACS Administrator Full"]
