"""schema.org JobPosting embedded in career pages: JSON-LD (``@graph``, arrays, nested) and microdata.

Pure functions. ``parse(payload, url)`` returns every JobPosting of an HTML page as a ``RawPosting``
with the source's own values. Career sites publish broken JSON-LD often enough (trailing commas,
raw newlines inside strings, the block wrapped in an HTML comment, a BOM) that a lenient reader is
worth it; a block that still cannot be read is skipped and counted (``parse_page``).

Options in sources.toml (``check_options``): ``urls`` (posting or listing pages), ``follow`` (a
regular expression of links to follow from listing pages, or of sitemap entries to keep),
``sitemap`` (a sitemap or sitemap index URL). At least one of ``urls`` / ``sitemap``.
"""

from __future__ import annotations

import gzip
import html
import io
import json
import re
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html

from pacsjobs.record import RawPosting, RawSalary

DEFAULT_BASE_URL = ""

_SCRIPT_TAG_RE = re.compile(rb"<script\b[^>]*\btype\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>", re.IGNORECASE)
_SCRIPT_END_RE = re.compile(rb"</script\s*>")  # matched on lowered bytes
# Wrappers some CMSs put around the JSON inside the script element.
# The closing wrapper has no leading \s*: tried at every position of a long run of spaces, it made
# re.sub quadratic (a page with a megabyte of blanks took hours); the caller strips the blanks.
_WRAPPERS_RE = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[|/\*\s*<!\[CDATA\[\s*\*/|<!\[CDATA\[)\s*|"
                          r"(?:-->|//\s*\]\]>|/\*\s*\]\]>\s*\*/|\]\]>)\s*$")
_SCHEMA_PREFIX_RE = re.compile(r"^(?:https?://schema\.org/|schema:)", re.IGNORECASE)
_PLAIN_NUMBER_RE = re.compile(r"\d[\d,]*(?:\.\d+)?")
_MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit, uncompressed


# -- decoding ---------------------------------------------------------------------------------
def _ld_json_blocks(data: bytes) -> list[bytes]:
    r"""The contents of every ``<script type="application/ld+json">`` element: what
    ``re.finditer(_SCRIPT_TAG_RE.pattern + rb"(.*?)</script\s*>", data, re.I | re.S)`` finds (the
    tests hold the two equal), several times faster. re cannot search for the literal of a
    case-insensitive pattern, and its lazy ``(.*?)`` steps through the block a character at a
    time; here both literals are found in a lowered copy by ``bytes.find``."""
    low = data.lower()  # ASCII only, as re.IGNORECASE on bytes
    blocks: list[bytes] = []
    pos = 0
    while (at := low.find(b"application/ld+json", pos)) >= 0:
        start = low.rfind(b"<script", pos, at)
        tag = _SCRIPT_TAG_RE.match(data, start) if start >= 0 else None
        if tag is None or tag.end() <= at:  # not in a script tag's attributes
            pos = at + 1
            continue
        end = low.find(b"</script", tag.end())
        while end >= 0 and not _SCRIPT_END_RE.match(low, end):
            end = low.find(b"</script", end + 1)
        if end < 0:  # no end tag after it: nor after any later one
            break
        blocks.append(data[tag.end():end])
        pos = _SCRIPT_END_RE.match(low, end).end()
    return blocks


# The entities escaped descriptions are made of; other ones go through html.unescape.
_COMMON_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#34;", '"'), ("&#39;", "'"),
                    ("&nbsp;", "\xa0"), ("&amp;", "&"))  # &amp; last: "&amp;lt;" is "&lt;"


def unescape(text: str) -> str:
    """``html.unescape``, with a fast path for text whose every ``&`` starts a common entity
    (an escaped description has dozens, and html.unescape calls Python code for each)."""
    ampersands = text.count("&")
    if not ampersands:
        return text
    if sum(text.count(entity) for entity, _ in _COMMON_ENTITIES) != ampersands:
        return html.unescape(text)
    for entity, char in _COMMON_ENTITIES:
        text = text.replace(entity, char)
    return text


def _to_bytes(payload: bytes | str) -> bytes:
    data = payload.encode("utf-8") if isinstance(payload, str) else bytes(payload)
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data


def _decode(data: bytes) -> str:
    text = data.decode("utf-8", "replace")
    return text.lstrip("\ufeff")


# A string as "unrolled loop" ([^"\\]* runs, then one escape at a time): the same strings as
# "(?:[^"\\]|\\.)*", several times faster on a page with a megabyte-long string.
_STRING_OR_TRAILING_COMMA_RE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|,(\s*[}\]])', re.DOTALL)


