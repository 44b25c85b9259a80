"""Digest email through a real SMTP server on 127.0.0.1 (aiosmtpd): what arrives, and failures."""

from __future__ import annotations

import re
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import func, select

from pacsjobs.config import load_config
from pacsjobs.digest import run_digest
from pacsjobs.digest.mail import MailError
from pacsjobs.store import open_store
from pacsjobs.store.models import DigestRun, DigestSent
from tests.digest_helpers import (
    NOW,
    XSS_DESCRIPTION,
    XSS_EMPLOYER,
    XSS_TITLE,
    XSS_URL,
    Authenticator,
    Page,
    add,
    assert_no_active_content,
    closed_port,
    config_dir,
    posting,
    silent_server,
    smtp_server,
)

# aiosmtpd warns that AUTH without TLS is unsafe: these servers live on 127.0.0.1 for one test.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")

MAIL = {"security": "none", "sender": "pacsjobs <digest@example.org>", "to": ["seeker@example.org"],
        "timeout": 2.0}


def _config(tmp_path, port, **mail):
    return load_config(config_dir(tmp_path, mail={**MAIL, "host": "127.0.0.1", "port": port, **mail}))


def _sent_ids(cfg, profile="guide"):
    with open_store(cfg.database_url) as store, store.session() as session:
        return set(session.scalars(select(DigestSent.posting_id).where(DigestSent.profile == profile)))


def _runs(cfg):
    with open_store(cfg.database_url) as store, store.session() as session:
        return [(r.status, r.count) for r in session.scalars(select(DigestRun).order_by(DigestRun.id))]


def _postings():
    return [
        posting("fit", title="PACS Administrator", salary_min=85000.0, salary_max=98000.0,
                salary_period="year", salary_currency="USD", salary_annual_min=85000.0,
                salary_annual_max=98000.0, salary_source="structured"),
        posting("xss", title=XSS_TITLE, employer=XSS_EMPLOYER, url=XSS_URL, description_html=XSS_DESCRIPTION),
    ]


