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

from pacsjobs.digest.build import Digest, safe_url
from pacsjobs.digest.usmap import map_view
from pacsjobs.normalize.text import sanitize_html
from pacsjobs.pay import money, money_range, short_money

# One colour per pay position, for the page's SVG chart, its legend and the email's table chart.
PAY_COLORS = {"below": "#d97706", "within": "#15803d", "overlaps": "#0e7490", "above": "#1d4ed8"}


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
    env.globals.update(plural=plural, pay_colors=PAY_COLORS, us_map=map_view)
    return env


def render_page(digest: Digest) -> str:
    """The self-contained HTML page (its CSS in a <style>, charts as inline SVG)."""
    return environment().get_template("page.html").render(d=digest)


_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False)
EMAIL_BARS = 15  # pay chart rows in the email (the page draws up to CHART_MAX)


def render_email_html(digest: Digest, inline_css: bool = False) -> str:
    """The email's HTML part: tables, one <style> block, a few inline styles and bgcolor attributes.

    Gmail, Apple Mail, Outlook and iOS Mail apply a <style> block in the head, so each class's CSS is
    sent once, not once per element; what must survive a client that drops it (bar colours, the
    strong-fit border) is inline. ``inline_css=True`` inlines everything instead (about 2x larger:
    docs/digest.md), for clients that ignore <style>.
    """
    html = environment().get_template("email.html").render(d=digest, email_bars=EMAIL_BARS)
    return _INLINER.inline(html) if inline_css else html


TEXT_WIDTH = 78  # RFC 5322's recommended line length


def wrap_text(text: str, width: int = TEXT_WIDTH) -> str:
    """Wrap every line at ``width``, continuing under its text ("  - reason" keeps its hanging indent).

    A single word longer than the line (a URL) stays whole on a line of its own: broken, it would
    no longer be a link. (A plain greedy fill: textwrap is ten times slower on a long digest.)
    """
    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        body = line.lstrip(" ")
        indent = line[:len(line) - len(body)]
        hanging = indent + ("  " if body[:2] in ("- ", "* ") else "")
        current = indent
        for word in body.split():
            if current.strip() and len(current) + 1 + len(word) > width:
                out.append(current)
                current = hanging + word
            else:
                current = current + (" " if current.strip() else "") + word
        out.append(current)
    return "\n".join(out)


def render_text(digest: Digest) -> str:
    """The email's plain-text part (also what --dry-run prints), lines wrapped at 78 characters."""
    return wrap_text(environment().get_template("email.txt").render(d=digest))


def subject(digest: Digest) -> str:
    """"7 new PACS jobs, 3 strong fits — pacsjobs" or "No new PACS jobs since Nov 27, 2026 — pacsjobs"."""
    changed = len(digest.applications)
    apps = f"; {changed} of your applications changed" if changed else ""
    if digest.count == 0:
        since = f" since {digest.since_text}" if digest.since_text else ""
        return f"No new PACS jobs{since}{apps} — pacsjobs"
    head = f"{digest.count} new PACS job{'s' if digest.count != 1 else ''}"
    if digest.strong:
        head += f", {digest.strong} strong fit{'s' if digest.strong != 1 else ''}"
    return f"{head}{apps} — pacsjobs"
