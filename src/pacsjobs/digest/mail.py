"""Build the digest email (multipart/alternative) and send it over SMTP.

Every failure to send becomes one ``MailError`` line that names the server and what went wrong;
the caller marks nothing sent in that case. A server that accepts the message for some recipients
and refuses others answers with the refused ones (``Delivery.refused``). A password is never sent
in clear text to another machine unless ``[mail] allow_plaintext_login`` says so.
"""

from __future__ import annotations

import ipaddress
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid
from typing import Any

from pacsjobs.config import SMTP_PASSWORD_ENV, MailSettings
from pacsjobs.errors import PacsjobsError


class MailError(PacsjobsError):
    """The digest could not be sent (server refused, login rejected, timeout, bad settings)."""


def recipients(profile_to: Sequence[str] | None, mail: MailSettings) -> list[str]:
    """The profile's own recipients, else the [mail] ones."""
    return list(profile_to or mail.to or [])


def require_mail_settings(config: Any, profile_to: Sequence[str] | None) -> None:
    """Emailing needs a server, a sender and recipients: name every missing key in one line."""
    mail = config.mail
    missing = [key for key, ok in (("mail.host", mail.host), ("mail.sender", mail.sender or mail.username),
                                   ("mail.to (or the profile's to)", recipients(profile_to, mail)))
               if not ok]
    if missing:
        raise MailError(f"cannot email the digest: set {', '.join(missing)} in "
                        f"{config.path('pacsjobs.toml')} (see `pacsjobs where`)")


def sender_of(mail: MailSettings) -> str:
    sender = mail.sender or mail.username
    if not sender or "@" not in sender:
        raise MailError("cannot send digest: set [mail] sender (an email address) in pacsjobs.toml")
    return sender


def _domain(sender: str) -> str:
    addresses = getaddresses([sender])
    addr = addresses[0][1] if addresses else sender
    return addr.rpartition("@")[2] or "localhost"


def build_message(subject: str, sender: str, to: Sequence[str], text: str, html: str,
                  now: datetime | None = None) -> EmailMessage:
    """A multipart/alternative message: the text part first, the HTML part last (preferred)."""
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    when = (now or datetime.now(UTC))
    if when.tzinfo is None:  # naive means UTC in this project
        when = when.replace(tzinfo=UTC)
    msg["Date"] = format_datetime(when)
    # An explicit domain: make_msgid() would otherwise ask DNS for this host's name.
    msg["Message-ID"] = make_msgid(idstring="pacsjobs", domain=_domain(sender))
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg


def _where(mail: MailSettings) -> str:
    return f"{mail.host}:{mail.port}"


@dataclass(frozen=True)
class Delivery:
    """What the server accepted: the recipients it took, and those it refused with its answer."""

    accepted: tuple[str, ...]
    refused: dict[str, str]  # address -> "550 no such user"

    def refused_line(self) -> str:
        return "; ".join(f"{addr} ({answer})" for addr, answer in self.refused.items())


def is_local_host(host: str) -> bool:
    """``localhost`` or a loopback address: a clear-text login never leaves this machine."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a name: it may resolve anywhere


def check_login_security(mail: MailSettings) -> None:
    """MailError when a password would cross the network in clear text without being allowed."""
    if mail.username and mail.security == "none" and not mail.allow_plaintext_login \
            and not is_local_host(mail.host or ""):
        raise MailError(f"cannot send digest: logging in to {_where(mail)} with [mail] security = \"none\" "
                        "would send the password in clear text; use security = \"starttls\" or \"ssl\", "
                        "or set [mail] allow_plaintext_login = true")


def send_message(msg: EmailMessage, mail: MailSettings, to: Sequence[str]) -> Delivery:
    """Hand the message to the SMTP server; once it accepted it, who got it and who was refused."""
    if not mail.host:
        raise MailError("cannot send digest: no [mail] host in pacsjobs.toml")
    if not to:
        raise MailError("cannot send digest: no recipients ([mail] to, or the profile's to)")
    password = mail.password
    if mail.username and not password:
        raise MailError(f"cannot send digest: [mail] username is set but ${SMTP_PASSWORD_ENV} is empty")
    check_login_security(mail)
    where = _where(mail)
    context = ssl.create_default_context()
    try:
        if mail.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(mail.host, mail.port, timeout=mail.timeout,
                                                  context=context)
        else:
            smtp = smtplib.SMTP(mail.host, mail.port, timeout=mail.timeout)
        with smtp:
            if mail.security == "starttls":
                smtp.starttls(context=context)
            if mail.username:
                smtp.login(mail.username, password or "")
            refused = smtp.send_message(msg, to_addrs=list(to))
    except ConnectionRefusedError:
        raise MailError(f"cannot send digest: connection to {where} refused") from None
    except TimeoutError:
        raise MailError(f"cannot send digest: {where} did not answer within {mail.timeout:g}s") from None
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(f"cannot send digest: login as {mail.username} rejected by {where} "
                        f"({exc.smtp_code} {_text(exc.smtp_error)})") from None
    except smtplib.SMTPNotSupportedError as exc:
        what = "STARTTLS" if mail.security == "starttls" else "login"
        raise MailError(f"cannot send digest: {where} does not support {what} ({exc})") from None
    except smtplib.SMTPRecipientsRefused as exc:
        who = ", ".join(exc.recipients)
        raise MailError(f"cannot send digest: {where} refused every recipient ({who})") from None
    except smtplib.SMTPSenderRefused as exc:
        raise MailError(f"cannot send digest: {where} refused sender {exc.sender} "
                        f"({exc.smtp_code} {_text(exc.smtp_error)})") from None
    except smtplib.SMTPResponseException as exc:
        raise MailError(f"cannot send digest: {where} answered {exc.smtp_code} {_text(exc.smtp_error)}") from None
    except smtplib.SMTPServerDisconnected as exc:
        # smtplib reports a read timeout as a disconnection ("... closed: timed out")
        if "timed out" in str(exc):
            raise MailError(f"cannot send digest: {where} did not answer within {mail.timeout:g}s") from None
        raise MailError(f"cannot send digest: {where} closed the connection") from None
    except smtplib.SMTPException as exc:
        raise MailError(f"cannot send digest: {where}: {exc}") from None
    except ssl.SSLError as exc:
        raise MailError(f"cannot send digest: TLS with {where} failed ({exc.reason or exc})") from None
    except OSError as exc:
        raise MailError(f"cannot send digest: cannot reach {where} ({exc.strerror or exc})") from None
    answers = {addr: f"{code} {_text(text)}" for addr, (code, text) in (refused or {}).items()}
    return Delivery(accepted=tuple(a for a in to if a not in answers), refused=answers)


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


__all__ = ["Delivery", "MailError", "build_message", "recipients", "send_message", "sender_of"]