def _strip_trailing_commas(text: str) -> str:
    """Drop commas that directly precede ``}`` or ``]`` outside strings (a common CMS slip)."""
    return _STRING_OR_TRAILING_COMMA_RE.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(0),
                                            text)


def _load_lenient(text: str) -> list[Any] | None:
    """Read one JSON-LD block leniently; None when it cannot be read at all."""
    text = text.strip().lstrip("\ufeff")
    if text[:1] not in "{[":
        previous = None
        while previous != text:  # wrappers can be nested (<!-- //<![CDATA[ ... ]]> -->)
            previous, text = text, _WRAPPERS_RE.sub("", text).strip()
    elif text[-1:] not in "}]":
        text = _WRAPPERS_RE.sub("", text)
    text = text.strip().rstrip(";")
    if not text:
        return []
    # strict=False lets raw newlines and tabs inside strings through, as browsers' readers do.
    decoder = json.JSONDecoder(strict=False)
    for fix in (None, _strip_trailing_commas):
        candidate = fix(text) if fix else text
        try:
            return [decoder.decode(candidate)]
        except (ValueError, RecursionError):  # nested too deeply: as unreadable as broken JSON
            pass
        values = _decode_concatenated(decoder, candidate)
        if values:
            return values
    # Some sites HTML-escape the whole block (&quot;).
    if "&quot;" in text or "&#34;" in text:
        return _load_lenient(unescape(text))
    return None


def _decode_concatenated(decoder: json.JSONDecoder, text: str) -> list[Any] | None:
    """Several JSON values one after another in one block (``{...}{...}``)."""
    values, pos, n = [], 0, len(text)
    while pos < n:
        while pos < n and text[pos] in " \t\r\n,;":
            pos += 1
        if pos >= n:
            break
        try:
            value, pos = decoder.raw_decode(text, pos)
        except (ValueError, RecursionError):
            return None
        values.append(value)
    return values if len(values) > 1 else None


# -- finding JobPosting nodes -----------------------------------------------------------------
def _types(node: dict[str, Any]) -> list[str]:
    value = node.get("@type", node.get("type"))
    values = value if isinstance(value, list) else [value]
    return [_SCHEMA_PREFIX_RE.sub("", v).lower() for v in values if isinstance(v, str)]


def _index_ids(value: Any, index: dict[str, dict[str, Any]]) -> None:
    if isinstance(value, dict):
        node_id = value.get("@id")
        if isinstance(node_id, str) and len(value) > 1:
            index.setdefault(node_id, value)
        for child in value.values():
            _index_ids(child, index)
    elif isinstance(value, list):
        for child in value:
            _index_ids(child, index)


def _may_have_ids(block: str) -> bool:
    """Whether a JSON-LD block can hold an ``@id`` key: it is spelled out, or hidden by an escape
    (``\\u0040id``) or by the HTML-escaping ``_load_lenient`` undoes. Most pages have none."""
    return "@id" in block or "\\u" in block or "&quot;" in block or "&#34;" in block


def _resolve(value: Any, index: dict[str, dict[str, Any]], depth: int = 0) -> Any:
    """Replace ``{"@id": ...}`` references with the node of that id (``@graph`` pages use them)."""
    if depth > 8:
        return value
    if isinstance(value, dict):
        if set(value) == {"@id"} and value["@id"] in index:
            return _resolve(index[value["@id"]], index, depth + 1)
        return {k: _resolve(v, index, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, index, depth + 1) for v in value]
    return value


def _find_postings(value: Any, found: list[dict[str, Any]]) -> None:
    if isinstance(value, dict):
        if "jobposting" in _types(value):
            found.append(value)
            return
        for child in value.values():
            _find_postings(child, found)
    elif isinstance(value, list):
        for child in value:
            _find_postings(child, found)


