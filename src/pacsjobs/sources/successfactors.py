"""SAP SuccessFactors career sites (Career Site Builder, ``https://careers.{employer}.org`` or a
``career{N}.successfactors.com`` host): the ``/googlefeed.xml`` job feed.

The feed is RSS 2.0 with Google Base fields, every open job in one document::

    <rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel><item>
      <title>PACS Administrator (Santa Monica, CA, US, 90404)</title>
      <description><![CDATA[&lt;p&gt;...the full posting, HTML escaped once more...]]></description>
      <link>https://careers.example.org/job/Santa-Monica-PACS-Administrator-CA-90404/1167811200/</link>
      <guid isPermaLink="false">1167811200</guid><g:id>1167811200</g:id>
      <g:expiration_date>2027-01-31</g:expiration_date><g:employer>...</g:employer>
      <g:job_function>Information Technology</g:job_function><g:location>Santa Monica, CA, US, 90404</g:location>
    </item></channel></rss>

``g:id`` (the site's posting id, also the last segment of the link) is the id. The title often
repeats the location in parentheses; that is dropped. The feed states no count and cannot be
searched: every job is stored and the classifier keeps the PACS roles. A job page (JSON-LD or
microdata) is fetched only for an item whose description is empty.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from lxml import etree

from pacsjobs.errors import ParseError
from pacsjobs.record import RawPosting
from pacsjobs.sources.common import Entries
from pacsjobs.sources.jobpage import adopt, check_site_url, is_html, jsonld_posting
from pacsjobs.sources.jsonld import unescape

if TYPE_CHECKING:
    from pacsjobs.config import SourceConfig

DEFAULT_BASE_URL = ""  # each site has its own host: the option ``url``
FEED_PATH = "/googlefeed.xml"
G_NS = "http://base.google.com/ns/1.0"
_POSTAL_RE = re.compile(r"^\d{3,}(?:-\d+)?$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")


def check_options(options: dict[str, Any]) -> dict[str, Any]:
    """Validate a successfactors entry: ``url``, the career site's root."""
    opts = dict(options)
    url = check_site_url(opts.pop("url", None), "url", "https://careers.example-health.org")
    if "keywords" in opts:
        raise ValueError("keywords: the job feed cannot be searched; the classifier keeps the PACS roles")
    for unknown in opts:
        raise ValueError(f"{unknown}: unknown key for a successfactors source (known: url)")
    return {"url": url}


def feed_url(root: str) -> str:
    return f"{root.rstrip('/')}{FEED_PATH}"


def first_page_request(source: SourceConfig) -> tuple[str, str, dict[str, str], bytes | None]:
    """The job feed, for ``pacsjobs sources --check``."""
    root = source.base_url or source.options["url"]
    return "GET", feed_url(root), {"Accept": "application/rss+xml, application/xml"}, None


def place(text: str | None) -> tuple[str | None, str | None]:
    """``"Santa Monica, CA, US, 90404"`` -> ``("Santa Monica, CA 90404", "US")``."""
    if not text:
        return None, None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    postal = next((p for p in parts if _POSTAL_RE.match(p)), None)
    parts = [p for p in parts if p != postal]
    country = parts.pop() if len(parts) >= 3 and _COUNTRY_RE.match(parts[-1]) else None
    if country is None and len(parts) == 2 and _COUNTRY_RE.match(parts[-1]) and parts[-1] != "US":
        country = parts.pop()  # "Haifa, IL": a city and a country code
    words = ", ".join(parts)
    return (f"{words} {postal}" if postal else words) or None, country


def _title(title: str, location: str | None) -> str:
    """The title without the location the feed appends in parentheses."""
    m = re.match(r"^(?P<title>.+?)\s*\((?P<where>[^()]*)\)\s*$", title)
    if m and location and m.group("where").replace(" ", "") == location.replace(" ", ""):
        return m.group("title")
    return title


def _description(text: str | None) -> str | None:
    text = (text or "").strip()
    if "&lt;" in text and "<" not in text.replace("&lt;", ""):
        text = unescape(text)  # escaped once more than needed, inside CDATA
    return text or None


def marker(item: RawPosting) -> str:
    """The change marker of a feed item: what the feed shows of it besides the description."""
    return f"{item.title} @ {'; '.join(item.locations)} until {item.valid_through or ''}"


def _root(payload: bytes | str, url: str) -> Any:
    data = payload.encode("utf-8") if isinstance(payload, str) else bytes(payload)
    if not data.strip():
        raise ParseError(f"{url or 'payload'}: empty answer where the googlefeed.xml RSS feed was expected")
    if is_html(data):
        raise ParseError(f"{url or 'payload'}: expected the googlefeed.xml RSS feed, got an HTML page")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data.lstrip(b"\xef\xbb\xbf").strip(), parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"{url or 'payload'}: the job feed is not well-formed XML ({exc})") from None
    if etree.QName(root).localname != "rss" or root.find("channel") is None:
        raise ParseError(f"{url or 'payload'}: not an RSS job feed (root <{etree.QName(root).localname}>)")
    return root


def _field(item: Any, name: str, ns: str | None = None) -> str | None:
    found = item.find(f"{{{ns}}}{name}" if ns else name)
    text = (found.text or "").strip() if found is not None else ""
    if name != "description":
        text = " ".join(text.split())
    return text or None


def parse(payload: bytes | str, url: str = "") -> list[RawPosting]:
    """Every ``<item>`` of the feed."""
    root = _root(payload, url)
    out = Entries()  # items without an id or a title are counted, not dropped: never closed for it
    seen: set[str] = set()
    for item in root.find("channel").iterfind("item"):
        def field(name: str, ns: str | None = None, el: Any = item) -> str | None:
            return _field(el, name, ns)

        link = field("link")
        source_id = field("id", G_NS) or field("guid") or (link and urlsplit(link).path.rstrip("/").rsplit("/", 1)[-1])
        title = field("title")
        if not source_id or not title:
            out.skipped += 1
            continue
        if source_id in seen:
            continue
        seen.add(source_id)
        location = field("location", G_NS)
        where, country = place(location)
        raw = RawPosting(
            source_id=source_id,
            url=link or url,
            title=_title(title, location),
            employer=field("employer", G_NS),
            locations=[where] if where else [],
            country=country,
            employment_type=field("job_type", G_NS),
            date_posted=field("pubDate") or field("publish_date", G_NS),
            valid_through=field("expiration_date", G_NS),
            description_html=_description(field("description")),
            department=field("job_function", G_NS),
            extra={"location_text": location} if location else {},
        )
        raw.updated = marker(raw)
        out.append(raw)
    return out


def parse_detail(payload: bytes | str, url: str = "", listing: RawPosting | None = None) -> RawPosting:
    """A job page (for a feed item without a description): its JobPosting JSON-LD or microdata."""
    raw = jsonld_posting(payload, url)
    if raw is None:
        raise ParseError(f"{url or 'payload'}: no JobPosting data (JSON-LD or microdata) on the job page")
    public = url.split("?", 1)[0]
    source_id = (listing.source_id if listing else None) or public.rstrip("/").rsplit("/", 1)[-1]
    return adopt(raw, source_id, public, listing)