def test_the_email_that_arrives(tmp_path):
    with smtp_server() as (server, inbox):
        cfg = _config(tmp_path, server.port)
        ids = add(cfg.database_url, _postings())
        result = run_digest(cfg, email=True, now=NOW)
    assert result.email_sent and result.recipients == ("seeker@example.org",)
    assert len(inbox.envelopes) == 1
    envelope = inbox.envelopes[0]
    assert envelope.mail_from == "digest@example.org" and envelope.rcpt_tos == ["seeker@example.org"]
    msg = inbox.messages()[0]
    assert msg["Subject"] == result.subject
    assert re.fullmatch(r"2 new PACS jobs(, \d strong fits?)? — pacsjobs", msg["Subject"])
    assert msg["From"] == "pacsjobs <digest@example.org>" and msg["To"] == "seeker@example.org"
    assert parsedate_to_datetime(msg["Date"]).replace(tzinfo=None) == NOW
    assert re.fullmatch(r"<[^<>@\s]+@example\.org>", msg["Message-ID"])
    assert msg.get_content_type() == "multipart/alternative"
    parts = [p.get_content_type() for p in msg.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()

    assert "PACS Administrator" in text and "https://jobs.example.org/fit" in text
    assert XSS_URL not in text
    page = assert_no_active_content(html)
    assert [t for t, _ in page.tags].count("style") == 1  # each class's CSS once (docs/digest.md)
    assert "https://jobs.example.org/fit" in page.attrs("href")
    assert XSS_TITLE in page.all_text() and XSS_EMPLOYER in page.all_text()
    # marked sent only now, and the run recorded
    assert _sent_ids(cfg) == set(ids)
    assert _runs(cfg) == [("sent", 2)]
    assert result.html_path is not None and result.html_path.exists()


def test_login_with_the_password_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PACSJOBS_SMTP_PASSWORD", "s3cret")
    with smtp_server(auth_required=True, auth_require_tls=False,
                     authenticator=Authenticator("digest@example.org", "s3cret")) as (server, inbox):
        cfg = _config(tmp_path, server.port, username="digest@example.org")
        add(cfg.database_url, _postings())
        assert run_digest(cfg, email=True, now=NOW).email_sent
    assert len(inbox.envelopes) == 1


@pytest.mark.parametrize("case", ["refused", "rejected login", "timeout", "no starttls"])
def test_failure_marks_nothing_then_next_run_sends_once(tmp_path, monkeypatch, case):
    monkeypatch.setenv("PACSJOBS_SMTP_PASSWORD", "wrong")
    with smtp_server() as (good, inbox), \
            smtp_server(auth_required=True, auth_require_tls=False,
                        authenticator=Authenticator("digest@example.org", "right")) as (auth, _), \
            silent_server() as silent:
        if case == "refused":
            port = closed_port()
            cfg = _config(tmp_path, port)
            expected = f"cannot send digest: connection to 127.0.0.1:{port} refused"
        elif case == "rejected login":
            cfg = _config(tmp_path, auth.port, username="digest@example.org")
            expected = (f"cannot send digest: login as digest@example.org rejected by 127.0.0.1:{auth.port} "
                        "(535 5.7.8 Authentication credentials invalid)")
        elif case == "timeout":
            cfg = _config(tmp_path, silent, timeout=0.5)
            expected = f"cannot send digest: 127.0.0.1:{silent} did not answer within 0.5s"
        else:
            cfg = _config(tmp_path, good.port, security="starttls")
            expected = (f"cannot send digest: 127.0.0.1:{good.port} does not support STARTTLS "
                        "(STARTTLS extension not supported by server.)")
        ids = add(cfg.database_url, _postings())

        with pytest.raises(MailError) as err:
            run_digest(cfg, email=True, now=NOW)
        assert str(err.value) == expected
        assert "\n" not in str(err.value)
        assert _sent_ids(cfg) == set()
        assert _runs(cfg) == [("failed", 2)]
        assert inbox.envelopes == []

        # the server is fixed: the next run sends both postings, once
        cfg.mail.port, cfg.mail.security, cfg.mail.username = good.port, "none", None
        assert run_digest(cfg, email=True, now=NOW + timedelta(hours=1)).count == 2
        assert len(inbox.envelopes) == 1 and _sent_ids(cfg) == set(ids)
        # and the run after that has nothing new: nothing is sent twice
        third = run_digest(cfg, email=True, now=NOW + timedelta(hours=2))
    assert third.count == 0 and not third.email_sent
    assert len(inbox.envelopes) == 1
    assert _runs(cfg) == [("failed", 2), ("sent", 2), ("empty", 0)]
    with open_store(cfg.database_url) as store, store.session() as session:
        assert session.scalar(select(func.count()).select_from(DigestSent)) == 2


def test_empty_digest_is_mailed_only_when_asked(tmp_path):
    with smtp_server() as (server, inbox):
        cfg = _config(tmp_path, server.port)
        quiet = run_digest(cfg, email=True, now=NOW)
        assert not quiet.email_sent and "nothing new" in quiet.message
        assert inbox.envelopes == []
        cfg.digest.send_empty = True
        loud = run_digest(cfg, email=True, now=NOW + timedelta(hours=1))
    assert loud.email_sent and len(inbox.envelopes) == 1
    msg = inbox.messages()[0]
    assert msg["Subject"] == "No new PACS jobs since Nov 28, 2026 07:00 UTC — pacsjobs"
    assert "No new postings since Nov 28, 2026 07:00 UTC." in msg.get_body(("plain",)).get_content()
    assert "No new postings since" in Page(msg.get_body(("html",)).get_content()).all_text()


def test_a_profile_sends_to_its_own_recipients(tmp_path):
    with smtp_server() as (server, inbox):
        cfg = _config(tmp_path, server.port)
        (cfg.dir / "profiles").mkdir(exist_ok=True)
        (cfg.dir / "profiles" / "team.toml").write_text('to = ["lead@example.org", "me@example.org"]\n')
        add(cfg.database_url, _postings())
        result = run_digest(cfg, profile="team", email=True, now=NOW)
    assert result.profile == "team"
    assert inbox.envelopes[0].rcpt_tos == ["lead@example.org", "me@example.org"]
    assert inbox.messages()[0]["To"] == "lead@example.org, me@example.org"
    assert _sent_ids(cfg, "team") and _sent_ids(cfg, "guide") == set()  # sent to "team" only


def test_username_without_password_is_refused_before_connecting(tmp_path, monkeypatch):
    monkeypatch.delenv("PACSJOBS_SMTP_PASSWORD", raising=False)
    cfg = _config(tmp_path, closed_port(), username="digest@example.org")
    add(cfg.database_url, _postings())
    with pytest.raises(MailError, match=r"\[mail\] username is set but \$PACSJOBS_SMTP_PASSWORD is empty"):
        run_digest(cfg, email=True, now=NOW)
    assert _sent_ids(cfg) == set()


def test_dry_run_sends_and_marks_nothing(tmp_path):
    with smtp_server() as (server, inbox):
        cfg = _config(tmp_path, server.port)
        add(cfg.database_url, _postings())
        dry = run_digest(cfg, email=True, dry_run=True, now=NOW)
        assert dry.count == 2 and not dry.email_sent and "dry run" in dry.message
        assert inbox.envelopes == [] and _sent_ids(cfg) == set() and _runs(cfg) == []
        assert run_digest(cfg, email=True, now=NOW).count == 2  # still new
    assert len(inbox.envelopes) == 1