# -- microdata --------------------------------------------------------------------------------
def _microdata_value(el: Any) -> Any:
    if el.get("itemscope") is not None:
        return _microdata_item(el)
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if el.get("content") is not None:
        return el.get("content")
    if tag in ("a", "link", "area") and el.get("href"):
        return el.get("href")
    if tag in ("img", "audio", "video", "source", "embed", "iframe") and el.get("src"):
        return el.get("src")
    if tag == "time" and el.get("datetime"):
        return el.get("datetime")
    if tag in ("data", "meter") and el.get("value"):
        return el.get("value")
    if _keeps_markup(el):
        inner = (el.text or "") + "".join(lxml_html.tostring(c, encoding="unicode") for c in el)
        return inner.strip()
    return " ".join(el.text_content().split())


def _keeps_markup(el: Any) -> bool:
    """Descriptions keep their markup (the normalizer sanitizes it)."""
    return (el.get("itemprop") or "").strip() in ("description", "responsibilities", "qualifications")


def _microdata_item(scope: Any) -> dict[str, Any]:
    item: dict[str, Any] = {}
    itemtype = (scope.get("itemtype") or "").split()
    if itemtype:
        item["@type"] = [t.rstrip("/").rsplit("/", 1)[-1] for t in itemtype]
    # Properties of this scope: descendants with itemprop whose nearest itemscope ancestor is it.
    # XPath picks them in C: walking every descendant in Python took seconds on a page of 1M tags.
    for el in scope.xpath(".//*[@itemprop]"):
        owner = el.getparent()
        while owner is not None and owner.get("itemscope") is None:
            owner = owner.getparent()
        if owner is not scope:
            continue
        value = _microdata_value(el)
        for prop in el.get("itemprop").split():
            if prop in item:
                existing = item[prop]
                item[prop] = (existing if isinstance(existing, list) else [existing]) + [value]
            else:
                item[prop] = value
    return item


def _microdata_postings(data: bytes) -> list[dict[str, Any]]:
    if b"itemscope" not in data or b"JobPosting" not in data:
        return []
    try:
        doc = lxml_html.fromstring(data)
    except (etree.ParserError, ValueError):
        return []
    found = []
    for scope in doc.xpath("//*[@itemscope][contains(@itemtype, 'JobPosting')]"):
        item = _microdata_item(scope)
        if "jobposting" in _types(item):
            found.append(item)
    return found


# -- fields -----------------------------------------------------------------------------------
def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if v not in (None, "", [], {})), None)
    if isinstance(value, dict):
        value = value.get("name") or value.get("value") or value.get("@value")
        if isinstance(value, dict | list):
            return _text(value)
    if value is None or isinstance(value, bool):
        return None
    text = " ".join(unescape(str(value)).split())
    return text or None


