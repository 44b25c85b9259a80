"""SMTP on a bad day: a refused recipient, and a clear-text login to another machine (issue 11 §3)."""

from __future__ import annotations

import socket
from contextlib import contextmanager

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from pacsjobs.cli import main
from pacsjobs.config import load_config
from pacsjobs.digest import run_digest
from pacsjobs.digest.mail import MailError, is_local_host
from pacsjobs.store import open_store
from pacsjobs.store.models import DigestRun, DigestSent
from tests.digest_helpers import (
    NOW,
    Authenticator,
    Collector,
    FreePortController,
    add,
    config_dir,
    posting,
)
from tests.helpers import write_config

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")

SEEKER, GONE = "seeker@example.org", "gone@example.org"
PASSWORD = "s3cret-smtp"


class RefusingCollector(Collector):
    """Accepts every recipient except the ones it knows are gone (550, as a real server would)."""

    def __init__(self, gone: set[str]) -> None:
        super().__init__()
        self.gone = gone

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.gone:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@contextmanager
def server_on(host: str, gone: set[str] = frozenset(), **kwargs):
    handler = RefusingCollector(set(gone))
    controller = FreePortController(handler, hostname=host, **kwargs)
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


def config(tmp_path, port, host="127.0.0.1", database_url=None, **mail):
    return load_config(write_config(
        tmp_path / "config", database_url=database_url, digest={"output_dir": str(tmp_path / "digests")},
        mail={"security": "none", "sender": "digest@example.org", "to": [SEEKER, GONE], "timeout": 3.0,
              "host": host, "port": port, **mail}))


def sent_ids(cfg):
    with open_store(cfg.database_url) as store, store.session() as session:
        return set(session.scalars(select(DigestSent.posting_id)))


def runs(cfg):
    with open_store(cfg.database_url) as store, store.session() as session:
        return [(r.status, r.message) for r in session.scalars(select(DigestRun).order_by(DigestRun.id))]


def test_a_refused_recipient_is_not_reported_emailed_and_nothing_is_marked_sent(tmp_path, db_url):
    with server_on("127.0.0.1", gone={GONE}) as (server, inbox):
        cfg = config(tmp_path, server.port, database_url=db_url)
        ids = add(cfg.database_url, [posting("a"), posting("b", title="Imaging Informatics Analyst")])
        result = run_digest(cfg, email=True, now=NOW)
    assert result.recipients == (SEEKER,) and result.refused == (GONE,)
    assert [e.rcpt_tos for e in inbox.envelopes] == [[SEEKER]]
    assert "NOT sent to gone@example.org (550 5.1.1" in result.message
    assert sent_ids(cfg) == set()  # the refused reader's copy is not marked sent
    [(status, message)] = runs(cfg)
    assert status == "partial" and GONE in message

    # The address is fixed on the server's side: the next digest brings the same postings to both.
    with server_on("127.0.0.1") as (server, inbox):
        cfg.mail.port = server.port
        again = run_digest(cfg, email=True, now=NOW)
    assert again.email_sent and again.recipients == (SEEKER, GONE) and again.refused == ()
    assert again.count == 2 and sent_ids(cfg) == set(ids)
    assert [sorted(e.rcpt_tos) for e in inbox.envelopes] == [sorted([SEEKER, GONE])]


GONE_TOO = "left@example.org"
UNKNOWN = "Recipient address rejected: User unknown"


@pytest.mark.parametrize("command", [["digest", "--email"], ["run", "--email", "-q"]])
def test_the_mail_commands_name_who_was_refused_who_got_it_and_what_happens_next(tmp_path, command):
    with server_on("127.0.0.1", gone={GONE, GONE_TOO}) as (server, inbox):
        cfg = config(tmp_path, server.port, to=[SEEKER, GONE, GONE_TOO])
        add(cfg.database_url, [posting("a"), posting("b", title="Imaging Informatics Analyst")])
        result = CliRunner().invoke(main, ["--config", str(cfg.dir), *command])
    assert result.exit_code == 1, result.output
    assert [e.rcpt_tos for e in inbox.envelopes] == [[SEEKER]]
    subject = inbox.messages()[0]["Subject"]
    # one line: who was refused (with the server's answer), who got it, and that all get it again
    assert result.stderr == (
        f"error: sent {subject!r} to {SEEKER} only; NOT sent to "
        f"{GONE} (550 5.1.1 <{GONE}>: {UNKNOWN}); {GONE_TOO} (550 5.1.1 <{GONE_TOO}>: {UNKNOWN}), "
        f"refused by 127.0.0.1; its 2 postings stay unsent, so the next digest brings them to every "
        f"recipient again ({SEEKER} too)\n")
    assert sent_ids(cfg) == set()
    if command[0] == "digest":
        emailed = [line for line in result.stdout.splitlines() if line.startswith("emailed to")]
        assert emailed == [f"emailed to {SEEKER}: {subject}"]


