"""Application marks: the CLI, show and query, and what the digest does with them."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from pacsjobs.cli import main
from pacsjobs.config import load_config
from pacsjobs.digest.build import build_digest
from pacsjobs.digest.render import render_email_html, render_page, render_text, subject
from pacsjobs.digest.run import run_digest
from pacsjobs.profile import load_profile
from pacsjobs.store import open_store
from pacsjobs.store.marks import set_status
from tests.digest_helpers import NOW, Page, add, config_dir, posting, set_fields
from tests.helpers import REPO_CONFIG

PAY = dict(salary_min=85000.0, salary_max=95000.0, salary_period="year", salary_currency="USD",
           salary_annual_min=85000.0, salary_annual_max=95000.0, salary_source="structured")


@pytest.fixture
def cfg(tmp_path):
    return load_config(config_dir(tmp_path))


def _cli(cfg, *args: str):
    return CliRunner().invoke(main, ["--config", str(cfg.dir), *args])


def _digest(cfg, now=NOW):
    with open_store(cfg.database_url) as store, store.session() as session:
        return build_digest(session, cfg, load_profile(REPO_CONFIG, "guide"), "guide", now=now)


def test_mark_show_and_query(cfg):
    ids = add(cfg.database_url, [posting("a", **PAY), posting("b", title="PACS Analyst")])
    result = _cli(cfg, "mark", str(ids[0]), "applied")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"#{ids[0]} (guide): applied on 20")
    result = _cli(cfg, "mark", str(ids[0]), "note", "phone screen  Tuesday")
    assert result.exit_code == 0
    assert "; note (20" in result.stdout and result.stdout.endswith("): phone screen Tuesday\n")

    shown = _cli(cfg, "show", str(ids[0]))
    assert "your mark (guide): applied on " in shown.stdout and "phone screen Tuesday" in shown.stdout
    data = json.loads(_cli(cfg, "show", str(ids[0]), "--format", "json").stdout)
    assert data["mark"]["status"] == "applied" and data["mark"]["note"] == "phone screen Tuesday"
    assert json.loads(_cli(cfg, "show", str(ids[1]), "--format", "json").stdout)["mark"] is None

    rows = json.loads(_cli(cfg, "query", "--status", "applied", "--format", "json").stdout)
    assert [r["id"] for r in rows] == [ids[0]]
    assert rows[0]["mark"].startswith("applied on ")
    assert "mark" in _cli(cfg, "query").stdout  # the table grows a mark column
    assert _cli(cfg, "query", "--status", "ignored").stderr == "no postings match\n"
    # another profile's marks are its own
    assert _cli(cfg, "query", "--status", "applied", "--profile", "remote-ohio").stderr == "no postings match\n"

    cleared = _cli(cfg, "mark", str(ids[0]), "clear")
    assert cleared.stdout.endswith("note (" + cleared.stdout.split("note (")[1])  # the note stays
    assert "applied" not in cleared.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["999", "applied"], "error: no posting with id 999\n"),
    (["1", "applyed"], "error: unknown mark 'applyed' (use applied, interested, ignored, note, clear)\n"),
    (["1", "note"], 'error: a note needs its text: pacsjobs mark ID note "text"\n'),
    (["1", "ignored", "why"], "error: unexpected text after 'ignored' (only a note takes text)\n"),
    (["1", "applied", "--profile", "nobody"], "error: unknown profile 'nobody' (known: guide, remote-ohio)\n"),
])
def test_bad_marks_are_one_line(cfg, args, message):
    add(cfg.database_url, [posting("a")])
    result = _cli(cfg, "mark", *args)
    assert (result.exit_code, result.stderr) == (1, message)
    assert _cli(cfg, "query", "--status", "bad").stderr == (
        "error: unknown status 'bad' (use applied, interested, ignored)\n")


def test_ignored_postings_and_their_duplicates_never_come_back(cfg):
    ids = add(cfg.database_url, [
        posting("keep"), posting("ignored", title="PACS Analyst"),
        posting("canonical", title="Imaging Informatics Analyst"),
        posting("copy", source="greenhouse:mercy", title="Imaging Informatics Analyst"),
    ])
    set_fields(cfg.database_url, ids[3], duplicate_of=ids[2])
    with open_store(cfg.database_url) as store:
        set_status(store, ids[1], "guide", "ignored", NOW)
        set_status(store, ids[3], "guide", "ignored", NOW)  # the copy: its canonical goes too
    assert [r.posting.source_id for r in _digest(cfg).ranked] == ["keep"]
    # another profile still sees them
    with open_store(cfg.database_url) as store, store.session() as session:
        other = build_digest(session, cfg, load_profile(REPO_CONFIG, "remote-ohio"), "remote-ohio", now=NOW)
    assert {r.posting.source_id for r in other.ranked} == {"keep", "ignored", "canonical"}
    with open_store(cfg.database_url) as store:  # un-ignored, it comes back
        set_status(store, ids[1], "guide", None, NOW)
    assert {r.posting.source_id for r in _digest(cfg).ranked} == {"keep", "ignored"}


def test_applications_that_change_come_back_once(cfg, tmp_path):
    ids = add(cfg.database_url, [posting("job", **PAY), posting("quiet", **PAY), posting("other")])
    with open_store(cfg.database_url) as store:
        set_status(store, ids[0], "guide", "applied", NOW)
        set_status(store, ids[1], "guide", "applied", NOW)
    assert _digest(cfg).applications == []  # nothing changed yet

    later = NOW + timedelta(days=2)
    set_fields(cfg.database_url, ids[0], salary_max=105000.0, salary_annual_max=105000.0,
               closed_at=later)
    copy = add(cfg.database_url, [posting("job-again", source="lever:mercy")], now=later)[0]
    set_fields(cfg.database_url, copy, duplicate_of=ids[0])
    digest = _digest(cfg, now=later + timedelta(hours=1))
    assert [(a.posting_id, a.changes) for a in digest.applications] == [(ids[0], [
        "closed on Nov 30, 2026",
        "pay changed from $85,000–$95,000 a year to $85,000–$105,000 a year",
        "reposted on lever:mercy (first seen Nov 30)",
    ])]
    for text in (Page(render_page(digest)).all_text(), Page(render_email_html(digest)).all_text(),
                 " ".join(render_text(digest).split())):
        assert "Your applications" in text and "pay changed from $85,000–$95,000 a year" in text
    assert subject(digest).endswith("; 1 of your applications changed — pacsjobs")

    run_digest(cfg, "guide", html_path=tmp_path / "d.html", now=later + timedelta(hours=1))
    assert _digest(cfg, now=later + timedelta(hours=2)).applications == []  # told once


def test_dry_run_does_not_mark_changes_reported(cfg, tmp_path):
    ids = add(cfg.database_url, [posting("job", **PAY)])
    with open_store(cfg.database_url) as store:
        set_status(store, ids[0], "guide", "applied", NOW)
    set_fields(cfg.database_url, ids[0], closed_at=NOW + timedelta(hours=1))
    run_digest(cfg, "guide", html_path=tmp_path / "d.html", dry_run=True, now=NOW + timedelta(hours=2))
    assert len(_digest(cfg, now=NOW + timedelta(hours=3)).applications) == 1


def test_cards_offer_copyable_mark_commands(cfg):
    ids = add(cfg.database_url, [posting("a", **PAY), posting("b", title="PACS Analyst")])
    with open_store(cfg.database_url) as store:
        set_status(store, ids[1], "guide", "interested", NOW)
    page = render_page(_digest(cfg))
    for word in ("applied", "interested", "ignored"):
        assert f"<code>pacsjobs mark {ids[0]} {word}</code>" in page
    assert f"pacsjobs mark {ids[1]} " not in page  # already marked: its mark is shown instead
    assert "Your mark: interested on " in Page(page).all_text()


def test_migration_file_is_revision_0004():
    path = Path(__file__).resolve().parent.parent / "src/pacsjobs/store/migrations/versions/0004_posting_marks.py"
    text = path.read_text()
    assert 'revision = "0004"' in text and 'down_revision = "0003"' in text


def test_mark_queries_on_both_databases(db_url):
    from pacsjobs.digest.select import select_postings
    from pacsjobs.store.marks import application_changes, marks_for

    ids = add(db_url, [posting("a", **PAY), posting("b"), posting("c"), posting("c-copy", source="lever:x")])
    set_fields(db_url, ids[3], duplicate_of=ids[2])
    with open_store(db_url) as store:
        set_status(store, ids[0], "guide", "applied", NOW)
        set_status(store, ids[3], "guide", "ignored", NOW)
    set_fields(db_url, ids[0], closed_at=NOW + timedelta(days=1))
    with open_store(db_url) as store, store.session() as session:
        selected = {p.source_id for p in select_postings(session, "guide", 0.5).postings}
        changes = application_changes(session, "guide")
        marks = marks_for(session, "guide", ids)
    assert selected == {"b"}  # a closed; c ignored through its copy
    assert [(c.posting_id, c.changes) for c in changes] == [(ids[0], ["closed on Nov 29, 2026"])]
    assert {k: m.status for k, m in marks.items()} == {ids[0]: "applied", ids[3]: "ignored"}
