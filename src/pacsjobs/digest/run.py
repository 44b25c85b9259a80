"""``run_digest``: build a profile's digest, write its page, send it, and remember what was sent.

When a posting counts as delivered to a profile (and so never comes again):
- with ``email=True``: only once the SMTP server has accepted the message for every recipient.
  Delivery is recorded per profile, so when the server refuses some recipients (and takes the
  others) nothing is marked: the refused ones would otherwise never get these postings; the others
  may get them twice. The run is recorded ``partial``, naming who was refused;
- without email: once the HTML page is written (the page is how that reader gets it);
- ``dry_run``: never; nothing is sent, marked or recorded.

A profile's digest runs in one process at a time (``pacsjobs.store.locks``): a second one waits,
then finds the postings the first sent already marked.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import select

from pacsjobs.config import Config
from pacsjobs.digest.build import Digest, build_digest
from pacsjobs.digest.mail import (
    Delivery,
    MailError,
    build_message,
    recipients,
    require_mail_settings,
    send_message,
    sender_of,
)
from pacsjobs.digest.render import render_email_html, render_page, render_text, subject
from pacsjobs.store.locks import held
from pacsjobs.store.marks import record_reported
from pacsjobs.store.models import DigestRun, DigestSent
from pacsjobs.timeutil import utcnow


@dataclass
class DigestResult:
    """What a digest run did."""

    profile: str
    count: int
    strong: int
    html_path: Path | None
    email_sent: bool
    subject: str
    message: str  # one line for people: what was written, sent, or why not
    recipients: tuple[str, ...] = ()  # who the server accepted the email for
    refused: tuple[str, ...] = ()  # who it refused (not emailed)
    text: str = ""  # the plain-text digest (printed by --dry-run)
    digest_id: int | None = None


def load_profile(config: Config, name: str) -> Any:
    """The named profile from the config folder."""
    from pacsjobs.profile import load_profile as _load

    return _load(config.dir, name)


def default_page_path(config: Config, profile: str, now: datetime) -> Path:
    """``<output_dir>/<date>-<profile>.html``; relative output dirs are relative to the cwd."""
    return Path(config.digest.output_dir) / f"{now:%Y-%m-%d}-{profile}.html"


def _free_path(path: Path) -> Path:
    """``path``, or ``<stem>-2.html``, ``-3``… so a second digest of the day keeps the first."""
    if not path.exists():
        return path
    n = 2
    while (candidate := path.with_name(f"{path.stem}-{n}{path.suffix}")).exists():
        n += 1
    return candidate


def page_url(config: Config, path: Path | None) -> str | None:
    """The page's public address: ``[digest] public_url`` + its file name, when one is set."""
    base = config.digest.public_url
    if not base or path is None:
        return None
    return f"{base.rstrip('/')}/{quote(path.name)}"


def write_page(page: str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)  # atomic: a reader never sees half a page
    return path