def _texts(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    out = []
    for v in values:
        text = _text(v)
        if text and text not in out:
            out.append(text)
    return out


def _identifier(value: Any) -> str | None:
    if isinstance(value, list):
        for v in value:
            found = _identifier(v)
            if found:
                return found
        return None
    if isinstance(value, dict):
        # A PropertyValue's name names the id's issuer ("Northwest Health"), never the id itself:
        # an identifier with a name and no value identifies nothing.
        value = value.get("value", value.get("@value"))
    if value is None or isinstance(value, dict | list | bool):
        return None
    text = str(value).strip()
    return text or None


def _address_text(address: Any) -> tuple[str | None, str | None]:
    """``(location words, country)`` of a PostalAddress (object or plain string)."""
    if isinstance(address, list):
        address = next((a for a in address if a), None)
    if isinstance(address, str):
        return _text(address), None
    if not isinstance(address, dict):
        return None, None
    city = _text(address.get("addressLocality"))
    region = _text(address.get("addressRegion"))
    postal = _text(address.get("postalCode"))
    country = _text(address.get("addressCountry"))
    head = ", ".join(p for p in (city, region) if p)
    words = " ".join(p for p in (head, postal) if p) or None
    if words is None:
        words = _text(address.get("streetAddress")) or _text(address.get("name"))
    return words, country


def _locations(value: Any) -> tuple[list[str], str | None]:
    places = value if isinstance(value, list) else [value]
    texts: list[str] = []
    country = None
    for place in places:
        if isinstance(place, str):
            words, place_country = _text(place), None
        elif isinstance(place, dict):
            words, place_country = _address_text(place.get("address"))
            if words is None:
                words = _text(place.get("name"))
        else:
            continue
        if words and words not in texts:
            texts.append(words)
        country = country or place_country
    return texts, country


def _number_or_raw(value: Any) -> Any:
    if isinstance(value, dict):
        value = value.get("@value", value.get("value"))
    return value if value not in ("", None) else None


def _salary(value: Any, currency_fallback: Any = None) -> RawSalary | None:
    """``baseSalary`` as MonetaryAmount, QuantitativeValue, number or string; raw values kept."""
    if isinstance(value, list):
        value = next((v for v in value if v not in (None, "", {})), None)
    if value is None or value == "" or isinstance(value, bool):
        return None
    currency = _text(currency_fallback)
    if isinstance(value, int | float):
        return RawSalary(min=value, max=value, currency=currency)
    if isinstance(value, str):
        text = _text(value)
        if text and _PLAIN_NUMBER_RE.fullmatch(text):  # "100000", as microdata gives every number
            return RawSalary(min=text, max=text, currency=currency)
        return RawSalary(currency=currency, text=text)
    if not isinstance(value, dict):
        return None
    currency = _text(value.get("currency")) or currency
    unit = _text(value.get("unitText"))
    inner = value.get("value", value)
    if isinstance(inner, list):
        inner = next((v for v in inner if v not in (None, "")), None)
    low = high = None
    text = None
    if isinstance(inner, dict):
        unit = _text(inner.get("unitText")) or _text(inner.get("unitCode")) or unit
        single = _number_or_raw(inner.get("value")) if inner is not value else None
        low = _number_or_raw(inner.get("minValue"))
        high = _number_or_raw(inner.get("maxValue"))
        if low is None and high is None and single is not None:
            low = high = single
        currency = _text(inner.get("currency")) or currency
    elif isinstance(inner, int | float) and not isinstance(inner, bool):
        low = high = inner
    elif isinstance(inner, str):
        text = _text(inner)
    if low is None and high is None and text is None:
        return None
    if isinstance(low, str) and low == high:
        text = text or _text(low)
    return RawSalary(min=low, max=high, currency=currency, unit=unit, text=text)


def _date(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if v not in (None, "")), None)
    if isinstance(value, dict):
        value = value.get("@value")
    if value is None or isinstance(value, bool | dict | list):
        return None
    text = str(value).strip()
    return text or None


def _description(node: dict[str, Any]) -> str | None:
    desc = node.get("description")
    if isinstance(desc, list):
        desc = "\n".join(str(d) for d in desc if isinstance(d, str))
    desc = desc.strip() if isinstance(desc, str) else ""
    # Descriptions HTML-escaped once more than needed (&lt;p&gt;) are unescaped here; the
    # normalizer sanitizes the result before anything is stored or shown.
    if "&lt;" in desc and "<" not in desc.replace("&lt;", ""):
        desc = unescape(desc)
    sections = []
    for key, heading in (("responsibilities", "Responsibilities"), ("qualifications", "Qualifications"),
                         ("skills", "Skills"), ("educationRequirements", "Education"),
                         ("experienceRequirements", "Experience")):
        value = node.get(key)
        words = _section_text(value)
        if words and words not in desc:
            sections.append(f"<h3>{heading}</h3><p>{html.escape(words)}</p>" if "<" not in words
                            else f"<h3>{heading}</h3>{words}")
    out = desc + "".join(sections)
    return out or None


def _section_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        parts = [p for p in (_section_text(v) for v in value) if p]
        return "; ".join(parts) or None
    if isinstance(value, dict):
        if "monthsOfExperience" in value:
            return f"{value['monthsOfExperience']} months of experience"
        return _text(value.get("credentialCategory")) or _text(value.get("description")) or _text(value)
    return None


