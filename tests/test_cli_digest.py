"""``pacsjobs digest`` through click's CliRunner: what it prints, exit codes, and what it marks."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from pacsjobs.cli import main
from pacsjobs.store import open_store
from pacsjobs.store.models import DigestSent
from pacsjobs.timeutil import utcnow
from tests.digest_helpers import add, closed_port, config_dir, posting, smtp_server


def _run(cfg_dir: Path, *args: str):
    return CliRunner().invoke(main, ["--config", str(cfg_dir), "digest", *args])


def _db(cfg_dir: Path) -> str:
    return f"sqlite:///{cfg_dir / 'pacsjobs.db'}"


def _sent(cfg_dir: Path) -> int:
    with open_store(_db(cfg_dir)) as store, store.session() as session:
        return len(session.scalars(select(DigestSent.posting_id)).all())


def test_writes_the_page_and_says_where(tmp_path):
    cfg = config_dir(tmp_path)
    add(_db(cfg), [posting("a"), posting("b", title="PACS Analyst")], now=utcnow())
    result = _run(cfg)
    assert result.exit_code == 0, result.output
    page = tmp_path / "digests" / f"{utcnow():%Y-%m-%d}-guide.html"
    lines = result.output.splitlines()
    assert lines[0].startswith("digest for guide: 2 new PACS jobs")
    assert lines[1] == f"page: {page}"
    assert page.exists() and "PACS Analyst" in page.read_text()
    assert _sent(cfg) == 2  # an HTML digest is delivered when written

    again = _run(cfg)  # nothing new: today's page is kept, not overwritten by an empty one
    assert again.exit_code == 0
    assert again.output.splitlines() == ["digest for guide: 0 new PACS jobs", f"page: {page}"]
    assert "PACS Analyst" in page.read_text()

    add(_db(cfg), [posting("c", title="Imaging Informatics Specialist")], now=utcnow())
    third = _run(cfg)  # something new the same day: a second page, the first one kept
    second_page = page.with_name(f"{page.stem}-2.html")
    assert third.output.splitlines()[1] == f"page: {second_page}"
    assert "Imaging Informatics Specialist" in second_page.read_text()
    assert "Imaging Informatics Specialist" not in page.read_text()


def test_html_path_and_dry_run(tmp_path):
    cfg = config_dir(tmp_path)
    add(_db(cfg), [posting("a", title="Imaging Informatics Analyst")], now=utcnow())
    out = tmp_path / "out" / "today.html"
    result = _run(cfg, "--html", str(out), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Imaging Informatics Analyst" in result.output  # the text digest is printed
    assert f"page: {out}" in result.output
    assert result.output.rstrip().endswith(f"dry run: wrote {out}; nothing marked sent")
    assert out.exists() and _sent(cfg) == 0
    assert "digest for guide: 1 new PACS job" in _run(cfg, "--html", str(out)).output


def test_email_is_sent_once(tmp_path):
    with smtp_server() as (server, inbox):
        cfg = config_dir(tmp_path, mail={"host": "127.0.0.1", "port": server.port, "security": "none",
                                         "sender": "digest@example.org", "to": ["me@example.org"]})
        add(_db(cfg), [posting("a"), posting("b")], now=utcnow())
        first = _run(cfg, "--email")
        second = _run(cfg, "--email")
    assert first.exit_code == 0, first.output
    assert first.output.splitlines()[-1].startswith("emailed to me@example.org: 2 new PACS jobs")
    assert second.exit_code == 0
    assert second.output.splitlines()[-1] == (
        f"email not sent: nothing new (digest.send_empty is false); page: "
        f"{tmp_path / 'digests' / f'{utcnow():%Y-%m-%d}-guide.html'}")
    assert len(inbox.envelopes) == 1


def test_refused_connection_is_one_line_and_exit_1(tmp_path):
    port = closed_port()
    cfg = config_dir(tmp_path, mail={"host": "127.0.0.1", "port": port, "security": "none",
                                     "sender": "digest@example.org", "to": ["me@example.org"]})
    add(_db(cfg), [posting("a")], now=utcnow())
    result = _run(cfg, "--email")
    assert result.exit_code == 1
    assert result.stderr == f"error: cannot send digest: connection to 127.0.0.1:{port} refused\n"
    assert _sent(cfg) == 0


def test_bad_since_date(tmp_path):
    cfg = config_dir(tmp_path)
    result = _run(cfg, "--since", "2026-13-01")
    assert result.exit_code == 2
    assert "Invalid value for '--since': '2026-13-01' is not a date (use YYYY-MM-DD, e.g. 2026-11-01)" \
        in result.stderr


def test_since_resends(tmp_path):
    cfg = config_dir(tmp_path)
    add(_db(cfg), [posting("a")], now=utcnow())
    assert "1 new PACS job" in _run(cfg).output
    assert "0 new PACS jobs" in _run(cfg, "--html", str(tmp_path / "x.html")).output
    result = _run(cfg, "--since", f"{utcnow():%Y-%m-%d}", "--html", str(tmp_path / "y.html"))
    assert "digest for guide: 1 new PACS job" in result.output
    assert _sent(cfg) == 1  # re-sent, not marked twice


def test_unknown_profile(tmp_path):
    cfg = config_dir(tmp_path)
    result = _run(cfg, "--profile", "nobody")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: unknown profile 'nobody' (known: guide")
