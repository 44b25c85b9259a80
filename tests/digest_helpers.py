"""Shared pieces of the digest and mail tests: postings, a database, real SMTP servers."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from pacsjobs.record import Posting
from pacsjobs.store import open_store
from pacsjobs.store.models import PostingRow
from tests.helpers import write_config

NOW = datetime(2026, 11, 28, 7, 0)

XSS_TITLE = 'PACS Admin <script>alert("t")</script>'
XSS_EMPLOYER = '<img src=x onerror="alert(1)">Evil Health'
XSS_URL = "javascript:alert(document.cookie)"
XSS_DESCRIPTION = ('<p>Run PACS.</p><script>alert("d")</script><img src="x" onerror="alert(2)">'
                   '<a href="javascript:alert(3)" onclick="alert(4)">apply</a>')


def posting(source_id: str, **fields: Any) -> Posting:
    """A relevant, open, US PACS posting; ``fields`` override any field."""
    values: dict[str, Any] = dict(
        source="jsonld:test", source_id=source_id, url=f"https://jobs.example.org/{source_id}",
        title="PACS Administrator", employer="Mercy General Hospital", location_text="Houston, TX",
        city="Houston", state="TX", country="US", workplace="onsite", employment_type="full_time",
        date_posted=date(2026, 11, 20), description_html="<p>Administer the PACS.</p>",
        description_text="Administer the PACS.", is_pacs_role=True, relevance=0.9,
        relevance_reasons=["title names PACS"], skills=["PACS", "DICOM", "HL7"],
        certifications=["ARRT"], degree="bachelor", years_experience_min=3,
    )
    values.update(fields)
    return Posting(**values)


def add(url: str, postings: list[Posting], now: datetime = NOW) -> list[int]:
    """Store postings through the store's own upsert; returns their ids in order."""
    with open_store(url) as store:
        return store.upsert_postings(postings, now=now).ids


def set_fields(url: str, posting_id: int, **values: Any) -> None:
    """Bookkeeping a crawl would set (closed_at, duplicate_of)."""
    with open_store(url) as store, store.session() as session, session.begin():
        row = session.get(PostingRow, posting_id)
        for key, value in values.items():
            setattr(row, key, value)


def config_dir(tmp_path: Path, mail: dict[str, Any] | None = None, **digest: Any) -> Path:
    """A config folder with a SQLite database in ``tmp_path``."""
    sections: dict[str, dict[str, Any]] = {"digest": {"output_dir": str(tmp_path / "digests"), **digest}}
    if mail:
        sections["mail"] = mail
    return write_config(tmp_path / "config", **sections)


class Collector:
    """aiosmtpd handler that keeps every accepted message."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        return [BytesParser(policy=policy.default).parsebytes(e.original_content or e.content)
                for e in self.envelopes]


class FreePortController(Controller):
    """aiosmtpd's Controller listening on a port the OS picks (port 0), read back after binding."""

    async def _bind(self):
        server = await self.loop.create_server(self._factory_invoker, host=self.hostname, port=0,
                                               ssl=self.ssl_context)
        self.port = server.sockets[0].getsockname()[1]
        return server

    def _create_server(self):
        return self._bind()


class Authenticator:
    """Accepts exactly one login/password pair."""

    def __init__(self, login: str, password: str) -> None:
        self.login, self.password = login.encode(), password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == self.login
              and auth_data.password == self.password)
        return AuthResult(success=ok, handled=False)


@contextmanager
def smtp_server(**kwargs: Any) -> Iterator[tuple[FreePortController, Collector]]:
    """A real SMTP server on 127.0.0.1 (a free port) that collects what it accepts."""
    handler = Collector()
    controller = FreePortController(handler, hostname="127.0.0.1", **kwargs)
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections (the kernel's backlog) but never says a word."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield sock.getsockname()[1]


class Page(HTMLParser):
    """Every start tag with its attributes, and the text, of a rendered page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())

    def attrs(self, name: str) -> list[str]:
        return [a[name] or "" for _, a in self.tags if name in a]


def assert_no_active_content(html: str) -> Page:
    page = Page(html)
    assert "script" not in [t for t, _ in page.tags]
    handlers = [(t, k) for t, a in page.tags for k in a if k.lower().startswith("on")]
    assert handlers == []
    for url in page.attrs("href") + page.attrs("src"):
        assert not re.sub(r"[\x00-\x20]", "", url).lower().startswith(("javascript:", "data:", "vbscript:"))
    return page
