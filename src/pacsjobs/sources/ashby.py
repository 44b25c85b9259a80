"""Ashby public Job Posting API (developers.ashbyhq.com): payload -> raw postings.

``GET /posting-api/job-board/{org}?includeCompensation=true`` answers the whole board at once as
``{"apiVersion": "1", "jobs": [...]}`` (no paging, no count). Kept as given:

- ``title`` with stray whitespace; ``employmentType`` ``FullTime``/``PartTime``/``Intern``/
  ``Contract``/``Temporary``.
- ``isListed: false`` jobs are hidden from the hosted board: skipped here too.
- ``workplaceType`` (``OnSite``/``Remote``/``Hybrid``, added to the API in 2026-02) and the older
  boolean ``isRemote`` disagree in the wild (hybrid jobs flagged ``isRemote: true``).
  ``workplaceType`` wins because it is the three-valued, newer field; ``isRemote: true`` is used
  only when ``workplaceType`` is absent, and is always kept in ``extra``.
- ``compensation.compensationTierSummary`` is prose with K-abbreviations and en dashes
  (``"$85K – $100K"``); the numbers come from ``compensationTiers[].components[]`` of type
  ``Salary`` (``interval`` like ``"1 YEAR"`` / ``"1 HOUR"``), else from ``summaryComponents``.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote

from pacsjobs.errors import ParseError
from pacsjobs.record import RawPosting, RawSalary
from pacsjobs.sources.common import (
    Entries,
    items,
    load_json,
    read_entries,
    text_or_none,
    whole_board_options,
)

DEFAULT_BASE_URL = "https://api.ashbyhq.com"
ORG_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def listing_url(base_url: str, org: str) -> str:
    """The whole board with compensation."""
    return f"{base_url.rstrip('/')}/posting-api/job-board/{quote(org, safe='')}?includeCompensation=true"


def parse(payload: bytes | str | Any, url: str = "") -> Entries:
    """A board ``{"apiVersion", "jobs": [...]}`` -> raw postings of the listed jobs."""
    data = load_json(payload, url)
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise ParseError(f"{url or 'payload'}: not an Ashby job board (no 'jobs' list)")
    # an unlisted job (isListed false) is not an unreadable one: it is left out, not counted
    listed = [job for job in data["jobs"] if not (isinstance(job, dict) and job.get("isListed") is False)]
    return read_entries(listed, _posting)


def parse_detail(payload: bytes | str | Any, url: str = "", listing: RawPosting | None = None) -> RawPosting:
    """One job object (as saved from a board) -> raw posting."""
    data = load_json(payload, url)
    if isinstance(data, dict) and isinstance(data.get("jobs"), list) and len(data["jobs"]) == 1:
        data = data["jobs"][0]
    raw = _posting(data) if isinstance(data, dict) else None
    if raw is None:
        raise ParseError(f"{url or 'payload'}: not an Ashby job (needs 'id' and 'title')")
    if listing is not None and not raw.employer:
        raw.employer = listing.employer
    return raw


def reported_total(payload: bytes | str | Any, url: str = "") -> int | None:
    """Ashby publishes no count; the board is one response: always None."""
    return None


def check_options(options: dict[str, Any]) -> dict[str, Any]:
    """sources.toml keys: ``org`` (the board name of jobs.ashbyhq.com/<org>)."""
    return whole_board_options(options, "org", ORG_RE, "the board name of jobs.ashbyhq.com/<org>",
                               "an Ashby", "an ashby")


def first_page_request(source_cfg: Any) -> tuple[str, str, dict[str, str], bytes | None]:
    """The request ``pacsjobs sources --check`` sends: the board."""
    base = getattr(source_cfg, "base_url", None) or DEFAULT_BASE_URL
    return "GET", listing_url(base, source_cfg.options["org"]), {"Accept": "application/json"}, None


# -- one job ------------------------------------------------------------------------------
def _posting(job: Any) -> RawPosting | None:
    if not isinstance(job, dict) or not text_or_none(job.get("id")) or not text_or_none(job.get("title")):
        return None
    address = job.get("address") if isinstance(job.get("address"), dict) else {}
    postal = address.get("postalAddress") if isinstance(address.get("postalAddress"), dict) else {}
    workplace = text_or_none(job.get("workplaceType"))
    if workplace is None and job.get("isRemote") is True:
        workplace = "Remote"
    published = text_or_none(job.get("publishedAt"))
    return RawPosting(
        source_id=str(job["id"]).strip(),
        url=text_or_none(job.get("jobUrl")) or "",
        title=str(job["title"]),
        locations=_locations(job),
        country=text_or_none(postal.get("addressCountry")),
        workplace=workplace,
        employment_type=text_or_none(job.get("employmentType")),
        salary=_salary(job.get("compensation")),
        date_posted=published,
        description_html=_description(job),
        # The posting API has no update time; publishedAt changes when a job is republished.
        updated=text_or_none(job.get("updatedAt")) or published,
        department=text_or_none(job.get("department")),
        extra={k: v for k, v in {
            "team": text_or_none(job.get("team")),
            "apply_url": text_or_none(job.get("applyUrl")),
            "is_remote": job.get("isRemote") if isinstance(job.get("isRemote"), bool) else None,
            "postal_address": {k: v for k, v in postal.items() if text_or_none(v)} or None,
        }.items() if v is not None},
    )


def _locations(job: dict) -> list[str]:
    found: list[str] = []
    candidates = [job.get("location")] + [
        s.get("location") for s in items(job.get("secondaryLocations")) if isinstance(s, dict)]
    for loc in candidates:
        text = text_or_none(loc)
        if text and text not in found:
            found.append(text)
    return found


def _salary(comp: Any) -> RawSalary | None:
    """The ``Salary`` components of every tier -> one range in the first tier's currency and interval."""
    if not isinstance(comp, dict):
        return None
    summary = text_or_none(comp.get("compensationTierSummary")) or text_or_none(
        comp.get("scrapeableCompensationSalarySummary"))
    components = [c for tier in items(comp.get("compensationTiers")) if isinstance(tier, dict)
                  for c in items(tier.get("components")) if isinstance(c, dict)]
    salaries = [c for c in components if c.get("compensationType") == "Salary"]
    if not salaries:
        salaries = [c for c in items(comp.get("summaryComponents"))
                    if isinstance(c, dict) and c.get("compensationType") == "Salary"]
    if salaries:
        first = salaries[0]
        same = [c for c in salaries if c.get("currencyCode") == first.get("currencyCode")
                and c.get("interval") == first.get("interval")]
        lows = [c["minValue"] for c in same if _number(c.get("minValue"))]
        highs = [c["maxValue"] for c in same if _number(c.get("maxValue"))]
        return RawSalary(min=min(lows) if lows else None, max=max(highs) if highs else None,
                         currency=text_or_none(first.get("currencyCode")),
                         unit=text_or_none(first.get("interval")), text=summary)
    return RawSalary(text=summary) if summary else None


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _description(job: dict) -> str | None:
    if desc := text_or_none(job.get("descriptionHtml")):
        return desc
    plain = text_or_none(job.get("descriptionPlain"))
    if not plain:
        return None
    return "".join(f"<p>{html.escape(p.strip())}</p>" for p in re.split(r"\n\s*\n", plain) if p.strip())