def _posting(node: dict[str, Any], page_url: str, position: int, several: bool) -> RawPosting | None:
    title = _text(node.get("title")) or _text(node.get("name"))
    if not title:
        return None
    own_url = _text(node.get("url"))
    url = urljoin(page_url, own_url) if own_url else page_url
    source_id = _identifier(node.get("identifier"))
    if not source_id:
        if own_url and (url != page_url or not several):
            source_id = url
        else:
            source_id = f"{page_url}#{position + 1}" if several else page_url
    locations, country = _locations(node.get("jobLocation"))
    applicants = _texts(node.get("applicantLocationRequirements"))
    workplace = ", ".join(_texts(node.get("jobLocationType"))) or None
    employment = ", ".join(_texts(node.get("employmentType"))) or None
    org = node.get("hiringOrganization")
    extra: dict[str, Any] = {"format": node.get("_format", "json-ld")}
    if applicants:
        extra["applicant_locations"] = applicants
    for key, name in (("occupationalCategory", "occupational_category"), ("industry", "industry"),
                      ("workHours", "work_hours"), ("directApply", "direct_apply")):
        if node.get(key) not in (None, "", []):
            extra[name] = node[key] if isinstance(node[key], bool) else _text(node[key])
    if isinstance(node.get("identifier"), dict) and _text(node["identifier"].get("name")):
        extra["identifier_name"] = _text(node["identifier"].get("name"))
    return RawPosting(
        source_id=source_id,
        url=url,
        title=title,
        employer=_text(org),
        locations=locations,
        country=country or (applicants[0] if applicants and not locations else None),
        workplace=workplace,
        employment_type=employment,
        salary=_salary(node.get("baseSalary"), node.get("salaryCurrency")),
        date_posted=_date(node.get("datePosted")),
        valid_through=_date(node.get("validThrough")),
        description_html=_description(node),
        updated=_date(node.get("dateModified")),
        # employmentUnit: "the department or unit the employee works in" (schema.org); else the
        # hiring organization's own department.
        department=_text(node.get("employmentUnit"))
        or (_text(org.get("department")) if isinstance(org, dict) else None),
        extra=extra,
    )


# -- public API -------------------------------------------------------------------------------
def parse_page(payload: bytes | str, url: str = "") -> tuple[list[RawPosting], int]:
    """Every JobPosting of a page, and the number of JSON-LD blocks that could not be read."""
    data = _to_bytes(payload)
    nodes: list[dict[str, Any]] = []
    broken = 0
    for content in _ld_json_blocks(data):
        block = _decode(content)
        values = _load_lenient(block)
        if values is None:
            broken += 1
            continue
        for value in values:
            index: dict[str, dict[str, Any]] = {}
            if _may_have_ids(block):
                _index_ids(value, index)
            found: list[dict[str, Any]] = []
            _find_postings(value, found)
            # Without ids there is nothing to resolve (resolving would only copy the nodes).
            nodes += [_resolve(node, index) for node in found] if index else found
    if not nodes:
        # Microdata only when the page has no JSON-LD posting: pages with both carry the same job.
        for item in _microdata_postings(data):
            item["_format"] = "microdata"
            nodes.append(item)
    several = len(nodes) > 1
    postings: list[RawPosting] = []
    seen: set[str] = set()
    for position, node in enumerate(nodes):
        raw = _posting(node, url, position, several)
        if raw is None:
            broken += 1  # a JobPosting without a title cannot be stored: count it with the broken
            continue
        if raw.source_id in seen:  # the same posting twice on one page (e.g. in a comment too)
            continue
        seen.add(raw.source_id)
        postings.append(raw)
    return postings, broken


def parse(payload: bytes | str, url: str = "") -> list[RawPosting]:
    """Every JobPosting of an HTML page (JSON-LD, else microdata); unreadable blocks are skipped."""
    return parse_page(payload, url)[0]


def _without_tracking(url: str) -> str:
    """Drop ``utm_*`` campaign parameters so one posting linked twice is fetched once."""
    parts = urlsplit(url)
    if "utm_" not in parts.query:
        return url
    query = "&".join(p for p in parts.query.split("&") if not p.lower().startswith("utm_"))
    return urlunsplit(parts._replace(query=query))


def links(payload: bytes | str, url: str, follow: str | None) -> list[str]:
    """Links of a listing page whose absolute URL matches ``follow`` (all http(s) links when empty)."""
    data = _to_bytes(payload)
    if not data.strip():
        return []
    try:
        doc = lxml_html.fromstring(data)
    except (etree.ParserError, ValueError):
        return []
    pattern = re.compile(follow) if follow else None
    base = doc.xpath("string(//base/@href)") or url
    out: list[str] = []
    seen: set[str] = set()
    for href in doc.xpath("//a/@href | //area/@href"):
        href = href.strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        absolute = _without_tracking(urldefrag(urljoin(base, href))[0])
        if urlsplit(absolute).scheme not in ("http", "https"):
            continue
        if pattern is not None and not pattern.search(absolute):
            continue
        if absolute not in seen:
            seen.add(absolute)
            out.append(absolute)
    return out