def run_digest(config: Config, profile: str | None = None, html_path: str | Path | None = None,
               email: bool = False, since: date | None = None, dry_run: bool = False,
               now: datetime | None = None) -> DigestResult:
    """Build, write and (with ``email``) send a profile's digest; see the module doc for "sent"."""
    from pacsjobs.store import open_store

    now = now or utcnow()
    name = profile or config.digest.profile
    prof = load_profile(config, name)
    if email:
        require_mail_settings(config, getattr(prof, "to", None))
    with open_store(config.database_url) as store, _one_at_a_time(store, name, dry_run):
        with store.session() as session:
            digest = build_digest(session, config, prof, name, since=since, now=now)
        subj = subject(digest)

        # The page. Explicit --html overwrites; the default name never replaces an earlier page.
        if html_path is not None:
            path: Path | None = write_page(render_page(digest), Path(html_path))
        else:
            default = default_page_path(config, name, now)
            if not digest.has_news and default.exists():
                path = default  # nothing new: today's page stays as it is
            else:
                path = write_page(render_page(digest), _free_path(default))
        digest.page_url = page_url(config, path)
        text = render_text(digest)

        to = recipients(getattr(prof, "to", None), config.mail)
        sent = False
        accepted: tuple[str, ...] = ()
        refused: tuple[str, ...] = ()
        if email:
            if not digest.has_news and not config.digest.send_empty:
                note = f"email not sent: nothing new (digest.send_empty is false); page: {path}"
            elif dry_run:
                sender_of(config.mail)  # check the settings even when not sending
                note = (f"dry run: wrote {path}; would send {subj!r} to {', '.join(to) or 'nobody'}; "
                        "nothing sent or marked")
            else:
                msg = build_message(subj, sender_of(config.mail), to, text,
                                    render_email_html(digest), now)
                try:
                    delivery = send_message(msg, config.mail, to)
                except MailError as exc:
                    _record(store, digest, now, path, status="failed", message=str(exc), mark=False)
                    raise
                accepted, refused = delivery.accepted, tuple(delivery.refused)
                sent = not refused
                note = (partial_delivery_note(subj, delivery, config.mail.host, digest.count) if refused
                        else f"sent {subj!r} to {', '.join(accepted)}")
        elif dry_run:
            note = f"dry run: wrote {path}; nothing marked sent"
        else:
            note = f"wrote {path}"

        digest_id = None
        if not dry_run:
            # an email digest that was not sent here was empty (a failure raised above)
            status = "sent" if sent else ("partial" if refused else "empty" if not digest.has_news else "built")
            # Email digests mark their postings only once the server accepted them (sent=True).
            mark = sent or (not email and digest.has_news)
            digest_id = _record(store, digest, now, path, status=status, message=note, mark=mark)
    return DigestResult(profile=name, count=digest.count, strong=digest.strong, html_path=path,
                        email_sent=bool(accepted), subject=subj, message=note, recipients=accepted,
                        refused=refused, text=text, digest_id=digest_id)


def partial_delivery_note(subj: str, delivery: Delivery, host: str | None, count: int) -> str:
    """One line for a send the server took for some recipients only: who got it, who was refused
    (with the server's answer), and that nothing is marked sent, so everyone gets it again."""
    got = ", ".join(delivery.accepted)
    if count:
        these = "its posting stays" if count == 1 else f"its {count} postings stay"
        after = (f"{these} unsent, so the next digest brings {'it' if count == 1 else 'them'} to every "
                 f"recipient again ({got} too)")
    else:
        after = "nothing is marked sent"
    return f"sent {subj!r} to {got} only; NOT sent to {delivery.refused_line()}, refused by {host}; {after}"


def _one_at_a_time(store: Any, profile: str, dry_run: bool) -> contextlib.AbstractContextManager[None]:
    """A profile's digest is built, sent and recorded by one process at a time (a scheduled run
    and one by hand would otherwise both send the same postings); a dry run changes nothing."""
    return contextlib.nullcontext() if dry_run else held(store, f"digest-{profile}")


def _record(store: Any, digest: Digest, now: datetime, path: Path | None, status: str,
            message: str, mark: bool) -> int:
    """One digest_runs row and, when ``mark``, the digest's postings in digest_sent; one transaction."""
    with store.session() as session, session.begin():
        run = DigestRun(profile=digest.profile_name, created_at=now,
                        sent_at=now if status in ("sent", "partial") else None, status=status, count=digest.count,
                        html_path=str(path) if path else None, message=message)
        session.add(run)
        session.flush()
        ids = digest.posting_ids
        if mark and ids:
            # --since digests can hold postings sent before: mark only the others (never twice).
            already = set(session.scalars(
                select(DigestSent.posting_id).where(DigestSent.profile == digest.profile_name,
                                                    DigestSent.posting_id.in_(ids))))
            session.add_all(DigestSent(profile=digest.profile_name, posting_id=pid, digest_id=run.id,
                                       sent_at=now) for pid in ids if pid not in already)
        if mark:  # the changes to the person's applications were told: the next digest starts here
            record_reported(session, digest.profile_name, digest.applications, now)
        return run.id
