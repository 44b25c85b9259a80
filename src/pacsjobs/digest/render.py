"""Render a digest with Jinja2: the HTML page, the email's HTML (CSS inlined) and its text part.

Autoescape is on for every .html template; links pass ``safe_url`` (http/https only) and a
description is shown as HTML only after it is sanitized again here, whatever the store holds.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

import css_inline
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from pacsjobs.digest.build import Digest, money, money_range, safe_url, short_money
from pacsjobs.digest.usmap import map_view
from pacsjobs.normalize.text import sanitize_html


def sanitize(html: str | None) -> Markup:
    """Sanitized description HTML, safe to put in a page."""
    # Stored descriptions are sanitized already; this second pass guards against an old or
    # hand-edited row. The allow-list has no <img>, so the page stays self-contained.
    return Markup(sanitize_html(html)) if html else Markup("")


def fmt_date(value: date | datetime | None) -> str:
    """"Nov 27, 2026" (no zero-padded day, same on every platform)."""
    if value is None:
        return ""
    return f"{value:%b} {value.day}, {value.year}"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The package's template environment (autoescape for .html, plain for .txt)."""
    env = Environment(
        loader=PackageLoader("pacsjobs.digest", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "htm", "xml"), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(money=money, money_range=money_range, short_money=short_money,
                       safe_url=safe_url, sanitize=sanitize, date=fmt_date)
    env.globals.update(plural=plural, us_map=map_view)
    return env


def render_page(digest: Digest) -> str:
    """The self-contained HTML page (its CSS in a <style>, charts as inline SVG)."""
    return environment().get_template("page.html").render(d=digest)


_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False)


def render_email_html(digest: Digest) -> str:
    """The email's HTML part: tables, CSS inlined into style= attributes (mail clients drop <style>)."""
    return _INLINER.inline(environment().get_template("email.html").render(d=digest))


def render_text(digest: Digest) -> str:
    """The email's plain-text part (also what --dry-run prints)."""
    return environment().get_template("email.txt").render(d=digest)


def subject(digest: Digest) -> str:
    """"7 new PACS jobs, 3 strong fits — pacsjobs" or "No new PACS jobs since Nov 27, 2026 — pacsjobs"."""
    if digest.count == 0:
        since = f" since {digest.since_text}" if digest.since_text else ""
        return f"No new PACS jobs{since} — pacsjobs"
    head = f"{digest.count} new PACS job{'s' if digest.count != 1 else ''}"
    if digest.strong:
        head += f", {digest.strong} strong fit{'s' if digest.strong != 1 else ''}"
    return f"{head} — pacsjobs"