def _sitemap_root(payload: bytes | str) -> Any | None:
    data = _to_bytes(payload)
    if data[:2] == b"\x1f\x8b":  # a .xml.gz sitemap served without Content-Encoding
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
                data = fh.read(_MAX_SITEMAP_BYTES + 1)[:_MAX_SITEMAP_BYTES]
        except (OSError, EOFError):
            return None
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(data.strip(), parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        return None


def sitemap_entries(payload: bytes | str) -> tuple[str, list[tuple[str, str | None]]]:
    """``("index" | "urlset" | "invalid", [(loc, lastmod)])`` of a sitemap or sitemap index."""
    root = _sitemap_root(payload)
    if root is None or not isinstance(root.tag, str):
        return "invalid", []
    kind = etree.QName(root).localname.lower()
    child = {"sitemapindex": "sitemap", "urlset": "url"}.get(kind)
    if child is None:
        return "invalid", []
    entries = []
    for el in root:
        if not isinstance(el.tag, str) or etree.QName(el).localname.lower() != child:
            continue
        loc = lastmod = None
        for part in el:
            if not isinstance(part.tag, str):
                continue
            name = etree.QName(part).localname.lower()
            if name == "loc":
                loc = (part.text or "").strip()
            elif name == "lastmod":
                lastmod = (part.text or "").strip() or None
        if loc:
            entries.append((loc, lastmod))
    return ("index" if kind == "sitemapindex" else "urlset"), entries


def sitemap_urls(payload: bytes | str, follow: str | None) -> list[str]:
    """The URLs of a sitemap matching ``follow``, or the child sitemaps of a sitemap index."""
    kind, entries = sitemap_entries(payload)
    if kind == "index":
        return [loc for loc, _ in entries]
    pattern = re.compile(follow) if follow else None
    return [loc for loc, _ in entries if pattern is None or pattern.search(loc)]


def _check_url(value: Any, key: str) -> str:
    if not isinstance(value, str) or urlsplit(value).scheme not in ("http", "https") \
            or not urlsplit(value).netloc:
        raise ValueError(f"{key}: must be an http(s) URL, got {value!r}")
    return value


def check_options(options: dict[str, Any]) -> dict[str, Any]:
    """Validate the jsonld keys of a sources.toml entry: ``urls``, ``follow``, ``sitemap``."""
    options = dict(options)
    out: dict[str, Any] = {}
    urls = options.pop("urls", [])
    if isinstance(urls, str):
        urls = [urls]
    if not isinstance(urls, list):
        raise ValueError(f"urls: must be a list of http(s) URLs, got {urls!r}")
    out["urls"] = [_check_url(u, "urls") for u in urls]
    follow = options.pop("follow", None)
    if follow is not None:
        if not isinstance(follow, str):
            raise ValueError(f"follow: must be a regular expression (a string), got {follow!r}")
        try:
            re.compile(follow)
        except re.error as exc:
            raise ValueError(f"follow: invalid regular expression {follow!r}: {exc}") from None
    out["follow"] = follow
    sitemap = options.pop("sitemap", None)
    out["sitemap"] = _check_url(sitemap, "sitemap") if sitemap is not None else None
    for key in options:
        raise ValueError(f"{key}: unknown key for a jsonld source (known: urls, follow, sitemap)")
    if not out["urls"] and not out["sitemap"]:
        raise ValueError("urls: a jsonld source needs urls or a sitemap")
    return out


def first_page_request(source_cfg: Any) -> tuple[str, str, dict[str, str], bytes | None]:
    """The request ``pacsjobs sources --check`` sends: the first configured page, else the sitemap.

    Its count is the postings on that page itself (a listing page or sitemap shows 0).
    """
    options = source_cfg.options
    url = (options.get("urls") or [None])[0] or options["sitemap"]
    return "GET", url, {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9"}, None