def test_the_scheduler_warns_with_the_same_line(tmp_path, caplog):
    from pacsjobs.schedule import digest_job

    with server_on("127.0.0.1", gone={GONE}) as (server, _):
        cfg = config(tmp_path, server.port)
        add(cfg.database_url, [posting("a")])
        with caplog.at_level("INFO", logger="pacsjobs.schedule"):
            digest_job(str(cfg.dir), "guide")
    [record] = [r for r in caplog.records if r.getMessage().startswith("digest guide:")]
    assert record.levelname == "WARNING"
    assert record.getMessage().endswith(f"refused by 127.0.0.1; its posting stays unsent, so the next digest "
                                        f"brings it to every recipient again ({SEEKER} too)")
    assert f"NOT sent to {GONE} (550 5.1.1" in record.getMessage()


def this_machines_address() -> str | None:
    """A non-loopback address of this machine (where a test server can listen), or None."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("192.0.2.254", 9))  # no packet is sent: this only picks the route
            address = sock.getsockname()[0]
        except OSError:
            return None
    return None if is_local_host(address) or address == "0.0.0.0" else address


@pytest.fixture
def lan_address():
    address = this_machines_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address")
    return address


def auth_server(host):
    return server_on(host, auth_required=True, auth_require_tls=False,
                     authenticator=Authenticator("digest@example.org", PASSWORD))


def test_clear_text_login_to_another_machine_needs_an_explicit_setting(tmp_path, monkeypatch, lan_address):
    monkeypatch.setenv("PACSJOBS_SMTP_PASSWORD", PASSWORD)
    with auth_server(lan_address) as (server, inbox):
        cfg = config(tmp_path, server.port, host=lan_address, username="digest@example.org", to=[SEEKER])
        add(cfg.database_url, [posting("a")])
        with pytest.raises(MailError) as err:
            run_digest(cfg, email=True, now=NOW)
        assert inbox.envelopes == []
        assert str(err.value) == (
            f'cannot send digest: logging in to {lan_address}:{server.port} with [mail] security = "none" '
            'would send the password in clear text; use security = "starttls" or "ssl", '
            "or set [mail] allow_plaintext_login = true")
        assert sent_ids(cfg) == set() and runs(cfg)[0][0] == "failed"

        cfg.mail.allow_plaintext_login = True  # the operator says the network is trusted
        result = run_digest(cfg, email=True, now=NOW)
    assert result.email_sent and len(inbox.envelopes) == 1


def test_the_setting_is_read_from_pacsjobs_toml_and_the_cli_error_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("PACSJOBS_SMTP_PASSWORD", PASSWORD)
    folder = config_dir(tmp_path, mail={"host": "smtp.example.org", "port": 25, "security": "none",
                                        "username": "digest@example.org", "sender": "digest@example.org",
                                        "to": [SEEKER], "timeout": 1.0})
    add(load_config(folder).database_url, [posting("a")])
    result = CliRunner().invoke(main, ["--config", str(folder), "digest", "--email"])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "allow_plaintext_login = true" in result.stderr
    assert "smtp.example.org:25" in result.stderr  # refused before any connection (no DNS needed)
    (folder / "pacsjobs.toml").write_text((folder / "pacsjobs.toml").read_text().replace(
        "[mail]", "[mail]\nallow_plaintext_login = true"))
    assert load_config(folder).mail.allow_plaintext_login is True


def test_clear_text_login_on_this_machine_needs_no_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("PACSJOBS_SMTP_PASSWORD", PASSWORD)
    with auth_server("127.0.0.1") as (server, inbox):
        cfg = config(tmp_path, server.port, username="digest@example.org", to=[SEEKER])
        add(cfg.database_url, [posting("a")])
        assert run_digest(cfg, email=True, now=NOW).email_sent
    assert len(inbox.envelopes) == 1


@pytest.mark.parametrize(("host", "local"), [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                             ("[::1]", True), ("127.8.0.1", True), ("10.0.0.5", False),
                                             ("smtp.example.org", False), ("localhost.example.org", False)])
def test_is_local_host(host, local):
    assert is_local_host(host) is local
