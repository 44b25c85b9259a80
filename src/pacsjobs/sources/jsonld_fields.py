"""JobPosting nodes of a JSON-LD value or a microdata page, and their fields as a ``RawPosting``.

Used by ``jsonld``; pure functions.
"""

from __future__ import annotations

import html
import re
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from pacsjobs.record import RawPosting, RawSalary
from pacsjobs.sources.common import joined_url
from pacsjobs.sources.jsonld_lenient import unescape

_SCHEMA_PREFIX_RE = re.compile(r"^(?:https?://schema\.org/|schema:)", re.IGNORECASE)
_PLAIN_NUMBER_RE = re.compile(r"\d[\d,]*(?:\.\d+)?")


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
    url = (joined_url(page_url, own_url) or page_url) if own_url else page_url
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
